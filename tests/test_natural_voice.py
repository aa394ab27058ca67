"""The natural voice (hibari): the default, as fast as espeak-ng at the same rate, saying
numbers to dial digit by digit, its other voices downloaded and checked, espeak-ng chosen by
name, and one line when it cannot load."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_models import _Server

from harness.speech import have
from voice.content.yamlsource import ContentError
from voice.modelfiles.catalog import load_catalog
from voice.modelfiles.download import download
from voice.modelfiles.find import installed_voices
from voice.preferences import Preferences
from voice.session.spoken import VoiceOptions, session_preferences
from voice.speech.hibari_engine import HibariEngine, _trimmed
from voice.speech.rate import load_calibration
from voice.speech.tts import EspeakEngine, Renderer, make_renderer

hibari = pytest.importorskip("hibari", reason="the natural voice is not installed")
BUNDLED = Path(hibari.__file__).parent / "assets" / "hibari.onnx"
INSTRUCTIONS = ["Sit tall and look straight ahead.", "Slowly turn your head to the left.",
                "Keep the other shoulder down.", "Breathe in going up, and out going down."]


@pytest.fixture(scope="module")
def engine() -> HibariEngine:
    return HibariEngine()


def test_the_natural_voice_is_the_default(tmp_path):
    renderer, note = make_renderer(None, cache_dir=tmp_path)
    assert renderer is not None and renderer.engine.name == "hibari" and note == ""


def test_speech_is_slower_at_a_lower_rate_and_trimmed_of_the_silence_around_it(engine, tmp_path):
    renderer = Renderer(engine, tmp_path)
    slow, fast = renderer.render("Ten seconds left.", 120), renderer.render("Ten seconds left.", 300)
    assert 0.3 < fast.duration_s < slow.duration_s < 2.5
    for speech in (slow, fast):
        level = np.abs(speech.samples.astype(float))
        assert level[:int(0.03 * 16000)].max() > 0.01 * level.max()  # it starts with the word


def test_a_count_fits_its_seconds(engine):
    for word in ("Three.", "Two.", "One."):
        assert len(engine.samples(word, 170)) / 16000 < 0.9


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
def test_the_same_rate_sounds_as_fast_in_both_voices(engine, tmp_path):
    espeak = Renderer(EspeakEngine(), tmp_path)
    for wpm in (140, 170, 250):
        natural = sum(_sounding_s(engine.samples(t, wpm)) for t in INSTRUCTIONS)
        robotic = sum(_sounding_s(espeak.render(t, wpm).samples) for t in INSTRUCTIONS)
        assert abs(natural / robotic - 1) < 0.2, (wpm, natural, robotic)


def _sounding_s(samples: np.ndarray) -> float:
    level = np.abs(samples.astype(float))
    loud = np.nonzero(level > level.max() * 0.01)[0]
    return (loud[-1] - loud[0]) / 16000


def test_a_number_to_dial_said_digit_by_digit_is_heard_so(engine):
    tts = engine._load("heart")
    assert "hˈʌndɹəd" not in "".join(tts.phonemize("Call 9 1 1 now."))
    assert "hˈʌndɹəd" in "".join(tts.phonemize("Call 911 now."))  # why it must be


def test_espeak_is_chosen_by_name(tmp_path):
    if not have("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    renderer, note = make_renderer("espeak", cache_dir=tmp_path)
    assert renderer is not None and renderer.engine.name in ("pyttsx3", "espeak-ng") and not note


def test_a_voice_that_is_not_downloaded_falls_back_to_espeak_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    renderer, note = make_renderer("emma", cache_dir=tmp_path)
    if renderer is not None:
        assert renderer.engine.name != "hibari"
        assert "\n" not in note and "backcare models download hibari-emma" in note


def test_a_downloaded_voice_is_checked_then_used(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    payload = BUNDLED.read_bytes()  # a real model standing in for the British voice's file
    catalog = [replace(e, sha256=hashlib.sha256(payload).hexdigest()) if e.voice == "emma" else e
               for e in load_catalog()]
    entry = next(e for e in catalog if e.voice == "emma")
    with _Server(payload) as server:
        folder = download(replace(entry, url=server.url), tmp_path / "data" / "models")
    assert installed_voices(catalog) == {"emma": folder / "voice.onnx"}
    (folder / "voice.onnx").write_bytes(payload[:-10] + b"0" * 10)  # damaged after download
    assert installed_voices(catalog) == {}
    with _Server(payload) as server:
        download(replace(entry, url=server.url), tmp_path / "data" / "models")
    speech = HibariEngine(installed_voices(catalog), voice="emma").samples("Rest.", 170)
    assert len(speech) > 1000


def test_a_damaged_calibration_names_its_line(tmp_path):
    path = tmp_path / "speech_rate.yaml"
    path.write_text("espeak:\n  - {setting: 100, wpm: 120}\n  - {setting: 170, wpm: 110}\n"
                    "hibari:\n  - {setting: 1.0, wpm: 200}\n  - {setting: 2.0, wpm: 400}\n")
    with pytest.raises(ContentError) as caught:
        load_calibration(path)
    assert caught.value.where.line == 1 and caught.value.field == "espeak"


def test_the_rate_maps_onto_a_speed_that_rises_with_it():
    calibration = load_calibration()
    speeds = [calibration.hibari_speed(wpm) for wpm in range(100, 351, 10)]
    assert speeds == sorted(speeds) and 0.4 < speeds[0] < speeds[-1] < 3.0


def test_a_voice_chosen_with_voice_is_kept_for_next_time_unlike_rate():
    store = session_preferences(Preferences(), VoiceOptions(rate_wpm=300, voice="espeak"))
    saved = store.to_save(Preferences())
    assert store.now.voice == "espeak" and saved is not None
    assert saved.voice == "espeak" and saved.rate_wpm == Preferences().rate_wpm


def test_silence_around_the_words_is_trimmed_to_a_few_hundredths():
    audio = np.concatenate([np.zeros(6000), 0.5 * np.ones(2400), np.zeros(9000)]).astype(np.float32)
    trimmed = _trimmed(audio, 24000)
    assert len(trimmed) == 2400 + int(0.02 * 24000) + int(0.05 * 24000) - 1
