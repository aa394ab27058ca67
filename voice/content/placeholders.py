"""Content text names what code puts into it in braces: `{emergency_number}`, `{side}`,
`{minutes}`, a locale's `{urgent_care}`.  One pattern, one fill, for all of it: the YAML reader
puts in a locale's terms, the loaders check each text names only what its field may hold,
and the code fills the rest as it speaks."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{(\w+)\}")
BRACED = re.compile(r"\{([^{}]*)\}")  # anything in braces: "{emergency numbr}" is a typo too


def placeholders(text: str) -> list[str]:
    """Whatever a text holds in braces, in order (to check it against what may be there)."""
    return BRACED.findall(text)


def fill(template: str, **values: object) -> str:
    """`template` with each `{name}` given in `values` put in; any other is left for whoever
    fills it later (the session's numbers are put in last, as printed or as said)."""
    return PLACEHOLDER.sub(
        lambda found: str(values[found.group(1)]) if found.group(1) in values else found.group(0),
        template)
