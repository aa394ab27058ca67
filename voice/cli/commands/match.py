"""`backcare match TEXT --context C`: which intent a sentence matches where it is said (an
answer means what its question allows)."""

from __future__ import annotations

import argparse
import json

from ...content import Content
from ..errors import CommandError


def run(content: Content, args: argparse.Namespace) -> int:
    if args.context not in content.intents.context_names():
        raise CommandError(f"unknown context {args.context!r}; known: "
                           f"{', '.join(content.intents.context_names())}")
    result = content.intents.match(args.text, args.context)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        slots = f" {result.slots}" if result.slots else ""
        print(f"{result.intent or '(not understood)'}{slots} confidence {result.confidence:.2f}")
    return 0
