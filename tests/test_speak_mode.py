"""Speakers and no microphone: the assistant speaks and reads typed answers (--speak, or by
itself when only the microphone is missing); with no sound at all, one short line and text."""

from __future__ import annotations

import io
import sys
import threading
import time
import wave
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from voice.audio.devices import Device
from voice.cli import main
from voice.clock import MonotonicClock
from voice.events.transcript import Transcript
from voice.person.spoken_text import SpokenTextPerson, spoken_text_person
from voice.preferences import Preferences, PreferenceStore
from voice.session import spoken as session
from voice.session.errors import NoSound
from voice.session.mode import ModeChoice, choose_mode
from voice.session.spoken import VoiceOptions, open_voice, run_voice_session
from voice.speech.tts import Renderer

SPEAKERS = Device(0, "speakers", 0, 2, 48000.0)
HEADSET = Device(1, "headset", 1, 2, 48000.0)
MICROPHONE = Device(2, "webcam microphone", 1, 0, 48000.0)


class Silence:
    """A speech engine that says every line as a twentieth of a second of silence."""

    name = "silence"

    def render_to(self, text: str, wpm: int, voice: str | None, path: Path) -> None:
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(16000)
            out.writeframes(np.zeros(800, np.int16).tobytes())


class QuietRenderer(Renderer):
    def prefetch(self, texts, wpm, voice=None):  # nothing to gain from rendering silence ahead
        return threading.Thread(target=lambda: None)


class Speakers:
    """Plays nothing, records every clip's label; a clip has sounded after `hold_s`."""

    lead_s = 0.0
    time = 0.0

    def __init__(self, *_args, hold_s: float = 0.0, **_kwargs):
        self.played: list[str] = []
        self.cuts = 0
        self.closed = False
        self.hold_s = hold_s

    def play(self, samples, label="", at=None, voice=True, complete=True):
        self.played.append(label)
        return SimpleNamespace(began=time.monotonic())

    def extend(self, clip, samples, last):
        pass

    def sounded(self, clip, timeout):
        if self.cuts or time.monotonic() - clip.began >= self.hold_s:
            return True
        time.sleep(min(timeout, 0.01))
        return False

    def cut(self):
        self.cuts += 1

    def close(self, abort=False):
        self.closed = True


def _person(tmp_path, stdin: str, hold_s: float = 0.0, captions: bool = True
            ) -> tuple[SpokenTextPerson, Speakers, io.StringIO]:
    speakers, out = Speakers(hold_s=hold_s), io.StringIO()
    person = spoken_text_person(QuietRenderer(Silence(), tmp_path), speakers,
                                PreferenceStore(Preferences(earcons=False)), MonotonicClock(),
                                captions=captions, stdin=io.StringIO(stdin), stdout=out)
    return person, speakers, out


# ------------------------------------------------------------------ the choice of mode
def test_speakers_without_a_microphone_choose_speak_mode_with_one_short_line():
    chosen = choose_mode([SPEAKERS])
    assert chosen.mode == "speak"
    assert chosen.notice == "No microphone found: I will speak, and you type."


def test_a_headset_is_voice_mode_unless_speak_is_asked_for():
    assert choose_mode([HEADSET]) == ModeChoice("voice", "")
    assert choose_mode([HEADSET], speak=True).mode == "speak"
    assert choose_mode([HEADSET], speak=True).notice == ""


@pytest.mark.parametrize("devices, speak, notice", [
    ([], False, "No microphone or speakers found; continuing in text."),
    ([MICROPHONE], False, "No speakers found; continuing in text."),
    ([], True, "No speakers found; continuing in text."),
])
def test_without_speakers_it_is_text_and_the_notice_is_short_and_asks_for_no_typing(
        devices, speak, notice):
    chosen = choose_mode(devices, speak=speak)
    assert chosen.mode == "text" and chosen.notice == notice
    assert len(chosen.notice.split()) <= 8 and "type" not in chosen.notice


def test_portaudio_missing_is_named_and_text_goes_on():
    chosen = choose_mode([], "PortAudio is not installed (libportaudio.so); install libportaudio2.")
    assert chosen.mode == "text"
    assert chosen.notice == ("PortAudio is not installed (libportaudio.so); install libportaudio2. "
                             "Continuing in text.")


# ------------------------------------------------------------------ the person
def test_each_line_is_spoken_and_printed_and_the_typed_answer_is_heard(tmp_path):
    person, speakers, out = _person(tmp_path, "no\n")
    person.say("Do you have a fever?", interruptible=True)
    heard = person.listen("yes_no", None, prompt_id="fever")
    assert (heard.kind, heard.text) == ("speech", "no")
    assert speakers.played == ["Do you have a fever?"]
    assert out.getvalue().splitlines()[0] == "Do you have a fever?"


def test_an_answer_typed_while_the_question_is_said_cuts_it_and_is_its_answer(tmp_path):
    person, speakers, _ = _person(tmp_path, "yes\n", hold_s=10.0)
    began = time.monotonic()
    person.say("Do any of these apply? A fever; cancer; thin bones; or weight loss?",
               interruptible=True)
    assert time.monotonic() - began < 5.0 and speakers.cuts == 1
    person.say("This line is not said: the answer is waiting.")
    assert len(speakers.played) == 1
    assert person.listen("yes_no", None, prompt_id="list").text == "yes"


def test_a_line_that_is_not_a_question_is_said_to_its_end_and_the_typing_waits(tmp_path):
    person, speakers, _ = _person(tmp_path, "stop\n", hold_s=0.3)
    person.say("I'll ask some short questions about your pain.")
    assert speakers.cuts == 0
    assert person.listen("yes_no", None, prompt_id="age").text == "stop"


def test_without_captions_nothing_is_printed_not_even_the_prompt(tmp_path):
    person, speakers, out = _person(tmp_path, "40\n", captions=False)
    person.say("First, how old are you?", interruptible=True)
    person.cue("Breathe in.", "plain", 1.0)
    assert person.listen("age", None, prompt_id="age").text == "40"
    assert out.getvalue() == "" and speakers.played == ["First, how old are you?", "plain"]


def test_with_no_speech_engine_the_lines_are_printed(tmp_path):
    out = io.StringIO()
    person = spoken_text_person(None, Speakers(), PreferenceStore(), MonotonicClock(),
                                captions=False, stdin=io.StringIO(""), stdout=out)
    person.say("First, how old are you?")
    assert out.getvalue() == "First, how old are you?\n"
    assert person.listen("age", None, prompt_id="age").kind == "closed"


# ------------------------------------------------------------------ opening the session
@pytest.fixture
def speakers_only(monkeypatch, tmp_path):
    """A machine with speakers and no microphone; opening a microphone or a recogniser fails
    the test."""
    opened: list[Speakers] = []

    def playback(*args, **kwargs):
        opened.append(Speakers())
        return opened[-1]

    def never(*_args, **_kwargs):
        raise AssertionError("speak mode must not open a microphone or load a recogniser")

    monkeypatch.setattr(session, "list_devices", lambda: ([SPEAKERS], ""))
    monkeypatch.setattr(session, "make_renderer",
                        lambda voice=None: (QuietRenderer(Silence(), tmp_path / "speech"), ""))
    (tmp_path / "speech").mkdir()
    monkeypatch.setattr(session, "Playback", playback)
    monkeypatch.setattr(session, "Microphone", never)
    monkeypatch.setattr(session, "make_recognizer", never)
    return opened


def test_no_microphone_opens_speakers_only_with_no_time_limit(speakers_only, capsys, content):
    clock = MonotonicClock()
    with Transcript(clock) as transcript:
        voice = open_voice(content, VoiceOptions(), clock, transcript)
    assert isinstance(voice.person, SpokenTextPerson) and voice.microphone is None
    assert voice.preferences.now.time_limit_s is None  # typing takes its time
    assert "time_limit_s" not in voice.preferences.changed  # and that is not saved
    assert capsys.readouterr().err == "No microphone found: I will speak, and you type.\n"
    voice.close()
    assert speakers_only[0].closed


def test_plain_backcare_with_speakers_and_no_microphone_speaks_the_menu_and_reads_typing(
        speakers_only, monkeypatch, capsys, content, tmp_path):
    monkeypatch.setattr(sys, "stdin", io.StringIO("check my symptoms\n"))
    run_voice_session(content, VoiceOptions(data_dir=str(tmp_path / "journal")))
    said = speakers_only[0].played
    out = capsys.readouterr().out.splitlines()
    assert any("symptom check" in line for line in said[:6]), said  # the menu, spoken
    assert any(line.startswith("First, how old are you?") for line in said), said
    assert "First, how old are you?" in out  # and printed as captions


def test_with_a_screen_reader_running_the_spoken_lines_are_not_printed(
        speakers_only, monkeypatch, capsys, content):
    monkeypatch.setenv("BACKCARE_SCREEN_READER", "1")
    clock = MonotonicClock()
    with Transcript(clock) as transcript:
        voice = open_voice(content, VoiceOptions(speak=True), clock, transcript)
        assert voice.person.captions is False
        voice.close()
        voice = open_voice(content, VoiceOptions(speak=True, captions=True), clock, transcript)
        assert voice.person.captions is True  # --captions wins
        voice.close()


def test_with_no_sound_at_all_the_session_gives_way_to_text_in_one_short_line(
        monkeypatch, capsys, content):
    monkeypatch.setattr(session, "list_devices", lambda: ([], ""))
    clock = MonotonicClock()
    with Transcript(clock) as transcript, pytest.raises(NoSound) as instead:
        open_voice(content, VoiceOptions(), clock, transcript)
    assert str(instead.value) == "No microphone or speakers found; continuing in text."
    assert capsys.readouterr().err == ""  # said once, by the command that carries on


def test_with_no_sound_triage_says_why_once_and_carries_on_typed(monkeypatch, capsys):
    monkeypatch.setattr(session, "list_devices", lambda: ([], ""))
    monkeypatch.setattr(sys, "stdin", io.StringIO("40\n"))
    assert main(["triage"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == ["No microphone or speakers found; continuing in text."]
    lines = out.splitlines()
    assert lines[lines.index("> 40") + 1] == "Forty, thanks."  # the typed answer was read
