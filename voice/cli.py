"""The `backcare` command: argument parsing and wiring, no logic of its own."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .clock import MonotonicClock
from .content import dialogs_dir, load_content
from .conversation.settings import EMERGENCY_NUMBERS
from .flow import Flow
from .journaling import journaled, open_recorder
from .locales import LocaleError
from .locales import available as available_locales
from .locales import choose as choose_locale
from .preferences import RATE_MAX, RATE_MIN, Preferences, PreferenceStore
from .transcript import Transcript, TranscriptError
from .understanding.engines import ENGINES
from .yamlsource import ContentError


def _emergency_number(value: str) -> str:
    """A number to call in an emergency: digits (spaces allowed), as the locale gives them."""
    if not value.strip() or not value.replace(" ", "").isdigit():
        raise argparse.ArgumentTypeError(
            f"the emergency number is digits, like {' or '.join(EMERGENCY_NUMBERS)}, not {value!r}")
    return value.strip()


def _timeout(value: str) -> float:
    """Seconds of silence before a reprompt; 0 turns the time limit off."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the time limit is a number of seconds (0 for none), not {value!r}") from None
    if seconds < 0 or seconds != seconds:
        raise argparse.ArgumentTypeError("a time limit cannot be negative")
    return seconds


def _voice(value: str) -> str:
    """A voice to speak with: the natural voice's (heart, the default, or one downloaded with
    'backcare models download'), or espeak (espeak-ng; "espeak:en-gb" for one of its voices)."""
    from .models import load_catalog

    names = ["heart", *(e.voice for e in load_catalog() if e.engine == "hibari" and e.voice)]
    if value in names or value == "espeak" or value.startswith("espeak:"):
        return value
    raise argparse.ArgumentTypeError(f"no voice called {value!r}; choose from "
                                     f"{', '.join(names)} or espeak")


def _time_limit(seconds: float | None, default: float | None) -> float | None:
    """--timeout as a time limit: not given, the default; 0, none."""
    if seconds is None:
        return default
    return None if seconds == 0 else seconds


def _rate(value: str) -> int:
    try:
        wpm = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the speech rate is a whole number of words a minute, like 170, not {value!r}") from None
    if not RATE_MIN <= wpm <= RATE_MAX:
        raise argparse.ArgumentTypeError(f"speech rate must be {RATE_MIN}..{RATE_MAX} words a minute")
    return wpm


def _voice_arguments(command: argparse.ArgumentParser) -> None:
    """What a spoken session takes: devices, the voice, captions, the recogniser."""
    command.add_argument("--input-device", help="microphone (number or name from 'backcare devices')")
    command.add_argument("--output-device", help="speakers (number or name from 'backcare devices')")
    command.add_argument("--voice", type=_voice, default=None,
                         help="the voice to speak with, kept for next time: heart (the natural "
                              "voice, default), emma, fable, fenrir or kore once downloaded "
                              "('backcare models list'), or espeak (espeak-ng)")
    command.add_argument("--quiet", action="store_true",
                         help="voice mode: do not print each line and each answer as captions")
    command.add_argument("--no-echo-cancellation", dest="echo_cancellation", action="store_false",
                         help="do not take the assistant's own voice out of the microphone "
                              "(with a headset it cannot hear itself anyway)")
    command.add_argument("--engine", choices=ENGINES, default="auto", help="speech recogniser")
    command.add_argument("--model", help="path to a Whisper or vosk model folder")


class _Parser(argparse.ArgumentParser):
    """A wrong value is one line that says what is wrong and where help is, not a usage
    block (subcommands are made of the same class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="backcare",
        description="Offline assistant for neck and upper-back pain. Information, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"backcare {__version__}")
    parser.add_argument("--locale", metavar="LL_CC",
                        help="the country's numbers, services and words: "
                             f"{', '.join(available_locales(dialogs_dir()))} (default: the "
                             "system's locale when there is one for it, else en_US)")
    commands = parser.add_subparsers(dest="command")
    data_help = "folder of the pain journal (default: $BACKCARE_DATA_DIR, else your data folder)"

    triage = commands.add_parser("triage", help="the spoken symptom check (red flags first)")
    triage.add_argument("--text", action="store_true",
                        help="type answers and read printed lines instead of speaking")
    triage.add_argument("--transcript", metavar="FILE.jsonl",
                        help="write every event as a JSON line, flushed as it happens")
    triage.add_argument("--emergency-number", type=_emergency_number, default=None,
                        help="number spoken in emergency advice (default: the locale's, "
                             f"e.g. {', '.join(EMERGENCY_NUMBERS)})")
    triage.add_argument("--timeout", type=_timeout, default=None, metavar="SECONDS",
                        help="reprompt after this many seconds without an answer "
                             "(text mode default: no limit; 0 = no limit)")
    triage.add_argument("--rate", type=_rate, default=None, metavar="WPM",
                        help=f"speech rate in words a minute ({RATE_MIN}-{RATE_MAX}; voice mode "
                             "default: the saved preference, else 170)")
    _voice_arguments(triage)
    triage.add_argument("--data-dir", help=data_help)

    recognize = commands.add_parser("recognize", help="recognise one WAV file in a dialog context")
    recognize.add_argument("file")
    recognize.add_argument("--context", default="yes_no")
    recognize.add_argument("--engine", choices=ENGINES, default="auto")
    recognize.add_argument("--model", help="path to a Whisper or vosk model folder")
    recognize.add_argument("--json", action="store_true", help="print one JSON object")

    evaluation = commands.add_parser("eval", help="measure recognition on a manifest of clips")
    evaluation.add_argument("manifest", help="TSV with columns file, transcript, category")
    evaluation.add_argument("--engine", choices=ENGINES, default="auto")
    evaluation.add_argument("--model", help="path to a Whisper or vosk model folder")
    evaluation.add_argument("--report", metavar="OUT.md", help="also write the report as Markdown")
    evaluation.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    evaluation.add_argument("--detector", choices=("webrtc", "silero", "both"), default="webrtc",
                            help="voice activity detector of the endpointer (to compare them)")

    models = commands.add_parser("models", help="list, download or locate vosk models")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    models_commands.add_parser("list", help="the catalog, and which models are installed")
    download = models_commands.add_parser("download", help="download a model (the only network use)")
    download.add_argument("name")
    download.add_argument("--to", metavar="DIR", help="folder to put it in (default: user data folder)")
    where = models_commands.add_parser("path", help="print the model that would be used")
    where.add_argument("--model", help="path to a Whisper or vosk model folder")

    stretch = commands.add_parser("stretch", help="a guided stretching routine with timed cues")
    stretch.add_argument("routine", help="routine id (see 'backcare routines')")
    stretch.add_argument("--text", action="store_true",
                         help="print the cues and type commands (pause, resume, repeat, skip, back, stop...)")
    stretch.add_argument("--simulate", action="store_true",
                         help="run on a virtual clock at once, printing [mm:ss.s] before every cue")
    stretch.add_argument("--transcript", metavar="FILE.jsonl", help="write every cue and command as JSON")
    stretch.add_argument("--rate", type=_rate, default=None, metavar="WPM",
                         help=f"speech rate in words a minute ({RATE_MIN}-{RATE_MAX}; voice mode "
                              "default: the saved preference, else 170)")
    stretch.add_argument("--emergency-number", type=_emergency_number, default=None,
                         help="number spoken in the advice after a symptom or the check "
                              "(default: the locale's)")
    _voice_arguments(stretch)
    stretch.add_argument("--data-dir", help=data_help)

    history = commands.add_parser("history", help="your pain journal: sessions, pain trend, advice")
    history.add_argument("--text", action="store_true", help="print instead of speaking")
    history.add_argument("--json", action="store_true", help="print every session as JSON")
    history.add_argument("--export", metavar="FILE.csv", help="write one row per session, for a clinician")
    history.add_argument("--delete", action="store_true",
                         help="delete every session, after you confirm")
    history.add_argument("--data-dir", help=data_help)

    routines = commands.add_parser("routines", help="list the routines with their computed durations")
    routines.add_argument("--json", action="store_true")

    commands.add_parser("devices", help="list audio input and output devices")

    match = commands.add_parser("match", help="show which intent a sentence matches")
    match.add_argument("text")
    match.add_argument("--context", default="yes_no")
    match.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`backcare ... | head`): nothing more can be shown, and Python
        # must not complain about it when it flushes stdout on exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except TranscriptError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 2


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        content = load_content(locale=choose_locale(args.locale, dialogs_dir(), os.environ))
    except LocaleError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 2
    except ContentError as error:
        print(f"backcare: bad dialog content: {error}", file=sys.stderr)
        return 2
    if args.command == "match":
        return _match(content, args)
    if args.command == "recognize":
        return _recognize(content, args)
    if args.command == "eval":
        return _eval(content, args)
    if args.command == "models":
        return _models(args)
    if args.command == "devices":
        return _devices()
    if args.command == "history":
        return _history(content, args)
    if args.command in ("stretch", "routines"):
        book = content.book
        return _stretch(content, book, args) if args.command == "stretch" else _routines(book, args)
    if args.command is None:
        from .session import VoiceOptions, run_voice_session

        status = run_voice_session(content, VoiceOptions())
        if status >= 0:
            return status
        args = parser.parse_args(["triage", "--text"])
    if args.command == "triage":
        if not args.text:
            from .session import run_voice_session

            status = run_voice_session(content, _voice_session(args))
            if status >= 0:
                return status
        return _triage(content, args)
    parser.error(f"unknown command {args.command}")
    return 2


def _voice_session(args: argparse.Namespace):
    from .session import VoiceOptions

    return VoiceOptions(args.emergency_number, getattr(args, "timeout", None),
                        input_device=_device(args.input_device),
                        output_device=_device(args.output_device), engine=args.engine,
                        model=args.model, transcript=args.transcript, rate_wpm=args.rate,
                        data_dir=args.data_dir, voice=args.voice, captions=not args.quiet,
                        echo_cancellation=args.echo_cancellation)


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


def _recognizer(content, args: argparse.Namespace):
    from .models import ModelError
    from .understanding.engines import make_recognizer

    try:
        choice = make_recognizer(args.engine, content.intents, args.model)
    except ModelError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return None
    if args.engine == "auto":
        print(choice.note.splitlines()[0], file=sys.stderr)
    return choice.recognizer


def _recognize(content, args: argparse.Namespace) -> int:
    from .audio.sources import AudioFileError, blocks, read_audio, with_silence
    from .understanding.base import understand
    from .understanding.listener import recognise_stream

    try:
        audio = with_silence(read_audio(args.file))
    except AudioFileError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 2
    recognizer = _recognizer(content, args)
    if recognizer is None:
        return 2
    if args.context not in recognizer.contexts():
        print(f"backcare: unknown context {args.context!r}", file=sys.stderr)
        return 2
    heard = recognise_stream(blocks(audio), recognizer, args.context)
    if heard is None:
        result = {"text": "", "intent": None, "slots": {}, "confidence": 0.0,
                  "engine": recognizer.name, "audio_s": round(len(audio) / 16000, 3),
                  "decode_s": 0.0, "reason": "no speech detected"}
    else:
        rec = heard.recognition
        match = understand(rec, content.intents, args.context)
        result = {"text": rec.text, "intent": match.intent, "slots": match.slots,
                  "confidence": round(match.confidence if match.intent else rec.confidence, 3),
                  "engine": rec.engine, "audio_s": round(len(audio) / 16000, 3),
                  "decode_s": round(rec.decode_s, 4), "reason": rec.reason}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        said = result["intent"] or f"not understood ({result['reason']})"
        print(f"{said} {result['slots'] or ''} heard {result['text']!r}".strip())
    return 0


def _eval(content, args: argparse.Namespace) -> int:
    from .evaluate import evaluate, read_manifest, report_text, summarise

    recognizer = _recognizer(content, args)
    if recognizer is None:
        return 2
    try:
        clips = read_manifest(args.manifest)
    except (OSError, ValueError) as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 2
    from .understanding.vad import VadConfig

    results = evaluate(clips, recognizer, content.intents, VadConfig(detector=args.detector),
                       progress=_progress("clips"))
    summary = summarise(results, len(clips), recognizer.name)
    text = report_text(summary)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as out:
            out.write(text)
    if args.json:
        print(json.dumps(summary))
    else:
        print(text, end="")
    return 0


def _progress(unit: str):
    """A progress bar on stderr when it is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(unit=unit, file=sys.stderr)

    def update(done: int, total: int | None) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
        if total is not None and done >= total:
            bar.close()

    return update


def _models(args: argparse.Namespace) -> int:
    from .models import (
        ModelError,
        download,
        find_model,
        find_whisper_model,
        installed_voices,
        is_model_dir,
        load_catalog,
        user_models_dir,
    )

    catalog = load_catalog()
    if args.models_command == "list":
        voices = installed_voices(catalog)
        for entry in catalog:
            if entry.engine == "hibari":
                mark = f"installed at {voices[entry.voice]}" if entry.voice in voices else (
                    "not installed")
            elif entry.engine == "whisper":
                try:
                    mark = f"installed at {find_whisper_model(None, catalog)}"
                except ModelError:
                    mark = "not installed"
            else:
                mark = "installed" if is_model_dir(user_models_dir() / entry.name) else "not installed"
            print(f"{entry.name}  ({entry.language}, {entry.size_mb:g} MB, {entry.licence}, {mark})")
            print(f"    {entry.good_for}")
        return 0
    if args.models_command == "path":
        problems = []
        for finder in (find_whisper_model, find_model):
            try:
                print(finder(args.model, catalog))
                return 0
            except ModelError as error:
                problems.append(" ".join(str(error).split()))
        print(f"backcare: {' '.join(problems)}", file=sys.stderr)
        return 1
    entry = next((e for e in catalog if e.name == args.name), None)
    if entry is None:
        print(f"backcare: no model called {args.name!r}; see 'backcare models list'", file=sys.stderr)
        return 2
    from pathlib import Path

    folder = Path(args.to) if args.to else user_models_dir()
    try:
        path = download(entry, folder, _download_progress())
    except ModelError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a read-only home, a full disk
        where = error.filename or folder
        print(f"backcare: cannot write the model to {where} ({error.strerror or error}); "
              "choose a folder you can write with --to DIR.", file=sys.stderr)
        return 1
    print(path)
    return 0


def _download_progress():
    from tqdm import tqdm

    bar = tqdm(unit="B", unit_scale=True, file=sys.stderr, disable=None)

    def update(done: int, total: int | None) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update


def _device(value: str | None) -> int | str | None:
    return int(value) if value is not None and value.isdigit() else value


def _devices() -> int:
    from .audio.alsa import AlsaMessages
    from .audio.devices import list_devices, missing

    with AlsaMessages():  # the list, not alsa-lib's probing chatter
        devices, problem = list_devices()
    if problem:
        print(problem)
    if not devices:
        print("No audio devices were found. Plug in a headset, or use --text.")
        return 0
    for device in devices:
        roles = [f"{device.inputs} input" if device.inputs else "",
                 f"{device.outputs} output" if device.outputs else ""]
        print(f"{device.index}: {device.name} ({', '.join(r for r in roles if r)}, "
              f"{device.default_rate:g} Hz)")
    for line in missing(devices):
        print(f"Note: {line}.")
    return 0


def _saved_rate() -> int:
    """The speech rate the person chose (what durations are estimated at), or the default."""
    from .preferences import load_preferences

    return load_preferences()[0].rate_wpm


def _routines(book, args: argparse.Namespace) -> int:
    from .conversation.player import routine_summary
    from .conversation.timeline import estimated, routine_duration_s

    durations = estimated(_saved_rate())  # at the rate the person listens at
    listing = [routine_summary(r, routine_duration_s(book, r, durations))
               for r in book.routines.values()]
    if args.json:
        print(json.dumps(listing))
        return 0
    for item in listing:
        minutes, seconds = divmod(round(item["duration_s"]), 60)
        print(f"{item['id']}: {item['name']}, {minutes} min {seconds:02d} s "
              f"({', '.join(item['positions'])})")
        for e in item["exercises"]:
            sides = ", each side" if e["sides"] == "left_right" else ""
            print(f"    {e['name']}: hold {e['hold_s']:g} s x {e['reps']}{sides}")
    return 0


def _stretch(content, book, args: argparse.Namespace) -> int:
    from .clock import VirtualClock
    from .conversation.player import Player
    from .conversation.timeline import estimated
    from .person.scripted import ScriptedPerson
    from .person.text import TextPerson

    routine = book.routines.get(args.routine)
    if routine is None:
        print(f"backcare: no routine {args.routine!r}; choose from {', '.join(book.routines)}",
              file=sys.stderr)
        return 2
    if not args.text and not args.simulate:
        from .session import run_voice_session

        status = run_voice_session(content, _voice_session(args), routine=routine.id)
        if status >= 0:
            return status
    settings = content.settings(args.emergency_number)
    preferences = PreferenceStore(Preferences(rate_wpm=args.rate or _saved_rate(), time_limit_s=None))
    if args.simulate:  # a preview on a virtual clock: nobody is stretching, so no screen
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
        flow = Flow(content, book, person, clock, settings, transcript, estimated,
                    recorder.earlier if recorder else [])
        # No symptom check has cleared this session: the short check comes first.
        with journaled(recorder):
            flow.screened(routine.id)
    return 0


def _triage(content, args: argparse.Namespace) -> int:
    settings = content.settings(args.emergency_number)
    clock = MonotonicClock()
    preferences = PreferenceStore(Preferences(rate_wpm=args.rate or _saved_rate(),
                                              time_limit_s=_time_limit(args.timeout, None)))
    with Transcript(clock, args.transcript) as transcript:
        from .conversation.timeline import estimated
        from .person.text import TextPerson

        person = TextPerson(clock, preferences=preferences)
        recorder = open_recorder(args.data_dir, "text", transcript)
        flow = Flow(content, content.book, person, clock, settings, transcript,
                    estimated, recorder.earlier if recorder else [])
        with journaled(recorder):
            flow.triage()
    return 0


def _history(content, args: argparse.Namespace) -> int:
    from .history import as_json, export_csv, spoken_summary, summarise, tier_labels
    from .journal import Journal, JournalError, data_dir

    try:
        journal = Journal(data_dir(args.data_dir))
    except JournalError as error:
        print(f"backcare: {error}", file=sys.stderr)
        return 2
    with journal:
        sessions = journal.sessions()
        summary = summarise(sessions)
        if args.json:
            print(json.dumps(as_json(sessions, summary), indent=2))
            return 0
        if args.export:
            try:
                export_csv(sessions, Path(args.export))
            except OSError as error:
                print(f"backcare: cannot write {args.export}: {error.strerror or error}",
                      file=sys.stderr)
                return 2
            print(f"Wrote {len(sessions)} sessions to {args.export}.")
            return 0
        texts = {k: str(v) for k, v in content.session.texts.items()}
        book = content.book
        lines = spoken_summary(summary, texts, tier_labels(content),
                               {r.id: r.name for r in book.routines.values()})
        return _tell_history(content, args, journal, lines, texts)


def _tell_history(content, args: argparse.Namespace, journal, lines: list[str],
                  texts: dict[str, str]) -> int:
    """Say the summary (or print it with --text); with --delete, ask before deleting."""
    from .conversation.contexts import Context
    from .person.text import TextPerson

    clock = MonotonicClock()
    with Transcript(clock) as transcript:
        voice = None
        if not args.text:
            from .session import VoiceOptions, open_voice

            voice, status = open_voice(content, VoiceOptions(), clock, transcript)
            if voice is None and status != -1:
                return status
        person = voice.person if voice else TextPerson(clock)
        try:
            for line in lines:
                person.say(line)
            if args.delete:
                person.say(texts["history_delete_ask"], interruptible=True)
                heard = person.listen(Context.YES_NO, None, "history_delete")
                answer = (content.intents.match(heard.text, Context.YES_NO).intent
                          if heard.kind == "speech" else None)
                if answer == "yes":
                    journal.delete_all()
                    person.say(texts["history_deleted"])
                else:
                    person.say(texts["history_kept"])
        finally:
            if voice is not None:
                voice.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
