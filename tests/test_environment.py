"""environment.yml (conda) and pyproject.toml (pip) must declare the same dependencies."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
NOT_PACKAGES = {"python", "pip"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_name(r): r.replace(" ", "") for r in reqs}


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    reqs = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            reqs += [d for d in dep["pip"] if not d.startswith("-e")]
        else:
            reqs.append(dep)
    return {_name(r): r.replace(" ", "") for r in reqs if _name(r) not in NOT_PACKAGES}


def test_environment_and_pyproject_declare_the_same_packages():
    assert set(_environment()) == set(_pyproject())


def test_environment_and_pyproject_declare_the_same_minimum_versions():
    env, pyproject = _environment(), _pyproject()
    differing = {k: (env[k], pyproject[k]) for k in pyproject if env.get(k) != pyproject[k]}
    assert differing == {}


def test_lock_file_pins_every_declared_package():
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {
        _name(line) for line in lock.splitlines() if "==" in line and not line.startswith("#")
    }
    assert set(_pyproject()) - pinned == set()


def test_the_version_is_written_once_and_read_from_the_installed_metadata():
    import milresearch

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert milresearch.__version__ == declared
    written = [
        p
        for p in (ROOT / "src").rglob("*.py")
        if re.search(r"__version__\s*=\s*['\"]\d+\.\d+", p.read_text())
    ]
    assert written == []
