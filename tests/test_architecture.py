"""ARCHITECTURE.md's tree matches the package, and no module grows past the size a reader can hold."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "milresearch"
MAX_LINES = 400
"""The house rule: no module over about 400 lines; past this one must be split."""
FILE = re.compile(r"(?<![\w.<>])\w[\w.-]*\.(?:py|yml|css)\b")


def _tree() -> dict[str, set[str]]:
    """Folder (``""`` for the package's top level) to the file names its paragraph lists."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text.split("## The tree", 1)[1].split("```")[1]
    listed: dict[str, set[str]] = {}
    folder = None
    for line in block.splitlines():
        if line.startswith("src/milresearch/"):
            folder = ""
            continue
        head = re.match(r"^  ([a-z_]+)/\s", line)
        if head:
            folder = head.group(1)
        elif re.match(r"^\S", line):
            folder = None  # notebooks/, benchmarks/, tests/: outside the package
        if folder is not None:
            listed.setdefault(folder, set()).update(FILE.findall(line))
    return listed


def _package_files() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*"):
        if path.suffix not in (".py", ".yml", ".css") or path.name == "__init__.py":
            continue
        relative = path.relative_to(PACKAGE)
        if "templates" in relative.parts:
            continue
        folder = relative.parts[0] if len(relative.parts) > 1 else ""
        found.setdefault(folder, set()).add(path.name)
    return found


def test_every_module_and_data_file_is_in_the_tree_under_its_folder():
    listed, found = _tree(), _package_files()
    missing = {f: sorted(names - listed.get(f, set())) for f, names in found.items()}
    assert {f: n for f, n in missing.items() if n} == {}


def test_the_tree_names_no_file_that_is_not_there():
    listed, found = _tree(), _package_files()
    stale = {f: sorted(names - found.get(f, set())) for f, names in listed.items()}
    assert {f: n for f, n in stale.items() if n} == {}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_is_longer_than_a_reader_can_hold(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by concern"


def test_the_formatter_is_not_overridden_to_keep_a_module_short():
    # A module kept under the line limit by switching the formatter off only hides its length.
    marker = re.compile(r"#\s*fmt" r":\s*(skip|off)\b")
    files = [
        *PACKAGE.rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "benchmarks").rglob("*.py"),
    ]
    overridden = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marker.search(line)
    ]
    assert overridden == []
