"""The words counts and days are said in, from the content (dialogs/numbers.yaml's `times` and
`dates`), so that "twice" and "Saturday 28 November" are written by whoever writes the
content's language, in that language's order, and never come from the machine's locale (a
British voice reading a German month name).

Read with the rest of the content (`content.Content.journal_words`), so a mistake in them
stops the start, naming file, line and field, rather than the first time the journal is
told back; the journal says them, and so does the session when it recalls advice by its day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..content.placeholders import fill, placeholders
from ..content.schema import Fields
from ..content.yamlsource import Where, load_yaml

NUMBERS_FILE = "numbers.yaml"  # its `also` is the number words' (voice/understanding/numbers.py)
WEEKDAYS = 7
MONTHS = 12


@dataclass(frozen=True)
class CountWords:
    """How many times, said: a count that has a word of its own ("twice"), or the count in
    `other` ("{count} times")."""

    words: tuple[str, ...]  # the counts 1, 2, ... in order
    other: str

    def say(self, count: int) -> str:
        if 1 <= count <= len(self.words):
            return self.words[count - 1]
        return fill(self.other, count=count)


@dataclass(frozen=True)
class DateWords:
    """A day as the language says it: its names for weekdays and months, in its order."""

    said: str  # "{weekday} {day} {month}"
    weekdays: tuple[str, ...]  # from Monday, as `datetime.weekday()` counts
    months: tuple[str, ...]  # from January

    def say(self, when: datetime) -> str:
        local = when.astimezone()  # the person's own day: a session at 1 a.m. is not yesterday's
        return fill(self.said, weekday=self.weekdays[local.weekday()], day=local.day,
                    month=self.months[local.month - 1])


@dataclass(frozen=True)
class JournalWords:
    times: CountWords
    dates: DateWords


def load_journal_words(folder: Path) -> JournalWords:
    """The journal's words from the content in `folder`; a mistake names file, line and
    field, as every content file's does."""
    path = folder / NUMBERS_FILE
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    times = doc.mapping("times")
    counts = CountWords(tuple(_words(times, "words")),
                        _pattern(times, "other", required=("count",), allowed=("count",)))
    times.done()
    dates = doc.mapping("dates")
    said = _pattern(dates, "said", required=("day", "month"), allowed=("weekday", "day", "month"))
    day_names = DateWords(said, tuple(_words(dates, "weekdays", WEEKDAYS)),
                          tuple(_words(dates, "months", MONTHS)))
    dates.done()
    return JournalWords(counts, day_names)


def _words(fields: Fields, key: str, count: int | None = None) -> list[str]:
    """A list of words said as they are: none empty, none with a placeholder, `count` of
    them when the calendar fixes how many."""
    words = fields.text_list(key)
    if count is not None and len(words) != count:
        raise fields.error(key, f"give {count} names, in order; got {len(words)}")
    for word in words:
        if not word:
            raise fields.error(key, "a name is empty")
        if "{" in word or "}" in word:
            raise fields.error(key, f"{word!r}: a name is said as it is, without braces")
    return words


def _pattern(fields: Fields, key: str, required: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    """A text the journal fills: only what it fills may stand in braces (anything else would
    be read aloud), and what the sentence cannot do without must be there."""
    text = fields.text(key)
    named = placeholders(text)
    for name in named:
        if name not in allowed:
            raise fields.error(key, f"unknown placeholder {{{name}}}; known: "
                               + ", ".join(f"{{{known}}}" for known in allowed))
    for name in required:
        if name not in named:
            raise fields.error(key, f"say where the {name} goes, with {{{name}}}")
    return text
