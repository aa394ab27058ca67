"""How long the symptom check is to hear: answers and spoken words before the outcome.

The issue's targets: a person with no red flag answers at most 12 questions and
hears at most 300 words before "no warning signs". Every flag's path (through
its list, everything else "no") and every grade of a graded flag is printed
too, with the tier it ends in, so a content change that lengthens a path shows.

    python -m bench.triage_length            # the table
    python -m bench.triage_length --wpm 150  # minutes at another speech rate
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from tests.support.people import ScriptedPerson, answers_for_yes_to, run_triage
from voice.content import Content, load_content

MAX_ANSWERS = 12
MAX_WORDS = 300


@dataclass(frozen=True)
class PathLength:
    name: str
    outcome: str | None
    answers: int  # questions answered before the outcome
    words: int  # words spoken before the outcome


def measure(content: Content, name: str, flag_id: str, grade_id: str | None = None) -> PathLength:
    person = ScriptedPerson(answers_for_yes_to(content, flag_id, grade_id))
    result, transcript, _ = run_triage(content, person)
    answers = words = 0
    for event in transcript.events:
        if event["event"] == "outcome":
            break
        if event["event"] in ("say", "ask"):
            words += len(event["text"].split())
        elif event["event"] == "heard":
            answers += 1
    return PathLength(name, result.outcome, answers, words)


def all_paths(content: Content) -> list[PathLength]:
    paths = [measure(content, "no red flag (all no)", "none")]
    for flag in content.triage.flags():
        paths.append(measure(content, flag.id, flag.id))
        for grade in flag.grades:
            paths.append(measure(content, f"{flag.id} > {grade.id}", flag.id, grade.id))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wpm", type=int, default=170, help="speech rate for the minutes column")
    args = parser.parse_args()
    paths = all_paths(load_content())
    print(f"{'path':44} {'outcome':10} {'answers':>7} {'words':>6} {'minutes':>7}")
    for path in paths:
        print(f"{path.name:44} {path.outcome or '-':10} {path.answers:7d} {path.words:6d} "
              f"{path.words / args.wpm:7.1f}")
    clear = paths[0]
    longest = max(paths[1:], key=lambda p: (p.answers, p.words))
    print(f"\nall-no path: {clear.answers} answers (target <= {MAX_ANSWERS}), {clear.words} words "
          f"(target <= {MAX_WORDS}), {clear.words / args.wpm:.1f} min of speech at {args.wpm} wpm")
    print(f"longest flag path: {longest.name}, {longest.answers} answers, {longest.words} words")
    return 0 if clear.answers <= MAX_ANSWERS and clear.words <= MAX_WORDS else 1


if __name__ == "__main__":
    sys.exit(main())
