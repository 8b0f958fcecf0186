"""The benchmark runner's results file: --only keeps the other benchmarks' figures."""

import json
from pathlib import Path

from benchmarks import bench

FIXTURES = Path(__file__).parent / "fixtures"


def test_only_one_benchmark_keeps_the_others_figures_and_dates_each(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    # A tiny sample of our own, so the test needs nothing outside the clone.
    monkeypatch.setattr(bench, "LANGUAGE_DIR", FIXTURES / "language")
    earlier = {
        "respondents": 1_000_000,
        "read_and_clean": {"seconds": 18.266, "peak_gb": 2.39},
        "read_only_baseline": {"seconds": 11.77},
        "measured_at": "2026-12-03T20:00:00+00:00",
    }
    (tmp_path / "results.json").write_text(json.dumps({"cleaning": earlier, "stray": 1}))

    assert bench.main(["--only", "language_id"]) == 0

    results = json.loads((tmp_path / "results.json").read_text())
    assert results["cleaning"] == earlier
    assert "stray" not in results
    assert results["language_id"]["uz"]["sentences"] == 3
    assert set(results["language_id"]) == {"uz", "measured_at"}
    assert results["language_id"]["measured_at"] >= "2026-12-03"
    table = (tmp_path / "results.md").read_text()
    assert "| read + clean 1,000,000 x 80 (SPSS) | 18.266 s | 2.39 GB |" in table
    accuracy = results["language_id"]["uz"]["accuracy"]
    assert f"| language ID accuracy, UD uz | {accuracy} | | 3 sentences |" in table
    assert "Measured (UTC): cleaning 2026-12-03T20:00:00+00:00; language_id 2026-" in table
