"""Change between survey waves: R agreement, breaks, Holm, and the sample's waves."""

import shutil
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from milresearch.analysis.change import (
    CHANGE_COLUMNS,
    break_reason,
    change,
    holm,
    mode_group,
)
from milresearch.analysis.inputs import ReportInputs, country_waves, load_inputs

TOL = 1e-6
FREQ = {"concept": "media_use", "scale": "freq5", "codes": [1, 2, 3, 4, 5]}
TRUST = {"concept": "trust", "scale": "trust4", "codes": [1, 2, 3, 4]}
GROUP = {"concept": "demographic", "scale": "g", "codes": []}


def _dataset(name: str, wave: str, mode: str, items: dict) -> dict:
    return {
        "name": name,
        "kind": "survey",
        "wave": wave,
        "mode": mode,
        "fieldwork_start": f"{wave}-03-01",
        "fieldwork_end": f"{wave}-04-01",
        "items": items,
    }


def _inputs(data: pd.DataFrame, *surveys: dict) -> ReportInputs:
    """Inputs of a country with these waves (earliest first), as load_inputs makes them."""
    data = data.assign(dataset=data["wave"].map({d["wave"]: d["name"] for d in surveys}))
    present = set(zip(data["country"], data["dataset"], strict=True))
    waves = {"AAA": country_waves(list(surveys), "AAA", present)}
    newest = data[data["wave"] == surveys[-1]["wave"]].reset_index(drop=True)
    return ReportInputs(
        country="AAA",
        survey=newest,
        all_rows=newest,
        content=pd.DataFrame(),
        indicators=pd.DataFrame(),
        log=pd.DataFrame(),
        datasets=(MappingProxyType(surveys[-1]),),
        inputs=MappingProxyType({}),
        history=data,
        waves=MappingProxyType(waves),
        wave_datasets=tuple(MappingProxyType(d) for d in surveys),
    )


@pytest.fixture(scope="module")
def waves(fixtures_path) -> pd.DataFrame:
    return pd.read_csv(fixtures_path / "stats" / "waves.csv", dtype={"wave": str})


@pytest.fixture(scope="module")
def two_waves(waves) -> ReportInputs:
    items = {"y": FREQ, "z": TRUST, "g": GROUP}
    return _inputs(
        waves,
        _dataset("aaa_2023", "2023", "CAPI", items),
        _dataset("aaa_2025", "2025", "face-to-face", items | {"q": FREQ}),
    )


def test_change_matches_r_stacked_design_and_svycontrast(two_waves, fixtures_path):
    reference = pd.read_csv(fixtures_path / "stats" / "ref_change.csv")
    found = change(two_waves, min_n=0)["changes"]
    assert list(found.columns) == CHANGE_COLUMNS
    got = found.set_index(["item", "grouping", "group"])
    for ref in reference.itertuples():
        row = got.loc[(ref.item, ref.grouping, ref.group)]
        for col, value in (
            ("estimate_latest", ref.estimate_first),
            ("estimate_earlier", ref.estimate_second),
            ("difference", ref.difference),
            ("se", ref.se),
            ("ci_low", ref.low),
            ("ci_high", ref.high),
            ("p_value", ref.p_value),
            ("p_holm", ref.p_holm),
        ):
            assert row[col] == pytest.approx(value, abs=TOL), (ref.case, col)
        assert row["df"] == ref.df, ref.case
        assert row["earlier"] == "2023" and row["latest"] == "2025"
    # y's daily share rose (p_holm < 0.05), z's trust share did not move beyond noise.
    assert got.loc[("y", "all", "all"), "verdict"] == "changed"
    assert got.loc[("z", "all", "all"), "verdict"] == "within_noise"


def test_an_item_one_wave_did_not_ask_is_not_comparable(two_waves):
    got = change(two_waves, min_n=0)["changes"]
    q = got[got["item"] == "q"]
    assert len(q) and set(q["verdict"]) == {"not_comparable"}
    assert set(q["reason"]) == {"not_asked"}
    assert q["p_value"].isna().all() and q["difference"].isna().all()


def test_a_mode_change_makes_every_item_not_comparable(waves):
    items = {"y": FREQ, "z": TRUST}
    inputs = _inputs(
        waves, _dataset("a", "2023", "CAPI", items), _dataset("b", "2025", "CATI", items)
    )
    got = change(inputs, min_n=0)["changes"]
    assert set(got["verdict"]) == {"not_comparable"}
    assert set(got["reason"]) == {"mode"}
    assert set(got["reason_earlier"]) == {"CAPI"} and set(got["reason_latest"]) == {"CATI"}


def test_a_wording_change_is_not_comparable_and_the_other_items_are_still_tested(waves):
    inputs = _inputs(
        waves,
        _dataset("a", "2023", "CAPI", {"y": FREQ | {"wording": "Q1-v1"}, "z": TRUST}),
        _dataset("b", "2025", "CAPI", {"y": FREQ | {"wording": "Q1-v2"}, "z": TRUST}),
    )
    got = change(inputs, min_n=0)["changes"].set_index("item")
    assert got.loc["y", "verdict"] == "not_comparable" and got.loc["y", "reason"] == "wording"
    assert got.loc["z", "verdict"] in ("changed", "within_noise")


def test_one_wave_gives_empty_changes(waves):
    one = waves[waves["wave"] == "2025"]
    inputs = _inputs(one, _dataset("b", "2025", "CAPI", {"y": FREQ}))
    got = change(inputs, min_n=0)
    assert got["changes"].empty and list(got["changes"].columns) == CHANGE_COLUMNS
    assert got["waves"]["wave"].tolist() == ["2025"]


@pytest.mark.parametrize(
    ("earlier", "latest", "modes", "reason"),
    [
        (FREQ, FREQ, ("CAPI", "face to face"), None),
        (FREQ, FREQ, ("CAPI", "CATI"), "mode"),
        (FREQ, FREQ, ("", "CATI"), None),  # an undeclared mode is not a break
        (FREQ | {"wording": "a"}, FREQ | {"wording": "b"}, ("CAPI", "CAPI"), "wording"),
        (FREQ | {"wording": "a"}, FREQ, ("CAPI", "CAPI"), None),
        (
            FREQ | {"question": {"en": "How often?"}},
            FREQ | {"question": {"en": "How often a week?"}},
            ("CAPI", "CAPI"),
            "wording",
        ),
        (
            FREQ | {"question": {"en": "How often?"}},
            FREQ | {"question": {"en": "how  often ?"}},
            ("CAPI", "CAPI"),
            None,
        ),  # spacing and case are not wording
        (FREQ, FREQ | {"codes": [1, 2, 3, 4]}, ("CAPI", "CAPI"), "scale"),
        (FREQ, FREQ | {"share": [1, 2]}, ("CAPI", "CAPI"), "scale"),
        (None, FREQ, ("CAPI", "CAPI"), "not_asked"),
    ],
)
def test_break_reason(earlier, latest, modes, reason):
    found = break_reason(earlier, latest, modes)
    assert (found[0] if found else None) == reason


def test_modes_are_grouped_by_how_people_answer():
    assert mode_group("CAPI") == mode_group("Face-to-face") == mode_group("PAPI")
    assert mode_group("CATI") == mode_group("mobile phone") != mode_group("CAPI")
    assert mode_group("CAPI / CAWI") == mode_group("web/face to face")
    assert mode_group("tablet kiosk") == "tabletkiosk"  # unknown: compared by its own name


def test_holm_matches_r_p_adjust():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.2, NA), "holm")
    got = holm(pd.Series([0.01, 0.04, 0.03, 0.2, np.nan]))
    expected = [0.04, 0.09, 0.09, 0.2, np.nan]
    assert got.iloc[:4].tolist() == pytest.approx(expected[:4], abs=1e-12)
    assert np.isnan(got.iloc[4])


@pytest.fixture(scope="module")
def sample_processed(processed):
    """The shipped sample (with its earlier waves), cleaned once for the session (conftest)."""
    return processed


@pytest.fixture(scope="module")
def sample_inputs(sample_processed):
    return {c: load_inputs(sample_processed, c) for c in ("KAZ", "KGZ", "UZB", "PAK", "TJK")}


def test_the_sample_has_earlier_waves_with_the_breaks_the_issue_asks_for(sample_inputs):
    found = {c: change(i, 30)["changes"] for c, i in sample_inputs.items()}
    everyone = {c: f[f["grouping"] == "all"].set_index("item") for c, f in found.items()}
    kaz = everyone["KAZ"]
    # Telegram up, TV down, trust in state media down, each tested.
    assert kaz.loc["use_telegram", "verdict"] == "changed"
    assert kaz.loc["use_telegram", "difference"] > 0
    assert kaz.loc["use_tv", "verdict"] == "changed" and kaz.loc["use_tv", "difference"] < 0
    assert kaz.loc["trust_state_media", "verdict"] == "changed"
    assert kaz.loc["trust_state_media", "difference"] < 0
    assert kaz.loc["concern_fake", "reason"] == "wording"
    assert set(everyone["KGZ"]["reason"]) == {"mode"}
    assert everyone["UZB"].loc["use_tiktok", "reason"] == "not_asked"
    assert (everyone["PAK"]["verdict"] == "changed").any()
    assert found["TJK"].empty


def test_every_section_but_change_reads_the_latest_wave(sample_inputs):
    kaz = sample_inputs["KAZ"]
    assert set(kaz.survey["wave"]) == {"2025"}
    assert set(kaz.history["wave"]) == {"2023", "2025"}
    assert [d["name"] for d in kaz.survey_datasets] == ["kaz_mil_2025"]
    assert [w.id for w in kaz.waves["KAZ"]] == ["2023", "2025"]
    assert kaz.wave_item("concern_fake", "2023")["wording"].startswith("Q14-2023")
    assert sample_inputs["UZB"].wave_item("use_tiktok", "2023") is None
    assert sample_inputs["UZB"].wave_item("use_tiktok", "2025") is not None


def _two_kaz_waves(tmp_path, edit):
    from milresearch.paths import RAW_DIR

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    for year in ("2023", "2025"):
        for suffix in (".sav", ".codebook.yml"):
            name = f"kaz_mil_{year}{suffix}"
            (raw / name).write_bytes((RAW_DIR / "sample" / "survey" / name).read_bytes())
    book = raw / "kaz_mil_2023.codebook.yml"
    book.write_text(edit(book.read_text(encoding="utf-8")), encoding="utf-8")
    return raw


def test_a_wave_without_a_name_beside_named_ones_is_an_error_naming_the_codebook(tmp_path):
    from milresearch.clean.step import run_clean
    from milresearch.errors import DataError

    def unnamed(text):
        return "\n".join(
            line
            for line in text.splitlines()
            if not line.lstrip().startswith(("wave:", "fieldwork_start:"))
        )

    raw = _two_kaz_waves(tmp_path, unnamed)
    with pytest.raises(DataError) as caught:
        run_clean(raw, tmp_path / "processed")
    message = str(caught.value)
    assert "kaz_mil_2023.codebook.yml" in message and "dataset.wave" in message
    assert "KAZ" in message and "2025" in message


def test_fieldwork_year_names_the_wave_when_none_is_declared(tmp_path):
    from milresearch.clean.step import run_clean

    def no_wave(text):
        return "\n".join(line for line in text.splitlines() if not line.startswith("  wave:"))

    raw = _two_kaz_waves(tmp_path, no_wave)
    run_clean(raw, tmp_path / "processed")
    survey = pd.read_parquet(tmp_path / "processed" / "survey.parquet")
    assert survey.groupby("dataset")["wave"].unique().map(list).to_dict() == {
        "kaz_mil_2023": ["2023"],
        "kaz_mil_2025": ["2025"],
    }


def test_adding_a_wave_changes_only_that_countrys_data_key_and_the_regional_one(tmp_path):
    from milresearch.clean.manifest import read_manifest
    from milresearch.clean.step import run_clean
    from milresearch.paths import RAW_DIR

    def keys(files: list[str], name: str) -> dict:
        raw = tmp_path / name
        shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
        for file in files:
            shutil.copy(RAW_DIR / "sample" / "survey" / file, raw / file)
        run_clean(raw, tmp_path / f"{name}_processed")
        return read_manifest(tmp_path / f"{name}_processed")["data_keys"]

    base = [f"{c}_mil_2025.{e}" for c, e in (("kaz", "sav"), ("pak", "csv"), ("tjk", "csv"))]
    base += [f.replace(".sav", ".codebook.yml").replace(".csv", ".codebook.yml") for f in base]
    # A wave sorted before TJK's file: its log rows come first, which once shifted TJK's key.
    wave = ["pak_mil_2023.csv", "pak_mil_2023.codebook.yml"]
    before, after = keys(base, "one_wave"), keys(base + wave, "two_waves")
    assert {k for k in after if after[k] != before[k]} == {"PAK", "ALL"}


def _text(html) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(html)))


def test_the_change_section_says_what_changed_and_why_the_rest_is_not_compared(sample_processed):
    from milresearch.reports.country import open_report

    kaz = open_report(sample_processed, "KAZ", "en", cache=False).section("change")
    text = _text(kaz.html)
    assert "Change since 2023" in text
    assert str(kaz.html).count("<img") == 4  # one small-multiples chart per concept
    assert "Not comparable: question wording changed" in text
    assert text.count("Changed") >= 3
    kgz = _text(open_report(sample_processed, "KGZ", "ru", cache=False).section("change").html)
    assert "Несравнимо: сменился способ опроса" in kgz and "Изменилось" not in kgz
    tjk = open_report(sample_processed, "TJK", "en", cache=False).section("change").html
    assert "<h2" not in str(tjk) and "<img" not in str(tjk)
    assert _text(tjk).strip().startswith("Change over time: this survey has one wave (2025)")


def test_key_findings_state_the_tested_changes_largest_first(sample_processed):
    from milresearch.reports.country import open_report

    report = open_report(sample_processed, "KAZ", "en", cache=False)
    found = report.analysis("findings")["findings"]
    changes = found[found["finding"].str.startswith("findings.change")]
    assert set(changes["item"]) == {"use_telegram", "use_tv", "trust_state_media"}
    assert changes["difference"].abs().is_monotonic_decreasing
    assert "“Daily news from Telegram” rose from" in _text(report.section("findings").html)


def test_the_regional_report_shows_change_side_by_side_and_who_lacks_a_wave(sample_processed):
    from milresearch.reports.regional import open_report

    report = open_report(sample_processed, "en", cache=False)
    frames = report.analysis("change")
    assert sorted(frames["changes"]["country"].unique()) == ["KAZ", "KGZ", "PAK", "UZB"]
    assert set(frames["changes"]["grouping"]) == {"all"}
    text = _text(report.section("change").html)
    assert "No earlier wave yet: Tajikistan, Turkmenistan." in text


def test_the_sample_survey_regenerates_bit_for_bit_as_shipped(tmp_path):
    from milresearch.paths import RAW_DIR
    from milresearch.sample.survey_files import write_sample_survey

    written = write_sample_survey(tmp_path)
    shipped = RAW_DIR / "sample" / "survey"
    assert sorted(p.name for p in written) == sorted(p.name for p in shipped.iterdir())
    for path in written:
        assert path.read_bytes() == (shipped / path.name).read_bytes(), path.name
    assert {p.name for p in written} >= {
        "kaz_mil_2023.sav",
        "kgz_mil_2023.sav",
        "uzb_mil_2023.xlsx",
        "pak_mil_2023.csv",
    }
