"""A scripted person for dialog tests: answers by question id, records what was said.

This is a real Channel implementation that happens to read its answers from a
table instead of a keyboard; the dialog under test cannot tell the difference.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from voice.channel import Heard
from voice.clock import VirtualClock
from voice.content import Content
from voice.conversation.dialog import Dialog, DialogResult
from voice.conversation.dialogspec import holds
from voice.conversation.settings import Settings
from voice.transcript import Transcript

SILENCE = "<silence>"
NOISE = "<noise>"


class ScriptedPerson:
    """Answers each question from `answers[id]` (a list, one per time it is asked), else `default`."""

    def __init__(self, answers: dict[str, list[str] | str] | None = None, default: str | None = "no",
                 chooser: Callable[[str, str], str | None] | None = None):
        self.answers = {k: ([v] if isinstance(v, str) else list(v)) for k, v in (answers or {}).items()}
        self.default = default
        self.chooser = chooser
        self.said: list[str] = []
        self.asked: list[str] = []
        self.rates: list[int] = []
        self.rate_wpm: int | None = None  # a channel owns the session's rate

    def say(self, text: str, interruptible: bool = False) -> None:
        self.said.append(text)

    def set_rate(self, wpm: int) -> None:
        self.rates.append(wpm)
        self.rate_wpm = wpm

    def listen(self, context: str, timeout: float | None, prompt_id: str) -> Heard:
        self.asked.append(prompt_id)
        if self.chooser is not None:
            answer = self.chooser(prompt_id, context)
        elif self.answers.get(prompt_id):
            answer = self.answers[prompt_id].pop(0)
        else:
            answer = self.default
        if answer is None:
            return Heard("closed")
        if answer == SILENCE:
            return Heard("no_input")
        if answer == NOISE:
            return Heard("rejected")
        return Heard("speech", answer)

    def text(self) -> str:
        return "\n".join(self.said)


def run_triage(content: Content, person: ScriptedPerson, settings: Settings | None = None,
               handoffs: dict[str, object] | None = None,
               ) -> tuple[DialogResult, Transcript, Dialog]:
    clock = VirtualClock()
    transcript = Transcript(clock)
    dialog = Dialog(content.triage, content.intents, person, clock, settings or Settings(),
                    transcript, handoffs)
    return dialog.run(), transcript, dialog


def answers_for_yes_to(content: Content, flag_id: str, grade_id: str | None = None,
                       ) -> dict[str, list[str] | str]:
    """The path to one red flag (through its list), or to one grade of it, with every other
    answer no. Age and location are chosen so the flag is asked and only that grade applies;
    "none" gives the all-no path."""
    answers: dict[str, list[str] | str] = {"age": "40", "location": "neck", "pain_score": "3",
                                           "offer_stretches": "yes"}
    spec = content.triage
    if flag_id not in spec.flag_table:
        return answers
    flag = spec.flag_table[flag_id]
    wanted = next((g for g in flag.grades if g.id == grade_id), None) if grade_id else None
    for age, location in itertools.product(("40", "60", "70"), ("neck", "both")):
        values: dict[str, int | str] = {"age": int(age), "location": location}
        earlier = flag.grades[:flag.grades.index(wanted)] if wanted else flag.grades
        automatic = [g for g in earlier if not g.ask and holds(g.when, values)]
        if holds(flag.when, values) and not automatic and (
                wanted is None or holds(wanted.when, values)):
            answers.update(age=age, location="my upper back and neck" if location == "both"
                           else "my neck")
            break
    answers[spec.screen_of(flag_id).id] = "yes"
    answers[flag_id] = "yes"
    if wanted is not None and wanted.ask:
        answers[wanted.id] = "yes"
    return answers
