"""What differs by country, read from `dialogs/locales/*.yaml`: the numbers to call, the names
of services and medicines, everyday words ("pee", "feel sick"), and the voice.

The dialog content is one English text; where a country would say it otherwise
it names a term in braces (`{urgent_care}`, `{felt_sick}`), and the locale's
value is put in as the YAML is read (`yamlsource.load_yaml`), so every check
that reads content (placeholders, safety proofs, people tests) sees the text a
person in that country will hear.  A locale may be `based_on` another and give
only what differs (Canada on the United States, Ireland on the United
Kingdom).  Which locale: `--locale`, else the system's (`LC_ALL`,
`LC_MESSAGES`, `LANG`), else `DEFAULT`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .schema import Fields
from .yamlsource import ContentError, Where, load_yaml

DEFAULT = "en_US"
FOLDER = "locales"
_CODE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")
_SYSTEM = re.compile(r"^([a-z]{2})_([A-Z]{2})")


class LocaleError(ValueError):
    """A locale asked for that has no file: the message lists those that do."""


@dataclass(frozen=True)
class Locale:
    code: str  # "en_GB"
    name: str  # "English (United Kingdom)"
    emergency_number: str  # "999": said digit by digit, overridable by --emergency-number
    emergency_source: str  # where the number comes from
    terms: Mapping[str, str] = field(default_factory=dict)  # what content's {term}s become
    numbers_to_dial: tuple[str, ...] = ()  # other numbers in the terms ("111"), said as digits
    voice: str | None = None  # the natural voice to use when installed and none was chosen


def locales_dir(dialogs: Path) -> Path:
    return dialogs / FOLDER


def available(dialogs: Path) -> list[str]:
    return sorted(path.stem for path in locales_dir(dialogs).glob("*.yaml")
                  if _CODE.match(path.stem))


def _require(code: str, dialogs: Path) -> str:
    known = available(dialogs)
    if code not in known:
        raise LocaleError(f"no locale {code!r}; available: {', '.join(known)}")
    return code


def load_locale(dialogs: Path, code: str = DEFAULT) -> Locale:
    """The locale `code`, merged over the one it is based on; every term the default locale
    defines must be defined (content written for one country must read for every other)."""
    _require(code, dialogs)
    locale = _read(dialogs, code, seen=())
    if code != DEFAULT:
        reference = _read(dialogs, DEFAULT, seen=())
        missing = sorted(set(reference.terms) - set(locale.terms))
        if missing:
            path = locales_dir(dialogs) / f"{code}.yaml"
            raise ContentError(Where(str(path), 1), "terms",
                               f"{code} does not say {', '.join(missing)} (defined in {DEFAULT})")
    return locale


def _read(dialogs: Path, code: str, seen: tuple[str, ...]) -> Locale:
    path = locales_dir(dialogs) / f"{code}.yaml"
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    base: Locale | None = None
    if doc.has("based_on"):
        parent = doc.text("based_on")
        if parent in seen + (code,) or parent not in available(dialogs):
            raise doc.error("based_on", f"{parent!r} is not another locale in {locales_dir(dialogs)}")
        base = _read(dialogs, parent, seen + (code,))
    terms = dict(base.terms) if base else {}
    if doc.has("terms"):
        given = doc.mapping("terms")
        for key in given.keys():
            terms[key] = given.text(key)
    emergency = doc.mapping("emergency") if doc.has("emergency") else None
    number = emergency.text("number") if emergency else (base.emergency_number if base else "")
    source = emergency.text("source") if emergency else (base.emergency_source if base else "")
    if emergency:
        emergency.done()
    if not number:
        raise doc.error("emergency", "give the emergency number and its source")
    if not number.replace(" ", "").isdigit():
        raise doc.error("emergency.number", f"must be digits, not {number!r}")
    dialled = tuple(doc.text_list("numbers_to_dial")) if doc.has("numbers_to_dial") else (
        base.numbers_to_dial if base else ())
    for value in dialled:
        if not value.replace(" ", "").isdigit():
            raise doc.error("numbers_to_dial", f"must be digits, not {value!r}")
        if not any(value in text for text in terms.values()):
            raise doc.error("numbers_to_dial", f"{value!r} appears in no term")
    voice = doc.text("voice", None) if doc.has("voice") else (base.voice if base else None)
    for key, value in terms.items():
        if "{" in value or "}" in value:
            raise doc.error(f"terms.{key}", "a term cannot hold a placeholder")
    name = doc.text("name")
    doc.done()
    return Locale(code=code, name=name, emergency_number=number,
                  emergency_source=source, terms=terms, numbers_to_dial=dialled, voice=voice)


def system_locale(environ: Mapping[str, str]) -> str | None:
    """The locale the system asks for ("en_GB.UTF-8" → "en_GB"), as POSIX orders the
    variables; None when unset or not of that form ("C", "POSIX")."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            found = _SYSTEM.match(value)
            return f"{found.group(1)}_{found.group(2)}" if found else None
    return None


def choose(requested: str | None, dialogs: Path, environ: Mapping[str, str]) -> str:
    """`requested` (it must exist), else the system's when there is a file for it, else the
    default."""
    if requested:
        return _require(requested, dialogs)
    system = system_locale(environ)
    return system if system in available(dialogs) else DEFAULT


def for_language_tag(tag: str, dialogs: Path) -> str:
    """The locale for a BCP-47 tag as voice assistants give it ("en-GB", "en-us"), else the
    default: the assistant's language setting chooses the country, as LANG does at the desk."""
    language, _, country = tag.replace("_", "-").partition("-")
    code = f"{language.lower()}_{country.upper()}"
    return code if code in available(dialogs) else DEFAULT
