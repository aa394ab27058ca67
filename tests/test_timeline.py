"""The cue timeline of every routine: exact hold timing, equal sides, no talking over a cue."""

from __future__ import annotations

import dataclasses

import pytest
from support.content import shipped_content

from voice.content.paths import dialogs_dir
from voice.content.placeholders import fill
from voice.content.yamlsource import ContentError
from voice.conversation.routine.book import load_book
from voice.conversation.routine.moments import Anchor, HoldCue
from voice.conversation.routine.timeline import (
    build_segment,
    estimate_speech_s,
    routine_duration_s,
    routine_segments,
)
from voice.events.routine import CueKind

BOOK = shipped_content().book
RATES = (100, 170, 350)
ROUTINES = (dialogs_dir() / "routines.yaml").read_text(encoding="utf-8")
TEN_LEFT = 'ten_left: {at_s_before_end: 10, min_hold_s: 20, say: "Ten seconds left."}'


def _durations(wpm: int):
    return lambda text: estimate_speech_s(text, wpm)


def _moment(cue: HoldCue, hold_s: float) -> float:
    """Seconds into a hold of `hold_s` where content puts `cue`, whether or not it is said."""
    return {Anchor.AFTER_START: cue.value, Anchor.BEFORE_END: hold_s - cue.value,
            Anchor.SHARE: hold_s * cue.value}[cue.anchor]


@pytest.mark.parametrize("routine", BOOK.routines.values(), ids=list(BOOK.routines))
@pytest.mark.parametrize("wpm", RATES)
def test_hold_cues_sit_exactly_where_the_yaml_says(routine, wpm):
    """Each cue of `during_hold` at its moment in every hold long enough and where the moment
    falls inside the hold, and nowhere else; the count and the time left are never dropped."""
    for segment in routine_segments(BOOK, routine, _durations(wpm)):
        exercise = segment.exercise
        at = {(c.kind, c.side, c.rep, round(c.t, 3)) for c in segment.cues}
        planned = {(c.kind, c.side, c.rep, round(c.t, 3), c.text) for c in segment.cues + segment.dropped}
        assert len(segment.holds) == exercise.reps * len(exercise.sides)
        for hold in segment.holds:
            assert round(hold.end - hold.start, 3) == exercise.hold_s
            assert ("start", hold.side, hold.rep, hold.start) in at
            assert ("end", hold.side, hold.rep, hold.end) in at
            for cue in BOOK.during_hold:
                moment = _moment(cue, exercise.hold_s)
                said = exercise.hold_s >= cue.min_hold_s and 0 < moment < exercise.hold_s
                text = fill(cue.say, breathing=exercise.breathing)
                where = (cue.kind, hold.side, hold.rep, round(hold.start + moment, 3))
                assert ((*where, text) in planned) == said, (exercise.id, cue)
                if said and cue.kind in (CueKind.COUNT, CueKind.TEN_LEFT):
                    assert where in at, (exercise.id, cue)
            within = [c for c in segment.cues + segment.dropped if c.kind in
                      {cue.kind for cue in BOOK.during_hold} and c.rep == hold.rep and c.side == hold.side]
            assert all(hold.start < c.t < hold.end for c in within)


def test_the_count_says_the_last_seconds_one_a_second_down_to_one_before_the_release():
    count = [cue for cue in BOOK.during_hold if cue.kind is CueKind.COUNT]
    assert {cue.anchor for cue in count} == {Anchor.BEFORE_END}
    assert [cue.value for cue in count] == [float(n) for n in range(len(count), 0, -1)]


def test_a_cue_moment_edited_in_content_moves_the_cue(tmp_path):
    """Reworded to five seconds with its moment beside it, the cue moves with the words."""
    folder = tmp_path / "dialogs"
    folder.mkdir()
    (folder / "exercises.yaml").write_text((dialogs_dir() / "exercises.yaml").read_text("utf-8"), "utf-8")
    assert ROUTINES.count(TEN_LEFT) == 1
    five = 'ten_left: {at_s_before_end: 5, min_hold_s: 20, say: "Five seconds left."}'
    (folder / "routines.yaml").write_text(ROUTINES.replace(TEN_LEFT, five), "utf-8")
    edited = load_book(folder, number_words=BOOK.number_words)
    exercise = edited.exercises["upper_back_stretch"]
    for book, seconds, words in ((BOOK, 10, "Ten seconds left."), (edited, 5, "Five seconds left.")):
        segment = build_segment(book, exercise, _durations(170), None)
        told = [(round(c.t, 3), c.text) for c in segment.cues if c.kind == "ten_left"]
        assert told == [(round(hold.end - seconds, 3), words) for hold in segment.holds]


@pytest.mark.parametrize(("shipped", "broken", "field", "message"), [
    (TEN_LEFT, 'ten_left: {at_s_before_end: 10, at_s_after_start: 2, say: "Ten seconds left."}',
     "during_hold.ten_left.at_s_after_start", "give one moment"),
    (TEN_LEFT, 'ten_left: {min_hold_s: 20, say: "Ten seconds left."}', "during_hold.ten_left",
     "give the cue's moment"),
    (TEN_LEFT, 'ten_left: {at_s_before_end: 0, min_hold_s: 20, say: "Ten seconds left."}',
     "during_hold.ten_left.at_s_before_end", "at least"),
    (TEN_LEFT, 'ten_left: {at_s_before_end: 10, say: "{seconds} seconds left."}',
     "during_hold.ten_left.say", "{seconds}"),
    (TEN_LEFT, 'ten_lef: {at_s_before_end: 10, say: "Ten seconds left."}', "during_hold.ten_lef",
     "misspelt"),
    ("halfway: {at_share_of_hold: 0.5,", "halfway: {at_share_of_hold: 1.5,",
     "during_hold.halfway.at_share_of_hold", "at most"),
])
def test_a_cue_moment_that_cannot_be_timed_names_the_file_line_and_field(
        tmp_path, shipped, broken, field, message):
    (tmp_path / "exercises.yaml").write_text((dialogs_dir() / "exercises.yaml").read_text("utf-8"), "utf-8")
    assert ROUTINES.count(shipped) == 1
    text = ROUTINES.replace(shipped, broken)
    (tmp_path / "routines.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as caught:
        load_book(tmp_path, number_words=BOOK.number_words)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if broken.split(":")[0] in row
                and row.strip().startswith(broken.split(":")[0]))
    assert caught.value.where.file == str(tmp_path / "routines.yaml")
    assert caught.value.where.line == line
    assert caught.value.field == field and message in caught.value.message


@pytest.mark.parametrize("routine", BOOK.routines.values(), ids=list(BOOK.routines))
@pytest.mark.parametrize("wpm", RATES)
def test_no_two_spoken_cues_overlap(routine, wpm):
    for segment in routine_segments(BOOK, routine, _durations(wpm)):
        cues = sorted(segment.cues, key=lambda c: c.t)
        for first, second in zip(cues, cues[1:], strict=False):
            assert first.end <= second.t + 1e-6, (first, second)
        assert cues[-1].end <= segment.duration


@pytest.mark.parametrize("routine", BOOK.routines.values(), ids=list(BOOK.routines))
def test_instructions_are_never_part_of_the_hold(routine):
    for segment in routine_segments(BOOK, routine, _durations(170)):
        instructions = [c for c in segment.cues if c.kind == "instruction"]
        assert max(c.end for c in instructions) <= segment.holds[0].start
        assert segment.instructions_end == segment.holds[0].start


def test_both_sides_of_every_sided_exercise_get_equal_holds():
    for exercise in BOOK.exercises.values():
        if len(exercise.sides) < 2:
            continue
        segment = build_segment(BOOK, exercise, _durations(170), None)
        per_side = {side: round(sum(h.end - h.start for h in segment.holds if h.side == side), 3)
                    for side in exercise.sides}
        assert len(set(per_side.values())) == 1, per_side
        first, second = exercise.sides
        switch = [c for c in segment.cues if c.kind == "switch"]
        assert len(switch) == 1 and second in switch[0].text
        gap = [h.start for h in segment.holds if h.side == second][0] - \
            [h.end for h in segment.holds if h.side == first][-1]
        assert 5 <= gap <= 10


def test_a_colliding_cue_is_dropped_halfway_first_never_delayed():
    """The halfway and the time left said at the same second of a 20 s hold."""
    clashing = dataclasses.replace(BOOK, during_hold=(
        HoldCue(CueKind.HALFWAY, "Halfway.", Anchor.SHARE, 0.5, 20),
        HoldCue(CueKind.TEN_LEFT, "Ten seconds left.", Anchor.BEFORE_END, 10, 20)))
    exercise = BOOK.exercises["upper_back_stretch"]
    assert exercise.hold_s == 20
    segment = build_segment(clashing, exercise, _durations(170), None)
    assert {c.kind for c in segment.dropped} == {"halfway"}
    kept_times = {(c.kind, c.t) for c in segment.cues}
    for hold in segment.holds:
        assert ("ten_left", round(hold.end - 10, 3)) in kept_times


def test_the_next_exercise_is_named_during_the_rest():
    routine = BOOK.routines["neck"]
    segments = routine_segments(BOOK, routine, _durations(170))
    for segment, following in zip(segments, routine.exercises[1:], strict=False):
        named = [c for c in segment.cues if c.kind == "next"]
        assert len(named) == 1 and following.name in named[0].text
        assert named[0].t > segment.holds[-1].end


@pytest.mark.parametrize(("routine", "low", "high"), [("neck", 4.5, 6), ("upper_back", 4.5, 6),
                                                      ("desk_break", 2.5, 3.5), ("gentle", 2.5, 4),
                                                      ("full", 9.5, 10.5)])
def test_routine_durations_are_computed_and_near_their_targets(routine, low, high):
    minutes = routine_duration_s(BOOK, BOOK.routines[routine], _durations(170)) / 60
    assert low <= minutes <= high


def test_faster_speech_makes_a_routine_shorter_but_not_its_holds():
    routine = BOOK.routines["neck"]
    slow = routine_duration_s(BOOK, routine, _durations(120))
    fast = routine_duration_s(BOOK, routine, _durations(300))
    assert fast < slow
    holds = [sum(h.end - h.start for s in routine_segments(BOOK, routine, _durations(w)) for h in s.holds)
             for w in (120, 300)]
    assert holds[0] == holds[1]


def test_stretches_are_held_two_to_four_times_for_15_to_30_seconds():
    """The ACSM dose for static stretches; short repeated moves (tucks, turns, squeezes, lean
    backs), continuous ones (rolls, arch and round) and slow breathing follow their own sources."""
    for exercise in BOOK.exercises.values():
        if 15 <= exercise.hold_s and exercise.id not in ("shoulder_rolls", "cat_cow",
                                                         "slow_breathing"):
            assert 2 <= exercise.reps <= 4 and exercise.hold_s <= 30, exercise.id


def test_who_should_skip_an_exercise_is_told_after_its_name_and_before_its_first_setup_line():
    with_skip = [exercise for exercise in BOOK.exercises.values() if exercise.skip_if]
    assert {"doorway_chest_stretch", "thoracic_extension"} <= {e.id for e in with_skip}
    for exercise in with_skip:
        segment = build_segment(BOOK, exercise, _durations(170), None)
        said = [c.text for c in segment.cues if c.kind == "instruction"]
        name = said.index(fill(BOOK.cues["instruction_name"], exercise=exercise.name))
        first_setup = said.index(fill(exercise.setup[0], side=exercise.sides[0] or ""))
        assert said[name + 1:first_setup] == list(exercise.skip_if), exercise.id


def test_every_exercise_has_a_plain_spoken_name():
    for exercise in BOOK.exercises.values():
        for jargon in ("levator", "scapulae", "thoracic", "cat cow", "thread the needle"):
            assert jargon not in exercise.name.lower(), exercise.name


def test_switching_sides_says_the_key_setup_line_again_for_the_new_side():
    exercise = BOOK.exercises["neck_rotation"]
    segment = build_segment(BOOK, exercise, _durations(170), None)
    switch = [c for c in segment.cues if c.kind == "switch"]
    [key_line] = [line for line in exercise.setup if "{side}" in line]
    second = exercise.sides[1]
    assert switch[0].text == fill(BOOK.cues["switch"], setup=fill(key_line, side=second), side=second)


def test_each_hold_after_the_first_says_which_of_how_many_it_is():
    exercise = BOOK.exercises["shoulder_squeeze"]
    segment = build_segment(BOOK, exercise, _durations(100), None)
    starts = [c.text for c in segment.cues if c.kind == "start"]
    reps = BOOK.number_words.to_words(exercise.reps)
    assert starts == [BOOK.cues["start"], *(fill(BOOK.cues["start_rep"], ordinal=ordinal, reps=reps)
                                            for ordinal in BOOK.cues.ordinals[1:exercise.reps])]
    assert fill(BOOK.cues["reps_line"], reps=reps) in [c.text for c in segment.cues]


def test_a_new_position_is_announced_with_time_to_get_there():
    routine = BOOK.routines["full"]
    segments = routine_segments(BOOK, routine, _durations(170))
    doorway, seated = segments[0], segments[1]
    first = doorway.cues[0]
    assert "Hold on to the door frame" in first.text and first.kind == "instruction"
    named = next(c for c in doorway.cues if c.text == "Doorway chest stretch.")
    assert named.t - first.end >= 20
    assert seated.cues[0].text.startswith("Take your time to sit down")
    assert routine.exercises[0].position == "standing"  # the standing block comes first
    assert all(e.position == "seated" for e in routine.exercises[1:])


def test_every_exercise_has_sources_safety_and_breathing():
    assert len(BOOK.exercises) >= 12
    for exercise in BOOK.exercises.values():
        assert exercise.sources and exercise.safety and exercise.breathing
        assert all(len(line.split()) <= 16 for line in exercise.setup), exercise.id
