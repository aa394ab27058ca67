"""The person on the other side of a voice assistant (OpenVoiceOS): its voice, its ear.

The assistant owns the microphone, the recogniser and the speaker; it lends
them to the conversation through a `Voicebox`: speak a line (waiting until it
has been said, or not), listen once for the answer to the question just asked,
stop speaking.  Words that reach the skill between answers (a command while a
routine plays, the assistant's own "stop") arrive by `hear` and `stop` from the
assistant's threads and wait in one inbox for the conversation's next `listen`.

So the same dialog, safety rules and routine player run here as in text and
voice, and the words the assistant recognised are matched by our own intents
("no, but I feel sick" is a no that carries a symptom here too).
"""

from __future__ import annotations

import queue
import threading
from typing import Protocol

from ..clock import Clock
from ..conversation.contexts import Context
from ..conversation.port import Heard
from ..preferences import PreferenceStore
from ..understanding.intents import IntentSet, Match

STOP = "stop"  # the intent the assistant's own stop becomes
STEP_S = 0.05  # how often a wait for a command looks at the inbox (clock seconds)


class Voicebox(Protocol):
    """What the assistant lends: all three may block, none raises for an absent listener."""

    def speak(self, text: str, wait: bool) -> None:
        """Say `text`; with `wait`, return once it has been said (or the assistant gave up)."""

    def answer(self) -> str | None:
        """Listen once for an answer, without the wake word: the words, or None when nothing
        came before the assistant's own time limit (or the question was cancelled)."""

    def silence(self) -> None:
        """Stop whatever the assistant is saying now."""


class AssistantPerson:
    """A `Person` whose voice and ear are a voice assistant's."""

    lead_s = 0.0  # the assistant's speech starts when it starts: its delay is not ours to know
    sets_rate = False  # the assistant's voice keeps the speed set in the assistant

    def __init__(self, voicebox: Voicebox, clock: Clock, intents: IntentSet,
                 preferences: PreferenceStore | None = None):
        self.voicebox = voicebox
        self.clock = clock
        self.intents = intents
        self.preferences = preferences or PreferenceStore()
        self._inbox: queue.Queue[Heard] = queue.Queue()
        self._lock = threading.Lock()
        self._context: str = Context.PLAYER  # where words heard between answers are matched
        self.closed = False

    # ------------------------------------------------------------ speech out
    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self.voicebox.speak(spoken or text, wait=True)

    def cue(self, text: str, kind: str, duration: float, spoken: str | None = None) -> None:
        self.voicebox.speak(spoken or text, wait=False)  # the player keeps the time

    def cut(self) -> None:
        self.voicebox.silence()

    # ------------------------------------------------------------- words in
    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        with self._lock:
            self._context = context
        waiting = self._waiting(context)
        if waiting is not None or self.closed:
            return waiting or Heard("closed")
        if prompt_id is None:  # a command while a routine plays: wait for the inbox
            return self._next(context, deadline)
        words = self.voicebox.answer()
        waiting = self._waiting(context)  # a stop that came while listening ends the wait
        if waiting is not None:
            return waiting
        if words is None:
            return Heard("closed") if self.closed else Heard("no_input")
        return Heard("speech", words) if words.strip() else Heard("no_input")

    def understands(self, words: str) -> Match:
        """What `words`, heard between answers, mean where the conversation listens now; an
        assistant asks this before handing them over, so the meaning is found once."""
        with self._lock:
            context = self._context
        return self.intents.match(words, context)

    def hear(self, words: str, match: Match | None = None) -> None:
        """Words the assistant passed on (with the match `understands` made, if any)."""
        with self._lock:
            context = self._context
        self._inbox.put(Heard("speech", words, match, context if match is not None else None))

    def stop(self, words: str = STOP) -> None:
        """The assistant's own stop: speech ends now, and the conversation hears a stop."""
        self.voicebox.silence()
        with self._lock:
            context = self._context
        self._inbox.put(Heard("speech", words, Match(words, STOP, confidence=1.0), context))

    def close(self) -> None:
        """The assistant is going away: the conversation ends as at the end of typed input."""
        self.closed = True
        self._inbox.put(Heard("closed"))

    # --------------------------------------------------------------- helpers
    def _waiting(self, context: str) -> Heard | None:
        try:
            return self._in_context(self._inbox.get_nowait(), context)
        except queue.Empty:
            return None

    def _next(self, context: str, deadline: float | None) -> Heard:
        """Words from the inbox, else no_input at the deadline; the wait goes in small steps of
        the conversation's clock, so a test's faster clock makes the routine faster too."""
        while True:
            waiting = self._waiting(context)
            if waiting is not None:
                return waiting
            if self.closed:
                return Heard("closed")
            now = self.clock.now()
            if deadline is not None and now >= deadline:
                return Heard("no_input")
            self.clock.sleep(STEP_S if deadline is None else min(STEP_S, deadline - now))

    @staticmethod
    def _in_context(heard: Heard, context: str) -> Heard:
        """A stop means stop wherever it is heard; other words keep their match only if it was
        made where they are now heard."""
        if heard.match is not None and heard.match.intent == STOP:
            return Heard(heard.kind, heard.text, heard.match, context)
        return heard
