"""What only the tests use: running `backcare` as a process, the clinician's people, answer
tables, recorded outputs. What the benchmarks share with them is in `harness/` (imported
from the project root, which pytest puts on the path: `pythonpath` in pyproject.toml)."""
