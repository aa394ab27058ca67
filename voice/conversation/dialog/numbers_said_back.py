"""A number said back when a mishearing of it would change the questions: an age heard as 67
is said back ("Sixty-seven, thanks.") before the next question, whose answer may correct it
("no, fifty-seven") at no cost of a turn when it was right.

Which numbers are worth saying back depends on the language: "fifteen" and "fifty" are heard
for each other in English, other pairs elsewhere. So the words and the pairs are content (the
dialog's `number_said_back:`, `spec.NumberSaidBack`); this module only applies them, with no
I/O, so the rule is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...content.placeholders import fill
from ...understanding.numbers import NumberWords
from .spec import DialogSpec, NumberSaidBack, State


@dataclass(frozen=True)
class Echo:
    """A number just said back, open to correction in the next answer ("no, fifty-seven"),
    which is then said back in its turn."""

    state: State  # the question it answered (its context hears the correction)
    rule: NumberSaidBack
    value: int
    number_words: NumberWords  # the language of the intents it was heard with

    @property
    def line(self) -> str:
        return said_back(self.rule, self.value, self.number_words)


def echo_of(spec: DialogSpec, state: State, value: int, number_words: NumberWords) -> Echo | None:
    """The number to say back after `state` was answered `value`: when the state asks for it
    (`confirm`) and a mishearing would change what the dialog asks; else None. Said in
    `number_words`, the language of the intents the answer was heard with."""
    rule = spec.said_back
    if not state.confirm or not state.store or rule is None:
        return None
    if not may_be_misheard(rule, value, thresholds(spec, state.store)):
        return None
    return Echo(state, rule, value, number_words)


def said_back(rule: NumberSaidBack, value: int, number_words: NumberWords) -> str:
    """The number as said back, in the content's words (`number_words`, its language's)."""
    words = rule.join.join(number_words.to_words(value).split())
    if rule.capital:
        words = words[:1].upper() + words[1:]
    return fill(rule.say, number=words)


def alikes(rule: NumberSaidBack, value: int) -> set[int]:
    """The numbers `value` may have been misheard for (itself among them)."""
    found = set(range(value - rule.near, value + rule.near + 1))
    found |= {b for a, b in rule.sound_alike if a == value}
    found |= {a for a, b in rule.sound_alike if b == value}
    return {alike for alike in found if alike > 0}


def may_be_misheard(rule: NumberSaidBack, value: int, thresholds: Iterable[int]) -> bool:
    """Whether a mishearing of `value` could fall on the other side of a threshold."""
    near = alikes(rule, value)
    return any((alike >= t) != (value >= t) for t in thresholds for alike in near)


def thresholds(spec: DialogSpec, key: str) -> list[int]:
    """Every value of a stored answer at which some question starts or stops applying
    (an age of 16, 50, 55, 65): where a misheard answer would change what is asked."""
    found: set[int] = set()
    conditions = [c for flag in spec.flags() for c in flag.when]
    conditions += [c for flag in spec.flags() for g in flag.grades for c in g.when]
    conditions += [c for state in spec.states.values() for c in state.when]
    for condition in conditions:
        if condition.key == key:
            found |= {v for v in (condition.low, None if condition.high is None
                                  else condition.high + 1) if v is not None}
    for state in spec.states.values():
        if state.store == key:
            found |= {v for r in state.ranges for v in (r.low, r.high + 1)}
    return sorted(found)

