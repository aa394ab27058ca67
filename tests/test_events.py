"""Each kind of event is a small dataclass; the transcript writes it as the JSON line the
module's docstring documents, and leaves out an optional field only while it is None."""

from __future__ import annotations

import json

import voice.events.base as base
import voice.events.conversation
import voice.events.routine
import voice.events.voice
from voice.clock import VirtualClock
from voice.events.base import Event
from voice.events.conversation import Outcome, Said
from voice.events.transcript import Transcript


def _kinds() -> list[type[Event]]:
    return [value for module in (voice.events.conversation, voice.events.routine, voice.events.voice)
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Event) and value is not Event]


def test_every_event_name_is_documented_where_events_are_defined():
    documented = base.__doc__ or ""
    for kind in _kinds():
        assert f" {kind.name}," in documented or f" {kind.name};" in documented or (
            f" {kind.name}." in documented), kind.name


def test_a_line_carries_its_fields_and_leaves_out_an_optional_one_only_while_it_is_none(tmp_path):
    clock = VirtualClock()
    path = tmp_path / "events.jsonl"
    with Transcript(clock, path) as transcript:
        transcript.emit(Said("Call 911 now."))
        clock.sleep(1.5)
        transcript.emit(Said("Call 911 now.", spoken="Call 9 1 1 now."))
        transcript.emit(Outcome("emergency", ["chest_pain"], []))
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"t": 0.0, "event": "say", "text": "Call 911 now."},
        {"t": 1.5, "event": "say", "text": "Call 911 now.", "spoken": "Call 9 1 1 now."},
        {"t": 1.5, "event": "outcome", "tier": "emergency", "flags": ["chest_pain"],
         "unresolved": []},
    ]
    assert transcript.events == lines
    assert [type(e) for e in transcript.typed] == [Said, Said, Outcome]
    assert transcript.of_type(Outcome)[0].tier == "emergency"
