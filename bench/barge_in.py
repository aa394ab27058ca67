"""Answers said over a question, in a room that echoes, on real (virtual) audio devices (issue 29).

    python -m bench.barge_in [answers] [triage] [--no-aec] [--trials N]

`answers`: a person's yes, no or number said over a list of warning signs (or
the pain question), as loud at the microphone as the room's echo of the
assistant (`--louder DB`: that much louder): how many are understood as that question's answer, and how soon
after the words the question is cut.  Target with echo cancellation: at
least 9 of 10.  The voices are real recordings from ../shared/speech/real
(manifest.tsv, read in place), or flite's when that corpus is absent.

`triage`: a whole symptom check (every warning sign "no") spoken into the
room with nobody speaking; its answers come from a script without listening,
so whatever is heard over a question is the assistant's own voice: each
answer or command taken from it is a self-trigger (target 0), and without
echo cancellation each "Please answer after the question" is a false one.

`--no-aec` runs the same without echo cancellation: then no answer over a
question may be taken (it could be the assistant's own voice), only told.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harness.pulse import null_sink_daemon
from harness.room import Acoustics, Room
from harness.speech import CACHE, REAL_MANIFEST, synthesise

RATE = 16000

# What each trial says, and the question it says it over: yes/no over the lists, numbers over
# the pain question (one of each list in turn).
SAID = ("yes", "no", "yes", "no", "seven", "yes", "no", "yes", "no", "three")
LISTS = ("heart_screen", "brain_screen", "other_screen", "health_screen", "pain_screen")
NUMBERS = {"three": 3, "seven": 7}


@dataclass(frozen=True)
class Voice:
    text: str
    samples: np.ndarray
    source: str  # a recording's path in the corpus, or "flite:VOICE"


def voices(count: int) -> list[Voice]:
    """`count` answers in SAID's order: each a different recorded person where the corpus has
    them (read in place, never copied), else flite's voices in turn."""
    from voice.audio.sources import read_audio

    recorded: dict[str, list[Path]] = {}
    if REAL_MANIFEST.is_file():
        with REAL_MANIFEST.open(encoding="utf-8") as manifest:
            for row in csv.DictReader(manifest, delimiter="\t"):
                if row["transcript"] in SAID and row["category"] in ("answer", "digit"):
                    recorded.setdefault(row["transcript"], []).append(REAL_MANIFEST.parent / row["file"])
    chosen, used = [], {word: 0 for word in SAID}
    for index in range(count):
        word = SAID[index % len(SAID)]
        paths = sorted(recorded.get(word, []))
        if paths:
            path = paths[used[word] % len(paths)]
            chosen.append(Voice(word, read_audio(path), str(path.relative_to(REAL_MANIFEST.parent))))
        else:
            flite = ("slt", "rms", "awb", "kal16")[used[word] % 4]
            chosen.append(Voice(word, synthesise(word, flite), f"flite:{flite}"))
        used[word] += 1
    return chosen


def at_level(samples: np.ndarray, rms: float) -> np.ndarray:
    """Scaled so its voiced part has this RMS."""
    voiced = samples.astype(float)
    loud = voiced[np.abs(voiced) > 100]
    scale = rms / np.sqrt(np.mean(loud ** 2)) if len(loud) else 1.0
    return np.clip(voiced * scale, -32768, 32767).astype(np.int16)


def triage_questions() -> dict[str, tuple[str, str]]:
    """Each question of the all-no symptom check: id -> (text as spoken, context)."""
    from harness.people import ScriptedPerson, run_triage
    from voice.conversation.content import load_content

    _, transcript, _ = run_triage(load_content(), ScriptedPerson(SCRIPT))
    return {e["id"]: (e["text"], e["context"]) for e in transcript.events if e["event"] == "ask"}


SCRIPT = {"age": "40", "location": "neck", "pain_score": "3", "pain_score_flagged": "3",
          "offer_stretches": "no"}


def run(args: argparse.Namespace) -> None:
    acoustics = Acoustics()
    aec = not args.no_aec
    with null_sink_daemon(user_mic=True) as env, tempfile.TemporaryDirectory() as folder:
        os.environ.update(env)  # before PortAudio starts, so it finds this daemon
        from voice.audio.microphone import Microphone
        from voice.audio.output import Playback
        from voice.clock import MonotonicClock
        from voice.conversation.content import load_content
        from voice.events.transcript import Transcript
        from voice.preferences import Preferences, PreferenceStore
        from voice.session.spoken import output_latency
        from voice.speech.tts import make_renderer
        from voice.understanding.engines import make_recognizer

        content = load_content()
        renderer, note = make_renderer(cache_dir=CACHE / "assistant-speech")
        if renderer is None:
            raise SystemExit(note)
        with Room(env, acoustics):
            playback = Playback(latency_s=output_latency())
            microphone = Microphone()
            microphone.wait_ready(10)
            recognizer = make_recognizer("auto", content.intents, None).recognizer
            if args.verbose:
                recognizer = Logged(recognizer)
            clock = MonotonicClock()
            preferences = PreferenceStore(Preferences(earcons=False))
            print(f"{recognizer.name} recogniser, {renderer.engine.name} speech at "
                  f"{preferences.now.rate_wpm} wpm, room: {acoustics.delay_ms:.0f} ms, "
                  f"{acoustics.reverb_s} s tail, {acoustics.level_db:+.0f} dB; echo cancellation "
                  f"{'on' if aec else 'off'}", flush=True)
            parts = {"answers": answers, "triage": triage}
            for name in args.parts or list(parts):
                transcript = Transcript(clock)
                person = wire(renderer, playback, microphone, recognizer, content, preferences,
                              clock, transcript, aec)
                person.say("Ready.")  # the stream and the room settle
                parts[name](args, person, transcript, content, env, Path(folder), acoustics)
            playback.close()
            microphone.close()


class Logged:
    """A recogniser that keeps every decode (`--verbose`)."""

    def __init__(self, recognizer):
        self.recognizer = recognizer
        self.name = recognizer.name
        self.log: list = []

    def contexts(self):
        return self.recognizer.contexts()

    def decode(self, audio, context):
        recognition = self.recognizer.decode(audio, context)
        self.log.append((context, len(audio) / RATE, recognition))
        return recognition


def wire(renderer, playback, microphone, recognizer, content, preferences, clock, transcript,
         aec: bool):
    from voice.person.voice import voice_person

    return voice_person(renderer, playback, microphone, recognizer, content.intents, preferences,
                        clock, transcript, texts=dict(content.session.texts),
                        echo_cancellation=aec)


def answers(args, person, transcript, content, env, folder: Path, acoustics: Acoustics) -> None:
    from voice.audio.sources import with_silence, write_wav
    from voice.events.conversation import Asked

    questions = triage_questions()
    spoken = person.speaker.speech(questions["heart_screen"][0]).astype(float)
    echo_rms = np.sqrt(np.mean(spoken[np.abs(spoken) > 100] ** 2)) * 10 ** (
        (acoustics.level_db + args.louder) / 20)
    understood, taken, delays, told_before = 0, 0, [], 0
    line = str(content.session.texts["answer_after"])
    for index, said in enumerate(voices(args.trials)):
        asked = "pain_score" if said.text in NUMBERS else LISTS[index % len(LISTS)]
        text, context = questions[asked]
        clip = folder / f"answer-{index}.wav"
        write_wav(clip, with_silence(at_level(said.samples, echo_rms), 0.1, 0.3))
        said_at: list[float] = []
        offset = 1.5 + 0.4 * (index % 5)  # into the question, while it is still being said

        def speak(clip: Path = clip, offset: float = offset, said_at: list[float] = said_at) -> None:
            time.sleep(offset)
            said_at.append(time.monotonic())
            subprocess.run(["paplay", "-d", "usermic", str(clip)], env=env, timeout=30)

        speaker = threading.Thread(target=speak)
        transcript.emit(Asked(asked, text, context))
        speaker.start()
        began = time.monotonic()
        person.say(text, interruptible=True)
        over = time.monotonic()
        speaker.join()
        cut = person._over_speech is not None
        heard = person.listen(context, person.clock.now() + 1.5, asked)
        meaning = heard.meaning(content.intents, context) if heard.kind == "speech" else None
        right = meaning is not None and (
            meaning.intent == said.text if said.text not in NUMBERS
            else meaning.slots.get("number") == NUMBERS[said.text])
        taken += cut
        understood += right and cut
        if cut and said_at:
            delays.append(over - (said_at[0] + 0.1 + len(said.samples) / RATE))
        told = sum(1 for e in transcript.events if e["event"] == "say" and e["text"] == line)
        print(f"  {said.text:6} over {asked:13} ({said.source}): question "
              f"{'cut' if cut else 'heard out'} after {over - began:4.1f} s, heard "
              f"{heard.text or heard.kind!r}{' RIGHT' if right and cut else ''}"
              f"{'; told to answer after' if told > told_before else ''}", flush=True)
        told_before = told
        if args.verbose:
            recognizer = person.listener.recognizer
            for context, seconds, recognition in recognizer.log:
                print(f"      {context:10} {seconds:4.1f} s {recognition.text!r:34} "
                      f"conf {recognition.confidence:.2f} "
                      f"{'accepted' if recognition.accepted else recognition.reason[:50]}")
            recognizer.log.clear()
        time.sleep(0.5)
    decoded = [e for e in transcript.events if e["event"] == "recognition" and e["over_speech"]]
    if person.echo_cancelled:
        print(f"answers said over a question in the echoing room (echo cancellation): "
              f"{understood} of {args.trials} understood as its answer (target >= 9); "
              f"{taken} cut the question; from the end of the words to the cut: "
              f"median {statistics.median(delays) if delays else float('nan'):.2f} s, max "
              f"{max(delays, default=float('nan')):.2f} s; {len(decoded)} decodes over speech")
    else:
        print(f"answers said over a question (no echo cancellation): {taken} of {args.trials} "
              f"taken (must be 0); told to answer after the question {told_before} time(s) "
              f"(once a session); {len(decoded)} decodes over speech")


def triage(args, person, transcript, content, env, folder: Path, acoustics: Acoustics) -> None:
    from harness.people import ScriptedPerson
    from voice.conversation.dialog.engine import Dialog
    from voice.conversation.settings import Settings
    from voice.person.voice import VoicePerson

    script = ScriptedPerson(SCRIPT)
    taken: list[tuple[str | None, str]] = []

    class Answering(VoicePerson):
        """Speaks every question into the room; answers from the script without listening."""

        def listen(self, context, deadline, prompt_id=None):
            if self._over_speech is not None:
                taken.append((prompt_id, self._over_speech.text))
                self._over_speech = None
            return script.listen(context, deadline, prompt_id)

    wired = person
    person = Answering(wired.speaker, wired.listener, wired.preferences, wired.clock, transcript,
                       texts=wired.texts, captions=False, echo_cancelled=wired.echo_cancelled)
    person._told_answer_after = False
    person.listener.decoded = person.decoded
    began = time.monotonic()
    result = Dialog(content.triage, content.intents, person, person.clock, Settings(),
                    transcript).run()
    took = time.monotonic() - began
    asks = [e for e in transcript.events if e["event"] == "ask"]
    decoded = [e for e in transcript.events if e["event"] == "recognition"]
    over = [e for e in decoded if e["over_speech"]]
    line = str(content.session.texts["answer_after"])
    told = [e for e in transcript.events if e["event"] == "say" and e["text"] == line]
    print(f"a whole triage spoken into the echoing room, nobody speaking ({len(asks)} questions, "
          f"{took:.0f} s, outcome {result.outcome}; echo cancellation "
          f"{'on' if person.echo_cancelled else 'off'}): {len(taken)} self-triggers {taken} "
          f"(target 0); {len(told)} 'answer after the question' said to nobody; the microphone "
          f"heard {len(over)} utterances over the questions, {sum(e['accepted'] for e in over)} "
          f"of them passed the recogniser", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help="answers and/or triage (default: both)")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--no-aec", action="store_true", help="no echo cancellation")
    parser.add_argument("--verbose", action="store_true", help="every decode of each trial")
    parser.add_argument("--louder", type=float, default=0.0,
                        help="dB the person is louder at the microphone than the room's echo")
    args = parser.parse_args()
    if set(args.parts) - {"answers", "triage"}:
        raise SystemExit("parts are answers and triage")
    run(args)


if __name__ == "__main__":
    main()
