"""What help says can be said, in the content's language.

Apart from the model so that the model can use it without the loader or the matcher, and so
that a list in the content's words ("a, b, or c") is one function for everyone who names
choices aloud (the routines, the dialog's read-backs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...content.placeholders import fill


@dataclass(frozen=True)
class Wording:
    """How the help joins the content's words into sentences (`wording` in intents.yaml): the
    joining is language, so it is content, not code."""

    list_or: str  # "a, b, or c"
    help: str  # "You can say {choices}."
    help_any_time: str  # "At any time you can also say {choices}."


def help_text(wording: Wording, own: Sequence[str], others: Sequence[str]) -> str:
    """The help sentence: what a context hears, then, if any, what works at any time."""
    sentence = fill(wording.help, choices=spoken_list(own, wording.list_or))
    if others:
        sentence += " " + fill(wording.help_any_time, choices=spoken_list(others, wording.list_or))
    return sentence


def spoken_list(items: Sequence[str], conjunction: str) -> str:
    """"a, b, or c", in the content's word for "or" (or "and"): a list read aloud needs its last
    joint said, which a plain join would drop."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"
