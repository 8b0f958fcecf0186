"""Measuring a command: wall time and the peak memory of its whole process tree.

Peak memory is the largest resident set of the command and every process it starts (kernels
included), sampled from /proc every 50 ms.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
BIN = Path(sys.executable).parent


def _tree_rss(pid: int) -> int:
    """Resident memory in bytes of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) * 1024 if "VmRSS:" in status else 0
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def measure(command: list[str], *, cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run a command; return its wall time (s) and the peak RSS (GB) of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{' '.join(command)} failed:\n{error[-2000:]}")
    return {"seconds": round(seconds, 3), "peak_gb": round(peak / 1e9, 3)}


def median_of(runs: list[dict]) -> dict:
    """Median seconds and peak memory of several runs, with every run's seconds."""
    return {
        "seconds": round(statistics.median(r["seconds"] for r in runs), 3),
        "peak_gb": round(statistics.median(r["peak_gb"] for r in runs), 3),
        "runs": [r["seconds"] for r in runs],
    }


def repeat(command: list[str], runs: int, **kwargs) -> dict:
    """The median of ``runs`` measurements of a command."""
    return median_of([measure(command, **kwargs) for _ in range(runs)])
