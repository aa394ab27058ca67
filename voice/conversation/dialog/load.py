"""Reading a dialog YAML into `spec` data: each field checked where it is read (`load_fields`,
`load_flags`, `load_states`), every mistake named by file, line and field; then the
cross-checks and the safety proof (`safety`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ...content.schema import Fields, unique_ids
from ...content.yamlsource import Where, load_yaml
from ..asking.texts import READBACK_KEYS
from .load_fields import check_placeholders, read_conditions, read_hours
from .load_flags import read_flag
from .load_routine_options import join_routine_options
from .load_states import read_state, with_default_next
from .safety import check_conditions, check_flags, check_references, check_safety
from .spec import EMERGENCY, DialogSpec, NumberSaidBack, State, Tier

_TEXT_KEYS_LISTS = ("no_match", "no_input")
# Texts filled in by code with values of their own (the journal told back).
TEXT_PLACEHOLDERS = {
    "history_counts": ("week", "month", "total"),
    "history_pain": ("first", "last", "count"),
    "history_routine": ("routine", "times"),
    "history_referral": ("date", "advice"),
    "history_last": ("date",),
    "history_last_advice": ("date", "advice"),
    "history_last_clear": ("date",),
    "history_last_routine": ("routine",),
    "history_last_routine_stopped": ("routine",),
    "seen_since": ("date", "advice"),
    "you_mentioned": ("mention",),
    "tell_them": ("signs",),
    "readback_yes": ("label", "when", "also"),
    "readback_no": ("label", "when", "also"),
    "readback_none": ("also",),
    "readback_part": ("present", "absent"),
    "readback_when": ("when",),
    "readback_also": ("mentions",),
    "which_of": ("items",),
    "which_item": ("number", "item"),
}


def load_dialog(path: Path | str, contexts: set[str] | None = None,
                terms: Mapping[str, str] | None = None,
                routines_by_name: Mapping[str, Mapping[str, str]] | None = None) -> DialogSpec:
    """Read a dialog YAML in a locale's words (`terms`); every mistake names file, line and
    field. `routines_by_name` (context -> intent -> routine id): the routines asked for by name,
    joined where a choice says `routine_options` (`load_routine_options`)."""
    path = Path(path)
    doc = Fields(load_yaml(path, terms=terms), "", Where(str(path), 1))
    tiers = _read_tiers(doc)
    tier_ids = [t.id for t in tiers]

    texts_fields = doc.mapping("texts")
    texts: dict[str, object] = {}
    for key in texts_fields.keys():
        if key in _TEXT_KEYS_LISTS:
            texts[key] = tuple(texts_fields.text_list(key))
        else:
            texts[key] = texts_fields.text(key)
        check_placeholders(texts_fields, key, texts[key],  # type: ignore[arg-type]
                            TEXT_PLACEHOLDERS.get(key, ()))

    flag_fields = doc.items("flags", [])
    flags = [read_flag(item, tier_ids) for item in flag_fields]
    unique_ids([(f.id, item) for f, item in zip(flags, flag_fields, strict=True)], "flag")

    state_fields = doc.items("states")
    states: dict[str, State] = {}
    order: list[str] = []
    ids = []
    for index, item in enumerate(state_fields):
        state = read_state(item, contexts)
        ids.append((state.id, item))
        following = state_fields[index + 1].data.get("id") if index + 1 < len(state_fields) else None
        state = with_default_next(state, following)
        states[state.id] = state
        order.append(state.id)
    unique_ids(ids, "state")
    fields_by_id = dict(ids)
    states = join_routine_options(states, fields_by_id, routines_by_name or {})

    by_id = {flag.id: flag for flag in flags}
    asked = [flag_id for name in order for flag_id in
             [*states[name].raises, *states[name].flag_ids(), states[name].unpinned] if flag_id]
    spec = DialogSpec(
        id=doc.text("id"), title=doc.text("title"), start=doc.text("start"),
        outcome_state=doc.text("outcome_state"), tiers=tuple(tiers), texts=texts,
        states=states, order=tuple(order), source=str(path),
        flag_table={flag_id: by_id[flag_id] for flag_id in dict.fromkeys(asked) if flag_id in by_id},
        given=_read_given(doc),
        **_read_limit(doc, states),
        by_proxy=read_conditions(doc.mapping("by_proxy")) if doc.has("by_proxy") else (),
        since_the_pain_began=(read_hours(doc, "since_the_pain_began")
                              if doc.has("since_the_pain_began") else None),
        said_back=_read_said_back(doc, states, fields_by_id),
    )
    doc.done()
    if any(s.type == "screen" for s in states.values()) or flags:
        if not spec.text("list_or"):
            raise texts_fields.error("list_or", 'give the word that joins the last item of a '
                                     'spoken list ("or")')
    if spec.text("readback_yes"):  # answers are said back: all the words it needs, now
        for key in READBACK_KEYS:
            if not spec.text(key):
                raise texts_fields.error(key, "an answer said back needs this text too")
    check_references(spec, doc, fields_by_id)
    check_flags(spec, flags, dict(zip([f.id for f in flags], flag_fields, strict=True)),
                 fields_by_id)
    check_conditions(spec, flags, fields_by_id)
    check_safety(spec, fields_by_id)
    return spec


def _read_limit(doc: Fields, states: dict[str, State]) -> dict[str, object]:
    """`answer_limit: {answers: 20, state: too_unclear}`: the most answers a check may take."""
    if not doc.has("answer_limit"):
        return {}
    table = doc.mapping("answer_limit")
    answers, state = table.integer("answers", minimum=1), table.text("state")
    if state not in states:
        raise table.error("state", f"no state {state!r}")
    if not states[state].raises:
        raise table.error("state", "the state at the limit raises the flag that ends the "
                          "questions safely (raises:)")
    table.done()
    return {"answer_limit": answers, "limit_state": state}


def _read_given(doc: Fields) -> dict[str, str]:
    if not doc.has("given"):
        return {}
    table = doc.mapping("given")
    return {key: table.text(key) for key in table.keys()}


def _read_tiers(doc: Fields) -> list[Tier]:
    tiers = []
    tier_fields = doc.items("tiers")
    for item in tier_fields:
        tier = Tier(item.text("id"), item.text("label"), tuple(item.text_list("advice")),
                    item.boolean("blocks_exercise", True), item.text("safety_net", ""),
                    item.text("repeat", ""), item.boolean("tell_signs", False))
        if not tier.advice:
            raise item.error("advice", "a tier needs advice to speak")
        for key in ("advice", "safety_net", "repeat"):
            check_placeholders(item, key, getattr(tier, key))
        if tier.id == EMERGENCY and not any("{emergency_number}" in line for line in tier.advice):
            raise item.error("advice", "emergency advice must say the number to call "
                             "({emergency_number})")
        if tier.id == EMERGENCY and not tier.blocks_exercise:
            raise item.error("blocks_exercise", "an emergency must block exercise")
        item.done()
        tiers.append(tier)
    unique_ids([(t.id, f) for t, f in zip(tiers, tier_fields, strict=True)], "tier")
    for tier, item in zip(tiers[1:], tier_fields[1:], strict=True):
        if tier.blocks_exercise and not tiers[tiers.index(tier) - 1].blocks_exercise:
            raise item.error("blocks_exercise", "a tier cannot block exercise when a more "
                             "urgent one does not (tiers are listed most urgent first)")
    return tiers


def _read_said_back(doc: Fields, states: dict[str, State],
                    fields_by_id: dict[str, Fields]) -> NumberSaidBack | None:
    """`number_said_back:`, the words a number near a threshold is said back in and the numbers
    heard for each other in this language; every number state that `confirm`s needs it."""
    if not doc.has("number_said_back"):
        confirming = next((state for state in states.values() if state.confirm), None)
        if confirming is not None:
            raise fields_by_id[confirming.id].error(
                "confirm", "a number said back needs the words to say it in: add "
                "number_said_back (say, and which numbers sound alike)")
        return None
    table = doc.mapping("number_said_back")
    say = table.text("say")
    check_placeholders(table, "say", say, ("number",))
    if "{number}" not in say:
        raise table.error("say", "the line says the number back: put {number} in it")
    pairs = []
    for entry in table.items("sound_alike", []):
        pair = (entry.integer("number", minimum=1), entry.integer("sounds_like", minimum=1))
        if pair[0] == pair[1]:
            raise entry.error("sounds_like", f"{pair[0]} is heard for another number, not itself")
        entry.done()
        pairs.append(pair)
    said_back = NumberSaidBack(say=say, join=table.text("join", " "),
                               capital=table.boolean("capital", False),
                               near=table.integer("near", 0, minimum=0),
                               sound_alike=tuple(pairs))
    table.done()
    return said_back
