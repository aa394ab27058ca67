"""The dialog engine: runs any YAML dialog (see `dialogspec.py`) as a state machine.

Safety lives here as mechanism, not as triage-specific code:
- a red flag answered yes, or left unclear after it was asked once more in
  other words, counts; the outcome speaks the most urgent tier found;
- an answer is read by the one ask step (`asking.py`): on a red-flag question
  an answer that carries content ("no, but I feel sick", "not at the moment")
  is never a firm no, and a symptom a person volunteers is asked about, first
  in its own list, or at once when its list has passed;
- an "any of these?" list answered yes, not sure, or not understood opens its
  single questions, so the advice names the flag; a yes that no single
  question confirms asks "which one was it?" once, then counts as a sign;
- a list answered "no" is checked once (`check`), phrased so that a habitual
  "no" means "none of those", and a yes there asks the single questions;
- once a flag is found, only questions that could find something more urgent
  are asked, and the most urgent tier ends the questions at once;
- "unsure", "not really" and not-understood never count as "no"; silence alone
  on a red-flag question stops the check with advice to get help today;
- a state that `requires_clear` (reassurance) is never entered with any flag,
  one that `requires_safe` (self-care, stretches) never with a flag of a tier
  that blocks exercise or a flag that allows none;
- every ending speaks the safety net that fits the outcome, and a flagged
  outcome repeats what to do as its last words;
- "go back" (or "undo") asks the last question answered again, and "I meant yes"
  (or, to an ordinary question, "I meant no") changes its answer: the answers
  before it are given again, silently, to a fresh ledger, so nothing found from
  the answer taken back survives it. A yes to a warning sign is never taken
  back, nor anything once advice has been given.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from ...clock import Clock
from ...content.placeholders import fill
from ...events.conversation import DialogEnded, Outcome, SafetyGuard, Said, Stored
from ...events.transcript import Transcript
from ...understanding.answers import Answer, Question
from ...understanding.intents import IntentSet, Match, normalise, spoken_list
from ...understanding.numbers import read_numbers, to_words
from ..asking.ask import Asker, GoBack, Interrupted, Prompt, Reply, Texts, Unanswered
from ..asking.rules import AskingRules, asking_rules_beside
from ..contexts import Context
from ..port import Person, Stop
from ..settings import Settings
from .ledger import Ledger
from .questions import lexicon_of, listed, single
from .spec import (
    SELF_CARE,
    CheckState,
    ChoiceState,
    DialogSpec,
    EndState,
    Flag,
    Grade,
    HandoffState,
    NumberState,
    OutcomeState,
    QuestionState,
    SayState,
    ScreenState,
    State,
    holds,
    screen_prompt,
)

RED_FLAG_ANSWERS = ("yes", "no", "unsure")
ITEM = "item"  # an item of a list by its number, to "Which of those was it?"
WHICH_ONE = "which_one"  # the prompt id of "which one was it?"


@dataclass
class DialogResult:
    """How a dialog ended, for the caller (and for tests)."""

    outcome: str | None  # a tier id, "self_care", or None if it ended before an outcome
    flags: list[str]
    unresolved: list[str]
    end_reason: str  # completed | stop | closed | no_input
    values: dict[str, int | str] = field(default_factory=dict)
    handoffs: list[str] = field(default_factory=list)
    grades: dict[str, str] = field(default_factory=dict)  # flag id -> the grade that applied


@dataclass(frozen=True)
class _Turn:
    """A question answered: what a going back gives again, in order, up to the one it changes."""

    prompt_id: str
    reply: Reply
    red_flag: bool
    expected: tuple[str, ...]
    corrections: tuple[tuple[str, int], ...] = ()  # numbers corrected in it ("no, fifty-seven")
    changed: bool = False  # the answer going back changed ("I meant yes"): what follows is new


class _Rewind(Exception):
    """Go back: run again from the start, giving these answers again without asking."""

    def __init__(self, turns: list[_Turn]):
        self.turns = turns


class _Limit(Exception):
    """The answer limit was reached before the questions ended."""


class Dialog:
    """One run of a dialog with one person."""

    def __init__(
        self,
        spec: DialogSpec,
        intents: IntentSet,
        person: Person,
        clock: Clock,
        settings: Settings | None = None,
        transcript: Transcript | None = None,
        handoffs: dict[str, object] | None = None,
        given: dict[str, str] | None = None,
        start: str | None = None,
        asking: AskingRules | None = None,
    ):
        unknown = set(given or {}) - set(spec.given)
        if unknown:
            raise ValueError(f"{spec.id} is not given {', '.join(sorted(unknown))}")
        if start is not None and start not in spec.states:
            raise ValueError(f"{spec.id} has no state {start!r} to start at")
        self.spec = spec
        self.start = start or spec.start  # a question already answered elsewhere is skipped
        self.intents = intents
        self.person = person
        self.clock = clock
        self.settings = settings or Settings()
        self.transcript = transcript or Transcript(clock)
        self.handoffs = handoffs or {}
        self.ledger = Ledger(spec)  # what has been found: answers, clearings, grades, mentions
        self._given = dict(given or {})
        self.values: dict[str, int | str] = {**spec.given, **self._given}
        self.outcome: str | None = None
        self.handed_off: list[str] = []
        self._echo: tuple[State, str] | None = None  # a number said back, open to correction
        self._safety_net_said = False
        lexicon = lexicon_of(spec)
        self.asker = Asker(person, intents, clock, self.transcript, Texts.of(spec.texts),
                           ask_line=self._say_question, say_line=self.say, fill=self._fill,
                           retries=self.settings.retries, lexicon=lexicon,
                           today=self.settings.today or date.today(),
                           named=self._named,
                           asking=asking if asking is not None else asking_rules_beside(spec.source),
                           can_go_back=True)
        self._events_before = len(self.transcript.events)  # for the answer limit
        self._unclear_lists = 0  # lists answered "maybe" or with a story
        self._turns: list[_Turn] = []  # the questions answered, in order
        self._replay: list[_Turn] = []  # after going back: answers to give again, unasked
        self._quiet = False  # going back: what was said before the question asked is not again

    @property
    def last_prompt(self) -> str:
        return self.asker.last_prompt

    @property
    def answers(self) -> dict[str, Answer]:
        return self.ledger.answers

    @property
    def cleared_by(self) -> dict[str, tuple[str, ...]]:
        return self.ledger.cleared_by

    @property
    def grades(self) -> dict[str, Grade]:
        return self.ledger.grades

    # ------------------------------------------------------------------ running
    def run(self) -> DialogResult:
        reason = "completed"
        try:
            while True:
                try:
                    self._run_states()
                    break
                except _Rewind as rewind:
                    self._restart(rewind.turns)
        except Stop as stop:
            reason = stop.reason
            self._interrupted(stop)
        self._say_safety_net()
        self.transcript.emit(DialogEnded(reason, self.outcome))
        return DialogResult(
            outcome=self.outcome, flags=self._ids(Answer.YES),
            unresolved=self._ids(Answer.UNRESOLVED), end_reason=reason, values=self._stored(),
            handoffs=list(self.handed_off), grades={k: g.id for k, g in self.grades.items()},
        )

    def _restart(self, turns: list[_Turn]) -> None:
        """Back to the start with nothing found, to give `turns` again (going back)."""
        self.ledger = Ledger(self.spec)
        self.values = {**self.spec.given, **self._given}
        self.outcome = None
        self.handed_off = []
        self._echo = None
        self._safety_net_said = False
        self._unclear_lists = 0
        self._turns, self._replay = [], list(turns)
        self._quiet = True

    def _run_states(self) -> None:
        current: str | None = self.start
        while current is not None:
            state = self.spec.states[current]
            if not holds(state.when, self.values):
                current = state.next
                continue
            if (state.requires_clear and not self._is_clear()) or (
                    state.requires_safe and not self._is_safe()):
                # Unreachable by the load-time check; kept as a second lock.
                self.transcript.emit(SafetyGuard(state.id))
                current = None if self.outcome else self.spec.outcome_state
                continue
            try:
                if state.type in ("screen", "check", "outcome") and self._ask_volunteered(
                        everything=state.type == "outcome"):
                    current = self.spec.outcome_state
                    state = self.spec.states[current]
                current = self._step(state)
            except _Limit:  # the answer limit: end the questions safely
                current = self.spec.limit_state

    def _step(self, state: State) -> str | None:
        """One state, by its kind (each kind holds only its own fields)."""
        match state:
            case SayState():
                return self._on_say(state)
            case ScreenState():
                return self._on_screen(state)
            case CheckState():
                return self._on_check(state)
            case QuestionState():
                return self._on_question(state)
            case ChoiceState():
                return self._on_choice(state)
            case NumberState():
                return self._on_number(state)
            case OutcomeState():
                return self._on_outcome(state)
            case HandoffState():
                return self._on_handoff(state)
            case EndState():
                return self._on_end(state)
        raise TypeError(f"no step for a {type(state).__name__}")

    # ------------------------------------------------------------ state types
    def _on_say(self, state: State) -> str | None:
        for line in state.text:
            self.say(line)
        for flag_id in state.raises:
            self.ledger.raise_flag(flag_id)
        return self.spec.outcome_state if state.raises else state.next

    def _on_end(self, state: State) -> str | None:
        if state.safety_net:
            self._say_safety_net()
        else:
            self._safety_net_said = True  # said by the dialog handed over to
        for line in state.text:
            self.say(line)
        return None

    def _on_handoff(self, state: State) -> str | None:
        self.handed_off.append(state.target or "")
        self._turns.clear()  # what was handed over is done: no going back over it
        action = self.handoffs.get(state.target or "")
        if callable(action):
            action(self._routine_for(state), self._stored())
        else:
            for line in state.text:
                self.say(line)
        return state.next

    def _routine_for(self, state: State) -> str | None:
        """After a flag that allows exercise, the gentlest routine any flag asks for (the last
        of `flagged_routines` for the others); else the routine for where the pain is."""
        if state.flagged_routines and self._most_urgent_tier() is not None:
            wanted = [flag.exercise for flag in self._raised() if flag.exercise]
            return next((r for r in state.flagged_routines if r in wanted),
                        state.flagged_routines[-1])
        chosen = str(self.values.get(state.routine_by or "", ""))
        return state.routines.get(chosen, state.routine)

    # -------------------------------------------------------------- red flags
    def _on_screen(self, state: State) -> str | None:
        """An "any of these?" list: a plain no clears its flags; a symptom heard goes straight
        to its own question; anything else opens the single questions."""
        self.ledger.visited.add(state.id)
        flags = self._askable(state.flag_ids())
        if not flags:
            return state.next
        said_yes = False
        while flags:
            items = tuple(item for item in state.items if any(f.id in item.flags for f in flags))
            reply = self._ask_red_flag(state, screen_prompt(state, items, self.spec.text("list_or")), flags)
            if reply.answer == Answer.NO:
                self.ledger.cleared(flags, state.id)
                break
            # A yes that named a symptom is explained by it, wherever that symptom is asked.
            said_yes = said_yes or (reply.answer == Answer.YES and not reply.mentioned)
            heard = [flag for flag in flags if flag.id in reply.mentioned]
            if not heard and len(items) > 1:
                # "yes", "maybe", a story: which of those, by number, before any single
                # question (F11); a yes is never undone by "none" (see _which_of)
                self._unclear_lists += reply.answer != Answer.YES and not reply.mentioned
                named, cleared = self._which_of(state, items, flags,
                                                may_clear=reply.answer != Answer.YES
                                                or bool(reply.mentioned))
                if cleared:
                    break
                heard = named
            if self._ask_singles(heard or flags, reply):
                return self.spec.outcome_state
            if not heard:
                break
            # The symptom heard is asked; the others of the list are listed once more.
            flags = self._askable([f.id for f in flags if f not in heard])
        if said_yes and self._which_one(state, state.flag_ids()):
            return self.spec.outcome_state
        return state.next

    def _on_check(self, state: State) -> str | None:
        """Asked after lists answered "no": a plain no stands; anything else asks them one by one."""
        screens = set(state.screens)
        cleared = [flag.id for flag in self.spec.flags()
                   if self.cleared_by.get(flag.id, ("",))[0] in screens]
        flags = self._askable(cleared, again=True)
        if not flags:
            return state.next
        reply = self._ask_red_flag(state, state.ask, flags)
        if not reply.mentioned and reply.answer != Answer.NO:
            # "maybe": which one, in their own words, before every single question (F11)
            self._unclear_lists += reply.answer != Answer.YES
            which = self._ask_red_flag(state, self.spec.text("which_one"), flags, which=True)
            if which.mentioned or (which.answer == Answer.NO and reply.answer != Answer.YES):
                reply = which  # a yes is never undone by "none": every question, then
            elif reply.answer == Answer.YES:
                self._unclear_lists += 1  # yes, then none of them: answers that disagree
        if reply.answer == Answer.NO:
            self.ledger.checked(flags, state.id)
            return state.next
        self.ledger.reopened(flags)
        heard = [flag for flag in flags if flag.id in reply.mentioned]
        if self._ask_singles(heard + [f for f in flags if f not in heard], reply):
            return self.spec.outcome_state
        if reply.answer == Answer.YES and not reply.mentioned and self._which_one(
                state, [f.id for f in flags]):
            return self.spec.outcome_state
        return state.next

    def _ask_red_flag(self, state: State, text: str, flags: list[Flag], which: bool = False,
                      context: str | None = None,
                      expected: tuple[str, ...] = RED_FLAG_ANSWERS) -> Reply:
        """A list or the check, asked (or, `which`, its "which of those?", asked once and not
        said back); silence alone stops the symptom check."""
        reply = self._ask(Prompt(
            f"{state.id}.which" if which else state.id, text, context or state.context,
            expected, help=state.help, retries=0 if which else None, said_back=not which,
            red_flag=listed([f.id for f in flags], self._by_proxy())))
        self._hear_volunteered(reply, asking={f.id for f in flags})
        if reply.unanswered == Unanswered.SILENCE:
            raise Stop("no_input", "silent")
        return reply

    def _which_of(self, state: State, items: tuple, flags: list[Flag],
                  may_clear: bool = True) -> tuple[list[Flag], bool]:
        """"Which of those was it?" with the items numbered: the flags of the items named (by
        number or by a symptom's words), or, to "none of them", the list cleared (True) unless
        the list itself was answered yes (`may_clear`): a yes then "none" asks every single
        question. An answer that names none opens every single question, as before."""
        text = self.spec.text("which_of")
        if not text:
            return [], False
        numbered = "; ".join(fill(self.spec.text("which_item"), number=str(index), item=item.say)
                             for index, item in enumerate(items, 1))
        reply = self._ask_red_flag(state, fill(text, items=numbered), flags, which=True,
                                   context=Context.WHICH_ITEM.value,
                                   expected=(*RED_FLAG_ANSWERS, ITEM))
        tokens = normalise(reply.match.text if reply.match is not None else reply.heard)
        ordinals = self.asker.rules.clauses.ordinals
        chosen = {value for value in read_numbers(tokens)
                  if isinstance(value, int) and 1 <= value <= len(items)}
        if reply.match is not None and reply.match.intent == ITEM:
            chosen.add(reply.match.slots.get("number", 0))
        chosen &= set(range(1, len(items) + 1))
        chosen |= {ordinals.index(word) + 1 for word in tokens
                   if word in ordinals and ordinals.index(word) < len(items)}
        ids = {f for index in chosen for f in items[index - 1].flags} | set(reply.mentioned)
        named = [flag for flag in flags if flag.id in ids]
        if not named and reply.answer == Answer.NO and not may_clear:
            self._unclear_lists += 1  # yes, then none of them: answers that disagree
        if not named and reply.answer == Answer.NO and may_clear:
            self.ledger.cleared(flags, state.id)
            return [], True
        return named, False

    def _which_one(self, state: State, flag_ids: list[str]) -> bool:
        """A list answered yes whose single questions were all no: "Which one was it?" once.
        A symptom named is asked again; otherwise the yes counts as an unnamed sign (`unpinned`).
        True when the most urgent tier was found."""
        pinned = state.unpinned
        if not pinned or any(self.answers.get(f, Answer.NO).raises for f in flag_ids):
            return False
        if pinned in self.answers or not self._askable([pinned]):
            return False
        reply = self._ask(Prompt(WHICH_ONE, self.spec.text("which_one"), state.context, (),
                                 red_flag=listed(flag_ids, self._by_proxy()), retries=0))
        self._hear_volunteered(reply, asking=set(flag_ids))
        named = [self.spec.flag_table[f] for f in flag_ids if f in reply.mentioned]
        if self._ask_singles(self._askable([f.id for f in named], again=True), reply, again=True):
            return True
        if not any(self.answers.get(f, Answer.NO).raises for f in flag_ids):
            self.ledger.raise_flag(pinned)
            return self.spec.tier_rank(self.spec.flag_table[pinned].tier) == 0
        return False

    def _askable(self, flag_ids: list[str], again: bool = False) -> list[Flag]:
        return self.ledger.askable(flag_ids, self.values, again)

    def _ask_singles(self, flags: list[Flag], heard: Reply | None = None,
                     again: bool = False) -> bool:
        """Each flag's own question; True when the most urgent tier was found (advise now)."""
        for flag in flags:
            if flag not in self._askable([flag.id], again=again or flag.id in self.ledger.volunteered):
                continue  # something as urgent was found meanwhile
            words = self.ledger.volunteered.pop(flag.id, "") or (heard.heard_of(flag.id) if heard else "")
            if words:  # asked because it was heard: once, so a repeated mention cannot loop
                self.ledger.asked_as_volunteered.add(flag.id)
            answer = self._ask_flag(flag, self._you_mentioned(flag) if words else "")
            self._answered(flag, answer)
            if answer.raises and self.spec.tier_rank(self._tier_of(flag)) == 0:
                return True
        return False

    def _answered(self, flag: Flag, answer: Answer) -> None:
        self.ledger.answered(flag, answer)
        if answer != Answer.NO:
            self._grade(flag)

    def _ask_volunteered(self, everything: bool = False) -> bool:
        """Symptoms heard whose list has passed (or, before the outcome, any still waiting) are
        asked now. True when the most urgent tier was found."""
        waiting = [self.spec.flag_table[k] for k in self.ledger.volunteered
                   if everything or k in self.answers or
                   self.spec.screen_of(k).id in self.ledger.visited]
        if not waiting:
            return False
        found = self._ask_singles(waiting, again=True)
        for flag in waiting:
            self.ledger.volunteered.pop(flag.id, None)
        return found

    def _hear_volunteered(self, reply: Reply, asking: set[str]) -> None:
        """Keep every symptom heard, of any flag, to be asked: "my left arm tingles" said to
        another question is a question of its own."""
        for key in reply.mentioned:
            if key not in asking:
                self.ledger.hear(key, reply.heard_of(key), self.values)

    def _named(self, key: str) -> str:
        """A flag or grade as it is said ("feeling sick", "tingling in both hands")."""
        if key in self.spec.flag_table:
            return self.spec.flag_table[key].named
        grade = next((g for f in self.spec.flags() for g in f.grades if g.id == key), None)
        return grade.label if grade is not None else key

    def _you_mentioned(self, flag: Flag) -> str:
        return fill(self.spec.text("you_mentioned"), mention=flag.named)

    def _ask_flag(self, question: Flag | Grade, lead: str = "") -> Answer:
        """yes, no, or unresolved: asked once, then once more in other words if unclear.
        A compound question answered in part asks the other part alone. Silence alone stops
        the symptom check."""
        flag_id = question.id
        reads = question.reads
        asked = self._question_of(question)
        reply = self._ask(Prompt(
            flag_id, question.ask, question.context, ("yes", "no"), again=question.again,
            help=question.help, retries=1, lead=lead, red_flag=asked,
            label=question.label if isinstance(question, Flag) else question.label,
            parts=tuple((part.id, part.say) for part in reads.parts)))
        self._hear_volunteered(reply, asking={flag_id})
        if reply.unanswered == Unanswered.SILENCE:
            raise Stop("no_input", "silent")
        missing = reply.reading.missing if reply.reading is not None else ()
        if reply.unanswered is None and missing:
            return self._ask_parts(question, missing)
        if reply.unanswered is not None:
            return Answer.UNRESOLVED
        return reply.answer or Answer.UNRESOLVED

    def _ask_parts(self, question: Flag | Grade, missing: tuple[str, ...]) -> Answer:
        """The parts of a compound question the answer left out, asked alone: for "and", all
        must be yes; for "or", one is enough."""
        answers = []
        for part in (p for p in question.reads.parts if p.id in missing):
            reply = self._ask(Prompt(part.id, part.ask, question.context, ("yes", "no"),
                                     retries=1, red_flag=Question(
                                         own=frozenset({part.id}), flag=part.id,
                                         window=question.reads.window,
                                         proxy=self._by_proxy())))
            self._hear_volunteered(reply, asking={question.id, part.id})
            if reply.unanswered == Unanswered.SILENCE:
                raise Stop("no_input", "silent")
            answer = Answer.UNRESOLVED if reply.unanswered else (reply.answer or Answer.UNRESOLVED)
            answers.append(answer)
            if question.reads.any_part and answer.raises:
                return answer
            if not question.reads.any_part and answer == Answer.NO:
                return Answer.NO
        if question.reads.any_part:
            return Answer.NO
        return Answer.UNRESOLVED if Answer.UNRESOLVED in answers else Answer.YES

    def _question_of(self, question: Flag | Grade) -> Question:
        return single(self.spec, question, self._by_proxy())

    def _by_proxy(self) -> bool:
        """A child's answers come from a parent: "she has a fever" is the child's."""
        return bool(self.spec.by_proxy) and "age" in self.values and holds(
            self.spec.by_proxy, self.values)

    def _grade(self, flag: Flag) -> None:
        """One event, one answer: the first grade that applies sets the flag's tier. A grade
        that asks another flag's question shares that flag's answer (asked once)."""
        for grade in flag.grades:
            if not holds(grade.when, self.values):
                continue
            if grade.asks_flag:
                other = self.spec.flag_table.get(grade.asks_flag)
                if other is None:
                    continue
                if other.id not in self.answers:
                    self._answered(other, self._ask_flag(other))
                if self.answers[other.id].raises:
                    self.ledger.graded(flag, grade)
                    return
                continue
            if not grade.ask:
                self.ledger.graded(flag, grade)
                return
            answer = self._ask_flag(grade)
            if answer == Answer.UNRESOLVED and grade.unclear == "next":
                continue  # unclear here: the next grade decides, never a guess upwards
            if answer != Answer.NO:
                self.ledger.graded(flag, grade)
                return

    def _tier_of(self, flag: Flag) -> str:
        return self.ledger.tier_of(flag)

    def _on_outcome(self, state: State) -> str | None:
        tier = self._most_urgent_tier()
        flagged = self._raised()
        unresolved = [flag for flag in flagged if self.answers[flag.id] == Answer.UNRESOLVED]
        if tier is None:
            self.outcome = SELF_CARE
            self.transcript.emit(Outcome(SELF_CARE, [], []))
            return state.clear
        self.outcome = tier
        self.transcript.emit(Outcome(tier, [f.id for f in flagged], [f.id for f in unresolved],
                                     {k: g.id for k, g in self.grades.items()}))
        if unresolved:
            labels = spoken_list([flag.label for flag in unresolved], self.spec.text("list_or"))
            self.say(fill(self.spec.text("unresolved"), labels=labels))
        for line in self.spec.tier(tier).advice:
            self.say(line)
        for flag in sorted(flagged, key=lambda f: self.spec.tier_rank(self._tier_of(f))):
            grade = self.grades.get(flag.id)
            self.say(grade.advice if grade else flag.advice)
        self._tell_signs(tier, flagged)
        if tier in state.by_tier:
            return state.by_tier[tier]
        if self.spec.tier(tier).blocks_exercise or not state.mild or self._allows_no_exercise():
            self.say(self.spec.text("no_stretches"))
            return None
        return state.mild

    def _tell_signs(self, tier: str, flagged: list[Flag]) -> None:
        """The signs found, and symptoms heard and never cleared, named for the person to pass
        on to whoever they call (v3 F13: the smoker's weight loss was heard and lost)."""
        text = self.spec.text("tell_them")
        if not text or not self.spec.tier(tier).tell_signs:
            return
        keys = [f.id for f in flagged] + [k for k in self.ledger.volunteered
                                          if k not in self.answers]
        signs = [self.spec.flag_table[k].named for k in dict.fromkeys(keys)
                 if k in self.spec.flag_table and self.spec.flag_table[k].ask]
        if signs:
            self.say(fill(text, signs=spoken_list(signs, self.spec.text("list_and") or "and")))

    # ------------------------------------------------------- ordinary questions
    def _on_question(self, state: State) -> str | None:
        reply = self._ask(Prompt(state.id, state.ask, state.context, ("yes", "no"),
                                 help=state.help))
        self._give_up_on_silence(reply)
        return state.on_yes if reply.intent == "yes" else state.on_no

    def _on_choice(self, state: State) -> str | None:
        reply = self._ask(Prompt(state.id, state.ask, state.context, tuple(state.options),
                                 help=state.help))
        self._give_up_on_silence(reply)
        if reply.match is None:
            return state.default
        intent = reply.intent or ""
        if state.store and intent in state.options:
            self._store(state.store, intent)
        return state.options.get(intent, state.default)

    def _on_number(self, state: State) -> str | None:
        expected = (self.intents.number_intent(state.context) or "number",)
        reply = self._ask(Prompt(state.id, state.ask, state.context, expected, help=state.help))
        self._give_up_on_silence(reply)
        if reply.match is None:
            return state.default
        value = reply.match.slots["number"]
        if state.store:
            self._store(state.store, value)
            if state.confirm and _may_be_misheard(value, self.spec.thresholds(state.store)):
                self._echo = (state, self._heard_number(value))
        for entry in state.ranges:
            if entry.low <= value <= entry.high:
                return entry.next
        return state.next

    def _give_up_on_silence(self, reply: Reply) -> None:
        if reply.unanswered == Unanswered.SILENCE:
            self.say(self.spec.text("gave_up"))
            raise Stop("no_input", "")

    def _store(self, name: str, value: int | str) -> None:
        self.values[name] = value
        if not self._quiet:  # given again after going back: stored the first time
            self.transcript.emit(Stored(name, value))

    # ---------------------------------------------------------------- asking
    def _ask(self, prompt: Prompt) -> Reply:
        """The one ask step, with the dialog's own endings: stop, and the end of input. A number
        just said back ("Sixty-seven, thanks.") comes before the question and may be corrected
        in its answer ("no, fifty-seven"), which costs no turn when it was right. After going
        back, the answers before are given again without asking."""
        if self._replay:
            turn = self._replay.pop(0)
            if turn.prompt_id == prompt.id:
                self._echo = None
                for name, value in turn.corrections:
                    self._store(name, value)
                self._turns.append(turn)
                self._quiet = not turn.changed
                return turn.reply
            self._replay.clear()  # not the same way as before: ask from here
        self._quiet = False
        if prompt.red_flag is not None and self.spec.answer_limit is not None:
            if self.outcome is None and self._past_limit():
                raise _Limit
        echo, self._echo = self._echo, None
        lead, corrections = prompt.lead, 0
        stored: list[tuple[str, int]] = []
        try:
            while True:
                if echo is not None:
                    prompt = replace(prompt, lead=" ".join(t for t in (echo[1], lead) if t),
                                     correction=echo[0].context
                                     if corrections < self.settings.retries else None)
                try:
                    reply = self.asker.ask(prompt)
                except GoBack as back:
                    self._go_back(back)  # raises _Rewind, or says why not: asked again
                    continue
                if echo is None or not reply.corrected or reply.match is None:
                    self._turns.append(_Turn(prompt.id, reply, prompt.red_flag is not None,
                                             prompt.expected, tuple(stored)))
                    return reply
                state, value = echo[0], reply.match.slots["number"]
                self._store(state.store or "", value)
                stored.append((state.store or "", value))
                echo, corrections = (state, self._heard_number(value)), corrections + 1
        except Interrupted as interrupted:
            raise Stop("stop" if interrupted.intent == "stop" else "closed") from None

    def _go_back(self, back: GoBack) -> None:
        """To the last question answered: asked again ("go back"), or its answer changed ("I
        meant yes"; "I meant no" only to an ordinary question: a warning sign's no comes
        only as an answer to it). Raises `_Rewind`; returns after saying why it cannot: advice
        already given stands, and so does a yes to a warning sign."""
        if self.outcome is not None:
            self.say(self.spec.text("back_after_advice"))
            return
        if not self._turns:
            self.say(self.spec.text("back_nothing"))
            return
        last = self._turns[-1]
        if last.red_flag and last.reply.answer == Answer.YES:
            self.say(self.spec.text("back_flag_yes"))
            return
        meant = {"meant_no": "no", "meant_yes": "yes"}.get(back.intent)
        turns = self._turns[:-1]
        if meant in last.expected and not (meant == "no" and last.red_flag):
            turns.append(replace(last, reply=Reply(Match(back.text, meant, {}, 1.0)),
                                 corrections=(), changed=True))
            self.say(self.spec.text("back_changed"))
        else:
            self.say(self.spec.text("back_again"))
        raise _Rewind(turns)

    def _past_limit(self) -> bool:
        """The answer limit is for a person who stays unclear: answers heard reach it, and at
        least one of them needed asking again or "which of those?" (a clear answer said back
        and confirmed is not unclear)."""
        events = self.transcript.events[self._events_before:]
        heard = sum(1 for e in events if e["event"] == "heard")
        unclear = self._unclear_lists + sum(1 for e in events if e["event"] == "reprompt")
        return heard >= (self.spec.answer_limit or 0) and unclear > 0

    def _heard_number(self, value: int) -> str:
        words = to_words(value).replace(" ", "-")
        return fill(self.spec.text("heard_number"), number=words[:1].upper() + words[1:])

    def _say_question(self, template: str, again: bool) -> None:
        text, spoken = self._fill(template), self._fill(template, spoken=True)
        if again:  # the first time, the ask event has it
            self.transcript.emit(Said(text, spoken if spoken != text else None, repeat=True))
        self.person.say(text, interruptible=True, spoken=spoken if spoken != text else None)

    # --------------------------------------------------------------- endings
    def _interrupted(self, stop: Stop) -> None:
        """Stop, silence or end of input: flags already raised still get their advice."""
        if self.outcome is None and self._most_urgent_tier() is not None:
            if stop.reason != "closed":
                self.say(self.spec.text("stopped_with_flags"))
            self._on_outcome(self.spec.states[self.spec.outcome_state])
        elif self.outcome is None and stop.said:
            self.say(self.spec.text(stop.said))

    def _say_safety_net(self) -> None:
        """Once, at the end, in the words that fit the outcome (no "if you notice chest pain"
        after an emergency outcome); a flagged outcome then says what to do once more."""
        if not self._safety_net_said:
            self._safety_net_said = True
            tiers = {tier.id: tier for tier in self.spec.tiers}
            tier = tiers.get(self.outcome or "")
            self.say((tier.safety_net if tier else "") or self.spec.text("safety_net"))
            repeat = self._own_repeat() or (tier.repeat if tier is not None else "")
            if tier is not None and repeat:
                self.say(repeat)

    def _own_repeat(self) -> str:
        """A flag's own service, said once more last when it decided the outcome ("go to A&E
        today" after a fall at 65, not the tier's weaker "see a doctor today")."""
        return self.ledger.own_repeat()

    # --------------------------------------------------------------- helpers
    def say(self, template: str) -> None:
        text, spoken = self._fill(template), self._fill(template, spoken=True)
        if not text or self._quiet:  # going back: said the first time
            return
        self.transcript.emit(Said(text, spoken if spoken != text else None))
        self.person.say(text, spoken=spoken if spoken != text else None)

    def sentences(self, steps_only: bool = False) -> list[str]:
        """The dialog's fixed texts exactly as this dialog would say them out loud (for
        rendering speech before it is needed)."""
        filled = [self._fill(text, spoken=True) for text in self.spec.sentences(steps_only)]
        return [text for text in filled if "{" not in text]

    def _fill(self, text: str, spoken: bool = False) -> str:
        """Content text with the session's values in it, as printed or as said out loud."""
        return self.settings.fill(fill(text, disclaimer=self.spec.text("disclaimer")),
                                  spoken)

    def _stored(self) -> dict[str, int | str]:
        """The answers the person gave (not the values the caller gave the dialog)."""
        return {k: v for k, v in self.values.items() if k not in self.spec.given}

    def _raised(self) -> list[Flag]:
        return self.ledger.raised()

    def _ids(self, answer: Answer) -> list[str]:
        return self.ledger.ids(answer)

    def _allows_no_exercise(self) -> bool:
        return self.ledger.allows_no_exercise()

    def _is_clear(self) -> bool:
        return self.outcome == SELF_CARE and self._most_urgent_tier() is None

    def _is_safe(self) -> bool:
        """The outcome is decided and allows exercise (no flag, or only within-days ones that
        allow some)."""
        return self.outcome is not None and not self.ledger.blocks_exercise()

    def _most_urgent_tier(self) -> str | None:
        return self.ledger.most_urgent_tier()


def _may_be_misheard(value: int, thresholds: list[int]) -> bool:
    """Whether a number heard could, misheard, fall on the other side of a threshold: within
    five of one, or a "teen" heard for a "ty" or the other way round (fifteen, fifty)."""
    alikes = set(range(value - 5, value + 6))
    if 13 <= value <= 19:
        alikes.add((value - 10) * 10)
    if value % 10 == 0 and 30 <= value <= 90:
        alikes.add(value // 10 + 10)
    return any((alike >= t) != (value >= t) for t in thresholds for alike in alikes if alike > 0)
