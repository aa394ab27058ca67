"""One answer from its clauses: a yes in any clause wins over a no unless a correction came
after it, and an answer that is not plain is said back (`confirm`).

Apart from the clause reading (`reading.py`) because this is the part a clinician reviews: each
branch is one kind of answer, named in its comment, with what it becomes.
"""

from __future__ import annotations

from .model import Answer, Carries, ClauseReading, Mention, Question, Reading, Says
from .times import Relation


def decide(counted: list[ClauseReading], every: list[ClauseReading], mentions: tuple[Mention, ...],
            corrected: bool, intent: str | None, question: Question) -> Reading:
    """A single question's answer from the clauses that count (`counted`: those after the last
    correction) and from the whole answer's intent when no clause says anything; `every` clause
    is kept on the reading, for the read-back and the journal."""
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


def decide_compound(question: Question, counted: list[ClauseReading], every: list[ClauseReading],
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
