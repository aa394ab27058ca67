"""From the words typed to the command run: parse, choose the locale, load the content once,
run the command, and let `errors.reported` say what went wrong."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import import_module

from ..content import dialogs_dir, load_content
from ..conversation.routines import load_book
from ..locales import choose as choose_locale
from ..locales import load_locale
from .errors import reported
from .parser import build_parser

# Each command's module in commands/ (imported when run: a typed symptom check need not load
# what `eval` or `recognize` use); none needs anything but the content and its arguments.
COMMANDS = {"triage": "triage", "stretch": "stretch", "routines": "routines",
            "history": "history", "devices": "devices", "models": "models", "match": "match",
            "recognize": "recognize", "eval": "evaluate", None: "session"}


def main(argv: Sequence[str] | None = None) -> int:
    return reported(lambda: _run(argv))


def _run(argv: Sequence[str] | None) -> int:
    dialogs = dialogs_dir()
    names = list(load_book(dialogs, load_locale(dialogs).terms).routines)
    args = build_parser(dialogs, names).parse_args(argv)
    command = import_module(f".commands.{COMMANDS[args.command]}", __package__)
    if args.command in ("devices", "models"):  # nothing of the content is needed
        return command.run(None, args)
    content = load_content(dialogs, choose_locale(args.locale, dialogs, os.environ))
    return command.run(content, args)
