"""The intent matcher against the sentence tables in tests/intents/*.yaml, plus its edge rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES_DIR = Path(__file__).parent / "intents"


def cases_in(folder: Path = CASES_DIR) -> list[tuple[str, str, str | None, dict]]:
    """Every (context, sentence, intent, slots): a file's cases hold in its `context`, or in each
    of its `contexts` (the routines asked for by name, heard alike in several)."""
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for context in data.get("contexts") or [data["context"]]:
            for group in data["tests"]:
                for sentence in group["sentences"]:
                    cases.append((context, str(sentence), group["intent"], group.get("slots") or {}))
    return cases


CASES = cases_in()


def uncovered(intents, cases) -> list[tuple[str, str]]:
    """Each (context, intent) the content listens for with no sentence case there."""
    covered = {(context, intent) for context, _, intent, _ in cases}
    return [(context, intent) for context in intents.context_names()
            for intent in intents.contexts[context] if (context, intent) not in covered]


def test_the_intent_cases_cover_every_intent_of_every_context(intents):
    """Not a count: each intent a context listens for has at least one sentence case there."""
    assert uncovered(intents, CASES) == []


@pytest.mark.parametrize(("context", "sentence", "intent", "slots"), CASES,
                         ids=[f"{c}:{s}" for c, s, _, _ in CASES])
def test_sentence_matches_expected_intent(intents, context, sentence, intent, slots):
    result = intents.match(sentence, context)
    assert result.intent == intent, f"{sentence!r} in {context}: got {result}"
    if intent is not None:
        assert result.slots == slots
        assert 0 < result.confidence <= 1
    else:
        assert result.confidence == 0


# -- a score with its scale, in the content's words ------------------------------------------

SCALE_CONTENT = """
slots:
  number:
    min: 0
    max: 10
    carriers: [environ, sur]
    out_of: [sur]
intents:
  number: {say: "un nombre", phrases: ["{number}", "{number} sur {number}", "{number} ou {number}"]}
contexts:
  score: [number]
wording: {list_or: "ou", help: "Dites {choices}.", help_any_time: "Ou {choices}."}
"""


def _scale_content(tmp_path: Path, text: str = SCALE_CONTENT):
    from voice.understanding.intents.load import load_intents
    from voice.understanding.numbers import NumberWords

    path = tmp_path / "intents.yaml"
    path.write_text(text, encoding="utf-8")
    return load_intents(path, number_words=NumberWords.for_language("fr"))


@pytest.mark.parametrize("said", ["7/10", "7 / 10", "7 sur 10", "environ 7 sur 10"])
def test_a_score_with_its_scale_is_read_in_the_contents_own_words(tmp_path, said):
    assert _scale_content(tmp_path).match(said, "score").slots == {"number": 7}


def test_the_english_words_for_a_scale_mean_nothing_to_content_in_another_language(tmp_path):
    assert _scale_content(tmp_path).match("7 out of 10", "score").intent is None


def test_without_words_for_a_scale_two_numbers_are_read_the_cautious_way(tmp_path):
    """No `out_of`: "7 sur 10" is two answers, and the higher is taken, as for "6 ou 7"."""
    content = _scale_content(tmp_path, SCALE_CONTENT.replace("    out_of: [sur]\n", ""))
    assert content.match("7 sur 10", "score").slots == {"number": 10}
    assert content.match("6 ou 7", "score").slots == {"number": 7}


@pytest.mark.parametrize(("written", "message"), [
    ("out_of: [sur, hors de]", "'hors de': hors, de must also be carriers"),
    ("out_of: [sur 10]", "'sur 10': say it in words, without a number"),
    ("out_of: [\"?\"]", "'?': say it in words, without a number")])
def test_words_for_a_scale_that_could_never_be_read_are_rejected_where_written(tmp_path, written,
                                                                                message):
    from voice.content.yamlsource import ContentError

    broken = SCALE_CONTENT.replace("out_of: [sur]", written)
    with pytest.raises(ContentError) as caught:
        _scale_content(tmp_path, broken)
    error = caught.value
    assert error.message == message and error.field == "slots.number.out_of"
    assert error.where.line == broken.splitlines().index(f"    {written}") + 1
