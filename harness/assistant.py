"""OpenVoiceOS in one process, for testing the backcare skill without a running assistant.

The real parts: OpenVoiceOS's message bus stand-in (`ovos_utils.fakebus.FakeBus`),
ovos-core's intent service with the stop, converse and Padacioso pipelines (what
decides which skill hears an utterance, and routes answers to `get_response`), and
the skill loaded by ovos-core's own skill manager from its `opm.skill` entry
point, on a device with no network.  Stood in for: the microphone and recogniser (an utterance
is put on the bus as text, as the listener does after speech recognition) and the
audio service (each `speak` is "said" in a moment on another thread, and reported
as the audio service reports it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ovos_bus_client.message import Message
from ovos_bus_client.session import Session, SessionManager
from ovos_config.config import Configuration
from ovos_core.intent_services import IntentService
from ovos_core.skill_manager import SkillManager
from ovos_plugin_manager.skills import find_skill_plugins
from ovos_utils.fakebus import FakeBus

from voice.events.conversation import Asked
from voice.openvoiceos import SKILL_ID

from .ovos_bus import PADACIOSO_PIPELINE

PIPELINE = PADACIOSO_PIPELINE  # the one harness/ovos_bus.py runs with padacioso
# How long the stand-in audio service takes to "say" a line: quick, yet long enough that the
# skill is waiting for the end of a line before it is reported (the skill's own `speak` only
# hears an end that comes after it began to wait, as with a real voice).
SAY_S = 0.03
SAY_S_PER_WORD = 0.002
ANSWER_WAIT_S = 8.0  # how long the skill waits for an answer here (a device's is 20 s)


class FastClock:
    """Real time, `factor` times faster: a routine's holds pass quickly, yet a command said
    from the test's thread still lands inside the hold it was said in."""

    def __init__(self, factor: float):
        self.factor = factor
        self._start = time.monotonic()

    def now(self) -> float:
        return self._start + (time.monotonic() - self._start) * self.factor

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.factor)

    def sleep_until(self, deadline: float) -> None:
        self.sleep(deadline - self.now())


@dataclass
class Assistant:
    """A bus, the intent service and the skill; `say` an utterance, read `spoken`."""

    clock: FastClock | None = None  # the conversation's clock (None: the real one)
    lang: str = "en-US"  # the assistant's language
    bus: FakeBus = field(default_factory=FakeBus)
    spoken: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock)  # held while waiting, too
    _uttered: int = 0  # how many messages there were when we last said something
    _sessions: dict[str, Session] = field(default_factory=dict)  # satellites' sessions, as last sent
    _changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self._changed = threading.Condition(self._lock)
        config = Configuration()
        config.setdefault("intents", {})["pipeline"] = PIPELINE
        config["lang"] = self.lang
        SessionManager.connect_to_bus(self.bus)
        SessionManager.default_session.pipeline = list(PIPELINE)  # made before our config
        SessionManager.default_session.lang = self.lang
        self.bus.on("message", self._record)
        self.bus.on("speak", self._say)
        self.intents = IntentService(self.bus)
        skills = find_skill_plugins()
        assert SKILL_ID in skills, f"no {SKILL_ID} among the skill entry points: {sorted(skills)}"
        # Loaded as a device loads it: ovos-core's skill manager, from the entry point, on a
        # device with no network (a skill that asks for the internet first is skipped).
        self.manager = SkillManager(self.bus, enable_file_watcher=False)
        self.manager.load_plugin_skills(network=False, internet=False)
        loader = self.manager.plugin_skills.get(SKILL_ID)
        assert loader is not None and loader.instance is not None, (
            f"ovos-core's skill manager did not load {SKILL_ID} without a network")
        self.skill = loader.instance
        if self.clock is not None:
            self.skill.conversations.clock = self.clock
        self.skill.conversations.answer_wait_s = ANSWER_WAIT_S
        self.bus.emit(Message("mycroft.skills.train", {"lang": self.lang}))

    # ----------------------------------------------------------------- input
    def utter(self, words: str, session: Session | None = None) -> None:
        """What the listener puts on the bus once it has recognised `words`: the device's own
        microphone (OVOS's default session), or a satellite's `session`."""
        context = {"source": "audio", "destination": "skills"}
        if session is not None:  # as a satellite does, it sends the session as OVOS last sent it
            with self._lock:
                session = self._sessions.setdefault(session.session_id, session)
            context["session"] = session.serialize()
        with self._lock:
            self._uttered = len(self.messages)
        self.bus.emit(Message("recognizer_loop:utterance",
                              {"utterances": [words], "lang": session.lang if session else self.lang},
                              context))

    def answer(self, words: str, timeout: float = 20.0) -> None:
        """Say `words` once the skill listens for an answer (after a question)."""
        self.wait_for(self._listening, timeout, "the skill to listen for an answer")
        self.utter(words)

    def talk(self, timeout: float = 10.0):
        """The conversation the last utterance started."""
        conversations = self.skill.conversations
        self.wait_for(lambda: conversations.current is not None, timeout, "a conversation to start")
        return conversations.current

    def next_question(self, timeout: float = 20.0, done: Callable[[], bool] = lambda: False):
        """The question the skill now waits for an answer to (its `Asked` event), or None once
        `done()` or the conversation ended first."""
        talk = self.talk()
        ended = lambda: done() or not talk.running  # noqa: E731
        self.wait_for(lambda: self._listening() or ended(), timeout, "a question")
        if not self._listening():
            return None
        return talk.transcript.of_type(Asked)[-1]

    # ---------------------------------------------------------------- output
    def wait_for(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"waited {timeout} s for {what}; said so far: {self.spoken}")
                self._changed.wait(min(left, 0.05))  # also what no message announces (a thread's end)

    def wait_said(self, part: str, timeout: float = 10.0) -> str:
        """The first line said (from now on or before) that holds `part`."""
        found: list[str] = []

        def ready() -> bool:
            found[:] = [line for line in self.spoken if part.lower() in line.lower()]
            return bool(found)

        self.wait_for(ready, timeout, repr(part))
        return found[0]

    def types(self) -> list[str]:
        with self._lock:
            return [message.msg_type for message in self.messages]

    def reset(self, timeout: float = 10.0) -> None:
        """Ready for the next test: no conversation running, nothing said or heard yet."""
        conversations = self.skill.conversations
        running = conversations.running
        if running is not None:
            conversations.stop(running.session_id)
        self.wait_for(lambda: not conversations.running, timeout, "the conversation to end")
        conversations.current = None
        with self._lock:
            self.spoken.clear()
            self.messages.clear()
            self._sessions.clear()
            self._uttered = 0

    def close(self) -> None:
        self.manager.shutdown()
        self.intents.shutdown()

    # --------------------------------------------------------------- helpers
    def _listening(self, session_id: str = "default") -> bool:
        """Waiting for an answer not yet given: the skill opened the microphone in the session
        after our last words (as a listener is told to, after a question)."""
        since = self.messages[self._uttered:]
        return any(m.msg_type == "mycroft.mic.listen" and session_of(m) == session_id for m in since)

    def said_in(self, session_id: str) -> list[str]:
        """The lines the skill spoke in one session."""
        with self._lock:
            return [m.data["utterance"] for m in self.messages
                    if m.msg_type == "speak" and session_of(m) == session_id]

    def _record(self, serialized: str) -> None:
        message = Message.deserialize(serialized)
        with self._changed:
            self.messages.append(message)
            sent = message.context.get("session") or {}
            if sent.get("session_id") in self._sessions:  # a satellite keeps what OVOS sends back
                self._sessions[sent["session_id"]] = Session.deserialize(sent)
            self._changed.notify_all()

    def _say(self, message: Message) -> None:
        text = message.data["utterance"]

        def speak() -> None:
            self.bus.emit(message.forward("recognizer_loop:audio_output_start"))
            time.sleep(SAY_S + SAY_S_PER_WORD * len(text.split()))
            with self._changed:
                self.spoken.append(text)
                self._changed.notify_all()
            self.bus.emit(message.forward("recognizer_loop:audio_output_end"))

        threading.Thread(target=speak, daemon=True).start()


def session_of(message: Message) -> str:
    """The session a message belongs to ("default": the device's own)."""
    return (message.context.get("session") or {}).get("session_id", "default")
