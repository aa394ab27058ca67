"""Shared fixtures: the real dialog content, loaded once; the user's own folders and locale
kept out of reach."""

from __future__ import annotations

import pytest

from voice.conversation.content import Content, load_content
from voice.understanding.intents import IntentSet


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every `backcare` a test starts keeps its journal and settings in the test's own
    folders, never in the home folder of whoever runs the tests, nor in another test's: advice
    one test's session gave (see a doctor today) must not block another test's routine."""
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("BACKCARE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    # ... and the default locale (en_US), whatever the locale of the machine running them
    # (a test that means another sets it, or passes --locale).
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def intents(content: Content) -> IntentSet:
    return content.intents
