"""`backcare models download NAME`: the only code in backcare that touches the network.

Only the command line imports this module (tests/test_floor_plan.py holds it to that),
so no session, recogniser or voice can reach the network by accident.  A download is
resumable (an HTTP Range request continues a `.part` file), shows a progress bar, and is
atomic: it is fetched or unpacked beside the target, checked, and only then renamed into
place, so a half-finished model never exists where `find` looks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..content.paths import user_models_dir
from .catalog import CatalogEntry, Engine, ModelError
from .find import VOICE_FILE, WHISPER_FILES, file_sha256, is_vosk_dir, model_problem

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
    if entry.engine == Engine.WHISPER:
        return _download_whisper(entry, final, progress, timeout)
    if entry.engine == Engine.HIBARI:
        return _download_voice(entry, final, progress, timeout)
    if is_vosk_dir(final):
        return final
    part = target_dir / f"{entry.name}.zip.part"
    _fetch_resumable(entry.url, part, progress, timeout, offline_advice(entry, target_dir))
    if entry.sha256:
        digest = file_sha256(part)
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
    if model_problem(final, Engine.WHISPER, [entry]) is None:
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
    digest = file_sha256(staging / "model.bin")
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
    if model_problem(final, Engine.HIBARI, [entry]) is None:
        return final
    part = final.parent / f".{entry.name}.onnx.part"
    _fetch_resumable(entry.url or "", part, progress, timeout, offline_advice(entry, final.parent))
    digest = file_sha256(part)
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
    if entry.engine == Engine.HIBARI:
        return (f"Download {entry.url} on another machine and save it as {final / VOICE_FILE}; "
                f"then --voice {entry.voice} speaks with it.")
    if entry.engine == Engine.WHISPER:
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
        inner = list(staging.iterdir())
        root = inner[0] if len(inner) == 1 and inner[0].is_dir() else staging
        if not is_vosk_dir(root):
            raise ModelError(f"{archive.name} does not contain a vosk model (no am/ and conf/)")
        os.replace(root, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
