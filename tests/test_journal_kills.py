"""A real `backcare` killed (SIGKILL) at random moments, a hundred times: the journal stays valid.

Each run is a text triage answered all clear that goes on into a routine and skips
through it, so kills land during start-up, the questions, the outcome and the
exercises.  Ten folders are filled side by side to keep the wall time down; in each
one the runs follow each other, so every earlier session can be checked untouched.
After each kill: `PRAGMA integrity_check` is ok; the earlier sessions are exactly as
they were; the killed session is marked incomplete; and the journal holds what the
run's transcript says happened, give or take the one event being written at the kill.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

RUNS = 100
FOLDERS = 10
ANSWERS = ["40", "neck", *["no"] * 8, "3", "yes", *["skip"] * 6]
TYPING_S = 0.02  # between answers, as a fast typist


def _wait_for_kill_moment(rng: random.Random, transcript: Path) -> None:
    """Until the run has reported a random number of events (0: right after it starts), then
    a random few milliseconds more: kills fall all along a session, however fast it runs."""
    # About 55 events take a run through the questions in a fraction of a second; the
    # routine's introduction then takes seconds, and its exercises follow.
    events = rng.choice([0, 0, 0, *range(1, 56)]) if rng.random() < 0.7 else rng.randrange(56, 72)
    give_up = time.monotonic() + 20.0
    while events and time.monotonic() < give_up:
        try:
            if transcript.read_text(encoding="utf-8").count("\n") >= events:
                break
        except FileNotFoundError:
            pass
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, 0.03))


def _type(process: subprocess.Popen) -> None:
    """Answer as a fast typist would; the pipe stays open (its end would end the session)."""
    assert process.stdin is not None
    try:
        for line in ANSWERS:
            process.stdin.write(line + "\n")
            process.stdin.flush()
            time.sleep(TYPING_S)
    except (BrokenPipeError, ValueError, OSError):
        pass  # killed while typing


def _rows(db_path: Path) -> list[tuple]:
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sessions = db.execute("SELECT id, complete, outcome, pain_before, routine FROM sessions "
                              "ORDER BY id").fetchall()
        exercises = db.execute("SELECT session_id, exercise, result FROM exercises "
                               "ORDER BY session_id, position").fetchall()
    finally:
        db.close()
    return [(*s, tuple((e[1], e[2]) for e in exercises if e[0] == s[0])) for s in sessions]


def _facts(transcript: Path) -> list[tuple]:
    """What the journal should hold, in the order the transcript reported it."""
    facts: list[tuple] = []
    lines = transcript.read_text(encoding="utf-8").splitlines() if transcript.exists() else []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut short by the kill
        if event["event"] == "outcome":
            facts.append(("outcome", event["tier"]))
        elif event["event"] == "stored" and event["name"] == "pain_before":
            facts.append(("pain", event["value"]))
        elif event["event"] == "routine":
            facts.append(("routine", event["id"]))
        elif event["event"] == "exercise":
            facts.append(("exercise", event["id"], event["result"]))
    return facts


def _journal_facts(row: tuple) -> list[tuple]:
    _, _, outcome, pain, routine, exercises = row
    facts = [("outcome", outcome)] if outcome else []
    facts += [("pain", pain)] if pain is not None else []
    facts += [("routine", routine)] if routine else []
    return facts + [("exercise", e, r) for e, r in exercises]


def _runs_in(folder: Path, seed: int, runs: int) -> list[str]:
    rng = random.Random(seed)
    found: list[str] = []
    db_path = folder / "data" / "journal.sqlite3"
    finished: list[tuple] = []  # the sessions of the runs already killed
    for run in range(runs):
        transcript = folder / f"run{run}.jsonl"
        process = subprocess.Popen(
            [sys.executable, "-m", "voice", "triage", "--text", "--rate", "350", "--data-dir",
             str(folder / "data"), "--transcript", str(transcript)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        typist = threading.Thread(target=_type, args=(process,), daemon=True)
        typist.start()
        _wait_for_kill_moment(rng, transcript)
        process.send_signal(signal.SIGKILL)
        process.wait()
        typist.join()
        assert process.stdin is not None
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass
        after = _rows(db_path) if db_path.exists() else []
        assert after[:len(finished)] == finished, f"run {run}: an earlier session changed"
        if len(after) == len(finished):  # killed before the journal was opened
            found.append("before the journal")
            continue
        assert len(after) == len(finished) + 1
        finished = after
        killed = after[-1]
        assert killed[1] == 0, f"run {run}: a killed session is marked complete"
        expected, kept = _facts(transcript), _journal_facts(killed)
        assert kept == expected[:len(kept)], f"run {run}: the journal holds what did not happen"
        assert len(expected) - len(kept) <= 1, f"run {run}: the journal lost {expected[len(kept):]}"
        found.append(expected[-1][0] if expected else "started")
    return found


def test_a_session_killed_at_any_moment_leaves_a_valid_journal(tmp_path):
    folders = [tmp_path / f"folder{n}" for n in range(FOLDERS)]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(FOLDERS) as pool:
        results = list(pool.map(lambda n: _runs_in(folders[n], 7 + n, RUNS // FOLDERS),
                                range(FOLDERS)))
    where = [moment for result in results for moment in result]
    counts = {moment: where.count(moment) for moment in set(where)}
    print(f"\n{len(where)} kills; last fact kept when killed: {counts}")
    assert len(where) == RUNS
    # The kills landed all along a session, not in one place.
    assert counts.get("exercise", 0) >= 5, counts
    assert counts.get("before the journal", 0) + counts.get("started", 0) >= 5, counts
    assert counts.get("pain", 0) + counts.get("outcome", 0) + counts.get("started", 0) >= 5, counts
