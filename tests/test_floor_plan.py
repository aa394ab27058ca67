"""The package's floor plan holds: the folders follow the pipeline, and no import goes backwards.

Read from the source with `ast` (imports inside functions count too), so a shortcut
taken in a hurry fails here rather than in a newcomer's head.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "voice"

# What each stage may import from the rest of the package (besides itself and the small
# shared modules: clock, transcript and its events, preferences, locales, the YAML helpers).
SHARED = {"voice.clock", "voice.transcript", "voice.preferences", "voice.schema",
          "voice.yamlsource", "voice.models", "voice.locales", "voice.events", "voice.placeholders"}
ALLOWED = {
    "voice.audio": set(),
    "voice.understanding": {"voice.audio"},
    "voice.speech": {"voice.audio"},
    # The conversation reads text, never audio: it matches words to intents and talks to
    # the person through its own port.
    "voice.conversation": {"voice.understanding.intents", "voice.understanding.numbers",
                           "voice.understanding.answers"},
    "voice.person": {"voice.audio", "voice.understanding", "voice.speech", "voice.conversation"},
}


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
    assert folders == {"audio", "understanding", "conversation", "speech", "person", "cli",
                       "openvoiceos"}


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
        if _stage(imported) == stage or imported in SHARED:
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
