"""How a dialog's content text reaches the person: lists put into one spoken question, the
session's values filled in, and each line said and recorded once, as printed and as said.

Kept apart from the data model (`spec`) and from the state machine (`engine`), so that the
way text is worded can change (another language's list punctuation) without touching either,
and so that everything the dialog may say can be listed before it is needed (`fixed_texts`),
for speech rendered ahead of time.
"""

from __future__ import annotations

import itertools

from ...content.placeholders import fill
from ...events.conversation import Said
from ...events.transcript import Transcript
from ..port import Line, Person
from ..settings import Settings
from .questions import find
from .spec import DialogSpec, Flag, Grade, ScreenItem, State


def screen_prompt(state: State, items: tuple[ScreenItem, ...] | None = None,
                  or_word: str = "") -> str:
    """An "any of these?" list as spoken: the lead, then the items with pauses between them,
    the last after the dialog's word for "or" (`texts.list_or`).

    "Now or today, any of these? Chest pain or tightness; sudden breathlessness;
    or a sudden tearing pain in your chest or back?"
    """
    said = [item.say for item in (state.items if items is None else items)]
    if len(said) == 1:
        return f"{state.ask} {_capital(said[0])}?"
    listed = "; ".join(said[:-1]) + f"; {or_word} {said[-1]}"
    return f"{state.ask} {_capital(listed)}?"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def screen_prompts(spec: DialogSpec, state: State) -> list[str]:
    """A list as it can be spoken: with and without the items that only some people hear
    (`when`), so every version can be rendered before it is needed."""
    optional = [item for item in state.items
                if all(spec.flag_table[f].when for f in item.flags if f in spec.flag_table)]
    prompts = []
    for dropped in itertools.chain.from_iterable(
            itertools.combinations(optional, n) for n in range(len(optional) + 1)):
        kept = tuple(item for item in state.items if item not in dropped)
        if kept:
            prompts.append(screen_prompt(state, kept, spec.text("list_or")))
    return prompts


def fixed_texts(spec: DialogSpec, steps_only: bool = False) -> list[str]:
    """Every fixed text the dialog can speak, roughly in the order a session reaches them,
    so speech can be rendered before it is needed (`steps_only`: just the states' own
    texts and questions, which come first). Texts may hold placeholders."""
    found: list[str] = []
    for name in spec.order:
        state = spec.states[name]
        found += [*state.text, *(screen_prompts(spec, state) if state.type == "screen"
                                 else [state.ask])]
        if not steps_only:
            found += [state.help, state.again]
    if steps_only:
        return [text for text in dict.fromkeys(found) if text.strip()]
    for flag in spec.flags():
        found += [flag.ask, flag.again, flag.help, flag.advice]
        for grade in flag.grades:
            found += [grade.ask, grade.again, grade.help, grade.advice]
    for tier in spec.tiers:
        found += [*tier.advice, tier.safety_net, tier.repeat]
    for value in spec.texts.values():
        found += [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
    return [text for text in dict.fromkeys(found) if text.strip()]


def named(spec: DialogSpec, key: str) -> str:
    """A flag or grade as it is said ("feeling sick", "tingling in both hands")."""
    question = find(spec, key)
    if isinstance(question, Flag):
        return question.named
    return question.label if isinstance(question, Grade) else key


class Wording:
    """One dialog's lines to one person: content text filled with the session's values, said,
    and recorded in the transcript. `quiet` holds back what was said already (going back
    gives earlier answers again without saying their lines twice)."""

    def __init__(self, spec: DialogSpec, settings: Settings, person: Person,
                 transcript: Transcript):
        self.spec = spec
        self.settings = settings
        self.person = person
        self.transcript = transcript
        self.quiet = False

    def fill(self, text: str, spoken: bool = False) -> str:
        """Content text with the session's values in it, as printed or as said out loud."""
        return self.settings.fill(fill(text, disclaimer=self.spec.text("disclaimer")), spoken)

    def line(self, template: str) -> Line:
        return Line.of(self.fill(template), self.fill(template, spoken=True))

    def say(self, template: str) -> None:
        line = self.line(template)
        if not line.text or self.quiet:
            return
        self.transcript.emit(Said(line.text, line.spoken))
        self.person.say(line.text, spoken=line.spoken)

    def ask(self, template: str, again: bool) -> None:
        """A question, which stop may cut short; the first time, the ask event records it."""
        line = self.line(template)
        if again:
            self.transcript.emit(Said(line.text, line.spoken, repeat=True))
        self.person.say(line.text, interruptible=True, spoken=line.spoken)

    def sentences(self, steps_only: bool = False) -> list[str]:
        """The dialog's fixed texts exactly as this dialog would say them out loud (for
        rendering speech before it is needed)."""
        filled = [self.fill(text, spoken=True) for text in fixed_texts(self.spec, steps_only)]
        return [text for text in filled if "{" not in text]
