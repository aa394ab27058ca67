"""One owner for the speech rate: the channel. Every part of a session reads it there.

The three bugs this guards against: "slower" in a voice routine moved the timeline but
the cues were still rendered at the old rate; "slower" in the symptom check was never
saved (the session saved the menu dialog's copy); `backcare triage --rate` was ignored
in voice mode.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from support.outputs import RecordingPlayback
from support.people import ScriptedPerson
from support.speech import have

from voice.clock import VirtualClock
from voice.content import load_content
from voice.conversation.dialog import Dialog
from voice.conversation.player import Player
from voice.conversation.routines import load_book
from voice.conversation.settings import Settings
from voice.conversation.timeline import estimated
from voice.playback import ScriptedCommands
from voice.preferences import Preferences
from voice.session import SpokenCues, VoiceOptions, session_preferences
from voice.speech.tts import EspeakEngine, Renderer
from voice.transcript import Transcript
from voice.voice_channel import VoiceChannel

CONTENT = load_content()


def test_slower_in_the_symptom_check_is_the_rate_the_rest_of_the_session_reads():
    person = ScriptedPerson({"menu": "check my symptoms", "age": ["slower", "40"],
                             "location": "stop"})
    clock = VirtualClock()
    transcript = Transcript(clock)
    settings = Settings(rate_wpm=170)

    def triage(_routine, _values) -> None:
        Dialog(CONTENT.triage, CONTENT.intents, person, clock, settings, transcript).run()

    Dialog(CONTENT.session, CONTENT.intents, person, clock, settings, transcript,
           handoffs={"triage": triage}).run()
    assert person.rate_wpm == 150  # what run_voice_session saves


def test_a_second_dialog_starts_from_the_rate_the_first_one_left():
    person = ScriptedPerson({"age": ["slower", "40"], "location": "stop"})
    clock = VirtualClock()
    Dialog(CONTENT.triage, CONTENT.intents, person, clock, Settings(rate_wpm=170)).run()
    person.answers = {"today_screen": ["slower", "stop"]}
    Dialog(CONTENT.prescreen, CONTENT.intents, person, clock, Settings(rate_wpm=170)).run()
    assert person.rates == [150, 130]


def test_a_rate_given_on_the_command_line_overrides_the_saved_one_for_the_session():
    saved = Preferences(rate_wpm=200, voice="en-gb", volume=0.8, earcons=False)
    assert session_preferences(saved, VoiceOptions()) == saved
    chosen = session_preferences(saved, VoiceOptions(rate_wpm=300))
    assert chosen == Preferences(rate_wpm=300, voice="en-gb", volume=0.8, earcons=False)


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
def test_slower_in_a_voice_routine_changes_the_timeline_and_the_rendered_speech(tmp_path):
    renderer = Renderer(EspeakEngine(), tmp_path)
    playback = RecordingPlayback()
    channel = VoiceChannel(renderer, playback, None, None, Preferences(rate_wpm=170, earcons=False))
    book = load_book(CONTENT.folder)
    clock = VirtualClock()
    transcript = Transcript(clock)
    player = Player(book, book.routines["desk_break"], CONTENT.intents, SpokenCues(channel),
                    ScriptedCommands(clock, [(3.0, "slower")]), clock,
                    lambda wpm: estimated(wpm), Settings(rate_wpm=channel.rate_wpm), transcript,
                    ask_pain=False)
    player.run()
    assert [e["wpm"] for e in transcript.of("rate")] == [150]
    assert channel.rate_wpm == 150  # the owner, which the session saves
    samples, label = playback.clips[-1]
    assert label == "closing"
    closing = book.cues["closing"]
    assert np.array_equal(samples, renderer.render(closing, 150).samples)
    assert not np.array_equal(samples, renderer.render(closing, 170).samples)


@pytest.mark.slow
def test_slower_said_in_a_spoken_symptom_check_is_saved(tmp_path):
    from support.spoken_session import speak_session
    from test_hands_free import _daemon_or_skip

    with _daemon_or_skip() as daemon:
        process, events, err = speak_session(
            daemon.env, tmp_path, {"menu": "check my symptoms", "age": ["slower", "forty"],
                                   "location": "stop"})
    assert process.returncode == 0, err[-3000:]
    assert [e["wpm"] for e in events if e["event"] == "rate"] == [330]
    saved = json.loads((tmp_path / "config" / "preferences.json").read_text())
    assert saved["rate_wpm"] == 330  # the harness starts the session at 350
