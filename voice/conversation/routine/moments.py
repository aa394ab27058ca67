"""The cues said during a hold, each with the moment it is said, read from `routines.yaml`.

The moment lives next to the words in content, so a clinician who rewords "Ten seconds
left." to "Five seconds left." moves the cue with it, and no second in the code can
disagree with what the words say.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ...content.placeholders import placeholders
from ...content.schema import Fields
from ...content.yamlsource import ContentError
from ...events.routine import CueKind

# The kinds content times within a hold, in the order `during_hold` lists them.
HOLD_KINDS = (CueKind.BREATH, CueKind.HALFWAY, CueKind.TEN_LEFT, CueKind.COUNT)
FILLED = {"breathing"}  # what a cue said in a hold may hold: the exercise's breathing line
LONGEST_HOLD_S = 120  # no exercise holds longer (exercises.yaml, hold_s)


class Anchor(Enum):
    """What a cue's moment is counted from; the value is its field in content."""

    AFTER_START = "at_s_after_start"
    BEFORE_END = "at_s_before_end"
    SHARE = "at_share_of_hold"  # 0.5: halfway


@dataclass(frozen=True)
class HoldCue:
    """A cue said at one moment of every hold long enough for it."""

    kind: CueKind
    say: str
    anchor: Anchor
    value: float  # seconds, or a share of the hold
    min_hold_s: float = 0.0

    def at(self, hold_s: float) -> float | None:
        """Seconds into a hold of `hold_s` at which the cue is said; None in a hold too short
        for it, or where its moment falls outside the hold (a count of three in a 3 s hold
        would be said over "Begin.")."""
        if hold_s < self.min_hold_s:
            return None
        if self.anchor is Anchor.AFTER_START:
            moment = self.value
        elif self.anchor is Anchor.BEFORE_END:
            moment = hold_s - self.value
        else:
            moment = hold_s * self.value
        return moment if 0 < moment < hold_s else None


def read_hold_cues(table: Fields) -> tuple[HoldCue, ...]:
    """`during_hold`: for each kind, one cue or a list of them (the count), each with exactly
    one moment; errors name the file, the line and the field."""
    kinds = [kind.value for kind in HOLD_KINDS]
    for key in table.data:  # before a missing one: "ten_lef" is the same cue misspelt
        if key not in kinds:
            raise table.error(key, f"unknown cue (misspelt?); expected one of: {', '.join(kinds)}")
    cues: list[HoldCue] = []
    for kind in HOLD_KINDS:
        listed = isinstance(table.data.get(kind.value), list)
        for entry in table.items(kind.value) if listed else [table.mapping(kind.value)]:
            cues.append(_read_hold_cue(kind, entry))
            entry.done()
    table.done()
    return tuple(cues)


def _read_hold_cue(kind: CueKind, entry: Fields) -> HoldCue:
    anchors = [Anchor(key) for key in entry.data if key in {anchor.value for anchor in Anchor}]
    if len(anchors) != 1:
        choices = ", ".join(anchor.value for anchor in Anchor)
        if anchors:
            raise entry.error(anchors[1].value, f"give one moment, not {len(anchors)}: one of {choices}")
        raise ContentError(entry.where, entry.path, f"give the cue's moment: one of {choices}")
    anchor = anchors[0]
    if anchor is Anchor.SHARE:
        value = entry.number(anchor.value, minimum=0.01, maximum=0.99)
    else:
        value = entry.number(anchor.value, minimum=0.5, maximum=LONGEST_HOLD_S)
    say = entry.text("say")
    held = set(placeholders(say))
    if held - FILLED:
        raise entry.error("say", "may hold only {breathing} (the exercise's breathing line), not "
                          + ", ".join("{" + name + "}" for name in sorted(held - FILLED)))
    return HoldCue(kind, say, anchor, value,
                   entry.number("min_hold_s", 0.0, minimum=0, maximum=LONGEST_HOLD_S))
