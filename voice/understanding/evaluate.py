"""Recognition measured on a manifest of recorded clips (`backcare eval`).

Each clip is streamed through the real endpointer and recogniser in the
context its category implies.  The expected intent is what the text matcher
makes of the clip's transcript in that context; a clip whose transcript
means nothing there must be rejected, and any intent for it is a false accept.
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np

from ..audio.sources import SAMPLE_RATE, blocks, read_audio, with_silence
from .base import Recognizer, understand
from .intents.model import IntentSet
from .listener import recognise_stream
from .vad import VadConfig

CATEGORY_CONTEXTS = {
    "answer": ("yes_no",),
    "digit": ("pain_scale",),
    "command": ("player",),
    "out_of_domain": ("yes_no", "pain_scale", "player"),
    "noise": ("yes_no", "pain_scale", "player"),
}
# Contexts heard as commands (a routine's), with the shorter wait for the end; the others
# as answers to a question.
COMMAND_CONTEXTS = frozenset({"player", "barge_in"})
UNVERIFIED = "UNVERIFIED:"


class Outcome(str, Enum):
    """What became of one clip in one context. Members are named as their values, so the JSON,
    the tables and a string lookup all read the same."""

    correct = "correct"
    wrong = "wrong"  # understood as another answer
    rejected = "rejected"  # an answer here, refused
    false_accept = "false_accept"  # nothing here, taken as an answer
    correct_reject = "correct_reject"
    excluded = "excluded"  # an unverified transcript: counted nowhere


@dataclass(frozen=True)
class Clip:
    file: Path
    transcript: str
    category: str

    @property
    def verified(self) -> bool:
        return not self.transcript.startswith(UNVERIFIED)


@dataclass
class Decode:
    """One clip decoded in one context, and how it came out."""

    file: str
    category: str
    context: str
    transcript: str
    expected: str | None
    expected_slots: dict
    intent: str | None
    slots: dict
    text: str
    accepted: bool
    score: float
    confidence: float
    outcome: Outcome
    audio_s: float
    decode_ms: float
    latency_ms: float | None
    reason: str = ""
    features: dict = field(default_factory=dict)


def read_manifest(path: Path | str) -> list[Clip]:
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source, delimiter="\t"))
    missing = {"file", "transcript", "category"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(f"{path}: manifest lacks columns {', '.join(sorted(missing))}")
    clips = []
    for row in rows:
        if row["category"] not in CATEGORY_CONTEXTS:
            raise ValueError(f"{path}: unknown category {row['category']!r} for {row['file']}")
        clips.append(Clip(path.parent / row["file"], row["transcript"].strip(), row["category"]))
    return clips


def classify(expected: str | None, expected_slots: dict, intent: str | None, slots: dict,
             counted: bool) -> Outcome:
    if not counted:
        return Outcome.excluded
    if expected is None:
        return Outcome.false_accept if intent is not None else Outcome.correct_reject
    if intent is None:
        return Outcome.rejected
    return Outcome.correct if intent == expected and slots == expected_slots else Outcome.wrong


def evaluate(clips: list[Clip], recognizer: Recognizer, intents: IntentSet,
             vad: VadConfig | None = None, progress: Callable[[int, int], None] | None = None
             ) -> list[Decode]:
    results: list[Decode] = []
    for index, clip in enumerate(clips):
        audio = with_silence(read_audio(clip.file))
        for context in CATEGORY_CONTEXTS[clip.category]:
            if context not in recognizer.contexts():
                continue
            results.append(_decode_clip(clip, audio, context, recognizer, intents, vad))
        if progress:
            progress(index + 1, len(clips))
    return results


def _decode_clip(clip: Clip, audio: np.ndarray, context: str, recognizer: Recognizer,
                 intents: IntentSet, vad: VadConfig | None) -> Decode:
    expected = intents.match(clip.transcript, context) if clip.verified else None
    # Out-of-domain and noise clips stay negatives even when their words are unverified.
    counted = clip.verified or clip.category in ("out_of_domain", "noise")
    began = time.perf_counter()
    heard = recognise_stream(blocks(audio), recognizer, context, vad,
                             answer=context not in COMMAND_CONTEXTS)
    wall = time.perf_counter() - began
    if heard is None:
        match_intent, match_slots = None, {}
        text, accepted, score, confidence, reason, latency, features = "", False, 0.0, 0.0, \
            "no speech detected", None, {}
        decode_ms = wall * 1000
    else:
        match = understand(heard.recognition, intents, context)
        match_intent, match_slots = match.intent, dict(match.slots)
        rec = heard.recognition
        text, accepted, score, confidence, reason = rec.text, rec.accepted, rec.score, \
            rec.confidence, rec.reason
        latency = heard.latency_s * 1000
        decode_ms = rec.decode_s * 1000
        features = dict(rec.details.get("features", {}))
    exp_intent = expected.intent if expected else None
    exp_slots = dict(expected.slots) if expected else {}
    return Decode(
        file=str(clip.file), category=clip.category, context=context, transcript=clip.transcript,
        expected=exp_intent, expected_slots=exp_slots, intent=match_intent, slots=match_slots,
        text=text, accepted=accepted, score=float(score) if np.isfinite(score) else -99.0,
        confidence=round(float(confidence), 3),
        outcome=classify(exp_intent, exp_slots, match_intent, match_slots, counted),
        audio_s=round(len(audio) / SAMPLE_RATE, 3), decode_ms=round(decode_ms, 2),
        latency_ms=round(latency, 1) if latency is not None else None, reason=reason,
        features=features)


def _rate(items: list[Decode], outcome: Outcome) -> float:
    return round(sum(d.outcome == outcome for d in items) / len(items), 4) if items else 0.0


def summarise(results: list[Decode], n_clips: int, engine: str) -> dict:
    positives = [d for d in results if d.outcome in (Outcome.correct, Outcome.wrong, Outcome.rejected)]
    negatives = [d for d in results if d.outcome in (Outcome.false_accept, Outcome.correct_reject)]
    latencies = [d.latency_ms for d in results if d.latency_ms is not None]
    audio = sum(d.audio_s for d in results)
    decode = sum(d.decode_ms for d in results) / 1000
    per_category: dict[str, dict] = {}
    per_word: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for d in results:
        bucket = per_category.setdefault(d.category, defaultdict(int))
        bucket[d.outcome] += 1
        if d.outcome is not Outcome.excluded:
            per_word[f"{d.transcript} [{d.context}]"][d.outcome] += 1
    return {
        "engine": engine,
        "n_clips": n_clips,
        "n_decodes": len(results),
        "n_in_vocab": len(positives),
        "n_negative": len(negatives),
        "in_vocab_accuracy": _rate(positives, Outcome.correct),
        "wrong_rate": _rate(positives, Outcome.wrong),
        "rejected_in_vocab_rate": _rate(positives, Outcome.rejected),
        "false_accept_rate": _rate(negatives, Outcome.false_accept),
        "rtf": round(decode / audio, 4) if audio else 0.0,
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 1) if latencies else None,
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 1) if latencies else None,
        "per_category": {k: dict(v) for k, v in per_category.items()},
        "per_word": {k: dict(v) for k, v in sorted(per_word.items())},
        "clips": [asdict(d) for d in results],
    }


def report_text(summary: dict) -> str:
    """The summary as Markdown (also readable as plain text)."""
    lines = [
        f"# Recognition evaluation ({summary['engine']})", "",
        f"- clips: {summary['n_clips']}, decodes: {summary['n_decodes']} "
        f"({summary['n_in_vocab']} in-vocabulary, {summary['n_negative']} that must be rejected)",
        f"- in-vocabulary accuracy: {summary['in_vocab_accuracy']:.1%} "
        f"(wrong {summary['wrong_rate']:.1%}, rejected {summary['rejected_in_vocab_rate']:.1%})",
        f"- false accepts (out-of-domain and noise): {summary['false_accept_rate']:.1%}",
        f"- real-time factor: {summary['rtf']}",
        f"- latency from end of speech to intent: p50 {summary['latency_p50_ms']} ms, "
        f"p95 {summary['latency_p95_ms']} ms", "",
        "| category | correct | wrong | rejected | false accepts | correct rejects | excluded |",
        "|---|---|---|---|---|---|---|",
    ]
    for category, counts in sorted(summary["per_category"].items()):
        lines.append(f"| {category} | {counts.get('correct', 0)} | {counts.get('wrong', 0)} | "
                     f"{counts.get('rejected', 0)} | {counts.get('false_accept', 0)} | "
                     f"{counts.get('correct_reject', 0)} | {counts.get('excluded', 0)} |")
    lines += ["", "| word [context] | correct | wrong | rejected | false accepts | correct rejects |",
              "|---|---|---|---|---|---|"]
    for word, counts in summary["per_word"].items():
        lines.append(f"| {word} | {counts.get('correct', 0)} | {counts.get('wrong', 0)} | "
                     f"{counts.get('rejected', 0)} | {counts.get('false_accept', 0)} | "
                     f"{counts.get('correct_reject', 0)} |")
    return "\n".join(lines) + "\n"
