"""Charts of what moves between channels: forward flows, claim timelines, channel activity.

Like :mod:`milresearch.reports.charts`, each function takes the frame to draw and the words to
draw it with and computes nothing. They are drawn for a phone: at most :data:`MAX_FLOWS`
flows, labels wrapped short, one colour for flows within the country and one across borders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from milresearch.reports.charts import wrapped
from milresearch.reports.render import PALETTE, pyplot

MAX_FLOWS = 8
"""Flows a Sankey-style chart draws: more, and a phone shows a tangle."""
NAME_WIDTH = 13
"""Characters per line of a channel's name beside the flows."""
FLOW_WIDTH = 2.6
"""Inches: narrow enough that the chart fits a 390 px phone at its phone scale, unscrolled."""
DOMESTIC, ABROAD, UNKNOWN = PALETTE[0], PALETTE[1], "#9a9a9a"


def _band(ax, y0: tuple[float, float], y1: tuple[float, float], color: str) -> None:
    """A band from the left column's span ``y0`` to the right column's ``y1`` (an S-curve)."""
    x = np.linspace(0.0, 1.0, 50)
    ease = 3 * x**2 - 2 * x**3
    low = y0[0] + (y1[0] - y0[0]) * ease
    high = y0[1] + (y1[1] - y0[1]) * ease
    ax.fill_between(0.08 + 0.84 * x, low, high, color=color, alpha=0.55, lw=0)


def _stack(totals: pd.Series, gap: float, floor: float = 0.09) -> dict[str, list[float]]:
    """Each node's [bottom, top] in a column, largest on top, with gaps between nodes.

    Heights follow the counts, but none is below ``floor`` of the column: a small node's two
    lines of label need the room, or they run into the next one.
    """
    room = 1.0 - gap * (len(totals) - 1)
    floor = min(floor, room / len(totals))
    shares = totals.astype(float) / float(totals.sum())
    heights = floor + shares * (room - floor * len(totals))
    spans, top = {}, 1.0
    for name, height in heights.items():
        spans[str(name)] = [top - float(height), top]
        top -= float(height) + gap
    return spans


def forward_flows(
    edges: pd.DataFrame, names: Mapping[str, str], legend: Mapping[str, str], count_label
):
    """A Sankey-style chart: sources on the left, forwarding channels on the right.

    Args:
        edges: Rows with ``source``, ``source_country``, ``channel``, ``n`` and
            ``cross_border``, most first; only the first :data:`MAX_FLOWS` are drawn. A source
            of unknown country (not in the data, or a person) is drawn grey.
        names: What to write for each source and channel (people pooled under one word).
        legend: ``domestic``, ``abroad`` and ``unknown`` to their words.
        count_label: A function writing a count in the report's language.
    """
    edges = edges.head(MAX_FLOWS)
    left = edges.groupby("source", sort=False)["n"].sum().sort_values(ascending=False)
    right = edges.groupby("channel", sort=False)["n"].sum().sort_values(ascending=False)
    rows = max(len(left), len(right))
    fig, ax = pyplot().subplots(figsize=(FLOW_WIDTH, 0.6 * rows + 1.0))
    gap = 0.04 if rows > 1 else 0.0
    spans_l, spans_r = _stack(left, gap), _stack(right, gap)
    fill_l = {k: v[1] for k, v in spans_l.items()}
    fill_r = {k: v[1] for k, v in spans_r.items()}
    for edge in edges.itertuples():
        height_l = (spans_l[edge.source][1] - spans_l[edge.source][0]) * edge.n / left[edge.source]
        height_r = (
            (spans_r[edge.channel][1] - spans_r[edge.channel][0]) * edge.n / right[edge.channel]
        )
        y0 = (fill_l[edge.source] - height_l, fill_l[edge.source])
        y1 = (fill_r[edge.channel] - height_r, fill_r[edge.channel])
        fill_l[edge.source] -= height_l
        fill_r[edge.channel] -= height_r
        known = isinstance(edge.source_country, str) and bool(edge.source_country)
        _band(ax, y0, y1, ABROAD if edge.cross_border else DOMESTIC if known else UNKNOWN)
    for spans, totals, x, side in ((spans_l, left, 0.0, "right"), (spans_r, right, 1.0, "left")):
        for name, (bottom, top) in spans.items():
            ax.add_patch(
                pyplot().Rectangle(
                    (x, bottom), 0.08 if x == 0 else -0.08, top - bottom, color="#444", lw=0
                )
            )
            label = wrapped([names.get(name, name)], NAME_WIDTH)[0]
            where = -0.02 if x == 0 else 1.02
            ax.text(
                where,
                (bottom + top) / 2,
                f"{label}\n{count_label(totals[name])}",
                ha=side,
                va="center",
                fontsize=8.5,
                linespacing=1.05,
            )
    from matplotlib.patches import Patch

    shown = [("domestic", DOMESTIC), ("abroad", ABROAD), ("unknown", UNKNOWN)]
    handles = [
        Patch(color=color, alpha=0.55, label=wrapped([legend[key]], 2 * NAME_WIDTH)[0])
        for key, color in shown
    ]
    ax.legend(
        handles=handles,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=1,
        fontsize=8.5,
    )
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.02, 1.02)
    ax.axis("off")
    return fig


def _day_beyond(ax, days: float, x: float, y: float, color: str) -> None:
    """Write the day of an event beyond the axis' horizon above its mark at the edge."""
    ax.annotate(
        f"{days:.0f}",
        (x, y),
        textcoords="offset points",
        xytext=(0, 6),
        ha="center",
        fontsize=8,
        color=color,
    )


def claim_timelines(
    timeline: pd.DataFrame,
    claims: pd.DataFrame,
    labels: Sequence[str],
    *,
    xlabel: str,
    legend: Mapping[str, str],
    horizon: float = 30.0,
):
    """Each travelling claim as a row: its posts in days since it first appeared, and its check.

    A post or fact-check later than ``horizon`` days is drawn at the edge with its number of
    days.

    Args:
        timeline: :func:`milresearch.analysis.channels.claim_timeline`.
        claims: The claims in the order to draw them (``cluster_id``, ``first_utc``).
        labels: One label per claim.
        xlabel: The axis' words.
        legend: ``post`` and ``fact_check`` to their words.
        horizon: The axis' last day.
    """
    fig, ax = pyplot().subplots(figsize=(7.2, 0.5 * len(claims) + 1.1))
    day = pd.Timedelta(days=1)
    for row, claim in enumerate(claims.itertuples()):
        y = len(claims) - 1 - row
        here = timeline[timeline["cluster_id"] == claim.cluster_id]
        days = (here["date_utc"] - claim.first_utc) / day
        posts = days[here["event"] == "post"]
        ax.plot([0, min(posts.max(), horizon)], [y, y], color="#999", lw=1.2, zorder=1)
        ax.scatter(
            posts.clip(upper=horizon),
            [y] * len(posts),
            color=PALETTE[0],
            s=28,
            zorder=2,
            label=legend["post"] if row == 0 else None,
        )
        if posts.max() > horizon:  # the last post, beyond the axis: its day written on it
            _day_beyond(ax, posts.max(), horizon, y, PALETTE[0])
        for value in days[here["event"] == "fact_check"]:
            shown = min(value, horizon)
            ax.scatter(
                [shown],
                [y],
                marker="D",
                color=PALETTE[3],
                s=36,
                zorder=3,
                label=legend["fact_check"] if row == 0 else None,
            )
            if value > horizon:
                _day_beyond(ax, value, shown, y, PALETTE[3])
    ax.set_yticks(range(len(claims)), list(labels)[::-1])
    ax.set_xlim(-0.5, horizon + 1)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8.5)
    return fig


def activity(activity: pd.DataFrame, names: Mapping[str, str], *, ylabel: str, top: int = 5):
    """Posts per month of the ``top`` most active channels, one line each."""
    totals = activity.groupby("channel")["n"].sum().sort_values(ascending=False).head(top)
    fig, ax = pyplot().subplots(figsize=(7.2, 2.8))
    for k, channel in enumerate(totals.index):
        series = activity[activity["channel"] == channel]
        ax.plot(
            series["period"],
            series["n"],
            color=PALETTE[k % len(PALETTE)],
            lw=1.4,
            label=wrapped([names.get(channel, channel)], 2 * NAME_WIDTH)[0],
        )
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    fig.autofmt_xdate()
    return fig
