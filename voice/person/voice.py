"""The person at a microphone and speakers: the voice side of the conversation's port.

It joins three parts with one job each: the speaker (speech and earcons out),
the listener (the one endpointing loop, microphone to intent) and the device
watch (a headset unplugged, the sound server restarted).  What it adds is
the order between them: whatever the microphone caught while the assistant
spoke, plus a short tail for room echo, is thrown away so the assistant never
answers itself; a question may be cut short by "stop" said over it; a lost
device is waited for with the person's place kept.
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
from ..events import (
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
from ..transcript import Transcript
from ..understanding.base import Recognition, Recognizer
from ..understanding.intents import IntentSet
from ..understanding.listener import Hearing, Listener
from ..understanding.vad import VadConfig

ECHO_TAIL_S = 0.3  # after the assistant's last sample, the room's echo of it
EARCON_TAIL_S = 0.1
SOUND_WAIT_S = 5.0  # beyond a clip's own length: a stream stalled this long is lost


class DeviceGone(RuntimeError):
    """An audio device stopped and did not come back."""


class VoicePerson:
    sets_rate = True  # our own voice: the rate is the rate it speaks at

    def __init__(self, speaker: Speaker, listener: Listener,
                 preferences: PreferenceStore, clock: Clock, transcript: Transcript | None = None,
                 watch: Reconnector | None = None, texts: dict | None = None,
                 printed: IO[str] | None = None, captions: bool = True):
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
        # "stop" said over a question, kept for the next listen to return
        self._stopped_over_speech: Heard | None = None
        self._lost: str | None = None  # a device that stopped while a routine was listening
        self._speech_ended_at: float | None = None  # stream time the last answer ended
        self._reply: tuple[Clip, str] | None = None  # the first clip after the last answer
        self._dropouts_told = 0  # holes inside clips already reported to the transcript

    @property
    def lead_s(self) -> float:
        return self.speaker.lead_s

    # ------------------------------------------------------------ speech out
    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        if self.speaker.renderer is None:
            self._print(text)
            return
        if self._stopped_over_speech is not None:
            return  # the user said stop over a question: nothing more until the dialog hears it
        if self.captions:
            self._print(text)
        clip, seconds = self.speaker.line(spoken or text)
        deadline = time.monotonic() + seconds + SOUND_WAIT_S
        if interruptible:
            self.listener.fresh()
        # Until its last sample has left the device, not merely been handed over: the turn
        # passes to the person when they have heard the question out.
        while not self.speaker.sounded(clip, 0.02) and time.monotonic() < deadline:
            lost = self._device_lost()
            if lost:
                if not self._reconnect(lost):
                    raise DeviceGone(lost)
                if lost == "speakers" and self.texts.get("speakers_back"):
                    self.say(str(self.texts["speakers_back"]))
                self.say(text, interruptible, spoken)
                return
            if interruptible and self._heard_stop():
                self.speaker.cut()
                break
        self._played(clip, text[:40])
        self._deafen(clip, ECHO_TAIL_S)

    def cue(self, text: str, kind: str, duration: float, spoken: str | None = None) -> None:
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
        clip = self.speaker.earcon(name)
        if clip is None:
            return
        self.speaker.sounded(clip, SOUND_WAIT_S)
        self._played(clip, name)
        self._deafen(clip, EARCON_TAIL_S)

    # ------------------------------------------------------------- listening
    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        if prompt_id is None:
            return self._command(context, deadline)
        if self._stopped_over_speech is not None:
            stopped, self._stopped_over_speech = self._stopped_over_speech, None
            return stopped
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

    def _heard_stop(self) -> bool:
        """Listen under the assistant's own voice for "stop" alone (what has come in so far)."""
        heard = self.listener.listen(Context.BARGE_IN, self.clock.now(), self.clock.now,
                                     finish_utterance=False)
        if heard.kind == "utterance" and heard.intent == "stop" and heard.recognition:
            # the next question's answer: the words as heard, matched where they were heard
            self._stopped_over_speech = Heard("speech", heard.recognition.text, heard.match,
                                              heard.context)
            return True
        return False

    def decoded(self, recognition: Recognition, intent: str | None, context: str,
                over_speech: bool) -> None:
        """Every decode goes to the transcript (the listener calls this)."""
        if self.transcript is None:
            return
        self.transcript.emit(Recognised(recognition.text, recognition.accepted, recognition.reason,
                                        str(context), over_speech, round(recognition.decode_s, 3)))
        if over_speech and recognition.accepted:
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
        if self._dropouts_told and deepen is not None and deepen():
            if self.transcript is not None:
                self.transcript.emit(OutputBuffer(self.speaker.playback.requested_latency_s,
                                                  "dropouts"))

    def _report_reply(self) -> None:
        if self._reply is None or self._reply[0].started_at is None:
            return
        (clip, label), ended = self._reply, self._speech_ended_at
        self._reply, self._speech_ended_at = None, None
        if self.transcript is not None and ended is not None and clip.started_at is not None:
            self.transcript.emit(Replied(round((clip.started_at - ended) * 1000, 1), label))


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
                        device_lost=(watch.lost if watch else lambda: None))
    person = VoicePerson(speaker, listener, preferences, clock, transcript, watch, texts,
                         captions=captions)
    listener.decoded = person.decoded
    return person
