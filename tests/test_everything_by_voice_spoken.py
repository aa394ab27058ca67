"""Everything by voice, on real (virtual) devices: from the voice menu to the outcome with no
key pressed after launch, asking for the history, more time, a quieter voice and the last
question again on the way (issue 29).  The assistant speaks into a PulseAudio null sink and
hears the monitor of another, into which flite recordings are played as it listens."""

from __future__ import annotations

import json

import pytest

from harness.spoken_session import daemon_or_skip, speak_session

pytestmark = pytest.mark.slow  # a whole spoken session in real time


@pytest.fixture(scope="module")
def pulse_env():
    with daemon_or_skip() as daemon:
        yield daemon.env


def test_a_whole_triage_by_voice_with_history_wait_quieter_and_go_back(pulse_env, tmp_path):
    answers = {
        "menu": ["my history", "check my symptoms"],
        "age": ["wait", "forty"],  # more time, then the answer said in the wait
        "location": ["turn it down", "my neck"],  # quieter, then the answer
        "heart_screen": ["go back", "no"],  # where the pain is asked again, then this list
        "pain_score": "two",
        "offer_stretches": "no",
    }
    process, events, err = speak_session(pulse_env, tmp_path, answers, otherwise="no",
                                         voice="rms", limit_s=420)
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err
    said = [e["text"] for e in events if e["event"] in ("say", "ask")]
    understood = [(e["context"], e["intent"]) for e in events if e["event"] == "intent"]
    assert ("menu", "history") in understood, understood[:6]
    assert said[said.index("Would you like a symptom check, or stretches?") + 1].startswith(
        "There are no sessions")  # the journal told back, by voice, then the menu again
    assert ("asking", "wait") in understood and any("Take your time" in line for line in said)
    assert ("location", "quieter") in understood and "Quieter." in said, understood
    preferences = json.loads((tmp_path / "config" / "preferences.json").read_text())
    assert preferences["volume"] < 1.0  # one step quieter than full volume, and kept
    assert ("asking", "go_back") in understood, understood
    asked = [e["id"] for e in events if e["event"] == "ask"]
    assert asked[asked.index("heart_screen") + 1] == "location", asked  # back one question
    assert asked.count("heart_screen") == 2, asked
    assert [e["tier"] for e in events if e["event"] == "outcome"] == ["self_care"]
