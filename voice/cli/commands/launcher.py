"""`backcare install-launcher | uninstall-launcher`: backcare in the desktop's application
menu (an XDG desktop entry), so it starts from the menu, a search or a key, not a typed path.

The entry runs this very backcare (the script's absolute path, or this Python with
`-m voice`) in a terminal, where the typed and spoken modes both work. No standard says
where a desktop keeps keyboard shortcuts; KDE Plasma reads `X-KDE-Shortcuts` from the
entry, and for GNOME and the rest one printed line says how to bind a key. Menus notice a
new entry in that folder by themselves.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import FAILED, CommandError

FILE_NAME = "backcare.desktop"
SHORTCUT = "Ctrl+Alt+B"


def run(args: argparse.Namespace) -> int:
    path = entry_path()
    if args.command == "uninstall-launcher":
        if not path.exists():
            print(f"There was no launcher to remove ({path}).")
            return 0
        path.unlink()
        print(f"Removed backcare from your applications menu ({path}).")
        return 0
    command = launch_command()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(desktop_entry(command), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {path} ({error.strerror or error})", FAILED) from None
    print(f"Added backcare to your applications menu ({path}).")
    print("To start it with a key in GNOME: Settings, Keyboard, View and Customise Shortcuts, "
          f"Custom Shortcuts, with the command {exec_line(command)}. KDE Plasma offers {SHORTCUT}.")
    return 0


def applications_dir(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME/applications, else ~/.local/share/applications (the XDG base
    directory rule: a relative XDG_DATA_HOME is ignored)."""
    data_home = (os.environ if environ is None else environ).get("XDG_DATA_HOME", "")
    base = Path(data_home) if data_home and Path(data_home).is_absolute() else (
        Path.home() / ".local" / "share")
    return base / "applications"


def entry_path(environ: Mapping[str, str] | None = None) -> Path:
    return applications_dir(environ) / FILE_NAME


def launch_command(argv0: str | None = None, python: str | None = None) -> list[str]:
    """How to start this backcare from anywhere: the installed `backcare` script by its
    absolute path, else this Python running the package (`-m voice`)."""
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name == "backcare" and script.is_file():
        return [str(script.absolute())]
    return [python or sys.executable, "-m", "voice"]


def exec_line(command: Sequence[str]) -> str:
    """`command` as a desktop entry's Exec value: each argument with a space or a reserved
    character quoted, and `%` doubled (the Desktop Entry Specification, "The Exec key")."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    words = []
    for word in command:
        word = word.replace("%", "%%")
        if any(c in reserved for c in word):
            escaped = "".join("\\" + c if c in '"`$\\' else c for c in word)
            word = f'"{escaped}"'
        words.append(word)
    # the value is itself a string value, whose own escape is a doubled backslash
    return " ".join(words).replace("\\", "\\\\")


def desktop_entry(command: Sequence[str], working_dir: Path | None = None) -> str:
    """The desktop entry's text. `working_dir`: where it starts (default: the folder holding
    the `voice` package when it is run from a checkout with `-m voice`)."""
    if working_dir is None and "-m" in command:
        working_dir = Path(__file__).resolve().parents[3]
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=Backcare",
        "GenericName=Neck and back pain assistant",
        "Comment=Talk through neck or upper-back pain, or be guided through stretches, offline",
        f"Exec={exec_line(command)}",
        "Terminal=true",
        "Icon=audio-input-microphone",
        "Keywords=neck;back;pain;stretch;voice;",
        "Categories=Utility;",
        f"X-KDE-Shortcuts={SHORTCUT}",
    ]
    if working_dir is not None:
        lines.append(f"Path={working_dir}")
    return "\n".join(lines) + "\n"

