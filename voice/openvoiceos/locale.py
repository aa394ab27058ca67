"""The skill's intent files, written from dialogs/assistant.yaml (and the phrases of
intents.yaml it includes), so the phrases an assistant listens for are the ones our own
matcher knows.

    python -m voice.openvoiceos.locale          # rewrite voice/openvoiceos/locale/
    python -m voice.openvoiceos.locale --check  # exit 1 when they differ from the content

The files are committed (the assistant reads them from the installed package); a test runs
the check, so content and intent files cannot drift apart.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from ..conversation.content import load_content
from .phrases import AssistantPhrases, load_phrases

FOLDER = Path(__file__).resolve().parent / "locale"


def intent_files(phrases: AssistantPhrases) -> dict[str, str]:
    """File name -> text, one example sentence a line (OpenVoiceOS `.intent` files): only the
    starts. What is said while a conversation runs reaches it through the assistant's
    converse, which is per session; an intent would be global, every room's words."""
    return {f"{start.id}.intent": _lines(start.phrases) for start in phrases.starts}


def _lines(phrases: Iterable[str]) -> str:
    return "".join(f"{phrase}\n" for phrase in phrases)


def differences(folder: Path, files: dict[str, str]) -> list[str]:
    """What `folder` lacks, holds in excess, or holds otherwise than `files`."""
    present = {path.name for path in folder.glob("*.intent")} if folder.exists() else set()
    found = [f"missing {name}" for name in sorted(set(files) - present)]
    found += [f"not from the content: {name}" for name in sorted(present - set(files))]
    found += [f"differs: {name}" for name in sorted(present & set(files))
              if (folder / name).read_text(encoding="utf-8") != files[name]]
    return found


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.intent"):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voice.openvoiceos.locale",
                                     description="Write the skill's intent files from the content.")
    parser.add_argument("--check", action="store_true", help="only say whether they are up to date")
    args = parser.parse_args(argv)
    phrases = load_phrases(load_content())
    folder = FOLDER / phrases.language
    files = intent_files(phrases)
    if args.check:
        found = differences(folder, files)
        for line in found:
            print(f"{folder}: {line}", file=sys.stderr)
        return 1 if found else 0
    write(folder, files)
    print(f"Wrote {len(files)} intent files to {folder}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
