"""backcare inside OpenVoiceOS: the assistant's voice and ear lent to our conversation.

- Its intents (locale/en-us/, written from dialogs/assistant.yaml) start a session:
  "check my neck pain", "start my neck stretches", "what did you tell me last time".
- Speaking is the assistant's `speak` (waiting for a line to be said before the next);
  asking is `get_response`, listening without the wake word after a question, and the
  words it recognised are matched by our own intents, so an answer means here what it
  means at the desk.
- While a session runs, the skill is active: `converse` passes on whatever our matcher
  understands where the conversation listens ("pause", "it hurts"), and the routine
  commands are also intents, enabled only then.  The assistant's own stop ends the
  session at once (`stop_session`).
- The journal is the desk's journal (mode "assistant"), so `backcare history` and "what
  did you tell me last time" tell the same story.
"""

from __future__ import annotations

from typing import Any

from ovos_bus_client.message import Message
from ovos_bus_client.session import Session
from ovos_workshop.skills.converse import ConversationalSkill

from ..content import Content, dialogs_dir, load_content
from ..locales import for_language_tag
from ..understanding.intents import Match
from .locale import DURING
from .phrases import AssistantPhrases, Start, load_phrases
from .talk import Conversations

SPEAK_WAIT_S = 10.0  # the longest wait for a line to be said: this much, and more per word
SPEAK_WAIT_PER_WORD_S = 0.6  # about 100 words a minute, slower than any assistant's voice


class SkillVoicebox:
    """The assistant's voice and ear for one conversation, in the session of the message that
    started it (a satellite's answer goes back to that satellite)."""

    def __init__(self, skill: BackcareSkill, message: Message):
        self.skill = skill
        self.message = message

    def speak(self, text: str, wait: bool) -> None:
        timeout = SPEAK_WAIT_S + SPEAK_WAIT_PER_WORD_S * len(text.split())
        self._speak(text, timeout if wait else False, self.message)

    def _speak(self, text: str, wait: float | bool, message: Message) -> None:
        # `message` is an argument here so that the skill's speak finds it (dig_for_message)
        # and speaks in its session.
        self.skill.speak(text, wait=wait)

    def answer(self) -> str | None:
        return self.skill.get_response(message=self.message, validator=lambda _words: True,
                                       num_retries=0)

    def silence(self) -> None:
        self.skill.bus.emit(self.message.forward("mycroft.audio.speech.stop"))


class BackcareSkill(ConversationalSkill):
    """The skill the assistant loads; one conversation at a time."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.content: Content | None = None
        self.phrases: AssistantPhrases | None = None
        self.conversations: Conversations | None = None
        self._understood: tuple[str, Match] | None = None  # can_converse's match, for converse
        super().__init__(*args, **kwargs)

    def initialize(self) -> None:
        self.content = load_content(locale=for_language_tag(self.lang, dialogs_dir()))
        self.phrases = load_phrases(self.content)
        # The desk's journal: the user's data folder, or $BACKCARE_DATA_DIR as for the command line.
        self.conversations = Conversations(self.content)
        for start in self.phrases.starts:
            self.register_intent_file(f"{start.id}.intent", self._starter(start))
        for name in self.phrases.during:
            self.register_intent_file(f"{DURING}{name}.intent", self.handle_during)
        self._during(enabled=False)

    # ------------------------------------------------------------ starting
    def _starter(self, start: Start):
        def handler(message: Message) -> None:
            self.begin(start, message)
        handler.__name__ = f"handle_{start.id}"
        return handler

    def begin(self, start: Start, message: Message) -> None:
        assert self.conversations is not None
        words = (message.data.get("utterance") or "").strip()
        talk = self.conversations.begin(start, words, SkillVoicebox(self, message),
                                        on_end=self._ended)
        if talk is None:  # one is running: what was said belongs to it
            running = self.conversations.running
            if running is not None:
                running.person.hear(words)
            return
        self._during(enabled=True)
        self.activate()

    def _ended(self) -> None:
        self._during(enabled=False)
        self.deactivate()

    def _during(self, enabled: bool) -> None:
        assert self.phrases is not None
        for name in self.phrases.during:
            intent = f"{DURING}{name}.intent"
            if enabled:
                self.enable_intent(intent)
            else:
                self.disable_intent(intent)

    # ------------------------------------------------- words while it runs
    def handle_during(self, message: Message) -> None:
        """A routine command that reached us as an intent, not through converse."""
        talk = self.conversations.running if self.conversations else None
        if talk is not None:
            talk.person.hear((message.data.get("utterance") or "").strip())

    def can_converse(self, message: Message) -> bool:
        """Whether our intents understand the words where the conversation listens; the
        match is kept for `converse`, which the assistant calls next with the same words."""
        talk = self.conversations.running if self.conversations else None
        words = _first(message)
        if talk is None or not words:
            return False
        self._understood = (words, talk.person.understands(words))
        return self._understood[1].intent is not None

    def converse(self, message: Message) -> bool:
        talk = self.conversations.running if self.conversations else None
        words = _first(message)
        if talk is None or not words:
            return False
        known = self._understood
        match = known[1] if known is not None and known[0] == words else talk.person.understands(words)
        if match.intent is None:
            return False
        talk.person.hear(words, match)
        return True

    # ---------------------------------------------------------- stopping
    def can_stop(self, message: Message) -> bool:
        return bool(self.conversations and self.conversations.running)

    def stop_session(self, session: Session) -> bool:
        return bool(self.conversations and self.conversations.stop())

    def stop(self) -> bool:
        return bool(self.conversations and self.conversations.stop())

    def shutdown(self) -> None:
        if self.conversations is not None:
            self.conversations.close()


def _first(message: Message) -> str:
    utterances = message.data.get("utterances") or []
    return str(utterances[0]).strip() if utterances else ""
