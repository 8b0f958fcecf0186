"""What a codebook declares: its datasets, variables and scales, as frozen dataclasses.

Also the words each key takes (formats, types, missing reasons, concepts, units), which the
codebook loader (:mod:`milresearch.ingest.codebook`) checks every file against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from milresearch.ingest.countries import normalize_name

KINDS = ("survey", "content")
FORMATS = ("spss", "stata", "csv", "excel", "jsonl", "claimreview", "telegram")
TYPES = (
    "id",
    "string",
    "text",
    "integer",
    "float",
    "categorical",
    "ordinal",
    "multi",
    "date",
    "datetime",
    "country",
    "region",
    "weight",
)
CODED_TYPES = ("categorical", "ordinal")
MISSING_REASONS = ("hard_to_say", "refused", "not_applicable", "not_asked", "invalid")
CONCEPTS = (
    "media_use",
    "trust",
    "mil_skill",
    "discernment",
    "factcheck",
    "training",
    "demographic",
)
"""What an item measures, and so the report section it appears in (see ``sections:`` for more)."""
UNITS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0}
"""Units a duration can be declared in, with their length in seconds."""
REQUIRED = {"survey": ("resp_id",), "content": ("item_id",)}

DATASET_KEYS = {
    "name",
    "kind",
    "file",
    "format",
    "encoding",
    "header_rows",
    "names_row",
    "sheet",
    "delimiter",
    "synthetic",
    "country",
    "description",
    "producer",
    "fieldwork_start",
    "fieldwork_end",
    "mode",
    "wave",
    "sample_design",
    "timezone",
    "channels",
    "age_bands",
}
VARIABLE_KEYS = {
    "note",
    "wording",
    "source",
    "type",
    "scale",
    "label",
    "question",
    "range",
    "missing",
    "recode",
    "required",
    "drop",
    "pii",
    "public",
    "battery",
    "veracity",
    "concept",
    "share",
    "unit",
    "regions",
}
TOP_KEYS = {"dataset", "missing", "scales", "variables", "sections"}


@dataclass(frozen=True)
class Scale:
    """A set of canonical codes with labels in several languages."""

    name: str
    labels: dict[int, dict[str, str]]
    """Canonical code to {language: label}."""
    share: tuple[int, ...] | None = None
    """Codes a report counts for the headline share (e.g. agree = 4, 5); None: not declared."""
    shares: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Further named shares (e.g. ``monthly``: 1, 2, 3)."""

    def label(self, code: int, lang: str = "en") -> str:
        """The label of ``code`` in ``lang``, English when there is none."""
        names = self.labels[code]
        return names.get(lang, names.get("en", str(code)))

    def lookup(self) -> dict[str, int]:
        """Normalised label (any language) or code as text, to canonical code."""
        table: dict[str, int] = {}
        for code, names in self.labels.items():
            table[str(code)] = code
            for text in names.values():
                table[normalize_name(text)] = code
        return table


@dataclass(frozen=True)
class Variable:
    """One harmonised variable and where it comes from."""

    name: str
    """English snake_case name in the processed table."""
    source: str
    """Column name in the raw file."""
    type: str
    scale: Scale | None = None
    label: dict[str, str] = field(default_factory=dict)
    question: dict[str, str] = field(default_factory=dict)
    range: tuple[float, float] | None = None
    missing: dict[Any, str] | None = None
    """Vendor code to missing reason; None means the dataset's codes apply."""
    recode: dict[Any, int] = field(default_factory=dict)
    """Vendor code to canonical code, applied before labels are checked."""
    required: bool = False
    drop: bool = False
    """Read for checks (e.g. names for PII) but never written to processed data."""
    pii: bool = False
    public: bool = False
    """Free text that may be published as it is (e.g. a public outlet's name): not scrubbed."""
    """Free text to scrub of personal data before it is written."""
    battery: str | None = None
    """Item battery the variable belongs to, for straight-lining checks and indices."""
    veracity: bool | None = None
    """For headline items: True for a true headline, False for a false one."""
    note: dict[str, str] = field(default_factory=dict)
    """How this dataset asked the item differently from the common questionnaire, per language."""
    wording: str | None = None
    """An id of the item's exact wording: two waves compare the item only while it is the same."""
    concept: str | None = None
    """What the item measures (one of :data:`CONCEPTS` or a declared section); None: the
    built-in questionnaire's default for its name (:func:`default_concept`)."""
    share: tuple[int, ...] | None = None
    """Codes counted for the share a report shows; None: the scale's declared share."""
    unit: str | None = None
    """For a duration: ``seconds``, ``minutes`` or ``hours``."""
    regions: dict[str, str] = field(default_factory=dict)
    """For the region: the vendor's spelling to its ISO 3166-2 code, beside the declared table."""

    def text(self, lang: str = "en") -> str:
        """The variable's label in ``lang`` (English, then its name, as fallbacks)."""
        return self.label.get(lang) or self.label.get("en") or self.name


@dataclass(frozen=True)
class Dataset:
    """How one raw file is delivered."""

    name: str
    kind: str
    file: str
    format: str
    encoding: str = "auto"
    header_rows: int = 1
    names_row: int = 1
    """For files with several header rows: the (1-based) row that holds the source names."""
    sheet: str | int = 0
    delimiter: str | None = None
    synthetic: bool = False
    country: str | None = None
    """Fixed ISO3 for single-country files; otherwise read from the ``country`` variable."""
    description: str | Mapping[str, str] = ""
    """The citation shown under charts: one text, or one per report language."""
    producer: str | Mapping[str, str] = ""
    """Who collected the data: one text, or one per report language."""
    fieldwork_start: dt.date | None = None
    fieldwork_end: dt.date | None = None
    mode: str | None = None
    """How respondents were interviewed (CAPI, CATI, CAWI...): a change breaks comparisons."""
    wave: str | None = None
    """The survey round this file is (e.g. 2023); None: the year fieldwork started."""
    sample_design: str | Mapping[str, str] = ""
    """The design in words: one text, or one per report language."""
    timezone: str | None = None
    age_bands: tuple[int, ...] | None = None
    """Lower edges of the age bands reports use; None: from the data's youngest respondent."""
    channels: Mapping[str, Mapping[str, str]] | None = None
    """Telegram: each chat's ``username`` and ``country``, by chat id or name."""

    @property
    def wave_id(self) -> str:
        """The declared wave, else the year fieldwork started, else "" (one unnamed wave)."""
        if self.wave:
            return self.wave
        start = self.fieldwork_start
        return str(start)[:4] if start else ""


@dataclass(frozen=True)
class Codebook:
    """A dataset's codebook: how to read it and what every column means."""

    path: Path
    dataset: Dataset
    missing: dict[Any, str]
    """Dataset-wide vendor missing codes to reason, e.g. {98: 'hard_to_say'}."""
    scales: dict[str, Scale]
    variables: dict[str, Variable]
    sections: dict[str, dict[str, str]] = field(default_factory=dict)
    """Custom report sections: id to title per language, for items of ``concept: <id>``."""

    @property
    def data_path(self) -> Path:
        """The raw data file this codebook describes."""
        return self.path.parent / self.dataset.file

    def missing_for(self, variable: Variable) -> dict[Any, str]:
        """The vendor missing codes that apply to ``variable``."""
        if variable.missing is not None:
            return variable.missing
        if variable.type in ("id", "string", "text", "country", "region", "date", "datetime"):
            return {k: v for k, v in self.missing.items() if isinstance(k, str)}
        return self.missing

    def battery(self, name: str) -> list[str]:
        """Variable names in item battery ``name``, in codebook order."""
        return [v.name for v in self.variables.values() if v.battery == name]
