"""The `backcare` command: its arguments (`parser.py`), one module per command
(`commands/`), and one place where errors become messages and exit statuses
(`errors.py`).  What a session does is decided in `voice.session.flow`; a command only
chooses the person (typed, spoken, simulated) and the content's locale."""

from .app import main

__all__ = ["main"]
