"""Events of a routine: its start, commands, pauses, each exercise, pain, its end; and the kinds
of line a routine says (`CueKind`), which its `cue` and `say` lines carry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .base import Event


class CueKind(str, Enum):
    """What a line of a routine is for. The timeline ranks cues by it when two would collide,
    the speaker marks a hold's start and end and the routine's end by it with an earcon, and
    the transcript writes its value (so a JSON line says "start", not a class name). Here, in
    the foundation, because the conversation makes the kinds and speech plays them."""

    # The routine as planned: its timeline, and the lines around it.
    INTRO = "intro"
    INSTRUCTION = "instruction"
    START = "start"
    BREATH = "breath"
    HALFWAY = "halfway"
    TEN_LEFT = "ten_left"  # the time left in a hold, however many seconds content says
    COUNT = "count"
    END = "end"
    REST = "rest"
    SWITCH = "switch"
    NEXT = "next"
    CLOSING = "closing"
    # Said back to the person, outside the plan: a question, a reply to a command, advice.
    QUESTION = "question"
    REPLY = "reply"
    HELP = "help"
    PAUSED = "paused"
    RESUMED = "resumed"
    ADVICE = "advice"

    def __str__(self) -> str:
        return self.value

    @property
    def scripted(self) -> bool:
        """Part of the routine as planned, written as a `cue` line (what a preview prints);
        the others answer the person and are written as `say` lines."""
        return self not in _SAID_BACK


_SAID_BACK = frozenset({CueKind.QUESTION, CueKind.REPLY, CueKind.HELP, CueKind.PAUSED,
                        CueKind.RESUMED, CueKind.ADVICE})


@dataclass(frozen=True)
class RoutineStarted(Event):
    name = "routine"
    id: str


@dataclass(frozen=True)
class Command(Event):
    name = "command"
    intent: str
    position: float | None  # seconds into the exercise (None: outside the timeline)
    exercise: str | None


@dataclass(frozen=True)
class Paused(Event):
    name = "pause"
    position: float
    exercise: str


@dataclass(frozen=True)
class Resumed(Event):
    name = "resume"
    position: float
    exercise: str
    paused_s: float


@dataclass(frozen=True)
class ExerciseEnded(Event):
    name = "exercise"
    id: str
    result: str  # completed, skipped, stopped
    reason: str | None


@dataclass(frozen=True)
class Pain(Event):
    name = "pain"
    when: str  # before, during, after
    score: int


@dataclass(frozen=True)
class RoutineEnded(Event):
    name = "end"
    reason: str  # completed, stop, hurts, symptom, closed
    completed: bool
