"""The pipeline's stages and the code each one depends on, for cache keys.

A stage is declared by its entry modules (:data:`STAGES`). Its code is every module of the
package those import, directly or inside a function, found by reading the source (nothing is
imported), plus the declared data files (YAML, CSS, templates) in the folders of those modules.
A stage's fingerprint hashes that code with comments, docstrings and layout left out, so editing
a sample generator, a benchmark, a test, the README, a docstring or a lint setting changes no key
and nothing is re-cleaned or rebuilt.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE = "milresearch"

STAGES: dict[str, tuple[str, ...]] = {
    "clean": ("milresearch.clean.step",),
    "analysis": ("milresearch.analysis.steps",),
    "report": (
        "milresearch.reports.country",
        "milresearch.reports.regional",
        "milresearch.build.html",
    ),
    "observatory": ("milresearch.reports.observatory",),
}
"""Stage name to the modules it runs: cleaning, a report's analysis, a whole report, the
observatory pages (catalog, tracker, evidence map)."""

DATA_SUFFIXES = (".yml", ".css", ".j2", ".json")
"""Files beside the code that a stage reads as declared data."""


def module_path(module: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The source file of a ``milresearch`` module, or None for a name that is not one."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = package_dir.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(module: str, package_dir: Path) -> set[str]:
    """The package's modules ``module`` imports anywhere in its source, and its parents."""
    path = module_path(module, package_dir)
    if path is None:
        return set()
    # `from milresearch.x import y` names a module y or a name of x: keep what exists.
    found = {name for name in _read(path).imports if module_path(name, package_dir) is not None}
    # Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
    for name in list(found) + [module]:
        parts = name.split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return found


def stage_modules(stage: str, package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Every package module a stage's entry modules import, directly or not, sorted."""
    seen: set[str] = set()
    todo = list(STAGES[stage])
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_imported(module, package_dir) - seen)
    return sorted(m for m in seen if module_path(m, package_dir) is not None)


def stage_files(stage: str, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """A stage's source files and the declared data files in their folders."""
    sources = {module_path(m, package_dir) for m in stage_modules(stage, package_dir)}
    files = {p for p in sources if p is not None}
    for folder in {p.parent for p in files if p.parent != package_dir}:
        files.update(p for p in folder.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file())
    return sorted(files)


@dataclass(frozen=True)
class _Source:
    """What one module's source says: the names it imports and what it does."""

    imports: frozenset[str]
    digest: bytes
    """Hash of the syntax tree without docstrings."""


SOURCE_CACHE = PACKAGE_DIR / "__pycache__" / "milresearch-stages.cache"
"""What each module source says, by the hash of its bytes, kept between runs beside Python's
own byte-code cache: parsing the package's modules costs a second a build. A lost or unreadable
cache is parsed again."""

_SOURCES: dict[bytes, _Source] = {}
"""Read sources by the hash of their bytes: each text is parsed once per process."""
_LOADED: dict[bytes, _Source] = {}
"""What :data:`SOURCE_CACHE` held when this process first read it."""
_CACHE_ENTRIES = 2000
"""At most this many sources are kept: those this process read first, then the newest others."""


def _cached() -> dict[bytes, _Source]:
    if not _LOADED and not _SOURCES:  # read once, when this process reads its first source
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
            cache = json.loads(SOURCE_CACHE.read_text(encoding="utf-8"))
            # Entries written by another version of this module may have been parsed otherwise.
            stored = cache["sources"] if cache["parser"] == _parser() else {}
            _LOADED.update(
                {
                    bytes.fromhex(key): _Source(
                        frozenset(value["imports"]), bytes.fromhex(value["digest"])
                    )
                    for key, value in stored.items()
                }
            )
    return _LOADED


def _parser() -> str:
    """The hash of this module's source: the parser that wrote a cache entry."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _save_cache() -> None:
    """Write the sources this process read to :data:`SOURCE_CACHE`, if it can (atomically)."""
    if all(key in _LOADED for key in _SOURCES):
        return
    # Edited sources leave entries behind: the oldest of them go first.
    older = [k for k in _LOADED if k not in _SOURCES]
    keep = older[max(0, len(older) - max(0, _CACHE_ENTRIES - len(_SOURCES))) :]
    found = {**{k: _LOADED[k] for k in keep}, **_SOURCES}
    sources = {
        key.hex(): {"imports": sorted(v.imports), "digest": v.digest.hex()}
        for key, v in found.items()
    }
    text = json.dumps({"parser": _parser(), "sources": sources})
    with contextlib.suppress(OSError):
        SOURCE_CACHE.parent.mkdir(exist_ok=True)
        partial = SOURCE_CACHE.with_name(f"{SOURCE_CACHE.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, SOURCE_CACHE)
        _LOADED.clear()
        _LOADED.update(found)


def _read(path: Path) -> _Source:
    data = path.read_bytes()
    key = hashlib.sha256(data).digest()
    if key not in _SOURCES:
        _SOURCES[key] = _cached().get(key) or _parse(data)
    return _SOURCES[key]


def _parse(data: bytes) -> _Source:
    tree = ast.parse(data)
    imports: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imports.add(node.module)
            imports.update(f"{node.module}.{a.name}" for a in node.names)
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            # A docstring says what the code does; it does not change it.
            body[0] = ast.Pass()
    dump = ast.dump(tree, include_attributes=False).encode()
    return _Source(frozenset(imports), hashlib.sha256(dump).digest())


def _code_digest(path: Path) -> bytes:
    """What a file does: a module's syntax tree without docstrings, or a data file's bytes."""
    return _read(path).digest if path.suffix == ".py" else path.read_bytes()


def stage_fingerprint(stage: str, package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of the code and declared data a stage runs (comments, docstrings, layout ignored).

    Args:
        stage: A key of :data:`STAGES`.
        package_dir: The package's folder (another copy of it in tests).
    """
    digest = hashlib.sha256(stage.encode())
    for path in stage_files(stage, package_dir):
        digest.update(str(path.relative_to(package_dir)).encode())
        digest.update(_code_digest(path))
    _save_cache()
    return digest.hexdigest()
