import fcntl
import json
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_path() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def survey_fixtures(fixtures_path) -> Path:
    return fixtures_path / "survey"


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> Path:
    """The shipped raw data cleaned once into a temporary folder, shared by slow tests."""
    from milresearch.clean.step import run_clean
    from milresearch.paths import RAW_DIR

    out = tmp_path_factory.mktemp("processed")
    run_clean(RAW_DIR, out)
    return out


def _once_per_run(tmp_path_factory, worker_id: str, name: str, make: Callable[[Path], dict]):
    """``make(folder)`` run once for the whole test run, even when pytest-xdist runs workers.

    The first worker to ask makes it under a file lock in the folder all workers share; the
    others wait for the lock and read what it wrote (a JSON-able dict).
    """
    if worker_id == "master":  # not under xdist: one process, one session
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent
    result = shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            made = make(shared / name)
            result.write_text(json.dumps(made), encoding="utf-8")
    return json.loads(result.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory, worker_id, processed) -> dict[str, Path]:
    """Every report `milresearch build --lang en,ru` builds, built once for the whole run.

    Keys are slugs (``en/KAZ``, ``ru/regional``); values the HTML files. Browser and notebook
    tests read these instead of building the same reports again; under pytest-xdist the
    workers share one build.
    """
    from milresearch.build.runner import build_reports
    from milresearch.build.tasks import plan_tasks
    from milresearch.ingest.countries import COUNTRY_CODES

    def build(work: Path) -> dict[str, str]:
        # Planned as the command line plans them, with the notebooks' default parameters.
        tasks = plan_tasks(list(COUNTRY_CODES), ["en", "ru"], processed)
        summary = build_reports(tasks, reports_dir=work / "reports", workers=2, timeout=300)
        assert [r.error for r in summary.failed] == []
        return {t.slug: str(t.html_path(work / "reports")) for t in tasks}

    made = _once_per_run(tmp_path_factory, worker_id, "built", build)
    return {slug: Path(path) for slug, path in made.items()}
