"""Report-build benchmarks: full, forced, incremental and naive builds of the seven reports.

Each figure is the median of ``runs`` builds of the synthetic sample in a scratch folder, beside
its baseline measured in the same run. "Cold" builds start with no analysis cache (every report
computes its analysis); the chart-edit and untouched-file figures edit files of this checkout
for the length of one build and restore them byte for byte afterwards.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from benchmarks.measure import BIN, PY, measure, median_of, repeat
from milresearch.analysis.cache import CACHE_DIR as ANALYSIS_CACHE
from milresearch.ingest.countries import COUNTRY_CODES
from milresearch.paths import NOTEBOOKS_DIR, RAW_DIR, ROOT

CHART_RENDERER = ROOT / "src" / "milresearch" / "reports" / "charts.py"
UNRELATED_FILES = (
    ROOT / "benchmarks" / "bench.py",
    ROOT / "src" / "milresearch" / "sample" / "survey.py",
    ROOT / "tests" / "test_bench.py",
    ROOT / "README.md",
)
"""Files whose edits must rebuild no report and re-clean no dataset."""


def _naive_build(processed: Path, out: Path) -> list[str]:
    """A shell loop of papermill CLI runs and nbconvert CLI renders: the naive baseline."""
    steps = []
    for country in COUNTRY_CODES:
        nb = out / f"{country}.ipynb"
        steps.append(
            f"{BIN}/papermill --no-progress-bar --log-level WARNING "
            f"{NOTEBOOKS_DIR}/country_report.ipynb {nb} "
            f"-p country {country} -p processed_dir {processed} --cwd {out}"
        )
        steps.append(f"{BIN}/jupyter nbconvert --to html --no-input --log-level WARN {nb}")
    nb = out / "regional.ipynb"
    steps.append(
        f"{BIN}/papermill --no-progress-bar --log-level WARNING "
        f"{NOTEBOOKS_DIR}/regional_report.ipynb {nb} -p processed_dir {processed} --cwd {out}"
    )
    steps.append(f"{BIN}/jupyter nbconvert --to html --no-input --log-level WARN {nb}")
    return ["bash", "-c", " && ".join(steps)]


def _floor() -> dict:
    """A bare kernel start plus the imports one report needs."""
    code = (
        "from jupyter_client.manager import start_new_kernel\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive('from milresearch.reports import country, regional; "
        "import pandas, matplotlib.pyplot', timeout=120)\n"
        "km.shutdown_kernel(now=True)\n"
    )
    return measure([PY, "-c", code])


def _forget_analysis(processed: Path) -> None:
    shutil.rmtree(processed / ANALYSIS_CACHE, ignore_errors=True)


def _built_at(reports: Path) -> dict[str, str]:
    state = reports / ".build" / "state.json"
    found = json.loads(state.read_text(encoding="utf-8")) if state.exists() else {}
    return {slug: entry.get("built_at", "") for slug, entry in found.items()}


def _edited(path: Path, addition: str):
    """Append ``addition`` to a file; returns a function that restores it byte for byte."""
    original = path.read_bytes()
    path.write_bytes(original + addition.encode())
    return lambda: path.write_bytes(original)


def _rebuilt_after_edit(build: list[str], reports: Path, processed: Path, path: Path) -> dict:
    """Reports rebuilt and whether cleaning ran, after an edit to ``path``."""
    before, manifest = _built_at(reports), processed / "manifest.json"
    cleaned_at = manifest.stat().st_mtime_ns
    addition = "\n_BENCH_EDIT = 1\n" if path.suffix == ".py" else "\n<!-- bench edit -->\n"
    restore = _edited(path, addition)
    try:
        timing = measure([*build, "--reports-dir", str(reports)])
    finally:
        restore()
    after = _built_at(reports)
    return {
        "file": str(path.relative_to(ROOT)),
        "reports_rebuilt": sum(after[s] != before.get(s) for s in after),
        "cleaned_again": manifest.stat().st_mtime_ns != cleaned_at,
        "seconds": timing["seconds"],
    }


def bench_builds(runs: int, workers: int) -> dict:
    """Forced, incremental and naive builds of the seven reports (see the module doc)."""
    work = Path(tempfile.mkdtemp(prefix="milresearch-bench-"))
    try:
        raw = work / "raw"
        shutil.copytree(RAW_DIR, raw)
        processed = work / "processed"
        build = [
            str(BIN / "milresearch"),
            "build",
            "--raw-dir",
            str(raw),
            "--processed-dir",
            str(processed),
            "--quiet",
            "--workers",
            str(workers),
            "--lang",
            "en",
        ]
        measure([*build, "--reports-dir", str(work / "warmup")])  # clean once, warm OS caches
        full, both, warm, fresh, naive = [], [], [], [], []
        for k in range(runs):
            _forget_analysis(processed)
            full.append(measure([*build, "--force", "--reports-dir", str(work / f"full{k}")]))
            _forget_analysis(processed)
            # The later --lang wins: the same build in both languages.
            both.append(
                measure(
                    [*build, "--force", "--lang", "en,ru", "--reports-dir", str(work / f"both{k}")]
                )
            )
            # The analysis cache is now filled: a forced build only renders.
            warm.append(measure([*build, "--force", "--reports-dir", str(work / f"warm{k}")]))
            _forget_analysis(processed)
            fresh.append(
                measure(
                    [
                        *build,
                        "--force",
                        "--fresh-kernels",
                        "--reports-dir",
                        str(work / f"fresh{k}"),
                    ]
                )
            )
            _forget_analysis(processed)
            out = work / f"naive{k}"
            out.mkdir()
            naive.append(measure(_naive_build(processed, out)))
        noop = repeat([*build, "--reports-dir", str(work / "full0")], runs)
        one_report = repeat(
            [
                *build,
                "--force",
                "--countries",
                "KAZ",
                "--no-regional",
                "--workers",
                "1",
                "--reports-dir",
                str(work / "one"),
            ],
            runs,
        )
        touched = []
        for k in range(runs):
            path = raw / "sample" / "survey" / "kaz_mil_2025.codebook.yml"
            path.write_text(
                path.read_text(encoding="utf-8") + f"\n# touched {k}\n", encoding="utf-8"
            )
            touched.append(measure([*build, "--reports-dir", str(work / "full0")]))
        chart = []
        for k in range(runs):
            # Analysis of the current code and data is cached: only rendering runs again.
            restore = _edited(CHART_RENDERER, f"\n_BENCH_EDIT = {k}\n")
            try:
                chart.append(measure([*build, "--reports-dir", str(work / "full0")]))
            finally:
                restore()
        # Back to the committed renderer, so the figures below start from up-to-date reports.
        measure([*build, "--reports-dir", str(work / "full0")])
        unrelated = [
            _rebuilt_after_edit(build, work / "full0", processed, path) for path in UNRELATED_FILES
        ]
        floor = _floor()
        full_m, naive_m, touched_m = median_of(full), median_of(naive), median_of(touched)
        both_m, chart_m = median_of(both), median_of(chart)
        floor_seconds = round(floor["seconds"] * 7 / workers, 3)
        return {
            "workers": workers,
            "reports": 7,
            "full_build": full_m,
            "naive_baseline": naive_m,
            "ratio_full_to_naive": round(full_m["seconds"] / naive_m["seconds"], 3),
            "target_ratio": 0.20,
            "ratio_full_to_floor": round(full_m["seconds"] / floor_seconds, 3),
            "target_floor_ratio": 1.5,
            "full_build_en_ru": both_m,
            "ratio_en_ru_to_en": round(both_m["seconds"] / full_m["seconds"], 3),
            "target_en_ru_ratio": 1.3,
            "full_build_warm_analysis": median_of(warm),
            "full_build_fresh_kernels": median_of(fresh),
            "chart_edit_rebuild": chart_m,
            "ratio_chart_edit_to_full": round(chart_m["seconds"] / full_m["seconds"], 3),
            "target_chart_edit_ratio": 0.6,
            "unrelated_edits": unrelated,
            "noop_rebuild": noop,
            "target_noop_seconds": 1.0,
            "one_report_build": one_report,
            "touch_one_country_rebuild": touched_m,
            "ratio_touch_to_one_report": round(touched_m["seconds"] / one_report["seconds"], 3),
            "target_touch_ratio": 1.5,
            "physical_floor": {
                "kernel_start_and_imports_seconds": floor["seconds"],
                "floor_seconds": floor_seconds,
                "formula": "kernel start + imports of one report x 7 reports / workers",
            },
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
