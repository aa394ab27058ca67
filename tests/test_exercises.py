"""The exercise content: what each routine asks the body to do, and who is told to skip what."""

from __future__ import annotations

import re

import pytest
from support.content import shipped_content

from voice.content.paths import dialogs_dir
from voice.content.placeholders import fill
from voice.content.yamlsource import ContentError
from voice.conversation.routine.book import load_book
from voice.conversation.routine.timeline import build_segment, estimate_speech_s, routine_segments

BOOK = shipped_content().book
EXERCISES = (dialogs_dir() / "exercises.yaml").read_text(encoding="utf-8")
ROUTINES = (dialogs_dir() / "routines.yaml").read_text(encoding="utf-8")
SIDES = "  left_right: [right, left]"

_HEAD = r"(?:head|neck|chin|ears?)"
_MOVES = r"(?:bend|turn|tilt|lower|drop|nod|slide|tuck|rotate|lift|roll|move)"
# "turn your head", "tilt your right ear", "lower your chin", "let your head drop", "look down"
HEAD_MOVEMENT = re.compile(
    rf"\b{_MOVES}\w*\s+(?:\w+\s+){{0,2}}{_HEAD}\b"
    rf"|\b{_HEAD}\s+(?:\w+\s+)?(?:drop|fall|hang|forward|down|back)\b"
    r"|\blook\s+(?:down|up)\b",
    re.IGNORECASE,
)


def _spoken(routine_id: str) -> list[str]:
    """Every cue the routine says, as the timeline words it."""
    segments = routine_segments(BOOK, BOOK.routines[routine_id],
                                lambda text: estimate_speech_s(text, 170))
    return [cue.text for segment in segments for cue in segment.cues]


def test_the_head_movement_check_recognises_every_neck_exercise():
    """The check below is only worth something if it catches the moves it must keep out."""
    for exercise in BOOK.exercises.values():
        if exercise.region == "neck":
            lines = [fill(line, side=exercise.sides[0] or "") for line in exercise.setup]
            assert any(HEAD_MOVEMENT.search(line) for line in lines), exercise.id
    assert HEAD_MOVEMENT.search("Gently bend your head forward.")
    assert not HEAD_MOVEMENT.search("Lift your shoulders up towards your ears as you breathe in.")
    assert not HEAD_MOVEMENT.search("Keep your head still and your neck relaxed.")


def test_the_desk_break_never_asks_to_move_the_head_or_neck():
    routine = BOOK.routines["desk_break"]
    assert all(exercise.region != "neck" for exercise in routine.exercises)
    moving = [line for line in _spoken("desk_break") if HEAD_MOVEMENT.search(line)]
    assert moving == []


def test_the_gentle_routine_is_seated_shoulder_rolls_and_breathing_with_no_neck_exercise():
    routine = BOOK.routines["gentle"]
    assert routine.seated_only and routine.positions == ["seated"]
    assert [exercise.id for exercise in routine.exercises] == ["shoulder_rolls", "slow_breathing"]
    assert all(exercise.region != "neck" for exercise in routine.exercises)
    assert [line for line in _spoken("gentle") if HEAD_MOVEMENT.search(line)] == []


def test_slow_breathing_is_held_30_to_60_seconds_once_or_twice_and_can_be_done_eyes_closed():
    breathing = BOOK.exercises["slow_breathing"]
    assert breathing.position == "seated" and 30 <= breathing.hold_s <= 60 and breathing.reps <= 2
    for line in breathing.setup:
        assert not re.search(r"\b(look|watch|see|screen)\b", line, re.IGNORECASE), line


def test_every_routine_id_that_shipped_before_is_still_there():
    assert {"neck", "upper_back", "upper_back_mat", "desk_break", "full"} <= set(BOOK.routines)


def test_contraindications_are_skip_if_lines_that_say_how_to_skip():
    for exercise in BOOK.exercises.values():
        assert not any("skip" in line.lower() for line in exercise.safety), exercise.id
        assert all(line.endswith("say skip.") for line in exercise.skip_if), exercise.id


def test_hands_clasped_behind_the_head_are_followed_by_dont_pull_on_your_head():
    for exercise in BOOK.exercises.values():
        for index, line in enumerate(exercise.setup):
            if "hands behind your head" in line:
                assert exercise.setup[index + 1] == "Don't pull on your head.", exercise.id


# Clinical review v3, finding 17.
FLOOR_WAY_OUT = ("If getting down to or up from the floor is hard, or your knees hurt when "
                 "kneeling, use the seated upper-back routine instead.")


def test_the_floor_routine_offers_the_seated_one_before_anyone_gets_down():
    spoken = _spoken("upper_back_mat")
    first_floor_line = next(index for index, line in enumerate(spoken) if "hands and knees" in line)
    assert spoken[first_floor_line].startswith(FLOOR_WAY_OUT)
    assert all("hands and knees" not in line for line in spoken[:first_floor_line])
    seated = BOOK.routines["upper_back"]  # the routine it names: seated, no floor
    assert "Upper-back" in seated.name and "floor" not in seated.positions


def test_thread_the_needle_stops_for_dizziness_and_the_lean_back_keeps_the_head_up():
    assert "Stop if you feel dizzy." in BOOK.exercises["thread_the_needle"].safety
    assert ("Keep your chin gently tucked; don't let your head drop back."
            in BOOK.exercises["thoracic_extension"].safety)


def test_the_neck_caution_asks_about_down_syndrome_an_unstable_neck_and_electric_shocks():
    caution = BOOK.neck_caution
    for asked in (caution.ask, caution.again):
        for words in ("rheumatoid arthritis", "Down syndrome", "unstable", "surgery",
                      "electric shock"):
            assert words in asked, (words, asked)
    assert all(exercise.region != "neck" for exercise in BOOK.routines[caution.instead].exercises)


def _book_with_sides(folder, sides: str):
    assert EXERCISES.count(SIDES) == 1
    (folder / "exercises.yaml").write_text(EXERCISES.replace(SIDES, sides), encoding="utf-8")
    (folder / "routines.yaml").write_text(ROUTINES, encoding="utf-8")
    return load_book(folder, number_words=BOOK.number_words)


def test_the_side_words_and_their_order_come_from_content(tmp_path):
    """Each side's word, and which side goes first, are content: swapped there, swapped here."""
    book = _book_with_sides(tmp_path, "  left_right: [left, right]")
    exercise = book.exercises["neck_rotation"]
    assert exercise.sides == ("left", "right") and BOOK.exercises["neck_rotation"].sides == ("right", "left")
    segment = build_segment(book, exercise, lambda text: estimate_speech_s(text, 170), None)
    assert [hold.side for hold in segment.holds][0] == "left"
    instructions = [c.text for c in segment.cues if c.kind == "instruction"]
    assert "Slowly turn your head to the left, only as far as is comfortable." in instructions
    [switch] = [c for c in segment.cues if c.kind == "switch"]
    assert switch.side == "right" and "to the right" in switch.text


@pytest.mark.parametrize("sides", ["  left_right: [right]", "  left_right: [right, right]",
                                   "  left_right: [right, left, middle]"])
def test_side_words_that_are_not_two_different_words_name_the_file_line_and_field(tmp_path, sides):
    with pytest.raises(ContentError) as caught:
        _book_with_sides(tmp_path, sides)
    text = EXERCISES.replace(SIDES, sides)
    assert caught.value.where.file == str(tmp_path / "exercises.yaml")
    assert caught.value.where.line == text.splitlines().index(sides) + 1
    assert caught.value.field == "sides.left_right" and "two sides" in caught.value.message


def test_the_routine_played_when_none_is_named_is_the_first_in_routines_yaml(tmp_path):
    """Which routine plays by default is content, not a routine id written in code."""
    assert BOOK.first.id == next(iter(BOOK.routines))
    first = ROUTINES.index("  - id: neck\n")
    second = ROUTINES.index("  - id: upper_back\n")
    third = ROUTINES.index("  - id: upper_back_mat\n")
    swapped = ROUTINES[:first] + ROUTINES[second:third] + ROUTINES[first:second] + ROUTINES[third:]
    (tmp_path / "exercises.yaml").write_text(EXERCISES, encoding="utf-8")
    (tmp_path / "routines.yaml").write_text(swapped, encoding="utf-8")
    edited = load_book(tmp_path, number_words=BOOK.number_words)
    assert edited.first.id == "upper_back" and BOOK.first.id == "neck"
