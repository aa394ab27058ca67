"""Whether a screen reader is running, so voice mode need not print captions it would read
over the assistant's voice.

The check is the running processes' names (`/proc/*/comm`): Orca on a desktop, Fenrir on the
console. Environment variables that turn accessibility on (GTK_MODULES, QT_ACCESSIBILITY,
ACCESSIBILITY_ENABLED) are set on many desktops where no screen reader runs, so they are not
used; `BACKCARE_SCREEN_READER=1` (or 0) says it outright, for a reader this does not know.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

SCREEN_READERS = frozenset({"orca", "fenrir", "fenrir-daemon"})
ENV_SCREEN_READER = "BACKCARE_SCREEN_READER"
YES = ("1", "yes", "true", "on")
NO = ("0", "no", "false", "off")


def process_names(proc: Path = Path("/proc")) -> list[str]:
    """The names of the running processes (empty where there is no /proc)."""
    names = []
    try:
        entries = list(proc.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.name.isdigit():
            try:
                names.append((entry / "comm").read_text(encoding="utf-8", errors="replace").strip())
            except OSError:
                continue  # ended while we looked, or not ours to read
    return names


def screen_reader_running(environ: Mapping[str, str] | None = None,
                          processes: Iterable[str] | None = None) -> bool:
    """True when `BACKCARE_SCREEN_READER` says so, else when a known screen reader is among
    `processes` (default: the running ones)."""
    said = (os.environ if environ is None else environ).get(ENV_SCREEN_READER, "").strip().lower()
    if said in YES:
        return True
    if said in NO:
        return False
    names = process_names() if processes is None else processes
    return any(name in SCREEN_READERS for name in names)


def captions_wanted(asked: bool | None, environ: Mapping[str, str] | None = None,
                    processes: Iterable[str] | None = None) -> bool:
    """Captions in a spoken session: as asked (--captions, --quiet), else on unless a screen
    reader is running."""
    if asked is not None:
        return asked
    return not screen_reader_running(environ, processes)
