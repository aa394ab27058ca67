"""Speech out as audio: each utterance is rendered to samples before it is played.

Rendering first (never `pyttsx3.say()`) means the program knows exactly how long
each utterance lasts, can schedule cues around it, and can cut it off.  The
default voice is the natural one (`hibari_engine.py`); espeak-ng through pyttsx3
is the voice a user can choose instead ("espeak": many screen-reader users
prefer it at high rates), and the fallback when the natural voice cannot load.
pyttsx3 is used from one worker thread only: two threads inside `runAndWait` at
once hang for ever.  If pyttsx3 cannot start, the espeak-ng command line is
used; if neither is there, the caller prints instead.  Renderings are cached on
disk by engine, voice, rate and text, so cues are ready before they are needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..audio.sources import SAMPLE_RATE, AudioFileError, read_audio
from ..content.paths import speech_cache_dir

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
# Between two sentences rendered apart, at 170 words a minute (scaled with the rate): the
# natural voice leaves 0.72-0.82 s between sentences it renders together (measured at 120,
# 170 and 250 wpm), less the 70 ms its trimmed sentences already keep around the words.
SENTENCE_PAUSE_S = 0.7
PAUSE_RATE_WPM = 170


def sentences(text: str) -> list[str]:
    """`text` in sentences: each is rendered (and cached) on its own, so the first can play
    while the next renders."""
    return [part for part in SENTENCE_END.split(text.strip()) if part] or [text]


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # int16 mono at 16 kHz
    text: str

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


class Engine(Protocol):
    name: str

    def render_to(self, text: str, wpm: int, voice: str | None, path: Path) -> None:
        """Write `text` spoken at `wpm` as a WAV file at `path`."""


ESPEAK = "espeak"  # the voice id that chooses espeak-ng ("espeak:en-gb": one of its voices)


def espeak_voice(voice: str | None) -> str | None:
    """espeak-ng's own voice name in a voice id, if any: other engines' voices are not its."""
    if voice and voice.startswith(f"{ESPEAK}:"):
        return voice.split(":", 1)[1] or None
    return None


class EspeakEngine:
    name = "espeak-ng"

    def __init__(self) -> None:
        if shutil.which("espeak-ng") is None:
            raise RuntimeError("espeak-ng is not installed")

    def render_to(self, text: str, wpm: int, voice: str | None, path: Path) -> None:
        command = ["espeak-ng", "-z", "-s", str(wpm), "-w", str(path)]
        if espeak_voice(voice):
            command += ["-v", espeak_voice(voice) or ""]
        subprocess.run([*command, text], check=True, capture_output=True)


class Pyttsx3Engine:
    """pyttsx3 on its own thread: every call is queued to that one thread."""

    name = "pyttsx3"

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        ready: queue.Queue = queue.Queue()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        error = ready.get(timeout=30)
        if error is not None:
            raise RuntimeError(f"pyttsx3 could not start: {error}")

    def _serve(self, ready: queue.Queue) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
        except Exception as error:  # any driver failure means "use the fallback"
            ready.put(error)
            return
        ready.put(None)
        while True:
            text, wpm, voice, path, done = self._jobs.get()
            try:
                engine.setProperty("rate", wpm)  # getProperty('rate') lies in 2.99; we never read it
                if espeak_voice(voice):
                    engine.setProperty("voice", espeak_voice(voice))
                with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to ..."
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                done.put(None)
            except Exception as error:
                done.put(error)

    def render_to(self, text: str, wpm: int, voice: str | None, path: Path) -> None:
        done: queue.Queue = queue.Queue()
        self._jobs.put((text, wpm, voice, path, done))
        error = done.get(timeout=60)
        if error is not None:
            raise RuntimeError(f"pyttsx3 failed to render {text!r}: {error}")


class Renderer:
    """Renders and caches utterances with one engine."""

    def __init__(self, engine: Engine, cache_dir: Path, fallback: Engine | None = None):
        self.engine = engine
        self.cache_dir = cache_dir
        self.fallback = fallback
        self.rendered = 0  # renders actually performed (cache misses)
        self._durations: dict[tuple[str, int, str | None], float] = {}
        self._lock = threading.Lock()  # one rendering at a time: an engine is not shared
        self._turn = threading.Condition()
        self._wanted = 0  # renders the session is waiting for: the prefetch gives way to them

    def render(self, text: str, wpm: int, voice: str | None = None) -> Speech:
        """`text` spoken, from the cache or rendered now, ahead of any prefetching."""
        parts = [part.samples for part in self.pieces(text, wpm, voice)]
        return Speech(np.concatenate(parts) if len(parts) > 1 else parts[0], text)

    def pieces(self, text: str, wpm: int, voice: str | None = None) -> Iterator[Speech]:
        """`text` sentence by sentence, each rendered when it is asked for and each but the
        last followed by the pause between sentences: a long line's first words can sound
        after one sentence's rendering, not the whole line's."""
        parts = sentences(text)
        pause = np.zeros(int(SENTENCE_PAUSE_S * PAUSE_RATE_WPM / wpm * SAMPLE_RATE), np.int16)
        for index, part in enumerate(parts):
            speech = self._sentence(part, wpm, voice)
            if index < len(parts) - 1:
                speech = Speech(np.concatenate([speech.samples, pause]), part)
            yield speech

    def cached(self, text: str, wpm: int, voice: str | None = None) -> bool:
        """Whether all of `text` is rendered already."""
        return all(self.path(part, wpm, voice).exists() for part in sentences(text))

    def _sentence(self, text: str, wpm: int, voice: str | None) -> Speech:
        path = self.path(text, wpm, voice)
        if not path.exists():
            with self._turn:
                self._wanted += 1
            try:
                self._render(text, wpm, voice, path)
            finally:
                with self._turn:
                    self._wanted -= 1
                    self._turn.notify_all()
        return Speech(read_audio(path), text)

    def path(self, text: str, wpm: int, voice: str | None = None) -> Path:
        """Where the sentence `text` at `wpm` in `voice` is (or will be) cached: keyed by engine, voice, rate
        and text. A file there is whole (it is moved in once written)."""
        key = hashlib.sha1(f"{self.engine.name}|{voice}|{wpm}|{text}".encode()).hexdigest()[:20]
        return self.cache_dir / f"{key}.wav"

    def _render(self, text: str, wpm: int, voice: str | None, path: Path) -> None:
        with self._lock:
            if path.exists():  # rendered meanwhile by the other thread
                return
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=self.cache_dir) as scratch:
                partial = Path(scratch) / "speech.wav"
                # pyttsx3 2.99 writes an empty file for about one call in five (measured
                # here); retry, then use the fallback engine. Empty audio is never cached.
                engines = [self.engine] * 2 + ([self.fallback] if self.fallback else [])
                for engine in engines:
                    engine.render_to(text, wpm, voice, partial)
                    if _has_audio(partial):
                        break
                else:
                    raise RuntimeError(f"{self.engine.name} rendered no audio for {text!r}")
                os.replace(partial, path)
            self.rendered += 1

    def prefetch(self, texts: list[str], wpm: int, voice: str | None = None) -> threading.Thread:
        """Render `texts` in the background, in order, so replies need no rendering when they
        are due (an uncached pyttsx3 rendering takes a few hundred milliseconds).

        It never holds the session up: before each rendering it waits while the session is
        waiting for one of its own (a lock alone would let this loop take it back at once,
        again and again, on a starved CPU), and on Linux the thread runs at a lower priority
        than the session's own work."""

        def work() -> None:
            _lower_this_thread()
            for text in (part for line in texts for part in sentences(line)):
                path = self.path(text, wpm, voice)
                if path.exists():
                    continue
                with self._turn:
                    self._turn.wait_for(lambda: self._wanted == 0)
                try:
                    self._render(text, wpm, voice, path)
                except RuntimeError:
                    pass  # rendered again, and reported, when it is really needed

        thread = threading.Thread(target=work, name="speech-prefetch", daemon=True)
        thread.start()
        return thread

    def duration(self, wpm: int, voice: str | None = None) -> Callable[[str], float]:
        """A duration function for the timeline, from real renderings (remembered, so building
        an exercise's schedule reads no audio files)."""

        def duration(text: str) -> float:
            key = (text, wpm, voice)
            if key not in self._durations:
                self._durations[key] = self.render(text, wpm, voice).duration_s
            return self._durations[key]

        return duration



def make_renderer(voice: str | None = None, cache_dir: Path | None = None,
                  ) -> tuple[Renderer | None, str]:
    """The renderer for a voice id (None: the natural voice's default; "espeak": espeak-ng),
    and a one-line message when it fell back to another engine."""
    cache_dir, problems = _writable(cache_dir or speech_cache_dir()), []
    engines: list[Callable[[], Engine]] = [Pyttsx3Engine, EspeakEngine]
    if voice != ESPEAK and not espeak_voice(voice):
        engines.insert(0, lambda: _natural(voice))
    for make in engines:
        try:
            engine = make()
        except RuntimeError as error:
            problems.append(str(error))
            continue
        note = "" if not problems else f"Speech: using {engine.name} ({'; '.join(problems)})."
        if cache_dir.name.startswith("backcare-speech-"):
            note = (note + " " if note else "") + (
                f"The speech cache could not be written, so this session uses {cache_dir}.")
        fallback = None
        if engine.name != "espeak-ng" and shutil.which("espeak-ng"):
            fallback = EspeakEngine()
        return Renderer(engine, cache_dir, fallback), note
    return None, "Speech output is not available (" + "; ".join(problems) + "); printing instead."


def _natural(voice: str | None) -> Engine:
    from ..modelfiles.find import installed_voices
    from .hibari_engine import DEFAULT_VOICE, HibariEngine

    return HibariEngine(installed_voices(), voice=voice or DEFAULT_VOICE)


def _lower_this_thread(step: int = 5) -> None:
    """Linux schedules each thread on its own: this one `step` nicer than the process."""
    if sys.platform != "linux":
        return  # elsewhere the call would change the whole process (or another one)
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + step))
    except OSError:
        pass  # not allowed here: the prefetch still gives way to the session's renders


def _writable(folder: Path) -> Path:
    """`folder`, or a fresh temporary one when it cannot be made or written (a read-only home):
    speech is rendered all the same, only not kept for next time."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        return folder
    except OSError:
        return Path(tempfile.mkdtemp(prefix="backcare-speech-"))


def _has_audio(path: Path) -> bool:
    try:
        return path.exists() and path.stat().st_size > 44 and len(read_audio(path)) > 0
    except AudioFileError:
        return False
