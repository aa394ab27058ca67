"""An answer split into clauses, and what each clause says: the ConText idea, for spoken answers.

"My neck's stiff, but I don't have a temperature" is two statements; a
denial in the second says nothing about the first.  ConText (Harkema et al.
2009, the clinical-NLP standard for negation, experiencer and temporality)
reads each finding within the scope of the cues around it, a scope that ends
at a terminator such as "but".  Here the scope is the clause: an answer is cut
at punctuation, at words that turn it ("but", "though", "except", "just",
"only"), after an opening yes or no ("no I fell" is "no" and "I fell", while
"no fever" stays one clause), and where "and" or "so" starts a new subject
("and my arm tingles").  Each clause is then marked with the cues it holds:
- negated: a negation anywhere before the finding ("my legs aren't weak or
  numb" denies both), "no"/"none"/"nothing" before it, or well-being said of
  it ("my chest is fine", "I feel fine");
- someone else: a relative, a friend, "he"/"she", or "not me";
- hypothetical ("if I bent down", "I would"), hedged ("maybe", "I think");
- a correction ("wait", "actually", "I mean"): what follows replaces what came
  before;
- times, read by `times.py`.
Which findings a clause holds is the lexicon's (`lexicon.py`); the cue words are
data (`answer_reading` in dialogs/intents.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..words import normalise
from .times import Ago, TimeWords


@dataclass(frozen=True)
class ClauseWords:
    """The cue words of one language (`answer_reading` in intents.yaml)."""

    breaks: frozenset[str]  # "but", "though", "just", "only": a new clause starts here
    new_subjects: frozenset[str]  # after "and"/"so": "i", "my", "it" start a new clause
    joiners: frozenset[str]  # "and", "so", "then"
    negations: frozenset[str]  # "not", "dont", "no", "never", "without", "nothing"
    wellbeing: tuple[tuple[str, ...], ...]  # "fine", "ok", "nothing wrong"
    wellbeing_verbs: frozenset[str]  # "is", "feel", "im": "X is fine" denies X
    others: frozenset[str]  # "sister", "mum", "he", "she"
    not_me: tuple[tuple[str, ...], ...]  # "not me", "not mine"
    hypotheticals: tuple[tuple[str, ...], ...]  # "if", "would", "in case"
    hedges: tuple[tuple[str, ...], ...]  # "maybe", "i think", "not sure"
    corrections: tuple[tuple[str, ...], ...]  # "wait", "actually", "i mean"
    answer_words: tuple[tuple[str, ...], ...]  # "no", "yes", "nope": an opening answer
    times: TimeWords
    no_effect: tuple[tuple[str, ...], ...] = ()  # "make no difference": denies the whole clause
    reporting: frozenset[str] = frozenset()  # "my wife says my speech...": about the speaker
    possessive: frozenset[str] = frozenset()  # "my": what follows is the person's
    first: frozenset[str] = frozenset()  # "i", "me"
    ordinals: tuple[str, ...] = ()  # "first", "second": items of a numbered list
    degrees: tuple[tuple[str, ...], ...] = ()  # "a bit": of a symptom a yes, alone a doubt
    contrasts: frozenset[str] = frozenset()  # "but", "except": something follows a no
    # What speech joins to a word for "is" or "has", apostrophe gone: "sister's" -> "sisters"
    clitics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Clause:
    """One clause of an answer and the cues it holds (token positions are the clause's own)."""

    tokens: tuple[str, ...]
    negation_at: int | None  # where the first negation is, if any
    wellbeing: bool  # "is fine", "I feel fine": denies what it is said of
    other_person: bool
    hypothetical: bool
    hedged: bool
    degree: bool  # "a bit", "a little": "I can move it a bit"
    corrects: bool  # opens with a correction: it replaces what came before
    contrasts: bool  # opens with "but", "only", "just": something follows a no
    times: tuple[tuple[int, int, Ago], ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def denies(self, start: int) -> bool:
        """Whether a finding at `start` is in the scope of a negation or of well-being."""
        if self.wellbeing:
            return True
        return self.negation_at is not None and self.negation_at < start

    def time_words(self) -> set[int]:
        return {i for start, end, _ in self.times for i in range(start, end)}


def split(text: str, words: ClauseWords, today: date | None = None) -> list[Clause]:
    """The clauses of an answer, first to last."""
    clauses: list[Clause] = []
    for piece in re.split(r"[,.;:!?\u2014\u2013]+|\s-\s|\s-$", text):
        clauses.extend(_cut(normalise(piece), words))
    return [_mark(tokens, words, today) for tokens in clauses if tokens]


def _cut(tokens: list[str], words: ClauseWords) -> list[list[str]]:
    """One punctuation-free piece cut where it turns (see the module docstring)."""
    coarse: list[list[str]] = []
    start = 0
    for index in range(1, len(tokens)):
        word = tokens[index]
        turns = word in words.breaks or _starts_with(tokens[index:], words.corrections) > 0
        joins = word in words.new_subjects and tokens[index - 1] in words.joiners
        if turns and index > start:
            coarse.append(tokens[start:index])
            start = index
        elif joins and index - 1 > start:
            coarse.append(tokens[start:index - 1])
            start = index
    coarse.append(tokens[start:])
    pieces: list[list[str]] = []
    for piece in coarse:
        lead = _starts_with(piece, words.corrections) or int(bool(piece) and piece[0] in words.breaks)
        body = piece[lead:]
        opening = _starts_with(body, words.answer_words)
        if opening and opening < len(body) and (
                body[opening] in words.new_subjects or body[opening] in words.negations
                or _starts_with(body[opening:], words.answer_words)):
            pieces += [piece[:lead + opening], body[opening:]]  # "no I fell": two clauses
        else:
            pieces.append(piece)
    return [piece for piece in pieces if piece]


def _mark(tokens: list[str], words: ClauseWords, today: date | None) -> Clause:
    times = tuple(words.times.find(tokens, today))
    in_times = {i for start, end, _ in times for i in range(start, end)}
    negation = next((i for i, word in enumerate(tokens)
                     if word in words.negations and i not in in_times), None)
    if _contains(tokens, words.no_effect):
        negation = -1  # "walking fast and stairs make no difference"
    wellbeing = _wellbeing(tokens, words)
    other = (any(_is_other(word, words) for word in tokens)
             and not _reported(tokens, words)) or _contains(tokens, words.not_me)
    return Clause(tuple(tokens), negation, wellbeing, other,
                  _contains(tokens, words.hypotheticals), _contains(tokens, words.hedges),
                  _contains(tokens, words.degrees), _starts_with(tokens, words.corrections) > 0,
                  bool(tokens) and tokens[0] in words.contrasts, times)


def _reported(tokens: list[str], words: ClauseWords) -> bool:
    """"my wife says my speech is slurred": someone else noticed it in the person."""
    for index, word in enumerate(tokens):
        if word in words.reporting:
            return any(w in words.possessive or w in words.first for w in tokens[index + 1:])
    return False


def _is_other(word: str, words: ClauseWords) -> bool:
    """"sister", and "sisters" as speech writes "my sister's got it"."""
    return word in words.others or any(
        word.endswith(clitic) and word[:-len(clitic)] in words.others for clitic in words.clitics)


def _wellbeing(tokens: list[str], words: ClauseWords) -> bool:
    """"my chest is fine", "I feel fine", "all good": well-being said, and not denied."""
    for index in range(len(tokens)):
        for phrase in words.wellbeing:
            if tuple(tokens[index:index + len(phrase)]) != phrase:
                continue
            before = tokens[:index]
            if before and before[-1] in words.negations:
                continue  # "not fine"
            if any(word in words.wellbeing_verbs for word in before) or (before and any(
                    before[-1].endswith(c) and len(before[-1]) - len(c) > 2 for c in words.clitics)):
                return True  # "my chest is fine", "my breathing's fine"
    return False


def _starts_with(tokens: list[str] | tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> int:
    """The length of the longest phrase the tokens open with (0: none)."""
    best = 0
    for phrase in phrases:
        if len(phrase) > best and tuple(tokens[:len(phrase)]) == phrase:
            best = len(phrase)
    return best


def _contains(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(tuple(tokens[i:i + len(p)]) == p for p in phrases if p
               for i in range(len(tokens) - len(p) + 1))
