"""Benchmarks (``make bench``): figures go to reports/bench/results.json and results.md.

Every figure is the median of several runs, each in its own process, measured beside its
baseline in the same run. Peak memory is the largest resident set of the whole process tree
(the command and every kernel it starts), sampled from /proc.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

from benchmarks.builds import bench_builds
from benchmarks.measure import PY, measure, median_of, repeat
from milresearch import __version__, storage
from milresearch.paths import REPORTS_DIR, ROOT

BENCH_DIR = REPORTS_DIR / "bench"
CACHE_DIR = BENCH_DIR / "cache"


# --- Cleaning at a million respondents -------------------------------------------------------

_MAKE_SAV = """
import sys, numpy as np, pandas as pd, pyreadstat, yaml
from pathlib import Path
n, items, out = int(sys.argv[1]), 72, Path(sys.argv[2])
rng = np.random.default_rng(1)
cols = {"ID": [f"R{i:07d}" for i in range(n)],
        "COUNTRY": rng.choice(["Казахстан", "Qazaqstan", "KZ", "Kyrgyzstan", "Oʻzbekiston"], n),
        "STRATUM": rng.integers(0, 40, n).astype(str), "PSU": rng.integers(0, 4000, n).astype(str),
        "WEIGHT": rng.lognormal(0, 0.3, n), "INT_ID": rng.integers(0, 10000, n).astype(str),
        "DURATION": rng.integers(300, 3000, n).astype(float), "AGE": rng.integers(16, 90, n).astype(float)}
for j in range(items):
    v = rng.integers(1, 6, n).astype(float); v[rng.random(n) < 0.03] = 98; cols[f"Q{j}"] = v
pyreadstat.write_sav(pd.DataFrame(cols), str(out / "bench.sav"))
variables = {"resp_id": {"source": "ID", "type": "id"}, "country": {"source": "COUNTRY", "type": "country"},
  "stratum": {"source": "STRATUM"}, "psu": {"source": "PSU"}, "weight": {"source": "WEIGHT", "type": "weight"},
  "interviewer_id": {"source": "INT_ID"},
  "duration_sec": {"source": "DURATION", "type": "integer", "missing": {}},
  "age": {"source": "AGE", "type": "integer", "range": [16, 100], "missing": {}}}
for j in range(items):
    variables[f"item_{j}"] = {"source": f"Q{j}", "type": "ordinal", "scale": "s5",
                              "battery": ["trust", "mil", "media_use"][j % 3]}
book = {"dataset": {"name": "bench", "kind": "survey", "file": "bench.sav", "format": "spss", "synthetic": True},
        "missing": {98: "hard_to_say", 99: "refused"},
        "scales": {"s5": {k: {"en": f"label {k}"} for k in range(1, 6)}}, "variables": variables}
(out / "bench.codebook.yml").write_text(yaml.safe_dump(book, allow_unicode=True))
"""
_READ = "import sys, pyreadstat; pyreadstat.read_sav(sys.argv[1], apply_value_formats=False)"
_CLEAN = """
import sys
from milresearch.ingest import readers
from milresearch.clean.log import CleaningLog
from milresearch.ingest.codebook import load_codebook
from milresearch.settings import load_settings
from milresearch.clean.survey import clean_survey
book = load_codebook(sys.argv[1]); rules = load_settings()
clean_survey(readers.read_raw(book), book, CleaningLog(), rules.survey, rules.reports)
"""


def bench_cleaning(runs: int, n: int = 1_000_000) -> dict:
    """Read + clean n respondents x 80 variables from SPSS, beside a read-only baseline."""
    folder = CACHE_DIR / f"survey_{n}"
    if not (folder / "bench.sav").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([PY, "-c", _MAKE_SAV, str(n), str(folder)], check=True)
    baseline = repeat([PY, "-c", _READ, str(folder / "bench.sav")], runs)
    clean = repeat([PY, "-c", _CLEAN, str(folder / "bench.codebook.yml")], runs)
    return {
        "respondents": n,
        "variables": 80,
        "read_only_baseline": baseline,
        "read_and_clean": clean,
        "clean_seconds_beyond_read": round(clean["seconds"] - baseline["seconds"], 3),
        "target": "read and clean under 20 s and 4 GB",
    }


# --- Content at half a million items ---------------------------------------------------------

_MAKE_CONTENT = """
import sys, numpy as np, pandas as pd
from pathlib import Path
from milresearch.ingest import readers
from milresearch.clean.step import rename_to_codebook
from milresearch.ingest.codebook import find_codebooks
from milresearch.sample.content_files import write_sample_content
n, out = int(sys.argv[1]), Path(sys.argv[2])
write_sample_content(out / "sample")
frames = [rename_to_codebook(readers.read_raw(b), b) for b in find_codebooks(out / "sample")]
base = pd.concat(frames, ignore_index=True).astype("string")
rng = np.random.default_rng(1)
blocks = -(-n // len(base))  # every sample item once per block, in a new order
order = np.concatenate([rng.permutation(len(base)) for _ in range(blocks)])[:n]
items = base.iloc[order].reset_index(drop=True)
numbers = iter(rng.integers(2, 999, size=4 * n).tolist())
items["claim_text"] = items["claim_text"].str.replace(r"[0-9]+", lambda m: str(next(numbers)),
                                                      regex=True)
copy = pd.Series(np.arange(n) // len(base), dtype="string")
items["item_id"] = "B" + pd.Series(np.arange(n)).astype("string").str.zfill(7)
items["url"] = items["url"] + "?copy=" + copy
items.to_parquet(out / "raw.parquet", index=False)
"""
_CONTENT_STAGE = """
import json, sys, time, pandas as pd
from milresearch.clean import content
from milresearch.clean import text
from milresearch.analysis import topics
from milresearch.clean.log import CleaningLog
stage, source, timing = sys.argv[1], sys.argv[2], sys.argv[3]
frame = pd.read_parquet(source)
start = time.perf_counter()
if stage == "clean":
    result = content.clean_content(frame, dataset="bench", log=CleaningLog())
elif stage == "language_id":
    text.detect_languages(frame["claim_text"])
elif stage == "dedup":
    content.add_clusters(frame, CleaningLog())
elif stage == "topics":
    topics.fit_topics(frame["claim_text"], frame["lang"], n_topics=8, seed=0, sample=50_000)
seconds = time.perf_counter() - start
if stage == "clean":
    result.to_parquet(sys.argv[4], index=False)
with open(timing, "w") as handle:
    json.dump({"seconds": seconds}, handle)
"""
_CONTENT_STAGES = ("clean", "language_id", "dedup", "topics")


def bench_content(runs: int, n: int = 500_000) -> dict:
    """Clean, language ID, de-duplication and topics of n synthetic content items, per stage.

    The items are the sample content deliveries (milresearch.sample.content_files) repeated in
    shuffled blocks up to n, with new numbers in the claims and a block number in the URLs (so
    the sample's repeated URLs repeat within a block only). Each stage runs in its own process on a
    parquet file: clean_content (which includes language ID and clustering within the
    delivery), detect_languages alone, add_clusters on the cleaned table, and a topic model
    fitted on a sample of 50,000 items that then weighs all n. ``seconds`` is the stage alone
    (inside the process, without start-up and reading); ``wall`` adds both. The total is clean
    + de-duplication + topics (language ID is part of clean).
    """
    folder = CACHE_DIR / f"content_{n}"
    if not (folder / "raw.parquet").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([PY, "-c", _MAKE_CONTENT, str(n), str(folder)], check=True)
    cleaned, timing = folder / "clean.parquet", folder / "timing.json"
    inputs = {
        "clean": "raw.parquet",
        "language_id": "raw.parquet",
        "dedup": "clean.parquet",
        "topics": "clean.parquet",
    }
    stages = {}
    for stage in _CONTENT_STAGES:
        walls, inner = [], []
        for _ in range(runs):
            command = [PY, "-c", _CONTENT_STAGE, stage, str(folder / inputs[stage]), str(timing)]
            walls.append(measure([*command, str(cleaned)] if stage == "clean" else command))
            inner.append(json.loads(timing.read_text())["seconds"])
        stages[stage] = {"seconds": round(statistics.median(inner), 3), "wall": median_of(walls)}
    total = round(sum(stages[s]["seconds"] for s in ("clean", "dedup", "topics")), 3)
    return {
        "items": n,
        "stages": stages,
        "total_seconds": total,
        "items_per_second": round(n / total),
        "peak_gb": max(stage["wall"]["peak_gb"] for stage in stages.values()),
        "target": "clean, de-duplicate and topics under 120 s and 6 GB",
    }


# --- A Telegram export of a million messages ------------------------------------------------

_MAKE_TELEGRAM = """
import json, sys
from pathlib import Path
n, out = int(sys.argv[1]), Path(sys.argv[2])
words = "новости проверка фейк вакцина выборы Алматы Бишкек Ташкент yangiliklar tekshiruv".split()
with open(out / "result.json", "w", encoding="utf-8") as tg, open(out / "rows.jsonl", "w", encoding="utf-8") as jl:
    tg.write('{"name": "Bench channel", "type": "public_channel", "id": 777, "messages": [')
    for i in range(n):
        utc = 1735689600 + 37 * i
        text = " ".join(words[(i + k) % len(words)] for k in range(12)) + f" {i}"
        if i % 50 == 0:
            msg = {"id": i, "type": "service", "date": "2025-01-01T05:00:00", "date_unixtime": str(utc),
                   "actor": "Bench channel", "action": "pin_message", "text": ""}
        else:
            msg = {"id": i, "type": "message", "date": "2025-01-01T05:00:00", "date_unixtime": str(utc),
                   "from": "Bench channel", "from_id": "channel777",
                   "text": text if i % 3 else [text[:20], {"type": "hashtag", "text": "#фейк"},
                                               {"type": "text_link", "text": " здесь", "href": "https://example.org"}],
                   "reactions": [{"type": "emoji", "count": i % 7, "emoji": "👍"}]}
            if i % 10 == 0:
                msg["forwarded_from"], msg["forwarded_from_id"] = "Other", "channel1001"
            jl.write(json.dumps({"post_id": f"777/{i}", "date_utc": utc, "text": text,
                                 "from": "Bench channel", "reactions": i % 7}, ensure_ascii=False) + "\\n")
        tg.write(("," if i else "") + json.dumps(msg, ensure_ascii=False))
    tg.write("]}")
"""
_READ_FORMAT = """
import sys
from pathlib import Path
from milresearch.ingest import readers
from milresearch.ingest.codebook import Dataset
fmt, path = sys.argv[1], Path(sys.argv[2])
table = readers.READERS[fmt](path, Dataset(name="bench", kind="content", file=path.name, format=fmt))
assert len(table.frame) > 0
"""


_CLEAN_FORMAT = """
import sys
from pathlib import Path
from milresearch.clean.content import clean_content
from milresearch.clean.log import CleaningLog
from milresearch.clean.step import rename_to_codebook
from milresearch.ingest import readers
from milresearch.ingest.codebook import load_codebook
book = load_codebook(Path(sys.argv[1]))
frame = rename_to_codebook(readers.read_raw(book), book)
out = clean_content(frame, dataset=book.dataset.name, log=CleaningLog(), public=["channel", "forwarded_from"])
assert len(out) > 0
"""
_TELEGRAM_BOOKS: dict[str, dict] = {
    "telegram": {
        "file": "result.json",
        "item_id": "post_id",
        "date": "date_utc",
        "text": "text",
        "extra": {
            "channel": "chat_name",
            "forwarded_from": "forwarded_from",
            "source_type": "author_kind",
            "reactions": "reactions",
        },
    },
    "jsonl": {
        "file": "rows.jsonl",
        "item_id": "post_id",
        "date": "date_utc",
        "text": "text",
        "extra": {"reactions": "reactions"},
    },
}


def _telegram_codebooks(folder: pathlib.Path) -> dict[str, pathlib.Path]:
    """The codebooks the clean leg reads: the export, and the JSON Lines rows of the same posts."""
    import yaml

    paths = {}
    for fmt, spec in _TELEGRAM_BOOKS.items():
        variables = {
            "item_id": {"source": spec["item_id"], "type": "id"},
            "date_published": {"source": spec["date"], "type": "date"},
            "claim_text": {"source": spec["text"], "type": "text"},
            **{
                k: {"source": v, "type": "integer" if k == "reactions" else "string"}
                for k, v in spec["extra"].items()
            },
        }
        book = {
            "dataset": {
                "name": f"bench_{fmt}",
                "kind": "content",
                "file": spec["file"],
                "format": fmt,
                "country": "KAZ",
            },
            "variables": variables,
        }
        paths[fmt] = folder / f"{fmt}.codebook.yml"
        paths[fmt].write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    return paths


def bench_telegram(runs: int, n: int = 1_000_000) -> dict:
    """Read a Telegram Desktop export of n messages, beside the JSON Lines reader on the same posts.

    The export has 2% service messages, a third of the texts as entity lists, forwards and
    reactions; the JSON Lines file holds the same posts as flat rows. Each reader runs in its own
    process (start-up and imports included); peak memory is the process's.
    """
    folder = CACHE_DIR / f"telegram_{n}"
    if not (folder / "result.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([PY, "-c", _MAKE_TELEGRAM, str(n), str(folder)], check=True)
    env = {"MILRESEARCH_PSEUDONYM_KEY": "bench"}
    export = repeat(
        [PY, "-c", _READ_FORMAT, "telegram", str(folder / "result.json")], runs, env=env
    )
    jsonl = repeat([PY, "-c", _READ_FORMAT, "jsonl", str(folder / "rows.jsonl")], runs, env=env)
    books = _telegram_codebooks(folder)
    # The whole clean of one delivery: read, map the codebook, clean (dates, languages, platform,
    # URLs, privacy scrub, near-duplicate clusters), for the export and for the same JSON Lines.
    cleaned = repeat([PY, "-c", _CLEAN_FORMAT, str(books["telegram"])], runs, env=env)
    cleaned_jsonl = repeat([PY, "-c", _CLEAN_FORMAT, str(books["jsonl"])], runs, env=env)
    return {
        "messages": n,
        "megabytes": round((folder / "result.json").stat().st_size / 1e6),
        "telegram": export,
        "jsonl_baseline": jsonl,
        "ratio": round(export["seconds"] / jsonl["seconds"], 2),
        "clean": cleaned,
        "clean_jsonl_baseline": cleaned_jsonl,
        "clean_ratio": round(cleaned["seconds"] / cleaned_jsonl["seconds"], 2),
        "target": "1,000,000 messages cleaned in under 60 s and 3 GB",
    }


LANGUAGE_DIR = ROOT.parent / "shared" / "data" / "language"
"""The Universal Dependencies samples beside the checkout (CC BY-SA 4.0; not redistributed)."""


def bench_language_id() -> dict:
    """Language-ID accuracy on the Universal Dependencies samples (none when they are absent)."""
    from milresearch.clean.text import language_accuracy, read_conllu_sentences

    shared = LANGUAGE_DIR
    results = {}
    for folder, lang in (("ud_kazakh", "kk"), ("ud_kyrgyz", "ky"), ("ud_uzbek", "uz")):
        sentences = [
            s for p in sorted((shared / folder).glob("*.conllu")) for s in read_conllu_sentences(p)
        ]
        if sentences:
            start = time.perf_counter()
            accuracy = language_accuracy(sentences, lang)
            results[lang] = {
                "sentences": len(sentences),
                "accuracy": round(accuracy, 4),
                "seconds": round(time.perf_counter() - start, 3),
            }
    return results


def _row(label: str, figure: dict | None, detail: str) -> str:
    if figure is None:
        return ""
    return f"| {label} | {figure['seconds']} s | {figure.get('peak_gb', '')} GB | {detail} |"


def _build_lines(b: dict) -> list[str]:
    """The build rows of the table; rows of figures an older results file lacks are left out."""
    if not b:
        return []
    floor = b["physical_floor"]
    rows = [
        _row(
            f"forced build, 7 reports, {b['workers']} workers, no analysis cache",
            b["full_build"],
            f"naive loop {b['naive_baseline']['seconds']} s; ratio {b['ratio_full_to_naive']} "
            f"(target ≤ {b.get('target_ratio', 0.35)}); floor ratio {b.get('ratio_full_to_floor', '-')} "
            "(target ≤ 1.5)",
        ),
        _row(
            "forced build --lang en,ru, no analysis cache",
            b.get("full_build_en_ru"),
            f"ratio to --lang en {b.get('ratio_en_ru_to_en')} (target ≤ 1.3)",
        ),
        _row(
            "forced build, analysis cached",
            b.get("full_build_warm_analysis"),
            "only rendering runs",
        ),
        _row(
            "rebuild after editing a chart renderer",
            b.get("chart_edit_rebuild"),
            f"ratio to forced build {b.get('ratio_chart_edit_to_full')} (target ≤ 0.6)",
        ),
        _row(
            "forced build with --fresh-kernels",
            b["full_build_fresh_kernels"],
            "every kernel started from scratch",
        ),
        _row("no-op rebuild", b["noop_rebuild"], "target < 1 s"),
        _row(
            "rebuild after touching one country's raw file",
            b["touch_one_country_rebuild"],
            f"one report {b['one_report_build']['seconds']} s; ratio "
            f"{b['ratio_touch_to_one_report']} (target < 1.5)",
        ),
        (
            f"| physical floor | {floor['floor_seconds']} s | | {floor['kernel_start_and_imports_seconds']} s "
            f"kernel start + imports x 7 / {b['workers']} workers |"
        ),
    ]
    for edit in b.get("unrelated_edits", []):
        rows.append(
            f"| build after editing {edit['file']} | {edit['seconds']} s | | "
            f"{edit['reports_rebuilt']} reports rebuilt, cleaned again: {edit['cleaned_again']} "
            "(target 0, False) |"
        )
    return [r for r in rows if r]


def _table(results: dict) -> str:
    lines = ["| benchmark | median | peak memory | baseline or target |", "|---|---|---|---|"]
    clean = results.get("cleaning")
    if clean:
        lines.append(
            f"| read + clean {clean['respondents']:,} x 80 (SPSS) | {clean['read_and_clean']['seconds']} s "
            f"| {clean['read_and_clean']['peak_gb']} GB | read alone {clean['read_only_baseline']['seconds']} s; "
            f"target < 20 s, < 4 GB |"
        )
    lines += _build_lines(results.get("builds") or {})
    content = results.get("content")
    if content:
        stages = content["stages"]
        detail = "; ".join(f"{name} {stages[name]['seconds']} s" for name in _CONTENT_STAGES)
        lines.append(
            f"| content {content['items']:,} items: clean + dedup + topics | {content['total_seconds']} s "
            f"| {content['peak_gb']} GB | {detail} (language ID is part of clean); "
            f"{content['items_per_second']:,} items/s; target < 120 s, < 6 GB |"
        )
    tg = results.get("telegram")
    if tg:
        lines.append(
            f"| read a Telegram export, {tg['messages']:,} messages ({tg['megabytes']} MB) | "
            f"{tg['telegram']['seconds']} s | {tg['telegram']['peak_gb']} GB | JSON Lines reader on "
            f"the same posts {tg['jsonl_baseline']['seconds']} s, {tg['jsonl_baseline']['peak_gb']} GB "
            f"(ratio {tg['ratio']}) |"
        )
        if "clean" in tg:
            lines.append(
                f"| clean a Telegram export, {tg['messages']:,} messages (read, codebook, clean) | "
                f"{tg['clean']['seconds']} s | {tg['clean']['peak_gb']} GB | the same clean of the "
                f"JSON Lines posts {tg['clean_jsonl_baseline']['seconds']} s, "
                f"{tg['clean_jsonl_baseline']['peak_gb']} GB (ratio {tg['clean_ratio']}); "
                f"target < 60 s, < 3 GB |"
            )
    for lang, r in results.get("language_id", {}).items():
        if lang != "measured_at":
            lines.append(
                f"| language ID accuracy, UD {lang} | {r['accuracy']} | | {r['sentences']} sentences |"
            )
    when = [
        f"{name} {results[name]['measured_at']}"
        for name in STAGES
        if "measured_at" in results.get(name, {})
    ]
    if when:
        lines += ["", "Measured (UTC): " + "; ".join(when) + "."]
    return "\n".join(lines) + "\n"


STAGES = ("cleaning", "builds", "language_id", "content", "telegram")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _previous_results() -> dict:
    """The last results.json, or nothing if there is none or it cannot be read."""
    try:
        return json.loads((BENCH_DIR / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and write reports/bench/results.json and results.md."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median reported)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--only",
        choices=STAGES,
        action="append",
        help="run only this benchmark (repeatable); the others keep their figures",
    )
    args = parser.parse_args(argv)
    chosen = args.only or list(STAGES)
    results = {
        "milresearch": __version__,
        "date": _now(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": args.runs,
    }
    # With --only, the other benchmarks keep their last figures (each says when it was measured).
    results.update(
        {k: v for k, v in _previous_results().items() if k in STAGES and k not in chosen}
    )
    stages = {
        "language_id": bench_language_id,
        "cleaning": lambda: bench_cleaning(args.runs),
        "builds": lambda: bench_builds(args.runs, args.workers),
        "content": lambda: bench_content(args.runs),
        "telegram": lambda: bench_telegram(args.runs),
    }
    for k, name in enumerate(n for n in stages if n in chosen):
        # A whole run takes a quarter of an hour: say what is running and how long each took.
        print(
            f"bench {k + 1}/{len(chosen)}: {name} ({args.runs} runs each) ...",
            file=sys.stderr,
            flush=True,
        )
        start = time.perf_counter()
        results[name] = {**stages[name](), "measured_at": _now()}
        print(
            f"bench {k + 1}/{len(chosen)}: {name} done in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    storage.write_text(
        BENCH_DIR / "results.json", json.dumps(results, indent=1, ensure_ascii=False)
    )
    table = _table(results)
    storage.write_text(BENCH_DIR / "results.md", table)
    print(table)
    print(f"written: {BENCH_DIR / 'results.json'} and results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
