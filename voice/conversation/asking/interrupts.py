"""What ends a question at once instead of answering it: stop, anywhere; in a routine, also a
symptom ("I feel dizzy"), heard in the routine's own context even when the question's context
would take the words for something else."""

from __future__ import annotations

from dataclasses import dataclass

from ...understanding.intents.model import IntentSet, Match
from .prompt import Interrupted

STOP = "stop"


@dataclass(frozen=True)
class Interrupts:
    """`symptoms` are intents of `context` that end a question like stop (a routine's)."""

    intents: IntentSet
    symptoms: frozenset[str] = frozenset()
    context: str | None = None

    def check(self, text: str, match: Match) -> None:
        """Raises `Interrupted` when the words heard (`match`, in the question's context) stop
        the question."""
        if match.intent == STOP:
            raise Interrupted(STOP)
        if not self.symptoms or self.context is None:
            return
        intent = match.intent
        if intent not in self.symptoms:
            intent = self.intents.match(text, self.context).intent
        if intent == STOP or intent in self.symptoms:
            raise Interrupted(intent or STOP)
