"""What was said to a question, taken as an answer: read by the red-flag rule where the prompt
is a warning sign or the read-back of one, and then as the caller and the transcript take it.

The reading itself is the answer reader's (`understanding.answers`); here is only what the ask
step adds: which prompts are read that way, that a "no" heard over the question's own voice is
said back before it counts, and that a "no" which cannot be said back is never a no.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ...understanding.answers.lexicon import Lexicon
from ...understanding.answers.model import Answer, Carries, Question, Reading, Says
from ...understanding.answers.reading import read_answer
from ...understanding.answers.rules import ReadingRules
from ...understanding.intents.match import normalise
from ...understanding.intents.model import Match
from .prompt import Prompt

# A read-back answered in this many words or fewer, matched as a yes or a no, is that answer
# ("yes", "that's right"); longer, it is read for a correction ("no, it was this morning").
SHORT_ANSWER = 2


@dataclass(frozen=True)
class AnswerReader:
    """Reads answers with the words of the dialog's content and its symptom lexicon; `today`
    places weekdays ("on Sunday")."""

    rules: ReadingRules
    lexicon: Lexicon
    today: date | None = None

    def read(self, prompt: Prompt, text: str, match: Match) -> Reading | None:
        """The reading of an answer to a red flag, or of a correction to a read-back; None for
        any other question, and for a read-back answered with a plain yes or no."""
        if prompt.confirms is not None:
            if self.rules.plain(tuple(normalise(text))) is not Says.NOTHING or (
                    match.intent in ("yes", "no") and len(normalise(text)) <= SHORT_ANSWER):
                return None  # "yes", "that's right", "no": the read-back answered
            reading = self._reading(text, None, prompt.confirms)  # "no, it was this morning"
            says = any(c.heard or c.when for c in reading.clauses if c.says is not Says.NOTHING)
            return reading if says else None
        if prompt.red_flag is None:
            return None
        return self._reading(text, match.intent, prompt.red_flag)

    def plain_yes(self, match: Match | None) -> bool:
        """Only a yes ("yes", "that's right"), nothing beside it: what confirms a read-back."""
        return match is not None and match.intent == "yes" and self.rules.plain(
            tuple(normalise(match.text))) is Says.PRESENT

    def _reading(self, text: str, intent: str | None, question: Question) -> Reading:
        return read_answer(text, intent, question, self.lexicon, self.rules, self.today)


def said_over(prompt: Prompt, reading: Reading) -> Reading:
    """An answer said over the question, through the echo canceller, which can leave a "no"
    sounding like "yes": said back before it counts, either way (a yes to a list has its own
    check: "Which of those was it?")."""
    if reading.answer is None or (prompt.asks_a_list and reading.answer is Answer.YES):
        return reading
    return replace(reading, confirm=True)


def never_an_unconfirmed_no(prompt: Prompt, reading: Reading, reads_back: bool) -> Reading:
    """A "no" the reader would say back, where it is not said back (no read-back texts, or an
    answer to "which of those?" that carried another symptom): not sure, never a no."""
    unsaid = not (reads_back and prompt.red_flag is not None) or (
        not prompt.said_back and reading.carries is Carries.SYMPTOM)
    if reading.confirm and reading.answer is Answer.NO and unsaid:
        return unconfirmed(reading)
    return reading


def unconfirmed(reading: Reading) -> Reading:
    """A reading the person said was wrong: not sure, and asked again."""
    return replace(reading, answer=Answer.UNSURE, confirm=False)


def as_read(match: Match, reading: Reading) -> Match:
    """The match as the red-flag rule reads it: "no, but I feel sick" answers "unsure"."""
    if reading.answer is None:
        return match
    if reading.answer == Answer.UNSURE:
        return Match(match.text, "unsure", match.slots, match.confidence)
    return Match(match.text, reading.answer.value, match.slots, match.confidence or 0.8)


def reading_fields(reading: Reading | None) -> dict[str, object]:
    """What the transcript records of a reading beside the match."""
    if reading is None:
        return {}
    fields: dict[str, object] = {"answer": reading.answer.value if reading.answer else None}
    if reading.carries is not None:
        fields["carries"] = reading.carries.value
    if reading.mentioned:
        fields["mentions"] = list(reading.mentioned)
    return fields
