"""A routine as a timeline of cues, computed before anything is spoken.

Every cue's speech duration is known in advance (estimated, or measured from
rendered audio by the caller), so the schedule can guarantee:
- the hold timer never includes instruction time;
- the cues within a hold (the count, the time left...) start exactly on the moments
  content gives them (`during_hold`, read by `moments`), and the release exactly at
  the end of the hold;
- no cue is spoken over another: a cue that would collide is dropped (the
  halfway cue first), never delayed past its moment;
- both sides of a sided exercise get the same hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...content.placeholders import fill
from ...events.routine import CueKind
from .book import START_POSITION, Exercise, Routine, RoutineBook

Durations = Callable[[str], float]

# Which cue survives a collision: higher wins. The release and the instructions are never
# lost; what is said within a hold goes first, the halfway before all.
PRIORITY = {CueKind.END: 100, CueKind.INSTRUCTION: 95, CueKind.COUNT: 90, CueKind.START: 85,
            CueKind.SWITCH: 70, CueKind.REST: 70, CueKind.NEXT: 70, CueKind.TEN_LEFT: 50,
            CueKind.BREATH: 30, CueKind.HALFWAY: 20}
GAP_S = 0.3  # silence between consecutive instruction sentences


def estimate_speech_s(text: str, wpm: int) -> float:
    """Seconds of sound espeak-ng-like speech takes: a lead-in, the words, a pause between sentences.

    The silence after the last sentence is not counted: it cannot talk over anything.
    Calibrated on espeak-ng (en-us, 175 wpm, trailing pause trimmed with -z:
    "ten seconds left." measured 1.19 s, estimated 1.18 s).
    """
    words = len(text.split())
    sentences = max(1, sum(text.count(mark) for mark in ".?!"))
    return round(0.15 + words * 60.0 / wpm + 0.3 * (sentences - 1), 3)


def estimated(wpm: int) -> Durations:
    """Speech durations estimated from the text at a rate (text and simulated runs)."""
    return lambda text: estimate_speech_s(text, wpm)


@dataclass(frozen=True)
class Cue:
    t: float  # seconds from the start of its segment
    kind: CueKind
    text: str
    duration: float
    exercise: str | None = None
    side: str | None = None
    rep: int | None = None

    @property
    def end(self) -> float:
        return self.t + self.duration


@dataclass(frozen=True)
class Hold:
    exercise: str
    side: str | None
    rep: int
    start: float
    end: float


@dataclass(frozen=True)
class Segment:
    """One exercise: instructions, holds and rests, and the rest before the next one."""

    exercise: Exercise
    cues: tuple[Cue, ...]
    holds: tuple[Hold, ...]
    dropped: tuple[Cue, ...]
    instructions_end: float
    duration: float

    def side_at(self, position: float) -> str | None:
        """The side held, or last held, at `position`: what "repeat" says the setup for."""
        hold = next((h for h in reversed(self.holds) if h.start <= position), None)
        return hold.side if hold else self.exercise.sides[0]


def build_segment(book: RoutineBook, exercise: Exercise, durations: Durations,
                  next_exercise: Exercise | None, previous_position: str = START_POSITION,
                  ) -> Segment:
    """One exercise as cues. Someone following with eyes closed hears how to get into a new
    position (with time to do it), the name, who should skip it (before the first setup step),
    the setup, what to stop for and how to breathe, which hold of how many this is, and the
    key setup line again when switching sides."""
    cues = book.cues
    to_words = book.number_words.to_words  # "{reps}" in the content's language
    candidates: list[Cue] = []
    holds: list[Hold] = []

    def cue(t: float, kind: CueKind, text: str, side: str | None = None, rep: int | None = None) -> Cue:
        made = Cue(round(t, 3), kind, text, durations(text), exercise.id, side, rep)
        candidates.append(made)
        return made

    t = 0.0
    if exercise.position != previous_position:
        getting_into = book.getting_into[exercise.position]
        said = cue(t, CueKind.INSTRUCTION, exercise.prepare or getting_into.say)
        t = said.end + (exercise.prepare_s if exercise.prepare else getting_into.seconds)
    first_side = exercise.sides[0]
    lines = [fill(cues["instruction_name"], exercise=exercise.name), *exercise.skip_if]
    lines += [fill(line, side=first_side or "") for line in exercise.setup]
    if exercise.reps > 1:
        said = cues["reps_line_sides" if len(exercise.sides) > 1 else "reps_line"]
        lines.append(fill(said, reps=to_words(exercise.reps)))
    lines += [*exercise.safety, exercise.breathing]
    for line in lines:
        t = cue(t, CueKind.INSTRUCTION, line, first_side).end + GAP_S
    t += book.settle_s
    instructions_end = round(t, 3)

    for side_index, side in enumerate(exercise.sides):
        for rep in range(1, exercise.reps + 1):
            start, hold = t, exercise.hold_s
            end = start + hold
            if rep > 1:
                begin = fill(cues["start_rep"], ordinal=cues.ordinals[rep - 1],
                             reps=to_words(exercise.reps))
            else:
                begin = cues["start"]
            cue(start, CueKind.START, begin, side, rep)
            for within in book.during_hold:
                at = within.at(hold)
                if at is not None:
                    cue(start + at, within.kind, fill(within.say, breathing=exercise.breathing), side, rep)
            release = cue(end, CueKind.END, cues["end"], side, rep)
            holds.append(Hold(exercise.id, side, rep, round(start, 3), round(end, 3)))
            t = end
            last_rep = rep == exercise.reps
            last_side = side_index == len(exercise.sides) - 1
            if not last_rep:
                cue(release.end, CueKind.REST, cues["rest"], side, rep)
                t += exercise.rest_s
            elif not last_side:
                other = exercise.sides[side_index + 1] or ""
                switch = fill(cues["switch"], setup=exercise.key_line(other), side=other)
                cue(release.end, CueKind.SWITCH, switch, other, rep)
                t += exercise.side_rest_s
    if next_exercise is not None:
        cue(t + durations(cues["end"]), CueKind.NEXT, fill(cues["next"], exercise=next_exercise.name))
        t += book.rest_between_s
    kept, dropped = _resolve(candidates)
    # The segment lasts until its last word has been said, so the next one never talks over it.
    t = max(t, max(c.end for c in kept) + GAP_S)
    return Segment(exercise, tuple(kept), tuple(holds), tuple(dropped), instructions_end, round(t, 3))


def _resolve(candidates: list[Cue]) -> tuple[list[Cue], list[Cue]]:
    """Keep cues in priority order where they fit; drop the ones that would talk over another."""
    kept: list[Cue] = []
    dropped: list[Cue] = []
    for candidate in sorted(candidates, key=lambda c: (-PRIORITY[c.kind], c.t)):
        clash = any(candidate.t < other.end - 1e-6 and other.t < candidate.end - 1e-6 for other in kept)
        (dropped if clash else kept).append(candidate)
    return sorted(kept, key=lambda c: c.t), sorted(dropped, key=lambda c: c.t)


def routine_segments(book: RoutineBook, routine: Routine, durations: Durations) -> list[Segment]:
    items = routine.exercises
    return [build_segment(book, exercise, durations, items[i + 1] if i + 1 < len(items) else None,
                          items[i - 1].position if i else START_POSITION)
            for i, exercise in enumerate(items)]


def routine_duration_s(book: RoutineBook, routine: Routine, durations: Durations) -> float:
    """The whole routine: intro, every segment, closing (computed, never typed in)."""
    intro = durations(intro_text(book, routine, 0))
    closing = durations(book.cues["closing"])
    return round(intro + GAP_S + sum(s.duration for s in routine_segments(book, routine, durations))
                 + closing, 3)


def intro_text(book: RoutineBook, routine: Routine, minutes: int, typed: bool = False) -> str:
    """`typed`: the person answers from a keyboard, so the intro says "type stop"."""
    return fill(book.cues["intro_typed" if typed else "intro"], routine=routine.name,
                minutes=minutes)
