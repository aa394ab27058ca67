"""Choosing a recogniser: vosk when a model is installed, else the bundled pocketsphinx."""

from __future__ import annotations

from dataclasses import dataclass

from ..intents import IntentSet
from ..models import ModelError, find_model
from .base import Recognizer

ENGINES = ("auto", "vosk", "pocketsphinx")


@dataclass(frozen=True)
class Choice:
    recognizer: Recognizer
    note: str  # one sentence for the user about what was chosen and why


def make_recognizer(engine: str, intents: IntentSet, model: str | None = None) -> Choice:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine in ("auto", "vosk"):
        try:
            path = find_model(model)
        except ModelError as error:
            if engine == "vosk":
                raise
            from .sphinx_engine import SphinxRecognizer

            return Choice(SphinxRecognizer(intents),
                          "Using the built-in recogniser (no vosk model installed). " + str(error))
        from .vosk_engine import VoskRecognizer

        return Choice(VoskRecognizer(intents, path), f"Using the vosk model at {path}.")
    from .sphinx_engine import SphinxRecognizer

    return Choice(SphinxRecognizer(intents), "Using the built-in pocketsphinx recogniser.")
