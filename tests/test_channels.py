"""Telegram channels: who forwards whom, claims that travel, and the report part, end to end.

The analysis tests build a processed content table by hand, small enough to work every
expected value out on paper. The end-to-end tests point a codebook at a Telegram Desktop export
(tests/fixtures/telegram_network/network_result.json), clean it as a project would and read the country
report's "Telegram channels" part, through the real notebook for one of them.
"""

import re
import shutil

import pandas as pd
import pytest

from milresearch.analysis import channels, forwards
from milresearch.analysis import telegram as telegram_part
from milresearch.build.runner import build_reports
from milresearch.build.tasks import COUNTRY_NOTEBOOK, ReportTask
from milresearch.clean.channels import add_forward_origins
from milresearch.clean.log import CleaningLog
from milresearch.clean.step import run_clean
from milresearch.ingest import telegram
from milresearch.paths import RAW_DIR
from milresearch.reports import country

KEY = "test-key-not-a-secret"
T0 = pd.Timestamp("2025-05-01 05:00", tz="UTC")


def _post(item, chan, ctry, lang, hours, *, source=None, cluster=None, verdict=None, **extra):
    return {
        "item_id": item,
        "dataset": "d",
        "platform": "telegram",
        "channel": chan,
        "country": ctry,
        "lang": lang,
        "date_utc": T0 + pd.Timedelta(hours=hours),
        "forwarded_from": source,
        "cluster_id": cluster,
        "verdict": verdict,
        "claim_text": f"text {item}",
        "is_duplicate_url": False,
        **extra,
    }


def _content() -> pd.DataFrame:
    """Channels A (KAZ, ru), C (KAZ, kk) and B (KGZ, ru); X has no posts; one person forwards."""
    rows = [
        _post("a1", "A", "KAZ", "ru", 0, cluster="c1"),
        _post("a2", "A", "KAZ", "ru", 1, source="X", cluster="c2"),
        _post("a3", "A", "KAZ", "ru", 2),
        _post("b1", "B", "KGZ", "ru", 24, source="a", cluster="c1"),  # "a": as a forward writes it
        _post("b2", "B", "KGZ", "ru", 30, source="A"),
        _post("b3", "B", "KGZ", "ru", 31, source=telegram.pseudonym("user1", b"k")),
        _post("c1", "C", "KAZ", "kk", 5, source="A", cluster="c2"),
        # A fact-check of claim c1 three days after it first appeared; of c2 a day before it did.
        {
            **_post("f1", None, "KAZ", "ru", 72, cluster="c1", verdict="false"),
            "platform": "website",
        },
        {
            **_post("f2", None, "KAZ", "ru", -23, cluster="c2", verdict="mixed"),
            "platform": "website",
        },
        # A second copy of a URL is never counted, and a private chat is not a channel.
        {**_post("a1-copy", "A", "KAZ", "ru", 0, cluster="c1"), "is_duplicate_url": True},
        _post("p1", telegram.pseudonym("chat9", b"k"), "KAZ", "ru", 3, cluster="c1"),
    ]
    frame = pd.DataFrame(rows).astype({"channel": "string", "forwarded_from": "string"})
    return add_forward_origins(frame, CleaningLog())


@pytest.fixture(scope="module")
def content():
    return _content()


def test_the_clean_gives_each_forward_its_source_channels_country_language_and_kind():
    log = CleaningLog()
    data = add_forward_origins(_content().drop(columns=list(channels_origin())), log)
    got = data.set_index("item_id")
    assert got.loc["b1", "forwarded_from_country"] == "KAZ"  # "a" matches channel "A"
    assert got.loc["c1", "forwarded_from_lang"] == "ru"
    assert pd.isna(got.loc["a2", "forwarded_from_country"])  # X has no posts of its own
    assert got.loc["b3", "forwarded_from_kind"] == "person"
    rules = log.to_frame().groupby(["rule", "country"])["rows"].sum()
    assert rules[("forward_origin_known", "KGZ")] == 2
    assert rules[("forward_origin_unknown", "KAZ")] == 1
    assert rules[("forward_from_person", "KGZ")] == 1


def channels_origin():
    return ("forwarded_from_country", "forwarded_from_lang", "forwarded_from_kind")


def test_a_channel_is_never_guessed_from_the_author():
    # claim_author is scrubbed of handles and holds people in groups: only `channel` names one.
    old = pd.DataFrame(
        {
            "claim_author": ["[handle]", "Kloop"],
            "source_type": ["channel"] * 2,
            "country": ["KGZ", "KGZ"],
            "platform": ["telegram"] * 2,
        }
    )
    assert add_forward_origins(old, CleaningLog())["channel"].isna().all()


def test_check_says_what_a_content_codebook_gives_the_telegram_part(fixtures_path):
    from milresearch.ingest.codebook import load_codebook
    from milresearch.ingest.coverage import describe_codebook

    network = describe_codebook(
        load_codebook(fixtures_path / "telegram_network" / "network.codebook.yml")
    )
    assert any(
        "fills Telegram channels" in line and "forwards from forwarded_from" in line
        for line in network
    )
    media_cloud = fixtures_path / "research_tools" / "mediacloud_stories.codebook.yml"
    assert any(
        "gives Telegram channels nothing" in line
        for line in describe_codebook(load_codebook(media_cloud))
    )


def test_channel_profiles_count_posts_forwards_languages_and_fact_checked_claims(content):
    got = channels.channel_profiles(content).set_index("channel")
    assert list(got.index) == ["A", "B", "C"]  # most posts first; no copy, no private chat
    assert got["n"].tolist() == [3, 3, 1]
    assert got.loc["A", "n_forwarded"] == 1 and got.loc["B", "share_forwarded"] == 1.0
    assert got.loc["C", "top_lang"] == "kk" and got.loc["A", "share_top_lang"] == 1.0
    # A's a1 (c1) and a2 (c2) are on fact-checked claims; a3 is not.
    assert got.loc["A", "n_fact_checked"] == 2
    assert got.loc["A", "share_fact_checked"] == pytest.approx(2 / 3)
    assert got.loc["B", "n_fact_checked"] == 1


def test_forwards_form_a_graph_with_cross_border_and_cross_language_edges(content):
    edges = forwards.forwards(content)
    got = {
        (e.source, e.channel): (e.n, e.cross_border, e.cross_language) for e in edges.itertuples()
    }
    assert got == {
        ("A", "B"): (1, True, False),
        ("a", "B"): (1, True, False),
        ("A", "C"): (1, False, True),
        ("X", "A"): (1, False, False),  # unknown country: not counted as crossing
        (channels.PEOPLE, "B"): (1, False, False),
    }
    assert "person-" not in edges.to_string()


def test_the_most_forwarded_sources_and_the_bridges(content):
    edges = forwards.forwards(content).assign(
        source=lambda e: e["source"].replace({"a": "A"})  # one channel, two spellings
    )
    sources = forwards.forward_sources(edges)
    assert sources.iloc[0][["source", "n", "n_channels", "cross_border"]].tolist() == [
        "A",
        3,
        2,
        True,
    ]
    bridges = forwards.bridges(edges).set_index("channel")
    # A reaches B (KGZ) and C (kk): two countries, two languages. X is only known as ru.
    assert bridges.loc["A", ["countries", "languages"]].tolist() == ["KAZ, KGZ", "kk, ru"]
    assert channels.PEOPLE not in bridges.index


def test_travelling_claims_show_first_appearance_spread_and_time_to_fact_check(content):
    claims = channels.travelling_claims(content).set_index("cluster_id")
    assert sorted(claims.index) == ["c1", "c2"]
    c1 = claims.loc["c1"]
    assert c1["first_channel"] == "A" and c1["n_channels"] == 2 and c1["n"] == 2
    assert c1["days_to_spread"] == pytest.approx(1.0)
    assert c1["days_to_check"] == pytest.approx(3.0) and c1["verdict"] == "false"
    c2 = claims.loc["c2"]  # checked a day before it appeared here: a claim that came back
    assert pd.isna(c2["checked_utc"]) and c2["checked_before_utc"] == T0 - pd.Timedelta(hours=23)
    timeline = channels.claim_timeline(content, claims.reset_index())
    c1_events = timeline[timeline["cluster_id"] == "c1"]
    assert c1_events["event"].tolist() == ["post", "post", "fact_check"]
    assert c1_events["channel"].tolist()[:2] == ["A", "B"]


def test_the_regional_flows_count_forwards_between_countries(content):
    flows = telegram_part.regional_telegram(content)["flows"]
    got = {
        (None if pd.isna(f.source_country) else f.source_country, f.country): f.n
        for f in flows.itertuples()
    }
    assert got == {("KAZ", "KGZ"): 2, ("KAZ", "KAZ"): 1, (None, "KAZ"): 1, (None, "KGZ"): 1}


def test_a_report_without_channel_posts_has_no_telegram_part():
    frames = telegram_part.telegram(_content().assign(platform="website"))
    assert frames["channels"].empty and frames["claims"].empty
    assert telegram_part.telegram(pd.DataFrame())["forwards"].empty


@pytest.fixture(scope="module")
def network_project(tmp_path_factory, fixtures_path):
    """A project whose only content is a Telegram Desktop export and its codebook."""
    root = tmp_path_factory.mktemp("network")
    raw = root / "raw"
    (raw / "telegram").mkdir(parents=True)
    for name in ("network_result.json", "network.codebook.yml"):
        shutil.copy(fixtures_path / "telegram_network" / name, raw / "telegram" / name)
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(telegram.KEY_ENV, KEY)
        run_clean(raw, root / "processed")
    return root / "processed"


def test_a_codebook_pointed_at_result_json_gives_the_telegram_part(network_project):
    report = country.open_report(network_project, "KGZ", "en", cache=False)
    section = report.section("telegram")
    frames = section.frames
    assert frames["channels"]["channel"].tolist() == ["Bishkek chat", "Kabar KG"]
    edges = {(e.source, e.channel): e.cross_border for e in frames["forwards"].itertuples()}
    assert edges == {
        ("Vesti KZ", "Kabar KG"): True,
        ("Kabar KG", "Bishkek chat"): False,
        (channels.PEOPLE, "Bishkek chat"): False,
    }
    claim = frames["claims"].iloc[0]  # the soda claim: Kabar KG, then Bishkek chat a day later
    assert claim["first_channel"] == "Kabar KG" and claim["days_to_spread"] == pytest.approx(1.0)
    # Two posts a channel: counts shown, shares hidden under the report's threshold (30).
    assert frames["channels"]["suppressed"].all()
    html = str(section.html)
    assert html.count("suppressed") >= 4  # forwarded and fact-checked shares of two channels
    assert '<h3 class="mr-section" id="sec-telegram">Telegram channels</h3>' in html
    assert "Vesti KZ" in html and "Kazakhstan" in html
    # People are never named: not the group member, not the person forwarded, not the chat.
    for name in ("Aibek", "Ayana", "person-"):
        assert name not in html
    russian = str(
        country.open_report(network_project, "KGZ", "ru", cache=False).section("telegram").html
    )
    assert "Telegram-каналы" in russian and "Частные лица (без имён)" in russian


@pytest.mark.parametrize(
    ("lang", "same_day", "later"),
    [
        ("en", "the same day it first appeared", "3 days after it first appeared"),
        ("ru", "в тот же день, когда появилось впервые", "через 3 дн. после первого появления"),
    ],
)
def test_a_claim_checked_within_the_day_reads_the_same_day_not_zero_days(
    network_project, lang, same_day, later
):
    from milresearch.reports.channels import claims_table

    report = country.open_report(network_project, "KGZ", lang, cache=False)
    claims = report.section("telegram").frames["claims"].head(1)
    first = claims["first_utc"].iloc[0]
    hours = pd.Series([pd.Timedelta(hours=5), pd.Timedelta(days=3)])
    both = pd.concat([claims, claims], ignore_index=True).assign(
        checked_utc=(first + hours).to_numpy(), days_to_check=[5 / 24, 3.0], verdict="false"
    )
    cells = [
        c
        for c in re.findall(r"<td[^>]*>([^<]*)</td>", str(claims_table(report, both)))
        if "(" in c and ("day" in c or "дн" in c or "ден" in c)
    ]
    assert [c.split(" (")[0] for c in cells] == [same_day, later]


@pytest.mark.slow  # papermill and a kernel
def test_the_country_notebook_shows_the_part_in_the_built_report(network_project, tmp_path):
    task = ReportTask(
        "KGZ",
        "en",
        COUNTRY_NOTEBOOK,
        {"country": "KGZ", "processed_dir": str(network_project)},
        "tg",
    )
    # The build's own timeout stops a hung kernel: no test waits forever.
    summary = build_reports([task], reports_dir=tmp_path / "reports", timeout=300, workers=1)
    assert [r.error for r in summary.failed] == []
    html = (tmp_path / "reports" / "html" / "en" / "KGZ.html").read_text(encoding="utf-8")
    assert re.search(r'<h3 class="mr-section" id="sec-telegram">', html)
    assert "Kabar KG" in html and "Aibek" not in html
