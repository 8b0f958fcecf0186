"""Chart craft, checked on the figures themselves: order, divergence, colours, stamp."""

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from milresearch.reports import charts, render


def _est(values, suppressed=None):
    n = len(values)
    return pd.DataFrame(
        {
            "proportion": values,
            "ci_low": [v - 0.05 for v in values],
            "ci_high": [v + 0.05 for v in values],
            "suppressed": suppressed or [False] * n,
        }
    )


def test_a_forest_plot_ranks_countries_with_the_pooled_estimate_last():
    block = _est([0.2, 0.6, 0.4, 0.5]).assign(country=["KAZ", "KGZ", "POOLED", "UZB"])
    fig = charts.forest(block, ["Kazakhstan", "Kyrgyzstan", "All", "Uzbekistan"], title="t")
    ax = fig.axes[0]
    shown = [
        t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    ]
    assert shown == ["Kyrgyzstan", "Uzbekistan", "Kazakhstan", "All"]


def test_likert_bars_diverge_from_the_neutral_point():
    rows = [(1, 0.1), (2, 0.2), (3, 0.2), (4, 0.3), (5, 0.2)]
    dist = pd.DataFrame(
        {
            "label": "item",
            "category": [c for c, _ in rows],
            "proportion": [p for _, p in rows],
            "suppressed": False,
        }
    )
    fig = charts.likert(dist, {c: str(c) for c, _ in rows}, min_n=30)
    bars = sorted(fig.axes[0].patches, key=lambda p: p.get_x())
    # Disagreement (10 + 20) and half the neutral 20 lie left of zero: the first bar starts at -40.
    assert bars[0].get_x() == pytest.approx(-40)
    assert bars[2].get_x() + bars[2].get_width() / 2 == pytest.approx(0)
    assert bars[-1].get_x() + bars[-1].get_width() == pytest.approx(60)


def test_true_and_false_headlines_get_their_own_colours_and_a_legend():
    est = _est([2.8, 2.2]).rename(columns={"proportion": "mean"})
    fig = charts.bars(
        est,
        ["a (true)", "b (false)"],
        xlabel="1–4",
        min_n=30,
        percent=False,
        colors=["#5a9e6f", "#b5475d"],
        legend={"True": "#5a9e6f", "False": "#b5475d"},
    )
    colours = {mcolors.to_hex(p.get_facecolor()) for p in fig.axes[0].patches}
    assert colours == {"#5a9e6f", "#b5475d"}
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["True", "False"]


def test_the_source_and_warning_are_drawn_inside_the_image_and_no_text_is_tiny():
    fig = charts.bars(_est([0.5, 0.3]), ["a", "b"], xlabel="%", min_n=30)
    fig.axes[0].text(0, 0, "small", fontsize=5)
    html = render.figure(fig, alt="a chart", caption="c", stamp="Source: survey · SYNTHETIC DATA")
    assert any("Source: survey · SYNTHETIC DATA" in t.get_text() for t in fig.texts)
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))]
    assert min(sizes) >= render.MIN_FONT_PT
    assert "--phone-width:" in html


def test_long_labels_wrap_so_the_chart_keeps_its_width():
    label = "I can tell a fake from true news when I see it in my feed every day"
    assert all(len(line) <= charts.LABEL_WIDTH for line in charts.wrapped([label])[0].split("\n"))


def _title_text(ax):
    """The Text artist of the panel's (left-aligned) title."""
    from matplotlib.text import Text

    return next(t for t in ax.findobj(Text) if t.get_text() == ax.get_title(loc="left"))


@pytest.mark.parametrize("lines", [1, 2, 4])
def test_small_multiples_leave_room_for_every_title_and_tick_label(lines):
    """The panels are laid out by hand: no title may run into the panel or tick labels above."""
    items = [f"item{k}" for k in range(5)]
    # Titles of several lines in the lower rows too, in Cyrillic (wider than Latin).
    title = "\n".join(["Доверие государственным СМИ"] * lines)
    est = pd.DataFrame(
        {
            "item": [i for i in items for _ in (0, 1)],
            "wave": ["2023", "2025"] * len(items),
            "proportion": 0.5,
            "ci_low": 0.4,
            "ci_high": 0.95,
            "suppressed": False,
        }
    )
    fig = charts.change_panels(
        est,
        dict.fromkeys(items, title),
        ["2023", "2025"],
        {"item1": "смена способа опроса"},
        {"item0"},
        min_n=30,
    )
    fig.canvas.draw()  # places the tick labels
    renderer = fig.canvas.get_renderer()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(items)
    titles = {ax: _title_text(ax) for ax in visible}
    for ax in visible:
        title_box = titles[ax].get_window_extent(renderer)
        assert title_box.y0 >= ax.get_window_extent(renderer).y1  # above its own panel
        for other in visible:
            if other is ax:
                continue
            for label in [*other.get_xticklabels(), *other.get_yticklabels(), titles[other]]:
                if label.get_text():
                    assert not title_box.overlaps(label.get_window_extent(renderer))
            assert not title_box.overlaps(other.get_window_extent(renderer))


def _point_boxes(ax, est, renderer):
    """Display boxes of each drawn estimate: its marker's width, its interval's height."""
    from matplotlib.transforms import Bbox

    radius = 2 * ax.figure.dpi / 72  # markers are 4 pt across
    boxes = []
    for _, row in est.iterrows():
        x, low = ax.transData.transform((row["x"], row["ci_low"] * 100))
        _, high = ax.transData.transform((row["x"], row["ci_high"] * 100))
        boxes.append(Bbox([[x - radius, low - radius], [x + radius, high + radius]]))
    return boxes


@pytest.mark.parametrize("share", [0.04, 0.3, 0.62])
@pytest.mark.parametrize("n_waves", [2, 3, 4])
def test_a_breaks_label_covers_no_point_of_its_panel(share, n_waves):
    """With three waves the points stand nearer the dashed line than half its label's width."""
    from matplotlib.text import Text

    waves = [str(2025 - 2 * k) for k in range(n_waves)][::-1]
    est = pd.DataFrame(
        {
            "item": "tv",
            "wave": waves,
            "x": range(n_waves),
            "proportion": share,
            "ci_low": share - 0.03,
            "ci_high": share + 0.03,
            "suppressed": False,
        }
    )
    fig = charts.change_panels(
        est.drop(columns="x"), {"tv": "TV"}, waves, {"tv": "смена способа опроса"}, set(), min_n=30
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    label = next(t for t in ax.findobj(Text) if t.get_text().startswith("смена"))
    box = label.get_window_extent(renderer)
    assert box.y0 >= ax.get_window_extent(renderer).y0  # inside its panel
    assert box.y1 <= ax.get_window_extent(renderer).y1
    for point in _point_boxes(ax, est, renderer):
        assert not box.overlaps(point), (share, box, point)


def test_each_change_estimate_has_its_interval_drawn_from_low_to_high():
    from matplotlib.collections import LineCollection

    est = pd.DataFrame(
        {
            "item": "tv",
            "wave": ["2021", "2023", "2025"],
            "proportion": [0.30, 0.42, 0.55],
            "ci_low": [0.25, 0.36, 0.50],
            "ci_high": [0.35, 0.48, 0.61],
            "suppressed": [False, False, False],
        }
    )
    fig = charts.change_panels(est, {"tv": "TV"}, ["2021", "2023", "2025"], {}, set(), min_n=30)
    ax = fig.axes[0]
    segments = [
        [tuple(point) for point in seg]
        for coll in ax.collections
        if isinstance(coll, LineCollection)
        for seg in coll.get_segments()
    ]
    assert sorted(segments) == [[(0, 25), (0, 35)], [(1, 36), (1, 48)], [(2, 50), (2, 61)]]
