"""The words an answer is read with: the clause words of `answer_reading` and the plain
answers of the yes/no intents, taken once from the intents a dialog listens with."""

from __future__ import annotations

from dataclasses import dataclass

from ..intents.model import IntentSet
from ..words import normalise
from .clauses import ClauseWords
from .model import Says


@dataclass(frozen=True)
class ReadingRules:
    """The words that change what an answer means (`answer_reading` in intents.yaml), and the
    plain answers of the yes/no intents."""

    clauses: ClauseWords
    yes: frozenset[tuple[str, ...]]
    no: frozenset[tuple[str, ...]]
    unsure: frozenset[tuple[str, ...]]  # "not sure", "maybe", "not really"
    first_person: frozenset[str]  # "i", "me": said of oneself, whatever else is named

    @classmethod
    def of(cls, intents: IntentSet) -> ReadingRules:
        def phrases(*names: str) -> frozenset[tuple[str, ...]]:
            return frozenset(tuple(normalise(p)) for name in names if name in intents.intents
                             for p in intents.intents[name].phrases)

        assert intents.reading is not None, "the content gives answer_reading"
        return cls(intents.reading, phrases("yes"), phrases("no"),
                   phrases("unsure", "probably_not"), intents.first_person)

    def plain(self, tokens: tuple[str, ...]) -> Says:
        """A clause that is only a yes, a no or a not-sure ("nope", "I don't think so")."""
        if tokens in self.yes:
            return Says.PRESENT
        if tokens in self.no:
            return Says.ABSENT
        if tokens in self.unsure:
            return Says.POSSIBLE
        return Says.NOTHING
