"""Earcons: short generated tones, never sound files, never a click.

Each earcon is a few sine notes with raised-cosine fades at both ends of every
note (a hard edge on a tone is heard as a click).  They are distinct in pitch
direction and rhythm, so they can be told apart without looking.
"""

from __future__ import annotations

import numpy as np

EARCON_SAMPLE_RATE = 22050
AMPLITUDE = 0.3
FADE_S = 0.012

# name -> notes as (frequency Hz, seconds), with a short gap between notes.
EARCONS: dict[str, tuple[tuple[float, float], ...]] = {
    "listening": ((660.0, 0.07), (990.0, 0.09)),  # up: your turn
    "not_understood": ((494.0, 0.09), (370.0, 0.12)),  # down: try again
    "hold_start": ((880.0, 0.15),),  # one bright tone: begin
    "hold_end": ((587.0, 0.08), (587.0, 0.08), (440.0, 0.2)),  # two short, one long: release
    "routine_end": ((523.0, 0.1), (659.0, 0.1), (784.0, 0.1), (1047.0, 0.25)),  # arpeggio: done
}
GAP_S = 0.04


def _note(frequency: float, seconds: float, sample_rate: int) -> np.ndarray:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    tone = np.sin(2 * np.pi * frequency * t)
    fade = min(int(FADE_S * sample_rate), len(t) // 2)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, fade))
    envelope = np.ones_like(t)
    envelope[:fade] = ramp
    envelope[-fade:] = ramp[::-1]
    return tone * envelope


def earcon(name: str, sample_rate: int = EARCON_SAMPLE_RATE, volume: float = 1.0) -> np.ndarray:
    """The earcon as int16 samples at `sample_rate`."""
    if name not in EARCONS:
        raise KeyError(f"unknown earcon {name!r}; known: {', '.join(EARCONS)}")
    parts = []
    for index, (frequency, seconds) in enumerate(EARCONS[name]):
        if index:
            parts.append(np.zeros(int(GAP_S * sample_rate)))
        parts.append(_note(frequency, seconds, sample_rate))
    samples = np.concatenate(parts) * AMPLITUDE * max(0.0, min(volume, 1.0))
    return np.round(samples * 32767).astype(np.int16)


def duration_s(name: str) -> float:
    notes = EARCONS[name]
    return sum(seconds for _, seconds in notes) + GAP_S * (len(notes) - 1)
