"""The report's charts: matplotlib figures made from analysis frames, in the house style.

Each function takes the frame to draw and the words to draw it with, and returns a figure; it
computes nothing. Suppressed rows are labelled "n < min_n", never drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd

from milresearch.reports.render import MIN_FONT_PT, PALETTE, pyplot

RSF_BREAKS = (2013, 2022)
"""First years of RSF's new methods: scores on either side of a break are not comparable."""
LIKERT_COLORS = ["#b5475d", "#e3a2ad", "#d9d9d9", "#9cc3dd", "#1f5f8b"]


PANEL_HEIGHT = 0.95
"""Inches of plot in each small-multiple panel."""
PANEL_TITLE_LINE = 0.142
"""Inches of one line of a panel title (8.5 pt at matplotlib's 1.2 line spacing)."""

LABEL_WIDTH = 34
"""Characters per line of a category label: longer labels wrap, so no chart grows wide and
shrinks on screen (a statement of twelve words would otherwise push the bars off the page)."""


def wrapped(labels: Sequence[str], width: int = LABEL_WIDTH) -> list[str]:
    """Category labels wrapped onto lines of at most ``width`` characters."""
    return [textwrap.fill(str(label), width) for label in labels]


def _rows_height(labels: Sequence[str], per_row: float, per_line: float = 0.14) -> float:
    """Inches for the rows of a horizontal chart whose labels may run over several lines."""
    return sum(per_row + per_line * (str(label).count("\n")) for label in labels)


def bars(
    est: pd.DataFrame,
    labels: Sequence[str],
    *,
    xlabel: str,
    min_n: int,
    percent: bool = True,
    color: str | None = None,
    colors: Sequence[str] | None = None,
    legend: dict[str, str] | None = None,
    title: str = "",
):
    """Horizontal bars with CI whiskers, first row on top.

    ``colors`` gives each row its own colour (true and false headlines); ``legend`` names them
    (text to colour).
    """
    est = est.iloc[::-1].reset_index(drop=True)
    labels = wrapped(list(labels)[::-1])
    scale = 100.0 if percent else 1.0
    fig, ax = pyplot().subplots(figsize=(7.2, _rows_height(labels, 0.32) + 0.9))
    value_col = "proportion" if "proportion" in est else "mean"
    values = est[value_col] * scale
    lo = (est[value_col] - est["ci_low"]) * scale
    hi = (est["ci_high"] - est[value_col]) * scale
    y = np.arange(len(est))
    shade = list(colors)[::-1] if colors is not None else color or PALETTE[0]
    ax.barh(y, values.fillna(0), color=shade, height=0.6)
    if legend:
        from matplotlib.patches import Patch

        handles = [Patch(color=c, label=text) for text, c in legend.items()]
        ax.legend(handles=handles, frameon=False, loc="lower right", fontsize=8)
    ax.errorbar(values, y, xerr=[lo, hi], fmt="none", ecolor="#333", capsize=2, lw=0.8)
    for yi, hidden in zip(y, est["suppressed"], strict=True):
        if hidden:
            ax.text(0.5, yi, f"n < {min_n}", va="center", fontsize=8, color="#777")
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(textwrap.fill(title, 2 * LABEL_WIDTH + 10), loc="left", fontsize=10)
    if percent:
        ax.set_xlim(0, 100)
    return fig


def heatmap(grid: pd.DataFrame):
    """Percentages as a shaded grid (rows by columns); missing cells show a dash."""
    fig, ax = pyplot().subplots(figsize=(7.2, 0.3 * len(grid) + 1.2))
    values = grid.to_numpy(dtype=float)
    ax.imshow(values, cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        text = "–" if np.isnan(v) else f"{v:.0f}"
        ax.text(
            j, i, text, ha="center", va="center", fontsize=8, color="white" if v > 60 else "#222"
        )
    ax.set_xticks(range(len(grid.columns)), list(grid.columns), fontsize=8)
    ax.set_yticks(range(len(grid)), list(grid.index), fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def likert(dist: pd.DataFrame, answer_names: dict[int, str], *, min_n: int, xlabel: str = "%"):
    """Stacked bars diverging from the neutral point: disagreement left, agreement right.

    With an odd number of answers the middle one straddles zero; with an even number zero lies
    between the two middle answers. ``dist`` has a ``label`` per item.
    """
    codes = sorted(int(c) for c in dist["category"].unique())
    labels = list(dict.fromkeys(dist["label"]))[::-1]
    fig, ax = pyplot().subplots(figsize=(7.2, _rows_height(wrapped(labels), 0.36) + 1.3))
    widths = []
    for code in codes:
        rows = dist[dist["category"] == code].set_index("label").reindex(labels)
        widths.append((rows["proportion"].mask(rows["suppressed"].astype(bool)) * 100).fillna(0))
    half = len(codes) // 2
    below = sum((w.to_numpy() for w in widths[:half]), np.zeros(len(labels)))
    middle = widths[half].to_numpy() / 2 if len(codes) % 2 else 0.0
    left = -(below + middle)
    colors = LIKERT_COLORS if len(codes) == len(LIKERT_COLORS) else PALETTE
    for k, (code, width) in enumerate(zip(codes, widths, strict=True)):
        ax.barh(
            labels,
            width,
            left=left,
            color=colors[k % len(colors)],
            height=0.6,
            label=answer_names.get(code, str(code)),
        )
        left = left + width.to_numpy()
    ax.axvline(0, color="#333", lw=0.8)
    for y, label in enumerate(labels):
        if dist.loc[dist["label"] == label, "suppressed"].all():
            ax.text(1, y, f"n < {min_n}", va="center", fontsize=8, color="#777")
    ax.set_yticks(range(len(labels)), wrapped(labels))
    ax.set_xlim(-100, 100)
    ticks = [-100, -50, 0, 50, 100]
    ax.set_xticks(ticks, [str(abs(v)) for v in ticks])
    ax.set_xlabel(xlabel)
    ax.legend(
        fontsize=8,
        ncol=len(codes),
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.4, -0.12 - 0.6 / max(len(labels), 1)),
    )
    return fig


def rsf(
    indicators: pd.DataFrame,
    countries: dict[str, str],
    *,
    since: int,
    axis_labels: tuple[str, str],
    break_label: str,
):
    """RSF score and rank per country since ``since``, one line per comparable series.

    The score's scale and direction changed in 2013 and in 2022, so each method gets its own
    line and the breaks are marked; the rank, lower always freer, runs on below.

    Args:
        indicators: The indicator table.
        countries: ISO3 code to the name in the legend, in drawing order.
        since: First year drawn.
        axis_labels: The score and rank axis labels.
        break_label: The break marker's text, with ``{year}``.
    """
    ind = indicators[indicators["year"] >= since]
    fig, axes = pyplot().subplots(2, 1, figsize=(7.2, 4.6), sharex=True)
    for ax, indicator, ylabel in zip(axes, ("rsf_score", "rsf_rank"), axis_labels, strict=True):
        values = ind[ind["indicator"] == indicator]
        for i, (code, name) in enumerate(countries.items()):
            series = values[values["country"] == code].sort_values("year")
            for k, (_, part) in enumerate(series.groupby("series", sort=False)):
                ax.plot(
                    part["year"],
                    part["value"],
                    color=PALETTE[i % 6],
                    marker="o",
                    ms=2,
                    label=name if k == 0 else None,
                )
        for year in RSF_BREAKS:
            if year > since:
                ax.axvline(year - 0.5, color="#999", ls="--", lw=0.8)
        ax.set_ylabel(ylabel, fontsize=8)
    axes[1].invert_yaxis()
    top = axes[0].get_ylim()[1]
    for year in RSF_BREAKS:
        if year > since:
            axes[0].text(
                year - 0.4, top, break_label.format(year=year), fontsize=8, va="top", color="#666"
            )
    if len(countries) > 1:
        axes[0].legend(fontsize=8, ncol=3, frameon=False, loc="lower left")
    return fig


def forest(block: pd.DataFrame, labels: Sequence[str], *, title: str, pooled: str = "POOLED"):
    """One item's estimate per country with its 95% CI; the pooled estimate in its own colour."""
    # Highest estimate on top, the pooled one last: a forest plot is read as a ranking.
    order = block.assign(
        _pooled=block["country"] == pooled,
        _value=block["proportion"].where(~block["suppressed"].astype(bool)),
    ).sort_values(
        ["_pooled", "_value"], ascending=[True, False], na_position="last", kind="stable"
    )
    labels = [list(labels)[i] for i in order.index]
    block = order.drop(columns=["_pooled", "_value"]).reset_index(drop=True)
    fig, ax = pyplot().subplots(figsize=(6.5, 0.35 * len(block) + 0.9))
    y = np.arange(len(block))[::-1]
    values = block["proportion"] * 100
    err = [
        (block["proportion"] - block["ci_low"]) * 100,
        (block["ci_high"] - block["proportion"]) * 100,
    ]
    colors = [PALETTE[1] if c == pooled else PALETTE[0] for c in block["country"]]
    ax.errorbar(values, y, xerr=err, fmt="none", ecolor="#555", capsize=2, lw=0.9)
    ax.scatter(values, y, c=colors, zorder=3, marker="s")
    ax.set_yticks(y, list(labels))
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.set_title(textwrap.fill(title, 2 * LABEL_WIDTH), fontsize=9, loc="left")
    return fig


def volume(periods: pd.Series, counts: pd.Series, *, ylabel: str):
    """Items per period as a line; suppressed periods are gaps (NaN counts)."""
    fig, ax = pyplot().subplots(figsize=(7.2, 2.6))
    ax.plot(periods, counts, marker="o", ms=3, color=PALETTE[5])
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    return fig


def change_panels(
    est: pd.DataFrame,
    titles: dict[str, str],
    waves: Sequence[str],
    breaks: dict[str, str],
    strong: set[str],
    *,
    min_n: int,
    columns: int = 3,
):
    """Small multiples: each item's share per wave, with its 95% interval as a band.

    A segment across a break (``breaks``: item to the break's words, for the last two waves) is
    not drawn: the two estimates stand apart on either side of a dashed line, so no eye reads a
    trend across it. Items in ``strong`` (a tested change) are drawn in the accent colour, the
    others in grey. All panels share one percentage axis, so slopes compare.
    """
    items = list(titles)
    rows = -(-len(items) // columns)
    wrapped_titles = {
        item: "\n".join(textwrap.fill(line, 30) for line in title.split("\n"))
        for item, title in titles.items()
    }
    lines = [t.count("\n") + 1 for t in wrapped_titles.values()]
    # Laid out by hand, in inches, instead of by tight_layout (which draws every panel's text
    # to measure it: a fifth of a second a chart). Outer margins need only be wide enough:
    # figure() crops the saved image to what is drawn. A row's titles stand in the gap above
    # it, so the gap fits the most title lines of any row below the first.
    above, below, panel = 0.19 + PANEL_TITLE_LINE * max(lines[:columns]), 0.343, PANEL_HEIGHT
    gap = 0.38 + PANEL_TITLE_LINE * max(lines[columns:], default=0)
    height = above + rows * panel + (rows - 1) * gap + below
    width_in, left, right, wspace = 7.2, 0.54, 0.135, 0.059
    fig, axes = pyplot().subplots(
        rows,
        columns,
        figsize=(width_in, height),
        sharex=True,
        sharey=True,
        squeeze=False,
        gridspec_kw={
            "left": left / width_in,
            "right": 1 - right / width_in,
            "top": 1 - above / height,
            "bottom": below / height,
            "wspace": wspace,
            "hspace": gap / panel,
        },
    )
    shown = est["ci_high"].where(~est["suppressed"].astype(bool))
    top = max(10.0, float(np.ceil(np.nanmax([shown.max() * 100, 1.0]) / 10.0) * 10.0))
    x_of = {w: k for k, w in enumerate(waves)}
    # A break's label stands between two waves' points: it is wrapped narrower than the gap
    # between them (a character of 8 pt is about 0.07 inch wide), so it covers neither.
    panel_width = (width_in - left - right) / (columns + (columns - 1) * wspace)
    inch_per_wave = panel_width / (len(waves) - 0.3)  # the x axis runs from -0.35 to n - 0.65
    width = max(6, min(14, int((inch_per_wave - 2 * 0.06) / 0.07)))
    for ax, item in zip(axes.flat, items, strict=False):
        rows_ = est[est["item"] == item].assign(x=lambda d: d["wave"].map(x_of))
        rows_ = rows_[~rows_["suppressed"].astype(bool)].sort_values("x")
        color = PALETTE[0] if item in strong else "#8a8a8a"
        cut = len(waves) - 1.5 if item in breaks else None
        for side in (rows_[rows_["x"] < cut], rows_[rows_["x"] > cut]) if cut else (rows_,):
            if len(side):
                ax.fill_between(
                    side["x"],
                    side["ci_low"] * 100,
                    side["ci_high"] * 100,
                    color=color,
                    alpha=0.18,
                    lw=0,
                )
                ax.plot(side["x"], side["proportion"] * 100, color=color, marker="o", ms=4, lw=1.6)
                # What errorbar(fmt="none") draws, without building its container.
                ax.vlines(
                    side["x"],
                    side["ci_low"] * 100,
                    side["ci_high"] * 100,
                    color=color,
                    lw=0.8,
                    zorder=2,
                )
        if cut is not None:
            words = textwrap.fill(breaks[item], width, break_long_words=False)
            ax.axvline(cut, color="#555", ls="--", lw=0.9)
            ax.text(
                cut,
                top * 0.04,
                words,
                fontsize=MIN_FONT_PT,
                ha="center",
                va="bottom",
                color="#333",
                linespacing=1.0,
                # On white, so the dashed line does not strike through the words.
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
            )
        hidden = set(est.loc[(est["item"] == item) & est["suppressed"].astype(bool), "wave"])
        for wave in hidden:
            ax.text(x_of[wave], top * 0.5, f"n < {min_n}", fontsize=7.5, ha="center", color="#777")
        ax.set_title(wrapped_titles[item], fontsize=8.5, loc="left")
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelbottom=True, labelsize=8)  # a panel above an empty slot keeps years
    for ax in list(axes.flat)[len(items) :]:
        ax.set_visible(False)
    first = axes[0, 0]
    first.set_ylim(0, top)
    first.set_xlim(-0.35, len(waves) - 0.65)
    first.set_xticks(range(len(waves)), list(waves))
    for ax in axes[:, 0]:
        ax.set_ylabel("%", fontsize=8)
    return fig
