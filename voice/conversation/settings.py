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

    @property
    def emergency_number_spoken(self) -> str:
        """The number as a voice must say it, digit by digit ("9 1 1"): every voice reads "911"
        as a quantity ("nine hundred eleven"). Printed lines keep "911"."""
        return " ".join(self.emergency_number.replace(" ", ""))

    def fill(self, text: str, spoken: bool = False) -> str:
        """Put the session's numbers into content text, as printed or as said out loud."""
        return text.replace("{emergency_number}", self.emergency_number_spoken if spoken
                            else self.emergency_number)

    def __post_init__(self) -> None:
        if not self.emergency_number.strip() or not self.emergency_number.replace(" ", "").isdigit():
            raise ValueError(f"emergency number must be digits, got {self.emergency_number!r}")
        if self.retries < 0:
            raise ValueError("retries cannot be negative")
