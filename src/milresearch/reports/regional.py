"""The regional report: key findings, countries side by side, harmonisation, cross-border claims.

Built like the country report (:mod:`milresearch.reports.country`) from every country's rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from milresearch.analysis import regional as analysis
from milresearch.analysis.inputs import ALL
from milresearch.analysis.steps import REGIONAL_STEPS as STEPS
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.reports import change, channels, charts, content, overview, page, render
from milresearch.reports.document import Frames, Report, SectionSpec, open_document
from milresearch.reports.labels import country_label, interval_text, item_label
from milresearch.reports.render import HTML
from milresearch.reports.survey import survey_source


def countries_side_by_side(report: Report, frames: Frames) -> HTML:
    """A forest plot per key item with 95% CIs, and the table behind it."""
    est = frames["estimates"]
    if est.empty:
        key = "regional.no_survey" if report.inputs.survey.empty else "regional.nothing_compared"
        return render.paragraph(report.t(key))
    t, lang = report.t, report.lang
    est = est.assign(label=[item_label(i, lang, report.inputs) for i in est["item"]])
    parts = []
    for _item, block in est.groupby("item", sort=False):
        block = block.reset_index(drop=True)
        title = str(block["label"].iloc[0])
        names = [country_label(c, lang) for c in block["country"]]
        # Only the countries shown count: a total with a suppressed country in it would give
        # its base away (total minus the bases shown).
        countries = block[(block["country"] != analysis.POOLED) & ~block["suppressed"]]
        text = t(
            "regional.forest_caption",
            item=title,
            n=report.numbers.integer(countries["n_base"].sum()),
            k=len(countries),
            source=survey_source(report),
        )
        text += " " + t("note.ci") + " " + t("note.suppression", min_n=report.min_n)
        fig = charts.forest(block, names, title=title, pooled=analysis.POOLED)
        surveys = t("figure.surveys", k=len(report.inputs.survey_datasets))
        parts.append(
            report.figure(
                fig, alt=t("regional.forest_alt", item=title), caption=text, source=surveys
            )
        )
    shown = pd.DataFrame(
        {
            t("table.item"): est["label"],
            t("table.country"): [country_label(c, lang) for c in est["country"]],
            t("table.percent"): est["proportion"] * 100,
            t("table.ci"): [
                interval_text(lo, hi, lang)
                for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)
            ],
            t("table.base"): _bases(est),
        }
    )
    parts.append(
        report.table(
            shown,
            caption=survey_source(report),
            csv_name="regional_estimates.csv",
            formats={t("table.percent"): 1},
            suppressed=est["suppressed"],
            folded=True,
        )
    )
    return render.join(parts)


def _difference(report: Report, row: pd.Series) -> str:
    if row["kind"] == "not_asked":
        return report.t("harm.not_asked")
    if row["kind"] == "no_survey":
        return report.t("harm.no_survey")
    if row["kind"] == "scale":
        return report.t("harm.scale", scale=row["scale"], usual=row["usual"])
    note = row["note"]
    return note.get(report.lang) or note.get("en", "")


def harmonisation_notes(report: Report, frames: Frames) -> HTML:
    """The harmonisation table, or a sentence saying every item was asked alike."""
    table = frames["harmonisation"]
    if table.empty:
        return render.paragraph(report.t("harm.none"))
    lang = report.lang
    shown = pd.DataFrame(
        {
            report.t("table.country"): [country_label(c, lang) for c in table["country"]],
            report.t("table.item"): [
                "" if pd.isna(i) else item_label(i, lang, report.inputs) for i in table["item"]
            ],
            report.t("table.difference"): [_difference(report, r) for _, r in table.iterrows()],
        }
    )
    return report.table(shown, caption=report.t("harm.caption"), csv_name="harmonisation.csv")


def cross_border_claims(report: Report, frames: Frames) -> HTML:
    """Near-duplicate claim clusters that appear in more than one country."""
    spread = frames["claims"]
    if report.inputs.content.empty or "cluster_id" not in report.inputs.content:
        return render.paragraph(report.t("regional.no_content"))
    caption = report.t("regional.claims_caption", min_n=report.min_n)
    return content.claims(report, spread, "cross_border_claims.csv", caption)


def indicator_context(report: Report, frames: Frames) -> HTML:
    """RSF score and rank of all six countries since 2013 on one chart, with the 2022 break."""
    return overview.rsf_figure(
        report,
        list(COUNTRY_CODES),
        2013,
        report.t("regional.rsf_alt"),
        report.t("regional.rsf_caption"),
        overview.rsf_source(report.inputs.indicators),
    )


SECTIONS: dict[str, SectionSpec] = {
    "findings": SectionSpec(STEPS["findings"], overview.findings),
    "countries": SectionSpec(STEPS["countries"], countries_side_by_side),
    "change": SectionSpec(STEPS["change"], change.regional_change, heading=False),
    "harmonisation": SectionSpec(STEPS["harmonisation"], harmonisation_notes),
    "claims": SectionSpec(STEPS["claims"], cross_border_claims),
    "telegram": SectionSpec(STEPS["telegram"], channels.regional_telegram, level=3),
    "context": SectionSpec(STEPS["context"], indicator_context, title="section.regional_context"),
}
"""The regional report's sections, in order."""


def open_report(
    processed_dir: str | Path, lang: str = "en", min_n: int = 30, cache: bool = True
) -> Report:
    """The regional report: every country's rows, in ``lang`` (``cache``: as for a country)."""
    return open_document(processed_dir, ALL, lang, min_n, SECTIONS, page.regional_header, cache)


def _bases(est: pd.DataFrame) -> list[str]:
    """Unweighted bases; the pooled one is withheld where a country of its item is suppressed.

    The pooled base minus the bases shown would otherwise be the suppressed country's.
    """
    pooled = est["country"] == analysis.POOLED
    hiding = set(est.loc[est["suppressed"] & ~pooled, "item"])
    return [
        "–" if is_pooled and item in hiding else f"{int(n)}"
        for n, item, is_pooled in zip(est["n_base"], est["item"], pooled, strict=True)
    ]
