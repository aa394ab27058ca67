"""The answer corpus (tests/answers/corpus_*.yaml), read with the very functions the dialog uses.

Each entry is an answer a person might give to one named warning-sign question,
labelled with what a clinician on the phone would take it to mean for that
question (yes, no, unclear) and the kind of answer it is.  The test and the
benchmark both read every entry through `read`, so the figures the benchmark
prints are the test's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from voice.conversation.content import Content
from voice.conversation.dialog.questions import find, lexicon_of, listed, single
from voice.understanding.answers.model import Answer, Reading
from voice.understanding.answers.reading import read_answer
from voice.understanding.answers.rules import ReadingRules

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "answers"
MEANINGS = ("yes", "no", "unclear")
# The day every answer is said on, a Thursday (as the review's person 13): "on Sunday" is
# four days ago.
TODAY = date(2026, 12, 10)


@dataclass(frozen=True)
class Labelled:
    question: str
    said: str
    means: str  # yes | no | unclear
    kind: str
    where: str  # file:index


@dataclass(frozen=True)
class Read:
    case: Labelled
    reading: Reading
    seconds: float

    @property
    def answer(self) -> Answer | None:
        return self.reading.answer

    @property
    def yes_read_as_no(self) -> bool:
        return self.case.means == "yes" and self.answer is Answer.NO

    @property
    def no_read_as_yes(self) -> bool:
        return self.case.means == "no" and self.answer is Answer.YES

    @property
    def right(self) -> bool:
        """Read as the clinician means it: yes as yes, no as no, unclear as not sure (or not
        an answer, or said back for the person to decide)."""
        if self.case.means == "yes":
            return self.answer is Answer.YES
        if self.case.means == "no":
            return self.answer is Answer.NO
        return self.answer in (Answer.UNSURE, None) or self.reading.confirm

    @property
    def read_back(self) -> bool:
        return self.reading.confirm


def load_corpus(folder: Path = CORPUS) -> list[Labelled]:
    cases = []
    for path in sorted(folder.glob("corpus_*.yaml")):
        for index, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]):
            cases.append(Labelled(str(entry["question"]), str(entry["said"]),
                                  str(entry["means"]), str(entry["kind"]),
                                  f"{path.name}:{index}"))
    return cases


class Reader:
    """Reads corpus answers as the symptom check would (the content loaded once)."""

    def __init__(self, content: Content):
        self.content = content
        self.lexicon = lexicon_of(content.triage)
        self.rules = ReadingRules.of(content.intents)

    def read(self, case: Labelled) -> Read:
        asked = find(self.content.triage, case.question)
        if asked is None:
            raise KeyError(f"{case.where}: no question {case.question!r} in the symptom check")
        question = (listed(asked.flag_ids()) if hasattr(asked, "flag_ids")
                    else single(self.content.triage, asked))  # type: ignore[arg-type]
        start = time.perf_counter()
        intent = self.content.intents.match(case.said, "yes_no").intent
        reading = read_answer(case.said, intent, question, self.lexicon, self.rules, TODAY)
        return Read(case, reading, time.perf_counter() - start)
