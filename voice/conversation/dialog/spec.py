"""A dialog as data: the tiers, red flags and states of a YAML dialog.

The engine (`engine`) runs whatever this describes; `load` reads it from YAML (every mistake named
by file, line and field), and `safety` proves, at load, what protects users: every reference
resolves, every red flag can be reached, and no flag of a tier that blocks exercise can reach a
state that offers stretches or reassurance. How any of it is worded out loud is `wording`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ...content.yamlsource import Where

if TYPE_CHECKING:
    from ...understanding.answers.lexicon import Lexicon

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
    tell_signs: bool = False  # name the signs found, to tell whoever is called ("Tell them...")


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
class Part:
    """One condition of a question that joins two ("a high temperature" and "a stiff neck"),
    so that an answer about one of them is read as that, and the other asked alone."""

    id: str  # "<flag>.<part>": its key among the words heard
    say: str  # as said back: "a high temperature"
    ask: str  # asked alone when only the other part was answered
    words: frozenset[str]
    wellbeing: bool = False  # "I feel fine" denies it ("feel very unwell")


@dataclass(frozen=True)
class Reads:
    """How answers to one question are read, beyond its yes words (`answers.Question`)."""

    window: float | None = None  # hours back the question reaches; None: since the pain began
    parts: tuple[Part, ...] = ()
    any_part: bool = False  # one part is enough ("short of breath, or coughing up blood")
    earlier: str | None = None  # the flag that asks about a time before the window
    except_words: frozenset[str] = frozenset()  # "night sweats" is not sweating with the pain
    route_words: frozenset[str] = frozenset()  # "headache": brings the question up, not a yes
    ever: bool = False  # "have you ever had cancer": no time is too long ago


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
    reads: Reads = Reads()
    # An answer that stays unclear: "next" goes on to the next grade instead of taking this
    # one ("Sunday", misheard, is not a 999 fall: the same-day grade after it decides).
    unclear: str = "applies"
    repeat: str = ""  # said once more last when this grade decides ("go to A&E today")


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
    reads: Reads = Reads()
    repeat: str = ""  # said once more last, instead of the tier's, when this flag decides

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
    """One step of a dialog: what every kind has (where it goes next, when it applies, what
    it may lead to). Each kind below holds its own fields; what the checks ask of every
    state (the flags it raises, the routines it names, where it may go) answers empty on a
    kind that has none."""

    id: str
    where: Where
    next: str | None = None
    help: str = ""
    sources: tuple[str, ...] = ()
    when: tuple[Condition, ...] = ()  # the state is passed over (to `next`) unless these hold
    requires_clear: bool = False  # only with no flag at all (reassurance)
    requires_safe: bool = False  # only with no flag of a tier that blocks exercise
    offers_stretches: bool = False

    type: ClassVar[str] = ""
    asks: ClassVar[bool] = False  # waits for an answer
    # Fields of some kinds, empty on the others (the kinds declare them as fields).
    text: ClassVar[tuple[str, ...]] = ()
    ask: ClassVar[str] = ""
    again: ClassVar[str] = ""
    context: ClassVar[str] = ""
    on_yes: ClassVar[str | None] = None
    on_no: ClassVar[str | None] = None
    options: ClassVar[Mapping[str, str]] = {}
    default: ClassVar[str | None] = None
    store: ClassVar[str | None] = None
    ranges: ClassVar[tuple[NumberRange, ...]] = ()
    clear: ClassVar[str | None] = None
    mild: ClassVar[str | None] = None
    items: ClassVar[tuple[ScreenItem, ...]] = ()
    screens: ClassVar[tuple[str, ...]] = ()
    target: ClassVar[str | None] = None
    routine: ClassVar[str | None] = None
    routine_by: ClassVar[str | None] = None
    routines: ClassVar[Mapping[str, str]] = {}
    flagged_routines: ClassVar[tuple[str, ...]] = ()
    yes_words: ClassVar[frozenset[str]] = frozenset()
    raises: ClassVar[tuple[str, ...]] = ()
    confirm: ClassVar[bool] = False
    unpinned: ClassVar[str | None] = None
    by_tier: ClassVar[Mapping[str, str]] = {}
    safety_net: ClassVar[bool] = True

    @property
    def flagged_routine(self) -> str | None:
        """The routine after a flag that allows exercise and names none."""
        return self.flagged_routines[-1] if self.flagged_routines else None

    def flag_ids(self) -> list[str]:
        return [flag for item in self.items for flag in item.flags]

    def successors(self) -> list[str]:
        found = [self.next, self.on_yes, self.on_no, self.default, self.clear, self.mild]
        found += list(self.options.values()) + [r.next for r in self.ranges]
        found += list(self.by_tier.values())
        return [name for name in found if name]


@dataclass(frozen=True)
class SayState(State):
    """Says its lines and goes on; may raise flags of its own (an age under 16)."""

    type: ClassVar[str] = "say"
    text: tuple[str, ...] = ()
    raises: tuple[str, ...] = ()


@dataclass(frozen=True)
class AskingState(State):
    """A kind that asks a question and waits for the answer, heard in its context."""

    asks: ClassVar[bool] = True
    ask: str = ""
    context: str = ""


@dataclass(frozen=True)
class ScreenState(AskingState):
    """An "any of these?" list of red flags."""

    type: ClassVar[str] = "screen"
    context: str = "yes_no"
    items: tuple[ScreenItem, ...] = ()
    unpinned: str | None = None  # the flag raised when a yes finds no flag


@dataclass(frozen=True)
class CheckState(AskingState):
    """"To be sure: any of the signs in those lists?", after the lists it names."""

    type: ClassVar[str] = "check"
    context: str = "yes_no"
    screens: tuple[str, ...] = ()
    unpinned: str | None = None


@dataclass(frozen=True)
class QuestionState(AskingState):
    """A yes/no question that branches."""

    type: ClassVar[str] = "question"
    context: str = "yes_no"
    on_yes: str | None = None
    on_no: str | None = None
    yes_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ChoiceState(AskingState):
    """A question whose answers (intents of its context) lead to different states."""

    type: ClassVar[str] = "choice"
    options: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None
    store: str | None = None
    routine_options: str | None = None  # where each routine asked for by name goes (joins options)


@dataclass(frozen=True)
class NumberState(AskingState):
    """A number (an age, a pain score), stored, with ranges that lead elsewhere."""

    type: ClassVar[str] = "number"
    default: str | None = None
    store: str | None = None
    ranges: tuple[NumberRange, ...] = ()
    confirm: bool = False  # echo an answer near a threshold the content uses


@dataclass(frozen=True)
class OutcomeState(State):
    """The most urgent tier found, its advice, and where each outcome goes."""

    type: ClassVar[str] = "outcome"
    clear: str | None = None  # where a triage with no flag at all goes
    mild: str | None = None  # where flags that do not block exercise go
    by_tier: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HandoffState(State):
    """Hands the session over (to stretches, to the symptom check) with a routine."""

    type: ClassVar[str] = "handoff"
    text: tuple[str, ...] = ()
    target: str | None = None
    routine: str | None = None  # the routine to start by default
    routine_by: str | None = None  # the stored answer that picks the routine
    routines: Mapping[str, str] = field(default_factory=dict)  # stored answer -> routine id
    # the routines after a flag that allows exercise, gentlest first; a flag names one with
    # `exercise`, and the last is for the others.
    flagged_routines: tuple[str, ...] = ()


@dataclass(frozen=True)
class EndState(State):
    type: ClassVar[str] = "end"
    text: tuple[str, ...] = ()
    safety_net: bool = True  # say the safety net (not after a handover that said it)


@dataclass(frozen=True)
class NumberSaidBack:
    """How a number near a threshold is said back ("Sixty-seven, thanks."), and the numbers
    it may have been misheard for: the language's words and pairs (`number_said_back:`)."""

    say: str  # "{number}, thanks."
    join: str = " "  # between the words of one number: "-" makes "sixty-seven"
    capital: bool = False  # the number starts the line: its first letter is a capital
    near: int = 0  # a number this close to a threshold may have been one across it
    sound_alike: tuple[tuple[int, int], ...] = ()  # (15, 50): heard for each other


STATE_KINDS: dict[str, type[State]] = {kind.type: kind for kind in (
    SayState, ScreenState, CheckState, OutcomeState, QuestionState, ChoiceState, NumberState,
    HandoffState, EndState)}


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
    # After this many answers to warning-sign questions, the state that ends the questions
    # safely ("I can't be sure from what you've told me..."): no path is longer.
    answer_limit: int | None = None
    limit_state: str | None = None
    # When someone else answers for the person (a parent for a child): "she has a fever" is
    # then the person's own symptom, not someone else's.
    by_proxy: tuple[Condition, ...] = ()
    # How far back "since the pain began" reaches for a question with no window of its own:
    # "I had one like that years ago" is not a yes to it.
    since_the_pain_began: float | None = None
    # How a number near a threshold is said back, to be corrected (`confirm` on a number).
    said_back: NumberSaidBack | None = None
    # The symptom lexicon of these flags' words (`questions.lexicon_of`), built by the first
    # dialog run over this spec and kept for every later one: building it normalises every
    # phrase of every flag, which took as long as running the dialog.
    _lexicon: dict[str, Lexicon] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)

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

    def most_urgent_rank(self, flag: Flag) -> int:
        """The most urgent tier this flag can give, through any of its grades."""
        return min(self.tier_rank(tier) for tier in [flag.tier, *(g.tier for g in flag.grades)])

    def text(self, key: str) -> str:
        value = self.texts.get(key, "")
        return value if isinstance(value, str) else ""
