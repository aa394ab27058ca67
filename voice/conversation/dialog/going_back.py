"""Going back: "go back" (or "undo") asks the last question answered again, and "I meant yes"
(or, to an ordinary question, "I meant no") changes its answer.

Nothing found is ever unpicked: the dialog starts again with a fresh ledger and the answers
before the one taken back are given again, silently, in order, so nothing found from that
answer survives it. A yes to a warning sign is never taken back (a no to one comes only as an
answer to it), nor anything once advice has been given. This module keeps the turns and
decides; the engine says why and starts again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from ...understanding.answers.model import Answer
from ...understanding.intents.model import Match
from ..asking.prompt import Reply

MEANT = {"meant_no": "no", "meant_yes": "yes"}  # the go-back intents that change an answer


@dataclass(frozen=True)
class Turn:
    """A question answered: what a going back gives again, in order, up to the one it changes."""

    prompt_id: str
    reply: Reply
    red_flag: bool
    expected: tuple[str, ...]
    corrections: tuple[tuple[str, int], ...] = ()  # numbers corrected in it ("no, fifty-seven")
    changed: bool = False  # the answer going back changed ("I meant yes"): what follows is new


class Rewind(Exception):
    """Go back: run again from the start, giving these answers again without asking."""

    def __init__(self, turns: tuple[Turn, ...]):
        super().__init__("go back")
        self.turns = turns


class Back(str, Enum):
    """What a going back did, each said in the dialog's text of that name."""

    AGAIN = "back_again"
    CHANGED = "back_changed"
    NOTHING = "back_nothing"  # no answer yet to go back to
    FLAG_YES = "back_flag_yes"  # a yes to a warning sign stands
    AFTER_ADVICE = "back_after_advice"  # advice once given stands


class Turns:
    """The questions answered in one run, in order, and after going back the answers to give
    again before anything is asked."""

    def __init__(self, replay: tuple[Turn, ...] = ()):
        self.answered: list[Turn] = []
        self.replay = list(replay)

    def replayed(self, prompt_id: str) -> Turn | None:
        """The answer given before to this question, when the run goes the same way as it did;
        else None, and from here on everything is asked."""
        if not self.replay:
            return None
        turn = self.replay.pop(0)
        if turn.prompt_id != prompt_id:
            self.replay.clear()
            return None
        self.answered.append(turn)
        return turn

    def back(self, intent: str, words: str, advice_given: bool) -> tuple[Back, tuple[Turn, ...]]:
        """What "go back" (`intent`, in `words`) does, and the turns to give again when it goes
        back at all (`Back.AGAIN` or `Back.CHANGED`)."""
        if advice_given:
            return Back.AFTER_ADVICE, ()
        if not self.answered:
            return Back.NOTHING, ()
        last = self.answered[-1]
        if last.red_flag and last.reply.answer == Answer.YES:
            return Back.FLAG_YES, ()
        meant = MEANT.get(intent)
        before = tuple(self.answered[:-1])
        if meant in last.expected and not (meant == "no" and last.red_flag):
            changed = replace(last, reply=Reply(Match(words, meant, {}, 1.0)), corrections=(),
                              changed=True)
            return Back.CHANGED, (*before, changed)
        return Back.AGAIN, before
