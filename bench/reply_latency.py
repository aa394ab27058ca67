"""Where a reply's time goes: whole spoken sessions, every reply stage by stage (issue 30).

    python -m bench.hands_free latency [--runs N] [--busy N] [--output-latency S]

Runs whole spoken sessions on the virtual devices (a clear triage and a short
routine, answered by flite speech) and reports the `reply` events: from the
last sample of each answer, as captured by the input stream, to the first
sample of the assistant's reply at the output stream, and each stage between
(the end decided, the words decoded and matched, the reply asked for, handed
over, written into a block).  `--output-latency` starts with another output
buffer, to measure that trade-off; holes inside the assistant's speech are
counted, since a short buffer on a busy machine breaks up.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.cue_timing import percentile
from harness.load import busy_cores
from harness.pulse import null_sink_daemon


def latency(args: argparse.Namespace) -> None:
    import json

    from harness.spoken_session import short_neck_routine, speak_session

    values, decode, slowest, memory, staged = [], [], [], [], []
    holes, deepened = [], 0
    with busy_cores(args.busy), null_sink_daemon(user_mic=True) as env:
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                folder = Path(folder)
                (folder / "config").mkdir()
                (folder / "config" / "preferences.json").write_text(json.dumps({"rate_wpm": 350}))
                answers = {"menu": "check my symptoms", "age": "forty two", "location": "my neck",
                           "pain_score": "two", "offer_stretches": "yes", "pain_after": "two"}
                peak: list[int] = []
                process, events, err = speak_session(
                    env, folder, answers, otherwise="no", limit_s=600, voice="rms",
                    extra_env={"BACKCARE_DIALOGS": str(short_neck_routine(folder)),
                               **({"BACKCARE_OUTPUT_LATENCY_S": str(args.output_latency)}
                                  if args.output_latency else {})}, peak_memory=peak,
                    speech_cache=folder / "cache")  # a first session: nothing rendered yet
                memory += peak
                engine = [e.get("name") for e in events if e["event"] == "engine"]
                outcome = [e.get("tier") for e in events if e["event"] == "outcome"]
                replies = [e["latency_ms"] for e in events if e["event"] == "reply"]
                staged += [e for e in events if e["event"] == "reply" and "decided_ms" in e]
                holes += [e["ms"] for e in events if e["event"] == "dropout"]
                deepened += sum(1 for e in events if e["event"] == "output_buffer"
                                and e.get("reason") == "dropouts")
                slowest += [(e["latency_ms"], e["to"]) for e in events if e["event"] == "reply"]
                decode += [e["decode_s"] * 1000 for e in events if e["event"] == "recognition"]
                print(f"run {run + 1}: exit {process.returncode}, engine {engine}, outcome {outcome}, "
                      f"{len(replies)} replies, peak memory {peak[0] / 1024 if peak else 0:.0f} MB",
                      flush=True)
                values += replies
    print(f"end of the user's speech to the first sample of the reply ({len(values)} replies): "
          f"p50 {percentile(values, 0.5):.0f} ms, p95 {percentile(values, 0.95):.0f} ms, "
          f"max {max(values):.0f} ms")
    print_stages(staged)
    print(f"holes inside the assistant's speech: {len(holes)} ({sum(holes):.0f} ms in all); "
          f"output buffer deepened after a hole: {deepened} time(s)")
    print("slowest: " + "; ".join(f"{ms:.0f} ms before {to!r}" for ms, to in sorted(slowest)[-3:]))
    print(f"of which decoding: p50 {percentile(decode, 0.5):.0f} ms, p95 {percentile(decode, 0.95):.0f} ms")
    if memory:
        print(f"peak resident memory of the voice session: {max(memory) / 1024:.0f} MB")


STAGES = (("decided_ms", "end of the answer decided"), ("decoded_ms", "its words decoded"),
          ("matched_ms", "their meaning matched"), ("asked_ms", "the reply asked for"),
          ("handed_ms", "its first audio handed over"),
          ("written_ms", "first sample written to a block"),
          ("latency_ms", "first sample at the device"))


def print_stages(replies: list[dict]) -> None:
    """Each stage of a reply from the end of the words, and what it added (p50 / p95): where
    the time goes.  Only replies to a recognised answer carry every stage."""
    if not replies:
        return
    print(f"stage by stage, from the end of the words ({len(replies)} replies to answers):")
    before: list[float] = [0.0] * len(replies)
    for key, label in STAGES:
        at = [e[key] for e in replies]
        step = [a - b for a, b in zip(at, before, strict=True)]
        print(f"  {label:34} p50 {percentile(at, 0.5):5.0f} ms  p95 {percentile(at, 0.95):5.0f} ms"
              f"   (this step p50 {percentile(step, 0.5):4.0f} ms, p95 {percentile(step, 0.95):4.0f} ms)")
        before = at


