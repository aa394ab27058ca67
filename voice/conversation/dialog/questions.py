"""What the answer reader needs of a dialog's red-flag questions: their words and their reach.

The dialog and `backcare match --question` both read answers through these, so a
developer checking how an answer is read sees exactly what the dialog would do.
"""

from __future__ import annotations

from ...understanding.answers.lexicon import Lexicon
from ...understanding.answers.model import Part, Question
from .spec import DialogSpec, Flag, Grade, State


def lexicon_of(spec: DialogSpec) -> Lexicon:
    """Every flag's and grade's words, each part's words, and the phrases excepted: built once
    and kept on the spec (it never changes), since every dialog run over it reads with it."""
    if "symptoms" not in spec._lexicon:
        questions = [*spec.flags(), *(g for f in spec.flags() for g in f.grades)]
        spec._lexicon["symptoms"] = Lexicon.of(
            {**{q.id: q.yes_words for q in questions},
             **{part.id: part.words for q in questions for part in q.reads.parts}},
            {q.id: q.reads.except_words for q in questions if q.reads.except_words},
            {q.id: q.reads.route_words for q in questions if q.reads.route_words})
    return spec._lexicon["symptoms"]


def single(spec: DialogSpec, question: Flag | Grade, proxy: bool = False) -> Question:
    """One flag's (or grade's) own question; `proxy`: someone answers for the person."""
    reads = question.reads
    return Question(own=frozenset({question.id}), flag=question.id,
                    about_now=question.about_now, compound=question.compound,
                    window=reads.window, all_parts=not reads.any_part,
                    parts=tuple(Part(p.id, p.wellbeing) for p in reads.parts),
                    proxy=proxy, earlier=reads.earlier,
                    since=None if reads.ever or reads.window is not None
                    else spec.since_the_pain_began)


def listed(flag_ids: list[str] | tuple[str, ...], proxy: bool = False) -> Question:
    """An "any of these?" list, its check, or "which one was it?"."""
    return Question(own=frozenset(flag_ids), proxy=proxy)


def find(spec: DialogSpec, name: str) -> Flag | Grade | State | None:
    """A flag, a grade or a list of the dialog by its id."""
    if name in spec.flag_table:
        return spec.flag_table[name]
    for flag in spec.flags():
        for grade in flag.grades:
            if grade.id == name:
                return grade
    state = spec.states.get(name)
    return state if state is not None and state.flag_ids() else None
