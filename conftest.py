"""Repository-wide pytest hooks: report how long each notebook took under nbval.

The time of each notebook cell is measured where the cell runs (a pytest-xdist worker when
``make test`` runs notebooks side by side) and travels to the main process in the test
report, which sums it per notebook.
"""

from __future__ import annotations

import time
from collections import defaultdict

_KEY = "seqkeras_seconds"
_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_call(item):
    """Time each notebook cell that nbval runs; the time rides on the test report."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if str(item.fspath).endswith(".ipynb"):
            item.user_properties.append((_KEY, time.perf_counter() - start))


pytest_runtest_call.hookwrapper = True  # type: ignore[attr-defined]


def pytest_runtest_logreport(report):
    """Add up the cell times per notebook (in the main process, with or without xdist)."""
    if report.when != "call":
        return
    path = report.nodeid.split("::")[0]
    for key, seconds in report.user_properties:
        if key == _KEY and path.endswith(".ipynb"):
            _notebook_seconds[path] += seconds


def pytest_terminal_summary(terminalreporter):
    """Print the time each notebook took, and the total."""
    if not _notebook_seconds:
        return
    terminalreporter.section("time per notebook")
    for path, seconds in sorted(_notebook_seconds.items()):
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
    terminalreporter.write_line(
        f"{sum(_notebook_seconds.values()):7.1f} s  all notebooks (their sum; with several workers "
        "the wall time is less)"
    )
