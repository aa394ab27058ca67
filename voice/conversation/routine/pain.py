"""The routine's questions about pain: how bad before and after it, and what "it hurts" during
it comes to, which decides whether the routine goes on (perhaps without its neck exercises)
or ends.

Apart from the player, which plays the timeline: these are a short dialog of their own,
asked by the one ask step, with stop and the symptoms still ending the routine while it
waits for an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from ...content.placeholders import fill
from ...events.routine import CueKind, Pain
from ...events.transcript import Transcript
from ...understanding.answers.model import Question
from ...understanding.intents.model import Match
from ..asking.ask import Asker
from ..asking.prompt import Interrupted, Prompt
from ..contexts import Context
from .book import Exercise, RoutineBook
from .result import PlayResult

Say = Callable[[str, CueKind], object]  # the player's own line, said outside the timeline


class PainQuestions:
    """Asks, and keeps each answer in the routine's result as soon as it is given, so a
    routine stopped by the next answer still records it."""

    def __init__(self, book: RoutineBook, asker: Asker, transcript: Transcript, result: PlayResult,
                 say: Say, end_for: Callable[[str], NoReturn]):
        self.book = book
        self.asker = asker
        self.transcript = transcript
        self.result = result
        self.say = say
        self.end_for = end_for  # stop or a symptom said instead of an answer ends the routine

    def before(self) -> None:
        self.result.pain_before = self._score("before", "pain_before")

    def after(self) -> None:
        """The pain after the routine; advice to rest where it rose by enough to matter."""
        after = self.result.pain_after = self._score("after", "pain_after")
        before, cues = self.result.pain_before, self.book.cues
        if after is not None and before is not None and after - before >= self.book.pain_rise_warns_at:
            self.say(fill(cues["pain_worse"], points=after - before), CueKind.ADVICE)
        elif after is not None:
            self.say(cues["pain_same"], CueKind.ADVICE)

    def hurt(self, remaining: tuple[Exercise, ...]) -> bool:
        """The exercise has stopped: ask the pain and what it is like; True to go on.

        Sharp or spreading pain, or dizziness or tingling with it (or no clear answer),
        ends every neck exercise for this session; otherwise the person may skip ahead."""
        cues = self.book.cues
        score = self.result.pain_during = self._score("during", "hurts_question")
        if score is None or score >= self.book.pain_stops_routine_at:
            return self._end()
        if self._yes_no("hurts_check", cautious=True) != "no":
            self.result.neck_stopped = True
            self.say(cues["hurts_advice"], CueKind.ADVICE)
            self.say(cues["hurts_stroke"], CueKind.ADVICE)
            if not any(exercise.region != "neck" for exercise in remaining):
                return self._end()
            self.say(cues["hurts_no_neck"], CueKind.ADVICE)
            return True
        if not remaining or self._yes_no("hurts_offer_skip") != "yes":
            return self._end()
        self.say(cues["hurts_next"], CueKind.ADVICE)
        return True

    def _end(self) -> bool:
        self.say(self.book.cues["hurts_end"], CueKind.CLOSING)
        return False

    def _score(self, when: str, prompt_id: str) -> int | None:
        """How bad the pain is, 0 to 10, kept for the journal; None without a clear answer."""
        match = self._ask(prompt_id, Context.PAIN_SCALE, ("number",))
        score: int | None = match.slots["number"] if match else None
        if score is not None:
            self.transcript.emit(Pain(when, score))
        return score

    def _yes_no(self, prompt_id: str, cautious: bool = False) -> str | None:
        """yes, no, or None when no clear answer came (which callers read the cautious way).
        A `cautious` question is read like a red flag: "no, but it tingles" is not a no."""
        match = self._ask(prompt_id, Context.YES_NO, ("yes", "no"), cautious)
        return match.intent if match else None

    def _ask(self, prompt_id: str, context: Context, wanted: tuple[str, ...],
             cautious: bool = False) -> Match | None:
        """The routine's question `prompt_id`; None when no clear answer came or input ended."""
        try:
            reply = self.asker.ask(Prompt(prompt_id, self.book.cues[prompt_id], str(context), wanted,
                                          red_flag=Question(frozenset()) if cautious else None,
                                          retries=1 if cautious else None))
        except Interrupted as interrupted:
            if interrupted.intent == "closed":
                return None
            self.end_for(interrupted.intent)
        return reply.match
