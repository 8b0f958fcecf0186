"""Chart craft, checked on the figures themselves: order, divergence, colours, stamp."""

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from milresearch.reports import charts, render


def _est(values, suppressed=None):
    n = len(values)
    return pd.DataFrame({
        "proportion": values, "ci_low": [v - 0.05 for v in values],
        "ci_high": [v + 0.05 for v in values], "suppressed": suppressed or [False] * n,
    })  # fmt: skip


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
    dist = pd.DataFrame({"label": "item", "category": [c for c, _ in rows],
                         "proportion": [p for _, p in rows], "suppressed": False})  # fmt: skip
    fig = charts.likert(dist, {c: str(c) for c, _ in rows}, min_n=30)
    bars = sorted(fig.axes[0].patches, key=lambda p: p.get_x())
    # Disagreement (10 + 20) and half the neutral 20 lie left of zero: the first bar starts at -40.
    assert bars[0].get_x() == pytest.approx(-40)
    assert bars[2].get_x() + bars[2].get_width() / 2 == pytest.approx(0)
    assert bars[-1].get_x() + bars[-1].get_width() == pytest.approx(60)


def test_true_and_false_headlines_get_their_own_colours_and_a_legend():
    est = _est([2.8, 2.2]).rename(columns={"proportion": "mean"})
    fig = charts.bars(est, ["a (true)", "b (false)"], xlabel="1–4", min_n=30, percent=False,
                      colors=["#5a9e6f", "#b5475d"], legend={"True": "#5a9e6f", "False": "#b5475d"})  # fmt: skip
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
