"""`backcare match TEXT --context C`: which intent a sentence matches where it is said (an
answer means what its question allows); with `--question ID`, how the symptom check reads it
as an answer to that warning-sign question, with the very function the check uses."""

from __future__ import annotations

import argparse
import json
from datetime import date

from ...conversation.content import Content
from ...conversation.dialog.questions import find, lexicon_of, listed, single
from ...conversation.dialog.spec import holds
from ...understanding.answers.reading import read_answer
from ...understanding.answers.rules import ReadingRules
from ..errors import CommandError


def run(content: Content, args: argparse.Namespace) -> int:
    if args.context not in content.intents.context_names():
        raise CommandError(f"unknown context {args.context!r}; known: "
                           f"{', '.join(content.intents.context_names())}")
    result = content.intents.match(args.text, args.context)
    if getattr(args, "question", None):
        return _read(content, args, result.intent)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        slots = f" {result.slots}" if result.slots else ""
        print(f"{result.intent or '(not understood)'}{slots} confidence {result.confidence:.2f}")
    return 0


def _read(content: Content, args: argparse.Namespace, intent: str | None) -> int:
    spec = content.triage
    asked = find(spec, args.question)
    if asked is None:
        known = [*spec.flag_table, *(s for s in spec.states if spec.states[s].flag_ids())]
        raise CommandError(f"no warning-sign question {args.question!r}; known: "
                           f"{', '.join(known)}")
    proxy = args.age is not None and bool(spec.by_proxy) and holds(spec.by_proxy,
                                                                      {"age": args.age})
    question = (listed(asked.flag_ids(), proxy) if hasattr(asked, "flag_ids")
                else single(spec, asked, proxy))  # type: ignore[arg-type]
    reading = read_answer(args.text, intent, question, lexicon_of(spec),
                          ReadingRules.of(content.intents), args.today or date.today())
    if args.json:
        print(json.dumps({"text": args.text, "question": args.question, **reading.as_json()}))
        return 0
    answer = reading.answer.value if reading.answer else "(not an answer)"
    extra = " (said back to confirm)" if reading.confirm else ""
    print(f"{answer}{extra}" + (f", carries {reading.carries.value}" if reading.carries else ""))
    for clause in reading.as_json()["clauses"]:  # type: ignore[union-attr]
        when = clause.get("when")
        timing = f" [{when['heard']}: {when.get('window', 'any time')}]" if when else ""
        print(f"  {clause['says']:8} {clause['text']}{timing}")
    if reading.mentioned:
        print(f"  mentions: {', '.join(reading.mentioned)}")
    if reading.missing:
        print(f"  to ask alone: {', '.join(reading.missing)}")
    return 0
