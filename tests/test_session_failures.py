"""A recogniser or speech engine that fails halfway through a voice session: the session says
so, ends cleanly for the text mode to carry on, and the journal records how it ended."""

from __future__ import annotations

import argparse

import pytest
from support.content import shipped_content

from voice.audio.alsa import AlsaMessages
from voice.cli.commands import session as plain_backcare
from voice.cli.errors import reported
from voice.clock import VirtualClock
from voice.journal.store import Journal
from voice.person.scripted import ScriptedPerson
from voice.person.voice import DeviceGone
from voice.preferences import Preferences, PreferenceStore
from voice.session import spoken as session
from voice.session.errors import SpeechFailed
from voice.session.spoken import VoiceIO, VoiceOptions, run_voice_session


class Closable:
    def __init__(self):
        self.closed: list[bool] = []

    def close(self, abort: bool = False) -> None:
        self.closed.append(abort)


class BreaksOnThirdAnswer(ScriptedPerson):
    """Answers the menu and the age, then its third answer raises `error` (a broken model
    file, or Ctrl-C)."""

    def __init__(self, error: BaseException):
        super().__init__(VirtualClock(), answers={"menu": "check my symptoms", "age": "40"})
        self.error = error

    def listen(self, context, deadline, prompt_id=None):
        if len(self.asked) >= 2:
            raise self.error
        return super().listen(context, deadline, prompt_id)


def _session_on(monkeypatch, person: ScriptedPerson) -> Closable:
    """The voice session opens on `person` and stand-in devices, which it returns."""
    devices = Closable()

    def opened(_content, _options, _clock, transcript):
        return VoiceIO(person, devices, devices, PreferenceStore(), Preferences(), None, "",
                       AlsaMessages())

    monkeypatch.setattr(session, "open_voice", opened)
    return devices


def test_a_recogniser_that_fails_mid_session_ends_it_cleanly_and_the_journal_says_error(
        tmp_path, monkeypatch):
    content = shipped_content()
    devices = _session_on(monkeypatch, BreaksOnThirdAnswer(RuntimeError("model.bin: unexpected end of file")))
    with pytest.raises(SpeechFailed) as failed:  # the caller carries on in text mode
        run_voice_session(content, VoiceOptions(data_dir=str(tmp_path)))
    assert "The speech system failed (RuntimeError: model.bin: unexpected end of file)" in str(
        failed.value)
    assert devices.closed == [True, True]
    [kept] = Journal(tmp_path).sessions()
    assert kept.complete and kept.end_reason == "error" and kept.mode == "voice"


def test_ctrl_c_in_a_voice_session_closes_the_devices_and_the_journal_session(
        tmp_path, monkeypatch):
    content = shipped_content()
    devices = _session_on(monkeypatch, BreaksOnThirdAnswer(KeyboardInterrupt()))
    try:
        run_voice_session(content, VoiceOptions(data_dir=str(tmp_path)))
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("Ctrl-C must reach the command, which exits 130")
    assert devices.closed == [True, True]
    [kept] = Journal(tmp_path).sessions()
    assert kept.complete and kept.end_reason == "closed" and kept.mode == "voice"


def test_speakers_that_do_not_come_back_end_the_command_with_status_3_and_one_line(
        tmp_path, monkeypatch, capsys):
    devices = _session_on(monkeypatch, BreaksOnThirdAnswer(DeviceGone("speakers")))
    status = reported(lambda: plain_backcare.run(shipped_content(), argparse.Namespace()))
    assert status == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        "backcare: The speakers did not come back, so the session has ended. Run backcare again "
        "when it is connected, or use 'backcare triage --text'.")
    assert devices.closed == [True, True]  # and no typed session was started in its place
