"""A spoken session driven entirely by voice, through real sounddevice streams on PulseAudio.

The assistant speaks into one null sink and listens to the monitor of another,
into which the test "speaks" flite recordings whenever the assistant starts
listening.  Nothing is typed.
"""

from __future__ import annotations

import json
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


def _speak_session(pulse_env, tmp_path: Path, answers: dict[str, str], interrupt: str | None = None
                   ) -> tuple[subprocess.Popen, list[dict], str]:
    """Run a voice session, answering each prompt when the assistant starts listening.

    With `interrupt`, that phrase is also spoken over the assistant while it says its cues.
    """
    texts = {**answers, **({"_interrupt": interrupt} if interrupt else {})}
    clips = {}
    for prompt, text in texts.items():
        clips[prompt] = tmp_path / f"{prompt}.wav"
        write_wav(clips[prompt], with_silence(synthesise(text, "slt"), 0.2, 0.6))
    log = tmp_path / "session.jsonl"
    env = {**pulse_env, "BACKCARE_CACHE_DIR": str(tmp_path / "cache"),
           "BACKCARE_CONFIG_DIR": str(tmp_path / "config"), "BACKCARE_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen([sys.executable, "-m", "voice", "triage", "--transcript", str(log)],
                               cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)

    def say(name: str) -> None:
        subprocess.run(["paplay", "-d", "usermic", str(clips[name])], env=env, timeout=30)

    answered, interruptions = 0, 0
    try:
        deadline = time.monotonic() + 240
        while process.poll() is None and time.monotonic() < deadline:
            events = _events(log)
            listening = [e for e in events if e["event"] == "listening"]
            if len(listening) > answered:
                answered = len(listening)
                if listening[-1]["id"] in clips:
                    say(listening[-1]["id"])
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
