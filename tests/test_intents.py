"""The intent matcher against the sentence tables in tests/intents/*.yaml, plus its edge rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES_DIR = Path(__file__).parent / "intents"


def _cases() -> list[tuple[str, str, str | None, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group in data["tests"]:
            for sentence in group["sentences"]:
                cases.append((data["context"], str(sentence), group["intent"],
                              group.get("slots") or {}))
    return cases


CASES = _cases()


def test_the_intent_cases_cover_every_intent_of_every_context():
    """Not a count: each intent a context listens for has at least one sentence case there."""
    from voice.conversation.content import load_content

    intents = load_content().intents
    covered = {(context, intent) for context, _, intent, _ in CASES}
    for context in intents.context_names():
        for intent in intents.contexts[context]:
            assert (context, intent) in covered, f"no case for {intent!r} in {context!r}"


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
