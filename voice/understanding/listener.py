"""The one endpointing loop: microphone blocks in, one recognised utterance (or a reason) out.

Every caller (a question waiting for its answer, a routine listening for
commands, a question listening for "stop" under its own voice, a recording
read from a file) goes through `Listener.listen`, with what may be said now
passed in as the context.  The endpointer lives across calls, so an
utterance may span many short polls of a routine's scheduler.

While the assistant is speaking the microphone hears it too, so an utterance
that began over the assistant's voice is decoded in the barge-in context (the
recogniser's strictest) and only the barge-in intents count; everything else
heard then is the assistant's own voice or the room, and is dropped.  Whether
the assistant was speaking is asked of each block by the stream time it was
captured at, against when the assistant's sound really left the device: an
answer given right after a question ends is an answer, however late this
process got to read it.

A question may also pass the context of its answers (`answers`): words heard
while it is spoken that are not a barge-in intent are decoded once more in
that context, and come back when they are one of its own answers (a yes, a
number); the caller decides whether an answer said over the question is taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from ..audio.sources import SAMPLE_RATE
from .base import Recognition, Recognizer
from .intents.model import IntentSet, Match
from .vad import Endpointer, Utterance, VadConfig

POLL_S = 0.05  # the longest a read of the microphone waits, so deadlines are kept to this
# Over a question, only a short utterance that is wholly an answer counts as one: a yes or a
# number is short, while what is left of the assistant's own voice after echo cancellation
# comes in long stretches and, merged with an answer, in more words than the answer.
ANSWER_S = 3.0
WHOLE_ANSWER = 0.95  # the matcher's confidence for words that are all the answer (fillers aside)
# Decoding starts after this much silence, while the endpointer still waits for its hangover:
# kept if the person has stopped, thrown away if they go on (issue 30).  Shorter starts more
# decodes that are thrown away inside a sentence's pauses; a stop consonant is ~50-80 ms.
SPECULATE_S = 0.06


class BlockSource(Protocol):
    def read_timed(self, timeout: float) -> tuple[np.ndarray, float] | None:
        """The next block and the stream time of its first sample; None if none came in time."""


@dataclass(frozen=True)
class Stages:
    """When each step after the words ended was done (time.monotonic()): the end of the
    utterance decided, its words decoded, their meaning matched.  The reply's latency is
    told stage by stage from these (issue 30)."""

    decided: float
    decoded: float
    matched: float
    early: bool = False  # the words were decoded before the end was decided


@dataclass(frozen=True)
class _Read:
    """One decode and its match, with when each was done (time.monotonic())."""

    recognition: Recognition
    match: Match | None
    decoded: float
    matched: float


@dataclass(frozen=True)
class _Guess:
    """A decode begun before the end was decided: good for that utterance as long as no
    more speech came (the same last speech sample) and it is heard in the same context."""

    speech_end: int
    context: str
    read: _Read


@dataclass(frozen=True)
class Hearing:
    """How one call to `listen` ended.

    utterance: something was said (accepted or not); deadline: the time ran out;
    lost: a device stopped (`lost` names it); ended: a finite source ran dry.
    """

    kind: Literal["utterance", "deadline", "lost", "ended"]
    recognition: Recognition | None = None
    match: Match | None = None  # the recognition matched in `context` (accepted only)
    context: str | None = None  # the context it was decoded and matched in
    over_speech: bool = False
    utterance: Utterance | None = None
    ended_at: float | None = None  # stream time the words ended
    lost: str | None = None
    stages: Stages | None = None

    @property
    def accepted(self) -> bool:
        return self.recognition is not None and self.recognition.accepted

    @property
    def intent(self) -> str | None:
        return self.match.intent if self.match else None


Decoded = Callable[[Recognition, str | None, str, bool], None]


class Listener:
    def __init__(self, source: BlockSource, recognizer: Recognizer, intents: IntentSet | None = None,
                 vad: VadConfig | None = None, barge_in_context: str = "barge_in",
                 barge_in: frozenset[str] = frozenset({"stop"}),
                 speaking: Callable[[float], bool] = lambda captured: False,
                 device_lost: Callable[[], str | None] = lambda: None,
                 decoded: Decoded | None = None, speculate_s: float | None = SPECULATE_S,
                 spare_cpu: Callable[[], bool] = lambda: True):
        self.source = source
        self.recognizer = recognizer
        self.intents = intents
        self.endpointer = Endpointer(vad)
        self.barge_in_context = barge_in_context
        self.barge_in = barge_in
        self.speaking = speaking  # whether the assistant's own voice sounded at a stream time
        self.deaf_until = float("-inf")  # blocks captured before this stream time are not heard
        self.device_lost = device_lost
        self.decoded = decoded  # told of every decode (the session logs it)
        self._was_speaking = False
        self._began_over_speech = False
        self._fed: list[tuple[int, float]] = []  # (endpointer position, stream time) of blocks
        self._position = 0
        self.speculate_s = speculate_s  # None: decode only once the end is decided
        # Early decodes only while the process has CPU to spare: starved, a decode takes
        # seconds, and one thrown away (a pause inside "forty ... two") delays the decode
        # of the whole answer by as much.
        self.spare_cpu = spare_cpu
        self._guess: _Guess | None = None

    def fresh(self) -> None:
        """Forget any half-heard utterance: a new question starts listening afresh."""
        self.endpointer.reset()
        self._fed, self._position = [], 0
        self._guess = None

    def listen(self, context: str, deadline: float | None, now: Callable[[], float],
               finish_utterance: bool = True, answers: str | None = None) -> Hearing:
        """Read until an utterance ends, the deadline passes, or a device is lost.

        With `finish_utterance` (a question) words still being said at the deadline are
        waited for; without (a routine's scheduler, a question's own playback) the call
        returns at the deadline, once the blocks already captured are read, and the
        utterance carries on into the next call.  With `answers` (a question being
        spoken), an answer of that context heard meanwhile comes back too.  An answer
        (`finish_utterance`) ends after a longer silence than a command: people pause
        inside answers."""
        self.endpointer.expect(answer=finish_utterance)
        while True:
            remaining = None if deadline is None else deadline - now()
            late = remaining is not None and remaining <= 0
            waiting_for_words = late and finish_utterance and self.endpointer.in_speech
            wait = POLL_S if remaining is None or waiting_for_words else max(0.0, min(POLL_S, remaining))
            timed = self.source.read_timed(wait)
            if timed is None:
                lost = self.device_lost()
                if lost:
                    return Hearing("lost", lost=lost)
                if late and not waiting_for_words:
                    return Hearing("deadline")
                continue
            if timed[1] < self.deaf_until:
                continue  # the echo of a sound the assistant just made
            speaking = self.speaking(timed[1])
            if speaking != self._was_speaking and not self.endpointer.in_speech:
                self.fresh()  # the sound changes when the assistant starts or stops talking
            self._was_speaking = speaking
            heard = self.feed(timed[0], timed[1], context, speaking, answers)
            if heard is not None:
                return heard

    def feed(self, block: np.ndarray, captured: float, context: str, speaking: bool = False,
             answers: str | None = None) -> Hearing | None:
        """One block into the endpointer; the utterance it completes, if it counts."""
        if not self.endpointer.in_speech:
            self._began_over_speech = speaking
        elif speaking:
            self._began_over_speech = True
        if not self.endpointer.in_speech and len(self._fed) > 200:
            self._fed = self._fed[-100:]  # a few seconds back covers any utterance's start
        self._fed.append((self._position, captured))
        self._position += len(block)
        utterance = self.endpointer.feed(block)
        if utterance is None:
            self._speculate(context)
            return None
        return self._hear(utterance, context, answers)

    def _speculate(self, context: str) -> None:
        """An answer (not words over the assistant) followed by `speculate_s` of silence is
        decoded now, while the endpointer waits out the rest of its hangover: the decode that
        would follow the end is ready sooner by that much.  Once per stretch of silence."""
        if (self.speculate_s is None or self._began_over_speech
                or self.endpointer.silent_s < self.speculate_s or not self.spare_cpu()):
            return
        utterance = self.endpointer.so_far()
        if utterance is None or (self._guess is not None and self._guess.speech_end
                                 == utterance.speech_end and self._guess.context == context):
            return
        self._guess = _Guess(utterance.speech_end, context, self._read(utterance, context))

    def flush(self, context: str) -> Hearing:
        """The end of a finite source: an utterance still open is heard as it stands."""
        utterance = self.endpointer.flush()
        return self._hear(utterance, context) if utterance is not None else Hearing("ended")

    def _hear(self, utterance: Utterance, context: str, answers: str | None = None
              ) -> Hearing | None:
        over = self._began_over_speech
        used = self.barge_in_context if over else context
        decided = time.monotonic()
        guess, self._guess = self._guess, None
        read = (guess.read if not over and guess is not None
                and guess.speech_end == utterance.speech_end and guess.context == used
                else None)
        recognition, match, stages = self._decode(utterance, used, over, decided, read)
        ended = self._stream_time(utterance.speech_end)
        self._fed = [item for item in self._fed if item[0] >= utterance.detected_at] or self._fed[-1:]
        interrupts = recognition.accepted and match is not None and match.intent in self.barge_in
        if answers is not None and not interrupts:
            return self._answer(utterance, answers, over, ended)
        if over and not interrupts:
            return None  # the assistant's own voice, or words that may not interrupt it
        return Hearing("utterance", recognition, match, used, over, utterance, ended,
                       stages=stages)

    def _read(self, utterance: Utterance, context: str) -> _Read:
        recognition = self.recognizer.decode(utterance.audio, context)
        decoded = time.monotonic()
        match = ((recognition.match or self.intents.match(recognition.text, context))
                 if recognition.accepted and self.intents else None)
        return _Read(recognition, match, decoded, time.monotonic())

    def _decode(self, utterance: Utterance, context: str, over: bool, decided: float,
                early: _Read | None = None) -> tuple[Recognition, Match | None, Stages]:
        """The utterance's words and meaning (`early`: already read before the end was
        decided), told to the session, with when each was ready for the reply."""
        read = early or self._read(utterance, context)
        if self.decoded is not None:
            self.decoded(read.recognition, read.match.intent if read.match else None, context,
                         over)
        stages = Stages(decided, max(decided, read.decoded), max(decided, read.matched),
                        early is not None)
        return read.recognition, read.match, stages

    def _answer(self, utterance: Utterance, context: str, over: bool, ended: float | None
                ) -> Hearing | None:
        """Words said while a question was spoken, heard in its answers' context: a hearing
        when they are wholly one of that context's own answers (not help, repeat or the like)."""
        if self.intents is None or utterance.duration_s > ANSWER_S:
            return None  # not decoded: longer than any answer
        recognition, match, stages = self._decode(utterance, context, over, time.monotonic())
        if not recognition.accepted or match is None or match.confidence < WHOLE_ANSWER \
                or match.intent not in self.intents.contexts.get(context, ()):
            return None
        return Hearing("utterance", recognition, match, context, over, utterance, ended,
                       stages=stages)

    def _stream_time(self, sample: int) -> float | None:
        """The capture time of one sample, from the stream times of the blocks it came in."""
        if not self._fed:
            return None
        start, captured = max((item for item in self._fed if item[0] <= sample),
                              default=self._fed[0])
        return captured + (sample - start) / SAMPLE_RATE


class _Blocks:
    """A finite stream of blocks read as a source (a recording), timed by position."""

    def __init__(self, blocks: Iterable[np.ndarray]):
        self._blocks: Iterator[np.ndarray] = iter(blocks)
        self._position = 0
        self.ended = False

    def read_timed(self, timeout: float) -> tuple[np.ndarray, float] | None:
        block = next(self._blocks, None)
        if block is None:
            self.ended = True
            return None
        at = self._position / SAMPLE_RATE
        self._position += len(block)
        return block, at


@dataclass(frozen=True)
class StreamRecognition:
    recognition: Recognition
    utterance: Utterance
    endpoint_s: float  # audio fed after the last speech sample before the end was decided
    early: bool = False  # decoded during that wait, from `SPECULATE_S` of silence on

    @property
    def latency_s(self) -> float:
        """From the end of speech to the recognition being ready, as a session has it: the
        wait, then the decode; or, when the decode began early, whichever ends later."""
        if self.early:
            return max(self.endpoint_s, SPECULATE_S + self.recognition.decode_s)
        return self.endpoint_s + self.recognition.decode_s


def recognise_stream(blocks: Iterable[np.ndarray], recognizer: Recognizer, context: str,
                     vad: VadConfig | None = None, answer: bool = True
                     ) -> StreamRecognition | None:
    """The first utterance of a recording, through the same loop as the microphone, heard as
    an answer to a question or (`answer` False) as a command; None if it held no speech."""
    source = _Blocks(blocks)
    listener = Listener(source, recognizer, vad=vad,
                        device_lost=lambda: "end of recording" if source.ended else None)
    heard = listener.listen(context, None, lambda: 0.0, finish_utterance=answer)
    if heard.kind == "lost":
        heard = listener.flush(context)
    if heard.recognition is None or heard.utterance is None:
        return None
    endpoint = (heard.utterance.detected_at - heard.utterance.speech_end) / SAMPLE_RATE
    return StreamRecognition(heard.recognition, heard.utterance, max(endpoint, 0.0),
                             heard.stages is not None and heard.stages.early)
