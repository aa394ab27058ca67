"""Turning what the user said into an intent, from phrase data alone.

The matcher never guesses: an utterance that fits no phrase, or fits phrases
of two different intents ("yes ... no"), gives no intent, and the dialog
reprompts.  All phrases, fillers and contexts come from `dialogs/intents.yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.placeholders import fill
from ..content.schema import Fields
from ..content.yamlsource import ContentError, Where, load_yaml
from .numbers import read_numbers
from .words import normalise

if TYPE_CHECKING:
    from .clauses import ClauseWords

NUMBER = "{number}"
Token = int | str


@dataclass(frozen=True)
class Intent:
    """One thing a user can mean, with every way of saying it."""

    name: str
    say: str
    phrases: tuple[str, ...]
    slot_phrases: tuple[tuple[str, int], ...] = ()
    priority: bool = False
    negated_by: tuple[tuple[Token, ...], ...] = ()
    anywhere: bool = False
    spoken: tuple[str, ...] = ()  # the subset a speech grammar listens for
    in_help: bool = True  # named when help says what can be said
    number_range: tuple[int, int] | None = None  # its own range for `{number}` (an age)


@dataclass(frozen=True)
class Match:
    """The matcher's answer: an intent with its slots, or intent None (not understood)."""

    text: str
    intent: str | None
    slots: dict[str, int] = field(default_factory=dict)
    confidence: float = 0.0

    def as_json(self) -> dict:
        return {"text": self.text, "intent": self.intent, "slots": dict(self.slots),
                "confidence": round(self.confidence, 3)}


def _tokens(text: str) -> tuple[Token, ...]:
    """Normalised tokens with numbers read; the `{number}` slot becomes the token NUMBER."""
    if NUMBER in text:
        parts = text.split(NUMBER)
        result: list[Token] = []
        for index, part in enumerate(parts):
            result.extend(read_numbers(normalise(part)))
            if index < len(parts) - 1:
                result.append(NUMBER)
        return tuple(result)
    return tuple(read_numbers(normalise(text)))


@dataclass(frozen=True)
class Wording:
    """How the help joins the content's words into sentences, in the content's language
    (`wording` in intents.yaml)."""

    list_or: str  # "a, b, or c"
    help: str  # "You can say {choices}."
    help_any_time: str  # "At any time you can also say {choices}."


@dataclass
class IntentSet:
    """All intents, fillers and contexts of one intents.yaml."""

    intents: dict[str, Intent]
    contexts: dict[str, tuple[str, ...]]
    fillers: tuple[tuple[Token, ...], ...]
    negators: tuple[tuple[Token, ...], ...]
    number_range: tuple[int, int]
    number_carriers: frozenset[str]
    exact_only: frozenset[tuple[Token, ...]] = frozenset()
    lead_ins: frozenset[Token] = frozenset()
    combinations: tuple[tuple[frozenset[str], str], ...] = ()
    source: str = ""
    # Per context: phrases of the global intents that do not count there.
    excluded: dict[str, frozenset[tuple[Token, ...]]] = field(default_factory=dict)
    # Per context: a word a recogniser writes -> the answer it sounds like ("for" -> "four").
    sound_alikes: dict[str, dict[str, str]] = field(default_factory=dict)
    # An intent that decides an answer it starts, unless one of these other intents is in it too.
    leading: dict[str, frozenset[str]] = field(default_factory=dict)
    # How an answer to a warning-sign question is read (`answer_reading`; see answers.py).
    reading: ClauseWords | None = None  # None: the file asks no warning-sign questions
    first_person: frozenset[str] = frozenset()
    wording: Wording = field(default_factory=lambda: Wording("", "", ""))
    # A priority intent that wins over these others when both are heard (`outranks`).
    outranks: dict[str, frozenset[str]] = field(default_factory=dict)
    _matchers: dict[str, Matcher] = field(default_factory=dict, repr=False, compare=False)

    def context_intents(self, context: str) -> tuple[str, ...]:
        """The intents heard in a context: its own first, then the global ones."""
        if context not in self.contexts or context == "global":
            raise KeyError(f"unknown context {context!r}; known: {', '.join(self.context_names())}")
        own = self.contexts[context]
        return own + tuple(name for name in self.contexts.get("global", ()) if name not in own)

    def range_of(self, intent: str) -> tuple[int, int]:
        """The numbers an intent's `{number}` slot takes: its own range, else the slot's."""
        return self.intents[intent].number_range or self.number_range

    def number_intent(self, context: str) -> str | None:
        """The intent of a context whose phrases take a number (the pain score, an age)."""
        return next((name for name in self.context_intents(context)
                     if any(NUMBER in phrase for phrase in self.intents[name].phrases)), None)

    def context_names(self) -> list[str]:
        return [name for name in self.contexts if name != "global"]

    def phrases_for(self, context: str) -> dict[str, list[str]]:
        """Every phrase per intent in a context (number templates kept as `{number}`)."""
        result: dict[str, list[str]] = {}
        for name in self.context_intents(context):
            intent = self.intents[name]
            result[name] = list(intent.phrases) + [text for text, _ in intent.slot_phrases]
        return result

    def spoken_for(self, context: str) -> dict[str, list[str]]:
        """The phrases a speech recogniser listens for in a context, per intent."""
        return {name: list(self.intents[name].spoken or self.intents[name].phrases)
                for name in self.context_intents(context)}

    def help_text(self, context: str, general: bool = True) -> str:
        """What can be said right now, built from the same data the matcher uses (`general`:
        with the commands that work at any time)."""
        own = [self.intents[name].say for name in self.contexts[context] if self.intents[name].in_help]
        others = [self.intents[name].say for name in self.contexts.get("global", ())
                  if name not in self.contexts[context]]
        words = self.wording
        sentence = fill(words.help, choices=spoken_list(own, words.list_or))
        if general and others:
            sentence += " " + fill(words.help_any_time, choices=spoken_list(others, words.list_or))
        return sentence

    def match(self, text: str, context: str) -> Match:
        return self.matcher(context).match(text)

    def matcher(self, context: str) -> Matcher:
        """The matcher of a context, built once (building one takes milliseconds)."""
        if context not in self._matchers:
            self._matchers[context] = Matcher(self, context)
        return self._matchers[context]


def spoken_list(items: list[str], conjunction: str) -> str:
    """"a, b, or c", in the content's word for "or" (or "and")."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


class Matcher:
    """Matches utterances against the phrases of one context."""

    def __init__(self, intents: IntentSet, context: str):
        self.intents = intents
        self.context = context
        self.allowed = intents.context_intents(context)
        self.sound_alikes = intents.sound_alikes.get(context, {})
        excluded = intents.excluded.get(context, frozenset())
        self.exact: dict[tuple[Token, ...], tuple[str, dict[str, int]]] = {}
        for name in self.allowed:
            intent = intents.intents[name]
            for phrase in intent.phrases:
                if _tokens(phrase) not in excluded:
                    self.exact[_tokens(phrase)] = (name, {})
            for phrase, value in intent.slot_phrases:
                self.exact[_tokens(phrase)] = (name, {"number": value})
        # Longest phrases first, so "not sure" wins over "sure".
        self.by_length = sorted(self.exact, key=len, reverse=True)
        # The one intent of this context that takes a number ("number" on the pain scale).
        self.number_intent = intents.number_intent(context)
        self.listens_for_numbers = self.number_intent is not None

    # -- public ---------------------------------------------------------------
    def match(self, text: str) -> Match:
        words = normalise(text)
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
        tokens = tuple(read_numbers(words))
        if not tokens:
            return Match(text, None)
        for candidate, confidence in ((tokens, 1.0), (self._strip_fillers(tokens), 0.95)):
            found = self._exact(candidate)
            if found:
                name, slots = found
                return Match(text, name, slots, confidence)
        stripped = self._strip_fillers(tokens)
        if not stripped:
            return Match(text, None)
        return self._numbers(text, stripped) or self._partial(text, stripped)

    # -- steps ----------------------------------------------------------------
    def _exact(self, tokens: tuple[Token, ...]) -> tuple[str, dict[str, int]] | None:
        if not tokens:
            return None
        if tokens in self.exact:
            return self.exact[tokens]
        if not self.listens_for_numbers:
            return None
        numbers = [t for t in tokens if isinstance(t, int)]
        if not numbers:
            return None
        template = tuple(NUMBER if isinstance(t, int) else t for t in tokens)
        if template in self.exact:
            name, _ = self.exact[template]
            return self._number_slot(name, numbers, tokens)
        return None

    def _number_slot(
        self, name: str, numbers: list[int], tokens: tuple[Token, ...]
    ) -> tuple[str, dict[str, int]] | None:
        low, high = self.intents.range_of(name)
        # "seven out of ten": the second number is the scale, not an answer.
        if len(numbers) == 2 and "out" in tokens and numbers[1] == high:
            numbers = numbers[:1]
        if len(numbers) > 1 and self.intents.intents[name].number_range:
            return None  # "fifteen three" is no age: only a scale is read the cautious way
        if not all(low <= value <= high for value in numbers):
            return None
        # "six or seven": take the higher, the cautious reading of a pain score.
        return name, {"number": max(numbers)}

    def _strip_fillers(self, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
        result = list(tokens)
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

    def _numbers(self, text: str, tokens: tuple[Token, ...]) -> Match | None:
        """A number surrounded only by carrier words ("it's about a seven")."""
        if not self.listens_for_numbers:
            return None
        numbers = [t for t in tokens if isinstance(t, int)]
        if not numbers or len(numbers) > 2:
            return None
        others = [t for t in tokens if not isinstance(t, int)]
        if any(word not in self.intents.number_carriers for word in others):
            return None
        found = self._number_slot(self.number_intent or "number", numbers, tokens)
        if not found:
            return None
        return Match(text, found[0], found[1], 0.9 if others else 1.0)

    def _partial(self, text: str, tokens: tuple[Token, ...]) -> Match:
        """Phrases found inside a longer answer; accepted only when unambiguous."""
        covered = [False] * len(tokens)
        found: list[tuple[int, str, dict[str, int]]] = []
        for phrase in self.by_length:
            size = len(phrase)
            if NUMBER in phrase or phrase in self.intents.exact_only:
                continue
            for start in range(len(tokens) - size + 1):
                if tokens[start:start + size] == phrase and not any(covered[start:start + size]):
                    covered[start:start + size] = [True] * size
                    name, slots = self.exact[phrase]
                    found.append((start, name, slots))
        if not found:
            return Match(text, None)
        urgent = [item for item in found if self.intents.intents[item[1]].priority]
        denied = {name for start, name, _ in urgent if self._negated(tokens, start, name)}
        if denied:
            # "don't stop" must not stop, nor mean anything else; but "no pain, and I'm short
            # of breath" is still heard: an intent that outranks every denied one stands.
            urgent = [item for item in urgent if item[1] not in denied
                      and denied <= self.intents.outranks.get(item[1], frozenset())]
            if not urgent:
                return Match(text, None)
        # "no, stop!": a priority intent led only by lead-in words wins outright.
        winners = [item for item in sorted(urgent)
                   if self.intents.intents[item[1]].anywhere
                   or all(token in self.intents.lead_ins for token in tokens[:item[0]])]
        if winners:
            # "it hurts, and my chest feels tight": an intent heard wins over those it outranks.
            heard = {name for _, name, _ in winners}
            start, name, slots = next(
                (item for item in winners
                 if not any(item[1] in self.intents.outranks.get(other, frozenset())
                            for other in heard - {item[1]})), winners[0])
            return Match(text, name, slots, 0.85)
        if denied:
            return Match(text, None)
        names = {name for _, name, _ in found}
        start, lead, slots = min(found)
        opposed = self.intents.leading.get(lead)
        if start == 0 and opposed is not None and not names & opposed and not urgent:
            # "yes, in my left arm, for about a week"; "yeah, a little": the first word answers.
            return Match(text, lead, slots, 0.8)
        for together, meaning in self.intents.combinations:
            if names == together and meaning in self.allowed:
                names = {meaning}
                found = [(0, meaning, {})]
        if len(names) != 1:
            return Match(text, None)
        coverage = sum(covered) / len(tokens)
        first = min(start for start, _, _ in found)
        if coverage >= 0.5 or (first == 0 and len(tokens) <= 8):
            start, name, slots = min(found)
            return Match(text, name, slots, round(0.5 + 0.4 * coverage, 3))
        return Match(text, None)

    def _negated(self, tokens: tuple[Token, ...], start: int, name: str) -> bool:
        before = tokens[:start]
        negators = self.intents.negators + self.intents.intents[name].negated_by
        return any(before[-len(neg):] == neg for neg in negators if neg)


# -- loading ------------------------------------------------------------------

def load_intents(path: Path | str, terms: Mapping[str, str] | None = None) -> IntentSet:
    """Read and validate an intents.yaml (errors name file, line and field)."""
    doc = Fields(load_yaml(path, terms=terms), "", Where(str(path), 1))
    fillers = tuple(_tokens(text) for text in doc.text_list("fillers", []))
    negators = tuple(_tokens(text) for text in doc.text_list("negators", []))
    low, high, carriers = 0, 10, frozenset()
    if doc.has("slots"):
        slots = doc.mapping("slots")
        number = slots.mapping("number")
        low = number.integer("min")
        high = number.integer("max", minimum=low)
        carriers = frozenset(number.text_list("carriers", []))
        number.done()
        slots.done()

    intents: dict[str, Intent] = {}
    table = doc.mapping("intents")
    for name in table.keys():
        item = table.mapping(name)
        own_range = None
        if item.has("range"):
            bounds = item.mapping("range")
            own_low = bounds.integer("min", minimum=0)
            own_range = (own_low, bounds.integer("max", minimum=own_low, maximum=99))
            bounds.done()
        slot_phrases = []
        for entry in item.items("slot_phrases", []):
            slot_phrases.append((entry.text("phrase"), entry.integer("number", minimum=low,
                                                                     maximum=high)))
            entry.done()
        phrases = item.text_list("phrases")
        if not phrases and not slot_phrases:
            raise item.error("phrases", "an intent needs at least one phrase")
        intents[name] = Intent(
            name=name, say=item.text("say"), phrases=tuple(phrases),
            slot_phrases=tuple(slot_phrases), priority=item.boolean("priority", False),
            anywhere=item.boolean("anywhere", False),
            spoken=tuple(item.text_list("spoken", [])), in_help=item.boolean("in_help", True),
            negated_by=tuple(_tokens(t) for t in item.text_list("negated_by", [])),
            number_range=own_range)
        known = {_tokens(p) for p in phrases} | {_tokens(p) for p, _ in slot_phrases}
        for phrase in intents[name].spoken:
            if _tokens(phrase) not in known:
                raise item.error("spoken", f"{phrase!r} is not one of this intent's phrases")
        item.done()

    contexts: dict[str, tuple[str, ...]] = {}
    context_table = doc.mapping("contexts")
    for name in context_table.keys():
        members = context_table.text_list(name)
        for member in members:
            if member not in intents:
                raise context_table.error(name, f"unknown intent {member!r}")
        contexts[name] = tuple(members)
    exact_only = frozenset(_tokens(t) for t in doc.text_list("exact_only", []))
    lead_ins = frozenset(token for t in doc.text_list("lead_ins", []) for token in _tokens(t))
    excluded: dict[str, frozenset[tuple[Token, ...]]] = {}
    exclusions = doc.mapping("not_in_context") if doc.has("not_in_context") else None
    for name in _context_keys(exclusions, contexts):
        excluded[name] = frozenset(_tokens(t) for t in exclusions.text_list(name))  # type: ignore[union-attr]
    sound_alikes: dict[str, dict[str, str]] = {}
    if doc.has("sound_alikes"):
        table = doc.mapping("sound_alikes")
        for name in _context_keys(table, contexts):
            meanings = table.mapping(name)
            swaps: dict[str, str] = {}
            for meant in meanings.keys():
                for heard in meanings.text_list(meant):
                    if len(normalise(heard)) != 1 or len(normalise(meant)) != 1:
                        raise meanings.error(meant, "sound-alikes are single words")
                    swaps[normalise(heard)[0]] = normalise(meant)[0]
            meanings.done()
            sound_alikes[name] = swaps
    leading: dict[str, frozenset[str]] = {}
    if doc.has("leading"):
        table = doc.mapping("leading")
        for name in table.keys():
            unless = table.text_list(name)
            for other in [name, *unless]:
                if other not in intents:
                    raise table.error(name, f"unknown intent {other!r}")
            leading[name] = frozenset(unless)
    outranks: dict[str, frozenset[str]] = {}
    if doc.has("outranks"):
        table = doc.mapping("outranks")
        for name in table.keys():
            beaten = table.text_list(name)
            for other in [name, *beaten]:
                if other not in intents:
                    raise table.error(name, f"unknown intent {other!r}")
                if not intents[other].priority:
                    raise table.error(name, f"{other!r} is not a priority intent; only those "
                                      "are weighed against each other")
            outranks[name] = frozenset(beaten)
        for name, beaten in outranks.items():
            for other in beaten:
                if name in outranks.get(other, frozenset()):
                    raise table.error(name, f"{name!r} and {other!r} outrank each other")
    combinations = []
    for entry in doc.items("combinations", []):
        together = entry.text_list("intents")
        meaning = entry.text("means")
        for name in [*together, meaning]:
            if name not in intents:
                raise entry.error("intents", f"unknown intent {name!r}")
        combinations.append((frozenset(together), meaning))
        entry.done()
    # Optional for a file that asks no yes/no questions; the dialog content requires it.
    reading, first_person = None, frozenset[str]()
    if doc.has("answer_reading"):
        from .readingload import read_reading

        table = doc.mapping("answer_reading")
        reading, first_person = read_reading(table)
        table.done()
    wording = _read_wording(doc.mapping("wording"))
    doc.done()

    result = IntentSet(intents, contexts, fillers, negators, (low, high), carriers,
                       exact_only, lead_ins, tuple(combinations), str(path), excluded, sound_alikes,
                       leading, reading, first_person, wording, outranks=outranks)
    _check_no_phrase_clash(result, context_table)
    if exclusions is not None:
        _check_exclusions(result, exclusions)
    return result


def _read_wording(table: Fields) -> Wording:
    wording = Wording(table.text("list_or"), table.text("help"), table.text("help_any_time"))
    for key in ("help", "help_any_time"):
        if "{choices}" not in getattr(wording, key):
            raise table.error(key, "say where the things one can say go: {choices}")
    table.done()
    return wording


def _context_keys(table: Fields | None, contexts: dict[str, tuple[str, ...]]) -> list[str]:
    """The keys of a per-context table, each a real context (not `global`)."""
    if table is None:
        return []
    for name in table.keys():
        if name not in contexts or name == "global":
            raise table.error(name, f"unknown context {name!r}")
    return table.keys()


def _check_exclusions(intents: IntentSet, table: Fields) -> None:
    """A phrase taken out of a context must be one the context would otherwise hear."""
    for context in intents.excluded:
        heard = {_tokens(p) for phrases in intents.phrases_for(context).values() for p in phrases}
        for phrase in table.text_list(context):
            if _tokens(phrase) not in heard:
                raise table.error(context, f"{phrase!r} is not a phrase heard in {context}")


def _check_no_phrase_clash(intents: IntentSet, context_table: Fields) -> None:
    """A phrase that means two intents in one context would make the matcher guess."""
    for context in intents.context_names():
        owner: dict[tuple[Token, ...], str] = {}
        for name, phrases in intents.phrases_for(context).items():
            for phrase in phrases:
                key = _tokens(phrase)
                if key in owner and owner[key] != name:
                    raise ContentError(
                        context_table.at(context), f"contexts.{context}",
                        f"phrase {phrase!r} belongs to both {owner[key]!r} and {name!r}")
                owner[key] = name
