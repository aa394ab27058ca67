"""The user's own settings (speech rate, voice, volume, earcons, time limit) and their one owner.

Kept between sessions in the user's config folder: a blind user who sets 300
words a minute once should never have to do it again.  During a session the
`PreferenceStore` held by the I/O side is the only copy; the dialog and the
player ask it for a change ("slower"), the speaker and the listener read it,
and the session saves from it, whichever part of the session made the change.
A damaged file is reported and replaced by defaults, never a crash.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

RATE_MIN = 100
RATE_MAX = 350
RATE_STEP = 20
DEFAULT_TIME_LIMIT_S = 8.0


@dataclass(frozen=True)
class Preferences:
    rate_wpm: int = 170
    voice: str | None = None
    volume: float = 1.0
    earcons: bool = True
    # Seconds of silence before a reprompt; None turns the time limit off (WCAG 2.2.1).
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S

    def clamped(self) -> Preferences:
        limit = self.time_limit_s
        return replace(self, rate_wpm=max(RATE_MIN, min(RATE_MAX, int(self.rate_wpm))),
                       volume=max(0.0, min(1.0, float(self.volume))),
                       time_limit_s=None if limit is None else max(1.0, float(limit)))


class PreferenceStore:
    """The session's one copy of the user's preferences.

    `changed` names what the person changed during the session (those are saved);
    values given on the command line for one session are not in it, so they are
    not saved.
    """

    def __init__(self, preferences: Preferences | None = None):
        self._now = (preferences or Preferences()).clamped()
        self.changed: set[str] = set()

    @property
    def now(self) -> Preferences:
        return self._now

    def change(self, **values: object) -> Preferences:
        """Apply a change the person asked for (clamped to the allowed range)."""
        updated = replace(self._now, **values).clamped()  # type: ignore[arg-type]
        self.changed |= {f.name for f in fields(Preferences)
                         if getattr(updated, f.name) != getattr(self._now, f.name)}
        self._now = updated
        return updated

    def step_rate(self, step: int) -> int:
        """Slower or faster by `step` words a minute; the rate now in force."""
        return self.change(rate_wpm=self._now.rate_wpm + step).rate_wpm

    def to_save(self, saved: Preferences) -> Preferences | None:
        """`saved` with the person's changes over it, or None when nothing was changed."""
        if not self.changed:
            return None
        return replace(saved, **{name: getattr(self._now, name) for name in self.changed})


def preferences_path() -> Path:
    override = os.environ.get("BACKCARE_CONFIG_DIR")
    if override:
        return Path(override) / "preferences.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir("backcare", appauthor=False)) / "preferences.json"


class PreferencesError(ValueError):
    """The settings file cannot be read, so it is left alone rather than overwritten."""


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise PreferencesError(f"it is not text ({error.reason})") from None
    except ValueError as error:
        raise PreferencesError(f"it is not valid JSON: {error}") from None
    except OSError as error:
        raise PreferencesError(error.strerror or str(error)) from None
    if not isinstance(data, dict):
        raise PreferencesError("it does not hold a set of named settings")
    return data


def load_preferences(path: Path | None = None) -> tuple[Preferences, str]:
    """The saved preferences (or defaults), and a message when the file could not be used or
    held settings this version does not know."""
    path = path or preferences_path()
    if not path.exists():
        return Preferences(), ""
    try:
        data = _read(path)
        known = {k: v for k, v in data.items() if k in Preferences.__dataclass_fields__}
        preferences = Preferences(**known).clamped()
    except (PreferencesError, ValueError, TypeError) as error:
        return Preferences(), (f"Your saved settings at {path} could not be read ({error}); "
                               "using the defaults, and the file is left as it is.")
    unknown = sorted(set(data) - set(known))
    note = (f"Settings in {path} that this version does not know were ignored (and are kept): "
            f"{', '.join(unknown)}." if unknown else "")
    return preferences, note


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write the preferences, keeping any settings a newer version added. A file that cannot
    be read is never overwritten: PreferencesError says so."""
    path = path or preferences_path()
    existing = _read(path) if path.exists() else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(existing | asdict(preferences.clamped()), indent=2),
                       encoding="utf-8")
    os.replace(partial, path)


def saved_rate() -> int:
    """The speech rate the person chose (what a typed session's durations are estimated at),
    else the default; a file that cannot be read gives the default here (the voice session
    is the one that says so)."""
    return load_preferences()[0].rate_wpm
