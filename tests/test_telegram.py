"""Telegram Desktop exports, read through a codebook: every quirk of the format on small files.

The fixtures in tests/fixtures/telegram/ are written in the format Telegram Desktop produces
("Export chat history", JSON). Expected values are worked out by hand from them: e.g. message 2
of the channel export has date "2025-03-01T15:30:00" (the exporting machine's local time) and
date_unixtime 1740825000, which is 2025-03-01 10:30 UTC, so the machine ran at UTC+05:00.
"""

import json
import os
import shutil
import stat

import pandas as pd
import pytest

from milresearch.clean.content import clean_content
from milresearch.clean.log import CleaningLog
from milresearch.clean.step import rename_to_codebook, run_clean
from milresearch.errors import DataError
from milresearch.ingest import readers, telegram
from milresearch.ingest.codebook import load_codebook
from milresearch.paths import RAW_DIR

KEY = "test-key-not-a-secret"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv(telegram.KEY_ENV, KEY)


def _read(fixtures_path, name):
    book = load_codebook(fixtures_path / "telegram" / f"{name}.codebook.yml")
    raw = readers.read_raw(book)
    frame = rename_to_codebook(raw, book)
    out = clean_content(frame, dataset=book.dataset.name, log=CleaningLog())
    return raw, out.set_index("item_id")


def test_a_channel_export_flattens_entities_and_keeps_links_tags_and_mentions(fixtures_path):
    raw, data = _read(fixtures_path, "channel")
    first = raw.frame.set_index("message_id").loc[2]
    assert first["text"] == "Проверка: фейк о вакцинах здесь #фейк @kun_uz"
    assert first["links"] == "https://factcheck.kz/x"
    assert first["hashtags"] == "#фейк" and first["mentions"] == "@kun_uz"
    assert first["reactions"] == 7  # 5 + 2
    assert sorted(data.index) == ["1234567890/2", "1234567890/3"]  # service message 1 skipped
    assert (
        "telegram_service_skipped",
        1,
        "service messages (joins, pins) in 'Factcheck KZ'",
    ) in raw.notes


def test_dates_are_utc_from_unixtime_and_the_local_offset_is_noted(fixtures_path):
    raw, data = _read(fixtures_path, "channel")
    assert data["date_utc"].dt.strftime("%Y-%m-%d %H:%M").to_dict() == {
        "1234567890/2": "2025-03-01 10:30",
        "1234567890/3": "2025-03-02 04:00",
    }
    offsets = [n for n in raw.notes if n[0] == "telegram_local_offset"]
    assert [(rows, detail.split(";")[0]) for _, rows, detail in offsets] == [
        (2, "the exporting machine's clock was UTC+05:00")
    ]
    edited = raw.frame.set_index("message_id").loc[3, "edited_utc"]
    assert edited == "2025-03-02T04:05:00+00:00"


def test_forwards_replies_media_and_post_urls(fixtures_path):
    _, data = _read(fixtures_path, "channel")
    post = data.loc["1234567890/3"]
    assert post["forwarded_from"] == "Kun.uz"  # a channel: named
    assert str(post["reply_to"]).startswith("2")
    assert post["format"] == "photo"
    assert post["url"] == "https://t.me/factcheckkz/3"  # username declared in the codebook
    assert post["platform"] == "telegram"


def test_a_whole_account_export_reads_every_chat_and_never_names_people(fixtures_path):
    raw, data = _read(fixtures_path, "account")
    frame = raw.frame
    assert list(data.index) == ["555/11", "555/12", "1001/7"]
    assert list(frame["chat_name"]) == ["Bishkek news chat", "Bishkek news chat", "Kloop"]
    dumped = frame.to_json(force_ascii=False, date_format="iso") + data.to_json(
        force_ascii=False, date_format="iso"
    )
    for secret in ("Aibek", "Kadyrov", "Ayana", "user777", "user888", "+7 700"):
        assert secret not in dumped
    people = frame[frame["author_kind"] == "person"]
    assert people["from"].nunique() == 1  # one person, one pseudonym
    assert people["from"].iloc[0] == telegram.pseudonym("user777", KEY.encode())
    assert frame.loc[0, "forwarded_from"] == telegram.pseudonym("user888", KEY.encode())
    kloop = frame[frame["chat_name"] == "Kloop"].iloc[0]
    assert (kloop["from"], kloop["url"]) == ("Kloop", "https://t.me/kloop/7")
    assert frame[frame["chat_name"] != "Kloop"]["url"].isna().all()  # no username declared
    assert frame.loc[1, "links"] == "https://kaktus.media/1"
    assert frame.loc[1, "media_type"] == "video_file"


def test_the_pseudonym_key_is_kept_out_of_the_outputs(tmp_path, monkeypatch):
    monkeypatch.delenv(telegram.KEY_ENV)
    key = telegram.pseudonym_key(tmp_path / "config")
    path = tmp_path / "config" / telegram.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert telegram.pseudonym_key(tmp_path / "config") == key  # stable across runs
    assert telegram.pseudonym("user777", key) != telegram.pseudonym("user777", b"other")
    assert telegram.pseudonym("user777", key).startswith("person-")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '{"name": "X", "type": "public_channel", "id": 1, "messages": [{"id": 1, "type": "mess',
            "not a complete JSON export",
        ),
        ("[]", "no messages found"),
        ('{"name": "X", "messages": []}', "no messages found"),
    ],
)
def test_a_broken_or_foreign_file_is_refused_naming_it(tmp_path, fixtures_path, text, says):
    shutil.copy(fixtures_path / "telegram" / "channel.codebook.yml", tmp_path)
    (tmp_path / "channel_result.json").write_text(text, encoding="utf-8")
    book = load_codebook(tmp_path / "channel.codebook.yml")
    with pytest.raises(DataError) as err:
        readers.read_raw(book)
    assert says in str(err.value) and "channel_result.json" in str(err.value)


def test_an_undeclared_channel_key_in_the_codebook_is_refused(tmp_path, fixtures_path):
    text = (fixtures_path / "telegram" / "channel.codebook.yml").read_text(encoding="utf-8")
    text = text.replace("{username: factcheckkz, country: KAZ}", "{user: factcheckkz}")
    (tmp_path / "channel.codebook.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="channels"):
        load_codebook(tmp_path / "channel.codebook.yml")


def test_a_new_pseudonym_key_re_pseudonymises_a_cached_export(
    tmp_path, fixtures_path, monkeypatch
):
    raw_dir = tmp_path / "raw"
    shutil.copytree(fixtures_path / "telegram", raw_dir / "telegram")
    shutil.copytree(RAW_DIR / "indicators", raw_dir / "indicators")

    def authors() -> set[str]:
        run_clean(raw_dir, tmp_path / "processed")
        content = pd.read_parquet(tmp_path / "processed" / "content.parquet")
        return set(content["claim_author"].dropna()) - {"Kloop", "Factcheck KZ"}

    first = authors()
    monkeypatch.setenv(telegram.KEY_ENV, "another key")
    second = authors()
    assert first == {telegram.pseudonym("user777", KEY.encode())}
    assert second == {telegram.pseudonym("user777", b"another key")}


def test_a_project_cleans_a_telegram_export_and_logs_what_the_reader_did(tmp_path, fixtures_path):
    raw_dir = tmp_path / "raw"
    shutil.copytree(fixtures_path / "telegram", raw_dir / "telegram")
    shutil.copytree(RAW_DIR / "indicators", raw_dir / "indicators")
    result = run_clean(raw_dir, tmp_path / "processed")
    log = result.log.to_frame()
    rules = log.groupby("rule")["rows"].sum()
    assert rules["telegram_service_skipped"] == 2  # one per export
    assert rules["telegram_people_pseudonymised"] == 2
    content = pd.read_parquet(tmp_path / "processed" / "content.parquet")
    assert sorted(content["dataset"].unique()) == ["telegram_account_kgz", "telegram_factcheck_kz"]
    assert "Aibek" not in content.to_json(force_ascii=False, date_format="iso")
    manifest = json.loads((tmp_path / "processed" / "manifest.json").read_text(encoding="utf-8"))
    assert KEY not in json.dumps(manifest) and not any(
        "pseudonym" in p for p in os.listdir(tmp_path / "processed")
    )


def test_a_single_chat_reads_the_same_on_the_fast_path_as_inside_an_account_export(
    tmp_path, fixtures_path
):
    # A single-chat export is read by ijson's C items; the same chat inside a whole-account
    # export goes through the event path. Both must give the same rows, notes and offsets.
    chat = json.loads((fixtures_path / "telegram" / "channel_result.json").read_text("utf-8"))
    account = tmp_path / "account.json"
    account.write_text(json.dumps({"about": "", "chats": {"about": "", "list": [chat]}}), "utf-8")
    assert telegram._single_chat(fixtures_path / "telegram" / "channel_result.json") is not None
    assert telegram._single_chat(account) is None
    fast = telegram.read_export(fixtures_path / "telegram" / "channel_result.json", key=b"k")
    slow = telegram.read_export(account, key=b"k")
    assert fast == slow and len(fast[0]["post_id"]) == 2
