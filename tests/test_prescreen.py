"""The short check before a routine that no symptom check in this session has cleared."""

from __future__ import annotations

import subprocess

import pytest
from support.cli import backcare
from support.content import shipped_content

from harness.people import ScriptedPerson
from voice.clock import VirtualClock
from voice.conversation.dialog.engine import Dialog
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript

CONTENT = shipped_content()
SPEC = CONTENT.prescreen
ALL_NO = {"today_screen": "no", "nerves_screen": "no", "pain_score": "3"}


def screen(person: ScriptedPerson):
    started: list[tuple[str, dict]] = []
    clock = VirtualClock()
    result = Dialog(SPEC, CONTENT.intents, person, clock, Settings(), Transcript(clock),
                    handoffs={"stretches": lambda routine, values: started.append((routine, values))}
                    ).run()
    return result, started


def test_all_no_asks_at_most_three_questions_then_hands_the_pain_score_to_the_routine():
    person = ScriptedPerson(ALL_NO)
    result, started = screen(person)
    assert person.asked == ["today_screen", "nerves_screen", "pain_score"]
    assert started == [("neck", {"pain_before": 3})]


def test_it_covers_the_flags_that_make_exercise_unsafe():
    asked = {flag.id for flag in SPEC.flags()}
    assert {"chest_today", "fall_since", "numb_weak", "dizzy_turning", "fever",
            "clumsy_unsteady"} <= asked


@pytest.mark.parametrize("flag", SPEC.flags(), ids=[f.id for f in SPEC.flags()])
def test_a_yes_ends_with_that_flags_advice_and_no_routine(flag):
    person = ScriptedPerson({**ALL_NO, SPEC.screen_of(flag.id).id: "yes", flag.id: "yes"})
    result, started = screen(person)
    assert started == [] and result.flags == [flag.id]
    assert flag.advice in person.said
    assert SPEC.tier(flag.tier).blocks_exercise
    assert "pain_score" not in person.asked


def test_the_windows_are_the_symptom_checks_three_days_of_chest_pain_and_two_weeks_of_falls():
    """Clinical review v3, findings 2 and 16: "today" and "the last week" let a tight chest last
    night and a fall ten days ago through to a neck routine."""
    flags = SPEC.flag_table
    assert "last three days" in flags["chest_passed"].ask and "today" not in flags["chest_passed"].ask
    assert "last three days" in flags["chest_passed"].again
    assert "two weeks" in flags["fall_since"].ask and "two weeks" in flags["fall_since"].again
    assert flags["chest_passed"].tier == "urgent" and flags["fall_since"].tier == "check_first"


def test_a_tight_chest_last_night_is_same_day_advice_and_no_routine():
    person = ScriptedPerson({**ALL_NO,
                             "today_screen": "not today, I had a tight chest yesterday evening",
                             "chest_today": "no, not now", "chest_passed": "yes, last night"})
    result, started = screen(person)
    assert started == [] and result.outcome == "urgent" and result.flags == ["chest_passed"]
    assert SPEC.flag_table["chest_passed"].advice in person.said
    assert "pain_score" not in person.asked


def test_a_fall_ten_days_ago_hands_over_to_the_symptom_check():
    person = ScriptedPerson({**ALL_NO, "today_screen": "not this week, I fell about ten days ago",
                             "fall_since": "yes, about ten days ago"})
    handed: list[str] = []
    clock = VirtualClock()
    result = Dialog(SPEC, CONTENT.intents, person, clock, Settings(), Transcript(clock),
                    handoffs={"stretches": lambda *_: handed.append("stretches"),
                              "triage": lambda *_: handed.append("triage")}).run()
    assert handed == ["triage"] and result.flags == ["fall_since"]


def test_clumsy_hands_and_wobbly_walking_hand_over_to_the_symptom_check():
    """Clinical review v3, finding 8: "no, but my hands have been clumsy and I'm a bit wobbly on
    my feet" started a neck routine. It is a sign on the second list now, and a yes hands over
    like tingling does."""
    person = ScriptedPerson({**ALL_NO, "nerves_screen":
                             "no, but my hands have been clumsy and I'm a bit wobbly on my feet",
                             "clumsy_unsteady": "yes"})
    handed: list[str] = []
    clock = VirtualClock()
    result = Dialog(SPEC, CONTENT.intents, person, clock, Settings(), Transcript(clock),
                    handoffs={"stretches": lambda *_: handed.append("stretches"),
                              "triage": lambda *_: handed.append("triage")}).run()
    nerves = SPEC.states["nerves_screen"]
    clumsy = next(item.say for item in nerves.items if "clumsy_unsteady" in item.flags)
    assert any(line.startswith(nerves.ask) and clumsy in line for line in person.said)
    assert "clumsy_unsteady" in person.asked
    assert handed == ["triage"] and result.flags == ["clumsy_unsteady"]
    assert SPEC.flag_table["clumsy_unsteady"].tier == SPEC.flag_table["numb_weak"].tier


def test_unsure_on_the_screen_never_reaches_the_routine():
    person = ScriptedPerson({**ALL_NO, "nerves_screen": "not really",
                             "numb_weak": ["not sure", "maybe"]})
    result, started = screen(person)
    assert started == [] and result.unresolved == ["numb_weak"]


def test_pain_of_eight_or_more_gets_rest_advice_and_no_routine():
    person = ScriptedPerson({**ALL_NO, "pain_score": "nine"})
    _, started = screen(person)
    assert started == [] and Settings().fill(SPEC.states["severe_pain"].text[0]) in person.said


def _stretch(stdin: str) -> subprocess.CompletedProcess:
    return backcare("stretch", "neck", "--text", stdin=stdin)


def test_backcare_stretch_in_text_mode_asks_the_screen_first():
    done = _stretch("yes\nno\nyes\n")  # chest pain in the last three days that has passed
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == SPEC.states[SPEC.start].text[0]
    assert SPEC.flag_table["chest_passed"].advice in lines
    assert not any(line.startswith(CONTENT.book.routines["neck"].name) for line in lines)


def test_end_of_input_during_a_text_routine_ends_it_like_stop():
    done = _stretch("no\nno\n2\nno\n")  # no arthritis or neck operation; Ctrl-D in the routine
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith(CONTENT.book.routines["neck"].name) for line in lines)
    assert CONTENT.book.cues["stopped"] in lines
    assert "Traceback" not in done.stderr
