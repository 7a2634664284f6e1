"""The repository's conftest.py runs learner notebooks in quick mode and solution notebooks in full."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def root_conftest():
    spec = importlib.util.spec_from_file_location("seqkeras_root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("notebooks/04_lstm_gru.ipynb", "1"),  # a learner copy: quick
        (ROOT / "notebooks" / "05_time_series.ipynb", "1"),
        ("notebooks/solutions/04_lstm_gru.ipynb", "0"),  # a solution copy: full
        (ROOT / "notebooks" / "solutions" / "05_time_series.ipynb", "0"),
        ("tests/test_notebook.py", None),  # anything else: left unset
        (ROOT / "tests" / "test_data.py", None),
    ],
)
def test_learner_notebooks_run_quick_and_solutions_in_full(root_conftest, path, expected):
    assert root_conftest.quick_setting(path, None) == expected


@pytest.mark.parametrize("user_value", ["0", "1", ""])
@pytest.mark.parametrize(
    "path", ["notebooks/04_lstm_gru.ipynb", "notebooks/solutions/04_lstm_gru.ipynb", "tests/test_data.py"]
)
def test_a_value_the_user_set_wins(root_conftest, path, user_value):
    assert root_conftest.quick_setting(path, user_value) == user_value


def test_the_hook_runs_before_nbval_starts_a_kernel(root_conftest):
    # nbval starts the kernel while pytest's own pytest_runtest_setup sets the file up
    assert root_conftest.pytest_runtest_setup.pytest_impl["tryfirst"] is True
