"""Recognition of synthetic speech the tuning never saw: every spoken phrase, in flite and espeak-ng.

    python -m bench.synthetic_speech [--engine auto|whisper|vosk|pocketsphinx]

Each phrase of each context's `spoken:` list (numbers spelt out; ages sampled) is said by
four flite voices and two espeak-ng voices and recognised through the real
endpointer in its context; words and sentences that answer nothing are said
in every context and must be refused.  Prints correct / wrong / rejected per
synthesiser and the false-accept rate, the figures the README quotes as
"speech the tuning never saw".
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from harness.speech import FLITE_VOICES, synthesise
from voice.audio.sources import blocks, with_silence
from voice.conversation.content import load_content
from voice.understanding.base import understand
from voice.understanding.engines import make_recognizer
from voice.understanding.grammar import context_phrases
from voice.understanding.listener import recognise_stream

VOICES = [("flite", v) for v in FLITE_VOICES] + [("espeak-ng", "en-us"), ("espeak-ng", "en-gb")]
DISTRACTORS = ["banana", "television", "purple", "window", "yesterday", "kitchen", "weather",
               "the news is on", "where are my keys", "turn on the lights", "what time is it",
               "good morning", "coffee", "hello there", "seventeen", "twenty"]
CONTEXTS = ("yes_no", "pain_scale", "location", "menu", "player", "age")
SAMPLE = 24  # a context with more phrases than this (an age: 99 numbers) is sampled evenly


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    args = parser.parse_args()
    content = load_content()
    intents = content.intents
    choice = make_recognizer(args.engine, intents)
    recognizer = choice.recognizer
    print(choice.note)
    began = time.perf_counter()
    outcomes: dict[str, Counter] = {}
    misses = Counter()
    for engine, voice in VOICES:
        counts = outcomes.setdefault(engine, Counter())
        for context in CONTEXTS:
            phrases = list(context_phrases(intents, context).items())
            for text, intent in phrases[::max(1, len(phrases) // SAMPLE)]:
                expected = intents.match(text, context)
                heard = recognise_stream(blocks(with_silence(synthesise(text, voice, engine=engine))),
                                         recognizer, context)
                match = understand(heard.recognition, intents, context) if heard else None
                if match is None or match.intent is None:
                    counts["rejected"] += 1
                    misses[(context, text)] += 1
                elif match.intent == intent and match.slots == expected.slots:
                    counts["correct"] += 1
                else:
                    counts["wrong"] += 1
                    misses[(context, text)] += 1
        false_accepts = 0
        for text in DISTRACTORS:
            for context in ("yes_no", "pain_scale", "player"):
                heard = recognise_stream(blocks(with_silence(synthesise(text, voice, engine=engine))),
                                         recognizer, context)
                match = understand(heard.recognition, intents, context) if heard else None
                counts["negatives"] += 1
                if match is not None and match.intent is not None:
                    counts["false_accept"] += 1
                    false_accepts += 1
    print(f"engine {recognizer.name}, {time.perf_counter() - began:.0f} s")
    for engine, counts in outcomes.items():
        total = counts["correct"] + counts["wrong"] + counts["rejected"]
        print(f"  {engine}: correct {counts['correct'] / total:.1%}, wrong {counts['wrong'] / total:.1%}, "
              f"rejected {counts['rejected'] / total:.1%} of {total} phrases; false accepts "
              f"{counts['false_accept'] / counts['negatives']:.1%} of {counts['negatives']}")
    print("most missed:", ", ".join(f"{t!r} [{c}] x{n}" for (c, t), n in misses.most_common(12)))


if __name__ == "__main__":
    main()
