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
from ..understanding.intents import IntentSet, load_intents
from .contexts import Context
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
    folder = folder or dialogs_dir()
    chosen = load_locale(folder, locale)
    terms = chosen.terms
    intents = load_intents(folder / "intents.yaml", terms)
    contexts = set(intents.context_names())
    triage = load_dialog(folder / "triage.yaml", contexts, terms)
    session = load_dialog(folder / "session.yaml", contexts, terms)
    prescreen = load_dialog(folder / "prescreen.yaml", contexts, terms)
    _check_code_contexts(intents)
    _check_answer_reading(intents, [triage, prescreen])
    book = load_book(folder, terms)
    for dialog in (triage, session, prescreen):
        _check_routine_names(dialog, set(book.routines))
    return Content(intents=intents, triage=triage, session=session, folder=folder,
                   prescreen=prescreen, book=book, locale=chosen)


def _check_code_contexts(intents: IntentSet) -> None:
    """Every context the code names (voice/contexts.py) must be defined in intents.yaml."""
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
