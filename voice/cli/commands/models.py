"""`backcare models list | download NAME | path`: the recognition models and voices, and
the one command that uses the network."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...content.paths import user_models_dir
from ...modelfiles.store import (
    CatalogEntry,
    ModelError,
    download,
    find_model,
    find_whisper_model,
    installed_voices,
    is_model_dir,
    load_catalog,
    packaged_path,
)
from ..errors import FAILED, CommandError
from ..progress import progress_bar


def run(_content: object, args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.models_command == "list":
        return _list(catalog)
    if args.models_command == "path":
        problems = []
        for finder in (find_whisper_model, find_model):
            try:
                print(finder(args.model, catalog))
                return 0
            except ModelError as error:
                problems.append(" ".join(str(error).split()))
        raise CommandError(" ".join(problems), FAILED)
    entry = next((e for e in catalog if e.name == args.name), None)
    if entry is None:
        raise CommandError(f"no model called {args.name!r}; see 'backcare models list'")
    if not entry.url:
        print(f"{entry.name} comes with backcare (in the package {entry.package}); "
              "there is nothing to download.")
        return 0
    folder = Path(args.to) if args.to else user_models_dir()
    try:
        path = download(entry, folder, progress_bar("B", only_on_a_terminal=False, scale=True))
    except OSError as error:  # a read-only home, a full disk
        where = error.filename or folder
        raise CommandError(f"cannot write the model to {where} ({error.strerror or error}); "
                           "choose a folder you can write with --to DIR.", FAILED) from None
    print(path)
    return 0


KINDS = {"recogniser": "Recognisers (--engine; --model for a folder of your own)",
         "voice": "Voices (--voice)"}


def _list(catalog: list[CatalogEntry]) -> int:
    """What a user can choose, by kind, the default first; entries kept for tests are not shown."""
    voices = installed_voices(catalog)
    for kind, heading in KINDS.items():
        entries = sorted((e for e in catalog if e.kind == kind and not e.hidden),
                         key=lambda e: not e.default)
        print(f"{heading}:")
        for entry in entries:
            name = entry.voice if entry.kind == "voice" else entry.name
            facts = [entry.language, f"{entry.size_mb:g} MB", entry.licence, _installed(entry, voices)]
            if entry.default:
                facts.insert(0, "the default")
            print(f"  {name}: {', '.join(facts)}.")
            print(f"      {entry.good_for}")
    return 0


def _installed(entry: CatalogEntry, voices: dict[str, Path]) -> str:
    download_it = f"not installed: backcare models download {entry.name}"
    if packaged_path(entry) is not None and entry.engine != "whisper":
        return "installed with backcare"
    if entry.engine == "hibari":
        return "installed" if entry.voice in voices else download_it
    if entry.engine == "whisper":
        try:
            find_whisper_model(None, [entry])
        except ModelError:
            return download_it
        return "installed"
    return "installed" if is_model_dir(user_models_dir() / entry.name) else download_it
