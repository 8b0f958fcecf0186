"""The analysis step of every report section, by report and section name.

A step takes a report's :class:`Results` (its inputs, design and threshold, and the frames of the
steps before it) and returns named DataFrames. Steps know no language and draw nothing, so their
frames are cached per country and data key and shared by every language
(:mod:`milresearch.analysis.cache`); :mod:`milresearch.reports` pairs each with its renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import pandas as pd

from milresearch.analysis import content, country, regional, telegram
from milresearch.analysis.change import change, regional_change
from milresearch.analysis.circulation import mix
from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.findings import key_findings, regional_key_findings
from milresearch.analysis.gaps import leader, tests
from milresearch.analysis.inputs import ReportInputs
from milresearch.analysis.observatory import tracker_status, who_works_here
from milresearch.analysis.quality import quality
from milresearch.clean.catalog import load_vocabulary

Frames = Mapping[str, pd.DataFrame]


class Results(Protocol):
    """What a step reads: a report's inputs, its design, and the other steps' frames."""

    inputs: ReportInputs
    min_n: int

    @property
    def design(self) -> SurveyDesign:
        """The national sample's design."""
        ...

    def analysis(self, name: str) -> Frames:
        """The frames of step ``name``."""
        ...


Step = Callable[[Results], dict[str, pd.DataFrame]]


def findings(r: Results) -> dict[str, pd.DataFrame]:
    """The key findings: the other sections' estimates and the differences tested between them."""
    mil_frames = r.analysis("mil")
    tested = tests(r.inputs, r.design, r.analysis("media"), mil_frames["index"])
    found = key_findings(
        tested,
        r.analysis("trust")["estimates"],
        mil_frames["estimates"],
        r.analysis("discernment")["summary"],
        r.analysis("content"),
        r.inputs.indicators,
        r.inputs.country,
        r.analysis("change")["changes"],
    )
    return {"findings": found, "tests": tested}


def method(r: Results) -> dict[str, pd.DataFrame]:
    """Sample, weights and design effects of the percentages the report shows."""
    if r.inputs.survey.empty:
        return {"summary": pd.DataFrame()}
    percentages = [r.analysis(n)["estimates"] for n in ("media", "trust", "mil")]
    shown = [p for p in percentages if len(p)]
    return country.method(r.inputs, r.design, pd.concat(shown) if shown else pd.DataFrame())


def with_leader(
    r: Results, frames: dict[str, pd.DataFrame], section: str
) -> dict[str, pd.DataFrame]:
    """A section's frames plus ``leader``: its top share tested against the next (chart title)."""
    est = frames.get("estimates", pd.DataFrame())
    if section == "trust" and len(est):
        est = est[country.is_trust_source(est["item"])]
    return {**frames, "leader": leader(r.inputs, r.design, est) if len(est) else pd.DataFrame()}


COUNTRY_STEPS: dict[str, Step] = {
    "findings": findings,
    "context": lambda r: {"indicators": r.inputs.indicators},
    "method": method,
    "change": lambda r: change(r.inputs, r.min_n),
    "media": lambda r: with_leader(r, dict(country.media(r.inputs, r.design)), "media"),
    "trust": lambda r: with_leader(r, dict(country.trust(r.inputs, r.design)), "trust"),
    "mil": lambda r: country.mil_skills(r.inputs, r.design),
    "discernment": lambda r: country.discernment(r.inputs, r.design),
    "factcheck": lambda r: with_leader(r, dict(country.factchecking(r.inputs, r.design)), "fc"),
    "stakeholders": lambda r: country.stakeholders(r.inputs, r.min_n),
    "custom": lambda r: country.custom(r.inputs, r.design),
    "content": lambda r: content.circulating(r.inputs.content, r.min_n),
    "telegram": lambda r: telegram.telegram(r.inputs.content, r.min_n),
    "catalog": lambda r: who_works_here(r.inputs.catalog, r.inputs.country, load_vocabulary()),
    "tracker": lambda r: tracker_status(dict(r.inputs.observatory), r.inputs.country),
    "quality": lambda r: quality(r.inputs),
}
"""The country report's analysis steps, in the order the report shows them."""


def regional_findings(r: Results) -> dict[str, pd.DataFrame]:
    """The regional key findings: each compared item's country gap, tested, and the content."""
    tested = regional.country_gaps(r.inputs, r.design, r.analysis("countries")["estimates"])
    content = r.inputs.content
    verdicts = mix(content, "verdict") if "verdict" in content else pd.DataFrame()
    found = regional_key_findings(tested, {"verdicts": verdicts})
    return {"findings": found, "tests": tested}


REGIONAL_STEPS: dict[str, Step] = {
    "findings": regional_findings,
    "countries": lambda r: {"estimates": regional.country_estimates(r.inputs, r.design)},
    "change": lambda r: regional_change(r.inputs, r.min_n),
    "harmonisation": lambda r: {"harmonisation": regional.harmonisation(r.inputs)},
    "claims": lambda r: {"claims": content.cross_border(r.inputs.content)},
    "telegram": lambda r: telegram.regional_telegram(r.inputs.content),
    "context": lambda r: {"indicators": r.inputs.indicators},
}
"""The regional report's analysis steps, in order."""
