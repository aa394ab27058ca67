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
import math
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from .content.paths import preferences_path

RATE_MIN = 100
RATE_MAX = 350
RATE_STEP = 20
DEFAULT_TIME_LIMIT_S = 8.0
# "Louder" and "quieter" move the volume (a gain on the speech and the tones, 1.0 being the
# voice as rendered) by this many decibels a step, within these limits: never louder than
# rendered (it would clip), never so quiet that the person cannot hear how to turn it up.
VOLUME_STEP_DB = 4.0
VOLUME_MIN = 0.1  # -20 dB: five steps down from the top
VOLUME_MAX = 1.0


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

    def step_volume(self, steps: int) -> float:
        """Louder (`steps` > 0) or quieter by `VOLUME_STEP_DB` a step, within
        `VOLUME_MIN`..`VOLUME_MAX`; the volume now in force. A step that would pass a limit
        stops at it, so the top and the bottom are always reachable again."""
        # on the grid of whole steps from the top, so five down and five up is where it began
        level = round(20 * math.log10(max(VOLUME_MIN, self._now.volume) / VOLUME_MAX)
                      / VOLUME_STEP_DB) + steps
        wanted = max(VOLUME_MIN, min(VOLUME_MAX, VOLUME_MAX * 10 ** (level * VOLUME_STEP_DB / 20)))
        if steps < 0:  # a saved volume below the lowest step is never raised by "quieter"
            wanted = min(wanted, self._now.volume)
        return self.change(volume=round(wanted, 3)).volume

    def set_earcons(self, on: bool) -> bool:
        """Tones on or off; whether that changed anything."""
        before = self._now.earcons
        return self.change(earcons=on).earcons != before

    def to_save(self, saved: Preferences) -> Preferences | None:
        """`saved` with the person's changes over it, or None when nothing was changed."""
        if not self.changed:
            return None
        return replace(saved, **{name: getattr(self._now, name) for name in self.changed})


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
