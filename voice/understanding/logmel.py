"""Whisper's log-mel spectrogram, in NumPy, for a window shorter than Whisper's 30 s.

faster-whisper pads every input to 30 s (3000 frames) whatever its length,
and the encoder's cost grows with the frames it is given: tiny.en's encoder
takes about 230 ms for 30 s and 24 ms for 10 s on two cores
(shared/research/recognition_engines.md).  A spoken answer is a second or
two, so we compute the features ourselves for a 10 s window and hand them to
CTranslate2 directly.  The numbers are those of Whisper's front end (equal to
the last bit to faster-whisper 1.2.1's FeatureExtractor on a real 10 s
window): 25 ms Hann windows every 10 ms, 80 Slaney mel bands, log10 clamped
8 decades below the peak, then scaled to about -1..1.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..audio.sources import SAMPLE_RATE  # what Whisper was trained on

N_FFT = 400
HOP = 160
N_MELS = 80


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    mel = hz / (200.0 / 3)
    log_region = hz >= 1000.0
    mel[log_region] = 15.0 + np.log(hz[log_region] / 1000.0) / (np.log(6.4) / 27.0)
    return mel


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    hz = mel * (200.0 / 3)
    log_region = mel >= 15.0
    hz[log_region] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel[log_region] - 15.0))
    return hz


@lru_cache(maxsize=2)
def mel_filters(n_mels: int = N_MELS) -> np.ndarray:
    """Triangular Slaney-normalised filters, shape (n_mels, N_FFT // 2 + 1)."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    mel_points = _mel_to_hz(np.linspace(_hz_to_mel(np.array([0.0]))[0],
                                        _hz_to_mel(np.array([SAMPLE_RATE / 2]))[0], n_mels + 2))
    spacing = np.diff(mel_points)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    weights = np.zeros((n_mels, len(fft_freqs)))
    for band in range(n_mels):
        lower = -ramps[band] / spacing[band]
        upper = ramps[band + 2] / spacing[band + 1]
        weights[band] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_points[2:n_mels + 2] - mel_points[:n_mels]))[:, None]
    return weights.astype(np.float32)


def log_mel(audio: np.ndarray, window_s: float) -> np.ndarray:
    """Features for `audio` (int16 or float in -1..1) padded or cut to `window_s` seconds.

    Returns float32 of shape (N_MELS, window_s * 100).
    """
    samples = audio.astype(np.float32)
    if audio.dtype == np.int16:
        samples /= 32768.0
    length = int(round(window_s * SAMPLE_RATE))
    padded = np.zeros(length, np.float32)
    padded[:min(length, len(samples))] = samples[:length]
    # torch.stft(center=True) reflects N_FFT // 2 samples at each end; Whisper drops the last frame.
    framed_input = np.pad(padded, N_FFT // 2, mode="reflect")
    frames = 1 + (len(framed_input) - N_FFT) // HOP
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)  # periodic Hann, as torch.hann_window
    spectrum = np.fft.rfft(framed_input[index] * window, axis=1)
    power = (np.abs(spectrum[:-1]) ** 2).T.astype(np.float32)
    mel = mel_filters() @ power
    log_spec = np.log10(np.maximum(mel, 1e-10))
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    return ((log_spec + 4.0) / 4.0).astype(np.float32)
