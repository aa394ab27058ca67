"""What an answer to a warning-sign question means: yes, no or unsure, and what else was said.

People answer in sentences.  "No, I just feel sick" to "are you sweating?" is
not a no: it carries a symptom.  On a red-flag question (a single question, an
"any of these?" list, the check after the lists, a grade) an answer that
carries content is never a firm no:
- a "no" that carries a symptom word (any flag's `yes_words`: "no, just
  nauseous"), or a hedge ("but", "just", "only", "except"), is unsure;
- a "no" qualified in time ("not at the moment", "not any more", "not this
  week") is unsure, unless the question itself asks about right now;
- on a compound question ("a rash, and feel very unwell?") a yes with a
  hedge ("I have a rash but I feel fine") is unsure;
- a "no" followed by words that mean nothing here, and a doubt inside a
  longer answer ("I can move it a bit"), are unsure, not "not understood";
and every symptom word heard, of any flag, is reported as a mention, so a
volunteered symptom is asked about even when it answers another question.

A symptom word after a negation close before it ("I didn't fall", "no chest
pain") is not a mention.  The words themselves are data: each flag's
`yes_words` (dialogs/triage.yaml) and the hedges, time qualifiers and
negations of `answer_reading` (dialogs/intents.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .intents import IntentSet, normalise

NEGATION_REACH = 2  # words before a symptom word in which a negation still denies it
COORDINATION_REACH = 3  # "no chest pain or tightness": a denial carries across "or"/"and"


class Answer(str, Enum):
    """A red-flag answer. UNRESOLVED never came clear after asking again; it counts as yes."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    UNRESOLVED = "unresolved"

    @property
    def raises(self) -> bool:
        """Whether this answer raises the flag (an unclear answer does, to be safe)."""
        return self in (Answer.YES, Answer.UNRESOLVED)

    def __str__(self) -> str:
        return self.value


class Carries(str, Enum):
    """Why an answer is not what its first word says."""

    SYMPTOM = "symptom"  # a symptom word of the question itself
    HEDGE = "hedge"  # but, just, only, except
    TIME = "time"  # not at the moment, not any more
    PART = "part"  # yes to one part of a compound question: "I have a rash but I feel fine"
    WORDS = "words"  # a no followed by words not understood: "no, it came on over weeks"


@dataclass(frozen=True)
class Pattern:
    """One symptom word or phrase; a word ending in `*` matches any word it starts
    ("tingl*": tingle, tingles, tingling, tingly)."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Pattern:
        return cls(tuple(_pattern_words(text)))

    def matches_at(self, tokens: list[str], start: int) -> bool:
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
class Mention:
    """A symptom word heard in an answer, and the flag it belongs to."""

    key: str  # the flag id
    heard: str  # the words as heard
    start: int
    end: int
    negated: bool


@dataclass(frozen=True)
class Lexicon:
    """Symptom words and phrases, each belonging to one or more flags."""

    entries: tuple[tuple[Pattern, str], ...]

    @classmethod
    def of(cls, words_by_key: dict[str, frozenset[str] | tuple[str, ...]]) -> Lexicon:
        entries = [(Pattern.parse(text), key)
                   for key, words in words_by_key.items() for text in sorted(words)]
        # Longest first, so "pins and needles" is one mention, not "needles" alone.
        entries.sort(key=lambda entry: -len(entry[0].words))
        return cls(tuple(entries))

    def find(self, tokens: list[str], negators: frozenset[str], connectors: frozenset[str],
             determiners: frozenset[str] = frozenset()) -> list[Mention]:
        """Every symptom word heard, in order, each marked negated or not. A longer phrase of a
        flag hides its shorter words ("pins and needles" is one mention), but not another
        flag's words in it ("new headache" is heard for both flags that use "headache")."""
        taken: dict[str, list[bool]] = {}
        found: list[Mention] = []
        for pattern, key in self.entries:
            size = len(pattern.words)
            own = taken.setdefault(key, [False] * len(tokens))
            for start in range(len(tokens) - size + 1):
                if any(own[start:start + size]) or not pattern.matches_at(tokens, start):
                    continue
                own[start:start + size] = [True] * size
                found.append(Mention(key, " ".join(tokens[start:start + size]), start,
                                     start + size, False))
        found.sort(key=lambda m: (m.start, m.key))
        return _negations(found, tokens, negators, connectors, determiners)


def _negations(found: list[Mention], tokens: list[str], negators: frozenset[str],
               connectors: frozenset[str], determiners: frozenset[str]) -> list[Mention]:
    """Mark each mention denied by a negation just before it ("didn't fall"), by a "no" right
    before it ("no fever"; but "no, I fell" is a fall), or by a denied mention it is listed
    with ("no chest pain or tightness")."""
    result: list[Mention] = []
    previous: Mention | None = None
    for mention in found:
        if previous is not None and mention.start < previous.end:
            result.append(Mention(mention.key, mention.heard, mention.start, mention.end,
                                  previous.negated))
            continue  # words within another flag's phrase share its negation
        floor = previous.end if previous is not None else 0
        before = tokens[max(floor, mention.start - NEGATION_REACH):mention.start]
        negated = any(word in negators for word in before) or (
            mention.start > floor and tokens[mention.start - 1] in determiners)
        if not negated and previous is not None and previous.negated:
            gap = tokens[previous.end:mention.start]
            negated = (len(gap) <= COORDINATION_REACH and any(w in connectors for w in gap)
                       and all(w in connectors or w not in negators for w in gap))
        mention = Mention(mention.key, mention.heard, mention.start, mention.end, negated)
        result.append(mention)
        previous = mention
    return result


@dataclass(frozen=True)
class ReadingRules:
    """The words that change what an answer means (`answer_reading` in intents.yaml)."""

    hedges: frozenset[str]
    time_qualifiers: tuple[tuple[str, ...], ...]
    negators: frozenset[str]
    connectors: frozenset[str]
    determiners: frozenset[str] = frozenset()  # "no": denies only the word right after it
    unsure: tuple[tuple[str, ...], ...] = ()  # "a bit", "sometimes": the unsure intent's phrases
    no_words: frozenset[str] = frozenset()  # "no", "nope": a no intent's one-word phrases

    @classmethod
    def of(cls, intents: IntentSet) -> ReadingRules:
        unsure, no = intents.intents.get("unsure"), intents.intents.get("no")
        return cls(intents.hedges, tuple(tuple(str(t) for t in q) for q in intents.time_qualifiers),
                   intents.denials, intents.connectors, intents.determiners,
                   tuple(tuple(normalise(p)) for p in unsure.phrases) if unsure else (),
                   frozenset(p for p in no.phrases if len(normalise(p)) == 1) if no else frozenset())

    def has_unsure_phrase(self, tokens: list[str]) -> bool:
        """"I can move it a bit": a doubt inside a longer answer."""
        return _contains(tokens, self.unsure)

    def has_hedge(self, tokens: list[str]) -> bool:
        return any(word in self.hedges for word in tokens)

    def has_time_qualifier(self, tokens: list[str]) -> bool:
        return _contains(tokens, self.time_qualifiers)

    def is_time_denial(self, tokens: list[str]) -> bool:
        """An answer that opens by denying in time: "not this week", "no longer"."""
        return bool(tokens) and (tokens[0] in self.negators or tokens[0] in self.determiners) and (
            any(tuple(tokens[:len(q)]) == q for q in self.time_qualifiers))


def _contains(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return any(tuple(tokens[i:i + len(p)]) == p for p in phrases if p
               for i in range(len(tokens) - len(p) + 1))


@dataclass(frozen=True)
class Question:
    """What the reading needs to know of the question being answered."""

    own: frozenset[str]  # the flags whose own words answer it yes ("I fell off a ladder")
    flag: str | None = None  # the one flag a single question asks about
    about_now: bool = False  # "Right now, do you have...": "not at the moment" answers it
    compound: bool = False  # "a rash, and feel very unwell?": "I have X but..." is unsure


@dataclass(frozen=True)
class Reading:
    """An answer as the dialog takes it: the answer (None: not an answer), what it carried
    that kept it from being firm, and the symptoms it mentioned (flag ids, not denied)."""

    answer: Answer | None
    carries: Carries | None = None
    mentions: tuple[Mention, ...] = ()

    @property
    def mentioned(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.key for m in self.mentions))

    def heard_of(self, key: str) -> str:
        """The words heard for a flag ("feel sick"), or empty."""
        return next((m.heard for m in self.mentions if m.key == key), "")


def read_answer(text: str, intent: str | None, question: Question, lexicon: Lexicon,
                rules: ReadingRules) -> Reading:
    """What an answer to a red-flag question means, by the rule in the module docstring.

    `intent` is what the intent matcher made of the whole answer in the yes/no context:
    yes, no, unsure, probably_not (a hedged no) or None (not understood)."""
    tokens = normalise(text)
    found = lexicon.find(tokens, rules.negators, rules.connectors, rules.determiners)
    mentions = tuple(m for m in found if not m.negated)
    own = [m for m in mentions if m.key in question.own]
    if intent == "yes":
        if question.compound and rules.has_hedge(tokens):
            return Reading(Answer.UNSURE, Carries.PART, mentions)
        return Reading(Answer.YES, None, mentions)
    if intent in ("unsure", "probably_not"):
        return Reading(Answer.UNSURE, None, mentions)
    if intent == "no":
        if mentions:  # "no, but I feel sick": a no that carries any symptom is not a plain no
            return Reading(Answer.UNSURE, Carries.SYMPTOM, mentions)
        if rules.has_hedge(tokens):
            return Reading(Answer.UNSURE, Carries.HEDGE, mentions)
        if rules.has_time_qualifier(tokens) and not question.about_now:
            return Reading(Answer.UNSURE, Carries.TIME, mentions)
        return Reading(Answer.NO, None, mentions)
    if own and not any(m.key in question.own for m in found if m.negated):
        # "I fell off a ladder": the question's own words, none of them denied.
        return Reading(Answer.YES, None, mentions)
    if intent is None and rules.is_time_denial(tokens):  # "not this week", "not any more"
        return Reading(Answer.NO if question.about_now and not mentions else Answer.UNSURE,
                       None if question.about_now and not mentions else Carries.TIME, mentions)
    if intent is None and rules.has_unsure_phrase(tokens):
        return Reading(Answer.UNSURE, Carries.HEDGE, mentions)  # "I can move it a bit"
    if intent is None and len(tokens) > 1 and tokens[0] in rules.no_words:
        return Reading(Answer.UNSURE, Carries.WORDS, mentions)  # "no, the headache came on..."
    return Reading(None, None, mentions)
