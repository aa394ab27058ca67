"""Sound really reaches a (virtual) device: PulseAudio null sink, recorded from its monitor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import ROOT

from harness.pulse import available, null_sink_daemon

LOOPBACK = r"""
import json, threading, time
import numpy as np
import sounddevice as sd
from voice.audio.earcons import earcon
from voice.audio.output import Playback
from voice.audio.sources import resample

recorded, first = [], threading.Event()
def callback(block, frames, time_info, status):
    recorded.append(block[:, 0].copy())
    first.set()
record = sd.InputStream(samplerate=16000, channels=1, dtype="int16", device="pulse", callback=callback)
record.start()
assert first.wait(10), "no input callback"
time.sleep(0.3)
playback = Playback(device="pulse")
tone = resample(earcon("hold_start").astype(np.float32), 22050)
began = playback.time
clip = playback.play(tone, "hold_start")
clip.done.wait(10)
time.sleep(1.5)
playback.close(); record.stop(); record.close()
audio = np.concatenate(recorded).astype(float)
loud = np.abs(audio) > 1000
spectrum = np.abs(np.fft.rfft(audio))
print(json.dumps({"devices": len(sd.query_devices()), "peak": float(np.abs(audio).max()),
                  "loud_s": float(loud.sum() / 16000),
                  "dominant_hz": float(np.argmax(spectrum) * 16000 / len(audio)),
                  "onsets": len(playback.onsets), "onset_after_play_s": playback.onsets[0][1] - began}))
"""


@pytest.fixture(scope="module")
def pulse_env():
    reason = available()
    if reason:
        pytest.skip(reason)
    try:
        with null_sink_daemon() as env:
            yield env
    except RuntimeError as error:
        pytest.skip(f"PulseAudio cannot run here: {error}")


@pytest.mark.slow  # a sound server started, seconds of real audio; what is played is checked fast in
# test_mixer.py and test_earcons.py, and the spoken sessions (test_hands_free.py) play through it
def test_a_played_earcon_is_heard_on_the_virtual_device(pulse_env):
    done = subprocess.run([sys.executable, "-c", LOOPBACK], env=pulse_env, cwd=ROOT,
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["devices"] >= 1 and result["onsets"] == 1
    assert result["peak"] > 3000
    assert abs(result["dominant_hz"] - 880) < 25
    assert 0.08 < result["loud_s"] < 0.3  # the 150 ms tone, not silence, not a long smear
    # PulseAudio's estimate of when a block reaches the output can put the first sample a few
    # milliseconds before the stream time read just before play() (seen once: -2.7 ms).
    assert -0.05 <= result["onset_after_play_s"] < 1.0
