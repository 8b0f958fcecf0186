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

import pandas as pd

from milresearch.analysis import content as content_analysis
from milresearch.analysis import country as analysis
from milresearch.analysis.findings import key_findings
from milresearch.analysis.inputs import load_inputs
from milresearch.reports import content, overview, page, quality, survey
from milresearch.reports.document import Report, SectionSpec


def _findings(report: Report) -> dict[str, pd.DataFrame]:
    disc = report.analysis("discernment")
    return {
        "findings": key_findings(
            report.analysis("media")["estimates"],
            report.analysis("trust")["estimates"],
            report.analysis("mil")["estimates"],
            disc["summary"],
            report.analysis("factcheck")["by_training"],
            disc["self_vs_measured"],
            report.inputs.indicators,
            report.country,
        )
    }


def _method(report: Report) -> dict[str, pd.DataFrame]:
    percentages = [report.analysis(n)["estimates"] for n in ("media", "trust", "mil")]
    found = pd.concat([p for p in percentages if len(p)]) if any(map(len, percentages)) else None
    return analysis.method(
        report.inputs, report.design, found if found is not None else pd.DataFrame()
    )


SECTIONS: dict[str, SectionSpec] = {
    "findings": SectionSpec(_findings, overview.findings),
    "context": SectionSpec(lambda r: {"indicators": r.inputs.indicators}, overview.context),
    "method": SectionSpec(_method, overview.method),
    "media": SectionSpec(lambda r: analysis.media(r.inputs, r.design), survey.media),
    "trust": SectionSpec(lambda r: analysis.trust(r.inputs, r.design), survey.trust),
    "mil": SectionSpec(lambda r: analysis.mil_skills(r.inputs, r.design), survey.mil_skills),
    "discernment": SectionSpec(
        lambda r: analysis.discernment(r.inputs, r.design), survey.discernment
    ),
    "factcheck": SectionSpec(
        lambda r: analysis.factchecking(r.inputs, r.design), survey.factchecking
    ),
    "stakeholders": SectionSpec(
        lambda r: analysis.stakeholders(r.inputs, r.min_n), survey.stakeholders
    ),
    "content": SectionSpec(
        lambda r: content_analysis.circulating(r.inputs.content, r.min_n), content.circulating
    ),
    "quality": SectionSpec(quality.analyse, quality.render_appendix),
}
"""The country report's sections, in the order the notebook shows them."""


def open_report(
    processed_dir: str | Path, country: str, lang: str = "en", min_n: int = 30
) -> Report:
    """The report of one country: its own rows of the processed tables, in ``lang``."""
    return Report(load_inputs(processed_dir, country), lang, min_n, SECTIONS, page.country_header)
