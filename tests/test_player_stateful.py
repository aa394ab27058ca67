"""The dialog engine and the routine player driven step by step by hypothesis: random waits
and random words over virtual hours, checked after every step.

The player runs in its own thread against a person whose time and words come from the
state machine: a `wait` rule lets virtual time run on, a `say` rule speaks a command or
an answer now, and the player thread blocks in `listen` until the next rule. After each
step: nothing has raised; stop and the symptoms have ended the routine at once; no cue of
the timeline sounded during a pause; a resume picks up at the position the pause left. ("At once" is
within a minute of virtual time: the goodbye or the symptom advice is still said.)
"""

from __future__ import annotations

import math
import threading

import pytest
from hypothesis import event as note_event
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from support.content import shipped_content

from voice.clock import VirtualClock
from voice.conversation.dialog.engine import Dialog
from voice.conversation.port import Heard
from voice.conversation.routine.player import Player
from voice.conversation.routine.timeline import estimated
from voice.events.routine import CueKind
from voice.events.transcript import Transcript
from voice.preferences import PreferenceStore

CONTENT = shipped_content()
BOOK = CONTENT.book
WORDS = ["pause", "resume", "repeat", "skip", "go back", "help", "slower", "faster", "stop",
         "it hurts", "I feel dizzy", "pins and needles", "3", "7", "9", "yes", "no", "banana", ""]
ENDING = {"stop": "stop", "I feel dizzy": "symptom", "pins and needles": "symptom"}


class SteppedPerson:
    """Time runs to `until`, then `listen` waits for the machine's next step."""

    lead_s = 0.0
    sets_rate = True
    reads_aloud = True
    types_answers = False

    def __init__(self, clock: VirtualClock):
        self.clock = clock
        self.preferences = PreferenceStore()
        self.step = threading.Condition()
        self.until = 0.0
        self.words: list[str] = []
        self.turn = 0  # the machine's step; the player parks once it has used one up
        self.parked_at = -1
        self.asked: str | None = None  # the question waiting for its answer, if any

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        pass

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        pass

    def cut(self) -> None:
        pass

    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        target = math.inf if deadline is None else deadline
        self.asked = prompt_id
        with self.step:
            while True:
                if self.words:
                    return Heard("speech", self.words.pop(0))
                if self.clock.now() >= target:
                    return Heard("no_input")
                if self.clock.now() < self.until:
                    self.clock.sleep_until(min(target, self.until))
                    continue
                self.parked_at = self.turn
                self.step.notify_all()
                while self.turn == self.parked_at:
                    self.step.wait()


class PlayerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = VirtualClock()
        self.person = SteppedPerson(self.clock)
        self.transcript = Transcript(self.clock)
        self.failure: BaseException | None = None
        self.result = None
        self.said_ending: str | None = None
        self.thread = threading.Thread(target=self._play, daemon=True)
        self.thread.start()
        self._settle()

    def _play(self) -> None:
        try:
            self.result = Player(BOOK, BOOK.routines["full"], CONTENT.intents, self.person,
                                 self.clock, estimated, transcript=self.transcript).run()
        except BaseException as error:  # noqa: BLE001 - reported by the invariant
            self.failure = error
        finally:
            with self.person.step:
                self.person.step.notify_all()

    def _settle(self) -> None:
        """Wait until the player waits for the next step, or has finished."""
        with self.person.step:
            while self.thread.is_alive() and self.person.parked_at != self.person.turn:
                self.person.step.wait(0.05)
        self.thread.join(0.0 if self.thread.is_alive() else 5.0)

    def _running(self) -> bool:
        return self.thread.is_alive()

    @rule(seconds=st.floats(0.05, 900.0))
    def wait(self, seconds: float) -> None:
        """Let time run on (nothing happens once the routine has ended)."""
        with self.person.step:
            self.person.until = self.clock.now() + seconds
            self.person.turn += 1
            self.person.step.notify_all()
        self._settle()

    @precondition(lambda self: self._running())
    @rule(words=st.sampled_from(WORDS))
    def say(self, words: str) -> None:
        self._speak(words, ends=words in ENDING)

    def _speak(self, words: str, ends: bool) -> None:
        with self.person.step:
            self.person.words.append(words)
            if ends:  # a minute for the goodbye or the advice to be said
                self.person.until = self.clock.now() + 60.0
            self.person.turn += 1
            self.person.step.notify_all()
        self._settle()
        if ends and self.said_ending is None:
            self.said_ending = words

    @invariant()
    def nothing_raised(self) -> None:
        assert self.failure is None, repr(self.failure)

    @invariant()
    def stop_and_symptoms_end_the_routine_at_once(self) -> None:
        if self.said_ending is None:
            return
        assert not self._running(), f"still playing after {self.said_ending!r}"
        assert self.result is not None
        if self.result.end_reason in ("stop", "symptom"):
            assert self.result.end_reason == ENDING[self.said_ending]

    @invariant()
    def a_pause_keeps_the_time(self) -> None:
        paused = None
        for event in self.transcript.events:
            if event["event"] == "pause":
                paused = event
            elif event["event"] == "resume":
                assert paused is not None
                assert (event["exercise"], event["position"]) == (paused["exercise"],
                                                                   paused["position"])
                paused = None
            elif event["event"] == "cue" and event["exercise"] and paused is not None:
                raise AssertionError(f"the timeline moved while paused: {event}")

    def teardown(self) -> None:
        if self._running():
            self._speak("stop", ends=True)
        self.thread.join(5.0)
        assert not self.thread.is_alive()


PlayerMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)
test_the_player_under_random_steps = pytest.mark.slow(PlayerMachine.TestCase)

BLOCKING = {tier.id for tier in CONTENT.triage.tiers if tier.blocks_exercise}
ANSWERS = ["yes", "no", "nope", "not sure", "not really", "yeah, a little", "40", "72", "my neck",
           "upper back", "3", "8", "stop", "slower", "repeat", "help", "banana", ""]


class SessionMachine(PlayerMachine):
    """The symptom check first, its stretches handoff into the player: answers mostly no, so
    that many runs reach a routine, with yes and the unclear ones mixed in."""

    def _play(self) -> None:
        def stretches(routine_id: str, values: dict | None = None) -> None:
            pain = (values or {}).get("pain_before")
            Player(BOOK, BOOK.routines[routine_id], CONTENT.intents, self.person, self.clock,
                   estimated, transcript=self.transcript,
                   pain_before=pain if isinstance(pain, int) else None).run()

        try:
            Dialog(CONTENT.triage, CONTENT.intents, self.person, self.clock,
                   transcript=self.transcript, handoffs={"stretches": stretches}).run()
            self.result = True
        except BaseException as error:  # noqa: BLE001 - reported by the invariant
            self.failure = error
        finally:
            with self.person.step:
                self.person.step.notify_all()

    @precondition(lambda self: self._running())
    @rule(words=st.sampled_from(WORDS + ANSWERS))
    def say(self, words: str) -> None:
        """Stop ends everything; a symptom ends a routine, and is just not an answer before."""
        in_routine = any(e["event"] == "routine" for e in self.transcript.events)
        self._speak(words, ends=words == "stop" or (words in ENDING and in_routine))

    @precondition(lambda self: self._running())
    @rule()
    def plain_answer(self) -> None:
        """What most people answer: their age, where it hurts, a pain score, no to the red
        flags, yes to the stretches."""
        plain = {"age": "40", "location": "my neck", "pain_score": "3", "pain_after": "3",
                 "offer_stretches": "yes", "hurts_question": "3"}
        self._speak(plain.get(self.person.asked or "", "no"), ends=False)

    @precondition(lambda self: self._running())
    @rule()
    def another_plain_answer(self) -> None:
        self.plain_answer()

    @rule(seconds=st.floats(0.05, 900.0))
    def wait(self, seconds: float) -> None:
        """Long waits only once a routine plays: before it, a long silence is a question left
        unanswered, which ends the check (tested elsewhere)."""
        in_routine = any(e["event"] == "routine" for e in self.transcript.events)
        super().wait(seconds if in_routine else min(seconds, 5.0))

    @invariant()
    def stop_and_symptoms_end_the_routine_at_once(self) -> None:
        if self.said_ending is not None:
            assert not self._running(), f"still running after {self.said_ending!r}"

    @invariant()
    def no_stretches_after_a_red_flag_that_blocks_them(self) -> None:
        outcome = next((e["tier"] for e in self.transcript.events if e["event"] == "outcome"), None)
        if outcome in BLOCKING:
            assert not any(e["event"] in ("routine", "cue") for e in self.transcript.events)


    def teardown(self) -> None:
        outcome = next((e["tier"] for e in self.transcript.events if e["event"] == "outcome"), None)
        note_event(f"outcome: {outcome}")
        note_event("a routine played" if any(e["event"] == "routine" for e in self.transcript.events)
              else "no routine")
        super().teardown()


SessionMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=60, deadline=None)
test_the_symptom_check_and_routine_under_random_steps = pytest.mark.slow(SessionMachine.TestCase)
