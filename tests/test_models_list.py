"""`backcare models list` shows what a user can choose: one default of each kind, the voice
that speaks, nothing kept only for tests; offline advice fits the kind of model."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest
from support.cli import backcare

from voice.content.yamlsource import ContentError
from voice.modelfiles.catalog import ModelError, load_catalog
from voice.modelfiles.download import download, offline_advice

CATALOG = Path(__file__).resolve().parent.parent / "models" / "catalog.yaml"


def test_the_list_has_one_default_recogniser_and_one_default_voice_the_one_that_speaks():
    done = backcare("models", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    defaults = [line.split(":")[0].strip() for line in lines if ": the default," in line]
    assert defaults == ["whisper-tiny.en", "heart"]
    assert sum("default" in line for line in lines) == 2  # no other entry calls itself one


def test_the_korean_test_model_is_kept_in_the_catalog_and_not_listed():
    korean = next(e for e in load_catalog() if e.language == "ko")
    assert korean.hidden and korean.url
    assert "ko" not in backcare("models", "list").stdout.split()
    assert "Korean" not in backcare("models", "list").stdout


def test_every_listed_voice_says_how_to_choose_it_and_the_bundled_one_needs_no_download():
    out = backcare("models", "list").stdout
    voices = out.split("Voices (--voice):")[1]
    for name in ("heart", "emma", "fable", "fenrir", "kore"):
        assert f"\n  {name}: " in voices
    heart = next(line for line in voices.splitlines() if line.startswith("  heart:"))
    assert "installed with backcare" in heart or "not installed" in heart
    done = backcare("models", "download", "hibari-heart")
    assert done.returncode == 0 and "nothing to download" in done.stdout


def test_a_second_default_of_a_kind_is_refused(tmp_path):
    text = CATALOG.read_text(encoding="utf-8").replace(
        "  - name: hibari-emma\n    engine: hibari\n",
        "  - name: hibari-emma\n    engine: hibari\n    default: true\n")
    (tmp_path / "catalog.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="second default voice"):
        load_catalog(tmp_path / "catalog.yaml")


def test_offline_advice_for_a_voice_is_one_file_and_not_a_zip_or_model(tmp_path):
    emma = next(e for e in load_catalog() if e.voice == "emma")
    advice = offline_advice(emma, tmp_path)
    assert str(tmp_path / "hibari-emma" / "voice.onnx") in advice and "--voice emma" in advice
    assert "zip" not in advice and "--model" not in advice
    vosk = next(e for e in load_catalog() if e.name == "vosk-model-small-en-us-0.15")
    assert "unzip" in offline_advice(vosk, tmp_path) and "--model" in offline_advice(vosk, tmp_path)


def test_an_offline_voice_download_gives_the_voice_advice(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emma = next(e for e in load_catalog() if e.voice == "emma")
    with pytest.raises(ModelError) as caught:
        download(replace(emma, url=f"http://127.0.0.1:{port}/bf_emma.onnx"), tmp_path, timeout=2)
    message = str(caught.value)
    assert "offline" in message and "voice.onnx" in message and "zip" not in message
