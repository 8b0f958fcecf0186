"""The internal QA page of one country: what the public report leaves out on purpose.

Respondents' flagged free text, cleaning-rule ids with their counts, raw labels no mapping knew,
every suppressed cell, classifier diagnostics, file paths and input hashes. The build writes it
to ``reports/qa/<ISO3>.html`` beside the public reports; the index never links it, and it is
meant for the project team, not for sharing. It is in English, the language of the codebooks
and the log, and reads the analysis frames the report's build cached.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from milresearch import __version__
from milresearch.reports import HERE as REPORT_RESOURCES
from milresearch.reports import country, page, render
from milresearch.reports.document import Report
from milresearch.reports.labels import country_label
from milresearch.reports.quality import suppressed_cells

LANG = "en"
COMMENTS_CAPTION = (
    "Comments that carried markup or personal data, as stored after scrubbing. Shown as text;"
    " nothing in them runs. Never published."
)


def _datasets(report: Report) -> pd.DataFrame:
    keys = ("name", "kind", "format", "file", "codebook", "rows_read", "synthetic")
    return pd.DataFrame(
        [{k: d.get(k, "") for k in keys} for d in report.inputs.datasets], columns=list(keys)
    )


def _classifier(report: Report) -> pd.DataFrame:
    scores = report.analysis("content").get("classifier", pd.DataFrame())
    if scores is None or scores.empty:
        return pd.DataFrame()
    return scores.round({"precision": 3, "recall": 3, "f1": 3})


def qa_parts(report: Report) -> list[tuple[str, str, pd.DataFrame]]:
    """The page's tables: (heading, caption, frame), in the order the page shows them."""
    quality = report.analysis("quality")
    method = report.analysis("method")
    inputs = page.own_inputs(report)
    return [
        (
            "Datasets",
            "The manifest's entries of this report's datasets (paths under data/raw/).",
            _datasets(report),
        ),
        (
            "Cleaning log",
            "Every log entry of this country's datasets: rule id, rows, detail.",
            quality["log"][["dataset", "stage", "rule", "rows", "detail"]],
        ),
        (
            "Quality warnings",
            "Rules that flag more than the declared share of the delivery.",
            method.get("warnings", pd.DataFrame()),
        ),
        (
            "Unmapped labels",
            "Raw labels no declared mapping knew (kept as missing or other).",
            quality["unmapped"][["dataset", "rule", "rows", "detail"]],
        ),
        (
            "Suppressed cells",
            f"Every estimate hidden in the report (base below {report.min_n}).",
            suppressed_cells(report),
        ),
        ("Flagged free text", COMMENTS_CAPTION, quality["comments"]),
        (
            "Classifier diagnostics",
            "The baseline verdict classifier against the majority class.",
            _classifier(report),
        ),
        (
            "Inputs",
            "SHA-256 of every raw input this report reads.",
            pd.DataFrame(sorted(inputs.items()), columns=["file", "sha256"]),
        ),
    ]


def qa_page(processed_dir: str | Path, code: str, min_n: int = 30) -> str:
    """The QA page of country ``code`` as a self-contained HTML document."""
    report = country.open_report(processed_dir, code, LANG, min_n)
    sections: list[render.HTML] = []
    for heading, caption, frame in qa_parts(report):
        csv_name = f"{code}_qa_{heading.lower().replace(' ', '_')}.csv"
        body = (
            render.table(frame, caption=caption, csv_name=csv_name, numbers=report.numbers)
            if len(frame)
            else render.paragraph(f"{caption} None.")
        )
        anchor = "qa-" + heading.lower().replace(" ", "-")
        sections += [render.heading(heading, anchor), body]
    name = country_label(code, LANG)
    return render.render_template(
        "qa.html.j2",
        title=f"Internal quality report: {name} ({code})",
        meta=f"milresearch {__version__}, git commit {page.git_commit()} · minimum base {min_n}"
        f" · data version {page.data_version(page.own_inputs(report))}"
        f" · built {page.built_at(report)}",
        css=render.HTML((REPORT_RESOURCES / "report.css").read_text(encoding="utf-8")),
        body=render.join(sections),
    )
