"""seqkeras.layers: DenseRNNCell computes what SimpleRNN computes, saves and loads, rejects bad input."""

import keras
import numpy as np
import pytest

from seqkeras.layers import DenseRNNCell
from seqkeras.reference import rnn_forward


def data(batch=3, T=7, n_in=5, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, T, n_in)).astype("float32")


def copy_from_simple_rnn(cell, simple):
    cell.kernel.assign(simple.cell.kernel)
    cell.recurrent_kernel.assign(simple.cell.recurrent_kernel)
    cell.bias.assign(simple.cell.bias)


def test_state_and_output_size():
    cell = DenseRNNCell(8)
    assert cell.units == 8 and cell.state_size == 8 and cell.output_size == 8


@pytest.mark.parametrize("return_sequences", [True, False])
def test_matches_simple_rnn_after_weight_copy(return_sequences):
    x = data()
    simple = keras.layers.SimpleRNN(
        4, return_sequences=return_sequences, bias_initializer=keras.initializers.RandomNormal(seed=1)
    )
    ours = keras.layers.RNN(DenseRNNCell(4), return_sequences=return_sequences)
    expected = keras.ops.convert_to_numpy(simple(x))
    ours(x)  # build
    assert not np.allclose(keras.ops.convert_to_numpy(ours(x)), expected)  # not equal by chance
    copy_from_simple_rnn(ours.cell, simple)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(x)), expected, atol=1e-6)


def test_matches_numpy_reference_and_weight_shapes():
    x = data(n_in=3)
    layer = keras.layers.RNN(DenseRNNCell(6), return_sequences=True)
    out = keras.ops.convert_to_numpy(layer(x))
    cell = layer.cell
    assert tuple(cell.kernel.shape) == (3, 6)
    assert tuple(cell.recurrent_kernel.shape) == (6, 6)
    assert tuple(cell.bias.shape) == (6,)
    assert len(layer.trainable_weights) == 3
    U, W, b = (keras.ops.convert_to_numpy(v) for v in (cell.kernel, cell.recurrent_kernel, cell.bias))
    np.testing.assert_allclose(out, rnn_forward(x, None, U, W, b), atol=1e-5)


def test_two_dense_layers_are_the_parts():
    cell = DenseRNNCell(4)
    keras.layers.RNN(cell)(data())
    assert isinstance(cell.input_dense, keras.layers.Dense) and cell.input_dense.use_bias
    assert isinstance(cell.recurrent_dense, keras.layers.Dense) and not cell.recurrent_dense.use_bias


def test_save_load_round_trip(tmp_path):
    x = data(T=6, n_in=4)
    model = keras.Sequential(
        [
            keras.Input((6, 4)),
            keras.layers.RNN(DenseRNNCell(5, activation="relu")),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    before = keras.ops.convert_to_numpy(model(x))
    path = tmp_path / "rnn.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(loaded(x)), before)
    cell = loaded.layers[0].cell
    assert isinstance(cell, DenseRNNCell)
    assert cell.get_config()["units"] == 5 and cell.get_config()["activation"] == "relu"


def test_get_config_round_trip():
    cell = DenseRNNCell(3, name="my_cell")
    clone = DenseRNNCell.from_config(cell.get_config())
    assert clone.units == 3 and clone.name == "my_cell"


def test_accepts_numpy_int():
    assert DenseRNNCell(np.int64(4)).units == 4


@pytest.mark.parametrize("units", [0, -3, 2.5, 8.0, "8", None, True])
def test_bad_units_raise_a_clear_error(units):
    with pytest.raises(ValueError, match="units must be a positive integer.*DenseRNNCell\\(8\\)"):
        DenseRNNCell(units)


def test_cell_used_on_a_sequence_without_rnn_wrapper_explains():
    with pytest.raises(ValueError, match="keras.layers.RNN"):
        DenseRNNCell(4).build((None, 7, 3))


# --------------------------------------------------------------------------- SerialDenseRNNCell
from seqkeras.layers import SerialDenseRNNCell  # noqa: E402


def serial_forward(x, h0, W_in, b_in, W_h, b_h):
    """NumPy: h_t = tanh((h_{t-1} + relu(x_t W_in + b_in)) W_h + b_h), every state."""
    h, hs = h0, []
    for t in range(x.shape[1]):
        h = np.tanh((h + np.maximum(x[:, t] @ W_in + b_in, 0.0)) @ W_h + b_h)
        hs.append(h)
    return np.stack(hs, axis=1)


def serial_layer(units, n_in, seed=0, **kwargs):
    layer = keras.layers.RNN(SerialDenseRNNCell(units, **kwargs), return_sequences=True)
    layer.build((None, None, n_in))
    rng = np.random.default_rng(seed)
    layer.set_weights(
        [
            rng.normal(size=(n_in, units)),
            rng.normal(size=units) * 0.5,
            rng.normal(size=(units, units)) * 0.5,
            rng.normal(size=units) * 0.3,
        ]
    )
    return layer


@pytest.mark.parametrize("batch, T, n_in, units", [(3, 7, 5, 4), (1, 1, 2, 3), (2, 12, 3, 1)])
def test_serial_cell_matches_numpy_from_a_nonzero_state(batch, T, n_in, units):
    layer = serial_layer(units, n_in)
    x = data(batch, T, n_in, seed=2)
    h0 = np.random.default_rng(3).normal(size=(batch, units)).astype("float32")
    got = keras.ops.convert_to_numpy(layer(x, initial_state=[h0]))
    W_in, b_in, W_h, b_h = layer.get_weights()
    np.testing.assert_allclose(got, serial_forward(x, h0, W_in, b_in, W_h, b_h), atol=1e-5)


def test_serial_cell_weights_and_count():
    layer = serial_layer(6, 3)
    cell = layer.cell
    assert tuple(cell.input_dense.kernel.shape) == (3, 6) and tuple(cell.input_dense.bias.shape) == (6,)
    assert tuple(cell.hidden_dense.kernel.shape) == (6, 6) and tuple(cell.hidden_dense.bias.shape) == (6,)
    simple = keras.layers.SimpleRNN(6)
    simple.build((None, None, 3))
    assert layer.count_params() == simple.count_params() + 6 == 3 * 6 + 6 * 6 + 2 * 6


def test_serial_cell_without_relu_is_a_simple_rnn():
    # linear input layer: U = W_in W_h, W = W_h, b = b_in W_h + b_h reproduce it exactly
    layer = serial_layer(4, 3, input_activation="linear")
    W_in, b_in, W_h, b_h = layer.get_weights()
    simple = keras.layers.SimpleRNN(4, return_sequences=True)
    simple.build((None, None, 3))
    simple.set_weights([W_in @ W_h, W_h, b_in @ W_h + b_h])
    x = data(2, 6, 3)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(layer(x)), keras.ops.convert_to_numpy(simple(x)), atol=1e-5
    )


def test_serial_cell_with_relu_is_not_affine_in_the_input():
    # from h0 = 0 a SimpleRNN's first pre-activation x U + b is affine in x: a(x) + a(-x) = 2 a(0)
    layer = keras.layers.RNN(SerialDenseRNNCell(4))
    x = data(5, 1, 3, seed=4) * 0.3
    a = [np.arctanh(keras.ops.convert_to_numpy(layer(v))) for v in (x, -x, np.zeros_like(x))]
    assert np.abs(a[0] + a[1] - 2 * a[2]).max() > 1e-2


def test_serial_cell_save_load_round_trip(tmp_path):
    x = data(T=5, n_in=3)
    model = keras.Sequential(
        [
            keras.Input((None, 3)),
            keras.layers.Masking(),
            keras.layers.RNN(SerialDenseRNNCell(4, input_activation="sigmoid")),
            keras.layers.Dense(2),
        ]
    )
    before = keras.ops.convert_to_numpy(model(x))
    model.save(tmp_path / "serial.keras")
    loaded = keras.saving.load_model(tmp_path / "serial.keras")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(loaded(x)), before)
    cell = loaded.layers[1].cell
    assert isinstance(cell, SerialDenseRNNCell)
    assert cell.get_config()["units"] == 4 and cell.get_config()["input_activation"] == "sigmoid"


@pytest.mark.parametrize("units", [0, -1, 2.5, "4", None, True])
def test_serial_cell_bad_units(units):
    with pytest.raises(ValueError, match=r"units must be a positive integer.*SerialDenseRNNCell\(8\)"):
        SerialDenseRNNCell(units)


def test_serial_cell_without_rnn_wrapper_explains():
    with pytest.raises(ValueError, match="keras.layers.RNN"):
        SerialDenseRNNCell(4).build((None, 7, 3))
