"""Behaviour of the dialog engine: lists, the check, reprompts, global commands, endings."""

from __future__ import annotations

from dataclasses import replace

from harness.people import NOISE, SILENCE, ScriptedPerson, answers_for_yes_to, run_triage
from voice.clock import VirtualClock
from voice.content.placeholders import fill
from voice.conversation.dialog.engine import Dialog
from voice.conversation.dialog.load import load_dialog
from voice.conversation.dialog.numbers_said_back import may_be_misheard, said_back
from voice.conversation.dialog.spec import SELF_CARE, NumberSaidBack, holds
from voice.conversation.dialog.wording import screen_prompt
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.preferences import RATE_MAX, RATE_MIN

NO = {"age": "40", "location": "neck", "pain_score": "2", "offer_stretches": "no"}
EMERGENCY_LISTS = ("heart_screen", "brain_screen", "other_screen")


def _flags_of(content, screens) -> list[str]:
    return [f for name in screens for f in content.triage.states[name].flag_ids()]


def _said(content, key: str) -> str:
    """A fixed text of the triage as the person hears it (the session's numbers in it)."""
    return Settings().fill(content.triage.text(key))


def _before(template: str, placeholder: str) -> str:
    """The words of a template before a placeholder: how a line filled in later starts."""
    return template[:template.index("{" + placeholder + "}")]


def test_disclaimer_is_spoken_before_the_first_question(content):
    person = ScriptedPerson({"heart_screen": "yes", "chest_pain": "yes"})
    _, transcript, _ = run_triage(content, person)
    first_ask = next(i for i, e in enumerate(transcript.events) if e["event"] == "ask")
    said_before = [e["text"] for e in transcript.events[:first_ask] if e["event"] == "say"]
    assert content.triage.text("disclaimer") in said_before


def test_age_and_place_come_first_then_lists_from_most_urgent(content):
    person = ScriptedPerson(answers_for_yes_to(content, "none"))
    run_triage(content, person)
    assert person.asked[:2] == ["age", "location"]
    screens = [name for name in person.asked if content.triage.states.get(name) is not None
               and content.triage.states[name].type == "screen"]
    ranks = [min(content.triage.tier_rank(content.triage.flag_table[f].tier)
                 for f in content.triage.states[name].flag_ids()) for name in screens]
    assert ranks == sorted(ranks) and screens[:3] == list(EMERGENCY_LISTS)


def test_the_habitual_nope_to_everything_ends_at_self_care(content):
    person = ScriptedPerson({"age": "48", "location": "my neck", "pain_score": "2"}, default="nope")
    result, _, _ = run_triage(content, person)
    assert result.outcome == SELF_CARE
    assert person.asked.count("emergency_check") == 1
    assert not set(person.asked) & set(content.triage.flag_table)


def test_yes_to_the_check_asks_the_emergency_questions_one_by_one_until_the_answer_limit(content):
    """A yes to "anything from those three lists?" then a no to every sign is a person whose
    answers cannot be made sense of: the questions go in order, each once, and stop at the
    answer limit with same-day advice (v3 F11: no path longer than 20 answers)."""
    person = ScriptedPerson({**NO, "emergency_check": "yes", "which_one": "none of them"})
    result, transcript, _ = run_triage(content, person)
    asked = [f for f in _flags_of(content, EMERGENCY_LISTS)
             if holds(content.triage.flag_table[f].when, result.values)]
    singles = [name for name in person.asked if name in asked]
    assert singles == asked[:len(singles)] and len(set(singles)) == len(singles)
    assert person.asked.count("emergency_check") == 1
    red_flag_answers = [e for e in transcript.of("ask") if e["id"] not in ("age", "location")
                        and e["context"] == "yes_no" and e["id"] != "offer_stretches"]
    assert len(red_flag_answers) <= content.triage.answer_limit
    assert result.outcome == "urgent" and result.flags == ["unclear_answers"]
    assert content.triage.flag_table["unclear_answers"].advice in person.said


def test_a_yes_to_a_list_named_in_which_one_asks_that_sign_again(content):
    person = ScriptedPerson({**NO, "heart_screen": "yes", "which_one": "the chest pain",
                             "chest_pain": ["no", "yes"]})
    result, _, _ = run_triage(content, person)
    assert person.asked.count("chest_pain") == 2 and result.outcome == "emergency"
    chest_pain = content.triage.flag_table["chest_pain"]
    assert fill(content.triage.text("you_mentioned"), mention=chest_pain.named) in person.said


def test_yes_to_a_single_question_after_the_check_is_an_emergency(content):
    person = ScriptedPerson({**NO, "emergency_check": "yes", "breathless": "yes"})
    result, _, _ = run_triage(content, person)
    assert result.outcome == "emergency" and result.flags == ["breathless"]


def test_a_hedged_answer_to_the_check_asks_which_then_the_questions(content):
    for hedge in ("not really", "I don't think so", "maybe"):
        person = ScriptedPerson({**NO, "emergency_check": hedge,
                                 "emergency_check.which": "I'm not sure"})
        run_triage(content, person)
        assert person.asked.index("emergency_check.which") < person.asked.index("chest_pain")


def test_a_hedged_answer_to_the_check_then_none_of_them_clears_it(content):
    person = ScriptedPerson({**NO, "emergency_check": "maybe",
                             "emergency_check.which": "none of them really"})
    result, _, _ = run_triage(content, person)
    assert "chest_pain" not in person.asked and result.outcome == SELF_CARE


def test_yes_to_a_list_then_none_to_which_of_those_still_asks_its_questions(content):
    """A yes is never undone by a "none" that follows it: the single questions decide."""
    person = ScriptedPerson({**NO, "other_screen": "yes, something happened at work",
                             "other_screen.which": "none"})
    run_triage(content, person)
    assert "accident" in person.asked and "bladder_bowel" in person.asked


def test_not_sure_to_a_list_asks_which_of_them_by_number_before_any_single_question(content):
    person = ScriptedPerson({**NO, "heart_screen": "not sure", "heart_screen.which": "two"})
    result, transcript, _ = run_triage(content, person)
    which = next(e["text"] for e in transcript.of("ask") if e["id"] == "heart_screen.which")
    items = content.triage.states["heart_screen"].items
    assert which.startswith(_before(content.triage.text("which_of"), "items"))
    assert fill(content.triage.text("which_item"), number="2", item=items[1].say) in which
    singles = [name for name in person.asked if name in content.triage.flag_table]
    assert singles == list(items[1].flags)
    assert result.outcome == SELF_CARE


def test_none_to_which_of_those_clears_the_list_without_single_questions(content):
    person = ScriptedPerson({**NO, "heart_screen": "maybe", "heart_screen.which": "none of them"})
    result, _, dialog = run_triage(content, person)
    assert not [name for name in person.asked if name in content.triage.flag_table]
    assert dialog.answers["chest_pain"] == "no" and result.outcome == SELF_CARE


def test_not_sure_to_a_list_and_to_which_of_those_asks_its_single_questions(content):
    person = ScriptedPerson({**NO, "heart_screen": "not sure", "heart_screen.which": "not sure"})
    result, _, _ = run_triage(content, person)
    singles = [name for name in person.asked if name in content.triage.flag_table]
    assert singles == _flags_of(content, ["heart_screen"])
    assert result.outcome == SELF_CARE


def test_after_a_same_day_flag_only_more_urgent_questions_are_asked(content):
    person = ScriptedPerson({**NO, "heart_screen": "yes", "chest_pain_recent": "yes"})
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == "urgent"
    assert {"brain_screen", "other_screen", "emergency_check"} <= set(person.asked)
    assert not {"nerve_screen", "pain_screen", "course_screen"} & set(person.asked)
    # Of the health list only the fever is asked: with injected drugs it is an emergency.
    health = content.triage.states["health_screen"]
    fever = tuple(item for item in health.items if "fever_unwell" in item.flags)
    asked = [e["text"] for e in transcript.of("ask") if e["id"] == "health_screen"]
    assert asked == [screen_prompt(health, fever, content.triage.text("list_or"))]


def test_unsure_on_an_emergency_question_is_asked_again_in_other_words(content):
    person = ScriptedPerson({**NO, "heart_screen": "not sure", "heart_screen.which": "one",
                             "chest_pain": ["not sure", "no"]})
    result, _, dialog = run_triage(content, person)
    assert person.asked.count("chest_pain") == 2
    assert content.triage.text("unsure_flag") in person.said
    assert content.triage.flag_table["chest_pain"].again in person.said
    assert dialog.answers["chest_pain"] == "no" and result.outcome == SELF_CARE


def test_unsure_twice_counts_as_yes_for_that_item_only_and_says_so(content):
    person = ScriptedPerson({**NO, "heart_screen": "yes",
                             "sudden_severe_pain": ["not sure", "maybe"]})
    result, _, _ = run_triage(content, person)
    assert result.outcome == "emergency" and result.unresolved == ["sudden_severe_pain"]
    assert result.flags == []
    label = content.triage.flag_table["sudden_severe_pain"].label
    assert fill(content.triage.text("unresolved"), labels=label) in person.said
    assert "offer_stretches" not in person.asked


def test_not_really_to_a_red_flag_counts_as_unsure_never_as_no(content):
    person = ScriptedPerson({**NO, "heart_screen": "yes",
                             "sudden_severe_pain": ["not really", "I don't think so"]})
    result, _, _ = run_triage(content, person)
    assert person.asked.count("sudden_severe_pain") == 2
    assert result.outcome == "emergency" and result.unresolved == ["sudden_severe_pain"]


def test_not_really_to_a_list_opens_it(content):
    person = ScriptedPerson({**NO, "brain_screen": "not really", "brain_screen.which": "dunno"})
    run_triage(content, person)
    assert "thunderclap_headache" in person.asked


def test_not_really_then_a_plain_no_to_a_red_flag_is_a_no(content):
    person = ScriptedPerson({**NO, "heart_screen": "not sure", "heart_screen.which": "1",
                             "chest_pain": ["not really", "no"]})
    result, _, dialog = run_triage(content, person)
    assert dialog.answers["chest_pain"] == "no" and result.outcome == SELF_CARE


def test_not_really_to_an_ordinary_question_means_no(content):
    person = ScriptedPerson({**NO, "offer_stretches": "not really"})
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == SELF_CARE
    offered = [e for e in transcript.of("intent") if e["context"] == "yes_no"][-1]
    assert offered["intent"] == "no"
    assert result.handoffs == []


def test_an_answer_in_the_persons_own_words_is_yes_by_the_questions_yes_words(content):
    person = ScriptedPerson({**NO, "other_screen": "I fell off a ladder yesterday",
                             "accident": "I fell off a ladder yesterday",
                             "high_risk_fall": "off a ladder"})
    result, _, dialog = run_triage(content, person)
    assert dialog.answers["accident"] == "yes" and result.outcome == "emergency"
    assert result.grades == {"accident": "high_risk_fall"}
    assert "offer_stretches" not in person.asked


def test_a_negated_yes_word_is_not_a_yes(content):
    for said in ("I didn't fall", "I haven't had a fall", "no crash, no"):
        person = ScriptedPerson({**NO, "other_screen": "not sure", "accident": said})
        result, _, dialog = run_triage(content, person)
        assert dialog.answers["accident"] == "no" and result.outcome == SELF_CARE, said


def test_natural_yes_and_answers_are_yes(content):
    for said in ("yes, I fell off a ladder yesterday", "yeah, a little",
                 "yes I've got a fever and light hurts my eyes"):
        person = ScriptedPerson({**NO, "other_screen": "yes", "meningitis_signs": said})
        result, _, dialog = run_triage(content, person)
        assert dialog.answers["meningitis_signs"] == "yes", said
        assert result.outcome == "emergency"
    person = ScriptedPerson({**NO, "nerve_screen": "yes, in my left arm, for about a week",
                             "arm_weakness": "yes, in my left arm, for about a week"})
    assert run_triage(content, person)[0].outcome == "urgent"


def test_silence_alone_on_an_emergency_question_stops_with_advice_not_an_emergency_verdict(content):
    """The review's 81-year-old who stopped answering was told chest pain counted as yes."""
    person = ScriptedPerson({**NO, "other_screen": "not sure", "other_screen.which": "the first",
                             "rash": [SILENCE, SILENCE]})
    result, transcript, _ = run_triage(content, person)
    assert person.asked.count("rash") == 2
    assert [e["kind"] for e in transcript.of("reprompt")] == ["no_input"]
    assert content.triage.flag_table["rash"].again in person.said
    assert result.outcome is None and result.end_reason == "no_input"
    assert Settings().fill(content.triage.text("silent")) in person.said
    assert _before(content.triage.text("unresolved"), "labels") not in person.text()
    assert "offer_stretches" not in person.asked


def test_unclear_speech_after_silence_still_counts_as_yes(content):
    person = ScriptedPerson({**NO, "other_screen": "not sure", "other_screen.which": "one",
                             "rash": [SILENCE, NOISE]})
    result, _, _ = run_triage(content, person)
    assert result.outcome == "emergency" and result.unresolved == ["rash"]


def test_silence_alone_on_a_list_stops_the_check(content):
    person = ScriptedPerson({**NO, "heart_screen": [SILENCE, SILENCE, SILENCE]})
    result, _, _ = run_triage(content, person)
    assert "chest_pain" not in person.asked and result.outcome is None
    assert person.said[-2] == _said(content, "silent")


def test_noise_is_never_taken_as_an_answer(content):
    person = ScriptedPerson({**NO, "heart_screen": "yes", "chest_pain": [NOISE, NOISE]})
    result, _, _ = run_triage(content, person)
    assert result.unresolved == ["chest_pain"]


def test_not_understood_reprompts_escalate_with_more_guidance(content):
    person = ScriptedPerson({**NO, "location": ["purple", "banana", "neck"]})
    _, transcript, _ = run_triage(content, person)
    reprompts = transcript.of("reprompt")
    assert [r["attempt"] for r in reprompts] == [1, 2]
    first, second = content.triage.texts["no_match"]
    after_first = person.said[person.said.index(first) + 1]
    assert after_first == content.intents.help_text("location", general=False)
    after_second = person.said[person.said.index(second) + 1:][:2]
    assert after_second == [content.triage.states["location"].ask,
                            content.intents.help_text("location")]


def test_silence_on_an_ordinary_question_ends_gracefully(content):
    person = ScriptedPerson({**NO, "location": [SILENCE, SILENCE, SILENCE]})
    result, _, _ = run_triage(content, person)
    assert result.end_reason == "no_input"
    assert content.triage.text("gave_up") in person.said
    assert person.said[-1] == _said(content, "safety_net")


def test_help_says_what_can_be_said_now_from_the_phrase_data(content):
    person = ScriptedPerson({**NO, "heart_screen": ["help", "no"]})
    run_triage(content, person)
    expected = content.intents.help_text("yes_no")
    assert expected in person.said
    assert content.triage.states["heart_screen"].help in person.said
    for intent in ("yes", "no", "unsure", "help", "repeat", "stop", "slower", "faster"):
        assert content.intents.intents[intent].say in expected


def test_repeat_says_the_last_question_again(content):
    person = ScriptedPerson({**NO, "brain_screen": ["say that again", "no"]})
    _, transcript, _ = run_triage(content, person)
    question = next(e["text"] for e in transcript.of("ask") if e["id"] == "brain_screen")
    assert person.said.count(question) == 2


def test_slower_and_faster_change_the_rate_within_bounds(content):
    person = ScriptedPerson({**NO, "age": ["slower"] * 5 + ["faster", "40"]}, rate_wpm=150)
    _, transcript, _ = run_triage(content, person)
    assert person.said.count(content.triage.text("slowest")) == 2
    assert person.preferences.now.rate_wpm == 120
    assert [e["wpm"] for e in transcript.of("rate")] == [130, 110, 100, 120]
    fast = ScriptedPerson({**NO, "age": ["faster", "faster", "40"]}, rate_wpm=RATE_MAX - 10)
    _, transcript, _ = run_triage(content, fast)
    assert [e["wpm"] for e in transcript.of("rate")] == [RATE_MAX]
    assert RATE_MIN <= fast.preferences.now.rate_wpm <= RATE_MAX


def test_stop_ends_politely_with_the_safety_net(content):
    person = ScriptedPerson({**NO, "brain_screen": "stop"})
    result, transcript, _ = run_triage(content, person)
    assert result.end_reason == "stop"
    assert result.outcome is None
    assert content.triage.text("stopped") in person.said
    assert person.said[-1] == _said(content, "safety_net")
    assert transcript.events[-1]["event"] == "end"


def test_stop_after_a_misheard_answer_says_the_check_is_unfinished_and_never_reassures(content):
    person = ScriptedPerson({**NO, "heart_screen": ["purple", "stop"]})
    result, transcript, _ = run_triage(content, person)
    assert result.end_reason == "stop" and result.outcome is None
    assert content.triage.text("stopped") in person.said
    assert transcript.of("outcome") == [] and "offer_stretches" not in person.asked


def test_stop_after_a_flag_still_gives_its_advice(content):
    person = ScriptedPerson({**NO, "heart_screen": "yes", "chest_pain_recent": "yes",
                             "brain_screen": "stop"})
    result, _, _ = run_triage(content, person)
    assert result.end_reason == "stop" and result.outcome == "urgent"
    assert content.triage.flag_table["chest_pain_recent"].advice in person.said


def test_end_of_input_ends_the_session_with_the_safety_net(content):
    person = ScriptedPerson({}, default=None)
    result, _, _ = run_triage(content, person)
    assert result.end_reason == "closed"
    assert person.said[-1] == _said(content, "safety_net")


def test_severe_pain_score_gets_no_offer_of_stretches(content):
    answers = answers_for_yes_to(content, "none")
    answers["pain_score"] = "nine out of ten"
    person = ScriptedPerson(answers)
    result, _, _ = run_triage(content, person)
    assert result.values == {"age": 40, "location": "neck", "pain_before": 9}
    assert "offer_stretches" not in person.asked
    assert Settings().fill(content.triage.states["severe_pain"].text[0]) in person.said


def test_ask_events_carry_the_question_id_and_outcome_carries_tier_and_flags(content):
    person = ScriptedPerson(answers_for_yes_to(content, "cancer_history"))
    _, transcript, _ = run_triage(content, person)
    asks = [e["id"] for e in transcript.of("ask")]
    # Named by number to "which of those?", then the rest of its list asked once more.
    assert asks[0] == "age" and asks[-3:] == ["health_screen.which", "cancer_history",
                                              "health_screen"]
    assert transcript.of("outcome") == [{**transcript.of("outcome")[0], "tier": "urgent",
                                         "flags": ["cancer_history"]}]



def test_a_number_is_misheard_within_the_window_or_as_the_number_it_sounds_like():
    rule = NumberSaidBack("{number}", near=2, sound_alike=((15, 50),))
    assert may_be_misheard(rule, 49, [50]) and not may_be_misheard(rule, 47, [50])
    assert may_be_misheard(rule, 15, [50]) and may_be_misheard(rule, 50, [20])
    assert not may_be_misheard(rule, 14, [50]) and not may_be_misheard(rule, 60, [50])


def test_an_age_is_said_back_when_it_sounds_like_one_across_a_threshold_by_the_contents_pairs(
        content):
    """90 is near no age the questions turn on, but the content says it sounds like 19, which
    is: it is said back. Without the content's pairs it is not."""
    rule = content.triage.said_back
    person = ScriptedPerson({**NO, "age": "90"})
    run_triage(content, person)
    assert said_back(rule, 90, content.number_words) in person.said
    unpaired = replace(content, triage=replace(content.triage,
                                               said_back=replace(rule, sound_alike=())))
    person = ScriptedPerson({**NO, "age": "90"})
    run_triage(unpaired, person)
    assert said_back(rule, 90, content.number_words) not in person.said


def test_a_number_said_back_is_worded_by_the_content(content):
    rule = replace(content.triage.said_back, say="Got {number}.", join=" ", capital=False)
    person = ScriptedPerson({**NO, "age": "67"})
    run_triage(replace(content, triage=replace(content.triage, said_back=rule)), person)
    assert f"Got {content.number_words.to_words(67)}." in person.said
    assert said_back(content.triage.said_back, 67, content.number_words) not in person.said


MINI_DIALOG = """
id: mini
title: A dialog that is not triage
start: pick
outcome_state: decide
tiers:
  - {id: now, label: now, advice: ["Act now."]}
texts:
  list_or: "or"
  safety_net: "Bye for now."
flags:
  - id: thing
    tier: now
    label: a thing
    ask: "Do you have a thing?"
    again: "Any thing at all?"
    advice: "Things need doing."
    sources: [test]
states:
  - id: pick
    type: choice
    context: menu
    ask: "Symptoms or stretches?"
    options: {triage: things, stretch: decide}
    default: decide
  - id: things
    type: screen
    ask: "Any of these?"
    items:
      - {say: "a thing", flags: [thing]}
  - id: decide
    type: outcome
    clear: fine
  - id: fine
    type: end
    requires_clear: true
    text: ["All fine."]
"""


def test_engine_runs_any_yaml_dialog_not_only_triage(tmp_path, content):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_DIALOG)
    spec = load_dialog(path, set(content.intents.context_names()))
    runs = (("check my symptoms", "now", ["Act now.", "Things need doing.", "Bye for now."]),
            ("stretches", SELF_CARE, ["Bye for now.", "All fine."]))
    for choice, expected, said in runs:
        person = ScriptedPerson({"pick": choice, "things": "yes", "thing": "yes"})
        clock = VirtualClock()
        result = Dialog(spec, content.intents, person, clock, Settings(), Transcript(clock)).run()
        assert result.outcome == expected
        assert person.said[-len(said):] == said


def test_transcript_times_come_from_the_injected_clock(content):
    class SlowPerson(ScriptedPerson):
        def listen(self, context, timeout, prompt_id):
            clock.advance(2.5)
            return super().listen(context, timeout, prompt_id)

    clock = VirtualClock(100.0)
    transcript = Transcript(clock)
    person = SlowPerson({"age": "40"})
    Dialog(content.triage, content.intents, person, clock, Settings(), transcript).run()
    heard = transcript.of("heard")[0]
    assert heard["t"] == 2.5


def _heard_before_outcome(transcript) -> int:
    heard = 0
    for event in transcript.events:
        if event["event"] == "outcome":
            return heard
        heard += event["event"] == "heard"
    return heard


def test_a_story_told_with_every_no_is_said_back_once_not_at_every_list(content):
    """The third review's person 19: "no, it's just from the gym" opened every question (41
    answers). It is said back once ("So none of those?"), and the same words later are not."""
    story = "no, it's just from the gym"
    lists = [name for name, state in content.triage.states.items()
             if state.type in ("screen", "check")]
    person = ScriptedPerson({**NO, **{name: story for name in lists},
                             **{f"{name}.readback": "yes" for name in lists}})
    result, transcript, _ = run_triage(content, person)
    readbacks = [e for e in transcript.of("ask") if e["id"].endswith(".readback")]
    assert len(readbacks) == 1
    assert readbacks[0]["text"].startswith(_before(content.triage.text("readback_none"), "also"))
    assert result.outcome == SELF_CARE and _heard_before_outcome(transcript) <= 16


def test_a_person_who_says_maybe_to_every_list_reaches_an_outcome_within_twenty_answers(content):
    lists = [name for name, state in content.triage.states.items()
             if state.type in ("screen", "check")]
    person = ScriptedPerson({**NO, **{name: "maybe" for name in lists},
                             **{f"{name}.which": "none of them really" for name in lists}})
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == SELF_CARE and _heard_before_outcome(transcript) <= 20
    words = 0
    for event in transcript.events:
        if event["event"] == "outcome":
            break
        words += len(event["text"].split()) if event["event"] in ("say", "ask") else 0
    assert words <= 600
