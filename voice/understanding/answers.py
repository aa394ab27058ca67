"""What an answer says about the question it answers: present, absent, possible, and when.

People answer in sentences, and a sentence may say several things: "no, it
was nearly two weeks ago" to "a fall in the last two weeks?" is a yes; "my
neck's stiff, but I don't have a temperature" to "a high temperature together
with a stiff neck?" is a no; "my sister has osteoporosis, not me" is a no.  So
an answer is read clause by clause (`clauses.py`, after ConText): each clause
says something about *this question's* condition (present, absent, possible)
or nothing, at a time (`times.py`) compared with the question's window.  Then:
- a yes in any clause wins over a no in another (a symptom said is never
  lost), unless a correction ("wait", "I mean") came after it;
- a hedge, a hypothetical, a time across the window's edge, or a "no" limited
  in time ("not at the moment" to a question that is not about right now) is
  possible: asked again, never a no;
- a question that joins two conditions ("a rash, and feel very unwell?")
  reads each part: one part denied is a no, one part said and the other not
  asks the other alone (`missing`);
- an answer that is not a plain yes or no, and whose clauses disagree or
  whose meaning came from a time, another person or another symptom, is
  said back before it counts (`confirm`).
Every symptom heard, of any flag, not denied and the person's own, is kept as
a mention, so a volunteered symptom is asked about even when it answers
another question.  The words are data: each flag's `yes_words` (and
`except_words`) in dialogs/triage.yaml and `answer_reading` in
dialogs/intents.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .clauses import Clause, ClauseWords, split
from .intents import IntentSet, normalise
from .times import Ago, Relation


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


class Says(str, Enum):
    """What one clause says about the question's condition."""

    PRESENT = "present"
    ABSENT = "absent"
    POSSIBLE = "possible"
    NOTHING = "nothing"  # about something else, or nothing we can read


class Carries(str, Enum):
    """Why an answer is not the plain yes or no its first word says."""

    SYMPTOM = "symptom"  # another symptom was said with it
    HEDGE = "hedge"  # maybe, I think, sort of
    TIME = "time"  # a time decided it, or limits it ("not at the moment")
    PART = "part"  # one part of a compound question
    WORDS = "words"  # words about something else ("no, it's just from the gym")
    OTHER = "other"  # said of someone else ("my sister has it, not me")
    HYPOTHETICAL = "hypothetical"  # "if I bent down I might"
    CORRECTION = "correction"  # "no wait, yes"
    CONFLICT = "conflict"  # one clause says yes, another no


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
class Mention:
    """A symptom word heard in an answer, and the flag it belongs to."""

    key: str  # the flag id
    heard: str  # the words as heard
    start: int  # in its clause
    end: int
    negated: bool = False
    routes: bool = False  # a word that brings the flag up but does not answer its question


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

    def find(self, tokens: tuple[str, ...] | list[str],
             skip: set[int] | frozenset[int] = frozenset()) -> list[Mention]:
        """Every symptom word in the tokens, in order, none on a position in `skip` (time
        words are never symptom words). A longer phrase of a flag hides its shorter words
        ("pins and needles" is one mention), but not another flag's words in it ("new
        headache" is heard for both flags that use "headache")."""
        taken: dict[str, list[bool]] = {}
        for pattern, key in self.excepted:
            own = taken.setdefault(key, [False] * len(tokens))
            for start in range(len(tokens) - len(pattern.words) + 1):
                if pattern.matches_at(tokens, start):
                    own[start:start + len(pattern.words)] = [True] * len(pattern.words)
        found: list[Mention] = []
        for pattern, key in self.entries:
            size = len(pattern.words)
            own = taken.setdefault(key, [False] * len(tokens))
            for start in range(len(tokens) - size + 1):
                if any(own[start:start + size]) or not pattern.matches_at(tokens, start):
                    continue
                if any(i in skip for i in range(start, start + size)):
                    continue
                own[start:start + size] = [True] * size
                found.append(Mention(key, " ".join(tokens[start:start + size]), start,
                                     start + size, routes=(pattern, key) in self.routing))
        found.sort(key=lambda m: (m.start, m.key))
        return found


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


@dataclass(frozen=True)
class Part:
    """One of the conditions a compound question joins ("a new rash" and "feel very unwell"):
    its key in the lexicon, and whether "I feel fine" denies it."""

    key: str
    wellbeing: bool = False


@dataclass(frozen=True)
class Question:
    """What the reading needs to know of the question being answered."""

    own: frozenset[str]  # the flags whose own words answer it ("I fell off a ladder")
    flag: str | None = None  # the one flag a single question asks about
    about_now: bool = False  # "Right now, do you have...": "not at the moment" answers it
    compound: bool = False  # asks two things at once (as content marks it; `parts` reads each)
    window: float | None = None  # hours back the question reaches (None: since the pain began)
    parts: tuple[Part, ...] = ()  # the conditions of a compound question
    all_parts: bool = True  # all parts make a yes ("and"); else any of them ("or")
    proxy: bool = False  # answered by someone else (a parent): "she" is the person
    earlier: str | None = None  # the flag that asks about a time before this window
    since: float | None = None  # no window: how far back "since the pain began" reaches

    @property
    def reach(self) -> float | None:
        return 0.5 if self.about_now and self.window is None else self.window


@dataclass(frozen=True)
class ClauseReading:
    """What one clause said about the question, and why."""

    text: str
    says: Says
    why: Carries | None = None
    heard: tuple[str, ...] = ()  # the flags whose words the clause holds
    when: Ago | None = None
    relation: Relation | None = None
    plain: bool = False  # only a yes, a no or a not-sure: it answers the whole question

    def as_json(self) -> dict[str, object]:
        result: dict[str, object] = {"text": self.text, "says": self.says.value}
        if self.why is not None:
            result["why"] = self.why.value
        if self.heard:
            result["heard"] = list(self.heard)
        if self.when is not None:
            result["when"] = {"heard": self.when.heard, "hours_ago": [
                self.when.low, None if self.when.high == float("inf") else self.when.high]}
            if self.relation is not None:
                result["when"]["window"] = self.relation.value  # type: ignore[index]
        return result


@dataclass(frozen=True)
class Reading:
    """An answer as the dialog takes it: the answer (None: not an answer), what it carried
    that kept it from being plain, the symptoms it mentioned (the person's own, not denied),
    its clauses, whether it is said back before it counts, and the parts of a compound
    question still to ask."""

    answer: Answer | None
    carries: Carries | None = None
    mentions: tuple[Mention, ...] = ()
    clauses: tuple[ClauseReading, ...] = ()
    when: Ago | None = None
    confirm: bool = False
    missing: tuple[str, ...] = ()
    present_parts: tuple[str, ...] = field(default=())

    @property
    def mentioned(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.key for m in self.mentions))

    def heard_of(self, key: str) -> str:
        """The words heard for a flag ("feel sick"), or empty."""
        return next((m.heard for m in self.mentions if m.key == key), "")

    def as_json(self) -> dict[str, object]:
        result: dict[str, object] = {
            "reading": self.answer.value if self.answer else None,
            "confirm": self.confirm,
            "clauses": [clause.as_json() for clause in self.clauses],
        }
        if self.carries is not None:
            result["carries"] = self.carries.value
        if self.when is not None:
            result["when"] = self.when.heard
        if self.mentioned:
            result["mentions"] = list(self.mentioned)
        if self.missing:
            result["missing"] = list(self.missing)
        return result


def read_answer(text: str, intent: str | None, question: Question, lexicon: Lexicon,
                rules: ReadingRules, today: date | None = None) -> Reading:
    """What an answer to a red-flag question means, by the rule in the module docstring.

    `intent` is what the intent matcher made of the whole answer in the yes/no context
    (yes, no, unsure, probably_not, or None): it decides only when no clause does."""
    clauses = split(text, rules.clauses, today)
    own = question.own | {part.key for part in question.parts}
    readings: list[ClauseReading] = []
    mentions: list[Mention] = []
    for clause in clauses:
        found = lexicon.find(clause.tokens, clause.time_words())
        reading = _clause(clause, found, own, question, rules)
        readings.append(reading)
        if reading.says is not Says.ABSENT or not (set(reading.heard) & own):
            mentions += [m for m in found if not _denied(clause, m, question, rules)]
        if reading.relation is Relation.BEFORE and question.earlier:
            mentions.append(Mention(question.earlier, reading.when.heard if reading.when else "",
                                    0, 0))
    readings = _not_me(clauses, readings, rules)
    start = max((i for i, c in enumerate(clauses) if c.corrects), default=0)
    # A correction that ends in a plain answer needs no read-back: "no wait, yes, in seconds".
    corrected = start > 0 and len({r.says for r in readings[start:]} - {Says.NOTHING}) > 1
    counted = readings[start:]
    kept = tuple(dict.fromkeys(m for m in mentions if m.key in own or "." not in m.key))
    if question.parts:
        return _compound(question, counted, readings, kept, corrected)
    return _decide(counted, readings, kept, corrected, intent, question)


def _not_me(clauses: list[Clause], readings: list[ClauseReading],
            rules: ReadingRules) -> list[ClauseReading]:
    """"not me" denies this question's condition only after a clause gave it to someone else
    ("my sister has osteoporosis, not me"); after another flag's words it says nothing here."""
    result: list[ClauseReading] = []
    for clause, reading in zip(clauses, readings, strict=True):
        if _is_not_me(clause, rules) and reading.says is Says.ABSENT and not reading.heard:
            given = any(r.why is Carries.OTHER for r in result)
            # "not me" after someone else's: the person's own denial (a plain no)
            reading = (ClauseReading(reading.text, Says.ABSENT) if given
                       else ClauseReading(reading.text, Says.NOTHING, Carries.OTHER))
        result.append(reading)
    return result


def _is_not_me(clause: Clause, rules: ReadingRules) -> bool:
    return any(tuple(clause.tokens[i:i + len(p)]) == p for p in rules.clauses.not_me
               for i in range(len(clause.tokens)))


def _clause(clause: Clause, found: list[Mention], own: frozenset[str], question: Question,
            rules: ReadingRules) -> ClauseReading:
    """What one clause says about the question (see the module docstring)."""
    heard = tuple(dict.fromkeys(m.key for m in found))
    own_found = [m for m in found if m.key in own and not m.routes]
    when = _when(clause)
    if own_found:
        if clause.other_person and not question.proxy and not (
                set(clause.tokens) & rules.first_person):
            return ClauseReading(clause.text, Says.ABSENT, Carries.OTHER, heard, when)
        if clause.hypothetical:
            return ClauseReading(clause.text, Says.POSSIBLE, Carries.HYPOTHETICAL, heard, when)
        if clause.hedged:
            return ClauseReading(clause.text, Says.POSSIBLE, Carries.HEDGE, heard, when)
        if all(clause.denies(m.start) for m in own_found):
            return _timed(clause, Says.ABSENT, None, heard, when, question)
        return _timed(clause, Says.PRESENT, None, heard, when, question)
    if clause.tokens in rules.clauses.degrees:
        return ClauseReading(clause.text, Says.NOTHING)  # "yes, a little": how much, not what
    plain = rules.plain(clause.tokens)
    if plain is Says.ABSENT and when is not None:
        # "not at the moment", "not today": a no only as wide as its time
        return _timed(clause, Says.ABSENT, None, heard, when, question)
    if plain is not Says.NOTHING:
        return ClauseReading(clause.text, plain, Carries.HEDGE if plain is Says.POSSIBLE else None,
                             heard, plain=True)
    if clause.hedged or clause.hypothetical or (clause.degree and not heard):
        # "I don't really remember", "if I put my chin on my chest it might", "a bit"
        why = Carries.HYPOTHETICAL if clause.hypothetical else Carries.HEDGE
        return ClauseReading(clause.text, Says.POSSIBLE, why, heard, when)
    if any(m.key in own and m.routes for m in found):
        # "no, not the worst" to "did the headache come on within minutes?": about the
        # headache, not an answer to what is asked of it
        return ClauseReading(clause.text, Says.POSSIBLE, Carries.WORDS, heard, when)
    if heard:  # another flag's words only: nothing about this question
        return ClauseReading(clause.text, Says.NOTHING, Carries.SYMPTOM, heard, when)
    if clause.wellbeing and not clause.times:
        return ClauseReading(clause.text, Says.ABSENT, None, heard)
    if clause.negation_at is not None:
        return _timed(clause, Says.ABSENT, None, heard, when, question)
    if clause.contrasts and question.flag is not None and when is None:
        # "no, only ...", "no, but ..." with words we cannot read: something follows the no
        return ClauseReading(clause.text, Says.POSSIBLE, Carries.WORDS, heard)
    if when is not None and question.flag is not None and question.reach is not None:
        # "it was nearly two weeks ago": the time of this question's own event
        return _timed(clause, Says.PRESENT, None, heard, when, question)
    if when is not None and not when.is_now and (question.flag is not None or not heard):
        # "no, it was yesterday" to "since the pain began...?" or to a list: something
        # happened, and what or whether it counts is not known
        return ClauseReading(clause.text, Says.POSSIBLE, Carries.TIME, heard, when)
    return ClauseReading(clause.text, Says.NOTHING, Carries.WORDS, heard, when)


def _when(clause: Clause) -> Ago | None:
    """The time a clause speaks of: the last one it names, "now" only when it names no other
    ("it's gone now" is about when it went)."""
    times = [ago for _, _, ago in clause.times]
    earlier = [ago for ago in times if not ago.is_now]
    return (earlier or times or [None])[-1]


def _timed(clause: Clause, says: Says, why: Carries | None, heard: tuple[str, ...],
           when: Ago | None, question: Question) -> ClauseReading:
    """A clause's verdict read against the question's window."""
    reach = question.reach
    if when is None:
        return ClauseReading(clause.text, says, why, heard)
    if says is Says.ABSENT:
        # "not now", "not this week": a denial only as wide as its time
        if reach is not None and (when.high >= reach or (reach <= 0.5 and when.is_now)):
            return ClauseReading(clause.text, Says.ABSENT, Carries.TIME, heard, when)
        return ClauseReading(clause.text, Says.POSSIBLE, Carries.TIME, heard, when)
    if reach is None and (question.since is None or says is not Says.PRESENT):
        return ClauseReading(clause.text, says, why, heard, when)
    relation = when.against(reach if reach is not None else question.since)  # type: ignore[arg-type]
    if reach is None and relation is not Relation.BEFORE:
        return ClauseReading(clause.text, says, why, heard, when)  # since the pain began
    verdict = {Relation.INSIDE: Says.PRESENT, Relation.BEFORE: Says.ABSENT,
               Relation.ACROSS: Says.POSSIBLE}[relation]
    return ClauseReading(clause.text, verdict, Carries.TIME, heard, when, relation)


def _denied(clause: Clause, mention: Mention, question: Question, rules: ReadingRules) -> bool:
    """A mention that is not the person's own symptom now: denied, someone else's, or only
    supposed."""
    if clause.denies(mention.start) or clause.hypothetical:
        return True
    return clause.other_person and not question.proxy and not (
        set(clause.tokens) & rules.first_person)


def _decide(counted: list[ClauseReading], every: list[ClauseReading], mentions: tuple[Mention, ...],
            corrected: bool, intent: str | None, question: Question) -> Reading:
    says = {reading.says for reading in counted}
    others = any(m.key not in question.own for m in mentions)
    when = next((r.when for r in reversed(counted) if r.when is not None and
                 r.says is not Says.NOTHING), None)
    whys = [r.why for r in counted if r.why is not None and r.says is not Says.NOTHING]
    clauses = tuple(every)

    def reading(answer: Answer | None, carries: Carries | None, confirm: bool) -> Reading:
        return Reading(answer, carries, mentions, clauses, when, confirm)

    if Says.PRESENT in says:
        present = [r for r in counted if r.says is Says.PRESENT]
        by_time = all(r.why is Carries.TIME for r in present)
        conflict = Says.ABSENT in says or Says.POSSIBLE in says
        if corrected:
            return reading(Answer.YES, Carries.CORRECTION, True)
        if Says.ABSENT not in says and all(r.why is Carries.TIME for r in counted
                                           if r.says is Says.POSSIBLE) and not by_time:
            # "yes, yesterday evening" to a question with no window of its own: a yes
            return reading(Answer.YES, None, corrected)
        bare_no = all(r.why is None and not r.heard and r.when is None
                      for r in counted if r.says in (Says.ABSENT, Says.POSSIBLE))
        if conflict and bare_no and not by_time and any(r.heard for r in present):
            # "no, but I feel sick" to "have you felt sick?": the symptom said wins, as said
            return reading(Answer.YES, Carries.CONFLICT, False)
        if conflict:
            return reading(Answer.YES, Carries.TIME if by_time else Carries.CONFLICT, True)
        return reading(Answer.YES, Carries.TIME if by_time else None, by_time and question.flag
                       is not None and len(counted) > 1)
    if Says.POSSIBLE in says:
        why = next((w for w in whys if w is not None and w is not Carries.SYMPTOM), Carries.HEDGE)
        return reading(Answer.UNSURE, why, False)
    absent = [r for r in counted if r.says is Says.ABSENT]
    if absent and question.flag is None and any(set(r.heard) & question.own for r in absent) \
            and not any(r.plain for r in absent):
        # "there's no pain in my chest", "my sister has osteoporosis, not me" to a list: that
        # item denied, not the others (only a plain "no" or "none" answers the whole list)
        return reading(Answer.UNSURE, Carries.PART, False)
    if Says.ABSENT in says:
        if corrected:
            return reading(Answer.NO, Carries.CORRECTION, True)
        if others:
            return reading(Answer.NO, Carries.SYMPTOM, True)
        absent = [r for r in counted if r.says is Says.ABSENT]
        if all(r.why in (Carries.OTHER, Carries.TIME) for r in absent) and any(
                r.relation is Relation.BEFORE or r.why is Carries.OTHER for r in absent):
            return reading(Answer.NO, absent[-1].why, True)
        words = any(r.says is Says.NOTHING for r in counted)
        return reading(Answer.NO, Carries.WORDS if words else None,
                       words and question.flag is None)
    # Nothing a clause could read: the whole answer's intent, or not an answer.
    if any(r.heard for r in counted) and intent != "yes":
        # "I haven't coughed up any blood" to the chest question: about something else
        confirm = others and intent == "no"
        return reading(Answer.NO if confirm else Answer.UNSURE, Carries.SYMPTOM, confirm)
    if others:  # "nope, just nauseous" to another question: said back, never a plain no
        if intent == "no":
            return reading(Answer.NO, Carries.SYMPTOM, True)
        return reading(Answer.UNSURE, Carries.SYMPTOM, False)
    if intent == "yes":
        return reading(Answer.YES, None, False)
    if intent == "no":
        return reading(Answer.NO, None, False)
    if intent in ("unsure", "probably_not"):
        return reading(Answer.UNSURE, Carries.HEDGE, False)
    if counted and counted[0].says is Says.NOTHING and len(counted) > 1:
        return reading(Answer.UNSURE, Carries.WORDS, False)
    return reading(None, None, False)


def _compound(question: Question, counted: list[ClauseReading], every: list[ClauseReading],
              mentions: tuple[Mention, ...], corrected: bool) -> Reading:
    """A question that joins conditions: each part read on its own; a plain yes or no, or
    well-being, speaks for the parts it can."""
    verdicts: dict[str, Says] = {}
    for reading in counted:
        keys = [part.key for part in question.parts if part.key in reading.heard]
        if not keys and reading.says is not Says.NOTHING and not (
                set(reading.heard) - question.own):
            # a plain "no" answers every part; "I feel fine" the parts it can deny
            general = reading.says is Says.ABSENT and not reading.plain
            keys = [part.key for part in question.parts
                    if not general or part.wellbeing or len(counted) == 1]
        for key in keys:
            verdicts[key] = _stronger(verdicts.get(key), reading.says)
    parts = [part.key for part in question.parts]
    present = tuple(k for k in parts if verdicts.get(k) is Says.PRESENT)
    absent = [k for k in parts if verdicts.get(k) is Says.ABSENT]
    possible = [k for k in parts if verdicts.get(k) is Says.POSSIBLE]
    unknown = tuple(k for k in parts if k not in verdicts)
    clauses = tuple(every)
    when = next((r.when for r in counted if r.when is not None), None)
    mixed = bool(present) and bool(absent or unknown)
    others = any(m.key not in question.own and "." not in m.key for m in mentions)
    # a part denied only because someone else has it, or it was long ago: said back
    others = others or any(r.why in (Carries.OTHER, Carries.TIME) for r in counted
                           if r.says is Says.ABSENT)

    def reading(answer: Answer | None, carries: Carries | None, confirm: bool,
                missing: tuple[str, ...] = ()) -> Reading:
        return Reading(answer, carries, mentions, clauses, when, confirm, missing, present)

    if question.all_parts:
        if absent and not possible:
            carries = Carries.PART if mixed else Carries.SYMPTOM if others else None
            return reading(Answer.NO, carries, mixed or corrected or others)
        if len(present) == len(parts):
            return reading(Answer.YES, Carries.CORRECTION if corrected else None, corrected)
        if possible:
            return reading(Answer.UNSURE, Carries.HEDGE, False)
        if present:
            return reading(Answer.UNSURE, Carries.PART, False,
                           unknown if len(unknown) == 1 else ())
        return reading(None, None, False)
    if present:
        return reading(Answer.YES, Carries.CORRECTION if corrected else None, corrected)
    if possible:
        return reading(Answer.UNSURE, Carries.HEDGE, False)
    if absent and unknown:  # one part left is asked alone; more, the question again
        return reading(Answer.UNSURE, Carries.PART, False, unknown if len(unknown) == 1 else ())
    if absent:
        return reading(Answer.NO, Carries.SYMPTOM if others else None, corrected or others)
    return reading(None, None, False)


def _stronger(before: Says | None, now: Says) -> Says:
    """Two clauses about one part: present wins, then possible, then absent."""
    order = [Says.PRESENT, Says.POSSIBLE, Says.ABSENT, Says.NOTHING]
    if before is None:
        return now
    return min(before, now, key=order.index)
