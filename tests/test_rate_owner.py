"""One owner for the user's preferences: the person's side. Every part of a session reads them there.

The three bugs this guards against: "slower" in a voice routine moved the timeline but
the cues were still rendered at the old rate; "slower" in the symptom check was never
saved (the session saved the menu dialog's copy); `backcare triage --rate` was ignored
in voice mode.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.content import shipped_content
from support.outputs import RecordingPlayback

from harness.people import ScriptedPerson
from harness.speech import have
from voice.clock import VirtualClock
from voice.conversation.dialog.engine import Dialog
from voice.conversation.routine.player import Player
from voice.conversation.routine.timeline import estimated
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.person.voice import voice_person
from voice.preferences import Preferences, PreferenceStore
from voice.session.spoken import VoiceOptions, session_preferences
from voice.speech.tts import EspeakEngine, Renderer

CONTENT = shipped_content()


def test_slower_in_the_symptom_check_is_the_rate_the_rest_of_the_session_reads():
    person = ScriptedPerson({"menu": "check my symptoms", "age": ["slower", "40"],
                             "location": "stop"})
    clock = person.clock
    transcript = Transcript(clock)
    settings = Settings()

    def triage(_routine, _values) -> None:
        Dialog(CONTENT.triage, CONTENT.intents, person, clock, settings, transcript).run()

    Dialog(CONTENT.session, CONTENT.intents, person, clock, settings, transcript,
           handoffs={"triage": triage}).run()
    assert person.preferences.now.rate_wpm == 150
    saved = Preferences(rate_wpm=170, voice="en-gb")
    assert person.preferences.to_save(saved) == Preferences(rate_wpm=150, voice="en-gb")


def test_a_second_dialog_starts_from_the_rate_the_first_one_left():
    person = ScriptedPerson({"age": ["slower", "40"], "location": "stop"})
    clock = person.clock
    transcript = Transcript(clock)
    Dialog(CONTENT.triage, CONTENT.intents, person, clock, Settings(), transcript).run()
    person.answers = {"today_screen": ["slower", "stop"]}
    Dialog(CONTENT.prescreen, CONTENT.intents, person, clock, Settings(), transcript).run()
    assert [e["wpm"] for e in transcript.of("rate")] == [150, 130]


def test_a_rate_given_on_the_command_line_overrides_the_saved_one_for_the_session_only():
    saved = Preferences(rate_wpm=200, voice="en-gb", volume=0.8, earcons=False)
    assert session_preferences(saved, VoiceOptions()).now == saved
    chosen = session_preferences(saved, VoiceOptions(rate_wpm=300, timeout=0))
    assert chosen.now == Preferences(rate_wpm=300, voice="en-gb", volume=0.8, earcons=False,
                                     time_limit_s=None)
    assert chosen.to_save(saved) is None  # nothing the person said: nothing to save
    chosen.step_rate(-20)
    assert chosen.to_save(saved) == Preferences(rate_wpm=280, voice="en-gb", volume=0.8,
                                                earcons=False)


class SaysSlowerAt:
    """A microphone on a virtual clock: quiet, then at `at` seconds one loud burst the VAD
    takes for speech. A read that may wait advances the clock by the block it returns; one
    that may not finds nothing new, as on a real-time stream."""

    def __init__(self, at: float, clock: VirtualClock):
        self.clock = clock
        self.at = at

    def read_timed(self, timeout: float):
        if timeout <= 0:
            return None
        start = self.clock.now()
        self.clock.advance(0.02)
        burst = self.at <= start < self.at + 0.5
        rng = np.random.default_rng(int(start * 50))
        block = (rng.normal(0, 6000, 320) if burst else np.zeros(320)).astype(np.int16)
        return block, start


class Hears:
    """A recogniser that hears `text` in every utterance."""

    name = "test"

    def __init__(self, text: str):
        self.text = text

    def decode(self, audio, context):
        from voice.understanding.base import Recognition

        return Recognition(self.text, True, 1.0, self.name, len(audio) / 16000, 0.0)


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
def test_slower_in_a_voice_routine_changes_the_timeline_and_the_rendered_speech(tmp_path):
    renderer = Renderer(EspeakEngine(), tmp_path)
    playback = RecordingPlayback()
    book = CONTENT.book
    clock = VirtualClock()
    transcript = Transcript(clock)
    preferences = PreferenceStore(Preferences(rate_wpm=170, earcons=False))
    microphone = SaysSlowerAt(3.0, clock)
    person = voice_person(renderer, playback, microphone, Hears("slower"), CONTENT.intents,
                          preferences, clock, transcript)
    player = Player(book, book.routines["desk_break"], CONTENT.intents, person, clock,
                    lambda wpm: estimated(wpm), Settings(), transcript, ask_pain=False)
    player.run()
    assert [e["wpm"] for e in transcript.of("rate")] == [150]
    assert preferences.now.rate_wpm == 150  # the owner, which the session saves
    samples, label = playback.clips[-1]
    assert label == "closing"
    closing = book.cues["closing"]
    assert np.array_equal(samples, renderer.render(closing, 150).samples)
    assert not np.array_equal(samples, renderer.render(closing, 170).samples)
