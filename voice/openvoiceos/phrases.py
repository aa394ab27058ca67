"""What people say to a voice assistant to reach backcare (dialogs/assistant.yaml), checked
against the content it points into (the menu's answers and intents.yaml), and the few
lines the skill itself says that no dialog has."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

from ..content.paths import dialogs_dir
from ..content.schema import Fields, unique_ids
from ..content.yamlsource import ContentError, SourcedList, Where, load_yaml
from ..conversation.content import Content
from ..understanding.intents.model import ROUTINES_BY_NAME

FILE = "assistant.yaml"
HISTORY = "history"  # the start that tells the journal back instead of starting the menu


@dataclass(frozen=True)
class Start:
    """One way in: an OpenVoiceOS intent whose phrases start the session at the menu's
    `answer` (None: the whole menu, or the journal for `history`)."""

    id: str
    answer: str | None
    phrases: tuple[str, ...]
    # Other answers of the menu the words may choose instead ("start my upper back stretches"
    # names a routine): those of the intents it `include`s. A symptom check includes none,
    # so no words turn it into stretches.
    refinements: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssistantTexts:
    """Lines the skill says that belong to no conversation, so no dialog file has them: they
    answer the assistant's situation (another room is talking, the owner's settings)."""

    busy: str  # to a second device or session that asks while a conversation runs elsewhere
    journal_off: str  # the history was asked for, but the owner turned reading it aloud off


@dataclass(frozen=True)
class AssistantPhrases:
    language: str  # the assistant's folder name for the intent files ("en-us")
    starts: tuple[Start, ...]
    texts: AssistantTexts
    # Words one of which every start phrase says ("neck", "back care"): the phrases are
    # global on the assistant, so one without them would take what was meant for another skill.
    must_name: tuple[str, ...] = ()

    def start(self, start_id: str) -> Start:
        return next(start for start in self.starts if start.id == start_id)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9']+", text.lower()))


def names_domain(phrase: str, must_name: tuple[str, ...]) -> bool:
    """Whether `phrase` says one of `must_name` as whole words ("back care" in "read my back
    care journal"; "back" is not in "backpack")."""
    said = _words(phrase)
    for term in must_name:
        words = _words(term)
        if any(said[i:i + len(words)] == words for i in range(len(said) - len(words) + 1)):
            return True
    return False


def _item_at(entry: Fields, key: str, index: int) -> Where:
    """The line of one phrase of a list that may span several lines."""
    value = entry.data[key]
    return value.at(index) if isinstance(value, SourcedList) else entry.at(key)


def load_phrases(content: Content, folder: Path | None = None) -> AssistantPhrases:
    """Read assistant.yaml; an answer the menu does not have, an intent intents.yaml does not
    have, a phrase given twice, a start phrase that names none of `must_name`, or a missing
    or empty text of `says` is a `file:line: field` error."""
    path = (folder or dialogs_dir()) / FILE
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    menu = content.menu()
    intents = content.intents.intents
    must_name = tuple(doc.text_list("must_name"))
    if not must_name or not all(must_name):
        raise doc.error("must_name", "list the words that make a phrase backcare's (none empty)")
    entries = doc.items("start")
    unique_ids([(entry.text("id"), entry) for entry in entries], "start")
    starts, seen = [], {}
    for entry in entries:
        answer = entry.text("answer", None) if entry.has("answer") else None
        if answer is not None and answer not in menu.options:
            raise entry.error("answer", f"the menu ({content.session.id}: {menu.id}) has no answer "
                                        f"{answer!r}; it has {', '.join(menu.options)}")
        included = _included(entry.text_list("include", []) if entry.has("include") else [],
                             list(content.intents.routines_by_name()))
        for name in included:
            if name not in intents:
                raise entry.error("include", f"intents.yaml has no intent {name!r}")
        phrases = list(entry.text_list("phrases"))
        for index, phrase in enumerate(phrases):
            if not names_domain(phrase, must_name):
                raise ContentError(_item_at(entry, "phrases", index),
                                   f"{entry.field('phrases')}[{index}]",
                                   f"{phrase!r} names none of must_name ({', '.join(must_name)}), "
                                   "so it would take words meant for another skill")
        # An included intent's phrases are menu answers too: only those that name the domain
        # are taken ("neck stretches", not "something gentle"), whatever intents.yaml adds later.
        phrases += [p for name in included for p in intents[name].phrases
                    if p not in phrases and names_domain(p, must_name)]
        for phrase in phrases:
            if phrase in seen:
                raise entry.error("phrases", f"{phrase!r} also starts {seen[phrase]!r}")
            seen[phrase] = entry.text("id")
        entry.done()
        refinements = tuple(name for name in included if name in menu.options)
        starts.append(Start(entry.text("id"), answer, tuple(phrases), refinements))
    texts = _texts(doc)
    language = doc.text("language")
    doc.done()
    return AssistantPhrases(language, tuple(starts), texts, must_name)


def _included(names: list[str], routines: list[str]) -> list[str]:
    """A start's `include`, `routines_by_name` standing for every routine asked for by name, so
    a routine added to routines.yaml starts from the assistant too, with no list here."""
    return [each for name in names for each in (routines if name == ROUTINES_BY_NAME else [name])]


def _texts(doc: Fields) -> AssistantTexts:
    """Every text of `AssistantTexts` from `says`, each non-empty and free of digits (a voice
    reads "5 min" badly, and a screen reader worse). A missing one is reported at `says:`,
    where it belongs, not at whichever text happens to come first."""
    says = doc.mapping("says")
    found = {}
    for name in (field.name for field in fields(AssistantTexts)):
        if not says.has(name):
            raise ContentError(doc.at("says"), says.field(name), "required field is missing")
        text = says.text(name)
        if re.search(r"\d", text):
            raise says.error(name, f"say numbers in words for the voice: {text!r}")
        found[name] = text
    says.done()
    return AssistantTexts(**found)
