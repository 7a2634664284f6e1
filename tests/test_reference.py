"""NumPy reference implementations (seqkeras.reference).

Sections, one per lesson that adds to the module; add new tests in their own section.
"""

import numpy as np
import pytest

from seqkeras.reference import (
    ACTIVATIONS,
    RNN_PARAMS,
    check_shape,
    dense_forward,
    numerical_gradient,
    relative_error,
    relu,
    rnn_backward,
    rnn_cell_step,
    rnn_forward,
    rnn_loss_and_grads,
    rnn_output,
    sigmoid,
    softmax,
    tanh,
)

# =============================================================================
# Lesson 00: activations, softmax, the dense layer, check_shape
# =============================================================================


def test_sigmoid_values_and_range():
    z = np.array([-2.0, 0.0, 2.0])
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)))
    assert sigmoid(0.0) == 0.5
    wide = sigmoid(np.linspace(-30, 30, 101))
    assert np.all((wide >= 0) & (wide <= 1)) and np.all(np.diff(wide) >= 0)


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise", invalid="raise"):  # no overflow (underflow to 0 is fine)
        out = sigmoid(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 1.0])


def test_sigmoid_keeps_shape_and_accepts_lists():
    assert sigmoid(np.zeros((2, 3, 4))).shape == (2, 3, 4)
    np.testing.assert_allclose(sigmoid([0, 0]), [0.5, 0.5])


def test_tanh_and_relu():
    z = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(tanh(z), np.tanh(z))
    assert np.all(np.abs(tanh(z * 100)) <= 1)
    np.testing.assert_allclose(relu(z), [[0, 0, 0, 0.5, 3.0]])
    assert relu(z).shape == z.shape


def test_activation_relations():
    z = np.linspace(-4, 4, 17)
    np.testing.assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-12)  # tanh is a scaled sigmoid
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-12)


def test_softmax_rows_are_distributions():
    z = np.random.default_rng(0).normal(size=(4, 6))
    p = softmax(z)
    assert p.shape == (4, 6)
    assert np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(p, np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True))


def test_softmax_is_shift_invariant_and_stable_for_large_inputs():
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -999.0], [0.0, 1.0, 2.0]])
    with np.errstate(over="raise", invalid="raise"):
        p = softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p[0], p[2])  # softmax(z + c) == softmax(z)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)


def test_softmax_axis():
    z = np.random.default_rng(1).normal(size=(3, 5))
    np.testing.assert_allclose(softmax(z, axis=0).sum(axis=0), 1.0)
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T).T)


def test_activations_table():
    assert {"sigmoid", "tanh", "relu", "softmax", "linear", None} <= set(ACTIVATIONS)
    z = np.array([[-1.0, 2.0]])
    np.testing.assert_array_equal(ACTIVATIONS["linear"](z), z)
    np.testing.assert_array_equal(ACTIVATIONS[None](z), z)


@pytest.mark.parametrize("activation", ["linear", None, "sigmoid", "tanh", "relu", "softmax"])
def test_dense_forward_batch_shapes_and_values(activation):
    rng = np.random.default_rng(2)
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    y = dense_forward(x, W, b, activation)
    assert y.shape == (5, 4)
    np.testing.assert_allclose(y, ACTIVATIONS[activation](x @ W + b))


def test_dense_forward_matches_textbook_layout():
    """x @ W + b with the Keras layout is the textbook W_t @ x + b with W_t = W.T."""
    rng = np.random.default_rng(3)
    x, W, b = rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2)
    np.testing.assert_allclose(dense_forward(x, W, b), W.T @ x + b)


def test_dense_forward_single_example():
    x, W, b = np.ones(3), np.ones((3, 2)), np.array([0.5, -0.5])
    y = dense_forward(x, W, b)
    assert y.shape == (2,)
    np.testing.assert_allclose(y, [3.5, 2.5])


def test_dense_forward_bad_shapes():
    W, b = np.ones((3, 2)), np.zeros(2)
    with pytest.raises(ValueError, match="x has shape"):
        dense_forward(np.ones((5, 4)), W, b)  # 4 features, W expects 3
    with pytest.raises(ValueError, match="x has shape"):
        dense_forward(np.ones((5, 2)), W, b)  # W given as (n_out, n_in) would look like this
    with pytest.raises(ValueError, match="b has shape"):
        dense_forward(np.ones((5, 3)), W, np.zeros(3))
    with pytest.raises(ValueError, match="W must be 2-D"):
        dense_forward(np.ones((5, 3)), np.ones(3), b)


def test_dense_forward_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        dense_forward(np.ones((1, 3)), np.ones((3, 2)), np.zeros(2), "gelu")


def test_check_shape():
    check_shape("x", np.zeros((4, 3)), (None, 3))  # passes silently
    check_shape("x", np.zeros((4, 3)), (4, 3))
    with pytest.raises(ValueError, match=r"x has shape \(4, 3\)"):
        check_shape("x", np.zeros((4, 3)), (None, 2))
    with pytest.raises(ValueError, match="h has shape"):
        check_shape("h", np.zeros((4, 3, 1)), (None, 3))  # wrong number of axes


# =============================================================================
# Lesson 01: the vanilla RNN (cell step, forward pass, output, BPTT, gradient check)
# =============================================================================


def rnn_setup(batch=3, T=5, n_in=4, n_h=6, n_out=3, seed=0):
    """Random inputs, a non-zero initial state and small-ish parameters (float64)."""
    rng = np.random.default_rng(seed)
    params = {
        "U": rng.normal(size=(n_in, n_h)) * 0.5,
        "W": rng.normal(size=(n_h, n_h)) * 0.5,
        "b": rng.normal(size=n_h) * 0.1,
        "V": rng.normal(size=(n_h, n_out)),
        "c": rng.normal(size=n_out) * 0.1,
    }
    return rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h)) * 0.3, params


def test_rnn_cell_step_values_and_shape():
    x, h0, p = rnn_setup()
    h1 = rnn_cell_step(x[:, 0], h0, p["U"], p["W"], p["b"])
    assert h1.shape == (3, 6)
    np.testing.assert_allclose(h1, np.tanh(x[:, 0] @ p["U"] + h0 @ p["W"] + p["b"]))
    # The textbook column-vector form tanh(U' x + W' h + b) with U' = U.T, W' = W.T.
    np.testing.assert_allclose(h1[0], np.tanh(p["U"].T @ x[0, 0] + p["W"].T @ h0[0] + p["b"]))
    assert np.all(np.abs(h1) < 1)


def test_rnn_cell_step_bad_shapes():
    x, h0, p = rnn_setup()
    U, W, b = p["U"], p["W"], p["b"]
    with pytest.raises(ValueError, match=r"x_t \(batch, n_in\) has shape \(3, 6\)"):
        rnn_cell_step(h0, h0, U, W, b)
    with pytest.raises(ValueError, match="h_prev"):
        rnn_cell_step(x[:, 0], h0[:2], U, W, b)
    with pytest.raises(ValueError, match=r"batch axis: x_t\[None\]"):
        rnn_cell_step(x[0, 0], h0[0], U, W, b)
    with pytest.raises(ValueError, match="U and W look swapped"):
        rnn_cell_step(x[:, 0], h0, W, U, b)
    with pytest.raises(ValueError, match="W has shape .* square"):
        rnn_cell_step(x[:, 0], h0, U, W[:, :3], b)
    with pytest.raises(ValueError, match="b .*has shape"):
        rnn_cell_step(x[:, 0], h0, U, W, np.zeros(4))
    with pytest.raises(ValueError, match="U has shape"):
        rnn_cell_step(x[:, 0], h0, U.ravel(), W, b)


def test_rnn_forward_carries_the_state():
    x, h0, p = rnn_setup()
    hs = rnn_forward(x, h0, p["U"], p["W"], p["b"])
    assert hs.shape == (3, 5, 6)
    h = h0
    for t in range(5):
        h = rnn_cell_step(x[:, t], h, p["U"], p["W"], p["b"])
        np.testing.assert_allclose(hs[:, t], h)
    # The last state depends on the first input (the state carries it forward).
    x2 = x.copy()
    x2[:, 0] += 1.0
    assert not np.allclose(rnn_forward(x2, h0, p["U"], p["W"], p["b"])[:, -1], hs[:, -1])


def test_rnn_forward_default_h0_is_zeros_and_bad_input():
    x, h0, p = rnn_setup()
    U, W, b = p["U"], p["W"], p["b"]
    np.testing.assert_allclose(rnn_forward(x, None, U, W, b), rnn_forward(x, np.zeros_like(h0), U, W, b))
    with pytest.raises(ValueError, match=r"3-D \(batch, T, n_in\).*x\[None\]"):
        rnn_forward(x[0], None, U, W, b)
    with pytest.raises(ValueError, match="x .*has shape"):
        rnn_forward(x[..., :2], None, U, W, b)
    with pytest.raises(ValueError, match="h0"):
        rnn_forward(x, h0[:1], U, W, b)


def test_rnn_output_is_a_distribution_for_2d_and_3d():
    x, h0, p = rnn_setup()
    hs = rnn_forward(x, h0, p["U"], p["W"], p["b"])
    for h in (hs[:, -1], hs):
        y = rnn_output(h, p["V"], p["c"])
        assert y.shape == h.shape[:-1] + (3,)
        np.testing.assert_allclose(y.sum(axis=-1), 1.0)
        np.testing.assert_allclose(y, softmax(h @ p["V"] + p["c"]))


def test_rnn_output_bad_shapes():
    _, _, p = rnn_setup()
    with pytest.raises(ValueError, match="h .*has shape"):
        rnn_output(np.zeros((2, 5)), p["V"], p["c"])
    with pytest.raises(ValueError, match="c .*has shape"):
        rnn_output(np.zeros((2, 6)), p["V"], np.zeros(6))
    with pytest.raises(ValueError, match="V has shape"):
        rnn_output(np.zeros((2, 6)), np.zeros(6), p["c"])
    with pytest.raises(ValueError, match=r"\(batch, n_h\) or \(batch, T, n_h\)"):
        rnn_output(np.zeros(6), p["V"], p["c"])


@pytest.mark.parametrize("topology", ["n_to_1", "n_to_n"])
def test_rnn_loss_and_grads_pass_a_gradient_check(topology):
    x, h0, params = rnn_setup()
    rng = np.random.default_rng(1)
    targets = rng.integers(0, 3, size=(3,) if topology == "n_to_1" else (3, 5))
    loss, grads = rnn_loss_and_grads(x, targets, params, h0)
    assert set(grads) == set(RNN_PARAMS)
    for name in RNN_PARAMS:
        assert grads[name].shape == params[name].shape
        numeric = numerical_gradient(lambda: rnn_loss_and_grads(x, targets, params, h0)[0], params[name])
        assert relative_error(grads[name], numeric) < 1e-7, name


def test_rnn_loss_is_mean_cross_entropy():
    x, h0, params = rnn_setup()
    targets = np.array([0, 2, 1])
    loss, _ = rnn_loss_and_grads(x, targets, params, h0)
    hs = rnn_forward(x, h0, params["U"], params["W"], params["b"])
    probs = rnn_output(hs[:, -1], params["V"], params["c"])
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(3), targets])))
    # N vs N averages over every step of every sequence.
    targets = np.zeros((3, 5), dtype=int)
    loss, _ = rnn_loss_and_grads(x, targets, params, h0)
    assert loss == pytest.approx(-np.mean(np.log(rnn_output(hs, params["V"], params["c"])[..., 0])))


def test_rnn_loss_and_grads_bad_input():
    x, h0, params = rnn_setup()
    with pytest.raises(ValueError, match="integer class ids"):
        rnn_loss_and_grads(x, np.array([0.0, 1.0, 1.0]), params)
    with pytest.raises(ValueError, match=r"expected \(3,\) .* or \(3, 5\)"):
        rnn_loss_and_grads(x, np.zeros((3, 4), dtype=int), params)
    with pytest.raises(ValueError, match=r"must lie in \[0, 3\)"):
        rnn_loss_and_grads(x, np.array([0, 1, 3]), params)
    with pytest.raises(KeyError, match="lacks \\['c'\\]"):
        rnn_loss_and_grads(x, np.array([0, 1, 2]), {k: v for k, v in params.items() if k != "c"})


def test_rnn_backward_gradient_of_h0_and_shapes():
    x, h0, p = rnn_setup(T=4)
    rng = np.random.default_rng(2)
    dhs = rng.normal(size=(3, 4, 6))

    def loss():  # a linear function of the states, so dL/dh_t = dhs[:, t]
        return float(np.sum(rnn_forward(x, h0, p["U"], p["W"], p["b"]) * dhs))

    hs = rnn_forward(x, h0, p["U"], p["W"], p["b"])
    grads = rnn_backward(x, h0, hs, p["W"], dhs)
    assert relative_error(grads["h0"], numerical_gradient(loss, h0)) < 1e-7
    for name in ("U", "W", "b"):
        assert relative_error(grads[name], numerical_gradient(loss, p[name])) < 1e-7, name
    with pytest.raises(ValueError, match="dhs .*same shape as hs"):
        rnn_backward(x, h0, hs, p["W"], dhs[:, :3])
    with pytest.raises(ValueError, match="W"):
        rnn_backward(x, h0, hs, p["W"][:3, :3], dhs)


def test_numerical_gradient_of_a_quadratic_and_restores_param():
    a = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = a.copy()
    grad = numerical_gradient(lambda: float(np.sum(a**2)), a)
    np.testing.assert_allclose(grad, 2 * before, atol=1e-8)
    np.testing.assert_array_equal(a, before)


def test_numerical_gradient_bad_input():
    with pytest.raises(TypeError, match="NumPy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="float array"):
        numerical_gradient(lambda: 0.0, np.array([1, 2]))
    with pytest.warns(UserWarning, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(2, dtype=np.float32))


def test_relative_error():
    assert relative_error(np.ones(3), np.ones(3)) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 0.0]), np.array([3.0, 0.0])) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(3), np.ones(2))


# =============================================================================
# Bad input names the argument at fault (issue 7 §4); softmax edge cases
# =============================================================================
def test_dense_forward_textbook_layout_is_named():
    rng = np.random.default_rng(4)
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    with pytest.raises(ValueError) as err:
        dense_forward(x, W.T, b)
    message = str(err.value)
    assert message.startswith("W has shape (2, 3), expected (3, 2)")
    assert "Keras layout (n_in, n_out)" in message and "textbook (n_out, n_in)" in message
    assert message.endswith("use W.T.")
    with pytest.raises(ValueError, match=r"^W has shape \(2, 3\).*use W\.T"):
        dense_forward(x[0], W.T, b)  # one example, same diagnosis


def test_dense_forward_blames_the_odd_one_out():
    W, b = np.ones((3, 2)), np.zeros(2)
    with pytest.raises(
        ValueError,
        match=r"^x has shape \(5, 4\), expected \(any, 3\)\. Its last axis "
        r"must match W\.shape\[0\] = 3 \(n_in\)\.$",
    ):
        dense_forward(np.ones((5, 4)), W, b)
    with pytest.raises(
        ValueError,
        match=r"^b has shape \(3,\), expected \(2,\)\. One bias per output: "
        r"its length must match W\.shape\[1\] = 2 \(n_out\)\.$",
    ):
        dense_forward(np.ones((5, 3)), W, np.zeros(3))
    with pytest.raises(ValueError, match=r"^b has shape \(1, 2\), expected \(2,\)\. Give a 1-D"):
        dense_forward(np.ones((5, 3)), W, np.zeros((1, 2)))
    with pytest.raises(
        ValueError,
        match=r"^W has shape \(3, 2\), expected \(4, 5\) = \(n_in, n_out\) "
        r"with n_in = 4 from x and n_out = 5 from b: neither axis fits\.$",
    ):
        dense_forward(np.ones((5, 4)), W, np.zeros(5))
    with pytest.raises(ValueError, match=r"x has shape \(2, 5, 3\), expected \(batch, n_in\)"):
        dense_forward(np.ones((2, 5, 3)), W, b)


def test_rnn_textbook_layout_of_U_is_named():
    x, h0, p = rnn_setup(n_in=4, n_h=6)
    for call in (
        lambda U: rnn_cell_step(x[:, 0], h0, U, p["W"], p["b"]),
        lambda U: rnn_forward(x, h0, U, p["W"], p["b"]),
    ):
        with pytest.raises(ValueError) as err:
            call(p["U"].T)
        message = str(err.value)
        assert message.startswith("U has shape (6, 4), expected (4, 6)"), message
        assert "Keras layout (n_in, n_h)" in message and "textbook (n_h, n_in)" in message
        assert message.endswith("use U.T.")


def test_rnn_weights_blame_the_odd_one_out():
    x, h0, p = rnn_setup(n_in=4, n_h=6)
    U, W, b = p["U"], p["W"], p["b"]
    with pytest.raises(
        ValueError,
        match=r"^W has shape \(5, 5\), expected \(6, 6\): n_h = U\.shape\[1\] "
        r"= len\(b\) = 6",
    ):
        rnn_forward(x, None, U, np.eye(5), b)
    with pytest.raises(ValueError, match=r"^U has shape \(4, 3\), expected \(n_in, n_h\) = \(4, 6\)"):
        rnn_forward(x, None, U[:, :3], W, b)
    with pytest.raises(
        ValueError,
        match=r"^x \(batch, T, n_in\) has shape \(3, 5, 2\), expected "
        r"\(any, any, 4\)",
    ):
        rnn_forward(x[..., :2], None, U, W, b)
    with pytest.raises(
        ValueError,
        match=r"^b \(one bias per hidden unit\) has shape \(4,\), "
        r"expected \(6,\)",
    ):
        rnn_cell_step(x[:, 0], h0, U, W, np.zeros(4))
    with pytest.raises(
        ValueError,
        match=r"^W has shape \(6, 4\), expected \(6, 6\).* square, n_h = "
        r"U\.shape\[1\] = 6\.$",
    ):
        rnn_forward(x, None, U, W[:, :4], b)


def test_rnn_output_textbook_layout_of_V_is_named():
    _, _, p = rnn_setup(n_h=6, n_out=3)
    with pytest.raises(
        ValueError,
        match=r"^V has shape \(3, 6\), expected \(6, 3\).*Keras layout "
        r"\(n_h, n_out\).*use V\.T\.$",
    ):
        rnn_output(np.zeros((2, 6)), p["V"].T, p["c"])
    with pytest.raises(ValueError, match="use V.T"):
        rnn_loss_and_grads(rnn_setup()[0], np.array([0, 1, 2]), {**p, "V": p["V"].T})


def test_softmax_masked_entries_and_impossible_rows():
    p = softmax(np.array([[0.0, -np.inf, 0.0], [-np.inf, 5.0, -np.inf]]))
    np.testing.assert_array_equal(p, [[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]])
    with pytest.raises(ValueError, match="all -inf: every option is impossible"):
        softmax(np.array([[0.0, 1.0], [-np.inf, -np.inf]]))
    with pytest.raises(ValueError, match=r"\+inf"):
        softmax(np.array([[0.0, np.inf]]))
    with pytest.raises(ValueError, match="NaN"):
        softmax(np.array([[0.0, np.nan], [-np.inf, -np.inf]]))
    with pytest.raises(ValueError, match=r"nothing to normalise"):
        softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"nothing to normalise"):
        softmax(np.float64(1.0))
    assert softmax(np.zeros((0, 3))).shape == (0, 3)  # no rows: nothing to do, no error
    np.testing.assert_array_equal(softmax(np.array([7.0])), [1.0])


def test_zero_size_batches():
    x, h0, p = rnn_setup()
    U, W, b = p["U"], p["W"], p["b"]
    assert rnn_forward(x[:0], None, U, W, b).shape == (0, 5, 6)
    assert rnn_forward(x[:, :0], h0, U, W, b).shape == (3, 0, 6)
    assert rnn_cell_step(x[:0, 0], h0[:0], U, W, b).shape == (0, 6)
    assert dense_forward(np.zeros((0, 4)), U, b).shape == (0, 6)
    assert rnn_output(np.zeros((0, 6)), p["V"], p["c"]).shape == (0, 3)
    with pytest.raises(ValueError, match=r"batch = 0.*T = 0.*at least one sequence"):
        rnn_loss_and_grads(x[:0], np.zeros(0, dtype=int), p)
    with pytest.raises(ValueError, match=r"x has shape \(3, 0, 4\)"):
        rnn_loss_and_grads(x[:, :0], np.zeros((3, 0), dtype=int), p)


def test_check_shape_messages():
    """The exact text: each part of the message is what a learner reads."""

    def message(array, expected, name="x", hint=""):
        with pytest.raises(ValueError) as err:
            check_shape(name, array, expected, hint)
        return str(err.value)

    assert message(np.zeros(3), (None, 3)) == (
        "x has shape (3,), expected (any, 3). It is missing an "
        "axis: for a single example add a batch axis, x[None]."
    )
    assert (
        message(np.zeros((2, 3)), (3, 2))
        == "x has shape (2, 3), expected (3, 2). It looks transposed: pass x.T."
    )
    assert message(np.zeros((2, 3)), (None, 2)) == (
        "x has shape (2, 3), expected (any, 2). It looks transposed: pass x.T."
    )
    assert message(np.zeros((2, 2)), (None, 3)) == (
        "x has shape (2, 2), expected (any, 3). See the function's docstring for what each axis means."
    )
    assert message(np.zeros((4, 3, 1)), (None, 3)) == (
        "x has shape (4, 3, 1), expected (any, 3). See the function's docstring for what each axis means."
    )
    assert message(np.zeros(2), (3,), name="b") == (
        "b has shape (2,), expected (3,). See the function's docstring for what each axis means."
    )
    assert message(np.zeros(()), (3,), name="b") == (
        "b has shape (), expected (3,). It is missing an axis: "
        "for a single example add a batch axis, b[None]."
    )
    assert message(np.zeros(2), (3,), hint="Mine.") == "x has shape (2,), expected (3,). Mine."
    check_shape("x", np.zeros((0, 3)), (None, 3))  # zero rows fit "any"


def test_one_forward_loop(monkeypatch):
    """rnn_loss_and_grads gets its hidden states from rnn_forward, the course's one loop."""
    import seqkeras.reference as ref

    x, h0, params = rnn_setup()
    calls = []
    real = ref.rnn_forward
    monkeypatch.setattr(ref, "rnn_forward", lambda *a: calls.append(a) or real(*a))
    ref.rnn_loss_and_grads(x, np.array([0, 1, 2]), params, h0)
    assert len(calls) == 1 and calls[0][0] is x and calls[0][1] is h0
    # and the cell step is the same update, step for step
    np.testing.assert_array_equal(
        real(x[:, :1], h0, params["U"], params["W"], params["b"])[:, 0],
        rnn_cell_step(x[:, 0], h0, params["U"], params["W"], params["b"]),
    )


# =============================================================================
# Every error message, word for word: the text is what a learner reads
# =============================================================================
_x, _h0, _p = rnn_setup()
_U, _W, _b, _V, _c = (_p[k] for k in RNN_PARAMS)
_hs = rnn_forward(_x, _h0, _U, _W, _b)

ERRORS = [
    (
        "dense_textbook",
        lambda: dense_forward(np.ones((5, 3)), np.ones((2, 3)), np.zeros(2)),
        ValueError,
        "W has shape (2, 3), expected (3, 2): weights use the Keras layout (n_in, n_out), here n_in = 3 (the last axis of x) and n_out = 2 (the length of b). You may have passed the textbook (n_out, n_in) layout: use W.T.",
    ),
    (
        "dense_x_1d",
        lambda: dense_forward(np.ones(4), np.ones((3, 2)), np.zeros(2)),
        ValueError,
        "x has shape (4,), expected (3,). Its last axis must match W.shape[0] = 3 (n_in).",
    ),
    (
        "dense_W_1d",
        lambda: dense_forward(np.ones((5, 3)), np.ones(3), np.zeros(2)),
        ValueError,
        "W must be 2-D (n_in, n_out), got shape (3,).",
    ),
    (
        "dense_x_3d",
        lambda: dense_forward(np.ones((2, 5, 3)), np.ones((3, 2)), np.zeros(2)),
        ValueError,
        "x has shape (2, 5, 3), expected (batch, n_in), or (n_in,) for one example.",
    ),
    (
        "dense_activation",
        lambda: dense_forward(np.ones((1, 3)), np.ones((3, 2)), np.zeros(2), "gelu"),
        ValueError,
        "unknown activation 'gelu'; use one of ['linear', 'relu', 'sigmoid', 'softmax', 'tanh'].",
    ),
    (
        "cell_U_textbook",
        lambda: rnn_cell_step(_x[:, 0], _h0, _U.T, _W, _b),
        ValueError,
        "U has shape (6, 4), expected (4, 6): weights use the Keras layout (n_in, n_h), here n_in = 4 (the last axis of the input) and n_h = 6 (W is (n_h, n_h)). You may have passed the textbook (n_h, n_in) layout: use U.T.",
    ),
    (
        "cell_x_1d",
        lambda: rnn_cell_step(_x[0, 0], _h0, _U, _W, _b),
        ValueError,
        "x_t and h_prev must be 2-D, (batch, n_in) and (batch, n_h); got shapes (4,) and (3, 6). For one example add a batch axis: x_t[None], h_prev[None].",
    ),
    (
        "cell_h_1d",
        lambda: rnn_cell_step(_x[:, 0], _h0[0], _U, _W, _b),
        ValueError,
        "x_t and h_prev must be 2-D, (batch, n_in) and (batch, n_h); got shapes (3, 4) and (6,). For one example add a batch axis: x_t[None], h_prev[None].",
    ),
    (
        "cell_x_scalar",
        lambda: rnn_cell_step(0.5, _h0, _U, _W, _b),
        ValueError,
        "x_t (batch, n_in) has shape (), expected (any, any). See the function's docstring for what each axis means.",
    ),
    (
        "cell_x_features",
        lambda: rnn_cell_step(_h0, _h0, _U, _W, _b),
        ValueError,
        "x_t (batch, n_in) has shape (3, 6), expected (any, 4). Its last axis must match U.shape[0] = 4 (n_in).",
    ),
    (
        "cell_h_batch",
        lambda: rnn_cell_step(_x[:, 0], _h0[:2], _U, _W, _b),
        ValueError,
        "h_prev (batch, n_h) has shape (2, 6), expected (3, 6). One row per example, as in x_t, and one column per hidden unit, n_h = 6.",
    ),
    (
        "cell_swapped",
        lambda: rnn_cell_step(_x[:, 0], _h0, _W, _U, _b),
        ValueError,
        "W has shape (4, 6), expected (6, 6): the hidden-to-hidden weights (SimpleRNN's `recurrent_kernel`) are square, n_h = U.shape[1] = 6. U and W look swapped: U is (n_in, n_h), W is (n_h, n_h).",
    ),
    (
        "cell_W_not_square",
        lambda: rnn_cell_step(_x[:, 0], _h0, _U, _U, _b),
        ValueError,
        "W has shape (4, 6), expected (6, 6): the hidden-to-hidden weights (SimpleRNN's `recurrent_kernel`) are square, n_h = U.shape[1] = 6.",
    ),
    (
        "cell_W_size",
        lambda: rnn_cell_step(_x[:, 0], _h0, _U, np.eye(5), _b),
        ValueError,
        "W has shape (5, 5), expected (6, 6): n_h = U.shape[1] = len(b) = 6, and the hidden-to-hidden weights (SimpleRNN's `recurrent_kernel`) are (n_h, n_h).",
    ),
    (
        "cell_U_size",
        lambda: rnn_cell_step(_x[:, 0], _h0, _U[:, :3], _W, np.zeros(5)),
        ValueError,
        "U has shape (4, 3), expected (n_in, n_h) = (4, 6): n_h = 6 from W (n_h, n_h), n_in = 4 from the input.",
    ),
    (
        "cell_U_1d",
        lambda: rnn_cell_step(_x[:, 0], _h0, _U.ravel(), _W, _b),
        ValueError,
        "U has shape (24,), expected 2-D (n_in, n_h): the input-to-hidden weights (SimpleRNN's `kernel`).",
    ),
    (
        "cell_b",
        lambda: rnn_cell_step(_x[:, 0], _h0, _U, _W, np.float64(0.0)),
        ValueError,
        "b (one bias per hidden unit) has shape (), expected (6,). Give a 1-D array with one bias per hidden unit, 6 numbers.",
    ),
    (
        "forward_x_2d",
        lambda: rnn_forward(_x[0], None, _U, _W, _b),
        ValueError,
        "x has shape (5, 4), expected 3-D (batch, T, n_in). For a single sequence add a batch axis: x[None].",
    ),
    (
        "forward_x_4d",
        lambda: rnn_forward(_x[None], None, _U, _W, _b),
        ValueError,
        "x (batch, T, n_in) has shape (1, 3, 5, 4), expected (any, any, any). See the function's docstring for what each axis means.",
    ),
    (
        "forward_x_features",
        lambda: rnn_forward(_x[..., :2], None, _U, _W, _b),
        ValueError,
        "x (batch, T, n_in) has shape (3, 5, 2), expected (any, any, 4). Its last axis must match U.shape[0] = 4 (n_in).",
    ),
    (
        "forward_h0",
        lambda: rnn_forward(_x, _h0[:1], _U, _W, _b),
        ValueError,
        "h0 (batch, n_h) has shape (1, 6), expected (3, 6). One row per sequence of x, and one column per hidden unit, n_h = 6.",
    ),
    (
        "output_V_textbook",
        lambda: rnn_output(_hs, _V.T, _c),
        ValueError,
        "V has shape (3, 6), expected (6, 3): weights use the Keras layout (n_h, n_out), here n_h = 6 (the last axis of h) and n_out = 3 (the length of c). You may have passed the textbook (n_out, n_h) layout: use V.T.",
    ),
    (
        "output_h_1d",
        lambda: rnn_output(np.zeros(6), _V, _c),
        ValueError,
        "h has shape (6,), expected (batch, n_h) or (batch, T, n_h).",
    ),
    (
        "output_V_1d",
        lambda: rnn_output(_hs, np.zeros(6), _c),
        ValueError,
        "V has shape (6,), expected 2-D (n_h, n_out).",
    ),
    (
        "output_h",
        lambda: rnn_output(np.zeros((2, 5)), _V, _c),
        ValueError,
        "h has shape (2, 5), expected (any, 6). Its last axis must match V.shape[0] = 6 (n_h).",
    ),
    (
        "output_c",
        lambda: rnn_output(np.zeros((2, 6)), _V, np.zeros(6)),
        ValueError,
        "c has shape (6,), expected (3,). One bias per output: its length must match V.shape[1] = 3 (n_out).",
    ),
    (
        "backward_hs",
        lambda: rnn_backward(_x, _h0, _hs[0], _W, _hs),
        ValueError,
        "hs (batch, T, n_h) has shape (5, 6), expected (any, any, any). It is missing an axis: for a single example add a batch axis, hs[None].",
    ),
    (
        "backward_x",
        lambda: rnn_backward(_x[:, :4], _h0, _hs, _W, _hs),
        ValueError,
        "x (batch, T, n_in) has shape (3, 4, 4), expected (3, 5, any). See the function's docstring for what each axis means.",
    ),
    (
        "backward_W",
        lambda: rnn_backward(_x, _h0, _hs, _W[:3, :3], _hs),
        ValueError,
        "W (n_h, n_h) has shape (3, 3), expected (6, 6). See the function's docstring for what each axis means.",
    ),
    (
        "backward_dhs",
        lambda: rnn_backward(_x, _h0, _hs, _W, _hs[:, :3]),
        ValueError,
        "dhs (the same shape as hs) has shape (3, 3, 6), expected (3, 5, 6). See the function's docstring for what each axis means.",
    ),
    (
        "backward_h0",
        lambda: rnn_backward(_x, _h0[:1], _hs, _W, _hs),
        ValueError,
        "h0 (batch, n_h) has shape (1, 6), expected (3, 6). See the function's docstring for what each axis means.",
    ),
    (
        "loss_empty",
        lambda: rnn_loss_and_grads(_x[:0], np.zeros(0, dtype=int), _p),
        ValueError,
        "x has shape (0, 5, 4): the loss is a mean over predictions, and a batch with no sequences (batch = 0) or no steps (T = 0) has none. Pass at least one sequence of at least one step.",
    ),
    (
        "loss_float_targets",
        lambda: rnn_loss_and_grads(_x, np.array([0.0, 1.0, 1.0]), _p),
        ValueError,
        "targets must be integer class ids, got dtype float64. Pass labels such as np.array([0, 1, 1]), not one-hot vectors.",
    ),
    (
        "loss_targets_shape",
        lambda: rnn_loss_and_grads(_x, np.zeros((3, 4), dtype=int), _p),
        ValueError,
        "targets has shape (3, 4); expected (3,) for one label per sequence (N vs 1) or (3, 5) for one label per step (N vs N).",
    ),
    (
        "loss_targets_range",
        lambda: rnn_loss_and_grads(_x, np.array([0, 1, 3]), _p),
        ValueError,
        "targets must lie in [0, 3) (V has 3 columns), got values from 0 to 3.",
    ),
    (
        "loss_missing",
        lambda: rnn_loss_and_grads(_x, np.array([0, 1, 2]), {k: v for k, v in _p.items() if k not in "cW"}),
        KeyError,
        "params lacks ['W', 'c']; give all of ['U', 'W', 'b', 'V', 'c'].",
    ),
    (
        "numgrad_list",
        lambda: numerical_gradient(lambda: 0.0, [1.0, 2.0]),
        TypeError,
        "param must be a NumPy array that f reads, got list: pass the array itself (e.g. params['W']), not a copy or a list.",
    ),
    (
        "numgrad_int",
        lambda: numerical_gradient(lambda: 0.0, np.array([1, 2])),
        TypeError,
        "param has dtype int64; it must be a float array (use param.astype(np.float64)) so that it can be nudged by eps.",
    ),
    (
        "relerr_shape",
        lambda: relative_error(np.ones(3), np.ones(2)),
        ValueError,
        "a has shape (3,) but b has shape (2,); compare arrays of the same shape.",
    ),
    (
        "softmax_nan",
        lambda: softmax(np.array([[0.0, np.nan]])),
        ValueError,
        "softmax got NaN scores: the scores are broken before the softmax (check the inputs, or the training loss for NaN).",
    ),
    (
        "softmax_inf",
        lambda: softmax(np.array([[0.0, np.inf]])),
        ValueError,
        "softmax got a score of +inf: exp(+inf) / exp(+inf) has no value. Look for an overflow before the softmax (e.g. exp taken twice).",
    ),
    (
        "softmax_all_neg_inf",
        lambda: softmax(np.array([[-np.inf, -np.inf]])),
        ValueError,
        "softmax got a row whose scores are all -inf: every option is impossible, so no probabilities sum to 1. Keep at least one finite score in each row (e.g. a mask must leave one position unmasked).",
    ),
    (
        "softmax_empty",
        lambda: softmax(np.zeros((2, 0))),
        ValueError,
        "softmax needs at least one score along axis -1, got z of shape (2, 0): there is nothing to normalise.",
    ),
]


@pytest.mark.parametrize("case, call, error, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_error_messages_word_for_word(case, call, error, message):
    with pytest.raises(error) as err:
        call()
    assert (err.value.args[0] if error is KeyError else str(err.value)) == message


# =============================================================================
# Numerics and contracts the mutation run showed untested
# =============================================================================
def test_softmax_of_small_integer_types_does_not_wrap():
    p = softmax(np.array([-100, 100], dtype=np.int8))  # -100 - 100 wraps around in int8
    np.testing.assert_allclose(p, [0.0, 1.0], atol=1e-80)


def test_rnn_backward_default_h0_is_zeros():
    x, h0, p = rnn_setup(T=4)
    hs = rnn_forward(x, None, p["U"], p["W"], p["b"])
    dhs = np.random.default_rng(5).normal(size=hs.shape)
    default = rnn_backward(x, None, hs, p["W"], dhs)
    zeros = rnn_backward(x, np.zeros_like(h0), hs, p["W"], dhs)
    for name in ("U", "W", "b", "h0"):
        np.testing.assert_array_equal(default[name], zeros[name])


def test_loss_stays_finite_when_a_target_probability_underflows():
    x, h0, params = rnn_setup()
    params = {**params, "V": params["V"] * 1e4}  # saturated output: some p[target] == 0.0
    targets = np.array([0, 1, 2])
    probs = rnn_output(
        rnn_forward(x, h0, params["U"], params["W"], params["b"])[:, -1], params["V"], params["c"]
    )
    assert np.any(probs[np.arange(3), targets] == 0.0)
    loss, grads = rnn_loss_and_grads(x, targets, params, h0)
    assert np.isfinite(loss) and loss > 200  # -log(1e-300) ~ 690 for the impossible target
    assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_numerical_gradient_warning_points_at_the_caller_and_returns_float64():
    param = np.array([1.0, -2.0], dtype=np.float32)
    with pytest.warns(UserWarning, match="float64") as record:
        grad = numerical_gradient(lambda: float(np.sum(param.astype(np.float64) ** 2)), param, eps=1e-2)
    from pathlib import Path

    assert Path(record[0].filename).parent.name != "seqkeras"  # the caller's line, not seqkeras'
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [2.0, -4.0], rtol=1e-3)


def test_relative_error_unsigned_and_empty():
    a, b = np.array([1], dtype=np.uint8), np.array([3], dtype=np.uint8)
    assert relative_error(a, b) == pytest.approx(0.5)  # not 254 / 4 from wrapped uint8
    assert relative_error(b, a) == pytest.approx(0.5)
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0
    assert relative_error(np.zeros((2, 0)), np.zeros((2, 0))) == 0.0
