"""Events of the voice: the engine chosen, listening, recognition, replies, the devices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Event, optional


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
