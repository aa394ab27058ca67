"""Wiring one spoken session: devices, speech out, recogniser, the menu, triage and stretches.

Everything here is plumbing between modules that are tested on their own; the
decisions (what to ask, when to advise, when to cue) live in the dialogs and
the player.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

from .audio.devices import list_devices, missing
from .audio.output import Playback
from .audio.reconnect import Reconnector
from .clock import MonotonicClock
from .content import Content
from .conversation.dialog import Dialog
from .conversation.player import Player
from .conversation.routines import RoutineBook, load_book
from .conversation.settings import Settings
from .conversation.timeline import estimated, intro_text, routine_duration_s, routine_segments
from .person.voice import DeviceGone, voice_person
from .preferences import (
    Preferences,
    PreferenceStore,
    load_preferences,
    save_preferences,
)
from .speech.tts import make_renderer
from .transcript import Transcript
from .understanding.engines import make_recognizer


@dataclass
class VoiceOptions:
    emergency_number: str = "911"
    timeout: float | None = None  # --timeout for this session (not saved); 0: none; None: saved
    input_device: str | None = None
    output_device: str | None = None
    engine: str = "auto"
    model: str | None = None
    transcript: str | None = None
    rate_wpm: int | None = None  # --rate; None: the saved preference


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


def session_preferences(saved: Preferences, options: VoiceOptions) -> PreferenceStore:
    """The session's one owner of the preferences: the saved ones with this session's `--rate`
    and `--timeout` over them. The overrides are not saved; a change said during the session
    ("slower") is (`PreferenceStore.to_save`)."""
    chosen = saved
    if options.timeout is not None:
        chosen = replace(chosen, time_limit_s=options.timeout or None)
    if options.rate_wpm is not None:
        chosen = replace(chosen, rate_wpm=options.rate_wpm)
    return PreferenceStore(chosen)


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
    settings = Settings(emergency_number=options.emergency_number)
    with Transcript(clock, options.transcript) as transcript:
        person = voice_person(renderer, playback, microphone, choice.recognizer, content.intents,
                              preferences, clock, transcript,
                              watch=Reconnector(playback, microphone),
                              texts=dict(content.session.texts))
        engine_note = str(content.session.texts.get(f"engine_{choice.recognizer.name}", ""))
        print(choice.note, file=sys.stderr)
        transcript.emit("engine", name=choice.recognizer.name, note=choice.note.splitlines()[0])
        book = load_book(content.folder)

        def triage(_routine: str | None = None, _values: dict | None = None) -> None:
            Dialog(content.triage, content.intents, person, clock, settings, transcript,
                   handoffs={"stretches": stretches}).run()

        def stretches(routine_id: str | None, values: dict | None = None) -> None:
            if renderer is None:
                return
            routine = book.routines[routine_id or "neck"]
            pain = (values or {}).get("pain_before")  # the symptom check asked it already
            Player(book, routine, content.intents, person, clock,
                   lambda wpm: renderer.duration(wpm, preferences.now.voice), settings,
                   transcript, pain_before=pain if isinstance(pain, int) else None).run()

        def screened(routine_id: str | None, _values: dict | None = None) -> None:
            """Stretches from the menu: no symptom check cleared them, so the short screen first."""
            Dialog(content.prescreen, content.intents, person, clock, settings, transcript,
                   handoffs={"stretches": lambda _routine, values: stretches(routine_id, values)}
                   ).run()

        session = Dialog(content.session, content.intents, person, clock, settings, transcript,
                         handoffs={"triage": triage, "stretches": screened})
        if renderer is not None:
            triage_dialog = Dialog(content.triage, content.intents, person, clock, settings, transcript)
            screen = Dialog(content.prescreen, content.intents, person, clock, settings, transcript)
            # What is said first comes first: the dialogs' steps, then fixed texts and advice.
            first = [*([engine_note] if engine_note else []), *session.sentences(steps_only=True),
                     *triage_dialog.sentences(steps_only=True), *screen.sentences(steps_only=True)]
            rest = [*session.sentences(), *triage_dialog.sentences(), *screen.sentences(),
                    *routine_sentences(book)]
            renderer.prefetch(list(dict.fromkeys(first + rest)), preferences.now.rate_wpm,
                              preferences.now.voice)
        try:
            if engine_note:
                person.say(engine_note)
            session.run()
        except DeviceGone as gone:
            print(f"The {gone} did not come back, so the session has ended. Run backcare again "
                  "when it is connected, or use 'backcare triage --text'.", file=sys.stderr)
            playback.close(abort=True)
            microphone.close(abort=True)
            return 3
        changed = preferences.to_save(saved)  # from whichever part of the session
        if changed is not None:
            save_preferences(changed)
    playback.close()
    microphone.close()
    return 0
