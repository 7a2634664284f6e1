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


@pytest.mark.parametrize(
    ("cores", "workers", "expected"), [(2, 2, 1), (2, 1, 2), (8, 2, 4), (3, 2, 1), (1, 4, 1), (None, 2, 1)]
)
def test_each_worker_gets_its_share_of_the_cores(root_conftest, cores, workers, expected):
    assert root_conftest.threads_per_worker(cores, workers) == expected


def test_costly_files_are_handed_out_first(root_conftest):
    class Item:  # what the hook reads of a pytest item
        def __init__(self, path):
            self.path = ROOT / path

    names = [
        "tests/test_data.py",
        "notebooks/03_char_lm.ipynb",
        "notebooks/solutions/03_char_lm.ipynb",
        "tests/test_text.py",
        "notebooks/solutions/08_attention.ipynb",
        "notebooks/solutions/08_attention_translation.ipynb",
        "notebooks/08_attention.ipynb",
        "notebooks/solutions/08_attention.ipynb",  # a second cell of the same file
    ]
    original = [Item(name) for name in names]
    items = list(original)
    root_conftest.pytest_collection_modifyitems(None, items)
    order = [str(item.path.relative_to(ROOT)) for item in items]
    assert order == [
        "notebooks/solutions/08_attention_translation.ipynb",
        "notebooks/solutions/08_attention.ipynb",
        "notebooks/solutions/08_attention.ipynb",
        "notebooks/solutions/03_char_lm.ipynb",
        "notebooks/08_attention.ipynb",
        "notebooks/03_char_lm.ipynb",
        "tests/test_text.py",
        "tests/test_data.py",
    ]
    assert items[1] is original[4] and items[2] is original[7]  # a file's own tests keep their order


def test_make_keeps_that_order():
    # pytest-xdist reorders files by their number of tests unless told not to
    assert "--no-loadscope-reorder" in (ROOT / "Makefile").read_text()
