"""What people say to a voice assistant to reach backcare (dialogs/assistant.yaml), checked
against the content it points into: the menu's answers and intents.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content import Content, dialogs_dir
from ..schema import Fields, unique_ids
from ..yamlsource import Where, load_yaml

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
class AssistantPhrases:
    language: str  # the assistant's folder name for the intent files ("en-us")
    starts: tuple[Start, ...]
    during: tuple[str, ...]  # intents.yaml intents that are assistant intents while a session runs

    def start(self, start_id: str) -> Start:
        return next(start for start in self.starts if start.id == start_id)


def load_phrases(content: Content, folder: Path | None = None) -> AssistantPhrases:
    """Read assistant.yaml; an answer the menu does not have, an intent intents.yaml does not
    have, or a phrase given twice is a `file:line: field` error."""
    path = (folder or dialogs_dir()) / FILE
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    menu = content.menu()
    intents = content.intents.intents
    entries = doc.items("start")
    unique_ids([(entry.text("id"), entry) for entry in entries], "start")
    starts, seen = [], {}
    for entry in entries:
        answer = entry.text("answer", None) if entry.has("answer") else None
        if answer is not None and answer not in menu.options:
            raise entry.error("answer", f"the menu ({content.session.id}: {menu.id}) has no answer "
                                        f"{answer!r}; it has {', '.join(menu.options)}")
        included = entry.text_list("include", []) if entry.has("include") else []
        for name in included:
            if name not in intents:
                raise entry.error("include", f"intents.yaml has no intent {name!r}")
        phrases = list(entry.text_list("phrases"))
        phrases += [p for name in included for p in intents[name].phrases if p not in phrases]
        for phrase in phrases:
            if phrase in seen:
                raise entry.error("phrases", f"{phrase!r} also starts {seen[phrase]!r}")
            seen[phrase] = entry.text("id")
        entry.done()
        refinements = tuple(name for name in included if name in menu.options)
        starts.append(Start(entry.text("id"), answer, tuple(phrases), refinements))
    during = tuple(doc.text_list("during"))
    for name in during:
        if name not in intents:
            raise doc.error("during", f"intents.yaml has no intent {name!r}")
        if name == "stop":
            raise doc.error("during", "the assistant's own stop ends the session; leave stop out")
    language = doc.text("language")
    doc.done()
    return AssistantPhrases(language, tuple(starts), during)
