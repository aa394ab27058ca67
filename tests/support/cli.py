"""Running `backcare` as a user does: `backcare(...)` calls the command's own `main` in this
process (milliseconds), and `backcare_process(...)` starts `python -m voice` (half a second
each), kept for the few smoke tests that are about the process itself: a closed pipe, a
signal, a terminal, the network blocked from interpreter start (marked `smoke`)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import pytest

from voice.content.locales import DEFAULT
from voice.conversation.content import Content, load_content

from . import ROOT
from .content import shipped_content

__all__ = ["ROOT", "backcare", "backcare_process"]
MAIN = ROOT / "voice" / "__main__.py"  # what sys.argv[0] is under `python -m voice`


def backcare(*args: str, stdin: str | IO[str] = "", env: Mapping[str, str] | None = None
             ) -> subprocess.CompletedProcess:
    """`backcare ARGS` run in this process, as the installed command runs it: `main(argv)`
    from the project root, its exit status, and what it printed. `stdin` is the typed
    answers (their end is end of input), or a stream kept open; `env` is added to the
    environment. The environment, working folder, standard streams, argv and SIGTERM handler
    are put back afterwards. An uncaught exception is printed as Python would, a traceback on
    stderr and status 1, so a test that expects none still catches it. The shipped dialogs
    are read once for the whole run, by the same function the command calls."""
    from voice.cli import app, main

    out, err = io.StringIO(), io.StringIO()
    typed = io.StringIO(stdin) if isinstance(stdin, str) else stdin
    sigterm = signal.getsignal(signal.SIGTERM)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.chdir(ROOT)
        patch.setattr(app, "load_content", _load_content)
        patch.setattr(sys, "argv", [str(MAIN), *args])
        patch.setattr(sys, "stdin", typed)
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse: --help, --version, a wrong argument
            status = _exit_status(exit_.code, err)
        except Exception:  # what the interpreter would print on its way out
            traceback.print_exc(file=err)
            status = 1
        finally:
            if signal.getsignal(signal.SIGTERM) is not sigterm:  # set only in the main thread
                signal.signal(signal.SIGTERM, sigterm)
    return subprocess.CompletedProcess(["backcare", *args], status, out.getvalue(), err.getvalue())


def _load_content(folder: Path | None = None, locale: str = DEFAULT) -> Content:
    """What the command loads: the shipped dialogs from the run's cache (read by the same
    function, once), any other folder (a test's changed copy) read afresh."""
    if folder is not None and Path(folder) == ROOT / "dialogs":
        return shipped_content(locale)
    return load_content(folder, locale)


def _exit_status(code: object, err: IO[str]) -> int:
    """The status sys.exit(code) ends a process with: None is 0, a message is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


def backcare_process(*args: str, stdin: str = "", env: Mapping[str, str] | None = None,
                     timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m voice ARGS` as its own process, from the project root."""
    return subprocess.run([sys.executable, "-m", "voice", *args], input=stdin, text=True,
                          capture_output=True, cwd=ROOT, timeout=timeout,
                          env={**os.environ, **(env or {})})
