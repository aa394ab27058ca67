"""`backcare triage`: the symptom check, spoken, or typed with --text (and when voice cannot
start)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ...clock import MonotonicClock
from ...conversation.content import Content
from ...events.transcript import Transcript
from ...journal.recorder import journaled, open_recorder
from ...person.text import TextPerson
from ...preferences import Preferences, PreferenceStore, saved_rate
from ...session.errors import TextInstead
from ...session.flow import Flow
from ..errors import carry_on_in_text


@dataclass(frozen=True)
class TypedOptions:
    emergency_number: str | None = None  # None: the locale's
    transcript: str | None = None
    rate_wpm: int | None = None  # None: the saved preference
    timeout: float | None = None  # seconds before a reprompt; None or 0: no limit
    data_dir: str | None = None


def run(content: Content, args: argparse.Namespace) -> int:
    if not args.text:
        from ...session.spoken import run_voice_session
        from ..spoken import voice_options

        try:
            run_voice_session(content, voice_options(args))
            return 0
        except TextInstead as instead:
            carry_on_in_text(instead)
    return typed(content, TypedOptions(args.emergency_number, args.transcript, args.rate_wpm,
                                       args.timeout, args.data_dir))


def typed(content: Content, options: TypedOptions) -> int:
    """The symptom check typed and printed, kept in the journal like a spoken one."""
    clock = MonotonicClock()
    preferences = PreferenceStore(Preferences(rate_wpm=options.rate_wpm or saved_rate(),
                                              time_limit_s=options.timeout or None))
    with Transcript(clock, options.transcript) as transcript:
        person = TextPerson(clock, preferences=preferences)
        recorder = open_recorder(options.data_dir, "text", transcript)
        flow = Flow.for_person(content, person, clock, transcript,
                               settings=content.settings(options.emergency_number),
                               earlier=recorder.earlier if recorder else ())
        with journaled(recorder):
            flow.triage()
    return 0
