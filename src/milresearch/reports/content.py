"""The "What circulates" section of a country report, built from the content analysis modules.

Every count comes from :mod:`milresearch.analysis.circulation` on de-duplicated items, and every count
below the report's small-cell threshold is suppressed, as on the survey side.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis import circulation
from milresearch.analysis.questionnaire import CHANNELS
from milresearch.clean.content import VERDICTS
from milresearch.reports import render
from milresearch.reports.i18n import t
from milresearch.reports.render import HTML, pyplot

N_TOPICS = 6
TOPIC_SEED = 0
TOP_CLAIMS = 5
PLATFORM_CHANNELS = {"website": "news_sites"} | {c: c for c in CHANNELS}
"""Content platform to the survey's media-use channel asked about it."""


def build(ctx, daily_use: pd.DataFrame, source: str) -> HTML:
    """The whole section for ``ctx.content``.

    Args:
        ctx: A report context (``content``, ``lang``, ``min_n``, ``country``).
        daily_use: Survey estimates of daily use per channel (``item`` = ``use_<channel>``).
        source: Citation of the content datasets.
    """
    if ctx.content.empty:
        return render.paragraph(t("note.no_content", ctx.lang))
    parts = [
        volume(ctx, source),
        platforms_beside_use(ctx, daily_use),
        languages(ctx),
        verdicts(ctx),
        verdicts_by(ctx, "platform"),
        verdicts_by(ctx, "lang"),
        sources(ctx),
        topics(ctx),
        repeated_claims(ctx),
        classifier(ctx),
        render.note(t("note.suppression", ctx.lang, min_n=ctx.min_n)),
    ]
    return HTML("".join(parts))


def _base(ctx) -> str:
    return f"{len(circulation.unique_items(ctx.content)):,}"


def volume(ctx, source: str) -> HTML:
    """Items per month (local date), with months under the threshold left out of the line."""
    lang = ctx.lang
    vol = circulation.suppress_counts(
        circulation.volume_over_time(ctx.content, freq="M", by=None), ctx.min_n
    )
    fig, ax = pyplot().subplots(figsize=(7.2, 2.6))
    ax.plot(vol["period"], vol["n"].where(~vol["suppressed"]), marker="o", ms=3,
            color=render.PALETTE[5])  # fmt: skip
    ax.set_ylabel(t("content.per_month", lang))
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    caption = t("content.volume_caption", lang, n=_base(ctx), min_n=ctx.min_n, source=source)
    return render.figure(fig, alt=t("content.volume_alt", lang), caption=caption)


def _use_text(row: pd.Series | None, lang: str) -> str:
    if row is None:
        return t("content.not_asked", lang)
    if row["suppressed"]:
        return t("table.suppressed", lang)
    return f"{row['proportion'] * 100:.1f} ({row['ci_low'] * 100:.1f}–{row['ci_high'] * 100:.1f})"


def platforms_beside_use(ctx, daily_use: pd.DataFrame) -> HTML:
    """Items per platform beside the share of respondents using that platform daily."""
    lang = ctx.lang
    plat = circulation.suppress_counts(circulation.mix(ctx.content, "platform"), ctx.min_n)
    plat = plat.sort_values("n", ascending=False, kind="stable", ignore_index=True)
    use = {row["item"]: row for _, row in daily_use.iterrows()} if len(daily_use) else {}
    channels = [PLATFORM_CHANNELS.get(p) for p in plat["category"]]
    shown = pd.DataFrame({
        t("table.platform", lang): [t(f"channel.{c}", lang) if c else p
                                    for p, c in zip(plat["category"], channels, strict=True)],
        t("table.count", lang): plat["n"],
        t("table.share_items", lang): plat["share"] * 100,
        t("table.daily_use", lang): [_use_text(use.get(f"use_{c}") if c else None, lang)
                                     for c in channels],
    })  # fmt: skip
    return ctx.table(shown, caption=t("content.platforms_caption", lang, n=_base(ctx)),
                     csv_name=f"{ctx.country}_platforms.csv",
                     formats={t("table.share_items", lang): ".1f"},
                     suppressed=plat["suppressed"])  # fmt: skip


def _mix_table(ctx, column: str, values: pd.Series, label_key: str, caption: str) -> HTML:
    lang = ctx.lang
    items = circulation.unique_items(ctx.content).assign(**{column: values})
    table = circulation.suppress_counts(circulation.mix(items, column), ctx.min_n)
    table = table.sort_values("n", ascending=False, kind="stable", ignore_index=True)
    shown = pd.DataFrame({
        t(label_key, lang): table["category"].astype(str),
        t("table.count", lang): table["n"],
        t("table.share_items", lang): table["share"] * 100,
    })  # fmt: skip
    return ctx.table(shown, caption=caption, csv_name=f"{ctx.country}_{column}.csv",
                     formats={t("table.share_items", lang): ".1f"},
                     suppressed=table["suppressed"])  # fmt: skip


def languages(ctx) -> HTML:
    """Detected language and script of the items."""
    items = circulation.unique_items(ctx.content)
    both = items["lang"].astype("string") + " · " + items["script"].astype("string")
    caption = t("content.languages_caption", ctx.lang, n=_base(ctx))
    return _mix_table(ctx, "lang_script", both, "table.language_script", caption)


def verdicts(ctx) -> HTML:
    """Canonical fact-check verdicts (posts without a verdict are not counted)."""
    items = circulation.unique_items(ctx.content)
    caption = t("content.verdicts_caption", ctx.lang, n=f"{items['verdict'].notna().sum():,}")
    names = items["verdict"].map(lambda v: t(f"verdict.{v}", ctx.lang), na_action="ignore")
    return _mix_table(ctx, "verdict", names, "table.verdict", caption)


def _platform_label(platform: str, lang: str) -> str:
    channel = PLATFORM_CHANNELS.get(platform)
    return t(f"channel.{channel}", lang) if channel else str(platform)


def verdicts_by(ctx, column: str) -> HTML:
    """The verdict mix within each platform or language; groups under the threshold hidden."""
    lang = ctx.lang
    items = circulation.unique_items(ctx.content)
    table = circulation.mix(items, "verdict", by=column)
    if table.empty:
        return HTML("")
    totals = table.groupby(column)["n"].sum().sort_values(ascending=False, kind="stable")
    wide = table.pivot(index=column, columns="category", values="share").reindex(totals.index)
    order = [v for v in (*VERDICTS, "other") if v in wide.columns]
    names = (
        totals.index.map(lambda v: _platform_label(v, lang))
        if column == "platform"
        else totals.index
    )
    shown = pd.DataFrame({
        t(f"table.{column}", lang): [str(v) for v in names],
        t("table.count", lang): totals.to_numpy(),
        **{t(f"verdict.{v}", lang): wide[v].fillna(0).to_numpy() * 100 for v in order},
    })  # fmt: skip
    formats = {t(f"verdict.{v}", lang): ".1f" for v in order}
    caption = t(f"content.verdicts_by_{column}_caption", lang, n=f"{int(totals.sum()):,}",
                min_n=ctx.min_n)  # fmt: skip
    return ctx.table(shown, caption=caption, csv_name=f"{ctx.country}_verdicts_by_{column}.csv",
                     formats=formats, suppressed=pd.Series(totals.to_numpy() < ctx.min_n))  # fmt: skip


def sources(ctx, top: int = 10) -> HTML:
    """The organisations the items come from (fact-checkers, monitoring services), most first.

    Only organisations are named: the accounts that spread a claim may be private people.
    """
    lang = ctx.lang
    items = circulation.unique_items(ctx.content)
    if "source_org" not in items or items["source_org"].isna().all():
        return HTML("")
    found = circulation.top_counts(items, "source_org", top=top)
    table = circulation.suppress_counts(found, ctx.min_n)
    shown = pd.DataFrame({
        t("table.source", lang): table["source_org"].astype(str),
        t("table.count", lang): table["n"],
        t("table.share_items", lang): table["share"] * 100,
    })  # fmt: skip
    caption = t("content.sources_caption", lang, n=f"{int(items['source_org'].notna().sum()):,}")
    return ctx.table(shown, caption=caption, csv_name=f"{ctx.country}_sources.csv",
                     formats={t("table.share_items", lang): ".1f"},
                     suppressed=table["suppressed"])  # fmt: skip


def topics(ctx) -> HTML:
    """Topics of the claims (TF-IDF and NMF), their size and an example of each."""
    from milresearch.analysis import topics as topic_models

    lang = ctx.lang
    items = circulation.unique_items(ctx.content).reset_index(drop=True)
    model = topic_models.fit_topics(items["claim_text"], items["lang"], n_topics=N_TOPICS,
                                    seed=TOPIC_SEED)  # fmt: skip
    counts = model.dominant.value_counts().reindex(range(N_TOPICS), fill_value=0)
    table = circulation.suppress_counts(
        pd.DataFrame({"topic": counts.index, "n": counts.to_numpy()}), ctx.min_n
    )
    examples = topic_models.example_items(model, items, k=1).drop_duplicates("topic")
    example = examples.set_index("topic")["claim_text"].reindex(table["topic"]).fillna("")
    shown = pd.DataFrame({
        t("table.topic", lang): model.labels(4).reindex(table["topic"]).fillna("").to_numpy(),
        t("table.count", lang): table["n"],
        t("table.share_items", lang): table["n"] / len(items) * 100,
        t("table.example", lang): [("" if hidden else str(text)[:160]) for text, hidden
                                   in zip(example, table["suppressed"], strict=True)],
    })  # fmt: skip
    caption = t("content.topics_caption", lang, seed=TOPIC_SEED, n=_base(ctx))
    return ctx.table(shown, caption=caption, csv_name=f"{ctx.country}_topics.csv",
                     formats={t("table.share_items", lang): ".1f"},
                     suppressed=table["suppressed"])  # fmt: skip


def claims_table(ctx, spread: pd.DataFrame, csv_name: str, caption: str) -> HTML:
    """Claim clusters (from :func:`circulation.claim_spread`) with an example text each."""
    lang = ctx.lang
    spread = circulation.suppress_counts(spread, ctx.min_n).reset_index(drop=True)
    example = (circulation.unique_items(ctx.content).dropna(subset=["cluster_id"])
               .drop_duplicates("cluster_id").set_index("cluster_id")["claim_text"])  # fmt: skip
    shown = pd.DataFrame({
        t("table.example", lang): [str(example.get(c, ""))[:160] for c in spread["cluster_id"]],
        t("table.count", lang): spread["n"],
        t("table.countries", lang): spread["countries"],
        t("table.platforms", lang): spread["platforms"],
        t("table.languages", lang): spread["languages"],
        t("table.first_seen", lang): pd.to_datetime(spread["first_local"]).dt.strftime("%Y-%m-%d"),
    })  # fmt: skip
    return ctx.table(shown, caption=caption, csv_name=csv_name,
                     suppressed=spread["suppressed"])  # fmt: skip


def repeated_claims(ctx) -> HTML:
    """The most repeated claims: near-duplicate clusters with their first appearance."""
    spread = circulation.claim_spread(ctx.content)
    if spread.empty:
        return render.paragraph(t("content.no_repeats", ctx.lang))
    spread = spread.sort_values("n", ascending=False, kind="stable").head(TOP_CLAIMS)
    caption = t("content.claims_caption", ctx.lang, min_n=ctx.min_n)
    return claims_table(ctx, spread, f"{ctx.country}_claims.csv", caption)


def classifier(ctx) -> HTML:
    """The baseline classifier's honest evaluation beside the majority-class baseline."""
    from milresearch.analysis.classifier import evaluate_baseline

    lang = ctx.lang
    scores = evaluate_baseline(ctx.content)
    if scores.empty:
        return render.paragraph(t("content.classifier_none", lang, reason=scores.attrs["reason"]))
    scores = circulation.suppress_counts(scores, ctx.min_n, count="support")
    shown = pd.DataFrame({
        t("table.evaluation", lang): [t(f"eval.{e}", lang) for e in scores["evaluation"]],
        t("table.model", lang): [t(f"model.{m}", lang) for m in scores["model"]],
        t("table.class", lang): [t(f"class.{c}", lang) for c in scores["class"]],
        t("table.precision", lang): scores["precision"],
        t("table.recall", lang): scores["recall"],
        "F1": scores["f1"],
        t("table.support", lang): scores["support"],
    })  # fmt: skip
    formats = {t("table.precision", lang): ".2f", t("table.recall", lang): ".2f", "F1": ".2f"}
    return ctx.table(shown, caption=t("content.classifier_caption", lang, min_n=ctx.min_n),
                     csv_name=f"{ctx.country}_classifier.csv", formats=formats,
                     suppressed=scores["suppressed"])  # fmt: skip
