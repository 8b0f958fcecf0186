"""The parts of a report page around its sections: banner, header and provenance footer."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping

import pandas as pd

from milresearch import __version__
from milresearch.analysis.inputs import ALL
from milresearch.paths import ROOT
from milresearch.reports import render
from milresearch.reports.document import Report
from milresearch.reports.i18n import languages, t
from milresearch.reports.labels import country_label, localised
from milresearch.reports.render import HTML

TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


def banner(report: Report) -> HTML:
    """The synthetic-data banner, naming the part of the report that is synthetic (if any)."""
    kinds = report.inputs.synthetic_kinds
    if not kinds:
        return HTML("")
    part = "both" if len(kinds) > 1 else kinds[0]
    return render.banner(report.t("banner.synthetic", parts=report.t(f"banner.part.{part}")))


def own_inputs(report: Report) -> dict[str, str]:
    """The raw inputs this report is built from (the regional report: every input).

    Its datasets' files and codebooks, the indicator files and the settings. Another country's survey is not an input of a country report, and its hash is not shown.
    """
    recorded = dict(report.inputs.inputs)
    if report.country == ALL:
        return recorded
    own = {str(d.get(key)) for d in report.inputs.datasets for key in ("file", "codebook")}
    return {
        path: digest
        for path, digest in recorded.items()
        if path in own or path.startswith(("indicators/", "<"))
    }


def data_version(inputs: Mapping[str, str]) -> str:
    """A short fingerprint of a report's inputs, shown as its data version."""
    joined = "".join(f"{k}={v}" for k, v in sorted(inputs.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:10]


def built_at(report: Report) -> str:
    """The build time of the report: the one time its header and footer both give."""
    return report.started.strftime(TIME_FORMAT)


def links(report: Report, name: str) -> list[dict[str, str]]:
    """Links to the index, the regional report and this report in the other languages.

    Paths are relative to ``reports/html/<lang>/<name>.html``, where the build writes reports,
    so the links still work when the whole folder is copied or zipped.
    """
    found = [{"href": "../index.html", "text": report.t("nav.index"), "lang": ""}]
    if name != "regional":
        found.append({"href": "regional.html", "text": report.t("nav.regional"), "lang": ""})
    for lang in languages():
        if lang != report.lang:
            text = t("nav.this_in", lang)
            found.append({"href": f"../{lang}/{name}.html", "text": text, "lang": lang})
    return found


def header(report: Report, title: str, meta: str, name: str) -> HTML:
    """Title, meta line, links and the table-of-contents placeholder the build fills."""
    return render.render_template(
        "header.html.j2",
        title=title,
        meta=meta,
        links=links(report, name),
        links_label=report.t("nav.label"),
        toc_label=report.t("report.toc"),
    )


def country_header(report: Report) -> HTML:
    """The header of a country report."""
    name = country_label(report.country, report.lang)
    meta = report.t(
        "report.meta",
        country=name,
        version=data_version(own_inputs(report)),
        built=built_at(report),
    )
    return header(report, report.t("report.title", country=name), meta, report.country)


def regional_header(report: Report) -> HTML:
    """The header of the regional report, naming the countries with survey data."""
    present = [report.inputs.survey["country"], report.inputs.content.get("country", pd.Series())]
    codes = sorted(set().union(*[set(p.dropna()) for p in present]))
    names = ", ".join(country_label(c, report.lang) for c in codes)
    meta = report.t(
        "report.regional_meta",
        countries=names,
        version=data_version(own_inputs(report)),
        built=built_at(report),
    )
    return header(report, report.t("report.regional_title"), meta, "regional")


def git_commit() -> str:
    """The short commit of the checkout the report was built from, or ``unknown``."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return out.stdout.strip() or "unknown"


def footer(report: Report, parameters: Mapping[str, object]) -> HTML:
    """Provenance: parameters, version and commit, the data it rests on, suppression, build time.

    File paths and hashes are internal: they are on the QA page (:mod:`milresearch.reports.qa`).
    """
    sources = [
        " · ".join(
            t
            for t in (
                localised(d.get("description"), report.lang),
                localised(d.get("producer"), report.lang),
            )
            if t
        )
        or str(d["name"])
        for d in report.inputs.datasets
    ]
    return render.render_template(
        "footer.html.j2",
        title=report.t("footer.title"),
        params_label=report.t("footer.params"),
        params=", ".join(f"{k}={v}" for k, v in parameters.items()),
        version=report.t("footer.version", version=__version__, commit=git_commit()),
        data=report.t("footer.data", version=data_version(own_inputs(report))),
        sources=sources,
        suppression=report.t("footer.suppression", min_n=report.min_n),
        built=report.t("footer.built", built=built_at(report)),
    )
