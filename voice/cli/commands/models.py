"""`backcare models list | download NAME | path`: the recognition models and voices, and
the one command that uses the network."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...models import (
    ModelError,
    download,
    find_model,
    find_whisper_model,
    installed_voices,
    is_model_dir,
    load_catalog,
    user_models_dir,
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
    folder = Path(args.to) if args.to else user_models_dir()
    try:
        path = download(entry, folder, progress_bar("B", only_on_a_terminal=False, scale=True))
    except OSError as error:  # a read-only home, a full disk
        where = error.filename or folder
        raise CommandError(f"cannot write the model to {where} ({error.strerror or error}); "
                           "choose a folder you can write with --to DIR.", FAILED) from None
    print(path)
    return 0


def _list(catalog) -> int:
    voices = installed_voices(catalog)
    for entry in catalog:
        if entry.engine == "hibari":
            mark = f"installed at {voices[entry.voice]}" if entry.voice in voices else "not installed"
        elif entry.engine == "whisper":
            try:
                mark = f"installed at {find_whisper_model(None, catalog)}"
            except ModelError:
                mark = "not installed"
        else:
            mark = "installed" if is_model_dir(user_models_dir() / entry.name) else "not installed"
        print(f"{entry.name}  ({entry.language}, {entry.size_mb:g} MB, {entry.licence}, {mark})")
        print(f"    {entry.good_for}")
    return 0
