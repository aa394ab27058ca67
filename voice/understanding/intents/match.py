"""Turning what the user said into an intent of one context, from phrase data alone.

The matcher never guesses: an utterance that fits no phrase, or fits phrases of two
different intents ("yes ... no"), gives no intent, and the dialog reprompts.  Every word it
compares with comes from `dialogs/intents.yaml` (the model); `normalise` is the one way
words are compared (`..words`), here for whoever reads text as the matcher does.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..numbers import NumberWords
from ..words import normalise
from .model import NUMBER, IntentSet, Match, NumberSlot, Phrase

# A score written with its scale, "7/10" or "7 / 10".
_WRITTEN_SCORE = re.compile(r"(\d+)\s*/\s*(\d+)")


def tokens(text: str, number_words: NumberWords) -> Phrase:
    """Normalised tokens with numbers read (in `number_words`, the content's); the `{number}`
    slot becomes the token NUMBER."""
    if NUMBER in text:
        parts = text.split(NUMBER)
        result: list[int | str] = []
        for index, part in enumerate(parts):
            result.extend(number_words.read(normalise(part)))
            if index < len(parts) - 1:
                result.append(NUMBER)
        return tuple(result)
    return tuple(number_words.read(normalise(text)))


def heard_words(text: str, number: NumberSlot) -> list[str]:
    """An utterance's words; a score written "7/10" in the content's words for a score out of
    its scale, so that it means what the spoken "seven out of ten" means, in any language."""
    if number.out_of:
        said = " ".join(number.out_of[0])
        text = _WRITTEN_SCORE.sub(lambda found: f"{found[1]} {said} {found[2]}", text)
    return normalise(text)


class _Found(NamedTuple):
    """A phrase found inside a longer answer: where it starts, what it means."""

    start: int
    intent: str
    slots: dict[str, int]


class Matcher:
    """Matches utterances against the phrases of one context."""

    def __init__(self, intents: IntentSet, context: str):
        self.intents = intents
        self.context = context
        self.allowed = intents.context_intents(context)
        self.sound_alikes = intents.sound_alikes.get(context, {})
        excluded = intents.excluded.get(context, frozenset())
        self.exact: dict[Phrase, tuple[str, dict[str, int]]] = {}
        for name in self.allowed:
            intent = intents.intents[name]
            for phrase in intent.phrases:
                if tokens(phrase, intents.number_words) not in excluded:
                    self.exact[tokens(phrase, intents.number_words)] = (name, {})
            for phrase, value in intent.slot_phrases:
                self.exact[tokens(phrase, intents.number_words)] = (name, {"number": value})
        # Longest phrases first, so "not sure" wins over "sure".
        self.by_length = sorted(self.exact, key=len, reverse=True)
        # The one intent of this context that takes a number ("number" on the pain scale).
        self.number_intent = intents.number_intent(context)

    # -- public ---------------------------------------------------------------
    def match(self, text: str) -> Match:
        words = heard_words(text, self.intents.number)
        result = self._match_words(text, words)
        if result.intent is not None or not self.sound_alikes:
            return result
        # Only when the words as written mean nothing here: "for" may be "four".
        heard_as = [self.sound_alikes.get(word, word) for word in words]
        if heard_as == words:
            return result
        again = self._match_words(text, heard_as)
        if again.intent is None:
            return result
        return Match(text, again.intent, again.slots, round(again.confidence * 0.9, 3))

    def _match_words(self, text: str, words: list[str]) -> Match:
        said = tuple(self.intents.number_words.read(words))
        if not said:
            return Match(text, None)
        for candidate, confidence in ((said, 1.0), (self._strip_fillers(said), 0.95)):
            found = self._exact(candidate)
            if found:
                name, slots = found
                return Match(text, name, slots, confidence)
        stripped = self._strip_fillers(said)
        if not stripped:
            return Match(text, None)
        return self._numbers(text, stripped) or self._partial(text, stripped)

    # -- steps ----------------------------------------------------------------
    def _exact(self, said: Phrase) -> tuple[str, dict[str, int]] | None:
        if not said:
            return None
        if said in self.exact:
            return self.exact[said]
        numbers = [t for t in said if isinstance(t, int)]
        if self.number_intent is None or not numbers:
            return None
        template = tuple(NUMBER if isinstance(t, int) else t for t in said)
        if template in self.exact:
            name, _ = self.exact[template]
            return self._number_slot(name, numbers, said)
        return None

    def _number_slot(self, name: str, numbers: list[int], said: Phrase) -> tuple[str, dict[str, int]] | None:
        low, high = self.intents.range_of(name)
        # "seven out of ten": the second number is the scale, not an answer.
        if len(numbers) == 2 and numbers[1] == high and self.intents.number.names_the_scale(said):
            numbers = numbers[:1]
        if len(numbers) > 1 and self.intents.intents[name].number_range:
            return None  # "fifteen three" is no age: only a scale is read the cautious way
        if not all(low <= value <= high for value in numbers):
            return None
        # "six or seven": take the higher, the cautious reading of a pain score.
        return name, {"number": max(numbers)}

    def _strip_fillers(self, said: Phrase) -> Phrase:
        result = list(said)
        changed = True
        while changed and result:
            changed = False
            for filler in self.intents.fillers:
                size = len(filler)
                if tuple(result[:size]) == filler and len(result) > size:
                    del result[:size]
                    changed = True
                elif tuple(result[-size:]) == filler and len(result) > size:
                    del result[-size:]
                    changed = True
        if len(result) == 1 and any(tuple(result) == f for f in self.intents.fillers):
            return ()
        return tuple(result)

    def _numbers(self, text: str, said: Phrase) -> Match | None:
        """A number surrounded only by carrier words ("it's about a seven")."""
        if self.number_intent is None:
            return None
        numbers = [t for t in said if isinstance(t, int)]
        if not numbers or len(numbers) > 2:
            return None
        others = [t for t in said if not isinstance(t, int)]
        if any(word not in self.intents.number.carriers for word in others):
            return None
        found = self._number_slot(self.number_intent, numbers, said)
        if not found:
            return None
        return Match(text, found[0], found[1], 0.9 if others else 1.0)

    def _partial(self, text: str, said: Phrase) -> Match:
        """Phrases found inside a longer answer; accepted only when unambiguous."""
        found, covered = self._phrases_inside(said)
        if not found:
            return Match(text, None)
        urgent = [item for item in found if self.intents.intents[item.intent].priority]
        denied = {item.intent for item in urgent if self._negated(said, item)}
        if denied:
            # "don't stop" must not stop, nor mean anything else; but "no pain, and I'm short
            # of breath" is still heard: an intent that outranks every denied one stands.
            urgent = [item for item in urgent if item.intent not in denied
                      and denied <= self.intents.outranks.get(item.intent, frozenset())]
            if not urgent:
                return Match(text, None)
        winner = self._urgent_winner(said, urgent)
        if winner is not None:
            return Match(text, winner.intent, winner.slots, 0.85)
        if denied:
            return Match(text, None)
        return self._one_meaning(text, said, found, covered / len(said), bool(urgent))

    def _phrases_inside(self, said: Phrase) -> tuple[list[_Found], int]:
        """Every phrase inside the words, longest first, none overlapping; and how many words
        they cover."""
        covered = [False] * len(said)
        found: list[_Found] = []
        for phrase in self.by_length:
            size = len(phrase)
            if NUMBER in phrase or phrase in self.intents.exact_only:
                continue
            for start in range(len(said) - size + 1):
                if said[start:start + size] == phrase and not any(covered[start:start + size]):
                    covered[start:start + size] = [True] * size
                    name, slots = self.exact[phrase]
                    found.append(_Found(start, name, slots))
        return found, sum(covered)

    def _urgent_winner(self, said: Phrase, urgent: list[_Found]) -> _Found | None:
        """"no, stop!": a priority intent led only by lead-in words wins outright; of several,
        one that outranks the others heard ("it hurts, and my chest feels tight")."""
        winners = [item for item in sorted(urgent)
                   if self.intents.intents[item.intent].anywhere
                   or all(token in self.intents.lead_ins for token in said[:item.start])]
        if not winners:
            return None
        heard = {item.intent for item in winners}
        return next((item for item in winners
                     if not any(item.intent in self.intents.outranks.get(other, frozenset())
                                for other in heard - {item.intent})), winners[0])

    def _one_meaning(self, text: str, said: Phrase, found: list[_Found], coverage: float,
                     urgent: bool) -> Match:
        """The phrases found, read as one answer only when they all mean the same."""
        names = {item.intent for item in found}
        first = min(found)
        opposed = self.intents.leading.get(first.intent)
        if first.start == 0 and opposed is not None and not names & opposed and not urgent:
            # "yes, in my left arm, for about a week"; "yeah, a little": the first word answers.
            return Match(text, first.intent, first.slots, 0.8)
        for together, meaning in self.intents.combinations:
            if names == together and meaning in self.allowed:
                names = {meaning}
                first = _Found(0, meaning, {})
        if len(names) != 1:
            return Match(text, None)
        if coverage >= 0.5 or (first.start == 0 and len(said) <= 8):
            return Match(text, first.intent, first.slots, round(0.5 + 0.4 * coverage, 3))
        return Match(text, None)

    def _negated(self, said: Phrase, item: _Found) -> bool:
        before = said[:item.start]
        negators = self.intents.negators + self.intents.intents[item.intent].negated_by
        return any(before[-len(neg):] == neg for neg in negators if neg)
