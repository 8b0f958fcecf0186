"""A report's HTML: the executed notebook rendered by nbconvert, with its table of contents.

Code cells and cells tagged ``explore`` are left out; the contents list is made from the
section headings the report's cells rendered.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path

from milresearch.reports import HERE as REPORT_RESOURCES
from milresearch.reports.render import render_template

EXPLORE_TAG = "explore"
"""Tag of notebook cells that serve exploration in JupyterLab and are left out of the HTML."""


class _Sections(HTMLParser):
    """Collects the section headings (``h2.mr-section``) and where the contents list goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, str]] = []
        self.toc_at: tuple[int, int] | None = None
        self._heading: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "nav" and "mr-toc" in classes and self.toc_at is None:
            line, col = self.getpos()
            self.toc_at = (line, col + len(self.get_starttag_text() or ""))
        elif tag == "h2" and "mr-section" in classes:
            self._heading, self._text = found.get("id") or "", []

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self.sections.append((self._heading, "".join(self._text).strip()))
            self._heading = None


def add_contents(html: str, title: str) -> str:
    """Fill the report's contents placeholder (``nav.mr-toc``) from its section headings."""
    parser = _Sections()
    parser.feed(html)
    parser.close()
    if parser.toc_at is None:
        return html
    nav = render_template("contents.html.j2", title=title, sections=parser.sections)
    line, col = parser.toc_at
    lines = html.splitlines(keepends=True)
    offset = sum(len(text) for text in lines[: line - 1]) + col
    return html[:offset] + nav + html[offset:]


def page_title(name: str, lang: str) -> str:
    """The browser and PDF title of report ``name`` (ISO3 or ``regional``) in ``lang``."""
    from milresearch.ingest.countries import load_countries
    from milresearch.reports.i18n import t

    countries = load_countries()
    if name in countries:
        return t("report.title", lang, country=countries[name].name(lang))
    return t("report.regional_title", lang) if name == "regional" else name


def render_html(notebook_path: Path, lang: str = "en", title: str | None = None) -> str:
    """Render an executed notebook to self-contained HTML with no code cells.

    Args:
        notebook_path: The executed notebook.
        lang: The page's ``lang`` attribute.
        title: The page title (the notebook's file name when not given).
    """
    import nbformat

    from milresearch.reports.i18n import t

    nb = nbformat.read(notebook_path, as_version=4)
    if title:
        nb.metadata["title"] = title
    resources = {
        "milreport_css": (REPORT_RESOURCES / "report.css").read_text(encoding="utf-8"),
    }
    exporter = _html_exporter()
    # The exporter, not the resources, decides <html lang>: nbconvert overwrites the key.
    exporter.language_code = lang
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return add_contents(body, t("report.toc", lang))


@functools.cache
def _html_exporter():
    """One exporter per process: a new one compiles its templates again (0.12 s a report).

    Cells tagged ``explore`` (section headings and frames for JupyterLab) are dropped, so the
    HTML holds only what the report's own cells render.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="milreport",
        extra_template_basedirs=[str(REPORT_RESOURCES / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={EXPLORE_TAG}, enabled=True), enabled=True
    )
    return exporter
