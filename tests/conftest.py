"""Shared fixtures: the real dialog content, loaded once, and a scripted person."""

from __future__ import annotations

import pytest

from voice.content import Content, load_content
from voice.understanding.intents import IntentSet


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def intents(content: Content) -> IntentSet:
    return content.intents
