"""Running `backcare` as a separate process, the way a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project root


def backcare(*args: str, stdin: str = "", env: dict | None = None, timeout: float = 120
             ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voice", *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=timeout,
                          env={**os.environ, **(env or {})})
