"""Declared answer semantics: which codes count for a share, and from where."""

import re

import pytest
import yaml

from milresearch.analysis.questionnaire import scales, share_codes
from milresearch.errors import DataError
from milresearch.ingest.codebook import load_codebook


def _item(scale, codes, **declared):
    return {"scale": scale, "codes": codes, "note": {}, **declared}


def test_canonical_scales_count_their_declared_codes():
    # Hand-written from shared/design/domain.md: agree = codes 4-5, trust = 1-2, daily = 1.
    assert share_codes(_item("agree5", [1, 2, 3, 4, 5])) == (4, 5)
    assert share_codes(_item("trust4", [1, 2, 3, 4])) == (1, 2)
    assert share_codes(_item("freq5", [1, 2, 3, 4, 5])) == (1,)
    assert share_codes(_item("freq5", [1, 2, 3, 4, 5]), "monthly") == (1, 2, 3)
    assert share_codes(_item("training3", [1, 2, 3]), "recent") == (1,)


def test_scales_keep_only_codes_and_labels():
    assert all(isinstance(code, int) for spec in scales().values() for code in spec)


def test_an_unfamiliar_scale_is_not_counted():
    # Same name as a canonical scale but asked with other codes: no share, rather than a wrong one.
    assert share_codes(_item("agree5", [1, 2, 3, 4])) is None
    assert share_codes(_item("agree7", [1, 2, 3, 4, 5, 6, 7])) is None
    assert share_codes(_item("acc4", [1, 2, 3, 4])) is None
    assert share_codes(None) is None
    assert share_codes(_item("freq5", [1, 2, 3, 4, 5]), "weekly") is None


def test_a_codebook_declaration_wins_over_the_canonical_one():
    reversed_agree = _item("agree5", [1, 2, 3, 4, 5], share=[1, 2], shares={})
    assert share_codes(reversed_agree) == (1, 2)
    assert share_codes(_item("agree7", list(range(1, 8)), share=[6, 7])) == (6, 7)


def _book(tmp_path, survey_fixtures, scale_extra):
    book = yaml.safe_load((survey_fixtures / "mini.codebook.yml").read_text(encoding="utf-8"))
    book["scales"]["trust4"].update(scale_extra)
    # The codebook points at its data file by name, so keep it beside the fixture.
    path = tmp_path / "mini.codebook.yml"
    path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    (tmp_path / "mini.sav").symlink_to(survey_fixtures / "mini.sav")
    return path


def test_a_codebook_scale_declares_its_shares(tmp_path, survey_fixtures):
    book = load_codebook(
        _book(tmp_path, survey_fixtures, {"share": [1], "shares": {"any": [1, 2]}})
    )
    scale = book.variables["trust_1"].scale
    assert scale.share == (1,)
    assert scale.shares == {"any": (1, 2)}
    assert sorted(scale.labels) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"share": [7]}, "code(s) [7] are not codes of this scale"),
        ({"share": "agree"}, "is not a list of codes"),
        ({"shares": [1, 2]}, "shares must map a name to codes"),
        ({"shares": {"top": [9]}}, "scales.trust4.shares.top"),
    ],
)
def test_a_wrong_share_declaration_is_a_clear_error(tmp_path, survey_fixtures, extra, message):
    with pytest.raises(DataError, match=re.escape(message)):
        load_codebook(_book(tmp_path, survey_fixtures, extra))
