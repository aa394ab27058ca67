"""How long the symptom check is to hear: answers and spoken words before the outcome, and
before the first stretch.

The targets: a person with no red flag answers at most 12 questions and hears
at most 300 words before the outcome, and at most 380 words from the first word
to the first cue of the routine they are offered. Both are printed for a
40-year-old with neck pain and for a 70-year-old with neck and upper-back pain
(who hears the questions kept for older people). Every flag's path (through its
list, everything else "no") and every grade of a graded flag is printed too,
with the tier it ends in, so a content change that lengthens a path shows.

    python -m bench.triage_length            # the table
    python -m bench.triage_length --wpm 150  # minutes at another speech rate
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from harness.people import ScriptedPerson, answers_for_yes_to, run_triage
from voice.conversation.content import Content, load_content
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.session.flow import Flow

MAX_ANSWERS = 12
MAX_WORDS = 300
MAX_UNSURE_ANSWERS = 20  # a person who says "maybe" to every list (issue 27)
MAX_UNSURE_WORDS = 600
MAX_STORY_ANSWERS = 16  # a story-teller with nothing wrong
MAX_WORDS_TO_STRETCH = 380
MAX_GREETING_WORDS = 40  # voice mode: greeting, menu and introduction, to the first question
SPOKEN = ("say", "ask", "cue")  # events whose text is heard (a question's first time: "ask")


@dataclass(frozen=True)
class PathLength:
    name: str
    outcome: str | None
    answers: int  # questions answered before the outcome
    words: int  # words spoken before the outcome


def heard_until(transcript: Transcript, stop: Callable[[dict], bool]) -> tuple[int, int]:
    """Answers given and words heard before the first event `stop` accepts."""
    answers = words = 0
    for event in transcript.events:
        if stop(event):
            break
        if event["event"] in SPOKEN:
            words += len(event["text"].split())
        elif event["event"] == "heard":
            answers += 1
    return answers, words


def measure(content: Content, name: str, flag_id: str, grade_id: str | None = None,
            answers: dict[str, list[str] | str] | None = None) -> PathLength:
    person = ScriptedPerson(answers or answers_for_yes_to(content, flag_id, grade_id))
    result, transcript, _ = run_triage(content, person)
    return PathLength(name, result.outcome,
                      *heard_until(transcript, lambda event: event["event"] == "outcome"))


@dataclass(frozen=True)
class ToStretch:
    name: str
    routine: str
    answers: int  # questions answered before the routine's first cue
    words: int  # words heard before the routine's first cue
    words_to_hold: int  # ... and before the first hold begins ("Begin.")


def to_first_stretch(content: Content, age: str, location: str) -> ToStretch:
    """The all-no symptom check, yes to stretches, no to the neck question, into the routine."""
    person = ScriptedPerson({"age": age, "location": location, "pain_score": "3",
                             "offer_stretches": "yes"})
    transcript = Transcript(person.clock)
    Flow.for_person(content, person, person.clock, transcript, settings=Settings()).triage()
    routines = transcript.of("routine")
    assert routines, "no routine started"
    answers, words = heard_until(transcript, lambda event: event["event"] == "routine")
    _, to_hold = heard_until(transcript, lambda e: e["event"] == "cue" and e["kind"] == "start")
    return ToStretch(f"{age}, {location}", routines[0]["id"], answers, words, to_hold)


def greeting_words(content: Content) -> int:
    """Voice mode: words heard from the start to the symptom check's first question, included
    (the recogniser's line is said only when it is not the default, so not here)."""
    person = ScriptedPerson({"menu": "check my symptoms"}, default=None)
    transcript = Transcript(person.clock)
    Flow.for_person(content, person, person.clock, transcript, settings=Settings()).session()
    first = next(i for i, e in enumerate(transcript.events)
                 if e["event"] == "ask" and e["id"] == content.triage.states["age"].id)
    _, words = heard_until(transcript, lambda event: event is transcript.events[first + 1])
    return words


def _talker(lists: str, which: str, singles: list[str]) -> Callable[[str, str], str]:
    """A person who answers every list (and the check) the same way, "which of those?" one
    way, and single questions in turn (the last repeated)."""
    asked: dict[str, int] = {}

    def choose(prompt_id: str, context: str) -> str:
        if context == "age":
            return "39"
        if context == "location":
            return "my neck"
        if context == "pain_scale":
            return "4"
        if prompt_id.endswith(".which") or prompt_id == "which_one":
            return which
        if prompt_id.endswith(".readback"):
            return "yes"
        if prompt_id.endswith("_screen") or prompt_id.endswith("_check"):
            return lists
        turn = asked.get(prompt_id, 0)
        asked[prompt_id] = turn + 1
        return singles[min(turn, len(singles) - 1)]

    return choose


def talkers(content: Content) -> list[PathLength]:
    """The third review's hedger (person 17: "maybe" to every list) and story-teller
    (person 19: "no, it's just from the gym")."""
    paths = []
    for name, person in (
            ("'maybe' to every list", ScriptedPerson(chooser=_talker(
                "maybe", "none of them really", ["no, I don't think so", "no"]))),
            ("story-teller, nothing wrong", ScriptedPerson(chooser=_talker(
                "no, it's just from the gym", "none of them", ["no"])))):
        result, transcript, _ = run_triage(content, person)
        paths.append(PathLength(name, result.outcome,
                                *heard_until(transcript, lambda e: e["event"] == "outcome")))
    return paths


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
    content = load_content()
    paths = all_paths(content)
    print(f"{'path':44} {'outcome':10} {'answers':>7} {'words':>6} {'minutes':>7}")
    for path in paths:
        print(f"{path.name:44} {path.outcome or '-':10} {path.answers:7d} {path.words:6d} "
              f"{path.words / args.wpm:7.1f}")
    clear = paths[0]
    longest = max(paths[1:], key=lambda p: (p.answers, p.words))
    print(f"\nall-no path: {clear.answers} answers (target <= {MAX_ANSWERS}), {clear.words} words "
          f"(target <= {MAX_WORDS}), {clear.words / args.wpm:.1f} min of speech at {args.wpm} wpm")
    print(f"longest flag path: {longest.name}, {longest.answers} answers, {longest.words} words")
    ok = clear.answers <= MAX_ANSWERS and clear.words <= MAX_WORDS
    older = measure(content, "no red flag at 70 (all no)", "none", answers={
        "age": "70", "location": "both", "pain_score": "3", "offer_stretches": "no"})
    print(f"all-no path at 70, neck and upper back: {older.answers} answers, {older.words} words")
    ok = ok and older.answers <= MAX_ANSWERS and older.words <= MAX_WORDS
    hedger, story = talkers(content)
    for path, answers, words in ((hedger, MAX_UNSURE_ANSWERS, MAX_UNSURE_WORDS),
                                 (story, MAX_STORY_ANSWERS, None)):
        print(f"{path.name}: {path.outcome}, {path.answers} answers (target <= {answers}), "
              f"{path.words} words" + (f" (target <= {words})" if words else ""))
        ok = ok and path.answers <= answers and (words is None or path.words <= words)
    greeting = greeting_words(content)
    print(f"voice mode, from the greeting to the first question: {greeting} words "
          f"(target <= {MAX_GREETING_WORDS})")
    ok = ok and greeting <= MAX_GREETING_WORDS
    print(f"\nfrom the first word to the routine's first cue (target <= {MAX_WORDS_TO_STRETCH} words):")
    for age, location in (("40", "neck"), ("70", "both")):
        stretch = to_first_stretch(content, age, location)
        print(f"  {stretch.name:12} -> {stretch.routine:10} {stretch.answers:3d} answers "
              f"{stretch.words:4d} words ({stretch.words / args.wpm:.1f} min); "
              f"{stretch.words_to_hold} words to the first hold")
        ok = ok and stretch.words <= MAX_WORDS_TO_STRETCH
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
