"""Numbers as a reader of the report language writes them (Babel's CLDR data).

English: "1,268", "53.8%", "0.22–2.93". Russian: "1 268", "53,8 %", "0,22–2,93". A negative
number takes the true minus sign (U+2212) in both, and a range with a negative bound is
written with words ("−0.30 to −0.02", "от −0,30 до −0,02"), since a dash beside a minus reads
as one. CSV downloads never pass through here: they stay machine-readable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from babel.numbers import format_decimal

from milresearch.reports.i18n import t

MINUS = "\u2212"
"""The minus sign; CLDR's Russian and English data give the hyphen-minus."""
NARROW_SPACE = "\u202f"
"""Between a number and "%" in Russian (CLDR gives a no-break space; the narrow one is the
typographers' choice and keeps "53,8 %" together on a line)."""


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


@dataclass(frozen=True)
class Numbers:
    """Formats numbers for one report language."""

    lang: str

    def decimal(self, value: float, digits: int = 1) -> str:
        """A number with ``digits`` decimals: "0.22" / "0,22"; missing stays a dash."""
        if value is None or not math.isfinite(float(value)):
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        text = format_decimal(round(float(value), digits), format=pattern, locale=self.lang)
        return _signed(text if text.strip("-0,.\u00a0\u202f") else text.lstrip("-"))

    def integer(self, value: float) -> str:
        """A count with the language's grouping: "1,268" / "1 268"."""
        return self.decimal(value, 0)

    def points(self, fraction: float, digits: int = 1) -> str:
        """A proportion as percent without the sign, for tables headed "%": "53.8" / "53,8"."""
        return self.decimal(fraction * 100.0, digits)

    def percent(self, fraction: float, digits: int = 1) -> str:
        """A proportion as percent with its sign: "53.8%" / "53,8 %"."""
        return self.points(fraction, digits) + self.percent_sign

    @property
    def percent_sign(self) -> str:
        """What follows a number in percent: "%" in English, a narrow space and "%" in Russian."""
        return "%" if self.lang == "en" else NARROW_SPACE + "%"

    def interval(self, low: float, high: float, digits: int = 1, scale: float = 1.0) -> str:
        """A range: "0.22–2.93", or in words when a bound is negative; "" when undefined."""
        if not (math.isfinite(low) and math.isfinite(high)):
            return ""
        lo, hi = self.decimal(low * scale, digits), self.decimal(high * scale, digits)
        if lo.startswith(MINUS) or hi.startswith(MINUS):
            return t("range.signed", self.lang, low=lo, high=hi)
        return f"{lo}–{hi}"

    def tick(self, value: float, digits: int = 0) -> str:
        """An axis tick: the decimal mark and minus of the language, no grouping (years)."""
        text = f"{value:.{digits}f}"
        if text.lstrip("-").strip("0.") == "":
            text = text.lstrip("-")
        text = text.replace("-", MINUS)
        return text.replace(".", ",") if self.decimal_mark == "," else text

    @property
    def decimal_mark(self) -> str:
        """The language's decimal separator."""
        from babel.numbers import get_decimal_symbol

        return get_decimal_symbol(self.lang)

    def date(self, value: object) -> str:
        """An ISO date as a reader writes it ("1 March 2025", "1 марта 2025 г."); else as given."""
        import datetime as dt

        from babel.dates import format_date

        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
        return format_date(day, format="long", locale="en_GB" if self.lang == "en" else self.lang)

    def date_range(self, start: object, end: object) -> str:
        """Two ISO dates as one range: "1 March – 14 April 2025", "1 марта – 14 апреля 2025 г.".

        The year is written once when both dates share it; a missing or unreadable end is left
        out rather than printed.
        """
        import datetime as dt

        from babel.dates import format_date

        try:
            first, last = (dt.date.fromisoformat(str(v)[:10]) for v in (start, end))
        except ValueError:
            return " – ".join(self.date(v) for v in (start, end) if str(v or "").strip())
        if first == last:
            return self.date(start)
        locale = "en_GB" if self.lang == "en" else self.lang
        head = (
            format_date(first, format="d MMMM", locale=locale)
            if first.year == last.year
            else self.date(start)
        )
        return f"{head} – {self.date(end)}"
