"""What happens in a session, one small dataclass per kind of event (as wyoming has one per
message), kept by domain: `conversation`, `routine`, `voice`; this module holds what they share.

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
