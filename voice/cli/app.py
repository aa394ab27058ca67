"""From the words typed to the command run: parse, choose the locale, load the content once,
run the command, and let `errors.reported` say what went wrong."""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..content import dialogs_dir, load_content
from ..conversation.routines import load_book
from ..locales import choose as choose_locale
from ..locales import load_locale
from .commands import devices, evaluate, history, match, models, recognize, routines, stretch, triage
from .commands import session as voice_session
from .errors import reported
from .parser import build_parser

# Each command's module; none needs anything but the content and its arguments.
COMMANDS = {"triage": triage, "stretch": stretch, "routines": routines, "history": history,
            "devices": devices, "models": models, "match": match, "recognize": recognize,
            "eval": evaluate}


def main(argv: Sequence[str] | None = None) -> int:
    return reported(lambda: _run(argv))


def _run(argv: Sequence[str] | None) -> int:
    dialogs = dialogs_dir()
    names = list(load_book(dialogs, load_locale(dialogs).terms).routines)
    args = build_parser(dialogs, names).parse_args(argv)
    if args.command in ("devices", "models"):  # nothing of the content is needed
        return COMMANDS[args.command].run(None, args)
    content = load_content(dialogs, choose_locale(args.locale, dialogs, os.environ))
    if args.command is None:
        return voice_session.run(content, args)
    return COMMANDS[args.command].run(content, args)
