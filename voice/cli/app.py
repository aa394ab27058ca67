"""From the words typed to the command run: parse, choose the locale, load the content for the
commands that use it, run the command, and let `errors.reported` say what went wrong."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module

from ..content.locales import choose as choose_locale
from ..content.paths import dialogs_dir
from ..conversation.content import Content, load_content
from .errors import missing_extra, reported
from .parser import build_parser


@dataclass(frozen=True)
class Command:
    """A command's module in commands/ (imported when run: a typed symptom check need not load
    what `eval` or `recognize` use, and runs where the desktop extra's audio stack is not
    installed), and whether it runs on the dialog content: `run(content, args)`, else
    `run(args)`, so a broken dialog file cannot stop listing devices or fetching a model."""

    module: str
    reads_content: bool = True


COMMANDS: dict[str | None, Command] = {
    "triage": Command("triage"), "stretch": Command("stretch"), "routines": Command("routines"),
    "history": Command("history"), "match": Command("match"), "recognize": Command("recognize"),
    "eval": Command("evaluate"), None: Command("session"),
    "devices": Command("devices", reads_content=False),
    "models": Command("models", reads_content=False),
    "install-launcher": Command("launcher", reads_content=False),
    "uninstall-launcher": Command("launcher", reads_content=False)}


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
    # The command's name and --locale are read before the rest: the parser lists the content's
    # routines (what `stretch` takes), so content is loaded first for a command that reads it,
    # once, in the locale asked for (--locale may come before or after the command's name).
    dialogs = dialogs_dir()
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--locale")
    early.add_argument("command", nargs="?")
    asked, _ = early.parse_known_args(argv)

    def content() -> Content:
        return load_content(dialogs, choose_locale(asked.locale, dialogs, os.environ))

    loaded = content() if COMMANDS.get(asked.command, COMMANDS[None]).reads_content else None
    routines = list(loaded.book.routines) if loaded is not None else []
    args = build_parser(dialogs, routines).parse_args(argv)
    chosen = COMMANDS[args.command]
    try:
        module = import_module(f".commands.{chosen.module}", __package__)
        if not chosen.reads_content:
            return module.run(args)
        return module.run(loaded or content(), args)
    except ImportError as error:  # the audio stack (the desktop extra) is not installed here
        missing = missing_extra(error, args.command)
        if missing is None:
            raise
        raise missing from None
