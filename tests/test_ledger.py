"""The red-flag ledger on its own: what was found, how a no was earned, which tier wins."""

from __future__ import annotations

from support.content import shipped_content

from voice.conversation.dialog.ledger import Ledger
from voice.understanding.answers.model import Answer

SPEC = shipped_content().triage
FLAG = SPEC.flag_table


def test_the_most_urgent_tier_among_yes_and_unclear_answers_wins():
    ledger = Ledger(SPEC)
    ledger.answered(FLAG["arm_tingling"], Answer.YES)  # within days
    assert ledger.most_urgent_tier() == "soon"
    ledger.answered(FLAG["sudden_severe_pain"], Answer.UNRESOLVED)  # unclear counts as yes
    assert ledger.most_urgent_tier() == "emergency"
    assert [f.id for f in ledger.raised()] == ["sudden_severe_pain", "arm_tingling"]


def test_a_grade_decides_its_flags_tier():
    ledger = Ledger(SPEC)
    accident = FLAG["accident"]
    ledger.answered(accident, Answer.YES)
    assert ledger.most_urgent_tier() == accident.tier
    crash = next(g for g in accident.grades if g.id == "high_risk_crash")
    ledger.graded(accident, crash)
    assert ledger.tier_of(accident) == "emergency" == ledger.most_urgent_tier()


def test_a_no_records_the_question_that_earned_it_and_the_check_adds_to_it():
    ledger = Ledger(SPEC)
    heart = [FLAG[f] for f in SPEC.states["heart_screen"].flag_ids()]
    ledger.cleared(heart, "heart_screen")
    ledger.checked(heart, "emergency_check")
    assert ledger.cleared_by["chest_pain"] == ("heart_screen", "emergency_check")
    ledger.reopened(heart)
    assert "chest_pain" not in ledger.answers and "chest_pain" not in ledger.cleared_by


def test_a_yes_forgets_how_an_earlier_no_was_earned():
    ledger = Ledger(SPEC)
    ledger.answered(FLAG["chest_pain"], Answer.NO)
    assert ledger.cleared_by["chest_pain"] == ("chest_pain",)
    ledger.answered(FLAG["chest_pain"], Answer.YES)
    assert "chest_pain" not in ledger.cleared_by


def test_only_questions_that_could_find_something_more_urgent_are_still_asked():
    ledger = Ledger(SPEC)
    values = {"age": 40}
    ledger.answered(FLAG["arm_weakness"], Answer.YES)  # same day
    askable = {f.id for f in ledger.askable(SPEC.states["course_screen"].flag_ids(), values)}
    assert askable == set()  # within-days signs cannot change a same-day outcome
    assert "chest_pain" in {f.id for f in ledger.askable(["chest_pain"], values)}


def test_a_symptom_heard_is_kept_once_and_not_for_someone_it_does_not_apply_to():
    ledger = Ledger(SPEC)
    ledger.hear("gca", "a headache", {"age": 30})  # giant cell arteritis: 50 and over
    assert "gca" not in ledger.volunteered
    ledger.hear("arm_tingling", "tingles", {"age": 30})
    ledger.hear("arm_tingling", "pins and needles", {"age": 30})
    assert ledger.volunteered == {"arm_tingling": "tingles"}


def test_exercise_is_blocked_by_a_blocking_tier_or_a_flag_that_allows_none():
    ledger = Ledger(SPEC)
    assert not ledger.blocks_exercise()
    ledger.answered(FLAG["arm_tingling"], Answer.YES)
    assert not ledger.blocks_exercise()
    ledger.raise_flag("under_16")
    assert ledger.blocks_exercise()


def test_the_signs_to_pass_on_are_those_found_and_those_heard_and_never_cleared():
    ledger = Ledger(SPEC)
    ledger.answered(FLAG["arm_weakness"], Answer.YES)
    ledger.answered(FLAG["chest_pain"], Answer.NO)
    ledger.hear("weight_loss", "I've lost a lot of weight", {"age": 60})
    assert [f.id for f in ledger.signs()] == ["arm_weakness", "weight_loss"]
    ledger.answered(FLAG["weight_loss"], Answer.NO)
    assert [f.id for f in ledger.signs()] == ["arm_weakness"]


def test_a_check_asks_again_only_the_flags_its_lists_cleared():
    ledger = Ledger(SPEC)
    heart = [FLAG[f] for f in SPEC.states["heart_screen"].flag_ids()]
    ledger.cleared(heart, "heart_screen")
    ledger.answered(FLAG["arm_weakness"], Answer.NO)  # cleared by its own question
    assert set(ledger.cleared_by_lists(("heart_screen", "brain_screen"))) == {f.id for f in heart}
    assert ledger.cleared_by_lists(("brain_screen",)) == []


def test_a_symptom_heard_waits_for_its_own_list_unless_that_has_passed_or_the_questions_end():
    ledger = Ledger(SPEC)
    ledger.hear("arm_tingling", "my fingers tingle", {"age": 40})
    assert ledger.waiting() == []
    assert [f.id for f in ledger.waiting(everything=True)] == ["arm_tingling"]
    ledger.visited.add(SPEC.screen_of("arm_tingling").id)
    assert [f.id for f in ledger.waiting()] == ["arm_tingling"]
