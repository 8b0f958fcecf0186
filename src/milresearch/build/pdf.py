"""Print built HTML reports to PDF with Debian's Chromium, driven by Playwright.

Playwright cannot download its own browser on these machines, so it is pointed at the system
Chromium (``make chromium`` installs it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from milresearch import storage
from milresearch.errors import DataError

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries hosts this machine cannot reach.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def require_browser(executable: Path = CHROMIUM) -> None:
    """Check that Playwright and Chromium are installed.

    Raises:
        DataError: Naming what is missing and how to install it.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise DataError("printing PDFs needs Playwright, which is not installed",
                        hint="install it: pip install playwright (or make env)") from None  # fmt: skip
    if not Path(executable).exists():
        raise DataError("printing PDFs needs Chromium, which is not installed", path=executable,
                        hint="run `make chromium` (installs Debian's chromium)")  # fmt: skip


@contextlib.contextmanager
def chromium(executable: Path = CHROMIUM) -> Iterator:
    """A headless Chromium browser (Playwright's ``Browser``), closed on exit."""
    require_browser(executable)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def write_pdf(html_path: str | Path, pdf_path: str | Path, browser=None) -> Path:
    """Print one HTML file to an A4 PDF, atomically: a failed print keeps the previous PDF.

    Args:
        html_path: The report to print.
        pdf_path: Where the PDF goes.
        browser: An open browser from :func:`chromium`; one is started when not given.
    """
    if browser is None:
        with chromium() as own:
            return write_pdf(html_path, pdf_path, own)
    page = browser.new_page()
    try:
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
        # atomic_path writes a temporary file beside pdf_path, then os.replace()s it.
        with storage.atomic_path(pdf_path) as tmp:
            page.pdf(path=str(tmp), format="A4", print_background=True)
    finally:
        page.close()
    return Path(pdf_path)
