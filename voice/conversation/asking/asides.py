"""What may be said to any question besides its answers, in the content's `asking` context:
"wait" (and "hold on", "give me a moment"), "ready", and going back ("go back", "undo", "I
meant no").

"wait" pauses the question without a reprompt, for minutes, warned before it ends, a bounded
number of times; an answer in the wait answers the question (WCAG 2.2.1, Timing Adjustable: a
time limit a person can extend with a simple action, after a warning).  Going back ends the
question with `GoBack`, for the caller that keeps the answers (the dialog) to go back one.
How long and how often are dialogs/asking.yaml's (`rules.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...clock import Clock
from ...events.conversation import Understood
from ...events.transcript import Transcript
from ...understanding.intents.model import IntentSet
from ..port import Heard, Person
from .commands import GLOBAL_INTENTS
from .lines import Lines
from .prompt import GoBack, Prompt
from .rules import ASIDE_CONTEXT, AskingRules
from .texts import Texts

WAIT, READY = "wait", "ready"
GO_BACK = ("go_back", "meant_no", "meant_yes")  # said to a question, about the one before it
WHOLE = 0.95  # an aside counts only as a whole answer (fillers aside): "no wait, yes" is a yes


@dataclass
class Asides:
    """The waits and goings back left to one dialog or routine. `can_go_back`: its caller
    keeps answers it can take back."""

    person: Person
    intents: IntentSet
    clock: Clock
    transcript: Transcript
    texts: Texts
    lines: Lines
    rules: AskingRules
    can_go_back: bool = False
    waits_left: int = field(init=False, default=0)
    backs_left: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.waits_left = self.rules.wait.times if self.rules.wait else 0
        self.backs_left = self.rules.go_back_times if self.can_go_back else 0

    @property
    def can_wait(self) -> bool:
        return self.waits_left > 0 and bool(self.texts.wait_request)

    def goes_back(self, depth: int) -> bool:
        """Going back works at a question (depth 1), never at the read-back of its answer."""
        return self.backs_left > 0 and depth == 1

    def heard(self, prompt: Prompt, heard: Heard, depth: int) -> str | None:
        """ "wait", or going back, said as a whole answer (typed, or heard but not an answer of
        this context): never when the words answer the question."""
        if heard.kind not in ("speech", "rejected") or not heard.text:
            return None
        if ASIDE_CONTEXT not in self.intents.contexts:
            return None
        can_wait, can_go_back = self.can_wait, self.goes_back(depth)
        if not (can_wait or can_go_back):  # nothing to ask for: no second reading of the words
            return None
        if heard.kind == "speech":
            answer = heard.meaning(self.intents, prompt.context)
            if (answer.intent in prompt.expected or answer.intent in GLOBAL_INTENTS) and (
                    answer.confidence >= WHOLE):
                return None
        match = self.intents.match(heard.text, ASIDE_CONTEXT)
        if match.confidence < WHOLE:
            return None
        if match.intent == WAIT and can_wait:
            return WAIT
        if match.intent in GO_BACK and can_go_back:
            return match.intent
        return None

    def go_back(self, intent: str, text: str) -> GoBack:
        """The going back said (`intent`), counted and recorded, to be raised."""
        self.backs_left -= 1
        self.transcript.emit(Understood(intent, {}, 1.0, ASIDE_CONTEXT))
        return GoBack(intent, text)

    def wait(self, prompt: Prompt) -> Heard | None:
        """Wait for the person without a reprompt: up to the content's minutes, warned before
        the end, then the question again (None). Words said in the wait come back to be taken
        as the answer; "ready" asks the question again, "wait" waits once more. With no time
        limit (text mode) it waits for the next line."""
        wait = self.rules.wait
        assert wait is not None
        self.waits_left -= 1
        self.transcript.emit(Understood(WAIT, {}, 1.0, ASIDE_CONTEXT))
        self.lines.say(self.texts.wait_request)
        limit = self.person.preferences.now.time_limit_s
        if limit is None:
            heard = self.person.listen(prompt.context, None, prompt.id)
        else:
            end = self.clock.now() + max(wait.seconds, limit)
            heard = self.person.listen(prompt.context, end - wait.warn_seconds, prompt.id)
            if heard.kind == "no_input":
                self.lines.say(self.texts.wait_warning)
                heard = self.person.listen(prompt.context, end, prompt.id)
        if heard.kind == "no_input":
            self.lines.again()
            return None
        if heard.kind in ("speech", "rejected") and heard.text:
            aside = self.intents.match(heard.text, ASIDE_CONTEXT)
            if aside.intent == READY and aside.confidence >= WHOLE:
                self.transcript.emit(Understood(READY, {}, 1.0, ASIDE_CONTEXT))
                self.lines.again()
                return None
        return heard

    def warn_of_the_end(self) -> None:
        """Said before the last try when nothing has been heard: the next silence ends it, and
        while waits are left, that "wait" gives more time."""
        if self.texts.silence_warning:
            self.lines.say(self.texts.silence_warning)
            if self.waits_left > 0 and self.texts.wait_offer:
                self.lines.say(self.texts.wait_offer)
