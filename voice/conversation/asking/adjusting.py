"""Louder, quieter, tones off and tones on: a change to the person's settings said at any
moment, and the one short line that says it was made.

The intents are in dialogs/intents.yaml and the lines in the texts of whoever
hears them (as slower and faster are); the change goes to the person's one
owner of the settings (`PreferenceStore`), which the speaker reads at every
line and every tone, and the session saves.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...preferences import PreferenceStore

SETTING_INTENTS = ("louder", "quieter", "tones_off", "tones_on")
# The lines said back: a step made, or the limit already reached; tones off or on.
REPLY_KEYS = ("louder", "quieter", "loudest", "quietest", "tones_off", "tones_on")


def adjust(preferences: PreferenceStore, intent: str, texts: Mapping[str, object]) -> str:
    """Make the change `intent` asks for; the line that says what was done, from `texts`."""
    if intent in ("louder", "quieter"):
        before = preferences.now.volume
        after = preferences.step_volume(1 if intent == "louder" else -1)
        key = intent if after != before else ("loudest" if intent == "louder" else "quietest")
    elif intent in ("tones_off", "tones_on"):
        preferences.set_earcons(intent == "tones_on")
        key = intent
    else:
        raise ValueError(f"{intent!r} is not a setting said by voice; known: "
                         + ", ".join(SETTING_INTENTS))
    return str(texts[key])
