"""Reading a dialog YAML into `dialogspec` data: each field checked where it is read, every
mistake named by file, line and field; then the cross-checks and the safety proof
(`dialogsafety`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ...content.placeholders import placeholders
from ...content.schema import Fields, unique_ids
from ...content.yamlsource import Where, load_yaml
from .safety import check_conditions, check_flags, check_references, check_safety
from .spec import (
    EMERGENCY,
    STATE_KINDS,
    Condition,
    DialogSpec,
    Flag,
    Grade,
    NumberRange,
    Part,
    Reads,
    ScreenItem,
    State,
    Tier,
)

_TEXT_KEYS_LISTS = ("no_match", "no_input")
# What may stand in braces in spoken text; anything else is a typo that would be read aloud.
PLACEHOLDERS = ("emergency_number", "disclaimer", "labels")
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
    "heard_number": ("number",),
}


def _check_placeholders(fields: Fields, key: str, texts: list[str] | tuple[str, ...] | str,
                        own: tuple[str, ...] = ()) -> None:
    for text in [texts] if isinstance(texts, str) else texts:
        for name in placeholders(text):
            if name not in PLACEHOLDERS + own:
                raise fields.error(key, f"unknown placeholder {{{name}}}; known: "
                                   + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS + own))


def load_dialog(path: Path | str, contexts: set[str] | None = None,
                terms: Mapping[str, str] | None = None) -> DialogSpec:
    """Read a dialog YAML in a locale's words (`terms`); every mistake names file, line and
    field."""
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
        _check_placeholders(texts_fields, key, texts[key],  # type: ignore[arg-type]
                            TEXT_PLACEHOLDERS.get(key, ()))

    flag_fields = doc.items("flags", [])
    flags = [_read_flag(item, tier_ids) for item in flag_fields]
    unique_ids([(f.id, item) for f, item in zip(flags, flag_fields, strict=True)], "flag")

    state_fields = doc.items("states")
    states: dict[str, State] = {}
    order: list[str] = []
    ids = []
    for index, item in enumerate(state_fields):
        state = _read_state(item, contexts)
        ids.append((state.id, item))
        following = state_fields[index + 1].data.get("id") if index + 1 < len(state_fields) else None
        state = _with_default_next(state, following)
        states[state.id] = state
        order.append(state.id)
    unique_ids(ids, "state")

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
        by_proxy=_read_conditions(doc.mapping("by_proxy")) if doc.has("by_proxy") else (),
        since_the_pain_began=(_read_hours(doc, "since_the_pain_began")
                              if doc.has("since_the_pain_began") else None),
    )
    doc.done()
    if any(s.type == "screen" for s in states.values()) or flags:
        if not spec.text("list_or"):
            raise texts_fields.error("list_or", 'give the word that joins the last item of a '
                                     'spoken list ("or")')
    fields_by_id = dict(ids)
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
            _check_placeholders(item, key, getattr(tier, key))
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


def _read_conditions(item: Fields) -> tuple[Condition, ...]:
    if not item.has("when"):
        return ()
    table = item.mapping("when")
    found = []
    for key in table.keys():
        value = table.data[key]
        if isinstance(value, list):
            found.append(Condition(key, values=tuple(table.text_list(key))))
        else:
            bounds = table.mapping(key)
            low = bounds.integer("min") if bounds.has("min") else None
            high = bounds.integer("max") if bounds.has("max") else None
            if low is None and high is None:
                raise table.error(key, "a condition needs a list of answers, or min and/or max")
            bounds.done()
            found.append(Condition(key, low, high))
    return tuple(found)


_YES_WORD = re.compile(r"^[a-z]+(\*)?( [a-z]+(\*)?)*$")


def _read_yes_words(item: Fields, key: str = "yes_words") -> frozenset[str]:
    """Words or short phrases in lower case; a word ending in * stands for every word it
    starts ("tingl*": tingle, tingles, tingling), and needs at least four letters before it."""
    words = item.text_list(key, [])
    for word in words:
        if not _YES_WORD.match(word) or any(len(part) < 5 for part in word.split()
                                             if part.endswith("*")):
            raise item.error(key, f"{word!r}: yes words are lower-case words or phrases "
                             "without punctuation; a word may end in * after four letters or more")
    return frozenset(words)


_WINDOW_UNITS = {"hours": 1.0, "days": 24.0, "weeks": 168.0}


def _read_reads(item: Fields, question_id: str) -> Reads:
    """`window`, `parts`, `any_part`, `earlier` and `except_words` of a flag or grade."""
    window, ever = None, False
    if item.has("window"):
        value = item.data["window"]
        if value in ("now", "ever"):
            window, ever = (0.5, False) if value == "now" else (None, True)
            item._read.add("window")
        else:
            window = _read_hours(item, "window")
    parts = []
    for entry in item.items("parts", []):
        parts.append(Part(id=f"{question_id}.{entry.text('id')}", say=entry.text("say"),
                          ask=entry.text("ask"), words=_read_yes_words(entry),
                          wellbeing=entry.boolean("wellbeing", False)))
        if not parts[-1].words:
            raise entry.error("yes_words", "a part needs the words that name it")
        entry.done()
    if len(parts) == 1:
        raise item.error("parts", "a question joins two or more parts, or has none")
    excepted = item.text_list("except_words", [])
    for word in excepted:
        if not _YES_WORD.match(word.replace("*", "")):
            raise item.error("except_words", f"{word!r}: lower-case words without punctuation")
    return Reads(window=window, parts=tuple(parts), any_part=item.boolean("any_part", False),
                 earlier=item.text("earlier", None), except_words=frozenset(excepted),
                 route_words=_read_yes_words(item, "route_words"), ever=ever)


def _read_hours(item: Fields, key: str) -> float:
    """`{hours: 12}`, `{days: 3}` or `{weeks: 2}`, as hours."""
    table = item.mapping(key)
    given = [unit for unit in _WINDOW_UNITS if table.has(unit)]
    if len(given) != 1:
        raise item.error(key, "now, ever, or one of hours, days or weeks: {days: 3}")
    hours = table.number(given[0], minimum=1) * _WINDOW_UNITS[given[0]]
    table.done()
    return hours


def _read_flag(item: Fields, tier_ids: list[str]) -> Flag:
    values: dict[str, object] = {
        "id": item.text("id"), "tier": item.choice("tier", tier_ids), "label": item.text("label"),
        "ask": item.text("ask", ""), "again": item.text("again", ""), "advice": item.text("advice"),
        "sources": tuple(item.text_list("sources")), "where": item.where,
        "help": item.text("help", ""), "yes_words": _read_yes_words(item),
        "when": _read_conditions(item), "mention": item.text("mention", ""),
        "about_now": item.boolean("about_now", False), "compound": item.boolean("compound", False),
        "exercise": item.text("exercise", None),
        "reads": _read_reads(item, item.text("id")), "repeat": item.text("repeat", ""),
    }
    if not values["sources"]:
        raise item.error("sources", "every red flag needs at least one source")
    grades = []
    for entry in item.items("grades", []):
        grades.append(Grade(
            id=entry.text("id"), tier=entry.choice("tier", tier_ids), label=entry.text("label"),
            advice=entry.text("advice"), ask=entry.text("ask", ""),
            again=entry.text("again", "") if entry.has("ask") else "",
            help=entry.text("help", ""), when=_read_conditions(entry),
            yes_words=_read_yes_words(entry), asks_flag=entry.text("asks_flag", None),
            about_now=entry.boolean("about_now", False),
            compound=entry.boolean("compound", False),
            reads=_read_reads(entry, entry.text("id")),
            unclear=entry.choice("unclear", ("applies", "next"), "applies"),
            repeat=entry.text("repeat", "")))
        if grades[-1].asks_flag and grades[-1].ask:
            raise entry.error("asks_flag", "a grade that asks another flag's question has no "
                              "question of its own (remove ask)")
        if not grades[-1].ask and not grades[-1].when and not grades[-1].asks_flag:
            raise entry.error("ask", "a grade needs a question (ask, or asks_flag) or a "
                              "condition (when)")
        if grades[-1].ask and not entry.has("again"):
            raise entry.error("again", "a graded question needs other words to ask it again")
        for key in ("ask", "again", "help", "advice", "repeat"):
            _check_placeholders(entry, key, getattr(grades[-1], key))
        entry.done()
    values["grades"] = tuple(grades)
    for key in ("ask", "again", "help", "advice"):
        _check_placeholders(item, key, values[key])  # type: ignore[arg-type]
    item.done()
    return Flag(**values)  # type: ignore[arg-type]


def _read_state(item: Fields, contexts: set[str] | None) -> State:
    kind = item.choice("type", list(STATE_KINDS))
    values: dict[str, object] = {"id": item.text("id"), "where": item.where}
    values["requires_clear"] = item.boolean("requires_clear", False)
    values["requires_safe"] = item.boolean("requires_safe", False)
    values["offers_stretches"] = item.boolean("offers_stretches", False)
    values["help"] = item.text("help", "")
    values["next"] = item.text("next", None)
    values["sources"] = tuple(item.text_list("sources", []))
    values["when"] = _read_conditions(item)
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
        values["yes_words"] = _read_yes_words(item)
    if kind in ("question", "screen", "check"):
        values["context"] = item.text("context", "yes_no")
    if kind == "choice":
        values["store"] = item.text("store", None)
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
            _check_placeholders(item, key, values[key])  # type: ignore[arg-type]
    if contexts is not None and kind in ("question", "choice", "number", "screen", "check"):
        if values["context"] not in contexts:
            raise item.error("context", f"unknown context {values['context']!r}; "
                             f"known: {', '.join(sorted(contexts))}")
    item.done()
    return STATE_KINDS[kind](**values)  # type: ignore[arg-type]


def _with_default_next(state: State, following: object) -> State:
    """`say`, `screen` and friends fall through to the next state in the file."""
    if state.next or state.type in ("end", "outcome", "question", "choice"):
        return state
    if not isinstance(following, str):
        return state
    return replace(state, next=following)
