"""A survey design bound once to its data, as R's ``svydesign``: estimates are then one call.

Every estimate of a report comes through :class:`SurveyDesign`, so the weight, strata, PSU
columns, interval method and small-cell threshold are named in one place, not at every call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from milresearch.analysis import contrasts, stats


@dataclass(frozen=True)
class SurveyDesign:
    """Respondents with their design columns and the report's suppression threshold."""

    data: pd.DataFrame
    min_n: int
    weight: str = "weight"
    strata: str | None = "stratum"
    psu: str | None = "psu"

    def __post_init__(self) -> None:
        # A survey declared without strata or clusters is one stratum of single-respondent PSUs.
        for name in ("strata", "psu"):
            column = getattr(self, name)
            if column is not None and column not in self.data:
                object.__setattr__(self, name, None)

    @classmethod
    def of_countries(cls, data: pd.DataFrame, min_n: int) -> SurveyDesign:
        """National samples, one per country, each an independent sample of its own.

        Strata and PSUs are nested in their country, so a label two vendors both use ("1",
        "A") names two strata, not one, and no PSU spans two countries.
        """
        return cls.nested(data, min_n, ["country"])

    @classmethod
    def nested(cls, data: pd.DataFrame, min_n: int, within: list[str]) -> SurveyDesign:
        """Independent samples, one per value of the ``within`` columns (e.g. country, wave).

        Strata and PSUs are nested in them: R's ``svydesign`` on the stacked samples with
        ``strata = ~interaction(country, wave, stratum)``.
        """
        within = [c for c in within if c in data and data[c].nunique() > 1]
        if not within:
            return cls(data, min_n)
        prefix = pd.Series("", index=data.index)
        for column in within:
            prefix = prefix + data[column].astype(str) + "/"
        nested = {
            column: (prefix + data[column].astype(str)).where(data[column].notna())
            for column in ("stratum", "psu")
            if column in data
        }
        return cls(data.assign(**nested), min_n)

    @classmethod
    def unweighted(cls, data: pd.DataFrame, min_n: int) -> SurveyDesign:
        """Each row its own unit with weight 1: simple-random-sampling intervals."""
        work = data.assign(_w=1.0, _psu=np.arange(len(data)))
        return cls(work, min_n, weight="_w", strata=None, psu="_psu")

    def assign(self, **columns: pd.Series | np.ndarray) -> SurveyDesign:
        """The same design with derived columns added."""
        return replace(self, data=self.data.assign(**columns))

    def dropna(self, column: str) -> SurveyDesign:
        """The respondents with a value of ``column``."""
        return replace(self, data=self.data.dropna(subset=[column]))

    def _columns(self) -> dict:
        return {"weight": self.weight, "strata": self.strata, "psu": self.psu}

    def proportions(self, column: str, by: str | list[str] | None = None) -> pd.DataFrame:
        """Weighted share of every answer of ``column`` (logit intervals), suppressed at min_n."""
        # Logit intervals stay inside 0-100% where a small share in a small domain would not.
        return stats.weighted_proportions(
            self.data, column, **self._columns(), by=by, min_n=self.min_n, method="logit"
        )

    def mean(self, column: str, by: str | list[str] | None = None) -> pd.DataFrame:
        """Weighted mean of ``column`` with its design-based interval, suppressed at min_n."""
        return stats.weighted_mean(self.data, column, **self._columns(), by=by, min_n=self.min_n)

    def share(
        self, column: str, codes: Sequence[int], by: str | list[str] | None = None
    ) -> pd.DataFrame:
        """Weighted share answering one of ``codes``; missing answers are out of the base."""
        est = self.assign(_hit=self.hits(column, codes)).proportions("_hit", by=by)
        est = est[est["category"] == 1].drop(columns="category")
        est.insert(0, "item", column)
        return est.reset_index(drop=True)

    def hits(self, column: str, codes: Sequence[int]) -> pd.Series:
        """1 where ``column`` is one of ``codes``, 0 where it is another answer, NA if missing."""
        answers = self.data[column]
        return answers.isin(list(codes)).astype("Int8").mask(answers.isna())

    def difference(self, column: str, by: str, groups: tuple[object, object]) -> pd.DataFrame:
        """Mean (or 0/1 share) of ``column`` in one group of ``by`` minus another, tested."""
        return contrasts.domain_difference(
            self.data, column, by=by, groups=groups, **self._columns(), min_n=self.min_n
        )

    def differences(self, pairs: Sequence[tuple[str, object, object]], by: str) -> pd.DataFrame:
        """:meth:`difference` for many (column, first group, second group) of ``by``."""
        return contrasts.domain_differences(
            self.data, pairs, by=by, **self._columns(), min_n=self.min_n
        )

    def items_difference(self, first: str, second: str) -> pd.DataFrame:
        """Mean (or 0/1 share) of column ``first`` minus that of ``second``, tested."""
        return contrasts.item_difference(
            self.data, first, second, **self._columns(), min_n=self.min_n
        )

    def shares(
        self, items: Mapping[str, Sequence[int]], by: str | list[str] | None = None
    ) -> pd.DataFrame:
        """:meth:`share` for several items (item name to the codes that count), stacked."""
        parts = [self.share(c, codes, by=by) for c, codes in items.items() if c in self.data]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def crosstab(self, row: str, col: str) -> stats.CrossTab:
        """Weighted cross-tab of ``row`` by ``col`` with the Rao-Scott F test (R ``svychisq``)."""
        return stats.weighted_crosstab(self.data, row, col, **self._columns())
