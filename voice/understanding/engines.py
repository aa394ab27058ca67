"""Choosing a recogniser: Whisper when it loads, then vosk (with a model in the content's language),
then pocketsphinx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..modelfiles.catalog import DEFAULT_LANGUAGE, Engine, ModelError
from ..modelfiles.find import find_model, is_vosk_dir
from . import ENGINES  # noqa: F401 - the names, kept beside the package
from .base import Recognizer
from .intents.model import IntentSet


@dataclass(frozen=True)
class Choice:
    recognizer: Recognizer
    note: str  # one line for the user: what was chosen, and why the better ones were not


def make_recognizer(engine: str, intents: IntentSet, model: str | None = None,
                    language: str = DEFAULT_LANGUAGE) -> Choice:
    """The engine asked for; for "auto" the first that loads, with a note of what was skipped.

    An explicit engine that cannot load raises ModelError (the user asked for it);
    "auto" moves on to the next and says why in its note.  `language`: the content's (its
    locale, "en_GB"): a model for another language is never taken.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "whisper":
        return _whisper(intents, model, language)
    if engine == "vosk":
        return _vosk(intents, model, language)
    if engine == "pocketsphinx":
        return _sphinx(intents, "Using the built-in pocketsphinx recogniser.")
    skipped = []
    # A --model that is a vosk folder is a choice of vosk, not a broken Whisper model.
    if not (model and is_vosk_dir(Path(model))):
        try:
            return _whisper(intents, model, language)
        except (ModelError, ImportError, RuntimeError) as error:
            skipped.append(f"Whisper: {_one_line(error)}")
    try:
        return _vosk(intents, model, language)
    except (ModelError, ImportError) as error:
        skipped.append(f"vosk: {_one_line(error)}")
    return _sphinx(intents, "Using the pocketsphinx recogniser, which understands fewer answers. "
                   + " ".join(skipped))


def _whisper(intents: IntentSet, model: str | None, language: str) -> Choice:
    path = find_model(Engine.WHISPER, model, language=language)
    from .whisper_engine import WhisperRecognizer

    return Choice(WhisperRecognizer(intents, path), f"Using the Whisper recogniser ({path}).")


def _vosk(intents: IntentSet, model: str | None, language: str) -> Choice:
    path = find_model(Engine.VOSK, model, language=language)
    from .vosk_engine import VoskRecognizer

    return Choice(VoskRecognizer(intents, path), f"Using the vosk model at {path}.")


def _sphinx(intents: IntentSet, note: str) -> Choice:
    from .sphinx_engine import SphinxRecognizer

    return Choice(SphinxRecognizer(intents), note)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
