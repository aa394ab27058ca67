"""The people a clinician described, through the real session flow, land where the clinician
accepts (tests/people/*.yaml): the review's 24, and more of our own."""

from __future__ import annotations

import pytest
from support.reviewed import NONE, load_people, run_reviewed

from voice.content import load_content

CONTENT = load_content()
PEOPLE = load_people()


def test_the_review_people_are_all_here():
    assert sorted(p.review for p in PEOPLE if p.review is not None) == list(range(1, 25))


@pytest.mark.parametrize("reviewed", PEOPLE, ids=[p.id for p in PEOPLE])
def test_each_person_lands_in_a_tier_the_clinician_accepts(reviewed):
    run = run_reviewed(CONTENT, reviewed)
    said = run.person.text()
    story = f"{reviewed.who} ({reviewed.where_from})\n{run.person.conversation()}"
    assert run.outcome in reviewed.accept, story
    if reviewed.routines == (NONE,):
        assert run.routines == (), story
    else:
        assert set(run.routines) <= set(reviewed.routines) and run.routines, story
    for words in reviewed.told:
        assert words in said, (words, story)
    for words in reviewed.never_told:
        assert words not in said, (words, story)
