"""Sections of the regional report: countries side by side, harmonisation, cross-border claims."""

from __future__ import annotations

import numpy as np
import pandas as pd

from milresearch import render, report
from milresearch.countries import COUNTRY_CODES, load_countries
from milresearch.i18n import t
from milresearch.render import HTML, pyplot

# (key, variable, codes that count) for the side-by-side indicators.
KEY_INDICATORS = (
    ("trust.general", "trust_news_general", (4, 5)),
    ("militem.detect", "mil_detect", (4, 5)),
    ("fc.aware", "fc_aware", (1,)),
    ("channel.telegram", "use_telegram", (1,)),
)


def load_context(processed_dir, lang: str = "en", min_n: int = 30) -> report.ReportContext:
    """All countries' processed data for the regional report."""
    return report.load_context(processed_dir, "ALL", lang, min_n)


def country_estimates(ctx: report.ReportContext) -> pd.DataFrame:
    """Each key indicator per country (design-based), plus the equal-country pooled estimate.

    Countries are independent samples, so the pooled estimate is the unweighted mean of the
    country estimates with variance sum(se²)/k²: every country counts the same, whatever its
    population.
    """
    rows = []
    for key, column, codes in KEY_INDICATORS:
        est = report.shares(ctx.survey, {column: t(key, ctx.lang)}, codes, min_n=ctx.min_n,
                            by="country")  # fmt: skip
        if est.empty:
            continue
        rows.append(est)
        ok = est[~est["suppressed"]]
        if len(ok) >= 2:
            k = len(ok)
            p = ok["proportion"].mean()
            se = float(np.sqrt((ok["se"] ** 2).sum()) / k)
            rows.append(pd.DataFrame([{
                "item": column, "label": t(key, ctx.lang), "country": "POOLED", "n": ok["n"].sum(),
                "n_base": ok["n_base"].sum(), "proportion": p, "se": se, "ci_low": p - 1.96 * se,
                "ci_high": p + 1.96 * se, "deff": np.nan, "suppressed": False,
            }]))  # fmt: skip
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _country_label(code: str, lang: str) -> str:
    if code == "POOLED":
        return "Pooled (equal country weights)" if lang == "en" else "Сводно (равные веса стран)"
    return load_countries()[code].name(lang)


def countries_side_by_side(ctx: report.ReportContext) -> HTML:
    """A forest plot per key indicator with 95% CIs, and the table behind it."""
    est = country_estimates(ctx)
    parts = []
    for _item, block in est.groupby("item", sort=False):
        block = block.reset_index(drop=True)
        labels = [_country_label(c, ctx.lang) for c in block["country"]]
        fig, ax = pyplot().subplots(figsize=(6.5, 0.35 * len(block) + 0.9))
        y = np.arange(len(block))[::-1]
        values = block["proportion"] * 100
        err = [
            (block["proportion"] - block["ci_low"]) * 100,
            (block["ci_high"] - block["proportion"]) * 100,
        ]
        colors = [
            render.PALETTE[1] if c == "POOLED" else render.PALETTE[0] for c in block["country"]
        ]
        ax.errorbar(values, y, xerr=err, fmt="none", ecolor="#555", capsize=2, lw=0.9)
        ax.scatter(values, y, c=colors, zorder=3, marker="s")
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        ax.set_title(block["label"].iloc[0], fontsize=9, loc="left")
        caption = (f"{block['label'].iloc[0]}. " + t("note.ci", ctx.lang) + " "
                   + t("note.suppression", ctx.lang, min_n=ctx.min_n))  # fmt: skip
        parts.append(
            render.figure(fig, alt=f"Forest plot: {block['label'].iloc[0]}", caption=caption)
        )
    table = pd.DataFrame({
        t("table.item", ctx.lang): est["label"],
        t("table.country", ctx.lang): [_country_label(c, ctx.lang) for c in est["country"]],
        t("table.percent", ctx.lang): est["proportion"] * 100,
        t("table.ci", ctx.lang): [f"{lo * 100:.1f}–{hi * 100:.1f}" for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)],
        t("table.base", ctx.lang): est["n_base"].astype(int),
    })  # fmt: skip
    parts.append(render.table(table, caption=ctx.source, csv_name="regional_estimates.csv",
                              formats={t("table.percent", ctx.lang): ".1f"},
                              suppressed=est["suppressed"].reset_index(drop=True),
                              suppressed_text=t("table.suppressed", ctx.lang),
                              download_text=t("table.download", ctx.lang)))  # fmt: skip
    return HTML("".join(parts))


def harmonisation_notes(ctx: report.ReportContext) -> HTML:
    """Items not asked in a country, from the cleaning log."""
    log = ctx.log[ctx.log["rule"] == "not_asked"]
    if log.empty:
        return render.paragraph("All items were asked in every country.")
    table = pd.DataFrame({
        t("table.country", ctx.lang): [_country_label(c, ctx.lang) for c in log["country"]],
        t("table.item", ctx.lang): log["detail"],
    })  # fmt: skip
    return render.table(table, caption=t("quality.caption", ctx.lang), csv_name="not_asked.csv",
                        download_text=t("table.download", ctx.lang))  # fmt: skip


def cross_border_claims(ctx: report.ReportContext, top: int = 10) -> HTML:
    """Near-duplicate claim clusters that appear in more than one country."""
    content = ctx.content
    if content.empty or "cluster_id" not in content:
        return render.paragraph(t("note.no_content", ctx.lang))
    clustered = content.dropna(subset=["cluster_id"])
    spread = clustered.groupby("cluster_id").agg(
        countries=("country", lambda s: ", ".join(sorted(set(s)))),
        n_countries=("country", "nunique"),
        items=("item_id", "count"),
        languages=("lang", lambda s: ", ".join(sorted(set(s.dropna())))),
        first_seen=("date_utc", "min"),
        example=("claim_text", "first"),
    )
    spread = spread[spread["n_countries"] > 1].sort_values(
        ["n_countries", "items"], ascending=False
    )
    spread = spread.head(top).reset_index()
    spread["first_seen"] = pd.to_datetime(spread["first_seen"]).dt.strftime("%Y-%m-%d")
    spread["example"] = spread["example"].astype(str).str.slice(0, 120)
    shown = spread[["countries", "items", "languages", "first_seen", "example"]]
    return render.table(shown, caption="Clusters of near-identical claims seen in several countries.",
                        csv_name="cross_border_claims.csv",
                        download_text=t("table.download", ctx.lang))  # fmt: skip


def indicator_context(ctx: report.ReportContext) -> HTML:
    """RSF scores of all six countries since 2013 on one chart, with the 2022 method break."""
    ind = ctx.indicators
    rsf = ind[(ind["indicator"] == "rsf_score") & (ind["year"] >= 2013)]
    fig, ax = pyplot().subplots(figsize=(7.2, 3.4))
    for i, code in enumerate(COUNTRY_CODES):
        series = rsf[rsf["country"] == code].sort_values("year")
        # One line per comparable series: the chart breaks where RSF changed its method.
        for k, (_, part) in enumerate(series.groupby("series", sort=False)):
            ax.plot(part["year"], part["value"], color=render.PALETTE[i % 6], marker="o", ms=2,
                    label=_country_label(code, ctx.lang) if k == 0 else None)  # fmt: skip
    ax.axvline(2021.5, color="#999", ls="--", lw=0.8)
    ax.text(2021.6, ax.get_ylim()[1], "2022 method change", fontsize=7, va="top", color="#666")
    ax.set_ylabel("RSF score (0–100, higher = freer)")
    ax.legend(fontsize=7, ncol=3, frameon=False)
    caption = ("RSF World Press Freedom Index, 2013–latest. Lines break at the 2022 change of "
               "method; scores before 2013 used another scale and are not shown.")  # fmt: skip
    return render.figure(fig, alt="Line chart of RSF press freedom scores for six countries.",
                         caption=caption)  # fmt: skip


def header(ctx: report.ReportContext) -> HTML:
    """Title, countries, data version and build date, and the TOC placeholder."""
    names = ", ".join(_country_label(c, ctx.lang) for c in sorted(ctx.survey["country"].unique()))
    meta = t("report.regional_meta", ctx.lang, countries=names, version=report.data_version(ctx.manifest),
             built=ctx.started.strftime("%Y-%m-%d %H:%M UTC"))  # fmt: skip
    title = t("report.regional_title", ctx.lang)
    return HTML(
        f'<header class="mr-header"><h1>{render.esc(title)}</h1>'
        f'<div class="mr-meta">{render.esc(meta)}</div></header>'
        f'<nav class="mr-toc" aria-label="{render.esc(t("report.toc", ctx.lang))}"></nav>'
    )


SECTION_BUILDERS = {
    "countries": countries_side_by_side,
    "harmonisation": harmonisation_notes,
    "claims": cross_border_claims,
    "context": indicator_context,
}


def section(ctx: report.ReportContext, name: str) -> HTML:
    """A whole regional section: its heading and its body."""
    return report.heading(ctx, name) + SECTION_BUILDERS[name](ctx)
