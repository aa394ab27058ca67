"""Exercises, routines and cue wording, loaded and validated from YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ...content.placeholders import fill
from ...content.schema import Fields, unique_ids
from ...content.yamlsource import ContentError, Where, load_yaml
from ...understanding.numbers import NumberWords, load_number_words
from .moments import HoldCue, read_hold_cues

NO_SIDES = "none"  # an exercise's `sides`: done once
SIDED = "left_right"  # done on each side, named by the words exercises.yaml gives them
POSITIONS = ("seated", "standing", "floor")
START_POSITION = "seated"  # where a routine assumes the person is when it starts
REGIONS = ("neck", "upper_back", "shoulders", "breathing")
CUE_KEYS = (
    "intro", "intro_typed", "instruction_name", "start", "start_rep", "reps_line",
    "reps_line_sides", "end", "switch",
    "rest", "next", "closing", "stopped", "paused", "resumed", "resumed_between",
    "skipped", "back", "pain_before", "pain_after", "pain_worse", "pain_same", "hurts_question",
    "hurts_check", "hurts_advice", "hurts_offer_skip", "hurts_end", "hurts_next", "hurts_no_neck",
    "symptom_stop", "safety_reminder", "disclaimer", "hurts_stroke",
)
REPLY_KEYS = ("no_match", "no_input")  # lists: the first time, then the second


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    position: str
    setup: tuple[str, ...]
    hold_s: float
    reps: int
    sides: tuple[str | None, ...]
    rest_s: float
    side_rest_s: float
    breathing: str
    safety: tuple[str, ...]
    sources: tuple[str, ...]
    region: str = "neck"
    prepare: str = ""  # said instead of the routine's getting_into when the position changes
    prepare_s: float = 0.0
    skip_if: tuple[str, ...] = ()  # who should not do it: said after the name, before the setup

    @property
    def sided(self) -> bool:
        return self.sides != (None,)

    def key_line(self, side: str | None) -> str:
        """The setup line that says what to do on a side, said again when switching to it."""
        line = next((line for line in self.setup if "{side}" in line), self.setup[0])
        return fill(line, side=side or "")


@dataclass(frozen=True)
class GettingInto:
    say: str
    seconds: float


@dataclass(frozen=True)
class AskedFor:
    """How a routine is asked for by name (`asked_for`): its words are an intent of their own,
    heard wherever intents.yaml lists `routines_by_name`, that plays this routine; so adding a
    routine people can ask for is one entry, not an intent, two contexts and three maps."""

    say: str  # how help names it ("the desk break")
    phrases: tuple[str, ...]
    in_help: bool = True  # named when help says what can be said


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    exercises: tuple[Exercise, ...]
    seated_only: bool = False
    floor: bool = False
    asked_for: AskedFor | None = None  # None: only ever offered, never asked for by name

    @property
    def positions(self) -> list[str]:
        """Every position the routine needs, in order of first use."""
        return list(dict.fromkeys(e.position for e in self.exercises))


@dataclass(frozen=True)
class Cues:
    text: dict[str, str]
    ordinals: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> str:
        return self.text[key]


@dataclass(frozen=True)
class NeckCaution:
    """The question before a routine with neck exercises, and the routine to play instead."""

    ask: str
    again: str
    instead: str  # a routine id with no neck exercise
    say: str  # said when the routine is swapped
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RoutineBook:
    """Everything the player needs: exercises, routines, cue wording and fixed rests."""

    exercises: dict[str, Exercise]
    routines: dict[str, Routine]
    cues: Cues
    during_hold: tuple[HoldCue, ...]  # what is said within a hold, and when
    rest_between_s: float
    settle_s: float
    getting_into: dict[str, GettingInto]
    symptoms: dict[str, tuple[str, ...]]  # intent -> advice when it is said during a routine
    replies: dict[str, object]  # what the player says to an unclear answer (asking.Texts)
    neck_caution: NeckCaution
    number_words: NumberWords  # the content's, for the counts cues say ("{reps}": "three")
    pain_stops_routine_at: int = 7
    pain_rise_warns_at: int = 2

    @property
    def first(self) -> Routine:
        """The routine played when none is named: the first in routines.yaml."""
        return next(iter(self.routines.values()))


def load_exercises(path: Path, terms: Mapping[str, str] | None = None) -> dict[str, Exercise]:
    doc = Fields(load_yaml(path, terms=terms), "", Where(str(path), 1))
    sides_of = _read_sides(doc.mapping("sides"))
    items = doc.items("exercises")
    unique_ids([(item.text("id"), item) for item in items], "exercise")
    result: dict[str, Exercise] = {}
    for item in items:
        sides = sides_of[item.choice("sides", sides_of)]
        exercise = Exercise(
            id=item.text("id"), name=item.text("name"), position=item.choice("position", POSITIONS),
            setup=tuple(item.text_list("setup")), hold_s=item.number("hold_s", minimum=3, maximum=120),
            reps=item.integer("reps", minimum=1, maximum=20), sides=sides,
            rest_s=item.number("rest_s", minimum=2, maximum=60),
            side_rest_s=item.number("side_rest_s", 0.0 if sides == (None,) else None,
                                    minimum=0 if sides == (None,) else 5, maximum=10),
            breathing=item.text("breathing"), safety=tuple(item.text_list("safety")),
            sources=tuple(item.text_list("sources")), region=item.choice("region", REGIONS),
            prepare=item.text("prepare", ""),
            prepare_s=item.number("prepare_s", 0.0, minimum=0, maximum=60),
            skip_if=tuple(item.text_list("skip_if", [])),
        )
        if not exercise.setup:
            raise item.error("setup", "an exercise needs at least one spoken setup step")
        if not exercise.sources:
            raise item.error("sources", "every exercise needs at least one source")
        if not exercise.safety:
            raise item.error("safety", "every exercise needs a safety line to speak")
        if any("{side}" in line for line in exercise.setup) and exercise.sides == (None,):
            raise item.error("setup", "uses {side} but the exercise has no sides")
        item.done()
        result[exercise.id] = exercise
    doc.done()
    return result


def _read_sides(table: Fields) -> dict[str, tuple[str | None, ...]]:
    """An exercise's `sides` choice, as the sides it is done on: none, or the two words
    `{side}` says, the first side first."""
    words = tuple(table.text_list(SIDED))
    if len(words) != 2 or words[0] == words[1]:
        raise table.error(SIDED, f"give the two sides' words, the first side first, not {list(words)}")
    table.done()
    return {NO_SIDES: (None,), SIDED: words}


def load_routines(path: Path, exercises: dict[str, Exercise], number_words: NumberWords,
                  terms: Mapping[str, str] | None = None) -> RoutineBook:
    doc = Fields(load_yaml(path, terms=terms), "", Where(str(path), 1))
    routines: dict[str, Routine] = {}
    items = doc.items("routines")
    for item in items:
        names = item.text_list("exercises")
        chosen = []
        for index, name in enumerate(names):
            if name not in exercises:
                raise ContentError(item.at("exercises"), f"{item.field('exercises')}[{index}]",
                                   f"no exercise with id {name!r}")
            chosen.append(exercises[name])
        seated_only = item.boolean("seated_only", False)
        floor = item.boolean("floor", False)
        for exercise in chosen:
            if seated_only and exercise.position != "seated":
                raise item.error("exercises", f"{exercise.id} is {exercise.position}, but this "
                                 "routine is seated only")
            if exercise.position == "floor" and not floor:
                raise item.error("exercises", f"{exercise.id} is on the floor, but this routine "
                                 "does not say so (floor: true)")
        routine = Routine(item.text("id"), item.text("name"), tuple(chosen), seated_only, floor,
                          _read_asked_for(item.mapping("asked_for")) if item.has("asked_for") else None)
        if routine.id in routines:
            raise item.error("id", f"duplicate routine id {routine.id!r}")
        routines[routine.id] = routine
        item.done()
    cue_fields = doc.mapping("cues")
    text = {key: cue_fields.text(key) for key in CUE_KEYS}
    ordinals = tuple(cue_fields.text_list("ordinals"))
    most_reps = max(e.reps for e in exercises.values())
    if len(ordinals) < most_reps:
        raise cue_fields.error("ordinals", f"an exercise has {most_reps} reps: give that many "
                               "ordinals (first, second, ...)")
    cue_fields.done()
    getting_into: dict[str, GettingInto] = {}
    table = doc.mapping("getting_into")
    for position in POSITIONS:
        entry = table.mapping(position)
        getting_into[position] = GettingInto(entry.text("say"),
                                             entry.number("seconds", minimum=0, maximum=60))
        entry.done()
    table.done()
    symptoms_table = doc.mapping("symptoms")
    symptoms = {name: tuple(symptoms_table.text_list(name)) for name in symptoms_table.keys()}
    reply_fields = doc.mapping("replies")
    replies: dict[str, object] = {key: tuple(reply_fields.text_list(key)) if key in REPLY_KEYS
                                  else reply_fields.text(key) for key in reply_fields.keys()}
    for key in REPLY_KEYS:
        if key not in replies:
            raise reply_fields.error(key, "required field is missing")
    book = RoutineBook(exercises, routines, Cues(text, ordinals), read_hold_cues(doc.mapping("during_hold")),
                       doc.number("rest_between_exercises_s", minimum=3, maximum=30),
                       doc.number("settle_s", minimum=0, maximum=5), getting_into, symptoms, replies,
                       _read_neck_caution(doc.mapping("neck_caution"), routines), number_words,
                       doc.integer("pain_stops_routine_at", minimum=1, maximum=10),
                       doc.integer("pain_rise_warns_at", minimum=1, maximum=10))
    doc.done()
    return book


def _read_asked_for(item: Fields) -> AskedFor:
    asked_for = AskedFor(item.text("say"), tuple(item.text_list("phrases")),
                         item.boolean("in_help", True))
    if not asked_for.phrases:
        raise item.error("phrases", "give the words that ask for this routine by name")
    item.done()
    return asked_for


def _read_neck_caution(item: Fields, routines: dict[str, Routine]) -> NeckCaution:
    caution = NeckCaution(item.text("ask"), item.text("again"), item.choice("instead", routines),
                          item.text("say"), tuple(item.text_list("sources")))
    if any(e.region == "neck" for e in routines[caution.instead].exercises):
        raise item.error("instead", f"{caution.instead!r} has neck exercises; the routine "
                         "instead must have none")
    if not caution.sources:
        raise item.error("sources", "the question needs at least one source")
    item.done()
    return caution


def load_book(folder: Path, terms: Mapping[str, str] | None = None,
              number_words: NumberWords | None = None) -> RoutineBook:
    """The exercises and routines, in a locale's words (`terms`), counted in `number_words`
    (None: those of the content in `folder`, its assistant.yaml's language and numbers.yaml)."""
    exercises = load_exercises(folder / "exercises.yaml", terms)
    if number_words is None:
        number_words = load_number_words(folder)
    return load_routines(folder / "routines.yaml", exercises, number_words, terms)
