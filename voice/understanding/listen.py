"""Streaming recognition: blocks in, the first utterance's recognition out, with its timing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ..audio.sources import SAMPLE_RATE
from .base import Recognition, Recognizer
from .vad import Endpointer, Utterance, VadConfig


@dataclass(frozen=True)
class Heard:
    recognition: Recognition
    utterance: Utterance
    endpoint_s: float  # audio fed after the last speech sample before the end was decided

    @property
    def latency_s(self) -> float:
        """From the end of speech to the recognition being ready (stream time + compute)."""
        return self.endpoint_s + self.recognition.decode_s


def recognise_stream(blocks: Iterable[np.ndarray], recognizer: Recognizer, context: str,
                     vad: VadConfig | None = None) -> Heard | None:
    """Recognise the first utterance in a stream; None if the stream held no speech."""
    endpointer = Endpointer(vad)
    for block in blocks:
        utterance = endpointer.feed(block)
        if utterance is not None:
            return _decode(utterance, recognizer, context)
    utterance = endpointer.flush()
    return _decode(utterance, recognizer, context) if utterance is not None else None


def _decode(utterance: Utterance, recognizer: Recognizer, context: str) -> Heard:
    recognition = recognizer.decode(utterance.audio, context)
    endpoint = (utterance.detected_at - utterance.speech_end) / SAMPLE_RATE
    return Heard(recognition, utterance, max(endpoint, 0.0))
