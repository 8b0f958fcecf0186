"""The batch build: run every out-of-date report task and record what happened.

Each report is a task (:mod:`milresearch.build.tasks`) with a key made of everything it depends
on. A task whose key is unchanged and whose HTML exists is skipped. The rest run through an
executor (:mod:`milresearch.build.executors`), each in its own working directory, in a kernel
forked from a warm template (:mod:`milresearch.build.kernels`); the notebook is rendered by
:mod:`milresearch.build.html`. Outputs are written atomically and a failed report keeps its
last good HTML; the index page (:mod:`milresearch.build.index`) lists them all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from milresearch import storage
from milresearch.build.executors import EXECUTORS
from milresearch.build.html import page_title, render_html
from milresearch.build.index import write_index
from milresearch.build.tasks import (
    BuildSummary,
    ReportTask,
    TaskResult,
    TaskStatus,
    describe_error,
    source_fingerprint,
    task_key,
    validate_parameters,
)
from milresearch.clean.manifest import read_manifest
from milresearch.errors import DataError
from milresearch.paths import NOTEBOOKS_DIR, REPORTS_DIR

STATE_FILE = ".build/state.json"

LOCK_FILE = ".build/lock"


def build_lock(reports_dir: Path):
    """Hold the reports folder's lock; a second build gets a clear error."""
    return storage.folder_lock(reports_dir, "build", LOCK_FILE)


def run_task(
    task: ReportTask,
    notebooks_dir: Path,
    reports_dir: Path,
    timeout: int | None,
    workroot: str | None = None,
    warm: bool = False,
) -> TaskResult:
    """Execute and render one report in its own working directory; never raises.

    Args:
        task: The report.
        notebooks_dir: Where its notebook is.
        reports_dir: Where its outputs go.
        timeout: Seconds a cell may run.
        workroot: The folder the working directory is made in (default: the temp folder).
        warm: Fork the kernel from this process's warm template (:mod:`milresearch.build.kernels`).
    """
    from milresearch.build import kernels

    start = time.perf_counter()
    if warm:
        # Started before papermill is imported, so that both imports run at once.
        kernels.Template.get()
    import papermill as pm

    from milresearch.build.engine import ENGINE_NAME

    result = TaskResult(task.slug, task.name, task.lang, TaskStatus.BUILT)
    workdir = Path(tempfile.mkdtemp(prefix=f"milresearch-{task.name}-", dir=workroot))
    executed = workdir / "executed.ipynb"
    try:
        pm.execute_notebook(
            str(notebooks_dir / task.notebook),
            str(executed),
            parameters=task.parameters,
            cwd=str(workdir),
            progress_bar=False,
            execution_timeout=timeout,
            kernel_name="python3",
            engine_name=ENGINE_NAME,
            kernel_manager_class=kernels.kernel_manager_class(warm),
        )
        html = render_html(executed, task.lang, page_title(task.name, task.lang))
        storage.write_text(task.html_path(reports_dir), html)
        storage.write_bytes(task.executed_path(reports_dir), executed.read_bytes())
        if task.qa:
            _write_qa_page(task, reports_dir, result)
        failed_copy = task.executed_path(reports_dir).with_suffix(".failed.ipynb")
        failed_copy.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - a report's failure must never stop the batch
        result.status = TaskStatus.FAILED
        result.error = describe_error(exc, timeout)
        result.cell = getattr(exc, "exec_count", None)
        if executed.exists():
            # A dead kernel or a timeout carries no cell; papermill marked the one it ran.
            result.cell = result.cell or _last_started_cell(executed)
            keep = task.executed_path(reports_dir).with_suffix(".failed.ipynb")
            storage.write_bytes(keep, executed.read_bytes())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.seconds = round(time.perf_counter() - start, 2)
    result.built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result.html = str(task.html_path(reports_dir).relative_to(reports_dir / "html"))
    return result


def _write_qa_page(task: ReportTask, reports_dir: Path, result: TaskResult) -> None:
    """The country's internal QA page, from the analysis frames its report just cached.

    Written in the worker that built the report, so the pages are made in parallel.
    """
    from milresearch.reports import qa

    try:
        page = qa.qa_page(task.parameters["processed_dir"], task.name, task.parameters["min_n"])
        storage.write_text(task.qa_path(reports_dir), page + "\n")
    except Exception as exc:  # noqa: BLE001 - reported as this task's failure, never raised
        result.status, result.error = TaskStatus.FAILED, f"QA page: {describe_error(exc)}"


def _last_started_cell(executed: Path) -> int | None:
    """The execution count of the last code cell papermill started in an executed notebook."""
    import nbformat

    with contextlib.suppress(Exception):  # a notebook cut short may not parse; no cell then
        cells = nbformat.read(executed, as_version=4).cells
        started = [
            c
            for c in cells
            if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")
        ]
        if started:
            # A kernel killed at once may die before it announces the count: it is the next one.
            before = [c.get("execution_count") or 0 for c in started[:-1]]
            return started[-1].get("execution_count") or max(before, default=0) + 1
    return None


def load_state(reports_dir: Path) -> dict:
    """The record of previous builds: key, status and time per task."""
    path = reports_dir / STATE_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def build_reports(
    tasks: list[ReportTask],
    *,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    reports_dir: Path = REPORTS_DIR,
    force: bool = False,
    workers: int = 1,
    timeout: int | None = 600,
    executor: str = "local",
    scheduler: str | None = None,
    pdf: bool = False,
    warm_kernels: bool = True,
    on_result=lambda result, done, total: None,
    pool=None,
) -> BuildSummary:
    """Build the tasks that are out of date, in parallel, and update the index page.

    Args:
        tasks: The reports to build, from :func:`plan_tasks`.
        notebooks_dir: Where the notebooks are.
        reports_dir: Where the outputs go.
        force: Rebuild even up-to-date reports.
        workers: Reports built at once by the local executor.
        timeout: Seconds a notebook cell may run.
        executor: A key of :data:`EXECUTORS`: ``local`` (a process pool) or ``dask``.
        scheduler: The dask scheduler's address, ``tcp://HOST:PORT`` (dask only).
        pdf: Also print each built report to ``reports/pdf/<lang>/<name>.pdf``.
        warm_kernels: Fork each report's kernel from a template that has done the imports
            (local executor on Linux; see :mod:`milresearch.build.kernels`) instead of starting it
            from scratch. A dask worker lives longer than the package source it imported, so
            its kernels always start from scratch.
        on_result: Called with each result as it comes in.
        pool: Local workers already started (:func:`milresearch.build.executors.start_pool`),
            which then run the reports; the local executor only.

    Raises:
        DataError: For bad parameters, an unknown executor, an unreachable scheduler, a missing
            browser with ``pdf``, or another build holding the reports folder.
    """
    if executor not in EXECUTORS:
        raise DataError(
            f"unknown executor {executor!r}",
            where="--executor",
            hint=f"use one of: {', '.join(EXECUTORS)}",
        )
    from milresearch.build import kernels

    warm = warm_kernels and executor == "local" and kernels.supported()
    options = BuildOptions(
        notebooks_dir=notebooks_dir,
        reports_dir=reports_dir,
        force=force,
        timeout=timeout,
        on_result=on_result,
        pdf=pdf,
        warm_kernels=warm,
        execute=functools.partial(
            EXECUTORS[executor],
            workers=workers,
            scheduler=scheduler,
            **({"pool": pool} if pool is not None else {}),
        ),
        index_lang=tasks[0].lang if tasks else "en",
        synthetic=_any_synthetic(tasks),
    )
    with build_lock(reports_dir):
        try:
            return _build_locked(tasks, options)
        except KeyboardInterrupt:
            _remove_partial_files(reports_dir)
            raise


def _any_synthetic(tasks: list[ReportTask]) -> bool:
    """True when the processed data of any task is declared synthetic in its manifest."""
    folders = {str(t.parameters.get("processed_dir", "")) for t in tasks}
    return any(bool(read_manifest(Path(f)).get("synthetic")) for f in folders if f)


@dataclass(frozen=True)
class BuildOptions:
    """How one build runs (the arguments of :func:`build_reports`, bundled)."""

    notebooks_dir: Path
    reports_dir: Path
    force: bool
    timeout: int | None
    on_result: Callable[[TaskResult, int, int], None]
    pdf: bool
    warm_kernels: bool
    execute: Callable[..., Generator[tuple[ReportTask, TaskResult]]]
    index_lang: str = "en"
    """The index page's language: that of the build's first report."""
    synthetic: bool = False
    """Any report reads data declared synthetic: the index carries the banner."""
    """Runs a callable on each task and yields ``(task, result)`` as they finish."""


def _build_locked(tasks: list[ReportTask], opts: BuildOptions) -> BuildSummary:
    started = time.perf_counter()
    state = load_state(opts.reports_dir)
    fingerprint = source_fingerprint()
    results: dict[str, TaskResult] = {}
    pages: list[str] = []
    todo = []
    for task in tasks:
        key = task_key(task, opts.notebooks_dir, fingerprint)
        previous = state.get(task.slug, {})
        fresh = previous.get("key") == key and previous.get("status") in (
            TaskStatus.BUILT,
            TaskStatus.UP_TO_DATE,
        )
        outputs = [task.html_path(opts.reports_dir)]
        outputs += [task.qa_path(opts.reports_dir)] if task.qa else []
        if fresh and not opts.force and all(p.exists() for p in outputs):
            res = TaskResult(
                task.slug,
                task.name,
                task.lang,
                TaskStatus.UP_TO_DATE,
                key=key,
                built_at=previous.get("built_at", ""),
                html=previous.get("html", ""),
            )
            results[task.slug] = res
            opts.on_result(res, len(results), len(tasks))
        else:
            todo.append((task, key))
    # Only reports that will run are checked: an up-to-date one was checked when it was built.
    for task, _ in todo:
        validate_parameters(task, opts.notebooks_dir)
    if opts.pdf:
        from milresearch.build import pdf

        pdf.require_browser()  # before any kernel starts, not after an hour of building
    try:
        if todo:
            _run_all(todo, opts, results, len(tasks))
        if opts.pdf:
            from milresearch.build import pdf

            pdf.print_reports(tasks, results, opts.reports_dir)
        pages = _write_observatory(tasks, opts)
    finally:
        # Also on Ctrl-C: reports finished so far are recorded and are not rebuilt next time.
        _save_state(state, [results[t.slug] for t in tasks if t.slug in results], opts)
    summary = BuildSummary([results[t.slug] for t in tasks], pages=pages)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


OBSERVATORY_STATE = ".build/observatory.json"


def _write_observatory(tasks: list[ReportTask], opts: BuildOptions) -> list[str]:
    """The catalog, tracker and evidence-map pages, from the processed data the reports read."""
    from milresearch.build import observatory

    folders = sorted({str(t.parameters.get("processed_dir", "")) for t in tasks} - {""})
    if not folders:
        return []
    path = opts.reports_dir / OBSERVATORY_STATE
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    written = observatory.write_pages(Path(folders[0]), opts.reports_dir, state, force=opts.force)
    if written:
        storage.write_text(path, json.dumps(state, indent=1, sort_keys=True))
    return written


def _save_state(state: dict, done: list[TaskResult], opts: BuildOptions) -> None:
    for res in done:
        entry = state.get(res.slug, {})
        if res.status == TaskStatus.FAILED:
            entry.update(
                status=str(TaskStatus.FAILED),
                error=res.error,
                failed_at=res.built_at,
                html=res.html,
            )
        else:
            entry.update(
                status=str(res.status),
                key=res.key,
                built_at=res.built_at,
                html=res.html,
                seconds=res.seconds or entry.get("seconds", 0),
            )
            if res.status == TaskStatus.BUILT or "html_sha256" not in entry:
                # What the index compares the file on disk with after a later failed run.
                page = opts.reports_dir / "html" / res.html
                entry["html_sha256"] = storage.sha256_file(page) if page.exists() else ""
        state[res.slug] = entry
    storage.write_text(opts.reports_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True))
    write_index(opts.reports_dir, state, opts.index_lang, synthetic=opts.synthetic)


def _run_all(todo, opts: BuildOptions, results: dict, total: int) -> None:
    keys = {task.slug: key for task, key in todo}
    run = functools.partial(
        run_task,
        notebooks_dir=opts.notebooks_dir,
        reports_dir=opts.reports_dir,
        timeout=opts.timeout,
        warm=opts.warm_kernels,
    )
    # closing(): an exception in on_result must still stop the executor's workers.
    with contextlib.closing(opts.execute([task for task, _ in todo], run)) as finished:
        for task, res in finished:
            res.key = keys[task.slug]
            results[task.slug] = res
            opts.on_result(res, len(results), total)


def _remove_partial_files(reports_dir: Path) -> None:
    """Delete temporary files of atomic writes cut short by an interrupt (we hold the lock)."""
    storage.remove_stale(
        reports_dir, *(f"{sub}/**/.*.tmp" for sub in ("html", "notebooks", "pdf", "qa", ".build"))
    )
