"""Reading the red flags of a dialog YAML: each flag, its grades, and how answers to its
question are read (`window`, `parts`, `earlier`, words excepted)."""

from __future__ import annotations

from ...content.schema import Fields
from .load_fields import YES_WORD, check_placeholders, read_conditions, read_hours, read_yes_words
from .spec import Flag, Grade, Part, Reads


def _read_reads(item: Fields, question_id: str) -> Reads:
    """`window`, `parts`, `any_part`, `earlier` and `except_words` of a flag or grade."""
    window, ever = None, False
    if item.has("window"):
        value = item.data["window"]
        if value in ("now", "ever"):
            window, ever = (0.5, False) if value == "now" else (None, True)
            item._read.add("window")
        else:
            window = read_hours(item, "window")
    parts = []
    for entry in item.items("parts", []):
        parts.append(Part(id=f"{question_id}.{entry.text('id')}", say=entry.text("say"),
                          ask=entry.text("ask"), words=read_yes_words(entry),
                          wellbeing=entry.boolean("wellbeing", False)))
        if not parts[-1].words:
            raise entry.error("yes_words", "a part needs the words that name it")
        entry.done()
    if len(parts) == 1:
        raise item.error("parts", "a question joins two or more parts, or has none")
    excepted = item.text_list("except_words", [])
    for word in excepted:
        if not YES_WORD.match(word.replace("*", "")):
            raise item.error("except_words", f"{word!r}: lower-case words without punctuation")
    return Reads(window=window, parts=tuple(parts), any_part=item.boolean("any_part", False),
                 earlier=item.text("earlier", None), except_words=frozenset(excepted),
                 route_words=read_yes_words(item, "route_words"), ever=ever)


def read_flag(item: Fields, tier_ids: list[str]) -> Flag:
    values: dict[str, object] = {
        "id": item.text("id"), "tier": item.choice("tier", tier_ids), "label": item.text("label"),
        "ask": item.text("ask", ""), "again": item.text("again", ""), "advice": item.text("advice"),
        "sources": tuple(item.text_list("sources")), "where": item.where,
        "help": item.text("help", ""), "yes_words": read_yes_words(item),
        "when": read_conditions(item), "mention": item.text("mention", ""),
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
            help=entry.text("help", ""), when=read_conditions(entry),
            yes_words=read_yes_words(entry), asks_flag=entry.text("asks_flag", None),
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
            check_placeholders(entry, key, getattr(grades[-1], key))
        entry.done()
    values["grades"] = tuple(grades)
    for key in ("ask", "again", "help", "advice"):
        check_placeholders(item, key, values[key])  # type: ignore[arg-type]
    item.done()
    return Flag(**values)  # type: ignore[arg-type]
