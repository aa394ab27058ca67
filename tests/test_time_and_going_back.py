"""Issue 29: time on request ("wait"), the silence limit said before it ends, going back a
question ("go back", "I meant yes"), and "Did you mean no?" before slips count as a yes.

Every wait runs on the scripted person's VirtualClock: five minutes take milliseconds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.content import shipped_content

from harness.people import SILENCE, ScriptedPerson, answers_for_yes_to, run_triage
from voice.content.yamlsource import ContentError
from voice.conversation.asking.rules import AskingRules, WaitRequest, load_asking_rules
from voice.conversation.asking.slips import one_off
from voice.conversation.dialog.spec import SELF_CARE
from voice.preferences import Preferences, PreferenceStore

CONTENT = shipped_content()
SPEC = CONTENT.triage
RULES = load_asking_rules(CONTENT.folder / "asking.yaml")
HEART = "heart_screen"  # the first list of emergency signs, after age and location


class TimedPerson(ScriptedPerson):
    """A scripted person who notes when each line was said, on the virtual clock."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.timed: list[tuple[float, str]] = []

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self.timed.append((self.clock.now(), text))
        super().say(text, interruptible, spoken)


def _run(answers: dict, time_limit: float | None = 8.0, default: str = "no"):
    script = answers_for_yes_to(CONTENT, "none")
    script.update(answers)
    person = TimedPerson(answers=script, default=default)
    person.preferences = PreferenceStore(Preferences(time_limit_s=time_limit))
    result, transcript, dialog = run_triage(CONTENT, person)
    return person, result, transcript


def _text(key: str) -> str:
    return SPEC.text(key)


def _when(person: TimedPerson, text: str) -> list[float]:
    return [t for t, said in person.timed if said == text]


# -- the content ------------------------------------------------------------------------------

def test_the_wait_is_five_minutes_ten_times_warned_thirty_seconds_before_in_content():
    assert RULES.wait == WaitRequest(times=10, minutes=5, warn_seconds=30)
    assert RULES.go_back_times >= 1 and "np" in RULES.near_no


def test_a_warning_after_the_end_of_the_wait_is_refused_with_file_line_and_field(tmp_path):
    path = tmp_path / "asking.yaml"
    path.write_text("wait_request:\n  times: 10\n  minutes: 1\n  warn_seconds: 60\n")
    with pytest.raises(ContentError, match=r"asking.yaml:4.*wait_request.warn_seconds"):
        load_asking_rules(path)


# -- time on request --------------------------------------------------------------------------

def test_wait_pauses_the_question_for_five_minutes_with_a_warning_then_asks_it_again():
    person, result, _ = _run({HEART: ["wait", SILENCE, SILENCE, "no"]})
    question = SPEC.states[HEART]
    asked_at = [t for t, said in person.timed if said.startswith(question.ask.split("?")[0])]
    start = _when(person, _text("wait_request"))
    assert len(start) == 1
    assert _when(person, _text("wait_warning")) == [start[0] + 5 * 60 - 30]
    assert asked_at == [0.0, start[0] + 5 * 60]  # asked again when the wait ended
    # No reprompt while waiting: nothing said between the wait and the warning.
    said = [s for _, s in person.timed]
    assert said[said.index(_text("wait_request")) + 1] == _text("wait_warning")
    assert not set(SPEC.texts["no_input"]) & set(said)
    assert result.outcome == SELF_CARE


def test_an_answer_during_the_wait_answers_the_question():
    person, result, transcript = _run({HEART: ["wait", "no"]})
    said = [s for _, s in person.timed]
    assert said.count(_text("wait_request")) == 1 and _text("wait_warning") not in said
    assert person.asked.count(HEART) == 2 and "heart_screen.which" not in person.asked
    assert result.outcome == SELF_CARE and person.clock.now() == 0.0


def test_ready_ends_the_wait_and_the_question_is_asked_again():
    person, result, _ = _run({HEART: ["hold on", "ready", "no"]})
    said = [s for _, s in person.timed]
    start = said.index(_text("wait_request"))
    assert SPEC.states[HEART].ask.split("?")[0] in said[start + 1]
    assert _text("wait_warning") not in said and result.outcome == SELF_CARE


def test_wait_again_before_the_end_waits_another_five_minutes():
    person, result, _ = _run({HEART: ["give me a moment", SILENCE, "wait", SILENCE, SILENCE, "no"]})
    assert len(_when(person, _text("wait_request"))) == 2
    assert person.clock.now() == 270 + 300  # the first wait cut at its warning, then a whole one
    assert result.outcome == SELF_CARE


def test_waits_end_after_the_contents_number_of_times():
    waits = RULES.wait.times  # type: ignore[union-attr]
    person, _, _ = _run({HEART: ["one second", "ready"] * (waits + 1) + ["no"]})
    said = [s for _, s in person.timed]
    assert said.count(_text("wait_request")) == waits
    assert said.count(SPEC.texts["no_match"][0]) >= 1  # the eleventh "wait" is not one any more


def test_wait_in_text_mode_has_no_time_limit_and_takes_the_next_line():
    person, result, _ = _run({HEART: ["just a sec", "no"]}, time_limit=None)
    said = [s for _, s in person.timed]
    assert _text("wait_request") in said and _text("wait_warning") not in said
    assert result.outcome == SELF_CARE and person.clock.now() == 0.0


def test_no_wait_in_the_answer_reading_no_wait_yes_is_still_a_correction():
    person, _, _ = _run({HEART: ["no wait, yes"]})
    assert _text("wait_request") not in person.said
    assert "heart_screen.which" in person.asked or "chest_pain" in person.asked


def test_help_names_wait_and_go_back():
    person, _, _ = _run({"location": ["help", "neck"]})
    said = [s for _, s in person.timed]
    assert _text("wait_help") in said and _text("go_back_help") in said


# -- the silence limit, said --------------------------------------------------------------------

def test_silence_is_warned_of_before_the_last_try_and_offers_more_time():
    person, result, _ = _run({"location": [SILENCE, SILENCE, SILENCE]})
    said = [s for _, s in person.timed]
    assert result.end_reason == "no_input"
    warning = said.index(_text("silence_warning"))
    assert said[warning + 1] == _text("wait_offer")
    assert warning < said.index(_text("gave_up"))
    assert said.count(_text("silence_warning")) == 1


def test_the_warning_comes_in_time_to_say_wait_and_the_check_goes_on():
    person, result, _ = _run({"location": [SILENCE, SILENCE, "wait", "neck"]})
    assert _text("silence_warning") in person.said and result.outcome == SELF_CARE


# -- going back ---------------------------------------------------------------------------------

def test_go_back_asks_the_last_question_again_and_takes_the_new_answer():
    person, result, transcript = _run({"location": ["go back", "neck"], "age": ["40", "67"]})
    assert person.asked[:4] == ["age", "location", "age", "location"]
    assert result.values["age"] == 67
    said = [s for _, s in person.timed]
    assert _text("back_again") in said
    welcome = SPEC.states[SPEC.start].text[0]
    assert said.count(welcome) == 1  # what came before the question is not said again
    assert [e["value"] for e in transcript.of("stored") if e["name"] == "age"] == [40, 67]


def test_undo_at_a_list_asks_the_list_before_it_again():
    person, result, _ = _run({"brain_screen": ["undo", "no"], HEART: ["no", "no"]})
    assert person.asked[2:5] == [HEART, "brain_screen", HEART]
    assert result.outcome == SELF_CARE


def test_i_meant_yes_changes_the_last_answer_to_yes_at_once():
    person, result, _ = _run({"brain_screen": ["I meant yes"], HEART: ["no"]})
    assert _text("back_changed") in person.said
    assert person.asked.count(HEART) == 1  # not asked again: the yes is taken
    assert result.outcome != SELF_CARE and "heart_screen.which" in person.asked


def test_i_meant_no_to_a_warning_sign_asks_it_again_rather_than_taking_a_no():
    person, result, _ = _run({"brain_screen": ["I meant no"], HEART: ["not sure", "no"]},
                             default="no")
    # The list was answered "not sure": a no comes only as an answer to the question itself.
    assert _text("back_changed") not in person.said and _text("back_again") in person.said


def test_a_yes_to_a_warning_sign_cannot_be_taken_back():
    person, result, _ = _run({HEART: ["yes"], "heart_screen.which": ["go back", "none"]})
    assert _text("back_flag_yes") in person.said
    assert person.asked.count(HEART) == 1
    assert result.outcome != SELF_CARE


def test_advice_once_given_stands():
    person, result, _ = _run({"offer_stretches": ["go back", "no"]})
    assert _text("back_after_advice") in person.said
    assert result.outcome == SELF_CARE and person.asked.count("pain_score") == 1


def test_go_back_at_the_first_question_has_nothing_to_change():
    person, result, _ = _run({"age": ["back", "40"]})
    assert _text("back_nothing") in person.said and result.values["age"] == 40


def test_going_back_is_bounded_so_a_repeated_go_back_cannot_loop():
    person, result, _ = _run({"location": ["go back"] * 50, "age": ["40"] * 50})
    assert person.said.count(_text("back_again")) == RULES.go_back_times
    assert result.end_reason in ("completed", "no_input")


# -- slips for "no" -------------------------------------------------------------------------------

CHEST = {HEART: ["yes"], "heart_screen.which": ["1"]}


def test_typed_slips_for_no_ask_did_you_mean_no_and_a_yes_is_a_no():
    person, result, _ = _run({**CHEST, "chest_pain": ["np", "noo"], "chest_pain.meant_no": "yes"})
    assert _text("meant_no") in person.said
    assert "chest_pain" not in result.flags + result.unresolved
    assert not any("treating that as a yes" in s for s in person.said)


def test_a_no_to_did_you_mean_no_keeps_the_cautious_yes():
    person, result, _ = _run({**CHEST, "chest_pain": ["np", "np"], "chest_pain.meant_no": "no"})
    assert _text("meant_no") in person.said
    assert "chest_pain" in result.unresolved and result.outcome == "emergency"


def test_anything_but_a_plain_yes_to_did_you_mean_no_keeps_the_cautious_yes():
    person, result, _ = _run({**CHEST, "chest_pain": ["mo", "mo"],
                              "chest_pain.meant_no": "not sure"})
    assert "chest_pain" in result.unresolved and result.outcome == "emergency"


def test_unclear_answers_that_are_not_slips_are_not_asked_about():
    person, result, _ = _run({**CHEST, "chest_pain": ["banana", "np"]})
    assert _text("meant_no") not in person.said and "chest_pain" in result.unresolved


def test_a_slip_is_one_letter_off_a_single_word_no_and_not_near_a_yes():
    assert all(one_off(word, "no") for word in ("np", "noo", "mo", "on", "n"))
    assert not one_off("no", "no") and not one_off("nooo", "no")
    assert one_off("nop", "nope") and one_off("nopw", "nope")


# -- safety, whatever is said ----------------------------------------------------------------------

ANSWERS = ["yes", "no", "nope", "not sure", "np", "noo", "back", "go back", "undo",
           "I meant no", "I meant yes", "wait", "hold on", "ready", "okay", SILENCE, "stop"]


def _reassured(person: ScriptedPerson) -> bool:
    lines = [line for s in SPEC.states.values() if s.requires_clear for line in s.text]
    return any(line in person.said for line in lines)


@settings(suppress_health_check=[HealthCheck.too_slow])  # examples: the profile's (conftest.py)
@given(st.data())
def test_waiting_and_going_back_keep_a_yes_to_a_warning_sign(data):
    def choose(prompt_id: str, context: str) -> str:
        if context == "age":
            return data.draw(st.sampled_from(["40", "back", "wait", SILENCE]))
        if context == "location":
            return data.draw(st.sampled_from(["neck", "go back", "wait", SILENCE]))
        if context == "pain_scale":
            return data.draw(st.sampled_from(["3", "go back", "I meant yes"]))
        return data.draw(st.sampled_from(ANSWERS), label=prompt_id)

    person = ScriptedPerson(chooser=choose)
    started: list[str] = []
    result, transcript, dialog = run_triage(
        CONTENT, person, handoffs={"stretches": lambda routine, values: started.append(routine)})
    flagged = result.flags + result.unresolved
    if flagged:
        assert not _reassured(person) and result.outcome != SELF_CARE
    blocked = result.outcome not in (None, SELF_CARE) and SPEC.tier(result.outcome).blocks_exercise
    if blocked or any(SPEC.flag_table[f].exercise == "none" for f in flagged):
        assert not started
    if result.outcome is None:
        assert not started  # stopped or silent before an outcome: no stretches
    # A plain yes to a warning sign's own question, heard last, always stands.
    last: dict[str, str] = {}
    current = None
    for event in transcript.events:
        if event["event"] == "ask":
            current = event["id"]
        elif event["event"] == "heard" and current and event["kind"] == "speech":
            last[current] = event["text"]
    for flag_id, said in last.items():
        if flag_id in SPEC.flag_table and said == "yes" and dialog.answers.get(flag_id):
            assert dialog.answers[flag_id] != "no", flag_id


@pytest.mark.slow  # the fast tier's run above tries a few; the full run always tries 60
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_waiting_and_going_back_keep_a_yes_to_a_warning_sign_in_60_runs(data):
    few = test_waiting_and_going_back_keep_a_yes_to_a_warning_sign
    few.hypothesis.inner_test(data)


def test_rules_without_wait_offer_no_wait():
    from voice.clock import VirtualClock
    from voice.conversation.dialog.engine import Dialog
    from voice.conversation.settings import Settings
    from voice.events.transcript import Transcript

    person = ScriptedPerson(answers={**answers_for_yes_to(CONTENT, "none"),
                                     HEART: ["wait", "no"]}, default="no")
    clock = person.clock if isinstance(person.clock, VirtualClock) else VirtualClock()
    dialog = Dialog(SPEC, CONTENT.intents, person, clock, Settings(), Transcript(clock),
                    asking=AskingRules())
    dialog.run()
    assert _text("wait_request") not in person.said and _text("wait_help")


def test_going_back_never_runs_a_handoff_again():
    from voice.conversation.dialog.engine import Dialog
    from voice.conversation.settings import Settings
    from voice.events.transcript import Transcript

    told: list[str] = []
    person = ScriptedPerson(answers={"menu": ["my history", "go back", "stop"]}, default="stop")
    dialog = Dialog(CONTENT.session, CONTENT.intents, person, person.clock, Settings(),
                    Transcript(person.clock),
                    handoffs={"history": lambda *_: told.append("history")})
    dialog.run()
    assert told == ["history"]
    assert CONTENT.session.text("back_nothing") in person.said
