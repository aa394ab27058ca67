"""Behaviour of the dialog engine: read-back, reprompts, global commands, modifiers, endings."""

from __future__ import annotations

from people import NOISE, SILENCE, ScriptedPerson, answers_for_yes_to, run_triage

from voice.clock import VirtualClock
from voice.dialog import Dialog
from voice.dialogspec import SELF_CARE, load_dialog
from voice.settings import RATE_MAX, RATE_MIN, Settings
from voice.transcript import Transcript

EMERGENCY = ["chest_pain", "heart_signs", "tearing_pain", "breathless", "meningitis_signs", "rash",
             "accident", "bladder_bowel", "saddle_numbness", "both_legs", "stroke_signs",
             "dizzy_vision", "thunderclap_headache", "cannot_move"]


def test_disclaimer_is_spoken_before_the_first_question(content):
    person = ScriptedPerson({"chest_pain": "yes"})
    _, transcript, _ = run_triage(content, person)
    first_ask = next(i for i, e in enumerate(transcript.events) if e["event"] == "ask")
    said_before = [e["text"] for e in transcript.events[:first_ask] if e["event"] == "say"]
    assert content.triage.text("disclaimer") in said_before
    assert "not a diagnosis" in content.triage.text("disclaimer")


def test_emergency_questions_come_first(content):
    tiers = [flag.tier for flag in content.triage.flags()]
    ranks = [content.triage.tier_rank(t) for t in tiers]
    assert ranks == sorted(ranks)
    assert [f.id for f in content.triage.flags() if f.tier == "emergency"] == EMERGENCY


def test_emergency_no_answers_are_read_back_in_one_sentence_and_confirmed(content):
    person = ScriptedPerson(answers_for_yes_to(content, "none"))
    run_triage(content, person)
    readback = [line for line in person.said if line.startswith("You said no to")]
    assert len(readback) == 1
    sentence = readback[0]
    assert sentence.count(".") == 1 and sentence.endswith("Is that right?")
    for flag in content.triage.flags():
        assert (flag.label in sentence) == (flag.tier == "emergency")


def test_no_to_the_read_back_asks_every_emergency_question_again(content):
    person = ScriptedPerson({"confirm_emergency": ["no", "yes"], "location": "neck",
                             "pain_score": "2", "offer_stretches": "no"})
    result, _, _ = run_triage(content, person)
    for flag_id in EMERGENCY:
        assert person.asked.count(flag_id) == 2
    assert person.asked.count("confirm_emergency") == 2
    assert result.outcome == SELF_CARE


def test_yes_on_the_second_pass_after_a_denied_read_back_is_an_emergency(content):
    person = ScriptedPerson({"confirm_emergency": "no", "breathless": ["no", "yes"]})
    result, _, _ = run_triage(content, person)
    assert result.outcome == "emergency"
    assert result.flags == ["breathless"]


def test_denying_the_read_back_twice_gives_conservative_advice(content):
    person = ScriptedPerson({"confirm_emergency": ["no", "no"]})
    result, _, _ = run_triage(content, person)
    assert result.outcome == "emergency"
    assert sorted(result.unresolved) == sorted(EMERGENCY)
    assert "offer_stretches" not in person.asked


def test_unsure_on_an_emergency_question_is_asked_again_with_guidance(content):
    person = ScriptedPerson({"chest_pain": ["not sure", "no"], "confirm_emergency": "yes",
                             "location": "neck", "pain_score": "2", "offer_stretches": "no"})
    result, _, dialog = run_triage(content, person)
    assert person.asked.count("chest_pain") == 2
    assert content.triage.text("unsure_flag") in person.said
    assert dialog.answers["chest_pain"] == "no"
    assert result.outcome == SELF_CARE


def test_unsure_every_time_on_an_emergency_question_never_counts_as_no(content):
    person = ScriptedPerson({"tearing_pain": ["not sure", "maybe", "I don't know"]})
    result, _, _ = run_triage(content, person)
    assert result.outcome == "emergency"
    assert result.unresolved == ["tearing_pain"]
    assert "I could not get a clear answer about sudden tearing pain" in person.text()
    assert "offer_stretches" not in person.asked


def test_not_really_to_a_red_flag_counts_as_unsure_never_as_no(content):
    person = ScriptedPerson({"tearing_pain": ["not really", "I don't think so", "not really"]})
    result, _, _ = run_triage(content, person)
    assert person.asked.count("tearing_pain") == 3
    assert content.triage.text("unsure_flag") in person.said
    assert result.outcome == "emergency" and result.unresolved == ["tearing_pain"]


def test_not_really_then_a_plain_no_to_a_red_flag_is_a_no(content):
    person = ScriptedPerson({"chest_pain": ["not really", "no"], "confirm_emergency": "yes",
                             "location": "neck", "pain_score": "2", "offer_stretches": "no"})
    result, _, dialog = run_triage(content, person)
    assert dialog.answers["chest_pain"] == "no" and result.outcome == SELF_CARE


def test_not_really_to_an_ordinary_question_means_no(content):
    person = ScriptedPerson({"confirm_emergency": "yes", "location": "neck", "pain_score": "2",
                             "offer_stretches": "not really"})
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == SELF_CARE
    offered = [e for e in transcript.of("intent") if e["context"] == "yes_no"][-1]
    assert offered["intent"] == "no"
    assert result.handoffs == []


def test_an_answer_in_the_persons_own_words_is_yes_by_the_questions_yes_words(content):
    person = ScriptedPerson({"accident": "I fell off a ladder yesterday"})
    result, _, dialog = run_triage(content, person)
    assert dialog.answers["accident"] == "yes" and result.outcome == "emergency"
    assert "offer_stretches" not in person.asked


def test_a_negated_yes_word_is_not_a_yes(content):
    person = ScriptedPerson({"accident": ["I didn't fall", "I haven't had a fall", "no"],
                             "confirm_emergency": "yes", "location": "neck", "pain_score": "2",
                             "offer_stretches": "no"})
    result, _, dialog = run_triage(content, person)
    assert dialog.answers["accident"] == "no" and result.outcome == SELF_CARE


def test_natural_yes_and_answers_are_yes(content):
    for said in ("yes, I fell off a ladder yesterday", "yeah, a little",
                 "yes I've got a fever and light hurts my eyes"):
        person = ScriptedPerson({"meningitis_signs": said})
        result, _, dialog = run_triage(content, person)
        assert dialog.answers["meningitis_signs"] == "yes", said
        assert result.outcome == "emergency"


def test_silence_on_an_emergency_question_reprompts_then_gives_conservative_advice(content):
    person = ScriptedPerson({"rash": [SILENCE, SILENCE, SILENCE]})
    result, transcript, _ = run_triage(content, person)
    assert person.asked.count("rash") == 3
    assert [e["kind"] for e in transcript.of("reprompt")] == ["no_input", "no_input"]
    assert result.outcome == "emergency" and result.unresolved == ["rash"]


def test_noise_is_never_taken_as_an_answer(content):
    person = ScriptedPerson({"chest_pain": [NOISE, NOISE, NOISE]})
    result, _, _ = run_triage(content, person)
    assert result.unresolved == ["chest_pain"]


def test_not_understood_reprompts_escalate_with_more_guidance(content):
    person = ScriptedPerson({"chest_pain": ["purple", "banana", "no"], "heart_signs": "yes"})
    _, transcript, _ = run_triage(content, person)
    reprompts = transcript.of("reprompt")
    assert [r["attempt"] for r in reprompts] == [1, 2]
    first = person.said.index("Sorry, I didn't understand.")
    assert person.said[first + 1] == "You can say yes, no, or not sure."
    second = person.said.index("Sorry, I still didn't understand that.")
    assert person.said[second + 1].startswith("Right now, do you have pain")
    assert "At any time you can also say" in person.said[second + 2]


def test_silence_on_an_ordinary_question_ends_gracefully(content):
    answers = answers_for_yes_to(content, "none")
    answers["location"] = [SILENCE, SILENCE, SILENCE]
    person = ScriptedPerson(answers)
    result, _, _ = run_triage(content, person)
    assert result.end_reason == "no_input"
    assert content.triage.text("gave_up") in person.said
    assert person.said[-1].startswith("If anything gets worse")


def test_help_says_what_can_be_said_now_from_the_phrase_data(content):
    person = ScriptedPerson({"chest_pain": ["help", "yes"]})
    run_triage(content, person)
    expected = content.intents.help_text("yes_no")
    assert expected in person.said
    for intent in ("yes", "no", "unsure", "help", "repeat", "stop", "slower", "faster"):
        assert content.intents.intents[intent].say in expected


def test_help_on_the_pain_scale_names_numbers(content):
    assert "a number from zero to ten" in content.intents.help_text("pain_scale")


def test_repeat_says_the_last_question_again(content):
    person = ScriptedPerson({"heart_signs": ["say that again", "yes"]})
    run_triage(content, person)
    question = content.triage.states["heart_signs"].ask
    assert person.said.count(question) == 2


def test_slower_and_faster_change_the_rate_within_bounds(content):
    person = ScriptedPerson({"chest_pain": ["slower"] * 5 + ["faster", "yes"]})
    result, transcript, _ = run_triage(content, person, Settings(rate_wpm=150))
    assert person.rates == [130, 110, 100, 120]
    assert person.said.count("This is already my slowest speed.") == 2
    assert result.settings.rate_wpm == 120
    assert [e["wpm"] for e in transcript.of("rate")] == [130, 110, 100, 120]
    fast = ScriptedPerson({"chest_pain": ["faster", "faster", "yes"]})
    result, _, _ = run_triage(content, fast, Settings(rate_wpm=RATE_MAX - 10))
    assert fast.rates == [RATE_MAX]
    assert RATE_MIN <= result.settings.rate_wpm <= RATE_MAX


def test_stop_ends_politely_with_the_safety_net(content):
    person = ScriptedPerson({"breathless": "stop"})
    result, transcript, _ = run_triage(content, person)
    assert result.end_reason == "stop"
    assert result.outcome is None
    assert content.triage.text("stopped") in person.said
    assert person.said[-1].startswith("If anything gets worse")
    assert transcript.events[-1]["event"] == "end"


def test_stop_after_a_misheard_answer_says_the_check_is_unfinished_and_never_reassures(content):
    person = ScriptedPerson({"chest_pain": ["purple", "stop"]})
    result, transcript, _ = run_triage(content, person)
    assert result.end_reason == "stop" and result.outcome is None
    assert content.triage.text("stopped") in person.said
    assert transcript.of("outcome") == [] and "offer_stretches" not in person.asked


def test_end_of_input_ends_the_session_with_the_safety_net(content):
    person = ScriptedPerson({}, default=None)
    result, _, _ = run_triage(content, person)
    assert result.end_reason == "closed"
    assert person.said[-1].startswith("If anything gets worse")


def test_over_55_raises_a_within_days_flag_to_same_day(content):
    person = ScriptedPerson({"confirm_emergency": "yes", "over_55": "yes", "arm_tingling": "yes"})
    result, transcript, _ = run_triage(content, person)
    assert result.outcome == "urgent"
    assert transcript.of("outcome")[0]["modifiers"] == ["over_55"]


def test_over_55_alone_is_not_a_red_flag(content):
    answers = answers_for_yes_to(content, "none")
    answers["over_55"] = "yes"
    result, _, _ = run_triage(content, ScriptedPerson(answers))
    assert result.outcome == SELF_CARE


def test_over_55_never_raises_anything_to_an_emergency(content):
    person = ScriptedPerson({"confirm_emergency": "yes", "over_55": "yes", "long_lasting": "yes"})
    assert run_triage(content, person)[0].outcome == "urgent"


def test_severe_pain_score_gets_no_offer_of_stretches(content):
    answers = answers_for_yes_to(content, "none")
    answers["pain_score"] = "nine out of ten"
    person = ScriptedPerson(answers)
    result, _, _ = run_triage(content, person)
    assert result.values == {"location": "neck", "pain_before": 9}
    assert "offer_stretches" not in person.asked
    assert "Stretching is not a good idea" in person.text()


def test_every_red_flag_question_is_short_and_sourced(content):
    for flag in content.triage.flags():
        assert len(flag.ask.split()) <= 25, flag.id
        assert flag.sources, flag.id
        assert flag.ask.rstrip().endswith("?"), flag.id


def test_ask_events_carry_the_question_id_and_outcome_carries_tier_and_flags(content):
    person = ScriptedPerson({"confirm_emergency": "yes", "cancer_history": "yes"})
    _, transcript, _ = run_triage(content, person)
    asks = [e["id"] for e in transcript.of("ask")]
    assert asks[0] == "chest_pain" and asks[-1] == "cancer_history"
    assert transcript.of("outcome") == [{**transcript.of("outcome")[0], "tier": "urgent",
                                         "flags": ["cancer_history"]}]


MINI_DIALOG = """
id: mini
title: A dialog that is not triage
start: pick
outcome_state: decide
tiers:
  - {id: now, label: now, advice: ["Act now."]}
texts:
  safety_net: "Bye for now."
states:
  - id: pick
    type: choice
    context: menu
    ask: "Symptoms or stretches?"
    options: {triage: flag_q, stretch: decide}
    default: decide
  - id: flag_q
    type: flag
    tier: now
    label: a thing
    ask: "Do you have a thing?"
    advice: "Things need doing."
    sources: [test]
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
        person = ScriptedPerson({"pick": choice, "flag_q": "yes"})
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
    person = SlowPerson({"chest_pain": "yes"})
    Dialog(content.triage, content.intents, person, clock, Settings(), transcript).run()
    heard = transcript.of("heard")[0]
    assert heard["t"] == 2.5
