"""Reading an answer clause by clause: what each clause says of this question's condition,
read against the question's window, before `verdict.py` weighs the clauses into one answer.

The rule is the package's (see `__init__`); the cue words are content (`answer_reading`).
"""

from __future__ import annotations

from datetime import date

from .clauses import Clause, split
from .lexicon import Lexicon
from .model import Carries, ClauseReading, Mention, Question, Reading, Says
from .rules import ReadingRules
from .times import Ago, Relation
from .verdict import decide, decide_compound


def read_answer(text: str, intent: str | None, question: Question, lexicon: Lexicon,
                rules: ReadingRules, today: date | None = None) -> Reading:
    """What an answer to a red-flag question means, by the rule in the package's docstring.

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
        return decide_compound(question, counted, readings, kept, corrected)
    return decide(counted, readings, kept, corrected, intent, question)


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
