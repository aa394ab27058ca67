"""`backcare eval MANIFEST`: recognition measured on a set of recordings."""

from __future__ import annotations

import argparse
import json

from ...conversation.content import Content
from ...understanding.evaluate import evaluate, read_manifest, report_text, summarise
from ...understanding.vad import VadConfig
from ..errors import CommandError
from ..progress import progress_bar
from .recognize import recognizer


def run(content: Content, args: argparse.Namespace) -> int:
    engine = recognizer(content, args)
    try:
        clips = read_manifest(args.manifest)
    except (OSError, ValueError) as error:
        raise CommandError(str(error)) from None
    results = evaluate(clips, engine, content.intents, VadConfig(detector=args.detector),
                       progress=progress_bar("clips"))
    summary = summarise(results, len(clips), engine.name)
    text = report_text(summary)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as out:
            out.write(text)
    if args.json:
        print(json.dumps(summary))
    else:
        print(text, end="")
    return 0
