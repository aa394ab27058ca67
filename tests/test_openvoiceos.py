"""backcare as an OpenVoiceOS skill, driven through ovos-core's own intent service on a fake
message bus: utterances in (as the assistant's listener puts them on the bus), spoken
lines out (the `speak` messages), the journal and the transcript read after.

Each conversation here takes seconds (the assistant's own waits: a tenth of a second to
notice an answer, a moment to "say" each line) and importing OpenVoiceOS one more, so all
are in the slow tier; tests/test_assistant_person.py proves the conversation side in the
fast one. Needs `pip install '.[test]'` (which brings the `ovos` extra and ovos-core); without it
these are skipped, except in CI, where a missing assistant is a failure.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator

import pytest

from voice.content.paths import data_dir
from voice.events.conversation import Asked, HeardCommand, Outcome
from voice.events.routine import ExerciseEnded, RoutineEnded, RoutineStarted
from voice.journal.store import Journal
from voice.openvoiceos import SKILL_ID

if importlib.util.find_spec("ovos_workshop") is None or importlib.util.find_spec("ovos_core") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI installs '.[test]', which brings OpenVoiceOS; it is missing")
    pytest.skip("OpenVoiceOS is not installed (pip install '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # OpenVoiceOS's own

FAST = 120.0  # the routine's clock runs this many times faster than real time
XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


@pytest.fixture(scope="module")
def _xdg(tmp_path_factory) -> Iterator[None]:
    """The assistant's configuration and the skill's settings in a folder of the tests' own."""
    before = {name: os.environ.get(name) for name in XDG}
    folder = tmp_path_factory.mktemp("ovos")
    os.environ.update({name: str(folder / name.lower()) for name in XDG})
    yield
    for name, value in before.items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)


@pytest.fixture(scope="module")
def _assistant(_xdg) -> Iterator:
    from harness.assistant import Assistant, FastClock

    running = Assistant(clock=FastClock(FAST))
    yield running
    running.close()


@pytest.fixture
def assistant(_assistant) -> Iterator:
    """One assistant for the module (loading it takes a second), reset for each test; the
    journal is each test's own (conftest), read when a conversation begins."""
    _assistant.reset()
    yield _assistant
    _assistant.reset()


def _answers(yes_to: tuple[str, ...] = ("offer_stretches",), pain: str = "four") -> Callable[[Asked], str]:
    """A person with neck pain and no warning sign: forty, no to every warning sign, `pain`
    out of ten, their neck; yes to the questions in `yes_to`."""

    def answer(question: Asked) -> str:
        if question.context == "age":
            return "forty"
        if question.context == "pain_scale":
            return pain
        if question.context == "location":
            return "my neck"
        return "yes" if question.id in yes_to else "no"

    return answer


def _talk_through(assistant, answer: Callable[[Asked], str], until: Callable[[], bool] = lambda: False,
                  stop_at: str | None = None, limit: int = 40) -> list[str]:
    """Answer each question as `answer` says until `until()` or the conversation ends, or
    until the question `stop_at` is asked (left unanswered); the question ids answered."""
    answered: list[str] = []
    while len(answered) < limit:
        question = assistant.next_question(timeout=20.0, done=until)
        if question is None or question.id == stop_at:
            break
        answered.append(question.id)
        assistant.utter(answer(question))
    return answered


@pytest.mark.slow
def test_the_assistants_skill_loader_finds_the_skill_and_loads_it_before_any_network(assistant):
    """ovos-core skips a skill that asks for the internet before loading until it hears the
    internet is up, which never happens on a device that boots offline."""
    from ovos_plugin_manager.skills import find_skill_plugins

    from voice.openvoiceos.skill import BackcareSkill

    assert find_skill_plugins().get(SKILL_ID) is BackcareSkill
    needs = BackcareSkill.runtime_requirements
    assert not (needs.internet_before_load or needs.network_before_load
                or needs.requires_internet or needs.requires_network)
    assert assistant.manager.plugin_skills[SKILL_ID].instance is assistant.skill  # loaded offline


@pytest.mark.slow
def test_a_clear_triage_asked_for_by_voice_goes_on_into_the_neck_routine_and_the_journal(assistant):
    assistant.utter("check my neck pain")
    talk = assistant.talk()
    answered = _talk_through(assistant, _answers(), until=lambda: False)
    assert answered[0] == "age" and "offer_stretches" in answered
    outcome = talk.transcript.of_type(Outcome)
    assert [o.tier for o in outcome] == ["self_care"]
    assert [r.id for r in talk.transcript.of_type(RoutineStarted)] == ["neck"]
    assert talk.transcript.of_type(RoutineEnded)[-1].reason == "completed"
    said = " ".join(assistant.spoken)
    assert "not a diagnosis" in said and "Chin tuck" in said
    with Journal(data_dir()) as journal:
        (session,) = journal.sessions()
    assert (session.mode, session.outcome, session.routine) == ("assistant", "self_care", "neck")


@pytest.mark.slow
def test_an_emergency_yes_ends_in_the_emergency_advice_and_never_in_a_routine(assistant):
    assistant.utter("my upper back hurts")
    talk = assistant.talk()
    _talk_through(assistant, _answers(yes_to=("heart_screen", "chest_pain")),
                  until=lambda: False)
    assert [o.tier for o in talk.transcript.of_type(Outcome)] == ["emergency"]
    assert not talk.transcript.of_type(RoutineStarted)
    said = " ".join(assistant.spoken)
    assert "call 9 1 1" in said.lower()
    assert "stretch" not in said.lower().split("call 9 1 1")[-1]  # nothing offered after the advice


@pytest.mark.slow
def test_a_no_that_carries_a_symptom_is_heard_and_asked_about_not_taken_as_no(assistant):
    assistant.utter("check my neck pain")
    talk = assistant.talk()
    _talk_through(assistant, _answers(), stop_at="heart_screen")
    assistant.utter("no, but I feel sick")
    assert assistant.next_question(timeout=20.0).id == "feel_sick"
    assert "You mentioned feeling nauseous." in assistant.spoken
    assistant.utter("stop")
    assistant.wait_for(lambda: not talk.running, 10.0, "the check to stop")
    assert not talk.transcript.of_type(Outcome)  # stopped: no reassurance, no routine


def _into_the_first_hold(assistant, start: str):
    assistant.utter(start)
    talk = assistant.talk()
    _talk_through(assistant, _answers(), until=lambda: "Begin." in assistant.spoken)
    return talk


@pytest.mark.slow
def test_pause_resume_and_stop_said_to_the_assistant_during_a_hold(assistant, monkeypatch):
    """Through converse (the skill is active): our matcher reads the words once, where the
    routine listens; the assistant's own stop ends the routine at once."""
    from voice.understanding.intents.match import Matcher

    talk = _into_the_first_hold(assistant, "start my neck stretches")
    matched: list[str] = []
    real = Matcher.match
    monkeypatch.setattr(Matcher, "match", lambda self, text: matched.append(text) or real(self, text))
    assistant.utter("pause")
    assistant.wait_said("Paused. Say resume when you're ready.")
    assistant.utter("carry on")
    assistant.wait_said("Resuming")
    assistant.utter("stop")
    _talk_through(assistant, _answers())
    assistant.wait_for(lambda: not talk.running, 10.0, "the routine to end")
    commands = [(c.intent, c.context) for c in talk.transcript.of_type(HeardCommand)]
    assert commands[:2] == [("pause", "player"), ("resume", "player")]
    assert (matched.count("pause"), matched.count("carry on")) == (1, 1)
    assert [r.id for r in talk.transcript.of_type(RoutineStarted)] == ["neck"]
    assert [r.reason for r in talk.transcript.of_type(RoutineEnded)] == ["stop"]
    assert [e.result for e in talk.transcript.of_type(ExerciseEnded)][-1] == "stopped"
    # converse handed the words over: no intent of ours fired for them
    assert not [t for t in assistant.types() if t.startswith(f"{SKILL_ID}:") and "pause" in t]


@pytest.mark.slow
def test_a_routine_that_outlasts_converse_renews_its_place_and_it_hurts_still_ends_it(
        assistant, monkeypatch):
    """OpenVoiceOS offers a skill the words first only for five minutes after it was last
    active; a running conversation renews that in its own session, so a command said in a
    long routine is still ours (OVOS can enable intents only for every session at once)."""
    from ovos_bus_client.message import Message

    from voice.openvoiceos import skill

    monkeypatch.setattr(skill, "KEEP_ACTIVE_S", 0.0)  # renew at every line
    talk = _into_the_first_hold(assistant, "start the desk break")
    before = len(assistant.types())
    assistant.bus.emit(Message("intent.service.skills.deactivate", {"skill_id": SKILL_ID},
                               {"skill_id": SKILL_ID}))
    assistant.wait_for(lambda: "intent.service.skills.activated" in assistant.types()[before:], 10.0,
                       "the conversation to renew its place")
    assistant.utter("that hurts")
    asked = _talk_through(assistant, _answers(pain="eight"))
    assistant.wait_for(lambda: not talk.running, 10.0, "the routine to end")
    assert asked[0] == "hurts_question"
    assert [r.id for r in talk.transcript.of_type(RoutineStarted)] == ["desk_break"]
    assert [r.reason for r in talk.transcript.of_type(RoutineEnded)] == ["hurts"]
    assert "Let's stop the routine here. Please rest." in assistant.spoken


@pytest.mark.slow
def test_a_global_stop_while_a_question_waits_ends_the_check_and_the_next_request_is_heard(
        assistant):
    """`mycroft.stop` (a stop button, "stop" where nothing else is active) used to leave
    OVOS's get_response waiting forever, and every later request was swallowed."""
    from ovos_bus_client.message import Message

    assistant.utter("check my neck pain")
    talk = assistant.talk()
    assert assistant.next_question().id == "age"
    assistant.bus.emit(Message("mycroft.stop"))
    assistant.wait_for(lambda: not talk.running, 10.0, "the check to stop")
    assert not talk.transcript.of_type(Outcome)
    assert "Traceback" not in " ".join(assistant.spoken)
    assistant.reset()
    assistant.utter("check my neck pain")
    assert assistant.next_question().id == "age"  # heard, and asked again from the start


@pytest.mark.slow
def test_a_second_satellite_is_told_to_wait_and_never_answers_stops_or_pauses_the_first(assistant):
    from ovos_bus_client.session import Session

    kitchen, bedroom = Session("sat-kitchen"), Session("sat-bedroom")
    assistant.utter("check my neck pain", kitchen)
    talk = assistant.talk()
    assistant.wait_for(lambda: assistant._listening("sat-kitchen"), 20.0, "the kitchen's first question")
    assistant.utter("check my neck pain", bedroom)
    assistant.wait_for(lambda: any("already helping someone" in line
                                   for line in assistant.said_in("sat-bedroom")), 10.0, "the bedroom told")
    for words in ("no", "stop", "pause"):
        assistant.utter(words, bedroom)
        assistant.wait_for(lambda: "ovos.utterance.handled" in assistant.types()
                           or "complete_intent_failure" in assistant.types(), 10.0, repr(words))
    assert talk.running and talk.person.asking  # the kitchen's question still waits
    assert [a.id for a in talk.transcript.of_type(Asked)] == ["age"]
    assert all(line == assistant.said_in("sat-bedroom")[0] or "already helping" in line
               for line in assistant.said_in("sat-bedroom"))  # nothing of the kitchen's check
    assistant.utter("forty", kitchen)
    assistant.wait_for(lambda: len(talk.transcript.of_type(Asked)) > 1, 10.0, "the next question")
    assert talk.transcript.of_type(Asked)[1].id != "age"


@pytest.mark.slow
def test_a_british_satellite_on_an_american_device_hears_its_own_countrys_number(assistant):
    """The country follows the language of the session the words come from, not only the
    device's configured one."""
    from ovos_bus_client.session import Session

    british = Session("sat-uk", lang="en-GB")
    assistant.utter("my neck hurts", british)
    talk = assistant.talk()
    for words in ("forty", "my neck", "yes", "one", "yes"):
        assistant.wait_for(lambda: assistant._listening("sat-uk") or not talk.running, 20.0, "a question")
        if not talk.running:
            break
        assistant.utter(words, british)
    assistant.wait_for(lambda: not talk.running, 20.0, "the advice")
    said = " ".join(assistant.said_in("sat-uk"))
    assert "call 9 9 9 now" in said and "9 1 1" not in said


@pytest.mark.slow
def test_a_start_phrase_said_while_a_question_is_asked_is_not_taken_as_its_answer(
        assistant, monkeypatch):
    """Said over the age question (before the microphone opened for its answer), "check my
    neck pain" used to wait in the inbox and replace the age that followed."""
    import harness.assistant
    from voice.events.conversation import HeardAnswer

    assistant.utter("check my neck pain")
    talk = assistant.talk()
    monkeypatch.setattr(harness.assistant, "SAY_S", 1.0)  # the next line takes a second to say
    assistant.wait_said("you can say help")  # the greeting; the age question comes next
    assistant.wait_for(lambda: bool(talk.transcript.of_type(Asked)), 10.0, "the age question")
    assistant.utter("check my neck pain")  # while it is being said
    assistant.answer("forty")
    assistant.wait_for(lambda: len(talk.transcript.of_type(Asked)) > 1, 10.0, "the next question")
    assert [h.text for h in talk.transcript.of_type(HeardAnswer)][:1] == ["forty"]
    assert talk.transcript.of_type(Asked)[1].id != "age"


@pytest.mark.slow
def test_routine_commands_are_not_the_skills_when_no_session_runs(assistant):
    assistant.utter("pause")
    assistant.wait_for(lambda: "ovos.utterance.handled" in assistant.types(), 10.0, "the utterance")
    assert not [t for t in assistant.types() if t.startswith(f"{SKILL_ID}:")]
    assert assistant.skill.conversations.current is None


@pytest.mark.slow
def test_read_my_journal_tells_the_journal_the_desk_keeps(assistant):
    with Journal(data_dir()) as journal:  # a session at the desk, a week ago or less
        session = journal.begin("text")
        journal.outcome(session, "soon", ["night_pain"])
        journal.end(session, "completed")
    assistant.utter("read my back care journal")
    talk = assistant.talk()
    assistant.wait_for(lambda: not talk.running, 10.0, "the journal to be told")
    said = " ".join(assistant.spoken)
    assert "Sessions in the last 7 days: 1." in said
    assert "my advice was" in said


@pytest.mark.slow
def test_the_skill_in_a_british_assistant_says_999_and_never_touches_the_network(tmp_path):
    """Loaded by an assistant set to British English and taken through a symptom check to
    emergency advice, in a process whose every attempt at the network is logged and refused
    (its own process also keeps its session manager from the other tests' assistant)."""
    import subprocess
    import sys
    from pathlib import Path

    from harness.offline import offline_env

    added, log = offline_env(tmp_path)
    root = Path(__file__).resolve().parent.parent
    script = (
        "from harness.assistant import Assistant\n"
        "a = Assistant(lang='en-GB')\n"
        "a.utter('my neck hurts')\n"
        "for words in ('forty', 'my neck', 'yes', 'one', 'yes'):\n"
        "    a.answer(words)\n"
        "a.wait_said('Once more: call 9 9 9 now.')\n"
        "a.close()\n"
        "print('advised')\n")
    env = {**os.environ, **added, "PYTHONPATH": os.pathsep.join([added["PYTHONPATH"], str(root)]),
           **{name: str(tmp_path / name.lower()) for name in XDG}}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "advised" in done.stdout, done.stderr[-2000:]
    assert not log.exists(), log.read_text(encoding="utf-8")
