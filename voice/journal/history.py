"""What the journal says to a person coming back: how often, whether the pain is easing, and
anything a doctor should have seen.

Built from the journal's sessions and the content's own words (tier labels, the
session texts, the words of counts and days), so the summary a person hears, the JSON
a program reads and the CSV a clinician opens all come from one place.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO

from ..content.placeholders import fill
from ..conversation.content import Content
from ..conversation.counts_and_dates import JournalWords
from ..conversation.dialog.spec import SELF_CARE
from .store import SessionEntry

CSV_FIELDS = ("started_at", "ended_at", "complete", "end_reason", "mode", "outcome", "flags",
              "pain_before", "pain_after", "routine", "exercises_completed", "exercises_skipped",
              "exercises_stopped")


@dataclass(frozen=True)
class Summary:
    sessions: int
    last_7_days: int
    last_30_days: int
    pain_first: int | None  # the first and last pain scores on record, and how many sessions
    pain_last: int | None  # gave one
    pain_sessions: int
    top_routine: str | None
    top_routine_times: int
    referrals: tuple[tuple[datetime, str], ...]  # (when, tier) of every red-flag outcome
    last: SessionEntry | None = None  # the latest session: when it was and what it concluded


def summarise(sessions: list[SessionEntry], now: datetime | None = None) -> Summary:
    now = now or datetime.now(timezone.utc)
    scores = [(s.pain_before if s.pain_after is None else s.pain_after) for s in sessions]
    scored = [score for score in scores if score is not None]
    routines = Counter(s.routine for s in sessions if s.routine)
    top = routines.most_common(1)[0] if routines else (None, 0)
    return Summary(
        sessions=len(sessions),
        last_7_days=sum(1 for s in sessions if now - s.started_at <= timedelta(days=7)),
        last_30_days=sum(1 for s in sessions if now - s.started_at <= timedelta(days=30)),
        pain_first=scored[0] if scored else None, pain_last=scored[-1] if scored else None,
        pain_sessions=len(scored), top_routine=top[0], top_routine_times=top[1],
        referrals=tuple((s.started_at, s.outcome) for s in sessions
                        if s.outcome and s.outcome != SELF_CARE),
        last=max(sessions, key=lambda s: s.started_at) if sessions else None)


def spoken_summary(summary: Summary, texts: dict[str, str], tier_labels: dict[str, str],
                   routine_names: dict[str, str], words: JournalWords) -> list[str]:
    """The summary as sentences, worded by dialogs/session.yaml (counts and days in `words`,
    dialogs/numbers.yaml's): how often, when the last session was and what it concluded, the
    pain, the routine used more than once, and every referral (the last session's own is said
    once, with it). A line whose wording the texts do not have is left out."""
    if summary.sessions == 0:
        return [texts["history_empty"]]
    lines = [fill(texts["history_counts"], week=summary.last_7_days, month=summary.last_30_days,
                  total=summary.sessions)]
    told = _last_session(summary.last, texts, tier_labels, routine_names, words, lines)
    if summary.pain_sessions >= 2:
        lines.append(fill(texts["history_pain"], first=summary.pain_first, last=summary.pain_last,
                          count=summary.pain_sessions))
    if summary.top_routine and summary.top_routine_times >= 2:  # once is no "most"
        lines.append(fill(texts["history_routine"],
                          routine=routine_names.get(summary.top_routine, summary.top_routine),
                          times=words.times.say(summary.top_routine_times)))
    for when, tier in summary.referrals:
        if tier in tier_labels and (when, tier) != told:  # an id this version cannot name is
            lines.append(fill(texts["history_referral"],  # never read out
                              date=words.dates.say(when), advice=tier_labels[tier]))
    return lines


def _last_session(last: SessionEntry | None, texts: dict[str, str], tier_labels: dict[str, str],
                  routine_names: dict[str, str], words: JournalWords,
                  lines: list[str]) -> tuple[datetime, str] | None:
    """Add when the last session was and what it concluded (the advice, a clear check, the
    routine and whether it was finished); the referral said here, if it was one."""
    if last is None or "history_last" not in texts:
        return None
    date = words.dates.say(last.started_at)
    told = None
    if last.outcome in tier_labels and "history_last_advice" in texts:
        lines.append(fill(texts["history_last_advice"], date=date,
                          advice=tier_labels[last.outcome or ""]))
        told = (last.started_at, last.outcome or "")
    elif last.outcome == SELF_CARE and "history_last_clear" in texts:
        lines.append(fill(texts["history_last_clear"], date=date))
    else:
        lines.append(fill(texts["history_last"], date=date))
    if last.routine:
        key = "history_last_routine" if _finished(last) else "history_last_routine_stopped"
        if key in texts:
            lines.append(fill(texts[key], routine=routine_names.get(last.routine, last.routine)))
    return told


def _finished(session: SessionEntry) -> bool:
    """Whether the session's routine was played to its end: the session ends as its routine
    did, unless the routine was completed (skipped exercises are still a routine played)."""
    return session.end_reason == "completed"


def as_json(sessions: list[SessionEntry], summary: Summary) -> dict:
    return {
        "summary": {"sessions": summary.sessions, "last_7_days": summary.last_7_days,
                    "last_30_days": summary.last_30_days, "pain_first": summary.pain_first,
                    "pain_last": summary.pain_last, "pain_sessions": summary.pain_sessions,
                    "top_routine": summary.top_routine,
                    "referrals": [{"date": when.isoformat(), "tier": tier}
                                  for when, tier in summary.referrals]},
        "sessions": [{"started_at": s.started_at.isoformat(),
                      "ended_at": s.ended_at.isoformat() if s.ended_at else None,
                      "complete": s.complete, "end_reason": s.end_reason, "mode": s.mode,
                      "outcome": s.outcome, "flags": list(s.flags), "pain_before": s.pain_before,
                      "pain_after": s.pain_after, "routine": s.routine,
                      "exercises": [{"id": e.exercise, "result": e.result, "reason": e.reason}
                                    for e in s.exercises]}
                     for s in sessions],
    }


def write_csv(sessions: list[SessionEntry], stream: IO[str]) -> None:
    writer = csv.DictWriter(stream, CSV_FIELDS)
    writer.writeheader()
    for session in sessions:
        writer.writerow(_row(session))


def export_csv(sessions: list[SessionEntry], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        write_csv(sessions, stream)


def _row(session: SessionEntry) -> dict:
    def named(result: str) -> str:
        return " ".join(e.exercise for e in session.exercises if e.result == result)

    return {"started_at": session.started_at.isoformat(),
            "ended_at": session.ended_at.isoformat() if session.ended_at else "",
            "complete": session.complete, "end_reason": session.end_reason or "",
            "mode": session.mode, "outcome": session.outcome or "", "flags": " ".join(session.flags),
            "pain_before": session.pain_before, "pain_after": session.pain_after,
            "routine": session.routine or "", "exercises_completed": named("completed"),
            "exercises_skipped": named("skipped"), "exercises_stopped": named("stopped")}


@dataclass(frozen=True)
class Advised:
    """Advice that blocked exercise, and when it was given: it holds until the person says
    they have been seen since."""

    when: datetime
    tier: str


def unseen_advice(sessions: list[SessionEntry], blocking: set[str]) -> Advised | None:
    """The last outcome that blocked exercise (an emergency, same day, the check before a
    routine's "not yet") that no later "I have been seen" answered; None if there is none."""
    standing: Advised | None = None
    for session in sessions:  # oldest first; in a session, "seen" comes before its outcome
        if session.seen_at is not None:
            standing = None
        if session.outcome in blocking:
            standing = Advised(session.started_at, session.outcome or "")
    return standing


def pain_rose(sessions: list[SessionEntry], pain_rise: int) -> bool:
    """Whether the pain rose by `pain_rise` points or more over the last routine played."""
    with_routine = [s for s in sessions if s.routine and s.pain_after is not None
                    and s.pain_before is not None]
    return bool(with_routine) and (
        (with_routine[-1].pain_after or 0) - (with_routine[-1].pain_before or 0) >= pain_rise)


def told_back(content: Content, summary: Summary) -> list[str]:
    """The journal's summary as the person hears it, at the desk or through an assistant."""
    texts = {key: str(value) for key, value in content.session.texts.items()}
    return spoken_summary(summary, texts, tier_labels(content),
                          {r.id: r.name for r in content.book.routines.values()},
                          content.journal_words)


def tier_labels(content: Content) -> dict[str, str]:
    """Every outcome as it is spoken, from every dialog that gives one (the symptom check's
    wording first): the journal and the reminders say labels, never ids."""
    labels: dict[str, str] = {}
    for spec in (content.prescreen, content.triage):
        if spec is not None:
            labels.update({tier.id: tier.label for tier in spec.tiers})
    return labels


def blocking_tiers(content: Content) -> set[str]:
    return {tier.id for spec in (content.triage, content.prescreen) if spec is not None
            for tier in spec.tiers if tier.blocks_exercise}
