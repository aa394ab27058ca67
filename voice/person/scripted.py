"""A person who follows a script: commands at set clock times, answers from a table.

`backcare stretch --simulate` previews a routine with it on a virtual clock,
and the tests drive the dialog and the player with it; the conversation
cannot tell it from a person typing or speaking.  Listening advances the
virtual clock to the deadline (or to the next scripted command), as real
waiting would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from ..clock import VirtualClock
from ..conversation.port import Heard
from ..events.routine import CueKind
from ..preferences import PreferenceStore

SILENCE = "<silence>"  # an answer that is no answer: the time limit passes
NOISE = "<noise>"  # sound that is not understood

Chooser = Callable[[str, str], str | None]


class ScriptedPerson:
    """Answers each question from `answers[id]` (one per time it is asked), else from
    `in_order` (whatever is asked), else `default`; None as an answer ends the input."""

    lead_s = 0.0
    sets_rate = True
    reads_aloud = True
    types_answers = False

    def __init__(self, clock: VirtualClock | None = None, commands: Iterable[tuple[float, str]] = (),
                 answers: dict[str, list[str] | str] | None = None, in_order: Iterable[str] = (),
                 default: str | None = None, chooser: Chooser | None = None,
                 printed: IO[str] | None = None, preferences: PreferenceStore | None = None):
        self.clock = clock or VirtualClock()
        self.pending = sorted(commands)
        self.answers = {k: ([v] if isinstance(v, str) else list(v)) for k, v in (answers or {}).items()}
        self.in_order = list(in_order)
        self.default = default
        self.chooser = chooser
        self.printed = printed  # a preview prints each line with its time
        self.preferences = preferences or PreferenceStore()
        self.start = self.clock.now()
        self.said: list[str] = []
        self.asked: list[str] = []
        self.cuts = 0

    # ------------------------------------------------------------ speech out
    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        self.said.append(text)
        self._print(text)

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        self.said.append(text)
        self._print(text)

    def cut(self) -> None:
        self.cuts += 1

    def text(self) -> str:
        return "\n".join(self.said)

    # ------------------------------------------------------------- listening
    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if prompt_id is None:
            return self._command(deadline)
        self.asked.append(prompt_id)
        answer = self._answer(prompt_id, str(context))
        if answer is None:
            return Heard("closed")
        if answer == SILENCE:
            if deadline is not None:
                self.clock.sleep_until(max(deadline, self.clock.now()))
            return Heard("no_input")
        if answer == NOISE:
            return Heard("rejected")
        return Heard("speech", answer)

    def _answer(self, prompt_id: str, context: str) -> str | None:
        if self.chooser is not None:
            return self.chooser(prompt_id, context)
        if self.answers.get(prompt_id):
            return self.answers[prompt_id].pop(0)
        if self.in_order:
            return self.in_order.pop(0)
        return self.default

    def _command(self, deadline: float | None) -> Heard:
        if self.pending and (deadline is None or self.pending[0][0] <= deadline):
            at, text = self.pending.pop(0)
            self.clock.sleep_until(max(at, self.clock.now()))
            return Heard("speech", text)
        if deadline is None:
            return Heard("closed")  # nothing more will ever be said
        self.clock.sleep_until(max(deadline, self.clock.now()))
        return Heard("no_input")

    def _print(self, text: str) -> None:
        if self.printed is None:
            return
        minutes, seconds = divmod(self.clock.now() - self.start, 60)
        self.printed.write(f"[{int(minutes):02d}:{seconds:04.1f}] {text}\n")
        self.printed.flush()
