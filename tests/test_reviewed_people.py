"""The people a clinician described, through the real session flow, land where the clinician
accepts (tests/people/*.yaml): the second review's 24, the third review's 20, and more of our
own, in the American and the British locale (the words differ, the tiers must not)."""

from __future__ import annotations

import pytest
from support.content import shipped_content
from support.reviewed import NONE, in_locale, load_people, run_reviewed

LOCALES = ("en_US", "en_GB")
CONTENTS = {code: shipped_content(code) for code in LOCALES}
PEOPLE = load_people()


def test_the_review_people_are_all_here():
    assert sorted(p.review for p in PEOPLE if p.review is not None) == list(range(1, 25))


def test_the_third_review_people_are_all_here():
    assert sorted(p.review_v3 for p in PEOPLE if p.review_v3 is not None) == list(range(1, 21))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("reviewed", PEOPLE, ids=[p.id for p in PEOPLE])
def test_each_person_lands_in_a_tier_the_clinician_accepts(reviewed, locale):
    content = CONTENTS[locale]
    run = run_reviewed(content, reviewed)
    said = run.person.text()
    story = f"{reviewed.who} ({reviewed.where_from})\n{run.person.conversation()}"
    assert run.outcome in reviewed.accept, story
    if reviewed.routines == (NONE,):
        assert run.routines == (), story
    else:
        assert set(run.routines) <= set(reviewed.routines) and run.routines, story
    for words in reviewed.told:
        assert in_locale(words, content) in said, (words, story)
    for words in reviewed.never_told:
        assert in_locale(words, content) not in said, (words, story)
