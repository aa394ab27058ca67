"""A busy machine, for sessions that must hold up when the CPU is scarce."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

STARVED = ("nice", "-n", "19")  # the assistant at the lowest priority: a slow CPU's stand-in


def spare_core() -> int | None:
    """A core to starve a process on while the others carry on beside it: the last one this
    process may use, or None where there is only one."""
    cores = sorted(os.sched_getaffinity(0))
    return cores[-1] if len(cores) > 1 else None


def on_core(core: int) -> tuple[str, ...]:
    """The command prefix that keeps a process (and every thread it starts) on `core`."""
    return ("taskset", "-c", str(core))


@contextmanager
def busy_cores(count: int, core: int | None = None) -> Iterator[None]:
    """`count` processes that each keep a core busy, as a video call or a build would (all of
    them on `core`, when given)."""
    pin = f"import os; os.sched_setaffinity(0, {{{core}}})\n" if core is not None else ""
    processes = [subprocess.Popen([sys.executable, "-c", f"{pin}while True: pass"])
                 for _ in range(count)]
    try:
        yield
    finally:
        for process in processes:
            process.kill()
            process.wait()
