"""The country report: its sections in order, each an analysis step and a renderer.

A notebook opens the report once and then shows one section per cell::

    report = country.open_report("../data/processed", "KAZ", "en", min_n=30)
    report.section("media")                  # the rendered section
    report.section("media").frames           # the estimates behind it
    report.analysis("media")["estimates"]    # the same frames, without rendering

Every percentage comes from the national probability sample after quality exclusions, with the
design's strata and PSUs; every estimate with too small a base is suppressed before it reaches
a chart, a table or a sentence. To add a section, write its analysis step (frames) and its
renderer (HTML), and register both in :data:`SECTIONS`.
"""

from __future__ import annotations

from pathlib import Path

from milresearch.analysis import steps
from milresearch.analysis.steps import COUNTRY_STEPS as STEPS
from milresearch.reports import (
    change,
    channels,
    content,
    initiatives,
    mil,
    overview,
    page,
    quality,
    survey,
)
from milresearch.reports.document import Report, SectionSpec, open_document

SECTIONS: dict[str, SectionSpec] = {
    "findings": SectionSpec(steps.findings, overview.findings),
    "context": SectionSpec(STEPS["context"], overview.context),
    "method": SectionSpec(steps.method, overview.method),
    # Its heading names the earlier wave, so the renderer writes it (one line for one wave).
    "change": SectionSpec(STEPS["change"], change.change, heading=False, survey=True),
    "media": SectionSpec(STEPS["media"], survey.media, survey=True),
    "trust": SectionSpec(STEPS["trust"], survey.trust, survey=True),
    "mil": SectionSpec(STEPS["mil"], mil.mil_skills, survey=True),
    "discernment": SectionSpec(STEPS["discernment"], mil.discernment, survey=True),
    "factcheck": SectionSpec(STEPS["factcheck"], mil.factchecking, survey=True),
    "stakeholders": SectionSpec(STEPS["stakeholders"], mil.stakeholders, survey=True),
    "custom": SectionSpec(STEPS["custom"], survey.custom, survey=True),
    "content": SectionSpec(STEPS["content"], content.circulating),
    # Part of "What circulates", with a heading of its own; left out without channel posts.
    "telegram": SectionSpec(STEPS["telegram"], channels.telegram, level=3),
    "catalog": SectionSpec(STEPS["catalog"], initiatives.who_works_here),
    "tracker": SectionSpec(STEPS["tracker"], initiatives.tracker),
    "quality": SectionSpec(STEPS["quality"], quality.render_appendix),
}
"""The country report's sections, in the order the notebook shows them."""


def open_report(
    processed_dir: str | Path, country: str, lang: str = "en", min_n: int = 30, cache: bool = True
) -> Report:
    """The report of one country: its own rows of the processed tables, in ``lang``.

    With ``cache``, analysis frames are kept in the processed folder and shared by every
    language (:mod:`milresearch.analysis.cache`).
    """
    return open_document(processed_dir, country, lang, min_n, SECTIONS, page.country_header, cache)
