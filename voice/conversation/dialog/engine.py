"""The dialog engine: runs any YAML dialog (see `spec`) as a state machine, step by step, by
the kind of each state, and ends it with the advice and safety net that fit what was found.

Safety lives here as mechanism, not as triage-specific code (the rules are listed in the
package's docstring): a state that `requires_clear` or `requires_safe` is never entered when
what was found forbids it, even if the load-time proof were wrong; stop, silence and the end
of input still give the advice of any flag found; going back starts again from a fresh ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from ...clock import Clock
from ...events.conversation import DialogEnded, Outcome, SafetyGuard, Stored
from ...events.transcript import Transcript
from ...understanding.answers.model import Answer
from ...understanding.intents.model import IntentSet
from ..asking.ask import Asker
from ..asking.prompt import GoBack, Interrupted, Prompt, Reply, Unanswered
from ..asking.rules import AskingRules, asking_rules_beside
from ..asking.texts import Texts
from ..port import Person, Stop
from ..settings import Settings
from .advice import advice, routine_for, safety_net
from .going_back import Back, Rewind, Turn, Turns
from .ledger import Ledger
from .numbers_said_back import Echo, echo_of
from .questions import lexicon_of
from .red_flags import RedFlagQuestions
from .spec import (
    SELF_CARE,
    CheckState,
    ChoiceState,
    DialogSpec,
    EndState,
    Grade,
    HandoffState,
    NumberState,
    OutcomeState,
    QuestionState,
    SayState,
    ScreenState,
    State,
    holds,
)
from .wording import Wording, named


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
        self._given = dict(given or {})
        self.wording = Wording(spec, self.settings, person, self.transcript)
        self.asker = Asker(person, intents, clock, self.transcript, Texts.of(spec.texts),
                           ask_line=self.wording.ask, say_line=self.say, fill=self.wording.fill,
                           retries=self.settings.retries, lexicon=lexicon_of(spec),
                           today=self.settings.today or date.today(),
                           named=lambda key: named(spec, key),
                           asking=asking if asking is not None else asking_rules_beside(spec.source),
                           can_go_back=True)
        self._events_before = len(self.transcript.events)  # for the answer limit
        self._begin()

    def _begin(self, replay: tuple[Turn, ...] | None = None) -> None:
        """Nothing found yet: the first run, or again after going back, giving `replay` again
        without asking (what was said before the question asked is not said again)."""
        self.ledger = Ledger(self.spec)  # what has been found: answers, clearings, grades, mentions
        self.values: dict[str, int | str] = {**self.spec.given, **self._given}
        self.red_flags = RedFlagQuestions(self.spec, self.ledger, self.values, self._ask,
                                          self.intents.number_words, self.asker.rules.clauses.ordinals)
        self.outcome: str | None = None
        self.handed_off: list[str] = []
        self._echo: Echo | None = None
        self._safety_net_said = False
        self.turns = Turns(replay or ())
        self.wording.quiet = replay is not None

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
                except Rewind as rewind:
                    self._begin(rewind.turns)
        except Stop as stop:
            reason = stop.reason
            self._interrupted(stop)
        self._say_safety_net()
        self.transcript.emit(DialogEnded(reason, self.outcome))
        return DialogResult(
            outcome=self.outcome, flags=self.ledger.ids(Answer.YES),
            unresolved=self.ledger.ids(Answer.UNRESOLVED), end_reason=reason,
            values=self._stored(), handoffs=list(self.handed_off), grades=self.ledger.grade_ids(),
        )

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
                if state.type in ("screen", "check", "outcome") and self.red_flags.volunteered(
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
                return self.red_flags.screen(state)
            case CheckState():
                return self.red_flags.check(state)
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
        self.turns.answered.clear()  # what was handed over is done: no going back over it
        action = self.handoffs.get(state.target or "")
        if callable(action):
            action(routine_for(state, self.ledger, self.values), self._stored())
        else:
            for line in state.text:
                self.say(line)
        return state.next

    def _on_outcome(self, state: State) -> str | None:
        found = advice(self.spec, self.ledger, state)
        self.outcome = found.outcome
        if found.outcome == SELF_CARE:
            self.transcript.emit(Outcome(SELF_CARE, [], []))
        else:
            self.transcript.emit(Outcome(found.outcome, [f.id for f in self.ledger.raised()],
                                         [f.id for f in self.ledger.unresolved()],
                                         self.ledger.grade_ids()))
        for line in found.lines:
            self.say(line)
        return found.next

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
            self._echo = echo_of(self.spec, state, value, self.intents.number_words)
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
        if not self.wording.quiet:  # given again after going back: stored the first time
            self.transcript.emit(Stored(name, value))

    # ---------------------------------------------------------------- asking
    def _ask(self, prompt: Prompt) -> Reply:
        """The one ask step, with the dialog's own endings: stop, and the end of input. A number
        just said back comes before the question and may be corrected in its answer, which
        costs no turn when it was right. After going back, the answers before are given again
        without asking."""
        turn = self.turns.replayed(prompt.id)
        if turn is not None:
            self._echo = None
            for name, value in turn.corrections:
                self._store(name, value)
            self.wording.quiet = not turn.changed
            return turn.reply
        self.wording.quiet = False
        if prompt.red_flag is not None and self.spec.answer_limit is not None:
            if self.outcome is None and self._past_limit():
                raise _Limit
        echo, self._echo = self._echo, None
        lead, corrections = prompt.lead, 0
        stored: list[tuple[str, int]] = []
        try:
            while True:
                if echo is not None:
                    prompt = replace(prompt, lead=" ".join(t for t in (echo.line, lead) if t),
                                     correction=echo.state.context
                                     if corrections < self.settings.retries else None)
                try:
                    reply = self.asker.ask(prompt)
                except GoBack as back:
                    self._go_back(back)  # raises Rewind, or says why not: asked again
                    continue
                if echo is None or not reply.corrected or reply.match is None:
                    self.turns.answered.append(Turn(prompt.id, reply, prompt.red_flag is not None,
                                                    prompt.expected, tuple(stored)))
                    return reply
                echo = replace(echo, value=reply.match.slots["number"])
                self._store(echo.state.store or "", echo.value)
                stored.append((echo.state.store or "", echo.value))
                corrections += 1
        except Interrupted as interrupted:
            raise Stop("stop" if interrupted.intent == "stop" else "closed") from None

    def _go_back(self, back: GoBack) -> None:
        """To the last question answered (`going_back`): raises `Rewind`, or returns after
        saying why it cannot."""
        done, turns = self.turns.back(back.intent, back.text, advice_given=self.outcome is not None)
        self.say(self.spec.text(done.value))
        if done in (Back.AGAIN, Back.CHANGED):
            raise Rewind(turns)

    def _past_limit(self) -> bool:
        """The answer limit is for a person who stays unclear: answers heard reach it, and at
        least one of them needed asking again or "which of those?" (a clear answer said back
        and confirmed is not unclear)."""
        events = self.transcript.events[self._events_before:]
        heard = sum(1 for e in events if e["event"] == "heard")
        unclear = self.ledger.unclear_lists + sum(1 for e in events if e["event"] == "reprompt")
        return heard >= (self.spec.answer_limit or 0) and unclear > 0

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
        """Once, at the end (`advice.safety_net`)."""
        if not self._safety_net_said:
            self._safety_net_said = True
            for line in safety_net(self.spec, self.ledger, self.outcome):
                self.say(line)

    # --------------------------------------------------------------- helpers
    def say(self, template: str) -> None:
        self.wording.say(template)

    def sentences(self, steps_only: bool = False) -> list[str]:
        """The dialog's fixed texts as this dialog would say them (`Wording.sentences`)."""
        return self.wording.sentences(steps_only)

    def _stored(self) -> dict[str, int | str]:
        """The answers the person gave (not the values the caller gave the dialog)."""
        return {k: v for k, v in self.values.items() if k not in self.spec.given}

    def _is_clear(self) -> bool:
        return self.outcome == SELF_CARE and self._most_urgent_tier() is None

    def _is_safe(self) -> bool:
        """The outcome is decided and allows exercise (no flag, or only within-days ones that
        allow some)."""
        return self.outcome is not None and not self.ledger.blocks_exercise()

    def _most_urgent_tier(self) -> str | None:
        return self.ledger.most_urgent_tier()
