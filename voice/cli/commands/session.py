"""Plain `backcare`: the voice session (the menu: a symptom check, or stretches); the typed
symptom check when there is no microphone or speaker."""

from __future__ import annotations

import argparse

from ...conversation.content import Content
from ...session.spoken import VoiceOptions, run_voice_session
from . import triage


def run(content: Content, _args: argparse.Namespace) -> int:
    status = run_voice_session(content, VoiceOptions())
    if status >= 0:
        return status
    return triage.typed(content, triage.TypedOptions())
