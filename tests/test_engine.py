"""The build's papermill engine writes the executed notebook once, also when a cell fails."""

import subprocess
import sys

import nbformat
import pytest

pytestmark = pytest.mark.slow  # each test starts a kernel

# Cell 2 reads the output file while it runs: papermill's own engine would have written cell 1's
# output there when cell 1 ended.
RUNNER = r"""
import sys
import nbformat, papermill as pm
from milresearch.build.engine import ENGINE_NAME
path, out, engine, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
try:
    pm.execute_notebook(path, out, kernel_name="python3", progress_bar=False,
                        engine_name=None if engine == "papermill" else ENGINE_NAME,
                        execution_timeout=timeout)
except Exception as exc:
    print(type(exc).__name__)
"""


def _notebook(tmp_path, *sources: str):
    path = tmp_path / "in.ipynb"
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def _run(
    tmp_path, engine: str, *sources: str, timeout: float = 60
) -> tuple[str, nbformat.NotebookNode]:
    path, out = _notebook(tmp_path, *sources), tmp_path / "out.ipynb"
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path), str(out), engine, str(timeout)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), nbformat.read(out, as_version=4)


PEEK = (
    "import json, pathlib\n"
    "cells = json.loads(pathlib.Path('{out}').read_text())['cells']\n"
    "print('written:', bool(cells[0]['outputs']))"
)


@pytest.mark.parametrize(("engine", "written"), [("papermill", "True"), ("milresearch", "False")])
def test_the_notebook_is_not_written_after_each_cell(tmp_path, engine, written):
    """The baseline shows the test can fail: papermill's engine writes after cell 1."""
    _, nb = _run(tmp_path, engine, "print('one')", PEEK.format(out=tmp_path / "out.ipynb"))
    assert nb["cells"][0]["outputs"][0]["text"] == "one\n"
    assert nb["cells"][1]["outputs"][0]["text"] == f"written: {written}\n"


def test_a_failed_cell_is_written_with_the_cells_before_it(tmp_path):
    error, nb = _run(tmp_path, "milresearch", "print('one')", "1 / 0", "print('never')")
    assert error == "PapermillExecutionError"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]  # papermill adds a banner cell
    first, failed, never = (c["metadata"]["papermill"] for c in code)
    assert code[0]["outputs"][0]["text"] == "one\n"
    assert (first["status"], failed["status"], never["status"]) == (
        "completed",
        "failed",
        "pending",
    )


def test_a_cell_that_times_out_is_written_with_its_start_time(tmp_path):
    error, nb = _run(
        tmp_path, "milresearch", "print('one')", "import time; time.sleep(30)", timeout=2
    )
    assert error == "CellTimeoutError"
    first, running = (c["metadata"]["papermill"] for c in nb["cells"])
    assert nb["cells"][0]["outputs"][0]["text"] == "one\n"
    # The build names the last cell with a start time as the one that timed out.
    assert first["start_time"] < running["start_time"]
