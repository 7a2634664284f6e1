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


def test_readme_gives_the_two_commands_before_the_lessons():
    """The project's first promise: on a fresh machine, two commands from the README set up
    everything, one to open the course and one to run every test. A README rewrite once
    dropped them; this keeps them in the README, near the top, as commands to copy."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Getting started" in readme, "the README has no 'Getting started' section"
    start = readme.index("## Getting started")
    assert start < readme.index("## Lessons"), "'Getting started' must come before the lesson table"
    section = readme[start : readme.index("\n## ", start + 1)]
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section, flags=re.S)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    for command in ("make lab", "make test"):
        assert command in commands, f"the README's 'Getting started' does not give `{command}` as a command"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("lab", "test"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"the Makefile has no '{target}' target"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M), ".ci/run must call the README's test command"
