"""How a conversation runs, fixed for a session: the emergency number and the retries.

What the person may change while talking (rate, voice, volume, earcons, time
limit) is not here: it has one owner on the I/O side (`voice.preferences`).
"""

from __future__ import annotations

from dataclasses import dataclass

# Common emergency numbers: 911 (North America), 112 (EU and most of the world), 999 (UK, IE).
EMERGENCY_NUMBERS = ("911", "112", "999")


@dataclass(frozen=True)
class Settings:
    emergency_number: str = "911"
    # Reprompts after a no-match or a silence before the dialog gives up on a question.
    retries: int = 2

    def __post_init__(self) -> None:
        if not self.emergency_number.strip() or not self.emergency_number.replace(" ", "").isdigit():
            raise ValueError(f"emergency number must be digits, got {self.emergency_number!r}")
        if self.retries < 0:
            raise ValueError("retries cannot be negative")
