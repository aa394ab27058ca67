"""A spoken session driven entirely by voice, through real sounddevice streams on PulseAudio.

The assistant speaks into one null sink and listens to the monitor of another,
into which the test "speaks" flite recordings whenever the assistant starts
listening.  Nothing is typed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pulse import available, null_sink_daemon
from speech import have, synthesise

from voice.audio.sources import with_silence, write_wav

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pulse_env():
    reason = available() or (None if have("flite") else "flite is not installed")
    if reason:
        pytest.skip(reason)
    try:
        with null_sink_daemon(user_mic=True) as env:
            yield env
    except RuntimeError as error:
        pytest.skip(f"PulseAudio cannot run here: {error}")


def _events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _speak_session(pulse_env, tmp_path: Path, answers: dict[str, str], interrupt: str | None = None,
                   otherwise: str | None = None, extra_env: dict | None = None, limit_s: float = 240,
                   voice: str = "slt"
                   ) -> tuple[subprocess.Popen, list[dict], str]:
    """Run a voice session, answering each prompt when the assistant starts listening.

    A prompt not in `answers` gets `otherwise` (or silence); every answer is flite's `voice`.
    With `interrupt`, that phrase is also spoken over the assistant while it says its cues.
    """
    texts = {**answers, **({"_interrupt": interrupt} if interrupt else {}),
             **({"_otherwise": otherwise} if otherwise else {})}
    clips = {}
    for prompt, text in texts.items():
        clips[prompt] = tmp_path / f"{prompt}.wav"
        write_wav(clips[prompt], with_silence(synthesise(text, voice), 0.2, 0.6))
    log = tmp_path / "session.jsonl"
    env = {**pulse_env, "BACKCARE_CACHE_DIR": str(tmp_path / "cache"),
           "BACKCARE_CONFIG_DIR": str(tmp_path / "config"), "BACKCARE_DATA_DIR": str(tmp_path / "data"),
           **(extra_env or {})}
    process = subprocess.Popen([sys.executable, "-m", "voice", "triage", "--transcript", str(log)],
                               cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)

    def say(name: str) -> None:
        subprocess.run(["paplay", "-d", "usermic", str(clips[name])], env=env, timeout=30)

    answered, interruptions = 0, 0
    try:
        deadline = time.monotonic() + limit_s
        while process.poll() is None and time.monotonic() < deadline:
            events = _events(log)
            listening = [e for e in events if e["event"] == "listening"]
            if len(listening) > answered:
                answered = len(listening)
                prompt = listening[-1]["id"]
                if prompt in clips:
                    say(prompt)
                elif otherwise:
                    say("_otherwise")
            cues = [e for e in events if e["event"] == "cue"]
            if interrupt and cues and interruptions < 4 and len(cues) > interruptions * 3:
                interruptions += 1
                say("_interrupt")
            time.sleep(0.1)
    finally:
        if process.poll() is None:
            process.kill()
        _, err = process.communicate(timeout=30)
    return process, _events(log), err


def test_a_spoken_triage_ends_in_emergency_advice_without_a_keyboard(pulse_env, tmp_path):
    process, events, err = _speak_session(pulse_env, tmp_path,
                                          {"menu": "check my symptoms", "chest_pain": "yes"})
    assert process.returncode == 0, err[-3000:]
    outcome = [e for e in events if e["event"] == "outcome"]
    assert outcome and outcome[0]["tier"] == "emergency", [e for e in events if e["event"] in
                                                           ("heard", "intent", "recognition")]
    said = [e["text"] for e in events if e["event"] == "say"]
    assert "Call 911 now, or ask someone near you to call." in said
    assert any(e["event"] == "engine" for e in events)


def test_stop_spoken_over_the_assistant_ends_a_routine(pulse_env, tmp_path):
    process, events, err = _speak_session(pulse_env, tmp_path, {"menu": "stretches", "pain": "two"},
                                          interrupt="stop")
    assert process.returncode == 0, err[-3000:]
    ends = [e for e in events if e["event"] == "end" and "completed" in e]
    assert ends and ends[0]["reason"] == "stop", [e for e in events if e["event"] in ("barge_in", "end")]
    assert any(e["event"] == "barge_in" and e["intent"] == "stop" for e in events)
    assert any(e.get("text") == "Stopping the routine. Take care." for e in events)


def _short_neck_routine(folder: Path) -> Path:
    """The shipped dialogs, with the neck routine cut to two chin tucks so a session fits a test."""
    copy = folder / "dialogs"
    shutil.copytree(ROOT / "dialogs", copy)
    routines = copy / "routines.yaml"
    text = routines.read_text(encoding="utf-8")
    full = "exercises: [chin_tuck, neck_rotation, side_tilt, levator_stretch, forward_tilt]"
    assert full in text
    routines.write_text(text.replace(full, "exercises: [chin_tuck]"), encoding="utf-8")
    exercises = copy / "exercises.yaml"
    text = exercises.read_text(encoding="utf-8")
    head, tail = text.split("- id: chin_tuck", 1)
    assert "reps: 4" in tail.split("- id:", 1)[0]
    exercises.write_text(head + "- id: chin_tuck" + tail.replace("reps: 4", "reps: 2", 1), encoding="utf-8")
    return copy


def test_a_whole_session_by_voice_clear_triage_then_a_routine_to_the_end(pulse_env, tmp_path):
    """Menu, every red-flag question answered "nope", the read-back, location, pain, the offer of
    stretches, and a (shortened) neck routine to its closing words: nothing typed, nothing skipped."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "preferences.json").write_text(json.dumps({"rate_wpm": 350}))  # the fastest rate
    answers = {"menu": "check my symptoms", "confirm_emergency": "yes", "location": "my neck",
               "pain_score": "two", "offer_stretches": "yes", "pain": "two"}
    process, events, err = _speak_session(
        pulse_env, tmp_path, answers, otherwise="nope", limit_s=420, voice="rms",
        extra_env={"BACKCARE_DIALOGS": str(_short_neck_routine(tmp_path))})
    assert process.returncode == 0, err[-3000:]
    heard = [e for e in events if e["event"] in ("listening", "recognition", "outcome", "end")]
    outcome = [e for e in events if e["event"] == "outcome"]
    assert outcome and outcome[0]["tier"] == "self_care", heard
    asked = {e["id"] for e in events if e["event"] == "listening"}
    assert {"chest_pain", "cannot_move", "confirm_emergency", "arm_weakness", "over_55",
            "painkillers_worried", "location", "pain_score", "offer_stretches"} <= asked, heard
    said = [e.get("text", "") for e in events if e["event"] in ("say", "cue")]
    assert "That's the end of the routine. Well done." in said, heard
    ends = [e for e in events if e["event"] == "end" and "completed" in e]
    assert ends and ends[0]["completed"], ends
