"""Declared cleaning and report settings (config/cleaning.yml), loaded and checked."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from milresearch.errors import DataError
from milresearch.paths import CONFIG_DIR
from milresearch.yamlfile import read_yaml

SETTINGS_FILE = CONFIG_DIR / "cleaning.yml"


@dataclass(frozen=True)
class SurveyRules:
    """Quality-control rules for survey cleaning."""

    speeder_share: float = 0.4
    straightline_batteries: tuple[str, ...] = ("trust", "mil")
    straightline_min_items: int = 5
    near_duplicate_threshold: float = 0.85
    """The lowest share of identical answers that can flag a near-duplicate; the delivery's
    own chance agreement may raise it, or switch the check off (``clean.quality``)."""
    near_duplicate_chance: float = 0.1
    """Respondents a delivery may have flagged as near-duplicates by chance alone."""
    near_duplicate_block: tuple[str, ...] = ("country", "interviewer_id")
    near_duplicate_batteries: tuple[str, ...] = ("media_use", "trust", "mil", "headlines")
    exclude_flags: tuple[str, ...] = ("qc_speeder", "qc_straightliner", "qc_near_duplicate")
    weight_max_ratio: float = 1000.0
    """A weight more than this many times the median is refused as a data error."""
    warn_share: float = 0.05
    """A rule flagging more than this share of a country's delivery is warned about."""


@dataclass(frozen=True)
class ReportRules:
    """Rules every table and chart in a report follows."""

    min_n: int = 30
    age_groups: tuple[int, ...] = (16, 25, 35, 45, 55, 65)
    mil_index_min_valid: int = 5


@dataclass(frozen=True)
class Settings:
    """All declared settings."""

    survey: SurveyRules
    reports: ReportRules


def _section(cls, raw: dict | None, path: Path, name: str):
    raw = raw or {}
    if not isinstance(raw, dict):
        raise DataError("expected a mapping of settings", path=path, where=name)
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DataError(
            f"unknown setting(s) {', '.join(unknown)}",
            path=path,
            where=name,
            hint=f"known settings: {', '.join(sorted(known))}",
        )
    values = {}
    for f in fields(cls):
        if f.name in raw:
            values[f.name] = _typed(raw[f.name], f.default, path, f"{name}.{f.name}")
    return cls(**values)


def _typed(value, default, path: Path, where: str):
    """``value`` checked against the type of the setting's default, and its range."""
    example = f"[{', '.join(map(str, default))}]" if isinstance(default, tuple) else f"{default:g}"
    wrong = DataError(
        f"{value!r} is not {_kind(default)}",
        path=path,
        where=where,
        hint=f"write {_kind(default)}, e.g. {where.rsplit('.', 1)[1]}: {example}",
    )
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(
            isinstance(v, type(default[0])) and not isinstance(v, bool) for v in value
        ):
            raise wrong
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong
    if isinstance(default, int) and not isinstance(value, int):
        raise wrong
    share = isinstance(default, float) and default < 1
    if value <= 0 or (share and value > 1):
        raise DataError(
            f"{value!r} is out of range",
            path=path,
            where=where,
            hint="a share between 0 and 1" if share else "a positive number",
        )
    return value


def _kind(default) -> str:
    if isinstance(default, tuple):
        return f"a list of {'numbers' if isinstance(default[0], int) else 'names'}"
    return "a whole number" if isinstance(default, int) else "a number"


def load_settings(path: str | Path = SETTINGS_FILE) -> Settings:
    """Read settings; a missing file gives the defaults, an unknown key is an error."""
    path = Path(path)
    raw = read_yaml(path) if path.exists() else {}
    raw = raw or {}
    if not isinstance(raw, dict):
        raise DataError("expected sections survey: and reports:", path=path)
    unknown = sorted(set(raw) - {"survey", "reports"})
    if unknown:
        raise DataError(
            f"unknown section(s) {', '.join(unknown)}", path=path, hint="use survey, reports"
        )
    return Settings(
        survey=_section(SurveyRules, raw.get("survey"), path, "survey"),
        reports=_section(ReportRules, raw.get("reports"), path, "reports"),
    )
