"""The package's floor plan holds: the folders follow the pipeline, and no import goes backwards.

Read from the source with `ast` (imports inside functions count too), so a shortcut
taken in a hurry fails here rather than in a newcomer's head.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "voice"

# The foundation every floor stands on: the two primitives at the root (the injected clock, the
# one owner of the user's preferences) and three subsystems that know nothing of the stages:
# reading content files (`content/`: YAML with line marks, fields, placeholders, locales, paths),
# the typed events and their transcript (`events/`), and finding model files (`modelfiles/`).
ROOT_MODULES = {"voice", "voice.__main__", "voice.clock", "voice.preferences"}
FOUNDATION = ("voice.clock", "voice.preferences", "voice.content", "voice.events", "voice.modelfiles")
# The one module that touches the network (`backcare models download`): only the command line.
NETWORK = "voice.modelfiles.download"
ALLOWED = {
    "voice.audio": set(),
    "voice.understanding": {"voice.audio"},
    "voice.speech": {"voice.audio"},
    # The conversation reads text, never audio: it matches words to intents and talks to
    # the person through its own port.
    "voice.conversation": {"voice.understanding.intents", "voice.understanding.numbers",
                           "voice.understanding.answers"},
    "voice.person": {"voice.audio", "voice.understanding", "voice.speech", "voice.conversation"},
    # The journal keeps what the conversation's events say, in the content's words.
    "voice.journal": {"voice.conversation"},
    # A session wires the floors below into one run for a person.
    "voice.session": {"voice.audio", "voice.understanding", "voice.speech", "voice.conversation",
                      "voice.person", "voice.journal"},
}


def _in(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            found |= {c for c in candidates if c in modules and c != name}
        graph[name] = found
    return graph


GRAPH = _graph()


def _stage(module: str) -> str | None:
    return next((stage for stage in ALLOWED if module == stage or module.startswith(stage + ".")),
                None)


TOP_FLOORS = ("voice.cli", "voice.openvoiceos")  # the command line, the OpenVoiceOS skill


def test_the_folders_are_the_pipeline_and_the_ways_in_on_top():
    folders = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert folders == {"audio", "understanding", "conversation", "speech", "person", "journal",
                       "session", "cli", "openvoiceos", "content", "events", "modelfiles"}


def test_the_root_holds_only_the_front_door_and_the_named_primitives():
    """Anything else at the root is a subsystem without its folder."""
    assert {m for m in GRAPH if m.count(".") <= 1 and not (PACKAGE / m.split(".")[-1]).is_dir()
            } == ROOT_MODULES


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if _in(m, FOUNDATION)))
def test_the_foundation_stands_on_nothing_above_it(module):
    for imported in GRAPH[module]:
        assert _in(imported, FOUNDATION), f"{module} imports {imported}"


def test_only_the_command_line_reaches_the_network():
    assert NETWORK in GRAPH and any(NETWORK in imported for imported in GRAPH.values())
    for module, imported in GRAPH.items():
        if NETWORK in imported:
            assert _in(module, ("voice.cli",)), module


@pytest.mark.parametrize("top", TOP_FLOORS)
def test_only_an_entry_point_imports_a_way_in(top):
    """The command line and the skill are top floors: each wires the rest, nothing leans on
    them, and neither on the other (the skill is found by its own entry point)."""
    for module, imported in GRAPH.items():
        if module in ("voice.__main__",) or module.startswith(top):
            continue
        assert not [m for m in imported if m.startswith(top)], module


def test_only_the_skill_imports_openvoiceos():
    """Everything else runs without the optional extra installed."""
    for path in PACKAGE.rglob("*.py"):
        if _module(path) == "voice.openvoiceos.skill":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            assert not [n for n in names if n.split(".")[0].startswith("ovos")], path


def test_no_module_imports_itself_back_through_others():
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for imported in sorted(GRAPH[module]):
            assert state.get(imported) != "open", " -> ".join(path + [module, imported])
            if imported not in state:
                visit(imported, path + [module])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [])


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if _stage(m)))
def test_each_stage_imports_only_the_stages_before_it(module):
    stage = _stage(module)
    allowed = ALLOWED[stage or ""]
    for imported in GRAPH[module]:
        if _stage(imported) == stage or _in(imported, FOUNDATION):
            continue
        assert any(imported == a or imported.startswith(a + ".") for a in allowed), (
            f"{module} imports {imported}")



def test_the_benchmarks_and_the_harness_do_not_stand_on_the_tests():
    """bench/ and the harness are tools; the tests may use them, never the other way."""
    root = PACKAGE.parent
    for path in [*(root / "bench").glob("*.py"), *(root / "harness").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            assert not [n for n in names if n.split(".")[0] in ("tests", "support")], path
