"""Repository-wide pytest hooks: report how long each notebook took under nbval."""

from __future__ import annotations

import time
from collections import defaultdict

_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_call(item):
    """Time each notebook cell that nbval runs, per notebook."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if str(item.fspath).endswith(".ipynb"):
            _notebook_seconds[item.fspath.relto(str(item.config.rootpath)) or str(item.fspath)] += (
                time.perf_counter() - start
            )


pytest_runtest_call.hookwrapper = True  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter):
    """Print the time each notebook took, and the total."""
    if not _notebook_seconds:
        return
    terminalreporter.section("time per notebook")
    for path, seconds in sorted(_notebook_seconds.items()):
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  all notebooks")
