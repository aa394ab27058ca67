"""A dialog as data: the states of a YAML dialog, validated at load.

The engine in `dialog.py` runs whatever this describes.  The checks here are
the ones that protect users: every reference resolves, tiers are known, and
no red-flag "yes" can reach a state that offers stretches or reassurance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .schema import Fields, unique_ids
from .yamlsource import ContentError, Where, load_yaml

STATE_TYPES = (
    "say", "flag", "modifier", "confirm_negatives", "outcome", "question", "choice", "number",
    "handoff", "end",
)
SELF_CARE = "self_care"
EMERGENCY = "emergency"


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    advice: tuple[str, ...]


@dataclass(frozen=True)
class NumberRange:
    low: int
    high: int
    next: str


@dataclass(frozen=True)
class State:
    """One step of a dialog; which fields matter depends on `type`."""

    id: str
    type: str
    where: Where
    text: tuple[str, ...] = ()
    ask: str = ""
    help: str = ""
    context: str = "yes_no"
    next: str | None = None
    on_yes: str | None = None
    on_no: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    tier: str | None = None
    label: str = ""
    advice: str = ""
    sources: tuple[str, ...] = ()
    raises: int = 0
    max_tier: str | None = None
    redo: str = ""
    store: str | None = None
    ranges: tuple[NumberRange, ...] = ()
    clear: str | None = None
    target: str | None = None
    routine: str | None = None  # handoff: the routine to start by default
    routine_by: str | None = None  # handoff: the stored answer that picks the routine
    routines: dict[str, str] = field(default_factory=dict)  # stored answer -> routine id
    requires_clear: bool = False
    offers_stretches: bool = False
    yes_words: frozenset[str] = frozenset()  # flag: words that answer yes when nothing else is clear

    @property
    def asks(self) -> bool:
        return self.type in ("flag", "modifier", "confirm_negatives", "question", "choice",
                             "number")

    def successors(self) -> list[str]:
        found = [self.next, self.on_yes, self.on_no, self.default, self.clear]
        found += list(self.options.values()) + [r.next for r in self.ranges]
        return [name for name in found if name]


@dataclass(frozen=True)
class DialogSpec:
    """A whole dialog: its states in order, its tiers and its fixed texts."""

    id: str
    title: str
    start: str
    outcome_state: str
    tiers: tuple[Tier, ...]
    texts: dict[str, object]
    states: dict[str, State]
    order: tuple[str, ...]
    source: str

    def tier_rank(self, tier: str) -> int:
        """0 is most urgent; self-care ranks after every tier."""
        for rank, item in enumerate(self.tiers):
            if item.id == tier:
                return rank
        if tier == SELF_CARE:
            return len(self.tiers)
        raise KeyError(tier)

    def tier(self, tier_id: str) -> Tier:
        return self.tiers[self.tier_rank(tier_id)]

    def flags(self) -> list[State]:
        return [self.states[name] for name in self.order if self.states[name].type == "flag"]

    def text(self, key: str) -> str:
        value = self.texts.get(key, "")
        return value if isinstance(value, str) else ""

    def text_steps(self, key: str) -> tuple[str, ...]:
        value = self.texts.get(key, ())
        return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    def sentences(self, steps_only: bool = False) -> list[str]:
        """Every fixed text the dialog can speak, roughly in the order a session reaches them,
        so speech can be rendered before it is needed (`steps_only`: just the states' own
        texts and questions, which come first). Texts may hold placeholders."""
        found: list[str] = []
        for name in self.order:
            state = self.states[name]
            found += [*state.text, state.ask] + ([] if steps_only else [state.help, state.advice])
        if steps_only:
            return [text for text in dict.fromkeys(found) if text.strip()]
        for tier in self.tiers:
            found += tier.advice
        for value in self.texts.values():
            found += [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
        return [text for text in dict.fromkeys(found) if text.strip()]


_TEXT_KEYS_LISTS = ("no_match", "no_input")
# What may stand in braces in spoken text; anything else is a typo that would be read aloud.
PLACEHOLDERS = ("emergency_number", "disclaimer", "labels")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _check_placeholders(fields: Fields, key: str, texts: list[str] | tuple[str, ...] | str) -> None:
    for text in [texts] if isinstance(texts, str) else texts:
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                raise fields.error(key, f"unknown placeholder {{{name}}}; known: "
                                   + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))


def load_dialog(path: Path | str, contexts: set[str] | None = None) -> DialogSpec:
    """Read a dialog YAML; every mistake names file, line and field."""
    path = Path(path)
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    tiers = []
    tier_fields = doc.items("tiers")
    for item in tier_fields:
        tiers.append(Tier(item.text("id"), item.text("label"), tuple(item.text_list("advice"))))
        if not tiers[-1].advice:
            raise item.error("advice", "a tier needs advice to speak")
        _check_placeholders(item, "advice", tiers[-1].advice)
        item.done()
    for tier, item in zip(tiers, tier_fields, strict=True):
        if tier.id == EMERGENCY and not any("{emergency_number}" in line for line in tier.advice):
            raise item.error("advice", "emergency advice must say the number to call "
                             "({emergency_number})")
    unique_ids([(t.id, f) for t, f in zip(tiers, tier_fields, strict=True)], "tier")
    tier_ids = [t.id for t in tiers]

    texts_fields = doc.mapping("texts")
    texts: dict[str, object] = {}
    for key in texts_fields.keys():
        if key in _TEXT_KEYS_LISTS:
            texts[key] = tuple(texts_fields.text_list(key))
        else:
            texts[key] = texts_fields.text(key)
        _check_placeholders(texts_fields, key, texts[key])  # type: ignore[arg-type]

    state_fields = doc.items("states")
    states: dict[str, State] = {}
    order: list[str] = []
    ids = []
    for index, item in enumerate(state_fields):
        state = _read_state(item, tier_ids, contexts)
        ids.append((state.id, item))
        following = state_fields[index + 1].data.get("id") if index + 1 < len(state_fields) else None
        state = _with_default_next(state, following)
        states[state.id] = state
        order.append(state.id)
    unique_ids(ids, "state")

    spec = DialogSpec(
        id=doc.text("id"), title=doc.text("title"), start=doc.text("start"),
        outcome_state=doc.text("outcome_state"), tiers=tuple(tiers), texts=texts,
        states=states, order=tuple(order), source=str(path),
    )
    doc.done()
    _check_references(spec, doc, dict(ids))
    _check_safety(spec, dict(ids))
    return spec


def _read_state(item: Fields, tier_ids: list[str], contexts: set[str] | None) -> State:
    kind = item.choice("type", STATE_TYPES)
    values: dict[str, object] = {"id": item.text("id"), "type": kind, "where": item.where}
    values["requires_clear"] = item.boolean("requires_clear", False)
    values["offers_stretches"] = item.boolean("offers_stretches", False)
    values["help"] = item.text("help", "")
    values["next"] = item.text("next", None)
    if kind in ("say", "handoff", "end"):
        values["text"] = tuple(item.text_list("text", []) if kind == "end" else item.text_list("text"))
    if kind == "handoff":
        values["target"] = item.text("target")
        values["routine"] = item.text("routine", None)
        values["routine_by"] = item.text("routine_by", None)
        if item.has("routines"):
            table = item.mapping("routines")
            values["routines"] = {key: table.text(key) for key in table.keys()}
    if kind in ("flag", "modifier", "confirm_negatives", "question", "choice", "number"):
        values["ask"] = item.text("ask")
    if kind == "flag":
        values["tier"] = item.choice("tier", tier_ids)
        values["label"] = item.text("label")
        values["advice"] = item.text("advice")
        values["sources"] = tuple(item.text_list("sources"))
        if not values["sources"]:
            raise item.error("sources", "every red flag needs at least one source")
        words = item.text_list("yes_words", [])
        for word in words:
            if len(word.split()) != 1 or word != word.lower():
                raise item.error("yes_words", f"{word!r}: yes words are single lower-case words")
        values["yes_words"] = frozenset(words)
    if kind == "modifier":
        values["raises"] = item.integer("raises", minimum=1)
        values["max_tier"] = item.choice("max_tier", tier_ids)
        values["sources"] = tuple(item.text_list("sources"))
    if kind == "confirm_negatives":
        values["tier"] = item.choice("tier", tier_ids)
        values["redo"] = item.text("redo")
        if "{labels}" not in str(values["ask"]):
            raise item.error("ask", "a read-back question must contain {labels}")
    if kind == "question":
        values["on_yes"] = item.text("on_yes")
        values["on_no"] = item.text("on_no")
    if kind in ("question", "flag", "modifier", "confirm_negatives"):
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
        ranges = []
        for entry in item.items("ranges", []):
            ranges.append(NumberRange(entry.integer("min"), entry.integer("max"),
                                      entry.text("next")))
            entry.done()
        values["ranges"] = tuple(ranges)
    if kind == "outcome":
        values["clear"] = item.text("clear")
    for key in ("text", "ask", "help", "advice"):
        if key in values:
            _check_placeholders(item, key, values[key])  # type: ignore[arg-type]
    if contexts is not None and kind in ("question", "choice", "number", "flag", "modifier",
                                         "confirm_negatives"):
        if values["context"] not in contexts:
            raise item.error("context", f"unknown context {values['context']!r}; "
                             f"known: {', '.join(sorted(contexts))}")
    item.done()
    return State(**values)  # type: ignore[arg-type]


def _with_default_next(state: State, following: object) -> State:
    """`say`, `flag` and friends fall through to the next state in the file."""
    if state.next or state.type in ("end", "outcome", "question", "choice"):
        return state
    if not isinstance(following, str):
        return state
    return State(**{**state.__dict__, "next": following})


def _check_references(spec: DialogSpec, doc: Fields, fields_by_id: dict[str, Fields]) -> None:
    for key in ("start", "outcome_state"):
        target = getattr(spec, key)
        if target not in spec.states:
            raise doc.error(key, f"no state with id {target!r}")
    if spec.states[spec.outcome_state].type != "outcome":
        raise doc.error("outcome_state", f"state {spec.outcome_state!r} is not of type outcome")
    for state in spec.states.values():
        item = fields_by_id[state.id]
        for key in ("next", "on_yes", "on_no", "default", "clear"):
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
        if state.type not in ("end", "outcome") and not state.successors():
            raise item.error("next", "this state leads nowhere (add next, or make it an end)")


def _check_safety(spec: DialogSpec, fields_by_id: dict[str, Fields]) -> None:
    """Statically prove that red-flag answers cannot reach self-care or stretches."""
    for state in spec.states.values():
        item = fields_by_id[state.id]
        if state.offers_stretches and not state.requires_clear:
            raise item.error("requires_clear", "a state that offers stretches must require a "
                             "clear triage (requires_clear: true)")
    outcome = spec.states[spec.outcome_state]
    if not spec.states[outcome.clear].requires_clear:  # type: ignore[index]
        raise fields_by_id[outcome.id].error(
            "clear", "the all-clear path must start with a state that requires_clear")
    # Every state that requires a clear triage must only be reachable through outcome.clear.
    reachable_without_clear: set[str] = set()
    frontier = [spec.start]
    while frontier:
        name = frontier.pop()
        if name in reachable_without_clear:
            continue
        reachable_without_clear.add(name)
        state = spec.states[name]
        if state.type == "outcome":
            continue  # the outcome decides at run time; `clear` is only taken with no flags
        frontier.extend(state.successors())
    for name in spec.order:
        state = spec.states[name]
        if name in reachable_without_clear and state.requires_clear:
            raise fields_by_id[name].error(
                "requires_clear", "this state can be reached without passing the outcome's "
                "all-clear branch")
