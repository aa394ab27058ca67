"""When something happened, read from an answer: "last night", "on Sunday", "nearly two weeks ago".

A red-flag question asks about a window ("right now", "in the last three days",
"in the last two weeks").  People answer with a time instead of a yes or no
("no, it was nearly two weeks ago"), and the time decides the answer: inside
the window it is a yes whatever word came first, before it a no for this
question.  A time is read as a range of hours before now (`Ago`), because
people are vague ("a few days ago" is two to five days), and compared with
the window: inside, before it, or across its edge (which is asked, never
guessed).

Only times at which something happened are read: "for three weeks" and "since
March" say how long, not when, and are left alone.  The words (anchors such
as "last night", units, weekdays, "nearly", "over") are data: `times` under
`answer_reading` in dialogs/intents.yaml.  A weekday needs today's date, which
the caller gives (time is injected, never read here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import Enum

from ..numbers import NumberWords

WEEK_HOURS = 7 * 24


class Relation(str, Enum):
    """Where a time falls against a question's window."""

    INSIDE = "inside"
    BEFORE = "before"  # earlier than the window reaches: a no for this question
    ACROSS = "across"  # could be either: asked, never guessed


@dataclass(frozen=True)
class Ago:
    """A time read from words, as hours before now: at least `low`, at most `high`."""

    low: float
    high: float
    heard: str  # the words it was read from

    def against(self, window_hours: float) -> Relation:
        if window_hours <= 0.5:  # "right now": any time that is not now came before it
            return Relation.INSIDE if self.is_now else Relation.BEFORE
        if self.high <= window_hours:
            return Relation.INSIDE
        if self.low >= window_hours:
            return Relation.BEFORE
        return Relation.ACROSS

    @property
    def is_now(self) -> bool:
        return self.high <= 0.5


@dataclass(frozen=True)
class TimeWords:
    """The words of times, in one language (`answer_reading.times` in intents.yaml)."""

    anchors: tuple[tuple[tuple[str, ...], float, float], ...]  # words, low and high hours ago
    units: dict[str, float]  # "day" -> 24 (singular and plural forms both listed)
    weekdays: tuple[str, ...]  # Monday first
    ago: frozenset[str]  # "ago", "back": a number and unit before these is a time
    articles: dict[str, float]  # "a" -> 1, "half" -> 0.5, "couple" -> 2, "few" -> 3
    nearly: frozenset[str]  # "nearly", "almost": up to the number
    over: frozenset[str]  # "over", "more than": at least the number
    about: frozenset[str]  # "about", "around": either side
    durations: tuple[tuple[str, ...], ...]  # "for", "since": a length of time, not a time
    number_words: NumberWords  # the content's: "two weeks ago", "2 weeks ago"
    joiners: frozenset[str] = frozenset()  # "and": "a week and a half ago"

    def find(self, tokens: list[str], today: date | None = None) -> list[tuple[int, int, Ago]]:
        """Every time in the words, as (start, end, Ago), first to last, not overlapping."""
        found: list[tuple[int, int, Ago]] = []
        index = 0
        while index < len(tokens):
            hit = self._at(tokens, index, today)
            if hit is None:
                index += 1
                continue
            end, ago = hit
            if any(tuple(tokens[max(index - len(d), 0):index]) == d for d in self.durations):
                index = end  # "for three weeks": how long, not when
                continue
            found.append((index, end, ago))
            index = end
        return found

    def _at(self, tokens: list[str], start: int, today: date | None) -> tuple[int, Ago] | None:
        for words, low, high in self.anchors:  # longest first
            if tuple(tokens[start:start + len(words)]) == words:
                return start + len(words), Ago(low, high, " ".join(words))
        word = tokens[start]
        if word in self.weekdays and today is not None:
            days = (today.weekday() - self.weekdays.index(word)) % 7 or 7
            hours = days * 24.0
            return start + 1, Ago(max(hours - 24, 0), hours + 24, word)
        return self._counted(tokens, start)

    def _counted(self, tokens: list[str], start: int) -> tuple[int, Ago] | None:
        """"nearly two weeks ago", "a few days ago", "ten days back", "over a month ago"."""
        index, scale = start, "exact"
        for qualifier, words in (("nearly", self.nearly), ("over", self.over),
                                 ("about", self.about)):
            for length in (2, 1):
                if " ".join(tokens[index:index + length]) in words:
                    index, scale = index + length, qualifier
                    break
            if scale != "exact":
                break
        count, index = self._count(tokens, index)
        if count is None or index >= len(tokens):
            return None
        unit = self.units.get(tokens[index])
        if unit is None:
            return None
        index += 1
        if index < len(tokens) and tokens[index] in self.joiners:
            part, after = self._count(tokens, index + 1)
            if part is not None and part < 1:  # "a week and a half ago"
                count, index = count + part, after
        if index >= len(tokens) or tokens[index] not in self.ago:
            return None
        hours = count * unit
        spread = {"exact": (0.75, 1.25), "nearly": (0.75, 1.0), "over": (1.0, math.inf),
                  "about": (0.6, 1.4)}[scale]
        if scale == "exact" and count >= 3 and count == int(count) and tokens[start] not in (
                self.articles):
            spread = (0.9, 1.1) if unit >= 24 else spread
        return index + 1, Ago(hours * spread[0], hours * spread[1],
                              " ".join(tokens[start:index + 1]))

    def _count(self, tokens: list[str], index: int) -> tuple[float | None, int]:
        """The number before a unit: digits, number words, or the content's count words ("a",
        "couple", "few", "half"). A count of one before another count is that count ("a
        couple", "a few"), and one word may stand between a count word and its unit ("a couple
        of days", "half a day"): rules on the content's words, so any language's hold."""
        if index >= len(tokens):
            return None, index
        if tokens[index] in self.articles:
            count, index = self.articles[tokens[index]], index + 1
            if count == 1 and index < len(tokens) and tokens[index] in self.articles:
                count, index = self.articles[tokens[index]], index + 1
            if tokens[index:index + 1] and tokens[index] not in self.units and (
                    tokens[index + 1:index + 2] and tokens[index + 1] in self.units):
                index += 1
            return count, index
        values = self.number_words.read(tokens[index:index + 2])
        if values and isinstance(values[0], int):
            used = 2 if len(values) == 1 and len(tokens[index:index + 2]) == 2 else 1
            return float(values[0]), index + used
        return None, index
