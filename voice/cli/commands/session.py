"""Plain `backcare`: the voice session (the menu: a symptom check, or stretches); the typed
symptom check when there is no microphone or speaker."""

from __future__ import annotations

import argparse

from ...conversation.content import Content
from ...session.errors import TextInstead
from ...session.spoken import VoiceOptions, run_voice_session
from ..errors import carry_on_in_text
from . import triage


def run(content: Content, _args: argparse.Namespace) -> int:
    try:
        run_voice_session(content, VoiceOptions())
    except TextInstead as instead:
        carry_on_in_text(instead)
        return triage.typed(content, triage.TypedOptions())
    return 0
