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
