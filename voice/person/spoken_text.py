"""The person at speakers and a keyboard: every line and cue spoken, every answer typed.

For a desktop with speakers and no microphone, and for anyone who would rather type than
talk. The speaker says the lines (the same one the voice person uses: rate, voice, volume
and earcons from the one preferences store); the keyboard is a text person, whose one
reader thread takes every typed line. An answer typed while a question is being said cuts
the question short and is its answer: someone who has read the question need not wait for
the voice to finish it. No microphone is opened and no recogniser is loaded.
"""

from __future__ import annotations

import io
import sys
import time
from typing import IO

from ..audio.output import Playback
from ..clock import Clock
from ..conversation.port import Heard
from ..events.routine import CueKind
from ..events.transcript import Transcript
from ..preferences import PreferenceStore
from ..speech.speaker import Speaker
from ..speech.tts import Renderer
from .text import TextPerson

SOUND_WAIT_S = 5.0  # beyond a line's own length: a stream stalled this long has not sounded
POLL_S = 0.02  # how often a question being said looks for a typed answer


class SpokenTextPerson:
    sets_rate = True  # our own voice: the rate is the rate it speaks at
    reads_aloud = True
    types_answers = True  # spoken lines, typed answers

    def __init__(self, speaker: Speaker, keyboard: TextPerson, clock: Clock,
                 transcript: Transcript | None = None, printed: IO[str] | None = None,
                 captions: bool = True):
        self.speaker = speaker
        self.keyboard = keyboard
        self.preferences: PreferenceStore = speaker.preferences  # the one owner, shared
        self.clock = clock
        self.transcript = transcript
        self.printed = printed or sys.stdout
        self.captions = captions  # each line printed as it is said (--quiet, a screen reader: not)
        self._typed: Heard | None = None  # an answer typed over a question, for the next listen

    @property
    def lead_s(self) -> float:
        return self.speaker.lead_s

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        if self.speaker.renderer is None:
            self._print(text)  # no speech engine: the line is read, not heard
            return
        if self._typed is not None:
            return  # answered over the question: nothing more until the dialog takes it
        if self.captions:
            self._print(text)
        clip, seconds = self.speaker.line(spoken or text)
        deadline = time.monotonic() + seconds + SOUND_WAIT_S
        while not self.speaker.sounded(clip, POLL_S):
            if interruptible and self._answered_over_speech():
                self.speaker.cut()
                return
            if time.monotonic() > deadline:
                if not self.captions:
                    self._print(text)  # it never sounded: at least it can be read
                return

    def _answered_over_speech(self) -> bool:
        """A line typed while the question is said (looked for without waiting)."""
        heard = self.keyboard.listen("", self.clock.now())
        if heard.kind == "speech":
            self._typed = heard
            return True
        return False

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        if self.speaker.renderer is None or self.captions:
            self._print(text)
        if self.speaker.renderer is not None:
            self.speaker.cue(spoken or text, kind)

    def cut(self) -> None:
        self.speaker.cut()

    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if self._typed is not None:
            typed, self._typed = self._typed, None
            return typed
        return self.keyboard.listen(context, deadline, prompt_id)

    def _print(self, text: str) -> None:
        """A caption goes through the keyboard, which never prints into a line being typed;
        without captions the keyboard prints nothing, so a line that must be read anyway
        (no speech engine, or it never sounded) is written straight out."""
        try:
            if self.captions:
                self.keyboard.say(text)
            else:
                self.printed.write(text + "\n")
                self.printed.flush()
        except (OSError, ValueError):
            self.captions = False  # the terminal went away: the voice goes on


def spoken_text_person(renderer: Renderer | None, playback: Playback, preferences: PreferenceStore,
                       clock: Clock, transcript: Transcript | None = None, captions: bool = True,
                       stdin: IO[str] | None = None, stdout: IO[str] | None = None
                       ) -> SpokenTextPerson:
    """A speak-and-type person on `playback`. Without captions the keyboard's prompt is not
    printed either (a screen reader would read "greater than" over the voice); the terminal
    then echoes the keys itself."""
    printed = stdout or sys.stdout
    keyboard = TextPerson(clock, stdin, printed if captions else io.StringIO(), preferences)
    return SpokenTextPerson(Speaker(renderer, playback, preferences), keyboard, clock, transcript,
                            printed, captions)
