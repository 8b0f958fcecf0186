"""Polling for tests that watch other processes (workers, kernels, a build holding a lock)."""

import time


def wait_for(condition, seconds: float = 60, every: float = 0.1) -> bool:
    """Whether ``condition()`` came true within ``seconds``, checked every ``every`` seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
