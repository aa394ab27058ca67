"""`backcare routines`: each routine, how long it takes at the person's speech rate, and what
it holds, in words a screen reader reads right (`dialogs/listing.yaml`)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ...content.placeholders import fill, placeholders
from ...content.schema import Fields
from ...content.yamlsource import Where, load_yaml
from ...conversation.content import Content
from ...conversation.routine.book import NO_SIDES, POSITIONS, SIDED, Exercise, Routine
from ...conversation.routine.timeline import estimated, routine_duration_s
from ...preferences import saved_rate
from ...understanding.intents.help import spoken_list

LISTING = "listing.yaml"
# What each text may hold, and must (a line that drops the number would misinform).
_HOLDS = {"routine": ({"name", "duration", "positions"}, {"name", "duration"}),
          "start": ({"id"}, {"id"}),
          "exercise": ({"exercise", "hold", "reps", "sides"}, {"exercise", "hold", "reps"}),
          "sides": (set(), set()),
          "duration": ({"minutes", "seconds"}, {"minutes", "seconds"}),
          "and": (set(), set())}
_COUNTED = ("minutes", "seconds", "times")


@dataclass(frozen=True)
class ExerciseSummary:
    """One exercise as the listing shows it (and `--json` prints it)."""

    id: str
    name: str
    hold_s: float
    reps: int
    sides: str  # left_right | none, as exercises.yaml chooses
    position: str

    @classmethod
    def of(cls, exercise: Exercise) -> ExerciseSummary:
        return cls(exercise.id, exercise.name, exercise.hold_s, exercise.reps,
                   SIDED if exercise.sided else NO_SIDES, exercise.position)


@dataclass(frozen=True)
class RoutineSummary:
    """One routine as the listing shows it: its duration computed at the person's rate."""

    id: str
    name: str
    positions: list[str]
    seated_only: bool
    duration_s: float
    exercises: list[ExerciseSummary]


def routine_summary(routine: Routine, seconds: float) -> RoutineSummary:
    return RoutineSummary(routine.id, routine.name, routine.positions, routine.seated_only, seconds,
                          [ExerciseSummary.of(e) for e in routine.exercises])


@dataclass(frozen=True)
class Counted:
    """A quantity with its unit in words: "1 second", "{n} seconds"."""

    one: str
    other: str

    def of(self, n: float) -> str:
        return self.one if n == 1 else fill(self.other, n=f"{n:g}")


@dataclass(frozen=True)
class Listing:
    texts: dict[str, str]
    counted: dict[str, Counted]
    positions: dict[str, str]

    def duration(self, seconds: float) -> str:
        minutes, rest = divmod(round(seconds), 60)
        if not rest or not minutes:
            return self.counted["minutes"].of(minutes) if minutes else self.counted["seconds"].of(rest)
        return fill(self.texts["duration"], minutes=self.counted["minutes"].of(minutes),
                    seconds=self.counted["seconds"].of(rest))

    def _joined(self, words: list[str]) -> str:
        """"seated", "standing and seated", "a, b, and c"."""
        if len(words) == 2:
            return f"{words[0]} {self.texts['and']} {words[1]}"
        return spoken_list(words, self.texts["and"])

    def lines(self, item: RoutineSummary) -> list[str]:
        """One routine: its name line, the command that starts it, then each exercise."""
        positions = [self.positions[p] for p in item.positions]
        lines = [fill(self.texts["routine"], name=item.name, duration=self.duration(item.duration_s),
                      positions=self._joined(positions)),
                 fill(self.texts["start"], id=item.id)]
        for e in item.exercises:
            sides = self.texts["sides"] if e.sides == SIDED else ""
            lines.append("    " + fill(self.texts["exercise"], exercise=e.name,
                                       hold=self.counted["seconds"].of(e.hold_s),
                                       reps=self.counted["times"].of(e.reps), sides=sides))
        return lines


def load_listing(folder: Path, terms: dict[str, str] | None = None) -> Listing:
    """The listing's words, checked: every text, each count's two forms, a word for every
    position; errors name the file, the line and the field."""
    path = folder / LISTING
    doc = Fields(load_yaml(path, terms=terms), "", Where(str(path), 1))
    texts: dict[str, str] = {}
    for key, (may, must) in _HOLDS.items():
        texts[key] = doc.text(key)
        held = set(placeholders(texts[key]))
        if held - may:
            raise doc.error(key, f"may hold only {_braced(may) or 'no placeholder'}, "
                                 f"not {_braced(held - may)}")
        if must - held:
            raise doc.error(key, f"must hold {_braced(must - held)}")
    counted: dict[str, Counted] = {}
    for key in _COUNTED:
        forms = doc.mapping(key)
        one, other = forms.text("one"), forms.text("other")
        if "{n}" not in other:
            raise forms.error("other", "must hold {n}, the number")
        forms.done()
        counted[key] = Counted(one, other)
    words = doc.mapping("positions")
    positions = {position: words.text(position) for position in POSITIONS}
    words.done()
    doc.done()
    return Listing(texts, counted, positions)


def _braced(names: set[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


def run(content: Content, args: argparse.Namespace) -> int:
    book = content.book
    durations = estimated(saved_rate())
    listing = [routine_summary(r, routine_duration_s(book, r, durations))
               for r in book.routines.values()]
    if args.json:
        print(json.dumps([asdict(item) for item in listing]))
        return 0
    words = load_listing(content.folder, dict(content.locale.terms))
    for item in listing:
        for line in words.lines(item):
            print(line)
    return 0
