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


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory, processed) -> dict[str, Path]:
    """Every report `milresearch build --lang en,ru` builds, built once for the whole session.

    Keys are slugs (``en/KAZ``, ``ru/regional``); values the HTML files. Browser and notebook
    tests read these instead of building the same reports again.
    """
    from milresearch.build.runner import build_reports
    from milresearch.build.tasks import plan_tasks
    from milresearch.ingest.countries import COUNTRY_CODES

    work = tmp_path_factory.mktemp("built")
    # Planned as the command line plans them, with the notebooks' default parameters.
    tasks = plan_tasks(list(COUNTRY_CODES), ["en", "ru"], processed)
    summary = build_reports(tasks, reports_dir=work / "reports", workers=2, timeout=300)
    assert [r.error for r in summary.failed] == []
    return {t.slug: t.html_path(work / "reports") for t in tasks}
