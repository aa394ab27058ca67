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

from .asr.base import Recognizer
from .asr.vad import Endpointer, VadConfig
from .audio.earcons import earcon
from .audio.microphone import Microphone
from .audio.output import Playback
from .audio.sources import resample
from .channel import Heard
from .preferences import Preferences
from .tts import Renderer

ECHO_TAIL_S = 0.3


class VoiceChannel:
    def __init__(self, renderer: Renderer | None, playback: Playback, microphone: Microphone,
                 recognizer: Recognizer, preferences: Preferences, vad: VadConfig | None = None,
                 transcript=None, intents=None):
        self.renderer = renderer
        self.playback = playback
        self.microphone = microphone
        self.recognizer = recognizer
        self.preferences = preferences
        self.rate_wpm = preferences.rate_wpm
        self.vad = vad
        self.transcript = transcript
        self.intents = intents

    def say(self, text: str) -> None:
        if self.renderer is None:
            print(text, flush=True)
            return
        speech = self.renderer.render(text, self.rate_wpm, self.preferences.voice)
        samples = (speech.samples.astype(float) * self.preferences.volume).astype("int16")
        clip = self.playback.play(samples, text[:40])
        clip.done.wait(speech.duration_s + 5)
        self.microphone.drop_until(time.monotonic() + ECHO_TAIL_S)
        time.sleep(ECHO_TAIL_S)
        self.microphone.drop_until(time.monotonic())

    def earcon(self, name: str) -> None:
        if not self.preferences.earcons:
            return
        samples = resample(earcon(name, volume=self.preferences.volume).astype(float), 22050)
        clip = self.playback.play(samples, name)
        clip.done.wait(2)
        self.microphone.drop_until(time.monotonic() + 0.1)

    def recognizer_intent(self, text: str, context: str) -> str | None:
        return self.intents.match(text, context).intent if self.intents else None

    def set_rate(self, wpm: int) -> None:
        self.rate_wpm = wpm

    def listen(self, context: str, timeout: float | None, prompt_id: str) -> Heard:
        self.earcon("listening")
        if self.transcript is not None:
            self.transcript.emit("listening", id=prompt_id, context=context)
        endpointer = Endpointer(self.vad)
        started = time.monotonic()
        while True:
            block = self.microphone.read(0.1)
            if block is not None:
                utterance = endpointer.feed(block)
                if utterance is not None:
                    recognition = self.recognizer.decode(utterance.audio, context)
                    if self.transcript is not None:
                        self.transcript.emit("recognition", text=recognition.text,
                                             accepted=recognition.accepted, reason=recognition.reason,
                                             decode_s=round(recognition.decode_s, 3))
                    if recognition.accepted:
                        return Heard("speech", recognition.text)
                    self.earcon("not_understood")
                    return Heard("rejected", recognition.text)
            waited = time.monotonic() - started
            if timeout is not None and waited > timeout and not endpointer.in_speech:
                return Heard("no_input")
            if block is None and waited > 3600:
                print("The microphone stopped sending audio.", file=sys.stderr)
                return Heard("closed")
