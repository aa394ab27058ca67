"""Everything by voice, on real (virtual) devices: from the voice menu to the outcome with no
key pressed after launch, asking for the history, more time, a quieter voice and the last
question again on the way (issue 29).  The assistant speaks into a PulseAudio null sink and
hears the monitor of another, into which flite recordings are played as it listens."""

from __future__ import annotations

import json

import pytest

from harness.pulse import available, pulse_daemon
from harness.speech import have
from harness.spoken_session import speak_session

pytestmark = pytest.mark.slow  # a whole spoken session in real time


@pytest.fixture(scope="module")
def pulse_env():
    reason = available() or (None if have("flite") else "flite is not installed")
    if reason:
        pytest.skip(reason)
    try:
        with pulse_daemon(user_mic=True) as daemon:
            yield daemon.env
    except RuntimeError as error:
        pytest.skip(f"PulseAudio cannot run here: {error}")


def test_a_whole_triage_by_voice_with_history_wait_quieter_and_go_back(pulse_env, tmp_path):
    answers = {
        "menu": ["my history", "check my symptoms"],
        "age": ["wait", "forty"],  # more time, then the answer said in the wait
        "location": ["quieter", "my neck"],
        "pain_score": ["go back", "two"],  # the list before it is asked again, then this
        "offer_stretches": "no",
    }
    process, events, err = speak_session(pulse_env, tmp_path, answers, otherwise="no",
                                         voice="rms", limit_s=420)
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err
    said = [e["text"] for e in events if e["event"] in ("say", "ask")]
    heard = [(e.get("context"), e.get("intent")) for e in events if e["event"] == "understood"]
    assert ("menu", "history") in heard, heard[:6]
    assert any("Take your time" in line for line in said), said[:20]
    assert any(line == "Quieter." for line in said), said[:30]
    preferences = json.loads((tmp_path / "config" / "preferences.json").read_text())
    assert preferences["volume"] < 1.0  # one step quieter than the full volume, and saved
    assert ("asking", "go_back") in heard, heard
    asked = [e["id"] for e in events if e["event"] == "ask"]
    assert asked.count("pain_score") == 2, asked
    outcome = [e for e in events if e["event"] == "outcome"]
    assert [o["tier"] for o in outcome] == ["self_care"], outcome
