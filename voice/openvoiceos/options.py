"""What a device owner can set for the skill in OpenVoiceOS (its `settings.json`, described
to settings editors by `settingsmeta.json` beside this module): whether a journal is kept,
where, one per satellite or one for the device, whether it may be read aloud, and the
country when it should not follow each satellite's language.

Read without OpenVoiceOS, so tested without it; a value of the wrong kind is reported
and its default used, for a typo in a settings file must not stop a symptom check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from ..content.paths import data_dir

DEVICE_SESSION = "default"  # OpenVoiceOS's session for the device's own microphone
SATELLITES = "satellites"  # the journal folder's subfolder holding one journal per satellite
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class SkillOptions:
    keep_journal: bool = True
    journal_folder: str = ""  # empty: the desk's ($BACKCARE_DATA_DIR, else the user's data folder)
    journal_per_satellite: bool = True  # a household's satellites are its rooms, and its people
    read_journal_aloud: bool = True
    locale: str = ""  # "en_GB": one country for every satellite; empty: each satellite's language

    @classmethod
    def read(cls, settings: Mapping[str, object],
             report: Callable[[str], None] = lambda _line: None) -> SkillOptions:
        """The options in `settings`; a value of the wrong kind is reported and left at its
        default."""
        given = {}
        for option in fields(cls):
            if option.name not in settings:
                continue
            value = settings[option.name]
            default = option.default
            if isinstance(default, bool) and isinstance(value, str) and value.lower() in ("true", "false"):
                value = value.lower() == "true"  # settings editors write checkboxes as text
            if type(value) is not type(default):
                report(f"setting {option.name!r} should be {type(default).__name__}, not {value!r}; "
                       f"using {default!r}")
                continue
            given[option.name] = value.strip() if isinstance(value, str) else value
        return cls(**given)

    def journal_of(self, session_id: str) -> str:
        """The journal folder for a conversation in `session_id`: the device's own microphone
        keeps the desk's journal (so `backcare history` tells the same story), and each
        satellite its own, unless the owner chose one journal for the device."""
        base = data_dir(self.journal_folder or None)
        if not self.journal_per_satellite or session_id == DEVICE_SESSION:
            return str(base)
        name = _UNSAFE.sub("_", session_id).strip("._")[:80] or "unnamed"
        return str(Path(base) / SATELLITES / name)
