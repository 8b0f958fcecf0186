"""Renderer of "Change since <wave>": small multiples, and a verdict for every item.

It draws the frames of :func:`milresearch.analysis.change.change` and computes nothing: each
item's share in every wave with its interval, the latest change tested or marked not comparable
(with the reason in words), and a one-line note for a country with one wave.
"""

from __future__ import annotations

import pandas as pd

from milresearch.analysis.change import ALL, CONCEPTS
from milresearch.analysis.country import is_trust_source
from milresearch.reports import charts, render
from milresearch.reports.document import Frames, Report
from milresearch.reports.labels import (
    country_label,
    interval_text,
    item_label,
    localised,
    mode_label,
)
from milresearch.reports.render import HTML
from milresearch.reports.survey import survey_source


def change_label(report: Report, item: str, concept: str) -> str:
    """What an item's share counts, in words: "Daily news from Telegram", "Trust: State media"."""
    label = item_label(item, report.lang, report.inputs)
    if concept == "media_use" and item.startswith("use_"):
        return report.t("change.label.media", item=label)
    if concept == "trust" and bool(is_trust_source(pd.Series([item])).iloc[0]):
        return report.t("change.label.trust", item=label)
    if concept == "mil_skill":
        return report.t("change.label.agree", item=label)
    return label


def verdict_text(report: Report, row: pd.Series) -> str:
    """The verdict of one item's change in words, with the reason when it is not comparable."""
    verdict = str(row["verdict"])
    if verdict != "not_comparable":
        return report.t(f"change.verdict.{verdict}")
    reason = str(row["reason"])
    values = {"earlier": row["earlier"], "latest": row["latest"]}
    if reason == "mode":
        values |= {
            "from": mode_label(str(row["reason_earlier"]), report.lang),
            "to": mode_label(str(row["reason_latest"]), report.lang),
        }
    if reason == "not_asked":
        values["wave"] = row["earlier"] if not row["reason_earlier"] else row["latest"]
    return report.t(f"change.reason.{reason}", **values)


def _difference(report: Report, row: pd.Series) -> str:
    if row["verdict"] not in ("changed", "within_noise"):
        return ""
    num = report.numbers
    diff = num.decimal(row["difference"] * 100, 1)
    diff = diff if diff.startswith(("−", "-")) or diff.strip("0,.") == "" else "+" + diff
    return f"{diff} ({interval_text(row['ci_low'], row['ci_high'], report.lang)})"


def _share(report: Report, est: pd.DataFrame, item: str, wave: str) -> str:
    row = est[(est["item"] == item) & (est["wave"] == wave)]
    if row.empty:
        return ""
    row = row.iloc[0]
    if row["suppressed"]:
        return report.t("table.suppressed")
    return report.numbers.points(row["proportion"])


def _panel_title(report: Report, row: pd.Series, label: str) -> str:
    if row["verdict"] in ("changed", "within_noise"):
        diff = report.numbers.decimal(row["difference"] * 100, 1)
        diff = diff if diff.startswith(("−", "-")) else "+" + diff
        return f"{label}\n{report.t('change.panel', diff=diff)} · {verdict_text(report, row)}"
    # The dashed line names the break; the title only says the item is not compared.
    if row["reason"] == "not_asked":
        return f"{label}\n{verdict_text(report, row)}"
    short = (
        "change.panel_break" if row["verdict"] == "not_comparable" else "change.verdict.suppressed"
    )
    return f"{label}\n{report.t(short)}"


def _break_words(report: Report, row: pd.Series) -> str | None:
    if row["verdict"] != "not_comparable" or row["reason"] == "not_asked":
        return None
    return report.t(f"change.break.{row['reason']}")


def change(report: Report, frames: Frames) -> HTML:
    """The country's change since its previous wave; one line when it has one wave."""
    waves, est, changes = frames["waves"], frames["estimates"], frames["changes"]
    if len(waves) < 2:
        wave = str(waves["wave"].iloc[0]) if len(waves) else ""
        key = "change.one_wave" if wave else "change.one_wave_unnamed"
        return render.note(report.t(key, wave=wave))
    earlier, latest = waves.iloc[-2], waves.iloc[-1]
    num = report.numbers
    parts = [render.heading(report.t("change.title", wave=earlier["wave"]), "sec-change")]
    describe = {
        f"{side}_{key}": value
        for side, w in (("earlier", earlier), ("latest", latest))
        for key, value in (
            ("wave", w["wave"]),
            ("n", num.integer(w["n"])),
            ("mode", mode_label(str(w["mode"]), report.lang) or "–"),
        )
    }
    parts.append(render.paragraph(report.t("change.intro", **describe)))
    everyone = changes[changes["grouping"] == ALL].reset_index(drop=True)
    if (everyone["reason"] == "mode").any():
        parts.append(render.paragraph(report.t("change.mode_break", **describe)))
    wave_ids = [str(w) for w in waves["wave"]]
    for concept in CONCEPTS:
        block = everyone[everyone["concept"] == concept]
        if block.empty:
            continue
        titles = {r["item"]: change_label(report, r["item"], concept) for _, r in block.iterrows()}
        fig = charts.change_panels(
            est[est["item"].isin(titles)] if len(est) else est,
            # The caption names what is counted; each panel names its item only.
            {
                r["item"]: _panel_title(
                    report, r, item_label(r["item"], report.lang, report.inputs)
                )
                for _, r in block.iterrows()
            },
            wave_ids,
            {r["item"]: w for _, r in block.iterrows() if (w := _break_words(report, r))},
            set(block.loc[block["verdict"] == "changed", "item"]),
            min_n=report.min_n,
        )
        parts.append(
            report.figure(
                fig,
                alt=report.t("change.alt", concept=report.t(f"change.concept.{concept}")),
                caption=report.t(
                    "change.caption", concept=report.t(f"change.concept.{concept}"), **describe
                ),
                source=survey_source_all(report),
            )
        )
    parts.append(_table(report, everyone, est, changes, describe))
    return render.join(parts) + report.footnotes(
        everyone.assign(suppressed=everyone["verdict"] == "suppressed")
    )


def survey_source_all(report: Report) -> str:
    """The citation of every wave's survey, earliest first."""
    names = [
        (localised(d.get("description"), report.lang) or d["name"]).rstrip(".")
        for d in report.inputs.wave_datasets
    ]
    return "; ".join(names) or survey_source(report)


def _table(
    report: Report, everyone: pd.DataFrame, est: pd.DataFrame, changes: pd.DataFrame, describe
) -> HTML:
    """Every compared item: its share in both waves, the change with its CI, and the verdict."""
    earlier, latest = describe["earlier_wave"], describe["latest_wave"]
    t = report.t
    shown = pd.DataFrame(
        {
            t("table.item"): [
                change_label(report, r["item"], r["concept"]) for _, r in everyone.iterrows()
            ],
            t("change.table.share", wave=earlier): [
                _share(report, est, i, earlier) for i in everyone["item"]
            ],
            t("change.table.share", wave=latest): [
                _share(report, est, i, latest) for i in everyone["item"]
            ],
            t("change.table.difference"): [_difference(report, r) for _, r in everyone.iterrows()],
            t("change.table.verdict"): [verdict_text(report, r) for _, r in everyone.iterrows()],
        }
    )
    # The download holds every group's change, with the test, for re-analysis.
    return report.table(
        shown,
        caption=t("change.table.caption", **describe),
        csv_name=f"{report.country}_change.csv",
        csv=changes.drop(columns=["concept"]),
    )


def _cell(report: Report, row: pd.Series) -> str:
    """One country's change of one item, short: "+17.0 · changed", "not comparable: mode"."""
    if row["verdict"] in ("changed", "within_noise"):
        diff = report.numbers.decimal(row["difference"] * 100, 1)
        diff = diff if diff.startswith(("−", "-")) else "+" + diff
        return report.t(f"change.cell.{row['verdict']}", diff=diff)
    if row["verdict"] == "not_comparable":
        return report.t(f"change.cell.{row['reason']}")
    return report.t("table.suppressed")


def regional_change(report: Report, frames: Frames) -> HTML:
    """Change since each country's previous wave, side by side; who has no earlier wave."""
    changes, waves = frames["changes"], frames["waves"]
    lang = report.lang
    if waves.empty:
        return HTML("")
    counts = waves.groupby("country", sort=True)["wave"].apply(list)
    with_change = [c for c, w in counts.items() if len(w) > 1]
    alone = [country_label(c, lang) for c, w in counts.items() if len(w) < 2]
    parts = [render.heading(report.t("section.regional_change"), "sec-change")]
    if not with_change:
        return render.note(report.t("change.regional.none"))
    pairs = ", ".join(
        f"{country_label(c, lang)} ({counts[c][-2]}–{counts[c][-1]})" for c in with_change
    )
    parts.append(render.paragraph(report.t("change.regional.intro", countries=pairs)))
    if alone:
        parts.append(
            render.paragraph(report.t("change.regional.lacking", countries=", ".join(alone)))
        )
    items = list(dict.fromkeys(changes["item"]))
    concept = changes.drop_duplicates("item").set_index("item")["concept"]
    cells = {(r["item"], r["country"]): _cell(report, r) for _, r in changes.iterrows()}
    shown = pd.DataFrame(
        {report.t("table.item"): [change_label(report, i, str(concept[i])) for i in items]}
        | {country_label(c, lang): [cells.get((i, c), "") for i in items] for c in with_change}
    )
    parts.append(
        report.table(
            shown,
            caption=report.t("change.regional.caption"),
            csv_name="regional_change.csv",
            csv=changes,
        )
    )
    return render.join(parts)
