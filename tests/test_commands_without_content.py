"""The commands that read no dialog content run while a dialog file is broken: a person
mending their content can still list the sound devices and the models, and fetch one."""

from __future__ import annotations

import shutil

import pytest
from support import ROOT
from support.cli import backcare


@pytest.fixture
def broken_dialogs(tmp_path) -> dict[str, str]:
    """The environment of a `backcare` whose symptom check does not load."""
    folder = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", folder)
    (folder / "triage.yaml").write_text("states: [the list is never closed\n", encoding="utf-8")
    return {"BACKCARE_DIALOGS": str(folder)}


def test_a_command_that_reads_the_content_stops_on_the_broken_file(broken_dialogs):
    done = backcare("routines", env=broken_dialogs)
    assert done.returncode == 2
    assert "bad dialog content" in done.stderr and "triage.yaml" in done.stderr


@pytest.mark.parametrize("args", [("models", "list"), ("devices",)])
def test_listing_models_and_devices_needs_no_content(broken_dialogs, args):
    done = backcare(*args, env=broken_dialogs)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and "dialog" not in done.stderr


def test_downloading_a_model_needs_no_content(broken_dialogs):
    done = backcare("models", "download", "hibari-heart", env=broken_dialogs)
    assert done.returncode == 0, done.stderr
    assert "nothing to download" in done.stdout
