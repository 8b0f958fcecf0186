"""What a project's codebooks will give the reports: ``milresearch check``.

For each codebook: the report sections its items fill, the sections it leaves empty, the
variables no section shows (and why), and the design it declares. Nothing is read but the
codebooks, so a user can check a codebook before the data file is complete.
"""

from __future__ import annotations

from pathlib import Path

from milresearch.analysis.questionnaire import default_concept
from milresearch.ingest.codebook import Codebook
from milresearch.reports.i18n import t

SECTION_OF = {
    "media_use": "media",
    "trust": "trust",
    "mil_skill": "mil",
    "discernment": "discernment",
    "factcheck": "factcheck",
    "training": "factcheck",
}
"""Concept to the country-report section that shows it."""
DESIGN = ("weight", "stratum", "psu")
BOOKKEEPING = {
    "resp_id",
    "country",
    "weight",
    "stratum",
    "psu",
    "age",
    "sample_type",
    "stakeholder_group",
    "interviewer_id",
    "duration",
    "duration_sec",
    "region",
}
"""Variables that serve the design, checks or breakdowns rather than a section of their own."""


def _concept(book: Codebook, name: str) -> str | None:
    var = book.variables[name]
    return var.concept or default_concept(name, var.veracity)


def _telegram_line(book: Codebook) -> str:
    """What a content codebook gives the "Telegram channels" part (it reads ``channel``)."""
    names = {n for n, v in book.variables.items() if not v.drop}
    title = t("section.telegram", "en")
    if "channel" in names:
        forwards = (
            "forwards from forwarded_from"
            if "forwarded_from" in names
            else "no forwards (map forwarded_from to show who forwards whom)"
        )
        return f"  fills {title} with its Telegram posts: channels from channel; {forwards}"
    if book.dataset.format == "telegram":
        return (
            f"  leaves {title} empty: map channel (source: chat_name) and forwarded_from "
            "(CODEBOOK.md, 'Telegram Desktop exports')"
        )
    return f"  gives {title} nothing: no channel variable (map it to show channel posts)"


def describe_codebook(book: Codebook) -> list[str]:
    """Lines saying what ``book`` gives each report section, and what it leaves out."""
    ds = book.dataset
    kind = "synthetic" if ds.synthetic else "real"
    lines = [f"{book.path}: {ds.kind} dataset {ds.name!r} ({ds.format}, {kind} data, {ds.file})"]
    if ds.kind != "survey":
        return [
            *lines,
            "  content: shown in 'What circulates' and the regional claims section",
            _telegram_line(book),
        ]
    names = [n for n, v in book.variables.items() if not v.drop]
    filled: dict[str, list[str]] = {}
    for name in names:
        concept = _concept(book, name)
        if concept in SECTION_OF:
            filled.setdefault(SECTION_OF[concept], []).append(name)
        elif concept in book.sections:
            filled.setdefault(f"custom: {book.sections[concept]['en']}", []).append(name)
    for section, items in filled.items():
        title = t(f"section.{section}", "en") if not section.startswith("custom") else section
        lines.append(f"  fills {title}: {', '.join(items)}")
    for section in dict.fromkeys(SECTION_OF.values()):
        if section not in filled:
            lines.append(
                f"  leaves {t(f'section.{section}', 'en')} empty: the report will say "
                "this survey did not ask it"
            )
    groups = ["age_group" if "age" in names else None]
    groups += [n for n in names if _concept(book, n) == "demographic"]
    shown = [g for g in groups if g]
    lines.append(
        f"  breaks estimates down by: {', '.join(shown) or 'nothing (no age, no demographic)'}"
    )
    for name in names:
        var = book.variables[name]
        concept = _concept(book, name)
        if concept is None and name not in BOOKKEEPING:
            lines.append(
                f"  ignores {name!r} in reports: no concept; it stays in survey.parquet"
                " (declare concept: to show it)"
            )
        elif (
            concept in SECTION_OF
            and concept != "discernment"
            and var.scale is not None
            and var.share is None
            and var.scale.share is None
        ):
            lines.append(
                f"  shows {name!r} as the share of each answer: its scale "
                f"{var.scale.name!r} declares no share: (which answers count)"
            )
    missing = [d for d in DESIGN if d not in names]
    if "weight" in missing:
        lines.append("  no weight: every respondent weighs 1 (unweighted estimates)")
    if {"stratum", "psu"} & set(missing):
        lines.append(
            f"  no {' or '.join(m for m in missing if m != 'weight')}: intervals treat"
            " the sample as unstratified or unclustered"
        )
    return lines


def describe_project(raw_dir: Path) -> list[str]:
    """Lines for every codebook the project cleans (the sample only without codebooks of yours)."""
    from milresearch.clean.log import CleaningLog
    from milresearch.clean.step import project_codebooks

    log = CleaningLog()
    books = project_codebooks(raw_dir, log)
    lines = [line for book in books for line in describe_codebook(book)]
    for entry in log.entries:
        lines.append(f"note: {entry.rows} sample codebook(s) left out: {entry.detail}")
    return lines or [f"{raw_dir}: no codebooks found (see data/raw/README.md)"]
