"""The ``milresearch`` command: sample-data, check, clean, build."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from milresearch import __version__, storage
from milresearch.errors import DataError
from milresearch.paths import NOTEBOOKS_DIR, PROCESSED_DIR, RAW_DIR, REPORTS_DIR
from milresearch.settings import SETTINGS_FILE

WARNED_RULES = ("qc_warning", "sample_skipped")
"""Cleaning-log rules printed as warnings after every clean, even with --quiet."""


def _print(quiet: bool, *args) -> None:
    if not quiet:
        print(*args, flush=True)


def cmd_sample_data(args: argparse.Namespace) -> int:
    """Regenerate the synthetic sample survey and content data (bit-for-bit reproducible)."""
    from milresearch.sample.content_files import write_sample_content
    from milresearch.sample.survey_files import write_sample_survey

    raw = Path(args.raw_dir)
    written = write_sample_survey(raw / "sample" / "survey", seed=args.seed)
    written += write_sample_content(raw / "sample" / "content", seed=args.seed)
    for path in written:
        _print(args.quiet, f"wrote {path}")
    return 0


def _clean(args: argparse.Namespace, *, only_if_changed: bool, before=lambda: None) -> bool:
    from tqdm import tqdm

    from milresearch.clean.manifest import is_up_to_date

    raw, processed = Path(args.raw_dir), Path(args.processed_dir)
    if not raw.is_dir():
        raise DataError(
            "no such folder",
            path=raw,
            where="--raw-dir",
            hint="give the folder holding your data files and codebooks (default: data/raw)",
        )
    storage.check_writable(processed, "--processed-dir")
    if only_if_changed and is_up_to_date(raw, processed, Path(args.settings)):
        _print(args.quiet, "clean: processed data is up to date")
        return False
    from milresearch.clean.step import run_clean

    before()
    start = time.perf_counter()
    with tqdm(desc="clean", unit="step", disable=args.quiet, leave=False) as bar:

        def progress(message: str) -> None:
            bar.set_postfix_str(message)
            bar.update(1)

        result = run_clean(raw, processed, Path(args.settings), progress=progress)
    _print(
        args.quiet,
        f"clean: {result.survey_rows:,} respondents, {result.content_rows:,} content items, "
        f"{result.indicator_rows:,} indicator values -> {processed} "
        f"({time.perf_counter() - start:.1f} s, {len(result.cached)} unchanged step(s) from "
        f"cache; log: {processed / 'cleaning_log.json'})",
    )
    for entry in result.log.entries:
        if entry.rule in WARNED_RULES:
            where = " ".join(x for x in (entry.dataset, entry.country) if x)
            print(f"warning: {where + ': ' if where else ''}{entry.detail}", file=sys.stderr)
    return True


def cmd_check(args: argparse.Namespace) -> int:
    """Print what each codebook gives the reports (reads codebooks only, writes nothing)."""
    from milresearch.ingest.coverage import describe_project

    for line in describe_project(Path(args.raw_dir)):
        print(line)
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    """Clean raw data into data/processed (always runs)."""
    _clean(args, only_if_changed=False)
    return 0


def _run_build(args: argparse.Namespace, tasks, log, pool=None):
    from tqdm import tqdm

    from milresearch.build.runner import build_reports

    bar = tqdm(total=len(tasks), desc="reports", unit="report", disable=args.quiet)

    def on_result(result, done, total):
        line = f"{result.slug:<14} {result.status:<11} {result.seconds:6.1f} s"
        if result.status == "failed":
            line += f"  {result.error}"
        bar.update(1)
        if not args.quiet:
            bar.write(line)
        if log:
            log.write(line + "\n")

    try:
        return build_reports(
            tasks,
            notebooks_dir=Path(args.notebooks_dir),
            reports_dir=Path(args.reports_dir),
            force=args.force,
            workers=args.workers,
            timeout=args.timeout,
            executor=args.executor,
            scheduler=args.scheduler,
            pdf=args.pdf,
            warm_kernels=not args.fresh_kernels,
            on_result=on_result,
            pool=pool,
        )
    finally:
        bar.close()


def _build_logged(args: argparse.Namespace, tasks, pool=None):
    with contextlib.ExitStack() as stack:
        log = (
            stack.enter_context(open(args.log_file, "a", encoding="utf-8"))
            if args.log_file
            else None
        )
        return _run_build(args, tasks, log, pool)


def cmd_build(args: argparse.Namespace) -> int:
    """Clean if inputs changed, then build every requested report."""
    from milresearch.build import executors
    from milresearch.build.tasks import plan_tasks, summary_table
    from milresearch.ingest.countries import parse_countries
    from milresearch.reports.i18n import check_language
    from milresearch.settings import load_settings

    countries = parse_countries(args.countries)
    langs = [check_language(lang.strip()) for lang in args.lang.split(",") if lang.strip()]
    if not langs:
        raise DataError("no language given", where="--lang", hint="e.g. --lang en or --lang en,ru")
    for flag, value in (
        ("--workers", args.workers),
        ("--timeout", args.timeout),
        ("--min-n", args.min_n),
    ):
        if value is not None and value < 1:
            raise DataError(
                f"must be at least 1, not {value}",
                where=flag,
                hint="suppression and timeouts cannot be switched off",
            )
    notebooks = Path(args.notebooks_dir)
    if not notebooks.is_dir():
        raise DataError(
            "no such folder",
            path=notebooks,
            where="--notebooks-dir",
            hint="give the folder holding country_report.ipynb (default: notebooks)",
        )
    if args.log_file and not Path(args.log_file).parent.is_dir():
        raise DataError(
            "its folder does not exist",
            path=args.log_file,
            where="--log-file",
            hint="create the folder first, or give a path in an existing one",
        )
    storage.check_writable(Path(args.reports_dir), "--reports-dir")
    storage.check_writable(Path(args.processed_dir), "--processed-dir")
    min_n = args.min_n if args.min_n is not None else load_settings(args.settings).reports.min_n
    from milresearch.clean.manifest import processed_lock

    # The processed folder stays locked while reports read it: a clean cannot swap it mid-build.
    reports = (len(countries) + (not args.no_regional)) * len(langs)
    early = executors.EarlyPool(args.executor, min(args.workers, reports), not args.fresh_kernels)
    with processed_lock(Path(args.processed_dir), "build"), early as workers:
        if args.force:
            workers.start()
        _clean(args, only_if_changed=True, before=workers.start)
        tasks = plan_tasks(
            countries, langs, Path(args.processed_dir), min_n=min_n, regional=not args.no_regional
        )
        summary = _build_logged(args, tasks, workers.pool)
    table = summary_table(summary)
    _print(args.quiet, table)
    built = sum(r.status == "built" for r in summary.results)
    fresh = sum(r.status == "up to date" for r in summary.results)
    reports_dir = Path(args.reports_dir)
    message = (
        f"{built} built, {fresh} up to date, {len(summary.failed)} failed "
        f"in {summary.seconds:.1f} s; index: {reports_dir / 'html' / 'index.html'}; "
        f"internal QA pages (not for publication): {reports_dir / 'qa'}"
    )
    if summary.pages:
        message += f"; observatory pages written: {', '.join(summary.pages)}"
    if fresh == len(summary.results):
        message = f"every report is up to date ({len(summary.results)}); " + message
    print(message, file=sys.stderr if summary.failed else sys.stdout)
    return 1 if summary.failed else 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser (documented in the README)."""
    from milresearch.build.executors import EXECUTORS

    parser = argparse.ArgumentParser(prog="milresearch", description=__doc__)
    parser.add_argument("--version", action="version", version=f"milresearch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument(
            "--raw-dir", default=str(RAW_DIR), help="raw data folder (default: data/raw)"
        )
        p.add_argument("--processed-dir", default=str(PROCESSED_DIR), help="processed data folder")
        p.add_argument(
            "--settings",
            default=str(SETTINGS_FILE),
            help="cleaning and report rules (default: config/cleaning.yml)",
        )
        p.add_argument(
            "--quiet", action="store_true", help="print only errors and the result line"
        )

    p = sub.add_parser("sample-data", help="regenerate the synthetic sample data in data/raw")
    common(p)
    p.add_argument("--seed", type=int, default=2025)
    p.set_defaults(func=cmd_sample_data)

    p = sub.add_parser("clean", help="clean data/raw into data/processed")
    common(p)
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser(
        "check", help="say which report sections the codebooks fill, and what they leave out"
    )
    common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="clean if needed, then build the HTML reports")
    common(p)
    p.add_argument(
        "--countries",
        default="all",
        help="ISO3, ISO2 or English names, comma-separated, or 'all' (default)",
    )
    p.add_argument(
        "--lang", default="en,ru", help="report languages, comma-separated (default: en,ru)"
    )
    p.add_argument("--force", action="store_true", help="rebuild even up-to-date reports")
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="reports built at once (default: number of cores)",
    )
    p.add_argument("--timeout", type=int, default=600, help="seconds a notebook cell may run")
    p.add_argument(
        "--min-n",
        type=int,
        default=None,
        help="suppress estimates with a base below this "
        "(default: reports.min_n in config/cleaning.yml, 30)",
    )
    p.add_argument("--no-regional", action="store_true", help="skip the regional report")
    p.add_argument(
        "--reports-dir", default=str(REPORTS_DIR), help="output folder (default: reports)"
    )
    p.add_argument("--log-file", help="append a line per finished report to this file")
    p.add_argument("--notebooks-dir", default=str(NOTEBOOKS_DIR), help="report notebooks folder")
    p.add_argument(
        "--executor",
        default="local",
        choices=list(EXECUTORS),
        help="where reports run: local worker processes or a dask cluster",
    )
    p.add_argument("--scheduler", help="dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also print each report to reports/pdf/<lang>/<name>.pdf (Chromium)",
    )
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start every kernel from scratch instead of forking it from a worker's "
        "template that has done the imports (about 2 s more per report)",
    )
    p.set_defaults(func=cmd_build)
    return parser


# What to do about an operating-system error, by errno name; the rest get the generic advice.
_OS_HINTS = {
    "ENOSPC": "free disk space (or give another folder) and run again; the last good outputs are kept",
    "EACCES": "fix the permissions, or give a folder you can write to",
    "EROFS": "the disk is read-only: give a folder on a writable disk",
    "ENOTDIR": "a part of this path is a file, not a folder: give a folder",
    "ENOENT": "check the path",
    "EISDIR": "give a file, not a folder",
}


def _describe_os_error(exc: OSError) -> str:
    name = errno.errorcode.get(exc.errno or 0, "")
    hint = _OS_HINTS.get(name, "check the path, the disk and the permissions, then run again")
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}\n  What to do: {hint}"


def _unexpected(exc: BaseException) -> str:
    """Write the traceback to a log file; return the short message a user sees."""
    fd, path = tempfile.mkstemp(prefix="milresearch-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"milresearch {__version__}, {' '.join(sys.argv)}\n")
        handle.write("".join(traceback.format_exception(exc)))
    return (
        f"unexpected {type(exc).__name__}: {exc}\n  What to do: this is a bug in milresearch, "
        f"not in your data; please report it with the log {path}"
    )


def _terminate(signum, frame):
    # SIGTERM (a scheduler, `kill`, a closing terminal) stops the run as Ctrl-C does: kernels are
    # shut down, work folders removed, and outputs written so far stay whole.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line; bad input prints a clear message and exits 2, never a traceback."""
    args = make_parser().parse_args(argv)
    # A process started with SIGTERM ignored (nohup, some CI runners) keeps it ignored.
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.func(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "interrupted: outputs written so far are complete; nothing half-written",
            file=sys.stderr,
        )
        return 130
    except OSError as exc:
        print(f"error: {_describe_os_error(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the one place an unforeseen error is reported
        print(f"error: {_unexpected(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
