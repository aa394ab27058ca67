"""One session's conversation, for any person: the symptom check, the check before a routine,
the gate before it, the routine, and the journal told back.

The command line (typed) and the voice session (spoken) differ only in the
person they make; what follows what is decided here, once:
- the symptom check offers stretches only when its outcome allows them;
- stretches asked for without a symptom check first get the short check, and
  a yes there hands over to the full symptom check now, in the same session;
- advice that blocked exercise on an earlier run holds until the person says
  they have been seen since, and a routine with neck exercises asks about
  rheumatoid arthritis and neck surgery first (`conversation.gate`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..clock import Clock
from ..content.placeholders import fill
from ..conversation.asking.ask import Asker
from ..conversation.asking.prompt import Interrupted, Prompt
from ..conversation.asking.texts import Texts
from ..conversation.content import Content
from ..conversation.contexts import Context
from ..conversation.dialog.engine import Dialog, DialogResult
from ..conversation.port import Line, Person
from ..conversation.routine.gate import RoutineGate
from ..conversation.routine.player import Player
from ..conversation.routine.timeline import Durations, estimated
from ..conversation.settings import Settings
from ..events.conversation import Said, Seen
from ..events.transcript import Transcript
from ..journal.history import (
    blocking_tiers,
    pain_rose,
    summarise,
    tier_labels,
    told_back,
    unseen_advice,
)
from ..journal.store import SessionEntry
from ..understanding.answers.model import Answer


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Flow:
    content: Content
    person: Person
    clock: Clock
    transcript: Transcript
    settings: Settings
    durations_at: Callable[[int], Durations]  # how long a routine's steps take at a speech rate
    earlier: list[SessionEntry] = field(default_factory=list)  # the journal before this session
    # The date and time now, for "in the last 7 days" when the journal is told back.
    wall_clock: Callable[[], datetime] = _utc_now
    _seen: bool = False  # said "I have been seen" in this session
    _greeted: bool = False  # the voice session said hello and that this is not a diagnosis

    @classmethod
    def for_person(cls, content: Content, person: Person, clock: Clock, transcript: Transcript, *,
                   settings: Settings | None = None,
                   durations_at: Callable[[int], Durations] = estimated,
                   earlier: Sequence[SessionEntry] = (),
                   wall_clock: Callable[[], datetime] = _utc_now) -> Flow:
        """The flow every way in builds alike, saying only how it differs: `settings` other
        than the locale's (an emergency number given on the command line), durations of a
        voice that speaks them (else estimated from the rate), and the journal before now."""
        return cls(content, person, clock, transcript,
                   settings if settings is not None else content.settings(), durations_at,
                   list(earlier), wall_clock)

    # ------------------------------------------------------------------ parts
    def session(self) -> DialogResult:
        """The voice menu: the symptom check, or stretches."""
        self._greeted = True
        return self._dialog(self.content.session, self._menu_handoffs())

    def asked_for(self, intent: str) -> DialogResult:
        """What the person asked for before the session began (a voice assistant heard "start
        my neck stretches"): the menu's own answer to `intent`, without the greeting and the
        menu question; the symptom check then greets on its own."""
        menu = self.content.menu()
        if intent not in menu.options:
            raise ValueError(f"the menu has no answer {intent!r}")
        return self._dialog(self.content.session, self._menu_handoffs(),
                            {menu.store: intent}, start=menu.options[intent])

    def _menu_handoffs(self) -> dict[str, object]:
        return {"triage": lambda *_: self.triage(),
                "stretches": lambda routine, _: self.screened(routine),
                "history": lambda *_: self.history(self.told_back())}

    def told_back(self) -> list[str]:
        """The journal before this session, as `backcare history` tells it."""
        return told_back(self.content, summarise(self.earlier, self.wall_clock()))

    def triage(self) -> DialogResult:
        """The symptom check (after the voice session's greeting, without its own); the
        stretches it offers go through the gate."""
        return self._dialog(self.content.triage, {"stretches": self.routine},
                            {"greeted": "yes" if self._greeted else "no"})

    def screened(self, routine_id: str | None) -> DialogResult | None:
        """Stretches asked for: advice still standing first, then the short check, which hands
        over to the symptom check on a yes; then the gate and the routine."""
        try:
            if not self._gate().advice_followed(self._standing_advice()):
                return None
        except Interrupted:
            return None
        return self._dialog(self.content.prescreen, {
            "stretches": lambda _routine, values: self.routine(routine_id, values),
            "triage": lambda *_: self.triage()})

    def routine(self, routine_id: str | None, values: dict | None = None) -> None:
        """Through the gate, then the routine; the pain score already given is not asked again."""
        book = self.content.book
        named = book.routines[routine_id] if routine_id else book.first
        chosen = self._gate().admit(named, self._standing_advice())
        if chosen is None:
            return
        if pain_rose(self.earlier, book.pain_rise_warns_at):
            self._say(str(self.content.session.texts["remind_pain_rose"]))
        pain = (values or {}).get("pain_before")
        Player(book, chosen, self.content.intents, self.person, self.clock,
               self.durations_at, self.settings, self.transcript,
               pain_before=pain if isinstance(pain, int) else None).run()

    def history(self, lines: list[str], delete: Callable[[], None] | None = None) -> None:
        """The journal told back; with `delete`, "delete everything?" asked like any question
        (help, repeat, reprompts) and done only on a clear yes."""
        for line in lines:
            self._say(line)
        if delete is None:
            return
        texts = self.content.session.texts
        try:
            reply = self._asker().ask(Prompt("history_delete", str(texts["history_delete_ask"]),
                                             Context.YES_NO, ("yes", "no")))
            agreed = reply.answer == Answer.YES
        except Interrupted:
            agreed = False
        if agreed:
            delete()
        self._say(str(texts["history_deleted" if agreed else "history_kept"]))

    # ---------------------------------------------------------------- helpers
    def _dialog(self, spec, handoffs: dict[str, object], given: dict[str, str] | None = None,
                start: str | None = None) -> DialogResult:
        return Dialog(spec, self.content.intents, self.person, self.clock, self.settings,
                      self.transcript, handoffs, given, start).run()

    def _standing_advice(self) -> str | None:
        """The question that recalls advice that blocked exercise and was not yet followed."""
        if self._seen or self.transcript.of_type(Seen):
            self._seen = True
            return None
        advised = unseen_advice(self.earlier, blocking_tiers(self.content))
        if advised is None:
            return None
        label = tier_labels(self.content).get(advised.tier, "")
        return fill(str(self.content.session.texts["seen_since"]),
                    date=self.content.journal_words.dates.say(advised.when), advice=label)

    def _asker(self) -> Asker:
        return Asker(self.person, self.content.intents, self.clock, self.transcript,
                     Texts.of(dict(self.content.session.texts)), ask_line=self._ask_line,
                     say_line=self._say, fill=self.settings.fill, retries=self.settings.retries)

    def _gate(self) -> RoutineGate:
        return RoutineGate(self._asker(), self.content.book, str(self.content.session.texts["seen_not_yet"]))

    def _line(self, template: str) -> Line:
        return Line.of(self.settings.fill(template), self.settings.fill(template, spoken=True))

    def _ask_line(self, template: str, again: bool) -> None:
        line = self._line(template)
        if again:
            self.transcript.emit(Said(line.text, repeat=True))
        self.person.say(line.text, interruptible=True, spoken=line.spoken)

    def _say(self, template: str) -> None:
        line = self._line(template)
        self.transcript.emit(Said(line.text, line.spoken))
        self.person.say(line.text, spoken=line.spoken)
