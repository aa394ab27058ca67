"""Earcons are short, quiet enough, free of clicks, and distinct from one another."""

from __future__ import annotations

import numpy as np
import pytest

from voice.audio.earcons import EARCON_SAMPLE_RATE as RATE
from voice.audio.earcons import EARCONS, duration_s, earcon


@pytest.mark.parametrize("name", EARCONS)
def test_earcon_is_short_soft_and_starts_and_ends_in_silence(name):
    samples = earcon(name)
    assert 0.1 <= len(samples) / RATE <= 0.7
    assert abs(len(samples) / RATE - duration_s(name)) < 0.01
    assert np.max(np.abs(samples)) <= 0.31 * 32767
    assert abs(int(samples[0])) < 200 and abs(int(samples[-1])) < 200
    # No click: sample-to-sample steps stay within what the loudest tone itself makes.
    steps = np.abs(np.diff(samples.astype(np.int32)))
    assert steps.max() < 0.3 * 32767 * 2 * np.pi * 1100 / RATE


def test_earcons_differ_in_pitch_direction():
    def pitch_track(name):
        samples = earcon(name).astype(float)
        half = len(samples) // 2
        return [np.argmax(np.abs(np.fft.rfft(part))) for part in (samples[:half], samples[half:])]

    listening, not_understood = pitch_track("listening"), pitch_track("not_understood")
    assert listening[1] > listening[0] and not_understood[1] < not_understood[0]
    assert len({earcon(name).tobytes() for name in EARCONS}) == len(EARCONS)


def test_volume_scales_and_unknown_earcons_are_errors():
    assert np.max(np.abs(earcon("hold_start", volume=0.5))) < np.max(np.abs(earcon("hold_start")))
    with pytest.raises(KeyError):
        earcon("fanfare")
