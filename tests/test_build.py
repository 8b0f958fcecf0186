"""Real papermill + nbconvert runs on tiny purpose-built notebooks (a real kernel, no mocks)."""

import json
import time
from pathlib import Path

import nbformat
import pytest

from milresearch.build.runner import build_reports, load_state
from milresearch.build.tasks import ReportTask, summary_table
from tests.waiting import wait_for

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")


def _notebook(path, *sources, params='country = "XXX"\nlang = "en"'):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(
        notebooks / "tiny.ipynb",
        "from milresearch.reports import render\nrender.HTML('<nav class=\"mr-toc\"></nav>')",
        'render.heading(f"Report for {country}", "sec-main")',
        'render.paragraph("<script>alert(1)</script> stays text")',
        "SECRET_CODE_MARKER = 41 + 1\nSECRET_CODE_MARKER",
    )
    _notebook(notebooks / "broken.ipynb", 'raise ValueError("boom in cell")')
    _notebook(notebooks / "exits.ipynb", "import sys\nsys.exit(3)")
    _notebook(
        notebooks / "killed.ipynb", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
    )
    _notebook(notebooks / "hangs.ipynb", "import time\ntime.sleep(600)")
    # SIGKILL of the worker process that runs this report, as the out-of-memory killer does.
    _notebook(
        notebooks / "kills_worker.ipynb",
        "import os, signal, time, psutil\n"
        "worker = next(p for p in psutil.Process().parents()\n"
        "              if any('multiprocessing' in part for part in p.cmdline()))\n"
        "os.kill(worker.pid, signal.SIGKILL)\ntime.sleep(30)",
    )
    return tmp_path


def _task(name, notebook, country="AAA", data_key="k1"):
    return ReportTask(name, "en", notebook, {"country": country, "lang": "en"}, data_key)


def _build(project, tasks, **kwargs):
    return build_reports(
        tasks,
        notebooks_dir=project / "notebooks",
        reports_dir=project / "reports",
        timeout=60,
        **kwargs,
    )


def test_a_real_run_renders_self_contained_html_without_code(project):
    summary = _build(project, [_task("AAA", "tiny.ipynb")])
    assert [r.status for r in summary.results] == ["built"]
    html = (project / "reports/html/en/AAA.html").read_text(encoding="utf-8")
    assert "Report for AAA" in html
    assert "SECRET_CODE_MARKER" not in html  # code cells are not shown
    assert "42" in html  # but their outputs are
    assert "&lt;script&gt;alert(1)&lt;/script&gt; stays text" in html
    assert "<script src=" not in html  # no script from outside the file
    assert '<a href="#sec-main">Report for AAA</a>' in html  # the TOC was filled
    executed = nbformat.read(project / "reports/notebooks/en/AAA.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    index = (project / "reports/html/index.html").read_text(encoding="utf-8")
    assert 'href="en/AAA.html"' in index


def test_an_unchanged_report_is_not_rebuilt_and_a_changed_one_is(project):
    _build(project, [_task("AAA", "tiny.ipynb"), _task("BBB", "tiny.ipynb", "BBB")])
    again = _build(project, [_task("AAA", "tiny.ipynb"), _task("BBB", "tiny.ipynb", "BBB", "k2")])
    assert [r.status for r in again.results] == ["up to date", "built"]
    forced = _build(project, [_task("AAA", "tiny.ipynb")], force=True)
    assert [r.status for r in forced.results] == ["built"]


def test_a_killed_worker_fails_only_its_own_report_and_the_pool_is_rebuilt(project):
    tasks = [_task("AAA", "kills_worker.ipynb")] + [
        _task(name, "tiny.ipynb", name) for name in ("BBB", "CCC", "DDD", "EEE")
    ]
    summary = _build(project, tasks, workers=2)
    status = {r.name: r for r in summary.results}
    assert status["AAA"].status == "failed"
    assert "worker process was killed" in status["AAA"].error
    assert [status[n].status for n in ("BBB", "CCC", "DDD", "EEE")] == ["built"] * 4
    for name in ("BBB", "CCC", "DDD", "EEE"):
        page = (project / f"reports/html/en/{name}.html").read_text(encoding="utf-8")
        assert f"Report for {name}" in page


def test_the_index_tells_the_last_good_page_from_one_a_failed_run_left(project):
    _build(project, [_task("AAA", "tiny.ipynb")])
    page = project / "reports/html/en/AAA.html"
    _build(project, [_task("AAA", "broken.ipynb")])
    index = project / "reports/html/index.html"
    assert "failed — showing the last good version, built 20" in index.read_text("utf-8")
    # As a run that wrote its page and then failed (a full disk while writing the notebook).
    page.write_text(page.read_text("utf-8").replace("Report for AAA", "Report for a run"), "utf-8")
    _build(project, [_task("AAA", "broken.ipynb")])
    shown = index.read_text("utf-8")
    assert "the page is from this failed run" in shown
    assert "showing the last good version" not in shown


def test_a_failing_report_keeps_its_last_good_html_and_the_others_finish(project):
    _build(project, [_task("AAA", "tiny.ipynb")])
    good = (project / "reports/html/en/AAA.html").read_bytes()
    # The same report now runs a notebook that raises, beside one that calls sys.exit.
    summary = _build(
        project,
        [
            _task("AAA", "broken.ipynb"),
            _task("CCC", "exits.ipynb", "CCC"),
            _task("DDD", "tiny.ipynb", "DDD"),
        ],
        workers=2,
    )
    status = {r.name: r for r in summary.results}
    assert status["AAA"].status == "failed"
    assert "ValueError: boom in cell" in status["AAA"].error
    assert status["CCC"].status == "failed"
    assert status["DDD"].status == "built"
    assert (project / "reports/html/en/AAA.html").read_bytes() == good
    assert (project / "reports/notebooks/en/AAA.failed.ipynb").exists()
    state = load_state(project / "reports")
    assert state["en/AAA"]["status"] == "failed"
    index = (project / "reports/html/index.html").read_text(encoding="utf-8")
    assert "failed — showing the last good version" in index
    assert (
        json.loads((project / "reports/.build/state.json").read_text())["en/DDD"]["status"]
        == "built"
    )


def _fails_alone(project, notebook, **kwargs):
    """Build AAA, then rebuild it from a failing notebook beside a good BBB."""
    _build(project, [_task("AAA", "tiny.ipynb")])
    good = (project / "reports/html/en/AAA.html").read_bytes()
    tasks = [_task("AAA", notebook), _task("BBB", "tiny.ipynb", "BBB")]
    summary = build_reports(
        tasks,
        notebooks_dir=project / "notebooks",
        reports_dir=project / "reports",
        workers=2,
        **kwargs,
    )
    status = {r.name: r for r in summary.results}
    assert status["BBB"].status == "built"
    assert (project / "reports/html/en/BBB.html").exists()
    assert [r.name for r in summary.failed] == ["AAA"]
    assert (project / "reports/html/en/AAA.html").read_bytes() == good
    assert load_state(project / "reports")["en/AAA"]["status"] == "failed"
    return status["AAA"], summary_table(summary)


@pytest.mark.parametrize("warm", [True, False], ids=["forked-kernel", "fresh-kernel"])
def test_a_kernel_that_kills_itself_fails_only_its_report(project, warm):
    failed, table = _fails_alone(project, "killed.ipynb", timeout=60, warm_kernels=warm)
    assert failed.error == "the kernel died (killed by a signal, or out of memory)"
    # Cells 1 and 2 are the parameters and the injected parameters; 3 is the one that killed it.
    assert failed.cell == 3
    assert "cell 3: the kernel died" in table


@pytest.mark.parametrize("warm", [True, False], ids=["forked-kernel", "fresh-kernel"])
def test_a_cell_that_hangs_past_the_timeout_fails_only_its_report(project, warm):
    started = time.perf_counter()
    failed, table = _fails_alone(project, "hangs.ipynb", timeout=3, warm_kernels=warm)
    assert failed.error == "timed out after 3 s"
    assert failed.cell == 3
    assert "cell 3: timed out after 3 s" in table
    assert time.perf_counter() - started < 60


def _pool_workers(me):
    # Not the resource tracker that the first spawned process starts beside them.
    return [kid for kid in me.children() if "spawn_main" in " ".join(kid.cmdline())]


def _started_templates(workers):
    return [
        kid.pid
        for worker in workers
        for kid in worker.children()
        if "milresearch.build.kernels" in " ".join(kid.cmdline()) and kid.status() != "zombie"
    ]


def test_workers_started_ahead_run_the_reports_and_an_unused_pool_leaves_nothing(project):
    import psutil

    from milresearch.build import executors

    _notebook(project / "notebooks/parent.ipynb", "import os\nprint('parent', os.getppid())")
    me = psutil.Process()
    pool = executors.start_pool(2, warm=True)
    assert wait_for(lambda: len(_pool_workers(me)) == 2)
    workers = _pool_workers(me)
    # Each worker starts its kernel template before it is given a report (as during a clean).
    assert wait_for(lambda: len(_started_templates(workers)) == 2)
    tasks = [_task(n, "parent.ipynb", n) for n in ("AAA", "BBB", "CCC")]
    summary = _build(project, tasks, workers=2, pool=pool)
    assert [r.status for r in summary.results] == ["built"] * 3
    for name in ("AAA", "BBB", "CCC"):
        executed = (project / f"reports/notebooks/en/{name}.ipynb").read_text(encoding="utf-8")
        # A forked kernel is the child of the worker that ran it: one of those started ahead.
        assert any(f"parent {w.pid}" in executed for w in workers), name

    unused = executors.start_pool(2, warm=True)
    assert wait_for(lambda: len(_pool_workers(me)) == 2)
    workers = _pool_workers(me)
    assert wait_for(lambda: len(_started_templates(workers)) == 2)
    templates = [psutil.Process(pid) for pid in _started_templates(workers)]
    executors.stop_pool(unused)
    # Gone when stop_pool returns, not once the workers notice their parent is gone.
    left = [p for p in workers + templates if p.is_running() and p.status() != "zombie"]
    assert not left, [p.cmdline() for p in left]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def test_the_dask_executor_builds_on_a_real_cluster_with_the_same_rules(project, cluster):
    tasks = [_task("AAA", "tiny.ipynb"), _task("BBB", "tiny.ipynb", "BBB")]
    first = _build(project, tasks, executor="dask", scheduler=cluster)
    assert [r.status for r in first.results] == ["built", "built"]
    assert "Report for BBB" in (project / "reports/html/en/BBB.html").read_text(encoding="utf-8")
    assert (project / "reports/notebooks/en/AAA.ipynb").exists()
    again = _build(project, tasks, executor="dask", scheduler=cluster)
    assert [r.status for r in again.results] == ["up to date", "up to date"]
    mixed = _build(
        project,
        [_task("AAA", "broken.ipynb"), _task("CCC", "tiny.ipynb", "CCC")],
        executor="dask",
        scheduler=cluster,
    )
    status = {r.name: r for r in mixed.results}
    assert status["AAA"].status == "failed"
    assert status["AAA"].error == "ValueError: boom in cell"
    assert status["CCC"].status == "built"
    assert (project / "reports/html/en/CCC.html").exists()


def test_pdf_is_printed_for_built_reports_and_not_for_failed_ones(project):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run `make chromium`")
    summary = _build(
        project,
        [_task("AAA", "tiny.ipynb"), _task("BBB", "broken.ipynb", "BBB")],
        pdf=True,
        workers=2,
    )
    assert [r.status for r in summary.results] == ["built", "failed"]
    pdf = (project / "reports/pdf/en/AAA.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000
    assert not (project / "reports/pdf/en/BBB.pdf").exists()
    assert list((project / "reports/pdf/en").iterdir()) == [project / "reports/pdf/en/AAA.pdf"]


def test_a_kernel_is_shut_down_without_the_interrupt_that_logs_a_false_error():
    """jupyter_client interrupts every kernel before shutting it down; ours does not."""
    import asyncio
    import signal

    from milresearch.build.kernels import kernel_manager_class

    sent = []

    class Recording(kernel_manager_class()):
        async def _async_signal_kernel(self, signum):
            sent.append(signum)
            await super()._async_signal_kernel(signum)

    async def start_interrupt_and_shut_down():
        km = Recording(kernel_name="python3")
        await km.start_kernel()
        try:
            await km.interrupt_kernel()  # the control: an interrupt asked for is still sent
            assert sent == [signal.SIGINT]
        finally:
            await km.shutdown_kernel()
        return await km.is_alive()

    assert asyncio.run(start_interrupt_and_shut_down()) is False
    assert sent == [signal.SIGINT]


def test_the_index_names_each_report_and_its_build_time(tmp_path):
    from milresearch.build.index import write_index

    (tmp_path / "html" / "en").mkdir(parents=True)
    (tmp_path / "html" / "en" / "KAZ.html").write_text("<html></html>")
    state = {
        "en/KAZ": {"status": "built", "built_at": "2026-01-02T03:04:05+00:00"},
        "en/regional": {"status": "failed", "error": "boom"},
    }
    state["ru/KAZ"] = state["en/KAZ"]
    (tmp_path / "html" / "ru").mkdir()
    (tmp_path / "html" / "ru" / "KAZ.html").write_text("<html></html>")
    (tmp_path / "pdf" / "ru").mkdir(parents=True)
    (tmp_path / "pdf" / "ru" / "KAZ.pdf").write_bytes(b"%PDF-1.4")
    index = write_index(tmp_path, state).read_text(encoding="utf-8")
    # One row group per country, a link per language, the PDF where there is one.
    assert index.count("Kazakhstan (KAZ)") == 1
    assert '<a href="en/KAZ.html" hreflang="en">English</a></td>' in index
    assert '<a href="ru/KAZ.html" hreflang="ru">Русский</a> · <a href="../pdf/ru/KAZ.pdf"' in index
    assert '<td class="mr-nowrap">2026-01-02 03:04</td>' in index
    # The regional report was never built: it is listed last, failed, and not linked.
    assert index.index("Kazakhstan (KAZ)") < index.index("Central Asia and Pakistan (regional)")
    assert 'href="en/regional.html"' not in index and "failed: boom" in index
    assert "SYNTHETIC DATA" not in index
    assert "SYNTHETIC DATA" in write_index(tmp_path, state, synthetic=True).read_text("utf-8")


def test_a_worker_that_ends_without_tearing_down_still_delivers_its_results_and_output(capfd):
    """Workers skip Python's teardown on exit: what they returned and printed is not lost."""
    import functools
    import os

    from milresearch.build import executors

    pool = executors._new_pool(1)
    try:
        printed = pool.submit(functools.partial(print, "unflushed-worker-output", end=""))
        pid = pool.submit(os.getpid)
        pool.shutdown(wait=True)
    finally:
        executors.stop_pool(pool)
    assert printed.result() is None
    assert pid.result() != os.getpid()
    assert "unflushed-worker-output" in capfd.readouterr().out
