"""People a clinician described, as data: who they are, what they answer to what they hear,
and the outcomes a clinician accepts for them (tests/people/*.yaml).

Each person runs through the real session flow (`voice.session.flow`: the symptom check, or
stretches asked for with the check before them, the gate and the routine) with a person
who answers by listening: the first rule whose words are in what was just said to them
gives the answer (a list is said in turn, its last repeated), and otherwise their age,
where the pain is, their pain score, or `otherwise`.  A clinician's next review adds
rows to a file, not code.  The files are read with the product's own schema helper, so
a mistake names the file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from harness.people import SILENCE, ScriptedPerson
from voice.content.schema import Fields
from voice.content.yamlsource import Where, load_yaml
from voice.conversation.content import Content
from voice.events.transcript import Transcript
from voice.journal.store import SessionEntry
from voice.session.flow import Flow

PEOPLE = Path(__file__).resolve().parent.parent / "people"
# The day every person answers on, a Thursday (the third review's person 13 fell "on Sunday",
# four days before): a weekday in an answer is read against it.
TODAY = date(2026, 12, 10)
NONE = "none"  # no outcome (stopped before one), or no routine


@dataclass(frozen=True)
class Rule:
    hears: str  # words in what was just said to them (any case)
    answers: tuple[str, ...]  # said in turn each time the rule applies; the last repeats


@dataclass(frozen=True)
class Earlier:
    days_ago: float
    outcome: str


@dataclass(frozen=True)
class Reviewed:
    """One person, and what a clinician accepts for them."""

    id: str
    who: str
    where_from: Where
    age: str
    pain_in: str
    pain: str
    says: tuple[Rule, ...]
    otherwise: str
    accept: tuple[str, ...]  # outcome tiers ("self_care"), or "none"
    routines: tuple[str, ...]  # routines that may start ("none": no routine at all)
    told: tuple[str, ...]  # words that must be said to them
    never_told: tuple[str, ...]  # words that must not be
    run: str = "triage"  # triage | stretch
    routine: str = "neck"  # the routine asked for (run: stretch)
    review: int | None = None  # the row of clinical_review_v2.md
    review_v3: int | None = None  # the row of clinical_review_v3.md ("The people")
    earlier: tuple[Earlier, ...] = ()  # the journal before this run


def load_people(folder: Path = PEOPLE) -> list[Reviewed]:
    people: list[Reviewed] = []
    for path in sorted(folder.glob("*.yaml")):
        doc = Fields(load_yaml(path), "", Where(str(path), 1))
        for item in doc.items("people"):
            rules = []
            for rule in item.items("says", []):
                rules.append(Rule(rule.text("hears"), tuple(rule.text_list("answers"))))
                rule.done()
            earlier = []
            for entry in item.items("earlier", []):
                earlier.append(Earlier(entry.number("days_ago", minimum=0),
                                       entry.text("outcome")))
                entry.done()
            people.append(Reviewed(
                id=item.text("id"), who=item.text("who"), where_from=item.where,
                age=item.text("age"), pain_in=item.text("pain_in", "my neck"),
                pain=item.text("pain", "3"), says=tuple(rules),
                otherwise=item.text("otherwise", "no"), accept=tuple(item.text_list("accept")),
                routines=tuple(item.text_list("routines", [NONE])),
                told=tuple(item.text_list("told", [])),
                never_told=tuple(item.text_list("never_told", [])),
                run=item.choice("run", ("triage", "stretch"), "triage"),
                routine=item.text("routine", "neck"),
                review=item.integer("review") if item.has("review") else None,
                review_v3=item.integer("review_v3") if item.has("review_v3") else None,
                earlier=tuple(earlier)))
            item.done()
        doc.done()
    return people


def in_locale(words: str, content: Content) -> str:
    """A person file's words as said in the content's locale: `{emergency_number}` and the
    locale's terms (`{felt_sick}`) filled in, a number to dial as it is printed and said."""
    terms = content.locale.terms
    named = re.sub(r"\{(\w+)\}", lambda found: terms.get(found.group(1), found.group(0)), words)
    return content.settings().fill(named)


class ListeningPerson(ScriptedPerson):
    """Answers by what was just said to them, by the rules of one reviewed person."""

    def __init__(self, reviewed: Reviewed, content: Content):
        super().__init__(chooser=self._choose)
        self.reviewed = reviewed
        self._hears = [in_locale(rule.hears, content).lower() for rule in reviewed.says]
        self._since = 0
        self._question: tuple[str, str] = ("", "")  # the prompt id being answered, and its words
        self._used = [0] * len(reviewed.says)
        self.heard_and_said: list[tuple[str, str]] = []  # what was said to them, their answer

    def _choose(self, prompt_id: str, context: str) -> str:
        heard = " ".join(self.said[self._since:])
        self._since = len(self.said)
        # Asked again ("I didn't hear an answer"): they still know what the question was.
        earlier = self._question[1] if prompt_id == self._question[0] else ""
        self._question = (prompt_id, earlier or heard)
        answer = self._by_rule(heard) or (earlier and self._by_rule(earlier)) or {
            "age": self.reviewed.age, "location": self.reviewed.pain_in,
            "pain_scale": self.reviewed.pain}.get(context, self.reviewed.otherwise)
        self.heard_and_said.append((heard, answer))
        return answer

    def _by_rule(self, heard: str) -> str | None:
        for index, rule in enumerate(self.reviewed.says):
            if self._hears[index] in heard.lower():
                turn = self._used[index]
                self._used[index] += 1
                return rule.answers[min(turn, len(rule.answers) - 1)]
        return None

    def conversation(self) -> str:
        return "\n".join(f"{heard}\n  > {'(silence)' if said == SILENCE else said}"
                         for heard, said in self.heard_and_said)


@dataclass(frozen=True)
class Run:
    outcome: str  # the last outcome given (a tier, self_care), or "none"
    routines: tuple[str, ...]  # routines started
    person: ListeningPerson
    transcript: Transcript


def run_reviewed(content: Content, reviewed: Reviewed, now: datetime | None = None) -> Run:
    """One person through the real session flow, on a virtual clock."""
    now = now or datetime.now(timezone.utc)
    person = ListeningPerson(reviewed, content)
    transcript = Transcript(person.clock)
    earlier = [SessionEntry(index, now - timedelta(days=entry.days_ago), None, True, "completed",
                            entry.outcome, (), None, None, None, "text")
               for index, entry in enumerate(reviewed.earlier)]
    flow = Flow.for_person(content, person, person.clock, transcript,
                           settings=replace(content.settings(), today=TODAY), earlier=earlier)
    if reviewed.run == "triage":
        flow.triage()
    else:
        flow.screened(reviewed.routine)
    outcomes = transcript.of("outcome")
    return Run(outcomes[-1]["tier"] if outcomes else NONE,
               tuple(event["id"] for event in transcript.of("routine")), person, transcript)
