"""Asking the warning signs: the "any of these?" lists, the check after them, "which of those
was it?", each flag's own question (and the parts of one that asks two things), the grades
that decide a flag's tier, and the symptoms a person volunteers to another question.

The engine (`engine`) hands each list or check here and gets back where to go; this module
asks through the engine's one ask step (so going back, the answer limit and a number said
back work here too) and records every answer in the ledger, which does the reasoning.
"""

from __future__ import annotations

from collections.abc import Callable

from ...content.placeholders import fill
from ...understanding.answers.model import Answer, Question
from ...understanding.intents.match import normalise
from ...understanding.numbers import NumberWords
from ..asking.prompt import Prompt, Reply, Unanswered
from ..contexts import Context
from ..port import Stop
from .ledger import Ledger
from .questions import listed, single
from .spec import DialogSpec, Flag, Grade, ScreenItem, State, holds
from .wording import screen_prompt

RED_FLAG_ANSWERS = ("yes", "no", "unsure")
ITEM = "item"  # an item of a list by its number, to "Which of those was it?"
WHICH_ONE = "which_one"  # the prompt id of "which one was it?"


class RedFlagQuestions:
    """The warning-sign questions of one run of a dialog: `ask` is the dialog's ask step,
    `values` its stored answers (ages, for the flags that apply), `number_words` and
    `ordinals` the words that name an item of a list by its number ("two") or its place
    ("the first"), in the language of the intents the answers are heard with."""

    def __init__(self, spec: DialogSpec, ledger: Ledger, values: dict[str, int | str],
                 ask: Callable[[Prompt], Reply], number_words: NumberWords,
                 ordinals: tuple[str, ...] = ()):
        self.spec = spec
        self.ledger = ledger
        self.values = values
        self.ask = ask
        self.number_words = number_words
        self.ordinals = ordinals

    # ------------------------------------------------------------ lists and the check
    def screen(self, state: State) -> str | None:
        """An "any of these?" list: a plain no clears its flags; a symptom heard goes straight
        to its own question; anything else opens the single questions."""
        self.ledger.visited.add(state.id)
        flags = self.askable(state.flag_ids())
        if not flags:
            return state.next
        said_yes = False
        while flags:
            items = tuple(item for item in state.items if any(f.id in item.flags for f in flags))
            reply = self._ask_list(state, screen_prompt(state, items, self.spec.text("list_or")),
                                   flags)
            if reply.answer == Answer.NO:
                self.ledger.cleared(flags, state.id)
                break
            # A yes that named a symptom is explained by it, wherever that symptom is asked.
            said_yes = said_yes or (reply.answer == Answer.YES and not reply.mentioned)
            heard = [flag for flag in flags if flag.id in reply.mentioned]
            if not heard and len(items) > 1:
                # "yes", "maybe", a story: which of those, by number, before any single
                # question (F11); a yes is never undone by "none" (see _which_of)
                self.ledger.unclear_lists += reply.answer != Answer.YES and not reply.mentioned
                named, cleared = self._which_of(state, items, flags,
                                                may_clear=reply.answer != Answer.YES
                                                or bool(reply.mentioned))
                if cleared:
                    break
                heard = named
            if self._ask_singles(heard or flags, reply):
                return self.spec.outcome_state
            if not heard:
                break
            # The symptom heard is asked; the others of the list are listed once more.
            flags = self.askable([f.id for f in flags if f not in heard])
        if said_yes and self._which_one(state, state.flag_ids()):
            return self.spec.outcome_state
        return state.next

    def check(self, state: State) -> str | None:
        """Asked after lists answered "no": a plain no stands; anything else asks them one by one."""
        flags = self.askable(self.ledger.cleared_by_lists(state.screens), again=True)
        if not flags:
            return state.next
        reply = self._ask_list(state, state.ask, flags)
        if not reply.mentioned and reply.answer != Answer.NO:
            # "maybe": which one, in their own words, before every single question (F11)
            self.ledger.unclear_lists += reply.answer != Answer.YES
            which = self._ask_list(state, self.spec.text("which_one"), flags, which=True)
            if which.mentioned or (which.answer == Answer.NO and reply.answer != Answer.YES):
                reply = which  # a yes is never undone by "none": every question, then
            elif reply.answer == Answer.YES:
                self.ledger.unclear_lists += 1  # yes, then none of them: answers that disagree
        if reply.answer == Answer.NO:
            self.ledger.checked(flags, state.id)
            return state.next
        self.ledger.reopened(flags)
        heard = [flag for flag in flags if flag.id in reply.mentioned]
        if self._ask_singles(heard + [f for f in flags if f not in heard], reply):
            return self.spec.outcome_state
        if reply.answer == Answer.YES and not reply.mentioned and self._which_one(
                state, [f.id for f in flags]):
            return self.spec.outcome_state
        return state.next

    def volunteered(self, everything: bool = False) -> bool:
        """Symptoms heard whose list has passed (or, before the outcome, any still waiting) are
        asked now. True when the most urgent tier was found."""
        waiting = self.ledger.waiting(everything)
        if not waiting:
            return False
        found = self._ask_singles(waiting, again=True)
        for flag in waiting:
            self.ledger.volunteered.pop(flag.id, None)
        return found

    def askable(self, flag_ids: list[str], again: bool = False) -> list[Flag]:
        return self.ledger.askable(flag_ids, self.values, again)

    def _ask_list(self, state: State, text: str, flags: list[Flag], which: bool = False,
                  context: str | None = None,
                  expected: tuple[str, ...] = RED_FLAG_ANSWERS) -> Reply:
        """A list or the check, asked (or, `which`, its "which of those?", asked once and not
        said back); silence alone stops the symptom check."""
        reply = self.ask(Prompt(
            f"{state.id}.which" if which else state.id, text, context or state.context,
            expected, help=state.help, retries=0 if which else None, said_back=not which,
            red_flag=listed([f.id for f in flags], self._by_proxy())))
        self._hear_volunteered(reply, asking={f.id for f in flags})
        if reply.unanswered == Unanswered.SILENCE:
            raise Stop("no_input", "silent")
        return reply

    def _which_of(self, state: State, items: tuple[ScreenItem, ...], flags: list[Flag],
                  may_clear: bool = True) -> tuple[list[Flag], bool]:
        """"Which of those was it?" with the items numbered: the flags of the items named (by
        number or by a symptom's words), or, to "none of them", the list cleared (True) unless
        the list itself was answered yes (`may_clear`): a yes then "none" asks every single
        question. An answer that names none opens every single question, as before."""
        text = self.spec.text("which_of")
        if not text:
            return [], False
        numbered = "; ".join(fill(self.spec.text("which_item"), number=str(index), item=item.say)
                             for index, item in enumerate(items, 1))
        reply = self._ask_list(state, fill(text, items=numbered), flags, which=True,
                               context=Context.WHICH_ITEM.value, expected=(*RED_FLAG_ANSWERS, ITEM))
        chosen = self._items_named(reply, len(items))
        ids = {f for index in chosen for f in items[index - 1].flags} | set(reply.mentioned)
        named = [flag for flag in flags if flag.id in ids]
        if not named and reply.answer == Answer.NO and not may_clear:
            self.ledger.unclear_lists += 1  # yes, then none of them: answers that disagree
        if not named and reply.answer == Answer.NO and may_clear:
            self.ledger.cleared(flags, state.id)
            return [], True
        return named, False

    def _items_named(self, reply: Reply, count: int) -> set[int]:
        """The items (1 to `count`) an answer names by number ("two", "2") or place ("the first")."""
        tokens = normalise(reply.match.text if reply.match is not None else reply.heard)
        chosen = {value for value in self.number_words.read(tokens) if isinstance(value, int)}
        if reply.match is not None and reply.match.intent == ITEM:
            chosen.add(reply.match.slots.get("number", 0))
        chosen &= set(range(1, count + 1))
        return chosen | {self.ordinals.index(word) + 1 for word in tokens
                         if word in self.ordinals and self.ordinals.index(word) < count}

    def _which_one(self, state: State, flag_ids: list[str]) -> bool:
        """A list answered yes whose single questions were all no: "Which one was it?" once.
        A symptom named is asked again; otherwise the yes counts as an unnamed sign (`unpinned`).
        True when the most urgent tier was found."""
        pinned = state.unpinned
        if not pinned or self.ledger.any_raised(flag_ids):
            return False
        if pinned in self.ledger.answers or not self.askable([pinned]):
            return False
        reply = self.ask(Prompt(WHICH_ONE, self.spec.text("which_one"), state.context, (),
                                red_flag=listed(flag_ids, self._by_proxy()), retries=0))
        self._hear_volunteered(reply, asking=set(flag_ids))
        named = [self.spec.flag_table[f] for f in flag_ids if f in reply.mentioned]
        if self._ask_singles(self.askable([f.id for f in named], again=True), reply, again=True):
            return True
        if not self.ledger.any_raised(flag_ids):
            self.ledger.raise_flag(pinned)
            return self.spec.tier_rank(self.spec.flag_table[pinned].tier) == 0
        return False

    # ------------------------------------------------------------ single questions
    def _ask_singles(self, flags: list[Flag], heard: Reply | None = None,
                     again: bool = False) -> bool:
        """Each flag's own question; True when the most urgent tier was found (advise now)."""
        for flag in flags:
            if flag not in self.askable([flag.id], again=again or flag.id in self.ledger.volunteered):
                continue  # something as urgent was found meanwhile
            words = self.ledger.volunteered.pop(flag.id, "") or (heard.heard_of(flag.id) if heard
                                                                 else "")
            if words:  # asked because it was heard: once, so a repeated mention cannot loop
                self.ledger.asked_as_volunteered.add(flag.id)
            lead = fill(self.spec.text("you_mentioned"), mention=flag.named) if words else ""
            answer = self._ask_flag(flag, lead)
            self._answered(flag, answer)
            if answer.raises and self.spec.tier_rank(self.ledger.tier_of(flag)) == 0:
                return True
        return False

    def _answered(self, flag: Flag, answer: Answer) -> None:
        self.ledger.answered(flag, answer)
        if answer != Answer.NO:
            self._grade(flag)

    def _hear_volunteered(self, reply: Reply, asking: set[str]) -> None:
        """Keep every symptom heard, of any flag, to be asked: "my left arm tingles" said to
        another question is a question of its own."""
        for key in reply.mentioned:
            if key not in asking:
                self.ledger.hear(key, reply.heard_of(key), self.values)

    def _ask_flag(self, question: Flag | Grade, lead: str = "") -> Answer:
        """yes, no, or unresolved: asked once, then once more in other words if unclear.
        A compound question answered in part asks the other part alone. Silence alone stops
        the symptom check."""
        reply = self.ask(Prompt(
            question.id, question.ask, question.context, ("yes", "no"), again=question.again,
            help=question.help, retries=1, lead=lead,
            red_flag=single(self.spec, question, self._by_proxy()), label=question.label,
            parts=tuple((part.id, part.say) for part in question.reads.parts)))
        self._hear_volunteered(reply, asking={question.id})
        if reply.unanswered == Unanswered.SILENCE:
            raise Stop("no_input", "silent")
        missing = reply.reading.missing if reply.reading is not None else ()
        if reply.unanswered is None and missing:
            return self._ask_parts(question, missing)
        if reply.unanswered is not None:
            return Answer.UNRESOLVED
        return reply.answer or Answer.UNRESOLVED

    def _ask_parts(self, question: Flag | Grade, missing: tuple[str, ...]) -> Answer:
        """The parts of a compound question the answer left out, asked alone: for "and", all
        must be yes; for "or", one is enough."""
        answers = []
        for part in (p for p in question.reads.parts if p.id in missing):
            reply = self.ask(Prompt(part.id, part.ask, question.context, ("yes", "no"),
                                    retries=1, red_flag=Question(
                                        own=frozenset({part.id}), flag=part.id,
                                        window=question.reads.window,
                                        proxy=self._by_proxy())))
            self._hear_volunteered(reply, asking={question.id, part.id})
            if reply.unanswered == Unanswered.SILENCE:
                raise Stop("no_input", "silent")
            answer = Answer.UNRESOLVED if reply.unanswered else (reply.answer or Answer.UNRESOLVED)
            answers.append(answer)
            if question.reads.any_part and answer.raises:
                return answer
            if not question.reads.any_part and answer == Answer.NO:
                return Answer.NO
        if question.reads.any_part:
            return Answer.NO
        return Answer.UNRESOLVED if Answer.UNRESOLVED in answers else Answer.YES

    def _by_proxy(self) -> bool:
        """A child's answers come from a parent: "she has a fever" is the child's."""
        return bool(self.spec.by_proxy) and "age" in self.values and holds(
            self.spec.by_proxy, self.values)

    def _grade(self, flag: Flag) -> None:
        """One event, one answer: the first grade that applies sets the flag's tier. A grade
        that asks another flag's question shares that flag's answer (asked once)."""
        for grade in flag.grades:
            if not holds(grade.when, self.values):
                continue
            if grade.asks_flag:
                other = self.spec.flag_table.get(grade.asks_flag)
                if other is None:
                    continue
                if other.id not in self.ledger.answers:
                    self._answered(other, self._ask_flag(other))
                if self.ledger.answers[other.id].raises:
                    self.ledger.graded(flag, grade)
                    return
                continue
            if not grade.ask:
                self.ledger.graded(flag, grade)
                return
            answer = self._ask_flag(grade)
            if answer == Answer.UNRESOLVED and grade.unclear == "next":
                continue  # unclear here: the next grade decides, never a guess upwards
            if answer != Answer.NO:
                self.ledger.graded(flag, grade)
                return
