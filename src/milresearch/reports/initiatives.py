"""The country report's observatory sections: "Who works here" and progress on the recommendations.

Both read declared data (the catalog of initiatives, the recommendations and their assessments)
and say plainly what is missing: a thin catalog is called thin, and a recommendation nobody has
assessed reads "no evidence recorded".
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from milresearch.reports import render
from milresearch.reports.bilingual import safe_href, vocabulary_label
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import country_label
from milresearch.reports.render import HTML

CATALOG_PAGE = "../catalog.html"
TRACKER_PAGE = "../tracker.html"
"""The observatory pages, from a report in ``reports/html/<lang>/``."""


def _page(report: Report, href: str) -> str:
    return href + ("#ru" if report.lang == "ru" else "")


def _category(key: str, lang: str) -> str:
    return vocabulary_label("categories", key)[lang]


def who_works_here(report: Report, frames: Frames) -> HTML:
    """Counts by category, a short list, the outlets, and how thin the coverage is."""
    name = country_label(report.country, report.lang)
    if not frames or frames["coverage"].iloc[0]["entries"] == 0:
        return render.paragraph(report.t("who.none", country=name))
    t, num = report.t, report.numbers
    cov = frames["coverage"].iloc[0]
    parts = [render.paragraph(t("who.counts", n=num.integer(cov["entries"]), country=name))]
    counts = frames["by_category"]
    shown = pd.DataFrame(
        {
            t("who.table.category"): [_category(c, report.lang) for c in counts["category"]],
            t("who.table.entries"): counts["entries"].astype(int),
        }
    )
    parts.append(
        report.table(
            shown,
            caption=t("who.caption"),
            csv_name=f"{report.country}_catalog.csv",
            formats={t("who.table.entries"): 0},
        )
    )
    if bool(cov["thin"]):
        parts.append(
            render.paragraph(
                t(
                    "who.thin",
                    n=num.integer(cov["entries"]),
                    best=num.integer(cov["best"]),
                    best_country=country_label(str(cov["best_country"]), report.lang),
                )
            )
        )
    entries = frames["entries"]
    parts.append(render.paragraph(t("who.list")))
    parts.append(
        render.links(
            [
                {
                    "text": row.name,
                    "href": safe_href(row.url),
                    "verbatim": True,
                    "detail": ", ".join(_category(c, report.lang) for c in row.categories.split()),
                }
                for row in entries.itertuples()
            ]
        )
    )
    outlets = frames["outlets"]
    if len(outlets):
        parts.append(render.paragraph(t("who.media")))
        by = Counter(outlets["category"])
        parts.append(
            render.links(
                [
                    {
                        "text": f"{_category(key, report.lang)} ({num.integer(n)})",
                        "href": None,
                        "detail": ", ".join(outlets.loc[outlets["category"] == key, "name"]),
                        "detail_verbatim": True,
                    }
                    for key, n in by.most_common()
                ]
            )
        )
    parts.append(
        render.links([{"text": t("who.more"), "href": _page(report, CATALOG_PAGE), "detail": ""}])
    )
    return render.join(parts)


def tracker(report: Report, frames: Frames) -> HTML:
    """How many recommendations stand at each status here, and the latest assessments."""
    obs = report.inputs.observatory
    if not frames or not obs:
        return HTML("")
    t, num = report.t, report.numbers
    status = frames["status"]
    labels = {k: v[report.lang] for k, v in obs["statuses"].items()}
    name = country_label(report.country, report.lang)
    link = render.links(
        [{"text": t("tracker.link"), "href": _page(report, TRACKER_PAGE), "detail": ""}]
    )
    if (status["status"] == "no_evidence").all():
        return (
            render.paragraph(
                t(
                    "tracker.country_empty",
                    country=name,
                    n=num.integer(len(status)),
                    status=labels["no_evidence"],
                )
            )
            + link
        )
    counts = Counter(status["status"])
    parts = [
        render.paragraph(t("tracker.country_intro", n=num.integer(len(status)), country=name)),
        render.bullets([f"{labels[k]}: {num.integer(counts[k])}" for k in labels if counts[k]]),
    ]
    texts = {r["id"]: r["text"][report.lang] for r in obs["recommendations"]}
    assessed = status[status["date"] != ""].sort_values("date", ascending=False)
    parts.append(
        render.links(
            [
                {
                    "text": f"{row.recommendation}: {texts[row.recommendation]}",
                    "href": safe_href(row.evidence_url),
                    "detail": f"{labels[row.status]}, {row.date}, {row.assessed_by}",
                    "detail_verbatim": True,
                }
                for row in assessed.itertuples()
            ]
        )
    )
    return render.join(parts) + link
