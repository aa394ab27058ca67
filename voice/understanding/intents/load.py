"""Reading an intents.yaml into an `IntentSet`, and the checks that keep it unambiguous.

Each part of the file has its own small reader, and every mistake names the file, line and
field, like the rest of the content.  The cross checks (a phrase that means two intents in one
context, an exclusion of a phrase never heard) run on the whole set, once it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ...content.schema import Fields
from ...content.yamlsource import ContentError, Where, load_yaml
from ..answers.clauses import ClauseWords
from ..answers.load import read_reading
from ..numbers import NumberWords, load_number_words
from ..words import normalise
from .help import Wording
from .match import Matcher, tokens
from .model import ROUTINES_BY_NAME, Intent, IntentSet, NumberSlot, Phrase


def load_intents(path: Path | str, terms: Mapping[str, str] | None = None,
                 routines: Sequence[Intent] | None = None,
                 number_words: NumberWords | None = None) -> IntentSet:
    """Read and validate an intents.yaml (errors name file, line and field).

    `routines` are the intents that ask for a routine by name, made from routines.yaml: they
    join the file's own before any check, so a phrase of theirs that another intent of a
    context has is the same clash as any other. A context lists them as `routines_by_name`;
    without a routine book (None) that is an error, not a context deaf to every routine.
    `number_words` read the numbers in its phrases and in what is said to it; None: those of
    the content the file is part of (assistant.yaml's language and numbers.yaml, beside it).
    The set keeps them, so whatever reads with these intents reads in their language."""
    if number_words is None:
        number_words = load_number_words(Path(path).parent)
    doc = Fields(load_yaml(path, terms=terms), "", Where(str(path), 1))
    number = _read_number_slot(doc, number_words)
    intents = _read_intents(doc.mapping("intents"), number, routines or (), number_words)
    context_table = doc.mapping("contexts")
    contexts = _read_contexts(context_table, intents, routines)
    exclusions = doc.mapping("not_in_context") if doc.has("not_in_context") else None
    reading, first_person = _read_answer_reading(doc, number_words)
    result = IntentSet(
        intents=intents, contexts=contexts, new_matcher=Matcher, number_words=number_words,
        number=number, source=str(path),
        fillers=_phrases(doc, "fillers", number_words), negators=_phrases(doc, "negators", number_words),
        exact_only=frozenset(_phrases(doc, "exact_only", number_words)),
        lead_ins=frozenset(token for phrase in _phrases(doc, "lead_ins", number_words)
                           for token in phrase),
        excluded=_read_exclusions(exclusions, contexts, number_words),
        sound_alikes=_read_sound_alikes(doc, contexts),
        leading=_read_leading(doc, intents), outranks=_read_outranks(doc, intents),
        combinations=_read_combinations(doc, intents),
        reading=reading, first_person=first_person, wording=_read_wording(doc.mapping("wording")))
    doc.done()
    _check_no_phrase_clash(result, context_table)
    if exclusions is not None:
        _check_exclusions(result, exclusions)
    return result


# -- the parts of the file -----------------------------------------------------

def _phrases(doc: Fields, key: str, number_words: NumberWords) -> tuple[Phrase, ...]:
    return tuple(tokens(text, number_words) for text in doc.text_list(key, []))


def _read_number_slot(doc: Fields, number_words: NumberWords) -> NumberSlot:
    """`slots.number`; without it, the scale of a pain score (0 to 10) and no other words."""
    if not doc.has("slots"):
        return NumberSlot()
    slots = doc.mapping("slots")
    table = slots.mapping("number")
    low = table.integer("min")
    high = table.integer("max", minimum=low)
    carriers = frozenset(table.text_list("carriers", []))
    slot = NumberSlot(low, high, carriers, _read_out_of(table, carriers, number_words))
    table.done()
    slots.done()
    return slot


def _read_out_of(table: Fields, carriers: frozenset[str], number_words: NumberWords
                 ) -> tuple[tuple[str, ...], ...]:
    """The ways of saying "out of": words only, each one also a carrier, or "about seven out of
    ten" would have words the number reading does not allow."""
    ways = []
    for text in table.text_list("out_of", []):
        words = tuple(normalise(text))
        if not words or any(isinstance(token, int) for token in number_words.read(words)):
            raise table.error("out_of", f"{text!r}: say it in words, without a number")
        missing = [word for word in words if word not in carriers]
        if missing:
            raise table.error("out_of", f"{text!r}: {', '.join(missing)} must also be carriers")
        ways.append(words)
    return tuple(ways)


def _read_intents(table: Fields, number: NumberSlot, routines: Sequence[Intent],
                  number_words: NumberWords) -> dict[str, Intent]:
    intents: dict[str, Intent] = {}
    by_routine = {intent.name: intent for intent in routines}
    for name in table.keys():
        if name in by_routine:
            raise table.error(name, f"also the intent of routine {by_routine[name].routine!r}, "
                              "asked for by name in routines.yaml: name this one otherwise")
        if name == ROUTINES_BY_NAME:
            raise table.error(name, f"{name} stands for every routine asked for by name: name "
                              "this intent otherwise")
        item = table.mapping(name)
        intents[name] = _read_intent(item, name, number, number_words)
        item.done()
    return intents | by_routine


def _read_intent(item: Fields, name: str, number: NumberSlot, number_words: NumberWords) -> Intent:
    own_range = _read_range(item)
    slot_phrases = tuple(_read_slot_phrase(entry, number) for entry in item.items("slot_phrases", []))
    phrases = item.text_list("phrases")
    if not phrases and not slot_phrases:
        raise item.error("phrases", "an intent needs at least one phrase")
    intent = Intent(
        name=name, say=item.text("say"), phrases=tuple(phrases), slot_phrases=slot_phrases,
        priority=item.boolean("priority", False), anywhere=item.boolean("anywhere", False),
        spoken=tuple(item.text_list("spoken", [])), in_help=item.boolean("in_help", True),
        negated_by=tuple(tokens(text, number_words) for text in item.text_list("negated_by", [])),
        number_range=own_range)
    known = {tokens(p, number_words) for p in phrases} | {tokens(p, number_words) for p, _ in slot_phrases}
    for phrase in intent.spoken:
        if tokens(phrase, number_words) not in known:
            raise item.error("spoken", f"{phrase!r} is not one of this intent's phrases")
    return intent


def _read_range(item: Fields) -> tuple[int, int] | None:
    """An intent's own range for `{number}` (an age), in place of the slot's."""
    if not item.has("range"):
        return None
    bounds = item.mapping("range")
    low = bounds.integer("min", minimum=0)
    own = (low, bounds.integer("max", minimum=low, maximum=99))
    bounds.done()
    return own


def _read_slot_phrase(entry: Fields, number: NumberSlot) -> tuple[str, int]:
    phrase = (entry.text("phrase"), entry.integer("number", minimum=number.low, maximum=number.high))
    entry.done()
    return phrase


def _read_contexts(table: Fields, intents: dict[str, Intent], routines: Sequence[Intent] | None
                   ) -> dict[str, tuple[str, ...]]:
    """Each context's intents, `routines_by_name` standing for every routine asked for by name."""
    contexts: dict[str, tuple[str, ...]] = {}
    for name in table.keys():
        members = table.text_list(name)
        if ROUTINES_BY_NAME in members and routines is None:
            raise table.error(name, f"{ROUTINES_BY_NAME} needs the routines (routines.yaml); "
                              "load this file with the content it belongs to")
        members = [each for member in members for each in
                   ([intent.name for intent in routines or ()] if member == ROUTINES_BY_NAME
                    else [member])]
        _check_known(table, name, members, intents)
        contexts[name] = tuple(members)
    return contexts


def _read_exclusions(table: Fields | None, contexts: dict[str, tuple[str, ...]],
                     number_words: NumberWords) -> dict[str, frozenset[Phrase]]:
    if table is None:
        return {}
    return {name: frozenset(tokens(text, number_words) for text in table.text_list(name))
            for name in _context_keys(table, contexts)}


def _read_sound_alikes(doc: Fields, contexts: dict[str, tuple[str, ...]]) -> dict[str, dict[str, str]]:
    if not doc.has("sound_alikes"):
        return {}
    table = doc.mapping("sound_alikes")
    result: dict[str, dict[str, str]] = {}
    for name in _context_keys(table, contexts):
        meanings = table.mapping(name)
        result[name] = _read_swaps(meanings)
        meanings.done()
    return result


def _read_swaps(meanings: Fields) -> dict[str, str]:
    """A word a recogniser writes -> the answer it sounds like, one word each way."""
    swaps: dict[str, str] = {}
    for meant in meanings.keys():
        for heard in meanings.text_list(meant):
            if len(normalise(heard)) != 1 or len(normalise(meant)) != 1:
                raise meanings.error(meant, "sound-alikes are single words")
            swaps[normalise(heard)[0]] = normalise(meant)[0]
    return swaps


def _read_leading(doc: Fields, intents: dict[str, Intent]) -> dict[str, frozenset[str]]:
    if not doc.has("leading"):
        return {}
    table = doc.mapping("leading")
    leading: dict[str, frozenset[str]] = {}
    for name in table.keys():
        unless = table.text_list(name)
        _check_known(table, name, [name, *unless], intents)
        leading[name] = frozenset(unless)
    return leading


def _read_outranks(doc: Fields, intents: dict[str, Intent]) -> dict[str, frozenset[str]]:
    """Only priority intents are weighed against each other, and only one way round."""
    if not doc.has("outranks"):
        return {}
    table = doc.mapping("outranks")
    outranks: dict[str, frozenset[str]] = {}
    for name in table.keys():
        beaten = table.text_list(name)
        _check_known(table, name, [name, *beaten], intents)
        for other in [name, *beaten]:
            if not intents[other].priority:
                raise table.error(name, f"{other!r} is not a priority intent; only those "
                                  "are weighed against each other")
        outranks[name] = frozenset(beaten)
    for name, beaten in outranks.items():
        for other in beaten:
            if name in outranks.get(other, frozenset()):
                raise table.error(name, f"{name!r} and {other!r} outrank each other")
    return outranks


def _read_combinations(doc: Fields, intents: dict[str, Intent]) -> tuple[tuple[frozenset[str], str], ...]:
    combinations = []
    for entry in doc.items("combinations", []):
        together = entry.text_list("intents")
        meaning = entry.text("means")
        _check_known(entry, "intents", [*together, meaning], intents)
        combinations.append((frozenset(together), meaning))
        entry.done()
    return tuple(combinations)


def _read_answer_reading(doc: Fields, number_words: NumberWords
                         ) -> tuple[ClauseWords | None, frozenset[str]]:
    """Optional for a file that asks no yes/no questions; the dialog content requires it."""
    if not doc.has("answer_reading"):
        return None, frozenset()
    table = doc.mapping("answer_reading")
    reading = read_reading(table, number_words)
    table.done()
    return reading


def _read_wording(table: Fields) -> Wording:
    wording = Wording(table.text("list_or"), table.text("help"), table.text("help_any_time"))
    for key in ("help", "help_any_time"):
        if "{choices}" not in getattr(wording, key):
            raise table.error(key, "say where the things one can say go: {choices}")
    table.done()
    return wording


def _context_keys(table: Fields, contexts: dict[str, tuple[str, ...]]) -> list[str]:
    """The keys of a per-context table, each a real context (not `global`)."""
    for name in table.keys():
        if name not in contexts or name == "global":
            raise table.error(name, f"unknown context {name!r}")
    return table.keys()


def _check_known(table: Fields, key: str, names: Iterable[str], intents: dict[str, Intent]) -> None:
    for name in names:
        if name not in intents:
            raise table.error(key, f"unknown intent {name!r}")


# -- checks across the whole set -----------------------------------------------

def _check_exclusions(intents: IntentSet, table: Fields) -> None:
    """A phrase taken out of a context must be one the context would otherwise hear."""
    for context in intents.excluded:
        heard = {tokens(p, intents.number_words) for phrases in intents.phrases_for(context).values()
                 for p in phrases}
        for phrase in table.text_list(context):
            if tokens(phrase, intents.number_words) not in heard:
                raise table.error(context, f"{phrase!r} is not a phrase heard in {context}")


def _check_no_phrase_clash(intents: IntentSet, context_table: Fields) -> None:
    """A phrase that means two intents in one context would make the matcher guess."""
    for context in intents.context_names():
        owner: dict[Phrase, str] = {}
        for name, phrases in intents.phrases_for(context).items():
            for phrase in phrases:
                key = tokens(phrase, intents.number_words)
                if key in owner and owner[key] != name:
                    raise ContentError(
                        context_table.at(context), f"contexts.{context}",
                        f"phrase {phrase!r} belongs to both {owner[key]!r} and {name!r}")
                owner[key] = name
