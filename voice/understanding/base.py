"""The small interface every recogniser implements, and what it returns.

A recogniser turns one utterance (16 kHz mono int16) into text constrained to
a dialog context, or rejects it.  Rejection is a first-class answer: noise,
silence and sentences that are not answers come back with `accepted=False`,
which the dialog treats as "not understood" and reprompts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .intents.model import IntentSet, Match


@dataclass(frozen=True)
class Recognition:
    text: str  # the best in-grammar hypothesis, even when rejected ("" if none)
    accepted: bool
    confidence: float  # 0..1; the engine's rejection score squashed
    engine: str
    audio_s: float
    decode_s: float
    score: float = 0.0  # the raw rejection score the threshold applies to
    reason: str = ""  # why it was rejected
    details: dict = field(default_factory=dict)
    # The text matched in the context it was decoded in, when the engine matched it to decide
    # (Whisper does): the one match of this utterance, carried on instead of made again.
    match: Match | None = None


class Recognizer(Protocol):
    name: str

    def contexts(self) -> list[str]:
        """The dialog contexts this recogniser has grammars for."""

    def decode(self, audio: np.ndarray, context: str) -> Recognition:
        """Recognise one utterance within a context's grammar."""


def understand(recognition: Recognition, intents: IntentSet, context: str) -> Match:
    """A recognition as an intent; a rejection is never an answer."""
    if not recognition.accepted or not recognition.text:
        return Match(recognition.text, None)
    match = recognition.match or intents.match(recognition.text, context)
    if match.intent is None:
        return match
    return Match(match.text, match.intent, match.slots,
                 round(min(match.confidence, recognition.confidence), 3))


def squash(score: float, threshold: float, scale: float) -> float:
    """Map a raw score to 0..1 with the rejection threshold at 0.5."""
    return float(1.0 / (1.0 + np.exp(-(score - threshold) / scale)))
