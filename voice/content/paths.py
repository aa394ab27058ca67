"""Every folder the assistant reads from or writes to, and the environment variables that move
them, in one place.

A test, a clinician's edited copy or a packager moves a folder with one variable; each
variable is read here and nowhere else, at the moment a path is asked for (so a test's
`monkeypatch.setenv` takes effect without reloading anything):

- `BACKCARE_DIALOGS`: the content folder (else the checkout's `dialogs/`, else the installed
  `voice.dialogs`);
- `BACKCARE_DATA_DIR`: the journal and downloaded models (else the platform's user data
  folder);
- `BACKCARE_CONFIG_DIR`: the preferences file (else the user config folder);
- `BACKCARE_CACHE_DIR`: rendered speech (else the user cache folder).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP = "backcare"
CHECKOUT = Path(__file__).resolve().parents[2]  # the source tree, when running from one

ENV_DIALOGS = "BACKCARE_DIALOGS"
ENV_DATA = "BACKCARE_DATA_DIR"
ENV_CONFIG = "BACKCARE_CONFIG_DIR"
ENV_CACHE = "BACKCARE_CACHE_DIR"


def dialogs_dir() -> Path:
    """The content folder: a clinician's copy named by $BACKCARE_DIALOGS, else the checkout's,
    else the installed package's."""
    override = os.environ.get(ENV_DIALOGS)
    if override:
        return Path(override)
    checkout = CHECKOUT / "dialogs"
    if (checkout / "triage.yaml").is_file():
        return checkout
    return Path(str(resources.files("voice.dialogs")))


def catalog_file(name: str) -> Path:
    """A file of models/ (the catalog, fitted thresholds): the checkout's copy when running from
    one, so a refit is used at once, else the installed package's."""
    checkout = CHECKOUT / "models" / name
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("voice.catalog").joinpath(name)))


def data_dir(override: str | Path | None = None) -> Path:
    """`--data-dir`, else $BACKCARE_DATA_DIR, else the user's data folder."""
    if override:
        return Path(override)
    from_env = os.environ.get(ENV_DATA)
    if from_env:
        return Path(from_env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def user_models_dir() -> Path:
    """Where downloaded models go: the data folder's `models/`."""
    return data_dir() / "models"


def preferences_path() -> Path:
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override) / "preferences.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False)) / "preferences.json"


def speech_cache_dir() -> Path:
    override = os.environ.get(ENV_CACHE)
    if override:
        return Path(override) / "speech"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False)) / "speech"
