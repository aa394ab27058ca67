"""The field readers every part of a dialog YAML shares: the placeholders a text may hold,
conditions on stored answers (`when`), yes words, and spans of time. Each reads through
`Fields`, so a mistake names its file, line and field wherever it is made."""

from __future__ import annotations

import re

from ...content.placeholders import placeholders
from ...content.schema import Fields
from .spec import Condition

# What may stand in braces in spoken text; anything else is a typo that would be read aloud.
PLACEHOLDERS = ("emergency_number", "disclaimer", "labels")


def check_placeholders(fields: Fields, key: str, texts: list[str] | tuple[str, ...] | str,
                       own: tuple[str, ...] = ()) -> None:
    """Only what code fills in may stand in braces (`own`: what this field's code gives)."""
    for text in [texts] if isinstance(texts, str) else texts:
        for name in placeholders(text):
            if name not in PLACEHOLDERS + own:
                raise fields.error(key, f"unknown placeholder {{{name}}}; known: "
                                   + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS + own))


def read_conditions(item: Fields) -> tuple[Condition, ...]:
    if not item.has("when"):
        return ()
    table = item.mapping("when")
    found = []
    for key in table.keys():
        value = table.data[key]
        if isinstance(value, list):
            found.append(Condition(key, values=tuple(table.text_list(key))))
        else:
            bounds = table.mapping(key)
            low = bounds.integer("min") if bounds.has("min") else None
            high = bounds.integer("max") if bounds.has("max") else None
            if low is None and high is None:
                raise table.error(key, "a condition needs a list of answers, or min and/or max")
            bounds.done()
            found.append(Condition(key, low, high))
    return tuple(found)


YES_WORD = re.compile(r"^[a-z]+(\*)?( [a-z]+(\*)?)*$")


def read_yes_words(item: Fields, key: str = "yes_words") -> frozenset[str]:
    """Words or short phrases in lower case; a word ending in * stands for every word it
    starts ("tingl*": tingle, tingles, tingling), and needs at least four letters before it."""
    words = item.text_list(key, [])
    for word in words:
        if not YES_WORD.match(word) or any(len(part) < 5 for part in word.split()
                                             if part.endswith("*")):
            raise item.error(key, f"{word!r}: yes words are lower-case words or phrases "
                             "without punctuation; a word may end in * after four letters or more")
    return frozenset(words)


_WINDOW_UNITS = {"hours": 1.0, "days": 24.0, "weeks": 168.0}


def read_hours(item: Fields, key: str) -> float:
    """`{hours: 12}`, `{days: 3}` or `{weeks: 2}`, as hours."""
    table = item.mapping(key)
    given = [unit for unit in _WINDOW_UNITS if table.has(unit)]
    if len(given) != 1:
        raise item.error(key, "now, ever, or one of hours, days or weeks: {days: 3}")
    hours = table.number(given[0], minimum=1) * _WINDOW_UNITS[given[0]]
    table.done()
    return hours
