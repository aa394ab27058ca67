"""The dialog content that ships, loaded once per locale for the whole run: the `content`
fixture's, and what a module needs at import to parametrise its tests over it."""

from __future__ import annotations

from functools import cache

from voice.content.locales import DEFAULT
from voice.conversation.content import Content, load_content

from . import ROOT


@cache
def shipped_content(locale: str = DEFAULT) -> Content:
    """The checkout's dialogs/ in `locale` (not $BACKCARE_DIALOGS: a test that points it at a
    changed copy loads that copy itself)."""
    return load_content(ROOT / "dialogs", locale)
