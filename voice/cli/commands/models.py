"""`backcare models list | download NAME | path`: the recognition models and voices, and
the one command that uses the network."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ...content.locales import choose as choose_locale
from ...content.paths import dialogs_dir, user_models_dir
from ...modelfiles.catalog import CatalogEntry, Engine, Kind, ModelError, load_catalog
from ...modelfiles.download import download
from ...modelfiles.find import find_model, installed_voices, is_vosk_dir, packaged_path
from ..errors import FAILED, CommandError
from ..progress import progress_bar


def run(args: argparse.Namespace) -> int:
    """Needs no dialog content: models are listed and fetched even when a content file is
    broken (`backcare models path` reads only which locale, hence language, it is in)."""
    catalog = load_catalog()
    if args.models_command == "list":
        return _list(catalog)
    if args.models_command == "path":
        language = choose_locale(args.locale, dialogs_dir(), os.environ)
        problems = []
        for engine in (Engine.WHISPER, Engine.VOSK):
            try:
                print(find_model(engine, args.model, language=language, catalog=catalog))
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


KINDS = {Kind.RECOGNISER: "Recognisers (--engine; --model for a folder of your own)",
         Kind.VOICE: "Voices (--voice)"}


def _list(catalog: list[CatalogEntry]) -> int:
    """What a user can choose, by kind, the default first; entries kept for tests are not shown."""
    voices = installed_voices(catalog)
    for kind, heading in KINDS.items():
        entries = sorted((e for e in catalog if e.kind == kind and not e.hidden),
                         key=lambda e: not e.default)
        print(f"{heading}:")
        for entry in entries:
            name = entry.voice if entry.kind == Kind.VOICE else entry.name
            facts = [entry.language, f"{entry.size_mb:g} MB", entry.licence, _installed(entry, voices)]
            if entry.default:
                facts.insert(0, "the default")
            print(f"  {name}: {', '.join(facts)}.")
            print(f"      {entry.good_for}")
    return 0


def _installed(entry: CatalogEntry, voices: dict[str, Path]) -> str:
    download_it = f"not installed: backcare models download {entry.name}"
    if packaged_path(entry) is not None and entry.engine != Engine.WHISPER:
        return "installed with backcare"
    if entry.engine == Engine.HIBARI:
        return "installed" if entry.voice in voices else download_it
    if entry.engine == Engine.WHISPER:
        try:
            find_model(Engine.WHISPER, language=entry.language, catalog=[entry])
        except ModelError:
            return download_it
        return "installed"
    return "installed" if is_vosk_dir(user_models_dir() / entry.name) else download_it
