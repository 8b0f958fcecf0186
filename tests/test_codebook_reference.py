"""data/raw/CODEBOOK.md lists exactly the keys and values the codebook loader accepts."""

import re
from pathlib import Path

import pytest

from milresearch.ingest import declarations as codebook

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "raw" / "CODEBOOK.md"


def _table_keys(heading: str) -> set[str]:
    """The backticked names in the first column of the table under ``heading``."""
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))


def _listed(label: str) -> list[str]:
    text = REFERENCE.read_text(encoding="utf-8")
    found = re.search(rf"^{label}: (.+?)\.$", text, flags=re.MULTILINE | re.DOTALL)
    assert found, label
    return re.findall(r"`([a-z0-9_]+)`", found.group(1))


@pytest.mark.parametrize(
    ("heading", "allowed"),
    [
        ("Top level", codebook.TOP_KEYS),
        ("`dataset:`", codebook.DATASET_KEYS),
        ("`variables:`", codebook.VARIABLE_KEYS),
    ],
)
def test_every_key_the_loader_accepts_is_documented_and_no_other(heading, allowed):
    assert _table_keys(heading) == set(allowed)


@pytest.mark.parametrize(
    ("label", "values"),
    [
        ("Formats", codebook.FORMATS),
        ("Types", codebook.TYPES),
        ("Concepts", codebook.CONCEPTS),
        ("Units", tuple(codebook.UNITS)),
        ("Missing reasons", codebook.MISSING_REASONS),
    ],
)
def test_every_value_list_matches_the_code(label, values):
    assert _listed(label) == list(values)
