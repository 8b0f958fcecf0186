import shutil

import pandas as pd
import pytest

from milresearch.clean.log import CleaningLog
from milresearch.clean.quality import near_duplicate_share
from milresearch.clean.survey import add_age_groups, clean_survey
from milresearch.errors import DataError
from milresearch.ingest import readers
from milresearch.ingest.codebook import load_codebook
from milresearch.settings import ReportRules, SurveyRules

DELIVERIES = [
    "mini.codebook.yml",
    "mini_noext.codebook.yml",
    "mini_cp1251.codebook.yml",
    "mini_utf8.codebook.yml",
    "mini_bilingual.codebook.yml",
]
RULES = SurveyRules(near_duplicate_batteries=("trust", "mil"))


def _clean(path):
    book = load_codebook(path)
    log = CleaningLog()
    result = clean_survey(readers.read_raw(book), book, log, RULES, ReportRules())
    return result, log.to_frame()


@pytest.fixture(scope="module", params=DELIVERIES)
def cleaned(request, survey_fixtures):
    return _clean(survey_fixtures / request.param)


def _count(log, rule):
    return int(log.loc[log["rule"] == rule, "rows"].sum())


def test_exact_duplicate_interview_is_removed_and_logged(cleaned):
    result, log = cleaned
    assert len(result.data) == 11
    assert _count(log, "rows_read") == 12
    assert _count(log, "exact_duplicate_removed") == 1


def test_every_country_spelling_becomes_kaz(cleaned):
    result, _ = cleaned
    assert set(result.data["country"]) == {"KAZ"}


def test_quality_flags_hit_exactly_the_planted_rows(cleaned):
    data = cleaned[0].data.set_index("resp_id")
    assert list(data.index[data["qc_speeder"]]) == ["R04"]
    assert list(data.index[data["qc_straightliner"]]) == ["R05"]
    assert list(data.index[data["qc_near_duplicate"]]) == ["R06", "R07"]
    assert list(data.index[data["qc_out_of_range"]]) == ["R08"]
    assert list(data.index[data["qc_exclude"]]) == ["R04", "R05", "R06", "R07"]
    assert data.loc["R06", "qc_dup_share"] == pytest.approx(0.9)


def test_cleaning_log_counts_each_rule(cleaned):
    _, log = cleaned
    assert _count(log, "qc_speeder") == 1
    assert _count(log, "qc_straightliner") == 1
    assert _count(log, "qc_near_duplicate") == 2
    assert _count(log, "qc_out_of_range") == 1
    assert _count(log, "qc_exclude") == 4
    assert _count(log, "missing_hard_to_say") == 1
    assert _count(log, "missing_refused") == 1
    assert _count(log, "pii_scrubbed") == 2


def test_hard_to_say_and_refused_stay_distinct(cleaned):
    result, _ = cleaned
    reasons = result.missing.set_index(["resp_id", "variable"])["reason"]
    assert reasons[("R02", "trust_1")] == "hard_to_say"
    assert reasons[("R10", "trust_1")] == "refused"
    assert reasons[("R08", "age")] == "invalid"
    data = result.data.set_index("resp_id")
    assert pd.isna(data.loc["R02", "trust_1"]) and pd.isna(data.loc["R10", "trust_1"])


def test_age_98_is_valid_and_150_is_out_of_range(cleaned):
    data = cleaned[0].data.set_index("resp_id")
    assert data.loc["R09", "age"] == 98
    assert pd.isna(data.loc["R08", "age"])
    assert data.loc["R01", "age_group"] == "25-34"


def test_labels_and_codes_give_the_same_canonical_values(survey_fixtures):
    reference = _clean(survey_fixtures / "mini.codebook.yml")[0].data
    for name in DELIVERIES[1:]:
        other = _clean(survey_fixtures / name)[0].data
        columns = [c for c in reference.columns if c.startswith(("trust_", "mil_", "sex", "age"))]
        pd.testing.assert_frame_equal(reference[columns], other[columns], check_dtype=False)


def test_personal_data_never_reaches_the_clean_table(cleaned):
    comments = " ".join(cleaned[0].data["comment"].dropna())
    assert "a.b@mail.kz" not in comments
    assert "701 555" not in comments
    assert "[email]" in comments and "[phone]" in comments


def test_age_groups_use_the_declared_edges():
    groups = add_age_groups(pd.Series([16, 24, 25, 64, 65, 99, None]), (16, 25, 35, 45, 55, 65))
    assert list(groups.fillna("NA")) == ["16-24", "16-24", "25-34", "55-64", "65+", "65+", "NA"]


def test_near_duplicate_share_counts_identical_answers_within_blocks():
    df = pd.DataFrame(
        {
            "block": ["a", "a", "a", "b"],
            "x": [1, 1, 2, 1],
            "y": [2, 2, 2, 2],
            "z": [3, 1, None, 3],
        }
    )
    share = near_duplicate_share(df, ["x", "y", "z"], ["block"])
    assert list(share.round(4)) == [
        pytest.approx(2 / 3, abs=1e-4),
        pytest.approx(2 / 3, abs=1e-4),
        pytest.approx(1 / 3, abs=1e-4),
        0.0,
    ]


# Bad input: each error names the file and the column or rows, and what to do.


def _copy(survey_fixtures, tmp_path, stem="mini_utf8"):
    for suffix in (".csv", ".codebook.yml"):
        shutil.copy(survey_fixtures / f"{stem}{suffix}", tmp_path / f"{stem}{suffix}")
    return tmp_path / f"{stem}.codebook.yml", tmp_path / f"{stem}.csv"


def _edit_csv(path, func):
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    func(df)
    path.write_text(df.to_csv(index=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "message", "where"),
    [
        (
            lambda df: df.__setitem__("Q3", ["abc"] + list(df["Q3"][1:])),
            "text 'abc' in a numeric column",
            "column 'Q3'",
        ),
        (
            lambda df: df.__setitem__("T2", ["7"] + list(df["T2"][1:])),
            "neither a code nor a label",
            "rows 1",
        ),
        (
            lambda df: df.__setitem__("COUNTRY", ["Atlantis"] + list(df["COUNTRY"][1:])),
            "unknown country name(s) 'Atlantis'",
            "column 'COUNTRY'",
        ),
        (lambda df: df.__delitem__("T3"), "'T3' (trust_3)", "mini_utf8.csv"),
        (
            lambda df: df.__setitem__("WEIGHT", ["0"] + list(df["WEIGHT"][1:])),
            "weights must be positive",
            "rows 1",
        ),
        (
            lambda df: df.__setitem__("ID", ["R02"] + list(df["ID"][1:])),
            "R02 appear more than once",
            "column 'ID'",
        ),
    ],
)
def test_bad_input_is_a_clear_error(survey_fixtures, tmp_path, edit, message, where):
    book_path, csv_path = _copy(survey_fixtures, tmp_path)
    _edit_csv(csv_path, edit)
    with pytest.raises(DataError) as err:
        _clean(book_path)
    text = str(err.value)
    assert message in text
    assert where in text
    assert "What to do:" in text


def _most_shared_answers(df, items, block):
    """Reference: every pair compared in plain Python, missing matching only missing."""
    rows = df[items].astype("float64").fillna(-1).to_numpy().tolist()
    best = [0] * len(df)
    for idx in df.groupby(block).indices.values():
        for i in idx:
            shared = [
                sum(a == b for a, b in zip(rows[i], rows[k], strict=True)) for k in idx if k != i
            ]
            best[i] = max(shared, default=0)
    return [b / len(items) for b in best]


def test_both_near_duplicate_paths_match_a_pair_by_pair_reference(monkeypatch):
    import numpy as np

    from milresearch.clean import quality as survey

    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.integers(1, 4, (700, 9)).astype(float), columns=list("abcdefghi"))
    df.iloc[::7, 2] = np.nan
    df["coded"] = pd.array(rng.integers(1, 6, 700), dtype="Int16")  # the recoded dtype
    df.loc[::5, "coded"] = pd.NA
    df["wide"] = rng.integers(0, 150, 700)  # over 64 codes: its one-hot bits span three words
    df.loc[::50, list("abcdefghi")] = df.loc[1::50, list("abcdefghi")].to_numpy()  # near copies
    df["block"] = rng.integers(0, 40, 700)
    items = [*"abcdefghi", "coded", "wide"]
    expected = _most_shared_answers(df, items, ["block"])
    monkeypatch.setattr(survey, "_BIG_BLOCK", 10_000)
    pairwise = near_duplicate_share(df, items, ["block"])
    monkeypatch.setattr(survey, "_BIG_BLOCK", 5)
    matrix = near_duplicate_share(df, items, ["block"])
    assert list(pairwise) == pytest.approx(expected)
    assert list(matrix) == pytest.approx(expected)
    assert max(expected) >= 9 / 11


@pytest.mark.parametrize(
    "label",
    [
        "Daily",
        "Ежедневно",
        "ежедневно ",
        "Күн сайын",
        "Har kuni",
        "Ҳар куни",
        "Ҳар рӯз",
        "روزانہ",
        "1",
        1.0,
    ],
)
def test_frequency_labels_in_every_language_map_to_code_1(label):
    import yaml

    from milresearch.analysis.questionnaire import HERE
    from milresearch.clean.recode import _key
    from milresearch.ingest.fields import read_scale as _scale

    raw = yaml.safe_load((HERE / "scales.yml").read_text(encoding="utf-8"))
    scale = _scale(HERE / "scales.yml", "freq5", raw["freq5"])
    assert scale.lookup()[_key(label)] == 1


def test_every_rule_is_counted_per_country_and_name_columns_never_leave(survey_fixtures, tmp_path):
    """One delivery with two countries: the log splits each rule, names are dropped."""
    raw = pd.read_csv(survey_fixtures / "mini_utf8.csv", dtype=str, encoding="utf-8-sig")
    raw.loc[5:10, "COUNTRY"] = "Кыргызстан"  # R06-R11; R01-R05 and R03's second copy stay KAZ
    raw["FIO"] = [f"Иванов Иван {i}" for i in range(len(raw))]
    raw.loc[11, "FIO"] = raw.loc[2, "FIO"]  # the duplicate interview is the same person
    raw.to_csv(tmp_path / "mini_utf8.csv", index=False, encoding="utf-8")
    book = (survey_fixtures / "mini_utf8.codebook.yml").read_text(encoding="utf-8")
    book = book.replace(
        "  comment:\n",
        "  respondent_name:\n    source: FIO\n    type: string\n    drop: true\n  comment:\n",
    )
    (tmp_path / "mini_utf8.codebook.yml").write_text(book, encoding="utf-8")
    result, log = _clean(tmp_path / "mini_utf8.codebook.yml")

    def by_country(rule):
        rows = log[log["rule"] == rule]
        return dict(zip(rows["country"], rows["rows"], strict=True))

    assert by_country("rows_read") == {"KAZ": 6, "KGZ": 6}
    assert by_country("exact_duplicate_removed") == {"KAZ": 1, "KGZ": 0}
    assert by_country("pii_scrubbed") == {"KAZ": 2, "KGZ": 0}
    assert by_country("personal_columns_dropped") == {"KAZ": 5, "KGZ": 6}
    assert (log["country"] != "").all()
    assert "respondent_name" not in result.data
    assert not result.data.astype(str).apply(lambda c: c.str.contains("Иванов")).any().any()


@pytest.mark.parametrize(
    ("codebook", "encoding"),
    [
        ("mini.codebook.yml", "UTF-8"),
        ("mini_cp1251.codebook.yml", "cp1251"),
        ("mini_utf8.codebook.yml", "utf-8-sig"),
    ],
)
def test_the_detected_encoding_is_said_in_the_log(survey_fixtures, codebook, encoding):
    _, log = _clean(survey_fixtures / codebook)
    assert set(log.loc[log["rule"] == "rows_read", "detail"]) == {f"encoding={encoding}"}


@pytest.mark.parametrize("k", [1, 5, 12, 40, 150])
@pytest.mark.parametrize("p", [0.03, 0.35, 0.8, 0.999])
@pytest.mark.parametrize("rho", [0.0, 0.02, 0.3, 0.9])
def test_the_chance_of_agreeing_by_chance_equals_scipys_binomial_and_beta_binomial(k, p, rho):
    """The near-duplicate test's tail, summed by hand, against scipy.stats as the oracle.

    The beta-binomial oracle sums scipy's probabilities: its ``sf`` is one minus the CDF, which
    loses the far tail (it gives 0 where the chance is 1e-23).
    """
    import math

    from scipy import stats as st

    from milresearch.clean.quality import _tail

    for m in sorted({0, 1, k // 3, k // 2, k - 1, k}):
        if rho == 0:
            expected = st.binom.sf(m - 1, k, p)
        else:
            scale = 1 / rho - 1
            a, b = p * scale, (1 - p) * scale
            expected = math.fsum(st.betabinom.pmf(j, k, a, b) for j in range(m, k + 1))
        assert _tail(m, k, p, rho) == pytest.approx(expected, rel=1e-9, abs=1e-300), (m, k, p, rho)
