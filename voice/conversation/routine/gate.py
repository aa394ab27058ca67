"""What stands between a person and a routine: advice still standing, and a neck to spare.

Advice that blocked exercise (call an ambulance, see a doctor today, check your
symptoms first) holds on every later run until the person says they have been
seen since: a no, or no clear answer, means no routine.  A routine that turns
or bends the neck is not for someone with rheumatoid arthritis or a recent neck
operation, whose top of the neck can be unstable: a yes, or no clear answer,
gives a routine without neck movement instead.
"""

from __future__ import annotations

from ...events.conversation import Seen
from ...understanding.answers.model import Answer, Question
from ..asking.ask import Asker
from ..asking.prompt import Interrupted, Prompt
from ..contexts import Context
from .book import NeckCaution, Routine, RoutineBook

SEEN = "seen_since"  # the prompt id of "have you been seen since?"
NECK_CAUTION = "neck_caution"


class RoutineGate:
    def __init__(self, asker: Asker, book: RoutineBook, not_yet: str):
        self.asker = asker
        self.book = book
        self.not_yet = not_yet  # said when the advice still stands

    @property
    def caution(self) -> NeckCaution:
        return self.book.neck_caution

    def admit(self, routine: Routine, standing_advice: str | None) -> Routine | None:
        """The routine to play (perhaps one without neck movement), or None: not today.
        `standing_advice` is the question that recalls advice not yet followed, if any."""
        try:
            if not self.advice_followed(standing_advice):
                return None
            if any(exercise.region == "neck" for exercise in routine.exercises) and (
                    self._neck_unsafe()):
                self.asker.say_line(self.caution.say)
                return self.book.routines[self.caution.instead]
        except Interrupted:
            return None  # stop, or the end of input, before the routine began
        return routine

    def advice_followed(self, standing_advice: str | None) -> bool:
        """No advice standing, or the person has been seen since; else it is said that it
        still holds. Raises `Interrupted` on stop or the end of input."""
        if standing_advice is None:
            return True
        if self._seen(standing_advice):
            return True
        self.asker.say_line(self.not_yet)
        return False

    def _seen(self, question: str) -> bool:
        reply = self.asker.ask(Prompt(SEEN, question, Context.YES_NO, ("yes", "no")))
        seen = reply.answer == Answer.YES
        if seen:
            self.asker.transcript.emit(Seen())
        return seen

    def _neck_unsafe(self) -> bool:
        """Read like a red flag: "no, but I had a neck operation years ago" is not a no."""
        reply = self.asker.ask(Prompt(NECK_CAUTION, self.caution.ask, Context.YES_NO,
                                      ("yes", "no"), again=self.caution.again, retries=1,
                                      red_flag=Question(frozenset())))
        return reply.answer != Answer.NO
