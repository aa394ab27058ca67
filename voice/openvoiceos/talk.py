"""One conversation at a time through a voice assistant: the same flow, dialogs, player and
journal as at the desk, on a thread of its own so the assistant's message bus never
waits for a ten-minute routine.

The conversation belongs to the assistant's session that began it (a satellite, or the
device's own microphone): answers, commands and stops are taken from that session
only, and a second session asking meanwhile is told to wait, never fed into it (a
red-flag question answered from another room is a safety fault, not a convenience).

Nothing here imports OpenVoiceOS: the skill hands in a `Voicebox`, and the tests
hand in one of their own to prove the flow without an assistant.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import IO

from ..clock import Clock, MonotonicClock
from ..content.paths import data_dir
from ..conversation.content import Content
from ..conversation.contexts import Context
from ..events.transcript import Transcript
from ..journal.history import summarise, told_back
from ..journal.recorder import journaled, open_recorder
from ..journal.store import Journal, JournalError
from ..person.assistant import AssistantPerson, Voicebox
from ..preferences import Preferences, PreferenceStore, saved_rate
from ..session.flow import Flow
from .phrases import HISTORY, Start

MODE = "assistant"  # how the journal names a session held through a voice assistant


class Begun(Enum):
    """What asking to begin a conversation came to."""

    STARTED = "started"
    BUSY_HERE = "busy_here"  # this session's own conversation runs: it goes on
    BUSY_ELSEWHERE = "busy_elsewhere"  # another session's runs: this one is told to wait


@dataclass(frozen=True)
class Setup:
    """Where and how one conversation runs: the session it belongs to, the content in its
    language, and its journal (None: none is kept)."""

    session_id: str
    content: Content
    journal_folder: str | None
    keep_journal: bool = True


@dataclass
class Talk:
    """The one conversation that is running: the session it belongs to, its person (to pass
    words and stops to) and its transcript (what was said and understood)."""

    session_id: str
    person: AssistantPerson
    transcript: Transcript
    thread: threading.Thread = field(init=False)

    @property
    def running(self) -> bool:
        return self.thread.is_alive()


class Conversations:
    """Owns the running conversation; the skill asks it to begin one, and passes on what the
    assistant hears in that conversation's session while it runs."""

    def __init__(self, clock: Clock | None = None, errors: IO[str] | None = None,
                 answer_wait_s: float | None = None):
        self.clock = clock or MonotonicClock()
        self.errors = errors or sys.stderr
        self.answer_wait_s = answer_wait_s  # None: the person's own default
        self.current: Talk | None = None

    @property
    def running(self) -> Talk | None:
        return self.current if self.current is not None and self.current.running else None

    def of(self, session_id: str) -> Talk | None:
        """The running conversation if it belongs to `session_id`."""
        talk = self.running
        return talk if talk is not None and talk.session_id == session_id else None

    def begin(self, start: Start, words: str, voicebox: Voicebox, setup: Setup,
              on_end: Callable[[], None] = lambda: None) -> Begun:
        """Start the conversation `start` leads to (`words`: what was said to start it), unless
        one runs: a speaker has one person in front of it, and an assistant one skill process."""
        running = self.running
        if running is not None:
            return Begun.BUSY_HERE if running.session_id == setup.session_id else Begun.BUSY_ELSEWHERE
        preferences = PreferenceStore(Preferences(rate_wpm=saved_rate(), time_limit_s=None))
        waits = {} if self.answer_wait_s is None else {"answer_wait_s": self.answer_wait_s}
        person = AssistantPerson(voicebox, self.clock, setup.content.intents, preferences, **waits)
        talk = Talk(setup.session_id, person, Transcript(self.clock))
        talk.thread = threading.Thread(target=self._run, args=(talk, start, words, setup, on_end),
                                       name=f"backcare-{start.id}", daemon=True)
        self.current = talk
        talk.thread.start()
        return Begun.STARTED

    def stop(self, session_id: str) -> bool:
        """The assistant's stop in `session_id`: True when it ended a conversation of that
        session (another session's stop is not this conversation's)."""
        talk = self.of(session_id)
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
    def _run(self, talk: Talk, start: Start, words: str, setup: Setup,
             on_end: Callable[[], None]) -> None:
        content = setup.content
        try:
            if start.id == HISTORY:
                self._history(talk, setup)
                return
            recorder = (open_recorder(setup.journal_folder, MODE, talk.transcript, self.errors)
                        if setup.keep_journal else None)
            flow = Flow.for_person(content, talk.person, self.clock, talk.transcript,
                                   earlier=recorder.earlier if recorder else ())
            with journaled(recorder):
                if start.answer is None:
                    flow.session()
                else:
                    flow.asked_for(answer_of(content, start, words))
        except Exception as error:  # the assistant goes on; the person hears what it says
            print(f"backcare: the conversation ended with an error: {error!r}", file=self.errors)
        finally:
            on_end()

    def _history(self, talk: Talk, setup: Setup) -> None:
        sessions = []
        if setup.keep_journal:
            try:
                with Journal(data_dir(setup.journal_folder)) as journal:
                    sessions = journal.sessions()
            except JournalError as error:
                print(f"backcare: {error}", file=self.errors)
        content = setup.content
        Flow.for_person(content, talk.person, self.clock, talk.transcript).history(
            told_back(content, summarise(sessions)))


def answer_of(content: Content, start: Start, words: str) -> str:
    """The menu's answer the words give, where the start allows a choice ("start my upper
    back stretches" names a routine), else the one the start stands for."""
    said = content.intents.match(words, Context.MENU).intent
    return said if said in start.refinements else str(start.answer)
