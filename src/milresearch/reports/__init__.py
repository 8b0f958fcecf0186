"""Report sections: per-country inputs, charts, tables, message catalogue, templates."""

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
"""The report stylesheet, templates and message catalogue live here."""


@dataclass(frozen=True)
class Page:
    """One observatory page: its file name below ``reports/html`` and its title."""

    name: str
    file: str
    title: str
    """Message key of its title (and of its link)."""


PAGES = (
    Page("catalog", "catalog.html", "obs.nav.catalog"),
    Page("tracker", "tracker.html", "obs.nav.tracker"),
    Page("evidence", "evidence.html", "obs.nav.evidence"),
)
"""The observatory pages (:mod:`milresearch.reports.observatory`), here so that the index links
them without importing what renders them (pandas: a third of a no-op build's time)."""
