"""A number said again to correct the one before ("no, fifty-seven", to the question after an
age was said back): taken as the corrected number, not as an answer to the new question."""

from __future__ import annotations

from ...understanding.intents.match import normalise
from ...understanding.intents.model import IntentSet, Match
from .prompt import Prompt


def number_correction(intents: IntentSet, prompt: Prompt, text: str) -> Match | None:
    """The number in the words, when the prompt takes corrections and the words, past their
    lead-ins ("no", "oh", "I said": the content's), are that number and nothing else."""
    if prompt.correction is None:
        return None
    words = normalise(text)
    while words and words[0] in intents.lead_ins:
        words = words[1:]
    if not words:
        return None
    match = intents.match(" ".join(words), prompt.correction)
    return match if match.intent == intents.number_intent(prompt.correction) else None
