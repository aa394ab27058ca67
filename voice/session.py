"""Wiring one spoken session: devices, speech out, recogniser, the menu, triage and stretches.

Everything here is plumbing between modules that are tested on their own; the
decisions (what to ask, when to advise, when to cue) live in the dialogs and
the player.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

import numpy as np

from .audio.devices import list_devices, missing
from .audio.output import Playback
from .audio.reconnect import Reconnector
from .clock import MonotonicClock
from .content import Content
from .conversation.contexts import Context
from .conversation.dialog import Dialog
from .conversation.player import Player
from .conversation.routines import RoutineBook, load_book
from .conversation.settings import Settings
from .conversation.timeline import estimated, intro_text, routine_duration_s, routine_segments
from .preferences import Preferences, load_preferences, save_preferences
from .speech.tts import make_renderer
from .transcript import Transcript
from .understanding.engines import make_recognizer
from .understanding.vad import Endpointer
from .voice_channel import DeviceGone, VoiceChannel


@dataclass
class VoiceOptions:
    emergency_number: str = "911"
    timeout: float | None = 8.0
    input_device: str | None = None
    output_device: str | None = None
    engine: str = "auto"
    model: str | None = None
    transcript: str | None = None
    rate_wpm: int | None = None  # --rate; None: the saved preference


EARCON_BEFORE = {"start": "hold_start", "end": "hold_end"}  # the tone marks the moment itself
EARCON_AFTER = {"closing": "routine_end"}
EARCON_GAP_S = 0.05
EARCON_UNDER_WORDS = 0.5  # the tone's level under the words


class SpokenCues:
    """The player's speaker: cues go to the output stream without waiting.

    A hold's start and end carry an earcon, so someone following with eyes
    closed knows the moment even over the words. The tone sounds under the
    words at half level, starting with them: a tone before the words would
    make the cue longer than the timeline planned and push later cues back.
    """

    def __init__(self, channel: VoiceChannel):
        self.channel = channel
        self.playback = channel.playback

    @property
    def lead_s(self) -> float:
        """The player starts each cue this much early, so its first sample sounds on time."""
        return self.playback.lead_s

    def speak(self, text: str, kind: str, duration: float) -> None:
        samples = self.channel.speech(text)
        gap = np.zeros(int(EARCON_GAP_S * 16000), np.int16)
        before = self.channel.earcon_samples(EARCON_BEFORE[kind]) if kind in EARCON_BEFORE else None
        after = self.channel.earcon_samples(EARCON_AFTER[kind]) if kind in EARCON_AFTER else None
        if before is not None:  # under the words, so the cue is no longer than the timeline thinks
            length = max(len(samples), len(before))
            mixed = np.zeros(length, np.float64)
            mixed[:len(samples)] += samples
            mixed[:len(before)] += before * EARCON_UNDER_WORDS
            samples = np.clip(mixed, -32768, 32767).astype(np.int16)
        if after is not None:
            samples = np.concatenate([samples, gap, after.astype(np.int16)])
        self.channel.played(self.playback.play(samples, kind), kind)

    def cut(self) -> None:
        self.playback.cut()

    def set_rate(self, wpm: int) -> None:
        self.channel.set_rate(wpm)  # the channel owns the rate; the session saves it from there


class SpokenCommands:
    """Commands heard on the microphone during a routine.

    While the assistant is speaking, the microphone hears it too, so only a
    barge-in is accepted then: the small `barge_in` grammar (stop, pause, it
    hurts, the symptoms), the recogniser's strictest threshold, and nothing else.
    """

    def __init__(self, channel: VoiceChannel, clock: MonotonicClock, transcript: Transcript):
        self.channel = channel
        self.clock = clock
        self.transcript = transcript
        self.endpointer = Endpointer(channel.vad)
        self._was_busy = False
        self._busy_during = False
        self._lost: str | None = None  # a device that stopped; the routine is paused until it is back
        # What may interrupt the assistant's own voice: the barge_in context's own intents in
        # intents.yaml, and stop (of the global ones, only stop works over speech).
        own = channel.intents.contexts.get(Context.BARGE_IN, ()) if channel.intents else ()
        self.barge_in = frozenset(own) | {"stop"}

    def _listen_until(self, deadline: float | None, context: str) -> str | None:
        mic = self.channel.microphone
        if self._lost:
            what, self._lost = self._lost, None
            self.endpointer.reset()
            return "resume" if self.channel.reconnect(what) else "stop"
        while deadline is None or self.clock.now() < deadline:
            busy = self.channel.playback.busy
            if busy != self._was_busy and not self.endpointer.in_speech:
                self.endpointer.reset()
            self._was_busy = busy
            wait = 0.05 if deadline is None else max(0.0, min(0.05, deadline - self.clock.now()))
            block = mic.read(wait)
            if block is None:
                self._lost = self.channel.device_lost()
                if self._lost:
                    return "pause"  # the player keeps its place; the next call reconnects
                continue
            if not self.endpointer.in_speech:
                self._busy_during = busy
            elif busy:
                self._busy_during = True
            utterance = self.endpointer.feed(block)
            if utterance is None:
                continue
            heard, intent = self.channel.hear(utterance.audio, context, over_speech=self._busy_during)
            if not heard.accepted or (self._busy_during and intent not in self.barge_in):
                continue
            return heard.text
        return None

    def poll(self, deadline: float) -> str | None:
        return self._listen_until(deadline, Context.PLAYER)

    def next_command(self) -> str | None:
        return self._listen_until(None, Context.PLAYER)

    def ask(self, timeout: float | None, context: Context = Context.PAIN_SCALE) -> str | None:
        deadline = None if timeout is None else self.clock.now() + timeout
        while True:
            self.channel.earcon("listening")
            # The id names what is asked: the pain score, or a yes/no after "it hurts".
            self.transcript.emit("listening", id="pain" if context == Context.PAIN_SCALE
                                 else "hurts_check", context=context)
            answer = self._listen_until(deadline, context)
            if not self._lost:
                return answer
            what, self._lost = self._lost, None  # a device went while asking: ask again once back
            if not self.channel.reconnect(what):
                return None


def routine_sentences(book: RoutineBook) -> list[str]:
    """Every cue of every routine as the timeline words it, so a routine starts without a
    pause to render its cues. The intro's minutes come from estimated durations, give or take one."""
    texts: list[str] = []
    for routine in book.routines.values():
        minutes = round(routine_duration_s(book, routine, estimated(170)) / 60)
        texts += [intro_text(book, routine, m) for m in (minutes, minutes - 1, minutes + 1) if m >= 1]
        for segment in routine_segments(book, routine, estimated(170)):
            texts += [cue.text for cue in segment.cues]
    texts += [text for text in book.cues.text.values() if "{" not in text]
    return list(dict.fromkeys(texts))


def session_preferences(saved: Preferences, options: VoiceOptions) -> Preferences:
    """The saved preferences with this session's `--rate` over them. The override is not saved;
    a change said during the session ("slower") is."""
    if options.rate_wpm is None:
        return saved
    return replace(saved, rate_wpm=options.rate_wpm)


def run_voice_session(content: Content, options: VoiceOptions) -> int:
    devices, problem = list_devices()
    lacking = missing(devices) if not problem else [problem]
    if lacking:
        print(f"Voice mode needs a microphone and speakers, but {' and '.join(lacking)}. "
              "Continuing in text mode: type your answers.", file=sys.stderr)
        return -1  # the caller falls back to text mode
    saved, note = load_preferences()
    if note:
        print(note, file=sys.stderr)
    preferences = session_preferences(saved, options)
    renderer, speech_note = make_renderer()
    if speech_note:
        print(speech_note, file=sys.stderr)
    choice = make_recognizer(options.engine, content.intents, options.model)
    from .audio.microphone import Microphone

    playback = Playback(options.output_device)
    microphone = Microphone(options.input_device)
    if not microphone.wait_ready(10):
        print("The microphone sends no audio; continuing in text mode.", file=sys.stderr)
        playback.close()
        microphone.close()
        return -1
    clock = MonotonicClock()
    settings = Settings(emergency_number=options.emergency_number, rate_wpm=preferences.rate_wpm,
                        no_input_timeout=options.timeout)
    with Transcript(clock, options.transcript) as transcript:
        channel = VoiceChannel(renderer, playback, microphone, choice.recognizer, preferences,
                               transcript=transcript, intents=content.intents,
                               reconnector=Reconnector(playback, microphone),
                               texts=dict(content.session.texts))
        engine_note = str(content.session.texts.get(f"engine_{choice.recognizer.name}", ""))
        print(choice.note, file=sys.stderr)
        transcript.emit("engine", name=choice.recognizer.name, note=choice.note.splitlines()[0])
        book = load_book(content.folder)

        def triage(_routine: str | None = None, _values: dict | None = None) -> None:
            Dialog(content.triage, content.intents, channel, clock, settings, transcript,
                   handoffs={"stretches": stretches}).run()

        def stretches(routine_id: str | None, values: dict | None = None) -> None:
            if renderer is None:
                return
            routine = book.routines[routine_id or "neck"]
            pain = (values or {}).get("pain_before")  # the symptom check asked it already
            Player(book, routine, content.intents, SpokenCues(channel),
                   SpokenCommands(channel, clock, transcript), clock,
                   lambda wpm: renderer.duration(wpm, preferences.voice),
                   Settings(rate_wpm=channel.rate_wpm, no_input_timeout=options.timeout),
                   transcript, pain_before=pain if isinstance(pain, int) else None).run()

        def screened(routine_id: str | None, _values: dict | None = None) -> None:
            """Stretches from the menu: no symptom check cleared them, so the short screen first."""
            Dialog(content.prescreen, content.intents, channel, clock, settings, transcript,
                   handoffs={"stretches": lambda _routine, values: stretches(routine_id, values)}
                   ).run()

        session = Dialog(content.session, content.intents, channel, clock, settings, transcript,
                         handoffs={"triage": triage, "stretches": screened})
        if renderer is not None:
            triage_dialog = Dialog(content.triage, content.intents, channel, clock, settings, transcript)
            screen = Dialog(content.prescreen, content.intents, channel, clock, settings, transcript)
            # What is said first comes first: the dialogs' steps, then fixed texts and advice.
            first = [*([engine_note] if engine_note else []), *session.sentences(steps_only=True),
                     *triage_dialog.sentences(steps_only=True), *screen.sentences(steps_only=True)]
            rest = [*session.sentences(), *triage_dialog.sentences(), *screen.sentences(),
                    *routine_sentences(book)]
            renderer.prefetch(list(dict.fromkeys(first + rest)), channel.rate_wpm, preferences.voice)
        try:
            if engine_note:
                channel.say(engine_note)
            session.run()
        except DeviceGone as gone:
            print(f"The {gone} did not come back, so the session has ended. Run backcare again "
                  "when it is connected, or use 'backcare triage --text'.", file=sys.stderr)
            playback.close(abort=True)
            microphone.close(abort=True)
            return 3
        if channel.rate_wpm != preferences.rate_wpm:  # from whichever part of the session
            save_preferences(Preferences(channel.rate_wpm, preferences.voice,
                                         preferences.volume, preferences.earcons))
    playback.close()
    microphone.close()
    return 0
