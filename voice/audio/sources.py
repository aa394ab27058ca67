"""Audio sources: everything the recognisers hear arrives as 16 kHz mono int16 blocks.

WAV files of any rate, width and channel count are converted once on load
(mixed to mono, resampled with soxr, a well-tested band-limited resampler).
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
BLOCK_SECONDS = 0.02


def to_int16(samples: np.ndarray) -> np.ndarray:
    clipped = np.clip(np.round(samples), -32768, 32767)
    return clipped.astype(np.int16)


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling of float or int16 mono audio; returns int16."""
    if rate == target:
        return samples.astype(np.int16) if samples.dtype != np.int16 else samples
    import soxr

    converted = soxr.resample(samples.astype(np.float32), rate, target, quality="HQ")
    return to_int16(converted)


class AudioFileError(ValueError):
    """A file that cannot be read as audio, with the reason in words."""


def read_audio(path: Path | str) -> np.ndarray:
    """Any audio file libsndfile reads (WAV of every kind, extensible and 24-bit included,
    FLAC, OGG...) as 16 kHz mono int16: channels averaged, resampled.

    soundfile is used rather than the standard `wave` module, which refuses the
    WAVE_FORMAT_EXTENSIBLE files sox and many recorders write."""
    import soundfile

    where = Path(path)
    if where.is_dir():
        raise AudioFileError(f"{path} is a folder, not an audio file")
    if not where.exists():
        raise AudioFileError(f"{path} does not exist")
    if where.stat().st_size == 0:
        raise AudioFileError(f"{path} is empty")
    try:
        data, rate = soundfile.read(str(where), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as error:
        reason = str(error).split(": ", 1)[-1] if ": " in str(error) else str(error)
        raise AudioFileError(f"{path} is not audio that can be read ({reason.strip()})") from None
    except OSError as error:
        raise AudioFileError(f"{path} cannot be read ({error.strerror or error})") from None
    if data.size == 0:
        raise AudioFileError(f"{path} holds no sound (0 samples)")
    mono = data.mean(axis=1) * 32767.0
    return resample(mono, int(rate)) if rate != SAMPLE_RATE else to_int16(mono)


def write_wav(path: Path | str, samples: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(samples.astype("<i2").tobytes())


def blocks(samples: np.ndarray, block_seconds: float = BLOCK_SECONDS) -> Iterator[np.ndarray]:
    """Cut audio into the fixed-size blocks a microphone would deliver."""
    size = int(SAMPLE_RATE * block_seconds)
    for start in range(0, len(samples), size):
        yield samples[start:start + size]


def with_silence(samples: np.ndarray, before: float = 0.5, after: float = 0.8) -> np.ndarray:
    """Pad with digital silence: corpus clips often start and stop mid-word."""
    return np.concatenate([np.zeros(int(before * SAMPLE_RATE), np.int16), samples,
                           np.zeros(int(after * SAMPLE_RATE), np.int16)])


def wav_blocks(path: Path | str, block_seconds: float = BLOCK_SECONDS, pad: bool = True
               ) -> Iterator[np.ndarray]:
    samples = read_audio(path)
    yield from blocks(with_silence(samples) if pad else samples, block_seconds)
