"""Print built HTML reports to PDF with Debian's Chromium, driven by Playwright.

Playwright cannot download its own browser on these machines, so it is pointed at the system
Chromium (``make chromium`` installs it).
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator
from pathlib import Path

from milresearch import storage
from milresearch.build.tasks import ReportTask, TaskStatus, describe_error
from milresearch.errors import DataError
from milresearch.reports.i18n import languages, t

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries hosts this machine cannot reach.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser(executable: Path = CHROMIUM) -> None:
    """Check that Playwright and Chromium are installed.

    Raises:
        DataError: Naming what is missing and how to install it.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise DataError(
            "printing PDFs needs Playwright, which is not installed",
            hint="install it: pip install playwright (or make env)",
        ) from None
    if not Path(executable).exists():
        raise DataError(
            "printing PDFs needs Chromium, which is not installed",
            path=executable,
            hint="run `make chromium` (installs Debian's chromium)",
        )


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


MARGIN = {"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
RUNNING = "font-family: sans-serif; font-size: 7pt; width: 100%; margin: 0 14mm;"


def running_header(page) -> str:
    """The header on every page: the report's title, and the synthetic warning if it has one.

    Chromium prints the header outside the page's own HTML, so it is a separate template with
    inline styles; the title and the warning are escaped.
    """
    title = page.title()
    lang = page.evaluate("document.documentElement.lang") or "en"
    synthetic = page.locator(".mr-banner").count() > 0
    text = html.escape(title)
    if synthetic:
        warning = html.escape(t("synthetic.short", lang if lang in languages() else "en"))
        text += f' · <b style="color: #8a5a00">{warning}</b>'
    return f'<div style="{RUNNING} color: #555;">{text}</div>'


def running_footer() -> str:
    """Page numbers, "3 / 12", centred at the foot of every page."""
    return (
        f'<div style="{RUNNING} text-align: center; color: #555;">'
        '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
    )


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
        # Paper cannot unfold: the tables behind the charts are printed open.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        header, footer = running_header(page), running_footer()
        # atomic_path writes a temporary file beside pdf_path, then os.replace()s it.
        with storage.atomic_path(pdf_path) as tmp:
            page.pdf(
                path=str(tmp),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=header,
                footer_template=footer,
                margin=MARGIN,
            )
    finally:
        page.close()
    return Path(pdf_path)


def print_reports(tasks: list[ReportTask], results: dict, reports_dir: Path) -> None:
    """Print built reports, and up-to-date ones whose PDF is missing or older than the HTML.

    A page that fails to print marks its task failed and does not stop the others.
    """
    wanted = [
        t for t in tasks if results[t.slug].status != TaskStatus.FAILED and _stale(t, reports_dir)
    ]
    if not wanted:
        return
    with chromium() as browser:
        for task in wanted:
            try:
                write_pdf(task.html_path(reports_dir), task.pdf_path(reports_dir), browser)
            except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others
                res = results[task.slug]
                res.status, res.error = TaskStatus.FAILED, f"PDF: {describe_error(exc)}"


def _stale(task: ReportTask, reports_dir: Path) -> bool:
    html, out = task.html_path(reports_dir), task.pdf_path(reports_dir)
    return not out.exists() or out.stat().st_mtime_ns < html.stat().st_mtime_ns
