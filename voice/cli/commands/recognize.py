"""`backcare recognize FILE --context C`: what the recogniser hears in one recording, and
what it means there."""

from __future__ import annotations

import argparse
import json
import sys

from ...audio.sources import SAMPLE_RATE, AudioFileError, blocks, read_audio, with_silence
from ...conversation.content import Content
from ...understanding.base import understand
from ...understanding.engines import make_recognizer
from ...understanding.evaluate import COMMAND_CONTEXTS
from ...understanding.listener import recognise_stream
from ..errors import CommandError


def recognizer(content: Content, args: argparse.Namespace):
    """The recogniser --engine and --model ask for (a ModelError when there is none); with
    "auto", which one was chosen is said in one line."""
    choice = make_recognizer(args.engine, content.intents, args.model, language=content.locale.code)
    if args.engine == "auto":
        print(choice.note.splitlines()[0], file=sys.stderr)
    return choice.recognizer


def run(content: Content, args: argparse.Namespace) -> int:
    try:
        audio = with_silence(read_audio(args.file))
    except AudioFileError as error:
        raise CommandError(str(error)) from None
    engine = recognizer(content, args)
    if args.context not in engine.contexts():
        raise CommandError(f"unknown context {args.context!r}")
    heard = recognise_stream(blocks(audio), engine, args.context,
                             answer=args.context not in COMMAND_CONTEXTS)
    audio_s = round(len(audio) / SAMPLE_RATE, 3)
    if heard is None:
        result = {"text": "", "intent": None, "slots": {}, "confidence": 0.0,
                  "engine": engine.name, "audio_s": audio_s, "decode_s": 0.0,
                  "reason": "no speech detected"}
    else:
        rec = heard.recognition
        match = understand(rec, content.intents, args.context)
        result = {"text": rec.text, "intent": match.intent, "slots": match.slots,
                  "confidence": round(match.confidence if match.intent else rec.confidence, 3),
                  "engine": rec.engine, "audio_s": audio_s,
                  "decode_s": round(rec.decode_s, 4), "reason": rec.reason}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        said = result["intent"] or f"not understood ({result['reason']})"
        print(f"{said} {result['slots'] or ''} heard {result['text']!r}".strip())
    return 0
