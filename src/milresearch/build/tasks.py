"""Report tasks: what to build, the key it is stored under, and what happened to it.

A task is one notebook with its parameters; its key hashes everything the report depends on (the
notebook, its parameters, its country's data key and the ``report`` stage's code fingerprint, see
:mod:`milresearch.stages`). :class:`TaskStatus` says what happened to it.
"""

from __future__ import annotations

import ast
import contextlib
import enum
import functools
import hashlib
import json
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from milresearch import __version__
from milresearch.clean.manifest import read_manifest
from milresearch.errors import DataError
from milresearch.paths import PROCESSED_DIR, ROOT
from milresearch.stages import stage_fingerprint

COUNTRY_NOTEBOOK = "country_report.ipynb"

REGIONAL_NOTEBOOK = "regional_report.ipynb"
LOCK_FILE = "requirements.lock"
"""The locked dependency versions; a report is rebuilt when they change."""


class TaskStatus(enum.StrEnum):
    """What happened to a task (the values are those written to the build state)."""

    BUILT = "built"
    UP_TO_DATE = "up to date"
    FAILED = "failed"


@dataclass(frozen=True)
class ReportTask:
    """One report to build: a notebook, its parameters and where its outputs go."""

    name: str
    """``KAZ`` ... or ``regional``."""
    lang: str
    notebook: str
    parameters: dict
    data_key: str
    """Fingerprint of the processed data this report reads."""
    qa: bool = False
    """Also write the country's internal QA page (one task per country does, whatever the
    language: :mod:`milresearch.reports.qa`)."""

    @property
    def slug(self) -> str:
        """Unique id of the task, e.g. ``en/KAZ``."""
        return f"{self.lang}/{self.name}"

    def html_path(self, reports_dir: Path) -> Path:
        """Where the rendered report goes."""
        return reports_dir / "html" / self.lang / f"{self.name}.html"

    def executed_path(self, reports_dir: Path) -> Path:
        """Where the executed notebook goes."""
        return reports_dir / "notebooks" / self.lang / f"{self.name}.ipynb"

    def qa_path(self, reports_dir: Path) -> Path:
        """Where the internal QA page of a country goes (one per country, whatever the language)."""
        return reports_dir / "qa" / f"{self.name}.html"

    def pdf_path(self, reports_dir: Path) -> Path:
        """Where the printed report goes (with ``--pdf``)."""
        return reports_dir / "pdf" / self.lang / f"{self.name}.pdf"


@dataclass
class TaskResult:
    """What happened to one task."""

    slug: str
    name: str
    lang: str
    status: TaskStatus
    seconds: float = 0.0
    error: str = ""
    cell: int | None = None
    key: str = ""
    built_at: str = ""
    html: str = ""


@dataclass
class BuildSummary:
    """Every task's result, in plan order."""

    results: list[TaskResult] = field(default_factory=list)
    seconds: float = 0.0
    pages: list[str] = field(default_factory=list)
    """Observatory pages (catalog, tracker, evidence map) this build wrote."""

    @property
    def failed(self) -> list[TaskResult]:
        """The tasks that failed."""
        return [r for r in self.results if r.status == TaskStatus.FAILED]


def source_fingerprint() -> str:
    """Hash of the code a report runs, the package version and the locked dependencies."""
    digest = hashlib.sha256(stage_fingerprint("report").encode())
    digest.update(__version__.encode())
    lock = ROOT / LOCK_FILE
    if lock.exists():
        digest.update(lock.read_bytes())
    return digest.hexdigest()


def task_key(task: ReportTask, notebooks_dir: Path, fingerprint: str) -> str:
    """The key a built report is stored under; any change to an input changes it."""
    digest = hashlib.sha256()
    digest.update((notebooks_dir / task.notebook).read_bytes())
    digest.update(json.dumps(task.parameters, sort_keys=True).encode())
    digest.update(task.data_key.encode())
    digest.update(fingerprint.encode())
    return digest.hexdigest()


def plan_tasks(
    countries: list[str],
    langs: list[str],
    processed_dir: Path = PROCESSED_DIR,
    *,
    min_n: int = 30,
    regional: bool = True,
) -> list[ReportTask]:
    """The reports to build: one per country and language, and the regional one per language."""
    keys = read_manifest(processed_dir).get("data_keys", {})
    tasks = []
    for lang in langs:
        for country in countries:
            params = {
                "country": country,
                "lang": lang,
                "processed_dir": str(processed_dir),
                "min_n": min_n,
            }
            first = lang == langs[0]
            tasks.append(
                ReportTask(country, lang, COUNTRY_NOTEBOOK, params, keys.get(country, ""), first)
            )
        if regional:
            params = {"lang": lang, "processed_dir": str(processed_dir), "min_n": min_n}
            tasks.append(
                ReportTask("regional", lang, REGIONAL_NOTEBOOK, params, keys.get("ALL", ""))
            )
    return tasks


_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int,
    "float": (int, float),
    "str": str,
    "bool": bool,
}


@functools.cache
def _declared_parameters(path: str, mtime_ns: int) -> dict:
    import papermill as pm

    return pm.inspect_notebook(path)


def _declared_type(spec: dict) -> str | None:
    """A parameter's type: its annotation, else the type of its literal default."""
    if spec["inferred_type_name"] != "None":
        return spec["inferred_type_name"]
    # papermill infers types from annotations only; `min_n = 30` declares an int all the same.
    with contextlib.suppress(ValueError, SyntaxError, TypeError):
        return type(ast.literal_eval(spec["default"])).__name__
    return None


def validate_parameters(task: ReportTask, notebooks_dir: Path) -> None:
    """Check a task's parameters against the notebook's parameters cell before a kernel starts.

    Raises:
        DataError: For a parameter the notebook does not declare, or a value whose type differs
            from the declared default's.
    """
    path = notebooks_dir / task.notebook
    declared = _declared_parameters(str(path), path.stat().st_mtime_ns)
    for name, value in task.parameters.items():
        if name not in declared:
            raise DataError(
                f"unknown parameter {name!r}",
                path=notebooks_dir / task.notebook,
                hint=f"the notebook declares: {', '.join(declared)}",
            )
        kind = _declared_type(declared[name])
        expected = _TYPES.get(kind) if kind else None
        if expected and (
            not isinstance(value, expected) or isinstance(value, bool) != (expected is bool)
        ):
            raise DataError(
                f"parameter {name!r} must be {kind}, got {value!r}",
                path=notebooks_dir / task.notebook,
                hint="fix the value on the command line",
            )


def describe_error(exc: Exception, timeout: int | None = None) -> str:
    """A one-line reason a task failed, for the summary and the index page."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(exc, CellTimeoutError):
        return f"timed out after {timeout} s"
    if isinstance(exc, DeadKernelError):
        return "the kernel died (killed by a signal, or out of memory)"
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {getattr(exc, 'evalue', '')}".strip()
    lines = traceback.format_exception_only(type(exc), exc)
    return lines[-1].strip()


def failed_run(task: ReportTask, future) -> TaskResult:
    """The task's result, or a failed one when the worker running it crashed."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. a worker process that died
        return TaskResult(
            task.slug,
            task.name,
            task.lang,
            TaskStatus.FAILED,
            error=f"the worker crashed: {describe_error(exc)}",
        )


def summary_table(summary: BuildSummary) -> str:
    """A plain-text table of the build for the terminal."""
    lines = [f"{'report':<14}{'status':<12}{'seconds':>8}  detail"]
    for r in summary.results:
        failed = r.status == TaskStatus.FAILED
        detail = f"cell {r.cell}: {r.error}" if failed and r.cell is not None else r.error
        detail = detail if failed else r.html
        seconds = "-" if r.status == TaskStatus.UP_TO_DATE else f"{r.seconds:.1f}"
        lines.append(f"{r.slug:<14}{r.status:<12}{seconds:>8}  {detail}")
    return "\n".join(lines)


def result_dict(result: TaskResult) -> dict:
    """A task result as plain data (for logs)."""
    return asdict(result)
