"""`backcare history`: the pain journal told back (spoken unless --text), as JSON, as CSV
for a clinician, or deleted after the person agrees."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...clock import MonotonicClock
from ...content.paths import data_dir
from ...conversation.content import Content
from ...events.transcript import Transcript
from ...journal.history import as_json, export_csv, summarise, told_back
from ...journal.store import Journal
from ...person.text import TextPerson
from ...session.errors import TextInstead
from ...session.flow import Flow
from ..errors import CommandError, carry_on_in_text


def run(content: Content, args: argparse.Namespace) -> int:
    with Journal(data_dir(args.data_dir)) as journal:
        sessions = journal.sessions()
        summary = summarise(sessions)
        if args.json:
            print(json.dumps(as_json(sessions, summary), indent=2))
            return 0
        if args.export:
            try:
                export_csv(sessions, Path(args.export))
            except OSError as error:
                raise CommandError(f"cannot write {args.export}: {error.strerror or error}") from None
            print(f"Wrote {len(sessions)} sessions to {args.export}.")
            return 0
        return _tell(content, args, told_back(content, summary),
                     journal.delete_all if args.delete else None)


def _tell(content: Content, args: argparse.Namespace, lines: list[str], delete) -> int:
    """Say the summary (or print it with --text); with --delete, ask before deleting.

    Told back only, it needs speakers and nothing else: no microphone is opened and no
    recogniser loaded (26 s and 389 MB for Whisper, to read four lines aloud). The
    question --delete asks is answered by voice, so that one opens both."""
    clock = MonotonicClock()
    with Transcript(clock) as transcript:
        voice = None
        if not args.text:
            from ...session.spoken import VoiceOptions, open_voice

            try:
                voice = open_voice(content, VoiceOptions(speak=delete is None), clock, transcript)
            except TextInstead as instead:
                carry_on_in_text(instead)
        person = voice.person if voice else TextPerson(clock)
        try:
            Flow.for_person(content, person, clock, transcript).history(lines, delete)
        finally:
            if voice is not None:
                voice.close()
    return 0
