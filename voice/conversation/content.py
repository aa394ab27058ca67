"""Finding and loading the dialog content that ships with the assistant, in one locale.

Installed, the YAML lives in the `voice.dialogs` package; in a source
checkout it is the `dialogs/` folder beside `voice/`.  `BACKCARE_DIALOGS`
points somewhere else (a clinician's edited copy, a test's broken file).
The locale's words (`voice.content.locales`) are put into the text as it is read, so
everything loaded here is what a person in that country hears.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.locales import DEFAULT, Locale, load_locale
from ..content.paths import dialogs_dir
from ..understanding.intents.load import load_intents
from ..understanding.intents.model import Intent, IntentSet
from ..understanding.numbers import NumberWords, load_number_words
from .contexts import Context
from .counts_and_dates import JournalWords, load_journal_words
from .dialog.load import load_dialog
from .dialog.spec import ChoiceState, DialogSpec
from .routine.book import RoutineBook, load_book
from .settings import Settings


@dataclass(frozen=True)
class Content:
    """All dialog content, loaded and cross-checked together."""

    intents: IntentSet
    triage: DialogSpec
    session: DialogSpec
    folder: Path
    prescreen: DialogSpec
    book: RoutineBook  # the exercises and routines
    locale: Locale
    journal_words: JournalWords  # how counts and days are said (numbers.yaml's times and dates)

    @property
    def number_words(self) -> NumberWords:
        """The content's number words, in its language: the intents hold them (and the routine
        book the same), so whatever reads or says a number with this content uses its own."""
        return self.intents.number_words

    def menu(self) -> ChoiceState:
        """The voice menu's question (the session's choice in the menu context): its answers
        are where a session asked for by name starts."""
        return next(state for state in self.session.states.values()
                    if isinstance(state, ChoiceState) and state.context == Context.MENU)

    def settings(self, emergency_number: str | None = None) -> Settings:
        """How a session runs here: the locale's numbers (`emergency_number` given on the
        command line over its own)."""
        return Settings(emergency_number=emergency_number or self.locale.emergency_number,
                        numbers_to_dial=self.locale.numbers_to_dial)


def load_content(folder: Path | None = None, locale: str = DEFAULT) -> Content:
    """Everything in `folder` (else `dialogs_dir()`'s), checked together: a mistake in any of
    it (numbers.yaml's too) stops here, naming file, line and field. Its number words are read
    once, from this folder, and handed to the book and the intents, which keep them."""
    folder = folder or dialogs_dir()
    chosen = load_locale(folder, locale)
    terms = chosen.terms
    number_words = load_number_words(folder)
    journal_words = load_journal_words(folder)
    book = load_book(folder, terms, number_words)
    intents = load_intents(folder / "intents.yaml", terms, routine_intents(book), number_words)
    contexts = set(intents.context_names())
    by_name = {context: intents.routines_by_name(context) for context in contexts}
    triage = load_dialog(folder / "triage.yaml", contexts, terms, by_name)
    session = load_dialog(folder / "session.yaml", contexts, terms, by_name)
    prescreen = load_dialog(folder / "prescreen.yaml", contexts, terms, by_name)
    _check_code_contexts(intents)
    _check_answer_reading(intents, [triage, prescreen])
    for dialog in (triage, session, prescreen):
        _check_routine_names(dialog, set(book.routines))
    return Content(intents=intents, triage=triage, session=session, folder=folder,
                   prescreen=prescreen, book=book, locale=chosen, journal_words=journal_words)


def routine_intents(book: RoutineBook) -> list[Intent]:
    """The intent of each routine asked for by name (routines.yaml, `asked_for`), in the book's
    order: named `stretch_<routine id>`, heard wherever intents.yaml lists `routines_by_name`,
    and played by the handoff a choice's `routine_options` names. The name only tells intents
    apart: what it plays is the intent's `routine`, never read back out of the name."""
    return [Intent(name=f"stretch_{routine.id}", say=routine.asked_for.say,
                   phrases=routine.asked_for.phrases, in_help=routine.asked_for.in_help,
                   routine=routine.id)
            for routine in book.routines.values() if routine.asked_for is not None]


def _check_code_contexts(intents: IntentSet) -> None:
    """Every context the code names (voice/conversation/contexts.py) must be defined in intents.yaml."""
    from ..content.yamlsource import ContentError, Where
    from ..conversation.contexts import Context

    for context in Context:
        if context.value not in intents.contexts:
            raise ContentError(Where(intents.source, 1), f"contexts.{context.value}",
                               f"the code listens in {context.value!r}; define it under contexts")


def _check_answer_reading(intents: IntentSet, dialogs: list[DialogSpec]) -> None:
    """Dialogs that ask about red flags need the words that keep a "no, but..." from being a
    plain no (`answer_reading` in intents.yaml)."""
    from ..content.yamlsource import ContentError, Where

    if any(dialog.flags() for dialog in dialogs) and intents.reading is None:
        raise ContentError(Where(intents.source, 1), "answer_reading",
                           "the dialogs ask about red flags: give the words that read an "
                           "answer clause by clause (negations, times, hedges...)")


def _check_routine_names(triage: DialogSpec, names: set[str]) -> None:
    """A handoff that names a routine must name one that exists."""
    from ..content.yamlsource import ContentError

    for state in triage.states.values():
        for routine in [state.routine, *state.flagged_routines, *state.routines.values()]:
            if routine and routine not in names:
                raise ContentError(state.where, f"states.{state.id}.routines",
                                   f"no routine {routine!r} in routines.yaml")
