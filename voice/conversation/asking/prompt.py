"""What goes into one question and what comes out: the `Prompt`, the `Reply`, why no answer
came (`Unanswered`), and the two ways a question ends without one (`Interrupted`, `GoBack`).

Apart from the step that asks (`ask.py`) because the dialog and the routine read these values
and never the asking: a caller builds a prompt and reads a reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ...understanding.answers.model import Answer, Question, Reading
from ...understanding.intents.model import Match


class Unanswered(str, Enum):
    """Why a question got no answer, after its retries."""

    SILENCE = "no_input"  # nothing at all was heard, every time
    NOT_UNDERSTOOD = "no_match"  # something was said (or heard), never an answer
    UNSURE = "unsure"  # the person was not sure


class GoBack(Exception):
    """ "go back", "undo", "I meant no" or "I meant yes" said to a question: about the answer
    before it, which only the caller that keeps the answers can take back."""

    def __init__(self, intent: str, text: str):
        super().__init__(intent)
        self.intent = intent  # go_back | meant_no | meant_yes
        self.text = text


class Interrupted(Exception):
    """Stop (or, in a routine, a symptom) was said instead of an answer; or input ended."""

    def __init__(self, intent: str):
        super().__init__(intent)
        self.intent = intent  # stop | closed | a symptom intent (dizzy, tingling)


@dataclass(frozen=True)
class Prompt:
    """One question, as the ask step needs it."""

    id: str
    text: str  # the question as it is spoken
    context: str
    expected: tuple[str, ...]  # the intents that answer it
    again: str = ""  # a red flag's question in other words, asked when the answer was unclear
    help: str = ""  # said before the generic help
    retries: int | None = None  # None: the step's default
    red_flag: Question | None = None  # set: read the answer by the red-flag rule
    lead: str = ""  # said just before the question ("You mentioned feeling sick.")
    correction: str | None = None  # a context whose number may correct the last answer
    label: str = ""  # a single red flag's name as said back ("a knock or minor fall")
    parts: tuple[tuple[str, str], ...] = ()  # a compound question's parts: (key, as said back)
    confirms: Question | None = None  # a read-back: yes or no confirm; other words correct
    said_back: bool = True  # False: an answer to "which of those?" is not said back again

    @property
    def asks_a_list(self) -> bool:
        """A red-flag question about several flags at once ("Have you had any of these?")."""
        return self.red_flag is not None and self.red_flag.flag is None


@dataclass(frozen=True)
class Reply:
    """What came of a question: an answer (`match`, and for a red flag its `reading`), or why
    none came. `mentions` gathers every symptom heard over all the tries."""

    match: Match | None
    reading: Reading | None = None
    unanswered: Unanswered | None = None
    mentions: tuple[Reading, ...] = ()
    corrected: bool = False  # `match` is a number correcting the last answer, not an answer
    heard: str = ""  # the last words heard, answer or not ("two", to "which of those?")

    @property
    def answer(self) -> Answer | None:
        """For a yes/no question: YES, NO, or UNSURE (unclear after the retries)."""
        if self.reading is not None:
            return self.reading.answer
        if self.match is not None and self.match.intent in ("yes", "no"):
            return Answer(self.match.intent)
        return None if self.unanswered is None else Answer.UNSURE

    @property
    def intent(self) -> str | None:
        return self.match.intent if self.match else None

    @property
    def mentioned(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for reading in self.mentions for key in reading.mentioned))

    def heard_of(self, key: str) -> str:
        return next((r.heard_of(key) for r in self.mentions if r.heard_of(key)), "")
