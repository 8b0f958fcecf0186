"""Sections of the regional report: countries side by side, harmonisation, cross-border claims."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from milresearch.ingest.countries import COUNTRY_CODES, load_countries
from milresearch.reports import country as report
from milresearch.reports import render
from milresearch.reports.i18n import t
from milresearch.reports.render import HTML, pyplot

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
        return t("regional.pooled", lang)
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
        countries_n = block[block["country"] != "POOLED"]
        caption = t("regional.forest_caption", ctx.lang, item=block["label"].iloc[0],
                    n=f"{int(countries_n['n_base'].sum()):,}", k=len(countries_n),
                    source=t("regional.survey_source", ctx.lang))  # fmt: skip
        caption += (
            " " + t("note.ci", ctx.lang) + " " + t("note.suppression", ctx.lang, min_n=ctx.min_n)
        )
        parts.append(
            render.figure(
                fig,
                alt=t("regional.forest_alt", ctx.lang, item=block["label"].iloc[0]),
                caption=caption,
            )
        )
    table = pd.DataFrame({
        t("table.item", ctx.lang): est["label"],
        t("table.country", ctx.lang): [_country_label(c, ctx.lang) for c in est["country"]],
        t("table.percent", ctx.lang): est["proportion"] * 100,
        t("table.ci", ctx.lang): [f"{lo * 100:.1f}–{hi * 100:.1f}" for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)],
        t("table.base", ctx.lang): est["n_base"].astype(int),
    })  # fmt: skip
    parts.append(ctx.table(table, caption=ctx.source, csv_name="regional_estimates.csv",
                           formats={t("table.percent", ctx.lang): ".1f"},
                           suppressed=est["suppressed"].reset_index(drop=True)))  # fmt: skip
    return HTML("".join(parts))


def harmonisation_table(ctx: report.ReportContext) -> pd.DataFrame:
    """Per country, items not asked, asked on another scale, or asked with a declared difference.

    An item's usual scale is the one most datasets used; a dataset that used other codes is
    listed. Notes come from the codebooks' ``note:`` fields.
    """
    lang = ctx.lang
    rows = [
        (r.country, r.detail, t("harm.not_asked", lang))
        for r in ctx.log[ctx.log["rule"] == "not_asked"].itertuples()
    ]
    surveys = [d for d in ctx.manifest["datasets"] if d["kind"] == "survey" and d.get("items")]
    asked = {}
    for d in surveys:
        for item, spec in d["items"].items():
            asked.setdefault(item, Counter())[(spec["scale"], tuple(spec["codes"]))] += 1
    usual = {item: scales.most_common(1)[0][0] for item, scales in asked.items()}
    countries = ctx.all_rows.groupby("dataset")["country"].unique()
    for d in surveys:
        for item, spec in d["items"].items():
            found = []
            if (spec["scale"], tuple(spec["codes"])) != usual[item]:
                found.append(t("harm.scale", lang, scale=spec["scale"], usual=usual[item][0]))
            if spec["note"]:
                found.append(spec["note"].get(lang) or spec["note"].get("en", ""))
            rows += [(c, item, f) for c in countries.get(d["name"], []) for f in found]
    table = pd.DataFrame(rows, columns=["country", "item", "difference"])
    return table.sort_values(["country", "item"], ignore_index=True)


def harmonisation_notes(ctx: report.ReportContext) -> HTML:
    """The harmonisation table, or a sentence saying every item was asked alike."""
    lang = ctx.lang
    table = harmonisation_table(ctx)
    if table.empty:
        return render.paragraph(t("harm.none", lang))
    shown = pd.DataFrame({
        t("table.country", lang): [_country_label(c, lang) for c in table["country"]],
        t("table.item", lang): [report._variable_label(ctx, i) for i in table["item"]],
        t("table.difference", lang): table["difference"],
    })  # fmt: skip
    return ctx.table(shown, caption=t("harm.caption", lang), csv_name="harmonisation.csv")  # fmt: skip


def cross_border_claims(ctx: report.ReportContext, top: int = 10) -> HTML:
    """Near-duplicate claim clusters that appear in more than one country."""
    from milresearch.analysis import circulation
    from milresearch.reports import content as content_section

    if ctx.content.empty or "cluster_id" not in ctx.content:
        return render.paragraph(t("note.no_content", ctx.lang))
    spread = circulation.claim_spread(ctx.content)
    spread = spread[spread["cross_border"]].head(top)
    caption = t("regional.claims_caption", ctx.lang, min_n=ctx.min_n)
    return content_section.claims_table(ctx, spread, "cross_border_claims.csv", caption)


def indicator_context(ctx: report.ReportContext) -> HTML:
    """RSF score and rank of all six countries since 2013 on one chart, with the 2022 break."""
    return render.figure(report.rsf_chart(ctx, list(COUNTRY_CODES), since=2013),
                         alt=t("regional.rsf_alt", ctx.lang),
                         caption=t("regional.rsf_caption", ctx.lang))  # fmt: skip


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
    return report.section(ctx, name, SECTION_BUILDERS)
