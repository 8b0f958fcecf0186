import numpy as np
import pandas as pd
import pytest

from milresearch.clean.schemas import CONTENT, survey_columns, validate
from milresearch.errors import DataError
from milresearch.ingest.codebook import load_codebook


def _survey():
    return pd.DataFrame(
        {
            "resp_id": ["a", "b"],
            "dataset": ["d", "d"],
            "wave": ["2025", "2025"],
            "country": ["KAZ", "KGZ"],
            "weight": [1.0, 2.0],
            "qc_speeder": [False, True],
            "qc_straightliner": [False, False],
            "qc_near_duplicate": [False, False],
            "qc_out_of_range": [False, False],
            "qc_exclude": [False, True],
            "qc_dup_share": [0.1, 0.2],
            "trust_1": pd.array([1, pd.NA], dtype="Int16"),
            "age": pd.array([25, 98], dtype="Int64"),
        }
    )


@pytest.fixture
def columns(survey_fixtures):
    return survey_columns([load_codebook(survey_fixtures / "mini.codebook.yml")])


def test_a_valid_table_passes(columns):
    validate(_survey(), columns, table="survey", unique=("dataset", "resp_id"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.__setitem__("country", ["KAZ", "XXX"]), "'country' has value(s) outside"),
        (
            lambda df: df.__setitem__("weight", [1.0, np.inf]),
            "'weight' must be positive and finite",
        ),
        (
            lambda df: df.__setitem__("trust_1", pd.array([1, 7], dtype="Int16")),
            "'trust_1' has value(s) outside",
        ),
        (
            lambda df: df.__setitem__("age", pd.array([25, 150], dtype="Int64")),
            "'age' has value(s) above 100",
        ),
        (lambda df: df.__setitem__("qc_exclude", [0, 1]), "'qc_exclude' must be boolean"),
        (lambda df: df.__setitem__("resp_id", ["a", "a"]), "dataset+resp_id is not unique"),
        (lambda df: df.__delitem__("weight"), "'weight' is missing"),
    ],
)
def test_schema_violations_are_listed(columns, change, message):
    df = _survey()
    change(df)
    with pytest.raises(DataError, match="breaks its schema") as err:
        validate(df, columns, table="survey", unique=("dataset", "resp_id"))
    assert message in str(err.value)


def test_content_verdicts_must_be_canonical():
    df = pd.DataFrame(
        {"item_id": ["1"], "country": ["PAK"], "verdict": ["fake"], "is_duplicate_url": [False]}
    )
    with pytest.raises(DataError, match="'verdict' has value"):
        validate(df, CONTENT, table="content")
