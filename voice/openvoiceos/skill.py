"""backcare inside OpenVoiceOS: the assistant's voice and ear lent to our conversation.

- Its intents (locale/en-us/, written from dialogs/assistant.yaml) start a conversation:
  "check my neck pain", "start my neck stretches", "read my back care journal".
- The conversation belongs to the session that started it (a satellite, or the device's
  own microphone, OVOS's "default" session).  A second session asking meanwhile is told
  to wait; its words, stops and commands never reach the running conversation.
- While it runs the skill stays active in that session, so OpenVoiceOS offers it every
  utterance there first (`converse`, which is per session; intents are not): after a
  question the words are the answer, between answers a routine command our own matcher
  understands ("pause", "it hurts").  Asking is a `speak` followed by `mycroft.mic.listen`,
  as `get_response` does, without its killable thread, its polling, or its stuck state
  after a global stop.
- The assistant's stop (said, a button, `mycroft.stop`) ends the conversation of the
  session it comes from.
- The skill needs nothing from the network, and says so (`runtime_requirements`), so an
  assistant that boots offline loads it.
"""

from __future__ import annotations

import time
from typing import Any

from ovos_bus_client.message import Message
from ovos_bus_client.session import Session, SessionManager
from ovos_utils import classproperty
from ovos_utils.process_utils import RuntimeRequirements
from ovos_workshop.skills.converse import ConversationalSkill

from ..content.locales import LocaleError, for_language_tag, load_locale
from ..content.paths import dialogs_dir
from ..conversation.content import Content, load_content
from ..person.assistant import ANSWER_WAIT_S
from ..understanding.intents.model import Match
from . import SKILL_ID
from .options import SkillOptions
from .phrases import HISTORY, AssistantPhrases, Start, load_phrases
from .talk import Begun, Conversations, Setup

SPEAK_WAIT_S = 10.0  # the longest wait for a line to be said: this much, and more per word
SPEAK_WAIT_PER_WORD_S = 0.6  # about 100 words a minute, slower than any assistant's voice
KEEP_ACTIVE_S = 60.0  # how often a running conversation renews its place in converse


class SkillVoicebox:
    """The assistant's voice and ear for one conversation, in the session of the message that
    started it: every line, microphone and activation goes to that session."""

    def __init__(self, skill: BackcareSkill, message: Message):
        self.skill = skill
        self.message = message
        self._renewed = time.monotonic()

    def speak(self, text: str, wait: bool) -> None:
        self._keep_active()
        timeout = SPEAK_WAIT_S + SPEAK_WAIT_PER_WORD_S * len(text.split())
        self._speak(text, timeout if wait else False, self.message)

    def _speak(self, text: str, wait: float | bool, message: Message) -> None:
        # `message` is an argument here so that the skill's speak finds it (dig_for_message)
        # and speaks in its session, in its language.
        self.skill.speak(text, wait=wait)

    def listen(self) -> None:
        self._keep_active()
        self.skill.bus.emit(self._forward("mycroft.mic.listen"))

    def silence(self) -> None:
        self.skill.bus.emit(self._forward("mycroft.audio.speech.stop"))

    def release(self) -> None:
        """The conversation ended: the skill no longer wants this session's words."""
        self.skill.bus.emit(self._forward("intent.service.skills.deactivate", {"skill_id": SKILL_ID}))

    def _keep_active(self) -> None:
        """A routine outlasts converse's five minutes; renewing keeps its commands ours."""
        if time.monotonic() - self._renewed >= KEEP_ACTIVE_S:
            self._renewed = time.monotonic()
            self.skill.bus.emit(self._forward("intent.service.skills.activate", {"skill_id": SKILL_ID}))

    def _forward(self, kind: str, data: dict[str, Any] | None = None) -> Message:
        message = self.message.forward(kind, data or {})
        message.context["skill_id"] = SKILL_ID  # the intent service takes activations only so
        return message


class BackcareSkill(ConversationalSkill):
    """The skill the assistant loads; one conversation at a time, owned by one session."""

    @classproperty
    def runtime_requirements(self) -> RuntimeRequirements:
        """Fully offline: OpenVoiceOS's default makes a skill wait for the internet before it
        loads, and a device that boots offline would never load this one."""
        return RuntimeRequirements(internet_before_load=False, network_before_load=False,
                                   requires_internet=False, requires_network=False,
                                   no_internet_fallback=True, no_network_fallback=True)

    def __init__(self, *args: Any, **kwargs: Any):
        self.phrases: AssistantPhrases | None = None
        self.conversations = Conversations()
        self._contents: dict[str, Content] = {}  # by locale code, loaded when first asked for
        self._understood: tuple[str, Match] | None = None  # can_converse's match, for converse
        super().__init__(*args, **kwargs)

    def initialize(self) -> None:
        self.phrases = load_phrases(self._content(self.core_lang))
        # How long a question waits for its answer: the device's own setting for every skill.
        waits = self.config_core.get("skills", {}).get("get_response_timeout", ANSWER_WAIT_S)
        self.conversations.answer_wait_s = float(waits)
        for start in self.phrases.starts:
            self.register_intent_file(f"{start.id}.intent", self._starter(start))

    @property
    def options(self) -> SkillOptions:
        """The owner's settings, read at each use, so a change applies to the next conversation."""
        return SkillOptions.read(self.settings, self.log.warning)

    # ------------------------------------------------------------ starting
    def _starter(self, start: Start):
        def handler(message: Message) -> None:
            self.begin(start, message)
        handler.__name__ = f"handle_{start.id}"
        return handler

    def begin(self, start: Start, message: Message) -> None:
        assert self.phrases is not None
        session_id = SessionManager.get(message).session_id
        options = self.options
        if start.id == HISTORY and not options.read_journal_aloud:
            self.speak(self.phrases.texts.journal_off)
            return
        setup = Setup(session_id, self._content(self.lang, options), options.journal_of(session_id),
                      options.keep_journal)
        words = (message.data.get("utterance") or "").strip()
        voicebox = SkillVoicebox(self, message)
        begun = self.conversations.begin(start, words, voicebox, setup, on_end=voicebox.release)
        if begun is Begun.STARTED:
            self.activate()
        elif begun is Begun.BUSY_ELSEWHERE:
            self.speak(self.phrases.texts.busy)
            self.deactivate()  # matching made us active here; this session's words are not ours
        # Begun.BUSY_HERE: a start phrase between this conversation's answers; it goes on.

    def _content(self, language: str, options: SkillOptions | None = None) -> Content:
        """The content in the country the owner chose, else the one the language names."""
        locale = for_language_tag(language, dialogs_dir())
        if options is not None and options.locale:
            try:
                locale = load_locale(dialogs_dir(), options.locale).code
            except LocaleError as error:
                self.log.warning(f"setting 'locale': {error}; following the language instead")
        if locale not in self._contents:
            self._contents[locale] = load_content(locale=locale)
        return self._contents[locale]

    # ------------------------------------------------- words while it runs
    def can_converse(self, message: Message) -> bool:
        """Whether the words are ours: this session's conversation waits for an answer, or
        our matcher understands them where it listens.  The match is kept for `converse`,
        which the assistant calls next with the same words."""
        talk = self.conversations.of(SessionManager.get(message).session_id)
        words = _first(message)
        if talk is None or not words:
            return False
        if talk.person.asking:
            return True
        self._understood = (words, talk.person.understands(words))
        return self._understood[1].intent is not None

    def converse(self, message: Message) -> bool:
        talk = self.conversations.of(SessionManager.get(message).session_id)
        words = _first(message)
        if talk is None or not words:
            return False
        if talk.person.answer(words):
            return True
        known = self._understood
        match = known[1] if known is not None and known[0] == words else talk.person.understands(words)
        if match.intent is None:
            return False
        talk.person.hear(words, match)
        return True

    # ---------------------------------------------------------- stopping
    def can_stop(self, message: Message) -> bool:
        return self.conversations.of(SessionManager.get(message).session_id) is not None

    def stop_session(self, session: Session) -> bool:
        return self.conversations.stop(session.session_id)

    def stop(self) -> bool:
        """Session-less stop: nothing to do, for every stop is some session's (`stop_session`)."""
        return False

    def shutdown(self) -> None:
        self.conversations.close()


def _first(message: Message) -> str:
    utterances = message.data.get("utterances") or []
    return str(utterances[0]).strip() if utterances else ""
