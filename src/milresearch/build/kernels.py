"""Warm kernels: each report still gets a kernel process of its own, forked from a warm template.

A kernel's start and the imports a report needs cost about 2 s per report, most of it importing
IPython, pandas, matplotlib and scikit-learn. A build worker therefore keeps one *template*
process (``python -m milresearch.build.kernels``) that has imported them once, and asks it to fork a
fresh kernel for each report. The fork shares nothing with other reports but those read-only
imports: it runs the ipykernel entry point with its own connection file, working directory and
environment, in a session of its own, exactly as ``jupyter_client`` would start it.

The template double-forks, and the worker marks itself a child subreaper (Linux), so every
kernel is adopted by the worker: it is the worker's child, which waits for it, signals it and
kills it like any ``Popen``. Elsewhere (no fork, or another kernel command) kernels start as
usual.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.provisioning import LocalProvisioner

WARM_MODULES = (
    "ipykernel.kernelapp",
    "milresearch.reports.country",
    "milresearch.reports.regional",
    "milresearch.reports.content",
    "milresearch.analysis.classifier",
    "milresearch.analysis.topics",
    "matplotlib.pyplot",
    # Imported lazily by the code the notebooks call; 0.19 s a report when left to the kernel.
    "matplotlib.backends.backend_agg",
    "pyarrow.parquet",
    "sklearn.decomposition",
    "sklearn.dummy",
    "sklearn.feature_extraction.text",
    "sklearn.linear_model",
    "sklearn.metrics",
    "sklearn.model_selection",
    "sklearn.pipeline",
)
"""What the template imports once: the kernel itself and everything the report notebooks use."""
_LAUNCHER = ["-m", "ipykernel_launcher"]
_PR_SET_CHILD_SUBREAPER = 36


def supported() -> bool:
    """Whether kernels can be forked here (Linux: fork and child subreapers)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class ForkedKernel:
    """A ``Popen``-like handle on a kernel forked by the template and adopted by this process."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit code once the kernel has ended (and is reaped), else None."""
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: it is gone either way
                pid, status = self.pid, 0
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end; return its exit code."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if timeout is not None and deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        assert self.returncode is not None  # poll() set it
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel if it is still running."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        """Ask the kernel to end (SIGTERM)."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Kill the kernel (SIGKILL)."""
        self.send_signal(signal.SIGKILL)


class Template:
    """This process's template: started on first use, ended when this process ends."""

    _instance: Template | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "milresearch.build.kernels"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd="/",  # papermill runs tasks in working directories that are then removed
        )

    @classmethod
    def get(cls) -> Template:
        """This process's template, started (again) if there is none running."""
        with cls._lock:
            if cls._instance is None or cls._instance.process.poll() is not None:
                cls._instance = cls()
            return cls._instance

    def fork(self, argv: list[str], env: dict, cwd: str) -> ForkedKernel:
        """A new kernel started as ``python -m ipykernel_launcher ARGV`` in ``cwd`` with ``env``."""
        with self._lock:
            request = {"argv": argv, "env": env, "cwd": cwd}
            # The template is started with both pipes (see start()).
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError("the warm kernel template exited; see its error above")
        return ForkedKernel(int(reply))


class ForkProvisioner(LocalProvisioner):
    """Starts python kernels by forking the warm template; anything else as LocalProvisioner."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        """Fork the kernel from the template, or launch ``cmd`` as usual if it is not ipykernel."""
        if not (supported() and cmd[1:3] == _LAUNCHER):
            return await super().launch_kernel(cmd, **kwargs)
        parent = str(os.getpid())
        env = {**kwargs.get("env", os.environ), "JPY_PARENT_PID": parent}
        # ipykernel read JPY_PARENT_PID when the template imported it, so it is passed again.
        argv = [*cmd[3:], f"--IPKernelApp.parent_handle={parent}"]
        # papermill changes into the task's directory instead of passing cwd.
        self.cwd = kwargs.get("cwd") or os.getcwd()
        kernel = Template.get().fork(argv, env, self.cwd)
        # LocalProvisioner only polls, waits, signals and kills its process: ForkedKernel does all.
        self.process = kernel  # type: ignore[assignment]
        self.pid = self.pgid = kernel.pid  # the kernel leads its own session
        return self.connection_info


class ReadyClient(AsyncKernelClient):
    """A kernel client whose wait for a new kernel ends on the kernel's own idle message.

    jupyter_client's ``wait_for_ready`` ends after 0.2 s of silence on IOPub: with a forked
    kernel that is half of its start. Here it ends when the idle status that answers the
    ``kernel_info`` request arrives, which also proves IOPub is connected.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers ``kernel_info`` on shell and IOPub; raise if it dies."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            with contextlib.suppress(queue.Empty):
                if await self._idle_after(request, time.monotonic() + 1):
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle_after(self, request: str, until: float) -> bool:
        """Read the reply to ``request``, then IOPub up to its idle status; False if IOPub is mute."""
        while True:
            reply = await self.shell_channel.get_msg(timeout=max(0.0, until - time.monotonic()))
            if reply["parent_header"].get("msg_id") == request:
                self._handle_kernel_info_reply(reply)
                break
        # IOPub may still be connecting, and would then have missed the status: ask again.
        until = time.monotonic() + 0.2
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=max(0.0, until - time.monotonic()))
            except queue.Empty:
                return False
            idle = msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
            if idle and msg["parent_header"].get("msg_id") == request:
                return True


def _run_kernel(request: dict, middle: int) -> None:
    """In the forked kernel: become what ``python -m ipykernel_launcher ARGV`` would be."""
    while os.getppid() == middle:  # until adopted, or ipykernel's parent check fails
        time.sleep(0.001)
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # the template's stdout is its reply pipe
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    from ipykernel import kernelapp

    sys.argv = [sys.executable, *request["argv"]]
    kernelapp.launch_new_instance(argv=request["argv"])


def main() -> None:
    """The template: import once, then fork a kernel per request line on stdin."""
    # ipykernel sets this on start; matplotlib reads it on import, which happens here first.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build decides; kernels restore it
    import importlib

    for name in WARM_MODULES:
        # A module that fails to import is left to the kernel, whose cell then shows the error.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        middle = os.fork()
        if middle == 0:
            middle = os.getpid()
            kernel = os.fork()
            if kernel == 0:
                code = 1
                try:
                    _run_kernel(request, middle)
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 0
                finally:
                    os._exit(code)
            # Exiting hands the kernel to the nearest subreaper: the worker that asked for it.
            sys.stdout.write(f"{kernel}\n")
            sys.stdout.flush()
            os._exit(0)
        os.waitpid(middle, 0)


if __name__ == "__main__":
    main()


def kernel_manager_class(warm: bool = False):
    """A kernel manager talking to its kernel over IPC sockets beside its connection file.

    IPC keeps the sockets off the network, so the kernel has nothing to warn about and parallel
    tasks cannot collide on ports. With ``warm``, python kernels are forked from a template that
    has done the imports (:mod:`milresearch.build.kernels`).
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("client_factory")
        def _default_client_factory(self):
            return ReadyClient if warm else super()._client_factory_default()

        async def _async_pre_start_kernel(self, **kw):
            if warm and self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkProvisioner(
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
