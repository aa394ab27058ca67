"""Playing a routine against a clock, with voice commands at any moment.

The player walks the timeline one exercise segment at a time (so a change of
speech rate applies from the next exercise), starting each cue when the clock
reaches it.  Commands are heard by one loop (`_next_command`), polled in small
scheduler steps, whatever the player is doing: waiting for the next cue, paused,
or saying a line of its own; stop, a symptom and the end of input end the
routine there, and nowhere else.  Anything the player says in reply to a command
(paused, resuming, help, the instructions again) holds the timeline still while
it is spoken, so a hold never loses or gains time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import NoReturn

from ...clock import Clock
from ...content.placeholders import fill
from ...events.conversation import Cued, HeardCommand, RateChanged, Said
from ...events.routine import Command, CueKind, ExerciseEnded, Paused, Resumed, RoutineEnded, RoutineStarted
from ...events.transcript import Transcript
from ...preferences import RATE_STEP
from ...understanding.intents.model import IntentSet
from ..asking.adjusting import SETTING_INTENTS, adjust
from ..asking.ask import Asker
from ..asking.texts import Texts
from ..contexts import Context
from ..port import Heard, Line, Person, Stop
from ..settings import Settings
from .book import START_POSITION, Exercise, Routine, RoutineBook
from .pain import PainQuestions
from .result import PlayResult
from .timeline import GAP_S, Cue, Durations, Segment, build_segment, intro_text, routine_duration_s

# A device that stops while a routine plays pauses it, its return resumes it: the player's
# own pause and resume, not the words "pause" and "resume" (which differ by language).
DEVICE_COMMANDS = {"lost": "pause", "back": "resume"}
STOP = "stop"
STEP_S = 0.05  # how often commands are checked while waiting for the next cue
CATCH_UP_S = 0.25  # a step that starts later than this after the last one ends starts afresh


class Outcome(Enum):
    """How an exercise ended: played through, or left by a command."""

    DONE = "done"
    SKIP = "skip"
    BACK = "back"
    HURTS = "hurts"


LEAVING = {"skip": Outcome.SKIP, "back": Outcome.BACK, "hurts": Outcome.HURTS}  # commands that leave


class Over(Enum):
    """What stop, a symptom or the end of input does when it comes over a line the player says
    outside the timeline. Any other command waits until the line is over."""

    STOPS = "stops"  # ends the routine at once
    ENDING = "ending"  # the routine is ending anyway: the line is heard out
    LAST_WORDS = "last_words"  # the closing: cut short, and what was said decides what follows
    ANSWER = "answer"  # a question: what comes next is its answer, which the asker hears


OVER = {CueKind.QUESTION: Over.ANSWER, CueKind.CLOSING: Over.ENDING}  # else Over.STOPS


@dataclass
class Playhead:
    """Where the player is in one exercise. The position runs with the clock from `base`, and
    stands still (`still`) while a command is acted on (a reply said, a pause)."""

    segment: Segment
    base: float  # when the exercise would have started, had nothing held it still
    still: float | None = None

    def position(self, now: float) -> float:
        return now - self.base if self.still is None else self.still

    def hold(self, now: float) -> None:
        self.still = self.position(now)

    def go_on(self, now: float) -> None:
        if self.still is not None:
            self.base, self.still = now - self.still, None


class Pace:
    """One schedule for the routine's steps (an exercise, a line said outside the timeline):
    each starts where the last one ended, so the time spent computing between steps does not
    pile up over a routine."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self._ended: float | None = None

    def start(self, lead_s: float) -> float:
        """Where the last step ended, unless that is long past (a question was answered, the
        person paused); else one lead from now (the step's first cue, handed over at once,
        sounds one output latency later: that is its start)."""
        now, ended, self._ended = self.clock.now(), self._ended, None
        return ended if ended is not None and -1.0 <= now - ended < CATCH_UP_S else now + lead_s

    def ended(self, at: float | None) -> None:
        """Where the step just played ended on the timeline; None when a command cut it short."""
        self._ended = at


class Player:
    """One routine with one person, `run` once: what it came to is in `result` as it goes."""

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
        self._pace = Pace(clock)
        self._head: Playhead | None = None  # the exercise playing, while one is
        self._kept: deque[str] = deque()  # commands heard over a line: acted on once it is over
        asker = Asker(person, intents, clock, self.transcript, Texts.of(book.replies),
                      fill=self.settings.fill,
                      ask_line=lambda text, _again: self._say(text, CueKind.QUESTION),
                      say_line=lambda text: self._say(text, CueKind.REPLY),
                      retries=self.settings.retries, interrupts=frozenset(book.symptoms),
                      interrupt_context=Context.PLAYER)
        self.pain = PainQuestions(book, asker, self.transcript, self.result, self._say, self._end_for)

    @property
    def durations(self) -> Durations:
        return self.durations_at(self.person.preferences.now.rate_wpm)

    # ------------------------------------------------------------------ public
    def run(self) -> PlayResult:
        self.transcript.emit(RoutineStarted(self.routine.id))
        try:
            if self.ask_pain and self.result.pain_before is None:  # not asked twice in a session
                self.pain.before()
            minutes = max(1, round(routine_duration_s(self.book, self.routine, self.durations) / 60))
            self._say(intro_text(self.book, self.routine, minutes, self.person.types_answers),
                      CueKind.INTRO)
            self._say(self.book.cues["safety_reminder"], CueKind.INTRO)
            self._exercises()
            said_over = self._say(self.book.cues["closing"], CueKind.CLOSING, Over.LAST_WORDS)
            self.result.completed = True
            if said_over in self.book.symptoms:
                self.result.symptom = said_over
                self.result.end_reason = "symptom"
                self._symptom_advice()
            elif self.ask_pain and said_over != STOP:  # no more questions after stop
                self.pain.after()
        except Stop as stop:
            self.result.end_reason = stop.reason
            if stop.reason in (STOP, "closed"):
                self._say(self.book.cues["stopped"], CueKind.CLOSING)
            elif stop.reason == "symptom":
                self._symptom_advice()
        self.transcript.emit(RoutineEnded(self.result.end_reason, self.result.completed))
        return self.result

    # ---------------------------------------------------------------- playing
    def _exercises(self) -> None:
        """Every exercise in turn; skip, back and "it hurts" move between them."""
        exercises = self.routine.exercises
        index, position = 0, START_POSITION
        while index < len(exercises):
            exercise = exercises[index]
            if self._left_out(exercise):
                self._ended(exercise, "skipped", "hurts")
                index += 1
                continue
            following = next((e for e in exercises[index + 1:] if not self._left_out(e)), None)
            segment = build_segment(self.book, exercise, self.durations, following, position)
            position = exercise.position
            try:
                outcome = self._play(segment)
            except Stop as stop:
                self._ended(exercise, "stopped", stop.reason)
                raise
            if outcome is Outcome.DONE:
                self.result.exercises_done.append(exercise.id)
                self._ended(exercise, "completed")
                index += 1
            elif outcome is Outcome.SKIP:
                self._ended(exercise, "skipped")
                index += 1
                if index < len(exercises):
                    self._say(fill(self.book.cues["skipped"], exercise=exercises[index].name), CueKind.NEXT)
            elif outcome is Outcome.BACK:
                index = max(0, index - 1)
                self._say(fill(self.book.cues["back"], exercise=exercises[index].name), CueKind.NEXT)
            else:
                self._ended(exercise, "stopped", "hurts")
                if not self.pain.hurt(exercises[index + 1:]):
                    raise Stop("hurts")
                index += 1

    def _left_out(self, exercise: Exercise) -> bool:
        return self.result.neck_stopped and exercise.region == "neck"

    def _play(self, segment: Segment) -> Outcome:
        """Play one exercise (stop raises). A speaker with output latency is handed each cue
        that much early."""
        lead = self.person.lead_s
        head = self._head = Playhead(segment, self._pace.start(lead))
        try:
            for cue in segment.cues:
                outcome = self._wait(head, cue.t - lead)
                if outcome is not None:
                    break
                self._cue(cue)
            else:
                outcome = self._wait(head, segment.duration - lead)
        finally:
            self._head = None
        self._pace.ended(None if outcome else head.base + segment.duration)
        return outcome or Outcome.DONE

    def _wait(self, head: Playhead, at: float) -> Outcome | None:
        """Play on to position `at`, acting on each command as it comes; the outcome of one
        that leaves the exercise."""
        while (intent := self._next_command(head.base + at)) is not None:
            head.hold(self.clock.now())
            outcome = self._command(intent, head)
            if outcome is not None:
                self.person.cut()
                return outcome
            head.go_on(self.clock.now())
        return None

    def _command(self, intent: str, head: Playhead) -> Outcome | None:
        """Act on a command during an exercise; the outcome of one that leaves it."""
        if intent in LEAVING:
            return LEAVING[intent]
        if intent == "pause":
            self.person.cut()
            self._pause(head)
        elif intent == "repeat":
            self.person.cut()
            side = head.segment.side_at(head.position(self.clock.now()))
            for line in head.segment.exercise.setup:
                self._say(fill(line, side=side or ""), CueKind.INSTRUCTION)
        elif intent == "help":
            self._say(self.intents.help_text(Context.PLAYER), CueKind.HELP)
        elif intent in ("slower", "faster"):
            step = -RATE_STEP if intent == "slower" else RATE_STEP
            # One owner: the timeline (from the next exercise) and the rendered speech both
            # read the person's rate, so they change together.
            self.transcript.emit(RateChanged(self.person.preferences.step_rate(step)))
            if not self.person.reads_aloud:  # a voice is heard changing; typed lines are not
                self._say(str(self.book.replies[f"{intent}_typed"]), CueKind.REPLY)
        elif intent in SETTING_INTENTS:  # louder, quieter, tones off/on: said back at once
            self._say(adjust(self.person.preferences, intent, self.book.replies), CueKind.REPLY)
        return None

    def _pause(self, head: Playhead) -> None:
        """Until "resume" (help still answers); then how long the hold has left."""
        paused_at = self.clock.now()
        position, exercise = head.position(paused_at), head.segment.exercise.id
        self.transcript.emit(Paused(round(position, 3), exercise))
        self._say(self.book.cues["paused"], CueKind.PAUSED)
        while (intent := self._next_command(None)) != "resume":
            if intent == "help":
                self._say(self.intents.help_text(Context.PLAYER), CueKind.HELP)
        hold = next((h for h in head.segment.holds if h.start <= position < h.end), None)
        if hold is not None:
            seconds = max(1, round(hold.end - position))
            self._say(fill(self.book.cues["resumed"], seconds=seconds), CueKind.RESUMED)
        else:
            self._say(self.book.cues["resumed_between"], CueKind.RESUMED)
        self.transcript.emit(Resumed(round(position, 3), exercise, round(self.clock.now() - paused_at, 3)))

    # ------------------------------------------------------------- listening
    def _next_command(self, until: float | None, over: Over | None = None) -> str | None:
        """The next command to act on, or None once the clock reaches `until` (None: no end).

        Over a line of the player's own (`over`), any command but stop and the symptoms is
        kept, and comes back from the next call made between lines, so it is acted on as
        soon as the line is over; over the closing words, stop or a symptom is returned."""
        while True:
            now = self.clock.now()
            if over is None and self._kept:
                intent: str | None = self._kept.popleft()
            elif until is not None and now >= until - 1e-9:
                return None
            else:
                step = None if until is None else min(until, now + STEP_S)
                heard = self.person.listen(Context.PLAYER, step)
                if heard.kind == "closed":
                    if until is None or over not in (Over.ENDING, Over.LAST_WORDS):
                        self.person.cut()
                        raise Stop("closed")  # end of input (Ctrl-D) ends it like stop
                    self.clock.sleep(until - self.clock.now())  # the last words are still heard
                    return None
                intent = self._intent(heard)
            if intent is None:
                continue
            ends = intent == STOP or intent in self.book.symptoms
            if ends and over is Over.LAST_WORDS:
                self.transcript.emit(Command(intent, *self._where()))
                self.person.cut()
                return intent
            if ends and over is not Over.ENDING:
                self._end_for(intent)
            if over is None:
                self.transcript.emit(Command(intent, *self._where()))
                return intent
            self._kept.append(intent)

    def _end_for(self, intent: str) -> NoReturn:
        """Stop, or a symptom ("I feel dizzy", "pins and needles"): the routine ends at once."""
        self.transcript.emit(Command(intent, *self._where()))
        self.person.cut()
        if intent in self.book.symptoms:
            self.result.symptom = intent
            raise Stop("symptom")
        raise Stop(STOP)

    def _where(self) -> tuple[float | None, str | None]:
        """Seconds into the exercise playing, and which; (None, None) outside the timeline."""
        if self._head is None:
            return None, None
        return round(self._head.position(self.clock.now()), 3), self._head.segment.exercise.id

    def _intent(self, heard: Heard) -> str | None:
        """What was heard, as a command: words by their meaning here; a device that stopped
        pauses the routine with its place kept, and its return resumes it."""
        if heard.kind in DEVICE_COMMANDS:
            self.transcript.emit(HeardCommand(heard.text or None, DEVICE_COMMANDS[heard.kind],
                                              Context.PLAYER, heard.kind))
            return DEVICE_COMMANDS[heard.kind]
        if heard.kind != "speech":
            return None
        match = heard.meaning(self.intents, Context.PLAYER)
        self.transcript.emit(HeardCommand(heard.text, match.intent, Context.PLAYER))
        return match.intent

    # --------------------------------------------------------------- speaking
    def _cue(self, cue: Cue) -> None:
        self.person.cue(cue.text, cue.kind, cue.duration)
        self.transcript.emit(Cued(cue.kind, cue.text, cue.duration, cue.exercise, cue.side, cue.rep))

    def _say(self, template: str, kind: CueKind, over: Over | None = None) -> str | None:
        """Say a line outside the timeline and wait until it has been said, hearing commands
        over it as `over` (by default, as its kind) says; the stop or symptom said over the
        last words, if one was. A number to dial in it is handed to the voice digit by digit."""
        over = over or OVER.get(kind, Over.STOPS)
        start = self._pace.start(self.person.lead_s)
        line = Line.of(self.settings.fill(template), self.settings.fill(template, spoken=True))
        duration = self.durations(line.spoken or line.text)
        self.clock.sleep(max(0.0, start - self.person.lead_s - self.clock.now()))
        self.person.cue(line.text, kind, duration, line.spoken)
        if kind.scripted:
            self.transcript.emit(Cued(kind, line.text, duration, None, None, None, line.spoken))
        else:
            self.transcript.emit(Said(line.text, line.spoken, kind=kind, duration=duration))
        until = start + duration + GAP_S
        if over is Over.ANSWER:
            self.clock.sleep(until - self.clock.now())
            return None
        said_over = self._next_command(until - self.person.lead_s, over)  # handed over early, as cues
        self._pace.ended(until)
        return said_over

    def _symptom_advice(self) -> None:
        for line in (self.book.cues["symptom_stop"], *self.book.symptoms[self.result.symptom or ""]):
            self._say(line, CueKind.CLOSING)

    def _ended(self, exercise: Exercise, result: str, reason: str | None = None) -> None:
        """What became of one exercise (completed, skipped or stopped), for the journal."""
        self.transcript.emit(ExerciseEnded(exercise.id, result, reason))
