"""The silence that ends an answer: how long it is against answers cut and answers misheard.

    python -m bench.silence_wait [--hangovers 0.1 0.14 0.18 0.22 0.3] [--decodes 40]

Three columns per wait (the endpointer's hangover):
- **cut**: flite's four voices say "no ... but I do feel sick" with pauses of
  0.1-0.35 s; an answer is cut when the utterance ends before "but" (the worst
  cut there is: a "no" that carried a symptom heard as a plain "no");
- **real recordings changed**: the recordings of real people whose first
  utterance comes out different from the shipped answer wait's, each decoded both ways
  in its own contexts by Whisper, with how many answers that turned from right
  to wrong or back, and false accepts gained or lost;
- **words known**: from the end of the words to the decode done, p50, with the
  early decode (`SPECULATE_S`): the later of the wait and the early decode's
  start plus a decode (measured here on real recordings, one thread).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from bench.cue_timing import percentile
from harness.speech import REAL_MANIFEST

PAUSES_S = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35)
VOICES = ("slt", "rms", "awb", "kal16")


def first_utterance(audio: np.ndarray, hangover_s: float):
    """The first utterance the shipped endpointer hears with this wait, fed as the microphone
    feeds it (20 ms blocks); None if none."""
    from voice.audio.sources import blocks
    from voice.understanding.vad import Endpointer, VadConfig

    endpointer = Endpointer(VadConfig(hangover_s=hangover_s))
    for block in blocks(audio):
        utterance = endpointer.feed(block)
        if utterance is not None:
            return utterance
    return endpointer.flush()


def paused_answers() -> list[tuple[np.ndarray, int]]:
    """"No", a pause, "but I do feel sick": each with the sample where "but" begins."""
    from harness.speech import synthesise, trimmed

    said = []
    for voice in VOICES:
        no, rest = trimmed(synthesise("no", voice)), trimmed(synthesise("but I do feel sick", voice))
        for pause_s in PAUSES_S:
            lead = np.zeros(int(0.4 * 16000), np.int16)
            gap = np.zeros(int(pause_s * 16000), np.int16)
            audio = np.concatenate([lead, no, gap, rest, np.zeros(16000, np.int16)])
            said.append((audio, len(lead) + len(no) + len(gap)))
    return said


def main(argv: list[str] | None = None) -> None:
    from voice.understanding.listener import SPECULATE_S
    from voice.understanding.vad import VadConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hangovers", type=float, nargs="+", default=[0.1, 0.14, 0.18, 0.22, 0.3])
    parser.add_argument("--decodes", type=int, default=40, help="real recordings timed for a decode")
    parser.add_argument("--manifest", type=Path, default=REAL_MANIFEST)
    args = parser.parse_args(argv)
    shipped = VadConfig().answer_hangover_s

    from harness.speech import have

    if not have("flite"):
        sys.exit("flite is not installed")
    said = paused_answers()
    if not args.manifest.exists():
        sys.exit(f"no recordings at {args.manifest}")

    from voice.audio.sources import read_audio, with_silence
    from voice.conversation.content import load_content
    from voice.modelfiles.catalog import Engine
    from voice.modelfiles.find import find_model
    from voice.understanding.base import understand
    from voice.understanding.evaluate import CATEGORY_CONTEXTS, classify, read_manifest
    from voice.understanding.whisper_engine import WhisperRecognizer

    intents = load_content().intents  # with the routines asked for by name
    whisper = WhisperRecognizer(intents, find_model(Engine.WHISPER))
    clips = read_manifest(args.manifest)
    audio = [with_silence(read_audio(clip.file)) for clip in clips]
    heard = {wait: [first_utterance(samples, wait) for samples in audio]
             for wait in {*args.hangovers, shipped}}

    def outcome(clip, utterance, context: str) -> str:
        expected = intents.match(clip.transcript, context) if clip.verified else None
        counted = clip.verified or clip.category in ("out_of_domain", "noise")
        if utterance is None:
            return classify(expected.intent if expected else None,
                            dict(expected.slots) if expected else {}, None, {}, counted)
        match = understand(whisper.decode(utterance.audio, context), intents, context)
        return classify(expected.intent if expected else None,
                        dict(expected.slots) if expected else {}, match.intent,
                        dict(match.slots), counted)

    decode_ms = []
    for index in range(0, len(clips), max(1, len(clips) // args.decodes)):
        utterance, contexts = heard[shipped][index], CATEGORY_CONTEXTS[clips[index].category]
        if utterance is not None:
            began = time.perf_counter()
            whisper.decode(utterance.audio, contexts[0])
            decode_ms.append((time.perf_counter() - began) * 1000)
    decode_p50 = percentile(decode_ms, 0.5)

    print(f"shipped wait for an answer {shipped:.2f} s; early decode after {SPECULATE_S:.2f} s of silence; "
          f"a decode p50 {decode_p50:.0f} ms ({len(decode_ms)} real recordings)")
    print(f"{'wait':>6} {'cut (of ' + str(len(said)) + ')':>12} {'shortest pause cut':>20} "
          f"{'recordings changed':>19} {'right->wrong':>12} {'wrong->right':>12} "
          f"{'false accepts':>13} {'words known p50':>16}")
    for wait in sorted(args.hangovers):
        cut, cut_at = 0, []
        for (samples, but_at), pause_s in zip(said, PAUSES_S * len(VOICES), strict=True):
            utterance = first_utterance(samples, wait)
            if utterance is None or utterance.speech_end < but_at:
                cut += 1
                cut_at.append(pause_s)
        changed = [i for i, (a, b) in enumerate(zip(heard[shipped], heard[wait], strict=True))
                   if (a is None) != (b is None) or (a is not None and b is not None and (
                       a.speech_start, a.speech_end) != (b.speech_start, b.speech_end))]
        worse = better = false_accepts = 0
        for index in changed:
            for context in CATEGORY_CONTEXTS[clips[index].category]:
                before = outcome(clips[index], heard[shipped][index], context)
                after = outcome(clips[index], heard[wait][index], context)
                worse += before == "correct" and after != "correct"
                better += before != "correct" and after == "correct"
                false_accepts += (after == "false_accept") - (before == "false_accept")
        # Decoding starts after SPECULATE_S of silence; the end is decided after `wait`.
        known = max(wait, SPECULATE_S + decode_p50 / 1000) * 1000
        print(f"{wait:6.2f} {cut:12d} {min(cut_at, default=float('nan')):20.2f} {len(changed):19d} "
              f"{worse:12d} {better:12d} {false_accepts:+13d} {known:13.0f} ms", flush=True)


if __name__ == "__main__":
    main()
