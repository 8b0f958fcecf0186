"""Codebooks: one YAML file beside each raw dataset, loaded into frozen dataclasses.

The codebook decides how a file is read (format, encoding, header rows), which source column
becomes which English snake_case variable, how value labels in any language map to canonical
codes, and which vendor codes mean "hard to say", "refused" or "not asked".
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from milresearch.errors import DataError
from milresearch.ingest.countries import COUNTRY_CODES, load_countries, normalize_name
from milresearch.yamlfile import read_yaml

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

_DATASET_KEYS = {
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
_VARIABLE_KEYS = {
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
_TOP_KEYS = {"dataset", "missing", "scales", "variables", "sections"}


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


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A dataset name: it becomes part of file and cache names, so no '/' and no spaces."""


def _flag(path: Path, where: str, raw: dict, key: str, default: bool | None) -> Any:
    """A true/false key; YAML's "no" in quotes, 0 or "false" are refused, not guessed."""
    value = raw.get(key, default)
    if value is not default and not isinstance(value, bool):
        raise _fail(path, f"{where}.{key}", f"{value!r} is not true or false",
                    f"write {key}: true or {key}: false, without quotes")  # fmt: skip
    return value


def _public(path: Path, where: str, raw: dict) -> bool:
    public = _flag(path, where, raw, "public", False)
    if public and raw.get("pii"):
        raise _fail(path, f"{where}.public", "a variable cannot be both pii: and public:",
                    "keep pii: true if it may hold personal data")  # fmt: skip
    return public


SCHEMA_FILE = Path(__file__).with_name("codebook.schema.yml")
_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "string": "text",
    "object": "a mapping of keys to values",
    "array": "a list",
}


def _check_types(path: Path, raw: Any) -> None:
    """Check every key's type against the declared schema; the first error names its key path."""
    import jsonschema

    schema = _schema()
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(raw),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))  # fmt: skip
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        where = ".".join(str(p) for p in error.absolute_path) or "top level"
        key = str(error.absolute_path[-1]) if error.absolute_path else "the file"
        message, hint = error.message, "see data/raw/CODEBOOK.md for the type each key takes"
        if error.validator == "type":
            wanted = error.validator_value
            wanted = [wanted] if isinstance(wanted, str) else wanted
            words = " or ".join(_TYPE_WORDS[w] for w in wanted if w != "null")
            message = f"{error.instance!r} is not {words}"
            if "boolean" in wanted:
                hint = f"write {key}: true or {key}: false, without quotes"
            elif "integer" in wanted:
                hint = f"write a number, e.g. {key}: 2"
        raise _fail(path, where, message, hint)


@functools.cache
def _schema() -> dict:
    return read_yaml(SCHEMA_FILE)


def _fail(path: Path, where: str, message: str, hint: str) -> DataError:
    return DataError(message, path=path, where=where, hint=hint)


def _check_keys(path: Path, where: str, mapping: dict, allowed: set[str]) -> None:
    if not isinstance(mapping, dict):
        raise _fail(path, where, "expected a mapping of keys to values", "see data/raw/README.md")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise _fail(
            path,
            where,
            f"unknown key(s) {', '.join(map(repr, unknown))}",
            f"allowed keys are: {', '.join(sorted(allowed))}",
        )


def _missing_map(path: Path, where: str, raw: Any) -> dict[Any, str]:
    if raw is None:
        return {}
    if isinstance(raw, list) and not raw:
        return {}
    if not isinstance(raw, dict):
        raise _fail(
            path,
            where,
            "missing codes must be a mapping of code to reason",
            "e.g. {98: hard_to_say}",
        )
    bad = sorted({str(r) for r in raw.values() if r not in MISSING_REASONS})
    if bad:
        raise _fail(
            path,
            where,
            f"unknown missing reason(s) {', '.join(bad)}",
            f"use one of {MISSING_REASONS}",
        )
    return dict(raw)


_SHARE_KEYS = ("share", "shares")


def _share_codes(
    path: Path, where: str, raw: Any, labels: dict[int, dict[str, str]]
) -> tuple[int, ...] | None:
    """Validated codes of a declared share (None when not declared)."""
    if raw is None:
        return None
    codes = raw if isinstance(raw, list) else [raw]
    if not codes or not all(isinstance(c, int) and not isinstance(c, bool) for c in codes):
        raise _fail(path, where, f"{raw!r} is not a list of codes", "e.g. share: [4, 5]")
    unknown = [c for c in codes if c not in labels]
    if unknown:
        raise _fail(
            path,
            where,
            f"code(s) {unknown} are not codes of this scale",
            f"use codes from {sorted(labels)}",
        )
    return tuple(codes)


def _scale(path: Path, name: str, raw: Any) -> Scale:
    where = f"scales.{name}"
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, where, "a scale needs at least one code", "e.g. {1: {en: Yes, ru: Да}}")
    labels: dict[int, dict[str, str]] = {}
    for code, names in raw.items():
        if code in _SHARE_KEYS:
            continue
        if not isinstance(code, int) or isinstance(code, bool):
            raise _fail(path, where, f"code {code!r} is not an integer", "codes are integers")
        if isinstance(names, str):
            names = {"en": names}
        if not isinstance(names, dict) or "en" not in names:
            raise _fail(path, f"{where}.{code}", "each code needs an English label", "add en: ...")
        odd = [k for k, v in names.items() if not isinstance(v, str)]
        if odd:
            # YAML reads Yes as a boolean and splits unquoted "a, b" inside {...}.
            raise _fail(
                path,
                f"{where}.{code}",
                f"label(s) for {odd} are not text",
                'quote labels that contain commas or read as booleans: en: "Yes, earlier"',
            )
        labels[code] = {str(k): v for k, v in names.items()}
    share = _share_codes(path, f"{where}.share", raw.get("share"), labels)
    named = raw.get("shares") or {}
    if not isinstance(named, dict) or not all(isinstance(k, str) for k in named):
        raise _fail(
            path,
            f"{where}.shares",
            "shares must map a name to codes",
            "e.g. shares: {monthly: [1, 2, 3]}",
        )
    shares = {
        key: _share_codes(path, f"{where}.shares.{key}", codes, labels)
        for key, codes in named.items()
    }
    scale = Scale(name, labels, share, {k: v for k, v in shares.items() if v})
    seen: dict[str, int] = {}
    for code, names in labels.items():
        for text in names.values():
            key = normalize_name(text)
            if seen.setdefault(key, code) != code:
                raise _fail(
                    path,
                    where,
                    f"label {text!r} stands for two codes ({seen[key]} and {code})",
                    "make labels unique within a scale",
                )
    return scale


def _concept(path: Path, where: str, raw: Any, sections: dict[str, dict[str, str]]) -> str | None:
    if raw is None or raw in CONCEPTS or raw in sections:
        return raw
    raise _fail(
        path,
        f"{where}.concept",
        f"unknown concept {raw!r}",
        f"use one of {', '.join(CONCEPTS)}, or declare a section {raw!r} under sections:"
        f" with a title (sections: {{{raw}: {{title: {{en: ..., ru: ...}}}}}})",
    )


def _unit(path: Path, where: str, name: str, raw: Any) -> str | None:
    if raw is not None and raw not in UNITS:
        raise _fail(
            path, f"{where}.unit", f"unknown unit {raw!r}", f"use one of {', '.join(UNITS)}"
        )
    if raw is None and name == "duration":
        raise _fail(
            path,
            where,
            "the interview duration has no unit",
            "add unit: seconds (or minutes, hours) so that the speeder check reads it right",
        )
    return raw


_REGION_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def _regions(path: Path, where: str, raw: Any) -> dict[str, str]:
    """A region variable's own spellings: vendor text to ISO 3166-2 code of a study country."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}.regions", "expected a mapping of spelling to ISO 3166-2 code",
                    'e.g. regions: {"Almaty city": KZ-75}')  # fmt: skip
    prefixes = {c.iso2 for c in load_countries().values()}
    for text, code in raw.items():
        if not (isinstance(code, str) and _REGION_CODE.match(code) and code[:2] in prefixes):
            raise _fail(path, f"{where}.regions.{text}", f"{code!r} is not an ISO 3166-2 code of a study country",
                        f"use a code such as KZ-75 (country prefixes {', '.join(sorted(prefixes))})")  # fmt: skip
    return {str(k): v for k, v in raw.items()}


def _sections(path: Path, raw: Any) -> dict[str, dict[str, str]]:
    """Custom report sections: id to its title per language."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(path, "sections", "expected a mapping of section id to its title",
                    "e.g. sections: {news_values: {title: {en: News values, ru: Ценности}}}")  # fmt: skip
    found = {}
    for key, spec in raw.items():
        where = f"sections.{key}"
        title = spec.get("title") if isinstance(spec, dict) else None
        if isinstance(title, str):
            title = {"en": title}
        if not isinstance(key, str) or key in CONCEPTS:
            raise _fail(path, where, f"{key!r} cannot name a custom section",
                        f"use a new snake_case id, not one of {', '.join(CONCEPTS)}")  # fmt: skip
        if not isinstance(title, dict) or not isinstance(title.get("en"), str):
            raise _fail(path, where, "a section needs a title with an English text",
                        "e.g. title: {en: News values, ru: Ценности}")  # fmt: skip
        _check_keys(path, where, spec, {"title"})
        found[key] = {str(lang): str(text) for lang, text in title.items()}
    return found


def _variable(
    path: Path,
    name: str,
    raw: Any,
    scales: dict[str, Scale],
    sections: dict[str, dict[str, str]] | None = None,
) -> Variable:
    where = f"variables.{name}"
    if isinstance(raw, str):
        raw = {"source": raw, "type": "string"}
    _check_keys(path, where, raw, _VARIABLE_KEYS)
    vtype = raw.get("type", "string")
    if vtype not in TYPES:
        raise _fail(path, where, f"unknown type {vtype!r}", f"use one of {', '.join(TYPES)}")
    scale = None
    if vtype in CODED_TYPES or vtype == "multi" or raw.get("scale"):
        scale_name = raw.get("scale")
        if scale_name not in scales:
            raise _fail(
                path,
                where,
                f"type {vtype} needs a scale, and {scale_name!r} is not declared",
                f"declare it under scales: or use one of {', '.join(scales) or '(none declared)'}",
            )
        scale = scales[scale_name]
    rng = raw.get("range")
    if rng is not None:
        if not (isinstance(rng, list) and len(rng) == 2 and rng[0] <= rng[1]):
            raise _fail(path, where, f"range {rng!r} is not [min, max]", "e.g. range: [14, 100]")
        rng = (float(rng[0]), float(rng[1]))
    missing = raw.get("missing")
    missing = None if missing is None else _missing_map(path, f"{where}.missing", missing)
    recode = raw.get("recode") or {}
    share = None
    if raw.get("share") is not None:
        if scale is None:
            raise _fail(path, f"{where}.share", "share: needs a scale", "declare scale: first")
        share = _share_codes(path, f"{where}.share", raw["share"], scale.labels)
    if scale is not None:
        bad = [c for c in recode.values() if c not in scale.labels]
        if bad:
            raise _fail(
                path, f"{where}.recode", f"recodes to unknown code(s) {bad}", "check the scale"
            )
    return Variable(
        name=name,
        source=str(raw.get("source", name)),
        type=vtype,
        scale=scale,
        label=dict(raw.get("label") or {}),
        question=dict(raw.get("question") or {}),
        range=rng,
        missing=missing,
        recode=dict(recode),
        required=_flag(path, where, raw, "required", name in ("resp_id", "item_id")),
        drop=_flag(path, where, raw, "drop", False),
        pii=_flag(path, where, raw, "pii", False),
        public=_public(path, where, raw),
        battery=raw.get("battery"),
        veracity=_flag(path, where, raw, "veracity", None),
        note=dict(raw.get("note") or {}),
        wording=None if raw.get("wording") is None else str(raw["wording"]),
        concept=_concept(path, where, raw.get("concept"), sections or {}),
        share=share,
        unit=_unit(path, where, name, raw.get("unit")),
        regions=_regions(path, where, raw.get("regions")),
    )


def _age_bands(path: Path, raw: Any) -> tuple[int, ...] | None:
    if raw is None:
        return None
    ok = isinstance(raw, list) and raw and all(isinstance(a, int) and a >= 0 for a in raw)
    if not ok or list(raw) != sorted(set(raw)):
        raise _fail(path, "dataset.age_bands", f"{raw!r} is not a rising list of ages",
                    "give the lower edge of each band, e.g. age_bands: [18, 30, 45, 60]")  # fmt: skip
    return tuple(raw)


def load_codebook(path: str | Path) -> Codebook:
    """Load and validate a codebook YAML file.

    Raises:
        DataError: For unknown keys, undeclared scales, duplicate source columns, missing codes
            that collide with valid codes, and every other inconsistency, naming the key.
    """
    path = Path(path)
    # Strict: a key given twice, an anchor or text that is not UTF-8 is refused.
    raw = read_yaml(path)
    _check_types(path, raw)
    _check_keys(path, "top level", raw, _TOP_KEYS)
    for key in ("dataset", "variables"):
        if key not in raw:
            raise _fail(path, "top level", f"missing {key!r}", f"add a {key}: section")

    ds_raw = raw["dataset"]
    _check_keys(path, "dataset", ds_raw, _DATASET_KEYS)
    for key in ("name", "kind", "file", "format"):
        if key not in ds_raw:
            raise _fail(path, "dataset", f"missing {key!r}", f"add dataset.{key}")
    if ds_raw["kind"] not in KINDS:
        raise _fail(
            path, "dataset.kind", f"unknown kind {ds_raw['kind']!r}", f"use one of {KINDS}"
        )
    if ds_raw["format"] not in FORMATS:
        raise _fail(
            path, "dataset.format", f"unknown format {ds_raw['format']!r}", f"use one of {FORMATS}"
        )
    if ds_raw.get("country") is not None and ds_raw["country"] not in COUNTRY_CODES:
        raise _fail(
            path,
            "dataset.country",
            f"{ds_raw['country']!r} is not a study country",
            f"use one of {COUNTRY_CODES}",
        )
    _flag(path, "dataset", ds_raw, "synthetic", False)
    if not isinstance(ds_raw["name"], str) or not _NAME.fullmatch(ds_raw["name"]):
        raise _fail(path, "dataset.name", f"{ds_raw['name']!r} cannot name a dataset",
                    "use letters, digits, '_', '-' and '.', e.g. name: kaz_mil_2025")  # fmt: skip
    file = Path(str(ds_raw["file"]))
    if file.is_absolute() or ".." in file.parts or not file.parts:
        raise _fail(path, "dataset.file", f"{ds_raw['file']!r} is not a file beside the codebook",
                    "give the data file's name relative to the codebook's folder, "
                    "and keep the file inside the raw folder")  # fmt: skip
    for key in ("header_rows", "names_row"):
        value = ds_raw.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise _fail(path, f"dataset.{key}", f"{value!r} is not a whole number of rows",
                        f"write a number, e.g. {key}: 2")  # fmt: skip
    encoding = ds_raw.get("encoding", "auto")
    if encoding != "auto":
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise _fail(path, "dataset.encoding", f"unknown encoding {encoding!r}",
                        "use auto, or a name such as utf-8, cp1251, cp1252, koi8-r") from None  # fmt: skip
    wave = ds_raw.get("wave")
    dataset = Dataset(**(ds_raw | {"age_bands": _age_bands(path, ds_raw.get("age_bands")),
                                   "wave": None if wave is None else str(wave).strip() or None}))  # fmt: skip
    if dataset.names_row > dataset.header_rows:
        raise _fail(
            path,
            "dataset.names_row",
            "names_row is past the header rows",
            "names_row ≤ header_rows",
        )

    scales = {name: _scale(path, name, spec) for name, spec in (raw.get("scales") or {}).items()}
    sections = _sections(path, raw.get("sections"))
    variables = {
        name: _variable(path, name, spec, scales, sections)
        for name, spec in raw["variables"].items()
    }
    missing = _missing_map(path, "missing", raw.get("missing"))

    sources: dict[str, str] = {}
    for var in variables.values():
        if var.source in sources:
            raise _fail(
                path,
                f"variables.{var.name}",
                f"source column {var.source!r} is already used by {sources[var.source]!r}",
                "each source column maps to one variable",
            )
        sources[var.source] = var.name
        if var.scale is not None:
            clash = [c for c in codebook_missing(missing, var) if c in var.scale.labels]
            if clash:
                raise _fail(
                    path,
                    f"variables.{var.name}",
                    f"missing code(s) {clash} are also valid codes of scale {var.scale.name!r}",
                    "give the variable its own missing: mapping",
                )
    for name in REQUIRED[dataset.kind]:
        if name not in variables:
            raise _fail(path, "variables", f"required variable {name!r} is not declared", "add it")
    if dataset.country is None and "country" not in variables:
        raise _fail(
            path,
            "dataset",
            "no country: neither dataset.country nor a country variable",
            "set dataset.country for a one-country file, or map a country column",
        )
    return Codebook(
        path=path,
        dataset=dataset,
        missing=missing,
        scales=scales,
        variables=variables,
        sections=sections,
    )


def codebook_missing(dataset_missing: dict[Any, str], variable: Variable) -> list[Any]:
    """Integer missing codes that apply to a coded variable."""
    codes = variable.missing if variable.missing is not None else dataset_missing
    return [c for c in codes if isinstance(c, int)]


def find_codebooks(raw_dir: str | Path, kind: str | None = None) -> list[Codebook]:
    """Every ``*.codebook.yml`` below ``raw_dir`` (sorted), optionally of one kind."""
    books = [load_codebook(p) for p in sorted(Path(raw_dir).rglob("*.codebook.yml"))]
    seen: dict[str, Path] = {}
    for book in books:
        if book.dataset.name in seen:
            # Rows of both would be one dataset: ids would clash and every row could count twice.
            raise DataError(f"dataset name {book.dataset.name!r} is also used by {seen[book.dataset.name]}",
                            path=book.path, where="dataset.name",
                            hint="give each codebook its own dataset name")  # fmt: skip
        seen[book.dataset.name] = book.path
    return [b for b in books if kind is None or b.dataset.kind == kind]
