"""A routine asked for by name is one entry in routines.yaml (`asked_for`): its intent is heard
wherever intents.yaml lists `routines_by_name`, a choice's `routine_options` sends it to the
stretches, which play it, and the assistant's "stretches" start hears it, with no list to edit
in intents.yaml, session.yaml or assistant.yaml. Shown on a copy of the content with one new
routine written into routines.yaml and nowhere else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.people import ScriptedPerson
from tests.test_intents import CASES_DIR, cases_in, uncovered
from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.content import Content, load_content
from voice.conversation.settings import Settings
from voice.events.conversation import Asked
from voice.events.routine import RoutineEnded, RoutineStarted
from voice.events.transcript import Transcript
from voice.openvoiceos.locale import intent_files
from voice.openvoiceos.phrases import load_phrases
from voice.session.flow import Flow

NEW_ROUTINE = """\
  - id: evening
    name: Evening wind-down
    seated_only: true
    exercises: [shoulder_rolls, slow_breathing]
    asked_for:
      say: "the evening wind-down"
      phrases: ["the evening wind down", "evening wind down", "evening stretches"]
"""
NEW_CASES = """\
  - intent: stretch_evening
    sentences: ["the evening wind down", "evening stretches please"]
"""
# The short check before any routine, all clear, and the pain before and after.
SCREENED = {"today_screen": "no", "nerves_screen": "no", "pain_score": "two", "pain_after": "two"}


def _with_routine(tmp_path: Path, routine: str = NEW_ROUTINE) -> Path:
    """A copy of the content with `routine` added to the end of routines.yaml's list, the one
    file changed."""
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    path = folder / "routines.yaml"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n# Seconds of rest between exercises")
    path.write_text(text[:end] + "\n" + routine.rstrip("\n") + text[end:], encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Content:
    return load_content(_with_routine(tmp_path_factory.mktemp("content")))


def _session(content: Content, answers: dict[str, str]) -> tuple[ScriptedPerson, Transcript]:
    person = ScriptedPerson(answers={**SCREENED, **answers})
    transcript = Transcript(person.clock)
    Flow.for_person(content, person, person.clock, transcript, settings=Settings()).session()
    return person, transcript


@pytest.mark.parametrize(("answers", "asked"), [
    ({"menu": "the evening wind down"}, ["menu"]),
    ({"menu": "stretches", "which_stretches": "evening stretches"}, ["menu", "which_stretches"]),
], ids=["from the menu", "from which stretches"])
def test_a_routine_added_only_to_routines_yaml_is_chosen_by_voice_and_played(content, answers,
                                                                              asked):
    _, transcript = _session(content, answers)
    assert [a.id for a in transcript.of_type(Asked)][:len(asked)] == asked
    assert [r.id for r in transcript.of_type(RoutineStarted)] == ["evening"]
    assert [(e.reason, e.completed) for e in transcript.of_type(RoutineEnded)] == [("completed", True)]


def test_a_routine_asked_for_by_name_is_named_by_help_where_it_is_heard_unless_kept_out(tmp_path,
                                                                                        content):
    assert "the evening wind-down" in content.intents.help_text("menu")
    assert "the evening wind-down" in content.intents.help_text("routine_choice")
    hidden = load_content(_with_routine(tmp_path, NEW_ROUTINE.replace(
        '      say: "the evening wind-down"\n',
        '      say: "the evening wind-down"\n      in_help: false\n')))
    assert "the evening wind-down" not in hidden.intents.help_text("menu")


def test_the_assistants_stretches_start_hears_a_new_routines_phrases_that_name_the_domain(content):
    start = load_phrases(content, content.folder).start("stretches")
    assert "stretch_evening" in start.refinements
    assert "evening stretches" in start.phrases
    assert "the evening wind down" not in start.phrases  # names none of must_name: not global
    assert "evening stretches\n" in intent_files(load_phrases(content, content.folder))["stretches.intent"]


def test_a_new_routines_cases_go_in_the_one_file_shared_by_every_context_that_hears_it(tmp_path,
                                                                                       content):
    cases = tmp_path / "intents"
    shutil.copytree(CASES_DIR, cases)
    assert uncovered(content.intents, cases_in(cases)) == [("menu", "stretch_evening"),
                                                           ("routine_choice", "stretch_evening")]
    shared = cases / "routines_by_name.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + NEW_CASES, encoding="utf-8")
    found = cases_in(cases)
    assert uncovered(content.intents, found) == []
    for context, sentence, intent, _ in found:
        if intent == "stretch_evening":
            assert content.intents.match(sentence, context).intent == intent, (context, sentence)


def test_a_new_routines_phrase_that_another_intent_of_its_contexts_has_is_rejected(tmp_path):
    clashing = NEW_ROUTINE.replace('"evening stretches"]', '"evening stretches", "both"]')
    with pytest.raises(ContentError) as caught:
        load_content(_with_routine(tmp_path, clashing))
    assert caught.value.field == "contexts.routine_choice"
    assert "'both' belongs to both 'both' and 'stretch_evening'" in caught.value.message


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("    routine_options: stretches\n    default: goodbye\n",
     "    routine_options: goodbye\n    default: goodbye\n",
     "states[1].routine_options", "'goodbye' is not a handoff whose routine_by is this choice's store"),
    ("      history: history\n", "      history: history\n      stretch_neck: stretches\n",
     "states[1].options", "'stretch_neck' asks for routine 'neck' by name"),
    ("routines: {neck: neck,", "routines: {stretch_desk_break: gentle, neck: neck,",
     "states[4].routines", "'stretch_desk_break' asks for routine 'desk_break' by name"),
])
def test_routine_options_that_would_not_play_the_routine_asked_for_are_rejected_where_written(
        tmp_path, old, new, field, message):
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    path = folder / "session.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert caught.value.field == field and message in caught.value.message
    assert caught.value.where.file == str(path)


def test_an_intent_of_intents_yaml_named_as_a_routine_asked_for_is_rejected_where_written(tmp_path):
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    path = folder / "intents.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  neck:\n", '\n  stretch_gentle: {say: "x", phrases: ["x"]}\n  neck:\n'),
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert caught.value.field == "intents.stretch_gentle"
    assert "also the intent of routine 'gentle'" in caught.value.message


def test_routine_asked_for_without_phrases_is_rejected_where_written(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_content(_with_routine(tmp_path, NEW_ROUTINE.replace(
            '["the evening wind down", "evening wind down", "evening stretches"]', "[]")))
    assert caught.value.field.endswith("asked_for.phrases")
