"""Safety invariants of the triage content running on the dialog engine.

Each red flag (and each grade of a graded flag), answered yes through its list
with everything else no, must give its tier and its advice; a tier that blocks
exercise must never lead to stretches or reassurance, and the others only to
the gentlest routine after the advice to see a doctor. A property test checks
the same over random answers, including unsure, "not really", silence and noise.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.content import shipped_content

from harness.people import NOISE, SILENCE, ScriptedPerson, answers_for_yes_to, run_triage
from voice.conversation.dialog.spec import SELF_CARE, holds
from voice.conversation.settings import Settings

CONTENT = shipped_content()
SPEC = CONTENT.triage
PATHS = [(flag, None) for flag in SPEC.flags()] + [
    (flag, grade) for flag in SPEC.flags() for grade in flag.grades]
REASSURANCE = [line for s in SPEC.states.values() if s.requires_clear for line in s.text]
OFFER = "offer_stretches"


def _reassured(person: ScriptedPerson) -> bool:
    return any(text in person.said for text in REASSURANCE)


def _run_with_routines(person: ScriptedPerson, **kwargs):
    started: list[tuple[str, dict]] = []
    result, transcript, dialog = run_triage(
        CONTENT, person, handoffs={"stretches": lambda routine, values: started.append(
            (routine, values))}, **kwargs)
    return result, transcript, dialog, started


@pytest.mark.parametrize("flag,grade", PATHS,
                         ids=[f.id + (f">{g.id}" if g else "") for f, g in PATHS])
def test_yes_to_one_red_flag_through_its_list_gives_its_tier_and_advice(flag, grade):
    person = ScriptedPerson(answers_for_yes_to(CONTENT, flag.id, grade.id if grade else None))
    result, transcript, _, started = _run_with_routines(person)
    tier = grade.tier if grade else flag.tier
    # A grade that asks another flag's question raises that flag too: one answer, both.
    flags = [f.id for f in SPEC.flags() if f.id in (flag.id, grade and grade.asks_flag)]
    assert result.outcome == tier
    assert result.flags == flags and result.grades.get(flag.id) == (grade.id if grade else None)
    assert _filled(grade.advice if grade else flag.advice) in person.said
    for line in SPEC.tier(tier).advice:
        assert _filled(line) in person.said
    outcome = transcript.of("outcome")
    assert outcome == [outcome[0]] and outcome[0]["tier"] == tier and outcome[0]["flags"] == flags
    assert not _reassured(person)
    if SPEC.tier(tier).blocks_exercise or flag.exercise == "none":
        assert SPEC.text("no_stretches") in person.said
        assert OFFER not in person.asked and result.handoffs == [] and started == []
    else:
        # Advice to see a doctor first, then a line of care, then only a gentle routine.
        assert person.said.index(SPEC.tier(tier).advice[0]) < person.said.index(
            SPEC.states["care_until_seen"].text[0])
        assert [routine for routine, _ in started] == [flag.exercise or "desk_break"]
    # A flagged outcome says what to do once more, as its last words but the goodbye.
    # A flag's (or grade's) own service, where it has one ("go to A&E today"), else the tier's.
    repeat = (grade.repeat if grade else "") or flag.repeat or SPEC.tier(tier).repeat
    assert _filled(repeat) in person.said[-2:]


def _filled(text: str) -> str:
    return Settings().fill(text)


def test_the_gentlest_routine_is_seated_and_has_no_neck_turns():
    book = CONTENT.book
    gentle = book.routines[SPEC.states["stretches"].flagged_routine]
    assert gentle.seated_only
    assert "neck_rotation" not in [exercise.id for exercise in gentle.exercises]


def test_emergency_advice_speaks_the_configured_emergency_number():
    person = ScriptedPerson(answers_for_yes_to(CONTENT, "chest_pain"))
    run_triage(CONTENT, person, Settings(emergency_number="112"))
    assert "Call 1 1 2 now, or ask someone near you to call." in person.said
    assert "9 1 1" not in person.text() and "911" not in person.text()


def test_a_serious_accident_says_to_keep_the_neck_still():
    for grade in ("high_risk_crash", "high_risk_fall"):
        person = ScriptedPerson(answers_for_yes_to(CONTENT, "accident", grade))
        result, _, _ = run_triage(CONTENT, person)
        assert result.outcome == "emergency"
        assert "keep your head and neck as still as you can" in person.text()


def test_one_fall_gives_one_answer_at_65_or_over_with_thin_bones():
    """The review's 70-year-old with osteoporosis who slipped: the fall at her age decides,
    and thin bones are not asked about that fall again."""
    for when, tier, grade in (("yes, yesterday", "emergency", "recent_fall_at_65"),
                              ("no, three days ago", "urgent", "fall_at_65")):
        person = ScriptedPerson({"age": "70", "location": "neck", "other_screen": "yes",
                                 "accident": "yes, I slipped on the stairs",
                                 "recent_fall_at_65": when, "thin_bones": "yes"})
        result, _, _ = run_triage(CONTENT, person)
        assert result.outcome == tier and result.grades["accident"] == grade
        assert person.asked.count("thin_bones") <= 1


def test_a_fall_more_than_two_days_ago_at_65_goes_to_the_emergency_department_not_an_ambulance():
    person = ScriptedPerson({"age": "72", "location": "neck", "other_screen": "yes",
                             "accident": "yes, I slipped", "recent_fall_at_65": "no"})
    result, _, _ = run_triage(CONTENT, person)
    assert result.outcome == "urgent"
    assert "go to an emergency department today, and don't drive yourself" in person.text()
    assert Settings().fill("Call {emergency_number} now") not in person.text()


def test_a_minor_knock_or_a_slow_shunt_under_65_is_within_days():
    for said in ("yes", "yes it was a car crash, at about five miles an hour"):
        person = ScriptedPerson({**answers_for_yes_to(CONTENT, "accident"), "accident": said,
                                 "high_risk_crash": ["no, only about five miles an hour", "no"]})
        result, _, _ = run_triage(CONTENT, person)
        assert result.outcome == "soon" and result.grades == {}, said
        assert "cannot_turn_after_accident" in person.asked  # the C-spine rule's rotation test


def test_a_neck_that_cannot_turn_halfway_after_an_accident_is_same_day():
    person = ScriptedPerson(answers_for_yes_to(CONTENT, "accident", "cannot_turn_after_accident"))
    result, _, _ = run_triage(CONTENT, person)
    assert result.outcome == "urgent"


def test_a_locked_neck_alone_is_within_days_with_no_neck_routine():
    person = ScriptedPerson(answers_for_yes_to(CONTENT, "cannot_move"))
    result, _, _, started = _run_with_routines(person)
    assert result.outcome == "soon" and [routine for routine, _ in started] == ["desk_break"]


def test_a_locked_neck_with_an_emergency_sign_is_an_emergency():
    person = ScriptedPerson({"age": "40", "location": "neck", "brain_screen": "yes",
                             "dizzy_vision": "yes", "pain_screen": "yes", "cannot_move": "yes"})
    result, _, _ = run_triage(CONTENT, person)
    assert result.outcome == "emergency" and result.flags == ["dizzy_vision"]


def test_new_upper_back_pain_at_55_is_within_days_with_shoulder_rolls_and_breathing_only():
    person = ScriptedPerson(answers_for_yes_to(CONTENT, "new_upper_back"))
    result, _, _, started = _run_with_routines(person)
    assert result.outcome == "soon"
    assert "new_upper_back" in person.asked
    assert [routine for routine, _ in started] == ["gentle"]


def test_new_upper_back_pain_is_not_asked_under_55_or_for_neck_pain():
    for age, location in (("50", "my upper back"), ("70", "my neck")):
        person = ScriptedPerson({"age": age, "location": location, "course_screen": "yes"})
        run_triage(CONTENT, person)
        assert "new_upper_back" not in person.asked
        listed = next(text for text in person.said if text.startswith("Last ones."))
        assert "new upper-back pain" not in listed


def test_an_age_that_was_not_understood_counts_as_older():
    person = ScriptedPerson({"age": ["banana", "banana", "banana"], "location": "neck",
                             "other_screen": "yes", "accident": "yes"})
    result, _, _ = run_triage(CONTENT, person)
    assert "age" not in result.values
    assert "recent_fall_at_65" in person.asked
    assert result.outcome == "urgent" and result.grades == {"accident": "fall_at_65"}


def test_the_pain_score_is_asked_once_and_handed_to_the_routine():
    person = ScriptedPerson(answers_for_yes_to(CONTENT, "none"))
    result, _, _, started = _run_with_routines(person)
    assert person.asked.count("pain_score") == 1
    assert started == [("neck", {"age": 40, "location": "neck", "pain_before": 3})]


def test_all_no_answers_lead_to_reassurance_self_care_and_the_routine_for_the_pain():
    person = ScriptedPerson(answers_for_yes_to(CONTENT, "none"))
    result, transcript, _, started = _run_with_routines(person)
    assert result.outcome == SELF_CARE and _reassured(person)
    assert OFFER in person.asked and result.handoffs == ["stretches"]
    assert transcript.of("outcome")[0]["tier"] == SELF_CARE


def test_the_closing_safety_net_fits_the_outcome():
    nets = {}
    for flag_id in ("chest_pain", "arm_weakness", "arm_tingling", "none"):
        person = ScriptedPerson(answers_for_yes_to(CONTENT, flag_id))
        result, _, _ = run_triage(CONTENT, person)
        nets[result.outcome] = [line for line in person.said if "{" not in line][-2:]
    assert "While you wait" in " ".join(nets["emergency"])
    assert "new symptoms such as chest pain" not in " ".join(nets["emergency"])
    assert "before you are seen" in " ".join(nets["urgent"])
    assert "new symptoms such as chest pain" in " ".join(nets[SELF_CARE])


def test_not_at_the_moment_never_clears_a_question_about_the_last_three_days():
    """Found by the property test below: "not at the moment" to "In the last three days, have
    you had chest pain?" cleared it (a plain no of the yes/no intents, its time unread)."""
    person = ScriptedPerson({"age": "30", "location": "neck", "heart_screen": "yes",
                             "chest_pain": "no",
                             "chest_pain_recent": ["not at the moment", "not at the moment"]})
    result, _, dialog = run_triage(CONTENT, person)
    assert dialog.answers["chest_pain_recent"] != "no"
    assert person.asked.count("chest_pain_recent") == 2


def test_words_beside_a_no_confirmed_at_a_list_are_not_said_back_again_at_its_check():
    """Found by the property test below: a child's list answered "no, it's just from the gym",
    said back and confirmed, then the same words at the check after the list. The story was
    confirmed once; asking again would not make it safer, only longer. A different story is
    said back."""
    same = ScriptedPerson({"age": "nine", "location": "neck",
                           "child": "no, it's just from the gym", "child.readback": "yes",
                           "child_check": "no, it's just from the gym"})
    _, _, dialog = run_triage(CONTENT, same)
    assert dialog.answers["child_unwell"] == "no"
    assert "child_check.readback" not in same.asked
    other = ScriptedPerson({"age": "nine", "location": "neck",
                            "child": "no, it's just from the gym", "child.readback": "yes",
                            "child_check": "no, I slept badly", "child_check.readback": "yes"})
    run_triage(CONTENT, other)
    assert "child_check.readback" in other.asked


# ------------------------------------------------------------------ property test
# Plain answers, and answers that carry content: a "no" with a symptom, a hedge or a time in
# it, and symptoms volunteered to the wrong question.
PLAIN_NO = ["no", "nope", "no I don't", "none of those", "I haven't"]
PLAIN_YES = ["yes", "yeah, a little"]
CARRYING = ["no, but I feel sick", "nope just nauseous", "not at the moment", "not any more",
            "no, only when I climb stairs", "my left arm tingles a bit",
            "I slipped on the stairs yesterday", "not this week, I fell ten days ago",
            "I have a rash but I feel fine", "no chest pain, just sweating",
            "no it was more like a stabbing pain"]
NOT_NOW = ["not at the moment", "not any more"]  # a plain no only to a question about right now
# Answers read clause by clause (issue 27): denials that name the symptom, well-being, someone
# else, times inside and outside a window, hypotheticals, corrections, and answers to "which
# of those?" and to a read-back ("So that's a no to ... Is that right?").
SENTENCES = ["there's no pain in my chest", "my chest is fine", "I feel fine",
             "no, it's just from the gym", "my sister has osteoporosis, not me",
             "no, it was nearly two weeks ago", "I fell off a ladder years ago, nothing recent",
             "maybe", "if I bent down I might feel dizzy", "no wait, yes", "yes, sorry, no",
             "she's got a fever", "not today, I had a tight chest last night", "the first one",
             "none of them", "my neck's stiff, but I don't have a temperature",
             "I haven't coughed up any blood", "not with the pain, I get night sweats"]
# Answers that clear a flag without a plain no, and the flags each may clear: a denial that
# names it, or well-being.
DENIES = {"there's no pain in my chest": {"chest_pain", "chest_pain_recent"},
          "my chest is fine": {"chest_pain", "chest_pain_recent"},
          "my sister has osteoporosis, not me": {"thin_bones"},
          "I fell off a ladder years ago, nothing recent": {"accident"},
          "not with the pain, I get night sweats": {"sweating"},
          "my neck's stiff, but I don't have a temperature": {"meningitis_signs", "fever_unwell"}}
# A no, then a time before a question's own window (two weeks ago, to the last three days).
DENIES["no, it was nearly two weeks ago"] = {
    f.id for f in SPEC.flags() if f.reads.window is not None and f.reads.window < 252}
WELL = ["I feel fine"]
NO_WITH_WORDS = ["no, it's just from the gym"]
ANSWERS = ["yes", *PLAIN_NO, *PLAIN_NO, *CARRYING, *SENTENCES, "not sure", "not really",
           "I don't think so", "yeah, a little", "what is for dinner", SILENCE, NOISE, "stop"]


def _expected_tier(dialog) -> str | None:
    """Recompute, independently of the engine, the most urgent tier of yes/unclear answers."""
    ranks = []
    for flag in SPEC.flags():
        if dialog.answers.get(flag.id) in ("yes", "unresolved"):
            grade = dialog.grades.get(flag.id)
            ranks.append(SPEC.tier_rank(grade.tier if grade else flag.tier))
    return SPEC.tiers[min(ranks)].id if ranks else None


def _last_heard(transcript) -> dict[str, str | None]:
    """For each question id, what was said the last time it was answered (None: nothing).
    "stop" answers nothing: it ends the session (a question asked again because a symptom
    was mentioned, then stopped, keeps the answer it had)."""
    heard: dict[str, str | None] = {}
    current = None
    for event in transcript.events:
        if event["event"] == "ask":
            current = event["id"]
        elif event["event"] == "say" and event.get("repeat") and current:
            current = current.removesuffix(".readback")  # the question asked again after it
        elif (event["event"] == "heard" and current and event["kind"] == "speech"
              and event["text"] != "stop"):
            heard[current] = event["text"]
    return heard


def _mentioned_then_asked(transcript) -> list[tuple[str, bool]]:
    """Each symptom heard in an answer, and whether its own question was asked after the first
    time it was heard (once is enough: "no, but I feel sick" said again at a later list, after
    "no" to the sickness question itself, is not asked a second time)."""
    events = transcript.events
    first: dict[str, int] = {}
    for index, event in enumerate(events):
        for key in event.get("mentions", []) if event["event"] == "intent" else []:
            if key in SPEC.flag_table:
                first.setdefault(key, index)
    return [(key, any(e["event"] == "ask" and e["id"] == key for e in events[index:]))
            for key, index in first.items()]


@settings(suppress_health_check=[HealthCheck.too_slow])  # examples: the profile's (conftest.py)
@given(st.data())
def test_any_answer_combination_keeps_the_safety_invariants(data):
    def choose(prompt_id: str, context: str) -> str:
        if context == "location":
            return data.draw(st.sampled_from(["neck", "both", "dunno", SILENCE]))
        if context == "age":
            return data.draw(st.sampled_from(["30", "58", "seventy", "nine", "not sure", SILENCE]))
        if context == "pain_scale":
            return data.draw(st.sampled_from(["3", "9", "seven", "banana", SILENCE]))
        return data.draw(st.sampled_from(ANSWERS), label=prompt_id)

    person = ScriptedPerson(chooser=choose)
    result, transcript, dialog, started = _run_with_routines(person)

    flagged = result.flags + result.unresolved
    expected = _expected_tier(dialog)
    # The outcome is the most urgent tier among yes (and unclear) answers, through grades.
    assert dialog._most_urgent_tier() == expected
    if flagged:
        assert not _reassured(person)
        if result.outcome is not None:
            assert result.outcome == expected
        no_exercise = [f for f in flagged if SPEC.flag_table[f].exercise == "none"]
        if SPEC.tier(expected).blocks_exercise or no_exercise:
            assert OFFER not in person.asked and started == [] and result.handoffs == []
        else:
            allowed = SPEC.states["stretches"].flagged_routines
            assert all(routine in allowed for routine, _ in started)
    elif result.outcome is None:
        assert started == []  # stopped, silent or closed before an outcome: no stretches
    # A flag counts as "no" only after a plain no: to its own question, or to its list and,
    # for the emergency lists, to the check after them. Unsure, "not really", a no that
    # carries a symptom, a hedge or a time, silence, noise or nonsense never is.
    heard = _last_heard(transcript)
    checked = set(SPEC.states["emergency_check"].screens)
    # Words beside a no, confirmed once ("So no to all of those?" "yes"), are not said back
    # again when the same words answer a later list or check.
    confirmed_stories = {said for step, said in heard.items() if said in NO_WITH_WORDS
                         and heard.get(f"{step}.readback") == "yes"}
    for flag in SPEC.flags():
        if dialog.answers.get(flag.id) != "no":
            continue
        how = dialog.cleared_by[flag.id]
        for step in how:
            now = step in SPEC.flag_table and SPEC.flag_table[step].about_now
            said = heard.get(step)
            back = heard.get(f"{step}.readback")  # said back, then confirmed or corrected
            confirmed = (back == "yes" and said not in PLAIN_YES) or flag.id in DENIES.get(
                back or "", set()) or (now and back in NOT_NOW)
            single = step in SPEC.flag_table  # a no with other words is a no to one question
            if single and said in NO_WITH_WORDS:
                continue
            none = heard.get(f"{step}.which") in PLAIN_NO + WELL + NO_WITH_WORDS + [
                "none of them", "yes, sorry, no"] or heard.get(
                f"{step}.which.readback") == "yes"  # "So none of those?" "yes"
            assert (said in PLAIN_NO + ["none of them", "yes, sorry, no"]
                    + (NOT_NOW if now else []) + WELL
                    or confirmed or none or said in confirmed_stories
                    or flag.id in DENIES.get(said or "", set())), (flag.id, how, heard)
        if how[0] in checked and (result.outcome == SELF_CARE or (
                result.end_reason == "completed" and result.outcome == "soon")):
            assert how == (how[0], "emergency_check")
    if result.outcome == SELF_CARE:
        assert not flagged and result.end_reason in ("completed", "no_input", "stop", "closed")
        # A symptom volunteered on the way to reassurance was always asked about.
        for key, asked in _mentioned_then_asked(transcript):
            assert asked or not holds(SPEC.flag_table[key].when, result.values), key
    # Every run starts with the disclaimer and ends with one safety net.
    assert SPEC.text("disclaimer") in person.said[:3]
    nets = {SPEC.text("safety_net"), *(t.safety_net for t in SPEC.tiers if t.safety_net)}
    nets = {Settings().fill(net) for net in nets}
    assert sum(person.said.count(net) for net in nets) == 1
    assert result.end_reason in ("completed", "stop", "no_input")


@pytest.mark.slow  # the fast tier's run above tries a few; the full run always tries 300
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_answer_combination_keeps_the_safety_invariants_in_300_runs(data):
    few = test_any_answer_combination_keeps_the_safety_invariants
    few.hypothesis.inner_test(data)
