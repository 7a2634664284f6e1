"""Repository-wide pytest hooks: run learner notebooks in quick mode, and report how long
each notebook took under nbval.

Quick mode: the learner copy of a lesson (``notebooks/NN_x.ipynb``) repeats its solution copy
(``notebooks/solutions/NN_x.ipynb``) but for the exercise cells, so the test suite runs it with
``SEQKERAS_QUICK=1`` in its kernel's environment: every cell still runs, with the training
budgets cut (``seqkeras.notebook.budget``) and the learning claims not checked
(``seqkeras.notebook.claim``). The solution copy runs at full settings, every claim asserted.
``SEQKERAS_QUICK`` set in pytest's own environment wins for every notebook:
``SEQKERAS_QUICK=0 make test`` runs the learner copies in full too.

Timing: the time of each notebook cell is measured where the cell runs (a pytest-xdist worker
when ``make test`` runs notebooks side by side) and travels to the main process in the test
report, which sums it per notebook.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

_KEY = "seqkeras_seconds"
_notebook_seconds: dict[str, float] = defaultdict(float)


def threads_per_worker(cores: int | None, workers: int) -> int:
    """How many threads each of ``workers`` test processes should give its maths library.

    The cores shared out evenly, at least one each. Two notebooks side by side on a 2-core
    machine, each with TensorFlow's default of one thread per core, fight over the cores: the
    translator of lessons 07-08 trained 1.4 times faster per process with one thread each than
    with two (measured with ``seqkeras.bench``, two processes at once on 2 cores).
    """
    return max(1, (cores or 1) // max(1, workers))


# Set before any test imports TensorFlow or JAX, here and in the notebook kernels (which inherit
# this process's environment); a value the user set is kept.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    _threads = str(threads_per_worker(os.cpu_count(), _WORKERS))
    for _name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(_name, _threads)
    if "XLA_FLAGS" not in os.environ and _threads == "1":  # JAX on the CPU: one thread
        os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

QUICK_VARIABLE = "SEQKERAS_QUICK"
# What the person running pytest chose, read once, before any test changed it (each
# pytest-xdist worker reads it from the environment it inherited).
_USER_QUICK = os.environ.get(QUICK_VARIABLE)


def quick_setting(path: str | os.PathLike, user_value: str | None) -> str | None:
    """The value of ``SEQKERAS_QUICK`` for a test item in the file ``path``; None: unset.

    A value the user set wins everywhere. Otherwise a learner notebook (an ``.ipynb`` not in
    ``notebooks/solutions/``) runs quick ("1"), a solution notebook in full ("0"), and any other
    test with the variable unset, as the user left it.
    """
    if user_value is not None:
        return user_value
    path = Path(path)
    if path.suffix != ".ipynb":
        return None
    return "0" if path.parent.name == "solutions" else "1"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Set ``SEQKERAS_QUICK`` for the item's file before pytest sets the file up.

    nbval starts a notebook's kernel, which inherits this process's environment, when the
    notebook's first cell is set up (``IPyNbFile.setup``); ``tryfirst`` puts this before it.
    """
    value = quick_setting(item.path, _USER_QUICK)
    if value is None:
        os.environ.pop(QUICK_VARIABLE, None)
    else:
        os.environ[QUICK_VARIABLE] = value


def run_group(path: str | os.PathLike) -> int:
    """Which comes first when ``make test`` hands whole test files to its workers.

    0: the solution notebooks (full training), 1: the learner copies (quick mode), 2: the unit
    tests, many short files that fill the gaps at the end. Within a group the files go in
    reverse name order, the later lessons (which train longer) first; see
    :func:`pytest_collection_modifyitems`.
    """
    path = Path(path)
    if path.suffix != ".ipynb":
        return 2
    return 0 if path.parent.name == "solutions" else 1


def pytest_collection_modifyitems(config, items):
    """Costly files first, so that two workers end together (``--no-loadscope-reorder`` keeps this
    order; pytest-xdist would otherwise start with the files of most tests). Started last, as they
    were, a 15-minute notebook kept one worker busy long after the other had finished. Both sorts
    are stable: a file's own tests keep their order."""
    items.sort(key=lambda item: item.path.name, reverse=True)
    items.sort(key=lambda item: run_group(item.path))


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
