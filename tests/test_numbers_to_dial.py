"""Numbers to dial are said digit by digit in every voice ("nine one one"), and printed the
same way ("9 1 1"): every voice, and a screen reader reading the printed line, reads "911" as a
quantity, "nine hundred eleven" (issue 29)."""

from __future__ import annotations

import subprocess

import pytest
from support.content import shipped_content
from test_voice_person import CapturedMicrophone, HeldPlayback, Rejecting, speech_signal

from harness.people import ScriptedPerson, answers_for_yes_to, run_triage
from harness.speech import have
from voice.clock import VirtualClock
from voice.conversation.routine.player import Player
from voice.conversation.routine.timeline import estimated
from voice.conversation.settings import Settings, digits_spoken
from voice.events.transcript import Transcript
from voice.person.voice import voice_person
from voice.preferences import Preferences, PreferenceStore
from voice.speech.tts import EspeakEngine, Renderer

CONTENT = shipped_content()
NUMBERS = ["911", "999", "112", "000", "111"]


class HearingPerson(ScriptedPerson):
    """Notes what a voice would have been handed for each line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.voiced: list[str] = []

    def say(self, text, interruptible=False, spoken=None):
        self.voiced.append(spoken or text)
        super().say(text, interruptible, spoken)

    def cue(self, text, kind, duration, spoken=None):
        self.voiced.append(spoken or text)
        super().cue(text, kind, duration, spoken)


@pytest.mark.parametrize("number", NUMBERS)
def test_the_emergency_number_is_printed_and_voiced_digit_by_digit(number):
    person = HearingPerson(answers_for_yes_to(CONTENT, "chest_pain"))
    _, transcript, _ = run_triage(CONTENT, person, Settings(emergency_number=number))
    call = next(e for e in transcript.of("say") if e["text"].startswith("Call "))
    assert call["text"] == f"Call {digits_spoken(number)} now, or ask someone near you to call."
    assert "spoken" not in call  # one form, printed and said
    assert call["text"] in person.voiced and call["text"] in person.said
    assert not any(number in line for line in person.voiced)  # never voiced as a quantity
    assert not any(number in line for line in person.said)  # nor printed as one
    assert any(digits_spoken(number) in e["text"] for e in transcript.of("say")
               if e["text"].startswith("Once more"))


def test_no_line_carries_a_second_spoken_form():
    person = HearingPerson(answers_for_yes_to(CONTENT, "chest_pain"))
    _, transcript, _ = run_triage(CONTENT, person)
    assert all("spoken" not in e for e in transcript.of("say"))
    assert person.voiced == person.said


def test_a_symptom_in_a_routine_voices_the_number_digit_by_digit():
    book = CONTENT.book
    clock = VirtualClock()
    person = HearingPerson(commands=[(20.0, "I feel dizzy")])
    person.clock = clock
    transcript = Transcript(clock)
    Player(book, book.routines["neck"], CONTENT.intents, person, clock, estimated,
           Settings(emergency_number="999"), transcript, ask_pain=False).run()
    voiced = [line for line in person.voiced if "9 9 9" in line]
    assert voiced and not any("999" in line for line in person.voiced + person.said)
    assert any(e.get("text", "").endswith("call 9 9 9 now.") for e in transcript.events)


def _phonemes(text: str) -> str:
    return subprocess.run(["espeak-ng", "-q", "-x", text], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
@pytest.mark.parametrize("number", NUMBERS)
def test_the_real_voice_says_no_hundred_in_the_line_it_is_handed(number):
    person = HearingPerson(answers_for_yes_to(CONTENT, "chest_pain"))
    _, transcript, _ = run_triage(CONTENT, person, Settings(emergency_number=number))
    call = next(e for e in transcript.of("say") if e["text"].startswith("Call "))
    said = _phonemes(call["text"])  # the line printed, as a screen reader reads it, and voiced
    assert "Vndr" not in said and "hundred" not in said, said  # h'VndrI2d: "hundred"
    digit = {"9": "n'aIn", "1": "w'0n", "2": "t'u:", "0": "z'i@roU"}
    assert sum(said.count(digit[d]) for d in set(number)) >= len(number), said
    if number not in ("000", "111"):
        assert "Vndr" in _phonemes(call["text"].replace(digits_spoken(number), number))


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
def test_the_voice_person_renders_the_spoken_form(tmp_path):
    renderer = Renderer(EspeakEngine(), tmp_path)
    person = voice_person(renderer, HeldPlayback(), CapturedMicrophone(speech_signal(0.5), 0.0),
                          Rejecting(), CONTENT.intents, PreferenceStore(Preferences(earcons=False)),
                          VirtualClock(), Transcript(VirtualClock()))
    person.say("Call 911 now.", spoken="Call 9 1 1 now.")
    rendered = renderer.rendered
    renderer.render("Call 9 1 1 now.", Preferences().rate_wpm)
    assert renderer.rendered == rendered  # already rendered: the spoken form was used
    renderer.render("Call 911 now.", Preferences().rate_wpm)
    assert renderer.rendered == rendered + 1  # the printed form never was
