"""Number words and digits, both ways.

Answers on the pain scale arrive as "7", "seven" or "seven out of ten", from
a keyboard or from a recogniser that only ever writes words.  The grammar
builders need the other direction (6 -> "six").
"""

from __future__ import annotations

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ALIASES = {"nought": 0, "naught": 0, "oh": None}

WORD_VALUES: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
WORD_VALUES.update({word: value * 10 for value, word in enumerate(_TENS) if word})
WORD_VALUES.update({k: v for k, v in _ALIASES.items() if v is not None})


def to_words(value: int) -> str:
    """0..99 as English words ("twenty one")."""
    if not 0 <= value < 100:
        raise ValueError(f"only 0..99 can be spelt, got {value}")
    if value < 20:
        return _UNITS[value]
    tens, units = divmod(value, 10)
    return _TENS[tens] if units == 0 else f"{_TENS[tens]} {_UNITS[units]}"


def read_numbers(tokens: list[str]) -> list[int | str]:
    """Replace number words and digit strings by ints, joining "twenty one" into 21."""
    result: list[int | str] = []
    for token in tokens:
        value: int | None = None
        if token.isdigit():
            value = int(token)
        elif token in WORD_VALUES:
            value = WORD_VALUES[token]
        if value is None:
            result.append(token)
            continue
        previous = result[-1] if result else None
        joins_tens = (
            isinstance(previous, int) and 20 <= previous < 100 and previous % 10 == 0
            and 0 < value < 10 and not token.isdigit()
        )
        if joins_tens:
            result[-1] = previous + value
        else:
            result.append(value)
    return result
