"""Shared fixtures: the real dialog content, loaded once; the user's own folders and locale
kept out of reach; how many examples the property tests try."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from support.content import shipped_content

from voice.conversation.content import Content
from voice.understanding.intents.model import IntentSet

# Property tests try few examples in a developer's loop ("fast", the default) and many where
# there is time ("thorough"): `--hypothesis-profile thorough`, or BACKCARE_HYPOTHESIS_PROFILE,
# read here and nowhere else. A test whose count matters whatever the profile (the safety
# invariants' 300 runs) gives it itself, in a slow-marked twin, so the full run always has it.
settings.register_profile("fast", max_examples=20, deadline=None)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("BACKCARE_HYPOTHESIS_PROFILE", "fast"))


FAST_TIER = "not slow"
FAST_WORKERS = 2  # this project's machines have two cores


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The fast tier (`-m "not slow"`) runs on two worker processes when pytest-xdist is
    installed (the test extra brings it) and no `-n` was given: its tests are independent,
    and one process leaves a core idle. Everything else runs in one process, because the
    slow tier's real-time sessions on virtual sound devices need the CPU to themselves.
    `-n 0` runs the fast tier in one process too."""
    if (config.option.markexpr == FAST_TIER and config.pluginmanager.hasplugin("xdist")
            and not hasattr(config, "workerinput")  # a worker itself: never start more
            and getattr(config.option, "numprocesses", 0) is None
            and not config.option.collectonly and not config.getoption("usepdb", False)):
        config.option.numprocesses = FAST_WORKERS


@pytest.fixture(scope="session")
def _private_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one pytest folder that holds every test's private folders. pytest's `mktemp` lists
    every folder it has made to number the next, so two of them per test cost the fast tier
    seconds that grow with the square of its size; `mkdtemp` inside one folder costs nothing."""
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _private_folders(_private_root: Path, monkeypatch: pytest.MonkeyPatch):
    """Every `backcare` a test starts keeps its journal and settings in the test's own
    folders, never in the home folder of whoever runs the tests, nor in another test's: advice
    one test's session gave (see a doctor today) must not block another test's routine."""
    monkeypatch.setenv("BACKCARE_DATA_DIR", tempfile.mkdtemp(prefix="data", dir=_private_root))
    monkeypatch.setenv("BACKCARE_CONFIG_DIR", tempfile.mkdtemp(prefix="config", dir=_private_root))
    # ... and the default locale (en_US), whatever the locale of the machine running them
    # (a test that means another sets it, or passes --locale).
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def content() -> Content:
    return shipped_content()


@pytest.fixture(scope="session")
def intents(content: Content) -> IntentSet:
    return content.intents
