"""How the ask step speaks: the question, kept to be asked again, and every other line.

One small object that the step and its helpers (asides, commands, the read-back) share, so
that "the question again" is always the one the person last heard, whoever says it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Lines:
    """`ask_line` speaks a question (its second argument: said again) and `say_line` anything
    else; both get content text with its placeholders, which the caller fills in."""

    ask_line: Callable[[str, bool], None]
    say_line: Callable[[str], None]
    last: str = ""  # the question last asked, in the words it was asked in

    def question(self, text: str, again: bool = True) -> None:
        self.last = text
        self.ask_line(text, again)

    def again(self) -> None:
        """The question last asked, once more (after help, a wait, a change of rate)."""
        self.question(self.last)

    def say(self, text: str) -> None:
        self.say_line(text)
