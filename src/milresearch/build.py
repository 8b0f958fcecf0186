"""The batch runner: execute report notebooks with papermill, render them with nbconvert.

Each report is a task with a key made of everything it depends on (the notebook, its
parameters, the fingerprint of its country's processed data, the package source and the locked
dependencies). A task whose key is unchanged and whose HTML exists is skipped. Tasks run in a
pool of worker processes, each in its own working directory; outputs are written atomically and
a failed report keeps its last good HTML.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from milresearch import __version__, storage
from milresearch.errors import DataError
from milresearch.manifest import read_manifest
from milresearch.paths import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR, RESOURCES_DIR, ROOT

COUNTRY_NOTEBOOK = "country_report.ipynb"
REGIONAL_NOTEBOOK = "regional_report.ipynb"
STATE_FILE = ".build/state.json"
LOCK_FILES = ("requirements.lock", "pyproject.toml")


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


@dataclass
class TaskResult:
    """What happened to one task."""

    slug: str
    name: str
    lang: str
    status: str
    """``built``, ``up to date`` or ``failed``."""
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

    @property
    def failed(self) -> list[TaskResult]:
        """The tasks that failed."""
        return [r for r in self.results if r.status == "failed"]


def source_fingerprint() -> str:
    """Hash of the package's own source and resources and the locked dependency versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yml", ".css", ".j2", ".json"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    for name in LOCK_FILES:
        lock = ROOT / name
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
            params = {"country": country, "lang": lang, "processed_dir": str(processed_dir),
                      "min_n": min_n}  # fmt: skip
            tasks.append(
                ReportTask(country, lang, COUNTRY_NOTEBOOK, params, keys.get(country, ""))
            )
        if regional:
            params = {"lang": lang, "processed_dir": str(processed_dir), "min_n": min_n}
            tasks.append(
                ReportTask("regional", lang, REGIONAL_NOTEBOOK, params, keys.get("ALL", ""))
            )
    return tasks


LOCK_FILE = ".build/lock"


@contextlib.contextmanager
def build_lock(reports_dir: Path):
    """Hold an exclusive lock on the reports folder; a second build gets a clear error.

    The lock is an OS file lock, so it is released even when a build is killed.
    """
    path = reports_dir / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise DataError(
                f"another build is running ({holder})",
                path=reports_dir,
                hint="wait for it to finish; two builds at once would overwrite each other's files",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool}


@functools.cache
def _declared_parameters(path: str, mtime_ns: int) -> dict:
    import papermill as pm

    return pm.inspect_notebook(path)


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
        expected = _TYPES.get(declared[name]["inferred_type_name"])
        if expected and (
            not isinstance(value, expected) or isinstance(value, bool) != (expected is bool)
        ):
            raise DataError(
                f"parameter {name!r} must be {declared[name]['inferred_type_name']}, got {value!r}",
                path=notebooks_dir / task.notebook,
                hint="fix the value on the command line",
            )


def _toc(html: str, title: str) -> str:
    """Fill the report's table-of-contents placeholder from its section headings."""
    heads = re.findall(r'<h2 class="mr-section" id="([^"]+)">(.*?)</h2>', html)
    items = "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in heads)
    nav = f"<strong>{title}</strong><ol>{items}</ol>"
    # nbconvert re-serialises output HTML, so attributes may come in any order.
    pattern = r'(<nav\b[^>]*\bclass="mr-toc"[^>]*>)(</nav>)'
    return re.sub(pattern, lambda m: m.group(1) + nav + m.group(2), html, count=1)


def render_html(notebook_path: Path, lang: str = "en") -> str:
    """Render an executed notebook to self-contained HTML with no code cells."""
    import nbformat
    from nbconvert import HTMLExporter

    from milresearch.i18n import t

    exporter = HTMLExporter(
        template_name="milreport",
        extra_template_basedirs=[str(RESOURCES_DIR / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb = nbformat.read(notebook_path, as_version=4)
    resources = {
        "milreport_css": (RESOURCES_DIR / "report.css").read_text(encoding="utf-8"),
        "language_code": lang,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _toc(body, t("report.toc", lang))


def _ipc_kernel_manager():
    """A kernel manager talking to its kernel over IPC sockets in the task's own directory.

    IPC keeps the sockets off the network, so the kernel has nothing to warn about and parallel
    tasks cannot collide on ports.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

    return IPCKernelManager


def run_task(
    task: ReportTask, notebooks_dir: Path, reports_dir: Path, timeout: int | None
) -> TaskResult:
    """Execute and render one report in its own working directory; never raises."""
    import papermill as pm

    start = time.perf_counter()
    result = TaskResult(task.slug, task.name, task.lang, "built")
    workdir = Path(tempfile.mkdtemp(prefix=f"milresearch-{task.name}-"))
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
            kernel_manager_class=_ipc_kernel_manager(),
        )
        html = render_html(executed, task.lang)
        storage.write_text(task.html_path(reports_dir), html)
        storage.write_bytes(task.executed_path(reports_dir), executed.read_bytes())
        failed_copy = task.executed_path(reports_dir).with_suffix(".failed.ipynb")
        failed_copy.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - a report's failure must never stop the batch
        result.status = "failed"
        result.error = _describe(exc)
        result.cell = getattr(exc, "exec_count", None)
        if executed.exists():
            keep = task.executed_path(reports_dir).with_suffix(".failed.ipynb")
            storage.write_bytes(keep, executed.read_bytes())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.seconds = round(time.perf_counter() - start, 2)
    result.built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result.html = str(task.html_path(reports_dir).relative_to(reports_dir / "html"))
    return result


def _describe(exc: Exception) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {getattr(exc, 'evalue', '')}".strip()
    lines = traceback.format_exception_only(type(exc), exc)
    return lines[-1].strip()


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
    on_result=lambda result, done, total: None,
) -> BuildSummary:
    """Build the tasks that are out of date, in parallel, and update the index page."""
    with build_lock(reports_dir):
        return _build_locked(tasks, notebooks_dir, reports_dir, force, workers, timeout, on_result)


def _build_locked(tasks, notebooks_dir, reports_dir, force, workers, timeout, on_result):
    started = time.perf_counter()
    state = load_state(reports_dir)
    fingerprint = source_fingerprint()
    summary = BuildSummary()
    todo = []
    results: dict[str, TaskResult] = {}
    for task in tasks:
        key = task_key(task, notebooks_dir, fingerprint)
        previous = state.get(task.slug, {})
        fresh = previous.get("key") == key and previous.get("status") in ("built", "up to date")
        if fresh and not force and task.html_path(reports_dir).exists():
            res = TaskResult(task.slug, task.name, task.lang, "up to date", key=key,
                             built_at=previous.get("built_at", ""), html=previous.get("html", ""))  # fmt: skip
            results[task.slug] = res
            on_result(res, len(results), len(tasks))
        else:
            todo.append((task, key))
    # Only reports that will run are checked: an up-to-date one was checked when it was built.
    for task, _ in todo:
        validate_parameters(task, notebooks_dir)
    if todo:
        _run_all(
            todo,
            notebooks_dir,
            reports_dir,
            workers,
            timeout,
            results,
            state,
            on_result,
            len(tasks),
        )
    summary.results = [results[t.slug] for t in tasks]
    for res in summary.results:
        entry = state.get(res.slug, {})
        if res.status == "failed":
            entry.update(status="failed", error=res.error, failed_at=res.built_at, html=res.html)
        else:
            entry.update(status=res.status, key=res.key, built_at=res.built_at, html=res.html,
                         seconds=res.seconds or entry.get("seconds", 0))  # fmt: skip
        state[res.slug] = entry
    storage.write_text(reports_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True))
    write_index(reports_dir, state)
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _run_all(todo, notebooks_dir, reports_dir, workers, timeout, results, state, on_result, total):
    if workers <= 1 or len(todo) == 1:
        for task, key in todo:
            res = run_task(task, notebooks_dir, reports_dir, timeout)
            res.key = key
            results[task.slug] = res
            on_result(res, len(results), total)
        return
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {
            pool.submit(run_task, task, notebooks_dir, reports_dir, timeout): (task, key)
            for task, key in todo
        }
        try:
            for future in cf.as_completed(futures):
                task, key = futures[future]
                try:
                    res = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a worker process that died
                    res = TaskResult(
                        task.slug, task.name, task.lang, "failed", error=_describe(exc)
                    )
                res.key = key
                results[task.slug] = res
                on_result(res, len(results), total)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def write_index(reports_dir: Path, state: dict) -> Path:
    """Write ``reports/html/index.html``: every report with language, build time and status."""
    from milresearch.render import esc

    rows = []
    for slug in sorted(state, key=lambda s: (s.split("/")[0], s.split("/")[1] == "regional", s)):
        entry = state[slug]
        lang, name = slug.split("/", 1)
        html_rel = entry.get("html") or f"{lang}/{name}.html"
        exists = (reports_dir / "html" / html_rel).exists()
        status = entry.get("status", "")
        if status == "failed":
            shown = "failed — showing the last good version" if exists else "failed"
        else:
            shown = "ok"
        link = f'<a href="{esc(html_rel)}">{esc(name)}</a>' if exists else esc(name)
        rows.append(
            f"<tr><td>{link}</td><td>{esc(lang)}</td><td>{esc(entry.get('built_at', ''))}</td>"
            f"<td class='status-{esc(status.replace(' ', '-'))}'>{esc(shown)}</td>"
            f"<td>{esc(entry.get('error', '') if status == 'failed' else '')}</td></tr>"
        )
    css = (RESOURCES_DIR / "report.css").read_text(encoding="utf-8")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>milresearch reports</title>
<style>{css}</style></head>
<body class="jp-Notebook"><main>
<header class="mr-header"><h1>milresearch reports</h1>
<div class="mr-meta">milresearch {esc(__version__)} · index written
{esc(dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))}</div></header>
<table class="mr-table"><thead><tr><th>Report</th><th>Language</th><th>Built (UTC)</th>
<th>Status</th><th>Last error</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></main></body></html>
"""
    target = reports_dir / "html" / "index.html"
    storage.write_text(target, page)
    return target


def summary_table(summary: BuildSummary) -> str:
    """A plain-text table of the build for the terminal."""
    lines = [f"{'report':<14}{'status':<12}{'seconds':>8}  detail"]
    for r in summary.results:
        detail = r.error if r.status == "failed" else r.html
        if r.status == "failed" and r.cell is not None:
            detail = f"cell {r.cell}: {detail}"
        seconds = f"{r.seconds:.1f}" if r.status == "built" or r.status == "failed" else "-"
        lines.append(f"{r.slug:<14}{r.status:<12}{seconds:>8}  {detail}")
    return "\n".join(lines)


def result_dict(result: TaskResult) -> dict:
    """A task result as plain data (for logs)."""
    return asdict(result)
