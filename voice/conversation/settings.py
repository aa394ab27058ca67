"""How a conversation runs, fixed for a session: the numbers to call and the retries.

What the person may change while talking (rate, voice, volume, earcons, time
limit) is not here: it has one owner on the I/O side (`voice.preferences`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..content.placeholders import fill

# Common emergency numbers: 911 (North America), 112 (EU and most of the world), 999 (UK, IE).
# Each locale gives its own, with its source (dialogs/locales/).
EMERGENCY_NUMBERS = ("911", "112", "999")


def digits_spoken(number: str) -> str:
    """A number to dial as a voice and a screen reader must say it, digit by digit, its
    groups apart ("911" → "9 1 1", "1800 022 222" → "1 8 0 0, 0 2 2, 2 2 2"): every voice,
    and a screen reader reading the printed line, reads "911" as a quantity ("nine hundred
    eleven")."""
    return ", ".join(" ".join(group) for group in number.split())


@dataclass(frozen=True)
class Settings:
    emergency_number: str = "911"
    # Reprompts after a no-match or a silence before the dialog gives up on a question.
    retries: int = 2
    # Other numbers the locale's words name ("NHS 111"), said digit by digit too.
    numbers_to_dial: tuple[str, ...] = ()
    # Today, for weekdays in answers ("I fell on Sunday"); None: the day the dialog starts.
    today: date | None = None

    @property
    def emergency_number_spoken(self) -> str:
        """The emergency number as it is printed and said: "9 1 1"."""
        return digits_spoken(self.emergency_number)

    def fill(self, text: str, spoken: bool = False) -> str:
        """Put the session's numbers into content text, every number to dial digit by digit.

        One form travels to the voice and to the screen: a screen reader reads the printed
        line aloud, so "call 911" printed is heard "call nine hundred and eleven" (issue 29).
        `spoken` asks for the form said out loud, which is now the printed form too."""
        del spoken  # the same text either way; callers that ask for both get it twice
        for number in self.numbers_to_dial:
            text = re.sub(rf"(?<!\d){re.escape(number)}(?!\d)", digits_spoken(number), text)
        return fill(text, emergency_number=self.emergency_number_spoken)

    def __post_init__(self) -> None:
        if not self.emergency_number.strip() or not self.emergency_number.replace(" ", "").isdigit():
            raise ValueError(f"emergency number must be digits, got {self.emergency_number!r}")
        if self.retries < 0:
            raise ValueError("retries cannot be negative")
