"""The NumPy LSTM and GRU of lesson 04 equal Keras' layers with the same weights; clipping and
parameter counts agree with Keras too."""

import keras
import numpy as np
import pytest

import seqkeras.reference as ref


def _numpy(v):
    return np.asarray(keras.ops.convert_to_numpy(v), dtype=float)


def _random_weights(layer, rng, scale=0.5):
    """Random non-zero weights of the layer's own shapes (zero biases would hide bias bugs)."""
    layer.set_weights([rng.normal(size=w.shape).astype("float32") * scale for w in layer.get_weights()])
    return [w.astype(float) for w in layer.get_weights()]


SHAPES = [  # batch, T, n_in, n_h
    (1, 1, 3, 2),  # one example, one step
    (3, 7, 4, 5),  # non-square: n_in < n_h
    (2, 5, 6, 3),  # n_in > n_h
    (4, 12, 4, 4),  # square (a swapped kernel would not crash)
]


@pytest.mark.parametrize("batch, T, n_in, n_h", SHAPES)
def test_lstm_forward_equals_keras_with_copied_weights(batch, T, n_in, n_h):
    rng = np.random.default_rng(batch * 100 + T)
    layer = keras.layers.LSTM(n_h, return_sequences=True, return_state=True)
    layer.build((None, T, n_in))
    kernel, recurrent, bias = _random_weights(layer, rng)
    x = rng.normal(size=(batch, T, n_in))
    h0, C0 = rng.normal(size=(batch, n_h)), rng.normal(size=(batch, n_h))
    hs_k, h_k, C_k = (
        _numpy(o)
        for o in layer(x.astype("float32"), initial_state=[h0.astype("float32"), C0.astype("float32")])
    )
    hs, Cs = ref.lstm_forward(x, h0, C0, kernel, recurrent, bias)
    assert hs.shape == Cs.shape == (batch, T, n_h)
    np.testing.assert_allclose(hs, hs_k, atol=1e-5)
    np.testing.assert_allclose(hs[:, -1], h_k, atol=1e-5)
    np.testing.assert_allclose(Cs[:, -1], C_k, atol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("batch, T, n_in, n_h", SHAPES)
def test_gru_forward_equals_keras_for_both_variants(batch, T, n_in, n_h, reset_after):
    rng = np.random.default_rng(batch * 100 + T + reset_after)
    layer = keras.layers.GRU(n_h, return_sequences=True, return_state=True, reset_after=reset_after)
    layer.build((None, T, n_in))
    kernel, recurrent, bias = _random_weights(layer, rng)
    assert bias.shape == ((2, 3 * n_h) if reset_after else (3 * n_h,))
    x = rng.normal(size=(batch, T, n_in))
    h0 = rng.normal(size=(batch, n_h))
    hs_k, h_k = (_numpy(o) for o in layer(x.astype("float32"), initial_state=[h0.astype("float32")]))
    hs = ref.gru_forward(x, h0, kernel, recurrent, bias)
    np.testing.assert_allclose(hs, hs_k, atol=1e-5)
    np.testing.assert_allclose(hs[:, -1], h_k, atol=1e-5)


def test_the_two_gru_variants_differ():
    rng = np.random.default_rng(0)
    kernel, recurrent = rng.normal(size=(3, 12)), rng.normal(size=(4, 12))
    bias = rng.normal(size=(2, 12))
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    after = ref.gru_step(x, h, kernel, recurrent, bias)
    before = ref.gru_step(x, h, kernel, recurrent, bias[0] + bias[1])
    assert np.abs(after - before).max() > 1e-2
    # ... but they agree when the state is zero and the recurrent bias of h~ is zero
    b = bias.copy()
    b[1, 8:] = 0
    np.testing.assert_allclose(
        ref.gru_step(x, 0 * h, kernel, recurrent, b),
        ref.gru_step(x, 0 * h, kernel, recurrent, b[0] + b[1]),
        atol=1e-12,
    )


def test_steps_are_the_forward_pass_and_zeros_are_the_default_state():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 4, 3))
    K, R, b = rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    hs, Cs = ref.lstm_forward(x, None, None, K, R, b)
    h, C = np.zeros((2, 2)), np.zeros((2, 2))
    for t in range(4):
        h, C = ref.lstm_step(x[:, t], h, C, K, R, b)
        np.testing.assert_allclose(hs[:, t], h)
        np.testing.assert_allclose(Cs[:, t], C)
    Kg, Rg, bg = rng.normal(size=(3, 6)), rng.normal(size=(2, 6)), rng.normal(size=(2, 6))
    hs = ref.gru_forward(x, None, Kg, Rg, bg)
    h = np.zeros((2, 2))
    for t in range(4):
        h = ref.gru_step(x[:, t], h, Kg, Rg, bg)
        np.testing.assert_allclose(hs[:, t], h)


def test_gates_are_returned_in_keras_order_with_their_ranges():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 6, 2)) * 3
    K, R, b = rng.normal(size=(2, 16)), rng.normal(size=(4, 16)), rng.normal(size=16)
    hs, Cs, gates = ref.lstm_forward(x, None, None, K, R, b, return_gates=True)
    assert list(gates) == list(ref.LSTM_GATES) == ["i", "f", "C_tilde", "o"]
    for name in ("i", "f", "o"):
        assert gates[name].shape == (3, 6, 4) and 0 < gates[name].min() and gates[name].max() < 1
    assert gates["C_tilde"].min() < 0  # tanh, not sigmoid
    np.testing.assert_allclose(hs, gates["o"] * np.tanh(Cs))
    np.testing.assert_allclose(
        Cs[:, 1:], gates["f"][:, 1:] * Cs[:, :-1] + (gates["i"] * gates["C_tilde"])[:, 1:]
    )
    # the i block of the fused kernel drives the i gate alone
    K2 = K.copy()
    K2[:, :4] += 5.0
    _, _, g2 = ref.lstm_forward(x, None, None, K2, R, b, return_gates=True)
    np.testing.assert_allclose(g2["i"][:, 0] != gates["i"][:, 0], True)
    np.testing.assert_allclose(g2["f"][:, 0], gates["f"][:, 0])
    _, g = ref.gru_forward(
        x,
        None,
        rng.normal(size=(2, 12)),
        rng.normal(size=(4, 12)),
        rng.normal(size=(2, 12)),
        return_gates=True,
    )
    assert list(g) == ["z", "r", "h_tilde"]
    assert 0 < g["z"].min() and g["r"].max() < 1 and g["h_tilde"].min() < 0


def test_split_gates_slices_the_last_axis_in_order():
    fused = np.arange(2 * 8).reshape(2, 8)
    parts = ref.split_gates(fused)
    assert list(parts) == ["i", "f", "C_tilde", "o"]
    np.testing.assert_array_equal(parts["f"], fused[:, 2:4])
    gru = ref.split_gates(np.arange(6), ref.GRU_GATES)
    np.testing.assert_array_equal(gru["h_tilde"], [4, 5])
    with pytest.raises(ValueError, match="multiple of 4"):
        ref.split_gates(np.zeros((3, 6)))


def test_extreme_inputs_stay_finite_without_warnings():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 2)) * 1e4
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        hs, Cs = ref.lstm_forward(
            x, None, None, rng.normal(size=(2, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
        )
        hg = ref.gru_forward(x, None, rng.normal(size=(2, 6)), rng.normal(size=(2, 6)), np.zeros((2, 6)))
    assert np.isfinite(hs).all() and np.isfinite(Cs).all() and np.isfinite(hg).all()
    assert np.abs(hs).max() <= 1 and np.abs(hg).max() <= 1


def test_inputs_are_not_modified():
    rng = np.random.default_rng(4)
    args = [
        rng.normal(size=(2, 3)),
        rng.normal(size=(2, 2)),
        rng.normal(size=(2, 2)),
        rng.normal(size=(3, 8)),
        rng.normal(size=(2, 8)),
        rng.normal(size=8),
    ]
    saved = [a.copy() for a in args]
    ref.lstm_step(*args)
    for a, s in zip(args, saved):
        np.testing.assert_array_equal(a, s)


#: Weights of an LSTM and a GRU (reset_after) with n_in = 3, n_h = 2.
LSTM_W = (np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8))
GRU_W = (np.zeros((3, 6)), np.zeros((2, 6)), np.zeros((2, 6)))


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: ref.lstm_step(
                np.zeros((2, 3)), None, None, np.zeros((3, 8)), np.zeros((2, 6)), np.zeros(8)
            ),
            r"recurrent_kernel has shape \(2, 6\), expected \(n_h, 4 n_h\).*GRU",
        ),
        (
            lambda: ref.lstm_step(
                np.zeros((2, 3)), None, None, np.zeros((8, 3)), np.zeros((2, 8)), np.zeros(8)
            ),
            r"kernel has shape \(8, 3\), expected \(n_in, 8\)",
        ),
        (
            lambda: ref.lstm_step(np.zeros(3), None, None, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8)),
            "add a batch axis",
        ),
        (
            lambda: ref.lstm_step(
                np.zeros((2, 3)), np.zeros((2, 3)), None, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8)
            ),
            r"h_prev \(batch, n_h\) has shape \(2, 3\)",
        ),
        (
            lambda: ref.gru_step(
                np.zeros((2, 3)), None, np.zeros((3, 6)), np.zeros((2, 6)), np.zeros((3, 6))
            ),
            r"bias has shape \(3, 6\), expected \(2, 6\) or \(6,\)",
        ),
        (
            lambda: ref.gru_forward(np.zeros((2, 3)), None, np.zeros((3, 6)), np.zeros((2, 6)), np.zeros(6)),
            "expected 3-D",
        ),
        (
            lambda: ref.gru_step(np.zeros((2, 3)), None, np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8)),
            "LSTM",
        ),
        # each input checked against the weights: a wrong n_in, batch or n_h is named, never
        # broadcast into a wrong answer or left to a NumPy matmul error
        (
            lambda: ref.lstm_step(np.zeros((2, 4)), None, None, *LSTM_W),
            r"x_t \(batch, n_in\) has shape \(2, 4\), expected \(any, 3\)",
        ),
        (
            lambda: ref.lstm_forward(np.zeros((2, 5, 4)), None, None, *LSTM_W),
            r"x \(batch, T, n_in\) has shape \(2, 5, 4\), expected \(any, any, 3\)",
        ),
        (lambda: ref.gru_step(np.zeros((2, 4)), None, *GRU_W), r"x_t \(batch, n_in\) has shape \(2, 4\)"),
        (
            lambda: ref.gru_forward(np.zeros((2, 5, 4)), None, *GRU_W),
            r"x \(batch, T, n_in\) has shape \(2, 5, 4\)",
        ),
        (
            lambda: ref.lstm_step(np.zeros((3, 3)), np.zeros((1, 2)), None, *LSTM_W),
            r"h_prev \(batch, n_h\) has shape \(1, 2\), expected \(3, 2\)",
        ),
        (
            lambda: ref.lstm_step(np.zeros((3, 3)), None, np.zeros((1, 2)), *LSTM_W),
            r"C_prev \(batch, n_h\) has shape \(1, 2\), expected \(3, 2\)",
        ),
        (
            lambda: ref.lstm_step(np.zeros((3, 3)), None, np.zeros((3, 1)), *LSTM_W),
            r"C_prev \(batch, n_h\) has shape \(3, 1\), expected \(3, 2\)",
        ),
        (
            lambda: ref.lstm_forward(np.zeros((3, 5, 3)), np.zeros((1, 2)), None, *LSTM_W),
            r"h0 \(batch, n_h\) has shape \(1, 2\), expected \(3, 2\)",
        ),
        (
            lambda: ref.lstm_forward(np.zeros((3, 5, 3)), None, np.zeros((3, 1)), *LSTM_W),
            r"C0 \(batch, n_h\) has shape \(3, 1\), expected \(3, 2\)",
        ),
        (
            lambda: ref.gru_step(np.zeros((3, 3)), np.zeros((1, 2)), *GRU_W),
            r"h_prev \(batch, n_h\) has shape \(1, 2\), expected \(3, 2\)",
        ),
        (
            lambda: ref.gru_step(np.zeros((3, 3)), np.zeros((3, 3)), *GRU_W),
            r"h_prev \(batch, n_h\) has shape \(3, 3\), expected \(3, 2\)",
        ),
        (
            lambda: ref.gru_forward(np.zeros((3, 5, 3)), np.zeros((3, 1)), *GRU_W),
            r"h0 \(batch, n_h\) has shape \(3, 1\), expected \(3, 2\)",
        ),
        # a recurrent kernel that fits neither cell: no guess, and the layer named exactly
        (
            lambda: ref.lstm_step(
                np.zeros((2, 3)), None, None, np.zeros((3, 8)), np.zeros((2, 10)), np.zeros(8)
            ),
            r"recurrent_kernel has shape \(2, 10\), expected \(n_h, 4 n_h\): the LSTM's 4 gates side by "
            r"side, as keras\.layers\.LSTM\.get_weights\(\)\[1\] returns it\.$",
        ),
        (
            lambda: ref.gru_forward(
                np.zeros((2, 5, 3)), None, np.zeros((3, 6)), np.zeros((2, 10)), np.zeros(6)
            ),
            r"recurrent_kernel has shape \(2, 10\), expected \(n_h, 3 n_h\): the GRU's 3 gates side by "
            r"side, as keras\.layers\.GRU\.get_weights\(\)\[1\] returns it\.$",
        ),
    ],
)
def test_bad_shapes_get_an_error_that_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----------------------------------------------------------------------------- clipping
def _keras_step(grads, **clip):
    """What one SGD step (learning rate 1, from zero weights) does with ``grads`` in Keras."""
    variables = [keras.Variable(np.zeros(g.shape, "float32")) for g in grads]
    keras.optimizers.SGD(learning_rate=1.0, **clip).apply_gradients(
        zip([keras.ops.convert_to_tensor(g.astype("float32")) for g in grads], variables)
    )
    return [-_numpy(v) for v in variables]


@pytest.mark.parametrize("max_norm", [0.5, 3.0, 100.0])
def test_clip_by_global_norm_equals_keras_global_clipnorm(max_norm):
    rng = np.random.default_rng(5)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=4) * 3, rng.normal(size=(2, 2, 2))]
    saved = [g.copy() for g in grads]
    clipped, norm = ref.clip_by_global_norm(grads, max_norm)
    assert norm == pytest.approx(np.sqrt(sum((g**2).sum() for g in grads)))
    for c, k, g, s in zip(clipped, _keras_step(grads, global_clipnorm=max_norm), grads, saved):
        assert c.shape == g.shape and c is not g
        np.testing.assert_allclose(c, k, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(g, s)  # not modified in place
    new_norm = np.sqrt(sum((c**2).sum() for c in clipped))
    assert new_norm == pytest.approx(min(norm, max_norm))


def test_per_tensor_clipnorm_is_not_global_clipping():
    grads = [np.array([3.0, 4.0]), np.array([0.1, 0.0])]
    clipped, norm = ref.clip_by_global_norm(grads, 1.0)
    per_tensor = _keras_step(grads, clipnorm=1.0)
    np.testing.assert_allclose(per_tensor[1], [0.1, 0.0], atol=1e-6)  # small array left alone
    np.testing.assert_allclose(clipped[1], np.array([0.1, 0.0]) / norm)  # scaled with the rest


def test_clip_zero_and_huge_gradients():
    clipped, norm = ref.clip_by_global_norm([np.zeros(3), np.zeros((2, 2))], 1.0)
    assert norm == 0.0 and all((c == 0).all() for c in clipped)
    clipped, norm = ref.clip_by_global_norm([np.full(4, 1e150)], 1.0)
    assert norm == pytest.approx(2e150) and np.allclose(clipped[0], 0.5)
    with pytest.raises(ValueError, match="max_norm must be positive"):
        ref.clip_by_global_norm([np.ones(2)], 0)
    with pytest.raises(TypeError, match="list of arrays"):
        ref.clip_by_global_norm(np.ones(2), 1.0)


# ----------------------------------------------------------------------------- parameter counts
@pytest.mark.parametrize("n_in, n_h", [(1, 1), (7, 3), (13, 29)])
def test_recurrent_param_count_equals_keras(n_in, n_h):
    layers = {
        ("SimpleRNN", True): keras.layers.SimpleRNN(n_h),
        ("LSTM", True): keras.layers.LSTM(n_h),
        ("GRU", True): keras.layers.GRU(n_h),
        ("GRU", False): keras.layers.GRU(n_h, reset_after=False),
    }
    for (cell, reset_after), layer in layers.items():
        layer.build((None, 5, n_in))
        assert ref.recurrent_param_count(cell, n_in, n_h, reset_after) == layer.count_params(), cell
    simple = ref.recurrent_param_count("SimpleRNN", n_in, n_h)
    assert ref.recurrent_param_count("LSTM", n_in, n_h) == 4 * simple
    assert ref.recurrent_param_count("GRU", n_in, n_h) == 3 * simple + 3 * n_h
    with pytest.raises(ValueError, match="unknown cell"):
        ref.recurrent_param_count("lstm", 2, 3)
    with pytest.raises(ValueError, match="positive integer"):
        ref.recurrent_param_count("LSTM", 2.0, 3)


def test_gru_step_default_state_is_zeros():
    rng = np.random.default_rng(5)
    x_t, kernel, recurrent, bias = (rng.normal(size=s) for s in ((3, 4), (4, 6), (2, 6), (2, 6)))
    np.testing.assert_array_equal(
        ref.gru_step(x_t, None, kernel, recurrent, bias),
        ref.gru_step(x_t, np.zeros((3, 2)), kernel, recurrent, bias),
    )
