"""The pain journal: what a session leaves behind, migrations, privacy, and the history told back."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from support import ROOT
from support.cli import backcare
from support.content import shipped_content

from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.counts_and_dates import CountWords, DateWords, JournalWords, load_journal_words
from voice.journal.history import (
    as_json,
    pain_rose,
    spoken_summary,
    summarise,
    tier_labels,
    unseen_advice,
    write_csv,
)
from voice.journal.store import MIGRATIONS, VERSION, Journal, JournalError, SessionEntry

TEXTS = {"history_empty": "none", "history_counts": "{week} {month} {total}",
         "history_pain": "from {first} to {last} over {count}", "history_routine": "{routine} {times}",
         "history_referral": "{date}: {advice}"}
SHIPPED = load_journal_words(dialogs_dir())
WORDS = JournalWords(CountWords(("once", "twice"), "{count} times"), SHIPPED.dates)


def test_a_session_is_kept_with_its_outcome_pain_routine_and_exercises(tmp_path):
    with Journal(tmp_path) as journal:
        session = journal.begin("voice")
        journal.outcome(session, "soon", ["new_upper_back"])
        journal.pain(session, "before", 6)
        journal.routine(session, "desk_break")
        journal.exercise(session, "shoulder_rolls", "completed")
        journal.exercise(session, "chin_tucks", "skipped")
        journal.exercise(session, "upper_trap", "stopped", "hurts")
        journal.pain(session, "after", 4)
        journal.end(session, "hurts")
    with Journal(tmp_path) as journal:
        [entry] = journal.sessions()
    assert entry.complete and entry.end_reason == "hurts" and entry.mode == "voice"
    assert (entry.outcome, entry.flags) == ("soon", ("new_upper_back",))
    assert (entry.pain_before, entry.pain_after, entry.routine) == (6, 4, "desk_break")
    assert [(e.exercise, e.result, e.reason) for e in entry.exercises] == [
        ("shoulder_rolls", "completed", None), ("chin_tucks", "skipped", None),
        ("upper_trap", "stopped", "hurts")]


def test_a_session_never_ended_reads_as_incomplete_with_what_it_had(tmp_path):
    journal = Journal(tmp_path)
    session = journal.begin()
    journal.pain(session, "before", 5)
    # No end(): the process died here. A second process reads what was committed.
    [entry] = Journal(tmp_path).sessions()
    assert not entry.complete and entry.ended_at is None and entry.pain_before == 5


def test_the_journal_is_the_users_alone(tmp_path):
    folder = tmp_path / "data"
    with Journal(folder) as journal:
        journal.end(journal.begin(), "completed")
        files = list(folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def _at_version(folder, version: int) -> None:
    """A journal as an older backcare left it: the first `version` steps, with a session."""
    folder.mkdir()
    db = sqlite3.connect(folder / "journal.sqlite3", isolation_level=None)
    for step in MIGRATIONS[:version]:
        db.executescript(step)
    db.execute(f"PRAGMA user_version={version}")
    db.execute("INSERT INTO sessions (started_at, outcome, pain_before) VALUES (?, 'self_care', 7)",
               (datetime(2026, 1, 2, tzinfo=timezone.utc).isoformat(),))
    db.close()


@pytest.mark.parametrize("version", range(1, VERSION))
def test_a_journal_from_every_earlier_version_is_migrated_with_its_sessions(tmp_path, version):
    _at_version(tmp_path / "data", version)
    with Journal(tmp_path / "data") as journal:
        [old] = journal.sessions()
        journal.exercise(old.id, "chin_tucks", "completed")
        assert (old.outcome, old.pain_before, old.mode) == ("self_care", 7, "text")
        assert journal.sessions()[0].exercises[0].exercise == "chin_tucks"
    db = sqlite3.connect(tmp_path / "data" / "journal.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_journal_from_a_newer_backcare_is_refused_not_damaged(tmp_path):
    _at_version(tmp_path / "data", VERSION)
    sqlite3.connect(tmp_path / "data" / "journal.sqlite3").execute(
        f"PRAGMA user_version={VERSION + 1}")
    with pytest.raises(JournalError, match="newer backcare"):
        Journal(tmp_path / "data")


def test_a_data_folder_that_cannot_be_made_is_a_journal_error(tmp_path):
    in_the_way = tmp_path / "data"
    in_the_way.write_text("a file where the folder should be")
    with pytest.raises(JournalError, match="cannot be used"):
        Journal(in_the_way)


def test_deleting_the_history_forgets_every_session(tmp_path):
    with Journal(tmp_path) as journal:
        for _ in range(3):
            journal.exercise(journal.begin(), "chin_tucks", "completed")
        assert journal.delete_all() == 3
        assert journal.sessions() == []


def entry(days_ago: float, outcome="self_care", before=None, after=None, routine=None,
          now=datetime(2026, 11, 30, 12, tzinfo=timezone.utc)) -> SessionEntry:
    return SessionEntry(0, now - timedelta(days=days_ago), None, True, "completed", outcome, (),
                        before, after, routine, "text")


NOW = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)


def test_the_summary_counts_the_week_and_month_and_follows_the_pain():
    sessions = [entry(40, before=7), entry(20, before=6, after=5, routine="neck"),
                entry(6, "urgent"), entry(3, before=5, after=4, routine="neck"),
                entry(1, before=4, routine="desk_break")]
    summary = summarise(sessions, NOW)
    assert (summary.sessions, summary.last_7_days, summary.last_30_days) == (5, 3, 4)
    assert (summary.pain_first, summary.pain_last, summary.pain_sessions) == (7, 4, 4)
    assert (summary.top_routine, summary.top_routine_times) == ("neck", 2)
    assert [tier for _, tier in summary.referrals] == ["urgent"]
    lines = spoken_summary(summary, TEXTS, {"urgent": "see a doctor today"}, {"neck": "Neck"}, WORDS)
    assert lines[:3] == ["3 4 5", "from 7 to 4 over 4", "Neck twice"]  # {times}: the content's words
    assert lines[3].endswith(": see a doctor today")
    assert as_json(sessions, summary)["summary"]["referrals"][0]["tier"] == "urgent"


def test_no_sessions_says_so():
    assert spoken_summary(summarise([], NOW), TEXTS, {}, {}, WORDS) == ["none"]


def test_a_count_without_a_word_of_its_own_is_said_with_its_number():
    assert [WORDS.times.say(count) for count in (1, 2, 3, 12)] == ["once", "twice", "3 times",
                                                                   "12 times"]
    assert SHIPPED.times.say(2) == "2 times"  # the shipped content gives no word of its own


def test_a_day_is_said_in_the_order_and_names_the_content_gives_not_the_machines():
    german = DateWords("{weekday}, {day}. {month}",
                       ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
                        "Sonntag"),
                       ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                        "September", "Oktober", "November", "Dezember"))
    noon = datetime(2026, 3, 3, 12, tzinfo=timezone.utc)  # a Tuesday, the same day anywhere
    assert german.say(noon) == "Dienstag, 3. März"
    assert SHIPPED.dates.say(noon) == "Tuesday 3 March"


def test_a_stray_brace_in_a_journal_text_is_said_as_written_not_raised():
    texts = {**TEXTS, "history_counts": "{week} {in the last month: {month}",
             "history_referral": "On {date} {advice} {oops}"}
    lines = spoken_summary(summarise([entry(1, "urgent")], NOW), texts, {"urgent": "go"}, {}, WORDS)
    assert lines[0] == "1 {in the last month: 1"
    assert lines[1].endswith(" go {oops}")


@pytest.mark.parametrize("find, replace, field", [
    ("           November, December]", "           November]", "dates.months"),
    ("Saturday, Sunday]", "Saturday]", "dates.weekdays"),
    ('said: "{weekday} {day} {month}"', 'said: "{weekday} {day} {month} {year}"', "dates.said"),
    ('said: "{weekday} {day} {month}"', 'said: "{weekday} {month}"', "dates.said"),
    ('other: "{count} times"', 'other: "times"', "times.other"),
    ("words: []", "words: [once, '{count}']", "times.words"),
    ("  words: []", "  words: []\n  word: [once]", "times.word"),
])
def test_a_mistake_in_the_journal_words_names_file_line_and_field(tmp_path, find, replace, field):
    text = (dialogs_dir() / "numbers.yaml").read_text(encoding="utf-8")
    assert find in text
    (tmp_path / "numbers.yaml").write_text(text.replace(find, replace), encoding="utf-8")
    with pytest.raises(ContentError, match=rf"numbers\.yaml:\d+: {re.escape(field)}: "):
        load_journal_words(tmp_path)


def test_the_export_has_one_row_per_session_for_a_clinician(tmp_path):
    import csv
    import io

    out = io.StringIO()
    write_csv([entry(2, before=6, after=4, routine="neck"), entry(1, "soon")], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["outcome"], r["pain_before"], r["routine"]) for r in rows] == [
        ("self_care", "6", "neck"), ("soon", "", "")]


def test_advice_that_blocked_exercise_stands_until_the_person_says_they_were_seen():
    blocking = {"emergency", "urgent", "check_first"}
    assert unseen_advice([entry(2), entry(1, "urgent")], blocking).tier == "urgent"
    # A clear check later does not lift it: only "I have been seen" does.
    assert unseen_advice([entry(2, "emergency"), entry(1)], blocking).tier == "emergency"
    seen = SessionEntry(9, NOW - timedelta(hours=2), None, True, "completed", None, (), None, None,
                        None, "text", (), NOW - timedelta(hours=2))
    assert unseen_advice([entry(2, "check_first"), seen], blocking) is None
    assert unseen_advice([entry(3, "urgent"), seen, entry(1, "urgent")], blocking).tier == "urgent"
    assert unseen_advice([entry(1, "soon")], blocking) is None


def test_pain_that_rose_after_the_last_routine_is_noticed():
    rose = [entry(3, before=3, after=4, routine="neck"), entry(1, before=3, after=5, routine="neck")]
    assert pain_rose(rose, 2)
    eased = [entry(3, before=3, after=6, routine="neck"), entry(1, before=5, after=4, routine="neck")]
    assert not pain_rose(eased, 2)


def test_every_outcome_any_dialog_gives_has_a_spoken_label_and_history_never_says_an_id():
    content = shipped_content()
    labels = tier_labels(content)
    for spec in (content.triage, content.prescreen):
        assert {tier.id for tier in spec.tiers} <= set(labels)
    summary = summarise([entry(2, "check_first"), entry(1, "unknown_tier")], NOW)
    lines = spoken_summary(summary, TEXTS, labels, {}, WORDS)
    assert lines[-1].endswith(": check your symptoms before stretching")
    assert not any("check_first" in line or "unknown_tier" in line for line in lines)


# ------------------------------------------------------------ through backcare
CLEAR = "40\nneck\n" + "no\n" * 8


@pytest.mark.slow
def test_a_typed_session_is_kept_and_told_back(tmp_path):
    data, log = str(tmp_path / "data"), tmp_path / "session.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "voice", "triage", "--text", "--rate", "350",
                                "--data-dir", data, "--transcript", str(log)], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=os.environ)
    assert process.stdin is not None
    process.stdin.write(CLEAR + "4\nyes\nno\nskip\nskip\n")  # no arthritis; skip twice
    process.stdin.flush()
    give_up = time.monotonic() + 60
    while log.read_text().count('"event": "exercise"') < 2 if log.exists() else True:
        assert time.monotonic() < give_up and process.poll() is None
        time.sleep(0.05)
    process.stdin.write("stop\n")
    process.stdin.close()
    assert process.wait(60) == 0
    [session] = json.loads(backcare("history", "--json", "--data-dir", data).stdout)["sessions"]
    assert (session["outcome"], session["pain_before"], session["complete"]) == ("self_care", 4, True)
    assert session["routine"] and session["end_reason"] == "stop"
    results = [e["result"] for e in session["exercises"]]
    assert results[:2] == ["skipped", "skipped"] and results[2:] in ([], ["stopped"])
    told = backcare("history", "--text", "--data-dir", data)
    assert told.returncode == 0 and "In all: 1." in told.stdout
    export = tmp_path / "for-my-physio.csv"
    assert backcare("history", "--export", str(export), "--data-dir", data).returncode == 0
    assert export.read_text().count("\n") == 2


def test_an_urgent_outcome_blocks_the_next_routine_until_the_person_says_they_were_seen(tmp_path):
    data = str(tmp_path / "data")
    urgent = "40\nneck\nno\nno\nno\nno\nyes\n1\nyes\n"  # the nerves list: yes, its first item
    first = backcare("triage", "--text", "--data-dir", data, stdin=urgent + "stop\n" * 20)
    outcome = json.loads(backcare("history", "--json", "--data-dir", data).stdout)["sessions"][0]
    assert outcome["outcome"] == "urgent", first.stdout[-500:]
    blocked = backcare("stretch", "desk_break", "--text", "--rate", "350", "--data-dir", data,
                       stdin="no\nno\nno\n3\nstop\n")
    assert "my advice was: see a doctor today" in blocked.stdout
    assert "Then please don't do these stretches until you have been seen." in blocked.stdout
    assert "Before we start" not in blocked.stdout and "Desk break." not in blocked.stdout
    seen = backcare("stretch", "desk_break", "--text", "--rate", "350", "--data-dir", data,
                    stdin="yes\nno\nno\n3\nstop\n")
    assert "Before we start" in seen.stdout and "Desk break." in seen.stdout
    again = backcare("stretch", "desk_break", "--text", "--rate", "350", "--data-dir", data,
                     stdin="no\nno\n3\nstop\n")
    assert "my advice was" not in again.stdout and "Desk break." in again.stdout


def test_delete_asks_first_and_a_no_keeps_everything(tmp_path):
    data = str(tmp_path / "data")
    backcare("triage", "--text", "--data-dir", data, stdin="stop\n")
    kept = backcare("history", "--text", "--delete", "--data-dir", data, stdin="no\n")
    assert "Nothing was deleted." in kept.stdout
    assert len(json.loads(backcare("history", "--json", "--data-dir", data).stdout)["sessions"]) == 1
    gone = backcare("history", "--text", "--delete", "--data-dir", data, stdin="yes\n")
    assert "Your journal is deleted." in gone.stdout
    assert json.loads(backcare("history", "--json", "--data-dir", data).stdout)["sessions"] == []
