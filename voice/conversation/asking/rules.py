"""How long the ask step waits on request, how often it goes back, and which slips are a "no".

Read from `dialogs/asking.yaml` beside a dialog's own file, each mistake named by file, line
and field. The words said stay in each dialog's `texts`; these are the numbers and word lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...content.schema import Fields
from ...content.yamlsource import Where, load_yaml

ASKING_FILE = "asking.yaml"
ASIDE_CONTEXT = "asking"  # intents.yaml: what may be said to any question besides its answers


@dataclass(frozen=True)
class WaitRequest:
    """ "wait" to a question: how many times, how long each, and when the warning comes.
    WCAG 2.2.1 Timing Adjustable: a time limit extended with a simple action, ten times,
    after a warning."""

    times: int
    minutes: float
    warn_seconds: float

    @property
    def seconds(self) -> float:
        return self.minutes * 60


@dataclass(frozen=True)
class AskingRules:
    wait: WaitRequest | None = None  # None: "wait" is not offered
    go_back_times: int = 0  # 0: "go back" is not offered
    near_no: frozenset[str] = frozenset()  # typos and mishearings of "no", as normalised words


def load_asking_rules(path: Path | str) -> AskingRules:
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    wait = None
    if doc.has("wait_request"):
        table = doc.mapping("wait_request")
        minutes = table.number("minutes", minimum=0.5, maximum=60)
        warn = table.number("warn_seconds", minimum=0, maximum=600)
        if warn >= minutes * 60:
            raise table.error("warn_seconds", "the warning must come before the wait ends")
        wait = WaitRequest(table.integer("times", minimum=1, maximum=100), minutes, warn)
        table.done()
    times = 0
    if doc.has("go_back"):
        table = doc.mapping("go_back")
        times = table.integer("times", minimum=1, maximum=100)
        table.done()
    near_no = frozenset(word.lower() for word in doc.text_list("near_no", []))
    for word in near_no:
        if len(word.split()) != 1:
            raise doc.error("near_no", f"{word!r}: one word each")
    doc.done()
    return AskingRules(wait, times, near_no)


def asking_rules_beside(source: str) -> AskingRules:
    """The rules in the folder of a dialog's file (its `source`); none when there are none."""
    path = Path(source).parent / ASKING_FILE if source else None
    if path is None or not path.is_file():
        return AskingRules()
    return load_asking_rules(path)
