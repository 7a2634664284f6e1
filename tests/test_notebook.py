"""The notebook helpers: setup seeds everything, Progress reports one final line, timer prints."""

import keras
import numpy as np

from seqkeras.notebook import Progress, setup, timer


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


def test_timer_prints_label(capsys):
    with timer("work"):
        pass
    assert capsys.readouterr().out.startswith("work: ")


def test_public_names():
    import seqkeras.notebook

    assert seqkeras.notebook.__all__ == ["setup", "Progress", "timer"]
    assert not hasattr(seqkeras.notebook, "in_ci")  # removed: nothing used it
