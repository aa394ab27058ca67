"""The cue timeline of every routine: exact hold timing, equal sides, no talking over a cue."""

from __future__ import annotations

import pytest

from voice.conversation.content import load_content
from voice.conversation.routine.timeline import (
    build_segment,
    estimate_speech_s,
    routine_duration_s,
    routine_segments,
)

BOOK = load_content().book
RATES = (100, 170, 350)


def _durations(wpm: int):
    return lambda text: estimate_speech_s(text, wpm)


@pytest.mark.parametrize("routine", BOOK.routines.values(), ids=list(BOOK.routines))
@pytest.mark.parametrize("wpm", RATES)
def test_hold_cues_sit_exactly_where_the_yaml_says(routine, wpm):
    for segment in routine_segments(BOOK, routine, _durations(wpm)):
        exercise = segment.exercise
        at = {(c.kind, c.side, c.rep, round(c.t, 3)) for c in segment.cues}
        assert len(segment.holds) == exercise.reps * len(exercise.sides)
        for hold in segment.holds:
            assert round(hold.end - hold.start, 3) == exercise.hold_s
            assert ("start", hold.side, hold.rep, hold.start) in at
            assert ("end", hold.side, hold.rep, hold.end) in at
            words = [c for c in segment.cues if c.kind == "count" and c.rep == hold.rep
                     and c.side == hold.side]
            assert [round(hold.end - c.t, 3) for c in words] == [3.0, 2.0, 1.0]
            assert [c.text for c in words] == list(BOOK.cues.count)
            if exercise.hold_s >= 20:
                assert ("ten_left", hold.side, hold.rep, round(hold.end - 10, 3)) in at
                halfway = [c for c in segment.cues + segment.dropped if c.kind == "halfway"
                           and c.rep == hold.rep and c.side == hold.side]
                assert [round(c.t - hold.start, 3) for c in halfway] == [exercise.hold_s / 2]
            if exercise.hold_s >= 30:
                assert any(c.kind == "breath" and hold.start < c.t < hold.end for c in segment.cues)


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
        switch = [c for c in segment.cues if c.kind == "switch"]
        assert len(switch) == 1 and "left" in switch[0].text
        gap = [h.start for h in segment.holds if h.side == "left"][0] - \
            [h.end for h in segment.holds if h.side == "right"][-1]
        assert 5 <= gap <= 10


def test_a_colliding_cue_is_dropped_halfway_first_never_delayed():
    exercise = BOOK.exercises["upper_back_stretch"]  # 20 s: halfway and ten seconds left, at 10 s
    segment = build_segment(BOOK, exercise, _durations(170), None)
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
        name = said.index(BOOK.cues["instruction_name"].replace("{exercise}", exercise.name))
        first_setup = said.index(exercise.setup[0].replace("{side}", exercise.sides[0] or ""))
        assert said[name + 1:first_setup] == list(exercise.skip_if), exercise.id


def test_every_exercise_has_a_plain_spoken_name():
    for exercise in BOOK.exercises.values():
        for jargon in ("levator", "scapulae", "thoracic", "cat cow", "thread the needle"):
            assert jargon not in exercise.name.lower(), exercise.name


def test_switching_sides_says_the_key_setup_line_again_for_the_new_side():
    segment = build_segment(BOOK, BOOK.exercises["neck_rotation"], _durations(170), None)
    switch = [c for c in segment.cues if c.kind == "switch"]
    assert switch[0].text == ("Switch sides. Slowly turn your head to the left, only as far as "
                              "is comfortable.")


def test_each_hold_after_the_first_says_which_of_how_many_it_is():
    segment = build_segment(BOOK, BOOK.exercises["shoulder_squeeze"], _durations(100), None)
    starts = [c.text for c in segment.cues if c.kind == "start"]
    assert starts == ["Begin.", "Second of four.", "Third of four.", "Fourth of four."]
    assert "We'll do this four times." in [c.text for c in segment.cues]


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
