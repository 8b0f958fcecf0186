import pytest

from milresearch.errors import DataError
from milresearch.ingest.claimreview import COLUMNS, read_claimreview


@pytest.fixture
def graph(fixtures_path):
    return read_claimreview(fixtures_path / "content" / "claimreview.json").set_index("item_id")


def test_only_claimreviews_of_a_graph_become_rows(graph):
    assert list(graph.index) == [
        "https://sachcheck.example/a",
        "https://sachcheck.example/b",
        "https://barla.example/c",
        "claimreview-4",  # no url: the file stem and the record's index
    ]
    assert list(graph.reset_index().columns) == list(COLUMNS)
    assert list(graph["claim_text"]) == ["Claim A", "Claim B", "Claim C", "Claim D"]


def test_verdicts_come_from_the_rating_object_or_list(graph):
    assert list(graph["verdict_raw"]) == ["False", "Misleading", "Ýalan", "Half true"]


def test_appearance_may_be_a_list_an_object_a_string_or_a_first_appearance(graph):
    assert list(graph["claim_url"]) == [
        "https://www.facebook.com/posts/1",
        "https://t.me/s/channel/2",
        "https://youtu.be/xyz",
        "https://ok.ru/group/1/topic/2",
    ]


def test_authors_languages_dates_and_countries_in_their_several_shapes(graph):
    assert list(graph["claim_author"].fillna("NA")) == ["A user", "Channel B", "NA", "NA"]
    assert list(graph["source_org"].fillna("NA")) == [
        "Soch Fact Check",
        "Soch Fact Check",
        "NA",
        "NA",
    ]
    assert list(graph["language"].fillna("NA")) == ["en", "ur", "NA", "NA"]
    assert list(graph["country"].fillna("NA")) == ["Pakistan", "PK", "Türkmenistan", "NA"]
    assert list(graph["date_published"].fillna("NA")) == [
        "2024-03-12",
        "2024-03-13T10:00:00+05:00",
        "NA",
        "12.03.2024",
    ]
    assert set(graph["item_type"]) == {"fact_check"}


def test_one_object_per_line_is_read_too(fixtures_path):
    df = read_claimreview(fixtures_path / "content" / "claimreview_lines.jsonl")
    assert list(df["item_id"]) == ["https://sachcheck.example/l1", "https://sachcheck.example/l2"]
    assert list(df["claim_url"].fillna("NA")) == ["NA", "https://t.me/a/1"]


def test_a_single_object_is_one_row(tmp_path):
    path = tmp_path / "one.json"
    path.write_text('{"@type": "ClaimReview", "url": "u", "claimReviewed": "c"}', encoding="utf-8")
    assert list(read_claimreview(path)["item_id"]) == ["u"]


def test_a_broken_json_array_names_the_file_and_line(fixtures_path):
    path = fixtures_path / "content" / "claimreview_broken.json"
    with pytest.raises(DataError, match=r"claimreview_broken\.json: line 3, column \d+: not JSON"):
        read_claimreview(path)


def test_a_broken_json_line_names_the_record(fixtures_path):
    path = fixtures_path / "content" / "claimreview_broken_lines.jsonl"
    with pytest.raises(DataError, match=r"claimreview_broken_lines\.jsonl: record 1 \(line 2\)"):
        read_claimreview(path)


def test_a_claimreview_without_claim_text_names_the_record(tmp_path):
    path = tmp_path / "cr.json"
    path.write_text(
        '[{"@type": "ClaimReview", "url": "a", "claimReviewed": "ok"},'
        ' {"@type": "ClaimReview", "url": "https://x.example/b"}]',
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"cr\.json: record 1 \(https://x\.example/b\)"):
        read_claimreview(path)


@pytest.mark.parametrize(
    ("content", "message"), [("", "empty"), ("[1, 2]", "expected a JSON object")]
)
def test_empty_files_and_non_objects_are_errors(tmp_path, content, message):
    path = tmp_path / "cr.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_claimreview(path)
