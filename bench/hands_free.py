"""Hands-free figures on a real (virtual) audio device: PulseAudio null sinks, PortAudio streams.

    python -m bench.hands_free cues [ROUTINE] [--echo]   # cue onsets; self-triggers with --echo
    python -m bench.hands_free latency [--runs N]        # end of the user's speech -> reply
    python -m bench.hands_free load                      # a spoken triage quiet, busy, starved
    python -m bench.hands_free barge [--no-aec]          # "stop" over the assistant, with room echo

`cues` plays a routine through the real speech renderer and output stream and
records the sink's monitor with `parec` at the same time.  It reports each
cue's onset error at the stream (PortAudio's `outputBufferDacTime` for the
cue's first sample, against the schedule of the same routine on a virtual
clock) and how far the sink recording disagrees with the stream's timing.
With `--echo`, a simulated room (tests/support/room.py: 40 ms, a 0.25 s tail,
12 dB down) feeds everything the assistant plays back into its microphone,
nobody speaks, and every command the assistant hears is a self-trigger
(counted, not obeyed, so the routine runs to the end); `--no-aec` turns the
echo canceller off to compare.

`latency` runs whole spoken sessions (a clear triage and a short routine,
answered by flite speech) and reports the `reply` events: from the last
sample of each answer, as captured by the input stream, to the first sample of
the assistant's reply at the output stream, both on PortAudio's clock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bench.cue_timing import percentile, rate
from bench.sink import said_lines, sink_check
from harness.load import STARVED, busy_cores
from harness.pulse import null_sink_daemon
from harness.room import Acoustics, Room
from voice.clock import MonotonicClock, VirtualClock
from voice.conversation.content import load_content
from voice.conversation.routine.player import Player
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript

RATE = 16000
FRAME = 80  # 5 ms
LOUD_DBFS = -45.0
QUIET_BEFORE_S = 0.15


def figures(values: list[float]) -> str:
    absolute = [abs(v) for v in values]
    return (f"median {statistics.median(absolute):.1f} ms, p95 {percentile(absolute, 0.95):.1f} ms, "
            f"max {max(absolute):.1f} ms (mean signed {statistics.mean(values):+.1f} ms, n={len(values)})")


def loud(samples: np.ndarray) -> np.ndarray:
    """Per 5 ms frame: louder than LOUD_DBFS."""
    usable = samples[:len(samples) // FRAME * FRAME].astype(np.float64).reshape(-1, FRAME)
    rms = np.sqrt(np.mean(usable ** 2, axis=1)) + 1e-9
    return 20 * np.log10(rms / 32768) > LOUD_DBFS


def first_loud_s(samples: np.ndarray) -> float | None:
    frames = np.flatnonzero(loud(samples))
    return None if len(frames) == 0 else frames[0] * FRAME / RATE


def recorded_onsets(recording: np.ndarray) -> list[float]:
    """Seconds into the recording where sound starts after at least QUIET_BEFORE_S of quiet."""
    flags = loud(recording)
    quiet_needed = int(QUIET_BEFORE_S * RATE / FRAME)
    onsets, quiet = [], quiet_needed
    for index, flag in enumerate(flags):
        if flag and quiet >= quiet_needed:
            onsets.append(index * FRAME / RATE)
        quiet = 0 if flag else quiet + 1
    return onsets


def cues(args: argparse.Namespace) -> None:
    with busy_cores(args.busy):
        _cues(args)


def _cues(args: argparse.Namespace) -> None:
    with null_sink_daemon(user_mic=True) as env, tempfile.TemporaryDirectory() as folder:
        os.environ.update(env)  # before PortAudio starts, so it finds this daemon
        from voice.audio.microphone import Microphone
        from voice.audio.output import Playback
        from voice.conversation.port import Heard
        from voice.person.scripted import ScriptedPerson
        from voice.person.voice import VoicePerson, voice_person
        from voice.session.spoken import output_latency
        from voice.speech.tts import make_renderer

        content = load_content()
        book = content.book
        routine = book.routines[args.routine]
        renderer, note = make_renderer(cache_dir=Path(folder) / "cache")
        if renderer is None:
            raise SystemExit(f"no speech renderer: {note}")
        preferences = rate(args.rate)
        durations = lambda wpm: renderer.duration(wpm, None)  # noqa: E731
        settings = Settings()

        ideal_clock = VirtualClock()
        ideal = Transcript(ideal_clock)
        Player(book, routine, content.intents, ScriptedPerson(ideal_clock, preferences=rate(args.rate)),
               ideal_clock, durations, settings, ideal, ask_pain=False).run()
        planned = [e for e in ideal.events if e["event"] == "cue"]

        room = Room(env).__enter__() if args.echo else None
        playback = Playback(latency_s=output_latency())
        microphone = Microphone()
        microphone.wait_ready(10)
        played: list[np.ndarray] = []
        queued_at: list[float] = []
        original_play = playback.play

        def play(samples, label="", **placing):
            played.append(samples)
            queued_at.append(playback.time)
            return original_play(samples, label, **placing)

        playback.play = play  # keep each clip's samples, to find where its sound begins
        recording_path = Path(folder) / "sink.raw"
        recorder = subprocess.Popen(["parec", "-d", "vsink.monitor", "--rate=16000", "--channels=1",
                                     "--format=s16le", "--raw", str(recording_path)], env=env)
        time.sleep(1.0)
        from voice.understanding.engines import make_recognizer

        recognizer = make_recognizer("auto", content.intents, None).recognizer
        # A new PulseAudio stream first fills a deep buffer (its first sound comes ~1.7 s late
        # here); a voice session has long been talking before a routine starts, so settle it.
        warm = playback.play(np.zeros(RATE // 2, np.int16), "settle")
        warm.done.wait(10)
        while playback.time < warm.started_at + 0.5:
            time.sleep(0.05)
        clock = MonotonicClock()
        transcript = Transcript(clock)
        heard: list[str] = []

        class Counted(VoicePerson):
            """Hears like the session does, but only counts: nobody is speaking."""

            def listen(self, context, deadline, prompt_id=None):
                while deadline is not None and clock.now() < deadline:
                    answer = super().listen(context, deadline, prompt_id)
                    if answer.kind == "speech":
                        heard.append(answer.text)
                return Heard("no_input")

        class Deaf(VoicePerson):
            """Speaks like the session does; hears nothing (no loopback, nobody speaking)."""

            def listen(self, context, deadline, prompt_id=None):
                if deadline is None:
                    return Heard("closed")
                clock.sleep_until(deadline)
                return Heard("no_input")

        wired = voice_person(renderer, playback, microphone, recognizer, content.intents,
                             preferences, clock, transcript,
                             echo_cancellation=args.echo and not args.no_aec)
        person = (Counted if args.echo else Deaf)(
            wired.speaker, wired.listener, preferences, clock, transcript)
        person.listener.decoded = person.decoded
        offset = playback.time - time.monotonic()
        Player(book, routine, content.intents, person, clock, durations, settings, transcript,
               ask_pain=False).run()
        time.sleep(2.0)
        recorder.terminate()
        recorder.wait(5)
        if room is not None:
            room.__exit__(None, None, None)
        playback.close()
        microphone.close()
        recording = np.frombuffer(recording_path.read_bytes(), dtype="<i2")

    onsets = [onset for onset in playback.onsets if onset[0] != "settle"]
    played = played[1:]
    queued_at = queued_at[1:]
    issued = [e for e in transcript.events if e["event"] == "cue"]
    if len(onsets) != len(planned):
        raise SystemExit(f"cue count differs: planned {len(planned)}, played {len(onsets)}")
    # The schedule is anchored where the routine's first words sounded (the player starts it
    # one output latency after it hands them over, `Player._start_time`); every later cue is
    # due its planned time after that.
    began = onsets[0][1] - offset - planned[0]["t"]
    stream_errors = [((at - offset - began) - cue["t"]) * 1000 for cue, (_, at) in zip(planned, onsets,
                                                                                     strict=True)]
    if args.verbose:
        for cue, error, (label, at), queued, real in zip(planned, stream_errors, onsets, queued_at, issued,
                                                        strict=True):
            print(f"  {cue['t']:8.2f} s  {error:+8.1f} ms  (issued {(real['t'] - cue['t']) * 1000:+6.1f} ms, "
                  f"queued {(at - queued) * 1000:5.1f} ms before it sounded)  {label:12} {cue['text'][:40]}")
    print(f"routine {routine.id}: {len(planned)} cues over {planned[-1]['t']:.0f} s at {args.rate} wpm, "
          f"{renderer.engine.name} speech through PortAudio into a PulseAudio null sink, "
          f"output buffer {playback.requested_latency_s:.2f} s")
    print(f"onset error at the output stream (outputBufferDacTime), against the schedule from "
          f"the first cue's sound: {figures(stream_errors[1:])}")

    # The sink recording: match cues that follow a quiet gap to sound onsets in the recording.
    heard_at = recorded_onsets(recording)
    pairs = []
    for index, ((_, at), samples) in enumerate(zip(onsets, played, strict=True)):
        lead = first_loud_s(samples)
        if lead is None:
            continue
        if index and at - (onsets[index - 1][1] + len(played[index - 1]) / RATE) < QUIET_BEFORE_S:
            continue
        pairs.append((at + lead, index))
    if heard_at and pairs:
        first_shift = heard_at[0] - pairs[0][0]
        matched = []
        for at, _ in pairs:
            nearest = min(heard_at, key=lambda h: abs(h - first_shift - at))
            if abs(nearest - first_shift - at) < 0.25:
                matched.append((nearest - at) * 1000)
        centre = statistics.median(matched)
        disagreement = [m - centre for m in matched]
        print(f"sink recording against the stream's timing (after removing the constant offset, "
              f"{len(matched)} of {len(pairs)} cues that follow a quiet gap): {figures(disagreement)}")
    if args.echo:
        decoded = [e for e in transcript.events if e["event"] == "recognition"]
        over = [e for e in decoded if e["over_speech"]]
        print(f"self-triggers with the assistant's sound in a room ({'no ' if args.no_aec else ''}"
              f"echo cancellation): "
              f"{len(heard)} commands acted on {heard}; the microphone heard "
              f"{len(decoded)} utterances ({len(over)} while the assistant spoke), of which "
              f"{sum(e['accepted'] for e in decoded)} passed the recogniser "
              f"({sum(e['accepted'] for e in over)} of those heard over its speech)")


def load(args: argparse.Namespace) -> None:
    """A whole spoken triage answered "no" to every warning sign, quiet, beside six busy
    processes, and starved (lowest priority beside two busy processes): the time it takes, the
    outcome, answers lost as talk over the assistant, and holes inside the assistant's clips
    (the stream clock jumped: the device ran dry), and the sink's own account: every line
    the assistant rendered is found in what the sink received and must have sounded in
    exactly its own length (a hole anywhere inside stretches it)."""
    import json

    from harness.spoken_session import speak_session
    from voice.speech.tts import make_renderer

    scenes = {"quiet": ((), 0), "busy": ((), 6), "starved": (STARVED, 2)}
    chosen = args.scenes or list(scenes)
    if set(chosen) - set(scenes):
        raise SystemExit(f"scenes are {', '.join(scenes)}")
    answers = {"menu": "check my symptoms", "age": "forty two", "location": "my neck",
               "pain_score": "two", "offer_stretches": "no"}
    quiet_s = None
    with null_sink_daemon(user_mic=True) as env, tempfile.TemporaryDirectory() as shared:
        # One speech cache for the scenes, rendered before the first: each session then
        # finds its lines rendered, as a person's second session does (the first session's
        # rendering on a starved CPU is `--cold`'s to measure).
        cache = Path(shared) / "cache"
        renderer, _ = make_renderer(cache_dir=cache / "speech")
        if not args.cold:
            warm(renderer, 200)
        for name in chosen:
            prefix, busy = scenes[name]
            with tempfile.TemporaryDirectory() as folder:
                folder = Path(folder)
                (folder / "config").mkdir()
                (folder / "config" / "preferences.json").write_text(json.dumps({"rate_wpm": 200}))
                recording = folder / "sink.raw"
                recorder = subprocess.Popen(["parec", "-d", "vsink.monitor", "--rate=16000",
                                             "--channels=1", "--format=s16le", "--raw",
                                             str(recording)], env=env)
                began = time.monotonic()
                try:
                    with busy_cores(busy):
                        process, events, err = speak_session(
                            env, folder, answers, otherwise="no", limit_s=args.limit,
                            voice="rms", command_prefix=prefix, speech_cache=cache)
                finally:
                    time.sleep(1.0)
                    recorder.terminate()
                    recorder.wait(5)
                took = time.monotonic() - began
                quiet_s = took if name == "quiet" else quiet_s
                outcome = [e.get("tier") for e in events if e["event"] == "outcome"]
                over = [e for e in events if e["event"] == "recognition" and e["over_speech"]]
                lost = [e for e in events if e["event"] == "reprompt" and e.get("kind") == "no_input"]
                dropouts = [e for e in events if e["event"] == "dropout"]
                whole = sink_check(np.frombuffer(recording.read_bytes(), dtype="<i2"),
                                   said_lines(events, renderer, 200))
                ratio = f" ({took / quiet_s:.2f}x quiet)" if quiet_s and name != "quiet" else ""
                print(f"{name:8} {took:6.1f} s{ratio}, outcome {outcome or 'none'}, exit "
                      f"{process.returncode}; heard over its own speech {len(over)}, "
                      f"'didn't hear' reprompts {len(lost)}, dropouts inside clips "
                      f"{len(dropouts)} (longest {max((e['ms'] for e in dropouts), default=0):.0f} "
                      f"ms); at the sink: {whole}", flush=True)
                if dropouts and args.verbose:
                    print("   dropouts (clip, ms): " +
                          ", ".join(f"{e['clip']}/{e['ms']:.0f}" for e in dropouts[:12]))


def warm(renderer, wpm: int) -> None:
    """Render everything the session prefetches, as it would, before the clock starts."""
    from voice.conversation.dialog.engine import Dialog
    from voice.person.text import TextPerson
    from voice.session.spoken import routine_sentences

    content = load_content()
    book = content.book
    clock = VirtualClock()
    dialogs = [Dialog(spec, content.intents, TextPerson(clock), clock, Settings(), Transcript(clock))
               for spec in (content.session, content.triage, content.prescreen) if spec]
    texts = [line for d in dialogs for line in d.sentences()] + routine_sentences(book, wpm)
    renderer.prefetch(list(dict.fromkeys(texts)), wpm).join()


def barge(args: argparse.Namespace) -> None:
    """Ten times, "stop" said over a long instruction, as loud at the microphone as the
    room's echo of the assistant: how often it is heard, and how soon the speech is cut."""
    from harness.speech import synthesise
    from voice.audio.microphone import Microphone
    from voice.audio.output import Playback
    from voice.audio.sources import write_wav
    from voice.person.voice import voice_person
    from voice.preferences import Preferences, PreferenceStore
    from voice.session.spoken import output_latency
    from voice.speech.tts import make_renderer
    from voice.understanding.engines import make_recognizer

    content = load_content()
    line = ("Stand in the doorway, holding the frame. Put your forearms on the frame, elbows at "
            "shoulder height. Step one foot forward, and lean gently until you feel a stretch "
            "across your chest, keeping your head up.")
    acoustics = Acoustics()
    with null_sink_daemon(user_mic=True) as env, tempfile.TemporaryDirectory() as folder:
        os.environ.update(env)
        renderer, note = make_renderer(cache_dir=Path(folder) / "cache")
        if renderer is None:
            raise SystemExit(note)
        spoken = renderer.render(line, 170).samples.astype(float)
        echo_rms = np.sqrt(np.mean(spoken[np.abs(spoken) > 100] ** 2)) * 10 ** (
            acoustics.level_db / 20)
        stop = synthesise("stop", "rms").astype(float)
        stop *= echo_rms / np.sqrt(np.mean(stop[np.abs(stop) > 100] ** 2))
        stop_path = Path(folder) / "stop.wav"
        write_wav(stop_path, np.clip(stop, -32768, 32767).astype(np.int16))
        stop_s = len(stop) / RATE
        with Room(env, acoustics):
            playback = Playback(latency_s=output_latency())
            microphone = Microphone()
            microphone.wait_ready(10)
            recognizer = make_recognizer("auto", content.intents, None).recognizer
            clock = MonotonicClock()
            transcript = Transcript(clock)
            person = voice_person(renderer, playback, microphone, recognizer, content.intents,
                                  PreferenceStore(Preferences(earcons=False)), clock, transcript,
                                  echo_cancellation=not args.no_aec)
            person.say("Ready.")  # the stream and the room settle
            heard, delays = 0, []
            for _ in range(args.trials):
                said_at: list[float] = []

                def say_stop(said_at: list[float] = said_at) -> None:
                    time.sleep(2.5)
                    said_at.append(time.monotonic())
                    subprocess.run(["paplay", "-d", "usermic", str(stop_path)], env=env, timeout=30)

                speaker = threading.Thread(target=say_stop)
                speaker.start()
                began = time.monotonic()
                person.say(line, interruptible=True)
                over = time.monotonic()
                speaker.join()
                stopped = person.listen("yes_no", clock.now() + 0.5, "after").text == "stop"
                if stopped:
                    heard += 1
                    delays.append(over - (said_at[0] + stop_s))
                print(f"  trial: line cut after {over - began:.1f} s "
                      f"({'stopped' if stopped else 'not heard'})", flush=True)
                time.sleep(1.0)
            playback.close()
            microphone.close()
    decoded = [e for e in transcript.events if e["event"] == "recognition"]
    print(f"'stop' over the assistant at the echo's level ({'no ' if args.no_aec else ''}echo "
          f"cancellation): heard {heard} of {args.trials}; from the end of 'stop' to the speech "
          f"cut: {', '.join(f'{d:.2f}' for d in delays) or '-'} s; {len(decoded)} decodes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    cue = sub.add_parser("cues")
    cue.add_argument("routine", nargs="?", default="desk_break")
    cue.add_argument("--rate", type=int, default=170)
    cue.add_argument("--echo", action="store_true", help="loop the assistant's sound into its microphone")
    cue.add_argument("--verbose", action="store_true", help="print every cue's error")
    cue.add_argument("--busy", type=int, default=0, help="processes keeping the CPU busy meanwhile")
    cue.add_argument("--no-aec", action="store_true", help="with --echo: no echo cancellation")
    lat = sub.add_parser("latency")
    lat.add_argument("--runs", type=int, default=1)
    lat.add_argument("--busy", type=int, default=0, help="processes keeping the CPU busy meanwhile")
    lat.add_argument("--output-latency", type=float,
                     help="the output buffer to start with (seconds), instead of the session's choice")
    loaded = sub.add_parser("load")
    loaded.add_argument("scenes", nargs="*", help="quiet, busy and/or starved (default: all three)")
    loaded.add_argument("--limit", type=float, default=600, help="seconds a session may take")
    loaded.add_argument("--verbose", action="store_true")
    loaded.add_argument("--cold", action="store_true",
                        help="start with nothing rendered (a first session) instead of warm")
    barged = sub.add_parser("barge")
    barged.add_argument("--trials", type=int, default=10)
    barged.add_argument("--no-aec", action="store_true", help="no echo cancellation")
    args = parser.parse_args()
    if args.what == "latency":
        from bench.reply_latency import latency  # its own module: where a reply's time goes

        latency(args)
        return
    {"cues": cues, "load": load, "barge": barge}[args.what](args)


if __name__ == "__main__":
    main()
