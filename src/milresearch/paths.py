"""Where things live. Every path is derived from the project root, which the environment may move."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    # An installed package may sit far from the checkout, so MILRESEARCH_ROOT wins, then the cwd.
    env = os.environ.get("MILRESEARCH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "data").is_dir():
            return candidate
    return Path(__file__).resolve().parents[2]


ROOT = _find_root()
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
CONFIG_DIR = ROOT / "config"
