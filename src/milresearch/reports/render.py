"""HTML pieces for reports: figures, tables with CSV downloads, notes. All data text is escaped.

Every piece comes from a Jinja template in ``templates/parts/`` with autoescape on, so no data
text reaches a page unescaped and no HTML is assembled in Python strings. matplotlib and pandas
are imported on first use, so a notebook that shows only text starts fast.
"""

from __future__ import annotations

import base64
import io
import math
import numbers as numbers_abc
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from milresearch.reports.numbers import Numbers

if TYPE_CHECKING:
    import pandas as pd

TEMPLATES = Path(__file__).resolve().parent / "templates" / "parts"
MIN_FONT_PT = 8
"""No chart text is smaller."""
PHONE_SCALE = 0.75
"""On a narrow screen a chart is shown at this share of its pixel size, and scrolls sideways in
its box if it is wider than the screen: its smallest text (8 pt at 110 dpi) stays above 9 px."""
PALETTE = ["#1f5f8b", "#e0a040", "#5a9e6f", "#b5475d", "#7a6bb0", "#6b7c8f"]


class HTML(str):
    """A string that Jupyter displays as HTML (``_repr_html_``), so a notebook cell can return it."""

    def _repr_html_(self) -> str:
        return str(self)

    def __add__(self, other: str) -> HTML:
        return HTML(str(self) + str(other))


@cache
def pyplot():
    """matplotlib.pyplot with the house style (Agg backend, a Cyrillic-safe font)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # DejaVu Sans ships with matplotlib and covers Cyrillic, so charts need no system fonts.
    # A fixed title height skips matplotlib's search for top tick labels to lift titles over
    # (no chart has any): it measured every axis twice a save, a third of a small-multiples chart.
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "axes.titley": 1.0,
        }
    )
    return plt


def _missing(value: object) -> bool:
    # pd.NA is recognised by its type so that escaping text never imports pandas.
    if value is None or type(value).__name__ == "NAType":
        return True
    return isinstance(value, float) and math.isnan(value)


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render_template(name: str, **values: Any) -> HTML:
    """One of the part templates, rendered with ``values`` (text is escaped, HTML is kept)."""
    import markupsafe

    shown = {k: markupsafe.Markup(v) if isinstance(v, HTML) else v for k, v in values.items()}
    return HTML(_environment().get_template(name).render(**shown).strip())


def _block(macro: str, *args: Any) -> HTML:
    return HTML(str(getattr(_environment().get_template("blocks.html.j2").module, macro)(*args)))


def localise_ticks(fig, numbers: Numbers) -> None:
    """Write every numeric tick label of ``fig`` as the report language does ("0,5", "−1")."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_formatter(), ScalarFormatter):
                continue  # category labels and hand-set formatters stay as they are
            ticks = [v for v in axis.get_majorticklocs() if math.isfinite(v)]
            digits = max((_decimals(v) for v in ticks), default=0)
            axis.set_major_formatter(FuncFormatter(lambda v, _pos, d=digits: numbers.tick(v, d)))


def _decimals(value: float) -> int:
    for digits in range(4):
        if abs(value - round(value, digits)) < 1e-9:
            return digits
    return 4


def _stamp(fig, text: str, box):
    """Write ``text`` (source, synthetic warning) under ``box``, the extent of everything drawn.

    It is part of the image, so a chart copied or shared alone keeps its source and warning.
    Returns the text.
    """
    import textwrap

    width, height = fig.get_size_inches()
    return fig.text(
        box.x0 / width,
        box.y0 / height - 0.04 / height,
        textwrap.fill(text, int(14 * width)),
        ha="left",
        va="top",
        fontsize=MIN_FONT_PT,
        color="#555",
    )


def figure(
    fig, *, alt: str, caption: str, numbers: Numbers | None = None, stamp: str = ""
) -> HTML:
    """A matplotlib figure as an inline PNG with alt text and a caption; closes the figure.

    Args:
        fig: The figure.
        alt: Alt text.
        caption: Shown under the image.
        numbers: The report language's number format for the tick labels (English by default).
        stamp: Text drawn inside the image under the chart: its source, and the synthetic-data
            warning where the data are synthetic.
    """
    plt = pyplot()
    localise_ticks(fig, numbers or Numbers("en"))
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    for text in fig.findobj(Text):
        if text.get_fontsize() < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)
    # The tight box from the layout (inches), padded as bbox_inches="tight" pads it: passing it
    # saves the dry-run render that "tight" makes before the real one (half a chart's cost).
    # The layout is measured once: the stamp's own extent is added to it.
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)
    if stamp:
        written = _stamp(fig, stamp, box).get_window_extent(renderer)
        box = Bbox.union([box, written.transformed(fig.dpi_scale_trans.inverted())])
    box = box.padded(plt.rcParams["savefig.pad_inches"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches=box, metadata={"Software": None})
    plt.close(fig)
    data = buf.getvalue()
    width = int.from_bytes(data[16:20], "big")  # the PNG header's IHDR width
    png = base64.b64encode(data).decode("ascii")
    return render_template(
        "figure.html.j2",
        png=png,
        alt=alt,
        caption=caption,
        phone_width=math.ceil(width * PHONE_SCALE),
    )


def _cell(value: object, digits: int | None, numbers: Numbers) -> str:
    if _missing(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers_abc.Real):
        return str(value)
    if digits is None and float(value).is_integer():
        return numbers.integer(float(value))
    return numbers.decimal(float(value), 2 if digits is None else digits)


def table(
    df: pd.DataFrame,
    *,
    caption: str,
    csv_name: str,
    formats: dict[str, int] | None = None,
    suppressed: pd.Series | None = None,
    suppressed_text: str = "suppressed",
    download_text: str = "Download CSV",
    csv: pd.DataFrame | None = None,
    numbers: Numbers | None = None,
    folded: str = "",
    verbatim: tuple[str, ...] = (),
    masked: tuple[str, ...] = (),
) -> HTML:
    """A readable HTML table with its data embedded as a CSV download (data URI).

    Args:
        df: The rows to show; column names are the headers.
        caption: Shown under the table (base, source, notes).
        csv_name: File name offered for the download.
        formats: Decimals shown per numeric column, e.g. {"%": 1}; whole numbers elsewhere
            are counts (grouped), other numbers get two.
        suppressed: Boolean per row; those rows show ``suppressed_text`` instead of numbers.
        suppressed_text: The word shown in suppressed cells.
        download_text: The link text.
        csv: The data offered for download when it is not the table as shown (e.g. the long,
            numeric form of a wide table of formatted cells).
        numbers: The report language's number format (English by default). The download
            keeps plain machine-readable numbers.
        folded: When given, the table folds under a ``<details>`` with this summary (the
            numbers behind a chart, whose caption is then printed once, by the figure).
        verbatim: Columns of text as the data gives it, in its own language and script (quoted
            posts, topic terms, organisations' names), marked ``mr-verbatim`` so that readers and
            tests tell it from the report's own words.
        masked: Text columns that carry an estimate (a formatted interval): suppressed rows hide
            them like their numbers.
    """
    import pandas as pd

    formats = formats or {}
    numbers = numbers or Numbers("en")
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    estimates = [*numeric, *(c for c in masked if c in df.columns and c not in numeric)]
    hidden = [False] * len(df) if suppressed is None else [bool(v) for v in suppressed.to_numpy()]
    rows = []
    for hide, (_, row) in zip(hidden, df.iterrows(), strict=True):
        cells = []
        for col in df.columns:
            if hide and col in estimates:
                cells.append({"css": "mr-suppressed", "text": suppressed_text})
            else:
                if col in numeric:
                    text = _cell(row[col], formats.get(col), numbers)
                else:  # text columns (years among them) are shown as given
                    text = "" if _missing(row[col]) else str(row[col])
                css = (
                    ""
                    if col in numeric
                    else "mr-text mr-verbatim"
                    if col in verbatim
                    else "mr-text"
                )
                cells.append({"css": css, "text": text})
        rows.append(cells)
    shown = df.copy()
    if suppressed is not None:
        shown.loc[suppressed.to_numpy(), estimates] = None
    data = shown if csv is None else csv
    encoded = base64.b64encode(data.to_csv(index=False).encode("utf-8")).decode("ascii")
    return render_template(
        "table.html.j2",
        # A text column's heading sits over its text, on the left, as its cells do.
        headers=[{"name": str(c), "css": "" if c in numeric else "mr-text"} for c in df.columns],
        rows=rows,
        caption=caption,
        csv_name=csv_name,
        csv=encoded,
        download_text=download_text,
        folded=folded,
    )


def note(text: str) -> HTML:
    """A small note paragraph (escaped)."""
    return _block("note", text)


def paragraph(text: str) -> HTML:
    """A paragraph of generated prose (escaped)."""
    return _block("paragraph", text)


def bullets(items: list[str], css: str = "") -> HTML:
    """An unordered list of escaped sentences."""
    return _block("bullets", items, css)


def links(items: list[dict], css: str = "") -> HTML:
    """A list of links: each item ``{"text", "href", "detail"}`` (escaped; no href, no link).

    ``verbatim`` / ``detail_verbatim``: that text is quoted from the data in its own language
    (an organisation's name), not written in the report's.
    """
    return _block("links", items, css)


def heading(text: str, anchor: str, level: int = 2) -> HTML:
    """A section heading with an id that the table of contents links to."""
    return _block("heading", text, anchor, level)


def banner(text: str) -> HTML:
    """The warning banner at the top of a report (escaped)."""
    return _block("banner", text)


def join(parts: list[HTML]) -> HTML:
    """Pieces of HTML one after another."""
    return HTML("".join(parts))
