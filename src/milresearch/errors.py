"""The one exception type users see: a message that names the file, the place and what to do."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class DataError(Exception):
    """Bad input, described so that a researcher can fix it without reading a traceback.

    Args:
        message: What is wrong.
        path: The file it was found in.
        where: The column, row or key.
        hint: What to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        where: str | None = None,
        hint: str | None = None,
    ):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.where:
            parts.append(self.where)
        head = ": ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f"\n  What to do: {self.hint}"
        return text


def describe_rows(mask, limit: int = 5) -> str:
    """The rows where ``mask`` is true, as "3, 7 and 2 more".

    Data rows are counted from 1 below the header, as a spreadsheet user would look for them.
    """
    flagged = np.flatnonzero(np.asarray(mask))
    idx = flagged[:limit] + 1
    more = len(flagged) - len(idx)
    return ", ".join(map(str, idx)) + (f" and {more} more" if more > 0 else "")
