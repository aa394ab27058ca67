"""The `backcare` command: argument parsing and wiring, no logic of its own."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .channel import TextChannel
from .clock import MonotonicClock
from .content import load_content
from .dialog import Dialog
from .settings import EMERGENCY_NUMBERS, RATE_MAX, RATE_MIN, Settings
from .transcript import Transcript
from .yamlsource import ContentError


def _timeout(value: str) -> float | None:
    seconds = float(value)
    if seconds < 0:
        raise argparse.ArgumentTypeError("a time limit cannot be negative")
    return None if seconds == 0 else seconds


def _rate(value: str) -> int:
    wpm = int(value)
    if not RATE_MIN <= wpm <= RATE_MAX:
        raise argparse.ArgumentTypeError(f"speech rate must be {RATE_MIN}..{RATE_MAX} words a minute")
    return wpm


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcare",
        description="Offline assistant for neck and upper-back pain. Information, not a diagnosis.",
    )
    commands = parser.add_subparsers(dest="command")

    triage = commands.add_parser("triage", help="the spoken symptom check (red flags first)")
    triage.add_argument("--text", action="store_true",
                        help="type answers and read printed lines (the only mode so far)")
    triage.add_argument("--transcript", metavar="FILE.jsonl",
                        help="write every event as a JSON line, flushed as it happens")
    triage.add_argument("--emergency-number", default="911",
                        help=f"number spoken in emergency advice (e.g. {', '.join(EMERGENCY_NUMBERS)})")
    triage.add_argument("--timeout", type=_timeout, default=None, metavar="SECONDS",
                        help="reprompt after this many seconds without an answer "
                             "(text mode default: no limit; 0 = no limit)")
    triage.add_argument("--rate", type=_rate, default=170, metavar="WPM",
                        help=f"speech rate in words a minute ({RATE_MIN}-{RATE_MAX})")

    match = commands.add_parser("match", help="show which intent a sentence matches")
    match.add_argument("text")
    match.add_argument("--context", default="yes_no")
    match.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        content = load_content()
    except ContentError as error:
        print(f"backcare: bad dialog content: {error}", file=sys.stderr)
        return 2
    if args.command == "match":
        return _match(content, args)
    if args.command in (None, "triage"):
        if args.command is None:
            print("Voice mode is not built yet; starting the symptom check in text mode.",
                  file=sys.stderr)
            args = parser.parse_args(["triage", "--text"])
        return _triage(content, args)
    parser.error(f"unknown command {args.command}")
    return 2


def _match(content, args: argparse.Namespace) -> int:
    if args.context not in content.intents.context_names():
        print(f"backcare: unknown context {args.context!r}; known: "
              f"{', '.join(content.intents.context_names())}", file=sys.stderr)
        return 2
    result = content.intents.match(args.text, args.context)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        slots = f" {result.slots}" if result.slots else ""
        print(f"{result.intent or '(not understood)'}{slots} confidence {result.confidence:.2f}")
    return 0


def _triage(content, args: argparse.Namespace) -> int:
    try:
        settings = Settings(emergency_number=args.emergency_number, rate_wpm=args.rate,
                            no_input_timeout=args.timeout)
    except ValueError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 2
    clock = MonotonicClock()
    with Transcript(clock, args.transcript) as transcript:
        dialog = Dialog(content.triage, content.intents, TextChannel(), clock, settings, transcript)
        try:
            dialog.run()
        except KeyboardInterrupt:
            print("\nStopped.", file=sys.stderr)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
