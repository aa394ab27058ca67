"""Test speech made on the spot with flite and espeak-ng, cached on disk between runs.

pocketsphinx recognises flite's voices well and espeak-ng's robotic speech
poorly (see the research notes), so flite carries the pass/fail tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import numpy as np

from voice.audio.sources import read_audio

FLITE_VOICES = ("slt", "kal16", "awb", "rms")
CACHE = Path(os.environ.get("BACKCARE_TEST_CACHE", Path.home() / ".cache" / "backcare-tests"))


# The recordings of real people, beside the project (read from there, never copied in).
REAL_MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "speech" / "real" / "manifest.tsv"


def trimmed(samples: np.ndarray) -> np.ndarray:
    """Without the silence a synthesiser puts around its words, so a pause put between two
    phrases is the one asked for."""
    loud = np.flatnonzero(np.abs(samples.astype(int)) > 300)
    return samples[loud[0]:loud[-1] + 1] if len(loud) else samples


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def synthesise(text: str, voice: str = "slt", stretch: float = 1.0, engine: str = "flite") -> np.ndarray:
    """16 kHz mono int16 speech for `text`, made once and kept in the cache."""
    key = hashlib.sha1(f"{engine}|{voice}|{stretch}|{text}".encode()).hexdigest()[:16]
    path = CACHE / f"{engine}-{voice}-{key}.wav"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        # Unique per process: two test runs at once on one machine must not share a file.
        partial = path.with_name(f"{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part.wav")
        if engine == "flite":
            command = ["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}",
                       "-t", text, "-o", str(partial)]
        else:
            command = ["espeak-ng", "-v", voice, "-s", str(int(175 / stretch)), "-w", str(partial), text]
        subprocess.run(command, check=True, capture_output=True)
        partial.replace(path)
    return read_audio(path)
