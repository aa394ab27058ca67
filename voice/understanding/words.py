"""Words as the matchers compare them: lower case, no punctuation, no drawn-out letters.

Its own module so that the intent matcher and the answer reader (clauses, times) share
one normalising without importing each other.
"""

from __future__ import annotations

import re


def normalise(text: str) -> list[str]:
    """Lower-case words without punctuation; "7/10" becomes "7 out of 10"."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"(\d+)\s*/\s*(\d+)", r"\1 out of \2", text)
    text = re.sub(r"[\W_]+", " ", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # "owww" -> "ow", "nooo" -> "no"
    return text.split()
