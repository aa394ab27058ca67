"""The dialog engine: runs any YAML dialog (see `dialogspec.py`) as a state machine.

Safety lives here as mechanism, not as triage-specific code:
- a `flag` answered yes (or left unclear after the retries) goes to the outcome,
  which speaks the most urgent tier found and ends the dialog;
- "unsure", silence and not-understood never count as "no";
- the "no" answers of a confirmed tier are read back once and must be confirmed;
- a state that `requires_clear` is never entered while any flag is raised;
- every ending speaks the safety net.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .channel import Channel
from .clock import Clock
from .dialogspec import SELF_CARE, DialogSpec, State
from .intents import IntentSet, Match, _spoken_list, normalise
from .settings import RATE_STEP, Settings
from .transcript import Transcript

GLOBAL_INTENTS = ("help", "repeat", "stop", "slower", "faster")
# A hedged no ("not really", "I don't think so") is never a firm no to a red flag.
HEDGED_NO = "probably_not"
RED_FLAG_STATES = ("flag", "modifier")


@dataclass
class DialogResult:
    """How a dialog ended, for the caller (and for tests)."""

    outcome: str | None  # a tier id, "self_care", or None if it ended before an outcome
    flags: list[str]
    unresolved: list[str]
    end_reason: str  # completed | stop | closed | no_input
    values: dict[str, int | str] = field(default_factory=dict)
    handoffs: list[str] = field(default_factory=list)
    settings: Settings | None = None


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
        channel: Channel,
        clock: Clock,
        settings: Settings | None = None,
        transcript: Transcript | None = None,
        handoffs: dict[str, object] | None = None,
    ):
        self.spec = spec
        self.intents = intents
        self.channel = channel
        self.settings = settings or Settings()
        self.transcript = transcript or Transcript(clock)
        self.handoffs = handoffs or {}
        self.answers: dict[str, str] = {}  # flag id -> yes | no | unresolved
        self.raises: dict[str, State] = {}  # modifier id -> modifier state, when it applies
        self.values: dict[str, int | str] = {}
        self.outcome: str | None = None
        self.handed_off: list[str] = []
        self.last_prompt = ""
        self._revisit: list[str] | None = None
        self._revisit_return = ""
        self._confirm_rounds: dict[str, int] = {}
        self._safety_net_said = False

    # ------------------------------------------------------------------ running
    def run(self) -> DialogResult:
        reason = "completed"
        current: str | None = self.spec.start
        try:
            while current is not None:
                state = self.spec.states[current]
                if state.requires_clear and not self._is_clear():
                    # Unreachable by the load-time check; kept as a second lock.
                    self.transcript.emit("safety_guard", blocked=state.id)
                    current = self.spec.outcome_state
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
            settings=self.settings,
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
            chosen = str(self.values.get(state.routine_by or "", ""))
            action(state.routines.get(chosen, state.routine))
        else:
            for line in state.text:
                self.say(line)
        return state.next

    def _on_flag(self, state: State) -> str | None:
        answer = self._ask(state, state.ask, ("yes", "no"))
        if isinstance(answer, _Failure):
            self.answers[state.id] = "unresolved"
            return self.spec.outcome_state
        self.answers[state.id] = answer.intent or ""
        if answer.intent == "yes":
            return self.spec.outcome_state
        return self._after_no(state)

    def _on_modifier(self, state: State) -> str | None:
        answer = self._ask(state, state.ask, ("yes", "no"))
        # An unclear answer is read the cautious way: the modifier applies.
        if isinstance(answer, _Failure) or answer.intent == "yes":
            self.raises[state.id] = state
        else:
            self.raises.pop(state.id, None)
        return state.next

    def _on_confirm_negatives(self, state: State) -> str | None:
        negatives = [flag for flag in self.spec.flags()
                     if flag.tier == state.tier and self.answers.get(flag.id) == "no"]
        if not negatives:
            return state.next
        labels = _spoken_list([flag.label for flag in negatives], "and")
        answer = self._ask(state, state.ask.replace("{labels}", labels), ("yes", "no"))
        if isinstance(answer, _Failure):
            for flag in negatives:
                self.answers[flag.id] = "unresolved"
            return self.spec.outcome_state
        if answer.intent == "yes":
            return state.next
        rounds = self._confirm_rounds.get(state.id, 0) + 1
        self._confirm_rounds[state.id] = rounds
        if rounds > 1:
            # Denied twice: the answers cannot be trusted, so none of them clears anything.
            for flag in negatives:
                self.answers[flag.id] = "unresolved"
            return self.spec.outcome_state
        self.say(state.redo)
        for flag in negatives:
            del self.answers[flag.id]
        self._revisit = [flag.id for flag in negatives[1:]]
        self._revisit_return = state.id
        return negatives[0].id

    def _after_no(self, state: State) -> str | None:
        if self._revisit is None:
            return state.next
        if self._revisit:
            return self._revisit.pop(0)
        self._revisit = None
        return self._revisit_return

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
            modifiers=sorted(self.raises),
        )
        if unresolved:
            labels = _spoken_list([flag.label for flag in unresolved], "or")
            self.say(self.spec.text("unresolved").replace("{labels}", labels))
        for line in self.spec.tier(tier).advice:
            self.say(line)
        for flag in flagged:
            self.say(flag.advice)
        self.say(self.spec.text("no_stretches"))
        return None

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
        return state.options.get(answer.intent or "", state.default)

    def _on_number(self, state: State) -> str | None:
        answer = self._ask(state, state.ask, ("number",), give_up_on_silence=True)
        if isinstance(answer, _Failure):
            return state.default
        value = answer.slots["number"]
        if state.store:
            self.values[state.store] = value
        for entry in state.ranges:
            if entry.low <= value <= entry.high:
                return entry.next
        return state.next

    # ---------------------------------------------------------------- asking
    def _ask(
        self, state: State, prompt: str, expected: tuple[str, ...], give_up_on_silence: bool = False,
    ) -> Match | _Failure:
        """Ask until an expected answer comes, handling global intents and reprompts."""
        prompt = self._fill(prompt)
        self.last_prompt = prompt
        self.transcript.emit("ask", id=state.id, text=prompt, context=state.context)
        self.channel.say(prompt, interruptible=True)
        failures = 0
        while True:
            heard = self.channel.listen(state.context, self.settings.no_input_timeout, state.id)
            if heard.kind == "closed":
                self.transcript.emit("heard", kind="closed", text=None)
                raise _Stop("closed")
            if heard.kind == "no_input":
                self.transcript.emit("heard", kind="no_input", text=None)
                failures += 1
                if failures > self.settings.retries:
                    if give_up_on_silence:
                        self.say(self.spec.text("gave_up"))
                        raise _Stop("no_input")
                    return _Failure("no_input")
                self._reprompt(state, "no_input", failures)
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
            if failures > self.settings.retries:
                return _Failure("unsure" if match.intent == "unsure" else "no_match")
            if match.intent == "unsure" and state.type == "flag":
                self.say(self._fill(self.spec.text("unsure_flag")))
                self._say_prompt(prompt)
            else:
                self._reprompt(state, "no_match", failures)

    def _yes_by_its_words(self, state: State, text: str) -> Match:
        """"I fell off a ladder" answers the accident question: one of its yes words, and no
        negation anywhere ("I didn't fall" is not a yes)."""
        words = normalise(text)
        negations = {"no", "nope", "nah"} | {token for negator in self.intents.negators
                                             for token in negator if isinstance(token, str)}
        if any(word in state.yes_words for word in words) and not negations & set(words):
            return Match(text, "yes", {}, 0.8)
        return Match(text, None)

    def _reprompt(self, state: State, kind: str, failures: int) -> None:
        """Escalating help: first the options, then the question again with the options."""
        openers = self.spec.text_steps(kind)
        if openers:
            self.say(openers[min(failures, len(openers)) - 1])
        options = self.intents.help_text(state.context)
        if failures >= 2:
            self._say_prompt(self.last_prompt)
            self.say(options)
        else:
            self.say(options.split(" At any time")[0])
            self.transcript.emit("reprompt", id=state.id, kind=kind, attempt=failures)
            return
        self.transcript.emit("reprompt", id=state.id, kind=kind, attempt=failures)

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
            step = -RATE_STEP if intent == "slower" else RATE_STEP
            updated = self.settings.with_rate(self.settings.rate_wpm + step)
            if updated.rate_wpm == self.settings.rate_wpm:
                self.say(self.spec.text("slowest" if intent == "slower" else "fastest"))
            else:
                self.settings = updated
                self.channel.set_rate(updated.rate_wpm)
                self.transcript.emit("rate", wpm=updated.rate_wpm)
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
        if not self._safety_net_said:
            self._safety_net_said = True
            self.say(self.spec.text("safety_net"))

    # --------------------------------------------------------------- helpers
    def say(self, text: str) -> None:
        text = self._fill(text)
        if not text:
            return
        self.transcript.emit("say", text=text)
        self.channel.say(text)

    def _say_prompt(self, prompt: str) -> None:
        self.transcript.emit("say", text=prompt, repeat=True)
        self.channel.say(prompt, interruptible=True)

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

    def _most_urgent_tier(self) -> str | None:
        """The most urgent tier among yes and unclear flags, after modifiers."""
        best: int | None = None
        for flag in self.spec.flags():
            if self.answers.get(flag.id) not in ("yes", "unresolved"):
                continue
            rank = self.spec.tier_rank(flag.tier or "")
            for modifier in self.raises.values():
                ceiling = self.spec.tier_rank(modifier.max_tier or "")
                if rank > ceiling:
                    rank = max(rank - modifier.raises, ceiling)
            best = rank if best is None else min(best, rank)
        return None if best is None else self.spec.tiers[best].id
