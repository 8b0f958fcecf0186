"""Sections of the country report. A notebook cell calls one function and shows what it returns.

Every percentage comes from :func:`milresearch.analysis.stats.weighted_proportions` on the national
probability sample, after quality exclusions, with the design's strata and PSUs; every estimate
with too small a base is suppressed before it reaches a chart, a table or a sentence.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from milresearch import __version__
from milresearch.analysis import mil, stats
from milresearch.analysis.questionnaire import CHANNELS, MIL_ITEMS, SOURCES, answer_label
from milresearch.clean import manifest
from milresearch.clean.log import read_log
from milresearch.indicators import context_table
from milresearch.ingest.countries import load_countries
from milresearch.paths import ROOT
from milresearch.reports import render
from milresearch.reports.i18n import t
from milresearch.reports.render import HTML, pyplot
from milresearch.settings import load_settings

SURVEY_SOURCE = "milresearch sample MIL survey 2025"
SECTIONS = (
    "findings", "context", "method", "media", "trust", "mil", "discernment",
    "factcheck", "stakeholders", "content", "quality",
)  # fmt: skip


@dataclass
class ReportContext:
    """Everything one country report reads, loaded once."""

    country: str
    lang: str
    min_n: int
    survey: pd.DataFrame
    """National probability sample of the country, after quality exclusions."""
    all_rows: pd.DataFrame
    """Every cleaned row of the country, flagged rows and stakeholders included."""
    content: pd.DataFrame
    indicators: pd.DataFrame
    log: pd.DataFrame
    manifest: dict
    processed_dir: Path
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    suppressed: list[tuple[str, str]] = field(default_factory=list)
    """(section, row) of every table row suppressed so far, for the data-quality appendix."""
    current_section: str = ""

    def table(
        self,
        shown: pd.DataFrame,
        *,
        caption: str,
        csv_name: str,
        formats: dict[str, str] | None = None,
        suppressed: pd.Series | None = None,
        csv: pd.DataFrame | None = None,
    ) -> HTML:
        """A report table in the report language; its suppressed rows are recorded."""
        if suppressed is not None and suppressed.any():
            mask = suppressed.reset_index(drop=True).astype(bool).to_numpy()
            # A row is named by its first few text cells (item, class, model...), not its numbers.
            text = [c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])][:3]
            names = shown.loc[mask, text].astype(str).agg(" · ".join, axis=1)
            self.record_suppressed([name[:160] for name in names])
        return render.table(shown, caption=caption, csv_name=csv_name, formats=formats,
                            suppressed=suppressed, suppressed_text=t("table.suppressed", self.lang),
                            download_text=t("table.download", self.lang), csv=csv)  # fmt: skip

    def record_suppressed(self, rows: list[str]) -> None:
        """Note suppressed cells that were not shown through :meth:`table`."""
        section = t(f"section.{self.current_section}", self.lang) if self.current_section else ""
        self.suppressed += [(section, row) for row in rows]

    @property
    def country_name(self) -> str:
        """The country's name in the report language."""
        return load_countries()[self.country].name(self.lang)

    @property
    def synthetic(self) -> bool:
        """True when any input's codebook says ``synthetic: true``."""
        return bool(self.manifest.get("synthetic"))

    @property
    def datasets(self) -> list[dict]:
        """Manifest entries of this country's survey datasets."""
        names = set(self.all_rows["dataset"].unique())
        return [d for d in self.manifest["datasets"] if d["name"] in names]

    @property
    def source(self) -> str:
        """Citation of the survey data shown under every chart."""
        found = [(d["description"] or d["name"]).rstrip(".") for d in self.datasets]
        return "; ".join(found) or SURVEY_SOURCE


def load_context(processed_dir: str | Path, country: str, lang: str = "en", min_n: int = 30):
    """Read the processed tables for one country (or ``"ALL"`` for every country)."""
    processed_dir = Path(processed_dir)
    survey = pd.read_parquet(processed_dir / manifest.SURVEY_FILE)
    content = pd.read_parquet(processed_dir / manifest.CONTENT_FILE)
    if country != "ALL":
        survey = survey[survey["country"] == country]
        content = content[content["country"] == country]
    national = survey[(survey["sample_type"] == 1) & ~survey["qc_exclude"]].reset_index(drop=True)
    return ReportContext(
        country=country,
        lang=lang,
        min_n=int(min_n),
        survey=national,
        all_rows=survey.reset_index(drop=True),
        content=content.reset_index(drop=True),
        indicators=pd.read_parquet(processed_dir / manifest.INDICATORS_FILE),
        log=read_log(processed_dir / manifest.LOG_FILE),
        manifest=manifest.read_manifest(processed_dir),
        processed_dir=processed_dir,
    )


def _design(ctx: ReportContext) -> dict:
    return {"weight": "weight", "strata": "stratum", "psu": "psu"}


def shares(
    df: pd.DataFrame, columns: dict[str, str], codes: tuple[int, ...], *, min_n: int, by=None
) -> pd.DataFrame:
    """Weighted share of respondents whose answer is one of ``codes``, for several items.

    Args:
        df: Respondents with ``weight``, ``stratum`` and ``psu`` columns.
        columns: Variable name to the label shown for it.
        codes: The answer codes that count (e.g. (1,) for "daily", (4, 5) for agreement).
        min_n: Suppression threshold for the unweighted and effective base.
        by: Optional domain column(s).

    Returns:
        One row per item (and domain) with label, proportion, CI, bases, deff and suppressed.
    """
    rows = []
    for column, label in columns.items():
        if column not in df:
            continue
        hit = df[column].isin(codes).astype("Int8").mask(df[column].isna())
        work = df.assign(_hit=hit)
        # Logit intervals stay inside 0-100% where a small share in a small domain would not.
        est = stats.weighted_proportions(work, "_hit", weight="weight", strata="stratum", psu="psu",
                                         by=by, min_n=min_n, method="logit")  # fmt: skip
        est = est[est["category"] == 1].drop(columns="category")
        est.insert(0, "item", column)
        est.insert(1, "label", label)
        rows.append(est)
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _bar_chart(est: pd.DataFrame, *, xlabel: str, min_n: int, percent: bool = True, color=None):
    """Horizontal bars with CI whiskers; suppressed rows are labelled, not drawn."""
    est = est.iloc[::-1].reset_index(drop=True)
    scale = 100.0 if percent else 1.0
    fig, ax = pyplot().subplots(figsize=(7.2, 0.32 * len(est) + 0.9))
    value_col = "proportion" if "proportion" in est else "mean"
    values = est[value_col] * scale
    lo = (est[value_col] - est["ci_low"]) * scale
    hi = (est["ci_high"] - est[value_col]) * scale
    y = np.arange(len(est))
    ax.barh(y, values.fillna(0), color=color or render.PALETTE[0], height=0.6)
    ax.errorbar(values, y, xerr=[lo, hi], fmt="none", ecolor="#333", capsize=2, lw=0.8)
    for yi, hidden in zip(y, est["suppressed"], strict=True):
        if hidden:
            ax.text(0.5, yi, f"n < {min_n}", va="center", fontsize=7, color="#777")
    ax.set_yticks(y, est["label"])
    ax.set_xlabel(xlabel)
    if percent:
        ax.set_xlim(0, 100)
    return fig


def _estimate_table(ctx: ReportContext, est: pd.DataFrame, caption: str, csv_name: str) -> HTML:
    """Estimates with CI, unweighted base and design effect; proportions are shown as %."""
    lang = ctx.lang
    percent = "proportion" in est
    value, base, scale, digits = (
        ("proportion", "n_base", 100.0, 1) if percent else ("mean", "n", 1.0, 2)
    )
    header = t("table.percent" if percent else "table.mean", lang)
    shown = pd.DataFrame(
        {
            t("table.item", lang): est["label"],
            header: est[value] * scale,
            t("table.ci", lang): [
                f"{lo * scale:.{digits}f}–{hi * scale:.{digits}f}" if not np.isnan(lo) else ""
                for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)
            ],
            t("table.base", lang): est[base].astype(int),
            t("table.deff", lang): est["deff"],
        }
    )
    return ctx.table(
        shown,
        caption=caption,
        csv_name=csv_name,
        formats={header: f".{digits}f", t("table.deff", lang): ".2f"},
        suppressed=est["suppressed"].reset_index(drop=True),
    )


def _footnotes(ctx: ReportContext, *estimates: pd.DataFrame) -> HTML:
    """The CI note, and the suppression note when any of the section's estimates is hidden."""
    notes = [t("note.ci", ctx.lang)]
    if not estimates or any(bool(e["suppressed"].any()) for e in estimates if len(e)):
        notes.append(t("note.suppression", ctx.lang, min_n=ctx.min_n))
    return HTML("".join(render.note(n) for n in notes))


def heading(ctx: ReportContext, section: str) -> HTML:
    """The heading of a report section, translated, with its anchor."""
    return render.heading(t(f"section.{section}", ctx.lang), f"sec-{section}")


def banner(ctx: ReportContext) -> HTML:
    """The synthetic-data banner, shown whenever any input codebook is marked synthetic."""
    if not ctx.synthetic:
        return HTML("")
    return HTML(
        f'<div class="mr-banner" role="note">{render.esc(t("banner.synthetic", ctx.lang))}</div>'
    )


def data_version(manifest: dict) -> str:
    """A short fingerprint of all inputs, shown as the data version."""
    import hashlib

    joined = "".join(f"{k}={v}" for k, v in sorted(manifest["inputs"].items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:10]


def header(ctx: ReportContext) -> HTML:
    """Title, country, data version and build date, and the table-of-contents placeholder."""
    meta = t(
        "report.meta",
        ctx.lang,
        country=ctx.country_name,
        version=data_version(ctx.manifest),
        built=ctx.started.strftime("%Y-%m-%d %H:%M UTC"),
    )
    title = t("report.title", ctx.lang, country=ctx.country_name)
    return HTML(
        f'<header class="mr-header"><h1>{render.esc(title)}</h1>'
        f'<div class="mr-meta">{render.esc(meta)}</div></header>'
        f'<nav class="mr-toc" aria-label="{render.esc(t("report.toc", ctx.lang))}"></nav>'
    )


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def media_estimates(ctx: ReportContext) -> pd.DataFrame:
    """Daily news use per channel, sorted by share."""
    columns = {f"use_{c}": t(f"channel.{c}", ctx.lang) for c in CHANNELS}
    est = shares(ctx.survey, columns, (1,), min_n=ctx.min_n)
    return est.sort_values("proportion", ascending=False, na_position="last").reset_index(
        drop=True
    )


def trust_estimates(ctx: ReportContext) -> pd.DataFrame:
    """Share trusting each source type (fully or rather)."""
    columns = {f"trust_{s}": t(f"source.{s}", ctx.lang) for s in SOURCES}
    return shares(ctx.survey, columns, (1, 2), min_n=ctx.min_n)


def mil_estimates(ctx: ReportContext) -> pd.DataFrame:
    """Share agreeing with each self-assessed MIL statement."""
    columns = {f"mil_{i}": t(f"militem.{i}", ctx.lang) for i in MIL_ITEMS}
    return shares(ctx.survey, columns, (4, 5), min_n=ctx.min_n)


def _headline_items(ctx: ReportContext) -> tuple[list[str], list[str]]:
    # Veracity is declared per headline item in each codebook and carried in the manifest.
    veracity: dict[str, bool] = {}
    for d in ctx.datasets:
        veracity.update(d.get("veracity", {}))
    true_items = [c for c, v in veracity.items() if v and c in ctx.survey]
    false_items = [c for c, v in veracity.items() if not v and c in ctx.survey]
    return true_items, false_items


def discernment_scores(ctx: ReportContext) -> pd.DataFrame:
    """Per-respondent discernment, d′ and c, beside the design columns."""
    true_items, false_items = _headline_items(ctx)
    df = ctx.survey
    sdt = mil.signal_detection(df, true_items, false_items)
    return pd.DataFrame(
        {
            "weight": df["weight"],
            "stratum": df["stratum"],
            "psu": df["psu"],
            "mil_training": df["mil_training"],
            "discernment": mil.headline_discernment(df, true_items, false_items),
            "dprime": sdt["dprime"],
            "criterion": sdt["criterion"],
        }
    )


def _mean(df: pd.DataFrame, column: str, ctx: ReportContext, by=None) -> pd.DataFrame:
    return stats.weighted_mean(
        df, column, weight="weight", strata="stratum", psu="psu", by=by, min_n=ctx.min_n
    )


def key_findings(ctx: ReportContext) -> HTML:
    """Five to eight sentences generated from the estimates, each with its CI."""
    lang = ctx.lang
    sentences = []
    media = media_estimates(ctx)
    top = media[~media["suppressed"]].head(1)
    if len(top):
        r = top.iloc[0]
        sentences.append(t("findings.media", lang, channel=r["label"], pct=_fmt(r["proportion"] * 100),
                           lo=_fmt(r["ci_low"] * 100), hi=_fmt(r["ci_high"] * 100)))  # fmt: skip
    for key, column, codes in (("findings.trust", "trust_news_general", (4, 5)),
                               ("findings.mil", "mil_detect", (4, 5))):  # fmt: skip
        est = shares(ctx.survey, {column: column}, codes, min_n=ctx.min_n)
        if len(est) and not est["suppressed"].iloc[0]:
            r = est.iloc[0]
            sentences.append(t(key, lang, pct=_fmt(r["proportion"] * 100),
                               lo=_fmt(r["ci_low"] * 100), hi=_fmt(r["ci_high"] * 100)))  # fmt: skip
    scores = discernment_scores(ctx)
    disc = _mean(scores, "discernment", ctx)
    if len(disc) and not disc["suppressed"].iloc[0]:
        r = disc.iloc[0]
        sentences.append(t("findings.disc", lang, disc=_fmt(r["mean"], 2), lo=_fmt(r["ci_low"], 2),
                           hi=_fmt(r["ci_high"], 2)))  # fmt: skip
    scores["trained"] = scores["mil_training"].map({1: "yes", 2: "yes", 3: "no"})
    by_training = _mean(scores.dropna(subset=["trained"]), "discernment", ctx, by="trained")
    by_training = by_training.set_index("trained")
    if {"yes", "no"} <= set(by_training.index) and not by_training["suppressed"].any():
        sentences.append(t("findings.training", lang, trained=_fmt(by_training.loc["yes", "mean"], 2),
                           untrained=_fmt(by_training.loc["no", "mean"], 2)))  # fmt: skip
    gap = self_assessed_vs_measured(ctx)
    if len(gap) == 2 and not gap["suppressed"].any():
        yes, no = gap.set_index("says").loc["yes"], gap.set_index("says").loc["no"]
        # The wording follows the intervals: a difference is claimed only where they do not meet.
        key = (
            "findings.self_more"
            if yes["ci_low"] > no["ci_high"]
            else "findings.self_less"
            if yes["ci_high"] < no["ci_low"]
            else "findings.self_same"
        )
        sentences.append(t(key, lang, yes=_fmt(yes["mean"], 2), no=_fmt(no["mean"], 2)))  # fmt: skip
    ctx_table = (
        context_table(ctx.indicators, ctx.country, lang=ctx.lang) if ctx.country != "ALL" else None
    )
    if ctx_table is not None:
        rsf = _context_values(ctx_table)
        if rsf.get("rsf_score") is not None:
            sentences.append(t("findings.context", lang, year=rsf["rsf_year"],
                               score=_fmt(rsf["rsf_score"], 2), rank=rsf["rsf_rank"]))  # fmt: skip
    return render.bullets(sentences, css="mr-findings")


def _format_value(value, lang: str) -> str:
    """A context figure as text: missing stays visibly missing, whole numbers lose their decimals."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return t("note.missing", lang)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _context_values(table: pd.DataFrame) -> dict:
    values: dict = {}
    for _, row in table.iterrows():
        if row.get("indicator") == "rsf_score" and pd.notna(row["value"]):
            values["rsf_score"] = float(row["value"])
            values["rsf_year"] = int(row["year"])
        if row.get("indicator") == "rsf_rank" and pd.notna(row["value"]):
            values["rsf_rank"] = int(row["value"])
    return values


def country_context(ctx: ReportContext) -> HTML:
    """RSF, World Bank and Freedom House figures with source and year; missing stays missing."""
    lang = ctx.lang
    table = context_table(ctx.indicators, ctx.country, lang=ctx.lang)
    shown = pd.DataFrame(
        {
            t("table.indicator", lang): table["label"],
            t("table.value", lang): [_format_value(v, lang) for v in table["value"]],
            t("table.year", lang): [("" if pd.isna(y) else int(y)) for y in table["year"]],
            t("table.source", lang): table["citation"],
        }
    )
    chart = render.figure(rsf_chart(ctx, [ctx.country], since=2002),
                          alt=t("context.rsf_alt", lang, country=ctx.country_name),
                          caption=t("context.rsf_caption", lang, source=_rsf_source(ctx)))  # fmt: skip
    return (
        ctx.table(
            shown,
            caption=t("table.source", lang) + ": RSF, World Bank WDI, Freedom House.",
            csv_name=f"{ctx.country}_context.csv",
        )
        + chart
    )


RSF_BREAKS = (2013, 2022)
"""First years of RSF's new methods: scores on either side of a break are not comparable."""


def _rsf_source(ctx: ReportContext) -> str:
    rsf = ctx.indicators[ctx.indicators["indicator"] == "rsf_score"]
    return f"RSF World Press Freedom Index {int(rsf['year'].min())}–{int(rsf['year'].max())}"


def rsf_chart(ctx: ReportContext, countries: list[str], *, since: int):
    """RSF score and rank per country since ``since``, one line per comparable series.

    The score's scale and direction changed in 2013 and in 2022, so each method gets its own
    line and the breaks are marked; the rank, lower always freer, runs on below.
    """
    ind = ctx.indicators[ctx.indicators["year"] >= since]
    panels = [("rsf_score", t("context.rsf_score_axis", ctx.lang)),
              ("rsf_rank", t("context.rsf_rank_axis", ctx.lang))]  # fmt: skip
    fig, axes = pyplot().subplots(2, 1, figsize=(7.2, 4.6), sharex=True)
    for ax, (indicator, ylabel) in zip(axes, panels, strict=True):
        values = ind[ind["indicator"] == indicator]
        for i, code in enumerate(countries):
            series = values[values["country"] == code].sort_values("year")
            for k, (_, part) in enumerate(series.groupby("series", sort=False)):
                ax.plot(part["year"], part["value"], color=render.PALETTE[i % 6], marker="o",
                        ms=2, label=load_countries()[code].name(ctx.lang) if k == 0 else None)  # fmt: skip
        for year in RSF_BREAKS:
            if year > since:
                ax.axvline(year - 0.5, color="#999", ls="--", lw=0.8)
        ax.set_ylabel(ylabel, fontsize=8)
    axes[1].invert_yaxis()
    top = axes[0].get_ylim()[1]
    for year in RSF_BREAKS:
        if year > since:
            axes[0].text(year - 0.4, top, t("context.rsf_break", ctx.lang, year=year), fontsize=7,
                         va="top", color="#666")  # fmt: skip
    if len(countries) > 1:
        axes[0].legend(fontsize=7, ncol=3, frameon=False, loc="lower left")
    return fig


def sample_method(ctx: ReportContext) -> HTML:
    """Fieldwork, mode, n, weighting, effective n, margin of error and QC exclusions."""
    lang = ctx.lang
    df = ctx.survey
    all_rows = ctx.all_rows
    national = all_rows[all_rows["sample_type"] == 1]
    n = len(df)
    n_eff = stats.kish_effective_n(df["weight"]) if n else float("nan")
    deff_weights = n / n_eff if n_eff else float("nan")
    moe_weights = stats.margin_of_error(0.5, n, deff=deff_weights) * 100 if n else float("nan")
    deff = design_effect(ctx)
    moe = stats.margin_of_error(0.5, n, deff=deff) * 100 if n else float("nan")
    ds = ctx.datasets[0] if ctx.datasets else {}
    rows = [
        (
            t("method.fieldwork", lang),
            f"{ds.get('fieldwork_start', '')} – {ds.get('fieldwork_end', '')}",
        ),
        (t("method.mode", lang), ds.get("mode", "")),
        (t("method.design", lang), ds.get("sample_design", "")),
        (t("method.n_total", lang), f"{n:,}"),
        (t("method.n_excluded", lang), f"{int(national['qc_exclude'].sum()):,}"),
        (t("method.n_stakeholders", lang), f"{int((all_rows['sample_type'] == 2).sum()):,}"),
        (t("method.n_eff", lang), f"{n_eff:,.0f}"),
        (t("method.weights", lang), f"{df['weight'].min():.2f} – {df['weight'].max():.2f}"),
        (
            t("method.moe", lang),
            t("method.moe_sentence", lang, moe=_fmt(moe), n=f"{n:,}", deff=_fmt(deff, 2)),
        ),
        (
            t("method.moe_weights", lang),
            t(
                "method.moe_weights_sentence",
                lang,
                moe=_fmt(moe_weights),
                deff=_fmt(deff_weights, 2),
            ),
        ),
        (t("method.source_file", lang), ", ".join(d["file"] for d in ctx.datasets)),
    ]
    shown = pd.DataFrame(rows, columns=[t("table.indicator", lang), t("table.value", lang)])
    return ctx.table(shown, caption=ctx.source, csv_name=f"{ctx.country}_method.csv")  # fmt: skip


def design_effect(ctx: ReportContext) -> float:
    """The median design effect of the report's percentages (media, trust and MIL items).

    Clustering and stratification change it item by item; the median is the one figure a margin
    of error for "a typical percentage" can honestly use.
    """
    est = pd.concat([media_estimates(ctx), trust_estimates(ctx), mil_estimates(ctx)])
    shown = est.loc[~est["suppressed"], "deff"].dropna()
    return float(shown.median()) if len(shown) else float("nan")


def _estimate_section(
    ctx: ReportContext, est: pd.DataFrame, key: str, color=None, *, chart: HTML | None = None
) -> HTML:
    """A chart (bars with CIs unless given) and the table of the estimates behind it."""
    caption = _caption(ctx, key)
    if chart is None:
        fig = _bar_chart(est, xlabel="%", min_n=ctx.min_n, color=color)
        chart = render.figure(fig, alt=t(f"{key}.alt", ctx.lang), caption=caption)
    return chart + _estimate_table(ctx, est, caption, f"{ctx.country}_{key}.csv")


def _caption(ctx: ReportContext, key: str) -> str:
    return t(f"{key}.caption", ctx.lang, n=f"{len(ctx.survey):,}", source=ctx.source)


def media_diet(ctx: ReportContext) -> HTML:
    """Daily news use per channel, overall and by age group, settlement and interview language."""
    est = media_estimates(ctx)
    parts = [_estimate_section(ctx, est, "media")]
    by_group = media_by_group(ctx)
    order = list(est["label"])
    for grouping in GROUPINGS:
        block = by_group[by_group["grouping"] == grouping]
        if block["group"].nunique() < 2:
            continue
        if grouping == "age_group":
            parts.append(_group_heatmap(ctx, block, order))
        parts.append(_group_table(ctx, block, order, grouping))
    return HTML("".join(parts)) + _footnotes(ctx, est, by_group)


GROUPINGS = ("age_group", "settlement", "interview_lang")
"""Groups the media diet is broken down by; codes are labelled from the canonical scales."""


def group_label(column: str, value, lang: str) -> str:
    """A group's label: age bands as they are, coded groups from the canonical answer scales."""
    if column == "age_group":
        return t("group.age", lang, group=value)
    return answer_label(column, int(value), lang)


def media_by_group(ctx: ReportContext) -> pd.DataFrame:
    """Daily use per channel within each group of :data:`GROUPINGS` (domains of the design)."""
    columns = {f"use_{c}": t(f"channel.{c}", ctx.lang) for c in CHANNELS}
    parts = []
    for grouping in GROUPINGS:
        if grouping not in ctx.survey or ctx.survey[grouping].isna().all():
            continue
        est = shares(ctx.survey, columns, (1,), min_n=ctx.min_n, by=grouping)
        est = est.rename(columns={grouping: "group"}).assign(grouping=grouping)
        est["group_label"] = [group_label(grouping, g, ctx.lang) for g in est["group"]]
        parts.append(est.sort_values(["group", "item"], kind="stable"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _cell_text(row: pd.Series, lang: str) -> str:
    if row["suppressed"]:
        return t("table.suppressed", lang)
    return f"{row['proportion'] * 100:.1f} ({row['ci_low'] * 100:.1f}–{row['ci_high'] * 100:.1f})"


def _group_table(ctx: ReportContext, block: pd.DataFrame, order: list[str], grouping: str):
    """Channels down, groups across, each cell a % with its CI; the download is the long form."""
    lang = ctx.lang
    groups = list(dict.fromkeys(block["group_label"]))
    cells = block.assign(text=[_cell_text(r, lang) for _, r in block.iterrows()])
    wide = cells.pivot(index="label", columns="group_label", values="text")
    wide = wide.reindex(index=[o for o in order if o in wide.index], columns=groups)
    shown = wide.reset_index().rename(columns={"label": t("table.item", lang)}).fillna("")
    ctx.record_suppressed([f"{r['label']} · {r['group_label']}"
                           for _, r in block[block["suppressed"]].iterrows()])  # fmt: skip
    long = block[["group_label", "label", "proportion", "ci_low", "ci_high", "n_base", "deff"]]
    long = long.assign(**{c: long[c].mask(block["suppressed"]) for c in
                          ("proportion", "ci_low", "ci_high", "n_base", "deff")})  # fmt: skip
    return ctx.table(shown, caption=_caption(ctx, f"media.by_{grouping}"),
                     csv_name=f"{ctx.country}_media_by_{grouping}.csv",
                     csv=long.rename(columns={"group_label": "group", "label": "item"}))  # fmt: skip


def _group_heatmap(ctx: ReportContext, block: pd.DataFrame, order: list[str]) -> HTML:
    """Daily use per channel and group as a shaded grid; suppressed cells stay empty."""
    groups = list(dict.fromkeys(block["group_label"]))
    values = block["proportion"].mask(block["suppressed"]) * 100
    grid = (block.assign(v=values).pivot(index="label", columns="group_label", values="v")
            .reindex(index=[o for o in order if o in set(block["label"])], columns=groups))  # fmt: skip
    fig, ax = pyplot().subplots(figsize=(7.2, 0.3 * len(grid) + 1.2))
    ax.imshow(grid.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for (i, j), v in np.ndenumerate(grid.to_numpy(dtype=float)):
        text = "–" if np.isnan(v) else f"{v:.0f}"
        ax.text(j, i, text, ha="center", va="center", fontsize=7,
                color="white" if v > 60 else "#222")  # fmt: skip
    ax.set_xticks(range(len(groups)), groups, fontsize=8)
    ax.set_yticks(range(len(grid)), grid.index, fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return render.figure(fig, alt=t("media.by_age_group.alt", ctx.lang),
                         caption=_caption(ctx, "media.by_age_group"))  # fmt: skip


def trust(ctx: ReportContext) -> HTML:
    """Trust by source type, plus trust in news in general and concern about fakes."""
    est = trust_estimates(ctx)
    extra = shares(
        ctx.survey,
        {
            "trust_news_general": t("trust.general", ctx.lang),
            "concern_fake": t("trust.concern", ctx.lang),
        },
        (4, 5),
        min_n=ctx.min_n,
    )
    est = pd.concat([est, extra], ignore_index=True)
    return _estimate_section(ctx, est, "trust", render.PALETTE[2]) + _footnotes(ctx, est)


def mil_skills(ctx: ReportContext) -> HTML:
    """Agreement with each self-assessed MIL item and the MIL index with its alpha."""
    est = mil_estimates(ctx)
    items = [f"mil_{i}" for i in MIL_ITEMS if f"mil_{i}" in ctx.survey]
    alpha = mil.cronbach_alpha(ctx.survey, items)
    likert = likert_distribution(ctx)
    chart = render.figure(_likert_chart(ctx, likert), alt=t("mil.likert.alt", ctx.lang),
                          caption=_caption(ctx, "mil.likert"))  # fmt: skip
    section = _estimate_section(ctx, est, "mil", chart=chart)
    index = mil_index_by_group(ctx)
    caption = t("mil.index_caption", ctx.lang, n=f"{len(ctx.survey):,}", source=ctx.source)
    return (section + render.paragraph(t("mil.index", ctx.lang, alpha=_fmt(alpha, 2), k=len(items),
                                                min_valid=load_settings().reports.mil_index_min_valid))
            + _estimate_table(ctx, index, caption, f"{ctx.country}_mil_index.csv")
            + _footnotes(ctx, est, index, likert))  # fmt: skip


LIKERT_SCALE = "agree5"


def likert_distribution(ctx: ReportContext) -> pd.DataFrame:
    """Weighted share of every answer to each self-assessed MIL item, with CIs and bases."""
    parts = []
    for item in MIL_ITEMS:
        column = f"mil_{item}"
        if column not in ctx.survey:
            continue
        est = stats.weighted_proportions(ctx.survey, column, **_design(ctx), min_n=ctx.min_n,
                                         method="logit")  # fmt: skip
        parts.append(est.assign(item=column, label=t(f"militem.{item}", ctx.lang)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _likert_chart(ctx: ReportContext, dist: pd.DataFrame):
    """100% stacked bars, disagreement to agreement; suppressed items are labelled, not drawn."""
    codes = sorted(int(c) for c in dist["category"].unique())
    colors = ["#b5475d", "#e3a2ad", "#d9d9d9", "#9cc3dd", "#1f5f8b"]
    labels = list(dict.fromkeys(dist["label"]))[::-1]
    fig, ax = pyplot().subplots(figsize=(7.2, 0.36 * len(labels) + 1.3))
    left = np.zeros(len(labels))
    for k, code in enumerate(codes):
        rows = dist[dist["category"] == code].set_index("label").reindex(labels)
        width = (rows["proportion"].mask(rows["suppressed"].astype(bool)) * 100).fillna(0)
        ax.barh(labels, width, left=left, color=colors[k % len(colors)], height=0.6,
                label=answer_label(LIKERT_SCALE, code, ctx.lang))  # fmt: skip
        left += width.to_numpy()
    for y, label in enumerate(labels):
        if dist.loc[dist["label"] == label, "suppressed"].all():
            ax.text(1, y, f"n < {ctx.min_n}", va="center", fontsize=7, color="#777")
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.legend(fontsize=7, ncol=len(codes), frameon=False, loc="upper center",
              bbox_to_anchor=(0.4, -0.12 - 0.6 / max(len(labels), 1)))  # fmt: skip
    return fig


def mil_index_by_group(ctx: ReportContext, min_valid: int | None = None) -> pd.DataFrame:
    """Weighted mean of the MIL index overall, by age group and by settlement, with CIs.

    Args:
        ctx: The report context.
        min_valid: Valid items a respondent needs for an index value (default: the declared
            ``reports.mil_index_min_valid``).
    """
    if min_valid is None:
        min_valid = load_settings().reports.mil_index_min_valid
    items = [f"mil_{i}" for i in MIL_ITEMS if f"mil_{i}" in ctx.survey]
    df = ctx.survey.assign(mil_index=mil.mil_index(ctx.survey, items, min_valid=min_valid))
    overall = _mean(df, "mil_index", ctx)
    overall.insert(0, "label", t("group.all", ctx.lang))
    parts = [overall]
    if "age_group" in df:
        by_age = _mean(df, "mil_index", ctx, by="age_group")
        by_age.insert(0, "label", [t("group.age", ctx.lang, group=g) for g in by_age["age_group"]])
        parts.append(by_age.drop(columns="age_group"))
    if "settlement" in df:
        by_place = _mean(df, "mil_index", ctx, by="settlement")
        names = {1: t("group.urban", ctx.lang), 2: t("group.rural", ctx.lang)}
        by_place.insert(0, "label", [names.get(int(v), str(v)) for v in by_place["settlement"]])
        parts.append(by_place.drop(columns="settlement"))
    return pd.concat(parts, ignore_index=True)


def headline_discernment(ctx: ReportContext) -> HTML:
    """Mean rating per headline (true vs false), discernment, d′ and c."""
    lang = ctx.lang
    true_items, false_items = _headline_items(ctx)
    rows = []
    for column in true_items + false_items:
        est = _mean(ctx.survey, column, ctx)
        tag = t("disc.true" if column in true_items else "disc.false", lang)
        est.insert(0, "label", f"{_variable_label(ctx, column)} ({tag})")
        rows.append(est)
    est = pd.concat(rows, ignore_index=True)
    caption = t("disc.caption", lang, n=f"{len(ctx.survey):,}", source=ctx.source)
    fig = _bar_chart(est, xlabel="1–4", min_n=ctx.min_n, percent=False, color=render.PALETTE[3])
    fig.axes[0].set_xlim(1, 4)
    chart = render.figure(fig, alt=t("disc.alt", lang), caption=caption)
    scores = discernment_scores(ctx)
    summary = []
    for column, key in (("discernment", "disc.score"), ("dprime", "disc.dprime"),
                        ("criterion", "disc.criterion")):  # fmt: skip
        m = _mean(scores, column, ctx)
        m.insert(0, "label", t(key, lang))
        summary.append(m)
    summary = pd.concat(summary, ignore_index=True)
    table = _estimate_table(ctx, summary, caption, f"{ctx.country}_discernment.csv")
    gap = self_assessed_vs_measured(ctx)
    gap_table = _estimate_table(ctx, gap, t("disc.self_caption", lang, n=f"{len(ctx.survey):,}"),
                                f"{ctx.country}_discernment_by_self_assessment.csv")  # fmt: skip
    return (chart + table + gap_table + render.note(t("note.associations", lang))
            + _footnotes(ctx, est, summary, gap))  # fmt: skip


def self_assessed_vs_measured(ctx: ReportContext) -> pd.DataFrame:
    """Mean measured discernment among those who say they can tell a fake and those who do not."""
    scores = discernment_scores(ctx)
    if "mil_detect" not in ctx.survey:
        return pd.DataFrame()
    detect = ctx.survey["mil_detect"]
    says = detect.map(lambda v: "yes" if v in (4, 5) else "no", na_action="ignore")
    by = _mean(scores.assign(says=says).dropna(subset=["says"]), "discernment", ctx, by="says")
    by = by.set_index("says").reindex(["yes", "no"]).dropna(subset=["n"]).reset_index()
    by.insert(0, "label", [t(f"disc.self_{v}", ctx.lang) for v in by["says"]])
    return by


def _variable_label(ctx: ReportContext, name: str) -> str:
    """A variable's label from its codebook in the report language (English, then its name)."""
    for dataset in ctx.datasets:
        labels = dataset.get("labels", {}).get(name)
        if labels:
            return labels.get(ctx.lang) or labels.get("en") or name
    return name


def factchecking_training(ctx: ReportContext) -> HTML:
    """Awareness and use of fact-checkers, MIL training, and discernment by training."""
    lang = ctx.lang
    df = ctx.survey
    rows = [shares(df, {"fc_aware": t("fc.aware", lang)}, (1,), min_n=ctx.min_n)]
    if "fc_use" in df and "fc_aware" in df:
        # Respondents who never heard of fact-checkers were not asked: they do not use them.
        use = df["fc_use"].where(df["fc_aware"] != 2, 5)
        rows.append(shares(df.assign(fc_use_all=use), {"fc_use_all": t("fc.use", lang)},
                           (1, 2, 3), min_n=ctx.min_n))  # fmt: skip
    rows.append(shares(df, {"mil_training": t("fc.trained", lang)}, (1, 2), min_n=ctx.min_n))
    rows.append(shares(df, {"mil_training": t("fc.recent_training", lang)}, (1,), min_n=ctx.min_n))
    est = pd.concat([r for r in rows if not r.empty], ignore_index=True)
    section = _estimate_section(ctx, est, "fc", render.PALETTE[1])
    scores = discernment_scores(ctx)
    names = {
        1: t("fc.trained_yes", lang),
        2: t("fc.trained_yes", lang),
        3: t("fc.trained_no", lang),
    }
    scores["group"] = scores["mil_training"].map(names)
    by = _mean(scores.dropna(subset=["group"]), "discernment", ctx, by="group")
    by.insert(0, "label", by["group"])
    caption = t("fc.by_training_caption", lang, n=f"{len(df):,}")
    table = _estimate_table(ctx, by, caption, f"{ctx.country}_discernment_by_training.csv")
    return section + table + render.note(t("note.associations", lang)) + _footnotes(ctx, est, by)


def stakeholder_groups(ctx: ReportContext) -> HTML:
    """Purposive stakeholder interviews by group, unweighted, small groups suppressed.

    Shares come from weighted_proportions with weight 1 and each interview its own unit, so
    the intervals are those of simple random sampling.
    """
    lang = ctx.lang
    stake = ctx.all_rows[(ctx.all_rows["sample_type"] == 2) & ~ctx.all_rows["qc_exclude"]]
    if stake.empty:
        return render.paragraph(t("note.missing", lang))
    unweighted = stake.assign(weight=1.0, stratum="all", psu=np.arange(len(stake)))
    columns = {"mil_detect": t("stake.detect", lang), "fc_aware": t("stake.aware", lang)}
    est = pd.concat(
        [shares(unweighted, {"mil_detect": columns["mil_detect"]}, (4, 5), min_n=ctx.min_n,
                by="stakeholder_group"),
         shares(unweighted, {"fc_aware": columns["fc_aware"]}, (1,), min_n=ctx.min_n,
                by="stakeholder_group")],
        ignore_index=True,
    )  # fmt: skip
    est["label"] = [f"{t(f'stake.group_{int(g)}', lang)}: {label}"
                    for g, label in zip(est["stakeholder_group"], est["label"], strict=True)]  # fmt: skip
    est = est.sort_values(["stakeholder_group", "item"], kind="stable").reset_index(drop=True)
    # A purposive sample has no design to compare with simple random sampling.
    est["deff"] = np.nan
    caption = t("stake.caption", lang, min_n=ctx.min_n, source=ctx.source)
    table = _estimate_table(ctx, est, caption, f"{ctx.country}_stakeholders.csv")
    return table + render.note(t("note.purposive", lang))


def content_summary(ctx: ReportContext) -> HTML:
    """What circulates, beside the platforms respondents say they use daily."""
    from milresearch.reports import content as content_section

    daily_use = media_estimates(ctx) if len(ctx.survey) else pd.DataFrame()
    return content_section.build(ctx, daily_use, _content_source(ctx))


def _content_source(ctx: ReportContext) -> str:
    names = set(ctx.content["dataset"].unique()) if "dataset" in ctx.content else set()
    found = [d["description"] or d["name"] for d in ctx.manifest["datasets"] if d["name"] in names]
    return "; ".join(f.rstrip(".") for f in found) or "content datasets"


def quality_appendix(ctx: ReportContext) -> HTML:
    """Counts per cleaning rule for this country's datasets, from the cleaning log."""
    lang = ctx.lang
    log = country_log(ctx)
    table = log.groupby(["stage", "rule"], as_index=False)["rows"].sum()
    shown = pd.DataFrame({t("table.stage", lang): table["stage"], t("table.rule", lang): table["rule"],
                          t("table.rows", lang): table["rows"]})  # fmt: skip
    parts = [ctx.table(shown, caption=t("quality.caption", lang),
                       csv_name=f"{ctx.country}_cleaning_log.csv")]  # fmt: skip
    unmapped = log[log["rule"].isin(UNMAPPED_RULES) & (log["rows"] > 0)]
    if unmapped.empty:
        parts.append(render.paragraph(t("quality.no_unmapped", lang)))
    else:
        shown = pd.DataFrame({t("table.dataset", lang): unmapped["dataset"],
                              t("table.rule", lang): unmapped["rule"],
                              t("table.rows", lang): unmapped["rows"],
                              t("table.labels", lang): unmapped["detail"]})  # fmt: skip
        parts.append(ctx.table(shown, caption=t("quality.unmapped", lang),
                               csv_name=f"{ctx.country}_unmapped.csv"))  # fmt: skip
    if ctx.suppressed:
        hidden = pd.DataFrame(
            ctx.suppressed, columns=[t("table.section", lang), t("table.item", lang)]
        )
        parts.append(ctx.table(hidden, caption=t("quality.suppressed", lang, min_n=ctx.min_n, k=len(hidden)),
                               csv_name=f"{ctx.country}_suppressed.csv"))  # fmt: skip
    else:
        parts.append(render.paragraph(t("quality.none_suppressed", lang, min_n=ctx.min_n)))
    comments = flagged_comments(ctx)
    if not comments.empty:
        parts.append(ctx.table(pd.DataFrame({t("table.comment", lang): comments}),
                               caption=t("quality.comments", lang),
                               csv_name=f"{ctx.country}_comments.csv"))  # fmt: skip
    return HTML("".join(parts))


UNMAPPED_RULES = ("region_unmapped", "verdict_unmapped", "platform_other_or_unknown")
"""Cleaning-log rules that list raw labels no declared mapping knew."""


def country_log(ctx: ReportContext) -> pd.DataFrame:
    """Cleaning-log entries of this country's survey and content datasets."""
    names = {d["name"] for d in ctx.datasets} | set(
        ctx.content.get("dataset", pd.Series()).unique()
    )
    log = ctx.log[ctx.log["dataset"].isin(names)]
    return log[log["country"].isin([ctx.country, ""])]


MARKUP_OR_SCRUBBED = r"<[a-zA-Z/!]|\[(?:email|phone|handle)\]"


def flagged_comments(ctx: ReportContext, limit: int = 8) -> pd.Series:
    """Comments that held markup or personal data, as stored after scrubbing (for the appendix)."""
    if "comment" not in ctx.all_rows:
        return pd.Series(dtype="string")
    comments = ctx.all_rows["comment"].dropna()
    hits = comments[comments.str.contains(MARKUP_OR_SCRUBBED, regex=True)]
    markup_first = hits.str.contains("<", regex=False).sort_values(ascending=False, kind="stable")
    return hits[markup_first.index].head(limit).reset_index(drop=True)


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=5, check=False)  # fmt: skip
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def footer(ctx: ReportContext, parameters: dict) -> HTML:
    """Provenance: parameters, version and commit, input hashes, suppression and run time."""
    lang = ctx.lang
    now = dt.datetime.now(dt.UTC)
    seconds = (now - ctx.started).total_seconds()
    params = ", ".join(f"{k}={v}" for k, v in parameters.items())
    inputs = "".join(
        f"<li><code>{render.esc(k)}</code> {render.esc(v)}</li>"
        for k, v in sorted(ctx.manifest["inputs"].items())
    )
    return HTML(
        f'<footer class="mr-footer"><h2 id="provenance">{render.esc(t("footer.title", lang))}</h2>'
        f"<p>{render.esc(t('footer.params', lang))}: <code>{render.esc(params)}</code></p>"
        f"<p>{render.esc(t('footer.version', lang, version=__version__, commit=_git_commit()))}</p>"
        f"<p>{render.esc(t('footer.suppression', lang, min_n=ctx.min_n))}</p>"
        f"<p>{render.esc(t('footer.runtime', lang, built=now.strftime('%Y-%m-%d %H:%M UTC'), seconds=f'{seconds:.1f}'))}</p>"
        f"<details><summary>{render.esc(t('footer.inputs', lang))}</summary><ul>{inputs}</ul></details>"
        "</footer>"
    )


SECTION_BUILDERS = {
    "findings": key_findings,
    "context": country_context,
    "method": sample_method,
    "media": media_diet,
    "trust": trust,
    "mil": mil_skills,
    "discernment": headline_discernment,
    "factcheck": factchecking_training,
    "stakeholders": stakeholder_groups,
    "content": content_summary,
    "quality": quality_appendix,
}


def section(ctx: ReportContext, name: str, builders: dict | None = None) -> HTML:
    """A whole report section: its heading and its body (from ``builders``, by default ours)."""
    ctx.current_section = name
    return heading(ctx, name) + (builders or SECTION_BUILDERS)[name](ctx)
