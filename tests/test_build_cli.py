"""The real ``milresearch build`` command in subprocesses: locking, bad input, Ctrl-C, dask."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.test_build import _notebook
from tests.waiting import wait_for

pytestmark = pytest.mark.slow
MILRESEARCH = Path(sys.executable).parent / "milresearch"
PARAMS = 'country = "XXX"\nlang = "en"\nprocessed_dir = ""\nmin_n = 30'


def _write_notebook(folder, *sources, params=PARAMS):
    # The CLI passes processed_dir and min_n too, so the parameters cell must declare them.
    folder.mkdir(exist_ok=True)
    _notebook(folder / "country_report.ipynb", *sources, params=params)


def _command(tmp_path, processed, *extra):
    return [
        str(MILRESEARCH),
        "build",
        "--processed-dir",
        str(processed),
        "--reports-dir",
        str(tmp_path / "reports"),
        "--notebooks-dir",
        str(tmp_path / "notebooks"),
        "--countries",
        "KAZ",
        "--no-regional",
        "--quiet",
        "--lang",
        "en",
        *extra,
    ]


def _start(tmp_path, processed, *extra, env=None):
    # As from a terminal: a suite started in the background (`cmd &` without job control)
    # ignores SIGINT, and its children would inherit that and never see the Ctrl-C sent below.
    # Resetting one signal disposition in the child is safe even with threads in the suite.
    return subprocess.Popen(
        _command(tmp_path, processed, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )


def _run(tmp_path, processed, *extra):
    return subprocess.run(
        _command(tmp_path, processed, *extra),
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _kernels(marker):
    """Live kernels running in a working directory under the marker (the build's TMPDIR).

    A forked kernel keeps its template's command line (``milresearch.build.kernels``), a fresh one
    is ``ipykernel_launcher``; workers run there too, but under neither name.
    """
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        with contextlib.suppress(psutil.Error):
            cmdline = " ".join(proc.info["cmdline"] or [])
            named = "ipykernel_launcher" in cmdline or "milresearch.build.kernels" in cmdline
            if named and proc.cwd().startswith(marker) and proc.info["status"] != "zombie":
                found.append(proc.pid)
    return found


def _templates(marker):
    """Live warm-kernel templates started by a build whose TMPDIR is the marker."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        with contextlib.suppress(psutil.Error):
            if (
                "milresearch.build.kernels" in " ".join(proc.info["cmdline"] or [])
                and proc.environ().get("TMPDIR") == marker
                and proc.info["status"] != "zombie"
            ):
                found.append(proc.pid)
    return found


def test_a_second_build_on_the_same_reports_folder_stops_with_a_clear_message(tmp_path, processed):
    _write_notebook(tmp_path / "notebooks", "import time\ntime.sleep(6)", 'print("done")')
    first = _start(tmp_path, processed)
    lock = tmp_path / "reports/.build/lock"
    assert wait_for(lambda: lock.exists() and str(first.pid) in lock.read_text())
    second = _run(tmp_path, processed, "--force")
    assert first.poll() is None  # the second gave up while the first was still building
    assert second.returncode == 2
    assert f"another build is running (pid {first.pid})" in second.stderr
    assert "Traceback" not in second.stderr
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "1 built, 0 up to date, 0 failed" in out
    assert (tmp_path / "reports/html/en/KAZ.html").stat().st_size > 0
    assert (tmp_path / "reports/notebooks/en/KAZ.ipynb").exists()


@pytest.mark.parametrize(
    ("params", "countries", "message"),
    [
        (PARAMS, "XXX", "error: --countries: unknown country 'XXX'"),
        (
            PARAMS.replace("min_n = 30", 'min_n = "thirty"'),
            "KAZ",
            "country_report.ipynb: parameter 'min_n' must be str, got 30",
        ),
        (
            PARAMS.replace('processed_dir = ""\n', ""),
            "KAZ",
            "country_report.ipynb: unknown parameter 'processed_dir'",
        ),
    ],
)
def test_bad_parameters_stop_before_any_kernel_starts(
    tmp_path, processed, params, countries, message
):
    _write_notebook(tmp_path / "notebooks", 'print("ran")', params=params)
    result = _run(tmp_path, processed, "--countries", countries)
    assert result.returncode == 2
    assert message in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "reports/notebooks").exists()  # no notebook was executed
    assert not (tmp_path / "reports/html/en").exists()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_the_build_kills_its_kernel_and_leaves_no_partial_file(
    tmp_path, processed, stop
):
    _write_notebook(tmp_path / "notebooks", 'print("good")')
    assert _run(tmp_path, processed).returncode == 0
    html = tmp_path / "reports/html/en/KAZ.html"
    good = html.read_bytes()
    _write_notebook(tmp_path / "notebooks", "import time\ntime.sleep(600)")
    # The kernel's connection file is made in TMPDIR, so its command line names the marker.
    # (A short path: the kernel's IPC socket paths beside it must stay under 108 characters.)
    marker = str(tmp_path / "t")
    os.mkdir(marker)
    env = {**os.environ, "TMPDIR": marker}
    build = _start(tmp_path, processed, env=env)
    try:
        assert wait_for(lambda: _kernels(marker)), "the kernel never started"
        assert _templates(marker), "the kernel was not forked from a template"
        time.sleep(1)  # let the kernel get into the sleeping cell
        build.send_signal(stop)
        _, err = build.communicate(timeout=20)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 130
    assert "interrupted" in err
    assert "Traceback" not in err
    assert wait_for(lambda: not _kernels(marker), seconds=5), "a kernel was left running"
    assert wait_for(lambda: not _templates(marker), seconds=5), "a kernel template was left"
    assert [p.name for p in Path(marker).glob("milresearch-*")] == []  # no working directory
    assert html.read_bytes() == good
    leftovers = [p.name for p in (tmp_path / "reports").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert sorted(p.name for p in html.parent.iterdir()) == ["KAZ.html"]


def test_a_forced_build_whose_clean_fails_is_a_clear_error_and_leaves_no_kernel_template(tmp_path):
    import shutil

    from milresearch.paths import RAW_DIR

    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    book = raw / "sample/survey/kaz_mil_2025.codebook.yml"
    book.write_text(book.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    _write_notebook(tmp_path / "notebooks", 'print("ran")')
    marker = str(tmp_path / "t")
    os.mkdir(marker)
    # --force starts the workers and their kernel templates before the data are cleaned.
    result = subprocess.run(
        [*_command(tmp_path, tmp_path / "processed", "--force"), "--raw-dir", str(raw)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": marker},
    )
    assert result.returncode == 2
    assert "kaz_mil_2025.codebook.yml" in result.stderr
    assert "Traceback" not in result.stderr
    # Stopped before the command returned, not left to notice their parent is gone.
    assert _templates(marker) == []
    assert not (tmp_path / "reports/html/en").exists()


def _free_port():
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("address", "reason"),
    # The port is found when the test runs: ids must be the same in every pytest-xdist worker.
    [
        ("tcp://127.0.0.1:{free_port}", "Timed out trying to connect"),
        ("no-port-here", "missing port number"),
    ],
)
def test_a_bad_dask_scheduler_is_a_clear_error_within_seconds(
    tmp_path, processed, address, reason
):
    address = address.format(free_port=_free_port())
    _write_notebook(tmp_path / "notebooks", 'print("ran")')
    started = time.monotonic()
    result = _run(tmp_path, processed, "--executor", "dask", "--scheduler", address)
    # The connect timeout is 5 s; the rest is the command starting and checking its inputs.
    assert time.monotonic() - started < 30
    assert result.returncode == 2
    assert f"cannot reach the dask scheduler {address!r}: {reason}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "reports/notebooks").exists()
