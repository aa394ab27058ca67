"""Decoding starts on a short silence while listening goes on: kept when the person has
stopped, thrown away when they go on, so the reply comes sooner and no answer is cut."""

from __future__ import annotations

import numpy as np
import pytest
from support.content import shipped_content

from harness.speech import have, synthesise, trimmed
from voice.understanding.base import Recognition
from voice.understanding.engines import make_recognizer
from voice.understanding.listener import SPECULATE_S, Listener
from voice.understanding.vad import VadConfig

RATE = 16000
BLOCK = 160  # 10 ms: the listener sees each frame's silence as it comes
INTENTS = shipped_content().intents


def burst(seconds: float, seed: int) -> np.ndarray:
    """A loud noisy tone the voice activity detector takes for speech."""
    count = int(seconds * RATE)
    tone = 8000 * np.sin(2 * np.pi * 220 * np.arange(count) / RATE)
    noise = np.random.default_rng(seed).normal(0, 3000, count)
    return (tone + noise).astype(np.int16)


def quiet(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.int16)


class Counting:
    """Hears "no" in whatever it is given, and keeps how much audio each decode had and how
    many blocks had been fed when it was asked."""

    name = "counting"

    def __init__(self, fed: list[int]):
        self.fed = fed
        self.decodes: list[tuple[float, int]] = []

    def decode(self, audio: np.ndarray, context: str) -> Recognition:
        self.decodes.append((len(audio) / RATE, len(self.fed)))
        return Recognition("no", True, 1.0, self.name, len(audio) / RATE, 0.0)


class Blocks:
    def __init__(self, signal: np.ndarray, fed: list[int]):
        self.items = [signal[i:i + BLOCK] for i in range(0, len(signal), BLOCK)]
        self.fed = fed

    def read_timed(self, timeout: float):
        if not self.items:
            return None
        self.fed.append(1)
        return self.items.pop(0), len(self.fed) * BLOCK / RATE


def listen(signal: np.ndarray, speculate_s: float | None = SPECULATE_S, answer: bool = True):
    fed: list[int] = []
    recognizer = Counting(fed)
    listener = Listener(Blocks(signal, fed), recognizer, INTENTS, speculate_s=speculate_s)
    heard = listener.listen("yes_no" if answer else "player", None, lambda: 0.0,
                            finish_utterance=answer)
    return heard, recognizer, len(fed)


def test_an_answer_waits_out_a_pause_that_ends_a_command():
    config = VadConfig()
    assert config.answer_hangover_s > config.hangover_s
    pause = (config.hangover_s + config.answer_hangover_s) / 2  # "no ... but I do feel sick"
    signal = np.concatenate([quiet(0.3), burst(0.4, 1), quiet(pause), burst(0.8, 2), quiet(1.0)])
    answer, _, _ = listen(signal)
    command, _, _ = listen(signal, answer=False)
    assert answer.utterance.duration_s >= 0.4 + pause + 0.8 - 0.05
    assert command.utterance.duration_s <= 0.4 + 0.05
    # the answer's end is decided its own wait after the words, the command's sooner
    late = (answer.utterance.detected_at - answer.utterance.speech_end) / RATE
    assert abs(late - config.answer_hangover_s) <= 0.011


def test_an_answer_is_decoded_once_before_its_end_is_decided_and_that_decode_is_the_answer():
    heard, recognizer, fed = listen(np.concatenate([quiet(0.3), burst(0.5, 1), quiet(1.0)]))
    assert heard.kind == "utterance" and heard.intent == "no"
    assert len(recognizer.decodes) == 1
    _, blocks_when_decoded = recognizer.decodes[0]
    hangover = VadConfig().answer_hangover_s  # a question's answer
    # asked after about SPECULATE_S of silence, a hangover's worth of blocks before the end
    assert (fed - blocks_when_decoded) * BLOCK / RATE >= hangover - SPECULATE_S - 0.03
    assert heard.stages is not None and heard.stages.decided <= heard.stages.decoded


def test_the_early_decode_hears_the_same_length_of_audio_as_the_decode_after_the_end():
    signal = np.concatenate([quiet(0.3), burst(0.5, 1), quiet(1.0)])
    early, _, _ = listen(signal)
    late, recognizer, _ = listen(signal, speculate_s=None)
    assert len(recognizer.decodes) == 1
    assert len(early.utterance.audio) == len(late.utterance.audio)
    assert early.utterance.speech_end == late.utterance.speech_end


def test_a_pause_mid_answer_throws_the_early_decode_away_and_the_whole_answer_is_heard():
    # "no ... but I do feel sick": a pause longer than the early decode's silence, shorter
    # than the hangover, then more words
    pause = (SPECULATE_S + VadConfig().answer_hangover_s) / 2
    signal = np.concatenate([quiet(0.3), burst(0.4, 1), quiet(pause), burst(0.8, 2), quiet(1.0)])
    heard, recognizer, _ = listen(signal)
    assert heard.utterance.duration_s >= 0.4 + pause + 0.8 - 0.05  # not cut at the pause
    early, final = recognizer.decodes[0], recognizer.decodes[-1]
    assert len(recognizer.decodes) == 2 and final[0] - early[0] >= pause + 0.8 - 0.05


needs_flite = pytest.mark.skipif(not have("flite"), reason="flite is not installed")


@pytest.fixture(scope="module")
def whisper():
    choice = make_recognizer("whisper", INTENTS)
    if choice.recognizer is None:
        pytest.skip(choice.note)
    return choice.recognizer


def _sweep(*values):
    """The first value in the fast tier, the rest a sweep for the slow one (two Whisper decodes
    each; the mechanism is proved without Whisper above)."""
    return [values[0], *(pytest.param(value, marks=pytest.mark.slow) for value in values[1:])]


@needs_flite
@pytest.mark.parametrize("voice", _sweep("slt", "rms", "awb", "kal16"))
@pytest.mark.parametrize("pause_s", _sweep(0.18, 0.12, 0.24))
def test_people_who_pause_mid_answer_are_heard_to_the_end_not_cut_at_the_early_decode(
        whisper, voice, pause_s):
    """ "No ... but I do feel sick", with a pause longer than the early decode's silence:
    the answer heard is the whole sentence, as it is without the early decode."""
    said = np.concatenate([quiet(0.4), trimmed(synthesise("no", voice)), quiet(pause_s),
                           trimmed(synthesise("but I do feel sick", voice)), quiet(1.0)])
    fed: list[int] = []
    heard = Listener(Blocks(said, fed), whisper, INTENTS).listen("yes_no", None, lambda: 0.0)
    late = Listener(Blocks(said, []), whisper, INTENTS, speculate_s=None).listen(
        "yes_no", None, lambda: 0.0)
    assert heard.utterance.speech_end == late.utterance.speech_end
    assert heard.recognition.text == late.recognition.text
    assert "feel" in heard.recognition.text.lower()  # the words after the pause are in it


def test_a_process_short_of_cpu_decodes_only_once_the_end_is_decided():
    fed: list[int] = []
    recognizer = Counting(fed)
    signal = np.concatenate([quiet(0.3), burst(0.5, 1), quiet(1.0)])
    listener = Listener(Blocks(signal, fed), recognizer, INTENTS, spare_cpu=lambda: False)
    heard = listener.listen("yes_no", None, lambda: 0.0)
    assert heard.intent == "no" and len(recognizer.decodes) == 1
    _, blocks_when_decoded = recognizer.decodes[0]
    assert blocks_when_decoded == len(fed)  # asked only when the end was decided


def test_a_recording_decoded_early_counts_the_wait_or_the_decode_whichever_ends_later():
    from voice.understanding.listener import recognise_stream

    signal = np.concatenate([quiet(0.3), burst(0.5, 1), quiet(1.0)])
    early = recognise_stream([signal[i:i + BLOCK] for i in range(0, len(signal), BLOCK)],
                             Slow(0.4), "yes_no")
    assert early.early
    assert early.latency_s == pytest.approx(SPECULATE_S + 0.4)  # not the wait plus the decode
    quick = recognise_stream([signal[i:i + BLOCK] for i in range(0, len(signal), BLOCK)],
                             Slow(0.05), "yes_no")
    assert quick.latency_s == pytest.approx(quick.endpoint_s)  # the wait is the longer


class Slow:
    """Hears "no", and says each decode took `seconds`."""

    name = "slow"

    def __init__(self, seconds: float):
        self.seconds = seconds

    def decode(self, audio: np.ndarray, context: str) -> Recognition:
        return Recognition("no", True, 1.0, self.name, len(audio) / RATE, self.seconds)
