"""An answer to a warning-sign question as data: what it says, why it is not plain, what it
mentioned, and the question it answers.

The data model of the reader, apart from the reading (`reading.py`, `verdict.py`) and the
words (`load.py`), as hassil keeps its model apart from its matching: the dialog and the
journal read these values and never the algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

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
class Mention:
    """A symptom word heard in an answer, and the flag it belongs to."""

    key: str  # the flag id
    heard: str  # the words as heard
    start: int  # in its clause
    end: int
    negated: bool = False
    routes: bool = False  # a word that brings the flag up but does not answer its question


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
