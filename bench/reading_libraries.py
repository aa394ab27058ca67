"""Two libraries weighed for reading spoken answers clause by clause, against our own data.

(a) dateparser on the "when?" answers of tests/answers/times.yaml: for each phrase, how many
    hours before the reference moment it finds, with `dateparser.search.search_dates` and with
    plain `dateparser.parse` (RELATIVE_BASE = the reference, PREFER_DATES_FROM = past,
    English only); right when inside the phrase's range, or nothing for a phrase without a
    time.  Prints accuracy, the misses, import and first-call time, p50/p95 per phrase, and for
    comparison the project's own time words on the same phrases.
(b) medspaCy's ConText (Harkema et al. 2009) on the answer corpus, tests/answers/corpus_*.yaml
    (`answers: - {question, said, means: yes|no|unclear, kind}`): the question's own
    `yes_words` (a flag, a grade, or a list's flags; "word*" is a prefix) become TargetMatcher
    regex rules; a target that ConText marks negated or about a family member reads "no", one
    marked hypothetical, possible or historical reads "unclear", one unmodified reads "yes"
    (any yes wins, then any unclear); with no target the project's yes/no intent decides
    (yes -> yes, no -> no, else unclear).  Prints accuracy by kind and overall, the two safety
    counts (yes read as no; no read as yes, as % of the no answers), load and first-call time,
    p50/p95 per answer, and for comparison the project's own reader on the same corpus.

Neither library is a dependency of the project: each part prints a line and skips when its
library does not import.  To run them, install both beside the project in a separate venv:

    python -m venv --system-site-packages /tmp/libvenv
    /tmp/libvenv/bin/pip install medspacy dateparser
    /tmp/libvenv/bin/python -m bench.reading_libraries            # both parts
    /tmp/libvenv/bin/python -m bench.reading_libraries --part times --show-all
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import yaml

ANSWERS = Path(__file__).resolve().parent.parent / "tests" / "answers"
TIMES = ANSWERS / "times.yaml"
MEANINGS = ("yes", "no", "unclear")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _percentiles(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"p50 {_ms(statistics.median(ordered))}, p95 {_ms(p95)}, "
            f"max {_ms(ordered[-1])} over {len(ordered)}")


# ------------------------------------------------------------------------------ (a) dateparser

def _hours(found: datetime | None, reference: datetime) -> float | None:
    if found is None:
        return None
    if found.tzinfo is not None:
        found = found.replace(tzinfo=None)
    return (reference - found).total_seconds() / 3600


def _right(hours: float | None, expected: list[float] | None) -> bool:
    if expected is None:
        return hours is None
    return hours is not None and expected[0] <= hours <= expected[1]


def _shown(hours: float | None) -> str:
    return "nothing" if hours is None else f"{hours:.1f} h"


def evaluate_dateparser(show_all: bool, detect_language: bool) -> None:
    print("== (a) dateparser on tests/answers/times.yaml")
    started = time.perf_counter()
    try:
        import dateparser
        import dateparser.search
    except ImportError as error:
        print(f"skipped: dateparser does not import here ({error})")
        return
    imported = time.perf_counter() - started
    data = yaml.safe_load(TIMES.read_text(encoding="utf-8"))
    reference = datetime.fromisoformat(data["reference"])
    phrases = data["times"]
    settings = {"RELATIVE_BASE": reference, "PREFER_DATES_FROM": "past"}
    languages = None if detect_language else ["en"]
    print(f"dateparser {getattr(dateparser, '__version__', '?')}, import {_ms(imported)}, "
          f"reference {reference:%a %Y-%m-%d %H:%M}, languages={languages or 'detected'}, "
          f"{len(phrases)} phrases ({sum(p['hours_ago'] is None for p in phrases)} without a time)")

    def by_search(said: str) -> tuple[float | None, list[tuple[str, float | None]]]:
        found = dateparser.search.search_dates(said, languages=languages, settings=settings)
        every = [(text, _hours(when, reference)) for text, when in (found or [])]
        return (every[0][1] if every else None), every

    def by_parse(said: str) -> tuple[float | None, list[tuple[str, float | None]]]:
        when = dateparser.parse(said, languages=languages, settings=settings)
        return _hours(when, reference), []

    for name, reader in (("search_dates", by_search), ("parse", by_parse)):
        first = time.perf_counter()
        reader(phrases[0]["said"])
        first_call = time.perf_counter() - first
        timings: list[float] = []
        right = right_timed = right_null = any_right = 0
        misses: list[str] = []
        for phrase in phrases:
            said, expected = phrase["said"], phrase["hours_ago"]
            began = time.perf_counter()
            hours, every = reader(said)
            timings.append(time.perf_counter() - began)
            good = _right(hours, expected)
            right += good
            if expected is None:
                right_null += good
            else:
                right_timed += good
                any_right += good or any(_right(h, expected) for _, h in every)
            if not good or show_all:
                wanted = "nothing" if expected is None else f"{expected[0]}-{expected[1]} h"
                extra = (" [found: " + "; ".join(f"{t!r} {_shown(h)}" for t, h in every) + "]"
                         if len(every) > 1 else "")
                misses.append(f"  {'ok  ' if good else 'MISS'} {said!r:42} "
                              f"got {_shown(hours):>10}, wanted {wanted}{extra}")
        timed = sum(p["hours_ago"] is not None for p in phrases)
        print(f"-- {name}: {right}/{len(phrases)} right ({100 * right / len(phrases):.0f}%); "
              f"with a time {right_timed}/{timed}, without {right_null}/{len(phrases) - timed}"
              + (f"; a right reading among all it found: {any_right}/{timed}"
                 if name == "search_dates" else ""))
        print(f"   first call {_ms(first_call)}; then per phrase {_percentiles(timings)}")
        print("\n".join(misses))


def evaluate_project_times(show_all: bool) -> None:
    """The same fixture read by the project's own time words, for comparison: right when the
    range it reads overlaps the clinician's (as tests/test_answers.py counts it)."""
    data = yaml.safe_load(TIMES.read_text(encoding="utf-8"))
    reference = datetime.fromisoformat(data["reference"])
    try:
        from voice.conversation.content import load_content
        from voice.understanding.words import normalise
        words = load_content().intents.reading.times

        def find(said: str):
            found = words.find(normalise(said), reference.date())
            return (found[-1][2].low, found[-1][2].high) if found else None
        find("four days ago")
    except Exception as error:  # another interface, or none yet: leave the comparison out
        print(f"(the project's time words are left out: {type(error).__name__}: {error})")
        return
    right, timings, misses = 0, [], []
    for phrase in data["times"]:
        said, expected = phrase["said"], phrase["hours_ago"]
        began = time.perf_counter()
        ago = find(said)
        timings.append(time.perf_counter() - began)
        good = (ago is None if expected is None else
                ago is not None and ago[0] <= expected[1] and ago[1] >= expected[0])
        right += good
        if not good or show_all:
            got = "nothing" if ago is None else f"{ago[0]:.0f}-{ago[1]:.0f} h"
            wanted = "nothing" if expected is None else f"{expected[0]}-{expected[1]} h"
            misses.append(f"  {'ok  ' if good else 'MISS'} {said!r:42} got {got:>12}, wanted {wanted}")
    print(f"-- for comparison, the project's time words (a range overlapping the clinician's): "
          f"{right}/{len(data['times'])} right ({100 * right / len(data['times']):.0f}%); "
          f"per phrase {_percentiles(timings)}")
    print("\n".join(misses))


# ------------------------------------------------------------------------- (b) medspaCy ConText

def _corpus(wait_minutes: float) -> list[dict]:
    deadline = time.monotonic() + wait_minutes * 60
    while not sorted(ANSWERS.glob("corpus_*.yaml")) and time.monotonic() < deadline:
        print("waiting for tests/answers/corpus_*.yaml ...", flush=True)
        time.sleep(30)
    answers = []
    for path in sorted(ANSWERS.glob("corpus_*.yaml")):
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            print(f"skipped {path.name}: not readable YAML ({error})")
            continue
        for answer in loaded.get("answers") or []:
            answers.append({**answer, "file": path.name})
    return answers


def _targets(content, question: str) -> frozenset[str] | None:
    """The words that answer a question yes: a flag's, a grade's (or the flag a grade asks
    about), or every flag's of a list.  None: the content has no such question."""
    spec = content.triage
    if question in spec.flag_table:
        return spec.flag_table[question].yes_words
    for flag in spec.flag_table.values():
        for grade in flag.grades:
            if grade.id == question:
                if not grade.yes_words and grade.asks_flag in spec.flag_table:
                    return spec.flag_table[grade.asks_flag].yes_words
                return grade.yes_words
    if question in spec.states:
        return frozenset().union(*(spec.flag_table[f].yes_words for f in
                                   spec.states[question].flag_ids() if f in spec.flag_table))
    return None


def _regex(word: str) -> str:
    """A yes-word as a regex over the spoken text: words stored without apostrophes ("cant
    breathe") match with one ("can't breathe"); "tingl*" is a prefix."""
    parts = []
    for piece in word.split():
        prefix = piece.endswith("*")
        letters = "'?".join(re.escape(ch) for ch in piece.rstrip("*"))
        parts.append(letters + (r"\w*" if prefix else ""))
    return r"\b" + r"\s+".join(parts) + r"\b"


def _modified(target) -> str:
    if target._.is_negated or target._.is_family:
        return "no"
    if target._.is_hypothetical or target._.is_uncertain or target._.is_historical:
        return "unclear"
    return "yes"


def _combined(readings: list[str]) -> str:
    return "yes" if "yes" in readings else "unclear" if "unclear" in readings else "no"


def _report(name: str, answers: list[dict], read: list[str]) -> None:
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for answer, got in zip(answers, read, strict=True):
        by_kind[str(answer.get("kind", "?"))].append(got == answer["means"])
    right = sum(got == a["means"] for a, got in zip(answers, read, strict=True))
    print(f"-- {name}: {right}/{len(answers)} right ({100 * right / len(answers):.0f}%)")
    for kind in sorted(by_kind):
        marks = by_kind[kind]
        print(f"   {kind:28} {sum(marks):3}/{len(marks):<3} {100 * sum(marks) / len(marks):4.0f}%")
    said = Counter(a["means"] for a in answers)
    pairs = Counter((a["means"], got) for a, got in zip(answers, read, strict=True))
    yes_no, no_yes = pairs[("yes", "no")], pairs[("no", "yes")]
    print(f"   safety: yes read as no {yes_no} ({100 * yes_no / max(1, said['yes']):.0f}% of "
          f"{said['yes']} yes); no read as yes {no_yes} ({100 * no_yes / max(1, said['no']):.0f}% "
          f"of {said['no']} no)")
    print("   meant \\ read  " + "".join(f"{m:>9}" for m in MEANINGS))
    for meant in MEANINGS:
        print(f"   {meant:13}" + "".join(f"{pairs[(meant, got)]:9}" for got in MEANINGS))


def _project_reader(content):
    """The project's own reader (voice/understanding/answers/), for comparison; None when
    its interface is not the one this was written against."""
    try:
        from voice.understanding.answers.lexicon import Lexicon
        from voice.understanding.answers.model import Answer, Question
        from voice.understanding.answers.reading import read_answer
        from voice.understanding.answers.rules import ReadingRules
        spec = content.triage
        lexicon = Lexicon.of({f.id: f.yes_words for f in spec.flags()})
        rules = ReadingRules.of(content.intents)
        meaning = {Answer.YES: "yes", Answer.NO: "no"}

        def read(question: str, said: str) -> str | None:
            if question in spec.flag_table:
                flag = spec.flag_table[question]
                asked = Question(frozenset({question}), question, flag.about_now, flag.compound)
            elif question in spec.states:
                asked = Question(frozenset(spec.states[question].flag_ids()))
            else:
                return None
            reading = read_answer(said, content.intents.match(said, "yes_no").intent, asked,
                                  lexicon, rules)
            return meaning.get(reading.answer, "unclear")
        return read
    except Exception as error:  # another interface: leave the comparison out
        print(f"(the project's reader is left out: {type(error).__name__}: {error})")
        return None


def evaluate_context(show_all: bool, wait_minutes: float) -> None:
    print("== (b) medspaCy ConText on tests/answers/corpus_*.yaml")
    started = time.perf_counter()
    try:
        import medspacy
        from medspacy.ner import TargetRule
        from medspacy.target_matcher import TargetMatcher
    except ImportError as error:
        print(f"skipped: medspacy does not import here ({error})")
        return
    imported = time.perf_counter() - started
    try:  # PyRuSH logs every sentence at DEBUG through loguru: silence it as a product would
        from loguru import logger
        logger.disable("PyRuSH")
    except ImportError:
        pass

    from voice.conversation.content import load_content
    content = load_content()
    answers = _corpus(wait_minutes)
    if not answers:
        print("skipped: no answers in tests/answers/corpus_*.yaml")
        return

    began = time.perf_counter()
    nlp = medspacy.load(medspacy_enable=["medspacy_pyrush", "medspacy_context"])
    sentences, context = nlp.get_pipe("medspacy_pyrush"), nlp.get_pipe("medspacy_context")
    # A modifier inside a target ("n't" of "can't wee") otherwise negates that target.
    context.prune_on_target_overlap = True
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    questions = sorted({str(a["question"]) for a in answers})
    matchers, unknown = {}, []
    for question in questions:
        words = _targets(content, question)
        if words is None:
            unknown.append(question)
        matcher = TargetMatcher(nlp, name=f"targets_{question}")
        matcher.add([TargetRule(word, "TARGET", pattern=_regex(word)) for word in sorted(words or ())])
        matchers[question] = matcher
    built = time.perf_counter() - began
    print(f"medspacy {getattr(medspacy, '__version__', '?')}: import {_ms(imported)}, "
          f"load (blank en, PyRuSH, ConText with {len(context.rules)} rules) {_ms(loaded)}, "
          f"target rules for {len(questions)} questions {_ms(built)}")
    print(f"{len(answers)} answers from "
          f"{', '.join(sorted({a['file'] for a in answers}))}")
    if unknown:
        n = sum(str(a["question"]) in unknown for a in answers)
        print(f"questions the content does not have (no targets, intent only): {n} answers to "
              f"{', '.join(unknown)}")

    def read(question: str, said: str):
        """The reading, and what it stood on (the doc, or the intent when no target)."""
        doc = context(matchers[question](sentences(nlp.make_doc(said))))
        if doc.ents:
            return _combined([_modified(ent) for ent in doc.ents]), doc
        intent = content.intents.match(said, "yes_no").intent
        return (intent if intent in ("yes", "no") else "unclear"), intent

    def reason(basis) -> str:
        if not hasattr(basis, "ents"):
            return f"no target; intent {basis}"
        return "; ".join(f"{ent.text!r}:{_modified(ent)}" + "".join(
            f" <{m.category.lower()} {basis[m.modifier_span[0]:m.modifier_span[1]].text!r}>"
            for m in ent._.modifiers) for ent in basis.ents)

    first = time.perf_counter()
    read(str(answers[0]["question"]), answers[0]["said"])
    first_call = time.perf_counter() - first
    timings, read_as, why, bases = [], [], [], []
    for answer in answers:
        began = time.perf_counter()
        got, basis = read(str(answer["question"]), answer["said"])
        timings.append(time.perf_counter() - began)
        read_as.append(got)
        why.append(reason(basis))
        bases.append(basis)
    print(f"first answer {_ms(first_call)}; then per answer {_percentiles(timings)} "
          "(the yes/no intent match included when no target is found)")
    _report("ConText", answers, read_as)
    print("   wrong readings:" if not show_all else "   every reading:")
    for answer, got, because in zip(answers, read_as, why, strict=True):
        if got != answer["means"] or show_all:
            print(f"   {'ok  ' if got == answer['means'] else 'MISS'} [{answer.get('kind')}] "
                  f"{answer['question']}: {answer['said']!r} meant {answer['means']}, read {got} "
                  f"({because})")

    # What ConText adds: the same targets read without it (any target -> yes), and the intent alone.
    spotted = ["yes" if hasattr(basis, "ents") else got
               for got, basis in zip(read_as, bases, strict=True)]
    intents = [(i if i in ("yes", "no") else "unclear") for i in
               (content.intents.match(a["said"], "yes_no").intent for a in answers)]
    _report("for comparison, word spotting (same targets, no ConText: a target -> yes)",
            answers, spotted)
    _report("for comparison, the yes/no intent alone", answers, intents)

    project = _project_reader(content)
    if project is not None:
        try:
            theirs = [project(str(a["question"]), a["said"]) for a in answers]
        except Exception as error:
            print(f"(the project's reader failed: {type(error).__name__}: {error})")
            return
        kept = [i for i, got in enumerate(theirs) if got is not None]
        known = [answers[i] for i in kept]
        _report(f"for comparison, the project's reader (voice/understanding/answers/; "
                f"unsure -> unclear) on the {len(known)} answers to flags and lists it reads",
                known, [theirs[i] for i in kept])
        _report(f"ConText on the same {len(known)}", known, [read_as[i] for i in kept])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("times", "context", "both"), default="both")
    parser.add_argument("--show-all", action="store_true", help="print right readings too")
    parser.add_argument("--detect-language", action="store_true",
                        help="let dateparser detect the language (default: English only)")
    parser.add_argument("--wait", type=float, default=0.0,
                        help="minutes to wait for tests/answers/corpus_*.yaml to appear")
    args = parser.parse_args()
    if args.part in ("times", "both"):
        evaluate_dateparser(args.show_all, args.detect_language)
        evaluate_project_times(args.show_all)
    if args.part in ("context", "both"):
        evaluate_context(args.show_all, args.wait)


if __name__ == "__main__":
    main()
