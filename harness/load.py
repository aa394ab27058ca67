"""A busy machine, for sessions that must hold up when the CPU is scarce."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

STARVED = ("nice", "-n", "19")  # the assistant at the lowest priority: a slow CPU's stand-in


@contextmanager
def busy_cores(count: int) -> Iterator[None]:
    """`count` processes that each keep a core busy, as a video call or a build would."""
    processes = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                 for _ in range(count)]
    try:
        yield
    finally:
        for process in processes:
            process.kill()
            process.wait()
