"""How answers to warning-sign questions are read, as data (tests/answers/*.yaml): a no that
carries a symptom, a hedge or a time is unsure; a symptom said is heard; a denied one is not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from voice.content import load_content
from voice.understanding.answers import Answer, Lexicon, Question, ReadingRules, read_answer

CONTENT = load_content()
SPEC = CONTENT.triage
LEXICON = Lexicon.of({f.id: f.yes_words for f in SPEC.flags()})
RULES = ReadingRules.of(CONTENT.intents)
READINGS = {"yes": Answer.YES, "no": Answer.NO, "unsure": Answer.UNSURE, "not_understood": None}


def _question(name: str) -> Question:
    if name in SPEC.flag_table:
        flag = SPEC.flag_table[name]
        return Question(frozenset({name}), name, flag.about_now, flag.compound)
    return Question(frozenset(SPEC.states[name].flag_ids()))


def _read(name: str, said: str):
    return read_answer(said, CONTENT.intents.match(said, "yes_no").intent, _question(name),
                       LEXICON, RULES)


def _cases():
    for path in sorted((Path(__file__).parent / "answers").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            for reading, expected in READINGS.items():
                for said in case.get(reading, []):
                    yield pytest.param(case["question"], said, expected, None,
                                       id=f"{case['question']}:{said}")
            for said, flags in (case.get("mentions") or {}).items():
                yield pytest.param(case["question"], said, "any", flags,
                                   id=f"{case['question']}:{said}:mentions")


@pytest.mark.parametrize("question,said,expected,mentions", list(_cases()))
def test_an_answer_is_read_as_a_clinician_would(question, said, expected, mentions):
    reading = _read(question, said)
    if mentions is not None:
        assert sorted(reading.mentioned) == sorted(mentions)
    else:
        assert reading.answer == expected, reading


def test_every_question_in_the_cases_exists():
    for path in (Path(__file__).parent / "answers").glob("*.yaml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            assert case["question"] in SPEC.flag_table or case["question"] in SPEC.states
