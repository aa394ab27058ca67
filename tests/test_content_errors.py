"""Bad dialog YAML fails at load with the file, the line and the field of the mistake."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support.content import shipped_content

from voice.content.locales import load_locale
from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.content import load_content, routine_intents
from voice.conversation.dialog.load import load_dialog
from voice.understanding.intents.load import load_intents

TRIAGE = (dialogs_dir() / "triage.yaml").read_text(encoding="utf-8")
INTENTS = (dialogs_dir() / "intents.yaml").read_text(encoding="utf-8")
CONTEXTS = {"yes_no", "pain_scale", "location", "menu", "player", "age"}
TERMS = load_locale(dialogs_dir()).terms  # the default locale's words for {term}s
BY_NAME = routine_intents(shipped_content().book)  # intents.yaml's contexts hear them by name
NUMBER_WORDS = shipped_content().number_words  # a broken file is read alone, beside no numbers.yaml


def _broken(tmp_path: Path, original: str, old: str, new: str, nth: int = 1) -> tuple[Path, int]:
    """Write a copy with the nth `old` replaced; return its path and the line of the change."""
    index = -1
    for _ in range(nth):
        index = original.index(old, index + 1)
    text = original[:index] + new + original[index + len(old):]
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path, original[:index].count("\n") + 1


def _line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def _load_error(path: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_dialog(path, CONTEXTS, TERMS)
    return caught.value


def test_missing_field_names_the_flag_and_field(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "    label: chest pain\n", "")
    error = _load_error(path)
    assert error.field == "flags[0].label"
    assert error.where.file == str(path)
    assert error.where.line == _line_of(TRIAGE, "  - id: chest_pain")
    assert "required field is missing" in str(error)


def test_unknown_tier_names_the_tier_line(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "tier: emergency", "tier: critical", nth=1)
    error = _load_error(path)
    assert (error.where.line, error.field) == (line, "flags[0].tier")
    assert "'critical'" in error.message and "emergency, urgent, soon" in error.message


def test_dangling_reference_names_the_option(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "      neck: heart_screen", "      neck: heart_scren")
    error = _load_error(path)
    assert (error.where.line, error.field) == (line, "states.location.options.neck")
    assert "no state with id 'heart_scren'" in error.message


def test_duplicate_id_names_the_second_use(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "  - id: brain_screen", "  - id: heart_screen")
    error = _load_error(path)
    assert error.where.line == line
    assert "duplicate state id 'heart_screen'" in error.message


def test_bad_type_names_the_field(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "when: {age: {min: 65}}", "when: {age: {min: old}}")
    error = _load_error(path)
    assert error.where.line == line and error.field.endswith(".when.age.min")
    assert "whole number" in error.message


def test_misspelt_field_is_not_silently_ignored(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "    requires_clear: true", "    require_clear: true")
    error = _load_error(path)
    assert error.where.line == line and error.field.endswith("require_clear")
    assert "unknown field" in error.message


def test_red_flag_without_sources_is_rejected(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "    sources: [NHS-MEN]", "    sources: []")
    error = _load_error(path)
    assert "source" in error.message and error.where.line == line


def test_offering_stretches_without_a_safe_triage_is_rejected(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "    requires_safe: true\n    offers_stretches: true",
                      "    offers_stretches: true")
    error = _load_error(path)
    assert "requires_safe" in error.field
    assert error.where.line == _line_of(TRIAGE, "  - id: offer_stretches")


def test_a_path_that_could_reach_self_care_without_the_outcome_is_rejected(tmp_path):
    # Make a list fall through to the self-care advice instead of the outcome.
    path, _ = _broken(tmp_path, TRIAGE, "  - id: course_screen\n    type: screen\n",
                      "  - id: course_screen\n    type: screen\n    next: care_until_seen\n")
    error = _load_error(path)
    assert "reached without passing" in error.message
    text = path.read_text()
    key = text.index("requires_safe", text.index("  - id: care_until_seen"))
    assert error.where.line == text[:key].count("\n") + 1
    assert error.field.endswith(".requires_safe")


def test_reassurance_on_the_path_of_flags_that_allow_exercise_is_rejected(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "    clear: all_clear\n    mild: pain_score_flagged",
                      "    clear: all_clear\n    mild: all_clear")
    error = _load_error(path)
    assert "requires_safe" in error.message or "all-clear" in error.message


def test_a_list_item_that_is_not_a_flag_is_rejected(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "flags: [stroke_signs]", "flags: [headache]")
    error = _load_error(path)
    assert "'headache' is not a red flag" in error.message
    assert error.field.endswith(".items")


def test_a_flag_in_no_list_is_rejected_as_never_asked(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "      - {say: \"clumsy hands\", flags: [clumsy_hands]}\n",
                      "")
    error = _load_error(path)
    assert "'clumsy_hands' is in no list" in error.message
    assert error.where.line == _line_of(TRIAGE, "  - id: clumsy_hands")


def test_a_flag_whose_list_cannot_be_reached_is_rejected(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "  - id: health_screen\n    type: screen\n",
                      "  - id: health_screen\n    type: screen\n    next: course_screen\n")
    error = _load_error(path)
    assert error.message == ("flag 'cannot_move' is asked by 'pain_screen', which cannot be "
                             "reached from 'welcome'")
    assert error.where.line == _line_of(TRIAGE, "  - id: cannot_move")


def test_a_condition_on_an_answer_nobody_stores_is_rejected(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "when: {age: {min: 65}}", "when: {years: {min: 65}}")
    error = _load_error(path)
    assert "no state stores 'years'" in error.message


def test_yaml_syntax_error_names_the_line(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "    label: chest pain", "    label: [chest pain")
    error = _load_error(path)
    assert error.field == "yaml" and abs(error.where.line - line) <= 2


def test_phrase_meaning_two_intents_in_one_context_is_rejected(tmp_path):
    path, _ = _broken(tmp_path, INTENTS, '"naw", "no no"', '"naw", "yeah", "no no"')
    with pytest.raises(ContentError) as caught:
        load_intents(path, routines=BY_NAME, number_words=NUMBER_WORDS)
    assert "'yeah'" in caught.value.message and "contexts.yes_no" in caught.value.field


def test_context_naming_an_unknown_intent_is_rejected(tmp_path):
    path, line = _broken(tmp_path, INTENTS, "  yes_no: [yes, no, unsure, probably_not]",
                         "  yes_no: [yes, no, unsure, probably_not, maybe]")
    with pytest.raises(ContentError) as caught:
        load_intents(path, routines=BY_NAME, number_words=NUMBER_WORDS)
    assert caught.value.where.line == line and "unknown intent 'maybe'" in caught.value.message


def test_shipped_content_loads_cleanly():
    content = load_content()
    assert content.triage.states and content.intents.intents


def test_spoken_phrase_that_the_matcher_does_not_know_is_rejected(tmp_path):
    path, line = _broken(tmp_path, INTENTS, '"i dont", "i havent"]', '"i dont", "no sir"]')
    with pytest.raises(ContentError) as caught:
        load_intents(path, routines=BY_NAME, number_words=NUMBER_WORDS)
    assert caught.value.where.line == line and caught.value.field == "intents.no.spoken"


EXERCISES = (dialogs_dir() / "exercises.yaml").read_text(encoding="utf-8")
ROUTINES = (dialogs_dir() / "routines.yaml").read_text(encoding="utf-8")


def _book_error(tmp_path: Path, exercises: str, routines: str) -> ContentError:
    from voice.conversation.routine.book import load_book

    (tmp_path / "exercises.yaml").write_text(exercises, encoding="utf-8")
    (tmp_path / "routines.yaml").write_text(routines, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_book(tmp_path, number_words=NUMBER_WORDS)
    return caught.value


def test_routine_naming_an_unknown_exercise_is_rejected(tmp_path):
    broken = ROUTINES.replace("[chin_tuck, neck_rotation,", "[chin_tuk, neck_rotation,", 1)
    error = _book_error(tmp_path, EXERCISES, broken)
    assert error.field == "routines[0].exercises[0]" and "chin_tuk" in error.message
    assert error.where.line == _line_of(broken, "    exercises: [chin_tuk")


def test_changeover_rest_outside_five_to_ten_seconds_is_rejected(tmp_path):
    broken = EXERCISES.replace("    side_rest_s: 8", "    side_rest_s: 2", 1)
    error = _book_error(tmp_path, broken, ROUTINES)
    assert error.field.endswith(".side_rest_s") and "at least 5" in error.message
    assert error.where.line == _line_of(broken, "    side_rest_s: 2")


def test_seated_only_routine_with_a_floor_exercise_is_rejected(tmp_path):
    broken = ROUTINES.replace("[shoulder_rolls, shoulder_squeeze, upper_back_stretch]",
                              "[shoulder_rolls, shoulder_squeeze, cat_cow]")
    error = _book_error(tmp_path, EXERCISES, broken)
    assert "cat_cow is floor" in error.message


def test_a_routine_that_does_not_say_floor_cannot_ask_anyone_to_kneel(tmp_path):
    broken = ROUTINES.replace("[chin_tuck, neck_rotation, side_tilt, forward_tilt]",
                              "[chin_tuck, neck_rotation, side_tilt, cat_cow]")
    error = _book_error(tmp_path, EXERCISES, broken)
    assert "cat_cow is on the floor" in error.message and "floor: true" in error.message


def test_an_exercise_without_a_safety_line_is_rejected(tmp_path):
    broken = EXERCISES.replace('    safety: ["Stop if it hurts."]', "    safety: []", 1)
    broken = broken.replace('    safety: ["Use a firm, padded surface.", "Stop if it hurts."]',
                            "    safety: []", 1)
    error = _book_error(tmp_path, broken, ROUTINES)
    assert error.field.endswith(".safety") and "safety line" in error.message


@pytest.mark.parametrize("value", ["{frozen: shoulder}", "[{frozen: shoulder}]", "7"])
def test_skip_if_that_is_not_a_list_of_sentences_names_the_file_line_and_field(tmp_path, value):
    shipped = '    skip_if: ["If you have had a dislocated or frozen shoulder, say skip."]'
    broken = EXERCISES.replace(shipped, f"    skip_if: {value}", 1)
    error = _book_error(tmp_path, broken, ROUTINES)
    index = re.findall(r"^  - id: (\w+)", EXERCISES, re.MULTILINE).index("doorway_chest_stretch")
    assert error.where.file == str(tmp_path / "exercises.yaml")
    assert error.where.line == _line_of(broken, f"    skip_if: {value}")
    assert error.field in (f"exercises[{index}].skip_if", f"exercises[{index}].skip_if[0]")
    assert "expected" in error.message and "text" in error.message


def test_exercise_with_an_unknown_position_is_rejected(tmp_path):
    broken = EXERCISES.replace("    position: floor", "    position: lying", 1)
    error = _book_error(tmp_path, broken, ROUTINES)
    assert error.field.endswith(".position") and "'lying'" in error.message


def test_a_context_exclusion_of_a_phrase_not_heard_there_is_rejected(tmp_path):
    path, line = _broken(tmp_path, INTENTS, "pain_scale: [bye, bye bye", "pain_scale: [bye, byee")
    with pytest.raises(ContentError) as caught:
        load_intents(path, routines=BY_NAME, number_words=NUMBER_WORDS)
    assert caught.value.where.line == line and caught.value.field == "not_in_context.pain_scale"
    assert "'byee'" in str(caught.value)


@pytest.mark.parametrize(("written", "message"), [
    ("  no: [hurts]", "'no' is not a priority intent"),
    ("  chest: [stop, hurts, dizzy, tingling, no]", "'no' is not a priority intent"),
    ("  chest: [hurts]\n  hurts: [chest]", "outrank each other"),
    ("  chest: [hurt]", "unknown intent 'hurt'")])
def test_outranks_weighs_only_known_priority_intents_one_way(tmp_path, written, message):
    """"It hurts, and my chest feels tight" is the chest: which priority intent wins is data,
    and it must name intents that are weighed at all, one way round."""
    path, _ = _broken(tmp_path, INTENTS, "  chest: [stop, hurts, dizzy, tingling]", written)
    with pytest.raises(ContentError) as caught:
        load_intents(path, routines=BY_NAME, number_words=NUMBER_WORDS)
    assert message in caught.value.message and caught.value.field.startswith("outranks.")


def test_sound_alikes_for_an_unknown_context_are_rejected(tmp_path):
    path, line = _broken(tmp_path, INTENTS, "sound_alikes:\n  pain_scale:", "sound_alikes:\n  pain_scal:")
    with pytest.raises(ContentError) as caught:
        load_intents(path, routines=BY_NAME, number_words=NUMBER_WORDS)
    assert caught.value.where.line == line + 1 and caught.value.field == "sound_alikes.pain_scal"


def test_an_unknown_placeholder_fails_at_load_naming_the_field(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "headache, call {emergency_number}. See",
                         "headache, call {emergency_numbr}. See")
    error = _load_error(path)
    assert error.where.line == line and error.field == "texts.safety_net"
    assert "{emergency_numbr}" in str(error)


def test_an_unknown_placeholder_in_a_question_names_the_state(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, 'ask: "First, how old are you?"',
                         'ask: "First, {name}, how old are you?"')
    error = _load_error(path)
    assert error.where.line == line and error.field.endswith(".ask")



def test_a_number_said_back_without_the_words_to_say_it_in_names_the_state_that_confirms(tmp_path):
    start = TRIAGE.index("number_said_back:")
    block = TRIAGE[start:TRIAGE.index("\n\n", start) + 1]
    path, _ = _broken(tmp_path, TRIAGE, block, "")
    error = _load_error(path)
    assert error.field.startswith("states[") and error.field.endswith(".confirm")
    assert error.where.line == _line_of(path.read_text(encoding="utf-8"), "    confirm: true")
    assert "number_said_back" in error.message


def test_a_number_said_back_that_does_not_say_the_number_names_the_field(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, 'say: "{number}, thanks."', 'say: "Thanks."')
    error = _load_error(path)
    assert (error.where.line, error.field) == (line, "number_said_back.say")
    assert "{number}" in error.message


def test_a_number_that_sounds_like_itself_names_the_pair(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "{number: 15, sounds_like: 50}",
                         "{number: 15, sounds_like: 15}")
    error = _load_error(path)
    assert error.where.line == line
    assert error.field == "number_said_back.sound_alike[2].sounds_like"


def test_emergency_advice_without_the_number_to_call_fails(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, '"Call {emergency_number} now, or ask someone near you to call."',
                         '"Call for help now, or ask someone near you to call."')
    error = _load_error(path)
    assert error.field == "tiers[0].advice" or error.field.endswith("advice"), error
    assert "{emergency_number}" in str(error)


def test_a_tier_with_empty_advice_fails(tmp_path):
    start = TRIAGE.index("  - id: soon")
    end = TRIAGE.index("\ntexts:")
    text = TRIAGE[:start] + "  - id: soon\n    label: see a doctor within a few days\n    advice: []\n" \
        + TRIAGE[end:]
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    error = _load_error(path)
    assert "advice" in error.field and "needs advice" in str(error)


@pytest.mark.parametrize("written", ["Fell", "fell, off", "fe*", "tin*gle", "fell!"])
def test_yes_words_must_be_lower_case_words_or_phrases(tmp_path, written):
    path, line = _broken(tmp_path, TRIAGE, "yes_words: [fell, fall,", f"yes_words: [\"{written}\", fall,")
    error = _load_error(path)
    assert error.where.line == line and error.field.endswith(".yes_words")


def test_a_grade_that_asks_an_unknown_flag_is_rejected(tmp_path):
    path, _ = _broken(tmp_path, TRIAGE, "asks_flag: thin_bones", "asks_flag: thin_bone")
    error = _load_error(path)
    assert "'thin_bone' is not a red flag" in error.message and error.field.endswith(".asks_flag")


def test_a_flag_that_allows_a_routine_no_handoff_offers_is_rejected(tmp_path):
    path, line = _broken(tmp_path, TRIAGE, "    exercise: desk_break", "    exercise: neck")
    error = _load_error(path)
    assert error.where.line == line and error.field.endswith(".exercise")
    assert "'neck' is neither none nor one of the handoff's flagged_routines" in error.message


def test_a_handover_by_tier_that_reaches_stretches_is_rejected(tmp_path):
    text = (dialogs_dir() / "prescreen.yaml").read_text(encoding="utf-8")
    path, _ = _broken(tmp_path, text, "      check_first: check_now", "      check_first: stretches")
    error = _load_error(path)
    assert error.field.endswith(".by_tier") and "offers reassurance or stretches" in error.message


def test_dialogs_with_red_flags_need_the_words_that_read_a_no(tmp_path):
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    intents = folder / "intents.yaml"
    text = intents.read_text(encoding="utf-8")
    start, end = text.index("answer_reading:"), text.index("# How the help joins")
    intents.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert caught.value.field == "answer_reading"


def test_a_context_the_code_listens_in_must_be_defined_in_the_intents(tmp_path):
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    intents = folder / "intents.yaml"
    text = intents.read_text(encoding="utf-8")
    intents.write_text(text.replace("  barge_in: [pause, hurts, dizzy, tingling, chest]\n", ""),
                       encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert caught.value.field == "contexts.barge_in"
    assert "the code listens in 'barge_in'" in caught.value.message


def test_an_answer_said_back_without_a_word_it_needs_is_refused_at_load(tmp_path):
    """Found when the read-back was split out of the ask step: a dialog that says answers back
    but lacks "and" for a list failed only when the first answer was said back."""
    path, _ = _broken(tmp_path, TRIAGE, '  list_and: "and"\n', "")
    error = _load_error(path)
    assert error.field == "texts.list_and"
    assert error.where.file == str(path)
