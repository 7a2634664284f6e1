"""environment.yml (conda) must declare the same packages as pyproject.toml (pip)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_requirements() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = meta["optional-dependencies"]
    return set(meta["dependencies"]) | {req for name in ("dev", "jax", "site") for req in extras[name]}


def _environment_pip_requirements() -> set[str]:
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\s*- pip:\s*$", line))
    reqs = set()
    for line in lines[start + 1 :]:
        m = re.match(r"\s+- (.+?)\s*$", line)
        if not m:
            break
        reqs.add(m.group(1))
    return reqs - {"-e ."}


def test_environment_yml_matches_pyproject():
    py, env = _pyproject_requirements(), _environment_pip_requirements()
    assert py == env, (
        f"only in pyproject.toml: {sorted(py - env)}; only in environment.yml: {sorted(env - py)}"
    )


def test_environment_yml_pins_python_311():
    assert "python=3.11" in (ROOT / "environment.yml").read_text()
