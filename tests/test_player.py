"""The routine player on a virtual clock: cue times, pause and resume, stop, hurts, pain checks."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support.content import shipped_content

from voice.clock import VirtualClock
from voice.content.placeholders import fill
from voice.conversation.routine.player import STEP_S, Player
from voice.conversation.routine.timeline import estimate_speech_s, routine_segments
from voice.conversation.settings import Settings
from voice.events.routine import CueKind
from voice.events.transcript import Transcript
from voice.person.scripted import ScriptedPerson
from voice.preferences import Preferences, PreferenceStore

CONTENT = shipped_content()  # loaded once for the run, shared with every other file
BOOK = CONTENT.book
INTENTS = CONTENT.intents


def play(routine: str, commands=(), answers=(), ask_pain=False, wpm=170):
    clock = VirtualClock()
    transcript = Transcript(clock)
    person = ScriptedPerson(clock, commands, in_order=answers,
                            preferences=PreferenceStore(Preferences(rate_wpm=wpm)))
    player = Player(BOOK, BOOK.routines[routine], INTENTS, person, clock,
                    lambda w: (lambda text: estimate_speech_s(text, w)), Settings(),
                    transcript, ask_pain=ask_pain)
    return player.run(), transcript


def _holds(transcript):
    """(start time, end time, exercise, side, rep) of every hold, from the cue events."""
    starts, found = {}, []
    for event in transcript.events:
        if event["event"] != "cue":
            continue
        key = (event["exercise"], event["side"], event["rep"])
        if event["kind"] == "start":
            starts[key] = event["t"]
        elif event["kind"] == "end" and key in starts:
            found.append((starts.pop(key), event["t"], *key))
    return found


def _paused_between(transcript, start, end):
    total = 0.0
    pauses = [e for e in transcript.events if e["event"] in ("pause", "resume")]
    for pause, resume in zip(pauses[::2], pauses[1::2], strict=False):
        began, finished = pause["t"], pause["t"] + resume["paused_s"]
        total += max(0.0, min(end, finished) - max(start, began))
    return total


def test_an_uninterrupted_routine_plays_every_hold_exactly():
    result, transcript = play("neck")
    assert result.completed and result.exercises_done == [e.id for e in BOOK.routines["neck"].exercises]
    holds = _holds(transcript)
    expected = [h for s in routine_segments(BOOK, BOOK.routines["neck"],
                                            lambda t: estimate_speech_s(t, 170)) for h in s.holds]
    assert len(holds) == len(expected)
    for (start, end, exercise, _, _), hold in zip(holds, expected, strict=True):
        assert round(end - start, 3) == round(hold.end - hold.start, 3) == BOOK.exercises[exercise].hold_s
    kinds = {e["kind"] for e in transcript.of("cue")}
    assert all(CueKind(kind).scripted for kind in kinds)
    assert {"intro", "closing", "start", "end", "count"} <= kinds


def test_a_full_ten_minute_routine_runs_in_milliseconds():
    began = time.perf_counter()
    result, transcript = play("full")
    assert result.completed and transcript.events[-1]["t"] > 9 * 60
    assert time.perf_counter() - began < 1.0


@settings(max_examples=60, deadline=None)
@given(pauses=st.lists(st.tuples(st.floats(20, 280), st.floats(0.5, 40)), min_size=1, max_size=3))
def test_pause_and_resume_at_any_moment_keep_every_hold_exact(pauses):
    commands, at = [], 0.0
    for when, length in sorted(pauses):
        at = max(at + 5, when)
        commands += [(at, "pause"), (at + length, "resume")]
        at += length
    result, transcript = play("neck", commands)
    assert result.completed
    assert len(transcript.of("pause")) == len(transcript.of("resume")) == len(pauses)
    for start, end, exercise, _, _ in _holds(transcript):
        paused = _paused_between(transcript, start, end)
        # Transcript times are rounded to the millisecond, so three of them differ by <= 1.5 ms.
        assert abs((end - start) - paused - BOOK.exercises[exercise].hold_s) <= 0.0015 + 1e-9


def test_resume_says_the_time_left_in_the_hold():
    _, transcript = play("desk_break", [(45, "pause"), (50, "resume")])
    said = [e["text"] for e in transcript.of("say")]
    assert BOOK.cues["paused"] in said
    time_left = re.escape(BOOK.cues["resumed"]).replace(re.escape("{seconds}"), r"\d+")
    assert any(re.fullmatch(time_left, text) for text in said)


@settings(max_examples=40, deadline=None)
@given(st.floats(1, 300))
def test_stop_ends_the_routine_within_one_scheduler_step(at):
    result, transcript = play("neck", [(at, "stop")])
    assert result.end_reason == "stop" and not result.completed
    command = transcript.of("command")[0]
    closing = [e for e in transcript.of("cue") if e["kind"] == "closing"]
    assert len(closing) == 1 and closing[0]["t"] - at <= STEP_S + 1e-9
    later = [e for e in transcript.of("cue") if e["t"] > command["t"] and e["kind"] != "closing"]
    assert later == []


@settings(max_examples=40, deadline=None)
@given(st.floats(30, 280), st.integers(0, 10))
# "It hurts" heard in the very step a "Begin." cue was handed over: the cue came first, in the
# same millisecond (the test read "after" by time, not by order).
@example(at=130.00945233191538, pain=0)
def test_hurts_always_stops_the_exercise_and_asks_about_the_pain(at, pain):
    result, transcript = play("neck", [(at, "ouch, that hurts")], answers=[str(pain), "no", "yes"])
    command = transcript.of("command")[0]
    assert command["intent"] == "hurts"
    at_command = next(i for i, e in enumerate(transcript.events) if e is command)
    after = [e for e in transcript.events[at_command:] if e["event"] in ("cue", "say")]
    assert after[0]["text"].startswith("I've stopped the exercise")
    interrupted = command["exercise"]
    assert not any(e["event"] == "cue" and e.get("exercise") == interrupted and e["kind"] in
                   ("start", "count", "end") for e in after)
    assert result.pain_during == pain
    if pain >= BOOK.pain_stops_routine_at:
        assert result.end_reason == "hurts" and not result.completed
    elif interrupted != BOOK.routines["neck"].exercises[-1].id:
        assert result.completed and interrupted not in result.exercises_done


def _said(transcript) -> list[str]:
    return [e["text"] for e in transcript.events if e["event"] in ("cue", "say")]


def test_sharp_or_spreading_pain_ends_every_neck_exercise_for_the_session():
    _, plain = play("full")
    start = next(e["t"] for e in plain.of("cue") if e["exercise"] == "neck_rotation"
                 and e["kind"] == "start") + 2  # inside the first neck turn
    result, transcript = play("full", [(start, "it hurts")], answers=["4", "yes, it's sharp"])
    assert transcript.of("command")[0]["exercise"] == "neck_rotation"
    assert result.neck_stopped and result.completed
    played = {e["exercise"] for e in transcript.of("cue") if e["t"] > start and e["exercise"]}
    assert played and not any(BOOK.exercises[name].region == "neck" for name in played)
    assert BOOK.cues["hurts_advice"] in _said(transcript)


def test_pain_with_dizziness_or_tingling_hears_the_stroke_signs_to_call_for():
    _, transcript = play("full", [(40, "it hurts")], answers=["4", "yes"])
    stroke = fill(BOOK.cues["hurts_stroke"], emergency_number="9 1 1")
    assert BOOK.cues["hurts_advice"] in _said(transcript) and stroke in _said(transcript)


def test_it_hurts_answered_with_dizziness_stops_with_the_dizziness_advice():
    """"Yes, I feel dizzy" to "is it sharp, or are you dizzy?" is the symptom itself."""
    result, transcript = play("full", [(40, "it hurts")], answers=["4", "yes, I feel dizzy"])
    assert result.end_reason == "symptom" and result.symptom == "dizzy"
    assert fill(BOOK.symptoms["dizzy"][-1], emergency_number="9 1 1") in _said(transcript)


def test_a_no_that_carries_a_symptom_to_is_it_sharp_is_not_a_no():
    result, _ = play("full", [(40, "it hurts")], answers=["4", "no, but it tingles", "not sure"])
    assert result.neck_stopped


def test_a_neck_routine_ends_when_sharp_pain_stops_the_neck_exercises():
    result, transcript = play("neck", [(40, "it hurts")], answers=["3", "not sure"])
    assert result.end_reason == "hurts" and result.neck_stopped
    assert BOOK.cues["hurts_end"] in _said(transcript)


def test_after_mild_pain_the_next_exercise_is_offered_and_no_ends_the_routine():
    result, transcript = play("neck", [(40, "it hurts")], answers=["3", "no", "no"])
    assert BOOK.cues["hurts_offer_skip"] in _said(transcript)
    assert result.end_reason == "hurts" and not result.neck_stopped
    result, _ = play("neck", [(40, "it hurts")], answers=["3", "no", "yes"])
    assert result.completed and result.exercises_done[0] != "chin_tuck"


SYMPTOMS = ["I feel dizzy", "I feel sick", "pins and needles", "my arm is tingling", "numb",
            "I can't feel my fingers", "my chest feels tight", "I'm a bit short of breath",
            "I've got a pain in my chest"]


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 290), st.sampled_from(SYMPTOMS))
def test_a_symptom_stops_the_routine_at_once_with_sit_still_and_its_advice(at, said):
    result, transcript = play("neck", [(at, said)])
    assert result.end_reason == "symptom" and not result.completed
    command = next(e for e in transcript.of("command"))
    assert command["intent"] == result.symptom and command["t"] - at <= STEP_S + 1e-9
    # what was said after the command was heard (a cue due at the same instant came before it)
    heard_at = transcript.events.index(command)
    after = [e for e in transcript.events[heard_at:] if e["event"] in ("cue", "say")]
    assert after[0]["text"] == BOOK.cues["symptom_stop"]
    advice = [fill(line, emergency_number="9 1 1") for line in BOOK.symptoms[result.symptom]]
    assert [e["text"] for e in after[1:]] == advice
    assert "9 1 1" in advice[-1]


def _chest_advice() -> list[str]:
    return [fill(line, emergency_number="9 1 1") for line in BOOK.symptoms["chest"]]


def _hold_start(routine: str, exercise: str) -> float:
    _, plain = play(routine)
    return next(e["t"] for e in plain.of("cue") if e["exercise"] == exercise
                and e["kind"] == "start") + 2  # inside its first hold


def _stopped_for_the_chest(result, transcript, heard_at: float, exercise_stopped_for="symptom"):
    """Stopped at once with sit still and the chest-pain advice, and not one exercise more.
    The exercise ends for what stopped it (after "it hurts", the pain, as with dizziness);
    the routine for the symptom."""
    assert result.end_reason == "symptom" and result.symptom == "chest" and not result.completed
    said = _said(transcript)
    assert said[-3:] == [BOOK.cues["symptom_stop"], *_chest_advice()]
    assert "call 9 1 1 now" in said[-1]
    assert not [e for e in transcript.of("cue") if e["t"] > heard_at and e["exercise"]]
    assert BOOK.cues["hurts_offer_skip"] not in said and BOOK.cues["closing"] not in said
    ended = transcript.of("exercise")
    assert ended[-1]["result"] == "stopped" and ended[-1]["reason"] == exercise_stopped_for
    assert transcript.of("end")[-1]["reason"] == "symptom"


@pytest.mark.parametrize("said", ["my chest feels tight", "I'm a bit short of breath",
                                  "I've got a pain in my chest", "it hurts, my chest is tight"])
def test_chest_words_during_a_hold_stop_the_routine_with_the_chest_advice(said):
    """Clinical review v3, finding 8: chest tightness and breathlessness were ignored, and a
    pain in the chest was taken for "it hurts"."""
    at = _hold_start("neck", "neck_rotation")
    result, transcript = play("neck", [(at, said)])
    assert transcript.of("command")[0]["intent"] == "chest"
    assert transcript.of("command")[0]["exercise"] == "neck_rotation"
    _stopped_for_the_chest(result, transcript, at)
    assert result.pain_during is None  # no "how bad is the pain?" first


def test_a_pain_in_the_chest_said_to_the_pain_question_stops_the_routine_not_skip_next():
    """The review's walk: "I've got a pain in my chest" was "it hurts", then 6, then "Would
    you like to skip to the next exercise?". Said as the answer to the pain question (after an
    "it hurts"), it ends the routine with the chest advice."""
    at = _hold_start("full", "neck_rotation")
    result, transcript = play("full", [(at, "it hurts")],
                              answers=["I've got a pain in my chest", "no", "yes"])
    assert BOOK.cues["hurts_question"] in _said(transcript)
    _stopped_for_the_chest(result, transcript, at, exercise_stopped_for="hurts")
    assert result.pain_during is None and result.exercises_done == ["doorway_chest_stretch",
                                                                    "shoulder_rolls"]


def test_chest_tightness_said_to_is_the_pain_sharp_stops_the_routine_too():
    at = _hold_start("full", "neck_rotation")
    result, transcript = play("full", [(at, "it hurts")],
                              answers=["6", "no, but my chest feels tight", "yes"])
    assert result.pain_during == 6
    assert BOOK.cues["hurts_check"] in _said(transcript)
    _stopped_for_the_chest(result, transcript, at, exercise_stopped_for="hurts")


def test_a_chest_stop_is_kept_in_the_journal_as_a_dizzy_stop_is(tmp_path):
    """The journal keeps how a routine ended and each exercise's end: a symptom, either way."""
    from voice.journal.recorder import JournalRecorder
    from voice.journal.store import Journal

    entries = {}
    for said in ("I feel dizzy", "my chest feels tight"):
        clock = VirtualClock()
        transcript = Transcript(clock)
        with Journal(tmp_path / said.replace(" ", "_")) as journal:
            recorder = JournalRecorder(journal, "text")
            recorder.start()
            transcript.watch(recorder)
            Player(BOOK, BOOK.routines["neck"], INTENTS, ScriptedPerson(clock, [(40, said)]),
                   clock, lambda w: (lambda text: estimate_speech_s(text, w)), Settings(),
                   transcript, ask_pain=False).run()
            recorder.finish()
            [entries[said]] = journal.sessions()
    dizzy, chest = entries["I feel dizzy"], entries["my chest feels tight"]
    assert chest.end_reason == dizzy.end_reason == "symptom" and chest.complete
    assert chest.routine == dizzy.routine == "neck"
    assert [(e.result, e.reason) for e in chest.exercises] == [
        (e.result, e.reason) for e in dizzy.exercises] == [("stopped", "symptom")]


def test_every_exercise_speaks_who_should_skip_it_its_safety_lines_and_breathing(tmp_path):
    for routine in BOOK.routines.values():
        _, transcript = play(routine.id)
        instructions = [e["text"] for e in transcript.of("cue") if e["kind"] == "instruction"]
        for exercise in routine.exercises:
            for line in (*exercise.skip_if, *exercise.safety, exercise.breathing):
                assert line in instructions, (routine.id, exercise.id, line)


def test_the_intro_says_what_to_do_if_something_feels_wrong_and_the_closing_how_often():
    _, transcript = play("desk_break")
    said = _said(transcript)
    assert "say stop, or say it hurts, at any time" in said[0]
    assert "every day" in BOOK.cues["closing"] and "six weeks" in BOOK.cues["closing"]
    assert BOOK.cues["closing"] in said


class Typing(ScriptedPerson):
    types_answers = True  # text mode, or --speak: the answers come from a keyboard


def test_where_answers_are_typed_the_intro_says_type_stop_not_say_stop():
    clock = VirtualClock()
    transcript = Transcript(clock)
    Player(BOOK, BOOK.routines["desk_break"], INTENTS, Typing(clock), clock,
           lambda w: (lambda text: estimate_speech_s(text, w)), Settings(), transcript,
           ask_pain=False).run()
    intro = _said(transcript)[0]
    assert intro.startswith(BOOK.routines["desk_break"].name)
    assert "type stop" in intro and "say stop" not in intro


def test_a_pain_score_from_the_symptom_check_is_not_asked_again():
    clock = VirtualClock()
    transcript = Transcript(clock)
    result = Player(BOOK, BOOK.routines["desk_break"], INTENTS,
                    ScriptedPerson(clock, in_order=["5"]), clock,
                    lambda w: (lambda text: estimate_speech_s(text, w)), Settings(), transcript,
                    ask_pain=True, pain_before=2).run()
    assert result.pain_before == 2 and result.pain_after == 5
    assert BOOK.cues["pain_before"] not in _said(transcript)


def test_pain_two_points_higher_after_the_routine_gets_advice():
    result, transcript = play("desk_break", answers=["3", "6"], ask_pain=True)
    assert (result.pain_before, result.pain_after) == (3, 6)
    said = [e["text"] for e in transcript.of("say")]
    assert fill(BOOK.cues["pain_worse"], points=3) in said and BOOK.cues["pain_same"] not in said
    result, transcript = play("desk_break", answers=["3", "4"], ask_pain=True)
    said = [e["text"] for e in transcript.of("say")]
    assert fill(BOOK.cues["pain_worse"], points=1) not in said and BOOK.cues["pain_same"] in said


def _closing_at(routine: str, answers: list[str]) -> float:
    _, plain = play(routine, answers=list(answers), ask_pain=True)
    return next(e["t"] for e in plain.of("cue") if e["kind"] == "closing")


def test_stop_said_over_the_closing_words_cuts_them_and_asks_nothing_more():
    at = _closing_at("desk_break", ["3", "3"]) + 1.0
    result, transcript = play("desk_break", [(at, "stop")], answers=["3", "3"], ask_pain=True)
    assert result.completed and result.pain_after is None
    assert [(e["intent"], e["exercise"]) for e in transcript.of("command")] == [("stop", None)]
    assert BOOK.cues["pain_after"] not in _said(transcript) and BOOK.cues["stopped"] not in _said(transcript)


def test_a_symptom_said_over_the_closing_words_gets_its_advice_instead_of_the_pain_question():
    at = _closing_at("desk_break", ["3", "3"]) + 1.0
    result, transcript = play("desk_break", [(at, "I feel dizzy")], answers=["3", "3"], ask_pain=True)
    assert result.completed and result.end_reason == "symptom" and result.symptom == "dizzy"
    said = _said(transcript)
    assert said[said.index(BOOK.cues["closing"]) + 1] == BOOK.cues["symptom_stop"]
    assert BOOK.cues["pain_after"] not in said


def test_skip_and_back_move_between_exercises():
    result, transcript = play("neck", [(30, "skip"), (60, "go back")])
    order = []
    for e in transcript.of("cue"):
        if e["kind"] == "instruction" and e["exercise"] and (not order or order[-1] != e["exercise"]):
            order.append(e["exercise"])
    assert order[:3] == ["chin_tuck", "neck_rotation", "chin_tuck"]
    assert result.completed


def test_repeat_says_the_instructions_again_without_shortening_the_hold():
    _, transcript = play("neck", [(40, "repeat")])
    said = [e["text"] for e in transcript.of("cue") if e["kind"] == "instruction"]
    assert all(said.count(line) == 2 for line in BOOK.exercises["chin_tuck"].setup)
    for start, end, exercise, _, _ in _holds(transcript):
        assert round(end - start, 3) >= BOOK.exercises[exercise].hold_s


def test_slower_applies_from_the_next_exercise():
    _, transcript = play("neck", [(10, "slower")])
    assert transcript.of("rate")[0]["wpm"] == 150


class Latent(ScriptedPerson):
    """A person whose speakers sound a cue `lead_s` after it is handed over."""

    def __init__(self, clock, lead_s):
        super().__init__(clock)
        self.lead_s = lead_s
        self.heard: list[tuple[float, str]] = []

    def cue(self, text, kind, duration, spoken=None):
        self.heard.append((round(self.clock.now() + self.lead_s, 6), kind))


def test_a_speaker_with_output_latency_gets_each_cue_early_so_it_sounds_on_time():
    _, reference = play("desk_break")
    clock = VirtualClock()
    speaker = Latent(clock, 0.12)
    Player(BOOK, BOOK.routines["desk_break"], INTENTS, speaker, clock,
           lambda w: (lambda text: estimate_speech_s(text, w)), Settings(),
           Transcript(clock), ask_pain=False).run()
    # The routine starts one latency after it was asked for (its first words are handed over
    # at once); from there every cue, the first included, sounds on its planned time.
    timed = [(e["t"], e["kind"]) for e in reference.events if e["event"] == "cue"]
    assert len(speaker.heard) == len(timed) > 60
    assert all(abs(h[0] - (t[0] + 0.12)) < 1e-6 and h[1] == t[1]
               for h, t in zip(speaker.heard, timed, strict=True))


def test_time_spent_preparing_speech_does_not_pile_up_over_a_routine():
    """Each duration lookup costs 3 ms of real time (reading a rendering from disk, say): after
    the set-up, every hold starts where the schedule says instead of drifting later per exercise."""
    _, reference = play("full")
    clock = VirtualClock()

    def slow(wpm):
        def duration(text):
            clock.advance(0.003)
            return estimate_speech_s(text, wpm)
        return duration

    transcript = Transcript(clock)
    Player(BOOK, BOOK.routines["full"], INTENTS, ScriptedPerson(clock), clock, slow,
           Settings(), transcript, ask_pain=False).run()
    planned = [e["t"] for e in reference.events if e["event"] == "cue" and e["kind"] == "start"]
    played = [e["t"] for e in transcript.events if e["event"] == "cue" and e["kind"] == "start"]
    assert len(played) == len(planned) > 20
    lateness = [a - b for a, b in zip(played, planned, strict=True)]  # first: the routine's set-up
    assert max(lateness) - min(lateness) < 0.01


class AskedIn(ScriptedPerson):
    """Scripted answers that remember the context each question listened in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contexts: list[str] = []

    def listen(self, context, deadline, prompt_id=None):
        if prompt_id is not None:
            self.contexts.append(str(context))
        return super().listen(context, deadline, prompt_id)


def test_after_it_hurts_the_yes_no_questions_are_heard_as_yes_or_no_not_as_numbers():
    clock = VirtualClock()
    commands = AskedIn(clock, [(40, "it hurts")], in_order=["3", "no", "yes"])
    Player(BOOK, BOOK.routines["neck"], INTENTS, commands, clock,
           lambda w: (lambda text: estimate_speech_s(text, w)), Settings(), Transcript(clock),
           ask_pain=False).run()
    assert commands.contexts == ["pain_scale", "yes_no", "yes_no"]


class UnpluggedAt(ScriptedPerson):
    """Its microphone stops at `at` and is back on the next listen: typed events, no words."""

    def __init__(self, clock, at: float):
        super().__init__(clock)
        self.at, self.state = at, "playing"

    def listen(self, context, deadline, prompt_id=None):
        from voice.conversation.port import Heard

        if prompt_id is None and self.state == "playing" and deadline is not None and (
                deadline >= self.at):
            self.clock.sleep_until(max(self.at, self.clock.now()))
            self.state = "lost"
            return Heard("lost", "microphone")
        if prompt_id is None and self.state == "lost":
            self.clock.sleep(2.0)
            self.state = "back"
            return Heard("back", "microphone")
        return super().listen(context, deadline, prompt_id)


def test_a_device_that_stops_pauses_the_routine_and_its_return_resumes_it_whatever_the_words():
    """Not the phrases "pause" and "resume" (which differ by language): the player's own."""
    clock = VirtualClock()
    transcript = Transcript(clock)
    person = UnpluggedAt(clock, 45.0)
    result = Player(BOOK, BOOK.routines["desk_break"], INTENTS, person, clock,
                    lambda w: (lambda text: estimate_speech_s(text, w)), Settings(),
                    transcript).run()
    assert result.completed
    [paused], [resumed] = transcript.of("pause"), transcript.of("resume")
    assert 45.0 <= paused["t"] < 46.0 and resumed["paused_s"] >= 2.0
    heard = [e for e in transcript.of("heard") if e.get("kind") in ("lost", "back")]
    assert [(e["kind"], e["intent"]) for e in heard] == [("lost", "pause"), ("back", "resume")]


def test_a_pause_said_over_the_introduction_pauses_before_the_first_cue():
    """Said over the intro, "pause" used to wait for the first exercise's opening cues to be
    said before it paused (13 s on a real assistant)."""
    _, transcript = play("neck", commands=[(1.0, "pause"), (60.0, "resume")])
    events = [e for e in transcript.events if e["event"] in ("cue", "pause")]
    first_pause = next(i for i, e in enumerate(events) if e["event"] == "pause")
    assert all(e.get("kind") == "intro" for e in events[:first_pause])
