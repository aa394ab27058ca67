"""What a person may say to any question instead of answering it, and what the step does:
help says what can be said now (from the phrase data), repeat says the question again, slower
and faster change the one speech rate, louder, quieter and tones off or on change the other
settings (`adjusting.py`); each ends with the question asked again.  Stop is one of them too,
but it ends the question (`interrupts.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from ...events.conversation import RateChanged
from ...events.transcript import Transcript
from ...preferences import RATE_STEP
from ...understanding.intents.model import IntentSet
from ..port import Person
from .adjusting import SETTING_INTENTS, adjust
from .lines import Lines
from .prompt import Prompt
from .texts import Texts

RATE_INTENTS = ("slower", "faster")
GLOBAL_INTENTS = ("help", "repeat", "stop", *RATE_INTENTS, *SETTING_INTENTS)


@dataclass
class Commands:
    """Carries out the commands said to a question. `offers_wait` and `offers_going_back`
    say whether help names them, where they work right now."""

    person: Person
    intents: IntentSet
    texts: Texts
    transcript: Transcript
    lines: Lines

    def obey(self, prompt: Prompt, intent: str, offers_wait: bool = False,
             offers_going_back: bool = False) -> None:
        if intent == "help":
            if prompt.help:
                self.lines.say(prompt.help)
            self.lines.say(self.intents.help_text(prompt.context))
            if offers_wait and self.texts.wait_help:
                self.lines.say(self.texts.wait_help)
            if offers_going_back and self.texts.go_back_help:
                self.lines.say(self.texts.go_back_help)
        elif intent in RATE_INTENTS and not self.person.sets_rate:
            self.lines.say(self.texts.rate_elsewhere)  # never "speaking more slowly" when it is not
        elif intent in RATE_INTENTS:
            self._change_rate(intent)
        elif intent in SETTING_INTENTS:
            self.lines.say(adjust(self.person.preferences, intent, self.texts.settings))
        elif intent != "repeat":
            return
        self.lines.again()

    def _change_rate(self, intent: str) -> None:
        """The person's side owns the rate: every dialog and routine of a session reads it
        there, so a change made here is the one the next part uses and the session saves."""
        current = self.person.preferences.now.rate_wpm
        updated = self.person.preferences.step_rate(
            -RATE_STEP if intent == "slower" else RATE_STEP)
        if updated == current:
            self.lines.say(self.texts.slowest if intent == "slower" else self.texts.fastest)
        else:
            self.transcript.emit(RateChanged(updated))
            self.lines.say(self._rate_line(intent))

    def _rate_line(self, intent: str) -> str:
        """What a change of rate is called: our voice speaks slower; typed lines are read by
        the person's screen reader, whose speed is its own (the rate still paces routines)."""
        typed = self.texts.slower_typed if intent == "slower" else self.texts.faster_typed
        if typed and not self.person.reads_aloud:
            return typed
        return self.texts.slower if intent == "slower" else self.texts.faster
