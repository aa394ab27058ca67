"""The intents of one intents.yaml as data: what each can mean, where it is heard, and what
the matcher answers.

The model names no matching algorithm: `match.py` reads the model, so the model cannot read
`match.py` back (the floor plan forbids import cycles).  The loader, which knows both, hands
each set the way to build a context's matcher (`new_matcher`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..numbers import NumberWords
from .help import Wording, help_text

if TYPE_CHECKING:
    from ..answers.clauses import ClauseWords

NUMBER = "{number}"
# In a list of intents (a context of intents.yaml, a start's `include` in assistant.yaml): every
# routine asked for by name, in the routine book's order. Their intents come from routines.yaml
# (`asked_for`), so a routine added there is heard wherever this stands, with no list to edit.
ROUTINES_BY_NAME = "routines_by_name"
Token = int | str
Phrase = tuple[Token, ...]  # normalised words, numbers read, `{number}` kept as NUMBER


@dataclass(frozen=True)
class Intent:
    """One thing a user can mean, with every way of saying it."""

    name: str
    say: str
    phrases: tuple[str, ...]
    slot_phrases: tuple[tuple[str, int], ...] = ()
    priority: bool = False
    negated_by: tuple[Phrase, ...] = ()
    anywhere: bool = False
    spoken: tuple[str, ...] = ()  # the subset a speech grammar listens for
    in_help: bool = True  # named when help says what can be said
    number_range: tuple[int, int] | None = None  # its own range for `{number}` (an age)
    routine: str | None = None  # the routine it asks for by name (routines.yaml `asked_for`)


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


@dataclass(frozen=True)
class NumberSlot:
    """The `{number}` slot (`slots.number`), in the content's language.

    `out_of` holds the content's words for a score given with its scale ("seven out of
    ten"): with them the second number is the scale, not a second answer, and a written
    "7/10" is read as the first of them.  Data, so that another language can say it.
    """

    low: int = 0
    high: int = 10
    carriers: frozenset[str] = frozenset()  # may stand round a number ("it's about a seven")
    out_of: tuple[tuple[str, ...], ...] = ()  # normalised words: ("out", "of")

    def names_the_scale(self, tokens: Sequence[Token]) -> bool:
        """Whether the words hold one of the ways of saying "out of"."""
        return any(_holds(tokens, words) for words in self.out_of)


def _holds(tokens: Sequence[Token], words: tuple[str, ...]) -> bool:
    size = len(words)
    return any(tuple(tokens[start:start + size]) == words for start in range(len(tokens) - size + 1))


class ContextMatcher(Protocol):
    """What the set asks of the matcher of one context (`match.Matcher`)."""

    def match(self, text: str) -> Match: ...


@dataclass(kw_only=True)
class IntentSet:
    """All intents, fillers and contexts of one intents.yaml."""

    intents: dict[str, Intent]
    contexts: dict[str, tuple[str, ...]]
    wording: Wording
    new_matcher: Callable[[IntentSet, str], ContextMatcher]  # see the module's docstring
    # The content's number words ("twenty one" <-> 21), held here so that every phrase, answer
    # and grammar read with these intents is read in the language of the content they came with.
    number_words: NumberWords
    number: NumberSlot = field(default_factory=NumberSlot)
    fillers: tuple[Phrase, ...] = ()
    negators: tuple[Phrase, ...] = ()
    exact_only: frozenset[Phrase] = frozenset()
    lead_ins: frozenset[Token] = frozenset()
    combinations: tuple[tuple[frozenset[str], str], ...] = ()
    source: str = ""
    # Per context: phrases of the global intents that do not count there.
    excluded: dict[str, frozenset[Phrase]] = field(default_factory=dict)
    # Per context: a word a recogniser writes -> the answer it sounds like ("for" -> "four").
    sound_alikes: dict[str, dict[str, str]] = field(default_factory=dict)
    # An intent that decides an answer it starts, unless one of these other intents is in it too.
    leading: dict[str, frozenset[str]] = field(default_factory=dict)
    # How an answer to a warning-sign question is read (`answer_reading`; see understanding/answers/).
    reading: ClauseWords | None = None  # None: the file asks no warning-sign questions
    first_person: frozenset[str] = frozenset()
    # A priority intent that wins over these others when both are heard (`outranks`).
    outranks: dict[str, frozenset[str]] = field(default_factory=dict)
    _matchers: dict[str, ContextMatcher] = field(default_factory=dict, init=False, repr=False,
                                                 compare=False)

    def context_intents(self, context: str) -> tuple[str, ...]:
        """The intents heard in a context: its own first, then the global ones."""
        if context not in self.contexts or context == "global":
            raise KeyError(f"unknown context {context!r}; known: {', '.join(self.context_names())}")
        own = self.contexts[context]
        return own + tuple(name for name in self.contexts.get("global", ()) if name not in own)

    def range_of(self, intent: str) -> tuple[int, int]:
        """The numbers an intent's `{number}` slot takes: its own range, else the slot's."""
        return self.intents[intent].number_range or (self.number.low, self.number.high)

    def number_intent(self, context: str) -> str | None:
        """The intent of a context whose phrases take a number (the pain score, an age)."""
        return next((name for name in self.context_intents(context)
                     if any(NUMBER in phrase for phrase in self.intents[name].phrases)), None)

    def routines_by_name(self, context: str | None = None) -> dict[str, str]:
        """Intent -> routine id, for every intent that asks for a routine by name (in `context`,
        or anywhere): what a choice's `routine_options` sends on, and the routine it plays."""
        names = self.intents if context is None else self.context_intents(context)
        return {name: routine for name in names if (routine := self.intents[name].routine)}

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
        return help_text(self.wording, own, others if general else [])

    def match(self, text: str, context: str) -> Match:
        return self.matcher(context).match(text)

    def matcher(self, context: str) -> ContextMatcher:
        """The matcher of a context, built once (building one takes milliseconds)."""
        if context not in self._matchers:
            self._matchers[context] = self.new_matcher(self, context)
        return self._matchers[context]
