"""`backcare routines`: each routine, how long it takes at the person's speech rate, and what
it holds."""

from __future__ import annotations

import argparse
import json

from ...content import Content
from ...conversation.player import routine_summary
from ...conversation.timeline import estimated, routine_duration_s
from ...preferences import saved_rate


def run(content: Content, args: argparse.Namespace) -> int:
    book = content.book
    durations = estimated(saved_rate())
    listing = [routine_summary(r, routine_duration_s(book, r, durations))
               for r in book.routines.values()]
    if args.json:
        print(json.dumps(listing))
        return 0
    for item in listing:
        minutes, seconds = divmod(round(item["duration_s"]), 60)
        print(f"{item['id']}: {item['name']}, {minutes} min {seconds:02d} s "
              f"({', '.join(item['positions'])})")
        for e in item["exercises"]:
            sides = ", each side" if e["sides"] == "left_right" else ""
            print(f"    {e['name']}: hold {e['hold_s']:g} s x {e['reps']}{sides}")
    return 0
