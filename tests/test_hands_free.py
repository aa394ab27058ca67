"""A spoken session driven entirely by voice, through real sounddevice streams on PulseAudio.

The assistant speaks into one null sink and listens to the monitor of another,
into which the test "speaks" flite recordings whenever the assistant starts
listening.  Nothing is typed.
"""

from __future__ import annotations

import json
import subprocess
import time
from contextlib import ExitStack

import pytest

from harness.load import STARVED, busy_cores
from harness.room import Room
from harness.speech import synthesise
from harness.spoken_session import daemon_or_skip, short_neck_routine, speak_session
from voice.audio.sources import with_silence, write_wav

pytestmark = pytest.mark.slow  # real-time sessions through PulseAudio: minutes each


@pytest.fixture(scope="module")
def pulse_env():
    with daemon_or_skip() as daemon:
        yield daemon.env


# Stretches from the menu: the short screen before a routine, answered by voice.
SCREENED = {"menu": "stretches", "which_stretches": "my neck", "today_screen": "no",
            "nerves_screen": "no", "pain_score": "two",
            "neck_caution": "no",
            "pain_after": "two"}


def test_stop_spoken_over_a_triage_question_cuts_it_and_ends_the_session(pulse_env, tmp_path):
    """"Stop" said while the first list of warning signs is still being spoken: the question
    is cut off, nothing more is asked, and the session ends by itself.

    The speech cache and the journal folder cannot be made here (a read-only home): the
    session runs all the same, saying in one line each what it could not keep."""
    read_only = tmp_path / "read-only-home"
    read_only.write_text("")
    stop = tmp_path / "stop_over.wav"
    write_wav(stop, with_silence(synthesise("stop", "slt"), 0.2, 0.6))
    spoken = []

    def stop_over_second_question(events: list[dict]) -> None:
        if not spoken and any(e["event"] == "ask" and e["id"] == "heart_screen" for e in events):
            spoken.append(True)
            subprocess.run(["paplay", "-d", "usermic", str(stop)], env=pulse_env, timeout=30)

    process, events, err = speak_session(pulse_env, tmp_path,
                                         {"menu": "check my symptoms", "age": "forty",
                                          "location": "my neck"},
                                         voice="rms", watch=stop_over_second_question,
                                         extra_env={"BACKCARE_CACHE_DIR": str(read_only / "cache"),
                                                    "BACKCARE_DATA_DIR": str(read_only / "data")})
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err
    assert "speech cache could not be written" in err and "not being kept in the journal" in err
    assert any(e["event"] == "barge_in" and e["intent"] == "stop" for e in events), events[-12:]
    asked = [e["id"] for e in events if e["event"] == "listening"]
    assert "heart_screen" not in asked and "brain_screen" not in asked, asked
    stopped = [e for e in events if e["event"] == "intent" and e["intent"] == "stop"]
    assert stopped and stopped[0]["context"] == "yes_no"


def test_a_triage_starved_of_cpu_loses_no_answer_and_ends_in_emergency_advice_said_as_digits(
        pulse_env, tmp_path):
    """The assistant at the lowest priority beside two processes that keep both cores busy:
    replies come late, but each answer given after a question is an answer (never taken for
    talk over the assistant's own voice) and the session ends in its advice, spoken by the
    natural voice with the number to call as digits."""
    answers = {"menu": "check my symptoms", "age": "forty", "location": "my neck",
               "heart_screen": "yes", "heart_screen.which": "one", "chest_pain": "yes"}
    with ExitStack() as starving:
        started: list[bool] = []

        def starve_once_listening(events: list[dict]) -> None:
            # From the first list of warning signs on (two answers, the advice and its
            # repeat starved): loading the models at a 1.5% share of the CPU would take
            # minutes, and the conversation is what this test is about.
            if not started and any(e["event"] == "listening" and e["id"] == "heart_screen"
                                   for e in events):
                starving.enter_context(busy_cores(2))
                started.append(True)

        process, events, err = speak_session(pulse_env, tmp_path, answers, voice="rms",
                                             command_prefix=STARVED, limit_s=400,
                                             watch=starve_once_listening)
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


@pytest.fixture
def own_daemon():
    """A daemon of this test's own, because the test kills it."""
    with daemon_or_skip() as daemon:
        yield daemon


def test_a_whole_session_by_voice_clear_triage_then_a_routine_through_lost_audio_to_the_end(
        own_daemon, tmp_path):
    """Menu, age, location, every "any of these?" list and the check answered a plain "no", pain,
    the offer of stretches, and a (shortened) neck routine to its closing words: nothing typed,
    nothing skipped.  In a room that echoes the assistant's voice into its microphone: its own
    words never trigger anything, and "slower" said instead of an age is kept.  Then the sound
    server is killed during the first hold
    (both devices vanish at once, and the room with them) and started again two seconds
    later: the routine pauses, reconnects, resumes where it was and runs to its end."""
    answers = {"menu": "check my symptoms", "age": ["slower", "forty two"], "location": "my neck",
               "pain_score": "two", "offer_stretches": "yes", "pain_after": "two"}
    unplugged: list[float] = []

    def unplug_during_first_hold(events: list[dict]) -> None:
        if not unplugged and any(e["event"] == "cue" and e["kind"] == "start" for e in events):
            unplugged.append(time.monotonic())
            own_daemon.kill()
            time.sleep(2.0)
            own_daemon.start()

    with Room(own_daemon.env):
        process, events, err = speak_session(
            own_daemon.env, tmp_path, answers, otherwise="no", limit_s=420, voice="rms",
            extra_env={"BACKCARE_DIALOGS": str(short_neck_routine(tmp_path))},
            watch=unplug_during_first_hold)
    assert process.returncode == 0, err[-3000:]
    assert not [e for e in events if e["event"] == "barge_in"]  # no self-triggers
    assert [e["echo_cancellation"] for e in events if e["event"] == "engine"] == [True]
    captions = (tmp_path / "captions.txt").read_text(encoding="utf-8").splitlines()
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
    assert unplugged and "device_lost" in kinds and "device_back" in kinds, err[-2000:]
    lost = kinds.index("device_lost")
    said = [e.get("text", "") for e in events if e["event"] in ("say", "cue")]
    after = [e.get("text", "") for e in events[lost:] if e["event"] in ("say", "cue")]
    assert any(text.startswith("Resuming.") for text in after), after  # in the hold or just after
    assert any(text.startswith("That's the end of the routine. Well done.") for text in said), heard
    assert "The microphone stopped working" in err or "The speakers stopped working" in err
    ends = [e for e in events if e["event"] == "end" and "completed" in e]
    assert ends and ends[0]["completed"], ends
    # "Slower" said instead of an age is obeyed and kept for the next session.
    assert [e["wpm"] for e in events if e["event"] == "rate"] == [330]
    saved = json.loads((tmp_path / "config" / "preferences.json").read_text())
    assert saved["rate_wpm"] == 330  # the harness starts the session at 350


def test_i_feel_dizzy_said_over_the_assistant_in_a_room_that_echoes_stops_the_routine(
        pulse_env, tmp_path):
    """`backcare stretch neck` by voice. Its own voice comes back into the microphone 12 dB
    down with a reverberant tail; the echo canceller takes it out, so "I feel dizzy" said over
    it (like "stop") is heard at once, and the routine ends with the advice after the check
    that came first."""
    with Room(pulse_env):
        process, events, err = speak_session(
            pulse_env, tmp_path, SCREENED, interrupt="I feel dizzy", command=("stretch", "neck"),
            extra_env={"BACKCARE_DIALOGS": str(short_neck_routine(tmp_path))})
    assert process.returncode == 0, err[-3000:]
    assert any(e["event"] == "barge_in" and e["intent"] == "dizzy" for e in events), events[-12:]
    assert any(e["event"] == "command" and e["intent"] == "dizzy" for e in events), events[-12:]
    ends = [e for e in events if e["event"] == "end" and "completed" in e]
    assert ends and ends[0]["reason"] == "symptom" and not ends[0]["completed"], ends
    said = [e.get("text", "") for e in events if e["event"] in ("say", "cue")]
    assert "Stopping now. Please sit still and rest." in said
    assert any("call 9 1 1 now" in text for text in said)
    assert "Before we start, a few quick questions." in said  # the screen came first
