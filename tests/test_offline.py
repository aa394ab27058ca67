"""Offline by construction: whole sessions run with the network blocked, and nothing tries it.

`harness.offline` blocks and logs every network attempt of a child process, from the
interpreter's start. Only `backcare models download` may try (here with the name lookup
failing, as it does offline). Every spoken session of the hands-free tests runs the same way
(`harness.spoken_session`), so the voice path is covered there.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from support import ROOT
from support.cli import backcare

from harness.offline import offline_env


@pytest.fixture
def offline(tmp_path):
    """The environment for a child process with the network blocked, and its log."""
    added, log = offline_env(tmp_path)
    return {**os.environ, **added}, log


def test_the_hook_really_blocks_and_logs(offline):
    env, log = offline
    done = subprocess.run([sys.executable, "-c", "import urllib.request as u; u.urlopen('http://example.org')"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "network blocked" in done.stderr
    assert "urllib.Request" in log.read_text()


@pytest.mark.smoke  # the hook is installed as the interpreter starts
def test_a_text_triage_and_routine_never_touch_the_network(offline, tmp_path):
    env, log = offline
    answers = "40\nneck\n" + "no\n" * 8 + "3\nyes\nskip\nskip\nstop\n"
    transcript = tmp_path / "session.jsonl"
    done = subprocess.run([sys.executable, "-m", "voice", "triage", "--text", "--data-dir",
                           str(tmp_path / "data"), "--transcript", str(transcript)],
                          input=answers, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in transcript.read_text(encoding="utf-8").splitlines()]
    # the whole way: a symptom check to self-care, a routine, and stop said in it
    assert [e["tier"] for e in events if e["event"] == "outcome"] == ["self_care"]
    assert [e["id"] for e in events if e["event"] == "routine"]
    assert [e["reason"] for e in events if e["event"] == "end" and "completed" in e] == ["stop"]
    assert "Stopping the routine." in done.stdout.splitlines()
    assert not log.exists(), log.read_text()


@pytest.mark.slow
def test_recognising_a_recording_with_every_engine_stays_offline(offline, tmp_path):
    from voice.audio.sources import write_wav

    env, log = offline
    clip = tmp_path / "quiet.wav"
    write_wav(clip, (__import__("numpy").zeros(16000)).astype("int16"))
    for engine in ("whisper", "pocketsphinx"):
        done = subprocess.run([sys.executable, "-m", "voice", "recognize", str(clip), "--engine",
                               engine], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, done.stderr
    assert not log.exists(), log.read_text()


def test_only_the_model_download_tries_and_it_says_it_is_offline(monkeypatch, tmp_path):
    looked_up = []

    def offline(host, *args, **kwargs):
        looked_up.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    done = backcare("models", "download", "vosk-model-small-en-us-0.15", "--to",
                    str(tmp_path / "models"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "offline" in done.stderr
    assert looked_up  # it did try
