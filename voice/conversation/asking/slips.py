"""Typed or misheard slips for "no" ("np", "noo", "mo"): before answers not understood count
as unclear (a yes, to a warning sign), the person is asked "Did you mean no?", and a plain yes
there is a no.

A slip is a word one letter off a one-word "no" of the content's intents and off none of its
yeses, or a word in `near_no` of dialogs/asking.yaml: the words are content; the rule of one
letter off holds in any language written with letters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...understanding.answers.model import Reading
from ...understanding.intents.match import normalise
from ...understanding.intents.model import IntentSet, Match
from ..contexts import Context
from .answering import AnswerReader
from .prompt import Prompt, Reply


@dataclass(frozen=True)
class Slips:
    """The slips of one intent set; `question` is "Did you mean no?" in the content's words."""

    intents: IntentSet
    near_no: frozenset[str]
    question: str

    def all_for_no(self, unclear: list[str]) -> bool:
        """Every answer not understood was one word, and a slip for "no"."""
        said = [tuple(normalise(text)) for text in unclear if normalise(text)]
        return bool(said) and all(len(words) == 1 and self._slip(words[0]) for words in said)

    def _slip(self, word: str) -> bool:
        if word in self.near_no:
            return True
        near_no = any(len(no) > 1 and one_off(word, no) for no in self._single_words("no"))
        return near_no and not any(one_off(word, yes) or word == yes
                                   for yes in self._single_words("yes"))

    def _single_words(self, intent: str) -> list[str]:
        found = self.intents.intents.get(intent)
        return [phrase for phrase in (found.phrases if found else ()) if " " not in phrase]

    def ask(self, prompt: Prompt, mentions: list[Reading], reader: AnswerReader,
            ask: Callable[[Prompt], Reply]) -> Reply | None:
        """ "Did you mean no?": a plain yes makes it a no to the question; anything else keeps
        the answers unclear, the cautious way (None)."""
        reply = ask(Prompt(f"{prompt.id}.meant_no", self.question, Context.YES_NO.value,
                           ("yes", "no", "unsure"), retries=0))
        if reply.match is None or not reader.plain_yes(reply.match):
            return None
        return Reply(Match(reply.match.text, "no", {}, 1.0), None, None, tuple(mentions))


def one_off(word: str, other: str) -> bool:
    """One letter added, dropped, changed, or two side by side swapped ("np", "noo", "on")."""
    if word == other or abs(len(word) - len(other)) > 1:
        return False
    if len(word) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and word[diff[0]] == other[diff[1]]
                                  and word[diff[1]] == other[diff[0]])
    short, long = sorted((word, other), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
