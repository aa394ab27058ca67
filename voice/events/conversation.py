"""Events of the conversation: questions, answers, what was said, outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Event, optional
from .routine import CueKind


@dataclass(frozen=True)
class Asked(Event):
    name = "ask"
    id: str
    text: str
    context: str


@dataclass(frozen=True)
class HeardAnswer(Event):
    """What came back to a question: words, silence, sound not understood, or the end."""

    name = "heard"
    kind: str
    text: str | None


@dataclass(frozen=True)
class HeardCommand(Event):
    """What came while a routine played, as the command it is (a device that stopped, too)."""

    name = "heard"
    text: str | None
    intent: str | None
    context: str
    kind: str | None = optional()  # lost / back: a device, not words


@dataclass(frozen=True)
class Understood(Event):
    """An answer's meaning: the intent, and for a red flag how the answer was read."""

    name = "intent"
    intent: str | None
    slots: dict
    confidence: float
    context: str
    answer: str | None = optional()
    carries: str | None = optional()
    mentions: list[str] | None = optional()


@dataclass(frozen=True)
class Reprompted(Event):
    name = "reprompt"
    id: str
    kind: str  # silence, not_understood, unsure
    attempt: int


@dataclass(frozen=True)
class Said(Event):
    name = "say"
    text: str
    spoken: str | None = optional()  # as said out loud, where it differs (9 1 1)
    repeat: bool | None = optional()  # a question asked again
    kind: str | None = optional()  # a routine's line outside its timeline (help, advice)
    duration: float | None = optional()


@dataclass(frozen=True)
class Cued(Event):
    name = "cue"
    kind: CueKind
    text: str
    duration: float
    exercise: str | None
    side: str | None
    rep: int | None
    spoken: str | None = optional()


@dataclass(frozen=True)
class Stored(Event):
    name = "stored"
    name_: str  # written as "name"
    value: Any

    def as_fields(self) -> dict[str, Any]:
        return {"name": self.name_, "value": self.value}


@dataclass(frozen=True)
class Outcome(Event):
    name = "outcome"
    tier: str
    flags: list[str]
    unresolved: list[str]
    grades: dict[str, str] | None = optional()


@dataclass(frozen=True)
class SafetyGuard(Event):
    """A state that would reassure or offer stretches was refused after a red flag."""

    name = "safety_guard"
    blocked: str


@dataclass(frozen=True)
class DialogEnded(Event):
    name = "end"
    reason: str
    outcome: str | None


@dataclass(frozen=True)
class Seen(Event):
    """The person says they have been seen since advice that stopped exercise."""

    name = "seen"


@dataclass(frozen=True)
class RateChanged(Event):
    name = "rate"
    wpm: int
