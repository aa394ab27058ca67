"""Speech is rendered ahead of need: every fixed sentence of the dialogs, as it will be spoken."""

from __future__ import annotations

import pytest
from support.content import shipped_content

from harness.speech import have
from voice.clock import VirtualClock
from voice.conversation.dialog.engine import Dialog
from voice.conversation.dialog.wording import screen_prompt
from voice.conversation.settings import Settings
from voice.events.transcript import Transcript
from voice.person.text import TextPerson
from voice.speech.tts import EspeakEngine, Renderer


def _triage(emergency_number: str = "112") -> Dialog:
    content = shipped_content()
    clock = VirtualClock()
    return Dialog(content.triage, content.intents, TextPerson(clock), clock,
                  Settings(emergency_number=emergency_number), Transcript(clock))


def test_the_sentences_to_prefetch_are_filled_in_as_the_dialog_will_say_them():
    sentences = _triage("112").sentences()
    assert not any("{emergency_number}" in text or "{disclaimer}" in text for text in sentences)
    assert any("1 1 2" in text for text in sentences)  # as the voice says it: digit by digit
    assert not any("112" in text or "911" in text or "9 1 1" in text for text in sentences)
    assert not any("{" in text for text in sentences)  # "unclear" labels are filled at run time


def test_the_sentences_cover_every_question_and_every_tiers_advice():
    content = shipped_content()
    sentences = set(_triage().sentences())
    questions = [text for flag in content.triage.flags() for text in (flag.ask, flag.again)
                 if text]
    or_word = content.triage.text("list_or")
    questions += [screen_prompt(state, or_word=or_word) for state in content.triage.states.values()
                  if state.type == "screen"]
    assert questions and all(question in sentences for question in questions)
    course = content.triage.states["course_screen"]  # as heard by someone under 50
    assert screen_prompt(course, course.items[:3], or_word) in sentences
    advice = [text for tier in content.triage.tiers for text in tier.advice if "{" not in text]
    assert advice and all(text in sentences for text in advice)


@pytest.mark.skipif(not have("espeak-ng"), reason="espeak-ng is not installed")
def test_prefetched_speech_is_served_from_the_cache_without_rendering_again(tmp_path):
    renderer = Renderer(EspeakEngine(), tmp_path)
    texts = ["Are you over 55?", "Do you have a fever?"]
    renderer.prefetch(texts, 170).join(timeout=60)
    assert renderer.rendered == 2
    for text in texts:
        renderer.render(text, 170)
    assert renderer.rendered == 2


@pytest.mark.parametrize("rate_wpm", [170, 260])
def test_the_routine_sentences_cover_everything_a_routine_says_at_the_persons_rate(rate_wpm):
    """The intro's "about N minutes" depends on the rate the person listens at."""
    from voice.conversation.routine.player import Player
    from voice.conversation.routine.timeline import estimated
    from voice.person.scripted import ScriptedPerson
    from voice.preferences import Preferences, PreferenceStore
    from voice.session.spoken import routine_sentences

    content = shipped_content()
    book = content.book
    prefetched = set(routine_sentences(book, rate_wpm))
    for routine in book.routines.values():
        clock = VirtualClock()
        transcript = Transcript(clock)
        person = ScriptedPerson(clock, preferences=PreferenceStore(Preferences(rate_wpm=rate_wpm)))
        Player(book, routine, content.intents, person, clock, estimated,
               Settings(), transcript, ask_pain=False).run()
        said = {e["text"] for e in transcript.events if e["event"] in ("cue", "say")}
        assert said and said <= prefetched, (routine.id, said - prefetched)




class _GatedEngine:
    """Writes a line only when the test lets it: the order of renderings is the test's to see."""

    name = "gated"

    def __init__(self, seconds: float = 0.1):
        import threading

        self.samples = int(seconds * 16000)
        self.order: list[str] = []
        self.started = threading.Semaphore(0)
        self.go = threading.Semaphore(0)

    def render_to(self, text, wpm, voice, path):
        import numpy as np

        from voice.audio.sources import write_wav

        self.order.append(text)
        self.started.release()
        assert self.go.acquire(timeout=10)
        write_wav(path, np.full(self.samples, 1000, np.int16))


def test_a_line_the_session_needs_is_rendered_before_the_rest_of_the_prefetch(tmp_path):
    """On a starved CPU the prefetch loop could take the renderer back after every line and
    keep the session's own line waiting for all of them; it waits for at most the one in hand."""
    import threading

    engine = _GatedEngine()
    renderer = Renderer(engine, tmp_path)
    ahead = [f"Line {n} said later." for n in range(6)]
    prefetch = renderer.prefetch(ahead, 170)
    assert engine.started.acquire(timeout=10)  # the prefetch is rendering its first line
    needed = threading.Thread(target=renderer.render, args=("Needed now.", 170))
    needed.start()
    while renderer._wanted == 0:  # the session is waiting for the renderer
        threading.Event().wait(0.001)
    for _ in range(len(ahead) + 1):
        engine.go.release()
    needed.join(timeout=10)
    prefetch.join(timeout=10)
    assert engine.order[:2] == ["Line 0 said later.", "Needed now."], engine.order
    assert sorted(engine.order) == sorted([*ahead, "Needed now."])


def test_a_long_line_starts_playing_once_its_first_sentence_is_rendered(tmp_path):
    """Time to the first sample is one sentence's rendering, not the line's: the next
    sentences render while the first one sounds, into the same clip."""
    import threading
    import time

    from tests.support.outputs import RecordingPlayback
    from voice.preferences import PreferenceStore
    from voice.speech.speaker import Speaker

    engine = _GatedEngine(seconds=2.0)  # sentences long enough that waiting on the gate is fast
    playback = RecordingPlayback()
    speaker = Speaker(Renderer(engine, tmp_path), playback, PreferenceStore())
    line = "Switch sides. Turn your head to the left. Hold it there."
    said = threading.Thread(target=speaker.line, args=(line,))
    said.start()
    engine.go.release()  # only the first sentence may render
    deadline = time.monotonic() + 10
    while not playback.clips and time.monotonic() < deadline:
        time.sleep(0.001)
    pause = int(0.7 * 16000)
    [(first, _)] = playback.clips  # playing, with only the first sentence rendered
    assert len(first) == 32000 + pause and engine.order[0] == "Switch sides."
    engine.go.release()
    engine.go.release()
    said.join(timeout=10)
    assert engine.order == ["Switch sides.", "Turn your head to the left.", "Hold it there."]
    [(samples, _)] = playback.clips  # one clip: the sentences and the pauses between them
    assert len(samples) == 3 * 32000 + 2 * pause


class _SlowEngine:
    """Renders a tenth of a second of sound in a fifth of a second: a starved machine."""

    name = "slow"

    def __init__(self):
        self.rendered: list[str] = []

    def render_to(self, text, wpm, voice, path):
        import time

        import numpy as np

        from voice.audio.sources import write_wav

        time.sleep(0.2)
        self.rendered.append(text)
        write_wav(path, np.full(1600, 1000, np.int16))


def _speaker(engine, tmp_path):
    from tests.support.outputs import RecordingPlayback
    from voice.preferences import PreferenceStore
    from voice.speech.speaker import Speaker

    return Speaker(Renderer(engine, tmp_path), RecordingPlayback(), PreferenceStore())


def test_a_line_that_renders_slower_than_it_sounds_is_rendered_whole_before_it_starts(tmp_path):
    """Streaming it would leave a hole after each sentence; a wait before it is better."""
    speaker = _speaker(_SlowEngine(), tmp_path)
    lengths = []
    play = speaker.playback.play
    speaker.playback.play = lambda samples, *a, **k: lengths.append(len(samples)) or play(samples, *a, **k)
    speaker.line("One. Two. Three.")
    assert lengths == [3 * 1600 + 2 * int(0.7 * 16000)]


def test_sentences_already_rendered_start_together(tmp_path):
    engine = _SlowEngine()
    speaker = _speaker(engine, tmp_path)
    speaker.renderer.prefetch(["One. Two. Three."], 170).join(timeout=10)
    lengths = []
    play = speaker.playback.play
    speaker.playback.play = lambda samples, *a, **k: lengths.append(len(samples)) or play(samples, *a, **k)
    speaker.line("One. Two. Three.")
    assert lengths == [3 * 1600 + 2 * int(0.7 * 16000)]
    assert engine.rendered == ["One.", "Two.", "Three."]  # each once, by the prefetch
