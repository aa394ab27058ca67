"""A choice's `routine_options`: every routine asked for by name that the choice's context hears
(an intent each, made from routines.yaml's `asked_for`) goes to the handoff it names, and that
handoff plays the routine asked for.

One rule in place of three lists (the choices' options and the handoff's `routines`), so a
routine added to routines.yaml is chosen by voice wherever intents.yaml lists
`routines_by_name`, with no dialog to edit. Joined at load, before the references and the
safety proof are checked, so they see the options the engine will follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ...content.schema import Fields
from .spec import ChoiceState, HandoffState, State


def join_routine_options(states: dict[str, State], fields_by_id: Mapping[str, Fields],
                         routines_by_name: Mapping[str, Mapping[str, str]]) -> dict[str, State]:
    """`states` with each `routine_options` carried out: the routine intents of the choice's
    context (`routines_by_name`: context -> intent -> routine id) join its options, and their
    routines join the handoff's `routines`. A handoff that would not play what was asked for
    (not a handoff, or one reading another stored answer), or a map that already names a
    routine intent, is an error where it is written."""
    joined = dict(states)
    for state in states.values():
        if not isinstance(state, ChoiceState) or state.routine_options is None:
            continue
        item = fields_by_id[state.id]
        target = joined.get(state.routine_options)
        if not isinstance(target, HandoffState) or target.routine_by is None \
                or target.routine_by != state.store:
            raise item.error("routine_options", f"{state.routine_options!r} is not a handoff whose "
                             f"routine_by is this choice's store ({state.store!r}), so it would not "
                             "play the routine asked for")
        heard = routines_by_name.get(state.context, {})
        _check_unlisted(item, "options", state.options, heard)
        _check_unlisted(fields_by_id[target.id], "routines", states[target.id].routines, heard)
        joined[state.id] = replace(state, options={**state.options,
                                                   **dict.fromkeys(heard, target.id)})
        joined[target.id] = replace(target, routines={**target.routines, **heard})
    return joined


def _check_unlisted(item: Fields, key: str, table: Mapping[str, str],
                    heard: Mapping[str, str]) -> None:
    listed = next((name for name in table if name in heard), None)
    if listed is not None:
        raise item.error(key, f"{listed!r} asks for routine {heard[listed]!r} by name "
                         "(routines.yaml, asked_for): routine_options sends it, so leave it out")
