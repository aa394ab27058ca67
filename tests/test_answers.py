"""How answers to warning-sign questions are read: clause by clause, with what each clause says
about *this* question's condition and when (voice/understanding/answers/: reading.py,
verdict.py, clauses.py, times.py).

The answer corpus (tests/answers/corpus_*.yaml) is read with the very functions the dialog
uses (harness/answer_corpus.py): no answer a clinician takes as yes is ever read as no, and
the figures the benchmark prints (`python -m bench.answer_reading`) hold their targets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from harness.answer_corpus import MEANINGS, Labelled, Read, Reader, load_corpus
from voice.conversation.asking.answering import AnswerReader
from voice.conversation.asking.lines import Lines
from voice.conversation.asking.prompt import Prompt
from voice.conversation.asking.readback import ReadBack
from voice.conversation.asking.texts import ReadBackTexts
from voice.conversation.content import Content
from voice.conversation.dialog.questions import find, lexicon_of, listed, single
from voice.understanding.answers.lexicon import Lexicon
from voice.understanding.answers.model import Answer, Carries, Question, Reading
from voice.understanding.answers.reading import read_answer
from voice.understanding.answers.rules import ReadingRules
from voice.understanding.answers.times import Relation, TimeWords
from voice.understanding.numbers import NumberWords
from voice.understanding.words import normalise

THURSDAY = date(2026, 12, 10)


@pytest.fixture(scope="module")
def reader(content: Content) -> Reader:
    """The corpus's reader over the content the run loads once (`content`, conftest.py): its
    lexicon and reading rules built once for this file, not once per answer."""
    return Reader(content)


@pytest.fixture(scope="module")
def corpus() -> list[Labelled]:
    return load_corpus()


@pytest.fixture(scope="module")
def reads(reader: Reader, corpus: list[Labelled]) -> list[Read]:
    """Every corpus answer read once, for the tests that weigh them together: here and not at
    import, so that collecting this file, or running any other test, never pays for it."""
    return [reader.read(case) for case in corpus]


@pytest.fixture(scope="module")
def read(reader: Reader) -> Callable[..., Reading]:
    """Reads one answer to one flag's own question, as the dialog does."""

    def read_one(question: str, said: str, today: date = THURSDAY, proxy: bool = False) -> Reading:
        triage = reader.content.triage
        asked = find(triage, question)
        assert asked is not None, question
        return read_answer(said, reader.content.intents.match(said, "yes_no").intent,
                           single(triage, asked, proxy),  # type: ignore[arg-type]
                           reader.lexicon, reader.rules, today)

    return read_one


# ------------------------------------------------------------------ the corpus
def test_the_corpus_is_large_and_covers_every_kind_of_answer(corpus):
    kinds = {case.kind for case in corpus}
    assert len(corpus) >= 300
    assert {"denial_with_symptom_word", "wellbeing_denial", "no_with_unrelated", "no_with_yes",
            "time_inside", "time_outside", "other_person", "hypothetical", "hedge",
            "compound_part", "correction", "british", "american"} <= kinds
    assert {case.means for case in corpus} == set(MEANINGS)


def test_every_question_of_the_corpus_is_one_the_check_asks(content, corpus):
    for case in corpus:
        assert find(content.triage, case.question) is not None, case


def test_no_answer_a_clinician_takes_as_yes_is_read_as_no(reads):
    missed = [(r.case.question, r.case.said) for r in reads if r.yes_read_as_no]
    assert missed == []


def test_at_most_two_percent_of_no_answers_are_read_as_yes(reads):
    nos = [r for r in reads if r.case.means == "no"]
    over = [(r.case.question, r.case.said) for r in nos if r.no_read_as_yes]
    assert len(over) <= 0.02 * len(nos), over


def test_at_most_fifteen_percent_of_clear_answers_are_said_back(reads):
    clear = [r for r in reads if r.case.means != "unclear"]
    assert sum(r.read_back for r in clear) <= 0.15 * len(clear)


def test_an_unclear_answer_is_never_taken_as_a_plain_no(reads):
    wrong = [(r.case.question, r.case.said) for r in reads
             if r.case.means == "unclear" and r.answer is Answer.NO and not r.read_back]
    assert wrong == []


# ------------------------------------------------------- the review's sentences (F5)
@pytest.mark.parametrize("question,said", [
    ("chest_pain", "there's no pain in my chest"),
    ("chest_pain", "my chest is fine"),
    ("chest_pain", "I've got no pain in my chest"),
    ("both_legs", "no, they're not weak or numb"),
    ("fever_unwell", "I don't have a fever"),
    ("accident", "I didn't have a fall or anything"),
    ("thin_bones", "my sister has osteoporosis, not me"),
    ("accident", "I fell off a ladder years ago, nothing recent"),
])
def test_a_denial_that_names_the_symptom_is_a_plain_no(question, said, read):
    reading = read(question, said)
    assert reading.answer is Answer.NO and not reading.confirm, reading.as_json()


def test_a_stiff_neck_without_a_temperature_is_no_to_fever_with_a_stiff_neck_said_back(read):
    reading = read("meningitis_signs", "my neck's stiff, but I don't have a temperature")
    assert reading.answer is Answer.NO and reading.confirm and reading.carries is Carries.PART


def test_a_rash_while_feeling_fine_is_no_to_a_rash_with_feeling_very_unwell(read):
    reading = read("rash", "I feel fine, it's just the rash")
    assert reading.answer is Answer.NO and reading.confirm


def test_one_part_of_an_either_question_denied_asks_the_other_part_alone(read):
    reading = read("breathless", "I haven't coughed up any blood")
    assert reading.answer is Answer.UNSURE and reading.missing == ("breathless.breath",)


def test_one_part_of_a_both_question_said_asks_the_other_part_alone(read):
    reading = read("rash", "I've got a new rash")
    assert reading.answer is Answer.UNSURE and reading.missing == ("rash.unwell",)


def test_a_no_then_a_time_inside_the_window_is_a_yes_said_back(read):
    reading = read("accident", "no, it was nearly two weeks ago")
    assert reading.answer is Answer.YES and reading.confirm and reading.carries is Carries.TIME
    assert reading.when is not None and reading.when.heard == "nearly two weeks ago"


def test_a_fall_on_sunday_is_four_days_ago_on_a_thursday_and_yesterday_on_a_monday(read):
    assert read("recent_fall_at_65", "Sunday").answer is Answer.NO
    assert read("recent_fall_at_65", "four days ago").answer is Answer.NO
    assert read("recent_fall_at_65", "Sunday", today=date(2026, 12, 7)).answer is Answer.YES


def test_chest_tightness_this_morning_is_no_to_right_now_and_a_mention_of_the_last_three_days(read):
    reading = read("chest_pain", "not now, it was this morning")
    assert reading.answer is Answer.NO and "chest_pain_recent" in reading.mentioned


def test_chest_tightness_last_night_is_yes_to_the_last_three_days(read):
    reading = read("chest_pain_recent", "not today, I had a tight chest last night")
    assert reading.answer is Answer.YES


def test_a_no_that_carries_the_questions_own_symptom_is_a_yes(read):
    assert read("feel_sick", "no, but I feel sick").answer is Answer.YES
    assert read("feel_sick", "nope just nauseous").answer is Answer.YES


def test_a_no_that_carries_another_symptom_is_said_back_and_the_symptom_kept(read):
    reading = read("sweating", "no, I just feel sick")
    assert reading.answer is Answer.NO and reading.confirm
    assert reading.mentioned == ("feel_sick",)


def test_night_sweats_are_not_sweating_with_the_pain(read):
    reading = read("sweating", "not with the pain, I get night sweats")
    assert reading.answer is Answer.NO and "sweating" not in reading.mentioned
    assert "night_sweats" in reading.mentioned


def test_a_headache_brings_up_the_sudden_headache_question_but_does_not_answer_it(read):
    assert read("thunderclap_headache", "my headache built up slowly over a day"
                ).answer is not Answer.YES
    assert read("thunderclap_headache", "yes, it came on all of a sudden").answer is Answer.YES


def test_a_correction_replaces_what_came_before(read):
    assert read("chest_pain", "no wait, yes, it's tight again now").answer is Answer.YES
    assert read("chest_pain", "yes, sorry, no, I mean no").answer is Answer.NO


def test_someone_elses_symptom_is_not_the_persons_unless_a_parent_answers_for_a_child(read):
    assert read("fever_unwell", "my husband has a fever").answer is Answer.NO
    assert read("fever_unwell", "she has a fever", proxy=True).answer is Answer.YES


def test_what_someone_else_noticed_in_the_person_is_the_persons(read):
    reading = read("stroke_signs", "my wife says my speech is slurred")
    assert reading.answer is Answer.YES


def test_denying_another_symptom_is_not_a_no_to_this_question(read):
    """Found by the safety property test: "I haven't coughed up any blood" to the chest
    question of the last three days cleared it (the whole answer's intent was "no")."""
    reading = read("chest_pain_recent", "I haven't coughed up any blood")
    assert reading.answer is Answer.UNSURE


def test_denying_one_item_of_a_list_is_not_a_no_to_the_list(content):
    """Found by the safety property test: "my sister has osteoporosis, not me", said to the
    health list (as a correction of a read-back), cleared the fever and cancer questions."""
    for said in ("my sister has osteoporosis, not me", "there's no pain in my chest"):
        reading = read_answer(said, content.intents.match(said, "yes_no").intent,
                              listed(content.triage.states["health_screen"].flag_ids()
                                     if "osteo" in said else
                                     content.triage.states["heart_screen"].flag_ids()),
                              lexicon_of(content.triage), ReadingRules.of(content.intents))
        assert reading.answer is Answer.UNSURE, said


def test_a_hypothetical_or_a_hedge_is_never_a_no(read):
    for said in ("if I bent down I might feel dizzy", "maybe a bit dizzy, I'm not sure"):
        assert read("dizzy_vision", said).answer is Answer.UNSURE


def test_a_time_word_is_never_a_symptom_word(read):
    for said in ("this morning", "last night", "yesterday"):
        assert not read("feel_sick", f"no, it started {said}").mentioned


def test_the_clauses_and_their_times_are_reported(read):
    reading = read("accident", "no, it was nearly two weeks ago")
    clauses = reading.as_json()["clauses"]
    assert [c["says"] for c in clauses] == ["absent", "present"]  # type: ignore[index]
    assert clauses[1]["when"]["window"] == Relation.INSIDE.value  # type: ignore[index]


# ------------------------------------------------------------------ times
def _times():
    doc = yaml.safe_load((Path(__file__).parent / "answers" / "times.yaml").read_text())
    reference = datetime.fromisoformat(doc["reference"])
    for entry in doc["times"]:
        yield pytest.param(entry["said"], entry["hours_ago"], reference, id=entry["said"])


@pytest.fixture(scope="module")
def time_words(content: Content) -> TimeWords:
    return content.intents.reading.times  # type: ignore[union-attr]


def _found(time_words: TimeWords, said: str, reference: datetime):
    found = time_words.find(normalise(said), reference.date())
    return found[-1][2] if found else None


def test_most_time_phrases_are_read_within_what_a_clinician_accepts(time_words):
    """The fixture's ranges are a clinician's; a time read must overlap them, and a phrase
    with no time must give none. The misses are printed by bench.answer_reading's sister,
    bench.reading_libraries (our rules against dateparser)."""
    times = list(_times())
    right = 0
    for param in times:
        said, hours, reference = param.values
        ago = _found(time_words, said, reference)
        if hours is None:
            right += ago is None
        elif ago is not None:
            right += ago.low <= hours[1] and ago.high >= hours[0]
    assert right >= 0.8 * len(times)


def test_a_phrase_without_a_time_gives_none(time_words):
    for said in ("no", "my chest", "I feel fine", "it's just from the gym", "two pills"):
        assert _found(time_words, said, datetime(2026, 12, 7, 15)) is None


def test_a_count_word_may_stand_one_word_from_its_unit(time_words):
    """"half a day ago" is twelve hours, not "a day ago"; "half an hour ago" half an hour."""
    day = _found(time_words, "half a day ago", datetime(2026, 12, 7, 15))
    hour = _found(time_words, "half an hour ago", datetime(2026, 12, 7, 15))
    assert day is not None and 9 <= day.low and day.high <= 15
    assert hour is not None and 0.25 <= hour.low and hour.high <= 0.75


def test_times_are_read_with_another_languages_words_and_none_of_english():
    """The counting rules stand on the content's words alone: Dutch, where "a couple" is "een
    paar", "and a half" is "en een half" and "ago" is "geleden"."""
    dutch = TimeWords(
        anchors=((("gisteren",), 12.0, 48.0),), units={"dag": 24, "dagen": 24, "week": 168},
        weekdays=("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        ago=frozenset({"geleden"}), articles={"een": 1, "paar": 2, "half": 0.5},
        nearly=frozenset({"bijna"}), over=frozenset({"ruim"}), about=frozenset({"ongeveer"}),
        durations=(("sinds",),), joiners=frozenset({"en"}), number_words=NumberWords.for_language("nl"))

    def hours(said: str) -> tuple[float, float] | None:
        found = dutch.find(normalise(said))
        return (round(found[-1][2].low), round(found[-1][2].high)) if found else None

    assert hours("een paar dagen geleden") == (36, 60)
    assert hours("twee dagen geleden") == hours("2 dagen geleden") == (36, 60)  # Dutch numbers
    assert hours("een week en een half geleden") == (189, 315)
    assert hours("a couple of days ago") is None


def test_normalising_holds_no_word_of_any_language():
    """A written score is the matcher's to put in the content's words ("7 out of 10", "7 sur
    10"); drawn-out letters are shortened in any alphabet."""
    assert normalise("Nooo, 7/10!") == ["no", "7", "10"]
    assert normalise("Sííí, ça va") == ["sí", "ça", "va"]


# ------------------------------------------------------------------ said back
READBACK = {"readback_yes": "Yes to {label}{when}{also}?", "readback_no": "No to {label}{when}{also}?",
            "readback_none": "None of those{also}?", "readback_part": "So {present}, but not {absent}?",
            "list_and": "und", "list_or": "oder"}


def test_texts_that_say_answers_back_without_a_word_to_join_a_list_are_refused():
    with pytest.raises(ValueError, match="list_or"):
        ReadBackTexts.of({key: text for key, text in READBACK.items() if key != "list_or"})
    assert ReadBackTexts.of({}) is None  # no read-back at all: nothing is said back


def test_the_parts_not_said_are_said_back_joined_with_the_contents_word_for_or(content):
    texts = ReadBackTexts.of(READBACK)
    assert texts is not None
    back = ReadBack(texts, AnswerReader(ReadingRules.of(content.intents), Lexicon(())),
                    named=lambda key: key, lines=Lines(lambda *_: None, lambda _: None))
    parts = (("rash", "a rash"), ("unwell", "feeling very unwell"), ("fever", "a fever"))
    prompt = Prompt("rash_unwell", "A rash, feeling very unwell, and a fever?", "yes_no",
                    ("yes", "no"), red_flag=Question(frozenset(), "rash_unwell"), parts=parts)
    said = back.said_back(prompt, Reading(Answer.NO, Carries.PART, present_parts=("rash",)))
    assert said == "So a rash, but not feeling very unwell, oder a fever?"
