"""A report being built: its inputs, language and threshold, and its sections.

A section is an analysis step (frames, language-free) and a renderer (frames to HTML in the
report language). :meth:`Report.section` runs both and returns a :class:`Section`, which a
notebook cell shows as HTML and a researcher can inspect (``section.frames``). Analysis results
are memoised per report and never changed afterwards, so re-running any cell, in any order,
gives the same output: nothing accumulates between cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from milresearch.analysis.cache import AnalysisCache
from milresearch.analysis.design import SurveyDesign
from milresearch.analysis.inputs import ReportInputs, load_inputs
from milresearch.reports import render
from milresearch.reports.i18n import check_language, t
from milresearch.reports.numbers import Numbers
from milresearch.reports.render import HTML

Frames = Mapping[str, pd.DataFrame]


class NoFrames(Mapping[str, pd.DataFrame]):
    """The frames of a survey section in a report without survey rows: each one is empty."""

    def __getitem__(self, key: str) -> pd.DataFrame:
        return pd.DataFrame()

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass(frozen=True)
class Section:
    """One built section: the frames behind it and its HTML (shown by Jupyter)."""

    name: str
    frames: Frames
    html: HTML

    def _repr_html_(self) -> str:
        return str(self.html)


@dataclass(frozen=True)
class SectionSpec:
    """How a section is made: ``analyse(report)`` to frames, ``render(report, frames)`` to HTML."""

    analyse: Callable[[Report], dict[str, pd.DataFrame]]
    render: Callable[[Report, Frames], HTML]
    heading: bool = True
    """False for parts without a heading of their own (none today; kept for new sections)."""
    survey: bool = False
    """True for sections drawn from the survey: a report without survey rows leaves them out."""
    title: str = ""
    """Message key of the heading when it is not ``section.<name>`` (a regional wording)."""
    level: int = 2
    """The heading's level: 3 for a part of the section before it."""


@dataclass
class Report:
    """Everything one report reads, with its sections' memoised analysis."""

    inputs: ReportInputs
    lang: str
    min_n: int
    sections: Mapping[str, SectionSpec]
    title: Callable[[Report], HTML]
    """The report's header (title, country, data version, build time)."""
    cache: AnalysisCache | None = None
    """Where analysis frames are kept across runs and languages (None: computed every time)."""
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    _analysed: dict[str, Frames] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        check_language(self.lang)
        self.min_n = int(self.min_n)

    @property
    def country(self) -> str:
        """ISO3 code of the report's country, or ``"ALL"``."""
        return self.inputs.country

    @cached_property
    def design(self) -> SurveyDesign:
        """The national probability samples' design, bound once."""
        return SurveyDesign.of_countries(self.inputs.survey, self.min_n)

    @property
    def numbers(self) -> Numbers:
        """Numbers as the report language writes them ("1 268", "53,8 %")."""
        return Numbers(self.lang)

    def t(self, key: str, **values: object) -> str:
        """A message in the report language."""
        return t(key, self.lang, **values)

    def analysis(self, name: str) -> Frames:
        """The frames of section ``name`` (computed once, then read-only)."""
        if name not in self._analysed:
            spec = self.sections[name]
            analyse = spec.analyse
            frames: Frames
            if spec.survey and self.inputs.survey.empty:
                # Nothing to estimate from and nothing to cache: every frame is empty.
                self._analysed[name] = NoFrames()
                return self._analysed[name]
            elif self.cache is None:
                frames = analyse(self)
            else:
                frames = self.cache.frames(name, lambda: analyse(self))
            self._analysed[name] = MappingProxyType(dict(frames))
        return self._analysed[name]

    def section(self, name: str) -> Section:
        """Section ``name``: its heading, its rendered frames, and the frames themselves."""
        if name not in self.sections:
            raise KeyError(f"no section {name!r}; this report has {', '.join(self.sections)}")
        spec = self.sections[name]
        if spec.survey and self.inputs.survey.empty:
            return Section(name, self.analysis(name), HTML(""))
        frames = self.analysis(name)
        body = spec.render(self, frames)
        if not body:
            # A section with nothing to show (no custom sections, no stakeholders) is left out.
            return Section(name, frames, body)
        if spec.heading:
            key = spec.title or f"section.{name}"
            body = render.heading(self.t(key), f"sec-{name}", spec.level) + body
        return Section(name, frames, body)

    def banner(self) -> HTML:
        """The synthetic-data banner (empty when every dataset of the report is real)."""
        from milresearch.reports import page

        return page.banner(self)

    def header(self) -> HTML:
        """The report's header."""
        return self.title(self)

    def footer(self, parameters: dict) -> HTML:
        """Provenance of the report: parameters, data version, code version."""
        from milresearch.reports import page

        return page.footer(self, parameters)

    def table(
        self,
        shown: pd.DataFrame,
        *,
        caption: str,
        csv_name: str,
        formats: dict[str, int] | None = None,
        suppressed: pd.Series | None = None,
        csv: pd.DataFrame | None = None,
        folded: bool = False,
        verbatim: tuple[str, ...] = (),
    ) -> HTML:
        """A table in the report language; suppressed rows show the word, not numbers.

        A suppressed row hides its interval column too: "suppressed", not "the design allows none".

        ``folded``: the numbers behind a chart, folded under it with the chart's caption only.
        """
        if suppressed is not None:
            suppressed = suppressed.reset_index(drop=True).astype(bool)
        return render.table(
            shown,
            caption=caption,
            csv_name=csv_name,
            formats=formats,
            suppressed=suppressed,
            suppressed_text=self.t("table.suppressed"),
            download_text=self.t("table.download"),
            csv=csv,
            numbers=self.numbers,
            folded=self.t("table.behind_chart") if folded else "",
            verbatim=verbatim,
            masked=(self.t("table.ci"),),
        )

    def figure(self, fig, *, alt: str, caption: str, source: str, kind: str = "survey") -> HTML:
        """A chart with its source, and the synthetic-data warning, drawn inside the image.

        ``kind`` is the data it draws (``survey``, ``content`` or ``indicators``): the warning
        goes on it only when that kind is synthetic (public indicators never are).
        """
        stamp = self.t("figure.source", source=source)
        if kind in self.inputs.synthetic_kinds:
            stamp += " · " + self.t("synthetic.short")
        return render.figure(fig, alt=alt, caption=caption, numbers=self.numbers, stamp=stamp)

    def footnotes(self, *estimates: pd.DataFrame) -> HTML:
        """The CI note, and the suppression note when any of the estimates is hidden."""
        notes = [self.t("note.ci")]
        if not estimates or any(bool(e["suppressed"].any()) for e in estimates if len(e)):
            notes.append(self.t("note.suppression", min_n=self.min_n))
        return render.join([render.note(n) for n in notes])

    def n(self) -> str:
        """The national sample's size, formatted for captions."""
        return self.numbers.integer(len(self.inputs.survey))


def open_document(
    processed_dir: str | Path,
    country: str,
    lang: str,
    min_n: int,
    sections: Mapping[str, SectionSpec],
    title: Callable[[Report], HTML],
    cache: bool = True,
) -> Report:
    """A report on ``country``'s rows of the processed tables (``"ALL"``: every country)."""
    inputs = load_inputs(processed_dir, country)
    store = (
        AnalysisCache.for_report(Path(processed_dir), country, inputs.analysis_key, min_n)
        if cache
        else None
    )
    return Report(inputs, lang, min_n, sections, title, cache=store)
