"""YAML loading that remembers where every value came from.

Content errors must name the file, the line and the field, so a clinician
editing a question sees exactly where the mistake is.  PyYAML forgets line
numbers once it builds plain dicts; this loader keeps them on small dict and
list subclasses, and the validators in `schema.py` read them back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .placeholders import fill


@dataclass(frozen=True)
class Where:
    """A place in a content file, for error messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class ContentError(ValueError):
    """Bad dialog content, reported as `file:line: field: message`."""

    def __init__(self, where: Where, field: str, message: str):
        self.where = where
        self.field = field
        self.message = message
        super().__init__(f"{where}: {field}: {message}")


class SourcedDict(dict):
    """A mapping that knows its own line and the line of each key."""

    where: Where
    key_where: dict[str, Where]

    def at(self, key: str) -> Where:
        return self.key_where.get(key, self.where)


class SourcedList(list):
    """A sequence that knows its own line and the line of each item."""

    where: Where
    item_where: list[Where]

    def at(self, index: int) -> Where:
        if 0 <= index < len(self.item_where):
            return self.item_where[index]
        return self.where


# libyaml's parser when PyYAML has it: the same nodes and line marks, about ten times faster
# than the pure-Python one (content is loaded by every command).
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)




def _loader_for(file: str, terms: Mapping[str, str]) -> type[yaml.SafeLoader]:
    class Loader(_BASE):  # type: ignore[valid-type,misc]
        """YAML 1.2-style booleans: only true/false, so `yes:` and `no:` stay words."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"))

    def where_of(node: yaml.Node) -> Where:
        return Where(file, node.start_mark.line + 1)

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> SourcedDict:
        loader.flatten_mapping(node)
        result = SourcedDict()
        result.where = where_of(node)
        result.key_where = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise ContentError(where_of(key_node), str(key), "keys must be text")
            if key in result:
                raise ContentError(where_of(key_node), key, "this key appears twice")
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_where[key] = where_of(key_node)
        return result

    def construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> SourcedList:
        result = SourcedList(loader.construct_object(child, deep=True) for child in node.value)
        result.where = where_of(node)
        result.item_where = [where_of(child) for child in node.value]
        return result

    def construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        text = loader.construct_scalar(node)
        if "{" not in text:
            return text
        return fill(text, **terms)

    Loader.add_constructor("tag:yaml.org,2002:str", construct_text)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    return Loader


def load_yaml(path: Path | str, text: str | None = None,
              terms: Mapping[str, str] | None = None) -> Any:
    """Parse one YAML file into Sourced containers; syntax errors become ContentErrors.
    `terms`: a locale's words, put in for `{name}` in every text as it is read (other
    placeholders stay for the code that fills them)."""
    path = Path(path)
    name = str(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ContentError(Where(name, 0), "file", f"cannot read: {error.strerror}") from None
    try:
        return yaml.load(text, Loader=_loader_for(name, terms or {}))  # noqa: S506 - a SafeLoader subclass
    except ContentError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise ContentError(Where(name, line), "yaml", str(error.problem or error)) from None
