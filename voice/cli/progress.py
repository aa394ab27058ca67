"""Progress bars on stderr (tqdm), for the commands that take a while."""

from __future__ import annotations

import sys
from collections.abc import Callable

Progress = Callable[[int, int | None], None]


def progress_bar(unit: str, only_on_a_terminal: bool = True, scale: bool = False) -> Progress | None:
    """A bar counting `unit`s; None (no bar) when stderr is not a terminal and
    `only_on_a_terminal`, or without tqdm (it comes with the desktop extra, and a model
    downloads as well without a bar)."""
    if only_on_a_terminal and not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None

    bar = tqdm(unit=unit, unit_scale=scale, file=sys.stderr, disable=None)

    def update(done: int, total: int | None) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
        if total is not None and done >= total:
            bar.close()

    return update
