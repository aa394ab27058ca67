"""One conversation at a time through a voice assistant: the same flow, dialogs, player and
journal as at the desk, on a thread of its own so the assistant's message bus never
waits for a ten-minute routine.

Nothing here imports OpenVoiceOS: the skill hands in a `Voicebox`, and the tests
hand in one of their own to prove the flow without an assistant.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from ..clock import Clock, MonotonicClock
from ..content import Content
from ..conversation.contexts import Context
from ..conversation.timeline import estimated
from ..flow import Flow
from ..history import summarise, told_back
from ..journal import Journal, JournalError, data_dir
from ..journaling import journaled, open_recorder
from ..person.assistant import AssistantPerson, Voicebox
from ..preferences import Preferences, PreferenceStore, saved_rate
from ..transcript import Transcript
from .phrases import HISTORY, Start

MODE = "assistant"  # how the journal names a session held through a voice assistant


@dataclass
class Talk:
    """The one conversation that is running: its person (to pass words and stops to) and
    its transcript (what was said and understood)."""

    person: AssistantPerson
    transcript: Transcript
    thread: threading.Thread = field(init=False)

    @property
    def running(self) -> bool:
        return self.thread.is_alive()


class Conversations:
    """Owns the running conversation; the skill asks it to begin one, and passes on what the
    assistant hears while it runs."""

    def __init__(self, content: Content, data_folder: str | None = None, clock: Clock | None = None,
                 errors: IO[str] | None = None):
        self.content = content
        self.data_folder = data_folder
        self.clock = clock or MonotonicClock()
        self.errors = errors or sys.stderr
        self.current: Talk | None = None

    @property
    def running(self) -> Talk | None:
        return self.current if self.current is not None and self.current.running else None

    def begin(self, start: Start, words: str, voicebox: Voicebox,
              on_end: Callable[[], None] = lambda: None) -> Talk | None:
        """Start the conversation `start` leads to (`words`: what was said to start it); None
        when one is already running, for a speaker has one person in front of it."""
        if self.running is not None:
            return None
        preferences = PreferenceStore(Preferences(rate_wpm=saved_rate(), time_limit_s=None))
        person = AssistantPerson(voicebox, self.clock, self.content.intents, preferences)
        transcript = Transcript(self.clock)
        talk = Talk(person, transcript)
        talk.thread = threading.Thread(target=self._run, args=(talk, start, words, on_end),
                                       name=f"backcare-{start.id}", daemon=True)
        self.current = talk
        talk.thread.start()
        return talk

    def stop(self) -> bool:
        """The assistant's stop: True when there was a conversation to stop."""
        talk = self.running
        if talk is not None:
            talk.person.stop()
        return talk is not None

    def close(self, timeout: float = 5.0) -> None:
        """The assistant is shutting the skill down: the conversation ends, as closed input."""
        talk = self.running
        if talk is not None:
            talk.person.close()
            talk.thread.join(timeout)

    # ---------------------------------------------------------------- helpers
    def _run(self, talk: Talk, start: Start, words: str, on_end: Callable[[], None]) -> None:
        try:
            if start.id == HISTORY:
                self._history(talk)
                return
            recorder = open_recorder(self.data_folder, MODE, talk.transcript, self.errors)
            flow = Flow(self.content, self.content.book, talk.person, self.clock,
                        self.content.settings(), talk.transcript, estimated,
                        recorder.earlier if recorder else [])
            with journaled(recorder):
                if start.answer is None:
                    flow.session()
                else:
                    flow.asked_for(self.answer(start, words))
        except Exception as error:  # the assistant goes on; the person hears what it says
            print(f"backcare: the conversation ended with an error: {error!r}", file=self.errors)
        finally:
            on_end()

    def answer(self, start: Start, words: str) -> str:
        """The menu's answer the words give, where the start allows a choice ("start my upper
        back stretches" names a routine), else the one the start stands for."""
        said = self.content.intents.match(words, Context.MENU).intent
        return said if said in start.refinements else str(start.answer)

    def _history(self, talk: Talk) -> None:
        try:
            with Journal(data_dir(self.data_folder)) as journal:
                sessions = journal.sessions()
        except JournalError as error:
            print(f"backcare: {error}", file=self.errors)
            sessions = []
        content = self.content
        Flow(content, content.book, talk.person, self.clock, content.settings(), talk.transcript,
             estimated).history(told_back(content, summarise(sessions)))
