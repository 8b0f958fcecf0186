"""HTML pieces for reports: figures, tables with CSV downloads, notes. All data text is escaped.

matplotlib and pandas are imported on first use, so a notebook that shows only text starts fast.
"""

from __future__ import annotations

import base64
import html
import io
import math
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

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
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.dpi": 110,
        }
    )
    return plt


def _missing(value: object) -> bool:
    # pd.NA is recognised by its type so that escaping text never imports pandas.
    if value is None or type(value).__name__ == "NAType":
        return True
    return isinstance(value, float) and math.isnan(value)


def esc(value: object) -> str:
    """Escape any value for HTML text or attributes; missing values become empty text."""
    if _missing(value):
        return ""
    return html.escape(str(value), quote=True)


def figure(fig, *, alt: str, caption: str) -> HTML:
    """A matplotlib figure as an inline PNG with alt text and a caption; closes the figure."""
    plt = pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return HTML(
        f'<figure class="mr-figure"><img src="data:image/png;base64,{data}" alt="{esc(alt)}"/>'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _cell(value: object, fmt: str | None) -> str:
    if isinstance(value, float) and fmt and not _missing(value):
        return esc(format(value, fmt))
    return esc(value)


def table(
    df: pd.DataFrame,
    *,
    caption: str,
    csv_name: str,
    formats: dict[str, str] | None = None,
    suppressed: pd.Series | None = None,
    suppressed_text: str = "suppressed",
    download_text: str = "Download CSV",
    csv: pd.DataFrame | None = None,
) -> HTML:
    """A readable HTML table with its data embedded as a CSV download (data URI).

    Args:
        df: The rows to show; column names are the headers.
        caption: Shown under the table (base, source, notes).
        csv_name: File name offered for the download.
        formats: Python format specs per column, e.g. {"%": ".1f"}.
        suppressed: Boolean per row; those rows show ``suppressed_text`` instead of numbers.
        suppressed_text: The word shown in suppressed cells.
        download_text: The link text.
        csv: The data offered for download when it is not the table as shown (e.g. the long,
            numeric form of a wide table of formatted cells).
    """
    import pandas as pd

    formats = formats or {}
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    rows = []
    for i, (_, row) in enumerate(df.iterrows()):
        hidden = suppressed is not None and bool(suppressed.iloc[i])
        cells = []
        for col in df.columns:
            if hidden and col in numeric:
                cells.append(f'<td class="mr-suppressed">{esc(suppressed_text)}</td>')
            elif col in numeric:
                cells.append(f"<td>{_cell(row[col], formats.get(col))}</td>")
            else:
                cells.append(f'<td class="mr-text">{_cell(row[col], formats.get(col))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in df.columns)
    shown = df.copy()
    if suppressed is not None:
        shown.loc[suppressed.to_numpy(), numeric] = None
    data = shown if csv is None else csv
    csv = base64.b64encode(data.to_csv(index=False).encode("utf-8")).decode("ascii")
    return HTML(
        f'<table class="mr-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f'</table><div class="mr-caption">{esc(caption)} '
        f'<a class="mr-download" download="{esc(csv_name)}" '
        f'href="data:text/csv;base64,{csv}">{esc(download_text)}</a></div>'
    )


def note(text: str) -> HTML:
    """A small note paragraph (escaped)."""
    return HTML(f'<p class="mr-note">{esc(text)}</p>')


def paragraph(text: str) -> HTML:
    """A paragraph of generated prose (escaped)."""
    return HTML(f"<p>{esc(text)}</p>")


def bullets(items: list[str], css: str = "") -> HTML:
    """An unordered list of escaped sentences."""
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return HTML(f'<ul class="{esc(css)}">{lis}</ul>')


def heading(text: str, anchor: str, level: int = 2) -> HTML:
    """A section heading with an id that the table of contents links to."""
    return HTML(f'<h{level} class="mr-section" id="{esc(anchor)}">{esc(text)}</h{level}>')
