"""The `backcare` command in text mode: typed answers in, printed lines and exit statuses out
(its `main`, run in this process; one test starts the real program)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time

import pytest
from support import ROOT
from support.cli import backcare, backcare_process


@pytest.mark.smoke  # `python -m voice` as a process, its output a real pipe
def test_triage_text_mode_prints_each_utterance_on_its_own_line():
    done = backcare_process("triage", "--text", stdin="40\nneck\nyes\n1\nyes\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "Right now, do you have pain, pressure or tightness in your chest?" in lines
    assert "> yes" in lines
    assert "Call 9 1 1 now, or ask someone near you to call." in lines  # as a voice says it
    assert "\x1b[" not in done.stdout  # no colour codes when piped
    assert "Traceback" not in done.stderr


def test_end_of_input_ends_cleanly_with_exit_zero():
    done = backcare("triage", "--text", stdin="")
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("If anything gets worse")


def test_emergency_number_setting_is_spoken():
    done = backcare("triage", "--text", "--emergency-number", "999",
                    stdin="40\nneck\nyes\n1\nyes\n")
    assert "Call 9 9 9 now" in done.stdout and "9 1 1" not in done.stdout
    assert "999" not in done.stdout  # never printed as a quantity (issue 29)


def test_transcript_events_are_flushed_as_they_happen(tmp_path):
    log = tmp_path / "session.jsonl"
    keys, typing = os.pipe()
    keyboard, typed = open(keys, encoding="utf-8"), open(typing, "w", encoding="utf-8")
    session = threading.Thread(target=backcare, args=("triage", "--text", "--transcript", str(log)),
                               kwargs={"stdin": keyboard})
    session.start()
    try:
        typed.write("40\n")
        typed.flush()
        deadline = time.monotonic() + 20
        events: list[dict] = []
        while time.monotonic() < deadline:
            if log.exists():
                events = [json.loads(line) for line in log.read_text().splitlines() if line]
                if any(e["event"] == "ask" and e["id"] == "location" for e in events):
                    break
            time.sleep(0.05)
        assert session.is_alive(), "still waiting for the next answer"
        heard = [e for e in events if e["event"] == "heard"]
        assert heard and heard[0]["text"] == "40"
        assert events[0]["event"] == "say" and isinstance(events[0]["t"], float | int)
    finally:
        typed.close()  # end of input
        session.join(20)
        keyboard.close()
    assert not session.is_alive()
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert events[-1]["event"] == "end" and events[-1]["reason"] == "closed"


def test_outcome_event_carries_tier_and_flags(tmp_path):
    log = tmp_path / "s.jsonl"
    backcare("triage", "--text", "--transcript", str(log),
             stdin="40\nneck\nyes\n4\nyes\n")
    outcome = [json.loads(x) for x in log.read_text().splitlines()
               if json.loads(x)["event"] == "outcome"]
    assert outcome[0]["tier"] == "emergency" and outcome[0]["flags"] == ["breathless"]


@pytest.mark.slow  # three real waits of the 1 s least time limit; the reprompts on a virtual clock are
# test_dialog_engine.py's test_silence_on_an_ordinary_question_ends_gracefully
def test_silence_reprompts_then_ends_without_an_answer():
    keys, typing = os.pipe()
    with open(keys, encoding="utf-8") as keyboard, open(typing, "w", encoding="utf-8"):
        # the keyboard stays open and silent: only the time limit moves things on
        done = backcare("triage", "--text", "--timeout", "0.2", stdin=keyboard)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "I didn't hear an answer." in out and "I still didn't hear anything." in out
    assert "I'll stop here, because I haven't heard an answer." in out
    assert "call 9 1 1" in out.splitlines()[-1] and "You didn't mention" not in out


def test_match_prints_json():
    done = backcare("match", "Um, seven out of ten.", "--context", "pain_scale", "--json")
    assert json.loads(done.stdout) == {"text": "Um, seven out of ten.", "intent": "number",
                                       "slots": {"number": 7}, "confidence": 0.95}


def test_match_reads_an_answer_against_a_question_as_the_check_does():
    """`backcare match TEXT --question ID --json`: the reading, its clauses and when, from the
    same function the symptom check uses."""
    done = backcare("match", "no, it was nearly two weeks ago", "--question", "accident",
                    "--json")
    result = json.loads(done.stdout)
    assert result["question"] == "accident" and result["reading"] == "yes"
    assert result["confirm"] is True and result["when"] == "nearly two weeks ago"
    assert [c["says"] for c in result["clauses"]] == ["absent", "present"]
    assert result["clauses"][1]["when"]["window"] == "inside"
    done = backcare("match", "there's no pain in my chest", "--question", "chest_pain")
    assert done.stdout.splitlines()[0] == "no"


def test_match_reads_a_weekday_against_the_day_given():
    said = ("match", "Sunday", "--question", "recent_fall_at_65", "--json", "--today")
    assert json.loads(backcare(*said, "2026-12-07").stdout)["reading"] == "yes"  # a Monday
    assert json.loads(backcare(*said, "2026-12-10").stdout)["reading"] == "no"  # a Thursday


def test_match_names_the_questions_it_knows_when_one_is_wrong():
    done = backcare("match", "no", "--question", "chest_hurts")
    assert done.returncode != 0 and "chest_pain" in done.stderr


def test_match_prints_null_intent_for_garbage():
    done = backcare("match", "the television is loud", "--json")
    assert json.loads(done.stdout)["intent"] is None


def test_bad_content_is_reported_with_file_and_line(tmp_path):
    folder = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", folder)
    triage = folder / "triage.yaml"
    triage.write_text(triage.read_text().replace("tier: urgent", "tier: later", 1))
    done = backcare("triage", "--text", env={"BACKCARE_DIALOGS": str(folder)})
    assert done.returncode == 2
    assert f"{triage}:" in done.stderr and "tier" in done.stderr and "Traceback" not in done.stderr


def test_a_clear_triage_hands_over_to_the_routine_for_where_the_pain_is():
    answers = ["40", "upper back"] + ["no"] * 8 + ["2", "yes", "stop"]
    done = backcare("triage", "--text", stdin="\n".join(answers) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Upper-back routine. About 6 minutes." in done.stdout
    assert "Before we start" not in done.stdout  # the pain score was asked once, by the check
    assert "Stopping the routine." in done.stdout
    assert done.stdout.rstrip().splitlines()[-1] == "Take care."


@pytest.mark.parametrize("args", [
    ["stretch", "desk_break", "--simulate", "--emergency-number", "abc"],
    ["stretch", "desk_break", "--text", "--emergency-number", "abc"],
    ["triage", "--emergency-number", "abc"],
    ["triage", "--text", "--rate", "fast"],
    ["triage", "--timeout", "-3"],
    ["stretch", "desk_break", "--voice", "nobody"],
    ["--locale", "en_XX", "routines"],
])
def test_a_wrong_value_for_any_option_is_one_line_in_every_mode(args, capsys):
    """The review's traceback: a bad emergency number in simulate, text and voice mode (run in
    this process: `main` is what the installed command calls)."""
    from voice.cli import main

    try:
        status = main(args)
    except SystemExit as exit_:  # argparse ends with the status it was given
        status = exit_.code
    err = capsys.readouterr().err
    assert status == 2, (args, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, (args, err)


def test_every_option_of_every_command_says_what_it_is_for():
    from voice.cli.parser import FOR_DEVELOPERS, FOR_PEOPLE, build_parser
    from voice.content.paths import dialogs_dir

    parser = build_parser(dialogs_dir(), ["neck"])
    [commands] = [a for a in parser._actions if isinstance(a.choices, dict)]
    assert set(commands.choices) == set(FOR_PEOPLE) | set(FOR_DEVELOPERS)
    for name, command in commands.choices.items():
        for action in command._actions:
            if action.dest != "help" and not isinstance(action.choices, dict):
                assert action.help, f"backcare {name} {action.option_strings or action.dest}"


def test_help_says_plain_backcare_is_the_voice_session_and_keeps_developer_tools_apart():
    text = backcare("--help").stdout
    assert "Plain 'backcare' starts the voice session" in text
    people, developers = text.split("For developers:")
    assert "triage" in people and "history" in people and "recognize" not in people
    assert "recognize" in developers and "eval" in developers and "match" in developers
    stretch = backcare("stretch", "--help").stdout
    assert "desk_break" in stretch and "neck" in stretch  # the routine names
