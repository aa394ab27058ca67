"""Running the triage with a scripted person, and the answers that lead to each red flag.

The scripted person is the package's own (`voice.person.scripted`): a real
implementation of the conversation's port that reads its answers from a
table; the dialog under test cannot tell the difference.
"""

from __future__ import annotations

import itertools

from voice.clock import VirtualClock
from voice.conversation.content import Content
from voice.conversation.dialog.engine import Dialog, DialogResult
from voice.conversation.dialog.spec import holds
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.person import scripted
from voice.person.scripted import NOISE, SILENCE
from voice.preferences import Preferences, PreferenceStore


class ScriptedPerson(scripted.ScriptedPerson):
    """The package's scripted person on its own virtual clock, answering "no" unless told
    otherwise, at a chosen speech rate."""

    def __init__(self, answers: dict[str, list[str] | str] | None = None, default: str | None = "no",
                 chooser: scripted.Chooser | None = None, rate_wpm: int = 170, **more):
        super().__init__(VirtualClock(), answers=answers, default=default, chooser=chooser,
                         preferences=PreferenceStore(Preferences(rate_wpm=rate_wpm)), **more)


def run_triage(content: Content, person: ScriptedPerson, settings: Settings | None = None,
               handoffs: dict[str, object] | None = None,
               ) -> tuple[DialogResult, Transcript, Dialog]:
    clock = person.clock
    transcript = Transcript(clock)
    dialog = Dialog(content.triage, content.intents, person, clock, settings or Settings(),
                    transcript, handoffs)
    return dialog.run(), transcript, dialog


def answers_for_yes_to(content: Content, flag_id: str, grade_id: str | None = None,
                       ) -> dict[str, list[str] | str]:
    """The path to one red flag (through its list), or to one grade of it, with every other
    answer no. Age and location are chosen so the flag is asked and only that grade applies;
    a flag raised by the age (under 16) gets that age; a flag that stands for a list answered
    yes and never pinned down gets a yes to the first list, then no to all; "none" gives the
    all-no path."""
    answers: dict[str, list[str] | str] = {"age": "40", "location": "neck", "pain_score": "3",
                                           "pain_score_flagged": "3", "offer_stretches": "yes"}
    spec = content.triage
    if flag_id not in spec.flag_table:
        return answers
    owner = spec.screen_of(flag_id)
    if owner.id == spec.limit_state:
        # The answer limit: yes to the check of the emergency lists, then no to every sign.
        check = max((s for s in spec.states.values() if s.type == "check"),
                    key=lambda s: len(s.screens))
        answers.update({check.id: "yes", "which_one": "none of them"})
        return answers
    if flag_id in owner.raises:
        # The age range that leads to the state raising it, directly or through the states
        # that follow (a child's own questions come before the child's outcome).
        age_state, bounds = next((s, r) for s in spec.states.values() for r in s.ranges
                                 if _leads_to(spec, r.next, owner.id))
        answers[age_state.id] = str(bounds.high)
        return answers
    if flag_id == owner.unpinned:
        answers.update({owner.id: "yes", "which_one": "none"})
        return answers
    flag = spec.flag_table[flag_id]
    wanted = next((g for g in flag.grades if g.id == grade_id), None) if grade_id else None
    # Younger ages last, for flags asked only below an age (a child's, or nausea under 40).
    for age, location in itertools.product(("40", "60", "70", "30", "10"), ("neck", "both")):
        values: dict[str, int | str] = {"age": int(age), "location": location}
        earlier = flag.grades[:flag.grades.index(wanted)] if wanted else flag.grades
        automatic = [g for g in earlier if not g.ask and not g.asks_flag and holds(g.when, values)]
        if holds(flag.when, values) and not automatic and (
                wanted is None or holds(wanted.when, values)):
            answers.update(age=age, location="my upper back and neck" if location == "both"
                           else "my neck")
            break
    answers[owner.id] = "yes"
    answers[flag_id] = "yes"
    # "Which of those was it?": the item that holds it, by number
    number = next((i for i, item in enumerate(owner.items, 1) if flag_id in item.flags), None)
    if number is not None:
        answers[f"{owner.id}.which"] = str(number)
    if wanted is not None and (wanted.ask or wanted.asks_flag):
        answers[wanted.asks_flag or wanted.id] = "yes"
    return answers


def _leads_to(spec, start: str, target: str) -> bool:
    """Whether following `next` from `start` reaches `target`."""
    seen: set[str] = set()
    while start and start not in seen:
        if start == target:
            return True
        seen.add(start)
        start = spec.states[start].next or ""
    return False


__all__ = ["NOISE", "SILENCE", "ScriptedPerson", "answers_for_yes_to", "run_triage"]
