"""A recogniser or speech engine that fails halfway through a voice session: the session says
so, ends cleanly for the text mode to carry on, and the journal records how it ended."""

from __future__ import annotations

from voice.audio.alsa import AlsaMessages
from voice.clock import VirtualClock
from voice.conversation.content import load_content
from voice.journal.store import Journal
from voice.person.scripted import ScriptedPerson
from voice.preferences import Preferences, PreferenceStore
from voice.session import spoken as session
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
                       AlsaMessages()), 0

    monkeypatch.setattr(session, "open_voice", opened)
    return devices


def test_a_recogniser_that_fails_mid_session_ends_it_cleanly_and_the_journal_says_error(
        tmp_path, monkeypatch, capsys):
    content = load_content()
    devices = _session_on(monkeypatch, BreaksOnThirdAnswer(RuntimeError("model.bin: unexpected end of file")))
    status = run_voice_session(content, VoiceOptions(data_dir=str(tmp_path)))
    assert status == -1  # the caller carries on in text mode
    assert "The speech system failed (RuntimeError: model.bin: unexpected end of file)" in (
        capsys.readouterr().err)
    assert devices.closed == [True, True]
    [kept] = Journal(tmp_path).sessions()
    assert kept.complete and kept.end_reason == "error" and kept.mode == "voice"


def test_ctrl_c_in_a_voice_session_closes_the_devices_and_the_journal_session(
        tmp_path, monkeypatch):
    content = load_content()
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
