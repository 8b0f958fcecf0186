"""Executors: where report tasks run.

Each executor takes tasks and a callable that builds one, and yields ``(task, result)`` as they
finish (:data:`EXECUTORS`): a pool of local worker processes, or an existing dask.distributed
cluster. A worker that crashes gives a failed result, never a stopped build.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import functools
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Generator
from concurrent.futures.process import BrokenProcessPool
from typing import Self

from milresearch.build.tasks import ReportTask, TaskResult, TaskStatus, failed_run
from milresearch.errors import DataError

Run = Callable[..., TaskResult]
"""Builds one task: ``run(task, workroot=...)``."""
Executor = Callable[..., Generator[tuple[ReportTask, TaskResult]]]

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""Thread pools of BLAS and OpenMP, sized per kernel unless the user has set them."""


def _init_worker(parent: int, threads: int, warm: bool = False) -> None:
    # Ctrl-C reaches the whole process group; the parent decides what happens to workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Each kernel would otherwise start a thread per core: with a kernel per core they fight
    # (7 reports on 2 cores: 26.3 s and 31.6 s with, 22.9 s and 23.3 s without).
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    atexit.register(_exit_now)
    if warm:
        from milresearch.build import kernels, runner  # noqa: F401 - imported ahead of the tasks

        kernels.Template.get()
        import papermill  # noqa: F401 - what the first task would import


def _exit_now() -> None:
    """End a worker without tearing down its modules (0.3 s with papermill and the kernel's).

    Registered first, so it runs last: multiprocessing has already sent the results and
    flushed the streams, and the handlers registered after it (by the tasks' imports) have run.
    """
    os._exit(0)


def _new_pool(size: int, warm: bool = False) -> cf.ProcessPoolExecutor:
    threads = max(1, (os.cpu_count() or 1) // size)
    return cf.ProcessPoolExecutor(
        max_workers=size,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(), threads, warm),
    )


def start_pool(workers: int, warm: bool) -> cf.ProcessPoolExecutor:
    """Worker processes started now, ahead of their tasks, for :func:`run_local`'s ``pool``.

    A build starts them before it cleans the data, so that the workers' imports and their warm
    kernel templates (``warm``) load while the main process cleans: after one raw file changed,
    the clean and the kernels' start no longer come one after the other. Stop an unused pool
    with :func:`stop_pool`.
    """
    pool = _new_pool(max(1, workers), warm)
    # The pool starts a worker per task submitted while none is idle: one no-op each.
    for _ in range(max(1, workers)):
        pool.submit(os.getpid)
    return pool


def stop_pool(pool: cf.ProcessPoolExecutor) -> None:
    """Kill the workers of a pool the build did not use (e.g. the clean failed), and their kernels."""
    _kill_pool(pool)
    pool.shutdown(wait=False, cancel_futures=True)


class EarlyPool:
    """Local workers a build starts early, while it cleans the data (see :func:`start_pool`).

    Started only when reports will surely run: with ``--force``, or when the data must be
    cleaned again (which changes their keys). An unused pool is stopped on the way out.
    """

    def __init__(self, executor: str, workers: int, warm: bool) -> None:
        self.executor, self.workers, self.warm = executor, workers, warm
        self.pool: cf.ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers, once, if the build runs locally."""
        from milresearch.build import kernels

        if self.pool is None and self.executor == "local":
            self.pool = start_pool(self.workers, self.warm and kernels.supported())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            stop_pool(self.pool)


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


def run_local(
    tasks: list[ReportTask],
    run: Run,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    pool: cf.ProcessPoolExecutor | None = None,
) -> Generator[tuple[ReportTask, TaskResult]]:
    """Run tasks in a pool of local worker processes; yield ``(task, result)`` as they finish.

    Every task runs in a worker, even with one worker, so that a kernel that dies or hangs never
    takes the build with it. A worker killed outright (the out-of-memory killer's SIGKILL) breaks
    the whole pool: the tasks it had not started run in a new pool, and each task that was
    running runs again alone, so that only the one that kills its worker fails. On an interrupt
    the workers and their kernels are killed. ``pool``, from :func:`start_pool`, runs the first
    round instead of a new pool (its workers already started).
    """
    if scheduler:
        raise DataError("--scheduler is only used with --executor dask", where="--scheduler")
    # Working directories go in one folder of the build's, so that it can remove those of
    # workers it had to kill.
    workroot = tempfile.mkdtemp(prefix="milresearch-build-")
    tracked = functools.partial(_tracked, functools.partial(run, workroot=workroot), workroot)
    if pool is not None:
        try:
            pool.submit(os.getpid)
        except BrokenProcessPool:  # a worker died before its first task: start afresh
            pool = None
    queue: list[ReportTask] = list(tasks)
    suspects: list[ReportTask] = []
    try:
        while queue or suspects:
            alone = not queue
            batch = [suspects.pop(0)] if alone else queue
            broken = yield from _pool_round(
                batch, tracked, workers=1 if alone else workers, pool=pool
            )
            pool = None  # a started pool serves the first round only
            if alone and broken:
                yield broken[0], _killed(broken[0])
                continue
            running = _running_at_crash(workroot)
            queue = [t for t in broken if t.slug not in running]
            suspects += [t for t in broken if t.slug in running]
    finally:
        shutil.rmtree(workroot, ignore_errors=True)


def _marker(workroot: str, task: ReportTask) -> str:
    return os.path.join(workroot, task.slug.replace("/", "_") + ".running")


def _tracked(run: Callable[[ReportTask], TaskResult], workroot: str, task: ReportTask):
    """Run ``task`` with a marker file that stays behind only if this worker is killed."""
    with open(_marker(workroot, task), "w", encoding="utf-8") as handle:
        handle.write(task.slug)
    try:
        return run(task)
    finally:
        os.unlink(_marker(workroot, task))


def _running_at_crash(workroot: str) -> set[str]:
    """The slugs whose worker died while running them (and remove their markers)."""
    slugs = set()
    for name in os.listdir(workroot):
        if name.endswith(".running"):
            path = os.path.join(workroot, name)
            with open(path, encoding="utf-8") as handle:
                slugs.add(handle.read())
            os.unlink(path)
    return slugs


def _killed(task: ReportTask) -> TaskResult:
    return TaskResult(
        task.slug,
        task.name,
        task.lang,
        TaskStatus.FAILED,
        error="its worker process was killed (out of memory?); the other reports are not affected",
    )


def _pool_round(
    tasks: list[ReportTask],
    run: Callable[[ReportTask], TaskResult],
    *,
    workers: int,
    pool: cf.ProcessPoolExecutor | None = None,
) -> Generator[tuple[ReportTask, TaskResult], None, list[ReportTask]]:
    """Run tasks in one pool (``pool``, else a new one); return those a dead worker cut short."""
    pool = pool or _new_pool(max(1, min(workers, len(tasks))))
    broken = []
    try:
        futures = {pool.submit(run, task): task for task in tasks}
        for future in cf.as_completed(futures):
            if isinstance(future.exception(), BrokenProcessPool):
                broken.append(futures[future])
                continue
            yield futures[future], failed_run(futures[future], future)
        pool.shutdown(wait=True)
    except BaseException:  # Ctrl-C, or the caller closing us early
        _kill_pool(pool)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return broken


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


def run_dask(
    tasks: list[ReportTask], run: Run, *, workers: int = 1, scheduler: str | None = None
) -> Generator[tuple[ReportTask, TaskResult]]:
    """Run tasks on an existing dask.distributed cluster; yield ``(task, result)`` as they finish.

    The workers must see the same paths as this machine (notebooks, processed data and reports
    folders): each task writes its outputs itself, as a local worker does. ``workers`` is unused;
    the cluster decides how many tasks run at once.
    """
    if not scheduler:
        raise DataError(
            "--executor dask needs the scheduler's address",
            where="--scheduler",
            hint="e.g. --scheduler tcp://127.0.0.1:8786",
        )
    from distributed import Client, as_completed
    from distributed.comm import get_address_host_port

    try:
        # A malformed address is caught here: a Client that failed on one hangs when collected.
        get_address_host_port(scheduler)
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DataError(
            f"cannot reach the dask scheduler {scheduler!r}: {exc}",
            where="--scheduler",
            hint="start it (dask scheduler) or fix the address",
        ) from None
    with client:
        # pure=False: the same task built twice must run twice, not come from dask's cache.
        futures = {client.submit(run, task, pure=False): task for task in tasks}
        try:
            for future in as_completed(futures, loop=client.loop):
                yield futures[future], failed_run(futures[future], future)
        except BaseException:
            # A task already running on a worker finishes there; the rest never start.
            client.cancel(list(futures))
            raise


EXECUTORS: dict[str, Executor] = {"local": run_local, "dask": run_dask}
"""Where report tasks run: each runs a callable on tasks and yields ``(task, result)``."""
