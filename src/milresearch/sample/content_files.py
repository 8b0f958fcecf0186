"""The synthetic sample content as files: four vendor deliveries, a Telegram export, a README.

The items come from :mod:`milresearch.sample.content`; this module writes them the way vendors
deliver them (a cp1251 CSV, JSON Lines, a bilingual Excel workbook, a ClaimReview feed), each
with its own date styles, column names and defects, plus codebooks and the README.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from milresearch import storage
from milresearch.ingest.claimreview import COLUMNS
from milresearch.sample import content as base
from milresearch.sample.survey_files import pin_zip

README_FILE = Path(__file__).with_name("content_readme.md")
"""The folder's README, a template filled with the seed and the counts of what was planted."""


def _local(stamp: pd.Timestamp, country: str) -> pd.Timestamp:
    return stamp.tz_convert(base._ZONES[country])


def _date_text(rng: np.random.Generator, stamp: pd.Timestamp, country: str, styles) -> str | int:
    """The publication time written in one of ``styles``."""
    local = _local(stamp, country)
    style = base._pick(rng, styles)
    if style == "iso_offset":
        return local.isoformat(timespec="seconds")
    if style == "iso_z":
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "dotted":
        return local.strftime("%d.%m.%Y")
    if style == "dotted_time":
        return local.strftime("%d.%m.%Y %H:%M")
    if style == "words":
        months = base._EN_MONTHS if country == "PAK" else base._RU_MONTHS
        return f"{local.day} {months[local.month - 1]} {local.year}"
    if style == "naive":
        return local.strftime("%Y-%m-%d %H:%M")
    if style == "slashes":
        return local.strftime("%Y/%m/%d")
    if style == "date":
        return local.strftime("%Y-%m-%d")
    return int(stamp.timestamp())  # epoch


def _broken_dates(rng: np.random.Generator, values: list) -> list:
    for j, bad in zip(
        rng.choice(len(values), size=len(base._BROKEN_DATES), replace=False),
        base._BROKEN_DATES,
        strict=True,
    ):
        values[int(j)] = bad
    return values


_LANGUAGE_NAMES = {
    "csv": {"ru": ["ru", "Русский", "рус"], "kk": ["kk", "Қазақ", "каз"], "ky": ["ky", "Кыргыз"]},
    "excel": {
        "uz": ["oʻzbek", "uz", "uzb"],
        "uz-Cyrl": ["ўзбек", "uz-Cyrl"],
        "ru": ["rus", "ru"],
        "tg": ["tojik", "tg"],
    },
}
_CSV_COLUMNS = {
    "item_id": "ID",
    "country": "Страна",
    "source_org": "Организация",
    "url": "Ссылка",
    "date_published": "Дата публикации",
    "claim_text": "Утверждение",
    "claim_author": "Автор утверждения",
    "claim_platform": "Платформа",
    "claim_url": "Ссылка на источник",
    "verdict_raw": "Вердикт",
    "language": "Язык",
    "format": "Формат",
    "item_type": "Тип",
}
_JSONL_COLUMNS = {
    "item_id": "id",
    "country": "country",
    "url": "url",
    "date_published": "created_at",
    "claim_text": "text",
    "claim_platform": "platform.name",
    "claim_author": "author.name",
    "source_type": "author.type",
    "language": "lang",
    "format": "media_type",
    "item_type": "type",
}
_EXCEL_COLUMNS = {
    "item_id": "ID",
    "country": "Davlat",
    "source_org": "Tashkilot",
    "url": "Havola",
    "date_published": "Sana",
    "claim_text": "Daʼvo",
    "claim_author": "Muallif",
    "claim_platform": "Platforma",
    "claim_url": "Manba",
    "verdict_raw": "Xulosa",
    "language": "Til",
    "format": "Format",
    "item_type": "Turi",
}
_CLAIMREVIEW_COLUMNS = {name: name for name in COLUMNS}


@dataclass(frozen=True)
class _Delivery:
    """One file as a vendor would send it, and what its codebook says about it."""

    file: str
    fmt: str
    data: bytes
    columns: dict[str, str]
    rows: int
    description: dict[str, str]
    what: str


def _archive_row(row: dict, date: object, language: str, fmt: str, kind: str) -> list:
    """One fact-check as a row of the CSV and Excel archives, in their shared column order."""
    return [
        row["id"],
        row["country_raw"],
        base._ORGS[row["country"]][0],
        row["url"],
        date,
        row["text"],
        row["author"],
        row["platform_raw"],
        row["claim_url"],
        row["verdict"],
        language,
        fmt,
        kind,
    ]


def _csv_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """A fact-check archive of a Kazakh and a Kyrgyz fact-checker, UTF-8 CSV, Russian headers."""
    styles = ("dotted", "dotted", "words", "dotted_time", "iso_offset")
    dates = _broken_dates(rng, [_date_text(rng, r["stamp"], r["country"], styles) for r in rows])
    formats = {"text": "текст", "image": "фото", "video": "видео", "audio": "аудио"}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS.values())
    for row, date in zip(rows, dates, strict=True):
        language = base._pick(rng, _LANGUAGE_NAMES["csv"][row["lang"]])
        writer.writerow(_archive_row(row, date, language, formats[row["format"]], "фактчек"))
    return _Delivery(
        "factchecks_kaz_kgz.csv",
        "csv",
        buf.getvalue().encode("utf-8"),
        _CSV_COLUMNS,
        len(rows),
        {
            "en": "Synthetic fact-check archive of a Kazakh and a Kyrgyz fact-checker.",
            "ru": "Синтетический архив проверок фактов казахстанского и кыргызского фактчекеров.",
        },
        "fact-checks, Kazakhstan and Kyrgyzstan, UTF-8 CSV with Russian headers",
    )


def _jsonl_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """A social-media monitoring export, JSON Lines with nested objects, all six countries."""
    styles = ("iso_offset", "iso_z", "iso_z", "epoch", "naive")
    dates = _broken_dates(rng, [_date_text(rng, r["stamp"], r["country"], styles) for r in rows])
    lines = []
    for row, date in zip(rows, dates, strict=True):
        record = {
            "id": row["id"],
            "country": row["country_raw"],
            "url": row["url"],
            "created_at": date,
            "text": row["text"],
            "platform": {"name": row["platform_raw"]},
            "author": {
                "name": row["author"],
                "type": base._pick(rng, ["channel", "group", "user"]),
            },
            "lang": None if rng.random() < 0.15 else row["lang"],
            "media_type": row["format"],
            "type": "post",
        }
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return _Delivery(
        "posts_export.jsonl",
        "jsonl",
        ("\n".join(lines) + "\n").encode("utf-8"),
        _JSONL_COLUMNS,
        len(rows),
        {
            "en": "Synthetic social-media monitoring export: posts from all six countries.",
            "ru": "Синтетическая выгрузка мониторинга соцсетей: публикации из всех шести стран.",
        },
        "social-media posts, all six countries, JSON Lines",
    )


def _excel_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """Fact-checks of an Uzbek and a Tajik fact-checker, one sheet, one header row.

    Half the dates are Excel date cells, the rest text; the workbook's metadata and the zip
    members' times are pinned so that the bytes do not depend on the clock.
    """
    import openpyxl

    dates = [
        _local(r["stamp"], r["country"]).tz_localize(None).to_pydatetime()
        if rng.random() < 0.5
        else _date_text(rng, r["stamp"], r["country"], ("dotted", "slashes", "date"))
        for r in rows
    ]
    dates = _broken_dates(rng, dates)
    formats = {"text": "matn", "image": "rasm", "video": "video", "audio": "audio"}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "factchecks"
    sheet.append(list(_EXCEL_COLUMNS.values()))
    for row, date in zip(rows, dates, strict=True):
        language = base._pick(rng, _LANGUAGE_NAMES["excel"][row["lang"]])
        sheet.append(_archive_row(row, date, language, formats[row["format"]], "fakt-tekshiruv"))
    book.properties.created = book.properties.modified = dt.datetime(2025, 3, 1)
    book.properties.creator = "milresearch sample generator"
    buf = io.BytesIO()
    book.save(buf)
    return _Delivery(
        "factchecks_uzb_tjk.xlsx",
        "excel",
        pin_zip(buf.getvalue()),
        _EXCEL_COLUMNS,
        len(rows),
        {
            "en": "Synthetic fact-checks of an Uzbek and a Tajik fact-checker.",
            "ru": "Синтетические проверки фактов узбекского и таджикского фактчекеров.",
        },
        "fact-checks, Uzbekistan and Tajikistan, Excel, one header row",
    )


def _claimreview_delivery(rng: np.random.Generator, rows: list[dict]) -> _Delivery:
    """ClaimReview JSON-LD of a Pakistani and a Turkmen fact-checker, one record per line."""
    records = []
    for row in rows:
        appearance = {"@type": "CreativeWork", "url": row["claim_url"]}
        shapes = ([appearance], appearance, row["claim_url"])  # a list, an object, a string
        date = _date_text(rng, row["stamp"], row["country"], ("date", "iso_z", "iso_offset"))
        records.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": row["url"],
                "claimReviewed": row["text"],
                "datePublished": date,
                "inLanguage": row["lang"],
                "author": {"@type": "Organization", "name": base._ORGS[row["country"]][0]},
                "contentLocation": {"@type": "Place", "name": row["country_raw"]},
                "reviewRating": {"@type": "Rating", "alternateName": row["verdict"]},
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": row["author"]},
                    "appearance": shapes[int(rng.integers(3))],
                },
            }
        )
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    return _Delivery(
        "claimreview_pak_tkm.json",
        "claimreview",
        f"[\n{lines}\n]\n".encode(),
        _CLAIMREVIEW_COLUMNS,
        len(rows),
        {
            "en": "Synthetic ClaimReview JSON-LD of a Pakistani and a Turkmen fact-checker.",
            "ru": "Синтетическая разметка ClaimReview (JSON-LD) пакистанского и туркменского фактчекеров.",
        },
        "fact-checks, Pakistan and Turkmenistan, ClaimReview JSON-LD",
    )


def write_sample_content(out_dir: Path, seed: int = base.SEED) -> list[Path]:
    """Write the four synthetic content deliveries, their codebooks and a README into ``out_dir``.

    Returns:
        The paths written, in a fixed order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 7])
    items = {country: base._items(rng, country) for country in base._ITEMS}
    stories = base._plant(rng, items)
    parts = base._prepare(rng, items)
    deliveries = [
        _csv_delivery(rng, parts["csv"]),
        _jsonl_delivery(rng, parts["jsonl"]),
        _excel_delivery(rng, parts["excel"]),
        _claimreview_delivery(rng, parts["claimreview"]),
    ]
    written: list[Path] = []
    header = "# Codebook of a SYNTHETIC sample content delivery (milresearch sample-data).\n"
    for d in deliveries:
        name = Path(d.file).stem
        book = base._codebook(name, d.file, d.fmt, d.description, d.columns, seed)
        storage.write_bytes(out_dir / d.file, d.data)
        storage.write_text(
            out_dir / f"{name}.codebook.yml",
            header + yaml.safe_dump(book, allow_unicode=True, sort_keys=False),
        )
        written += [out_dir / d.file, out_dir / f"{name}.codebook.yml"]
    telegram_files, telegram_counts = _write_telegram(out_dir, seed, items, header)
    written += telegram_files
    rows = [f"| `{d.file}` | {d.what} | {d.rows:,} |" for d in deliveries]
    rows.append(
        f"| `{telegram_files[0].name}` | Telegram Desktop export (whole account, JSON): "
        f"14 chats, all six countries | {telegram_counts['messages']:,} messages |"
    )
    readme = README_FILE.read_text(encoding="utf-8").format(
        seed=seed,
        table="\n".join(rows),
        forwards=telegram_counts["forwards"],
        cross_border=telegram_counts["cross_border"],
        service=telegram_counts["service"],
        stories=stories,
        broken=", ".join(f"`{d}`" for d in base._BROKEN_DATES),
        typos=", ".join(v for vs in base._TYPOS.values() for v in vs),
        compounds=", ".join(f"“{v}”" for vs in base._COMPOUNDS.values() for v in vs),
        unmappable=", ".join(f"“{v}”" for v in base._UNMAPPABLE),
    )
    storage.write_text(out_dir / "README.md", readme)
    return [*written, out_dir / "README.md"]


def _write_telegram(
    out_dir: Path, seed: int, items: dict[str, list[dict]], header: str
) -> tuple[list[Path], dict]:
    """The Telegram Desktop export (:mod:`milresearch.sample.telegram`), its codebook, counts."""
    from milresearch.sample import telegram

    data, counts = telegram.export(seed, items)
    name = Path(telegram.FILE).stem
    storage.write_bytes(out_dir / telegram.FILE, data)
    book = yaml.safe_dump(telegram.codebook(seed), allow_unicode=True, sort_keys=False)
    storage.write_text(out_dir / f"{name}.codebook.yml", header + book)
    return [out_dir / telegram.FILE, out_dir / f"{name}.codebook.yml"], counts
