"""From the words typed to the command run: parse, choose the locale, load the content once,
run the command, and let `errors.reported` say what went wrong."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from importlib import import_module

from ..content.locales import choose as choose_locale
from ..content.paths import dialogs_dir
from ..conversation.content import load_content
from .errors import missing_extra, reported
from .parser import build_parser

# Each command's module in commands/ (imported when run: a typed symptom check need not load
# what `eval` or `recognize` use, and runs where the desktop extra's audio stack is not
# installed); none needs anything but the content and its arguments.
COMMANDS = {"triage": "triage", "stretch": "stretch", "routines": "routines",
            "history": "history", "devices": "devices", "models": "models", "match": "match",
            "recognize": "recognize", "eval": "evaluate", "install-launcher": "launcher",
            "uninstall-launcher": "launcher", None: "session"}


def main(argv: Sequence[str] | None = None) -> int:
    _terminate_as_exit()
    return reported(lambda: _run(argv))


def _terminate_as_exit() -> None:
    """A SIGTERM ends the program as an exit does, so what it set up is undone (the
    terminal's echo, which text mode takes over at a terminal; the journal's last entry)."""
    try:
        signal.signal(signal.SIGTERM, lambda number, _frame: sys.exit(128 + number))
    except ValueError:
        pass  # not the main thread (a test calling main): the caller's own handling stands


def _run(argv: Sequence[str] | None) -> int:
    # The content is loaded once, in the locale asked for (read before the rest, since the
    # parser lists the content's routines; --locale may come before or after the command's
    # name, and the parser takes it in both places); then the command runs on it.
    dialogs = dialogs_dir()
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--locale")
    asked, _ = early.parse_known_args(argv)
    content = load_content(dialogs, choose_locale(asked.locale, dialogs, os.environ))
    args = build_parser(dialogs, list(content.book.routines)).parse_args(argv)
    try:
        command = import_module(f".commands.{COMMANDS[args.command]}", __package__)
        return command.run(content, args)
    except ImportError as error:  # the audio stack (the desktop extra) is not installed here
        missing = missing_extra(error, args.command)
        if missing is None:
            raise
        raise missing from None
