"""Playing a routine against a clock, with voice commands at any moment.

The player walks the timeline one exercise segment at a time (so a change of
speech rate applies from the next exercise), starting each cue when the clock
reaches it.  Commands are polled in small scheduler steps.  Anything the player
says in reply to a command (paused, resuming, help, the instructions again)
freezes the timeline while it is spoken, so a hold never loses or gains time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...clock import Clock
from ...content.placeholders import fill
from ...events.conversation import Cued, HeardCommand, RateChanged, Said
from ...events.routine import Command, ExerciseEnded, Pain, Paused, Resumed, RoutineEnded, RoutineStarted
from ...events.transcript import Transcript
from ...preferences import RATE_STEP
from ...understanding.answers import Question
from ...understanding.intents import IntentSet, Match
from ..asking.adjusting import SETTING_INTENTS, adjust
from ..asking.ask import Asker, Interrupted, Prompt, Texts
from ..contexts import Context
from ..port import Heard, Person, Stop
from ..settings import Settings
from .book import START_POSITION, Exercise, Routine, RoutineBook
from .timeline import GAP_S, Cue, Durations, Segment, build_segment, intro_text, routine_duration_s

# A device that stops while a routine plays pauses it, its return resumes it: the player's
# own pause and resume, not the words "pause" and "resume" (which differ by language).
DEVICE_COMMANDS = {"lost": "pause", "back": "resume"}

CUE_KINDS = ("intro", "instruction", "start", "halfway", "ten_left", "count", "end", "switch",
             "rest", "breath", "next", "closing")
STEP_S = 0.05  # how often commands are checked while waiting for the next cue
CATCH_UP_S = 0.25  # a step that starts later than this after the last one ends starts afresh


@dataclass
class PlayResult:
    completed: bool
    end_reason: str  # completed | stop | hurts | symptom | closed
    pain_before: int | None = None
    pain_after: int | None = None
    pain_during: int | None = None
    exercises_done: list[str] = field(default_factory=list)
    symptom: str | None = None  # the symptom that stopped the routine (dizzy, tingling)
    neck_stopped: bool = False  # "it hurts" with sharp or spreading pain: no more neck exercises


class Player:
    def __init__(self, book: RoutineBook, routine: Routine, intents: IntentSet, person: Person,
                 clock: Clock, durations_at: Callable[[int], Durations],
                 settings: Settings | None = None,
                 transcript: Transcript | None = None, ask_pain: bool = True,
                 pain_before: int | None = None):
        self.book = book
        self.routine = routine
        self.intents = intents
        self.person = person
        self.clock = clock
        self.durations_at = durations_at
        self.settings = settings or Settings()
        self.transcript = transcript or Transcript(clock)
        self.ask_pain = ask_pain
        self.result = PlayResult(False, "completed", pain_before=pain_before)
        self._deferred: list[str] = []  # commands heard while the player was talking
        self._due: float | None = None  # when the last step ended on the timeline
        self._finishing = False  # the routine's closing words are being said
        self._after_closing: str | None = None  # stop or a symptom said over them
        self.asker = Asker(person, intents, clock, self.transcript, Texts.of(book.replies),
                           fill=self.settings.fill,
                           ask_line=lambda text, _again: self._say_now(text, "question"),
                           say_line=lambda text: self._say_now(text, "reply"),
                           retries=self.settings.retries, interrupts=frozenset(book.symptoms),
                           interrupt_context=Context.PLAYER)

    @property
    def durations(self) -> Durations:
        return self.durations_at(self.person.preferences.now.rate_wpm)

    # ------------------------------------------------------------------ public
    def run(self) -> PlayResult:
        self.transcript.emit(RoutineStarted(self.routine.id))
        try:
            if self.ask_pain and self.result.pain_before is None:  # not asked twice in a session
                self.result.pain_before = self._ask_number(self.book.cues["pain_before"],
                                                           "pain_before")
                self._pain("before", self.result.pain_before)
            minutes = max(1, round(routine_duration_s(self.book, self.routine, self.durations) / 60))
            self._say_now(intro_text(self.book, self.routine, minutes, self.person.types_answers),
                          "intro")
            self._say_now(self.book.cues["safety_reminder"], "intro")
            index = 0
            exercises = self.routine.exercises
            position = START_POSITION
            while index < len(exercises):
                if self.result.neck_stopped and exercises[index].region == "neck":
                    self._exercise(exercises[index], "skipped", "hurts")
                    index += 1
                    continue
                following = next((e for e in exercises[index + 1:] if not (
                    self.result.neck_stopped and e.region == "neck")), None)
                segment = build_segment(self.book, exercises[index], self.durations, following,
                                        position)
                position = exercises[index].position
                try:
                    outcome = self._play(segment)
                except Stop as stop:
                    self._exercise(exercises[index], "stopped", stop.reason)
                    raise
                if outcome == "done":
                    self.result.exercises_done.append(exercises[index].id)
                    self._exercise(exercises[index], "completed")
                    index += 1
                elif outcome == "skip":
                    self._exercise(exercises[index], "skipped")
                    index += 1
                    if index < len(exercises):
                        self._say_now(self.book.cues["skipped"].replace(
                            "{exercise}", exercises[index].name), "next")
                elif outcome == "back":
                    index = max(0, index - 1)
                    self._say_now(self.book.cues["back"].replace(
                        "{exercise}", exercises[index].name), "next")
                elif outcome == "hurts":
                    self._exercise(exercises[index], "stopped", "hurts")
                    if not self._after_hurt(exercises[index + 1:]):
                        raise Stop("hurts")
                    index += 1
            self._finishing = True
            self._say_now(self.book.cues["closing"], "closing")
            self._finishing = False
            self.result.completed = True
            if self._after_closing in self.book.symptoms:  # said over the closing words
                self.result.symptom = self._after_closing
                self.result.end_reason = "symptom"
                self._symptom_advice()
            elif self.ask_pain and self._after_closing != "stop":
                self._pain_after()
        except Stop as stop:
            self.result.end_reason = stop.reason
            if stop.reason in ("stop", "closed"):
                self._say_now(self.book.cues["stopped"], "closing")
            elif stop.reason == "symptom":
                self._symptom_advice()
        self.transcript.emit(RoutineEnded(self.result.end_reason, self.result.completed))
        return self.result

    # ---------------------------------------------------------------- playing
    def _play(self, segment: Segment) -> str:
        """Play one exercise; returns done, skip, back or hurts (stop raises)."""
        base = self._start_time()
        for cue in segment.cues:
            # A speaker with output latency is handed each cue that much early.
            outcome, base = self._wait(base, cue.t - self._lead(), segment)
            if outcome:
                return outcome
            self._cue(cue)
        outcome, base = self._wait(base, segment.duration - self._lead(), segment)
        self._due = None if outcome else base + segment.duration
        return outcome or "done"

    def _lead(self) -> float:
        """Seconds between handing the speaker a cue and its first sample being heard."""
        return self.person.lead_s

    def _start_time(self) -> float:
        """When the next step starts: where the last one ended on the timeline, so the time spent
        computing between steps does not pile up over a routine; else one lead from now (its
        first cue, handed over at once, sounds one output latency later: that is its start)."""
        now = self.clock.now()
        due, self._due = self._due, None
        return due if due is not None and -1.0 <= now - due < CATCH_UP_S else now + self._lead()

    def _wait(self, base: float, at: float, segment: Segment) -> tuple[str | None, float]:
        """Wait for segment time `at`, handling commands; returns (outcome, possibly moved base)."""
        while True:
            target = base + at
            now = self.clock.now()
            if self._deferred:  # said over a line: handled before the next cue, not after it
                intent: str | None = self._deferred.pop(0)
            elif now >= target - 1e-9:
                return None, base
            else:
                heard = self.person.listen(Context.PLAYER, min(target, now + STEP_S))
                if heard.kind == "closed":
                    self.person.cut()
                    raise Stop("closed")  # end of input (Ctrl-D) ends it like stop
                intent = self._intent(heard, Context.PLAYER)
            if intent is None:
                continue
            position = self.clock.now() - base
            outcome = self._command(intent, segment, position)
            if outcome in ("skip", "back", "hurts"):
                self.person.cut()
                return outcome, base
            # Replies froze the timeline: the segment resumes from the same position.
            base = self.clock.now() - position

    def _command(self, intent: str, segment: Segment, position: float) -> str | None:
        self.transcript.emit(Command(intent, round(position, 3), segment.exercise.id))
        if intent == "stop":
            self.person.cut()
            raise Stop("stop")
        self._stop_for_symptom(intent)
        if intent in ("skip", "back", "hurts"):
            return intent
        if intent == "pause":
            self.person.cut()
            self._pause(segment, position)
        elif intent == "repeat":
            self.person.cut()
            for line in segment.exercise.setup:
                self._say_now(fill(line, side=self._side_at(segment, position) or ""),
                              "instruction")
        elif intent == "help":
            self._say_now(self.intents.help_text(Context.PLAYER), "help")
        elif intent in ("slower", "faster"):
            step = -RATE_STEP if intent == "slower" else RATE_STEP
            # One owner: the timeline (from the next exercise) and the rendered speech both
            # read the person's rate, so they change together.
            self.transcript.emit(RateChanged(self.person.preferences.step_rate(step)))
            if not self.person.reads_aloud:  # a voice is heard changing; typed lines are not
                self._say_now(str(self.book.replies[f"{intent}_typed"]), "reply")
        elif intent in SETTING_INTENTS:  # louder, quieter, tones off/on: said back at once
            self._say_now(adjust(self.person.preferences, intent, self.book.replies), "reply")
        return None

    def _pause(self, segment: Segment, position: float) -> None:
        paused_at = self.clock.now()
        self.transcript.emit(Paused(round(position, 3), segment.exercise.id))
        self._say_now(self.book.cues["paused"], "paused")
        while True:
            if self._deferred:
                intent = self._deferred.pop(0)
            else:
                heard = self.person.listen(Context.PLAYER, None)
                if heard.kind == "closed":
                    raise Stop("closed")
                intent = self._intent(heard, Context.PLAYER)
            if intent == "resume":
                break
            if intent == "stop":
                raise Stop("stop")
            self._stop_for_symptom(intent)
            if intent == "help":
                self._say_now(self.intents.help_text(Context.PLAYER), "help")
        hold = next((h for h in segment.holds if h.start <= position < h.end), None)
        if hold is not None:
            seconds = max(1, round(hold.end - position))
            self._say_now(fill(self.book.cues["resumed"], seconds=seconds), "resumed")
        else:
            self._say_now(self.book.cues["resumed_between"], "resumed")
        self.transcript.emit(Resumed(round(position, 3), segment.exercise.id,
                                     round(self.clock.now() - paused_at, 3)))

    # ------------------------------------------------------------------ pain
    def _after_hurt(self, remaining: tuple[Exercise, ...]) -> bool:
        """Stop the exercise, ask the pain and what it is like; True to go on with the routine.

        Sharp or spreading pain, or dizziness or tingling with it (or no clear answer),
        ends every neck exercise for this session; otherwise the person may skip ahead."""
        cues = self.book.cues
        score = self._ask_number(cues["hurts_question"], "hurts_question")
        self.result.pain_during = score
        self._pain("during", score)
        if score is None or score >= self.book.pain_stops_routine_at:
            self._say_now(cues["hurts_end"], "closing")
            return False
        if self._ask_yes_no(cues["hurts_check"], "hurts_check", cautious=True) != "no":
            self.result.neck_stopped = True
            self._say_now(cues["hurts_advice"], "advice")
            self._say_now(cues["hurts_stroke"], "advice")
            if not any(exercise.region != "neck" for exercise in remaining):
                self._say_now(cues["hurts_end"], "closing")
                return False
            self._say_now(cues["hurts_no_neck"], "advice")
            return True
        if not remaining or self._ask_yes_no(cues["hurts_offer_skip"],
                                                  "hurts_offer_skip") != "yes":
            self._say_now(cues["hurts_end"], "closing")
            return False
        self._say_now(cues["hurts_next"], "advice")
        return True

    def _ask_yes_no(self, question: str, prompt_id: str, cautious: bool = False) -> str | None:
        """yes, no, or None when no clear answer came (which callers read the cautious way).
        A `cautious` question is read like a red flag: "no, but it tingles" is not a no."""
        match = self._ask(question, prompt_id, Context.YES_NO, ("yes", "no"), cautious)
        return match.intent if match else None

    # -------------------------------------------------------------- symptoms
    def _stop_for_symptom(self, intent: str | None) -> None:
        """"I feel dizzy", "pins and needles": the routine stops at once, like stop."""
        if intent in self.book.symptoms:
            self.person.cut()
            self.result.symptom = intent
            raise Stop("symptom")

    def _symptom_advice(self) -> None:
        self._say_now(self.book.cues["symptom_stop"], "closing")
        for line in self.book.symptoms[self.result.symptom or ""]:
            self._say_now(line, "closing")

    def _pain_after(self) -> None:
        after = self._ask_number(self.book.cues["pain_after"], "pain_after")
        self.result.pain_after = after
        self._pain("after", after)
        before = self.result.pain_before
        if after is not None and before is not None and (
                after - before >= self.book.pain_rise_warns_at):
            self._say_now(fill(self.book.cues["pain_worse"], points=after - before),
                          "advice")
        elif after is not None:
            self._say_now(self.book.cues["pain_same"], "advice")

    def _ask_number(self, question: str, prompt_id: str) -> int | None:
        match = self._ask(question, prompt_id, Context.PAIN_SCALE, ("number",))
        return match.slots["number"] if match else None

    def _ask(self, question: str, prompt_id: str, context: Context, wanted: tuple[str, ...],
             cautious: bool = False) -> Match | None:
        """Ask by the one ask step (`asking.py`); None when no clear answer came or input ended.
        Stop and the symptoms still work while it waits: they end the routine."""
        try:
            reply = self.asker.ask(Prompt(prompt_id, question, str(context), wanted,
                                          red_flag=Question(frozenset()) if cautious else None,
                                          retries=1 if cautious else None))
        except Interrupted as interrupted:
            if interrupted.intent == "closed":
                return None
            self.transcript.emit(Command(interrupted.intent, None, None))
            self.person.cut()
            if interrupted.intent in self.book.symptoms:
                self.result.symptom = interrupted.intent
                raise Stop("symptom") from None
            raise Stop("stop") from None
        return reply.match

    # --------------------------------------------------------------- helpers
    def _exercise(self, exercise: Exercise, result: str, reason: str | None = None) -> None:
        """What became of one exercise (completed, skipped or stopped), for the journal."""
        self.transcript.emit(ExerciseEnded(exercise.id, result, reason))

    def _pain(self, when: str, score: int | None) -> None:
        if score is not None:
            self.transcript.emit(Pain(when, score))

    def _intent(self, heard: Heard, context: str) -> str | None:
        """What was heard, as a command: words by their meaning here; a device that stopped
        pauses the routine with its place kept, and its return resumes it."""
        if heard.kind in DEVICE_COMMANDS:
            self.transcript.emit(HeardCommand(heard.text or None, DEVICE_COMMANDS[heard.kind],
                                              context, heard.kind))
            return DEVICE_COMMANDS[heard.kind]
        if heard.kind != "speech":
            return None
        match = heard.meaning(self.intents, context)
        self.transcript.emit(HeardCommand(heard.text, match.intent, context))
        return match.intent

    def _cue(self, cue: Cue) -> None:
        self.person.cue(cue.text, cue.kind, cue.duration)
        self.transcript.emit(Cued(cue.kind, cue.text, cue.duration, cue.exercise, cue.side, cue.rep))

    def _say_now(self, template: str, kind: str) -> None:
        """Say something outside the timeline and wait until it has been said. A number to
        dial in it is handed to the voice digit by digit."""
        start = self._start_time()
        text, spoken = self.settings.fill(template), self.settings.fill(template, spoken=True)
        duration = self.durations(spoken)
        self.clock.sleep(max(0.0, start - self._lead() - self.clock.now()))
        self.person.cue(text, kind, duration, spoken if spoken != text else None)
        said = spoken if spoken != text else None  # as said out loud, where it differs
        if kind in CUE_KINDS:
            self.transcript.emit(Cued(kind, text, duration, None, None, None, said))
        else:
            self.transcript.emit(Said(text, said, kind=kind, duration=duration))
        until = start + duration + GAP_S
        if kind == "question":
            # What comes next is the answer; "stop" as an answer is handled by the question.
            self.clock.sleep(until - self.clock.now())
            return
        # "Stop" always works, even while the player is talking outside the timeline.
        ready = until - self._lead()  # the next step is handed over early, like every cue
        while self.clock.now() < ready - 1e-9:
            heard = self.person.listen(Context.PLAYER, min(ready, self.clock.now() + STEP_S))
            if heard.kind == "closed":
                if kind != "closing":
                    self.person.cut()
                    raise Stop("closed")
                self.clock.sleep(ready - self.clock.now())  # the last words are still heard
                break
            intent = self._intent(heard, Context.PLAYER)
            if (intent == "stop" or intent in self.book.symptoms) and kind != "closing":
                self.transcript.emit(Command(intent, None, None))
                if intent == "stop":
                    self.person.cut()
                    raise Stop("stop")
                self._stop_for_symptom(intent)
            if (intent == "stop" or intent in self.book.symptoms) and self._finishing:
                # Over the last words: no more questions after stop; a symptom gets its advice.
                self.transcript.emit(Command(intent, None, None))
                self._after_closing = intent
                self.person.cut()
                break
            if intent is not None:
                self._deferred.append(intent)  # handled as soon as this sentence is over
        self._due = until

    @staticmethod
    def _side_at(segment: Segment, position: float) -> str | None:
        hold = next((h for h in reversed(segment.holds) if h.start <= position), None)
        return hold.side if hold else segment.exercise.sides[0]


def exercise_summary(exercise: Exercise) -> dict:
    return {"id": exercise.id, "name": exercise.name, "hold_s": exercise.hold_s,
            "reps": exercise.reps, "sides": "left_right" if exercise.sides != (None,) else "none",
            "position": exercise.position}


def routine_summary(routine: Routine, seconds: float) -> dict:
    return {"id": routine.id, "name": routine.name, "positions": routine.positions,
            "seated_only": routine.seated_only, "duration_s": seconds,
            "exercises": [exercise_summary(e) for e in routine.exercises]}
