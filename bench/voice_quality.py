"""How well each voice is understood, how soon a cue's first sample is ready, and at what memory.

    python -m bench.voice_quality [--rate 170] [--voices hibari,espeak]

Twenty fixed instructions from the dialogs (the exercises' setup lines in the
book's order, twenty spread evenly over them, `{side}` read as "left") are
rendered by each voice at the user's default rate and written down by Whisper
tiny.en with no prompt (free transcription, as a listener who expects nothing);
the word error rate against the text is the intelligibility figure: a voice
people listen to for ten minutes with their eyes closed must first be
understood.  Then every distinct line of the `full` routine is rendered with an
empty cache, one after another, and the time from asking to having its first
sentence (the speaker starts the clip then and adds the next sentences as they
render) is given as p50, p95 and max, with the whole line's rendering beside
it, timing cues apart from the longer instructions (which the player says at a
pause it waits for, and prefetches); the engine's own start-up (model load and
warm-up) is printed apart.
Last, this process's peak resident memory with Whisper and every voice loaded.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.cue_timing import percentile, rate
from voice.clock import VirtualClock
from voice.conversation.content import load_content
from voice.conversation.routine.player import Player
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.person.scripted import ScriptedPerson
from voice.understanding.numbers import NumberWords

INSTRUCTIONS = 20
SPOKEN_AT_A_PAUSE = ("intro", "instruction")  # cue kinds that are not on a second
VOICES = {"hibari": None, "espeak": "espeak"}  # label -> voice id for make_renderer


def instructions() -> list[str]:
    book = load_content().book
    lines = [line.replace("{side}", "left") for e in book.exercises.values() for line in e.setup]
    if len(lines) < INSTRUCTIONS:
        raise SystemExit(f"the book has {len(lines)} instruction lines, not {INSTRUCTIONS}")
    return [lines[index * len(lines) // INSTRUCTIONS] for index in range(INSTRUCTIONS)]


def routine_lines(rate_wpm: int) -> tuple[list[str], list[str]]:
    """The distinct timing cues and the distinct other lines the full routine says.

    Timing cues ("hold for thirty seconds", "three, two, one, release") must sound
    on their second; instructions are said at a pause the player waits for.
    """
    content = load_content()
    book = content.book
    clock = VirtualClock()
    transcript = Transcript(clock)
    durations = lambda wpm: lambda text: len(text.split()) * 60 / wpm  # noqa: E731
    Player(book, book.routines["full"], content.intents,
           ScriptedPerson(clock, preferences=rate(rate_wpm)), clock, durations, Settings(),
           transcript, ask_pain=False).run()

    def distinct(timing: bool) -> list[str]:
        said = [e.get("spoken") or e["text"] for e in transcript.events
                if e["event"] == "cue" and (e["kind"] not in SPOKEN_AT_A_PAUSE) == timing]
        return list(dict.fromkeys(said))

    return distinct(True), distinct(False)


def words(text: str, number_words: NumberWords) -> list[str]:
    """Lower case, no punctuation, digits as words (the content's): "30-second" -> thirty second."""
    text = re.sub(r"\d+", lambda m: f" {number_words.to_words(int(m.group()))} " if int(m.group()) < 100
                  else m.group(), text.lower())
    return re.sub(r"[^a-z' ]+", " ", text.replace("-", " ")).split()


def edit_distance(reference: list[str], said: list[str]) -> int:
    row = list(range(len(said) + 1))
    for index, word in enumerate(reference, 1):
        previous, row[0] = row[0], index
        for column, other in enumerate(said, 1):
            previous, row[column] = row[column], min(row[column] + 1, row[column - 1] + 1,
                                                     previous + (word != other))
    return row[-1]


class FreeWhisper:
    """Whisper tiny.en with no prompt: what a listener who expects nothing would write."""

    def __init__(self) -> None:
        import ctranslate2
        import tokenizers

        from voice.modelfiles.catalog import Engine
        from voice.modelfiles.find import find_model

        folder = Path(find_model(Engine.WHISPER))
        self.model = ctranslate2.models.Whisper(str(folder), device="cpu", compute_type="int8")
        self.tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.prompt = [self.tokenizer.token_to_id(f"<|{name}|>")
                       for name in ("startoftranscript", "notimestamps")]

    def write_down(self, audio: np.ndarray) -> str:
        import ctranslate2

        from voice.understanding.logmel import log_mel

        features = log_mel(audio.astype(np.int16), 30.0)[None]
        encoded = self.model.encode(ctranslate2.StorageView.from_array(features))
        result = self.model.generate(encoded, [self.prompt], beam_size=5, max_length=200)[0]
        return self.tokenizer.decode(result.sequences_ids[0]).strip()


def peak_memory_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    from voice.speech.tts import make_renderer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=170, help="words a minute (170: the default)")
    parser.add_argument("--voices", default=",".join(VOICES), help="hibari, espeak")
    parser.add_argument("--verbose", action="store_true", help="print every line Whisper got wrong")
    args = parser.parse_args()
    lines = instructions()
    cues, others = routine_lines(args.rate)
    whisper = FreeWhisper()
    number_words = load_content().number_words
    reference_words = sum(len(words(line, number_words)) for line in lines)
    print(f"{len(lines)} instructions, {reference_words} words, at {args.rate} wpm; "
          f"the full routine says {len(cues)} distinct timing cues and {len(others)} other lines")
    for label in args.voices.split(","):
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            renderer, note = make_renderer(VOICES[label], cache_dir=Path(folder) / "speech")
            started_s = time.perf_counter() - began
            if renderer is None or (label == "hibari") != (renderer.engine.name == "hibari"):
                print(f"{label}: not available here ({note})")
                continue
            errors, wrong = 0, []
            for line in lines:
                heard = whisper.write_down(renderer.render(line, args.rate).samples)
                distance = edit_distance(words(line, number_words), words(heard, number_words))
                errors += distance
                if distance:
                    wrong.append((line, heard))
            ready: dict[str, list[float]] = {}
            whole: dict[str, list[float]] = {}
            for kind, texts in (("cue", cues), ("line", others)):
                ready[kind], whole[kind] = [], []
                for text in texts:
                    began = time.perf_counter()
                    pieces = renderer.pieces(text, args.rate)
                    next(pieces)  # the clip starts playing with this; the rest renders meanwhile
                    ready[kind].append((time.perf_counter() - began) * 1000)
                    list(pieces)
                    whole[kind].append((time.perf_counter() - began) * 1000)
            print(f"{label:7} ({renderer.engine.name}): word error {errors / reference_words:.1%} "
                  f"({errors} of {reference_words} words, {len(wrong)} of {len(lines)} lines); "
                  f"engine start {started_s * 1000:.0f} ms")
            for kind, label_ in (("cue", "timing cue"), ("line", "other line")):
                first, all_ = ready[kind], whole[kind]
                print(f"    {label_}, cold cache: first sample ready p50 "
                      f"{statistics.median(first):.0f} ms, p95 {percentile(first, 0.95):.0f} ms, "
                      f"max {max(first):.0f} ms (whole line rendered: p50 "
                      f"{statistics.median(all_):.0f}, max {max(all_):.0f} ms)")
            if args.verbose:
                for line, heard in wrong:
                    print(f"    said  {line}\n    heard {heard}")
    print(f"peak resident memory of this process (Whisper and the voices loaded): "
          f"{peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
