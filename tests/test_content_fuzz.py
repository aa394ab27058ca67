"""The dialog files, mutated at random the ways hands edit them, fail only with a named error.

Each example copies the real dialogs/ folder and changes one file: a line deleted,
doubled, moved, re-indented or cut short, a value replaced by another type, a key
renamed, the file truncated. Loading it either works (some edits are harmless) or
raises ContentError naming the file and line; any other exception is a bug a content
editor would meet as a traceback.
"""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.content import load_content

pytestmark = pytest.mark.slow

FILES = sorted(path.name for path in dialogs_dir().glob("*.yaml"))
SOURCES = {name: (dialogs_dir() / name).read_text(encoding="utf-8") for name in FILES}
ODD_VALUES = ["", "~", "null", "0", "-3", "1e9", "[]", "{}", "[a, b]", "yes", "'{oops}'",
              "\"{emergency_number\"", "&anchor x", "*missing", "!!python/object:os.system x",
              "'\\u0000'", "- item", "key: : value", "\"unterminated", "|", ">-", "€", "\t"]


def mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines()
    index = data.draw(st.integers(0, len(lines) - 1), label="line")
    how = data.draw(st.sampled_from(["delete", "double", "move", "indent", "dedent", "cut",
                                     "value", "rename", "truncate"]), label="mutation")
    line = lines[index]
    if how == "delete":
        del lines[index]
    elif how == "double":
        lines.insert(index, line)
    elif how == "move":
        lines.insert(data.draw(st.integers(0, len(lines) - 1), label="to"), lines.pop(index))
    elif how == "indent":
        lines[index] = "  " + line
    elif how == "dedent":
        lines[index] = line[2:] if line.startswith("  ") else line
    elif how == "cut":
        lines[index] = line[:data.draw(st.integers(0, max(0, len(line) - 1)), label="at")]
    elif how == "value":
        match = re.match(r"^(\s*-?\s*[\w]+:)\s*.*$", line)
        odd = data.draw(st.sampled_from(ODD_VALUES), label="odd")
        lines[index] = f"{match.group(1)} {odd}" if match else f"{line} {odd}"
    elif how == "rename":
        lines[index] = re.sub(r"^(\s*-?\s*)(\w+):", r"\1\2_renamed:", line)
    else:
        return "\n".join(lines[:index])
    return "\n".join(lines) + "\n"


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILES), data=st.data())
def test_a_mutated_dialog_file_loads_or_names_file_and_line(tmp_path_factory, name, data):
    folder = tmp_path_factory.mktemp("dialogs")
    for other in FILES:
        shutil.copy(dialogs_dir() / other, folder / other)
    shutil.copytree(dialogs_dir() / "locales", folder / "locales")
    (folder / name).write_text(mutate(SOURCES[name], data), encoding="utf-8")
    try:
        load_content(folder)
        event("still loads")
    except ContentError as error:
        event("ContentError")
        assert re.match(rf"^{re.escape(str(folder))}/[\w]+\.yaml:\d+: ", str(error)), str(error)

