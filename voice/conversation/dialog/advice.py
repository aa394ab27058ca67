"""What is said once the questions end, worked out from the ledger with no I/O: the advice for
what was found, the signs to pass on, where the dialog goes next, the routine a flag still
allows, and the safety net that fits the outcome.

Kept pure so the rules that protect people at the end ("a flagged outcome repeats what to do
as its last words", "no stretches after a tier that blocks them") read in one place and can
be checked without running a dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...content.placeholders import fill
from ...understanding.intents.help import spoken_list
from .ledger import Ledger
from .spec import SELF_CARE, DialogSpec, State


@dataclass(frozen=True)
class Advice:
    """The outcome of the questions: its tier (or self-care), the lines that say it, and the
    state the dialog goes to next (None: it ends)."""

    outcome: str
    lines: tuple[str, ...]
    next: str | None


def advice(spec: DialogSpec, ledger: Ledger, state: State) -> Advice:
    """The most urgent tier found and its advice, each flag's own advice (most urgent first),
    and whether stretches may follow; self-care, with nothing said here, when nothing was
    found."""
    tier = ledger.most_urgent_tier()
    if tier is None:
        return Advice(SELF_CARE, (), state.clear)
    lines: list[str] = []
    unresolved = ledger.unresolved()
    if unresolved:
        labels = spoken_list([flag.label for flag in unresolved], spec.text("list_or"))
        lines.append(fill(spec.text("unresolved"), labels=labels))
    lines += spec.tier(tier).advice
    for flag in sorted(ledger.raised(), key=lambda f: spec.tier_rank(ledger.tier_of(f))):
        grade = ledger.grades.get(flag.id)
        lines.append(grade.advice if grade else flag.advice)
    lines += _signs_to_tell(spec, ledger, tier)
    if tier in state.by_tier:
        return Advice(tier, tuple(lines), state.by_tier[tier])
    if spec.tier(tier).blocks_exercise or not state.mild or ledger.allows_no_exercise():
        return Advice(tier, (*lines, spec.text("no_stretches")), None)
    return Advice(tier, tuple(lines), state.mild)


def _signs_to_tell(spec: DialogSpec, ledger: Ledger, tier: str) -> list[str]:
    """The signs found, and symptoms heard and never cleared, named for the person to pass
    on to whoever they call (v3 F13: the smoker's weight loss was heard and lost)."""
    text = spec.text("tell_them")
    signs = [flag.named for flag in ledger.signs()]
    if not text or not spec.tier(tier).tell_signs or not signs:
        return []
    return [fill(text, signs=spoken_list(signs, spec.text("list_and") or "and"))]


def safety_net(spec: DialogSpec, ledger: Ledger, outcome: str | None) -> list[str]:
    """The closing words that fit the outcome (no "if you notice chest pain" after an
    emergency); a flagged outcome then says what to do once more, last: a flag's own service
    when it decided the outcome ("go to A&E today" after a fall at 65, not the tier's weaker
    "see a doctor today")."""
    tier = next((tier for tier in spec.tiers if tier.id == outcome), None)
    lines = [(tier.safety_net if tier else "") or spec.text("safety_net")]
    repeat = ledger.own_repeat() or (tier.repeat if tier is not None else "")
    if tier is not None and repeat:
        lines.append(repeat)
    return lines


def routine_for(state: State, ledger: Ledger, values: dict[str, int | str]) -> str | None:
    """After a flag that allows exercise, the gentlest routine any flag asks for (the state's
    `flagged_routine` for the others); else the routine for where the pain is."""
    if state.flagged_routines and ledger.most_urgent_tier() is not None:
        wanted = ledger.exercises()
        return next((r for r in state.flagged_routines if r in wanted), state.flagged_routine)
    chosen = str(values.get(state.routine_by or "", ""))
    return state.routines.get(chosen, state.routine)
