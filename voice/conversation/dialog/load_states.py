"""Reading the states of a dialog YAML: each kind's own fields (`spec.STATE_KINDS`), checked
where they are read, and the next state a step falls through to."""

from __future__ import annotations

from dataclasses import replace

from ...content.schema import Fields
from .load_fields import check_placeholders, read_conditions, read_yes_words
from .spec import STATE_KINDS, NumberRange, ScreenItem, State


def read_state(item: Fields, contexts: set[str] | None) -> State:
    kind = item.choice("type", list(STATE_KINDS))
    values: dict[str, object] = {"id": item.text("id"), "where": item.where}
    values["requires_clear"] = item.boolean("requires_clear", False)
    values["requires_safe"] = item.boolean("requires_safe", False)
    values["offers_stretches"] = item.boolean("offers_stretches", False)
    values["help"] = item.text("help", "")
    values["next"] = item.text("next", None)
    values["sources"] = tuple(item.text_list("sources", []))
    values["when"] = read_conditions(item)
    if kind in ("say", "handoff", "end"):
        optional = kind == "end" or (kind == "say" and item.has("raises"))
        values["text"] = tuple(item.text_list("text", []) if optional else item.text_list("text"))
    if kind == "say":
        values["raises"] = tuple(item.text_list("raises", []))
    if kind == "end":
        values["safety_net"] = item.boolean("safety_net", True)
    if kind == "handoff":
        values["target"] = item.text("target")
        values["routine"] = item.text("routine", None)
        values["routine_by"] = item.text("routine_by", None)
        values["flagged_routines"] = tuple(item.text_list("flagged_routines", []))
        if item.has("routines"):
            table = item.mapping("routines")
            values["routines"] = {key: table.text(key) for key in table.keys()}
    if kind in ("screen", "check", "question", "choice", "number"):
        values["ask"] = item.text("ask")
    if kind == "screen":
        items = []
        for entry in item.items("items"):
            items.append(ScreenItem(entry.text("say"), tuple(entry.text_list("flags"))))
            if not items[-1].flags:
                raise entry.error("flags", "a list item must open at least one flag")
            entry.done()
        if not items:
            raise item.error("items", "a list needs at least one item")
        values["items"] = tuple(items)
    if kind == "check":
        values["screens"] = tuple(item.text_list("screens"))
    if kind in ("screen", "check"):
        values["unpinned"] = item.text("unpinned", None)
    if kind == "question":
        values["on_yes"] = item.text("on_yes")
        values["on_no"] = item.text("on_no")
        values["yes_words"] = read_yes_words(item)
    if kind in ("question", "screen", "check"):
        values["context"] = item.text("context", "yes_no")
    if kind == "choice":
        values["store"] = item.text("store", None)
        values["routine_options"] = item.text("routine_options", None)
        options = item.mapping("options")
        values["options"] = {key: options.text(key) for key in options.keys()}
        values["default"] = item.text("default")
        values["context"] = item.text("context")
    if kind == "number":
        values["context"] = item.text("context")
        values["store"] = item.text("store", None)
        values["default"] = item.text("default")
        values["confirm"] = item.boolean("confirm", False)
        ranges = []
        for entry in item.items("ranges", []):
            ranges.append(NumberRange(entry.integer("min"), entry.integer("max"),
                                      entry.text("next")))
            entry.done()
        values["ranges"] = tuple(ranges)
    if kind == "outcome":
        values["clear"] = item.text("clear")
        values["mild"] = item.text("mild", None)
        if item.has("by_tier"):
            table = item.mapping("by_tier")
            values["by_tier"] = {key: table.text(key) for key in table.keys()}
    for key in ("text", "ask", "help"):
        if key in values:
            check_placeholders(item, key, values[key])  # type: ignore[arg-type]
    if contexts is not None and kind in ("question", "choice", "number", "screen", "check"):
        if values["context"] not in contexts:
            raise item.error("context", f"unknown context {values['context']!r}; "
                             f"known: {', '.join(sorted(contexts))}")
    item.done()
    return STATE_KINDS[kind](**values)  # type: ignore[arg-type]


def with_default_next(state: State, following: object) -> State:
    """`say`, `screen` and friends fall through to the next state in the file."""
    if state.next or state.type in ("end", "outcome", "question", "choice"):
        return state
    if not isinstance(following, str):
        return state
    return replace(state, next=following)
