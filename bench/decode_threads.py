"""How long Whisper takes to decode one answer, by the number of threads it is given.

    python -m bench.decode_threads [--clips 60] [--threads 1 2] [--busy 0 6]

Decodes the same real recordings (`../shared/speech/real`, a spread sample) in
their own contexts with each thread count, alternating so that a slow spell of
this VM falls on all of them alike, quiet and beside busy processes.  Prints
p50/p95 of the whole decode (gate, features, encoder, generation) and whether
the words came out the same: the thread count must change only the time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.cue_timing import percentile
from harness.load import busy_cores
from harness.speech import REAL_MANIFEST


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=60)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 6])
    parser.add_argument("--manifest", type=Path, default=REAL_MANIFEST)
    args = parser.parse_args(argv)
    if not args.manifest.exists():
        sys.exit(f"no recordings at {args.manifest}")

    from voice.audio.sources import read_audio
    from voice.conversation.content import load_content
    from voice.modelfiles.catalog import Engine
    from voice.modelfiles.find import find_model
    from voice.understanding.evaluate import CATEGORY_CONTEXTS, read_manifest
    from voice.understanding.whisper_engine import WhisperRecognizer

    intents = load_content().intents  # with the routines asked for by name
    clips = [clip for clip in read_manifest(args.manifest) if clip.verified
             and CATEGORY_CONTEXTS[clip.category]]
    clips = clips[:: max(1, len(clips) // args.clips)][: args.clips]
    engines = {threads: WhisperRecognizer(intents, find_model(Engine.WHISPER), threads=threads)
               for threads in args.threads}
    audio = [(read_audio(clip.file), CATEGORY_CONTEXTS[clip.category][0]) for clip in clips]
    for busy in args.busy:
        times: dict[int, list[float]] = {threads: [] for threads in engines}
        texts: dict[int, list[str]] = {threads: [] for threads in engines}
        with busy_cores(busy):
            for samples, context in audio:
                for threads, engine in engines.items():
                    began = time.perf_counter()
                    texts[threads].append(engine.decode(samples, context).text)
                    times[threads].append((time.perf_counter() - began) * 1000)
        first = texts[args.threads[0]]
        for threads in engines:
            same = sum(a == b for a, b in zip(first, texts[threads], strict=True))
            print(f"busy {busy}, {threads} thread(s), {len(audio)} clips: decode "
                  f"p50 {percentile(times[threads], 0.5):.0f} ms, "
                  f"p95 {percentile(times[threads], 0.95):.0f} ms; "
                  f"same words as {args.threads[0]} thread(s): {same}/{len(audio)}", flush=True)


if __name__ == "__main__":
    main()
