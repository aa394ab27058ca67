"""The one ask step: put a question, and take what comes back as an answer or as something else.

The triage dialog and the routine player both ask questions ("how bad is the
pain?", "is the pain sharp?", every red flag), and a person may answer, ask
for help, ask for the question again, change the speech rate, say stop, say
nothing, mumble, or (in a routine) say they feel dizzy.  All of that is
handled once, here and in the modules beside this one:
- help, repeat, slower, faster and the other settings (`commands.py`);
- stop, and in a routine a symptom, end the question at once (`interrupts.py`);
- "wait" pauses the question, "go back" ends it for the caller to go back one
  (`asides.py`);
- on a red-flag question an answer is read clause by clause (`answering.py`,
  over `understanding.answers`); an answer that is not a plain yes or no is
  said back as one closed question and the person's yes or no decides, a
  correction there is read again (`readback.py`);
- a number said again corrects the one before (`corrections.py`); unclear
  answers that were all slips for "no" ask "Did you mean no?" (`slips.py`).
What is left here is the asking itself: silence and answers not understood are
asked again, the first time with what can be said, the second with the
question too; a red flag is asked again in other words instead, naming what was
heard ("You mentioned feeling sick. ..."); before the last try after silence
alone it says that it will stop; and after the retries the step says why no
answer came (silence alone, not understood, or unsure), for the caller to read
the cautious way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ...clock import Clock
from ...content.placeholders import fill
from ...events.conversation import Asked, HeardAnswer, Reprompted, Understood
from ...events.transcript import Transcript
from ...understanding.answers.lexicon import Lexicon
from ...understanding.answers.model import Carries, Reading
from ...understanding.answers.rules import ReadingRules
from ...understanding.intents.model import IntentSet, Match
from ..port import Heard, Person
from .answering import (
    AnswerReader,
    as_read,
    never_an_unconfirmed_no,
    reading_fields,
    said_over,
    unconfirmed,
)
from .asides import GO_BACK, WAIT, Asides
from .commands import GLOBAL_INTENTS, Commands
from .corrections import number_correction
from .interrupts import Interrupts
from .lines import Lines
from .prompt import Interrupted, Prompt, Reply, Unanswered
from .readback import ReadBack
from .rules import ASIDE_CONTEXT, AskingRules
from .slips import Slips
from .texts import Texts

HEDGED_NO = "probably_not"  # "not really": a no to an ordinary question, never to a red flag


@dataclass
class Asker:
    """Asks questions of one person for one dialog or routine.

    `ask_line` speaks the question itself (its second argument: said again) and `say_line`
    everything else, so the player can keep its timeline while it talks; both get content
    text with its placeholders, and fill them in as printed and as said out loud (a number
    to dial is said digit by digit). `fill` gives the printed text, for the transcript.
    `interrupts` are intents of `interrupt_context` that end a question like stop (a
    routine's symptoms). `asking` says how long "wait" lasts and which slips are a "no";
    `can_go_back` lets "go back" end a question (`GoBack`), for a caller that keeps answers."""

    person: Person
    intents: IntentSet
    clock: Clock
    transcript: Transcript
    texts: Texts
    ask_line: Callable[[str, bool], None]
    say_line: Callable[[str], None]
    fill: Callable[[str], str] = field(default=lambda text: text)
    named: Callable[[str], str] = field(default=lambda key: key)  # a flag as it is spoken
    retries: int = 2
    lexicon: Lexicon = field(default_factory=lambda: Lexicon(()))
    today: date | None = None  # for weekdays in answers ("on Sunday")
    interrupts: frozenset[str] = frozenset()
    interrupt_context: str | None = None
    asking: AskingRules = field(default_factory=AskingRules)
    can_go_back: bool = False
    rules: ReadingRules = field(init=False)
    _lines: Lines = field(init=False)
    _reader: AnswerReader = field(init=False)
    _readback: ReadBack | None = field(init=False)
    _asides: Asides = field(init=False)
    _commands: Commands = field(init=False)
    _stops: Interrupts = field(init=False)
    _slips: Slips = field(init=False)
    _depth: int = field(init=False, default=0)  # 1: a question; 2: a read-back of its answer

    def __post_init__(self) -> None:
        self.rules = ReadingRules.of(self.intents)
        if ASIDE_CONTEXT not in self.intents.contexts:
            self.asking = AskingRules()  # the intents say nothing of waiting or going back
        self._lines = Lines(self.ask_line, self.say_line)
        self._reader = AnswerReader(self.rules, self.lexicon, self.today)
        self._readback = (None if self.texts.readback is None else
                          ReadBack(self.texts.readback, self._reader, self.named, self._lines))
        self._asides = Asides(self.person, self.intents, self.clock, self.transcript, self.texts,
                              self._lines, self.asking, self.can_go_back)
        self._commands = Commands(self.person, self.intents, self.texts, self.transcript,
                                  self._lines)
        self._stops = Interrupts(self.intents, self.interrupts, self.interrupt_context)
        self._slips = Slips(self.intents, self.asking.near_no, self.texts.meant_no)

    def ask(self, prompt: Prompt) -> Reply:
        """Ask until an expected answer comes or the retries run out; raises `Interrupted`,
        and `GoBack` (for a question, not a read-back) when going back is on."""
        self._depth += 1
        try:
            return self._ask(prompt)
        finally:
            self._depth -= 1

    def _ask(self, prompt: Prompt) -> Reply:
        retries = self.retries if prompt.retries is None else prompt.retries
        if prompt.lead:
            self._lines.say(prompt.lead)
        self.transcript.emit(Asked(prompt.id, self.fill(prompt.text), prompt.context))
        self._lines.question(prompt.text, again=False)
        failures, spoke = 0, False
        mentions: list[Reading] = []  # every reading of a red-flag answer, for its symptoms
        unclear: list[str] = []  # the words of each answer not understood
        pending: Heard | None = None  # an answer said during a wait
        while True:
            if pending is None:
                heard = self._listen(prompt)
            else:
                heard, pending = pending, None
            aside = self._asides.heard(prompt, heard, self._depth)
            if aside == WAIT:
                pending = self._asides.wait(prompt)
                continue
            if aside in GO_BACK:
                raise self._asides.go_back(aside or "", heard.text)
            if heard.kind == "closed":
                self.transcript.emit(HeardAnswer("closed", None))
                raise Interrupted("closed")
            self.transcript.emit(HeardAnswer(heard.kind, heard.text or None))
            if heard.kind == "no_input":
                kind = Unanswered.SILENCE
                match, reading = Match("", None), None
            else:
                spoke = True
                match, reading = self._understood(prompt, heard, mentions)
                self._stops.check(heard.text, match)
                if match.intent in GLOBAL_INTENTS:
                    self._commands.obey(prompt, match.intent or "", self._asides.can_wait,
                                        self._asides.goes_back(self._depth))
                    continue
                if match.intent in prompt.expected:
                    if not self._said_back(prompt, reading):
                        return Reply(match, reading, None, tuple(mentions))
                    assert self._readback is not None and reading is not None
                    confirmed = self._readback.confirmed(prompt, reading, self.ask)
                    if confirmed is not None:
                        return Reply(as_read(match, confirmed), confirmed, None,
                                     (*mentions, confirmed))
                    match, reading = Match(match.text, "unsure"), unconfirmed(reading)
                    if prompt.asks_a_list:  # "Which of those?" comes next
                        return Reply(match, reading, None, tuple(mentions))
                correction = number_correction(self.intents, prompt, heard.text)
                if correction is not None:
                    return Reply(correction, None, None, tuple(mentions), corrected=True)
                kind = Unanswered.UNSURE if match.intent == "unsure" else Unanswered.NOT_UNDERSTOOD
                if kind == Unanswered.NOT_UNDERSTOOD:
                    unclear.append(heard.text)
            failures += 1
            if failures > retries:
                if kind == Unanswered.SILENCE and spoke:
                    kind = Unanswered.NOT_UNDERSTOOD  # silence after mumbling is not silence alone
                return self._given_up(prompt, kind, match, reading, mentions, unclear)
            self._reprompt(prompt, kind, failures, reading)
            if failures == retries and kind == Unanswered.SILENCE and not spoke:
                self._asides.warn_of_the_end()

    def _listen(self, prompt: Prompt) -> Heard:
        limit = self.person.preferences.now.time_limit_s
        deadline = None if limit is None else self.clock.now() + limit
        return self.person.listen(prompt.context, deadline, prompt.id)

    def _understood(self, prompt: Prompt, heard: Heard,
                    mentions: list[Reading]) -> tuple[Match, Reading | None]:
        """What the words mean here, recorded: matched in the question's context and, for a red
        flag, read clause by clause (every reading's symptoms kept in `mentions`)."""
        if heard.kind != "speech":
            match, reading = Match(heard.text, None), None
        else:
            match = heard.meaning(self.intents, prompt.context)
            reading = self._reader.read(prompt, heard.text, match)
        if reading is not None:
            if heard.overlapped:
                reading = said_over(prompt, reading)
            mentions.append(reading)
            reading = never_an_unconfirmed_no(prompt, reading, self._readback is not None)
            match = as_read(match, reading)
        elif match.intent == HEDGED_NO:  # "not really" to an ordinary question is a no
            match = Match(match.text, "no", match.slots, match.confidence)
        self.transcript.emit(Understood(match.intent, match.slots, round(match.confidence, 3),
                                        prompt.context, **reading_fields(reading)))
        return match, reading

    def _said_back(self, prompt: Prompt, reading: Reading | None) -> bool:
        """Whether an answer is said back before it counts: the reader asks for it, and the
        question and the texts allow it."""
        return (reading is not None and reading.confirm and prompt.red_flag is not None
                and prompt.said_back and self._readback is not None)

    def _given_up(self, prompt: Prompt, kind: Unanswered, match: Match, reading: Reading | None,
                  mentions: list[Reading], unclear: list[str]) -> Reply:
        """No answer after the retries: why, unless the answers not understood were all slips
        for "no" and the person says they meant no."""
        if kind == Unanswered.NOT_UNDERSTOOD and "no" in prompt.expected and self.texts.meant_no \
                and self._depth == 1 and self._slips.all_for_no(unclear):
            meant = self._slips.ask(prompt, mentions, self._reader, self.ask)
            if meant is not None:
                return meant
        return Reply(None, reading, kind, tuple(mentions),
                     heard=match.text if kind != Unanswered.SILENCE else "")

    def _reprompt(self, prompt: Prompt, kind: Unanswered, failures: int,
                  reading: Reading | None) -> None:
        """Escalating help: first what can be said, then the question again with it. A red flag
        is asked again in other words instead, after naming what was heard."""
        self.transcript.emit(Reprompted(prompt.id, kind.value, failures))
        again = prompt.again
        if kind == Unanswered.UNSURE and prompt.red_flag is not None:
            lead = self._unsure_lead(prompt, reading)
            if lead:
                self._lines.say(lead)
            self._lines.question(again or self._lines.last)
            return
        openers = self.texts.no_match if kind == Unanswered.NOT_UNDERSTOOD else self.texts.no_input
        if openers:
            self._lines.say(openers[min(failures, len(openers)) - 1])
        if again:
            self._lines.question(again)
            return
        if failures >= 2:
            self._lines.again()
            self._lines.say(self.intents.help_text(prompt.context))
        else:
            self._lines.say(self.intents.help_text(prompt.context, general=False))

    def _unsure_lead(self, prompt: Prompt, reading: Reading | None) -> str:
        """What comes before a red flag asked again after "not sure": what was heard ("You
        mentioned feeling sick."), that it counts even if it has passed, nothing when one part
        of a compound question was denied (its other words ask the other part), or else the
        invitation to say yes if it is there even a little."""
        carries = reading.carries if reading is not None else None
        flag = prompt.red_flag.flag if prompt.red_flag is not None else None
        if carries == Carries.SYMPTOM and reading is not None and flag in reading.mentioned and (
                self.texts.you_mentioned):
            return fill(self.texts.you_mentioned, mention=self.named(flag or ""))
        if carries == Carries.PART:
            return ""
        if carries == Carries.TIME and self.texts.unsure_time:
            return self.texts.unsure_time
        return self.texts.unsure_flag
