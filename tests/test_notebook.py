"""The notebook helpers: setup seeds everything, Progress reports one final line, timer prints,
budget and claim switch between full settings and quick mode."""

import keras
import numpy as np
import pytest

import seqkeras.notebook
from seqkeras.notebook import Progress, budget, claim, setup, timer


def test_setup_makes_numpy_and_keras_repeatable(capsys):
    setup(seed=3)
    a, k1 = np.random.rand(3), keras.random.uniform((3,))
    setup(seed=3, show_versions=False)
    b, k2 = np.random.rand(3), keras.random.uniform((3,))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(k1), keras.ops.convert_to_numpy(k2))
    assert "Keras" in capsys.readouterr().out


def test_progress_prints_one_final_line_outside_jupyter(capsys):
    setup(seed=0, show_versions=False)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2)), np.zeros((8, 1))
    model.fit(x, y, epochs=3, verbose=0, validation_data=(x, y), callbacks=[Progress("tiny")])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("tiny: epoch 3/3") and "val_loss" in lines[0]


def test_progress_in_jupyter_moves_within_the_first_epoch_and_ends_on_the_final_line(monkeypatch, capsys):
    class Handle:
        def __init__(self):
            self.shown = []

        def update(self, obj):
            self.shown.append(repr(obj))

    handle = Handle()
    monkeypatch.setattr(seqkeras.notebook, "_display_handle", lambda: handle)
    monkeypatch.setattr(Progress, "TICK_S", 0.0)  # every batch, so that the test is quick
    setup(seed=0, show_versions=False)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2)), np.zeros((8, 1))
    model.fit(x, y, batch_size=2, epochs=2, verbose=0, callbacks=[Progress("tiny")])
    assert capsys.readouterr().out == ""  # in Jupyter nothing is printed, the display is updated
    assert handle.shown[0].startswith("tiny: epoch 1/2  starting")
    assert handle.shown[1].startswith("tiny: epoch 1/2  batch 1/4  loss")  # after the first batch
    assert any(s.startswith("tiny: epoch 2/2  batch 4/4") for s in handle.shown)
    assert handle.shown[-1].startswith("tiny: epoch 2/2  loss") and "batch" not in handle.shown[-1]


def test_timer_prints_label(capsys):
    with timer("work"):
        pass
    assert capsys.readouterr().out.startswith("work: ")


def test_public_names():
    import seqkeras.notebook

    assert seqkeras.notebook.__all__ == ["setup", "Progress", "timer", "QUICK", "budget", "claim"]
    assert not hasattr(seqkeras.notebook, "in_ci")  # removed: nothing used it


@pytest.mark.parametrize(
    ("value", "quick"), [(None, False), ("", False), ("0", False), ("1", True), (" 1 ", True)]
)
def test_quick_mode_is_read_from_the_environment(value, quick):
    environ = {} if value is None else {"SEQKERAS_QUICK": value}
    assert seqkeras.notebook._quick_from(environ) is quick


@pytest.mark.parametrize("value", ["true", "yes", "2"])
def test_an_unclear_quick_setting_is_an_error(value):
    with pytest.raises(ValueError, match="SEQKERAS_QUICK='.*' is not understood: set it to 1"):
        seqkeras.notebook._quick_from({"SEQKERAS_QUICK": value})


def test_quick_is_off_unless_the_environment_says_so():
    import os

    assert seqkeras.notebook.QUICK is (os.environ.get("SEQKERAS_QUICK", "").strip() == "1")


@pytest.mark.parametrize("quick", [False, True])
def test_budget_picks_by_mode(monkeypatch, quick):
    monkeypatch.setattr(seqkeras.notebook, "QUICK", quick)
    assert budget(8, 1) == (1 if quick else 8)
    assert budget(0.5, 0.1) == (0.1 if quick else 0.5)
    assert budget(None, 20) == (20 if quick else None)  # None: "all of them"
    assert budget((5, 10, 20, 50), (5, 50)) == ((5, 50) if quick else (5, 10, 20, 50))
    assert budget(3, 3) == 3


@pytest.mark.parametrize("quick", [False, True])
def test_budget_rejects_swapped_or_missing_values(monkeypatch, quick):
    monkeypatch.setattr(seqkeras.notebook, "QUICK", quick)
    with pytest.raises(ValueError, match=r"quick value is larger.*budget\(full, quick\)"):
        budget(1, 8)
    with pytest.raises(TypeError):
        budget(8)  # type: ignore[call-arg]


def test_claim_is_asserted_at_full_settings(monkeypatch):
    monkeypatch.setattr(seqkeras.notebook, "QUICK", False)
    claim(True, "holds")
    claim(np.float64(0.97) > 0.9, "a NumPy bool")
    with pytest.raises(AssertionError, match="^accuracy 0.42 should be above 0.9$"):
        claim(0.42 > 0.9, "accuracy 0.42 should be above 0.9")
    with pytest.raises(AssertionError):
        claim(np.bool_(False), "a NumPy False")


def test_claim_is_not_checked_in_quick_mode(monkeypatch):
    monkeypatch.setattr(seqkeras.notebook, "QUICK", True)
    claim(False, "not checked in quick mode")
    claim(np.bool_(False), "nor a NumPy False")
    claim(True, "holds")


@pytest.mark.parametrize("quick", [False, True])
def test_claim_rejects_misuse_in_both_modes(monkeypatch, quick):
    monkeypatch.setattr(seqkeras.notebook, "QUICK", quick)
    with pytest.raises(TypeError, match="message string second"):
        claim("the message first", True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ambiguous"):  # an array is not one claim
        claim(np.array([0.9, 0.95]) > 0.5, "use .all()")
