"""The fixed words the ask step says, from the `texts` of whoever asks (a dialog's, the
routines' replies, the session's).

Every word said is content: the read-back's sentences and the words that join a spoken list
("and", "or") included, so that the step holds no word of any language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .adjusting import REPLY_KEYS

# A read-back needs all of these together: said back without one, a sentence would be cut.
READBACK_KEYS = ("readback_yes", "readback_no", "readback_none", "list_and", "list_or")


@dataclass(frozen=True)
class ReadBackTexts:
    """How an answer that is not plain is said back as one closed question."""

    yes: str  # "So that's a yes to {label}{when}{also}. Is that right?"
    no: str  # "So that's a no to {label}{when}{also}. Is that right?"
    none: str  # a list: "So none of those{also}. Is that right?"
    list_and: str  # joins the last of the symptoms mentioned: "a, b, and c"
    list_or: str  # joins the last of the parts not said: "not a or b"
    part: str = ""  # "So {present}, but not {absent}. Is that right?"
    when: str = ""  # ", {when}"
    also: str = ""  # ", and you mentioned {mentions}"

    @classmethod
    def of(cls, texts: Mapping[str, object]) -> ReadBackTexts | None:
        """None when the texts say nothing back; ValueError naming what is missing when they
        give some of what a read-back needs but not all."""
        given = {key: value for key in READBACK_KEYS if isinstance(value := texts.get(key), str)
                 and value}
        if "readback_yes" not in given:
            return None
        missing = [key for key in READBACK_KEYS if key not in given]
        if missing:
            raise ValueError("texts: an answer said back needs " + ", ".join(missing))

        def text(key: str) -> str:
            value = texts.get(key, "")
            return value if isinstance(value, str) else ""

        return cls(given["readback_yes"], given["readback_no"], given["readback_none"],
                   given["list_and"], given["list_or"], text("readback_part"),
                   text("readback_when"), text("readback_also"))


@dataclass(frozen=True)
class Texts:
    """The fixed words the ask step says; an empty one is not said."""

    no_match: tuple[str, ...]  # said before asking again after an answer not understood, by try
    no_input: tuple[str, ...]  # ... after silence
    unsure_flag: str = ""  # before a red flag asked again after "not sure"
    unsure_time: str = ""  # ... after an answer qualified in time ("not at the moment")
    you_mentioned: str = ""  # ... after a no with its own symptom in it: "You mentioned {mention}."
    readback: ReadBackTexts | None = None  # None: answers are never said back
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
    def of(cls, texts: Mapping[str, object]) -> Texts:
        def text(key: str) -> str:
            value = texts.get(key, "")
            return value if isinstance(value, str) else ""

        def steps(key: str) -> tuple[str, ...]:
            value = texts.get(key, ())
            return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

        return cls(
            steps("no_match"), steps("no_input"), unsure_flag=text("unsure_flag"),
            unsure_time=text("unsure_time"), you_mentioned=text("you_mentioned"),
            readback=ReadBackTexts.of(texts), slower=text("slower"), faster=text("faster"),
            slowest=text("slowest"), fastest=text("fastest"),
            rate_elsewhere=text("rate_elsewhere"), wait_request=text("wait_request"),
            wait_warning=text("wait_warning"), wait_help=text("wait_help"),
            silence_warning=text("silence_warning"), wait_offer=text("wait_offer"),
            go_back_help=text("go_back_help"), meant_no=text("meant_no"),
            slower_typed=text("slower_typed"), faster_typed=text("faster_typed"),
            settings={key: text(key) for key in REPLY_KEYS if text(key)})
