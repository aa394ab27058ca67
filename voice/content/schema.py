"""Typed reading of one YAML mapping, with errors that point at the mistake.

Every content loader reads its file through `Fields`, so every mistake (a
missing field, a wrong type, an unknown value, a misspelt key) is reported the
same way: file, line, dotted field path, and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .yamlsource import ContentError, SourcedDict, SourcedList, Where

_MISSING: Any = object()


def _where(value: Any, fallback: Where) -> Where:
    return getattr(value, "where", fallback)


class Fields:
    """One mapping of a content file; call `done()` after reading to reject unknown keys."""

    def __init__(self, data: Any, path: str, where: Where):
        if not isinstance(data, dict):
            raise ContentError(_where(data, where), path or "document", "expected a mapping")
        self.data = data
        self.path = path
        self.where = _where(data, where)
        self._read: set[str] = set()

    # -- locating -------------------------------------------------------------
    def field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def at(self, key: str) -> Where:
        if isinstance(self.data, SourcedDict):
            return self.data.at(key)
        return self.where

    def error(self, key: str, message: str) -> ContentError:
        return ContentError(self.at(key), self.field(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, default: Any) -> Any:
        self._read.add(key)
        if key not in self.data or self.data[key] is None:
            if default is _MISSING:
                raise ContentError(self.where, self.field(key), "required field is missing")
            return default
        return self.data[key]

    # -- scalars --------------------------------------------------------------
    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self._get(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"expected text, got {type(value).__name__}")
        value = str(value).strip()
        if not value:
            raise self.error(key, "must not be empty")
        return value

    def integer(
        self, key: str, default: Any = _MISSING, minimum: int | None = None,
        maximum: int | None = None,
    ) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected a whole number, got {value!r}")
        self._check_range(key, value, minimum, maximum)
        return value

    def number(
        self, key: str, default: Any = _MISSING, minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number, got {value!r}")
        self._check_range(key, value, minimum, maximum)
        return float(value)

    def _check_range(self, key: str, value: float, low: float | None, high: float | None) -> None:
        if low is not None and value < low:
            raise self.error(key, f"must be at least {low}, got {value}")
        if high is not None and value > high:
            raise self.error(key, f"must be at most {high}, got {value}")

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {value!r}")
        return value

    def choice(self, key: str, choices: Iterable[str], default: Any = _MISSING) -> str:
        allowed = list(choices)
        value = self.text(key, default)
        if value not in allowed:
            raise self.error(key, f"unknown value {value!r}; expected one of: {', '.join(allowed)}")
        return value

    # -- collections ----------------------------------------------------------
    def text_list(self, key: str, default: Any = _MISSING) -> list[str]:
        """A list of strings; a single string is taken as a list of one."""
        value = self._get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(key, f"expected a list of text, got {type(value).__name__}")
        result = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                where = value.at(index) if isinstance(value, SourcedList) else self.at(key)
                raise ContentError(where, f"{self.field(key)}[{index}]", "expected text")
            result.append(str(item).strip())
        return result

    def mapping(self, key: str, default: Any = _MISSING) -> Fields:
        value = self._get(key, default)
        return Fields(value, self.field(key), self.at(key))

    def items(self, key: str, default: Any = _MISSING) -> list[Fields]:
        """A list of mappings, each read as its own `Fields`."""
        value = self._get(key, default)
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {type(value).__name__}")
        result = []
        for index, item in enumerate(value):
            where = value.at(index) if isinstance(value, SourcedList) else self.at(key)
            result.append(Fields(item, f"{self.field(key)}[{index}]", where))
        return result

    def keys(self) -> list[str]:
        self._read.update(self.data)
        return list(self.data)

    def done(self) -> None:
        """Reject keys nobody read: a misspelt field must not be silently ignored."""
        for key in self.data:
            if key not in self._read:
                raise self.error(key, "unknown field (misspelt?)")


def unique_ids(entries: list[tuple[str, Fields]], what: str) -> None:
    """Raise at the second place an id is used."""
    seen: dict[str, Where] = {}
    for identifier, fields in entries:
        if identifier in seen:
            raise fields.error("id", f"duplicate {what} id {identifier!r} (first at {seen[identifier]})")
        seen[identifier] = fields.at("id")
