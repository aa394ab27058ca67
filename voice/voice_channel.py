"""The dialog channel for a voice session: speak through the speakers, listen on the microphone.

Speech is rendered first and played to completion; whatever the microphone
caught while the assistant spoke (plus a short tail for room echo) is thrown
away, so the assistant never answers itself.  Listening plays the "I'm
listening" earcon, then waits for speech with the endpointer; a recognition
that is rejected comes back as "rejected" (not understood), silence until
the time limit as "no_input".
"""

from __future__ import annotations

import sys
import time

import numpy as np

from .audio.earcons import earcon
from .audio.microphone import Microphone
from .audio.output import Playback
from .audio.reconnect import Reconnector
from .audio.sources import SAMPLE_RATE, resample
from .channel import Heard
from .conversation.contexts import Context
from .preferences import Preferences
from .speech.tts import Renderer
from .understanding.base import Recognition, Recognizer
from .understanding.vad import Endpointer, VadConfig

ECHO_TAIL_S = 0.3
BARGE_IN_CONTEXT = Context.BARGE_IN


class DeviceGone(RuntimeError):
    """An audio device stopped and did not come back."""


class VoiceChannel:
    def __init__(self, renderer: Renderer | None, playback: Playback, microphone: Microphone,
                 recognizer: Recognizer, preferences: Preferences, vad: VadConfig | None = None,
                 transcript=None, intents=None, reconnector: Reconnector | None = None,
                 texts: dict | None = None):
        self.renderer = renderer
        self.texts = texts or {}  # the session's fixed texts (dialogs/session.yaml)
        self.playback = playback
        self.microphone = microphone
        self.recognizer = recognizer
        self.preferences = preferences
        self.rate_wpm = preferences.rate_wpm
        self.vad = vad
        self.transcript = transcript
        self.intents = intents
        self._speech_ended_at: float | None = None  # stream time the last answer ended
        self.reconnector = reconnector
        self._stopped_over_speech = False
        self._reply: tuple | None = None  # the first clip played after the user's last answer

    def device_lost(self) -> str | None:
        return self.reconnector.lost() if self.reconnector else None

    def reconnect(self, what: str) -> bool:
        """Wait for a lost device to come back; False if it did not (the session must end)."""
        if self.transcript is not None:
            self.transcript.emit("device_lost", device=what)
        back = self.reconnector is not None and self.reconnector.reconnect(what)
        if self.transcript is not None:
            self.transcript.emit("device_back" if back else "device_gone", device=what)
        return back

    def played(self, clip, label: str) -> None:
        """Note a clip handed to the output. The first one after an answer is the reply; its
        latency, from the user's last words to its first sample, is logged once it has sounded."""
        self._report_reply()
        if self._speech_ended_at is not None and self._reply is None:
            self._reply = (clip, label)
        self._report_reply()

    def _report_reply(self) -> None:
        if self._reply is None or self._reply[0].started_at is None:
            return
        (clip, label), ended = self._reply, self._speech_ended_at
        self._reply, self._speech_ended_at = None, None
        if self.transcript is not None and ended is not None:
            self.transcript.emit("reply", latency_ms=round((clip.started_at - ended) * 1000, 1),
                                 to=label)

    def say(self, text: str, interruptible: bool = False) -> None:
        if self.renderer is None:
            print(text, flush=True)
            return
        if self._stopped_over_speech:
            return  # the user said stop over a question: nothing more until the dialog hears it
        samples = self.speech(text)
        clip = self.playback.play(samples, text[:40])
        deadline = time.monotonic() + len(samples) / SAMPLE_RATE + 5
        barge_in = Endpointer(self.vad) if interruptible else None
        while not clip.done.wait(0.02) and time.monotonic() < deadline:
            lost = self.device_lost()
            if lost:
                if not self.reconnect(lost):
                    raise DeviceGone(lost)
                if lost == "speakers" and self.texts.get("speakers_back"):
                    self.say(str(self.texts["speakers_back"]))
                self.say(text, interruptible)
                return
            if barge_in is not None and self._heard_stop(barge_in):
                self.playback.cut()
                break
        self.played(clip, text[:40])
        self.microphone.drop_until(time.monotonic() + ECHO_TAIL_S)
        time.sleep(ECHO_TAIL_S)
        self.microphone.drop_until(time.monotonic())

    def speech(self, text: str) -> np.ndarray:
        """`text` rendered at the user's rate, voice and volume."""
        speech = self.renderer.render(text, self.rate_wpm, self.preferences.voice)
        return (speech.samples.astype(float) * self.preferences.volume).astype(np.int16)

    def hear(self, audio: np.ndarray, context: str, over_speech: bool = False
             ) -> tuple[Recognition, str | None]:
        """Recognise one utterance and log it. Over the assistant's own voice only the small
        barge-in grammar is used (at the recogniser's strictest threshold), so the assistant's
        speech does not answer or stop itself."""
        context = BARGE_IN_CONTEXT if over_speech else context
        heard = self.recognizer.decode(audio, context)
        intent = self.recognizer_intent(heard.text, context) if heard.accepted else None
        if self.transcript is not None:
            self.transcript.emit("recognition", text=heard.text, accepted=heard.accepted,
                                 reason=heard.reason, context=context, over_speech=over_speech,
                                 decode_s=round(heard.decode_s, 3))
            if over_speech and heard.accepted:
                self.transcript.emit("barge_in", text=heard.text, intent=intent)
        return heard, intent

    def _heard_stop(self, endpointer: Endpointer) -> bool:
        """Listen under the assistant's own voice for "stop" alone."""
        while (timed := self.microphone.read_timed(0)) is not None:
            utterance = endpointer.feed(timed[0])
            if utterance is None:
                continue
            _, intent = self.hear(utterance.audio, BARGE_IN_CONTEXT, over_speech=True)
            if intent == "stop":
                self._stopped_over_speech = True
                return True
        return False

    def earcon_samples(self, name: str) -> np.ndarray | None:
        """The earcon at the output rate, or None when the user has switched earcons off."""
        if not self.preferences.earcons:
            return None
        return resample(earcon(name, volume=self.preferences.volume).astype(float), 22050)

    def earcon(self, name: str) -> None:
        samples = self.earcon_samples(name)
        if samples is None:
            return
        clip = self.playback.play(samples, name)
        clip.done.wait(2)
        self.played(clip, name)
        self.microphone.drop_until(time.monotonic() + 0.1)

    def recognizer_intent(self, text: str, context: str) -> str | None:
        return self.intents.match(text, context).intent if self.intents else None

    def set_rate(self, wpm: int) -> None:
        self.rate_wpm = wpm

    def listen(self, context: str, timeout: float | None, prompt_id: str) -> Heard:
        if self._stopped_over_speech:
            self._stopped_over_speech = False
            return Heard("speech", "stop")
        self.earcon("listening")
        if self.transcript is not None:
            self.transcript.emit("listening", id=prompt_id, context=context)
        endpointer = Endpointer(self.vad)
        started = time.monotonic()
        fed: list[tuple[int, float]] = []  # (endpointer position, stream time) of each block
        position = 0
        while True:
            timed = self.microphone.read_timed(0.1)
            block = None if timed is None else timed[0]
            if timed is not None:
                fed.append((position, timed[1]))
                position += len(timed[0])
                utterance = endpointer.feed(timed[0])
                if utterance is not None:
                    self._report_reply()
                    self._reply = None
                    self._speech_ended_at = _stream_time(fed, utterance.speech_end)
                    recognition, _ = self.hear(utterance.audio, context)
                    if recognition.accepted:
                        return Heard("speech", recognition.text)
                    self.earcon("not_understood")
                    return Heard("rejected", recognition.text)
            waited = time.monotonic() - started
            if timeout is not None and waited > timeout and not endpointer.in_speech:
                return Heard("no_input")
            lost = self.device_lost() if block is None else None
            if lost:
                if not self.reconnect(lost):
                    return Heard("closed")
                if self.texts.get("microphone_back"):
                    self.say(str(self.texts["microphone_back"]))
                return self.listen(context, timeout, prompt_id)
            if block is None and waited > 3600:
                print("The microphone stopped sending audio.", file=sys.stderr)
                return Heard("closed")


def _stream_time(fed: list[tuple[int, float]], sample: int) -> float:
    """The capture time of one sample, from the stream times of the blocks it came in."""
    start, captured = max((item for item in fed if item[0] <= sample), default=fed[0])
    return captured + (sample - start) / SAMPLE_RATE
