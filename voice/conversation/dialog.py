"""The dialog engine: runs any YAML dialog (see `dialogspec.py`) as a state machine.

Safety lives here as mechanism, not as triage-specific code:
- a red flag answered yes, or left unclear after it was asked once more in
  other words, counts; the outcome speaks the most urgent tier found;
- an "any of these?" list answered yes, not sure, or not understood opens its
  single questions, so the advice names the flag;
- a list answered "no" is checked once (`check`), phrased so that a habitual
  "no" means "none of those", and a yes there asks the single questions;
- once a flag is found, only questions that could find something more urgent
  are asked, and the most urgent tier ends the questions at once;
- "unsure", "not really", silence and not-understood never count as "no";
- a state that `requires_clear` (reassurance) is never entered with any flag,
  one that `requires_safe` (self-care, stretches) never with a flag of a tier
  that blocks exercise;
- every ending speaks the safety net that fits the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..clock import Clock
from ..preferences import RATE_STEP
from ..transcript import Transcript
from ..understanding.intents import IntentSet, Match, _spoken_list, normalise
from .dialogspec import (
    RED_FLAG_STATES,
    SELF_CARE,
    DialogSpec,
    Flag,
    Grade,
    State,
    holds,
    screen_prompt,
)
from .port import Person
from .settings import Settings

GLOBAL_INTENTS = ("help", "repeat", "stop", "slower", "faster")
# A hedged no ("not really", "I don't think so") is never a firm no to a red flag.
HEDGED_NO = "probably_not"
Question = State | Flag | Grade


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
class _Failure:
    """An answer that never came clear: no_match, no_input or unsure, after the retries."""

    kind: str


class _Stop(Exception):
    def __init__(self, reason: str):
        self.reason = reason


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
    ):
        self.spec = spec
        self.intents = intents
        self.person = person
        self.clock = clock
        self.settings = settings or Settings()
        self.transcript = transcript or Transcript(clock)
        self.handoffs = handoffs or {}
        self.answers: dict[str, str] = {}  # flag id -> yes | no | unresolved
        self.cleared_by: dict[str, str] = {}  # flag id -> the list or single question that said no
        self.grades: dict[str, Grade] = {}  # flag id -> the grade that applied to its event
        self.values: dict[str, int | str] = {}
        self.outcome: str | None = None
        self.handed_off: list[str] = []
        self.last_prompt = ""
        self._safety_net_said = False

    # ------------------------------------------------------------------ running
    def run(self) -> DialogResult:
        reason = "completed"
        current: str | None = self.spec.start
        try:
            while current is not None:
                state = self.spec.states[current]
                if (state.requires_clear and not self._is_clear()) or (
                        state.requires_safe and not self._is_safe()):
                    # Unreachable by the load-time check; kept as a second lock.
                    self.transcript.emit("safety_guard", blocked=state.id)
                    current = None if self.outcome else self.spec.outcome_state
                    continue
                current = self._step(state)
        except _Stop as stop:
            reason = stop.reason
            self._interrupted(reason)
        self._say_safety_net()
        self.transcript.emit("end", reason=reason, outcome=self.outcome)
        return DialogResult(
            outcome=self.outcome, flags=self._ids("yes"), unresolved=self._ids("unresolved"),
            end_reason=reason, values=dict(self.values), handoffs=list(self.handed_off),
            grades={k: g.id for k, g in self.grades.items()},
        )

    def _step(self, state: State) -> str | None:
        handler = getattr(self, f"_on_{state.type}")
        return handler(state)

    # ------------------------------------------------------------ state types
    def _on_say(self, state: State) -> str | None:
        for line in state.text:
            self.say(line)
        return state.next

    def _on_end(self, state: State) -> str | None:
        self._say_safety_net()
        for line in state.text:
            self.say(line)
        return None

    def _on_handoff(self, state: State) -> str | None:
        self.handed_off.append(state.target or "")
        action = self.handoffs.get(state.target or "")
        if callable(action):
            if state.flagged_routine and self._most_urgent_tier() is not None:
                routine = state.flagged_routine
            else:
                chosen = str(self.values.get(state.routine_by or "", ""))
                routine = state.routines.get(chosen, state.routine)
            action(routine, dict(self.values))
        else:
            for line in state.text:
                self.say(line)
        return state.next

    # -------------------------------------------------------------- red flags
    def _on_screen(self, state: State) -> str | None:
        """An "any of these?" list: a clear no clears its flags, anything else opens them."""
        flags = self._askable(state.flag_ids())
        if not flags:
            return state.next
        items = tuple(item for item in state.items if any(f.id in item.flags for f in flags))
        answer = self._ask(state, screen_prompt(state, items), ("yes", "no", "unsure"))
        if isinstance(answer, Match) and answer.intent == "no":
            for flag in flags:
                self.answers[flag.id] = "no"
                self.cleared_by[flag.id] = state.id
            return state.next
        return self._ask_singles(flags, state.next)

    def _on_check(self, state: State) -> str | None:
        """Asked after lists answered "no": a clear no stands; anything else asks them one by one."""
        screens = set(state.screens)
        cleared = [flag.id for flag in self.spec.flags()
                   if self.cleared_by.get(flag.id) in screens]
        flags = self._askable(cleared, again=True)
        if not flags:
            return state.next
        answer = self._ask(state, state.ask, ("yes", "no", "unsure"))
        if isinstance(answer, Match) and answer.intent == "no":
            for flag in flags:
                self.cleared_by[flag.id] = f"{self.cleared_by[flag.id]}+{state.id}"
            return state.next
        for flag in flags:
            del self.answers[flag.id], self.cleared_by[flag.id]
        return self._ask_singles(flags, state.next)

    def _askable(self, flag_ids: list[str], again: bool = False) -> list[Flag]:
        """The flags still worth asking: not yet answered (unless asked `again`), their
        conditions hold, and they could find something more urgent than what was found."""
        found = self._most_urgent_tier()
        best = None if found is None else self.spec.tier_rank(found)
        result = []
        for flag_id in flag_ids:
            flag = self.spec.flag_table[flag_id]
            if not holds(flag.when, self.values) or (flag.id in self.answers and not again):
                continue
            if best is None or self.spec.most_urgent_rank(flag) < best:
                result.append(flag)
        return result

    def _ask_singles(self, flags: list[Flag], following: str | None) -> str | None:
        for flag in flags:
            if flag not in self._askable([flag.id]):
                continue  # something as urgent was found meanwhile
            answer = self._ask_flag(flag)
            self.answers[flag.id] = answer
            if answer == "no":
                self.cleared_by[flag.id] = flag.id
                continue
            self._grade(flag)
            if self.spec.tier_rank(self._tier_of(flag)) == 0:
                return self.spec.outcome_state  # nothing is more urgent: advise now
        return following

    def _ask_flag(self, question: Flag | Grade) -> str:
        """yes, no, or unresolved: asked once, then once more in other words if unclear."""
        answer = self._ask(question, question.ask, ("yes", "no"), retries=1, again=question.again)
        if isinstance(answer, _Failure):
            return "unresolved"
        return answer.intent or ""

    def _grade(self, flag: Flag) -> None:
        """One event, one answer: the first grade that applies sets the flag's tier."""
        for grade in flag.grades:
            if not holds(grade.when, self.values):
                continue
            if not grade.ask or self._ask_flag(grade) != "no":
                self.grades[flag.id] = grade
                return

    def _tier_of(self, flag: Flag) -> str:
        grade = self.grades.get(flag.id)
        return grade.tier if grade else flag.tier

    def _on_outcome(self, state: State) -> str | None:
        tier = self._most_urgent_tier()
        flagged = [flag for flag in self.spec.flags() if self.answers.get(flag.id) in
                   ("yes", "unresolved")]
        unresolved = [flag for flag in flagged if self.answers[flag.id] == "unresolved"]
        if tier is None:
            self.outcome = SELF_CARE
            self.transcript.emit("outcome", tier=SELF_CARE, flags=[], unresolved=[])
            return state.clear
        self.outcome = tier
        self.transcript.emit(
            "outcome", tier=tier, flags=[f.id for f in flagged], unresolved=[f.id for f in unresolved],
            grades={k: g.id for k, g in self.grades.items()},
        )
        if unresolved:
            labels = _spoken_list([flag.label for flag in unresolved], "or")
            self.say(self.spec.text("unresolved").replace("{labels}", labels))
        for line in self.spec.tier(tier).advice:
            self.say(line)
        for flag in sorted(flagged, key=lambda f: self.spec.tier_rank(self._tier_of(f))):
            grade = self.grades.get(flag.id)
            self.say(grade.advice if grade else flag.advice)
        if self.spec.tier(tier).blocks_exercise or not state.mild:
            self.say(self.spec.text("no_stretches"))
            return None
        return state.mild

    def _on_question(self, state: State) -> str | None:
        answer = self._ask(state, state.ask, ("yes", "no"), give_up_on_silence=True)
        if isinstance(answer, _Failure) or answer.intent == "no":
            return state.on_no
        return state.on_yes

    def _on_choice(self, state: State) -> str | None:
        answer = self._ask(state, state.ask, tuple(state.options), give_up_on_silence=True)
        if isinstance(answer, _Failure):
            return state.default
        if state.store and answer.intent in state.options:
            self.values[state.store] = answer.intent
            self.transcript.emit("stored", name=state.store, value=answer.intent)
        return state.options.get(answer.intent or "", state.default)

    def _on_number(self, state: State) -> str | None:
        expected = (self.intents.number_intent(state.context) or "number",)
        answer = self._ask(state, state.ask, expected, give_up_on_silence=True)
        if isinstance(answer, _Failure):
            return state.default
        value = answer.slots["number"]
        if state.store:
            self.values[state.store] = value
            self.transcript.emit("stored", name=state.store, value=value)
        for entry in state.ranges:
            if entry.low <= value <= entry.high:
                return entry.next
        return state.next

    # ---------------------------------------------------------------- asking
    def _ask(
        self, state: Question, prompt: str, expected: tuple[str, ...],
        give_up_on_silence: bool = False, retries: int | None = None, again: str = "",
    ) -> Match | _Failure:
        """Ask until an expected answer comes, handling global intents and reprompts.

        With `again` (a red flag), an unclear answer is followed by the question in
        other words rather than by the list of things one can say."""
        retries = self.settings.retries if retries is None else retries
        prompt = self._fill(prompt)
        self.last_prompt = prompt
        self.transcript.emit("ask", id=state.id, text=prompt, context=state.context)
        self.person.say(prompt, interruptible=True)
        failures = 0
        while True:
            limit = self.person.preferences.now.time_limit_s
            deadline = None if limit is None else self.clock.now() + limit
            heard = self.person.listen(state.context, deadline, state.id)
            if heard.kind == "closed":
                self.transcript.emit("heard", kind="closed", text=None)
                raise _Stop("closed")
            if heard.kind == "no_input":
                self.transcript.emit("heard", kind="no_input", text=None)
                failures += 1
                if failures > retries:
                    if give_up_on_silence:
                        self.say(self.spec.text("gave_up"))
                        raise _Stop("no_input")
                    return _Failure("no_input")
                self._reprompt(state, "no_input", failures, again)
                continue
            self.transcript.emit("heard", kind=heard.kind, text=heard.text)
            if heard.kind == "speech":
                match = self.intents.match(heard.text, state.context)
            else:
                match = Match(heard.text, None)
            if match.intent is None and heard.kind == "speech" and state.yes_words:
                match = self._yes_by_its_words(state, heard.text or "")
            if match.intent == HEDGED_NO:
                meaning = "unsure" if state.type in RED_FLAG_STATES else "no"
                match = Match(match.text, meaning, match.slots, match.confidence)
            self.transcript.emit("intent", intent=match.intent, slots=match.slots,
                                 confidence=round(match.confidence, 3), context=state.context)
            if match.intent in GLOBAL_INTENTS:
                self._global(state, match.intent or "")
                continue
            if match.intent in expected:
                return match
            failures += 1
            if failures > retries:
                return _Failure("unsure" if match.intent == "unsure" else "no_match")
            kind = "unsure" if match.intent == "unsure" else "no_match"
            if kind == "unsure" and state.type in RED_FLAG_STATES:
                self.say(self._fill(self.spec.text("unsure_flag")))
                self._say_prompt(self._fill(again) if again else prompt)
                self.transcript.emit("reprompt", id=state.id, kind=kind, attempt=failures)
            else:
                self._reprompt(state, kind, failures, again)

    def _yes_by_its_words(self, state: State, text: str) -> Match:
        """"I fell off a ladder" answers the accident question: one of its yes words, and no
        negation anywhere ("I didn't fall" is not a yes)."""
        words = normalise(text)
        negations = {"no", "nope", "nah"} | {token for negator in self.intents.negators
                                             for token in negator if isinstance(token, str)}
        if any(word in state.yes_words for word in words) and not negations & set(words):
            return Match(text, "yes", {}, 0.8)
        return Match(text, None)

    def _reprompt(self, state: Question, kind: str, failures: int, again: str = "") -> None:
        """Escalating help: first the options, then the question again with the options.
        A red flag is asked once more in other words instead."""
        openers = self.spec.text_steps(kind)
        if openers:
            self.say(openers[min(failures, len(openers)) - 1])
        self.transcript.emit("reprompt", id=state.id, kind=kind, attempt=failures)
        if again:
            self._say_prompt(self._fill(again))
            return
        options = self.intents.help_text(state.context)
        if failures >= 2:
            self._say_prompt(self.last_prompt)
            self.say(options)
        else:
            self.say(options.split(" At any time")[0])

    def _global(self, state: State, intent: str) -> None:
        if intent == "stop":
            raise _Stop("stop")
        if intent == "help":
            if state.help:
                self.say(self._fill(state.help))
            self.say(self.intents.help_text(state.context))
            self._say_prompt(self.last_prompt)
        elif intent == "repeat":
            self._say_prompt(self.last_prompt)
        elif intent in ("slower", "faster"):
            # The person's side owns the rate: every dialog and routine of a session reads it
            # there, so a change made here is the one the next part uses and the session saves.
            current = self.person.preferences.now.rate_wpm
            updated = self.person.preferences.step_rate(
                -RATE_STEP if intent == "slower" else RATE_STEP)
            if updated == current:
                self.say(self.spec.text("slowest" if intent == "slower" else "fastest"))
            else:
                self.transcript.emit("rate", wpm=updated)
                self.say(self.spec.text(intent))
            self._say_prompt(self.last_prompt)

    # --------------------------------------------------------------- endings
    def _interrupted(self, reason: str) -> None:
        """Stop or end of input: flags already raised still get their advice."""
        if self.outcome is None and self._most_urgent_tier() is not None:
            if reason != "closed":
                self.say(self._fill(self.spec.text("stopped")).split(". ")[0] + ".")
            self._on_outcome(self.spec.states[self.spec.outcome_state])
        elif self.outcome is None:
            self.say(self._fill(self.spec.text("stopped")))

    def _say_safety_net(self) -> None:
        """Once, at the end, in the words that fit the outcome (no "if you notice chest pain"
        after an emergency outcome)."""
        if not self._safety_net_said:
            self._safety_net_said = True
            tiers = {tier.id: tier for tier in self.spec.tiers}
            fitting = tiers[self.outcome].safety_net if self.outcome in tiers else ""
            self.say(fitting or self.spec.text("safety_net"))

    # --------------------------------------------------------------- helpers
    def say(self, text: str) -> None:
        text = self._fill(text)
        if not text:
            return
        self.transcript.emit("say", text=text)
        self.person.say(text)

    def _say_prompt(self, prompt: str) -> None:
        self.last_prompt = prompt
        self.transcript.emit("say", text=prompt, repeat=True)
        self.person.say(prompt, interruptible=True)

    def sentences(self, steps_only: bool = False) -> list[str]:
        """The dialog's fixed texts exactly as this dialog would speak them (for prefetching)."""
        filled = [self._fill(text) for text in self.spec.sentences(steps_only)]
        return [text for text in filled if "{" not in text]

    def _fill(self, text: str) -> str:
        return (text.replace("{emergency_number}", self.settings.emergency_number)
                .replace("{disclaimer}", self.spec.text("disclaimer")))

    def _ids(self, answer: str) -> list[str]:
        return [flag.id for flag in self.spec.flags() if self.answers.get(flag.id) == answer]

    def _is_clear(self) -> bool:
        return self.outcome == SELF_CARE and self._most_urgent_tier() is None

    def _is_safe(self) -> bool:
        """The outcome is decided and allows exercise (no flag, or only within-days ones)."""
        if self.outcome is None:
            return False
        tier = self._most_urgent_tier()
        return tier is None or not self.spec.tier(tier).blocks_exercise

    def _most_urgent_tier(self) -> str | None:
        """The most urgent tier among yes and unclear flags, each read through its grade."""
        ranks = [self.spec.tier_rank(self._tier_of(flag)) for flag in self.spec.flags()
                 if self.answers.get(flag.id) in ("yes", "unresolved")]
        return self.spec.tiers[min(ranks)].id if ranks else None
