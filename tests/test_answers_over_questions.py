"""Answers said over a question (issue 29), without a sound card: with echo cancellation a
yes, no or number said while the question is spoken cuts it short and is its answer;
without, it is never taken (it could be the assistant's own voice) and the person is told
once to answer after the question.  The same on real (virtual) devices in a room that
echoes: tests/test_answers_over_questions_spoken.py."""

from __future__ import annotations

import pytest

from tests.test_voice_person import Accepting, CapturedMicrophone, HeldPlayback, speech_signal
from voice.clock import VirtualClock
from voice.conversation.content import load_content
from voice.events.conversation import Asked
from voice.events.transcript import Transcript
from voice.person.voice import voice_person
from voice.preferences import Preferences, PreferenceStore
from voice.speech.tts import Renderer


@pytest.fixture
def renderer(tmp_path):
    from harness.speech import have
    from voice.speech.tts import EspeakEngine

    if not have("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    return Renderer(EspeakEngine(), tmp_path)


def _person(renderer, heard: str, echo_cancelled: bool, utterances: int = 1):
    content = load_content()
    playback, recognizer = HeldPlayback(), Accepting(heard)
    transcript = Transcript(VirtualClock())
    signal = speech_signal(0.5)
    microphone = CapturedMicrophone(signal, 0.0)
    for _ in range(utterances - 1):
        microphone.items += CapturedMicrophone(signal, 0.0).items
    person = voice_person(renderer, playback, microphone, recognizer, content.intents,
                          PreferenceStore(Preferences(earcons=False)), VirtualClock(), transcript,
                          texts=dict(content.session.texts))
    # the prepared microphone has no echo to take out: the person is told it was taken out
    person.echo_cancelled = echo_cancelled
    return person, playback, recognizer, transcript, content


def _ask(transcript: Transcript, person, context: str = "yes_no") -> None:
    transcript.emit(Asked("fever", "Do you have a fever?", context))
    person.say("Do you have a fever?", interruptible=True)


@pytest.mark.parametrize("heard, context, intent", [("no", "yes_no", "no"),
                                                    ("seven", "pain_scale", "number")])
def test_with_echo_cancellation_an_answer_said_over_the_question_cuts_it_and_is_its_answer(
        renderer, heard, context, intent):
    person, playback, recognizer, transcript, content = _person(renderer, heard, True)
    _ask(transcript, person, context)
    assert playback.cuts == 1
    assert recognizer.contexts == ["barge_in", context]  # stop first, then the question's answers
    person.say("Not spoken: the person has answered.")
    assert playback.plays == 1
    answer = person.listen(context, 1.0, prompt_id="fever")
    assert answer.kind == "speech" and answer.text == heard
    assert answer.meaning(content.intents, context).intent == intent
    assert [e["intent"] for e in transcript.events if e["event"] == "barge_in"] == [intent]


def test_with_echo_cancellation_words_that_answer_nothing_here_let_the_question_play_out(renderer):
    person, playback, _, transcript, _ = _person(renderer, "chin tuck", True)
    _ask(transcript, person)
    assert playback.cuts == 0 and playback.plays == 1
    assert not [e for e in transcript.events if e["event"] in ("barge_in", "say")]


def test_without_echo_cancellation_an_early_answer_is_not_taken_and_told_once_a_session(renderer):
    person, playback, _, transcript, content = _person(renderer, "no", False, utterances=2)
    line = content.session.texts["answer_after"]
    _ask(transcript, person)
    assert playback.cuts == 0  # the question is heard out
    assert playback.plays == 2  # then "Please answer after the question."
    assert [e["text"] for e in transcript.events if e["event"] == "say"] == [line]
    assert person._over_speech is None  # the early "no" is not the answer
    _ask(transcript, person)  # a second early answer, later in the session: not told again
    assert playback.plays == 3
    assert [e["text"] for e in transcript.events if e["event"] == "say"] == [line]


@pytest.mark.parametrize("echo_cancelled", [True, False])
def test_stop_over_a_question_ends_it_with_or_without_echo_cancellation(renderer, echo_cancelled):
    person, playback, recognizer, transcript, _ = _person(renderer, "stop", echo_cancelled)
    _ask(transcript, person)
    assert playback.cuts == 1 and recognizer.contexts == ["barge_in"]
    assert person.listen("yes_no", 1.0, prompt_id="fever").text == "stop"


def test_without_a_question_asked_only_stop_is_heard_over_speech(renderer):
    """A line said interruptibly before any question names its context: nothing is taken as
    an answer, and nobody is told to wait."""
    person, playback, recognizer, transcript, _ = _person(renderer, "no", True)
    person.say("Do you have a fever?", interruptible=True)
    assert playback.cuts == 0 and recognizer.contexts == ["barge_in"]
    assert not [e for e in transcript.events if e["event"] == "say"]


def test_an_answer_in_the_questions_own_words_is_never_taken_over_it(renderer):
    """"Ten" heard over "from zero to ten" may be the assistant's own voice: not an answer."""
    person, playback, _, transcript, _ = _person(renderer, "ten", True)
    transcript.emit(Asked("pain", "From zero to ten, how bad is it?", "pain_scale"))
    person.say("From zero to ten, how bad is it?", interruptible=True)
    assert playback.cuts == 0 and person._over_speech is None


class _OverTheQuestion:
    """A scripted person whose answers to some questions were said over them (echo cancelled)."""

    def __new__(cls, answers: dict, over: frozenset[str]):
        from dataclasses import replace

        from harness.people import ScriptedPerson

        class Person(ScriptedPerson):
            def listen(self, context, deadline, prompt_id=None):
                heard = super().listen(context, deadline, prompt_id)
                return replace(heard, overlapped=True) if prompt_id in over else heard

        return Person(answers)


def test_a_yes_to_a_warning_sign_said_over_the_question_is_said_back_before_it_counts():
    """The echo canceller can leave a "no" sounding like "yes" (bench.barge_in: one recording
    did); a yes heard over a single question is said back, and a no to that asks it again. (A
    yes over a list is asked "Which of those was it?", its own check.)"""
    from harness.people import run_triage

    content = load_content()
    answers = {"age": "40", "location": "neck", "pain_score": "2", "offer_stretches": "no",
               "heart_screen": "yes", "heart_screen.which": "one",
               "chest_pain": ["yes", "no"], "chest_pain.readback": "no"}
    result, transcript, _ = run_triage(content, _OverTheQuestion(answers, frozenset({"chest_pain"})))
    asked = [e["id"] for e in transcript.of("ask")]
    assert asked[asked.index("chest_pain"):][:2] == ["chest_pain", "chest_pain.readback"]
    assert "chest_pain" not in result.flags  # the no that followed was taken: asked again, no


def test_a_no_to_a_list_said_over_the_question_is_said_back_as_none_of_those():
    from harness.people import run_triage
    from voice.conversation.dialog.spec import SELF_CARE

    content = load_content()
    answers = {"age": "40", "location": "neck", "pain_score": "2", "offer_stretches": "no",
               "heart_screen.readback": "yes"}
    result, transcript, _ = run_triage(content, _OverTheQuestion(answers, frozenset({"heart_screen"})))
    readbacks = [e for e in transcript.of("ask") if e["id"] == "heart_screen.readback"]
    assert len(readbacks) == 1 and readbacks[0]["text"].startswith("So none of those")
    assert result.outcome == SELF_CARE


def test_a_yes_to_a_list_said_over_the_question_goes_to_which_of_those_not_a_read_back():
    from harness.people import run_triage

    content = load_content()
    answers = {"age": "40", "location": "neck", "pain_score": "2", "offer_stretches": "no",
               "heart_screen": "yes", "heart_screen.which": "none"}
    _, transcript, _ = run_triage(content, _OverTheQuestion(answers, frozenset({"heart_screen"})))
    asked = [e["id"] for e in transcript.of("ask")]
    assert asked[asked.index("heart_screen") + 1] == "heart_screen.which", asked
    assert "heart_screen.readback" not in asked
