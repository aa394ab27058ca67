"""The voice person's bookkeeping that needs no sound card: when the user stopped speaking,
how long the assistant took to answer (on PortAudio's own stream clock), and "stop" said
over a question."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from support.content import shipped_content

from harness.speech import have
from voice.clock import VirtualClock
from voice.events.transcript import Transcript
from voice.person.voice import voice_person
from voice.preferences import Preferences, PreferenceStore
from voice.speech.tts import EspeakEngine, Renderer
from voice.understanding.base import Recognition
from voice.understanding.listener import Listener

RATE = 16000
BLOCK = 320


def speech_signal(quiet_before_s: float) -> np.ndarray:
    """Quiet, then half a second of a loud noisy tone the VAD takes for speech, then 1 s quiet."""
    tone = (8000 * np.sin(2 * np.pi * 220 * np.arange(RATE // 2) / RATE)).astype(np.int16)
    noise = np.random.default_rng(1).normal(0, 3000, len(tone)).astype(np.int16)
    return np.concatenate([np.zeros(int(quiet_before_s * RATE), np.int16), tone + noise,
                           np.zeros(RATE, np.int16)])


class CapturedMicrophone:
    """Blocks of a prepared signal, each stamped as if captured from stream time `start`."""

    def __init__(self, signal: np.ndarray, start: float):
        self.items = [(signal[i:i + BLOCK], start + i / RATE) for i in range(0, len(signal), BLOCK)]

    def read_timed(self, timeout: float):
        return self.items.pop(0) if self.items else None



@dataclass
class Clip:
    started_at: float
    ended_at: float | None = None
    written_at: float | None = None  # not known here, so no stages are told
    done: threading.Event = field(default_factory=threading.Event)


class SoundingPlayback:
    """Each clip 'starts sounding' at the next time in `onsets`, and is over at once."""

    busy = False
    lead_s = 0.0
    sets_rate = True
    time = 0.0

    def __init__(self, onsets: list[float]):
        self.onsets = onsets

    def play(self, samples, label="", at=None, voice=True, complete=True):
        clip = Clip(self.onsets.pop(0))
        clip.done.set()
        return clip

    def extend(self, clip, samples, last):
        pass  # the whole line counts as one clip that sounded at its onset

    def speaking_at(self, moment, tail_s=0.0):
        return False

    def sounded(self, clip, timeout):
        return True


class Rejecting:
    name = "test"

    def decode(self, audio, context):
        return Recognition("", False, 0.0, self.name, len(audio) / RATE, 0.0, reason="test")


def test_the_reply_latency_runs_from_the_last_speech_sample_to_the_replys_first_sample():
    signal = speech_signal(1.0)  # 1 s quiet, 0.5 s "speech", 1 s quiet
    transcript = Transcript(VirtualClock())
    # listening earcon sounds at 99.0; the "not understood" earcon at 102.0
    person = voice_person(None, SoundingPlayback([99.0, 102.0]), CapturedMicrophone(signal, 100.0),
                          Rejecting(), None, PreferenceStore(), VirtualClock(), transcript)
    heard = person.listen("yes_no", None, prompt_id="q")
    assert heard.kind == "rejected"
    replies = [e for e in transcript.events if e["event"] == "reply"]
    assert len(replies) == 1 and replies[0]["to"] == "not_understood"
    speech_end = 101.5  # give or take a VAD frame
    assert abs(replies[0]["latency_ms"] - (102.0 - speech_end) * 1000) <= 30


def test_no_reply_latency_is_logged_for_speech_the_assistant_starts_itself():
    transcript = Transcript(VirtualClock())
    person = voice_person(None, SoundingPlayback([5.0]), CapturedMicrophone(np.zeros(0, np.int16), 0),
                          Rejecting(), None, PreferenceStore(), VirtualClock(), transcript)
    person.earcon("listening")
    assert not [e for e in transcript.events if e["event"] == "reply"]


def test_a_sample_is_timed_from_the_block_it_arrived_in():
    listener = Listener(CapturedMicrophone(np.zeros(0, np.int16), 0), Rejecting())
    for block_start in (10.0, 10.02, 10.5):  # a gap between the last two: dropped blocks
        listener.feed(np.zeros(320, np.int16), block_start, "yes_no")
    assert listener._stream_time(0) == 10.0
    assert abs(listener._stream_time(330) - (10.02 + 10 / RATE)) < 1e-9
    assert abs(listener._stream_time(700) - (10.5 + 60 / RATE)) < 1e-9


class Accepting:
    """Hears `text` in every utterance, and notes the contexts it was asked to decode in."""

    name = "test"

    def __init__(self, text: str):
        self.text = text
        self.contexts: list[str] = []

    def decode(self, audio, context):
        self.contexts.append(context)
        return Recognition(self.text, True, 1.0, self.name, len(audio) / RATE, 0.0)


class HeldPlayback:
    """A clip that plays for a second unless it is cut."""

    lead_s = 0.0
    sets_rate = True
    time = 0.0

    def __init__(self):
        self.cuts = 0
        self.plays = 0
        self.clip: Clip | None = None

    @property
    def busy(self):
        return self.clip is not None and not self.clip.done.is_set()

    def speaking_at(self, moment, tail_s=0.0):
        return self.busy

    def sounded(self, clip, timeout):
        return clip.done.wait(timeout)

    def play(self, samples, label="", at=None, voice=True, complete=True):
        self.plays += 1
        self.clip = Clip(0.0)
        threading.Timer(1.0, self.clip.done.set).start()
        return self.clip

    def extend(self, clip, samples, last):
        pass  # the clip's second of sound stands for the whole line

    def cut(self):
        self.cuts += 1
        if self.clip:
            self.clip.done.set()

    def lost(self):
        return False


@pytest.fixture
def renderer(tmp_path):
    if not have("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    return Renderer(EspeakEngine(), tmp_path)


@pytest.mark.parametrize("heard, stops", [("stop", True), ("pause", False)])
def test_only_stop_spoken_over_a_question_cuts_it_and_becomes_the_answer(renderer, heard, stops):
    intents = shipped_content().intents
    playback, recognizer = HeldPlayback(), Accepting(heard)
    transcript = Transcript(VirtualClock())
    person = voice_person(renderer, playback, CapturedMicrophone(speech_signal(0.5), 0.0),
                          recognizer, intents, PreferenceStore(Preferences(earcons=False)),
                          VirtualClock(), transcript)
    person.say("Do you have a fever?", interruptible=True)
    assert recognizer.contexts and set(recognizer.contexts) == {"barge_in"}
    assert [e["intent"] for e in transcript.events if e["event"] == "barge_in"][0] == heard
    if stops:
        assert playback.cuts == 1
        person.say("This is not spoken: the user has said stop.")
        assert playback.plays == 1
        assert person.listen("yes_no", 1.0, prompt_id="fever").text == "stop"
    else:
        assert playback.cuts == 0  # played to its end


def test_captions_print_each_line_as_it_is_spoken_and_each_answer_as_it_is_heard(renderer):
    import io

    intents = shipped_content().intents
    out = io.StringIO()
    person = voice_person(renderer, SoundingPlayback([0.0] * 4),
                          CapturedMicrophone(speech_signal(0.5), 0.0), Accepting("no"), intents,
                          PreferenceStore(Preferences(earcons=False)), VirtualClock(),
                          Transcript(VirtualClock()), captions=True)
    person.printed = out
    person.say("Do you have a fever?", interruptible=False)
    assert person.listen("yes_no", None, prompt_id="fever").text == "no"
    person.cue("Begin.", "start", 0.5)
    assert out.getvalue().splitlines() == ["Do you have a fever?", "> no", "Begin."]


def test_quiet_prints_nothing(renderer):
    import io

    out = io.StringIO()
    person = voice_person(renderer, SoundingPlayback([0.0] * 4),
                          CapturedMicrophone(speech_signal(0.5), 0.0), Accepting("no"),
                          shipped_content().intents, PreferenceStore(Preferences(earcons=False)),
                          VirtualClock(), Transcript(VirtualClock()), captions=False)
    person.printed = out
    person.say("Do you have a fever?")
    person.listen("yes_no", None, prompt_id="fever")
    assert out.getvalue() == ""


class StarvedPlayback(SoundingPlayback):
    """Found a hole inside a clip (its stream ran dry); can reopen with a deeper buffer."""

    def __init__(self, onsets):
        super().__init__(onsets)
        self.dropouts = [("Do you have a fever?", 0.12)]
        self.requested_latency_s = 0.2
        self.deepened = 0

    def deepen(self):
        if self.requested_latency_s >= 0.5:
            return False
        self.requested_latency_s, self.deepened = 0.5, self.deepened + 1
        return True


def test_each_new_hole_moves_the_buffer_one_rung_deeper_and_an_old_one_never_again():
    from voice.audio.output import BUSY_LATENCY_S, DEEP_LATENCY_S, LATENCY_S, STEADY_LATENCY_S, deeper

    assert deeper(LATENCY_S) == STEADY_LATENCY_S and deeper(STEADY_LATENCY_S) == BUSY_LATENCY_S
    assert deeper(BUSY_LATENCY_S) == DEEP_LATENCY_S
    assert deeper(DEEP_LATENCY_S) == DEEP_LATENCY_S and deeper(0.35) == DEEP_LATENCY_S
    playback = LadderPlayback([0.0] * 12)
    signal = np.concatenate([speech_signal(0.5)] * 3)  # three answers
    person = voice_person(None, playback, CapturedMicrophone(signal, 0.0), Accepting("no"),
                          shipped_content().intents, PreferenceStore(), VirtualClock(),
                          Transcript(VirtualClock()))
    person.listen("yes_no", None, prompt_id="fever")
    person.listen("yes_no", None, prompt_id="rash")
    assert playback.steps == [0.1]  # the one hole moved it once, not at every answer
    playback.dropouts.append(("Any rash?", 0.01))
    person.listen("yes_no", None, prompt_id="fall")
    assert playback.steps == [0.1, 0.25]


class LadderPlayback(SoundingPlayback):
    def __init__(self, onsets):
        super().__init__(onsets)
        self.dropouts = [("Do you have a fever?", 0.01)]
        self.requested_latency_s = 0.05
        self.steps: list[float] = []

    def deepen(self):
        from voice.audio.output import deeper

        if deeper(self.requested_latency_s) == self.requested_latency_s:
            return False
        self.requested_latency_s = deeper(self.requested_latency_s)
        self.steps.append(self.requested_latency_s)
        return True


def test_after_a_hole_in_the_sound_the_next_reply_comes_from_a_deeper_buffer():
    transcript = Transcript(VirtualClock())
    playback = StarvedPlayback([0.0] * 6)
    person = voice_person(None, playback, CapturedMicrophone(speech_signal(0.5), 0.0),
                          Accepting("no"), shipped_content().intents, PreferenceStore(),
                          VirtualClock(), transcript)
    assert person.listen("yes_no", None, prompt_id="fever").text == "no"
    assert playback.deepened == 1
    assert [e for e in transcript.events if e["event"] == "output_buffer"][0]["seconds"] == 0.5
    assert [e["ms"] for e in transcript.events if e["event"] == "dropout"] == [120.0]


def test_a_session_short_of_cpu_starts_with_the_deep_buffer_and_others_with_the_short_one(monkeypatch):
    from voice.audio.output import BUSY_LATENCY_S, DEEP_LATENCY_S, LATENCY_S
    from voice.session.spoken import output_latency

    monkeypatch.delenv("BACKCARE_OUTPUT_LATENCY_S", raising=False)
    assert output_latency(lambda: 0, lambda: 0.5, cores=2) == LATENCY_S
    assert output_latency(lambda: 19, lambda: 0.5, cores=2) == DEEP_LATENCY_S  # nice -n 19
    assert output_latency(lambda: 19, lambda: 7.5, cores=2) == DEEP_LATENCY_S
    assert output_latency(lambda: 0, lambda: 7.5, cores=2) == BUSY_LATENCY_S  # overloaded
    assert LATENCY_S < BUSY_LATENCY_S < DEEP_LATENCY_S
    monkeypatch.setenv("BACKCARE_OUTPUT_LATENCY_S", "0.35")
    assert output_latency(lambda: 19, lambda: 7.5, cores=2) == 0.35


def test_the_run_queue_is_read_now_not_as_a_minute_long_average():
    from voice.session.spoken import runnable_now

    reads = iter(["4.10 3.00 1.50 1/120 999", "4.10 3.00 1.50 4/120 999",
                  "4.10 3.00 1.50 1/120 999"])
    # A minute after a build the average is 4.1, but nothing else wants the CPU now.
    assert runnable_now(3, 0.0, lambda: next(reads)) == 0.0
    assert runnable_now(3, 0.0, lambda: "0.00 0.00 0.00 6/120 999") == 5.0


def test_busy_processes_show_in_the_run_queue_at_once():
    from harness.load import busy_cores
    from voice.session.spoken import runnable_now

    if not Path("/proc/loadavg").exists():
        pytest.skip("no /proc here")
    with busy_cores(3):
        time.sleep(0.3)  # the interpreters started and spinning
        assert runnable_now() >= 2


class Matching(Accepting):
    """Like Whisper: matches the words to decide they are an answer, and hands the match on."""

    def __init__(self, text: str, intents):
        super().__init__(text)
        self.intents = intents

    def decode(self, audio, context):
        self.contexts.append(context)
        return Recognition(self.text, True, 1.0, self.name, len(audio) / RATE, 0.0,
                           match=self.intents.match(self.text, context))


@pytest.mark.parametrize("engine_matches", [False, True])
@pytest.mark.parametrize("red_flag", [False, True])
def test_a_recognised_answer_is_matched_exactly_once(renderer, monkeypatch, engine_matches,
                                                     red_flag):
    from voice.conversation.asking.ask import Asker
    from voice.conversation.asking.prompt import Prompt
    from voice.conversation.asking.texts import Texts
    from voice.understanding.answers.model import Question
    from voice.understanding.intents.match import Matcher

    intents = shipped_content().intents
    calls: list[str] = []
    real = Matcher.match

    def counted(self, text):
        calls.append(text)
        return real(self, text)

    recognizer = (Matching if engine_matches else Accepting)(
        *(("no, but I feel sick", intents) if engine_matches else ("no, but I feel sick",)))
    clock, transcript = VirtualClock(), Transcript(VirtualClock())
    person = voice_person(renderer, SoundingPlayback([0.0] * 4),
                          CapturedMicrophone(speech_signal(0.5), 0.0), recognizer, intents,
                          PreferenceStore(Preferences(earcons=False)), clock, transcript)
    asker = Asker(person, intents, clock, transcript, Texts.of({}), ask_line=lambda *_: None,
                  say_line=lambda _: None)
    monkeypatch.setattr(Matcher, "match", counted)  # from before the answer is decoded
    reply = asker.ask(Prompt("fever", "Do you have a fever?", "yes_no", ("yes", "no"),
                             red_flag=Question(frozenset({"sick"})) if red_flag else None,
                             retries=0))
    # once: by the engine (Whisper reads to decide), or else by the listener; never again
    assert calls == ["no, but I feel sick"]
    assert reply.match is not None or reply.unanswered is not None
