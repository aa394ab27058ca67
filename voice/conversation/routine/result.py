"""What became of a routine, for the session that goes on after it and for the journal."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PlayResult:
    """Filled in as the routine plays, so a routine that ends early still says how far it got."""

    completed: bool
    end_reason: str  # completed | stop | hurts | symptom | closed (a `Stop`'s reason)
    pain_before: int | None = None
    pain_after: int | None = None
    pain_during: int | None = None
    exercises_done: list[str] = field(default_factory=list)
    symptom: str | None = None  # the symptom that stopped the routine (dizzy, tingling)
    neck_stopped: bool = False  # "it hurts" with sharp or spreading pain: no more neck exercises
