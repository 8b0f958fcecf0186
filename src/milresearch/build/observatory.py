"""Writing the observatory pages (catalog, tracker, evidence map) after the reports.

The pages are rebuilt only when their inputs changed: the processed catalog, declarations and
indicators, and the code and templates that render them (the ``observatory`` stage). Each page
is written atomically, so a failed run leaves the last good page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from milresearch import storage
from milresearch.clean.manifest import CATALOG_FILE, INDICATORS_FILE, OBSERVATORY_FILE

INPUTS = (CATALOG_FILE, OBSERVATORY_FILE, INDICATORS_FILE)


def pages_key(processed_dir: Path) -> str:
    """A fingerprint of everything the pages show; empty when the processed data lacks them."""
    from milresearch.stages import stage_fingerprint

    paths = [Path(processed_dir) / name for name in INPUTS]
    if not all(p.exists() for p in paths):
        return ""
    digest = hashlib.sha256(stage_fingerprint("observatory").encode())
    for path in paths:
        digest.update(storage.sha256_file(path).encode())
    return digest.hexdigest()


def write_pages(
    processed_dir: Path, reports_dir: Path, state: dict, force: bool = False
) -> list[str]:
    """Write the pages that are out of date; returns the file names written.

    Args:
        processed_dir: The processed data (``milresearch clean``).
        reports_dir: The reports folder; pages go to ``html/``.
        state: The observatory's entry of the build state, updated in place (``key``, ``pages``).
        force: Write them even when nothing changed.
    """
    key = pages_key(processed_dir)
    if not key:
        return []
    html = Path(reports_dir) / "html"
    fresh = state.get("key") == key and all((html / p).exists() for p in state.get("pages", []))
    if fresh and not force:
        return []
    from milresearch.reports.observatory import render_pages

    pages = render_pages(processed_dir)
    for name, page in pages.items():
        storage.write_text(html / name, str(page) + "\n")
    state.update(key=key, pages=sorted(pages))
    return sorted(pages)
