"""Cues as they go to the output stream: the hold's start and end are marked by earcons."""

from __future__ import annotations

import numpy as np
import pytest
from support.outputs import RecordingPlayback

from harness.speech import have
from voice.events.routine import CueKind
from voice.preferences import Preferences, PreferenceStore
from voice.speech.speaker import Speaker
from voice.speech.tts import EspeakEngine, Renderer

pytestmark = pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")


def cues(renderer: Renderer, playback: RecordingPlayback, earcons: bool) -> Speaker:
    """A real speaker whose output is the recording Playback."""
    return Speaker(renderer, playback, PreferenceStore(Preferences(earcons=earcons)))


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(float) * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / 16000)[np.argmax(spectrum)])


@pytest.fixture
def renderer(tmp_path):
    return Renderer(EspeakEngine(), tmp_path)


def test_the_start_of_a_hold_sounds_its_tone_under_the_words_without_lengthening_the_cue(renderer):
    playback = RecordingPlayback()
    cues(renderer, playback, True).cue("Begin.", CueKind.START)
    samples, label = playback.clips[0]
    words = renderer.render("Begin.", 170).samples
    assert label == "start"
    assert len(samples) == max(len(words), int(0.15 * 16000))
    tone = samples[:2400].astype(float) - words[:2400]  # what was added under the words
    assert abs(dominant_hz(tone) - 880) < 20 and np.abs(tone).max() > 1000


def test_the_closing_words_are_followed_by_the_routine_end_tone(renderer):
    playback = RecordingPlayback()
    cues(renderer, playback, True).cue("Well done.", CueKind.CLOSING)
    samples, _ = playback.clips[0]
    words = renderer.render("Well done.", 170).samples
    assert np.array_equal(samples[:len(words)], words)
    assert abs(dominant_hz(samples[-int(0.2 * 16000):]) - 1047) < 30  # the arpeggio's last note


def test_with_earcons_switched_off_a_cue_is_only_its_words(renderer):
    playback = RecordingPlayback()
    quiet = cues(renderer, playback, False)
    for kind in (CueKind.START, CueKind.END, CueKind.CLOSING, CueKind.HALFWAY):
        quiet.cue("Begin.", kind)
    words = renderer.render("Begin.", 170).samples
    assert all(np.array_equal(samples, words) for samples, _ in playback.clips)
