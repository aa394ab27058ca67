"""Symptom words found in an answer: each flag's words and phrases, matched longest first.

The words are content (each flag's `yes_words`, `except_words` and `routes` in the dialogs);
this is the scan that finds them, with `*` for any ending ("tingl*": tingle, tingling).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..words import normalise
from .model import Mention


@dataclass(frozen=True)
class Pattern:
    """One symptom word or phrase; a word ending in `*` matches any word it starts
    ("tingl*": tingle, tingles, tingling, tingly)."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Pattern:
        return cls(tuple(_pattern_words(text)))

    def matches_at(self, tokens: tuple[str, ...] | list[str], start: int) -> bool:
        if start + len(self.words) > len(tokens):
            return False
        return all(_word_matches(want, tokens[start + i]) for i, want in enumerate(self.words))


def _pattern_words(text: str) -> list[str]:
    words = []
    for raw in text.lower().replace("'", "").split():
        star = raw.endswith("*")
        core = normalise(raw.rstrip("*"))
        words += [*core[:-1], core[-1] + ("*" if star else "")] if core else []
    return words


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


@dataclass(frozen=True)
class Lexicon:
    """Symptom words and phrases, each belonging to one or more flags; `excepted` phrases in
    which a flag's own word does not count ("night sweats" is not sweating with the pain)."""

    entries: tuple[tuple[Pattern, str], ...]
    excepted: tuple[tuple[Pattern, str], ...] = ()
    routing: frozenset[tuple[Pattern, str]] = frozenset()  # bring a flag up, never answer it

    @classmethod
    def of(cls, words_by_key: dict[str, frozenset[str] | tuple[str, ...]],
           except_by_key: dict[str, frozenset[str] | tuple[str, ...]] | None = None,
           routes_by_key: dict[str, frozenset[str] | tuple[str, ...]] | None = None) -> Lexicon:
        routing = [(Pattern.parse(text), key)
                   for key, words in (routes_by_key or {}).items() for text in sorted(words)]
        entries = [(Pattern.parse(text), key)
                   for key, words in words_by_key.items() for text in sorted(words)] + routing
        # Longest first, so "pins and needles" is one mention, not "needles" alone.
        entries.sort(key=lambda entry: -len(entry[0].words))
        excepted = [(Pattern.parse(text), key)
                    for key, words in (except_by_key or {}).items() for text in sorted(words)]
        return cls(tuple(entries), tuple(excepted), frozenset(routing))

    @cached_property
    def _scan(self) -> tuple[_Scan, _Scan, tuple[bool, ...]]:
        """The entries and the excepted phrases indexed by their first word, and whether each
        entry only routes: built once per lexicon, on its first answer, because an answer is
        read against hundreds of phrases and nearly all of them fail on their first word."""
        return (_Scan([pattern for pattern, _ in self.entries]),
                _Scan([pattern for pattern, _ in self.excepted]),
                tuple(entry in self.routing for entry in self.entries))

    def find(self, tokens: tuple[str, ...] | list[str],
             skip: set[int] | frozenset[int] = frozenset()) -> list[Mention]:
        """Every symptom word in the tokens, in order, none on a position in `skip` (time
        words are never symptom words). A longer phrase of a flag hides its shorter words
        ("pins and needles" is one mention), but not another flag's words in it ("new
        headache" is heard for both flags that use "headache").

        Only the phrases whose words are there are visited, in the lexicon's order (longest
        first), so what each one hides is what it hid when every phrase was tried everywhere."""
        entries, excepted, routes = self._scan
        taken: dict[str, list[bool]] = {}
        for index, starts in excepted.hits(tokens):
            pattern, key = self.excepted[index]
            own = taken.setdefault(key, [False] * len(tokens))
            for start in starts:
                own[start:start + len(pattern.words)] = [True] * len(pattern.words)
        found: list[Mention] = []
        for index, starts in entries.hits(tokens):
            pattern, key = self.entries[index]
            size = len(pattern.words)
            own = taken.setdefault(key, [False] * len(tokens))
            for start in starts:
                if any(own[start:start + size]):
                    continue
                if any(i in skip for i in range(start, start + size)):
                    continue
                own[start:start + size] = [True] * size
                found.append(Mention(key, " ".join(tokens[start:start + size]), start,
                                     start + size, routes=routes[index]))
        found.sort(key=lambda m: (m.start, m.key))
        return found


class _Scan:
    """Patterns indexed by their first word: a whole word looked up, a word ending in `*` by
    each length of prefix the patterns use, so a token meets only the patterns it can start."""

    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns
        self.whole: dict[str, list[int]] = {}
        self.prefixed: dict[str, list[int]] = {}
        self.empty: list[int] = []  # no words at all: found at every position, as before
        for index, pattern in enumerate(patterns):
            if not pattern.words:
                self.empty.append(index)
            elif pattern.words[0].endswith("*"):
                self.prefixed.setdefault(pattern.words[0][:-1], []).append(index)
            else:
                self.whole.setdefault(pattern.words[0], []).append(index)
        self.lengths = sorted({len(prefix) for prefix in self.prefixed})

    def hits(self, tokens: tuple[str, ...] | list[str]) -> list[tuple[int, list[int]]]:
        """Each pattern found, by its index, with where it starts, both in ascending order."""
        starts: dict[int, list[int]] = {index: list(range(len(tokens) + 1)) for index in self.empty}
        for start, token in enumerate(tokens):
            candidates = list(self.whole.get(token, ()))
            for length in self.lengths:
                if length > len(token):
                    break
                candidates += self.prefixed.get(token[:length], ())
            for index in candidates:
                if self.patterns[index].matches_at(tokens, start):
                    starts.setdefault(index, []).append(start)
        return sorted(starts.items())
