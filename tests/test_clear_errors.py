"""What the world throws at backcare ends in one plain line and a non-zero exit, never a traceback.

Each case is what a new user might really do, run through the command's own `main` as the
installed `backcare` runs it (and a closed pipe through the real process, which only it shows).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from support import ROOT
from support.cli import backcare

from voice.audio.sources import SAMPLE_RATE, AudioFileError, read_audio
from voice.preferences import Preferences, load_preferences, save_preferences


def one_clear_line(done: subprocess.CompletedProcess) -> str:
    """The error as the user sees it: no traceback, something said."""
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines, "nothing was said"
    return lines[-1]


def write(path: Path, samples: np.ndarray, rate: int, **kind) -> Path:
    import soundfile

    soundfile.write(str(path), samples, rate, **kind)
    return path


def tone(seconds: float, rate: int, channels: int = 1, level: float = 0.3) -> np.ndarray:
    wave = level * np.sin(2 * np.pi * 440 * np.arange(int(seconds * rate)) / rate)
    return np.repeat(wave[:, None], channels, axis=1).astype(np.float32)


# ------------------------------------------------------------------ audio files
def test_a_text_file_given_as_audio_is_named_as_not_audio():
    done = backcare("recognize", "README.md")
    assert done.returncode == 2
    assert "README.md is not audio that can be read" in one_clear_line(done)


@pytest.mark.parametrize("kind", [
    {"format": "WAVEX", "subtype": "PCM_16"},  # WAVE_FORMAT_EXTENSIBLE (65534), as sox writes
    {"format": "WAV", "subtype": "PCM_24"},
    {"format": "WAV", "subtype": "FLOAT"},
    {"format": "FLAC"},
])
def test_stereo_44k_files_of_every_kind_are_read_as_16k_mono(tmp_path, kind):
    path = write(tmp_path / "clip.audio", tone(1.0, 44100, channels=2), 44100, **kind)
    samples = read_audio(path)
    assert samples.dtype == np.int16 and abs(len(samples) - SAMPLE_RATE) <= 2
    assert 0.2 * 32767 < np.abs(samples).max() < 0.4 * 32767


@pytest.mark.slow
def test_the_extensible_wav_sox_writes_has_format_65534_and_is_recognised(tmp_path):
    path = write(tmp_path / "stereo.wav", tone(0.5, 44100, channels=2), 44100, format="WAVEX",
                 subtype="PCM_16")
    assert int.from_bytes(path.read_bytes()[20:22], "little") == 65534
    done = backcare("recognize", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and json.loads(done.stdout)["intent"] is None


def test_8k_audio_is_resampled(tmp_path):
    samples = read_audio(write(tmp_path / "phone.wav", tone(2.0, 8000), 8000))
    assert abs(len(samples) - 2 * SAMPLE_RATE) <= 2


@pytest.mark.parametrize("make, says", [
    (lambda p: p.write_bytes(b""), "is empty"),
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: None, "does not exist"),
    (lambda p: p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt "), "is not audio that can be read"),
])
def test_files_that_hold_no_audio_say_what_is_wrong(tmp_path, make, says):
    path = tmp_path / "clip.wav"
    make(path)
    with pytest.raises(AudioFileError, match=says):
        read_audio(path)


def test_a_truncated_wav_gives_the_audio_it_has(tmp_path):
    whole = write(tmp_path / "whole.wav", tone(1.0, SAMPLE_RATE), SAMPLE_RATE, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[:44 + SAMPLE_RATE])  # the header promises twice this
    assert abs(len(read_audio(cut)) - SAMPLE_RATE // 2) <= 1


@pytest.mark.slow  # each loads the recogniser and decodes seconds to minutes of audio
@pytest.mark.parametrize("name, samples", [
    ("three minutes of silence", np.zeros(180 * SAMPLE_RATE, np.float32)),
    ("pure noise", np.random.default_rng(3).normal(0, 0.3, 4 * SAMPLE_RATE).astype(np.float32)),
    ("clipping", np.clip(tone(2.0, SAMPLE_RATE, level=3.0)[:, 0], -1, 1)),
])
def test_hard_audio_gets_an_answer_not_a_crash(tmp_path, name, samples):
    path = write(tmp_path / "hard.wav", samples, SAMPLE_RATE, subtype="PCM_16")
    done = backcare("recognize", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["intent"] is None, name


# ------------------------------------------------------------------ arguments
@pytest.mark.parametrize("args, says", [
    (("triage", "--text", "--rate", "abc"), "the speech rate is a whole number of words a minute"),
    (("triage", "--text", "--timeout", "soon"), "the time limit is a number of seconds"),
    (("triage", "--input-device", "99"), "There is no audio device 99"),
])
def test_a_wrong_option_says_what_is_wanted(args, says):
    done = backcare(*args)
    assert done.returncode == 2
    assert says in one_clear_line(done)


def test_the_version_is_one_line():
    done = backcare("--version")
    assert done.returncode == 0 and done.stdout.startswith("backcare ")


@pytest.mark.parametrize("where, says", [
    (lambda tmp: tmp / "missing" / "t.jsonl", "its folder does not exist"),
    (lambda tmp: tmp, "it is a folder"),
])
def test_a_transcript_that_cannot_be_written_is_explained(tmp_path, where, says):
    done = backcare("triage", "--text", "--transcript", str(where(tmp_path)), stdin="stop\n")
    assert done.returncode == 2
    assert says in one_clear_line(done)


@pytest.mark.smoke  # what the interpreter does with a pipe closed under it
def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen([sys.executable, "-m", "voice", "stretch", "full", "--simulate"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    errors = process.stderr.read()
    process.wait(60)
    assert first and "Traceback" not in errors and "BrokenPipe" not in errors, errors


# --------------------------------------------------------- read-only places
def test_a_data_folder_that_cannot_be_written_leaves_the_session_going(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    done = backcare("triage", "--text", "--data-dir", str(blocker / "data"), stdin="stop\n")
    assert done.returncode == 0, done.stderr
    assert "not being kept in the journal" in done.stderr and "Traceback" not in done.stderr


def test_a_model_download_to_a_folder_that_cannot_be_written_says_so_before_any_network(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    done = backcare("models", "download", "vosk-model-small-en-us-0.15", "--to",
                    str(blocker / "models"))
    assert done.returncode == 1
    assert "cannot write the model to" in one_clear_line(done)


def test_a_speech_cache_that_cannot_be_written_falls_back_to_a_temporary_one(tmp_path):
    from voice.speech.tts import _writable

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    folder = _writable(blocker / "cache")
    assert folder.name.startswith("backcare-speech-") and folder.is_dir()


# ---------------------------------------------------------------- preferences
def test_a_damaged_settings_file_is_reported_and_never_overwritten(tmp_path):
    path = tmp_path / "preferences.json"
    path.write_text("{rate_wpm: 200")
    loaded, message = load_preferences(path)
    assert loaded == Preferences() and "could not be read" in message and "left as it is" in message
    from voice.preferences import PreferencesError

    with pytest.raises(PreferencesError):
        save_preferences(Preferences(rate_wpm=150), path)
    assert path.read_text() == "{rate_wpm: 200"


def test_settings_this_version_does_not_know_are_named_and_kept(tmp_path):
    path = tmp_path / "preferences.json"
    path.write_text(json.dumps({"rate_wpm": 220, "pitch": 3}))
    loaded, message = load_preferences(path)
    assert loaded.rate_wpm == 220 and "pitch" in message
    save_preferences(Preferences(rate_wpm=240), path)
    assert json.loads(path.read_text())["pitch"] == 3

