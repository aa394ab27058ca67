"""Fit pocketsphinx's rejection model on recorded speech and write models/sphinx_rejection.yaml.

    python -m bench.tune_rejection ../shared/speech/real/manifest.tsv [--target-fa 0.05]

Every clip is decoded with rejection switched off; each complete grammar
hypothesis becomes a training example (1 = the right intent, 0 = a wrong
intent or any intent for a clip that should be rejected).  A logistic model
over the engine's features is fitted, scored by 5-fold cross-validation (folds
by clip, so no clip is scored by a model that saw it), and each context gets the
lowest threshold whose cross-validated false-accept rate is within the target.
The printed trade-off curve and figures are cross-validated, not in-sample.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml

from voice.conversation.content import load_content
from voice.understanding.evaluate import evaluate, read_manifest
from voice.understanding.sphinx_engine import FEATURES, RejectionModel, SphinxRecognizer

OUT = Path(__file__).resolve().parent.parent / "models" / "sphinx_rejection.yaml"


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 4000
                 ) -> tuple[np.ndarray, float]:
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= 0.5 * (x.T @ (p - y) / len(y) + l2 * w / len(y))
        b -= 0.5 * float(np.mean(p - y))
    return w, b


# Words and sentences that answer nothing, spoken by flite as synthetic negatives.
DISTRACTORS = [
    "banana", "television", "purple", "window", "yesterday", "tomorrow", "kitchen", "music",
    "weather", "bicycle", "elephant", "chocolate", "the news is on", "where are my keys",
    "turn on the lights", "what time is it", "good morning", "telephone", "garden", "blanket",
    "seventeen", "twenty", "forty two", "notice", "stoplight", "pausing", "hello there", "coffee",
]


def synthetic_examples(recognizer, intents):
    """Decodes of flite speech: every grammar phrase in its context, distractors in all."""
    from harness.speech import FLITE_VOICES, synthesise
    from voice.audio.sources import blocks, with_silence
    from voice.understanding.base import understand
    from voice.understanding.evaluate import Decode, classify
    from voice.understanding.listener import recognise_stream

    examples = []
    for context, phrases in recognizer.phrases.items():
        spoken = [(text, intent) for text, intent in phrases.items()]
        spoken += [(text, None) for text in DISTRACTORS]
        for text, intent in spoken:
            for voice in FLITE_VOICES:
                audio = with_silence(synthesise(text, voice))
                heard = recognise_stream(blocks(audio), recognizer, context)
                if heard is None:
                    continue
                match = understand(heard.recognition, intents, context)
                expected = intents.match(text, context) if intent else None
                exp_intent = expected.intent if expected else None
                exp_slots = dict(expected.slots) if expected else {}
                examples.append(Decode(
                    file=f"flite:{voice}:{text}", category="synthetic", context=context,
                    transcript=text, expected=exp_intent, expected_slots=exp_slots,
                    intent=match.intent, slots=dict(match.slots), text=heard.recognition.text,
                    accepted=True, score=0.0, confidence=0.0,
                    outcome=classify(exp_intent, exp_slots, match.intent, dict(match.slots), True),
                    audio_s=0.0, decode_ms=0.0, latency_ms=None,
                    features=dict(heard.recognition.details.get("features", {}))))
    return examples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("manifest")
    parser.add_argument("--target-fa", type=float, default=0.05)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true",
                        help="also train on flite speech of every grammar phrase and of other words")
    args = parser.parse_args()

    content = load_content()
    permissive = RejectionModel(weights={}, default_threshold=-1e9)
    recognizer = SphinxRecognizer(content.intents, permissive)
    results = evaluate(read_manifest(args.manifest), recognizer, content.intents)
    if args.synthetic:
        results += synthetic_examples(recognizer, content.intents)

    negatives = [r for r in results if r.outcome in ("false_accept", "correct_reject")]
    positives = [r for r in results if r.outcome in ("correct", "wrong", "rejected")]
    examples = [r for r in results if r.features and r.outcome != "excluded"]
    x = np.array([[r.features[f] for f in FEATURES] for r in examples])
    y = np.array([1.0 if r.outcome == "correct" else 0.0 for r in examples])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale

    files = sorted({r.file for r in examples})
    order = np.random.default_rng(7).permutation(len(files))
    fold_of = {files[i]: k % args.folds for k, i in enumerate(order)}
    folds = np.array([fold_of[r.file] for r in examples])
    cv = np.zeros(len(examples))
    for k in range(args.folds):
        w, b = fit_logistic(z[folds != k], y[folds != k])
        cv[folds == k] = z[folds == k] @ w + b
    weights, bias = fit_logistic(z, y)
    score_of = {id(r): s for r, s in zip(examples, cv, strict=True)}

    real_positives = [r for r in positives if r.category != "synthetic"]
    real_negatives = [r for r in negatives if r.category != "synthetic"]
    synth_positives = [r for r in positives if r.category == "synthetic"]

    def rates(threshold: dict[str, float], positives=real_positives, negatives=real_negatives
              ) -> tuple[float, float]:
        def accepted(r):
            return id(r) in score_of and score_of[id(r)] >= threshold[r.context]
        acc = np.mean([r.outcome == "correct" and accepted(r) for r in positives])
        fa = np.mean([r.outcome == "false_accept" and accepted(r) for r in negatives])
        return float(acc), float(fa)

    contexts = sorted({r.context for r in results})
    print("cross-validated trade-off (one threshold for all contexts):")
    print("threshold  in-vocab accuracy  false accepts")
    for t in np.arange(-3.0, 2.01, 0.25):
        acc, fa = rates(dict.fromkeys(contexts, t))
        print(f"{t:9.2f}  {acc:17.1%}  {fa:13.1%}")
    thresholds = {}
    for context in contexts:
        neg = [score_of[id(r)] for r in real_negatives if r.context == context
               and id(r) in score_of and r.outcome == "false_accept"]
        n_neg = sum(1 for r in real_negatives if r.context == context)
        if n_neg == 0:
            continue  # no recordings to tune on: filled in below with the strictest threshold
        allowed = int(np.floor(args.target_fa * n_neg))
        ranked = sorted(neg, reverse=True)
        thresholds[context] = float(ranked[allowed] + 1e-6) if len(ranked) > allowed else -3.0
    strictest = max(thresholds.values())
    for context in contexts:
        thresholds.setdefault(context, strictest)
    acc, fa = rates(thresholds)
    synth_acc = rates(thresholds, synth_positives, real_negatives)[0] if synth_positives else None
    if synth_acc is not None:
        print(f"flite speech of the grammar phrases accepted correctly: {synth_acc:.1%}")
    no_rejection = (np.mean([r.outcome == "correct" for r in real_positives]),
                    np.mean([r.outcome == "false_accept" for r in real_negatives]))
    print(f"without rejection: accuracy {no_rejection[0]:.1%}, false accepts {no_rejection[1]:.1%}")
    print(f"chosen per-context thresholds {thresholds}: cross-validated accuracy {acc:.1%}, "
          f"false accepts {fa:.1%}")
    document = {
        "fitted_by": f"python -m bench.tune_rejection {args.manifest} --target-fa {args.target_fa}"
                     + (" --synthetic" if args.synthetic else ""),
        "figures": {"cv_in_vocab_accuracy": round(acc, 4), "cv_false_accept_rate": round(fa, 4),
                    "no_rejection_accuracy": round(float(no_rejection[0]), 4),
                    "no_rejection_false_accept_rate": round(float(no_rejection[1]), 4),
                    "examples": len(examples),
                    "flite_phrase_accuracy": round(synth_acc, 4) if synth_acc is not None else None},
        "mean": {f: round(float(v), 5) for f, v in zip(FEATURES, mean, strict=True)},
        "scale": {f: round(float(v), 5) for f, v in zip(FEATURES, scale, strict=True)},
        "weights": {f: round(float(v), 5) for f, v in zip(FEATURES, weights, strict=True)},
        "bias": round(float(bias), 5),
        "thresholds": {k: round(v, 4) for k, v in thresholds.items()},
        "default_threshold": round(float(strictest), 4),
    }
    header = ("# Rejection model of the pocketsphinx engine: logistic weights over standardised\n"
              "# features and a threshold per context. Generated; do not edit by hand.\n")
    OUT.write_text(header + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
