"""What the commands that can speak (`triage`, `stretch`, plain `backcare`) turn their
arguments into: a voice session's options."""

from __future__ import annotations

import argparse

from ..session.spoken import VoiceOptions


def device(value: str | None) -> int | str | None:
    """A device by number or by name."""
    return int(value) if value is not None and value.isdigit() else value


def voice_options(args: argparse.Namespace) -> VoiceOptions:
    """`captions` stays None unless --captions or --quiet was given: the session decides (on,
    unless a screen reader is running)."""
    return VoiceOptions(args.emergency_number, getattr(args, "timeout", None),
                        input_device=device(args.input_device),
                        output_device=device(args.output_device), engine=args.engine,
                        model=args.model, transcript=args.transcript, rate_wpm=args.rate_wpm,
                        data_dir=args.data_dir, voice=args.voice, captions=args.captions,
                        echo_cancellation=args.echo_cancellation, speak=args.speak,
                        verbose=args.verbose)
