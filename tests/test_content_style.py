"""The triage content is written to be heard: short single questions, short lists, nothing that
needs sight, no double negatives, and help that says how to answer.

Lint on the shipped words, kept apart from the engine's mechanism tests (test_dialog_engine.py),
which pass on any content of the right shape.
"""

from __future__ import annotations

from voice.conversation.dialog.wording import fixed_texts

EMERGENCY_LISTS = ("heart_screen", "brain_screen", "other_screen")


def test_the_disclaimer_says_this_is_not_a_diagnosis(content):
    assert "not a diagnosis" in content.triage.text("disclaimer")


def test_every_single_question_is_short_one_sentence_and_sourced(content):
    for flag in content.triage.flags():
        for question in [flag, *flag.grades]:
            for text in (question.ask, question.again) if question.ask else ():
                assert len(text.split()) <= 20, (question.id, text)
                assert text.endswith("?") and text.count("?") == 1, question.id
        assert flag.sources, flag.id


def test_every_list_is_about_four_short_items(content):
    for state in content.triage.states.values():
        if state.type == "screen":
            assert 1 <= len(state.items) <= 5, state.id
            for item in state.items:
                assert len(item.say.split()) <= 10, (state.id, item.say)


def test_the_check_after_the_emergency_lists_is_one_short_question(content):
    check = content.triage.states["emergency_check"]
    assert len(check.ask.split()) <= 14 and set(check.screens) == set(EMERGENCY_LISTS)


def test_no_question_or_advice_needs_sight_or_a_double_negative(content):
    spoken = " ".join(fixed_texts(content.triage)).lower()
    for phrase in ("glass", "eye level", "drooping", "shape of your back",
                   "are ordinary painkillers not", "not been unable"):
        assert phrase not in spoken, phrase


def test_help_on_the_age_question_says_how_to_answer(content):
    assert "your age in years" in content.intents.help_text("age")


def test_help_on_the_pain_scale_names_numbers(content):
    assert "a number from zero to ten" in content.intents.help_text("pain_scale")
