"""The one port between the conversation and the person.

The triage dialog and the routine player both talk to a `Person`: say a line,
start a timed cue, cut speech short, and listen in a named context until a
deadline on the conversation's clock.  A person in text (`voice.person.text`),
a scripted one (`voice.person.scripted`, for previews and tests) and one in
voice (`voice.person.voice`: microphone, recogniser, speakers) implement it,
so the same conversation runs in each.  The person also holds the user's
preferences: the conversation asks it for a change and never keeps a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from ..events.routine import CueKind
from ..preferences import PreferenceStore
from ..understanding.intents.model import IntentSet, Match


class Stop(Exception):
    """Ends a dialog or a routine from anywhere inside it: the person said stop, input closed,
    silence, or a symptom that ends a routine. `reason` is what the transcript and the journal
    record ("stop", "closed", "no_input", "hurts", "symptom"); `said` names the line that says
    why, when no red flag did."""

    def __init__(self, reason: str, said: str = "stopped"):
        super().__init__(reason)
        self.reason = reason
        self.said = said


@dataclass(frozen=True)
class Line:
    """A line as printed, and as a voice must say it where that differs (a number to dial,
    digit by digit): one value, so the pair is never recomputed."""

    text: str
    spoken: str | None = None

    @classmethod
    def of(cls, text: str, spoken: str | None) -> Line:
        return cls(text, spoken if spoken not in (None, text) else None)


HeardKind = Literal["speech", "no_input", "rejected", "closed", "lost", "back"]


@dataclass(frozen=True)
class Heard:
    """What came back from listening once.

    speech: some words (typed or recognised); no_input: nothing before the deadline;
    rejected: sound that was not understood (noise, another language, an
    out-of-grammar sentence); closed: input has ended for good; lost: a device
    stopped while a routine played (`text` names it: the routine pauses with its
    place kept); back: it came back (the routine resumes).

    A recogniser that matched the words to decide whether they were an answer hands the
    match on (`match`, made in `context`), so they are matched once (`meaning`).
    """

    kind: HeardKind
    text: str = ""
    match: Match | None = None
    context: str | None = None
    # Said over the assistant's own voice (echo cancelled): an answer to a warning sign heard
    # there is said back before it counts, for the echo canceller can leave a "no" sounding
    # like "yes" (and so, maybe, the other way).
    overlapped: bool = False

    def meaning(self, intents: IntentSet, context: str) -> Match:
        """What the words mean in `context`: the match made when they were recognised, when
        it was made there; else matched now."""
        if self.match is not None and self.context == context:
            return self.match
        return intents.match(self.text, context)


class Person(Protocol):
    preferences: PreferenceStore
    lead_s: float  # seconds between handing over a cue and its first sample being heard
    sets_rate: bool  # its voice speaks at the preferences' rate (a voice assistant's keeps its own)
    reads_aloud: bool  # its own voice says the lines (typed text is read by a screen reader)
    types_answers: bool  # answers come from a keyboard, so lines say "type stop", not "say"

    def say(self, text: str, interruptible: bool = False, spoken: str | None = None) -> None:
        """Deliver one utterance and return once it has been delivered. An `interruptible` one
        (a question) may be cut short by "stop", which the next `listen` returns. `spoken` is
        the line as a voice must say it, where that differs from the printed `text` (a
        number to dial, digit by digit)."""

    def cue(self, text: str, kind: CueKind, duration: float, spoken: str | None = None) -> None:
        """Start a timed cue and return at once: the player keeps the time."""

    def cut(self) -> None:
        """Stop whatever is being said now."""

    def listen(self, context: str, deadline: float | None, prompt_id: str | None = None) -> Heard:
        """Wait for words heard in `context` until the clock reaches `deadline` (None: for ever).

        With a `prompt_id` this is the answer to a question just asked (the person hears
        the listening earcon and may be asked again); without, it is a command that may
        come at any moment while a routine plays: what was not understood is ignored, so
        only speech, the deadline (no_input) or the end of input comes back."""
