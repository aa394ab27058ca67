"""User preferences that change how the assistant speaks and waits.

Kept in one small dataclass so every component receives them explicitly.
Persistence to the user's settings file comes with the voice issue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

RATE_MIN = 100
RATE_MAX = 350
RATE_STEP = 20
# Common emergency numbers: 911 (North America), 112 (EU and most of the world), 999 (UK, IE).
EMERGENCY_NUMBERS = ("911", "112", "999")


@dataclass(frozen=True)
class Settings:
    emergency_number: str = "911"
    rate_wpm: int = 170
    # Seconds of silence before a reprompt; None turns the time limit off (WCAG 2.2.1).
    no_input_timeout: float | None = 8.0
    # Reprompts after a no-match or a silence before the dialog gives up on a question.
    retries: int = 2

    def __post_init__(self) -> None:
        if not self.emergency_number.strip() or not self.emergency_number.replace(" ", "").isdigit():
            raise ValueError(f"emergency number must be digits, got {self.emergency_number!r}")
        if not RATE_MIN <= self.rate_wpm <= RATE_MAX:
            raise ValueError(f"speech rate must be {RATE_MIN}..{RATE_MAX} wpm")
        if self.no_input_timeout is not None and self.no_input_timeout <= 0:
            raise ValueError("no-input timeout must be positive, or None for no limit")
        if self.retries < 0:
            raise ValueError("retries cannot be negative")

    def with_rate(self, wpm: int) -> Settings:
        """A copy with the rate clamped to the allowed range."""
        return replace(self, rate_wpm=max(RATE_MIN, min(RATE_MAX, wpm)))
