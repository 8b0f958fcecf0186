"""Exports of research tools, read through codebooks with the CSV and JSON Lines readers.

The fixtures in tests/fixtures/research_tools/ use the documented column names: 4CAT's Telegram
data source (CSV: id, thread_id, chat, author, author_username, author_name, body,
unix_timestamp, views, author_forwarded_from_username, attachment_type, ...; NDJSON: the
collected Telethon message per line) and Media Cloud's story list (id, indexed_date, language,
media_name, media_url, publish_date, title, url). Expected values are worked out by hand:
unix_timestamp 1743559200 is 2025-04-02 02:00 UTC; a Media Cloud publish_date without a time
is midnight in Kyrgyzstan (UTC+6), 18:00 UTC the day before.
"""

import pytest

from milresearch.clean.content import clean_content
from milresearch.clean.log import CleaningLog
from milresearch.clean.step import rename_to_codebook
from milresearch.ingest import readers
from milresearch.ingest.codebook import load_codebook


def _clean(fixtures_path, name):
    book = load_codebook(fixtures_path / "research_tools" / f"{name}.codebook.yml")
    frame = rename_to_codebook(readers.read_raw(book), book)
    data = clean_content(frame, dataset=book.dataset.name, log=CleaningLog())
    return frame, data.set_index(data["item_id"].astype(str))


def _utc(data):
    return data["date_utc"].dt.strftime("%Y-%m-%d %H:%M").to_dict()


def test_a_4cat_telegram_csv_reads_utc_from_unix_timestamp_and_leaves_people_out(fixtures_path):
    frame, data = _clean(fixtures_path, "fourcat_telegram")
    assert _utc(data) == {"101": "2025-04-02 02:00", "102": "2025-04-02 03:30"}
    assert data.loc["102", "claim_text"] == 'Фейк: "вакцины с чипами" — разбор'
    assert data.loc["102", "forwarded_from"] == "kunuz" and data.loc["102", "format"] == "photo"
    assert list(data["views"].astype(int)) == [5400, 8100]
    assert list(data["channel"]) == ["kloop", "kloop"]
    assert {"author_name", "author_username"}.isdisjoint(frame.columns)  # drop: true


def test_a_4cat_ndjson_export_reads_nested_telethon_fields(fixtures_path):
    _, data = _clean(fixtures_path, "fourcat_telegram_ndjson")
    assert _utc(data) == {"201": "2025-04-02 02:00", "202": "2025-04-02 03:30"}
    assert list(data["channel"]) == ["kunuz", "kunuz"]
    assert data.loc["202", "forwarded_from"] == "Gazeta.uz"
    assert str(data.loc["202", "reply_to"]).startswith("201")


def test_a_media_cloud_story_list_reads_titles_sources_and_dates(fixtures_path):
    _, data = _clean(fixtures_path, "mediacloud_stories")
    assert _utc(data) == {"a1b2c3": "2025-05-01 18:00", "d4e5f6": "2025-05-02 18:00"}
    assert data["date_local"].astype(str).to_dict() == {
        "a1b2c3": "2025-05-02",
        "d4e5f6": "2025-05-03",
    }
    assert list(data["claim_author"]) == ["kaktus.media", "azattyk.org"]
    assert data.loc["d4e5f6", "url"] == "https://www.azattyk.org/a/32000001.html"


@pytest.mark.parametrize(
    "name", ["fourcat_telegram", "mediacloud_stories", "fourcat_telegram_ndjson"]
)
def test_a_required_column_renamed_by_a_newer_tool_version_is_named(tmp_path, fixtures_path, name):
    import shutil

    from milresearch.errors import DataError

    folder = fixtures_path / "research_tools"
    book = load_codebook(folder / f"{name}.codebook.yml")
    shutil.copy(folder / f"{name}.codebook.yml", tmp_path)
    text = book.data_path.read_text(encoding="utf-8")
    source = book.variables["item_id"].source
    shutil.copy(book.data_path, tmp_path)
    (tmp_path / book.data_path.name).write_text(
        text.replace(
            f'"{source}":',
            '"post":',
        )
        if name.endswith("ndjson")
        else text.replace(f"{source},", "post,", 1),
        encoding="utf-8",
    )
    moved = load_codebook(tmp_path / f"{name}.codebook.yml")
    with pytest.raises(DataError, match=repr(source)):
        rename_to_codebook(readers.read_raw(moved), moved)
