"""Vosk (Kaldi) with a runtime grammar per dialog context.

Vosk is preferred whenever a model is installed.  Its grammar is swapped with
`SetGrammar` when the context changes (one recogniser, no reload), and always
includes `[unk]`, so speech outside the grammar has somewhere to go instead of
being forced onto the nearest phrase.  A result is rejected when it is empty,
contains `[unk]`, is not a whole phrase of the grammar, or any word's
confidence is below the threshold.  Endpointing is ours (see `vad.py`): the
utterance is fed whole and finalised with `FinalResult()` at once.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from ..audio.sources import SAMPLE_RATE
from ..modelfiles.catalog import ModelError
from .base import Recognition, squash
from .grammar import context_phrases, vosk_grammar
from .intents.model import IntentSet


class VoskRecognizer:
    name = "vosk"

    def __init__(self, intents: IntentSet, model_path: Path | str, min_word_confidence: float = 0.6):
        import vosk

        vosk.SetLogLevel(-2)
        try:
            self._model = vosk.Model(str(model_path))
        except Exception as error:  # vosk raises a bare Exception for a bad model
            raise ModelError(f"vosk could not load the model at {model_path}: {error}") from None
        self.model_path = Path(model_path)
        self.min_word_confidence = min_word_confidence
        self.phrases: dict[str, dict[str, str]] = {}
        for context in intents.context_names():
            self.phrases[context] = context_phrases(
                intents, context, known=lambda word: self._model.vosk_model_find_word(word) != -1)
        self._recognizer = vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        self._recognizer.SetWords(True)
        self._context: str | None = None

    def contexts(self) -> list[str]:
        return [context for context, phrases in self.phrases.items() if phrases]

    def use_context(self, context: str) -> None:
        """Swap the grammar in place; called when the dialog moves to another state."""
        if context == self._context:
            return
        if context not in self.phrases:
            raise KeyError(f"no grammar for context {context!r}")
        grammar = vosk_grammar(list(self.phrases[context]))
        self._recognizer.SetGrammar(json.dumps(grammar, ensure_ascii=False))
        self._recognizer.Reset()
        self._context = context

    def decode(self, audio: np.ndarray, context: str) -> Recognition:
        began = time.perf_counter()
        self.use_context(context)
        self._recognizer.AcceptWaveform(audio.astype("<i2").tobytes())
        result = json.loads(self._recognizer.FinalResult())
        self._recognizer.Reset()
        audio_s = len(audio) / SAMPLE_RATE
        words = result.get("result", [])
        text = result.get("text", "").strip()
        confidences = [float(word.get("conf", 0.0)) for word in words]
        lowest = min(confidences) if confidences else 0.0
        reason = ""
        if not text:
            reason = "nothing recognised"
        elif "[unk]" in text.split():
            reason = "speech outside the grammar ([unk])"
        elif text not in self.phrases[context]:
            reason = f"not a whole phrase of the grammar: {text!r}"
        elif lowest < self.min_word_confidence:
            reason = f"low word confidence ({lowest:.2f} < {self.min_word_confidence:.2f})"
        return Recognition(
            text, not reason, squash(lowest, self.min_word_confidence, 0.1) if text else 0.0,
            self.name, audio_s, time.perf_counter() - began, lowest, reason,
            {"words": [(w.get("word"), round(float(w.get("conf", 0)), 3)) for w in words]})
