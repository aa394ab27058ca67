"""Words as the matchers compare them: lower case, no punctuation, no drawn-out letters.

Its own module so that the intent matcher and the answer reader (clauses, times) share
one normalising without importing each other.  It holds no word of any language: a score
written "7/10" is put in the content's words by the matcher (`intents.match.heard_words`)
before it gets here.
"""

from __future__ import annotations

import re


def normalise(text: str) -> list[str]:
    """Lower-case words without punctuation or apostrophes ("don't" is "dont"); a letter
    drawn out three times or more is one ("nooo" is "no", "owww" is "ow")."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"[\W_]+", " ", text)
    text = re.sub(r"([^\W\d_])\1{2,}", r"\1", text)
    return text.split()
