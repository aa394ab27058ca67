"""The user's speech preferences, kept between sessions in their config folder.

Rate, voice, volume and earcons on/off persist; a blind user who sets 300 words
a minute once should never have to do it again.  A damaged file is reported
and replaced by defaults, never a crash.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from .conversation.settings import RATE_MAX, RATE_MIN


@dataclass(frozen=True)
class Preferences:
    rate_wpm: int = 170
    voice: str | None = None
    volume: float = 1.0
    earcons: bool = True

    def clamped(self) -> Preferences:
        return replace(self, rate_wpm=max(RATE_MIN, min(RATE_MAX, int(self.rate_wpm))),
                       volume=max(0.0, min(1.0, float(self.volume))))


def preferences_path() -> Path:
    override = os.environ.get("BACKCARE_CONFIG_DIR")
    if override:
        return Path(override) / "preferences.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir("backcare", appauthor=False)) / "preferences.json"


def load_preferences(path: Path | None = None) -> tuple[Preferences, str]:
    """The saved preferences (or defaults), and a message if the file could not be used."""
    path = path or preferences_path()
    if not path.exists():
        return Preferences(), ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Preferences.__dataclass_fields__}
        return Preferences(**known).clamped(), ""
    except (ValueError, TypeError, OSError) as error:
        return Preferences(), f"Your saved settings at {path} could not be read ({error}); using defaults."


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    path = path or preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(preferences.clamped()), indent=2), encoding="utf-8")
    os.replace(partial, path)
