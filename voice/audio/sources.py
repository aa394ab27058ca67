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


def read_wav(path: Path | str) -> np.ndarray:
    """A WAV file as 16 kHz mono int16, whatever its own format."""
    with wave.open(str(path), "rb") as source:
        rate = source.getframerate()
        channels = source.getnchannels()
        width = source.getsampwidth()
        raw = source.readframes(source.getnframes())
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) * 256.0
    elif width == 2:
        data = np.frombuffer(raw, dtype="<i2").astype(np.float32)
    elif width == 3:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        as32 = (bytes3[:, 0].astype(np.int32) | (bytes3[:, 1].astype(np.int32) << 8)
                | (bytes3[:, 2].astype(np.int32) << 16))
        as32 = np.where(as32 & 0x800000, as32 - 0x1000000, as32)
        data = as32.astype(np.float32) / 256.0
    elif width == 4:
        data = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 65536.0
    else:
        raise ValueError(f"{path}: unsupported sample width {width} bytes")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return resample(data, rate) if rate != SAMPLE_RATE else to_int16(data)


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
    samples = read_wav(path)
    yield from blocks(with_silence(samples) if pad else samples, block_seconds)
