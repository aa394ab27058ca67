"""The person at a microphone and speakers: the voice side of the conversation's port.

It joins three parts with one job each: the speaker (speech and earcons out),
the listener (the one endpointing loop, microphone to intent) and the device
watch (a headset unplugged, the sound server restarted).  What it adds is
the order between them: whatever the microphone caught while the assistant
spoke, plus a short tail for room echo, is thrown away so the assistant never
answers itself; a question may be cut short by "stop" said over it; a lost
device is waited for with the person's place kept.

Answers said over a question (issue 29): with echo cancellation the
microphone hears the person and not the assistant, so the whole question is
the listening window: a yes, a number or a symptom said over it cuts it short
and is its answer.  Without echo cancellation the assistant's own voice may
sound like an answer ("... yes or no?"), so words over a question are never
taken as one (only "stop" is); the first time an answer comes too early the
person is told, once a session, to answer after the question
(`answer_after` in dialogs/session.yaml), so it is never met with silence.
The question's context is the one its `ask` event names in the transcript.
"""

from __future__ import annotations

import sys
import time
from typing import IO

from ..audio.echo import EchoCancelling
from ..audio.microphone import Microphone
from ..audio.mixer import Clip
from ..audio.output import Playback
from ..audio.reconnect import Reconnector
from ..clock import Clock
from ..conversation.contexts import Context
from ..conversation.port import Heard
from ..events.conversation import Asked, Said
from ..events.routine import CueKind
from ..events.transcript import Transcript
from ..events.voice import (
    BargeIn,
    DeviceBack,
    DeviceLost,
    DeviceNotBack,
    Dropout,
    Listening,
    OutputBuffer,
    Recognised,
    Replied,
)
from ..preferences import PreferenceStore
from ..speech.speaker import Speaker
from ..speech.tts import Renderer
from ..understanding.base import Recognition, Recognizer
from ..understanding.intents.model import IntentSet
from ..understanding.listener import Hearing, Listener, Stages
from ..understanding.vad import VadConfig
from ..understanding.words import normalise

ECHO_TAIL_S = 0.3  # after the assistant's last sample, the room's echo of it
HEAR_OUT_S = 2.0  # words begun over a question and still being said as it ends: waited for
EARCON_TAIL_S = 0.1
SOUND_WAIT_S = 5.0  # beyond a clip's own length: a stream stalled this long is lost


class DeviceGone(RuntimeError):
    """An audio device stopped and did not come back."""


class VoicePerson:
    sets_rate = True  # our own voice: the rate is the rate it speaks at
    reads_aloud = True
    types_answers = False

    def __init__(self, speaker: Speaker, listener: Listener,
                 preferences: PreferenceStore, clock: Clock, transcript: Transcript | None = None,
                 watch: Reconnector | None = None, texts: dict | None = None,
                 printed: IO[str] | None = None, captions: bool = True,
                 echo_cancelled: bool = False):
        self.speaker = speaker
        self.listener = listener
        self.preferences = preferences
        self.clock = clock
        self.transcript = transcript
        self.watch = watch
        self.texts = texts or {}  # the session's fixed texts (dialogs/session.yaml)
        self.printed = printed or sys.stdout  # captions, and lines when no speech engine works
        # Each line as it is spoken and each answer as it is heard, for a hard-of-hearing user
        # or a helper beside them (`--quiet` turns them off).
        self.captions = captions
        # the microphone is cleaned of the assistant's voice: answers may be said over a question
        self.echo_cancelled = echo_cancelled
        # "stop" or (echo cancelled) an answer said over a question, for the next listen to return
        self._over_speech: Heard | None = None
        self._asking: str | None = None  # the context of the question being asked
        self._told_answer_after = False  # "Please answer after the question.", once a session
        self._lost: str | None = None  # a device that stopped while a routine was listening
        self._speech_ended_at: float | None = None  # stream time the last answer ended
        self._reply: tuple[Clip, str] | None = None  # the first clip after the last answer
        self._stages: Stages | None = None  # when the last answer was decided, decoded, matched
        self._reply_asked: tuple[float, float] | None = None  # the reply asked for, and handed
        self._dropouts_told = 0  # holes inside clips already reported to the transcript
        self._holes_acted_on = 0  # of those, the ones the output buffer was deepened for
        listener.decoded = self.decoded  # every decode the listener makes goes to the transcript
        if transcript is not None:
            transcript.watch(self._asked)

    @property
    def lead_s(self) -> float:
        return self.speaker.lead_s

    # ------------------------------------------------------------ speech out
    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        if self.speaker.renderer is None:
            self._print(text)
            return
        if self._over_speech is not None:
            return  # the user answered (or said stop) over a question: nothing more until heard
        if self.captions:
            self._print(text)
        asked = time.monotonic()  # a latency stamp: see `_handed`
        clip, seconds = self.speaker.line(spoken or text)
        self._handed(asked)
        deadline = self.clock.now() + seconds + SOUND_WAIT_S
        answers = self._asking if interruptible else None
        if interruptible:
            self.listener.fresh()
        taken, early = None, None
        # Until its last sample has left the device, not merely been handed over: the turn
        # passes to the person when they have heard the question out.
        while not self.speaker.sounded(clip, 0.02) and self.clock.now() < deadline:
            lost = self._device_lost()
            if lost:
                if not self._reconnect(lost):
                    raise DeviceGone(lost)
                if lost == "speakers" and self.texts.get("speakers_back"):
                    self.say(str(self.texts["speakers_back"]))
                self.say(text, interruptible, spoken)
                return
            if interruptible:
                taken, early = self._heard_over(answers, early, spoken or text)
                if taken is not None:
                    self.speaker.cut()
                    break
        # words begun over the question and still being said as it ended are heard out
        hear_out = self.clock.now() + HEAR_OUT_S
        while (interruptible and taken is None and self.listener.endpointer.in_speech
               and self.clock.now() < hear_out):
            taken, early = self._heard_over(answers, early, spoken or text, wait_s=0.05)
        self._played(clip, text[:40])
        self._deafen(clip, ECHO_TAIL_S)
        if taken is not None:
            self._answered(taken)  # the reply's latency runs from these words
        elif early is not None and not self._told_answer_after and self.texts.get("answer_after"):
            self._told_answer_after = True
            line = str(self.texts["answer_after"])
            if self.transcript is not None:
                self.transcript.emit(Said(line))
            self.say(line)

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        if self.speaker.renderer is None or self.captions:
            self._print(text)
        if self.speaker.renderer is None:
            return
        self._played(self.speaker.cue(spoken or text, kind), kind)

    def _print(self, text: str) -> None:
        try:
            self.printed.write(text + "\n")
            self.printed.flush()
        except (OSError, ValueError):
            self.captions = False  # the terminal went away: the session goes on by voice

    def cut(self) -> None:
        self.speaker.cut()

    def earcon(self, name: str) -> None:
        asked = time.monotonic()  # a latency stamp: see `_handed`
        clip = self.speaker.earcon(name)
        if clip is None:
            return
        self._handed(asked)
        self.speaker.sounded(clip, SOUND_WAIT_S)
        self._played(clip, name)
        self._deafen(clip, EARCON_TAIL_S)

    # ------------------------------------------------------------- listening
    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if prompt_id is None:
            return self._command(context, deadline)
        if self._over_speech is not None:
            said, self._over_speech = self._over_speech, None
            if self.captions:
                self._print(f"> {said.text}")
            return said
        while True:
            self.earcon("listening")
            if self.transcript is not None:
                self.transcript.emit(Listening(prompt_id, str(context)))
            self.listener.fresh()
            heard = self.listener.listen(context, deadline, self.clock.now)
            if heard.kind == "deadline":
                return Heard("no_input")
            if heard.kind == "lost":
                if not self._reconnect(heard.lost or "microphone"):
                    return Heard("closed")
                if self.texts.get("microphone_back"):
                    self.say(str(self.texts["microphone_back"]))
                continue
            self._answered(heard)
            if heard.accepted and heard.recognition is not None:
                if self.captions:
                    self._print(f"> {heard.recognition.text}")
                return Heard("speech", heard.recognition.text, heard.match, heard.context)
            if self.captions:
                said = heard.recognition.text if heard.recognition else ""
                self._print(f"> {said} (not understood)" if said else "> (not understood)")
            self.earcon("not_understood")
            return Heard("rejected", heard.recognition.text if heard.recognition else "")

    def _command(self, context: str, deadline: float | None) -> Heard:
        """A command while a routine plays. A device that stops is said as such ("lost": the
        routine pauses with its place kept); the next call waits for it: "back", or closed."""
        if self._lost:
            what, self._lost = self._lost, None
            self.listener.fresh()
            return Heard("back", what) if self._reconnect(what) else Heard("closed")
        while True:
            heard = self.listener.listen(context, deadline, self.clock.now, finish_utterance=False)
            if heard.kind == "deadline":
                return Heard("no_input")
            if heard.kind == "lost":
                self._lost = heard.lost
                return Heard("lost", heard.lost or "")
            if heard.accepted and heard.recognition is not None:
                if self.captions:
                    self._print(f"> {heard.recognition.text}")
                return Heard("speech", heard.recognition.text, heard.match, heard.context)

    def _asked(self, event: object) -> None:
        if isinstance(event, Asked):
            self._asking = event.context

    def _heard_over(self, answers: str | None, early: Hearing | None, question: str,
                    wait_s: float = 0.0) -> tuple[Hearing | None, Hearing | None]:
        """Listen under a question (what has come in so far, or `wait_s` more) for words that
        end it: "stop" always; with echo cancellation also an answer of `answers` (the
        question's context) or a symptom.  What ends it is kept for the next listen to return;
        an answer that may not (no echo cancellation) comes back as `early`.  An answer in the
        question's own words ("ten" over "from zero to ten") may be its echo: never taken."""
        heard = self.listener.listen(Context.BARGE_IN, self.clock.now() + wait_s, self.clock.now,
                                     finish_utterance=False, answers=answers)
        if heard.kind != "utterance" or heard.recognition is None:
            return None, early
        is_answer = answers is not None and heard.context == answers
        if is_answer and set(normalise(heard.recognition.text)) <= set(normalise(question)):
            return None, early
        if heard.intent != "stop" and not self.echo_cancelled:
            return None, (early or heard) if is_answer else early
        # the next question's answer: the words as heard, matched where they were heard
        self._over_speech = Heard("speech", heard.recognition.text, heard.match, heard.context,
                                  overlapped=is_answer)
        if is_answer and self.transcript is not None:
            self.transcript.emit(BargeIn(heard.recognition.text, heard.intent))
        return heard, early

    def decoded(self, recognition: Recognition, intent: str | None, context: str,
                over_speech: bool) -> None:
        """Every decode goes to the transcript (the listener calls this)."""
        if self.transcript is None:
            return
        self.transcript.emit(Recognised(recognition.text, recognition.accepted, recognition.reason,
                                        str(context), over_speech, round(recognition.decode_s, 3)))
        if over_speech and recognition.accepted and intent and context == Context.BARGE_IN:
            self.transcript.emit(BargeIn(recognition.text, intent))

    # -------------------------------------------------------------- devices
    def _device_lost(self) -> str | None:
        return self.watch.lost() if self.watch else None

    def _reconnect(self, what: str) -> bool:
        """Wait for a lost device to come back; False if it did not (the session must end)."""
        if self.transcript is not None:
            self.transcript.emit(DeviceLost(what))
        back = self.watch is not None and self.watch.reconnect(what)
        if self.transcript is not None:
            self.transcript.emit(DeviceBack(what) if back else DeviceNotBack(what))
        return back

    def _deafen(self, clip: Clip, tail_s: float) -> None:
        """What the microphone catches until `tail_s` after a clip's last sample left the
        device is its echo in the room: not heard (no waiting: later blocks are skipped)."""
        if clip.ended_at is not None:
            self.listener.deaf_until = max(self.listener.deaf_until, clip.ended_at + tail_s)

    # ------------------------------------------------------- reply latency
    def _answered(self, heard: Hearing) -> None:
        self._deepen_if_starved()
        self._report_reply()
        self._reply = None
        self._speech_ended_at = heard.ended_at
        self._stages, self._reply_asked = heard.stages, None

    def _handed(self, asked: float) -> None:
        """A clip was asked for at `asked` and is handed to the output now: the reply's, when
        it is the first since an answer.  These two stamps are process time (time.monotonic),
        not the session's clock: they are set against the listener's and the audio callback's
        stamps, which are taken on that clock in other threads."""
        if self._speech_ended_at is not None and self._reply is None and self._reply_asked is None:
            self._reply_asked = (asked, time.monotonic())

    def _played(self, clip: Clip, label: str) -> None:
        """Note a clip handed to the output. The first one after an answer is the reply; its
        latency, from the user's last words to its first sample, is logged once it has sounded."""
        self._report_dropouts()
        self._report_reply()
        if self._speech_ended_at is not None and self._reply is None:
            self._reply = (clip, label)
        self._report_reply()

    def _report_dropouts(self) -> None:
        """Holes the output stream found inside a clip (it was starved of audio) go to the
        transcript, so a benchmark can count them."""
        holes = getattr(self.speaker.playback, "dropouts", [])
        if self.transcript is not None:
            for label, gap in holes[self._dropouts_told:]:
                self.transcript.emit(Dropout(label, round(gap * 1000, 1)))
        self._dropouts_told = len(holes)

    def _deepen_if_starved(self) -> None:
        """After a hole in the sound, the next reply comes from a deeper output buffer: the
        machine has turned busy, and speech that breaks up is worse than a later reply.
        Done here, between the person's answer and the reply, where nothing is playing."""
        self._report_dropouts()
        deepen = getattr(self.speaker.playback, "deepen", None)
        new_holes = self._dropouts_told > self._holes_acted_on
        self._holes_acted_on = self._dropouts_told
        if new_holes and deepen is not None and deepen():
            if self.transcript is not None:
                self.transcript.emit(OutputBuffer(self.speaker.playback.requested_latency_s,
                                                  "dropouts"))

    def _report_reply(self) -> None:
        if self._reply is None or self._reply[0].started_at is None:
            return
        (clip, label), ended = self._reply, self._speech_ended_at
        self._reply, self._speech_ended_at = None, None
        if self.transcript is not None and ended is not None and clip.started_at is not None:
            self.transcript.emit(Replied(round((clip.started_at - ended) * 1000, 1), label,
                                         **self._stage_times(ended, clip)))

    def _stage_times(self, ended: float, clip: Clip) -> dict[str, float]:
        """Each stage of the reply in ms from the end of the words (stream time), where all
        of them were seen: the process's own clock is put on the stream's by reading both."""
        stream_time = getattr(self.speaker.playback, "time", None)
        stages, asked = self._stages, self._reply_asked
        if stream_time is None or stages is None or asked is None or clip.written_at is None:
            return {}
        offset = stream_time - time.monotonic()
        moments = {"decided_ms": stages.decided, "decoded_ms": stages.decoded,
                   "matched_ms": stages.matched, "asked_ms": asked[0], "handed_ms": asked[1],
                   "written_ms": clip.written_at}
        return {name: round((at + offset - ended) * 1000, 1) for name, at in moments.items()}


def voice_person(renderer: Renderer | None, playback: Playback, microphone: Microphone,
                 recognizer: Recognizer, intents: IntentSet | None, preferences: PreferenceStore,
                 clock: Clock, transcript: Transcript | None = None, vad: VadConfig | None = None,
                 watch: Reconnector | None = None, texts: dict | None = None,
                 captions: bool = False, echo_cancellation: bool = False) -> VoicePerson:
    """A voice person wired from its devices: the speaker's playing tells the listener when
    the assistant's own voice is in the microphone (and, with `echo_cancellation`, what to
    take out of it), and the watch tells it of a lost device."""
    speaker = Speaker(renderer, playback, preferences)
    # short of CPU, the canceller rests while nothing could echo (`EchoCancelling`)
    source = (EchoCancelling(microphone, playback, rest=lambda: playback.short_of_cpu)
              if echo_cancellation else microphone)
    # What may interrupt the assistant's own voice: the barge_in context's intents in
    # intents.yaml, and stop (of the global ones, only stop works over speech).
    own = intents.contexts.get(Context.BARGE_IN, ()) if intents else ()
    listener = Listener(source, recognizer, intents, vad, barge_in_context=Context.BARGE_IN,
                        barge_in=frozenset(own) | {"stop"},
                        speaking=lambda captured: playback.speaking_at(captured, ECHO_TAIL_S),
                        device_lost=(watch.lost if watch else lambda: None),
                        # a decode thrown away costs seconds to a process starved of CPU
                        spare_cpu=lambda: not getattr(playback, "short_of_cpu", False))
    return VoicePerson(speaker, listener, preferences, clock, transcript, watch, texts,
                       captions=captions, echo_cancelled=echo_cancellation)
