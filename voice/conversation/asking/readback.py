"""Saying back what was understood, as one closed question, before an answer that is not
plain counts ("So that's a yes to a fall, nearly two weeks ago. Is that right?").

Only a plain yes confirms; a no asks the question again; a correction ("no, it was this
morning") is read in its place, and said back too if it is not plain either.  A list answered
"no" with other words is said back as "none of those", and those words, once confirmed, are not
said back again at the next list (`told_before`): the person has said what they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ...content.placeholders import fill
from ...understanding.answers.model import Answer, Carries, Reading, Says
from ...understanding.intents.help import spoken_list
from .answering import AnswerReader
from .lines import Lines
from .prompt import Prompt, Reply
from .texts import ReadBackTexts

TIMES = 2  # a correction said back may be corrected once more; then the question again


@dataclass
class ReadBack:
    """Says answers back for one dialog. `named` gives a flag as it is spoken."""

    texts: ReadBackTexts
    reader: AnswerReader
    named: Callable[[str], str]
    lines: Lines
    # Words beside a "no" that the person has confirmed say nothing of the signs ("it's just
    # from the gym"): a list answered with the same words again is not said back again.
    told_before: set[tuple[str, ...]] = field(default_factory=set)

    def confirmed(self, prompt: Prompt, reading: Reading,
                  ask: Callable[[Prompt], Reply]) -> Reading | None:
        """The reading as the person confirmed or corrected it; None when they said it was
        wrong (the question is asked again, in its own words)."""
        assert prompt.red_flag is not None
        question = self.lines.last
        try:
            return self._confirmed(prompt, reading, ask)
        finally:
            self.lines.last = question

    def _confirmed(self, prompt: Prompt, reading: Reading,
                   ask: Callable[[Prompt], Reply]) -> Reading | None:
        assert prompt.red_flag is not None
        told = _told(reading)
        if prompt.asks_a_list and reading.carries is Carries.WORDS and told in self.told_before:
            return replace(reading, confirm=False)  # the same story, confirmed once already
        for _ in range(TIMES):
            if prompt.asks_a_list and reading.answer is not Answer.NO:
                return reading  # a list's yes opens its single questions anyway
            reply = ask(Prompt(f"{prompt.id}.readback", self.said_back(prompt, reading),
                               prompt.context, ("yes", "no", "unsure"), retries=1,
                               confirms=prompt.red_flag))
            if reply.reading is not None and reply.reading.answer is not None:
                reading = reply.reading  # a correction: read as an answer to the question
                if not reading.confirm:
                    return reading if reading.answer is not Answer.UNSURE else None
                continue
            if self.reader.plain_yes(reply.match):
                if reading.carries is Carries.WORDS:
                    self.told_before.add(told)  # "no, it's just from the gym": once is enough
                return replace(reading, confirm=False)  # only a plain yes confirms
            return None
        return None

    def said_back(self, prompt: Prompt, reading: Reading) -> str:
        """What was understood, as one question about this condition."""
        texts, question = self.texts, prompt.red_flag
        assert question is not None
        others = [key for key in reading.mentioned if key not in question.own and "." not in key]
        also = fill(texts.also, mentions=spoken_list(
            [self.named(key) for key in others], texts.list_and)) if others else ""
        when = fill(texts.when, when=reading.when.heard) if reading.when else ""
        if question.flag is None:
            return fill(texts.none, also=also)
        said = dict(prompt.parts)
        if said and reading.present_parts and reading.answer is Answer.NO and texts.part:
            absent = [said[k] for k in said if k not in reading.present_parts]
            return fill(texts.part, present=spoken_list(
                [said[k] for k in reading.present_parts], texts.list_and),
                absent=spoken_list(absent, texts.list_or))
        template = texts.yes if reading.answer is Answer.YES else texts.no
        return fill(template, label=prompt.label or self.named(question.flag), when=when,
                    also=also)


def _told(reading: Reading) -> tuple[str, ...]:
    """The words an answer carried beside its yes or no, as a key."""
    return tuple(clause.text for clause in reading.clauses if clause.says is Says.NOTHING)
