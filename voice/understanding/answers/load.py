"""Reading `answer_reading` (dialogs/intents.yaml): the words of clauses, cues and times.

Every list is checked as it is read, and a mistake names the file, line and
field, like the rest of the content.
"""

from __future__ import annotations

import math

from ...content.schema import Fields
from ..numbers import NumberWords
from ..words import normalise
from .clauses import ClauseWords
from .times import TimeWords


def read_reading(table: Fields, number_words: NumberWords) -> tuple[ClauseWords, frozenset[str]]:
    """The clause words, and the words a person uses of themselves ("i", "me"); the times in
    an answer ("two weeks ago") count in `number_words`, the content's."""

    def words(key: str) -> frozenset[str]:
        result = set()
        for text in table.text_list(key):
            tokens = normalise(text)
            if len(tokens) != 1:
                raise table.error(key, f"{text!r}: one word each here")
            result.add(tokens[0])
        return frozenset(result)

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(normalise(text)) for text in table.text_list(key) if normalise(text))

    clauses = ClauseWords(
        breaks=words("clause_breaks"), new_subjects=words("new_subjects"),
        joiners=words("joiners"), negations=words("negations"), wellbeing=phrases("wellbeing"),
        wellbeing_verbs=words("wellbeing_verbs"), others=words("others"),
        not_me=phrases("not_me"), hypotheticals=phrases("hypotheticals"),
        hedges=phrases("hedges"), corrections=phrases("corrections"),
        answer_words=phrases("answers"),
        times=_read_times(table.mapping("times"), words("joiners"), number_words),
        no_effect=phrases("no_effect"), reporting=words("reporting"),
        possessive=words("possessive"), first=words("first_person"),
        ordinals=tuple(normalise(text)[0] for text in table.text_list("ordinals")),
        degrees=phrases("degrees"), contrasts=words("contrasts"), clitics=words("clitics"))
    first_person = words("first_person")
    return clauses, first_person


def _read_times(table: Fields, joiners: frozenset[str], number_words: NumberWords) -> TimeWords:
    anchors: list[tuple[tuple[str, ...], float, float]] = []
    for entry in table.items("anchors"):
        bounds = entry.data.get("hours")
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(
                isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
                and 0 <= bounds[0] <= bounds[1]):
            raise entry.error("hours", "two numbers of hours ago, low then high (.inf: no end)")
        entry._read.add("hours")
        low, high = float(bounds[0]), float(bounds[1])
        for text in entry.text_list("words"):
            anchors.append((tuple(normalise(text)), low, high))
        entry.done()
    anchors.sort(key=lambda anchor: -len(anchor[0]))
    units = _numbers(table.mapping("units"))
    counts = _numbers(table.mapping("counts"))
    weekdays = tuple(normalise(day)[0] for day in table.text_list("weekdays"))
    if len(weekdays) != 7:
        raise table.error("weekdays", "the seven days, Monday first")

    def joined(key: str) -> frozenset[str]:
        return frozenset(" ".join(normalise(text)) for text in table.text_list(key))

    result = TimeWords(
        anchors=tuple(anchors), units=units, weekdays=weekdays, ago=joined("ago"),
        articles=counts, nearly=joined("nearly"), over=joined("over"), about=joined("about"),
        durations=tuple(tuple(normalise(text)) for text in table.text_list("durations")),
        joiners=joiners, number_words=number_words)
    table.done()
    return result


def _numbers(table: Fields) -> dict[str, float]:
    result = {}
    for key in table.keys():
        value = table.number(key, minimum=0)
        if math.isinf(value):
            raise table.error(key, "a finite number")
        result[normalise(key)[0]] = value
    table.done()
    return result
