"""`make lab` starts JupyterLab, as root too (containers, CI) and with no display."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from milresearch.paths import ROOT

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_serves_the_notebooks(tmp_path):
    port = _free_port()
    args = f"--port={port} --ServerApp.port_retries=0 --IdentityProvider.token=lab-test"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "BROWSER")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path)
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_ARGS={args}"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api/contents?token=lab-test"
    try:
        deadline = time.monotonic() + 120
        listing = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    listing = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert listing is not None, (tmp_path / "lab.log").read_text()
        assert "country_report.ipynb" in listing and "explore.ipynb" in listing
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
