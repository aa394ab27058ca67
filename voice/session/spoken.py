"""Wiring one spoken session: devices, speech out, recogniser, the menu, triage and stretches.

Everything here is plumbing between modules that are tested on their own; the
decisions (what to ask, when to advise, when to cue) live in the dialogs and
the player.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..audio.alsa import AlsaMessages
from ..audio.devices import device_absent, list_devices
from ..audio.echo import available as echo_available
from ..audio.microphone import Microphone
from ..audio.output import BUSY_LATENCY_S, DEEP_LATENCY_S, LATENCY_S, Playback
from ..audio.reconnect import Reconnector
from ..clock import Clock, MonotonicClock
from ..conversation.content import Content
from ..conversation.dialog.engine import Dialog
from ..conversation.routine.book import RoutineBook
from ..conversation.routine.timeline import estimated, intro_text, routine_duration_s, routine_segments
from ..events.transcript import Transcript
from ..events.voice import AudioMessages, EngineChosen, Failed
from ..journal.recorder import journaled, open_recorder
from ..person.spoken_text import SpokenTextPerson, spoken_text_person
from ..person.voice import DeviceGone, VoicePerson, voice_person
from ..preferences import (
    Preferences,
    PreferencesError,
    PreferenceStore,
    load_preferences,
    save_preferences,
)
from ..speech.hibari_engine import DEFAULT_VOICE
from ..speech.tts import Renderer, make_renderer
from ..understanding.engines import make_recognizer
from .errors import DeviceGoneForGood, NoSound, NoSuchDevice, SpeechFailed
from .flow import Flow
from .mode import SILENT_MICROPHONE, choose_mode
from .screen_reader import captions_wanted

DEFAULT_RECOGNISER = "whisper"  # what "auto" tries first (understanding.engines)


def _notice(line: str) -> None:
    """What the session tells the person outside the conversation (a device missing, a
    setting not saved): one line on stderr, kept off stdout's captions, and short, because a
    screen reader reads every line of it aloud."""
    print(line, file=sys.stderr)


@dataclass
class VoiceOptions:
    emergency_number: str | None = None  # --emergency-number; None: the locale's
    timeout: float | None = None  # --timeout for this session (not saved); 0: none; None: saved
    input_device: str | None = None
    output_device: str | None = None
    engine: str = "auto"
    model: str | None = None
    transcript: str | None = None
    rate_wpm: int | None = None  # --rate; None: the saved preference
    data_dir: str | None = None  # where the journal is kept (--data-dir)
    voice: str | None = None  # --voice: chosen now, and kept for next time
    # print each line and each answer as it happens (--captions, --quiet); None: unless a
    # screen reader is running (it would read them over the voice)
    captions: bool | None = None
    echo_cancellation: bool = True  # take the assistant's own voice out of the microphone
    speak: bool = False  # --speak: spoken lines, typed answers (also when there is no microphone)
    verbose: bool = False  # --verbose: which recogniser and model, and why, on stderr


def routine_sentences(book: RoutineBook, rate_wpm: int) -> list[str]:
    """Every cue of every routine as the timeline words it, so a routine starts without a
    pause to render its cues. The intro's minutes come from durations estimated at the
    session's rate, give or take one."""
    texts: list[str] = []
    durations = estimated(rate_wpm)
    for routine in book.routines.values():
        minutes = round(routine_duration_s(book, routine, durations) / 60)
        texts += [intro_text(book, routine, m) for m in (minutes, minutes - 1, minutes + 1) if m >= 1]
        for segment in routine_segments(book, routine, durations):
            texts += [cue.text for cue in segment.cues]
    texts += [text for text in book.cues.text.values() if "{" not in text]
    return list(dict.fromkeys(texts))


def session_preferences(saved: Preferences, options: VoiceOptions,
                        locale_voice: str | None = None) -> PreferenceStore:
    """The session's one owner of the preferences: the saved ones with this session's `--rate`
    and `--timeout` over them. The overrides are not saved; a change said during the session
    ("slower") is (`PreferenceStore.to_save`), and so is a voice chosen with `--voice`.
    `locale_voice`: the locale's voice (installed), for a person who never chose one."""
    chosen = saved
    if saved.voice is None and locale_voice is not None:
        chosen = replace(chosen, voice=locale_voice)
    if options.timeout is not None:
        chosen = replace(chosen, time_limit_s=options.timeout or None)
    if options.rate_wpm is not None:
        chosen = replace(chosen, rate_wpm=options.rate_wpm)
    store = PreferenceStore(chosen)
    if options.voice is not None:
        store.change(voice=options.voice)  # a choice of voice is kept, unlike --rate
    return store


@dataclass
class VoiceIO:
    """The open devices of a voice session and the person wired to them."""

    person: VoicePerson | SpokenTextPerson
    playback: Playback
    microphone: Microphone | None  # None: answers are typed (--speak, or no microphone)
    preferences: PreferenceStore
    saved: Preferences
    renderer: Renderer | None
    engine_note: str  # said once at the start: which recogniser listens
    alsa: AlsaMessages  # alsa-lib's messages, kept off the terminal while the streams live

    def close(self, abort: bool = False) -> None:
        self.playback.close(abort=abort)
        if self.microphone is not None:
            self.microphone.close(abort=abort)
        self.alsa.restore()
        if self.alsa.count and self.person.transcript is not None:
            self.person.transcript.emit(AudioMessages(self.alsa.count, list(self.alsa.last)))

    def save_preferences(self) -> None:
        """What the person changed during the session (from whichever part of it)."""
        changed = self.preferences.to_save(self.saved)
        if changed is not None:
            try:
                save_preferences(changed)
            except PreferencesError as error:
                _notice(f"Your new settings were not saved: the settings file could not be read "
                        f"({error}), so it was left as it is. Fix or delete it.")
            except OSError as error:
                _notice(f"Your settings could not be saved ({error.strerror or error}).")


def runnable_now(samples: int = 5, gap_s: float = 0.02,
                 read: Callable[[], str] = lambda: Path("/proc/loadavg").read_text()) -> float:
    """How many other threads want a CPU now: the median of a few reads of the kernel's run
    queue (this process's own reader aside).  The one-minute load average lags: it is still
    above the cores a minute after a build ends, and then a session would start with the deep
    buffer (and slow replies) on a machine that is idle again.  Where /proc is not there, the
    one-minute average."""
    counts = []
    try:
        for index in range(samples):
            if index:
                time.sleep(gap_s)
            counts.append(int(read().split()[3].split("/")[0]) - 1)
    except (OSError, IndexError, ValueError):
        return os.getloadavg()[0]
    return float(statistics.median(counts))


def output_latency(niceness: Callable[[], int] = lambda: os.getpriority(os.PRIO_PROCESS, 0),
                   load: Callable[[], float] = runnable_now,
                   cores: int | None = None) -> float:
    """The output buffer to start with: short, so replies come quickly, unless this process
    is already short of CPU, where speech would break up without a deeper one: the deepest
    started at a lower priority, a deeper one on a machine whose run queue is longer than
    its cores.
    `BACKCARE_OUTPUT_LATENCY_S` sets another, for `python -m bench.hands_free` to measure
    the trade-off."""
    override = os.environ.get("BACKCARE_OUTPUT_LATENCY_S")
    if override:
        try:
            return max(0.02, float(override))
        except ValueError:
            pass
    try:
        if niceness() > 0:
            return DEEP_LATENCY_S
        busy = load() > (cores or os.cpu_count() or 1)
    except (OSError, AttributeError):
        busy = False  # not knowable here (getloadavg is Unix-only)
    return BUSY_LATENCY_S if busy else LATENCY_S


def open_voice(content: Content, options: VoiceOptions, clock: Clock,
               transcript: Transcript) -> VoiceIO:
    """The devices opened and a voice person on them (or, with no microphone or --speak, a
    person who hears the lines and types the answers).  NoSound when there are no speakers
    (the caller carries on in text), NoSuchDevice when a device asked for is not there."""
    alsa = AlsaMessages().install()  # before PortAudio starts: it probes devices noisily
    devices, problem = list_devices()
    wanted = [("speakers", options.output_device)]
    if not options.speak:
        wanted.insert(0, ("microphone", options.input_device))
    for role, device in wanted:
        absent = device_absent(devices, device, role)
        if absent:
            alsa.restore()
            raise NoSuchDevice(absent)
    chosen = choose_mode(devices, problem, options.speak)
    if chosen.mode == "text":
        alsa.restore()
        raise NoSound(chosen.notice)
    if chosen.notice:
        _notice(chosen.notice)
    if chosen.mode == "speak":
        options = _typing(options)
    saved, note = load_preferences()
    if note:
        _notice(note)
    preferences = session_preferences(saved, options, installed_locale_voice(content.locale.voice))
    renderer, speech_note = make_renderer(preferences.now.voice)
    if speech_note:
        _notice(speech_note)
    captions = captions_wanted(options.captions)
    if chosen.mode == "speak":
        return _typed_answers(renderer, options, preferences, saved, clock, transcript, captions, alsa)
    choice = make_recognizer(options.engine, content.intents, options.model,
                             language=content.locale.code)
    cancel_echo = options.echo_cancellation and echo_available() is None
    if options.echo_cancellation and not cancel_echo:
        _notice(f"{echo_available()}; only a whole command is heard over the assistant's voice.")
    playback = Playback(options.output_device, latency_s=output_latency())
    microphone = Microphone(options.input_device)
    if not microphone.wait_ready(10):
        _notice(SILENT_MICROPHONE)
        playback.close()
        microphone.close()
        preferences = session_preferences(saved, _typing(options),
                                          installed_locale_voice(content.locale.voice))
        return _typed_answers(renderer, options, preferences, saved, clock, transcript, captions, alsa)
    person = voice_person(renderer, playback, microphone, choice.recognizer, content.intents,
                          preferences, clock, transcript,
                          watch=Reconnector(playback, microphone),
                          texts=dict(content.session.texts), captions=captions,
                          echo_cancellation=cancel_echo)
    said = recogniser_line(choice.recognizer.name, choice.note, options.verbose)
    if said:
        _notice(said)
    transcript.emit(EngineChosen(choice.recognizer.name, choice.note.splitlines()[0],
                                 renderer.engine.name if renderer else None, cancel_echo))
    engine_note = str(content.session.texts.get(f"engine_{choice.recognizer.name}", ""))
    return VoiceIO(person, playback, microphone, preferences, saved, renderer, engine_note, alsa)


def _typing(options: VoiceOptions) -> VoiceOptions:
    """Typed answers take their time, as in text mode: no time limit unless --timeout."""
    return options if options.timeout is not None else replace(options, timeout=0)


def _typed_answers(renderer: Renderer | None, options: VoiceOptions, preferences: PreferenceStore,
                   saved: Preferences, clock: Clock, transcript: Transcript, captions: bool,
                   alsa: AlsaMessages) -> VoiceIO:
    """The speakers opened and a person who hears the lines and types the answers: no
    microphone, no recogniser."""
    playback = Playback(options.output_device, latency_s=output_latency())
    person = spoken_text_person(renderer, playback, preferences, clock, transcript, captions)
    transcript.emit(EngineChosen("typed", "answers are typed",
                                 renderer.engine.name if renderer else None, False))
    return VoiceIO(person, playback, None, preferences, saved, renderer, "", alsa)


def recogniser_line(name: str, note: str, verbose: bool = False) -> str:
    """What stderr says about the recogniser at a voice start: nothing for the default one
    (a model's folder read aloud by a screen reader is noise), its name for another, and
    the whole note (folder, and why a better one was not used) with --verbose."""
    if verbose:
        return note
    if name == DEFAULT_RECOGNISER:
        return ""
    return f"Using the {name} recogniser (--verbose says why)."


def installed_locale_voice(voice: str | None) -> str | None:
    """The locale's natural voice when it can speak here (bundled or downloaded), else None
    (the default voice)."""
    if voice is None or voice == DEFAULT_VOICE:
        return voice
    from ..modelfiles.find import installed_voices

    return voice if voice in installed_voices() else None


def run_voice_session(content: Content, options: VoiceOptions, routine: str | None = None) -> None:
    """The voice session: the menu, or (`routine`) that routine with the check before it.
    Raises a `TextInstead` when the command should carry on in text (no speakers, or the
    speech system failed), NoSuchDevice or DeviceGoneForGood when it should end."""
    clock = MonotonicClock()
    with Transcript(clock, options.transcript) as transcript:
        voice = open_voice(content, options, clock, transcript)
        person, renderer, preferences = voice.person, voice.renderer, voice.preferences
        recorder = open_recorder(options.data_dir, "voice", transcript)
        durations_at = (estimated if renderer is None else
                        (lambda wpm: renderer.duration(wpm, preferences.now.voice)))
        flow = Flow.for_person(content, person, clock, transcript,
                               settings=content.settings(options.emergency_number),
                               durations_at=durations_at,
                               earlier=recorder.earlier if recorder else ())
        if renderer is not None:
            dialogs = [Dialog(spec, content.intents, person, clock, flow.settings, transcript)
                       for spec in (content.session, content.triage, content.prescreen)]
            # What is said first comes first: the dialogs' steps, then fixed texts and advice.
            note = [voice.engine_note] if voice.engine_note else []
            first = [*note, *(line for d in dialogs for line in d.sentences(steps_only=True))]
            rest = [*(line for d in dialogs for line in d.sentences()),
                    *routine_sentences(content.book, preferences.now.rate_wpm)]
            renderer.prefetch(list(dict.fromkeys(first + rest)), preferences.now.rate_wpm,
                              preferences.now.voice)
        try:
            with journaled(recorder):  # finished however the session ends, Ctrl-C too
                if voice.engine_note:
                    person.say(voice.engine_note)
                flow.screened(routine) if routine else flow.session()
        except DeviceGone as gone:
            voice.close(abort=True)
            raise DeviceGoneForGood(f"The {gone} did not come back, so the session has ended. Run "
                                    "backcare again when it is connected, or use 'backcare triage "
                                    "--text'.") from None
        except KeyboardInterrupt:
            voice.close(abort=True)
            raise
        except Exception as error:  # noqa: BLE001 - a failing engine must not end in a traceback
            transcript.emit(Failed(f"{type(error).__name__}: {error}"))
            voice.close(abort=True)
            raise SpeechFailed(f"The speech system failed ({type(error).__name__}: {error}); "
                               "continuing in text mode.") from error
        voice.save_preferences()
    voice.close()
