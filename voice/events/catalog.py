"""What happens in a session, one small dataclass per kind of event (as wyoming has one per
message).

Code emits these (`Transcript.emit`); the transcript writes each as a JSON line
(`{"t": seconds since the start, "event": NAME, ...its fields}`), the format a
screen reader, a carer's monitor or a test follows live, and the journal
recorder dispatches on the type.  A field declared `optional()` is left out of
the line while it is None (a line's `spoken` form only where it differs from
its text); every other field is always there.

The JSON names, by where they come from:
- the conversation: ask, heard, intent, reprompt, say, cue, stored, outcome, safety_guard,
  end, seen, rate;
- a routine: routine, command, pause, resume, exercise, pain, end (with `completed`);
- the voice: engine, listening, recognition, barge_in, reply, dropout, output_buffer,
  device_lost, device_back, device_gone, audio_messages, failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar


def optional() -> Any:
    """A field left out of the JSON line while it is None."""
    return field(default=None, metadata={"optional": True})


@dataclass(frozen=True)
class Event:
    name: ClassVar[str]

    def as_fields(self) -> dict[str, Any]:
        """The event's fields as its JSON line carries them (without `t` and `event`)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if not (f.metadata.get("optional") and getattr(self, f.name) is None)}


# ------------------------------------------------------------------ the conversation
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
    kind: str
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


# ------------------------------------------------------------------------ a routine
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


# ------------------------------------------------------------------------ the voice
@dataclass(frozen=True)
class EngineChosen(Event):
    name = "engine"
    name_: str  # the recogniser, written as "name"
    note: str
    speech: str | None
    echo_cancellation: bool

    def as_fields(self) -> dict[str, Any]:
        return {"name": self.name_, "note": self.note, "speech": self.speech,
                "echo_cancellation": self.echo_cancellation}


@dataclass(frozen=True)
class Listening(Event):
    name = "listening"
    id: str
    context: str


@dataclass(frozen=True)
class Recognised(Event):
    name = "recognition"
    text: str
    accepted: bool
    reason: str
    context: str
    over_speech: bool
    decode_s: float


@dataclass(frozen=True)
class BargeIn(Event):
    name = "barge_in"
    text: str
    intent: str | None


@dataclass(frozen=True)
class Replied(Event):
    """From the end of the person's words to the first sample of the answer."""

    name = "reply"
    latency_ms: float
    to: str
    # The same run stage by stage, each from the end of the words (issue 30): the end of the
    # utterance decided, its words decoded, their meaning matched, the reply's line asked
    # for, its first audio rendered and handed to the output, its first sample written into
    # a block by the output's callback; `latency_ms` is that sample at the device.
    decided_ms: float | None = optional()
    decoded_ms: float | None = optional()
    matched_ms: float | None = optional()
    asked_ms: float | None = optional()
    handed_ms: float | None = optional()
    written_ms: float | None = optional()


@dataclass(frozen=True)
class Dropout(Event):
    name = "dropout"
    clip: str
    ms: float


@dataclass(frozen=True)
class OutputBuffer(Event):
    name = "output_buffer"
    seconds: float
    reason: str


@dataclass(frozen=True)
class DeviceLost(Event):
    name = "device_lost"
    device: str


@dataclass(frozen=True)
class DeviceBack(Event):
    name = "device_back"
    device: str


@dataclass(frozen=True)
class DeviceNotBack(Event):
    name = "device_gone"
    device: str


@dataclass(frozen=True)
class AudioMessages(Event):
    """How many lines the audio libraries wrote (kept off the terminal), and the last ones."""

    name = "audio_messages"
    count: int
    last: list[str]


@dataclass(frozen=True)
class Failed(Event):
    name = "failed"
    error: str
