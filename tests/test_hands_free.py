"""Spoken sessions driven entirely by voice, through real sounddevice streams on PulseAudio.

The assistant speaks into one null sink and listens to the monitor of another,
into which the test "speaks" flite recordings whenever the assistant starts
listening.  Nothing is typed.

The sessions are real time (the assistant's speech and the person's answers take what they
take, at 350 words a minute), so each runs once and its tests read its transcript.  Those
with no room run at the same time (see `TOGETHER`); those in a room that echoes, one after
another (see `ALONE`).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.load import STARVED, busy_cores, on_core, spare_core
from harness.room import Room
from harness.speech import synthesise
from harness.spoken_session import daemon_or_skip, short_neck_routine, speak_session
from voice.audio.sources import with_silence, write_wav

pytestmark = pytest.mark.slow  # real-time sessions through PulseAudio: two minutes, together


# `backcare stretch neck`: the short screen before a routine, answered by voice (a question
# left out here costs three reprompts and most of a minute; "pain_before" is asked only when
# the screen's pain score was not heard).
SCREENED = {"today_screen": "no", "nerves_screen": "no", "pain_score": "four", "neck_caution": "no",
            "pain_before": "four", "pain_after": "four"}


# One whole session by voice, in a room that echoes the assistant's voice into its
# microphone: the menu, a clear symptom check with every list answered "no", the offer of
# stretches taken, and a (shortened) neck routine whose sound server dies during the first
# hold (both devices vanish at once, and the room with them) and is started again two
# seconds later.
# "In my neck", not "my neck": flite's rms voice says "my neck" as Whisper hears "mind neck",
# or now and then "mind eck", which is no answer (the starved test's flake).
WHOLE_SESSION = {"menu": "check my symptoms", "age": "forty two", "location": "in my neck",
                 "pain_score": "two", "offer_stretches": "yes", "pain_after": "two"}

# Everything else a person may say instead of an answer, on the way into the check: the
# journal asked for in the menu, "slower", "wait" (then the answer said in the wait),
# "turn it down" and "go back" (where the pain is asked again, then the list), until "stop"
# ends the check.
ASIDES = {"menu": ["my history", "check my symptoms"], "age": ["slower", "wait", "forty"],
          "location": ["turn it down", "in my neck"], "heart_screen": ["go back", "stop"]}


@dataclass
class Session:
    """A session run to its end: the process, its transcript's events, what it wrote to stderr."""

    process: subprocess.Popen
    events: list[dict]
    err: str
    folder: Path
    unplugged: list[float] | None = None  # when the sound server was killed

    def ended_well(self) -> None:
        assert self.process.returncode == 0, self.err[-3000:]
        assert "Traceback" not in self.err, self.err[-3000:]

    def said(self) -> list[str]:
        return [e["text"] for e in self.events if e["event"] in ("say", "ask")]

    def understood(self) -> list[tuple[str, str]]:
        return [(e["context"], e["intent"]) for e in self.events if e["event"] == "intent"]


def _whole_session(folder: Path, cancel: threading.Event) -> Session:
    """The menu, a clear check and a routine through lost audio, in a room that echoes."""
    unplugged: list[float] = []
    with daemon_or_skip() as daemon:  # its own: it is killed

        def unplug_during_first_hold(events: list[dict]) -> None:
            if not unplugged and any(e["event"] == "cue" and e["kind"] == "start" for e in events):
                unplugged.append(time.monotonic())
                daemon.kill()
                time.sleep(2.0)
                daemon.start()

        with Room(daemon.env):
            process, events, err = speak_session(
                daemon.env, folder, WHOLE_SESSION, otherwise="no", limit_s=420, voice="rms",
                extra_env={"BACKCARE_DIALOGS": str(short_neck_routine(folder))},
                watch=unplug_during_first_hold, cancel=cancel)
    return Session(process, events, err, folder, unplugged)


def _asides_on_the_way_into_the_check(folder: Path, cancel: threading.Event) -> Session:
    """The menu's history, then slower, wait, quieter and go back; stop at the list asked again."""
    with daemon_or_skip() as daemon:
        process, events, err = speak_session(daemon.env, folder, ASIDES, voice="rms", cancel=cancel)
    return Session(process, events, err, folder)


def _dizzy_in_an_echoing_room(folder: Path, cancel: threading.Event) -> Session:
    """`backcare stretch neck`, "I feel dizzy" said over its cues, in a room that echoes."""
    with daemon_or_skip() as daemon:
        env = daemon.env
        with Room(env):
            process, events, err = speak_session(
                env, folder, SCREENED, interrupt="I feel dizzy", command=("stretch", "neck"),
                extra_env={"BACKCARE_DIALOGS": str(short_neck_routine(folder))}, cancel=cancel)
    return Session(process, events, err, folder)


def _stop_over_a_list(folder: Path, cancel: threading.Event) -> Session:
    """"Stop" said over the first list of warning signs, from a read-only home."""
    with daemon_or_skip() as daemon:
        env = daemon.env
        read_only = folder / "read-only-home"
        read_only.write_text("")
        stop = folder / "stop_over.wav"
        write_wav(stop, with_silence(synthesise("stop", "slt"), 0.2, 0.6))
        spoken = []

        def stop_over_second_question(events: list[dict]) -> None:
            if not spoken and any(e["event"] == "ask" and e["id"] == "heart_screen" for e in events):
                spoken.append(True)
                subprocess.run(["paplay", "-d", "usermic", str(stop)], env=env, timeout=30)

        process, events, err = speak_session(env, folder,
                                             {"menu": "check my symptoms", "age": "forty",
                                              "location": "in my neck"},
                                             voice="rms", watch=stop_over_second_question,
                                             extra_env={"BACKCARE_CACHE_DIR": str(read_only / "cache"),
                                                        "BACKCARE_DATA_DIR": str(read_only / "data")},
                                             cancel=cancel)
    return Session(process, events, err, folder)


# The shortest way to the emergency advice: the sign is named in the answer to its list
# ("yes, chest pain"), so "which of those was it?" (ten seconds said, twenty starved) is not
# asked.
STARVED_ANSWERS = {"menu": "check my symptoms", "age": "forty", "location": "in my neck",
                   "heart_screen": "yes, chest pain", "chest_pain": "yes",
                   "heart_screen.which": "one"}  # only if the sign named were not taken


def _starved_of_cpu(folder: Path, cancel: threading.Event) -> Session:
    """A check to its emergency advice, the assistant at the lowest priority on a core that
    another process keeps busy from the first list of warning signs on."""
    core = spare_core()
    with daemon_or_skip() as daemon, ExitStack() as starving:
        started: list[bool] = []

        def starve_once_listening(events: list[dict]) -> None:
            # From the first list of warning signs on (two answers, the advice and its
            # repeat starved): loading the models at a 1.5% share of the CPU would take
            # minutes, and the conversation is what this test is about.
            if not started and any(e["event"] == "listening" and e["id"] == "heart_screen"
                                   for e in events):
                starving.enter_context(busy_cores(1, core) if core is not None
                                       else busy_cores(os.cpu_count() or 1))
                started.append(True)

        process, events, err = speak_session(
            daemon.env, folder, STARVED_ANSWERS, voice="rms", limit_s=400,
            command_prefix=(*(on_core(core) if core is not None else ()), *STARVED),
            watch=starve_once_listening, cancel=cancel)
    return Session(process, events, err, folder)


Run = Callable[[Path, threading.Event], Session]
# Sessions with no room hear only the person's recordings: they run at the same time, each
# with a PulseAudio daemon (speakers and microphone) and a folder of its own, the starved one
# kept to a spare core with the process that starves it.
TOGETHER: dict[str, Run] = {"asides": _asides_on_the_way_into_the_check, "stop": _stop_over_a_list,
                            "starved": _starved_of_cpu}
# Sessions in a room that echoes have the machine to themselves, one after another: beside
# other sessions the echo canceller lets enough of the assistant's own voice through that
# Whisper now and then hears an answer in it ("right" taken as a yes to a list, "maybe" as
# unsure; in 4 of 6 runs with every session at once), which no person said.
ALONE: dict[str, Run] = {"whole": _whole_session, "dizzy": _dizzy_in_an_echoing_room}


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[dict[str, Future[Session]]]:
    """The sessions the selected tests of this module read (each names its session as a
    fixture), begun at once: those of `TOGETHER` side by side (one after another on a machine
    with one core), then those of `ALONE` one by one."""
    wanted = {name for item in request.session.items
              if getattr(item, "module", None) is request.module
              for name in getattr(item, "fixturenames", ()) if name in TOGETHER or name in ALONE}
    cancel = threading.Event()  # set when the module ends: whatever still runs (Ctrl-C) stops

    def after(first: list[Future[Session]], run: Run) -> Run:
        def then(folder: Path, cancel: threading.Event) -> Session:
            wait(first)
            return run(folder, cancel)

        return then

    with (ThreadPoolExecutor(len(TOGETHER) if spare_core() is not None else 1) as together,
          ThreadPoolExecutor(1) as alone):
        started = {name: together.submit(run, tmp_path_factory.mktemp(name), cancel)
                   for name, run in TOGETHER.items() if name in wanted}
        first = list(started.values())
        started |= {name: alone.submit(after(first, run), tmp_path_factory.mktemp(name), cancel)
                    for name, run in ALONE.items() if name in wanted}
        try:
            yield started
        finally:
            cancel.set()


@pytest.fixture(scope="module")
def whole(runs: dict[str, Future[Session]]) -> Session:
    return runs["whole"].result()


@pytest.fixture(scope="module")
def asides(runs: dict[str, Future[Session]]) -> Session:
    return runs["asides"].result()


@pytest.fixture(scope="module")
def stop(runs: dict[str, Future[Session]]) -> Session:
    return runs["stop"].result()


@pytest.fixture(scope="module")
def starved(runs: dict[str, Future[Session]]) -> Session:
    return runs["starved"].result()


@pytest.fixture(scope="module")
def dizzy(runs: dict[str, Future[Session]]) -> Session:
    return runs["dizzy"].result()


def test_a_whole_session_by_voice_clear_triage_then_a_routine_through_lost_audio_to_the_end(whole):
    """Menu, age, location, every "any of these?" list and the check answered a plain "no", pain,
    the offer of stretches, and the routine to its closing words: nothing typed, nothing
    skipped.  The assistant's own words, coming back from the room, never trigger anything.
    When the sound server dies in the first hold, the routine pauses, reconnects, resumes
    where it was and runs to its end."""
    whole.ended_well()
    events, err = whole.events, whole.err
    assert not [e for e in events if e["event"] == "barge_in"]  # no self-triggers
    assert [e["echo_cancellation"] for e in events if e["event"] == "engine"] == [True]
    captions = (whole.folder / "captions.txt").read_text(encoding="utf-8").splitlines()
    assert "Would you like a symptom check, or stretches?" in captions
    assert any(line.startswith("> ") for line in captions)  # the answers heard, as text
    heard = [e for e in events if e["event"] in ("listening", "recognition", "outcome", "end")]
    outcome = [e for e in events if e["event"] == "outcome"]
    assert outcome and outcome[0]["tier"] == "self_care", heard
    asked = {e["id"] for e in events if e["event"] == "listening"}
    assert {"age", "location", "heart_screen", "brain_screen", "other_screen", "emergency_check",
            "nerve_screen", "health_screen", "pain_screen", "course_screen", "pain_score",
            "offer_stretches"} <= asked, heard
    kinds = [e["event"] for e in events]
    assert whole.unplugged and "device_lost" in kinds and "device_back" in kinds, err[-2000:]
    lost = kinds.index("device_lost")
    said = [e.get("text", "") for e in events if e["event"] in ("say", "cue")]
    after = [e.get("text", "") for e in events[lost:] if e["event"] in ("say", "cue")]
    assert any(text.startswith("Resuming.") for text in after), after  # in the hold or just after
    assert any(text.startswith("That's the end of the routine. Well done.") for text in said), heard
    assert "The microphone stopped working" in err or "The speakers stopped working" in err
    ends = [e for e in events if e["event"] == "end" and "completed" in e]
    assert ends and ends[0]["completed"], ends


def test_slower_said_instead_of_an_age_is_obeyed_and_kept_for_the_next_session(asides):
    asides.ended_well()
    assert ("age", "slower") in asides.understood(), asides.understood()[:6]
    assert [e["wpm"] for e in asides.events if e["event"] == "rate"] == [330]
    saved = json.loads((asides.folder / "config" / "preferences.json").read_text())
    assert saved["rate_wpm"] == 330  # the harness starts the session at 350


def test_my_history_said_to_the_menu_tells_the_journal_back_then_asks_the_menu_again(asides):
    asides.ended_well()
    assert ("menu", "history") in asides.understood(), asides.understood()[:6]
    said = asides.said()
    assert said[said.index("Would you like a symptom check, or stretches?") + 1].startswith(
        "There are no sessions"), said[:8]  # the journal told back, by voice, then the menu again
    asked = [e["id"] for e in asides.events if e["event"] == "ask"]
    assert asked.count("menu") == 2, asked


def test_wait_said_to_a_question_gives_more_time_and_the_answer_said_in_it_counts(asides):
    asides.ended_well()
    understood = asides.understood()
    assert ("asking", "wait") in understood, understood
    assert any("Take your time" in line for line in asides.said())
    assert ("age", "age") in understood[understood.index(("asking", "wait")):], understood


def test_turn_it_down_said_to_a_question_lowers_the_voice_and_keeps_it(asides):
    asides.ended_well()
    assert ("location", "quieter") in asides.understood(), asides.understood()
    assert "Quieter." in asides.said()
    preferences = json.loads((asides.folder / "config" / "preferences.json").read_text())
    assert preferences["volume"] < 1.0  # one step quieter than full volume, and kept


def test_go_back_said_to_a_list_asks_the_question_before_it_again_then_the_list(asides):
    asides.ended_well()
    assert ("asking", "go_back") in asides.understood(), asides.understood()
    asked = [e["id"] for e in asides.events if e["event"] == "ask"]
    assert asked[asked.index("heart_screen") + 1] == "location", asked  # back one question
    assert asked.count("heart_screen") == 2, asked


def test_stop_spoken_over_a_triage_question_cuts_it_and_ends_the_session(stop):
    """"Stop" said while the first list of warning signs is still being spoken: the question
    is cut off, nothing more is asked, and the session ends by itself.

    The speech cache and the journal folder cannot be made here (a read-only home): the
    session runs all the same, saying in one line each what it could not keep."""
    process, events, err = stop.process, stop.events, stop.err
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err
    assert "speech cache could not be written" in err and "not being kept in the journal" in err
    assert any(e["event"] == "barge_in" and e["intent"] == "stop" for e in events), events[-12:]
    asked = [e["id"] for e in events if e["event"] == "listening"]
    assert "heart_screen" not in asked and "brain_screen" not in asked, asked
    stopped = [e for e in events if e["event"] == "intent" and e["intent"] == "stop"]
    assert stopped and stopped[0]["context"] == "yes_no"


def test_i_feel_dizzy_said_over_the_assistant_in_a_room_that_echoes_stops_the_routine(dizzy):
    """`backcare stretch neck` by voice. Its own voice comes back into the microphone 12 dB
    down with a reverberant tail; the echo canceller takes it out, so "I feel dizzy" said over
    it (like "stop") is heard at once, and the routine ends with the advice after the check
    that came first."""
    process, events, err = dizzy.process, dizzy.events, dizzy.err
    assert process.returncode == 0, err[-3000:]
    assert any(e["event"] == "barge_in" and e["intent"] == "dizzy" for e in events), events[-12:]
    assert any(e["event"] == "command" and e["intent"] == "dizzy" for e in events), events[-12:]
    ends = [e for e in events if e["event"] == "end" and "completed" in e]
    assert ends and ends[0]["reason"] == "symptom" and not ends[0]["completed"], ends
    said = [e.get("text", "") for e in events if e["event"] in ("say", "cue")]
    assert "Stopping now. Please sit still and rest." in said
    assert any("call 9 1 1 now" in text for text in said)
    assert "Before we start, a few quick questions." in said  # the screen came first


def test_a_triage_starved_of_cpu_loses_no_answer_and_ends_in_emergency_advice_said_as_digits(
        starved):
    """The assistant at the lowest priority, kept to one core that another process keeps busy
    (every core, where there is only one): replies come late, but each answer given after a
    question is an answer (never taken for talk over the assistant's own voice) and the
    session ends in its advice, spoken by the natural voice with the number to call as
    digits."""
    process, events, err = starved.process, starved.events, starved.err
    assert process.returncode == 0, err[-3000:]
    heard = [e for e in events if e["event"] in ("listening", "recognition", "reprompt")]
    assert [e["tier"] for e in events if e["event"] == "outcome"] == ["emergency"], heard
    assert not [e for e in events if e["event"] == "recognition" and e["over_speech"]], heard
    assert not [e for e in events if e["event"] == "reprompt"], heard
    said = [e["text"] for e in events if e["event"] == "say"]
    assert "Call 9 1 1 now, or ask someone near you to call." in said  # printed as said
    engine = [e for e in events if e["event"] == "engine"]
    assert engine and engine[0]["speech"] == "hibari", engine  # the natural voice spoke it
    # Heard as digits: the voice was handed "9 1 1", which espeak-ng says as three digits; the
    # printed line is the same (issue 29), so the event carries no separate spoken form.
    call = next(e for e in events if e["event"] == "say" and e["text"].startswith("Call 9 1 1"))
    assert call.get("spoken", call["text"]) == "Call 9 1 1 now, or ask someone near you to call."
    phonemes = subprocess.run(["espeak-ng", "-q", "-x", call["text"]], capture_output=True,
                              text=True, check=True).stdout
    assert "Vndr" not in phonemes and phonemes.count("w'0n") >= 2, phonemes
