"""The content analysis of a report ("What circulates"), as frames.

Every count comes from :mod:`milresearch.analysis.circulation` on de-duplicated items. Counts of
public content are shown whatever their size (:data:`CONTENT_MIN_N`): the survey's small-cell
rule protects respondents, and a public post needs no such protection. A share or a score
computed within a group of fewer than the report's ``min_n`` items is still flagged
``suppressed``: too few items to mean anything. Categories stay codes (platform, verdict,
language); a renderer labels them.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis import circulation
from milresearch.clean.verdicts import VERDICTS

N_TOPICS = 6
MIN_TOPIC_ITEMS = 50
"""Fewer claims than this get no topic table: six topics of a handful of texts mean nothing."""
TOPIC_SEED = 0
TOP_CLAIMS = 5
TOP_SOURCES = 10
TOP_CROSS_BORDER = 10

CONTENT_MIN_N = 0
"""The content rule: counts of public items below this are hidden (0: every count is shown)."""

Frames = dict[str, pd.DataFrame]


def _sorted_mix(items: pd.DataFrame, column: str) -> pd.DataFrame:
    table = circulation.suppress_counts(circulation.mix(items, column), CONTENT_MIN_N)
    return table.sort_values("n", ascending=False, kind="stable", ignore_index=True)


def verdicts_within(items: pd.DataFrame, column: str, min_n: int) -> pd.DataFrame:
    """The verdict mix within each platform or language, one row per group, largest first."""
    table = circulation.mix(items, "verdict", by=column)
    if table.empty:
        return pd.DataFrame()
    totals = table.groupby(column)["n"].sum().sort_values(ascending=False, kind="stable")
    wide = table.pivot(index=column, columns="category", values="share").reindex(totals.index)
    order = [v for v in (*VERDICTS, "other") if v in wide.columns]
    out = pd.DataFrame({"group": totals.index.astype(str), "n": totals.to_numpy()})
    for verdict in order:
        out[verdict] = wide[verdict].fillna(0).to_numpy()
    return out.assign(suppressed=out["n"] < min_n)


def topics(items: pd.DataFrame) -> pd.DataFrame:
    """Topics of the claims (TF-IDF and NMF): size, top terms and one example each."""
    from milresearch.analysis import topics as topic_models

    items = items.reset_index(drop=True)
    empty = pd.DataFrame(columns=["topic", "n", "suppressed", "terms", "share", "example"])
    if len(items) < MIN_TOPIC_ITEMS:
        return empty
    try:
        model = topic_models.fit_topics(
            items["claim_text"], items["lang"], n_topics=N_TOPICS, seed=TOPIC_SEED
        )
    except ValueError:  # no term left after stopwords and document-frequency limits
        return empty
    counts = model.dominant.value_counts().reindex(range(N_TOPICS), fill_value=0)
    table = circulation.suppress_counts(
        pd.DataFrame({"topic": counts.index, "n": counts.to_numpy()}), CONTENT_MIN_N
    )
    # Largest topic first: a reader looks for what circulates most.
    table = table.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)
    examples = topic_models.example_items(model, items, k=1).drop_duplicates("topic")
    example = examples.set_index("topic")["claim_text"].reindex(table["topic"]).fillna("")
    spelled = topic_models.original_words(items["claim_text"], items["lang"])
    return table.assign(
        terms=model.labels(4, spelled).reindex(table["topic"]).fillna("").to_numpy(),
        share=table["n"] / len(items),
        example=[
            ("" if hidden else str(text)[:160])
            for text, hidden in zip(example, table["suppressed"], strict=True)
        ],
    )


def claims(content: pd.DataFrame, spread: pd.DataFrame) -> pd.DataFrame:
    """Claim clusters (from :func:`circulation.claim_spread`) with an example text each."""
    spread = circulation.suppress_counts(spread, CONTENT_MIN_N).reset_index(drop=True)
    example = (
        circulation.unique_items(content)
        .dropna(subset=["cluster_id"])
        .drop_duplicates("cluster_id")
        .set_index("cluster_id")["claim_text"]
    )
    return spread.assign(example=[str(example.get(c, ""))[:160] for c in spread["cluster_id"]])


def circulating(content: pd.DataFrame, min_n: int) -> Frames:
    """Every frame of the "What circulates" section (empty frames where there is nothing)."""
    if content.empty:
        return {}
    from milresearch.analysis.classifier import evaluate_baseline

    items = circulation.unique_items(content)
    volume = circulation.volume_over_time(content, freq="M", by=None)
    frames: Frames = {
        "base": pd.DataFrame(
            [
                {
                    "items": len(items),
                    "with_verdict": int(items["verdict"].notna().sum()),
                    "with_source": int(items["source_org"].notna().sum())
                    if "source_org" in items
                    else 0,
                }
            ]
        ),
        "volume": circulation.suppress_counts(volume, CONTENT_MIN_N),
        "platforms": _sorted_mix(content, "platform"),
        "languages": _sorted_mix(
            items.assign(
                lang_script=items["lang"].astype("string")
                + " · "
                + items["script"].astype("string")
            ),
            "lang_script",
        ),
        "verdicts": _sorted_mix(items, "verdict"),
        "verdicts_by_platform": verdicts_within(items, "platform", min_n),
        "verdicts_by_lang": verdicts_within(items, "lang", min_n),
    }
    if "source_org" in items and items["source_org"].notna().any():
        found = circulation.top_counts(items, "source_org", top=TOP_SOURCES)
        frames["sources"] = circulation.suppress_counts(found, CONTENT_MIN_N)
    frames["topics"] = topics(items)
    spread = circulation.claim_spread(content)
    if len(spread):
        spread = spread.sort_values("n", ascending=False, kind="stable").head(TOP_CLAIMS)
    frames["claims"] = claims(content, spread) if len(spread) else pd.DataFrame()
    scores = evaluate_baseline(content)
    if len(scores):
        scores = circulation.suppress_counts(scores, min_n, count="support")
    frames["classifier"] = scores
    return frames


def cross_border(content: pd.DataFrame) -> pd.DataFrame:
    """Near-duplicate claim clusters that appear in more than one country."""
    if content.empty or "cluster_id" not in content:
        return pd.DataFrame()
    spread = circulation.claim_spread(content)
    spread = spread[spread["cross_border"]].head(TOP_CROSS_BORDER)
    return claims(content, spread)
