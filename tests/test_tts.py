"""Speech rendering: real engines, real durations, a disk cache, and no pyttsx3 hang."""

from __future__ import annotations

import threading

import pytest

from harness.speech import have
from voice.speech.tts import EspeakEngine, Pyttsx3Engine, Renderer, make_renderer

needs_espeak = pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")


@needs_espeak
def test_espeak_renders_speech_whose_length_follows_the_rate(tmp_path):
    renderer = Renderer(EspeakEngine(), tmp_path)
    slow = renderer.render("ten seconds left", 120)
    fast = renderer.render("ten seconds left", 300)
    assert 0.5 < fast.duration_s < slow.duration_s < 3.0
    assert abs(int(slow.samples.max())) > 1000


@needs_espeak
def test_renderings_are_cached_on_disk_by_text_and_rate(tmp_path):
    renderer = Renderer(EspeakEngine(), tmp_path)
    first = renderer.render("Halfway.", 170)
    again = Renderer(EspeakEngine(), tmp_path).render("Halfway.", 170)
    assert (first.samples == again.samples).all()
    renderer.render("Halfway.", 190)
    assert renderer.rendered == 2 and len(list(tmp_path.glob("*.wav"))) == 2


@needs_espeak
def test_pyttsx3_renders_from_many_threads_without_hanging(tmp_path):
    try:
        engine = Pyttsx3Engine()
    except RuntimeError as error:
        pytest.skip(f"pyttsx3 cannot start here: {error}")
    renderer = Renderer(engine, tmp_path, fallback=EspeakEngine())
    results, errors = [], []

    def work(index: int) -> None:
        try:
            results.append(renderer.render(f"Cue number {index}.", 170).duration_s)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 6 and all(d > 0.3 for d in results)


def test_make_renderer_reports_what_it_fell_back_to(tmp_path):
    renderer, note = make_renderer(cache_dir=tmp_path)
    if renderer is None:
        assert "printing instead" in note
    else:
        assert renderer.engine.name in ("hibari", "pyttsx3", "espeak-ng")


class _Flaky:
    """A real espeak-ng engine that writes an empty file on its first call, as pyttsx3 sometimes does."""

    name = "flaky"

    def __init__(self):
        self.calls = 0
        self.inner = EspeakEngine()

    def render_to(self, text, wpm, voice, path):
        self.calls += 1
        if self.calls == 1:
            import wave

            with wave.open(str(path), "wb") as empty:
                empty.setnchannels(1)
                empty.setsampwidth(2)
                empty.setframerate(22050)
            return
        self.inner.render_to(text, wpm, voice, path)


@needs_espeak
def test_an_empty_rendering_is_retried_and_never_cached(tmp_path):
    engine = _Flaky()
    speech = Renderer(engine, tmp_path).render("Begin.", 170)
    assert engine.calls == 2 and speech.duration_s > 0.2


@needs_espeak
def test_an_engine_that_keeps_failing_falls_back_for_that_utterance(tmp_path):
    class Mute(_Flaky):
        name = "mute"

        def render_to(self, text, wpm, voice, path):
            self.calls = 0  # always the empty branch
            super().render_to(text, wpm, voice, path)

    speech = Renderer(Mute(), tmp_path, fallback=EspeakEngine()).render("Rest.", 170)
    assert speech.duration_s > 0.2
    with pytest.raises(RuntimeError, match="no audio"):
        Renderer(Mute(), tmp_path / "other").render("Rest.", 170)
