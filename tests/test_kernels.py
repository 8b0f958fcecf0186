"""Forked kernels: warm, yet each report's kernel is a process of its own with nothing shared."""

import json
import subprocess
import sys

import pytest

from milresearch.build import kernels

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not kernels.supported(), reason="forking kernels needs Linux"),
]

# Run in a process of its own: the runner becomes a child subreaper and keeps a template.
RUNNER = r"""
import json, os, sys
import nbformat, papermill as pm
from milresearch.build import kernels
from milresearch.build.kernels import kernel_manager_class

first = '''import os, sys
warm = "pandas" in sys.modules and "milresearch.reports.country" in sys.modules
import milresearch.reports.country as report
report.LEFT_BEHIND = 1
LEFT_BEHIND = 1
print(os.getpid(), os.getppid(), os.getcwd(), warm, os.environ.get("MR_TEST_VAR"))'''
second = '''import os, milresearch.reports.country as report
print(os.getpid(), "LEFT_BEHIND" in globals(), hasattr(report, "LEFT_BEHIND"))'''
out = {"runner": os.getpid()}
for i, source in enumerate([first, second]):
    os.environ["MR_TEST_VAR"] = f"value-{i}"  # set after the template started (on run 0)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    path = os.path.join(sys.argv[1], f"nb{i}.ipynb")
    nbformat.write(nb, path)
    work = os.path.join(sys.argv[1], f"work{i}")
    os.mkdir(work)
    done = pm.execute_notebook(path, path, kernel_name="python3", progress_bar=False, cwd=work,
                               kernel_manager_class=kernel_manager_class(warm=True))
    out[i] = done.cells[0].outputs[0]["text"].split()
template = kernels.Template.get().process.pid
out["template"] = template
print(json.dumps(out))
"""


def test_each_kernel_is_forked_warm_and_shares_no_state_with_the_last(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    pid, parent, cwd, warm, env = out["0"]
    assert warm == "True"  # the imports were done before the kernel started
    assert int(parent) == out["runner"]  # adopted: the runner waits for it and signals it
    assert cwd == str(tmp_path / "work0")
    assert env == "value-0"  # the environment of the run, not of the template's start
    second_pid, variable_seen, module_attr_seen = out["1"]
    assert len({int(pid), int(second_pid), out["template"], out["runner"]}) == 4
    assert (variable_seen, module_attr_seen) == ("False", "False")


def test_other_kernel_commands_start_as_usual(tmp_path):
    """A kernelspec that is not ipykernel's launcher is not forked."""
    import asyncio

    from jupyter_client.kernelspec import KernelSpec

    spec = KernelSpec(argv=[sys.executable, "-c", "import time; time.sleep(30)"], language="x")
    provisioner = kernels.ForkProvisioner(kernel_id="k", kernel_spec=spec, parent=None)

    async def launch():
        await provisioner.launch_kernel(spec.argv, cwd=str(tmp_path))
        process = provisioner.process
        await provisioner.kill()
        await provisioner.wait()
        return process

    process = asyncio.run(launch())
    assert isinstance(process, subprocess.Popen)
    assert process.args[-1] == "import time; time.sleep(30)"
