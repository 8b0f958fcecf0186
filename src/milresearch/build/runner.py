"""The batch runner: execute report notebooks with papermill, render them with nbconvert.

Each report is a task with a key made of everything it depends on (the notebook, its
parameters, the fingerprint of its country's processed data, the package source and the locked
dependencies). A task whose key is unchanged and whose HTML exists is skipped. Tasks run through
an executor (:data:`EXECUTORS`): a pool of local worker processes or a dask.distributed cluster,
each task in its own working directory; outputs are written atomically and a failed report keeps
its last good HTML.
"""

from __future__ import annotations

import ast
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
import signal
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from milresearch import __version__, storage
from milresearch.clean import manifest
from milresearch.clean.manifest import read_manifest
from milresearch.errors import DataError
from milresearch.paths import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR, ROOT
from milresearch.reports import HERE as REPORT_RESOURCES

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

    def pdf_path(self, reports_dir: Path) -> Path:
        """Where the printed report goes (with ``--pdf``)."""
        return reports_dir / "pdf" / self.lang / f"{self.name}.pdf"


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
    digest = hashlib.sha256(manifest.source_fingerprint().encode())
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
        expected = _TYPES.get(kind)
        if expected and (
            not isinstance(value, expected) or isinstance(value, bool) != (expected is bool)
        ):
            raise DataError(
                f"parameter {name!r} must be {kind}, got {value!r}",
                path=notebooks_dir / task.notebook,
                hint="fix the value on the command line",
            )


EXPLORE_TAG = "explore"
"""Tag of notebook cells that serve exploration in JupyterLab and are left out of the HTML."""


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

    from milresearch.reports.i18n import t

    nb = nbformat.read(notebook_path, as_version=4)
    resources = {
        "milreport_css": (REPORT_RESOURCES / "report.css").read_text(encoding="utf-8"),
        "language_code": lang,
    }
    body, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    return _toc(body, t("report.toc", lang))


@functools.cache
def _html_exporter():
    """One exporter per process: a new one compiles its templates again (0.12 s a report).

    Cells tagged ``explore`` (section headings and frames for JupyterLab) are dropped, so the
    HTML holds only what the report's own cells render.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="milreport",
        extra_template_basedirs=[str(REPORT_RESOURCES / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={EXPLORE_TAG}, enabled=True), enabled=True
    )
    return exporter


def _ipc_kernel_manager(warm: bool = False):
    """A kernel manager talking to its kernel over IPC sockets beside its connection file.

    IPC keeps the sockets off the network, so the kernel has nothing to warn about and parallel
    tasks cannot collide on ports. With ``warm``, python kernels are forked from a template that
    has done the imports (:mod:`milresearch.build.kernels`).
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    from milresearch.build import kernels

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("client_factory")
        def _default_client_factory(self):
            return kernels.ReadyClient if warm else super()._client_factory_default()

        async def _async_pre_start_kernel(self, **kw):
            if warm and self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = kernels.ForkProvisioner(
                    kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
                )
            return await super()._async_pre_start_kernel(**kw)

        async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
            # A kernel ends within milliseconds of its shutdown request; polling every 0.1 s
            # added 0.1 s to every report.
            await super()._async_finish_shutdown(waittime, min(pollinterval, 0.01), restart)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts before every shutdown; a kernel caught between messages
            # then logs a false "KeyboardInterrupt caught in kernel" error into the build's
            # output. The shutdown request, and the kill after it, stop the kernel without it.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


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
    start = time.perf_counter()
    if warm:
        from milresearch.build import kernels

        # Started before papermill is imported, so that both imports run at once.
        kernels.Template.get()
    import papermill as pm

    result = TaskResult(task.slug, task.name, task.lang, "built")
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
            kernel_manager_class=_ipc_kernel_manager(warm),
        )
        html = render_html(executed, task.lang)
        storage.write_text(task.html_path(reports_dir), html)
        storage.write_bytes(task.executed_path(reports_dir), executed.read_bytes())
        failed_copy = task.executed_path(reports_dir).with_suffix(".failed.ipynb")
        failed_copy.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - a report's failure must never stop the batch
        result.status = "failed"
        result.error = _describe(exc, timeout)
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


def _describe(exc: Exception, timeout: int | None = None) -> str:
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


def _last_started_cell(executed: Path) -> int | None:
    """The execution count of the last code cell papermill started in an executed notebook."""
    import nbformat

    with contextlib.suppress(Exception):  # a notebook cut short may not parse; no cell then
        cells = nbformat.read(executed, as_version=4).cells
        started = [c for c in cells if c.cell_type == "code"
                   and c.metadata.get("papermill", {}).get("start_time")]  # fmt: skip
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

    Raises:
        DataError: For bad parameters, an unknown executor, an unreachable scheduler, a missing
            browser with ``pdf``, or another build holding the reports folder.
    """
    if executor not in EXECUTORS:
        raise DataError(f"unknown executor {executor!r}", where="--executor",
                        hint=f"use one of: {', '.join(EXECUTORS)}")  # fmt: skip
    from milresearch.build import kernels

    warm = warm_kernels and executor == "local" and kernels.supported()
    options = BuildOptions(notebooks_dir, reports_dir, force, timeout, on_result, pdf, warm,
                           functools.partial(EXECUTORS[executor], workers=workers,
                                             scheduler=scheduler))  # fmt: skip
    with build_lock(reports_dir):
        try:
            return _build_locked(tasks, options)
        except KeyboardInterrupt:
            _remove_partial_files(reports_dir)
            raise


@dataclass(frozen=True)
class BuildOptions:
    """How one build runs (the arguments of :func:`build_reports`, bundled)."""

    notebooks_dir: Path
    reports_dir: Path
    force: bool
    timeout: int | None
    on_result: object
    pdf: bool
    warm_kernels: bool
    execute: object
    """Runs a callable on each task and yields ``(task, result)`` as they finish."""


def _build_locked(tasks: list[ReportTask], opts: BuildOptions) -> BuildSummary:
    started = time.perf_counter()
    state = load_state(opts.reports_dir)
    fingerprint = source_fingerprint()
    results: dict[str, TaskResult] = {}
    todo = []
    for task in tasks:
        key = task_key(task, opts.notebooks_dir, fingerprint)
        previous = state.get(task.slug, {})
        fresh = previous.get("key") == key and previous.get("status") in ("built", "up to date")
        if fresh and not opts.force and task.html_path(opts.reports_dir).exists():
            res = TaskResult(task.slug, task.name, task.lang, "up to date", key=key,
                             built_at=previous.get("built_at", ""), html=previous.get("html", ""))  # fmt: skip
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
            _print_pdfs(tasks, results, opts.reports_dir)
    finally:
        # Also on Ctrl-C: reports finished so far are recorded and are not rebuilt next time.
        _save_state(state, [results[t.slug] for t in tasks if t.slug in results], opts)
    summary = BuildSummary([results[t.slug] for t in tasks])
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _save_state(state: dict, done: list[TaskResult], opts: BuildOptions) -> None:
    for res in done:
        entry = state.get(res.slug, {})
        if res.status == "failed":
            entry.update(status="failed", error=res.error, failed_at=res.built_at, html=res.html)
        else:
            entry.update(status=res.status, key=res.key, built_at=res.built_at, html=res.html,
                         seconds=res.seconds or entry.get("seconds", 0))  # fmt: skip
        state[res.slug] = entry
    storage.write_text(opts.reports_dir / STATE_FILE, json.dumps(state, indent=1, sort_keys=True))
    write_index(opts.reports_dir, state)


def _run_all(todo, opts: BuildOptions, results: dict, total: int) -> None:
    keys = {task.slug: key for task, key in todo}
    run = functools.partial(run_task, notebooks_dir=opts.notebooks_dir, reports_dir=opts.reports_dir,
                            timeout=opts.timeout, warm=opts.warm_kernels)  # fmt: skip
    # closing(): an exception in on_result must still stop the executor's workers.
    with contextlib.closing(opts.execute([task for task, _ in todo], run)) as finished:
        for task, res in finished:
            res.key = keys[task.slug]
            results[task.slug] = res
            opts.on_result(res, len(results), total)


def _print_pdfs(tasks: list[ReportTask], results: dict, reports_dir: Path) -> None:
    """Print built reports, and up-to-date ones whose PDF is missing or older than the HTML."""
    from milresearch.build import pdf

    wanted = [
        t for t in tasks if results[t.slug].status != "failed" and _pdf_stale(t, reports_dir)
    ]
    if not wanted:
        return
    with pdf.chromium() as browser:
        for task in wanted:
            try:
                pdf.write_pdf(task.html_path(reports_dir), task.pdf_path(reports_dir), browser)
            except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others
                res = results[task.slug]
                res.status, res.error = "failed", f"PDF: {_describe(exc)}"


def _pdf_stale(task: ReportTask, reports_dir: Path) -> bool:
    html, out = task.html_path(reports_dir), task.pdf_path(reports_dir)
    return not out.exists() or out.stat().st_mtime_ns < html.stat().st_mtime_ns


def _remove_partial_files(reports_dir: Path) -> None:
    """Delete temporary files of atomic writes cut short by an interrupt (we hold the lock)."""
    for sub in ("html", "notebooks", "pdf", ".build"):
        for tmp in (reports_dir / sub).rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _failed_run(task: ReportTask, future) -> TaskResult:
    """The task's result, or a failed one when the worker running it crashed."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. a worker process that died
        return TaskResult(task.slug, task.name, task.lang, "failed",
                          error=f"the worker crashed: {_describe(exc)}")  # fmt: skip


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""Thread pools of BLAS and OpenMP, sized per kernel unless the user has set them."""


def _init_worker(parent: int, threads: int) -> None:
    # Ctrl-C reaches the whole process group; the parent decides what happens to workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Each kernel would otherwise start a thread per core: with a kernel per core they fight
    # (7 reports on 2 cores: 26.3 s and 31.6 s with, 22.9 s and 23.3 s without).
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker and its kernel once the build that started it is gone (e.g. SIGKILLed).

    An orphaned worker would otherwise go on writing reports without holding the lock.
    """
    import psutil

    while os.getppid() == parent:
        time.sleep(1)
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    os._exit(1)


def run_local(tasks: list[ReportTask], run, *, workers: int = 1, scheduler: str | None = None):
    """Run tasks in a pool of local worker processes; yield ``(task, result)`` as they finish.

    Every task runs in a worker, even with one worker, so that a kernel that dies or hangs never
    takes the build with it. On an interrupt the workers and their kernels are killed.
    """
    if scheduler:
        raise DataError("--scheduler is only used with --executor dask", where="--scheduler")
    # Working directories go in one folder of the build's, so that it can remove those of
    # workers it had to kill.
    workroot = tempfile.mkdtemp(prefix="milresearch-build-")
    run = functools.partial(run, workroot=workroot)
    ctx = multiprocessing.get_context("spawn")
    size = max(1, min(workers, len(tasks)))
    threads = max(1, (os.cpu_count() or 1) // size)
    pool = cf.ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=_init_worker,
                                  initargs=(os.getpid(), threads))  # fmt: skip
    try:
        futures = {pool.submit(run, task): task for task in tasks}
        for future in cf.as_completed(futures):
            yield futures[future], _failed_run(futures[future], future)
        pool.shutdown(wait=True)
    except BaseException:  # Ctrl-C, or the caller closing us early
        _kill_pool(pool)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(workroot, ignore_errors=True)


def _kill_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Kill the pool's workers and everything they started (the kernels), then reap them."""
    import psutil

    family = []
    for pid in list(getattr(pool, "_processes", None) or {}):
        with contextlib.suppress(psutil.NoSuchProcess):
            worker = psutil.Process(pid)
            # Children first: once a worker is dead its kernel is no longer its child.
            family += worker.children(recursive=True) + [worker]
    for proc in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(family, timeout=10)


DASK_CONNECT_TIMEOUT = 5
"""Seconds to wait for a dask scheduler before giving up with a clear error."""


def run_dask(tasks: list[ReportTask], run, *, workers: int = 1, scheduler: str | None = None):
    """Run tasks on an existing dask.distributed cluster; yield ``(task, result)`` as they finish.

    The workers must see the same paths as this machine (notebooks, processed data and reports
    folders): each task writes its outputs itself, as a local worker does. ``workers`` is unused;
    the cluster decides how many tasks run at once.
    """
    if not scheduler:
        raise DataError("--executor dask needs the scheduler's address", where="--scheduler",
                        hint="e.g. --scheduler tcp://127.0.0.1:8786")  # fmt: skip
    from distributed import Client, as_completed
    from distributed.comm import get_address_host_port

    try:
        # A malformed address is caught here: a Client that failed on one hangs when collected.
        get_address_host_port(scheduler)
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DataError(f"cannot reach the dask scheduler {scheduler!r}: {exc}",
                        where="--scheduler", hint="start it (dask scheduler) or fix the address"
                        ) from None  # fmt: skip
    with client:
        # pure=False: the same task built twice must run twice, not come from dask's cache.
        futures = {client.submit(run, task, pure=False): task for task in tasks}
        try:
            for future in as_completed(futures, loop=client.loop):
                yield futures[future], _failed_run(futures[future], future)
        except BaseException:
            # A task already running on a worker finishes there; the rest never start.
            client.cancel(list(futures))
            raise


EXECUTORS = {"local": run_local, "dask": run_dask}
"""Where report tasks run: each runs a callable on tasks and yields ``(task, result)``."""


def write_index(reports_dir: Path, state: dict) -> Path:
    """Write ``reports/html/index.html``: every report with language, build time and status."""
    from milresearch.ingest.countries import load_countries
    from milresearch.reports.render import esc

    countries = load_countries()

    def title(name: str) -> str:
        if name == "regional":
            return "Central Asia and Pakistan (regional)"
        return f"{countries[name].name('en')} ({name})" if name in countries else name

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
        link = f'<a href="{esc(html_rel)}">{esc(title(name))}</a>' if exists else esc(title(name))
        built = entry.get("built_at", "").replace("T", " ")[:16]
        rows.append(
            f"<tr><td>{link}</td><td>{esc(lang)}</td><td>{esc(built)}</td>"
            f"<td class='status-{esc(status.replace(' ', '-'))}'>{esc(shown)}</td>"
            f"<td>{esc(entry.get('error', '') if status == 'failed' else '')}</td></tr>"
        )
    css = (REPORT_RESOURCES / "report.css").read_text(encoding="utf-8")
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
