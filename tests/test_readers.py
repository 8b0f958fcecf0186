import pytest

from milresearch.errors import DataError
from milresearch.ingest import readers
from milresearch.ingest.codebook import load_codebook
from milresearch.ingest.encodings import detect_encoding


def _read(survey_fixtures, name):
    return readers.read_raw(load_codebook(survey_fixtures / name))


@pytest.mark.parametrize(
    ("codebook", "encoding"),
    [
        ("mini.codebook.yml", "UTF-8"),
        ("mini_noext.codebook.yml", "UTF-8"),
        ("mini_cp1251.codebook.yml", "cp1251"),
        ("mini_utf8.codebook.yml", "utf-8-sig"),
        ("mini_bilingual.codebook.yml", None),
    ],
)
def test_each_format_reads_all_rows_with_source_names(survey_fixtures, codebook, encoding):
    raw = _read(survey_fixtures, codebook)
    assert len(raw.frame) == 12
    assert raw.encoding == encoding
    first = raw.frame.columns[0]
    assert first in ("ID", "id")
    assert list(raw.frame[first].iloc[:3]) == ["R01", "R02", "R03"]


def test_spss_keeps_russian_value_labels_as_metadata(survey_fixtures):
    raw = _read(survey_fixtures, "mini.codebook.yml")
    assert raw.value_labels["T1"][98.0] == "Затрудняюсь ответить"
    assert raw.frame["T1"].iloc[1] == 98


def test_cp1251_csv_keeps_cyrillic_labels(survey_fixtures):
    raw = _read(survey_fixtures, "mini_cp1251.codebook.yml")
    assert raw.frame["T1"].iloc[0] == "Полностью доверяю"
    assert raw.frame["COUNTRY"].iloc[0] == "Казахстан"


def test_excel_takes_names_from_the_declared_header_row(survey_fixtures):
    raw = _read(survey_fixtures, "mini_bilingual.codebook.yml")
    assert list(raw.frame.columns[:3]) == ["id", "country", "q2"]
    assert raw.frame["q2"].iloc[0] == "Мужской"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfa,b\n", "utf-8-sig"),
        ("a,б\n".encode(), "utf-8"),
        ("id,ответ\n1,Скорее доверяю\n".encode("cp1251"), "cp1251"),
        (b"a,b\n", "utf-8"),
    ],
)
def test_encoding_detection(data, expected):
    assert detect_encoding(data) == expected


def test_a_declared_encoding_that_does_not_fit_is_an_error():
    with pytest.raises(DataError, match="not valid utf-8"):
        detect_encoding("б".encode("cp1251"), "utf-8")


def test_an_empty_file_is_a_clear_error(tmp_path, survey_fixtures):
    book = load_codebook(survey_fixtures / "mini_utf8.codebook.yml")
    empty = tmp_path / "mini_utf8.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match="the file is empty") as err:
        readers.READERS["csv"](empty, book.dataset)
    assert "mini_utf8.csv" in str(err.value)


def test_a_truncated_sav_is_a_clear_error(tmp_path, survey_fixtures):
    book = load_codebook(survey_fixtures / "mini.codebook.yml")
    broken = tmp_path / "mini.sav"
    broken.write_bytes((survey_fixtures / "mini.sav").read_bytes()[:900])
    with pytest.raises(DataError, match="truncated") as err:
        readers.READERS["spss"](broken, book.dataset)
    assert "mini.sav" in str(err.value)


def test_a_missing_data_file_names_its_codebook(tmp_path, survey_fixtures):
    text = (survey_fixtures / "mini.codebook.yml").read_text(encoding="utf-8")
    (tmp_path / "mini.codebook.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="data file not found"):
        readers.read_raw(load_codebook(tmp_path / "mini.codebook.yml"))


def test_stata_file_with_value_labels_is_read(tmp_path, survey_fixtures):
    import pyreadstat

    from tests.fixtures.survey.make_fixtures import frame

    df = frame()
    pyreadstat.write_dta(
        df.drop(columns=["Q21"]),
        str(tmp_path / "mini.dta"),
        variable_value_labels={"Q2": {1: "Мужской", 2: "Женский"}},
    )
    book = load_codebook(survey_fixtures / "mini.codebook.yml")
    raw = readers.READERS["stata"](tmp_path / "mini.dta", book.dataset)
    assert len(raw.frame) == 12
    assert raw.value_labels["Q2"][2] == "Женский"
    assert raw.frame["T1"].iloc[1] == 98
