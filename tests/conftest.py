"""Shared fixtures: the real dialog content, loaded once; the user's own folders kept out of reach."""

from __future__ import annotations

import pytest

from voice.content import Content, load_content
from voice.understanding.intents import IntentSet


@pytest.fixture(scope="session", autouse=True)
def _private_folders(tmp_path_factory: pytest.TempPathFactory):
    """Every `backcare` a test starts keeps its journal and settings in the test's own
    folders, never in the home folder of whoever runs the tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BACKCARE_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        patch.setenv("BACKCARE_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        yield


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def intents(content: Content) -> IntentSet:
    return content.intents
