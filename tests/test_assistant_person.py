"""The person behind a voice assistant (voice/person/assistant.py) and the conversations the
OpenVoiceOS skill runs (voice/openvoiceos/talk.py, phrases.py, locale.py), without an
assistant: a voicebox of our own stands in for its voice and ear.  The skill itself, on
ovos-core's intent service, is tested in test_openvoiceos.py."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from support.content import shipped_content

from voice.clock import VirtualClock
from voice.content.locales import for_language_tag
from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.asking.ask import Asker
from voice.conversation.asking.prompt import Interrupted, Prompt
from voice.conversation.asking.texts import Texts
from voice.conversation.settings import Settings
from voice.events.conversation import Asked, DialogEnded, Outcome
from voice.events.routine import RoutineStarted
from voice.events.transcript import Transcript
from voice.openvoiceos import locale as intent_files
from voice.openvoiceos.options import SkillOptions
from voice.openvoiceos.phrases import load_phrases
from voice.openvoiceos.talk import Begun, Conversations, Setup, answer_of
from voice.person.assistant import AssistantPerson
from voice.person.scripted import ScriptedPerson
from voice.preferences import saved_rate
from voice.session.flow import Flow
from voice.understanding.intents.match import Matcher

CONTENT = shipped_content()


class Voicebox:
    """An assistant's voice and ear: lines said are kept; when the microphone opens after a
    question, it is answered with `answer(last line said)` (None: silence)."""

    def __init__(self, answer=lambda line: None, person: AssistantPerson | None = None,
                 conversations: Conversations | None = None):
        self.said: list[str] = []
        self.answer_to = answer
        self.person = person
        self.conversations = conversations  # the person is the running conversation's
        self.silenced = 0
        self.asking = threading.Event()

    def speak(self, text: str, wait: bool) -> None:
        self.said.append(text)

    def listen(self) -> None:
        self.asking.set()
        words = self.answer_to(self.said[-1] if self.said else "")
        person = self.person or (self.conversations.current.person if self.conversations else None)
        if words is not None and person is not None:
            assert person.answer(words)

    def silence(self) -> None:
        self.silenced += 1


def _person(voicebox: Voicebox | None = None, **waits) -> AssistantPerson:
    voicebox = voicebox or Voicebox()
    person = AssistantPerson(voicebox, VirtualClock(), CONTENT.intents, **waits)
    voicebox.person = person
    return person


def test_the_assistants_stop_ends_a_question_whatever_words_it_heard():
    voicebox = Voicebox()
    person = _person(voicebox)
    person.stop("hey mycroft cancel that")  # the assistant decided these words are its stop
    asker = Asker(person, CONTENT.intents, person.clock, Transcript(person.clock), Texts.of({}),
                  ask_line=lambda *_: None, say_line=lambda _: None)
    with pytest.raises(Interrupted) as stopped:
        asker.ask(Prompt("fever", "Do you have a fever?", "yes_no", ("yes", "no")))
    assert stopped.value.intent == "stop"
    assert voicebox.silenced == 1  # and what it was saying stopped at once


def test_words_passed_on_between_answers_are_matched_once_where_they_were_heard(monkeypatch):
    person = _person()
    calls: list[str] = []
    real = Matcher.match
    monkeypatch.setattr(Matcher, "match", lambda self, text: calls.append(text) or real(self, text))
    match = person.understands("ow that really hurts")  # the skill's converse asks first
    person.hear("ow that really hurts", match)
    heard = person.listen("player", deadline=1.0)
    assert heard.meaning(CONTENT.intents, "player").intent == "hurts"
    assert calls == ["ow that really hurts"]


def test_a_wait_for_a_command_ends_at_its_deadline_on_the_conversations_clock():
    clock = VirtualClock()
    person = AssistantPerson(Voicebox(), clock, CONTENT.intents)
    assert person.listen("player", deadline=30.0).kind == "no_input"
    assert clock.now() == pytest.approx(30.0)


def test_silence_after_a_question_is_no_answer_and_a_closed_assistant_ends_the_wait():
    person = _person(answer_wait_s=0.05)
    assert person.listen("yes_no", None, "fever").kind == "no_input"
    person.close()
    assert person.listen("yes_no", None, "fever").kind == "closed"
    assert person.listen("player", None).kind == "closed"


def _conversation(answer, start_id: str, words: str, tmp_path: Path):
    conversations = Conversations(VirtualClock(), answer_wait_s=0.05)  # silence: at once
    voicebox = Voicebox(answer, conversations=conversations)
    ended = threading.Event()
    begun = conversations.begin(load_phrases(CONTENT).start(start_id), words, voicebox,
                                _setup(tmp_path), ended.set)
    assert begun is Begun.STARTED
    assert ended.wait(30), voicebox.said
    return conversations.current, voicebox


def _setup(tmp_path: Path, session_id: str = "default") -> Setup:
    return Setup(session_id, CONTENT, str(tmp_path))


def _clear(line: str) -> str:
    """Forty, neck pain at four, no warning signs, yes to stretches."""
    if "how old" in line:
        return "forty"
    if "Where is the pain" in line:
        return "my neck"
    if "zero to ten" in line:
        return "four"
    if "guide you through" in line:
        return "yes"
    return "no"


def test_stretches_named_to_the_assistant_start_that_routine_after_the_short_check(tmp_path):
    talk, voicebox = _conversation(_clear, "stretches", "start my upper back stretches", tmp_path)
    asked = [a.id for a in talk.transcript.of_type(Asked)]
    assert "menu" not in asked and "which_stretches" not in asked
    assert asked[0] == "today_screen"  # the short check first, as at the desk
    assert [r.id for r in talk.transcript.of_type(RoutineStarted)] == ["upper_back"]
    assert not any("symptom check, or stretches" in line for line in voicebox.said)


def test_stretches_asked_for_without_a_name_ask_which_ones(tmp_path):
    def answer(line: str) -> str:
        return "the desk break" if line.startswith("Which stretches") else _clear(line)

    talk, _ = _conversation(answer, "stretches", "guide me through stretches", tmp_path)
    assert [a.id for a in talk.transcript.of_type(Asked)][0] == "which_stretches"
    assert [r.id for r in talk.transcript.of_type(RoutineStarted)] == ["desk_break"]


def test_a_symptom_check_asked_for_greets_says_not_a_diagnosis_and_never_offers_the_menu(tmp_path):
    talk, voicebox = _conversation(_clear, "triage", "my upper back hurts", tmp_path)
    assert "This is general information, not a diagnosis." in voicebox.said
    assert [o.tier for o in talk.transcript.of_type(Outcome)] == ["self_care"]
    assert talk.transcript.of_type(Asked)[0].id == "age"


def test_the_whole_menu_starts_when_backcare_itself_is_asked_for(tmp_path):
    talk, voicebox = _conversation(lambda line: None, "backcare", "open back care", tmp_path)
    assert talk.transcript.of_type(Asked)[0].id == "menu"
    assert talk.transcript.of_type(DialogEnded)


def test_one_conversation_at_a_time_owned_by_the_session_that_began_it(tmp_path):
    conversations = Conversations(VirtualClock(), answer_wait_s=10.0)
    first = Voicebox()  # never answers: the question waits
    start = load_phrases(CONTENT).start("triage")
    begun = conversations.begin(start, "check my neck pain", first, _setup(tmp_path, "kitchen"))
    assert begun is Begun.STARTED
    talk = conversations.current
    assert first.asking.wait(10)
    assert conversations.begin(start, "check my neck pain", Voicebox(),
                               _setup(tmp_path, "bedroom")) is Begun.BUSY_ELSEWHERE
    assert conversations.begin(start, "check my neck pain", Voicebox(),
                               _setup(tmp_path, "kitchen")) is Begun.BUSY_HERE
    assert conversations.of("bedroom") is None and conversations.of("kitchen") is talk
    assert not conversations.stop("bedroom")  # another room's stop is not this conversation's
    assert talk.running and talk.person.asking
    conversations.close(timeout=10)  # the assistant goes away while it waits for an answer
    assert not talk.running
    assert talk.transcript.of_type(DialogEnded)[0].reason == "closed"  # the symptom check's
    assert not talk.transcript.of_type(Outcome)


def test_a_stop_from_the_owning_session_ends_a_question_at_once(tmp_path):
    conversations = Conversations(VirtualClock(), answer_wait_s=10.0)
    voicebox = Voicebox()
    conversations.begin(load_phrases(CONTENT).start("triage"), "check my neck pain", voicebox,
                        _setup(tmp_path, "kitchen"))
    talk = conversations.current
    assert voicebox.asking.wait(10)
    assert conversations.stop("kitchen")
    talk.thread.join(10)
    assert not talk.running and voicebox.silenced >= 1
    assert not talk.transcript.of_type(Outcome)


def test_words_that_reached_the_skill_before_a_question_are_not_its_answer():
    """A start phrase or a command said while the question was being asked is thrown away
    when the question opens; the answer is what comes after it. Only a stop outlives it."""
    voicebox = Voicebox(lambda line: "forty")
    person = _person(voicebox)
    person.hear("check my neck pain")
    person.hear("pause", CONTENT.intents.match("pause", "player"))
    heard = person.listen("age", None, "age")
    assert heard.text == "forty"
    person.stop()
    heard = person.listen("yes_no", None, "fever")
    assert heard.match is not None and heard.match.intent == "stop"


def test_an_answer_is_taken_only_while_a_question_waits_and_only_once():
    voicebox = Voicebox(lambda line: None)
    person = _person(voicebox, answer_wait_s=0.05)
    assert not person.answer("no")  # nothing asked: not an answer to anything
    assert person.listen("yes_no", None, "fever").kind == "no_input"
    assert not person.asking

    def answer_twice(line: str) -> str:
        assert person.answer("yes")
        return "no"  # a second utterance for the same question

    voicebox.answer_to = answer_twice
    voicebox.person = None  # answer_twice answers itself; the second is refused
    heard = person.listen("yes_no", None, "fever")
    assert heard.text == "yes" and not person.answer("no")


def test_the_flow_refuses_an_answer_the_menu_does_not_have():
    person = ScriptedPerson()
    flow = Flow.for_person(CONTENT, person, person.clock, Transcript(person.clock), settings=Settings())
    with pytest.raises(ValueError, match="no answer 'dance'"):
        flow.asked_for("dance")


def test_the_skills_intent_files_are_the_ones_written_from_the_content():
    phrases = load_phrases(CONTENT)
    files = intent_files.intent_files(phrases)
    assert intent_files.differences(intent_files.FOLDER / phrases.language, files) == [], (
        "run: python -m voice.openvoiceos.locale")
    assert "start my neck stretches\n" in files["stretches.intent"].splitlines(keepends=True)
    assert sorted(files) == sorted(f"{start.id}.intent" for start in phrases.starts)


def test_an_assistant_phrase_that_points_nowhere_is_an_error_naming_file_line_and_field(tmp_path):
    text = (dialogs_dir() / "assistant.yaml").read_text(encoding="utf-8")
    (tmp_path / "assistant.yaml").write_text(text.replace("answer: stretch\n", "answer: dance\n"),
                                             encoding="utf-8")
    with pytest.raises(ContentError, match=r"assistant.yaml:\d+: .*answer.*no answer 'dance'"):
        load_phrases(CONTENT, tmp_path)


@pytest.mark.parametrize(("tag", "locale"), [("en-GB", "en_GB"), ("en-us", "en_US"),
                                              ("en-AU", "en_AU"), ("pt-PT", "en_US"), ("en", "en_US")])
def test_the_assistants_language_chooses_the_country(tag, locale):
    assert for_language_tag(tag, dialogs_dir()) == locale


def test_words_that_come_while_a_routine_plays_reach_it_in_order():
    person = _person()
    for words in ("pause", "resume"):
        person.hear(words)
    assert [person.listen("player", 5.0).text for _ in range(2)] == ["pause", "resume"]


def test_slower_said_to_an_assistant_says_where_its_speed_is_set_and_changes_nothing(tmp_path):
    asked: list[str] = []

    def slower_once(line: str) -> str | None:
        asked.append(line)
        return "slower please" if len(asked) == 1 else None

    talk, voicebox = _conversation(slower_once, "triage", "check my neck pain", tmp_path)
    assert "My speed is set in your voice assistant's settings." in voicebox.said
    assert "Speaking more slowly." not in voicebox.said
    assert talk.person.preferences.now.rate_wpm == saved_rate()
    assert asked[:2] == ["First, how old are you?"] * 2  # and the question comes again


def test_no_words_turn_a_symptom_check_asked_for_into_stretches():
    phrases = load_phrases(CONTENT)
    triage, stretches = phrases.start("triage"), phrases.start("stretches")
    assert triage.refinements == ()
    assert answer_of(CONTENT, triage, "check my upper back stretches") == "triage"
    assert answer_of(CONTENT, stretches, "start my upper back stretches") == "stretch_upper_back"
    assert answer_of(CONTENT, stretches, "guide me through stretches") == "stretch"


def test_each_satellite_keeps_its_own_journal_and_the_device_the_desks(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCARE_DATA_DIR", str(tmp_path))
    options = SkillOptions()
    assert options.journal_of("default") == str(tmp_path)
    assert options.journal_of("sat-bedroom") == str(tmp_path / "satellites" / "sat-bedroom")
    assert options.journal_of("../../etc") == str(tmp_path / "satellites" / "etc")  # no way out
    assert SkillOptions(journal_per_satellite=False).journal_of("sat-bedroom") == str(tmp_path)


def test_settings_of_the_wrong_kind_are_reported_and_left_at_their_default():
    reported: list[str] = []
    options = SkillOptions.read({"keep_journal": "false", "read_journal_aloud": 3, "locale": " en_GB ",
                                 "__mycroft_skill_firstrun": False}, reported.append)
    assert options == SkillOptions(keep_journal=False, locale="en_GB")
    assert len(reported) == 1 and "read_journal_aloud" in reported[0]


def test_the_settings_an_editor_shows_are_the_options_the_skill_reads():
    import json
    from dataclasses import fields

    meta = json.loads((Path(intent_files.__file__).parent / "settingsmeta.json").read_text())
    shown = {field["name"]: field for section in meta["skillMetadata"]["sections"]
             for field in section["fields"]}
    defaults = SkillOptions()
    assert sorted(shown) == sorted(option.name for option in fields(SkillOptions))
    for name, field in shown.items():
        default = getattr(defaults, name)
        assert field["type"] == ("checkbox" if isinstance(default, bool) else "text")
        assert field["value"] == (str(default).lower() if isinstance(default, bool) else default)
