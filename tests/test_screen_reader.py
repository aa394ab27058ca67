"""Text mode as a screen reader hears it (issue 29): every printed line of every path, in every
locale, read by espeak-ng (Orca's default voice) must say a number to dial digit by digit, and
never a unit letter alone ("5 s" heard "five ess") or an id; a routine's cue never lands in the
line being typed."""

from __future__ import annotations

import io
import os
import re
import subprocess
import threading
import time
from functools import cache

import pytest
from support.content import shipped_content

from harness.people import ScriptedPerson, answers_for_yes_to
from harness.speech import have
from voice.cli.commands.routines import load_listing, routine_summary
from voice.clock import VirtualClock
from voice.content.locales import available
from voice.content.yamlsource import ContentError
from voice.conversation.content import Content
from voice.conversation.contexts import Context
from voice.conversation.routine.timeline import estimated, routine_duration_s
from voice.conversation.settings import Settings, digits_spoken
from voice.events.transcript import Transcript
from voice.person.text import PROMPT, TextPerson
from voice.session.flow import Flow

FOLDER = shipped_content().folder
LOCALES = available(FOLDER)
HUNDRED = ("h'Vndr", "T'aUz@nd")  # espeak-ng -x: "hundred", "thousand" (a number read whole)
LETTERS = {"'Es", ",Es", "'Eks", ",Eks", "'Em", ",Em", "'eItS", ",eItS"}  # s, x, m, h alone
UNIT = re.compile(r"\d\s*(s|x|min|mins|sec|secs|h|hr|hrs|m)\b|\bx\s*\d", re.IGNORECASE)
ID = re.compile(r"\b[a-z]+_[a-z_]+\b")  # a routine or exercise id ("upper_back_mat")
PATH = re.compile(r"(~|\.{1,2})?/[\w.-]+/")  # a file path
COMMAND = re.compile(r"backcare stretch \S+$")  # an id to type, which must be exact
SENTINEL = "xylophone."


def _run(content: Content, answers: dict, routine: str | None = None) -> list[str]:
    """Every line a text session prints on one path: the triage (and the routine it offers),
    or the short check, the gate and `routine`."""
    person = ScriptedPerson(answers)
    flow = Flow.for_person(content, person, person.clock, Transcript(person.clock))
    if routine is None:
        flow.triage()
    else:
        flow.screened(routine)
    return person.said


@cache
def printed(code: str, every_path: bool) -> tuple[str, ...]:
    """The lines printed in locale `code`: the all-no path (with help asked at the first
    question), a path to each tier (or every red flag and grade), every routine, every help
    text and the routines listing."""
    content = shipped_content(code)
    spec = content.triage
    paths = [(flag.id, None) for flag in spec.flags()]
    paths += [(flag.id, grade.id) for flag in spec.flags() for grade in flag.grades]
    if not every_path:  # the first path to each tier
        tiers: dict[str, tuple[str, str | None]] = {}
        for flag, grade in paths:
            tier = next(g.tier for g in spec.flag_table[flag].grades if g.id == grade) if grade \
                else spec.flag_table[flag].tier
            tiers.setdefault(tier, (flag, grade))
        paths = list(tiers.values())
    lines: list[str] = []
    clear = answers_for_yes_to(content, "none")
    lines += _run(content, {**clear, "age": ["help", "40"], "location": ["repeat", "neck"]})
    for flag, grade in paths:
        lines += _run(content, answers_for_yes_to(content, flag, grade))
    for routine in content.book.routines:
        lines += _run(content, {}, routine)
    lines += [content.intents.help_text(context) for context in content.intents.context_names()]
    words = load_listing(content.folder, dict(content.locale.terms))
    book, durations = content.book, estimated(170)
    for routine in book.routines.values():
        lines += words.lines(routine_summary(routine, routine_duration_s(book, routine, durations)))
    return tuple(dict.fromkeys(line.strip() for line in lines if line.strip()))


HEARD: dict[str, str] = {}  # espeak-ng's phonemes by line: the locales share most of their lines


def phonemes(lines: list[str]) -> list[str]:
    """espeak-ng's phonemes for each line, the lines not heard before in one call: a sentinel
    word after each line marks where it ends (espeak starts a new output line at every clause)."""
    new = [line for line in dict.fromkeys(lines) if line not in HEARD]
    if new:
        mark = subprocess.run(["espeak-ng", "-q", "-x", SENTINEL], capture_output=True, text=True,
                              check=True).stdout.strip()
        said = subprocess.run(["espeak-ng", "-q", "-x"], capture_output=True, text=True, check=True,
                              input="".join(f"{line}\n{SENTINEL}\n" for line in new)).stdout
        heard = [part.strip() for part in " ".join(said.split()).split(mark)]
        assert heard[-1] == "" and len(heard) == len(new) + 1, "espeak-ng output out of step"
        HEARD.update(zip(new, heard[:-1], strict=True))
    return [HEARD[line] for line in lines]


def findings(code: str, lines: tuple[str, ...]) -> list[str]:
    """What a screen reader would read wrong in `lines`, one finding a line."""
    settings = shipped_content(code).settings()
    dialled = [settings.emergency_number, *settings.numbers_to_dial]
    found = []
    for line, heard in zip(lines, phonemes(list(lines)), strict=True):
        words = set(heard.split())
        if any(mark in heard for mark in HUNDRED):
            found.append(f"{code}: a number read as a quantity: {line!r} -> {heard}")
        for number in dialled:
            if re.search(rf"(?<!\d){re.escape(number)}(?!\d)", line):
                found.append(f"{code}: {number} printed whole, not {digits_spoken(number)!r}: "
                             f"{line!r}")
        if words & LETTERS or UNIT.search(line):
            found.append(f"{code}: a unit letter read alone: {line!r} -> {heard}")
        if ID.search(COMMAND.sub("", line)) or PATH.search(line):
            found.append(f"{code}: an id or path read out: {line!r}")
    return found


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
@pytest.mark.parametrize("code", LOCALES)
def test_every_printed_line_reads_right_to_a_screen_reader(code):
    lines = printed(code, every_path=False)
    assert len(lines) > 150  # the paths ran: questions, advice, cues, help and the listing
    assert not findings(code, lines)


@pytest.mark.slow
@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
@pytest.mark.parametrize("code", LOCALES)
def test_every_path_to_every_red_flag_reads_right_to_a_screen_reader(code):
    assert not findings(code, printed(code, every_path=True))


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
def test_the_check_finds_what_a_screen_reader_reads_wrong():
    """The check can fail: the lines text mode printed before issue 29 are each a finding."""
    before = ("Call 911 now, or ask someone near you to call.", "Call NHS 111 or your GP surgery.",
              "Call 000 now.", "    Chin tuck: hold 5 s x 3", "neck: Neck routine, 5 min 36 s",
              "upper_back_mat: Upper-back routine on a mat", "Saved in ~/.local/share/backcare/")
    found = findings("en_GB", before) + findings("en_AU", before[2:3])
    assert len(found) >= len(before), found
    assert not findings("en_GB", ("Call 9 9 9 now.", "Call NHS 1 1 1 or your GP surgery.",
                                  "    Chin tuck: hold for 5 seconds, 3 times.",
                                  "To start it, type: backcare stretch upper_back_mat"))


@pytest.mark.parametrize("code", LOCALES)
def test_numbers_to_dial_are_printed_as_the_voice_says_them(code):
    settings = shipped_content(code).settings()
    line = "Call {emergency_number} now."
    assert settings.fill(line) == settings.fill(line, spoken=True) == \
        f"Call {digits_spoken(settings.emergency_number)} now."
    for number in settings.numbers_to_dial:
        assert settings.fill(f"Ring {number}.") == f"Ring {digits_spoken(number)}."


def test_a_service_number_inside_a_longer_number_is_left_alone():
    settings = Settings(emergency_number="999", numbers_to_dial=("111",))
    assert settings.fill("Call 111, not 01111.") == "Call 1 1 1, not 01111."


# ------------------------------------------------------------------ the routines listing
def test_the_listing_writes_units_out_and_names_each_routine():
    content = shipped_content()
    words = load_listing(content.folder)
    routine = content.book.routines["neck"]
    lines = words.lines(routine_summary(routine, 336.0))
    assert lines[0] == f"{routine.name}: 5 minutes 36 seconds, seated."
    assert lines[1] == "To start it, type: backcare stretch neck"
    assert words.duration(60) == "1 minute" and words.duration(5) == "5 seconds"
    assert all(" s " not in line and " x " not in line for line in lines)
    assert "once" in words.lines(routine_summary(content.book.routines["gentle"], 200.0))[2]


def test_a_listing_text_without_its_number_is_an_error_at_its_line(tmp_path):
    text = (FOLDER / "listing.yaml").read_text(encoding="utf-8")
    broken = text.replace('other: "{n} seconds"', 'other: "seconds"')
    assert broken != text
    (tmp_path / "listing.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_listing(tmp_path)
    assert raised.value.where.file == str(tmp_path / "listing.yaml")
    assert raised.value.field == "seconds.other"
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if row.startswith("seconds:"))
    assert raised.value.where.line == line


def test_a_listing_text_naming_an_unknown_value_is_an_error(tmp_path):
    text = (FOLDER / "listing.yaml").read_text(encoding="utf-8")
    (tmp_path / "listing.yaml").write_text(text.replace("{exercise}:", "{exercise_id}:"),
                                           encoding="utf-8")
    with pytest.raises(ContentError, match="exercise_id"):
        load_listing(tmp_path)


# ------------------------------------------------------------- typing during a routine
def _wait_for(out: io.StringIO, text: str) -> None:
    deadline = time.monotonic() + 5
    while text not in out.getvalue():
        assert time.monotonic() < deadline, f"never printed {text!r}: {out.getvalue()!r}"
        time.sleep(0.01)


@pytest.fixture
def terminal():
    """A person at a terminal (a pty): what they type, and what the program prints."""
    pty = pytest.importorskip("pty")
    termios = pytest.importorskip("termios")
    master, slave = pty.openpty()
    keyboard = os.fdopen(slave, "r")
    before = termios.tcgetattr(slave)
    out = io.StringIO()
    yield TextPerson(VirtualClock(), stdin=keyboard, stdout=out, edits_line=True), master, out
    os.write(master, b"\x04")  # Ctrl-D: the reader ends and gives the terminal back
    deadline = time.monotonic() + 5
    while termios.tcgetattr(slave) != before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert termios.tcgetattr(slave) == before  # echo and line editing are the terminal's again
    keyboard.close()
    os.close(master)


def test_a_cue_never_prints_into_the_line_being_typed(terminal):
    person, keys, out = terminal
    assert person.listen(Context.PLAYER, 0.1).kind == "no_input"  # the routine listens
    os.write(keys, b"pau")
    _wait_for(out, PROMPT + "pau")  # typing shows a prompt
    person.cue("Let your arms hang loosely.", "instruction", 2.0)
    os.write(keys, b"sx\x7fe\r")
    heard = person.listen(Context.PLAYER, 5.0)
    assert heard.kind == "speech" and heard.text == "pause"
    lines = out.getvalue().replace("x\b \b", "").splitlines()
    assert lines == ["> pau", "Let your arms hang loosely.", "> pause"]


def test_a_question_prompts_once_and_typed_ahead_answers_are_not_prompted_again(terminal):
    person, keys, out = terminal
    assert person.listen(Context.PLAYER, 0.05).kind == "no_input"  # the keyboard is read
    person.say("How old are you?")
    os.write(keys, b"40\r")
    _wait_for(out, "> 40\n")
    assert person.listen(Context.AGE, 5.0, "age").text == "40"
    person.say("Where is the pain?")
    answer = threading.Timer(0.2, os.write, (keys, b"\x1b[Aneck\r"))  # an arrow key, dropped
    answer.start()
    assert person.listen(Context.LOCATION, 5.0, "location").text == "neck"
    answer.join()
    assert out.getvalue() == "How old are you?\n> 40\nWhere is the pain?\n> neck\n"


def test_printing_elsewhere_leaves_the_echo_to_the_terminal():
    """A keyboard whose lines are not printed (speakers say them) must not take the echo: the
    person would type blind."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    with os.fdopen(slave, "r") as keyboard:
        person = TextPerson(VirtualClock(), stdin=keyboard, stdout=io.StringIO())
        os.write(master, b"yes\n")
        assert person.listen(Context.YES_NO, 5.0, "q").text == "yes"
        assert person._typed is None  # the terminal's own line and echo
        os.write(master, b"\x04")  # Ctrl-D: the reader ends before the keyboard is closed
        assert person.listen(Context.YES_NO, 5.0, "q").kind == "closed"
    os.close(master)


def test_piped_answers_are_still_read_whole_lines_and_echoed():
    person = TextPerson(VirtualClock(), stdin=io.StringIO("yes\n"), stdout=(out := io.StringIO()))
    person.say("Any chest pain?")
    assert person.listen(Context.YES_NO, 5.0, "chest").text == "yes"
    assert person.listen(Context.YES_NO, 5.0, "next").kind == "closed"
    assert out.getvalue() == "Any chest pain?\n> yes\n> \n"


@pytest.mark.smoke  # a signal to the process, at a real terminal
def test_a_terminated_text_routine_gives_the_terminal_its_echo_back(tmp_path):
    """Text mode takes the terminal's echo over while it runs; a SIGTERM (a window closed, a
    service stopped) must not leave the terminal typing blind."""
    import select
    import signal
    import subprocess
    import sys

    pty = pytest.importorskip("pty")
    termios = pytest.importorskip("termios")
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    env = {**os.environ, "BACKCARE_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "voice", "stretch", "neck", "--text"],
                               stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env)
    try:
        printed, deadline = b"", time.monotonic() + 30
        while b">" not in printed and process.poll() is None:  # its first question is asked
            left = deadline - time.monotonic()
            assert left > 0, f"no question asked in 30 s: {printed!r}"
            if select.select([master], [], [], min(left, 0.5))[0]:  # never a read that waits
                printed += os.read(master, 4096)
        assert process.poll() is None, process.stderr.read()  # it did not end before asking
        assert termios.tcgetattr(slave) != before  # the program keeps the echo now
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
        assert termios.tcgetattr(slave) == before
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    os.close(master)
    os.close(slave)
