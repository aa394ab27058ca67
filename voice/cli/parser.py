"""The command line's words: commands, options, their help, and the checks on their values.

A wrong value is one line naming the option and what it takes, the same for
every command (`_Parser.error`), never a traceback later in the session.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..content.locales import available as available_locales
from ..conversation.settings import EMERGENCY_NUMBERS
from ..preferences import RATE_MAX, RATE_MIN
from ..understanding import ENGINES

# What a person uses, and the tools for developing and measuring the assistant.
FOR_PEOPLE = {
    "triage": "the symptom check: red flags first, then what to do",
    "stretch": "a guided stretching routine with timed cues",
    "routines": "list the routines and how long they take",
    "history": "your pain journal: sessions, pain trend, advice",
    "devices": "list microphones and speakers",
    "models": "list or download recognition models and voices (the only network use)",
    "install-launcher": "add backcare to your desktop's application menu",
    "uninstall-launcher": "remove backcare from your desktop's application menu",
}
FOR_DEVELOPERS = {
    "match": "show which intent a typed sentence matches in a dialog context",
    "recognize": "recognise one WAV file in a dialog context",
    "eval": "measure recognition on a manifest of recordings",
}


class _Parser(argparse.ArgumentParser):
    """A wrong value is one line that says what is wrong and where help is, not a usage
    block (subcommands are made of the same class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def emergency_number(value: str) -> str:
    """A number to call in an emergency: digits (spaces allowed), as the locale gives them."""
    if not value.strip() or not value.replace(" ", "").isdigit():
        raise argparse.ArgumentTypeError(
            f"the emergency number is digits, like {' or '.join(EMERGENCY_NUMBERS)}, not {value!r}")
    return value.strip()


def timeout(value: str) -> float:
    """Seconds of silence before a reprompt; 0 turns the time limit off."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the time limit is a number of seconds (0 for none), not {value!r}") from None
    if seconds < 0 or seconds != seconds:
        raise argparse.ArgumentTypeError("a time limit cannot be negative")
    return seconds


def voice(value: str) -> str:
    """A voice to speak with: the natural voice's (heart, the default, or one downloaded with
    'backcare models download'), or espeak (espeak-ng; "espeak:en-gb" for one of its voices)."""
    from ..modelfiles.catalog import load_catalog

    names = list(dict.fromkeys(
        ["heart", *(e.voice for e in load_catalog() if e.engine == "hibari" and e.voice)]))
    if value in names or value == "espeak" or value.startswith("espeak:"):
        return value
    raise argparse.ArgumentTypeError(f"no voice called {value!r}; choose from "
                                     f"{', '.join(names)} or espeak")


def rate(value: str) -> int:
    try:
        wpm = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the speech rate is a whole number of words a minute, like 170, not {value!r}") from None
    if not RATE_MIN <= wpm <= RATE_MAX:
        raise argparse.ArgumentTypeError(f"speech rate must be {RATE_MIN}..{RATE_MAX} words a minute")
    return wpm


def _global_arguments(parser: argparse.ArgumentParser, dialogs: Path,
                      default: object = None) -> None:
    """The options every command takes, before or after its name (`default`: SUPPRESS on a
    command, so a value given before the command's name is not put back to None)."""
    parser.add_argument("--locale", metavar="LL_CC", default=default,
                        help="the country's numbers, services and words: "
                             f"{', '.join(available_locales(dialogs))} (default: the system's "
                             "locale when there is one for it, else en_US)")


def _global_options(dialogs: Path) -> argparse.ArgumentParser:
    """The global options as a parent parser, added to each command."""
    parent = argparse.ArgumentParser(add_help=False)
    _global_arguments(parent, dialogs, default=argparse.SUPPRESS)
    return parent


def _mode_arguments(command: argparse.ArgumentParser, text_help: str,
                    simulate: bool = False) -> None:
    """How a session is held: spoken and heard (the default), spoken with typed answers
    (--speak), or typed and printed (--text); a routine can also be previewed (--simulate)."""
    mode = command.add_mutually_exclusive_group()
    mode.add_argument("--text", action="store_true", help=text_help)
    mode.add_argument("--speak", action="store_true",
                      help="speak the questions and cues, and read typed answers (speakers "
                           "without a microphone; chosen by itself when no microphone is found)")
    if simulate:
        mode.add_argument("--simulate", action="store_true",
                          help="run on a virtual clock at once, printing [mm:ss.s] before every cue")


def _voice_arguments(command: argparse.ArgumentParser) -> None:
    """What a spoken session takes: devices, the voice, captions, the recogniser."""
    command.add_argument("--input-device", help="microphone (number or name from 'backcare devices')")
    command.add_argument("--output-device", help="speakers (number or name from 'backcare devices')")
    command.add_argument("--voice", type=voice, default=None,
                         help="the voice to speak with, kept for next time: heart (the natural "
                              "voice, default), emma, fable, fenrir or kore once downloaded "
                              "('backcare models list'), or espeak (espeak-ng)")
    captions = command.add_mutually_exclusive_group()
    captions.add_argument("--captions", dest="captions", action="store_true", default=None,
                          help="print each line and each answer as it is spoken (the default, "
                               "unless a screen reader is running: it would read them over the "
                               "voice)")
    captions.add_argument("--quiet", dest="captions", action="store_false",
                          help="do not print each line and each answer as captions")
    command.add_argument("--verbose", action="store_true",
                         help="say on stderr which recogniser listens, its model's folder, and "
                              "why a better one was not used")
    command.add_argument("--no-echo-cancellation", dest="echo_cancellation", action="store_false",
                         help="do not take the assistant's own voice out of the microphone "
                              "(with a headset it cannot hear itself anyway)")
    _engine_arguments(command)


def _engine_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--engine", choices=ENGINES, default="auto",
                         help="speech recogniser (default: auto, the best one installed)")
    command.add_argument("--model", help="path to a Whisper or vosk model folder")


def _overview() -> str:
    width = max(map(len, [*FOR_PEOPLE, *FOR_DEVELOPERS]))
    people = "\n".join(f"  {name:<{width}}  {text}" for name, text in FOR_PEOPLE.items())
    developers = "\n".join(f"  {name:<{width}}  {text}" for name, text in FOR_DEVELOPERS.items())
    return ("Plain 'backcare' starts the voice session: say what you need (a symptom check, or "
            "stretches).\n\n"
            f"Commands:\n{people}\n\nFor developers:\n{developers}\n\n"
            "'backcare COMMAND --help' says what each takes.")


def build_parser(dialogs: Path, routine_names: list[str]) -> argparse.ArgumentParser:
    """`dialogs`: where the locales are; `routine_names`: what `stretch` takes.

    Each command's usage and errors name it as it is typed (`backcare triage`), and the
    global options work before or after it."""
    parser = _Parser(
        prog="backcare", formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [-h] [--version] [--locale LL_CC] [COMMAND] ...",
        description="Offline assistant for neck and upper-back pain. Information, not a diagnosis.",
        epilog=_overview())
    parser.add_argument("--version", action="version", version=f"backcare {__version__}")
    _global_arguments(parser, dialogs)
    # listed in the epilog, people's commands apart from developers' tools; each command's
    # prog is "backcare NAME", and it takes the global options too
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", help=argparse.SUPPRESS,
                                     prog="backcare", parser_class=_Parser)
    globals_parent = _global_options(dialogs)

    def add(name: str, **kwargs) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[globals_parent], **kwargs)
    data_help = "folder of the pain journal (default: $BACKCARE_DATA_DIR, else your data folder)"
    number_help = ("number spoken in emergency advice (default: the locale's, e.g. "
                   f"{', '.join(EMERGENCY_NUMBERS)})")
    rate_help = (f"speech rate in words a minute ({RATE_MIN}-{RATE_MAX}; default: the saved "
                 "preference, else 170)")

    triage = add("triage", description=FOR_PEOPLE["triage"] + ". Spoken unless --text.")
    _mode_arguments(triage, "type answers and read printed lines instead of speaking")
    triage.add_argument("--transcript", metavar="FILE.jsonl",
                        help="write every event as a JSON line, flushed as it happens")
    triage.add_argument("--emergency-number", type=emergency_number, default=None, help=number_help)
    triage.add_argument("--timeout", type=timeout, default=None, metavar="SECONDS",
                        help="reprompt after this many seconds without an answer "
                             "(text mode default: no limit; 0 = no limit)")
    triage.add_argument("--rate", dest="rate_wpm", type=rate, default=None, metavar="WPM", help=rate_help)
    _voice_arguments(triage)
    triage.add_argument("--data-dir", help=data_help)

    stretch = add("stretch", description=FOR_PEOPLE["stretch"] + ", after a short check. "
                                  "Spoken unless --text or --simulate.")
    stretch.add_argument("routine", metavar="ROUTINE",
                         help=f"which routine: {', '.join(routine_names)} ('backcare routines' "
                              "says what each holds)")
    _mode_arguments(stretch, "print the cues and type commands (pause, resume, repeat, skip, "
                             "back, stop...)", simulate=True)
    stretch.add_argument("--transcript", metavar="FILE.jsonl", help="write every cue and command as JSON")
    stretch.add_argument("--rate", dest="rate_wpm", type=rate, default=None, metavar="WPM", help=rate_help)
    stretch.add_argument("--emergency-number", type=emergency_number, default=None, help=number_help)
    _voice_arguments(stretch)
    stretch.add_argument("--data-dir", help=data_help)

    routines = add("routines", description=FOR_PEOPLE["routines"] + " at your speech rate.")
    routines.add_argument("--json", action="store_true", help="print the list as JSON")

    history = add("history", description=FOR_PEOPLE["history"] + ". Spoken unless --text.")
    history.add_argument("--text", action="store_true", help="print instead of speaking")
    history.add_argument("--json", action="store_true", help="print every session as JSON")
    history.add_argument("--export", metavar="FILE.csv", help="write one row per session, for a clinician")
    history.add_argument("--delete", action="store_true",
                         help="delete every session, after you confirm")
    history.add_argument("--data-dir", help=data_help)

    add("devices", description=FOR_PEOPLE["devices"])
    for name in ("install-launcher", "uninstall-launcher"):
        add(name, description=FOR_PEOPLE[name] + ".")

    models = add("models", description=FOR_PEOPLE["models"])
    models_commands = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    models_commands.add_parser("list", parents=[globals_parent],
                               help="the recognisers and voices you can choose, and which are installed")
    download = models_commands.add_parser("download", parents=[globals_parent],
                                          help="download a model or voice (the only network use)")
    download.add_argument("name", help="its name in 'backcare models list'")
    download.add_argument("--to", metavar="DIR", help="folder to put it in (default: user data folder)")
    where = models_commands.add_parser("path", parents=[globals_parent],
                                       help="print the model that would be used")
    where.add_argument("--model", help="path to a Whisper or vosk model folder")

    context_help = ("the dialog context to match in (default: yes_no); 'backcare match' lists "
                    "them when it is wrong")
    match = add("match", description=FOR_DEVELOPERS["match"] + ": an answer means what "
                                "its question allows, so a context is needed.")
    match.add_argument("text", help="the sentence, as a recogniser would give it")
    match.add_argument("--context", default="yes_no", help=context_help)
    match.add_argument("--question", metavar="ID",
                       help="read the sentence as an answer to this warning-sign question (a "
                       "flag, grade or list id of the symptom check), as the check does: "
                       "clause by clause, with what it says and when")
    match.add_argument("--age", type=int, help="with --question: the person's age (under 16: "
                       "a parent answers, so 'she' is the person)")
    match.add_argument("--today", type=_iso_date, metavar="YYYY-MM-DD",
                       help="with --question: the day it is said on, for weekdays "
                       "(default: today)")
    match.add_argument("--json", action="store_true", help="print one JSON object")

    recognize = add("recognize", description=FOR_DEVELOPERS["recognize"])
    recognize.add_argument("file", help="a WAV file (any rate, mono or stereo)")
    recognize.add_argument("--context", default="yes_no", help=context_help)
    _engine_arguments(recognize)
    recognize.add_argument("--json", action="store_true", help="print one JSON object")

    evaluation = add("eval", description=FOR_DEVELOPERS["eval"])
    evaluation.add_argument("manifest", help="TSV with columns file, transcript, category")
    _engine_arguments(evaluation)
    evaluation.add_argument("--report", metavar="OUT.md", help="also write the report as Markdown")
    evaluation.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    evaluation.add_argument("--detector", choices=("webrtc", "silero", "both"), default="webrtc",
                            help="voice activity detector of the endpointer (to compare them)")
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date like 2026-12-07, not {text!r}") from None
