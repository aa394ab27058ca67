"""Every word a person hears, or that decides what an answer means, is in the content
(dialogs/), never in code: a list of words written in a module (("right", "left"),
{"once", "twice"}) is English that a translator of dialogs/ cannot reach.

Read with `ast`: a literal tuple, list or set, or the keys or values of a literal dict,
that holds two or more strings that are words fails, unless each such word is a name the
code may say: one the content defines (an intent, a context, a dialog, state, flag, tier or
text id, a routine, an exercise, a cue, a `{placeholder}`) or the code does (an enum's value,
a dataclass's field, an event's name, a `Literal` type's value, a content file's field and
the names `Fields.choice` lets it hold). Only words of the language a person hears count: a
list fails when one of its unknown strings is a word the content itself says or listens for
(so "orca", a program's name, or "startoftranscript", a model's token, are not words here),
and the spellings of a switch in a settings file or an environment variable ("true", "off")
are syntax, as YAML's booleans are, whatever the language. The command line
(voice/cli/) is left out: argparse's help and terminal messages are English by design, as
hassil's errors are; so are the messages of exceptions, assertions and logs.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest
from support import ROOT
from support.content import shipped_content

from voice.content.paths import dialogs_dir
from voice.content.placeholders import placeholders
from voice.content.yamlsource import load_yaml

PACKAGE = ROOT / "voice"
BY_DESIGN = (PACKAGE / "cli",)  # argparse help and terminal messages
# A word, or words with spaces between ("out of"): letters in any script, an apostrophe or a
# hyphen inside. "pain_before", "en_US", "-q" or "%H:%M" name things or are syntax, and "SIL"
# or "NULL" (all capitals) are tokens of a format, not speech.
WORD = re.compile(r"^[^\W\d_]+(?:['\- ][^\W\d_]+)*$")
NAME = re.compile(r"^\w+$")
SWITCHES = {"true", "false", "on", "off", "yes", "no", "1", "0"}  # YAML 1.1 booleans, env switches
LOGS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
# The keys of a content file whose value names something: a name (`id: neck`, `type: say`,
# `window: now`), or a mapping keyed by names (`window: {days: 3}`, `when: {age: ...}`).
NAMING_KEYS = {"id", "type", "context", "store", "target", "next", "start", "default", "routine",
               "outcome_state", "answer", "position", "region", "instead", "tier", "window",
               "state", "sides", "when", "given", "since_the_pain_began", "by_tier", "options"}
# Reading a content file (`voice.content.schema.Fields`): the first argument is a field's name,
# and `choice` lists the names a field may hold.
FIELD_READERS = {"text", "integer", "number", "boolean", "choice", "text_list", "mapping", "items",
                 "has", "at", "error", "field"}


@dataclass(frozen=True)
class WordList:
    """Words written in code, where they were found."""

    file: str
    line: int
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: " + ", ".join(repr(word) for word in self.words)


# ------------------------------------------------------------- names the code may say
def _content_names() -> set[str]:
    """Every name the content defines: the loaded intents, contexts, dialogs (states, texts,
    flags, tiers) and routines (exercises, cues, positions, replies), every value a file
    gives as an id (`id:`, `type:`, `context:`, `window:`...), and every `{placeholder}`.
    Not every key of a file: some files key their words ("nought: 0", "hours: 1")."""
    content = shipped_content()
    names = set(content.intents.intents) | set(content.intents.contexts)
    for spec in (content.triage, content.session, content.prescreen):
        names |= {spec.id, *spec.states, *spec.texts, *spec.flag_table}
        names |= {tier.id for tier in spec.tiers}
    book = content.book
    names |= {*book.routines, *book.exercises, *book.cues.text, *book.getting_into,
              *book.symptoms, *book.replies}
    folder = dialogs_dir()
    for path in [*folder.glob("*.yaml"), *folder.glob("locales/*.yaml")]:
        names |= set(_ids_and_placeholders(load_yaml(path)))
    return names


def _heard_words() -> set[str]:
    """Every word the content says or listens for, lower case: the language a person hears."""
    words: set[str] = set()

    def walk(data: object) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                walk(key)
                walk(value)
        elif isinstance(data, list):
            for item in data:
                walk(item)
        elif isinstance(data, str):
            words.update(word.lower() for word in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", data))

    folder = dialogs_dir()
    for path in [*folder.glob("*.yaml"), *folder.glob("locales/*.yaml")]:
        walk(load_yaml(path))
    return words


def _ids_and_placeholders(data: object) -> Iterator[str]:
    """The names in a content file's data (a text under a naming key, as listing.yaml's
    `routine: "{name}: {duration}"`, is no name)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in NAMING_KEYS and isinstance(value, str | dict):
                yield from (name for name in ([value] if isinstance(value, str) else value)
                            if NAME.match(name))
            yield from _ids_and_placeholders(value)
    elif isinstance(data, list):
        for item in data:
            yield from _ids_and_placeholders(item)
    elif isinstance(data, str):
        yield from (name for name in placeholders(data) if NAME.match(name))


def _named_by(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _code_names(trees: Iterable[ast.Module]) -> set[str]:
    """Names the code defines: enum values, dataclass fields, event names (a class's `name`),
    the values of `Literal` types, and the fields of content files and the names they may
    hold (`fields.text("say")`, `fields.choice("unclear", ("applies", "next"))`)."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                is_enum = any(_named_by(base).endswith("Enum") for base in node.bases)
                is_record = any(_named_by(d.func if isinstance(d, ast.Call) else d) == "dataclass"
                                for d in node.decorator_list) or any(
                    _named_by(base) == "NamedTuple" for base in node.bases)
                for statement in node.body:
                    target, value = _assigned(statement)
                    if target is None:
                        continue
                    if is_record and isinstance(statement, ast.AnnAssign):
                        names.add(target)
                    if (is_enum or target == "name") and _string(value) is not None:
                        names.add(_string(value) or "")
            elif isinstance(node, ast.Subscript) and _named_by(node.value) == "Literal":
                names |= {s for s in map(_string, _elements(node.slice)) if s}
            elif isinstance(node, ast.Call) and _named_by(node.func) in FIELD_READERS and node.args:
                given = node.args[:3] if _named_by(node.func) == "choice" else node.args[:1]
                names |= {s for arg in given for s in map(_string, _elements(arg)) if s}
    return names


def _assigned(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return statement.targets[0].id, statement.value
    return None, None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _elements(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]


# ------------------------------------------------------------------ words in code
def _not_speech(tree: ast.Module) -> set[int]:
    """The nodes whose strings are never said to a person: exception, assertion and log
    messages, `Literal` types, and `__all__`-like dunder names."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(inner) for inner in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Raise):
            skip(node.exc)
        elif isinstance(node, ast.Assert):
            skip(node.msg)
        elif isinstance(node, ast.Call) and _named_by(node.func) in LOGS:
            skip(node)
        elif isinstance(node, ast.Subscript) and _named_by(node.value) == "Literal":
            skip(node)
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.startswith("__") for t in node.targets):
            skip(node.value)
    return skipped


def _word_groups(tree: ast.Module) -> Iterator[tuple[int, list[str]]]:
    """(line, strings) of every literal collection holding two or more word strings: a
    tuple, list or set; a dict's keys when its values are constants (a table of words), and
    a dict's values. A dict built of computed values is a record: its keys are field names."""
    skipped = _not_speech(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        groups: list[list[ast.expr | None]] = []
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            groups.append(list(node.elts))
        elif isinstance(node, ast.Dict):
            if all(isinstance(value, ast.Constant) for value in node.values):
                groups.append(list(node.keys))
            groups.append(list(node.values))
        for group in groups:
            words = [s for s in map(_string, group)
                     if s is not None and WORD.match(s) and not s.isupper()]
            if len(words) >= 2:
                yield node.lineno, words


def word_lists(files: dict[str, str], allowed: set[str],
               heard: set[str] | None = None) -> list[WordList]:
    """Every collection of words in `files` (name -> source) that names something `allowed`
    does not hold, when one of those is a word of the language a person hears (`heard`; None:
    any word)."""
    found = []
    for name, source in files.items():
        for line, words in _word_groups(ast.parse(source, filename=name)):
            unknown = tuple(dict.fromkeys(word for word in words if word not in allowed))
            if not set(unknown) <= SWITCHES and (heard is None or any(
                    word.lower() in heard for word in unknown)):
                found.append(WordList(name, line, unknown))
    return found


def _modules() -> dict[str, str]:
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
            for path in sorted(PACKAGE.rglob("*.py"))
            if not any(path.is_relative_to(folder) for folder in BY_DESIGN)}


@pytest.fixture(scope="module")
def modules() -> dict[str, str]:
    return _modules()


@pytest.fixture(scope="module")
def allowed(modules) -> set[str]:
    return _content_names() | _code_names(ast.parse(source) for source in modules.values())


# ------------------------------------------------------------------------ the tests
def test_no_module_outside_the_command_line_writes_a_list_of_words(modules, allowed):
    found = word_lists(modules, allowed, _heard_words())
    assert not found, ("words a person hears or that decide meaning belong in dialogs/:\n"
                       + "\n".join(map(str, found)))


def test_the_check_finds_words_written_in_code():
    source = ('SIDES = ("right", "left")\n'
              'COUNTS = {"once", "twice"}\n'
              'ZERO = {"nought": 0, "naught": 0}\n'
              'SAID = {1: "once", 2: "twice"}\n'
              'def heard(word):\n'
              '    return word in ["out of", "over"]\n')
    found = word_lists({"voice/sample.py": source}, set())
    assert [str(f) for f in found] == [
        "voice/sample.py:1: 'right', 'left'", "voice/sample.py:2: 'once', 'twice'",
        "voice/sample.py:3: 'nought', 'naught'", "voice/sample.py:4: 'once', 'twice'",
        "voice/sample.py:6: 'out of', 'over'"]


def test_the_check_lets_code_name_what_the_content_and_the_code_define():
    source = ('from enum import Enum\n'
              'from typing import Literal\n'
              'class Answer(str, Enum):\n'
              '    YES = "yes"\n'
              '    UNSURE = "unsure"\n'
              'Kind = Literal["speech", "silence"]\n'
              'EXPECTED = ("yes", "unsure")\n'
              'GREETINGS = ("yes", "hello")\n'
              'def row(entry):\n'
              '    return {"outcome": entry.outcome, "routine": entry.routine}\n'
              'def fail():\n'
              '    raise ValueError(("not", "speech"))\n'
              'def read(fields):\n'
              '    return fields.choice("unclear", ("applies", "next"), "applies")\n'
              'FIELDS = ("pain_before", "en_US", "-q", "NULL", "SIL")\n')
    names = _code_names([ast.parse(source)])
    assert {"yes", "unsure", "speech", "silence", "unclear", "applies", "next"} <= names
    assert [str(f) for f in word_lists({"voice/sample.py": source}, names)] == [
        "voice/sample.py:8: 'hello'"]


def test_what_the_content_defines_includes_its_ids_but_not_the_words_it_says():
    names = _content_names()
    content = shipped_content()
    assert {"yes", "no", "pain_scale", "week", "date"} <= names  # intents, a context, placeholders
    assert content.session.start in names and content.triage.id in names
    assert set(content.book.routines) <= names
    assert not {"right", "left", "nought", "naught", "a", "couple"} & names  # words, even keyed ones
    assert not any(" " in name for name in names)


def test_only_words_of_the_language_a_person_hears_count():
    source = ('READERS = ("orca", "fenrir")\n'
              'SWITCH = ("true", "off")\n'
              'SIDES = ("right", "left")\n')
    found = word_lists({"voice/sample.py": source}, set(), heard={"right", "left", "off"})
    assert [str(f) for f in found] == ["voice/sample.py:3: 'right', 'left'"]
    assert {"right", "left", "neck", "stretches"} <= _heard_words()
