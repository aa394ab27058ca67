"""How a session is held, from the sound devices there are and what the person asked for.

Three ways: `voice` (spoken, and answered by voice), `speak` (spoken, answers typed: a
desktop with speakers and no microphone) and `text` (printed and typed). What is missing
is said in one short line, because a screen reader reads every line of it aloud.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..audio.devices import Device

Mode = Literal["voice", "speak", "text"]


@dataclass(frozen=True)
class ModeChoice:
    mode: Mode
    notice: str  # one short line for stderr; "" when the session is held as asked


def choose_mode(devices: list[Device], problem: str = "", speak: bool = False) -> ModeChoice:
    """The mode for these devices. `problem`: why no device could be listed at all (PortAudio
    missing); `speak`: the person asked for spoken lines and typed answers (--speak)."""
    if problem:
        return ModeChoice("text", f"{problem.rstrip('.')}. Continuing in text.")
    microphone = any(d.inputs > 0 for d in devices)
    speakers = any(d.outputs > 0 for d in devices)
    if not speakers:
        lacking = "speakers" if microphone or speak else "microphone or speakers"
        return ModeChoice("text", f"No {lacking} found; continuing in text.")
    if speak:
        return ModeChoice("speak", "")
    if not microphone:
        return ModeChoice("speak", "No microphone found: I will speak, and you type.")
    return ModeChoice("voice", "")


SILENT_MICROPHONE = "The microphone sends no audio: I will speak, and you type."
