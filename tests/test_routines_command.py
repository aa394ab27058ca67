"""The routines from the command line: `backcare routines` lists them with computed durations,
`backcare stretch --simulate` previews one on a virtual clock, `--text` plays one typed."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from support import ROOT
from support.cli import backcare
from support.content import shipped_content

from voice.content.placeholders import fill
from voice.events.routine import CueKind

BOOK = shipped_content().book


def test_simulate_prints_every_cue_with_its_time_in_well_under_a_second(tmp_path):
    log = tmp_path / "cues.jsonl"
    began = time.monotonic()
    done = backcare("stretch", "neck", "--simulate", "--transcript", str(log))
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - began < 5  # process start included; the routine itself takes ms
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"[00:00.0] {BOOK.routines['neck'].name}.")
    assert all(line[0] == "[" and line[3] == ":" and line[8] == "]" for line in lines)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    cues = [e for e in events if e["event"] == "cue"]
    assert len(cues) == len(lines)
    for cue in cues:
        assert {"t", "kind", "text", "duration", "exercise", "side", "rep"} <= set(cue)
        assert CueKind(cue["kind"]).scripted


@pytest.mark.slow  # a routine on the real clock: about ten seconds
def test_text_mode_takes_typed_commands_while_the_routine_runs():
    """Typed as it runs: "stop" goes in only once the routine has said it is paused."""
    process = subprocess.Popen([sys.executable, "-m", "voice", "stretch", "desk_break", "--text",
                                "--rate", "350"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        process.stdin.write("no\nno\n2\npause\n")
        process.stdin.flush()
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            seen.append(line.rstrip("\n"))
            if line.startswith(BOOK.cues["paused"]):
                break
        process.stdin.write("stop\n")
        process.stdin.flush()
        rest = process.communicate(timeout=30)[0]
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert BOOK.cues["paused"] in seen
    # typed answers: the intro says "type stop", from the book's own line
    assert fill(BOOK.cues["intro_typed"], routine=BOOK.routines["desk_break"].name, minutes=3) in seen
    assert "Before we start, a few quick questions." in seen  # the screen comes first
    assert rest.rstrip().splitlines()[-2:] == [
        BOOK.cues["stopped"],
        "If anything gets worse, or you get chest pain, weakness or trouble breathing, call 9 1 1 "
        "or get medical help straight away."]


def test_routines_command_lists_computed_durations():
    done = backcare("routines", "--json")
    listing = {r["id"]: r for r in json.loads(done.stdout)}
    assert set(listing) >= {"neck", "upper_back", "desk_break", "full"}
    assert 570 <= listing["full"]["duration_s"] <= 630
    assert listing["desk_break"]["positions"] == ["seated"]


def test_the_listing_says_which_exercises_are_done_on_each_side():
    done = backcare("routines", "--json")
    exercises = {e["id"]: e for r in json.loads(done.stdout) for e in r["exercises"]}
    assert exercises["neck_rotation"]["sides"] == "left_right" and exercises["chin_tuck"]["sides"] == "none"
    assert set(exercises["chin_tuck"]) == {"id", "name", "hold_s", "reps", "sides", "position"}
