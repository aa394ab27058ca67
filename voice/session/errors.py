"""Why a voice session was not held, or not to its end, as types the command line acts on.

The session says what happened in one line (a screen reader reads every line aloud);
what follows is the caller's: a command carries on in text after a `TextInstead`, and
`voice.cli.errors` turns the others into an exit status.  Nothing here imports the audio
stack, so a typed session can catch these where the desktop extra is not installed.
"""

from __future__ import annotations


class VoiceSessionError(Exception):
    """A voice session that cannot start or go on; the message is one line for the person."""


class TextInstead(VoiceSessionError):
    """The session gives way to text: the same conversation can be held typed."""


class NoSound(TextInstead):
    """No speakers (or no sound system at all) here, found before anything was said."""


class SpeechFailed(TextInstead):
    """The recogniser or the speech engine failed during the session (a broken model file):
    the devices are closed and the journal says the session ended with an error."""


class NoSuchDevice(VoiceSessionError):
    """A microphone or speakers named with --input-device or --output-device that is not
    there, or cannot play or record: the person can fix what they typed."""


class DeviceGoneForGood(VoiceSessionError):
    """A device stopped during the session and did not come back in time.  The session has
    ended rather than turned into text halfway: the person may have walked away from a
    headset, and the line says how to start again."""
