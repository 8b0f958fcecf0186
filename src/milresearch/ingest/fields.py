"""How each key of a codebook is read and checked; every error names the file and the key."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from milresearch.errors import DataError
from milresearch.ingest.countries import load_countries, normalize_name
from milresearch.ingest.declarations import (
    CODED_TYPES,
    CONCEPTS,
    MISSING_REASONS,
    TYPES,
    UNITS,
    VARIABLE_KEYS,
    Scale,
    Variable,
)
from milresearch.yamlfile import read_yaml

DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""A dataset name: it becomes part of file and cache names, so no '/' and no spaces."""


def flag(path: Path, where: str, raw: dict, key: str, default: bool | None) -> Any:
    """A true/false key; YAML's "no" in quotes, 0 or "false" are refused, not guessed."""
    value = raw.get(key, default)
    if value is not default and not isinstance(value, bool):
        raise fail(
            path,
            f"{where}.{key}",
            f"{value!r} is not true or false",
            f"write {key}: true or {key}: false, without quotes",
        )
    return value


def read_public(path: Path, where: str, raw: dict) -> bool:
    """A variable's ``public:`` flag; refused beside ``pii: true``."""
    public = flag(path, where, raw, "public", False)
    if public and raw.get("pii"):
        raise fail(
            path,
            f"{where}.public",
            "a variable cannot be both pii: and public:",
            "keep pii: true if it may hold personal data",
        )
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


def check_types(path: Path, raw: Any) -> None:
    """Check every key's type against the declared schema; the first error names its key path."""
    import jsonschema

    schema = _schema()
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(raw),
        key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))),
    )
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
        raise fail(path, where, message, hint)


@functools.cache
def _schema() -> dict:
    return read_yaml(SCHEMA_FILE)


def fail(path: Path, where: str, message: str, hint: str) -> DataError:
    """The error for a bad key: the file, the key path, what is wrong and what to do."""
    return DataError(message, path=path, where=where, hint=hint)


def check_keys(path: Path, where: str, mapping: dict, allowed: set[str]) -> None:
    """Refuse a non-mapping or any key not in ``allowed``, naming them."""
    if not isinstance(mapping, dict):
        raise fail(path, where, "expected a mapping of keys to values", "see data/raw/README.md")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise fail(
            path,
            where,
            f"unknown key(s) {', '.join(map(repr, unknown))}",
            f"allowed keys are: {', '.join(sorted(allowed))}",
        )


def missing_map(path: Path, where: str, raw: Any) -> dict[Any, str]:
    """A ``missing:`` mapping of vendor codes to :data:`MISSING_REASONS`."""
    if raw is None:
        return {}
    if isinstance(raw, list) and not raw:
        return {}
    if not isinstance(raw, dict):
        raise fail(
            path,
            where,
            "missing codes must be a mapping of code to reason",
            "e.g. {98: hard_to_say}",
        )
    bad = sorted({str(r) for r in raw.values() if r not in MISSING_REASONS})
    if bad:
        raise fail(
            path,
            where,
            f"unknown missing reason(s) {', '.join(bad)}",
            f"use one of {MISSING_REASONS}",
        )
    return dict(raw)


_SHARE_KEYS = ("share", "shares")


def share_codes(
    path: Path, where: str, raw: Any, labels: dict[int, dict[str, str]]
) -> tuple[int, ...] | None:
    """Validated codes of a declared share (None when not declared)."""
    if raw is None:
        return None
    codes = raw if isinstance(raw, list) else [raw]
    if not codes or not all(isinstance(c, int) and not isinstance(c, bool) for c in codes):
        raise fail(path, where, f"{raw!r} is not a list of codes", "e.g. share: [4, 5]")
    unknown = [c for c in codes if c not in labels]
    if unknown:
        raise fail(
            path,
            where,
            f"code(s) {unknown} are not codes of this scale",
            f"use codes from {sorted(labels)}",
        )
    return tuple(codes)


def read_scale(path: Path, name: str, raw: Any) -> Scale:
    """One declared scale: codes, labels per language, and the codes each share counts."""
    where = f"scales.{name}"
    if not isinstance(raw, dict) or not raw:
        raise fail(path, where, "a scale needs at least one code", "e.g. {1: {en: Yes, ru: Да}}")
    labels: dict[int, dict[str, str]] = {}
    for code, names in raw.items():
        if code in _SHARE_KEYS:
            continue
        if not isinstance(code, int) or isinstance(code, bool):
            raise fail(path, where, f"code {code!r} is not an integer", "codes are integers")
        if isinstance(names, str):
            names = {"en": names}
        if not isinstance(names, dict) or "en" not in names:
            raise fail(path, f"{where}.{code}", "each code needs an English label", "add en: ...")
        odd = [k for k, v in names.items() if not isinstance(v, str)]
        if odd:
            # YAML reads Yes as a boolean and splits unquoted "a, b" inside {...}.
            raise fail(
                path,
                f"{where}.{code}",
                f"label(s) for {odd} are not text",
                'quote labels that contain commas or read as booleans: en: "Yes, earlier"',
            )
        labels[code] = {str(k): v for k, v in names.items()}
    share = share_codes(path, f"{where}.share", raw.get("share"), labels)
    named = raw.get("shares") or {}
    if not isinstance(named, dict) or not all(isinstance(k, str) for k in named):
        raise fail(
            path,
            f"{where}.shares",
            "shares must map a name to codes",
            "e.g. shares: {monthly: [1, 2, 3]}",
        )
    shares = {
        key: share_codes(path, f"{where}.shares.{key}", codes, labels)
        for key, codes in named.items()
    }
    scale = Scale(name, labels, share, {k: v for k, v in shares.items() if v})
    seen: dict[str, int] = {}
    for code, names in labels.items():
        for text in names.values():
            key = normalize_name(text)
            if seen.setdefault(key, code) != code:
                raise fail(
                    path,
                    where,
                    f"label {text!r} stands for two codes ({seen[key]} and {code})",
                    "make labels unique within a scale",
                )
    return scale


def read_concept(
    path: Path, where: str, raw: Any, sections: dict[str, dict[str, str]]
) -> str | None:
    """A variable's concept: a built-in one or a section the codebook declares."""
    if raw is None or raw in CONCEPTS or raw in sections:
        return raw
    raise fail(
        path,
        f"{where}.concept",
        f"unknown concept {raw!r}",
        f"use one of {', '.join(CONCEPTS)}, or declare a section {raw!r} under sections:"
        f" with a title (sections: {{{raw}: {{title: {{en: ..., ru: ...}}}}}})",
    )


def read_unit(path: Path, where: str, name: str, raw: Any) -> str | None:
    """A duration's unit, one of :data:`UNITS`."""
    if raw is not None and raw not in UNITS:
        raise fail(
            path, f"{where}.unit", f"unknown unit {raw!r}", f"use one of {', '.join(UNITS)}"
        )
    if raw is None and name == "duration":
        raise fail(
            path,
            where,
            "the interview duration has no unit",
            "add unit: seconds (or minutes, hours) so that the speeder check reads it right",
        )
    return raw


_REGION_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


def read_regions(path: Path, where: str, raw: Any) -> dict[str, str]:
    """A region variable's own spellings: vendor text to ISO 3166-2 code of a study country."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail(
            path,
            f"{where}.regions",
            "expected a mapping of spelling to ISO 3166-2 code",
            'e.g. regions: {"Almaty city": KZ-75}',
        )
    prefixes = {c.iso2 for c in load_countries().values()}
    for text, code in raw.items():
        if not (isinstance(code, str) and _REGION_CODE.match(code) and code[:2] in prefixes):
            raise fail(
                path,
                f"{where}.regions.{text}",
                f"{code!r} is not an ISO 3166-2 code of a study country",
                f"use a code such as KZ-75 (country prefixes {', '.join(sorted(prefixes))})",
            )
    return {str(k): v for k, v in raw.items()}


def read_sections(path: Path, raw: Any) -> dict[str, dict[str, str]]:
    """Custom report sections: id to its title per language."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail(
            path,
            "sections",
            "expected a mapping of section id to its title",
            "e.g. sections: {news_values: {title: {en: News values, ru: Ценности}}}",
        )
    found = {}
    for key, spec in raw.items():
        where = f"sections.{key}"
        title = spec.get("title") if isinstance(spec, dict) else None
        if isinstance(title, str):
            title = {"en": title}
        if not isinstance(key, str) or key in CONCEPTS:
            raise fail(
                path,
                where,
                f"{key!r} cannot name a custom section",
                f"use a new snake_case id, not one of {', '.join(CONCEPTS)}",
            )
        if not isinstance(title, dict) or not isinstance(title.get("en"), str):
            raise fail(
                path,
                where,
                "a section needs a title with an English text",
                "e.g. title: {en: News values, ru: Ценности}",
            )
        check_keys(path, where, spec, {"title"})
        found[key] = {str(lang): str(text) for lang, text in title.items()}
    return found


def read_variable(
    path: Path,
    name: str,
    raw: Any,
    scales: dict[str, Scale],
    sections: dict[str, dict[str, str]] | None = None,
) -> Variable:
    """One declared variable, checked against its scale, type and sections."""
    where = f"variables.{name}"
    if isinstance(raw, str):
        raw = {"source": raw, "type": "string"}
    check_keys(path, where, raw, VARIABLE_KEYS)
    vtype = raw.get("type", "string")
    if vtype not in TYPES:
        raise fail(path, where, f"unknown type {vtype!r}", f"use one of {', '.join(TYPES)}")
    scale = None
    if vtype in CODED_TYPES or vtype == "multi" or raw.get("scale"):
        scale_name = raw.get("scale")
        if scale_name not in scales:
            raise fail(
                path,
                where,
                f"type {vtype} needs a scale, and {scale_name!r} is not declared",
                f"declare it under scales: or use one of {', '.join(scales) or '(none declared)'}",
            )
        scale = scales[scale_name]
    rng = raw.get("range")
    if rng is not None:
        if not (isinstance(rng, list) and len(rng) == 2 and rng[0] <= rng[1]):
            raise fail(path, where, f"range {rng!r} is not [min, max]", "e.g. range: [14, 100]")
        rng = (float(rng[0]), float(rng[1]))
    missing = raw.get("missing")
    missing = None if missing is None else missing_map(path, f"{where}.missing", missing)
    recode = raw.get("recode") or {}
    share = None
    if raw.get("share") is not None:
        if scale is None:
            raise fail(path, f"{where}.share", "share: needs a scale", "declare scale: first")
        share = share_codes(path, f"{where}.share", raw["share"], scale.labels)
    if scale is not None:
        bad = [c for c in recode.values() if c not in scale.labels]
        if bad:
            raise fail(
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
        required=flag(path, where, raw, "required", name in ("resp_id", "item_id")),
        drop=flag(path, where, raw, "drop", False),
        pii=flag(path, where, raw, "pii", False),
        public=read_public(path, where, raw),
        battery=raw.get("battery"),
        veracity=flag(path, where, raw, "veracity", None),
        note=dict(raw.get("note") or {}),
        wording=None if raw.get("wording") is None else str(raw["wording"]),
        concept=read_concept(path, where, raw.get("concept"), sections or {}),
        share=share,
        unit=read_unit(path, where, name, raw.get("unit")),
        regions=read_regions(path, where, raw.get("regions")),
    )


def age_bands(path: Path, raw: Any) -> tuple[int, ...] | None:
    """The dataset's age band limits, increasing whole numbers."""
    if raw is None:
        return None
    ok = isinstance(raw, list) and raw and all(isinstance(a, int) and a >= 0 for a in raw)
    if not ok or list(raw) != sorted(set(raw)):
        raise fail(
            path,
            "dataset.age_bands",
            f"{raw!r} is not a rising list of ages",
            "give the lower edge of each band, e.g. age_bands: [18, 30, 45, 60]",
        )
    return tuple(raw)
