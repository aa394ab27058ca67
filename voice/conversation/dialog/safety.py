"""The proofs a dialog must pass before anyone hears it: every reference resolves, every red
flag can be reached and asked, conditions name answers the dialog stores, and no path from a
flag of a tier that blocks exercise reaches reassurance or stretches (the safety invariant,
proved over the state graph, not sampled)."""

from __future__ import annotations

from ...content.schema import Fields
from ...content.yamlsource import ContentError
from .spec import DialogSpec, Flag


def check_references(spec: DialogSpec, doc: Fields, fields_by_id: dict[str, Fields]) -> None:
    for key in ("start", "outcome_state"):
        target = getattr(spec, key)
        if target not in spec.states:
            raise doc.error(key, f"no state with id {target!r}")
    if spec.states[spec.outcome_state].type != "outcome":
        raise doc.error("outcome_state", f"state {spec.outcome_state!r} is not of type outcome")
    for state in spec.states.values():
        item = fields_by_id[state.id]
        for key in ("next", "on_yes", "on_no", "default", "clear", "mild"):
            target = getattr(state, key)
            if target and target not in spec.states:
                raise item.error(key, f"no state with id {target!r}")
        for option, target in state.options.items():
            if target not in spec.states:
                raise ContentError(item.mapping("options").at(option), f"states.{state.id}."
                                   f"options.{option}", f"no state with id {target!r}")
        for entry in state.ranges:
            if entry.next not in spec.states:
                raise item.error("ranges", f"no state with id {entry.next!r}")
        for screen in state.screens:
            if screen not in spec.states or spec.states[screen].type != "screen":
                raise item.error("screens", f"{screen!r} is not a list (a state of type screen)")
        if state.type not in ("end", "outcome") and not state.successors():
            raise item.error("next", "this state leads nowhere (add next, or make it an end)")
        if state.when and not state.next:
            raise item.error("when", "a state that may be passed over needs a next state")
        tier_ids = {tier.id for tier in spec.tiers}
        for tier, target in state.by_tier.items():
            if tier not in tier_ids:
                raise ContentError(item.mapping("by_tier").at(tier), f"states.{state.id}.by_tier",
                                   f"unknown tier {tier!r}; tiers: {', '.join(sorted(tier_ids))}")
            if target not in spec.states:
                raise ContentError(item.mapping("by_tier").at(tier), f"states.{state.id}.by_tier",
                                   f"no state with id {target!r}")


def _reachable(spec: DialogSpec) -> list[str]:
    seen: list[str] = []
    frontier = [spec.start] + ([spec.limit_state] if spec.limit_state else [])
    while frontier:
        name = frontier.pop()
        if name in seen:
            continue
        seen.append(name)
        frontier.extend(spec.states[name].successors())
    return seen


def check_flags(spec: DialogSpec, flags: list[Flag], flag_fields: dict[str, Fields],
                 fields_by_id: dict[str, Fields]) -> None:
    """Every list item opens real flags; every flag is asked by exactly one list (or raised by
    one state, or pinned by lists answered yes) reachable from the start; a grade that asks
    another flag's question names a real flag; a flag's `exercise` names what a handoff offers."""
    owner: dict[str, str] = {}
    for name in spec.order:
        state = spec.states[name]
        for key, flag_id in [("items", f) for f in state.flag_ids()] + [
                ("raises", f) for f in state.raises]:
            if flag_id not in flag_fields:
                raise fields_by_id[name].error(key, f"{flag_id!r} is not a red flag (flags:)")
            if flag_id in owner:
                raise fields_by_id[name].error(key, f"flag {flag_id!r} is already asked by "
                                               f"{owner[flag_id]!r}; one flag, one list")
            owner[flag_id] = name
    for name in spec.order:  # one flag may stand for "a yes to any of these lists"
        pinned = spec.states[name].unpinned
        if pinned and pinned not in flag_fields:
            raise fields_by_id[name].error("unpinned", f"{pinned!r} is not a red flag (flags:)")
        if pinned and owner.get(pinned, name) != name and spec.states[owner[pinned]].unpinned != pinned:
            raise fields_by_id[name].error("unpinned", f"flag {pinned!r} is already asked by "
                                           f"{owner[pinned]!r}")
        if pinned:
            owner.setdefault(pinned, name)
    raised = {f for state in spec.states.values() for f in [*state.raises, state.unpinned] if f}
    for flag in flags:
        if flag.id not in raised and not (flag.ask and flag.again):
            raise flag_fields[flag.id].error("ask" if not flag.ask else "again",
                                             "a flag asked by a list needs its question (ask) "
                                             "and the question in other words (again)")
    reachable = set(_reachable(spec))
    routines = {"none"} | {r for s in spec.states.values() for r in s.flagged_routines}
    for flag in flags:
        if flag.id not in owner:
            raise flag_fields[flag.id].error("id", f"flag {flag.id!r} is in no list, so it is "
                                             "never asked")
        if owner[flag.id] not in reachable:
            raise flag_fields[flag.id].error("id", f"flag {flag.id!r} is asked by "
                                             f"{owner[flag.id]!r}, which cannot be reached from "
                                             f"{spec.start!r}")
        if flag.exercise is not None and flag.exercise not in routines:
            raise flag_fields[flag.id].error("exercise", f"{flag.exercise!r} is neither none nor "
                                             "one of the handoff's flagged_routines: "
                                             f"{', '.join(sorted(routines))}")
        for index, grade in enumerate(flag.grades):
            if grade.asks_flag and grade.asks_flag not in flag_fields:
                raise ContentError(flag.where, f"flags.{flag.id}.grades[{index}].asks_flag",
                                   f"{grade.asks_flag!r} is not a red flag (flags:)")


def check_conditions(spec: DialogSpec, flags: list[Flag], fields_by_id: dict[str, Fields]) -> None:
    """A condition must name an answer some state stores (or the caller gives), or it could
    never be met."""
    stored = {state.store for state in spec.states.values() if state.store} | set(spec.given)
    for flag in flags:
        for condition in [*flag.when, *(c for g in flag.grades for c in g.when)]:
            if condition.key not in stored:
                raise ContentError(flag.where, f"flags.{flag.id}.when", f"no state stores "
                                   f"{condition.key!r}; stored: {', '.join(sorted(stored))}")
    for state in spec.states.values():
        for condition in state.when:
            if condition.key not in stored:
                raise fields_by_id[state.id].error("when", f"no state stores {condition.key!r} "
                                                   f"and it is not given; stored: "
                                                   f"{', '.join(sorted(stored))}")


def check_safety(spec: DialogSpec, fields_by_id: dict[str, Fields]) -> None:
    """Statically prove that flags reach neither reassurance nor stretches they must not."""
    for state in spec.states.values():
        item = fields_by_id[state.id]
        if state.offers_stretches and not (state.requires_clear or state.requires_safe):
            raise item.error("requires_safe", "a state that offers stretches must require a "
                             "triage that allows exercise (requires_safe or requires_clear)")
    outcome = spec.states[spec.outcome_state]
    if not spec.states[outcome.clear].requires_clear:  # type: ignore[index]
        raise fields_by_id[outcome.id].error(
            "clear", "the all-clear path must start with a state that requires_clear")
    if outcome.mild and not spec.states[outcome.mild].requires_safe:
        raise fields_by_id[outcome.id].error(
            "mild", "the path for flags that allow exercise must start with a state that "
            "requires_safe")
    # A tier sent elsewhere (the check before a routine hands over to the symptom check)
    # must not reach reassurance or stretches on its way.
    for tier, target in outcome.by_tier.items():
        for name in _reachable_avoiding(spec, [target], None):
            state = spec.states[name]
            if state.requires_clear or state.requires_safe or state.offers_stretches:
                raise fields_by_id[outcome.id].error(
                    "by_tier", f"the path for tier {tier!r} reaches {name!r}, which offers "
                    "reassurance or stretches")
    # The outcome decides at run time; its branches are only taken as their names say.
    before = _reachable_avoiding(spec, [spec.start], spec.outcome_state)
    after_mild = _reachable_avoiding(spec, [outcome.mild] if outcome.mild else [], None)
    for name in spec.order:
        state = spec.states[name]
        if state.requires_clear and (name in before or name in after_mild):
            raise fields_by_id[name].error(
                "requires_clear", "this state can be reached without passing the outcome's "
                "all-clear branch")
        if state.requires_safe and name in before:
            raise fields_by_id[name].error(
                "requires_safe", "this state can be reached without passing the outcome")


def _reachable_avoiding(spec: DialogSpec, starts: list[str], stop: str | None) -> set[str]:
    seen: set[str] = set()
    frontier = list(starts)
    while frontier:
        name = frontier.pop()
        if name in seen:
            continue
        seen.add(name)
        if name == stop or spec.states[name].type == "outcome":
            continue
        frontier.extend(spec.states[name].successors())
    return seen
