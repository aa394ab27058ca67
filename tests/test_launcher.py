"""`backcare install-launcher` puts backcare in the desktop's application menu (an XDG desktop
entry that runs this very backcare in a terminal); `uninstall-launcher` takes it out."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys

import pytest
from support.cli import backcare

from voice.cli.commands.launcher import applications_dir, desktop_entry, exec_line, launch_command


def _entry(path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_a_desktop_entry_in_xdg_data_home_and_uninstall_removes_it(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    done = backcare("install-launcher", env=env)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "data" / "applications" / "backcare.desktop"
    entry = _entry(path)
    assert entry["Type"] == "Application" and entry["Terminal"] == "true"
    assert entry["Name"] and entry["Comment"]
    assert entry["Keywords"] == "neck;back;pain;stretch;voice;"
    assert entry["Categories"].startswith("Utility;")
    assert entry["Exec"] == f"{sys.executable} -m voice"  # the tests run `python -m voice`
    assert entry["X-KDE-Shortcuts"]
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and str(path) in lines[0]
    assert "Custom Shortcuts" in lines[1] and entry["Exec"] in lines[1]
    removed = backcare("uninstall-launcher", env=env)
    assert removed.returncode == 0 and not path.exists()
    again = backcare("uninstall-launcher", env=env)
    assert again.returncode == 0 and "no launcher" in again.stdout


def test_the_installed_script_is_run_by_its_absolute_path(tmp_path, monkeypatch):
    script = tmp_path / "venv" / "bin" / "backcare"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    assert launch_command("venv/bin/backcare") == [str(script)]
    assert launch_command("/x/voice/__main__.py", "/usr/bin/python3") == ["/usr/bin/python3", "-m",
                                                                          "voice"]


def test_a_package_run_from_its_folder_starts_there_and_a_script_needs_no_folder():
    assert "\nPath=" in desktop_entry(["/usr/bin/python3", "-m", "voice"])
    assert "\nPath=" not in desktop_entry(["/home/me/.venv/bin/backcare"])


def test_exec_quotes_spaces_and_doubles_percent_signs():
    assert exec_line(["/home/me/back care/bin/backcare"]) == '"/home/me/back care/bin/backcare"'
    assert exec_line(["/opt/100%/backcare"]) == "/opt/100%%/backcare"
    # inside quotes $ is escaped with a backslash, and the string value doubles that backslash
    assert exec_line(["/a b/$x"]) == '"/a b/\\\\$x"'


def test_xdg_data_home_is_used_only_when_it_is_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert applications_dir({"XDG_DATA_HOME": "/srv/data"}).as_posix() == "/srv/data/applications"
    default = tmp_path / ".local" / "share" / "applications"
    assert applications_dir({"XDG_DATA_HOME": "relative"}) == default
    assert applications_dir({}) == default


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt install desktop-file-utils)")
@pytest.mark.parametrize("command", [["/home/me/back care/.venv/bin/backcare"],
                                     ["/usr/bin/python3", "-m", "voice"]])
def test_the_entry_passes_desktop_file_validate(tmp_path, command):
    path = tmp_path / "backcare.desktop"
    path.write_text(desktop_entry(command), encoding="utf-8")
    done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
