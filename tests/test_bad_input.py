"""The bad-input corpus: one row per bad input or environment fault a user can give.

Each row makes one edit to a small, valid project (a survey CSV and a fact-check CSV with their
codebooks, and the real indicators), runs the command a user would run, in process, and checks
the exit code and the key words of the message. No row may print a traceback, and a row that
exits 0 must also pass its own check of the output (so no case is "silent"). The rows are the
cases of issue 16; ``test_the_corpus_covers_every_reported_case`` keeps the count honest.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml

from milresearch.cli import main
from milresearch.paths import RAW_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SURVEY_BOOK = "survey/mini_utf8.codebook.yml"
SURVEY_DATA = "survey/mini_utf8.csv"
CONTENT_BOOK = "content/mini_content.codebook.yml"
CONTENT_DATA = "content/mini_content.csv"


@dataclass(frozen=True)
class Case:
    """One bad input: the edit, the command, and what the user must see."""

    name: str
    edit: Callable[[Path], object]
    code: int
    words: tuple[str, ...]
    command: str = "clean"
    args: tuple[str, ...] = ()
    check: Callable[[Path], None] | None = field(default=None)
    """For a case that is fixed or logged rather than refused: checks the processed folder."""
    report: bool = False
    """Also render the KAZ report (in process, every section) and look for ``words`` there."""


# Edits -----------------------------------------------------------------------------------------


def _book(rel: str, change: Callable[[dict], object]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "raw" / rel
        book = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(book)
        path.write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), "utf-8")

    return edit


def _dataset(rel: str = SURVEY_BOOK, **values) -> Callable[[Path], None]:
    return _book(rel, lambda b: b["dataset"].update(values))


def _text(rel: str, change: Callable[[str], str], encoding: str = "utf-8") -> Callable:
    def edit(root: Path) -> None:
        path = root / "raw" / rel
        path.write_bytes(change(path.read_text(encoding="utf-8-sig")).encode(encoding))

    return edit


def _cell(rel: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "raw" / rel
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.loc[row, column] = value
        frame.to_csv(path, index=False, encoding="utf-8")

    return edit


def _copy_book(root: Path) -> None:
    shutil.copy(root / "raw" / SURVEY_BOOK, root / "raw" / "survey" / "again.codebook.yml")


def _alias_bomb(root: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = root / "raw" / SURVEY_BOOK
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", "utf-8")


def _truncate_rsf(root: Path) -> None:
    path = root / "raw/indicators/rsf_press_freedom/2025.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _file_as(rel: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("not a folder", encoding="utf-8")

    return edit


def _settings(text: str) -> Callable[[Path], None]:
    """An edited copy of the cleaning rules, given with --settings."""

    def edit(root: Path) -> None:
        (root / "cleaning.yml").write_text(text, encoding="utf-8")

    return edit


def _nothing(root: Path) -> None:
    return None


# Checks of cases that are repaired or logged, not refused ------------------------------------


def _log(root: Path) -> pd.DataFrame:
    return pd.read_json(root / "processed" / "cleaning_log.json")


def _logged(rule: str, count: int | None = None, **where: str) -> Callable[[Path], None]:
    def check(root: Path) -> None:
        log = _log(root)
        entries = log[log["rule"] == rule]
        for column, value in where.items():
            entries = entries[entries[column].astype(str).str.contains(value, regex=False)]
        assert not entries.empty, f"no {rule!r} entry in the cleaning log"
        if count is not None:
            assert int(entries["rows"].sum()) == count

    return check


def _comments_read_as(expected: str) -> Callable[[Path], None]:
    def check(root: Path) -> None:
        survey = pd.read_parquet(root / "processed" / "survey.parquet")
        assert expected in set(survey["comment"].dropna()), sorted(survey["comment"].dropna())

    return check


def _one_psu_per_stratum(root: Path) -> None:
    """Every respondent its own stratum and PSU: the design leaves no degrees of freedom."""
    path = root / "raw" / SURVEY_DATA
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame["STRATUM"] = "s" + frame["ID"]
    frame["PSU"] = "p" + frame["ID"]
    frame.to_csv(path, index=False, encoding="utf-8")
    _book(
        SURVEY_BOOK,
        lambda b: b["variables"].update(
            stratum={"source": "STRATUM", "type": "string"},
            psu={"source": "PSU", "type": "string"},
        ),
    )(root)


def _all_missing(column: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "raw" / SURVEY_DATA
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame[column] = "99"
        frame.to_csv(path, index=False, encoding="utf-8")

    return edit


# The corpus ----------------------------------------------------------------------------------

RSF = "indicators/rsf_press_freedom/2025.csv"
KOI8 = "Скорее доверяю телевидению"

CASES = [
    # Tracebacks before: each is now a clear error.
    Case("codebook-not-utf8", _text(SURVEY_BOOK, str, "cp1251"), 2, ("not UTF-8", "Save as")),
    Case("header-rows-word", _dataset(header_rows="two"), 2, ("header_rows", "whole number")),
    Case("unknown-encoding", _dataset(encoding="utf-99"), 2, ("dataset.encoding", "utf-99")),
    Case(
        "csv-saved-as-xlsx",
        lambda r: (
            shutil.copy(r / "raw" / SURVEY_DATA, r / "raw/survey/x.xlsx"),
            _dataset(file="x.xlsx", format="excel")(r),
        ),
        2,
        ("not a readable Excel", "x.xlsx"),
    ),
    Case("age-1e308", _cell(SURVEY_DATA, 0, "Q3", "1e308"), 2, ("'Q3'", "too large", "rows 1")),
    Case("file-parent-path", _dataset(file="../../secret.csv"), 2, ("dataset.file", "beside")),
    Case("file-absolute-path", _dataset(file="/etc/passwd"), 2, ("dataset.file", "beside")),
    Case("dataset-name-slash", _dataset(name="kaz/2025"), 2, ("dataset.name", "letters")),
    Case("processed-dir-is-file", _file_as("processed"), 2, ("--processed-dir", "is a file")),
    Case("reports-dir-is-file", _file_as("reports"), 2, ("--reports-dir", "is a file"), "build"),
    Case(
        "notebooks-dir-missing",
        _nothing,
        2,
        ("--notebooks-dir", "no such folder"),
        "build",
        ("--notebooks-dir", "{root}/nowhere"),
    ),
    Case(
        "log-file-folder-missing",
        _nothing,
        2,
        ("--log-file", "does not exist"),
        "build",
        ("--log-file", "{root}/nowhere/build.log"),
    ),
    Case(
        "raw-dir-missing",
        _nothing,
        2,
        ("--raw-dir", "no such folder"),
        "clean",
        ("--raw-dir", "{root}/nowhere"),
    ),
    # Silent garbage before: each is now refused, or repaired and logged.
    Case(
        "duplicate-yaml-key",
        _text(SURVEY_BOOK, lambda t: t.replace("missing:\n", "missing:\n  98: refused\n", 1)),
        2,
        ("98", "appears twice"),
    ),
    Case("yaml-alias-bomb", _alias_bomb, 2, ("aliases", "not accepted")),
    Case(
        "koi8-r-csv",
        _text(
            SURVEY_DATA,
            lambda t: t.replace("Хороший опрос", KOI8).replace(
                "пишите a.b@mail.kz", "Газеты читаю каждый день"
            ),
            "koi8-r",
        ),
        0,
        (),
        check=_comments_read_as(KOI8),
    ),
    Case(
        "cp1252-csv",
        _text(
            SURVEY_DATA,
            lambda t: re.sub(
                "[А-яЁё][А-яЁё ]*", "Kazakhstan", t.replace("Хороший опрос", "Très bien José")
            ),
            "cp1252",
        ),
        0,
        (),
        check=_comments_read_as("Très bien José"),
    ),
    Case(
        "duplicate-columns",
        _text(SURVEY_DATA, lambda t: t.replace("Q21", "Q3", 1)),
        2,
        ("'Q3'", "more than once"),
    ),
    Case(
        "nul-bytes",
        _text(SURVEY_DATA, lambda t: t.replace("Хороший", "Хоро\x00ший")),
        2,
        ("NUL", "line 2"),
    ),
    Case(
        "unparseable-dates",
        _cell(CONTENT_DATA, 0, "Дата", "31.02.2024x"),
        0,
        (),
        check=_logged("dates_unparsed", 1, detail="31.02.2024x"),
    ),
    Case("dataset-name-clash", _copy_book, 2, ("also used by", "dataset.name")),
    Case("synthetic-quoted-no", _dataset(synthetic="no"), 2, ("synthetic", "true or false")),
    Case(
        "pii-flag-word",
        _book(SURVEY_BOOK, lambda b: b["variables"]["comment"].update(pii="yes")),
        2,
        ("comment.pii", "true or false"),
    ),
    # Types: each would have crashed in the loader (dict(5), a list for a mapping).
    Case(
        "label-a-number",
        _book(SURVEY_BOOK, lambda b: b["variables"]["age"].update(label=5)),
        2,
        ("variables.age.label", "a mapping"),
    ),
    Case(
        "range-as-text",
        _book(SURVEY_BOOK, lambda b: b["variables"]["age"].update(range="16-100")),
        2,
        ("variables.age.range", "a list"),
    ),
    Case(
        "variables-a-list",
        _book(SURVEY_BOOK, lambda b: b.update(variables=["resp_id"])),
        2,
        ("variables", "a mapping"),
    ),
    Case(
        "scale-a-list",
        _book(SURVEY_BOOK, lambda b: b["scales"].update(trust4=[1, 2, 3, 4])),
        2,
        ("scales.trust4", "a mapping"),
    ),
    Case("min-n-negative", _nothing, 2, ("--min-n", "at least 1"), "build", ("--min-n", "-1")),
    Case("lang-empty", _nothing, 2, ("--lang", "no language"), "build", ("--lang", "")),
    Case("workers-zero", _nothing, 2, ("--workers", "at least 1"), "build", ("--workers", "0")),
    Case(
        "weight-1e308",
        _cell(SURVEY_DATA, 0, "WEIGHT", "1e308"),
        2,
        ("1e+308", "times the median", "rows 1"),
    ),
    Case(
        "weight-negative",
        _cell(SURVEY_DATA, 1, "WEIGHT", "-2"),
        2,
        ("positive and finite", "rows 2"),
    ),
    Case(
        "weight-infinite",
        _cell(SURVEY_DATA, 3, "WEIGHT", "inf"),
        2,
        ("positive and finite", "rows 4"),
    ),
    Case(
        "date-unparseable-survey",
        lambda r: _book(
            SURVEY_BOOK,
            lambda b: (
                b["variables"].update(interview_date={"source": "Q21", "type": "date"})
                or b["variables"].pop("comment")
            ),
        )(r),
        0,
        (),
        check=_logged("dates_unparsed", 4, dataset="mini_utf8"),
    ),  # the 4 comments
    # Reports of odd designs and items: words, never "nan".
    Case(
        "one-psu-per-stratum",
        _one_psu_per_stratum,
        0,
        ("single PSU", "no confidence interval"),
        report=True,
    ),
    Case("all-missing-item", _all_missing("M1"), 0, ("MIL",), report=True),
    Case(
        "setting-min-n-word",
        _settings("reports:\n  min_n: thirty\n"),
        2,
        ("reports.min_n", "whole number"),
    ),
    Case(
        "setting-min-n-negative",
        _settings("reports:\n  min_n: -1\n"),
        2,
        ("reports.min_n", "out of range"),
    ),
    Case(
        "setting-list-as-word",
        _settings("survey:\n  exclude_flags: qc_speeder\n"),
        2,
        ("survey.exclude_flags", "list"),
    ),
    # Data lost before: now an error.
    Case("rsf-truncated", _truncate_rsf, 2, ("2025.csv", "truncated")),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The valid project every row edits a copy of."""
    root = tmp_path_factory.mktemp("base")
    raw = root / "raw"
    shutil.copytree(RAW_DIR / "indicators", raw / "indicators")
    (raw / "survey").mkdir()
    (raw / "content").mkdir()
    for rel in (SURVEY_BOOK, SURVEY_DATA, CONTENT_BOOK, CONTENT_DATA):
        shutil.copy(FIXTURES / rel, raw / rel)
    # Declared real data, as a user's own would be.
    for rel in (SURVEY_BOOK, CONTENT_BOOK):
        _dataset(rel, synthetic=False)(root)
    return root


def _report_text(root: Path) -> str:
    """Every section of the KAZ report rendered from the processed folder, as plain text."""
    from milresearch.reports import country

    report = country.open_report(root / "processed", "KAZ", "en", min_n=5, cache=False)
    page = " ".join(str(report.section(name).html) for name in report.sections)
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _run(root: Path, case: Case, capsys) -> tuple[int, str]:
    args = [a.format(root=root) for a in case.args]
    argv = [case.command, "--raw-dir", str(root / "raw"), "--quiet"]
    if "--raw-dir" in args:
        argv = [case.command, "--quiet"]
    if case.command != "check":
        argv += ["--processed-dir", str(root / "processed")]
    if case.command == "build":
        argv += ["--reports-dir", str(root / "reports"), "--countries", "KAZ", "--no-regional"]
    settings = root / "cleaning.yml"
    if settings.exists() and case.command != "check":
        argv += ["--settings", str(settings)]
    code = main(argv + args)
    out = capsys.readouterr()
    text = out.out + out.err
    if case.report and code == 0:
        text += _report_text(root)
    return code, text


def test_the_base_project_is_valid(base, tmp_path, capsys):
    root = tmp_path / "p"
    shutil.copytree(base, root)
    code, text = _run(root, Case("valid", _nothing, 0, ()), capsys)
    assert code == 0, text


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_bad_input_gets_a_clear_message_and_no_traceback(case, base, tmp_path, capsys):
    root = tmp_path / "p"
    shutil.copytree(base, root)
    case.edit(root)
    code, text = _run(root, case, capsys)
    assert "Traceback" not in text
    assert code == case.code, text
    for word in case.words:
        assert word in text, text
    if case.report:
        assert not re.search(r"\bnan\b|\bNaN\b", text), text
    if code == 2:
        assert "What to do" in text, text
    elif not case.report:
        assert case.check is not None, "a case that passes must check its output"
        case.check(root)


def test_the_corpus_covers_every_reported_case():
    assert len({c.name for c in CASES}) == len(CASES)
    assert len(CASES) == 40


def _tmpfs(path: Path, options: str):
    """A real small or read-only disk (needs root and mount, as in this project's CI)."""
    import subprocess

    path.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield path
    subprocess.run(["umount", str(path)], capture_output=True, timeout=30, check=False)


@pytest.fixture
def full_disk(tmp_path):
    yield from _tmpfs(tmp_path / "full", "size=64k")


@pytest.fixture
def read_only_disk(tmp_path):
    yield from _tmpfs(tmp_path / "ro", "ro,size=64k")


@pytest.mark.parametrize("command", ["clean", "build"])
def test_a_read_only_output_folder_is_refused_before_any_work(
    base, read_only_disk, capsys, command
):
    flag = "--processed-dir" if command == "clean" else "--reports-dir"
    code = main(
        [command, "--raw-dir", str(base / "raw"), flag, str(read_only_disk / "out"), "--quiet"]
    )
    text = capsys.readouterr().err
    assert code == 2, text
    assert "Traceback" not in text
    assert flag in text and "Read-only file system" in text and "What to do" in text


def test_a_full_disk_is_a_clear_error_and_leaves_no_staging(base, tmp_path, full_disk, capsys):
    root = tmp_path / "p"
    shutil.copytree(base, root)
    code = main(
        ["clean", "--raw-dir", str(root / "raw"), "--processed-dir", str(full_disk), "--quiet"]
    )
    text = capsys.readouterr().err
    assert code == 2, text
    assert "Traceback" not in text
    assert "No space left on device" in text and "free disk space" in text
    left = [p.relative_to(full_disk) for p in full_disk.rglob("*")]
    assert [p for p in left if p.name.startswith(".") and p.name not in (".cache", "lock")] == []
    assert not (full_disk / "manifest.json").exists()


def test_an_unexpected_error_is_a_short_message_and_its_traceback_goes_to_a_log(
    base, tmp_path, capsys, monkeypatch
):
    # A bug cannot be had for real on purpose: one is planted in the coverage report.
    from milresearch.ingest import coverage

    def broken(raw_dir):
        raise RuntimeError("planted bug")

    monkeypatch.setattr(coverage, "describe_project", broken)
    code = main(["check", "--raw-dir", str(base / "raw")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "unexpected RuntimeError: planted bug" in err
    log = Path(re.search(r"the log (\S+)", err).group(1))
    assert "Traceback" in log.read_text(encoding="utf-8") and "planted bug" in log.read_text()
    log.unlink()
