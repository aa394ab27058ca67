"""A dialog as data: the states and red flags of a YAML dialog, validated at load.

The engine in `dialog.py` runs whatever this describes.  The checks here are
the ones that protect users: every reference resolves, tiers are known, every
red flag can be reached from the start, and no flag of a tier that blocks
exercise can reach a state that offers stretches or reassurance.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..schema import Fields, unique_ids
from ..yamlsource import ContentError, Where, load_yaml

STATE_TYPES = (
    "say", "screen", "check", "outcome", "question", "choice", "number", "handoff", "end",
)
# States whose question is about red flags: a hedged "not really" there means "not sure".
RED_FLAG_STATES = ("screen", "check", "flag")
SELF_CARE = "self_care"
EMERGENCY = "emergency"


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    advice: tuple[str, ...]
    blocks_exercise: bool = True
    safety_net: str = ""  # spoken at the end when this is the outcome ("" : the dialog's own)
    repeat: str = ""  # the disposition once more, as the last words of a flagged outcome


@dataclass(frozen=True)
class NumberRange:
    low: int
    high: int
    next: str


@dataclass(frozen=True)
class Condition:
    """Skip logic on a stored answer (`when: {age: {min: 65}}`, `when: {location: [neck]}`).

    An answer that was never given holds: not knowing someone's age must not
    skip a question meant for older people.
    """

    key: str
    low: int | None = None
    high: int | None = None
    values: tuple[str, ...] = ()

    def holds(self, answers: dict[str, int | str]) -> bool:
        if self.key not in answers:
            return True
        value = answers[self.key]
        if self.values:
            return str(value) in self.values
        if not isinstance(value, int):
            return True
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def holds(conditions: tuple[Condition, ...], answers: dict[str, int | str]) -> bool:
    return all(condition.holds(answers) for condition in conditions)


@dataclass(frozen=True)
class Grade:
    """A more urgent reading of one flag's event, chosen by a condition or one more question.

    "One event, one answer": a fall is one flag whose tier the grades decide
    (65 or over, a high-risk fall, tingling since, thin bones), so the same
    fall can never be an emergency by one question and same-day by another.
    """

    id: str
    tier: str
    label: str
    advice: str
    ask: str = ""  # empty: the grade applies whenever `when` holds
    again: str = ""
    help: str = ""
    when: tuple[Condition, ...] = ()
    yes_words: frozenset[str] = frozenset()
    asks_flag: str | None = None  # the grade's question is this flag's; one answer serves both
    context: str = "yes_no"
    type: str = "flag"
    about_now: bool = False
    compound: bool = False


@dataclass(frozen=True)
class Flag:
    """One red flag: its single question, tier, advice and sources."""

    id: str
    tier: str
    label: str
    ask: str
    again: str  # the same question in other words, asked once when the answer was unclear
    advice: str
    sources: tuple[str, ...]
    where: Where
    help: str = ""
    # Words and phrases a person may use for this symptom: they answer yes when nothing else
    # is clear, make a "no" that carries them unsure, and are heard when volunteered.
    yes_words: frozenset[str] = frozenset()
    when: tuple[Condition, ...] = ()
    grades: tuple[Grade, ...] = ()
    mention: str = ""  # how to name it when it was heard ("feeling sick"); else the label
    about_now: bool = False  # asks about right now: "not at the moment" is a plain no
    compound: bool = False  # asks two things at once: "I have X but..." is unsure
    exercise: str | None = None  # the most it allows: "none", or a routine id (gentlest)
    context: str = "yes_no"
    type: str = "flag"

    @property
    def named(self) -> str:
        return self.mention or self.label


@dataclass(frozen=True)
class ScreenItem:
    """One spoken item of an "any of these?" list and the flags its single questions ask."""

    say: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class State:
    """One step of a dialog; which fields matter depends on `type`."""

    id: str
    type: str
    where: Where
    text: tuple[str, ...] = ()
    ask: str = ""
    again: str = ""
    help: str = ""
    context: str = "yes_no"
    next: str | None = None
    on_yes: str | None = None
    on_no: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    store: str | None = None
    ranges: tuple[NumberRange, ...] = ()
    clear: str | None = None  # outcome: where a triage with no flag at all goes
    mild: str | None = None  # outcome: where flags that do not block exercise go
    items: tuple[ScreenItem, ...] = ()  # screen: the list's items
    screens: tuple[str, ...] = ()  # check: the screens whose "no" it checks
    target: str | None = None
    routine: str | None = None  # handoff: the routine to start by default
    routine_by: str | None = None  # handoff: the stored answer that picks the routine
    routines: dict[str, str] = field(default_factory=dict)  # stored answer -> routine id
    # handoff: the routines after a flag that allows exercise, gentlest first; a flag names
    # one with `exercise`, and the last is for the others.
    flagged_routines: tuple[str, ...] = ()
    requires_clear: bool = False  # only with no flag at all (reassurance)
    requires_safe: bool = False  # only with no flag of a tier that blocks exercise
    offers_stretches: bool = False
    sources: tuple[str, ...] = ()
    yes_words: frozenset[str] = frozenset()
    when: tuple[Condition, ...] = ()  # the state is passed over (to `next`) unless these hold
    raises: tuple[str, ...] = ()  # say: the flags this state raises (an age under 16)
    confirm: bool = False  # number: echo an answer near a threshold the content uses
    unpinned: str | None = None  # screen, check: the flag raised when a yes finds no flag
    by_tier: dict[str, str] = field(default_factory=dict)  # outcome: tier -> where it goes
    safety_net: bool = True  # end: say the safety net (not after a handover that said it)

    @property
    def flagged_routine(self) -> str | None:
        """The routine after a flag that allows exercise and names none."""
        return self.flagged_routines[-1] if self.flagged_routines else None

    @property
    def asks(self) -> bool:
        return self.type in ("screen", "check", "question", "choice", "number")

    def flag_ids(self) -> list[str]:
        return [flag for item in self.items for flag in item.flags]

    def successors(self) -> list[str]:
        found = [self.next, self.on_yes, self.on_no, self.default, self.clear, self.mild]
        found += list(self.options.values()) + [r.next for r in self.ranges]
        found += list(self.by_tier.values())
        return [name for name in found if name]


@dataclass(frozen=True)
class DialogSpec:
    """A whole dialog: its states in order, its red flags, tiers and fixed texts."""

    id: str
    title: str
    start: str
    outcome_state: str
    tiers: tuple[Tier, ...]
    texts: dict[str, object]
    states: dict[str, State]
    order: tuple[str, ...]
    source: str
    flag_table: dict[str, Flag] = field(default_factory=dict)
    # Values the caller gives before the first state, with their defaults (`greeted`: the
    # voice session has already said hello and that this is not a diagnosis).
    given: dict[str, str] = field(default_factory=dict)

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

    def flags(self) -> list[Flag]:
        """Every red flag, in the order the screens ask them."""
        return list(self.flag_table.values())

    def screen_of(self, flag_id: str) -> State:
        """The state that asks a flag: its list, or the state that raises or pins it."""
        return next(state for state in self.states.values() if flag_id in state.flag_ids()
                    or flag_id in state.raises or flag_id == state.unpinned)

    def thresholds(self, key: str) -> list[int]:
        """Every value of a stored answer at which some question starts or stops applying
        (an age of 16, 50, 55, 65): where a misheard answer would change what is asked."""
        found: set[int] = set()
        conditions = [c for flag in self.flags() for c in flag.when]
        conditions += [c for flag in self.flags() for g in flag.grades for c in g.when]
        conditions += [c for state in self.states.values() for c in state.when]
        for condition in conditions:
            if condition.key == key:
                found |= {v for v in (condition.low, None if condition.high is None
                                      else condition.high + 1) if v is not None}
        for state in self.states.values():
            if state.store == key:
                found |= {v for r in state.ranges for v in (r.low, r.high + 1)}
        return sorted(found)

    def most_urgent_rank(self, flag: Flag) -> int:
        """The most urgent tier this flag can give, through any of its grades."""
        return min(self.tier_rank(tier) for tier in [flag.tier, *(g.tier for g in flag.grades)])

    def screen_prompts(self, state: State) -> list[str]:
        """A list as it can be spoken: with and without the items that only some people hear
        (`when`), so every version can be rendered before it is needed."""
        optional = [item for item in state.items
                    if all(self.flag_table[f].when for f in item.flags if f in self.flag_table)]
        prompts = []
        for dropped in itertools.chain.from_iterable(
                itertools.combinations(optional, n) for n in range(len(optional) + 1)):
            kept = tuple(item for item in state.items if item not in dropped)
            if kept:
                prompts.append(screen_prompt(state, kept, self.text("list_or")))
        return prompts

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
            found += [*state.text, *(self.screen_prompts(state) if state.type == "screen"
                                     else [state.ask])]
            if not steps_only:
                found += [state.help, state.again]
        if steps_only:
            return [text for text in dict.fromkeys(found) if text.strip()]
        for flag in self.flags():
            found += [flag.ask, flag.again, flag.help, flag.advice]
            for grade in flag.grades:
                found += [grade.ask, grade.again, grade.help, grade.advice]
        for tier in self.tiers:
            found += [*tier.advice, tier.safety_net, tier.repeat]
        for value in self.texts.values():
            found += [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
        return [text for text in dict.fromkeys(found) if text.strip()]


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


_TEXT_KEYS_LISTS = ("no_match", "no_input")
# What may stand in braces in spoken text; anything else is a typo that would be read aloud.
PLACEHOLDERS = ("emergency_number", "disclaimer", "labels")
# Texts filled in by code with values of their own (the journal told back).
TEXT_PLACEHOLDERS = {
    "history_counts": ("week", "month", "total"),
    "history_pain": ("first", "last", "count"),
    "history_routine": ("routine", "times"),
    "history_referral": ("date", "advice"),
    "seen_since": ("date", "advice"),
    "you_mentioned": ("mention",),
    "heard_number": ("number",),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _check_placeholders(fields: Fields, key: str, texts: list[str] | tuple[str, ...] | str,
                        own: tuple[str, ...] = ()) -> None:
    for text in [texts] if isinstance(texts, str) else texts:
        for name in _PLACEHOLDER.findall(text):
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
    )
    doc.done()
    if any(s.type == "screen" for s in states.values()) or flags:
        if not spec.text("list_or"):
            raise texts_fields.error("list_or", 'give the word that joins the last item of a '
                                     'spoken list ("or")')
    fields_by_id = dict(ids)
    _check_references(spec, doc, fields_by_id)
    _check_flags(spec, flags, dict(zip([f.id for f in flags], flag_fields, strict=True)),
                 fields_by_id)
    _check_conditions(spec, flags, fields_by_id)
    _check_safety(spec, fields_by_id)
    return spec


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
                    item.text("repeat", ""))
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


def _read_yes_words(item: Fields) -> frozenset[str]:
    """Words or short phrases in lower case; a word ending in * stands for every word it
    starts ("tingl*": tingle, tingles, tingling), and needs at least four letters before it."""
    words = item.text_list("yes_words", [])
    for word in words:
        if not _YES_WORD.match(word) or any(len(part) < 5 for part in word.split()
                                             if part.endswith("*")):
            raise item.error("yes_words", f"{word!r}: yes words are lower-case words or phrases "
                             "without punctuation; a word may end in * after four letters or more")
    return frozenset(words)


def _read_flag(item: Fields, tier_ids: list[str]) -> Flag:
    values: dict[str, object] = {
        "id": item.text("id"), "tier": item.choice("tier", tier_ids), "label": item.text("label"),
        "ask": item.text("ask", ""), "again": item.text("again", ""), "advice": item.text("advice"),
        "sources": tuple(item.text_list("sources")), "where": item.where,
        "help": item.text("help", ""), "yes_words": _read_yes_words(item),
        "when": _read_conditions(item), "mention": item.text("mention", ""),
        "about_now": item.boolean("about_now", False), "compound": item.boolean("compound", False),
        "exercise": item.text("exercise", None),
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
            compound=entry.boolean("compound", False)))
        if grades[-1].asks_flag and grades[-1].ask:
            raise entry.error("asks_flag", "a grade that asks another flag's question has no "
                              "question of its own (remove ask)")
        if not grades[-1].ask and not grades[-1].when and not grades[-1].asks_flag:
            raise entry.error("ask", "a grade needs a question (ask, or asks_flag) or a "
                              "condition (when)")
        if grades[-1].ask and not entry.has("again"):
            raise entry.error("again", "a graded question needs other words to ask it again")
        for key in ("ask", "again", "help", "advice"):
            _check_placeholders(entry, key, getattr(grades[-1], key))
        entry.done()
    values["grades"] = tuple(grades)
    for key in ("ask", "again", "help", "advice"):
        _check_placeholders(item, key, values[key])  # type: ignore[arg-type]
    item.done()
    return Flag(**values)  # type: ignore[arg-type]


def _read_state(item: Fields, contexts: set[str] | None) -> State:
    kind = item.choice("type", STATE_TYPES)
    values: dict[str, object] = {"id": item.text("id"), "type": kind, "where": item.where}
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
    return State(**values)  # type: ignore[arg-type]


def _with_default_next(state: State, following: object) -> State:
    """`say`, `screen` and friends fall through to the next state in the file."""
    if state.next or state.type in ("end", "outcome", "question", "choice"):
        return state
    if not isinstance(following, str):
        return state
    return replace(state, next=following)


def _check_references(spec: DialogSpec, doc: Fields, fields_by_id: dict[str, Fields]) -> None:
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
    frontier = [spec.start]
    while frontier:
        name = frontier.pop()
        if name in seen:
            continue
        seen.append(name)
        frontier.extend(spec.states[name].successors())
    return seen


def _check_flags(spec: DialogSpec, flags: list[Flag], flag_fields: dict[str, Fields],
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


def _check_conditions(spec: DialogSpec, flags: list[Flag], fields_by_id: dict[str, Fields]) -> None:
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


def _check_safety(spec: DialogSpec, fields_by_id: dict[str, Fields]) -> None:
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
