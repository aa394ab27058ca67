"""Safety invariants of the triage content running on the dialog engine.

Each red flag answered yes on its own must give its tier's advice and never
lead to stretches or reassurance; a property test checks the same over every
combination of answers, including unsure, silence and noise.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from people import NOISE, SILENCE, ScriptedPerson, answers_for_yes_to, run_triage

from voice.content import load_content
from voice.dialogspec import SELF_CARE

CONTENT = load_content()
FLAGS = CONTENT.triage.flags()
CLEAR_STATES = [s for s in CONTENT.triage.states.values() if s.requires_clear]
CLEAR_TEXTS = [line for s in CLEAR_STATES for line in s.text] + [
    s.ask for s in CLEAR_STATES if s.ask]


def _reassured_or_offered(person: ScriptedPerson) -> bool:
    said = set(person.said)
    return any(text in said for text in CLEAR_TEXTS) or "offer_stretches" in person.asked


@pytest.mark.parametrize("flag", FLAGS, ids=[f.id for f in FLAGS])
def test_yes_to_one_red_flag_alone_gives_its_tier_and_no_stretches(content, flag):
    person = ScriptedPerson(answers_for_yes_to(content, flag.id))
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == flag.tier
    assert result.flags == [flag.id]
    assert result.handoffs == []
    assert not _reassured_or_offered(person)
    assert flag.advice in person.said
    assert content.triage.text("no_stretches") in person.said
    outcome = transcript.of("outcome")
    assert outcome == [outcome[0]] and outcome[0]["tier"] == flag.tier
    assert outcome[0]["flags"] == [flag.id]
    for line in content.triage.tier(flag.tier).advice:
        assert line.replace("{emergency_number}", "911") in person.said


def test_emergency_advice_speaks_the_configured_emergency_number(content):
    from voice.settings import Settings

    person = ScriptedPerson({"chest_pain": "yes"})
    run_triage(content, person, Settings(emergency_number="112"))
    assert "Call 112 now, or ask someone near you to call." in person.said
    assert "911" not in person.text()


def test_accident_advice_says_not_to_move_the_neck(content):
    person = ScriptedPerson({"accident": "yes"})
    run_triage(content, person)
    assert "do not try to move your neck" in person.text()


def test_all_no_answers_lead_to_self_care_and_the_offer_of_stretches(content):
    person = ScriptedPerson(answers_for_yes_to(content, "none"))
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == SELF_CARE
    assert "offer_stretches" in person.asked
    assert result.handoffs == ["stretches"]
    assert transcript.of("outcome")[0] == {**transcript.of("outcome")[0], "tier": SELF_CARE}


ANSWERS = ["yes", "no", "no", "no", "not sure", "what is for dinner", SILENCE, NOISE, "stop"]


def _expected_tier(dialog) -> str | None:
    """Recompute, independently of the engine, the most urgent tier of yes/unclear answers."""
    spec = dialog.spec
    ranks = []
    for flag in spec.flags():
        if dialog.answers.get(flag.id) in ("yes", "unresolved"):
            rank = spec.tier_rank(flag.tier)
            for modifier in dialog.raises.values():
                ceiling = spec.tier_rank(modifier.max_tier)
                if rank > ceiling:
                    rank = max(rank - modifier.raises, ceiling)
            ranks.append(rank)
    return spec.tiers[min(ranks)].id if ranks else None


def _final_answers(transcript) -> dict[str, str | None]:
    """The last answering intent heard after each question was asked."""
    answers: dict[str, str | None] = {}
    current = None
    for event in transcript.events:
        if event["event"] == "ask":
            current = event["id"]
            answers[current] = None
        elif event["event"] == "intent" and current and event["intent"] in ("yes", "no"):
            answers[current] = event["intent"]
    return answers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_answer_combination_keeps_the_safety_invariants(content, data):
    def choose(prompt_id: str, context: str) -> str:
        if context == "location":
            return data.draw(st.sampled_from(["neck", "both", "dunno", SILENCE]))
        if context == "pain_scale":
            return data.draw(st.sampled_from(["3", "9", "seven", "banana", SILENCE]))
        return data.draw(st.sampled_from(ANSWERS), label=prompt_id)

    person = ScriptedPerson(chooser=choose)
    result, transcript, dialog = run_triage(content, person)

    flagged = result.flags + result.unresolved
    # The outcome is the most urgent tier among yes (and unclear) answers, after modifiers.
    assert dialog._most_urgent_tier() == _expected_tier(dialog)
    if flagged:
        assert result.outcome == _expected_tier(dialog)
        assert not _reassured_or_offered(person)
        assert result.handoffs == []
    answers = _final_answers(transcript)
    if result.outcome == SELF_CARE:
        # Only a clean sweep of "no" answers, with the emergency read-back confirmed, clears.
        assert all(answers.get(flag.id) == "no" for flag in FLAGS)
        assert answers.get("confirm_emergency") == "yes"
    # A flag counts as "no" only when the person's last answer to it was a clear no;
    # unsure, silence, noise or nonsense never is.
    for flag in FLAGS:
        if dialog.answers.get(flag.id) == "no":
            assert answers[flag.id] == "no"
    # Every run starts with the disclaimer and ends with the safety net, once.
    assert content.triage.text("disclaimer") in person.said[:3]
    net = content.triage.text("safety_net").replace("{emergency_number}", "911")
    assert person.said.count(net) == 1
    assert result.end_reason in ("completed", "stop", "no_input")
