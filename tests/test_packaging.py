"""`pip install .` ships the dialog YAML, so an installed `backcare` works from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_installed_wheel_carries_the_dialogs_and_runs_from_elsewhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True,
                   cwd=tmp_path)
    wheel = next(wheels.glob("backcare-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("triage.yaml", "intents.yaml"):
        assert f"voice/dialogs/{name}" in names
    for name in ("catalog.yaml", "whisper_rejection.yaml", "sphinx_rejection.yaml"):
        assert f"voice/catalog/{name}" in names
    # The OpenVoiceOS skill: its intent files beside it, and the entry points its loader reads.
    for name in ("triage.intent", "stretches.intent", "during_hurts.intent"):
        assert f"voice/openvoiceos/locale/en-us/{name}" in names
    assert "voice/dialogs/assistant.yaml" in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "[opm.skill]\nskill-backcare.backcare = voice.openvoiceos.skill:BackcareSkill" in entry_points
    assert "[ovos.plugin.skill]" not in entry_points  # the old group makes OVOS warn at every load

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("BACKCARE_DIALOGS", None)
    done = subprocess.run([target / "bin" / "backcare", "match", "nope", "--json"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert json.loads(done.stdout)["intent"] == "no"
    located = subprocess.run(
        [sys.executable, "-c", "import voice.content as c; print(c.dialogs_dir())"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=True).stdout
    assert located.startswith(str(target))


def test_every_package_folder_is_in_the_wheel_list():
    """The wheel lists its packages by name: a new folder left out installs without it."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(path.parent.relative_to(ROOT).parts)
               for path in (ROOT / "voice").rglob("__init__.py")}
    assert folders <= listed, folders - listed
