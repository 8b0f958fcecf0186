"""The synthetic sample: generators of vendor-like deliveries, and their tables as data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from milresearch.yamlfile import read_yaml


def _frozen(value: Any) -> Any:
    """Lists as tuples, all the way down, so that no generator can change a table."""
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def read_tables(path: Path) -> dict[str, Any]:
    """A generator's YAML tables (phrase banks, parameters), read strictly and frozen."""
    return _frozen(read_yaml(path))
