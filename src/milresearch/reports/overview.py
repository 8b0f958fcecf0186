"""Renderers of a report's opening sections: key findings, country context, sample and method."""

from __future__ import annotations

import numpy as np
import pandas as pd

from milresearch.indicators import context_table
from milresearch.reports import charts, render
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import country_label, interval_text, localised, mode_label
from milresearch.reports.render import HTML
from milresearch.reports.survey import survey_source


def _pct(report: Report, x: float) -> str:
    return report.numbers.points(x)


def _ci(report: Report, row: pd.Series, scale: float = 100.0, digits: int = 1) -> str:
    if not (np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"])):
        return report.t("ci.none")
    unit = report.numbers.percent_sign if scale == 100.0 else ""
    return report.t(
        "ci.text",
        range=interval_text(row["ci_low"], row["ci_high"], report.lang, scale, digits) + unit,
    )


def _points(report: Report, x: float, scale: float = 100.0, digits: int = 1) -> str:
    return report.numbers.decimal(abs(x) * scale, digits)


def _diff_ci(report: Report, row: pd.Series, scale: float = 100.0, digits: int = 1) -> str:
    """The interval of a stated difference, signed as the sentence states it (larger first)."""
    lo, hi = row["diff_low"], row["diff_high"]
    if row["difference"] < 0:
        lo, hi = -hi, -lo
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return report.t("ci.none")
    return report.t("ci.text", range=interval_text(lo, hi, report.lang, scale, digits))


def _media(report: Report, row: pd.Series) -> dict:
    from milresearch.reports.labels import item_label

    return {
        "channel": item_label(str(row["first"]), report.lang, report.inputs),
        "second": item_label(str(row["second"]), report.lang, report.inputs),
        "pct": _pct(report, row["estimate"]),
        "second_pct": _pct(report, row["other"]),
        "diff": _points(report, row["difference"]),
        "diff_ci": _diff_ci(report, row),
    }


def _level(report: Report, row: pd.Series) -> dict:
    return {"pct": _pct(report, row["estimate"]), "ci": _ci(report, row)}


def _gap(report: Report, row: pd.Series, scale: float = 100.0, digits: int = 1) -> dict:
    from milresearch.reports.labels import group_label, item_label

    grouping = str(row["grouping"])
    return {
        "item": item_label(str(row["item"]), report.lang, report.inputs),
        "high": report.numbers.decimal(row["estimate"] * scale, digits),
        "low": report.numbers.decimal(row["other"] * scale, digits),
        "high_group": group_label(
            grouping, row["first"], report.lang, report.inputs, in_text=True
        ),
        "low_group": group_label(
            grouping, row["second"], report.lang, report.inputs, in_text=True
        ),
        "diff": _points(report, row["difference"], scale, digits),
        "ci": _diff_ci(report, row, scale, digits),
    }


def _two_means(report: Report, row: pd.Series, names: tuple[str, str]) -> dict:
    return {
        names[0]: report.numbers.decimal(row["estimate"], 2),
        names[1]: report.numbers.decimal(row["other"], 2),
        "diff": _points(report, row["difference"], 1.0, 2),
        "ci": _diff_ci(report, row, 1.0, 2),
    }


def _change(report: Report, row: pd.Series) -> dict:
    from milresearch.reports.change import change_label
    from milresearch.reports.labels import item_label

    item = str(row["item"])
    concept = str((report.inputs.item(item) or {}).get("concept") or "")
    label = change_label(report, item, concept) if concept else item_label(item, report.lang)
    return {
        "item": label,
        "earlier": row["second"],
        "latest": row["first"],
        "earlier_pct": _pct(report, row["other"]),
        "latest_pct": _pct(report, row["estimate"]),
        "diff": _points(report, row["difference"]),
        "ci": _diff_ci(report, row),
    }


def _context(report: Report, row: pd.Series) -> dict:
    rank = "" if pd.isna(row["rank"]) else int(row["rank"])
    score = report.numbers.decimal(row["estimate"], 1)
    return {"year": int(row["year"]), "score": score, "rank": rank}


FINDING_VALUES = {
    "findings.media": _media,
    "findings.trust": _level,
    "findings.mil": _level,
    "findings.disc": lambda report, row: {
        "disc": report.numbers.decimal(row["estimate"], 2),
        "ci": _ci(report, row, 1.0, 2),
    },
    "findings.gap": _gap,
    "findings.gap_mean": lambda report, row: _gap(report, row, 1.0, 2),
    "findings.country_gap": _gap,
    "findings.training": lambda report, row: _two_means(report, row, ("trained", "untrained")),
    "findings.self": lambda report, row: _two_means(report, row, ("yes", "no")),
    "findings.content": lambda report, row: {
        "count": report.numbers.integer(row["count"]),
        "total": report.numbers.integer(row["total"]),
        "pct": _pct(report, row["estimate"]),
    },
    "findings.context": _context,
    "findings.change": _change,
}
"""Message key (without its test verdict) to the values its sentence quotes."""


def _sentence(report: Report, row: pd.Series) -> str:
    key = str(row["finding"])
    base = key.rsplit("_", 1)[0] if key.endswith(("_more", "_less", "_same")) else key
    return report.t(key, **FINDING_VALUES[base](report, row))


def findings(report: Report, frames: Frames) -> HTML:
    """The key findings as sentences, largest tested differences first, ties said as ties."""
    rows = frames["findings"]
    return render.bullets(
        [_sentence(report, row) for _, row in rows.iterrows()], css="mr-findings"
    )


def _format_value(value: object, report: Report) -> str:
    """A context figure as text: missing stays visibly missing, others get at most one decimal."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return report.t("note.missing")
    number = float(value)  # type: ignore[arg-type]
    # One decimal: published indices (RSF 39.34) and shares (92.88%) carry no more precision
    # than a reader can use, and a second decimal suggests more than the sources measure.
    return report.numbers.decimal(number, 0 if number.is_integer() else 1)


def rsf_source(indicators: pd.DataFrame) -> str:
    """The RSF citation with the years shown."""
    rsf = indicators[indicators["indicator"] == "rsf_score"]
    return f"RSF World Press Freedom Index {int(rsf['year'].min())}–{int(rsf['year'].max())}"


def rsf_figure(
    report: Report, countries: list[str], since: int, alt: str, caption: str, source: str
) -> HTML:
    """The RSF score and rank chart for ``countries`` since ``since``."""
    fig = charts.rsf(
        report.inputs.indicators,
        {c: country_label(c, report.lang) for c in countries},
        since=since,
        axis_labels=(report.t("context.rsf_score_axis"), report.t("context.rsf_rank_axis")),
        break_label=report.t("context.rsf_break", year="{year}"),
    )
    return report.figure(fig, alt=alt, caption=caption, source=source, kind="indicators")


def context(report: Report, frames: Frames) -> HTML:
    """RSF, World Bank and Freedom House figures with source and year; missing stays missing."""
    table = context_table(frames["indicators"], report.country, lang=report.lang)
    shown = pd.DataFrame(
        {
            report.t("table.indicator"): table["label"],
            report.t("table.value"): [_format_value(v, report) for v in table["value"]],
            report.t("table.year"): [("" if pd.isna(y) else str(int(y))) for y in table["year"]],
            report.t("table.source"): table["citation"],
        }
    )
    name = country_label(report.country, report.lang)
    rsf = rsf_source(frames["indicators"])
    chart = rsf_figure(
        report,
        [report.country],
        2002,
        report.t("context.rsf_alt", country=name),
        report.t("context.rsf_caption", source=rsf),
        rsf,
    )
    source = report.t("table.source") + ": RSF, World Bank WDI, Freedom House."
    return report.table(shown, caption=source, csv_name=f"{report.country}_context.csv") + chart


def method(report: Report, frames: Frames) -> HTML:
    """Fieldwork, mode, n, weighting, effective n, margin of error and QC exclusions."""
    if frames["summary"].empty:
        return render.paragraph(
            report.t("nosurvey", country=country_label(report.country, report.lang))
        )
    s = frames["summary"].iloc[0]
    datasets = report.inputs.survey_datasets
    ds = datasets[0] if datasets else {}
    t = report.t
    num = report.numbers
    rows = [
        (
            t("method.fieldwork"),
            num.date_range(ds.get("fieldwork_start", ""), ds.get("fieldwork_end", "")),
        ),
        (t("method.mode"), mode_label(ds.get("mode", ""), report.lang)),
        (t("method.design"), localised(ds.get("sample_design"), report.lang)),
        (t("method.n_total"), num.integer(s["n"])),
        (t("method.n_excluded"), num.integer(s["n_excluded"])),
        (t("method.n_stakeholders"), num.integer(s["n_stakeholders"])),
        (t("method.n_eff"), num.integer(s["n_eff"])),
        (t("method.weights"), num.interval(s["weight_min"], s["weight_max"], 2)),
        (
            t("method.moe"),
            t(
                "method.moe_sentence",
                moe=num.decimal(s["moe"]),
                n=num.integer(s["n"]),
                deff=num.decimal(s["deff"], 2),
            )
            if s["design_df"] >= 1
            else t("method.no_variance"),
        ),
        (
            t("method.moe_weights"),
            t(
                "method.moe_weights_sentence",
                moe=num.decimal(s["moe_weights"]),
                deff=num.decimal(s["deff_weights"], 2),
            ),
        ),
    ]
    for w in frames.get("warnings", pd.DataFrame()).itertuples():
        rows.append(
            (
                t("method.warning"),
                t(
                    "method.warning_sentence",
                    rule=t(f"rule.{w.rule}"),
                    n=num.integer(w.n),
                    total=num.integer(w.total),
                    pct=num.points(w.share),
                    limit=num.points(w.limit, 0),
                ),
            )
        )
    shown = pd.DataFrame(rows, columns=[t("table.indicator"), t("table.value")])
    return report.table(
        shown, caption=survey_source(report), csv_name=f"{report.country}_method.csv"
    )
