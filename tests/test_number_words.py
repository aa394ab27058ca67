"""Number words both ways come from the content's language (CLDR's spell-out rules, through
unicode-rbnf) and dialogs/numbers.yaml, so a pain score said in words is read in whatever
language the content is written in, and everything spelt can be read back."""

from __future__ import annotations

import re
import shutil

import pytest

from voice.content.paths import dialogs_dir
from voice.content.yamlsource import ContentError
from voice.conversation.content import Content, load_content
from voice.conversation.routine.timeline import build_segment, estimated
from voice.understanding.grammar import context_phrases
from voice.understanding.numbers import SPELT, NumberWords, load_number_words
from voice.understanding.words import normalise

ENGLISH = load_number_words(dialogs_dir())


def test_the_content_spells_numbers_in_its_own_language():
    assert [ENGLISH.to_words(value) for value in (0, 7, 13, 20, 21, 40, 99)] == [
        "zero", "seven", "thirteen", "twenty", "twenty one", "forty", "ninety nine"]


@pytest.mark.parametrize("value", SPELT)
def test_every_number_spelt_is_read_back_as_itself(value):
    assert ENGLISH.read(ENGLISH.to_words(value).split()) == [value]


def test_a_score_said_in_words_or_digits_is_read_as_numbers_between_the_other_words():
    said = "seven out of ten twenty one 20 one forty 5 one hundred".split()
    assert ENGLISH.read(said) == [7, "out", "of", 10, 21, 20, 1, 40, 5, 1, "hundred"]


def test_the_words_numbers_yaml_adds_are_read_and_others_are_left_as_words():
    assert ENGLISH.read(["nought", "naught", "oh", "owe"]) == [0, 0, "oh", "owe"]


@pytest.mark.parametrize("value", [-1, 100, 911])
def test_a_number_outside_what_is_spelt_is_refused_not_misspelt(value):
    with pytest.raises(ValueError, match="only 0..99"):
        ENGLISH.to_words(value)


def test_another_language_spells_and_reads_its_own_words():
    german = NumberWords.for_language("de-DE")
    assert german.to_words(21) == "einundzwanzig"
    assert german.read(["ein", "eins", "eine", "einundzwanzig", "von", "zehn"]) == [
        1, 1, 1, 21, "von", 10]
    french = NumberWords.for_language("fr")
    assert french.to_words(71) == "soixante et onze"
    assert french.read("vingt et un sur dix".split()) == [21, "sur", 10]
    assert ENGLISH.read(["einundzwanzig"]) == ["einundzwanzig"]  # a table per language


def test_a_country_without_rules_of_its_own_takes_its_languages():
    assert NumberWords.for_language("en-gb").language == "en"
    assert NumberWords.for_language("en_IN").language == "en_IN"  # lakh and crore


def _copy(tmp_path, language: str | None = None, numbers: str | None = None):
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    if language is not None:
        path = folder / "assistant.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("language: en-us",
                                                                 f"language: {language}"),
                        encoding="utf-8")
    if numbers is not None:
        (folder / "numbers.yaml").write_text(numbers, encoding="utf-8")
    return folder


def test_the_language_is_the_one_the_content_folder_names(tmp_path):
    assert ENGLISH.language == "en"  # the shipped content's `language: en-us`
    german = load_number_words(_copy(tmp_path, language="de"))
    assert german.read(["einundzwanzig", "nought"]) == [21, 0]  # numbers.yaml's too
    assert german.to_words(7) == "sieben"


def test_two_contents_in_one_process_each_read_and_say_numbers_in_their_own_language(tmp_path):
    """The shipped content and a copy whose `language` is German, loaded side by side (as a
    test or the skill may): each hears, spells and counts in its own words, whichever was
    loaded first, since the words travel with the content and no table is shared."""
    english = load_content(dialogs_dir())
    german = load_content(_copy(tmp_path, language="de"))
    assert (english.number_words.language, german.number_words.language) == ("en", "de")

    def score(content: Content, said: str) -> int | None:
        return content.intents.match(said, "pain_scale").slots.get("number")

    def reps_said(content: Content) -> list[str]:
        """The words of the second hold's start, which says how many there are ("{reps}")."""
        exercise = content.book.exercises["shoulder_squeeze"]
        assert exercise.reps == 4
        segment = build_segment(content.book, exercise, estimated(170), None)
        [cue] = [cue for cue in segment.cues if cue.kind == "start" and cue.rep == 2]
        return normalise(cue.text)

    def weeks_ago(content: Content, said: str) -> tuple[float, float]:
        [(_, _, ago)] = content.intents.reading.times.find(normalise(said))
        return ago.low, ago.high

    assert (score(english, "seven"), score(english, "sieben")) == (7, None)
    assert (score(german, "sieben"), score(german, "seven")) == (7, None)
    assert "sieben" in context_phrases(german.intents, "pain_scale")
    assert "sieben" not in context_phrases(english.intents, "pain_scale")
    assert "four" in reps_said(english) and "vier" not in reps_said(english)
    assert "vier" in reps_said(german) and "four" not in reps_said(german)
    assert weeks_ago(german, "zwei weeks ago") == weeks_ago(english, "two weeks ago")
    assert score(english, "seven") == 7  # the first content's words are still its own


def test_a_language_without_number_words_names_the_line_that_asks_for_it(tmp_path):
    folder = _copy(tmp_path, language="tlh")
    with pytest.raises(ContentError, match=r"assistant\.yaml:\d+: language: .*'tlh'"):
        load_number_words(folder)


@pytest.mark.parametrize("also, field", [
    ("  hundred: 100\n", "also.hundred"),
    ("  none: nothing\n", "also.none"),
    ("  '!': 0\n", "also.!"),
])
def test_a_word_numbers_yaml_adds_that_cannot_be_read_names_its_line(tmp_path, also, field):
    text = (dialogs_dir() / "numbers.yaml").read_text(encoding="utf-8")
    folder = _copy(tmp_path, numbers=text.replace("  naught: 0\n", "  naught: 0\n" + also))
    line = text[:text.index("  naught: 0\n")].count("\n") + 2  # the line added, after naught's
    with pytest.raises(ContentError, match=rf"numbers\.yaml:{line}: {re.escape(field)}: "):
        load_number_words(folder)


@pytest.mark.parametrize("find, replace, field", [
    ("  naught: 0\n", "  naught: 0\n  hundred: 100\n", "also.hundred"),
    ("Saturday, Sunday]", "Saturday]", "dates.weekdays"),
    ('other: "{count} times"', 'other: "times"', "times.other"),
])
def test_a_mistake_in_numbers_yaml_stops_the_content_loading_naming_its_line(tmp_path, find,
                                                                               replace, field):
    """Found when the content is loaded, not when the journal is first told back: the days and
    counts are read with the number words."""
    text = (dialogs_dir() / "numbers.yaml").read_text(encoding="utf-8")
    assert find in text
    folder = _copy(tmp_path, numbers=text.replace(find, replace))
    with pytest.raises(ContentError, match=rf"numbers\.yaml:\d+: {re.escape(field)}: "):
        load_content(folder)
