"""Events of a routine: its start, commands, pauses, each exercise, pain, its end."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Event


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
