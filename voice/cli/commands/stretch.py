"""`backcare stretch ROUTINE`: a guided routine after the short check, spoken, typed
(--text) or previewed on a virtual clock (--simulate)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from ...clock import MonotonicClock, VirtualClock
from ...conversation.content import Content
from ...conversation.routine.book import Routine
from ...conversation.routine.player import Player
from ...conversation.routine.timeline import estimated
from ...events.transcript import Transcript
from ...journal.recorder import journaled, open_recorder
from ...person.scripted import ScriptedPerson
from ...person.text import TextPerson
from ...preferences import Preferences, PreferenceStore, saved_rate
from ...session.errors import TextInstead
from ...session.flow import Flow
from ..errors import CommandError, carry_on_in_text


def run(content: Content, args: argparse.Namespace) -> int:
    book = content.book
    routine = routine_named(book.routines, args.routine)
    if routine is None:
        raise CommandError(f"no routine {args.routine!r}; choose from {', '.join(book.routines)}")
    if not args.text and not args.simulate:
        from ...session.spoken import run_voice_session
        from ..spoken import voice_options

        try:
            run_voice_session(content, voice_options(args), routine=routine.id)
            return 0
        except TextInstead as instead:
            carry_on_in_text(instead)
    settings = content.settings(args.emergency_number)
    preferences = PreferenceStore(Preferences(rate_wpm=args.rate_wpm or saved_rate(), time_limit_s=None))
    if args.simulate:  # a preview on a virtual clock: nobody is stretching, so no check
        clock = VirtualClock()
        with Transcript(clock, args.transcript) as transcript:
            person = ScriptedPerson(clock, printed=sys.stdout, preferences=preferences)
            Player(book, routine, content.intents, person, clock, estimated, settings, transcript,
                   ask_pain=False).run()
        return 0
    clock = MonotonicClock()
    with Transcript(clock, args.transcript) as transcript:
        person = TextPerson(clock, preferences=preferences)
        recorder = open_recorder(args.data_dir, "text", transcript)
        flow = Flow.for_person(content, person, clock, transcript, settings=settings,
                               earlier=recorder.earlier if recorder else ())
        # No symptom check has cleared this session: the short check comes first.
        with journaled(recorder):
            flow.screened(routine.id)
    return 0


def routine_named(routines: Mapping[str, Routine], words: str) -> Routine | None:
    """The routine `words` name: its id ("upper_back"), or the id or the name as a person
    types what they heard ("upper back", "Upper-back routine"), for a screen reader reads
    the listing's "upper_back" as "upper back"."""
    wanted = "_".join(words.lower().replace("-", " ").split())
    for routine_id, routine in routines.items():
        name = "_".join(routine.name.lower().replace("-", " ").split())
        if wanted in (routine_id, name):
            return routine
    return None
