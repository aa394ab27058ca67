"""PocketSphinx with per-context JSGF grammars and a data-tuned rejection score.

The pocketsphinx wheel ships an English model, so this works right after
`pip install` with no download.  A grammar alone accepts nearly anything (it
must pick some phrase), so each hypothesis is checked with:
- the grammar path's acoustic score per frame (pocketsphinx normalises each
  frame by its best senone score, so this says how far the phrase is from the
  best that any sound could fit);
- how far a free phone-loop decode of the same audio is from the phrase's
  pronunciation (phone edit distance, relative to the phrase's length);
- the phrase's length in frames and the phone loop's number of phones.
A logistic model over these (weights in `models/sphinx_rejection.yaml`, fitted
by `bench/tune_rejection.py` on recorded speech) gives a score; each context
has its own threshold.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..audio.sources import SAMPLE_RATE
from ..content.paths import catalog_file
from ..content.schema import Fields
from ..content.yamlsource import Where, load_yaml
from .base import Recognition, squash
from .grammar import context_phrases, jsgf
from .intents.model import IntentSet

SILENCES = {"<s>", "</s>", "<sil>", "[NOISE]", "NULL", "SIL", "+SPN+", "+NSN+"}
FEATURES = ("gpf", "dist", "frames", "phones")


@dataclass(frozen=True)
class RejectionModel:
    """Logistic weights over FEATURES (standardised) and a threshold per context."""

    mean: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FEATURES, 0.0))
    scale: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FEATURES, 1.0))
    weights: dict[str, float] = field(default_factory=lambda: {"gpf": 1.0})
    bias: float = 0.0
    thresholds: dict[str, float] = field(default_factory=dict)
    default_threshold: float = 0.0

    def score(self, features: dict[str, float]) -> float:
        total = self.bias
        for name, weight in self.weights.items():
            total += weight * (features[name] - self.mean[name]) / self.scale[name]
        return float(total)

    def threshold(self, context: str) -> float:
        return self.thresholds.get(context, self.default_threshold)


def rejection_model_path() -> Path:
    return catalog_file("sphinx_rejection.yaml")


def load_rejection_model(path: Path | None = None) -> RejectionModel:
    path = path or rejection_model_path()
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    per_feature = {name: doc.mapping(name) for name in ("mean", "scale", "weights")}
    values = {key: {f: part.number(f) for f in part.keys()} for key, part in per_feature.items()}
    for key, part in values.items():
        for name in part:
            if name not in FEATURES:
                raise per_feature[key].error(name, f"unknown feature; known: {', '.join(FEATURES)}")
    thresholds = doc.mapping("thresholds")
    model = RejectionModel(
        mean=values["mean"], scale=values["scale"], weights=values["weights"],
        bias=doc.number("bias"),
        thresholds={name: thresholds.number(name) for name in thresholds.keys()},
        default_threshold=doc.number("default_threshold"),
    )
    doc.text("fitted_by", "")
    doc.mapping("figures", {}).keys()
    doc.done()
    return model


class SphinxRecognizer:
    name = "pocketsphinx"

    def __init__(self, intents: IntentSet, rejection: RejectionModel | None = None,
                 min_speech_s: float = 0.1, max_speech_s: float = 4.0):
        from pocketsphinx import Decoder, get_model_path

        self.intents = intents
        self.rejection = rejection or load_rejection_model()
        self.min_speech_s = min_speech_s
        self.max_speech_s = max_speech_s
        model = get_model_path()
        dictionary = os.path.join(model, "en-us", "cmudict-en-us.dict")
        self._spelling, self._pronunciations = _read_dictionary(dictionary)
        self._decoder = Decoder(hmm=os.path.join(model, "en-us", "en-us"), dict=dictionary, lm=None,
                                loglevel="FATAL")
        self.phrases: dict[str, dict[str, str]] = {}
        for context in intents.context_names():
            phrases = context_phrases(intents, context, known=lambda word: word in self._spelling)
            self.phrases[context] = phrases
            self._decoder.add_jsgf_string(context, jsgf(list(phrases), self._spelling.__getitem__))
        self._decoder.add_allphone_file("_phones", os.path.join(model, "en-us", "en-us-phone.lm.bin"))

    def contexts(self) -> list[str]:
        return list(self.phrases)

    def _run(self, search: str, raw: bytes) -> list[tuple[str, float, int, int]]:
        decoder = self._decoder
        decoder.activate_search(search)
        decoder.start_utt()
        decoder.process_raw(raw, full_utt=True)
        decoder.end_utt()
        if decoder.hyp() is None:
            return []
        # The bindings hand back exp(score); take the natural log again, floored at underflow.
        return [(s.word, float(np.log(max(s.ascore, 1e-300))), s.start_frame, s.end_frame)
                for s in decoder.seg()]

    def decode(self, audio: np.ndarray, context: str) -> Recognition:
        if context not in self.phrases:
            raise KeyError(f"no grammar for context {context!r}")
        began = time.perf_counter()
        raw = audio.astype("<i2").tobytes()
        audio_s = len(audio) / SAMPLE_RATE
        words = [w for w in self._run(context, raw) if w[0] not in SILENCES]
        text = " ".join(_plain(w[0]) for w in words)
        if not words:
            return Recognition("", False, 0.0, self.name, audio_s, time.perf_counter() - began,
                               float("-inf"), "nothing in the grammar fitted")
        if text not in self.phrases[context]:
            # With no path to the grammar's end, pocketsphinx returns its best partial path.
            return Recognition(text, False, 0.0, self.name, audio_s, time.perf_counter() - began,
                               float("-inf"), f"incomplete phrase {text!r}")
        phones = self._run("_phones", raw)
        features = self._features(text, words, phones)
        score = self.rejection.score(features)
        threshold = self.rejection.threshold(context)
        speech_s = features["frames"] / 100
        reason = ""
        if speech_s < self.min_speech_s:
            reason = f"too short ({speech_s:.2f} s)"
        elif speech_s > self.max_speech_s:
            reason = f"too long for an answer ({speech_s:.2f} s)"
        elif score < threshold:
            reason = f"does not sound enough like {text!r} ({score:.2f} < {threshold:.2f})"
        return Recognition(text, not reason, squash(score, threshold, 1.0), self.name, audio_s,
                           time.perf_counter() - began, score, reason, {"features": features})

    def _features(self, text: str, words: list, phones: list) -> dict[str, float]:
        first, last = words[0][2], words[-1][3]
        frames = last - first + 1
        grammar = sum(w[1] for w in words)
        heard = [p[0] for p in phones if p[0] not in SILENCES and p[2] >= first - 3 and p[3] <= last + 3]
        distance = min(_edit_distance(heard, expected) / max(len(expected), 1)
                       for expected in self._expected_phones(text))
        return {"gpf": grammar / frames, "dist": distance,
                "frames": float(frames), "phones": float(len(heard))}

    def _expected_phones(self, text: str) -> list[list[str]]:
        options = [self._pronunciations[self._spelling[word]] for word in text.split()]
        return [sum(combo, []) for combo in itertools.islice(itertools.product(*options), 16)]


def _plain(word: str) -> str:
    """Dictionary spelling back to matcher words: "don't" -> "dont", "one(2)" -> "one"."""
    return word.split("(")[0].replace("'", "")


def _edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[:], i
        for j, y in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
    return row[-1]


def _read_dictionary(path: str) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """Matcher word (no apostrophes) -> dictionary spelling; spelling -> pronunciations."""
    spelling: dict[str, str] = {}
    pronunciations: dict[str, list[list[str]]] = {}
    with open(path, encoding="utf-8") as source:
        for line in source:
            parts = line.split()
            base = parts[0].split("(")[0]
            spelling.setdefault(base.replace("'", ""), base)
            pronunciations.setdefault(base, []).append(parts[1:])
    return spelling, pronunciations
