"""The synthetic sample survey as files: vendor columns and labels, SPSS, CSV, Excel, codebooks.

The respondents come from :mod:`milresearch.sample.survey`; this module writes each delivery the
way its vendor would (Russian or Uzbek labels, vendor missing codes, cp1251 CSV), with the bytes
pinned so that regenerating the sample is bit-for-bit identical.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from milresearch import storage
from milresearch.analysis import questionnaire
from milresearch.ingest.countries import load_countries
from milresearch.sample import survey as base
from milresearch.sample.deliveries import DELIVERIES, SEED, Delivery
from milresearch.sample.survey import variable_specs


def _vendor_format(out: pd.DataFrame, d: Delivery, scales: dict) -> pd.DataFrame:
    """Turn canonical codes into what this vendor ships: codes with 98/99, or text labels."""
    specs = {s["name"]: s for s in variable_specs()}
    res = pd.DataFrame(index=out.index)
    for name, spec in specs.items():
        if name not in out.columns:
            continue
        col = out[name]
        if spec.get("scale"):
            codes = col.astype(int)
            if d.labels:
                scale = scales[spec["scale"]]
                miss = base._TEXT_MISSING["ru" if d.labels == "ru" else "uz"]
                labels = {}
                for code, names in scale.items():
                    labels[code] = names.get(d.labels, names["en"])
                if d.labels == "uz":  # an Uzbek vendor mixes Latin and Cyrillic labels
                    cyr = {c: names.get("uz-Cyrl", labels[c]) for c, names in scale.items()}
                    use_cyr = (out.index.to_numpy() % 3) == 0
                    text = np.where(use_cyr, codes.map(cyr), codes.map(labels))
                    text = pd.Series(text, index=out.index)
                else:
                    text = codes.map(labels)
                text = text.where(
                    codes > 0,
                    codes.map(
                        {
                            -98: miss["hard_to_say"],
                            -99: miss["refused"],
                            -97: miss["not_applicable"],
                        }
                    ),
                )
                res[spec["source"]] = text
            else:
                res[spec["source"]] = codes.where(codes > 0, -codes).astype(int)
        else:
            res[spec["source"]] = col
    return res


def _codebook(d: Delivery, columns: list[str], scales: dict) -> dict:
    variables: dict[str, dict] = {}
    used_scales = {}
    for spec in variable_specs():
        if spec["source"] not in columns:
            continue
        var = {k: v for k, v in spec.items() if k != "name"}
        if d.format == "excel":
            var["source"] = spec["source"].lower()
        if spec.get("scale"):
            used_scales[spec["scale"]] = scales[spec["scale"]]
        variables[spec["name"]] = {k: v for k, v in var.items() if v is not None}
    for name, note in d.notes:
        variables[name]["note"] = note
    for name, wording in d.wordings:
        variables[name]["wording"] = wording
    country = load_countries()[d.country]
    dataset = {
        "name": Path(d.file).stem,
        "kind": "survey",
        "file": d.file,
        "format": d.format,
        "synthetic": True,
        "description": {
            "en": f"Synthetic sample MIL survey, {country.name()} {d.year} (not real data).",
            "ru": "Синтетический опрос о медийной и информационной грамотности: "
            f"{country.name('ru')}, {d.year} (не реальные данные).",
        },
        "producer": {
            "en": "milresearch sample generator (seed 2025)",
            "ru": "генератор синтетической выборки milresearch (начальное число 2025)",
        },
        "wave": str(d.year),
        "fieldwork_start": f"{d.year}-03-01",
        "fieldwork_end": f"{d.year}-04-14",
        "mode": d.mode,
        "sample_design": {
            "en": "Stratified (region × settlement type) two-stage cluster sample with design "
            "weights; plus a purposive stakeholder sample (weight 1).",
            "ru": "Стратифицированная (регион × тип поселения) двухступенчатая кластерная "
            "выборка с весами дизайна; плюс целевая выборка заинтересованных сторон (вес 1).",
        },
    }
    if d.format == "csv":
        dataset["encoding"] = d.encoding
    if d.format == "excel":
        dataset.update(header_rows=2, names_row=2)
    return {
        "dataset": dataset,
        "missing": _labels_missing(d),
        "scales": used_scales,
        "variables": variables,
    }


def _labels_missing(d: Delivery) -> dict:
    if d.labels:
        miss = base._TEXT_MISSING["ru" if d.labels == "ru" else "uz"]
        return {text: reason for reason, text in miss.items()}
    return {98: "hard_to_say", 99: "refused", 97: "not_applicable"}


def _write(df: pd.DataFrame, d: Delivery, path: Path, scales: dict) -> None:
    if d.format == "spss":
        _write_sav(df, path, scales, d.year)
    elif d.format == "csv":
        sep = ";" if d.encoding == "cp1251" else ","
        text = df.to_csv(index=False, sep=sep, lineterminator="\r\n")
        # Tajik and Kazakh letters have no cp1251 code: real exports turn them into "?".
        storage.write_bytes(path, text.encode(d.encoding, errors="replace"))
    elif d.format == "excel":
        _write_xlsx(df, path)


def _write_sav(df: pd.DataFrame, path: Path, scales: dict, year: int) -> None:
    import pyreadstat

    specs = {s["source"]: s for s in variable_specs()}
    value_labels = {}
    for col in df.columns:
        scale = specs.get(col, {}).get("scale")
        if scale:
            labels = {float(c): names.get("ru", names["en"]) for c, names in scales[scale].items()}
            labels.update(
                {
                    98.0: "ЗАТРУДНЯЮСЬ ОТВЕТИТЬ",
                    99.0: "ОТКАЗ ОТ ОТВЕТА",
                    97.0: "ВОПРОС НЕ ЗАДАВАЛСЯ",
                }
            )
            value_labels[col] = labels
    with storage.atomic_path(path) as tmp:
        column_labels = {
            str(c): (specs.get(c, {}).get("label") or {}).get("en") for c in df.columns
        }
        pyreadstat.write_sav(
            df,
            str(tmp),
            variable_value_labels=value_labels,
            row_compress=True,
            column_labels=column_labels,
            file_label=f"SYNTHETIC sample MIL survey {year}",
        )
        data = bytearray(tmp.read_bytes())
        # The SAV header stores the creation date and time at bytes 92-108; pin them so that
        # regenerating the sample is bit-for-bit identical.
        data[92:109] = b"01 Mar 2500:00:00"
        tmp.write_bytes(bytes(data))


def _write_xlsx(df: pd.DataFrame, path: Path) -> None:
    import openpyxl

    specs = {s["source"]: s for s in variable_specs()}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    ru = [
        specs[c].get("label", {}).get("ru") or specs[c].get("label", {}).get("en") or c
        for c in df.columns
    ]
    ws.append(ru)
    ws.append([c.lower() for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and np.isnan(v)) else v for v in row])
    fixed = pd.Timestamp("2025-03-01").to_pydatetime()
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    storage.write_bytes(path, pin_zip(buf.getvalue()))


def pin_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps so the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 1, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps both dates with the clock
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2025-03-01T00:00:00Z",
                    body,
                )
            dst.writestr(pinned, body)
    return out.getvalue()


def write_sample_survey(out_dir: str | Path, seed: int = SEED) -> list[Path]:
    """Write the synthetic vendor deliveries (six countries, four with an earlier wave)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    scales = questionnaire.scales()
    written = []
    for k, d in enumerate(DELIVERIES):
        rng = np.random.default_rng([seed, k])
        canonical = base._inject_defects(base._simulate(d, rng), d, rng)
        vendor = _vendor_format(canonical, d, scales)
        path = out_dir / d.file
        _write(vendor, d, path, scales)
        book = _codebook(d, list(vendor.columns), scales)
        book_path = out_dir / f"{Path(d.file).stem}.codebook.yml"
        header = (
            "# Codebook of a SYNTHETIC sample delivery, written by `milresearch sample-data`.\n"
        )
        storage.write_text(
            book_path,
            header + yaml.safe_dump(book, allow_unicode=True, sort_keys=False, width=100),
        )
        written += [path, book_path]
    return written
