"""The person on the other side of a voice assistant (OpenVoiceOS): its voice, its ear.

The assistant owns the microphone, the recogniser and the speaker; it lends
them to the conversation through a `Voicebox`: speak a line (waiting until it
has been said, or not), open the microphone for an answer, stop speaking.  What
the assistant then hears reaches the conversation from the assistant's threads:
`answer` while a question waits for one, `hear` for a command between answers
(a routine playing), `stop` for the assistant's own stop.  All of it goes
through one inbox the conversation reads.

An answer is what the person said to this question: when a question opens, words
still waiting from before it (a start phrase, a command meant for something that
has ended) are thrown away; only a stop outlives it.  So the same dialog, safety
rules and routine player run here as in text and voice, and the words the
assistant recognised are matched by our own intents ("no, but I feel sick" is a
no that carries a symptom here too).
"""

from __future__ import annotations

import queue
import threading
from typing import Protocol

from ..clock import Clock
from ..conversation.contexts import Context
from ..conversation.port import Heard
from ..events.routine import CueKind
from ..preferences import PreferenceStore
from ..understanding.intents.model import IntentSet, Match

STOP = "stop"  # the intent the assistant's own stop becomes
STEP_S = 0.05  # how often a wait for a command looks at the inbox (clock seconds)
ANSWER_WAIT_S = 20.0  # how long a question waits for an answer (the assistant's own default)


class Voicebox(Protocol):
    """What the assistant lends: none raises for an absent listener."""

    def speak(self, text: str, wait: bool) -> None:
        """Say `text`; with `wait`, return once it has been said (or the assistant gave up)."""

    def listen(self) -> None:
        """Open the microphone for an answer, without the wake word; returns at once (the
        words come back by `AssistantPerson.answer`)."""

    def silence(self) -> None:
        """Stop whatever the assistant is saying now."""


class AssistantPerson:
    """A `Person` whose voice and ear are a voice assistant's."""

    lead_s = 0.0  # the assistant's speech starts when it starts: its delay is not ours to know
    sets_rate = False  # the assistant's voice keeps the speed set in the assistant
    reads_aloud = True
    types_answers = False

    def __init__(self, voicebox: Voicebox, clock: Clock, intents: IntentSet,
                 preferences: PreferenceStore | None = None, answer_wait_s: float = ANSWER_WAIT_S):
        self.voicebox = voicebox
        self.clock = clock
        self.intents = intents
        self.preferences = preferences or PreferenceStore()
        self.answer_wait_s = answer_wait_s  # real seconds: the assistant's microphone, not our clock
        self._inbox: queue.Queue[Heard] = queue.Queue()
        self._lock = threading.Lock()
        self._context: str = Context.PLAYER  # where words heard between answers are matched
        self._asking = False  # a question waits for its answer
        self.closed = False

    # ------------------------------------------------------------ speech out
    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self.voicebox.speak(spoken or text, wait=True)

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        self.voicebox.speak(spoken or text, wait=False)  # the player keeps the time

    def cut(self) -> None:
        self.voicebox.silence()

    # ------------------------------------------------------------- words in
    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if prompt_id is None:  # a command while a routine plays: wait for the inbox
            with self._lock:
                self._context = context
            return self._next(context, deadline)
        with self._lock:  # a question opens: what came before it is not its answer
            self._context = context
            kept = self._drain_keeping_stops()
            self._asking = not kept and not self.closed
        if kept or self.closed:
            return self._in_context(kept[0], context) if kept else Heard("closed")
        self.voicebox.listen()
        wait = self.answer_wait_s
        if deadline is not None:
            wait = max(0.0, min(wait, deadline - self.clock.now()))
        try:
            heard = self._inbox.get(timeout=wait)
        except queue.Empty:
            with self._lock:  # an answer given as the wait ended is still this question's
                self._asking = False
                heard = self._waiting(context) or Heard("no_input")
        with self._lock:
            self._asking = False
        if heard.kind == "speech" and not (heard.text or "").strip():
            return Heard("no_input")
        return self._in_context(heard, context)

    @property
    def asking(self) -> bool:
        """Whether a question waits for its answer: what the assistant hears now is that answer."""
        with self._lock:
            return self._asking

    def answer(self, words: str) -> bool:
        """The words the assistant heard after the question, as its answer; False (and nothing
        kept) when no question waits, for then they are not an answer to anything."""
        with self._lock:
            if not self._asking:
                return False
            self._asking = False  # one answer a question: a second utterance is not its answer
            self._inbox.put(Heard("speech", words))
            return True

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
        with self._lock:
            self.closed = True
            self._asking = False
        self._inbox.put(Heard("closed"))

    # --------------------------------------------------------------- helpers
    def _waiting(self, context: str) -> Heard | None:
        try:
            return self._in_context(self._inbox.get_nowait(), context)
        except queue.Empty:
            return None

    def _drain_keeping_stops(self) -> list[Heard]:
        """Empty the inbox, keeping only a stop or a close (held under the lock)."""
        kept: list[Heard] = []
        while True:
            try:
                heard = self._inbox.get_nowait()
            except queue.Empty:
                return kept
            if heard.kind == "closed" or (heard.match is not None and heard.match.intent == STOP):
                kept.append(heard)

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
