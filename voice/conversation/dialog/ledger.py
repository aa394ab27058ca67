"""What a symptom check has found so far: every red flag's answer, how a "no" was earned, the
grade that decided each event, and the symptoms heard and still to ask about.

The dialog (`engine`, `red_flags`) asks; this ledger only records and reasons, with no I/O, so the
safety rules that read it ("the most urgent tier wins", "a flag is cleared only by a no to
it or to its list", "unclear counts as yes") are tested on their own (tests/test_ledger.py)
and the way answers are read can change without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...understanding.answers.model import Answer
from .spec import DialogSpec, Flag, Grade, holds


@dataclass
class Ledger:
    """The red-flag record of one run of one dialog."""

    spec: DialogSpec
    answers: dict[str, Answer] = field(default_factory=dict)  # flag id -> yes, no, unresolved
    # flag id -> the questions whose plain "no" cleared it (a list, then the check)
    cleared_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    grades: dict[str, Grade] = field(default_factory=dict)  # flag id -> the grade that applied
    volunteered: dict[str, str] = field(default_factory=dict)  # flag id -> words heard
    asked_as_volunteered: set[str] = field(default_factory=set)  # asked once because heard
    visited: set[str] = field(default_factory=set)  # lists already asked
    # Lists answered "maybe" or with a story, and answers that disagree ("yes", then "none of
    # them"): with the questions asked again, what makes a person unclear for the answer limit.
    unclear_lists: int = 0

    # ------------------------------------------------------------------ recording
    def answered(self, flag: Flag, answer: Answer) -> None:
        """A flag's own question answered: a no clears it by that question."""
        self.answers[flag.id] = answer
        if answer == Answer.NO:
            self.cleared_by[flag.id] = (flag.id,)
        else:
            self.cleared_by.pop(flag.id, None)

    def cleared(self, flags: list[Flag], by: str) -> None:
        """A list answered with a plain no (or "none of those", confirmed)."""
        for flag in flags:
            self.answers[flag.id] = Answer.NO
            self.cleared_by[flag.id] = (by,)

    def checked(self, flags: list[Flag], by: str) -> None:
        """The check after the lists answered no: their no now stands twice."""
        for flag in flags:
            self.cleared_by[flag.id] = (*self.cleared_by[flag.id], by)

    def reopened(self, flags: list[Flag]) -> None:
        """The check answered anything but no: those lists' answers no longer stand."""
        for flag in flags:
            del self.answers[flag.id], self.cleared_by[flag.id]

    def raise_flag(self, flag_id: str) -> None:
        """A flag raised by a state (an age, the answer limit, a yes no question pinned)."""
        self.answers[flag_id] = Answer.YES

    def graded(self, flag: Flag, grade: Grade) -> None:
        self.grades[flag.id] = grade

    def hear(self, key: str, words: str, values: dict[str, int | str]) -> None:
        """A symptom heard to another question, kept to be asked (once) unless already
        raised or not applying to this person."""
        flag = self.spec.flag_table.get(key)
        if flag is None or key in self.asked_as_volunteered:
            return
        if self.answers.get(key, Answer.NO).raises or not holds(flag.when, values):
            return
        self.volunteered.setdefault(key, words)

    # ------------------------------------------------------------------ reasoning
    def raised(self) -> list[Flag]:
        """Flags answered yes or left unclear, in the dialog's order."""
        return [f for f in self.spec.flags() if self.answers.get(f.id, Answer.NO).raises]

    def ids(self, answer: Answer) -> list[str]:
        return [f.id for f in self.spec.flags() if self.answers.get(f.id) == answer]

    def any_raised(self, flag_ids: list[str]) -> bool:
        return any(self.answers.get(flag_id, Answer.NO).raises for flag_id in flag_ids)

    def unresolved(self) -> list[Flag]:
        """Flags counted because their answer stayed unclear (said so before the advice)."""
        return [f for f in self.raised() if self.answers[f.id] == Answer.UNRESOLVED]

    def cleared_by_lists(self, screens: tuple[str, ...]) -> list[str]:
        """Flags whose no was first earned by one of these lists (what their check asks)."""
        return [f.id for f in self.spec.flags() if self.cleared_by.get(f.id, ("",))[0] in screens]

    def waiting(self, everything: bool = False) -> list[Flag]:
        """Symptoms heard whose list has passed, or was answered (or, `everything`, any still
        waiting): to be asked now, not at a list that will not come again."""
        return [self.spec.flag_table[k] for k in self.volunteered
                if everything or k in self.answers or self.spec.screen_of(k).id in self.visited]

    def signs(self) -> list[Flag]:
        """The signs found, and symptoms heard and never cleared, to be named to whoever the
        person calls (v3 F13: the smoker's weight loss was heard and lost)."""
        keys = [f.id for f in self.raised()] + [k for k in self.volunteered if k not in self.answers]
        return [self.spec.flag_table[k] for k in dict.fromkeys(keys)
                if k in self.spec.flag_table and self.spec.flag_table[k].ask]

    def grade_ids(self) -> dict[str, str]:
        return {flag_id: grade.id for flag_id, grade in self.grades.items()}

    def exercises(self) -> list[str]:
        """The routines the flags found allow (each flag names the most it allows)."""
        return [flag.exercise for flag in self.raised() if flag.exercise]

    def tier_of(self, flag: Flag) -> str:
        grade = self.grades.get(flag.id)
        return grade.tier if grade else flag.tier

    def most_urgent_tier(self) -> str | None:
        """The most urgent tier among yes and unclear flags, each read through its grade."""
        ranks = [self.spec.tier_rank(self.tier_of(flag)) for flag in self.raised()]
        return self.spec.tiers[min(ranks)].id if ranks else None

    def allows_no_exercise(self) -> bool:
        return any(flag.exercise == "none" for flag in self.raised())

    def blocks_exercise(self) -> bool:
        """Whether what was found rules out stretches (a tier that blocks them, or a flag
        that allows none)."""
        tier = self.most_urgent_tier()
        return tier is not None and (self.spec.tier(tier).blocks_exercise
                                     or self.allows_no_exercise())

    def askable(self, flag_ids: list[str], values: dict[str, int | str],
                again: bool = False) -> list[Flag]:
        """The flags still worth asking: not yet answered (unless asked `again` after a no),
        their conditions hold, and they could find something more urgent than what was found."""
        found = self.most_urgent_tier()
        best = None if found is None else self.spec.tier_rank(found)
        result = []
        for flag_id in flag_ids:
            flag = self.spec.flag_table[flag_id]
            if not holds(flag.when, values) or (flag.id in self.answers and not (
                    again and self.answers[flag.id] == Answer.NO)):
                continue
            if best is None or self.spec.most_urgent_rank(flag) < best:
                result.append(flag)
        return result

    def own_repeat(self) -> str:
        """The service a deciding flag (or grade) names, said once more last."""
        tier = self.most_urgent_tier()
        for flag in self.raised():
            grade = self.grades.get(flag.id)
            own = grade.repeat if grade else flag.repeat
            if self.tier_of(flag) == tier and own:
                return own
        return ""
