"""What only the tests use: the project root, running `backcare` (in this process, or as one),
the clinician's people, answer tables, recorded outputs. What the benchmarks share with them is
in `harness/` (imported from the project root, which pytest puts on the path: `pythonpath` in
pyproject.toml)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project root: dialogs/, models/, voice/
