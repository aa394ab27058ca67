"""The output stream's mixer, driven block by block with the device clock a test chooses: clips
placed on their sample whatever the block size, when speech really ended, holes found, and
the echo canceller's reference; and the canceller taking a room's echo out of a microphone."""

from __future__ import annotations

import numpy as np
import pytest

from voice.audio.mixer import Clip, Mixer

RATE = 16000
BLOCK = 1024


def _run(mixer: Mixer, blocks: int, start: float = 100.0, late: dict[int, float] | None = None):
    """Fill `blocks` blocks from stream time `start`; `late` delays block n by some seconds."""
    out, at = [], start
    for index in range(blocks):
        at += (late or {}).get(index, 0.0)
        block = np.zeros(BLOCK, np.int16)
        mixer.fill(block, at)
        out.append((at, block))
        at += BLOCK / RATE
    return out


def _tone(seconds: float) -> np.ndarray:
    return np.full(int(seconds * RATE), 1000, np.int16)


@pytest.mark.parametrize("offset_s", [0.0, 0.01, 0.0337, 0.2])
def test_a_clip_given_a_moment_starts_on_its_sample_whatever_the_block(offset_s):
    mixer = Mixer(RATE, BLOCK)
    moment = 100.0 + 0.5 + offset_s
    clip = mixer.add(Clip(_tone(0.3), "start", at=moment))
    blocks = _run(mixer, 20)
    assert clip.started_at == pytest.approx(moment, abs=1 / RATE)
    sound = np.concatenate([block for _, block in blocks])
    first = int(np.flatnonzero(sound)[0])
    assert first == round((moment - 100.0) * RATE)


def test_speech_ends_when_its_last_sample_has_left_not_when_it_was_handed_over():
    mixer = Mixer(RATE, BLOCK)
    clip = mixer.add(Clip(_tone(0.1), "question"))
    _run(mixer, 4)
    assert clip.done.is_set()
    assert clip.ended_at == pytest.approx(100.0 + 0.1, abs=1 / RATE)
    assert mixer.speaking_at(100.05) and not mixer.speaking_at(100.2)
    assert mixer.speaking_at(100.2, tail_s=0.3)  # its echo in the room
    assert not mixer.speaking_at(99.9)  # before it began


def test_an_earcon_is_not_the_assistant_speaking():
    mixer = Mixer(RATE, BLOCK)
    mixer.add(Clip(_tone(0.1), "listening", voice=False))
    _run(mixer, 4)
    assert not mixer.speaking_at(100.05)


def test_a_late_block_inside_a_clip_is_a_dropout_and_one_between_clips_is_not():
    mixer = Mixer(RATE, BLOCK)
    mixer.add(Clip(_tone(0.5), "instruction"))
    _run(mixer, 20, late={3: 0.2, 15: 0.3})  # the clip is over by block 8
    assert len(mixer.dropouts) == 1
    label, gap = mixer.dropouts[0]
    assert label == "instruction" and gap == pytest.approx(0.2, abs=1e-6)


def test_a_cut_clip_ends_where_its_last_handed_sample_does():
    mixer = Mixer(RATE, BLOCK)
    clip = mixer.add(Clip(_tone(2.0), "question"))
    _run(mixer, 3)
    mixer.cut()
    assert clip.done.is_set() and clip.ended_at == pytest.approx(100.0 + 3 * BLOCK / RATE)


def test_the_reference_is_what_sounded_at_each_moment():
    mixer = Mixer(RATE, BLOCK)
    ramp = np.arange(1, 3 * BLOCK + 1, dtype=np.int16)
    mixer.add(Clip(ramp, "words"))
    _run(mixer, 5)
    got = mixer.reference(100.0 + 1000 / RATE, 500)
    assert np.array_equal(got, ramp[1000:1500])
    assert not mixer.reference(99.0, 320).any()  # before anything sounded: silence


def test_the_echo_canceller_takes_a_rooms_echo_out_of_the_microphone():
    pytest.importorskip("pywebrtc_audio")
    from voice.audio.echo import EchoCancelling

    rng = np.random.default_rng(3)
    speech = (rng.normal(0, 4000, RATE * 6)).astype(np.int16)
    mixer = Mixer(RATE, BLOCK)
    mixer.add(Clip(speech, "instruction"))
    _run(mixer, int(6.5 * RATE / BLOCK) + 1)
    delay = int(0.04 * RATE)  # 40 ms from speaker to microphone, 12 dB down
    echo = np.zeros(len(speech), np.int16)
    echo[delay:] = (speech[:-delay] * 0.25).astype(np.int16)

    class Microphone:
        def __init__(self):
            self.at = 0

        def read_timed(self, timeout):
            if self.at >= len(echo):
                return None
            block = echo[self.at:self.at + 320]
            captured = 100.0 + self.at / RATE
            self.at += 320
            return block, captured

    cancelled = EchoCancelling(Microphone(), mixer)
    cleaned = []
    while (timed := cancelled.read_timed(0.0)) is not None:
        cleaned.append(timed[0])
    after = np.concatenate(cleaned)[-2 * RATE:].astype(float)
    before = echo[-2 * RATE:].astype(float)
    reduction_db = 10 * np.log10(np.mean(before ** 2) / max(np.mean(after ** 2), 1e-9))
    assert reduction_db > 15, reduction_db


def test_a_line_growing_sentence_by_sentence_plays_as_one_clip_without_a_hole():
    mixer = Mixer(RATE, BLOCK)
    clip = mixer.add(Clip(_tone(0.1), "line", complete=False))
    _run(mixer, 1)  # the first sentence is sounding while the next renders
    mixer.extend(clip, _tone(0.2), last=True)
    blocks = _run(mixer, 6, start=100.0 + BLOCK / RATE)
    assert clip.done.is_set() and not mixer.dropouts
    assert clip.ended_at == pytest.approx(100.3, abs=1 / RATE)
    sound = np.concatenate([block for _, block in blocks])
    assert np.count_nonzero(sound) == len(_tone(0.3)) - BLOCK  # the rest follows at once


def test_a_next_sentence_rendered_too_late_is_a_hole_and_the_line_is_not_over_until_it_is_complete():
    mixer = Mixer(RATE, BLOCK)
    clip = mixer.add(Clip(_tone(0.05), "line", complete=False))
    _run(mixer, 5)  # 0.32 s: the first sentence ran out at 0.05 s
    assert not clip.done.is_set() and mixer.speaking_at(100.2)  # still the assistant's turn
    mixer.extend(clip, _tone(0.05), last=True)
    _run(mixer, 3, start=100.0 + 5 * BLOCK / RATE)
    assert clip.done.is_set()
    [(label, hole)] = mixer.dropouts
    assert label == "line" and hole == pytest.approx(5 * BLOCK / RATE - 0.05, abs=1 / RATE)


def test_a_line_cut_while_its_next_sentence_renders_stays_cut():
    mixer = Mixer(RATE, BLOCK)
    clip = mixer.add(Clip(_tone(0.5), "line", complete=False))
    _run(mixer, 1)
    mixer.cut()
    mixer.extend(clip, _tone(0.5), last=True)
    blocks = _run(mixer, 10, start=100.0 + BLOCK / RATE)
    assert clip.done.is_set() and not any(np.any(block) for _, block in blocks)


class _CountingCanceller:
    def __init__(self):
        self.calls = 0

    def process(self, near, far):
        self.calls += 1
        return near


@pytest.mark.parametrize("rest", [False, True])
def test_a_resting_canceller_skips_only_blocks_no_sound_could_echo_into(rest):
    pytest.importorskip("pywebrtc_audio")
    from voice.audio.echo import EchoCancelling

    mixer = Mixer(RATE, BLOCK)
    mixer.add(Clip(_tone(0.2), "line"))
    _run(mixer, 20)  # 100.0-101.28 s: sound until 100.2, then silence

    class Blocks:
        def __init__(self, times):
            self.times = list(times)

        def read_timed(self, timeout):
            return (np.zeros(960, np.int16), self.times.pop(0)) if self.times else None

    # during the sound, within the room's half second after it, and long after it
    cancelling = EchoCancelling(Blocks([100.1, 100.5, 101.0]), mixer, rest=lambda: rest)
    cancelling.canceller = _CountingCanceller()
    while cancelling.read_timed(0.0) is not None:
        pass
    assert cancelling.canceller.calls == (2 if rest else 3)
