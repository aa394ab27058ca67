"""Number words and digits, both ways, in the content's language.

Answers on the pain scale arrive as "7", "seven" or "seven out of ten", from a keyboard or
from a recogniser that only ever writes words; the grammar builders need the other direction
(6 -> "six").  No language is written here: the words are the Unicode CLDR's spell-out rules
(unicode-rbnf, the library hassil and speech-to-phrase spell numbers with) for the language
the content is written in (`language` in dialogs/assistant.yaml), and dialogs/numbers.yaml
adds the words people use that those rules do not give ("nought").  Reading is the same
table turned round, so whatever is spelt can be read back.

The words are a value loaded with the content (`load_number_words`, from the folder the rest
of it is read from) and travel with it: the intents (`IntentSet.number_words`), the routine
book and the times read from answers each hold the ones of the content they belong to, so two
contents in one process (the shipped one and an edited copy in another language) never
share them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from unicode_rbnf import RbnfEngine

from ..content.schema import Fields
from ..content.yamlsource import Where, load_yaml
from .words import normalise

# What is spelt and read as words: every number the dialogs ask for or say (a pain score, an
# age, an item of a list, a count of repetitions) is below 100.
SPELT = range(100)
LANGUAGE_FILE = "assistant.yaml"  # its `language` is the language the content is written in
NUMBERS_FILE = "numbers.yaml"


Phrase = tuple[str, ...]  # a number as the words a recogniser writes: ("twenty", "one")


@dataclass(frozen=True)
class NumberWords:
    """One language's numbers both ways, made once from the language and held by whoever
    spells or reads: a value, so two contents in two languages never share a table."""

    language: str  # the CLDR rules' name for it ("en")
    spelt: tuple[str, ...]  # each value of SPELT as its words, space between ("twenty one")
    # Every way a value is said, by its first word, the longest first: each of the rules' forms
    # (a language may have several: "eins", "ein", "eine") and the content's own ("nought").
    by_first: Mapping[str, tuple[tuple[Phrase, int], ...]]

    @classmethod
    def for_language(cls, language: str, also: Mapping[str, int] | None = None) -> NumberWords:
        """The table for a language tag ("en-us", "en_GB", "de"): the country's own rules
        where CLDR has them, else the language's. ValueError for a language it has none for."""
        engine = RbnfEngine.for_language(_rules_for(language))
        spelt: list[str] = []
        phrases: dict[Phrase, int] = {}
        for value in SPELT:
            result = engine.format_number(value)
            spelt.append(" ".join(normalise(result.text)))
            for form in (result.text, *result.text_by_ruleset.values()):
                phrases.setdefault(tuple(normalise(form)), value)
        for words, value in (also or {}).items():
            if value not in SPELT:
                raise ValueError(f"{words!r} is {value}, outside {SPELT.start}..{SPELT.stop - 1}")
            phrases.setdefault(tuple(normalise(words)), value)
        by_first: dict[str, list[tuple[Phrase, int]]] = {}
        for phrase, value in sorted(phrases.items(), key=lambda item: -len(item[0])):
            if phrase:
                by_first.setdefault(phrase[0], []).append((phrase, value))
        return cls(engine.language, tuple(spelt),
                   {first: tuple(found) for first, found in by_first.items()})

    def to_words(self, value: int) -> str:
        """`value` as words, lower case, space between them ("twenty one")."""
        if value not in SPELT:
            raise ValueError(f"only {SPELT.start}..{SPELT.stop - 1} can be spelt, got {value}")
        return self.spelt[value]

    def read(self, tokens: Sequence[str]) -> list[int | str]:
        """Replace number words and digit strings by ints, the longest phrase first, so
        "twenty one" is 21, not 20 and 1; digits never join words ("20 one" stays two)."""
        result: list[int | str] = []
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.isdecimal():
                result.append(int(token))
                index += 1
                continue
            for phrase, value in self.by_first.get(token, ()):
                if tuple(tokens[index:index + len(phrase)]) == phrase:
                    result.append(value)
                    index += len(phrase)
                    break
            else:
                result.append(token)
                index += 1
        return result


def _rules_for(language: str) -> str:
    """The CLDR rule set for a language tag: "en-us" has no rules of its own, so "en"."""
    base, _, country = language.replace("-", "_").partition("_")
    supported = RbnfEngine.get_supported_languages()
    for code in (f"{base.lower()}_{country.upper()}", base.lower()):
        if code in supported:
            return code
    raise ValueError(f"there are no number words for {language!r}")


def load_number_words(folder: Path) -> NumberWords:
    """The number words of the content in `folder`: its language, and numbers.yaml's `also`
    (words people say for a number that the rules do not give). A mistake names file, line
    and field."""
    language_path = folder / LANGUAGE_FILE
    language_doc = Fields(load_yaml(language_path), "", Where(str(language_path), 1))
    language = language_doc.text("language")  # the rest of the file is the skill's
    path = folder / NUMBERS_FILE
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    also_fields = doc.mapping("also")
    also: dict[str, int] = {}
    for words in also_fields.keys():
        if not normalise(words):
            raise also_fields.error(words, "give a word")
        also[words] = also_fields.integer(words, minimum=SPELT.start, maximum=SPELT.stop - 1)
    try:
        return NumberWords.for_language(language, also)
    except ValueError as error:
        raise language_doc.error("language", str(error)) from None
