"""Atomic writes, folder locks and write checks: a failed run leaves the last good file in place."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from milresearch.errors import DataError

# Folders this process holds a lock on: flock locks belong to an open file, so the same process
# taking a lock it holds (build, then the clean inside it) would wait for itself.
_HELD: set[Path] = set()


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` and move it into place only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes 0600 files; give the result the permissions a normal write would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_parquet(df, target: str | Path) -> None:
    """Write a DataFrame as Parquet atomically."""
    with atomic_path(target) as tmp:
        df.to_parquet(tmp, index=False)


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def folder_lock(folder: str | Path, what: str, name: str = ".lock") -> Iterator[None]:
    """Hold an exclusive lock on ``folder``; a second holder gets a clear error.

    The lock is an OS file lock, so it is released even when the holder is killed. A process
    may take a lock it already holds (a build cleans first, under the same lock).

    Args:
        folder: The folder the lock protects.
        what: What is running, for the message another process sees ("build", "clean").
        name: The lock file's path inside ``folder``.
    """
    path = Path(folder).resolve() / name
    if path in _HELD:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder, _, pid = handle.read().strip().partition("\n")
            raise DataError(
                f"another {holder or 'run'} is running (pid {pid or '?'})",
                path=folder,
                hint="wait for it to finish; two at once would overwrite each other's files",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what}\n{os.getpid()}")
        handle.flush()
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale(folder: str | Path, *patterns: str) -> list[Path]:
    """Delete what an interrupted run left behind in ``folder`` (call it holding the lock).

    Returns:
        The paths removed.
    """
    removed = []
    for pattern in patterns:
        for path in sorted(Path(folder).glob(pattern)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def check_writable(folder: Path, flag: str) -> None:
    """Fail now, not after minutes of work, when ``folder`` cannot take the outputs.

    Raises:
        DataError: When ``folder`` is a file, or cannot be created or written to.
    """
    if folder.exists() and not folder.is_dir():
        raise DataError(
            "is a file, not a folder",
            path=folder,
            where=flag,
            hint="give a folder (it is created if missing)",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise DataError(
            f"cannot be written to ({exc.strerror})",
            path=folder,
            where=flag,
            hint="choose a folder you can write to, or fix its permissions",
        ) from None
