"""The one ask step: put a question, and take what comes back as an answer or as something else.

The triage dialog and the routine player both ask questions ("how bad is the
pain?", "is the pain sharp?", every red flag), and a person may answer, ask
for help, ask for the question again, change the speech rate, say stop, say
nothing, mumble, or (in a routine) say they feel dizzy.  All of that is
handled here, once:
- help says what can be said now, from the phrase data; repeat says the
  question again; slower and faster change the one speech rate;
- stop, and in a routine a symptom, end the question at once (`Interrupted`);
- silence and answers not understood are asked again, the first time with
  what can be said, the second with the question too; a red flag is asked
  again in other words instead;
- on a red-flag question an answer is read clause by clause (`answers.py`);
  an answer that is not a plain yes or no is said back as one closed question
  ("So that's a yes to a fall, nearly two weeks ago. Is that right?") and the
  person's yes or no decides; a correction there ("no, it was this morning")
  is read again; an unclear one is asked again in other words, naming what
  was heard ("You mentioned feeling sick. ...");
- "wait" (and "hold on", "give me a moment") pauses the question without a
  reprompt, for minutes, warned before it ends, a bounded number of times; an
  answer in the wait answers the question (WCAG 2.2.1, Timing Adjustable: a time
  limit a person can extend with a simple action, after a warning);
- before the last try after silence alone, it says that it will stop;
- "go back", "undo", "I meant no" end the question with `GoBack`, for the caller
  that keeps the answers (the dialog) to go back a question;
- unclear answers that are all slips for "no" ("np", "noo") ask "Did you mean
  no?" before they are given up on: a plain yes there is a no;
- after the retries the step says why no answer came (silence alone, not
  understood, or unsure), for the caller to read the cautious way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from ...clock import Clock
from ...content.placeholders import fill
from ...events.conversation import Asked, HeardAnswer, RateChanged, Reprompted, Understood
from ...events.transcript import Transcript
from ...preferences import RATE_STEP
from ...understanding.answers import (
    Answer,
    Carries,
    Lexicon,
    Question,
    Reading,
    ReadingRules,
    Says,
    read_answer,
)
from ...understanding.intents import IntentSet, Match, normalise, spoken_list
from ..contexts import Context
from ..port import Heard, Person
from .adjusting import REPLY_KEYS, SETTING_INTENTS, adjust
from .rules import ASIDE_CONTEXT, AskingRules

GLOBAL_INTENTS = ("help", "repeat", "stop", "slower", "faster", *SETTING_INTENTS)
HEDGED_NO = "probably_not"  # "not really": a no to an ordinary question, never to a red flag
WAIT, READY = "wait", "ready"
GO_BACK = ("go_back", "meant_no", "meant_yes")  # said to a question, about the one before it
WHOLE = 0.95  # an aside counts only as a whole answer (fillers aside): "no wait, yes" is a yes


class Unanswered(str, Enum):
    """Why a question got no answer, after its retries."""

    SILENCE = "no_input"  # nothing at all was heard, every time
    NOT_UNDERSTOOD = "no_match"  # something was said (or heard), never an answer
    UNSURE = "unsure"  # the person was not sure


class GoBack(Exception):
    """ "go back", "undo", "I meant no" or "I meant yes" said to a question: about the answer
    before it, which only the caller that keeps the answers can take back."""

    def __init__(self, intent: str, text: str):
        super().__init__(intent)
        self.intent = intent  # go_back | meant_no | meant_yes
        self.text = text


class Interrupted(Exception):
    """Stop (or, in a routine, a symptom) was said instead of an answer; or input ended."""

    def __init__(self, intent: str):
        super().__init__(intent)
        self.intent = intent  # stop | closed | a symptom intent (dizzy, tingling)


@dataclass(frozen=True)
class Prompt:
    """One question, as the ask step needs it."""

    id: str
    text: str  # the question as it is spoken
    context: str
    expected: tuple[str, ...]  # the intents that answer it
    again: str = ""  # a red flag's question in other words, asked when the answer was unclear
    help: str = ""  # said before the generic help
    retries: int | None = None  # None: the step's default
    red_flag: Question | None = None  # set: read the answer by the red-flag rule
    lead: str = ""  # said just before the question ("You mentioned feeling sick.")
    correction: str | None = None  # a context whose number may correct the last answer
    label: str = ""  # a single red flag's name as said back ("a knock or minor fall")
    parts: tuple[tuple[str, str], ...] = ()  # a compound question's parts: (key, as said back)
    confirms: Question | None = None  # a read-back: yes or no confirm; other words correct
    said_back: bool = True  # False: an answer to "which of those?" is not said back again


@dataclass(frozen=True)
class Reply:
    """What came of a question: an answer (`match`, and for a red flag its `reading`), or why
    none came. `mentions` gathers every symptom heard over all the tries."""

    match: Match | None
    reading: Reading | None = None
    unanswered: Unanswered | None = None
    mentions: tuple[Reading, ...] = ()
    corrected: bool = False  # `match` is a number correcting the last answer, not an answer
    heard: str = ""  # the last words heard, answer or not ("two", to "which of those?")

    @property
    def answer(self) -> Answer | None:
        """For a yes/no question: YES, NO, or UNSURE (unclear after the retries)."""
        if self.reading is not None:
            return self.reading.answer
        if self.match is not None and self.match.intent in ("yes", "no"):
            return Answer(self.match.intent)
        return None if self.unanswered is None else Answer.UNSURE

    @property
    def intent(self) -> str | None:
        return self.match.intent if self.match else None

    @property
    def mentioned(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for reading in self.mentions for key in reading.mentioned))

    def heard_of(self, key: str) -> str:
        return next((r.heard_of(key) for r in self.mentions if r.heard_of(key)), "")


@dataclass(frozen=True)
class Texts:
    """The fixed words the ask step says, from the content of whoever asks."""

    no_match: tuple[str, ...]
    no_input: tuple[str, ...]
    unsure_flag: str = ""  # before a red flag asked again after "not sure"
    unsure_time: str = ""  # ... after an answer qualified in time ("not at the moment")
    you_mentioned: str = ""  # ... after a no with its own symptom in it: "You mentioned {mention}."
    readback_yes: str = ""  # "So that's a yes to {label}{when}{also}. Is that right?"
    readback_no: str = ""  # "So that's a no to {label}{when}{also}. Is that right?"
    readback_none: str = ""  # a list: "So none of those{also}. Is that right?"
    readback_part: str = ""  # "So {present}, but not {absent}. Is that right?"
    readback_when: str = ""  # ", {when}"
    readback_also: str = ""  # ", and you mentioned {mentions}"
    list_and: str = "and"
    slower: str = ""
    faster: str = ""
    slowest: str = ""
    fastest: str = ""
    rate_elsewhere: str = ""  # "slower" to a voice whose speed is set elsewhere (an assistant's)
    wait_request: str = ""  # "Take your time. Say ready when you want to go on."
    wait_warning: str = ""  # "I'll go on in thirty seconds unless you say wait again."
    wait_help: str = ""  # after the help: "If you need more time, say wait."
    silence_warning: str = ""  # before the last try after silence: "... I'll stop."
    wait_offer: str = ""  # after it, while waits are left: "You can say wait for more time."
    go_back_help: str = ""  # after the help, where going back works
    meant_no: str = ""  # "Did you mean no?", after unclear answers that were slips for "no"
    slower_typed: str = ""  # "slower" where a screen reader reads the lines, not our voice
    faster_typed: str = ""
    settings: dict[str, str] = field(default_factory=dict)  # "Louder.", "Tones off." (adjusting)

    @classmethod
    def of(cls, texts: dict[str, object]) -> Texts:
        def text(key: str) -> str:
            value = texts.get(key, "")
            return value if isinstance(value, str) else ""

        def steps(key: str) -> tuple[str, ...]:
            value = texts.get(key, ())
            return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

        return cls(steps("no_match"), steps("no_input"), text("unsure_flag"), text("unsure_time"),
                   text("you_mentioned"), text("readback_yes"), text("readback_no"),
                   text("readback_none"), text("readback_part"), text("readback_when"),
                   text("readback_also"), text("list_and") or "and", text("slower"),
                   text("faster"), text("slowest"), text("fastest"), text("rate_elsewhere"),
                   text("wait_request"), text("wait_warning"), text("wait_help"),
                   text("silence_warning"), text("wait_offer"), text("go_back_help"),
                   text("meant_no"), text("slower_typed"), text("faster_typed"),
                   {key: text(key) for key in REPLY_KEYS if text(key)})


@dataclass
class Asker:
    """Asks questions of one person for one dialog or routine.

    `ask_line` speaks the question itself (its second argument: said again) and `say_line`
    everything else, so the player can keep its timeline while it talks; both get content
    text with its placeholders, and fill them in as printed and as said out loud (a number
    to dial is said digit by digit). `fill` gives the printed text, for the transcript.
    `interrupts` are intents of `interrupt_context` that end a question like stop (a
    routine's symptoms). `rules` says how long "wait" lasts and which slips are a "no";
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
    last_prompt: str = ""
    rules: ReadingRules = field(init=False)
    # Words beside a "no" that the person has confirmed say nothing of the signs ("it's just
    # from the gym"): a list answered with the same words again is not said back again.
    told_before: set[tuple[str, ...]] = field(init=False, default_factory=set)
    asking: AskingRules = field(default_factory=AskingRules)
    can_go_back: bool = False
    waits_left: int = field(init=False, default=0)
    backs_left: int = field(init=False, default=0)
    _depth: int = field(init=False, default=0)  # 1: a question; 2: a read-back of its answer

    def __post_init__(self) -> None:
        self.rules = ReadingRules.of(self.intents)
        if ASIDE_CONTEXT not in self.intents.contexts:
            self.asking = AskingRules()  # the intents say nothing of waiting or going back
        self.waits_left = self.asking.wait.times if self.asking.wait else 0
        self.backs_left = self.asking.go_back_times if self.can_go_back else 0

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
            self.say_line(prompt.lead)
        self.transcript.emit(Asked(prompt.id, self.fill(prompt.text), prompt.context))
        self._question(prompt.text, again=False)
        failures, spoke, mentions = 0, False, []
        unclear: list[str] = []  # the words of each answer not understood
        pending: Heard | None = None  # an answer said during a wait
        while True:
            if pending is None:
                limit = self.person.preferences.now.time_limit_s
                deadline = None if limit is None else self.clock.now() + limit
                heard = self.person.listen(prompt.context, deadline, prompt.id)
            else:
                heard, pending = pending, None
            aside = self._aside(prompt, heard)
            if aside == WAIT:
                pending = self._wait(prompt)
                continue
            if aside in GO_BACK:
                self.backs_left -= 1
                self.transcript.emit(Understood(aside, {}, 1.0, ASIDE_CONTEXT))
                raise GoBack(aside, heard.text)
            if heard.kind == "closed":
                self.transcript.emit(HeardAnswer("closed", None))
                raise Interrupted("closed")
            self.transcript.emit(HeardAnswer(heard.kind, heard.text or None))
            if heard.kind == "no_input":
                kind = Unanswered.SILENCE
                match, reading = Match("", None), None
            else:
                spoke = True
                match = (heard.meaning(self.intents, prompt.context) if heard.kind == "speech"
                         else Match(heard.text, None))
                reading = self._read(prompt, heard.text, match) if heard.kind == "speech" else None
                if reading is not None and heard.overlapped and reading.answer is not None \
                        and not _listed_yes(prompt, reading):
                    # Said over the question, through the echo canceller, which has left a "no"
                    # sounding like "yes": said back before it counts, either way (a yes to a
                    # list has its own check: "Which of those was it?").
                    reading = replace(reading, confirm=True)
                if reading is not None:
                    mentions.append(reading)
                    unsaid = not (self.texts.readback_yes and prompt.red_flag is not None) or (
                        not prompt.said_back and reading.carries is Carries.SYMPTOM)
                    if reading.confirm and reading.answer is Answer.NO and unsaid:
                        reading = _unconfirmed(reading)  # not said back: never a no
                    match = _as_read(match, reading)
                elif match.intent == HEDGED_NO:  # "not really" to an ordinary question is a no
                    match = Match(match.text, "no", match.slots, match.confidence)
                self.transcript.emit(Understood(match.intent, match.slots,
                                                round(match.confidence, 3), prompt.context,
                                                **_reading_fields(reading)))
                self._interrupt(heard.text, match)
                if match.intent in GLOBAL_INTENTS:
                    self._global(prompt, match.intent or "")
                    continue
                if match.intent in prompt.expected and reading is not None and reading.confirm \
                        and prompt.red_flag is not None and prompt.said_back \
                        and self.texts.readback_yes:
                    confirmed = self._read_back(prompt, reading)
                    if confirmed is not None:
                        return Reply(_as_read(match, confirmed), confirmed, None,
                                     tuple(mentions) + (confirmed,))
                    match, reading = Match(match.text, "unsure"), _unconfirmed(reading)
                    if prompt.red_flag.flag is None:  # a list: "Which of those?" comes next
                        return Reply(match, reading, None, tuple(mentions))
                elif match.intent in prompt.expected:
                    return Reply(match, reading, None, tuple(mentions))
                correction = self._correction(prompt, heard.text)
                if correction is not None:
                    return Reply(correction, None, None, tuple(mentions), corrected=True)
                kind = Unanswered.UNSURE if match.intent == "unsure" else Unanswered.NOT_UNDERSTOOD
                if kind == Unanswered.NOT_UNDERSTOOD:
                    unclear.append(heard.text)
            failures += 1
            if failures > retries:
                if kind == Unanswered.SILENCE and spoke:
                    kind = Unanswered.NOT_UNDERSTOOD  # silence after mumbling is not silence alone
                if kind == Unanswered.NOT_UNDERSTOOD and self._slips_for_no(prompt, unclear):
                    meant = self._meant_no(prompt, mentions)
                    if meant is not None:
                        return meant
                return Reply(None, reading, kind, tuple(mentions),
                             heard=match.text if kind != Unanswered.SILENCE else "")
            self._reprompt(prompt, kind, failures, reading)
            if failures == retries and kind == Unanswered.SILENCE and not spoke:
                self._warn_of_the_end()

    # ------------------------------------------------------- time and going back
    def _aside(self, prompt: Prompt, heard: Heard) -> str | None:
        """ "wait", or going back, said as a whole answer (typed, or heard but not an answer of
        this context): never when the words answer the question."""
        if heard.kind not in ("speech", "rejected") or not heard.text:
            return None
        if ASIDE_CONTEXT not in self.intents.contexts:
            return None
        can_wait = self.waits_left > 0 and bool(self.texts.wait_request)
        can_go_back = self.backs_left > 0 and self._depth == 1
        if not (can_wait or can_go_back):  # nothing to ask for: no second reading of the words
            return None
        if heard.kind == "speech":
            answer = heard.meaning(self.intents, prompt.context)
            if (answer.intent in prompt.expected or answer.intent in GLOBAL_INTENTS) and (
                    answer.confidence >= WHOLE):
                return None
        match = self.intents.match(heard.text, ASIDE_CONTEXT)
        if match.confidence < WHOLE:
            return None
        if match.intent == WAIT and can_wait:
            return WAIT
        if match.intent in GO_BACK and can_go_back:
            return match.intent
        return None

    def _wait(self, prompt: Prompt) -> Heard | None:
        """Wait for the person without a reprompt (WCAG 2.2.1, Timing Adjustable): up to the
        content's minutes, warned before the end, then the question again (None). Words said
        in the wait come back to be taken as the answer; "ready" asks the question again,
        "wait" waits once more. With no time limit (text mode) it waits for the next line."""
        wait = self.asking.wait
        assert wait is not None
        self.waits_left -= 1
        self.transcript.emit(Understood(WAIT, {}, 1.0, ASIDE_CONTEXT))
        self.say_line(self.texts.wait_request)
        limit = self.person.preferences.now.time_limit_s
        if limit is None:
            heard = self.person.listen(prompt.context, None, prompt.id)
        else:
            end = self.clock.now() + max(wait.seconds, limit)
            heard = self.person.listen(prompt.context, end - wait.warn_seconds, prompt.id)
            if heard.kind == "no_input":
                self.say_line(self.texts.wait_warning)
                heard = self.person.listen(prompt.context, end, prompt.id)
        if heard.kind == "no_input":
            self._question(self.last_prompt)
            return None
        if heard.kind in ("speech", "rejected") and heard.text:
            aside = self.intents.match(heard.text, ASIDE_CONTEXT)
            if aside.intent == READY and aside.confidence >= WHOLE:
                self.transcript.emit(Understood(READY, {}, 1.0, ASIDE_CONTEXT))
                self._question(self.last_prompt)
                return None
        return heard

    def _warn_of_the_end(self) -> None:
        """Said before the last try when nothing has been heard: the next silence ends it."""
        if self.texts.silence_warning:
            self.say_line(self.texts.silence_warning)
            if self.waits_left > 0 and self.texts.wait_offer:
                self.say_line(self.texts.wait_offer)

    def _slips_for_no(self, prompt: Prompt, unclear: list[str]) -> bool:
        """Every answer not understood was one word, a slip for a "no" of the content's lexicon
        ("np", "noo", "mo": one letter off, or in asking.yaml's `near_no`), and none for a yes."""
        if "no" not in prompt.expected or not self.texts.meant_no or self._depth != 1:
            return False
        said = [tuple(normalise(text)) for text in unclear if normalise(text)]
        return bool(said) and all(len(words) == 1 and self._slip(words[0]) for words in said)

    def _slip(self, word: str) -> bool:
        if word in self.asking.near_no:
            return True
        def words(intent: str) -> list[str]:
            found = self.intents.intents.get(intent)
            return [p for p in (found.phrases if found else ()) if " " not in p]
        near_no = any(len(no) > 1 and _one_off(word, no) for no in words("no"))
        return near_no and not any(_one_off(word, yes) or word == yes for yes in words("yes"))

    def _meant_no(self, prompt: Prompt, mentions: list[Reading]) -> Reply | None:
        """ "Did you mean no?": a plain yes makes it a no to the question; anything else keeps
        the answers unclear, the cautious way."""
        reply = self.ask(Prompt(f"{prompt.id}.meant_no", self.texts.meant_no,
                                Context.YES_NO.value, ("yes", "no", "unsure"), retries=0))
        if reply.match is None or reply.intent != "yes" or self.rules.plain(
                tuple(normalise(reply.match.text))) is not Says.PRESENT:
            return None
        return Reply(Match(reply.match.text, "no", {}, 1.0), None, None, tuple(mentions))

    # ------------------------------------------------------------------ steps
    def _read(self, prompt: Prompt, text: str, match: Match) -> Reading | None:
        if prompt.confirms is not None:
            if self.rules.plain(tuple(normalise(text))) is not Says.NOTHING or (
                    match.intent in ("yes", "no") and len(normalise(text)) <= 2):
                return None  # "yes", "that's right", "no": the read-back answered
            reading = self._reading(text, None, prompt.confirms)  # "no, it was this morning"
            says = any(c.heard or c.when for c in reading.clauses if c.says is not Says.NOTHING)
            return reading if says else None
        if prompt.red_flag is None:
            return None
        return self._reading(text, match.intent, prompt.red_flag)

    def _reading(self, text: str, intent: str | None, question: Question) -> Reading:
        return read_answer(text, intent, question, self.lexicon, self.rules, self.today)

    def _read_back(self, prompt: Prompt, reading: Reading) -> Reading | None:
        """Say back what was understood, as one closed question: yes keeps it, no asks the
        question again (None), a correction is read in its place (and said back if it, too,
        is not plain). A list answered "no" with other words is said back as "none of those"."""
        assert prompt.red_flag is not None
        question = self.last_prompt  # asked again, after a wrong read-back, in its own words
        try:
            return self._confirmed(prompt, reading)
        finally:
            self.last_prompt = question

    def _confirmed(self, prompt: Prompt, reading: Reading) -> Reading | None:
        assert prompt.red_flag is not None
        told = _told(reading)
        if prompt.red_flag.flag is None and reading.carries is Carries.WORDS and (
                told in self.told_before):
            return replace(reading, confirm=False)  # the same story, confirmed once already
        for _ in range(2):
            if prompt.red_flag.flag is None and reading.answer is not Answer.NO:
                return reading  # a list's yes opens its single questions anyway
            reply = self.ask(Prompt(f"{prompt.id}.readback", self._said_back(prompt, reading),
                                    prompt.context, ("yes", "no", "unsure"), retries=1,
                                    confirms=prompt.red_flag))
            if reply.reading is not None and reply.reading.answer is not None:
                reading = reply.reading  # a correction: read as an answer to the question
                if not reading.confirm:
                    return reading if reading.answer is not Answer.UNSURE else None
                continue
            if reply.match is not None and reply.intent == "yes" and self.rules.plain(
                    tuple(normalise(reply.match.text))) is Says.PRESENT:
                if reading.carries is Carries.WORDS:
                    self.told_before.add(told)  # "no, it's just from the gym": once is enough
                return replace(reading, confirm=False)  # only a plain yes confirms
            return None
        return None

    def _said_back(self, prompt: Prompt, reading: Reading) -> str:
        """What was understood, as one question about this condition."""
        texts = self.texts
        question = prompt.red_flag
        own = question.own if question is not None else frozenset()
        others = [key for key in reading.mentioned if key not in own and "." not in key]
        also = fill(texts.readback_also, mentions=spoken_list(
            [self.named(key) for key in others], texts.list_and)) if others else ""
        when = fill(texts.readback_when, when=reading.when.heard) if reading.when else ""
        if question is not None and question.flag is None:
            return fill(texts.readback_none, also=also)
        said = dict(prompt.parts)
        if said and reading.present_parts and reading.answer is Answer.NO and texts.readback_part:
            absent = [said[k] for k in said if k not in reading.present_parts]
            return fill(texts.readback_part, present=spoken_list(
                [said[k] for k in reading.present_parts], texts.list_and),
                absent=spoken_list(absent, "or"))
        template = texts.readback_yes if reading.answer is Answer.YES else texts.readback_no
        return fill(template, label=prompt.label or self.named(question.flag or ""), when=when,
                    also=also)

    def _correction(self, prompt: Prompt, text: str) -> Match | None:
        """"No, fifty-seven", said to the question after a number was said back."""
        if prompt.correction is None:
            return None
        words = normalise(text)
        while words and words[0] in self.intents.lead_ins:  # "no", "oh", "i said"
            words = words[1:]
        if not words:
            return None
        match = self.intents.match(" ".join(words), prompt.correction)
        return match if match.intent == self.intents.number_intent(prompt.correction) else None

    def _interrupt(self, text: str, match: Match) -> None:
        """Stop always ends a question; in a routine, so does a symptom ("I feel dizzy")."""
        if match.intent == "stop":
            raise Interrupted("stop")
        if not self.interrupts or self.interrupt_context is None:
            return
        intent = match.intent
        if intent not in self.interrupts:
            intent = self.intents.match(text, self.interrupt_context).intent
        if intent == "stop" or intent in self.interrupts:
            raise Interrupted(intent or "stop")

    def _question(self, text: str, again: bool = True) -> None:
        self.last_prompt = text
        self.ask_line(text, again)

    def _reprompt(self, prompt: Prompt, kind: Unanswered, failures: int,
                  reading: Reading | None) -> None:
        """Escalating help: first what can be said, then the question again with it. A red flag
        is asked again in other words instead, after naming what was heard."""
        self.transcript.emit(Reprompted(prompt.id, kind.value, failures))
        again = prompt.again
        if kind == Unanswered.UNSURE and prompt.red_flag is not None:
            lead = self._unsure_lead(prompt, reading)
            if lead:
                self.say_line(lead)
            self._question(again or self.last_prompt)
            return
        openers = self.texts.no_match if kind == Unanswered.NOT_UNDERSTOOD else self.texts.no_input
        if openers:
            self.say_line(openers[min(failures, len(openers)) - 1])
        if again:
            self._question(again)
            return
        options = self.intents.help_text(prompt.context)
        if failures >= 2:
            self._question(self.last_prompt)
            self.say_line(options)
        else:
            self.say_line(self.intents.help_text(prompt.context, general=False))

    def _unsure_lead(self, prompt: Prompt, reading: Reading | None) -> str:
        """What comes before a red flag asked again after "not sure": what was heard ("You
        mentioned feeling sick."), that it counts even if it has passed, nothing when one part
        of a compound question was denied (its other words ask the other part), or else the
        invitation to say yes if it is there even a little."""
        carries = reading.carries if reading is not None else None
        flag = prompt.red_flag.flag if prompt.red_flag is not None else None
        if carries == Carries.SYMPTOM and reading is not None and flag in reading.mentioned and (
                self.texts.you_mentioned):
            return fill(self.texts.you_mentioned, mention=self.named(flag))
        if carries == Carries.PART:
            return ""
        if carries == Carries.TIME and self.texts.unsure_time:
            return self.texts.unsure_time
        return self.texts.unsure_flag

    def _global(self, prompt: Prompt, intent: str) -> None:
        if intent == "help":
            if prompt.help:
                self.say_line(prompt.help)
            self.say_line(self.intents.help_text(prompt.context))
            if self.waits_left > 0 and self.texts.wait_request and self.texts.wait_help:
                self.say_line(self.texts.wait_help)
            if self.backs_left > 0 and self._depth == 1 and self.texts.go_back_help:
                self.say_line(self.texts.go_back_help)
            self._question(self.last_prompt)
        elif intent == "repeat":
            self._question(self.last_prompt)
        elif intent in ("slower", "faster") and not self.person.sets_rate:
            self.say_line(self.texts.rate_elsewhere)  # never "speaking more slowly" when it is not
            self._question(self.last_prompt)
        elif intent in ("slower", "faster"):
            # The person's side owns the rate: every dialog and routine of a session reads it
            # there, so a change made here is the one the next part uses and the session saves.
            current = self.person.preferences.now.rate_wpm
            updated = self.person.preferences.step_rate(
                -RATE_STEP if intent == "slower" else RATE_STEP)
            if updated == current:
                self.say_line(self.texts.slowest if intent == "slower" else self.texts.fastest)
            else:
                self.transcript.emit(RateChanged(updated))
                self.say_line(self._rate_line(intent))
            self._question(self.last_prompt)
        elif intent in SETTING_INTENTS:
            self.say_line(adjust(self.person.preferences, intent, self.texts.settings))
            self._question(self.last_prompt)

    def _rate_line(self, intent: str) -> str:
        """What a change of rate is called: our voice speaks slower; typed lines are read by
        the person's screen reader, whose speed is its own (the rate still paces routines)."""
        typed = self.texts.slower_typed if intent == "slower" else self.texts.faster_typed
        if typed and not self.person.reads_aloud:
            return typed
        return self.texts.slower if intent == "slower" else self.texts.faster


def _listed_yes(prompt: Prompt, reading: Reading) -> bool:
    return (prompt.red_flag is not None and prompt.red_flag.flag is None
            and reading.answer is Answer.YES)


def _one_off(word: str, other: str) -> bool:
    """One letter added, dropped, changed, or two side by side swapped ("np", "noo", "on")."""
    if word == other or abs(len(word) - len(other)) > 1:
        return False
    if len(word) == len(other):
        diff = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and word[diff[0]] == other[diff[1]]
                                  and word[diff[1]] == other[diff[0]])
    short, long = sorted((word, other), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _told(reading: Reading) -> tuple[str, ...]:
    """The words an answer carried beside its yes or no, as a key."""
    return tuple(clause.text for clause in reading.clauses if clause.says is Says.NOTHING)


def _unconfirmed(reading: Reading) -> Reading:
    """A reading the person said was wrong: not sure, and asked again."""
    return replace(reading, answer=Answer.UNSURE, confirm=False)


def _as_read(match: Match, reading: Reading) -> Match:
    """The match as the red-flag rule reads it: "no, but I feel sick" answers "unsure"."""
    if reading.answer is None:
        return match
    if reading.answer == Answer.UNSURE:
        return Match(match.text, "unsure", match.slots, match.confidence)
    return Match(match.text, reading.answer.value, match.slots, match.confidence or 0.8)


def _reading_fields(reading: Reading | None) -> dict[str, object]:
    if reading is None:
        return {}
    fields: dict[str, object] = {"answer": reading.answer.value if reading.answer else None}
    if reading.carries is not None:
        fields["carries"] = reading.carries.value
    if reading.mentioned:
        fields["mentions"] = list(reading.mentioned)
    return fields
