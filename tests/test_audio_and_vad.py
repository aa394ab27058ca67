"""WAV sources of any format become 16 kHz mono; the endpointer finds speech and ends it quickly."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from harness.speech import have, synthesise
from voice.audio.sources import SAMPLE_RATE, blocks, read_audio, with_silence
from voice.understanding.vad import Endpointer, VadConfig


def _write(path, samples: np.ndarray, rate: int, channels: int, width: int) -> None:
    with wave.open(str(path), "wb") as sink:
        sink.setnchannels(channels)
        sink.setsampwidth(width)
        sink.setframerate(rate)
        if width == 3:
            as32 = samples.astype(np.int32).reshape(-1)
            raw = np.stack([(as32 >> s) & 0xFF for s in (0, 8, 16)], axis=1).astype(np.uint8)
            sink.writeframes(raw.tobytes())
        else:
            sink.writeframes(samples.astype(f"<i{width}").tobytes())


@pytest.mark.parametrize(("rate", "channels", "width"), [(8000, 1, 2), (44100, 2, 2), (22050, 1, 3),
                                                         (48000, 2, 4)])
def test_any_wav_is_read_as_16k_mono_with_its_duration_and_pitch(tmp_path, rate, channels, width):
    seconds = 0.5
    t = np.arange(int(rate * seconds)) / rate
    tone = np.sin(2 * np.pi * 440 * t) * 0.5 * (2 ** (8 * width - 1) - 1)
    frames = np.repeat(tone[:, None], channels, axis=1)
    path = tmp_path / "x.wav"
    _write(path, frames, rate, channels, width)
    audio = read_audio(path)
    assert audio.dtype == np.int16
    assert abs(len(audio) - SAMPLE_RATE * seconds) <= 2
    spectrum = np.abs(np.fft.rfft(audio.astype(float)))
    assert abs(np.argmax(spectrum) * SAMPLE_RATE / len(audio) - 440) < 5
    assert 0.4 < np.max(np.abs(audio)) / 32767 < 0.6


def _utterances(audio: np.ndarray, config: VadConfig | None = None):
    endpointer = Endpointer(config)
    found = [u for block in blocks(audio) if (u := endpointer.feed(block)) is not None]
    last = endpointer.flush()
    return found + ([last] if last else [])


def test_silence_and_faint_hiss_hold_no_utterance():
    rng = np.random.default_rng(1)
    assert _utterances(np.zeros(SAMPLE_RATE * 2, np.int16)) == []
    hiss = (rng.normal(0, 8, SAMPLE_RATE * 2)).astype(np.int16)
    assert _utterances(hiss) == []


@pytest.mark.skipif(not have("flite"), reason="flite is not installed (apt-get install flite)")
def test_speech_is_found_and_ended_after_the_hangover():
    speech = synthesise("yes")
    audio = with_silence(speech, before=1.0, after=1.0)
    config = VadConfig()
    found = _utterances(audio, config)
    assert len(found) == 1
    utterance = found[0]
    loud = np.nonzero(np.abs(speech) > 500)[0]
    true_start = SAMPLE_RATE + loud[0]
    true_end = SAMPLE_RATE + loud[-1]
    # Quiet breath before the loud part may count as speech; it must not start late.
    assert true_start - 0.3 * SAMPLE_RATE <= utterance.speech_start <= true_start + 0.05 * SAMPLE_RATE
    assert abs(utterance.speech_end - true_end) < 0.1 * SAMPLE_RATE
    delay = (utterance.detected_at - utterance.speech_end) / SAMPLE_RATE
    assert config.hangover_s - 0.011 <= delay <= config.hangover_s + 0.011
    # The utterance keeps some audio before the speech, so the recogniser hears the onset.
    assert utterance.speech_start - (utterance.detected_at - len(utterance.audio)) > 0


def test_a_click_shorter_than_the_minimum_is_dropped():
    audio = np.zeros(SAMPLE_RATE, np.int16)
    audio[8000:8400] = (np.sin(np.arange(400)) * 20000).astype(np.int16)
    assert _utterances(audio) == []
