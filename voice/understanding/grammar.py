"""Speech grammars per dialog context, built from the intent phrases.

The recognisers listen only for what the current context can mean, and the
phrases come from `dialogs/intents.yaml`, the file the text matcher uses, so
what can be heard and what can be understood never drift apart.  Number slots
are spelt out ("{number} out of {number}" becomes "seven out of ten"; which words between
two slots name the scale is the content's `slots.number.out_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .intents.model import NUMBER, IntentSet
from .numbers import NumberWords
from .words import normalise


def expand(phrase: str, low: int, high: int, out_of: Collection[tuple[str, ...]] = (), *,
           number_words: NumberWords) -> list[str]:
    """Spell out number slots in `number_words` (the intents' own: `IntentSet.number_words`):
    one slot takes every value; two take neighbours ("six or seven"), or each value and the
    top of the scale when the words between them are one of `out_of`."""
    to_words = number_words.to_words
    slots = phrase.count(NUMBER)
    if slots == 0:
        return [" ".join(normalise(phrase))]
    values = range(low, high + 1)
    if slots == 1:
        return [" ".join(normalise(phrase.replace(NUMBER, to_words(v)))) for v in values]
    if slots == 2:
        if tuple(normalise(phrase.split(NUMBER)[1])) in out_of:
            pairs = [(v, high) for v in values]
        else:
            pairs = [(v, v + 1) for v in values if v + 1 <= high]
        result = []
        for first, second in pairs:
            text = phrase.replace(NUMBER, to_words(first), 1).replace(NUMBER, to_words(second), 1)
            result.append(" ".join(normalise(text)))
        return result
    raise ValueError(f"at most two number slots are supported: {phrase!r}")


def context_phrases(intents: IntentSet, context: str,
                    known: Callable[[str], bool] | None = None) -> dict[str, str]:
    """Spoken phrase -> intent for one context, from each intent's `spoken` list.

    The speech grammar is deliberately smaller than what the text matcher
    accepts: every extra path through a grammar is one more way for noise or
    another word to sound like an answer.  Phrases with words the recogniser
    cannot pronounce are skipped.
    """
    result: dict[str, str] = {}
    for name, phrases in intents.spoken_for(context).items():
        low, high = intents.range_of(name)
        for phrase in phrases:
            for spoken in expand(phrase, low, high, intents.number.out_of,
                                 number_words=intents.number_words):
                words = spoken.split()
                if not words or (known and not all(known(word) for word in words)):
                    continue
                result.setdefault(spoken, name)
    return result


def vosk_grammar(phrases: list[str]) -> list[str]:
    """The JSON list vosk takes, always with [unk] so out-of-grammar speech has somewhere to go."""
    return sorted(set(phrases)) + ["[unk]"]


def jsgf(phrases: list[str], spell: Callable[[str], str] = lambda word: word,
         name: str = "answers") -> str:
    """A JSGF grammar with one public rule of alternatives."""
    alternatives = sorted({" ".join(spell(word) for word in phrase.split()) for phrase in phrases})
    body = " | ".join(alternatives)
    return f"#JSGF V1.0;\ngrammar {name};\npublic <{name}> = {body};\n"
