"""A voice session run as a separate process and answered by synthetic speech on PulseAudio.

Shared by the hands-free tests and the hands-free benchmark: the assistant
plays into the null sink `vsink` and listens to the monitor of `usermic`, into
which this "user" plays flite recordings whenever the transcript shows the
assistant listening.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from voice.audio.sources import with_silence, write_wav

from .offline import offline_env
from .speech import CACHE, synthesise

ROOT = Path(__file__).resolve().parents[1]  # the project root


def events_of(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class EventLog:
    """A session's transcript followed as it grows: each look reads only the new whole lines
    (reading it all ten times a second took CPU from the session under test)."""

    def __init__(self, path: Path):
        self.path = path
        self.events: list[dict] = []
        self._offset = 0

    def read(self) -> list[dict]:
        if not self.path.exists():
            return self.events
        with open(self.path, "rb") as log:
            log.seek(self._offset)
            data = log.read()
        whole = data[:data.rfind(b"\n") + 1]
        self._offset += len(whole)
        self.events += [json.loads(line) for line in whole.decode("utf-8").splitlines()
                        if line.strip()]
        return self.events


def speak_session(pulse_env, tmp_path: Path, answers: dict[str, str | list[str]],
                  interrupt: str | None = None,
                   otherwise: str | None = None, extra_env: dict | None = None, limit_s: float = 240,
                   voice: str = "slt", watch: Callable[[list[dict]], None] | None = None,
                   peak_memory: list[int] | None = None, interrupt_on: str | None = None,
                   speech_cache: Path | None = None, command_prefix: tuple[str, ...] = (),
                   command: tuple[str, ...] = ("triage",), cancel: threading.Event | None = None,
                   ) -> tuple[subprocess.Popen, list[dict], str]:
    """Run a voice session, answering each prompt when the assistant starts listening.

    A prompt not in `answers` gets `otherwise` (or silence); every answer is flite's `voice`.
    A list answers the same prompt once per item, in order (the last one repeats).
    With `interrupt`, that phrase is also spoken over the assistant while it says its cues
    (with `interrupt_on`, only after each cue of that kind: "start" is during a hold).
    `watch` sees the events so far on every turn of the loop (to unplug a device, say).
    `peak_memory`, when given, receives the session's peak resident memory in kB (VmHWM).
    `command_prefix` runs the session under another command (`nice -n 19`, for a starved CPU);
    `command` is the backcare command spoken to (the voice menu of `triage` by default).
    `cancel`, once set, ends the session at once (a test run interrupted).
    The session runs with the network blocked (`harness.offline`); one that tries it fails.
    The assistant's rendered speech is kept in the shared test cache unless `speech_cache`
    says otherwise: renderings are keyed by engine, voice, rate and text, so sessions can
    share them, and each session no longer renders every sentence again.
    """
    texts = {**answers, **({"_interrupt": interrupt} if interrupt else {}),
             **({"_otherwise": otherwise} if otherwise else {})}
    clips: dict[str, list[Path]] = {}
    for prompt, said in texts.items():
        clips[prompt] = []
        for index, text in enumerate([said] if isinstance(said, str) else said):
            clips[prompt].append(tmp_path / f"{prompt}-{index}.wav")
            write_wav(clips[prompt][-1], with_silence(synthesise(text, voice), 0.2, 0.6))
    times_asked: dict[str, int] = {}
    log = tmp_path / "session.jsonl"
    preferences = tmp_path / "config" / "preferences.json"
    if not preferences.exists():  # the fastest speech rate, as many blind users choose: quicker tests
        preferences.parent.mkdir(parents=True, exist_ok=True)
        preferences.write_text(json.dumps({"rate_wpm": 350}))
    blocked, attempts = offline_env(tmp_path)  # every spoken session proves it stays offline
    env = {**pulse_env, "BACKCARE_CACHE_DIR": str(speech_cache or CACHE / "assistant-speech"),
           "BACKCARE_CONFIG_DIR": str(tmp_path / "config"), "BACKCARE_DATA_DIR": str(tmp_path / "data"),
           **blocked, **(extra_env or {})}
    captions = open(tmp_path / "captions.txt", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    process = subprocess.Popen([*command_prefix, sys.executable, "-m", "voice", *command,
                                "--transcript", str(log)],
                               cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=captions,
                               stderr=subprocess.PIPE, text=True)

    def say(name: str) -> None:
        turn = times_asked.get(name, 0)
        times_asked[name] = turn + 1
        clip = clips[name][min(turn, len(clips[name]) - 1)]
        subprocess.run(["paplay", "-d", "usermic", str(clip)], env=env, timeout=30)

    answered, interruptions = 0, 0
    try:
        deadline = time.monotonic() + limit_s
        following = EventLog(log)
        while process.poll() is None and time.monotonic() < deadline and not (
                cancel is not None and cancel.is_set()):
            events = following.read()
            if watch:
                watch(events)
            listening = [e for e in events if e["event"] == "listening"]
            if len(listening) > answered:
                answered = len(listening)
                prompt = listening[-1]["id"]
                if prompt in clips:
                    say(prompt)
                elif otherwise:
                    say("_otherwise")
            cues = [e for e in events if e["event"] == "cue"]
            if interrupt_on:
                due = sum(e["kind"] == interrupt_on for e in cues) > interruptions
            else:
                due = bool(cues) and len(cues) > interruptions * 3
            if interrupt and due and interruptions < 4:
                interruptions += 1
                say("_interrupt")
            if peak_memory is not None:
                peak = _peak_rss_kb(process.pid)  # VmHWM is already the high-water mark
                if peak:
                    peak_memory[:] = [peak]
            time.sleep(0.1)
    finally:
        if process.poll() is None:
            process.kill()
        _, err = process.communicate(timeout=30)
        captions.close()
    assert not attempts.exists(), f"the spoken session tried the network: {attempts.read_text()}"
    return process, events_of(log), err


def _peak_rss_kb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def short_neck_routine(folder: Path) -> Path:
    """The shipped dialogs, with the neck routine cut to one chin tuck so a session fits a test."""
    copy = folder / "dialogs"
    shutil.copytree(ROOT / "dialogs", copy)
    routines = copy / "routines.yaml"
    text = routines.read_text(encoding="utf-8")
    full = "exercises: [chin_tuck, neck_rotation, side_tilt, forward_tilt]"
    assert full in text
    routines.write_text(text.replace(full, "exercises: [chin_tuck]"), encoding="utf-8")
    exercises = copy / "exercises.yaml"
    text = exercises.read_text(encoding="utf-8")
    head, tail = text.split("- id: chin_tuck", 1)
    assert "reps: 3" in tail.split("- id:", 1)[0]
    exercises.write_text(head + "- id: chin_tuck" + tail.replace("reps: 3", "reps: 1", 1), encoding="utf-8")
    return copy


@contextmanager
def daemon_or_skip():
    """A private PulseAudio with the user's "microphone" sink, for a test answered by flite
    recordings; the test is skipped (with why) where either cannot run."""
    import pytest

    from .pulse import available, pulse_daemon
    from .speech import have

    reason = available() or (None if have("flite") else "flite is not installed")
    if reason:
        pytest.skip(reason)
    try:
        with pulse_daemon(user_mic=True) as daemon:
            yield daemon
    except RuntimeError as error:
        pytest.skip(f"PulseAudio cannot run here: {error}")
