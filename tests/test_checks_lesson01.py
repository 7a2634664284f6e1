"""Lesson 01 checkers: the reference and correct alternatives pass, wrong answers from every bug
class (lengths written in, overflow, inputs changed in place, lost axes, assign_add, loose
numbers, wrong kinds) are named, the untouched stub is "not attempted"."""

import warnings

import numpy as np
import pytest

import seqkeras.reference as ref
from seqkeras.checks.lesson01 import (
    check_bptt_dW,
    check_n_to_n_loss_and_grads,
    check_port_to_simple_rnn,
    check_rnn_cell_step,
    check_rnn_forward,
    check_rnn_param_count,
)
from seqkeras.grading import ExerciseError


def rejects(checker, answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        checker(answer)


# ----------------------------------------------------------------------------- 01.1 cell step
def cell_step(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U + h_prev @ W + b)


def cell_step_stacked(x_t, h_prev, U, W, b):  # one dense layer on [x_t, h_prev] (section 6)
    return np.tanh(np.concatenate([x_t, h_prev], axis=1) @ np.vstack([U, W]) + b)


def cell_step_own_tanh(x_t, h_prev, U, W, b):  # a tanh from exp that cannot overflow to nan
    a = np.einsum("bi,ih->bh", x_t, U) + np.einsum("bj,jh->bh", h_prev, W) + b
    with np.errstate(over="ignore"):
        return 1.0 - 2.0 / (np.exp(2.0 * a) + 1.0)


def cell_step_float32(x_t, h_prev, U, W, b):
    return cell_step(*(a.astype(np.float32) for a in (x_t, h_prev, U, W, b)))


def test_cell_step_reference_passes(capsys):
    assert check_rnn_cell_step(cell_step)
    assert "✅ Exercise 01.1 (rnn_cell_step): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer", [ref.rnn_cell_step, cell_step_stacked, cell_step_own_tanh, cell_step_float32]
)
def test_cell_step_correct_alternatives_pass(answer):
    assert check_rnn_cell_step(answer)


def cell_step_naive_tanh(x_t, h_prev, U, W, b):
    a = x_t @ U + h_prev @ W + b
    return (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a))


def cell_step_four_units(x_t, h_prev, U, W, b):  # the lesson's n_h = 4, written into a loop
    return np.stack([np.tanh(x_t @ U[:, j] + h_prev @ W[:, j] + b[j]) for j in range(4)], axis=1)


def cell_step_vector_for_one_unit(x_t, h_prev, U, W, b):  # drops the axis of a single unit
    h = cell_step(x_t, h_prev, U, W, b)
    return h[:, 0] if h.shape[1] == 1 else h


def cell_step_into_h_prev(x_t, h_prev, U, W, b):  # updates the state in place
    h_prev[:] = np.tanh(x_t @ U + h_prev @ W + b)
    return h_prev


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda x, h, U, W, b: np.tanh(x @ U + b), "ignores the previous state"),
        (lambda x, h, U, W, b: np.tanh(h @ W + b), "ignores the input"),
        (lambda x, h, U, W, b: np.tanh(x @ U + h @ W), "forgot the bias"),
        (lambda x, h, U, W, b: np.tanh(x @ U + h @ W) + b, "bias is added after the activation"),
        (lambda x, h, U, W, b: ref.sigmoid(x @ U + h @ W + b), "you used sigmoid"),
        (lambda x, h, U, W, b: np.maximum(0, x @ U + h @ W + b), "you used relu"),
        (lambda x, h, U, W, b: x @ U + h @ W + b, "activation is missing"),
        (lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + b), "used transposed"),
        (lambda x, h, U, W, b: np.tanh((U @ x.T).T + (W @ h.T).T + b), "used transposed"),
        (lambda x, h, U, W, b: np.tanh(x @ W + h @ U + b), "U and W are swapped"),
        (cell_step_naive_tanh, "nan or inf when the sum inside the tanh is large"),
        (cell_step_four_units, r"n_h axis has 4 entries instead of 5.*written into your code"),
        (cell_step_into_h_prev, "changed its argument `h_prev` in place"),
        (cell_step_vector_for_one_unit, r"shape \(4,\), expected \(4, 1\).*n_h axis of size 1 is missing"),
        (lambda x, h, U, W, b: cell_step, "got a function"),
        (
            lambda x, h, U, W, b: np.squeeze(cell_step(x, h, U, W, b)),
            r"shape \(2,\), expected \(1, 2\).*batch axis of size 1 is missing",
        ),
        (lambda x, h, U, W, b: cell_step(x, h, U, W, b) + 1e-3, "h_t differs from the expected"),
        (lambda x, h, U, W, b: cell_step(x, h, U, W, b).astype(np.float16), "h_t differs"),
        (lambda x, h, U, W, b: list(cell_step(x, h, U, W, b)), "h_t is a list of 3 items"),
        (lambda x, h, U, W, b: "tanh", "h_t should be a NumPy array of shape .3, 4., got a str"),
        (lambda x, h, U, W, b: np.tanh(U @ x + W @ h + b), "raised ValueError"),
        (lambda x, h, U, W, b: None, "forget to `return`"),
    ],
)
def test_cell_step_bugs_are_named(wrong, diagnosis):
    rejects(check_rnn_cell_step, wrong, diagnosis)


def test_cell_step_overflow_is_explained_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rejects(check_rnn_cell_step, cell_step_naive_tanh, "nan or inf")


def test_cell_step_stub(assert_not_attempted):
    assert_not_attempted(check_rnn_cell_step)


# ----------------------------------------------------------------------------- 01.2 forward
def forward(x, h0, U, W, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ U + h @ W + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def forward_preallocated(x, h0, U, W, b):
    batch, T, _ = x.shape
    hs = np.zeros((batch, T, W.shape[0]))
    for t in range(T):
        hs[:, t] = ref.rnn_cell_step(x[:, t], h0 if t == 0 else hs[:, t - 1], U, W, b)
    return hs


def forward_time_major(x, h0, U, W, b):
    xs = np.transpose(x, (1, 0, 2))  # (T, batch, n_in)
    states = [h0]
    for x_t in xs:
        states.append(np.tanh(np.einsum("bi,ih->bh", x_t, U) + states[-1] @ W + b))
    return np.transpose(np.array(states[1:]), (1, 0, 2))


def forward_recursive(x, h0, U, W, b):
    if x.shape[1] == 0:
        return np.zeros((x.shape[0], 0, W.shape[0]))
    h1 = np.tanh(x[:, 0] @ U + h0 @ W + b)
    return np.concatenate([h1[:, None], forward_recursive(x[:, 1:], h1, U, W, b)], axis=1)


def test_forward_reference_passes(capsys):
    assert check_rnn_forward(forward)
    assert "✅ Exercise 01.2 (rnn_forward): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer", [ref.rnn_forward, forward_preallocated, forward_time_major, forward_recursive]
)
def test_forward_correct_alternatives_pass(answer):
    assert check_rnn_forward(answer)


def always_h0(x, h0, U, W, b):
    return np.stack([np.tanh(x[:, t] @ U + h0 @ W + b) for t in range(x.shape[1])], axis=1)


def off_by_one(x, h0, U, W, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        hs.append(h)
        h = np.tanh(x[:, t] @ U + h @ W + b)
    return np.stack(hs, axis=1)


def same_object(x, h0, U, W, b):
    h, hs = h0.copy(), []
    for t in range(x.shape[1]):
        h[:] = np.tanh(x[:, t] @ U + h @ W + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def into_h0(x, h0, U, W, b):  # uses the caller's h0 as its running state
    hs, h = np.empty((x.shape[0], x.shape[1], W.shape[0])), h0
    for t in range(x.shape[1]):
        h[...] = np.tanh(x[:, t] @ U + h @ W + b)
        hs[:, t] = h
    return hs


def fixed_buffer(x, h0, U, W, b):  # room for 10 steps "should be enough"
    hs, h = np.zeros((x.shape[0], 10, W.shape[0])), h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ U + h @ W + b)
        hs[:, t] = h
    return hs[:, : x.shape[1]]


def drop_axes_of_one(batch_or_unit):
    def fn(x, h0, U, W, b):
        hs = forward(x, h0, U, W, b)
        axis = 0 if batch_or_unit == "batch" else 2
        return np.squeeze(hs, axis=axis) if hs.shape[axis] == 1 else hs

    return fn


def five_steps(x, h0, U, W, b):  # the lesson's T = 5, written into the loop
    h, hs = h0, []
    for t in range(5):
        if t < x.shape[1]:
            h = np.tanh(x[:, t] @ U + h @ W + b)
            hs.append(h)
    return np.stack(hs, axis=1)


def seven_steps(x, h0, U, W, b):  # the checker's first length, written into the loop
    h, hs = h0, []
    for t in range(7):
        h = np.tanh(x[:, t] @ U + h @ W + b)
        hs.append(h)
    return np.stack(hs, axis=1)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (always_h0, "the state is not carried"),
        (lambda x, h0, U, W, b: forward(x, np.zeros_like(h0), U, W, b), "starts from zeros"),
        (off_by_one, "off by one"),
        (same_object, "same array object"),
        (lambda x, h0, U, W, b: forward(x, h0, U, W, b)[:, -1], "only the last state"),
        (
            lambda x, h0, U, W, b: np.concatenate([h0[:, None], forward(x, h0, U, W, b)], axis=1),
            "includes h0",
        ),
        (
            lambda x, h0, U, W, b: np.stack([forward(x, h0, U, W, b)[:, t] for t in range(x.shape[1])]),
            "time axis comes first",
        ),
        (lambda x, h0, U, W, b: forward(x[:, :-1], h0, U, W, b), "one step too few"),
        (lambda x, h0, U, W, b: forward(x[:, ::-1], h0, U, W, b), "reads the sequence in reverse"),
        (lambda x, h0, U, W, b: forward(x[:, ::-1], h0, U, W, b)[:, ::-1], "stores the states in reverse"),
        (lambda x, h0, U, W, b: forward(np.repeat(x[:, :1], x.shape[1], axis=1), h0, U, W, b), "first input"),
        (lambda x, h0, U, W, b: list(forward(x, h0, U, W, b).transpose(1, 0, 2)), "np.stack"),
        (
            lambda x, h0, U, W, b: (forward(x, h0, U, W, b), forward(x, h0, U, W, b)[:, -1]),
            "tuple of 2 things; return hs alone",
        ),
        (five_steps, r"T axis has 5 entries instead of 7.*written into your code"),
        (seven_steps, "(?s)IndexError.*size written into the code"),
        (
            lambda x, h0, U, W, b: np.squeeze(forward(x, h0, U, W, b)),
            r"shape \(3, 5\), expected \(3, 1, 5\).*T axis of size 1 is missing",
        ),
        (into_h0, "changed its argument `h0` in place"),
        (fixed_buffer, "(?s)IndexError: index 10 is out of bounds.*size written into the code"),
        (drop_axes_of_one("batch"), r"shape \(9, 3\), expected \(1, 9, 3\).*batch axis of size 1"),
        (drop_axes_of_one("unit"), r"shape \(2, 4\), expected \(2, 4, 1\).*n_h axis of size 1"),
        (
            lambda x, h0, U, W, b: [forward(x, h0, U, W, b), forward(x, h0, U, W, b)[:, -1]],
            "you returned a list of 2 arrays: stack",
        ),
        (lambda x, h0, U, W, b: (forward(x, h0, U, W, b),) * 3, "you returned a tuple of 3 arrays"),
        (lambda x, h0, U, W, b: forward(x, h0, U, W, b) + 1e-3, "hs differs from the expected"),
        (lambda x, h0, U, W, b: "hs", "hs should be a NumPy array"),
    ],
)
def test_forward_bugs_are_named(wrong, diagnosis):
    rejects(check_rnn_forward, wrong, diagnosis)


def test_forward_stub(assert_not_attempted):
    assert_not_attempted(check_rnn_forward)


# ----------------------------------------------------------------------------- 01.3 BPTT dW
def bptt_dW(hs, h0, W, dh_last):
    dW, dh = np.zeros_like(W), dh_last
    for t in reversed(range(hs.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h0
        da = dh * (1 - hs[:, t] ** 2)
        dW += h_prev.T @ da
        dh = da @ W.T
    return dW


def bptt_with_h0_list(hs, h0, W, dh_last):  # states as a list with h0 in front, einsum products
    states = [h0] + [hs[:, t] for t in range(hs.shape[1])]
    dW, dh = 0.0, dh_last
    for t in range(len(states) - 1, 0, -1):
        da = dh * (1 - states[t] ** 2)
        dW = dW + np.einsum("bi,bj->ij", states[t - 1], da)
        dh = np.einsum("bj,ij->bi", da, W)
    return dW


def bptt_from_reference(hs, h0, W, dh_last):
    dhs = np.zeros_like(hs)
    dhs[:, -1] = dh_last
    return ref.rnn_backward(np.zeros(hs.shape[:2] + (1,)), h0, hs, W, dhs)["W"]


def make_bptt(
    deriv=lambda h: 1 - h**2,
    last_only=False,
    overwrite=False,
    pair_current=False,
    back=lambda da, W: da @ W.T,
    first=0,
):
    def fn(hs, h0, W, dh_last):
        dW, dh = np.zeros_like(W), dh_last
        T = hs.shape[1]
        for t in reversed(range(T - 1 if last_only else first, T)):
            h_prev = hs[:, t] if pair_current else (hs[:, t - 1] if t > 0 else h0)
            da = dh * deriv(hs[:, t])
            dW = h_prev.T @ da if overwrite else dW + h_prev.T @ da
            dh = back(da, W)
        return dW

    return fn


def test_bptt_reference_passes(capsys):
    assert check_bptt_dW(bptt_dW)
    assert "✅ Exercise 01.3 (bptt_dW): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [make_bptt(), bptt_with_h0_list, bptt_from_reference])
def test_bptt_correct_alternatives_pass(answer):
    assert check_bptt_dW(answer)


def bptt_in_place(hs, h0, W, dh_last):  # multiplies the caller's dh_last by the tanh derivative
    dW, dh = np.zeros_like(W), dh_last
    for t in reversed(range(hs.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h0
        dh *= 1 - hs[:, t] ** 2
        dW += h_prev.T @ dh
        dh = dh @ W.T
    return dW


def bptt_squeezed(hs, h0, W, dh_last):  # squeezes the states: a batch of 1 becomes vectors
    dW, dh = 0.0, np.squeeze(dh_last)
    for t in reversed(range(hs.shape[1])):
        h_prev = np.squeeze(hs[:, t - 1] if t > 0 else h0)
        da = dh * (1 - np.squeeze(hs[:, t]) ** 2)
        dW = dW + h_prev.T @ da
        dh = da @ W.T
    return dW


def bptt_four_steps(hs, h0, W, dh_last):  # the checker's first length, written into the loop
    dW, dh = np.zeros_like(W), dh_last
    for t in (3, 2, 1, 0):
        h_prev = hs[:, t - 1] if t > 0 else h0
        da = dh * (1 - hs[:, t] ** 2)
        dW += h_prev.T @ da
        dh = da @ W.T
    return dW


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (make_bptt(deriv=lambda h: 1.0), "forgot the tanh derivative"),
        (make_bptt(deriv=lambda h: 1 - np.tanh(h) ** 2), "applied tanh to h_t again"),
        (make_bptt(last_only=True), "only the last step contributes"),
        (make_bptt(overwrite=True), "overwrite dW"),
        (make_bptt(first=1), "first step is missing"),
        (make_bptt(pair_current=True), "pairs da_t with h_t"),
        (make_bptt(back=lambda da, W: da), "not passed back through W"),
        (make_bptt(back=lambda da, W: da @ W), "instead of W.T"),
        (lambda hs, h0, W, dh: bptt_dW(hs, h0, W, dh).T, "transposed"),
        (bptt_in_place, "changed its argument `dh_last` in place"),
        (bptt_squeezed, r"dW has shape \(\), expected \(4, 4\).*batch of 1, keep the batch axis"),
        (bptt_four_steps, "(?s)IndexError.*size written into the code"),
        (
            lambda hs, h0, W, dh: np.squeeze(bptt_dW(hs, h0, W, dh)),
            r"shape \(\), expected \(1, 1\).*the shape of W",
        ),
        (lambda hs, h0, W, dh: np.zeros(W.shape[0]), r"shape \(3,\), expected \(3, 3\).*shape of W"),
        (
            lambda hs, h0, W, dh: np.zeros((W.shape[0], W.shape[0] + 1)),
            r"dW has shape \(3, 4\), expected \(3, 3\) for hs \(2, 4, 3\)\. Its column axis has 4 entries "
            r"instead of 3\. [^.]*\.[^.]*\.$",
        ),
        (lambda hs, h0, W, dh: bptt_dW(hs, h0, W, dh) * 2, "largest difference"),
        (lambda hs, h0, W, dh: bptt_dW(hs, h0, W, dh) + 1e-3, "dW differs from the expected"),
        (lambda hs, h0, W, dh: bptt_dW(hs, h0, W, dh).tolist(), "dW is a list of 3 items"),
    ],
)
def test_bptt_bugs_are_named(wrong, diagnosis):
    rejects(check_bptt_dW, wrong, diagnosis)


def test_bptt_stub(assert_not_attempted):
    assert_not_attempted(check_bptt_dW)


# ----------------------------------------------------------------------------- 01.4 port to Keras
def port(layer, U, W, b):
    layer.set_weights([U, W, b])


def assign_each(layer, U, W, b):
    layer.cell.kernel.assign(U)
    layer.cell.recurrent_kernel.assign(W)
    layer.cell.bias.assign(b)


def assign_in_order(layer, U, W, b):
    for variable, value in zip(layer.weights, (U, W, b)):
        variable.assign(value.astype("float32"))


def test_port_reference_passes(capsys):
    assert check_port_to_simple_rnn(port)
    assert "✅ Exercise 01.4 (port_to_simple_rnn): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [assign_each, assign_in_order])
def test_port_correct_alternatives_pass(answer):
    assert check_port_to_simple_rnn(answer)


def new_layer(layer, U, W, b):
    import keras

    fresh = keras.layers.SimpleRNN(U.shape[1], return_sequences=True)
    fresh.build((None, 5, U.shape[0]))
    fresh.set_weights([U, W, b])
    return fresh


def add_to(which):
    def fn(layer, U, W, b):
        for name, value in zip(("kernel", "recurrent_kernel", "bias"), (U, W, b)):
            variable = getattr(layer.cell, name)
            (variable.assign_add if name == which else variable.assign)(value)

    return fn


def kernels_only(layer, U, W, b):
    layer.cell.kernel.assign(U)
    layer.cell.recurrent_kernel.assign(W)


def load_and_activate(layer, U, W, b):  # also changes the cell's activation
    import keras

    layer.set_weights([U, W, b])
    layer.cell.activation = keras.activations.relu


def scale_in_place(layer, U, W, b):
    layer.set_weights([U, W, b])
    U *= 0.5


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda layer, U, W, b: layer.set_weights([W, U, b]), "swapped"),
        (lambda layer, U, W, b: layer.set_weights([U.T, W, b]), "U transposed"),
        (lambda layer, U, W, b: layer.set_weights([U, W.T, b]), "W transposed"),
        (kernels_only, "bias was not copied: the layer still has its starting bias"),
        (add_to("kernel"), "U was ADDED to the kernel"),
        (add_to("recurrent_kernel"), "W was ADDED to the recurrent kernel"),
        (add_to("bias"), "b was ADDED to the layer's starting bias"),
        (scale_in_place, "changed its argument `U` in place"),
        (lambda layer, U, W, b: layer.set_weights([U + 1e-3, W, b]), "layer.cell.kernel differs"),
        (lambda layer, U, W, b: layer.set_weights([U, W - 1e-3, b]), "recurrent_kernel differs"),
        (lambda layer, U, W, b: layer.set_weights([U, W, b + 1e-3]), "layer.cell.bias differs"),
        (lambda layer, U, W, b: None, "weights did not change: copy them"),
        (
            lambda layer, U, W, b: (layer.cell.recurrent_kernel.assign(W), layer.cell.bias.assign(b)),
            "the kernel did not change: load U into it",
        ),
        (
            lambda layer, U, W, b: (layer.cell.kernel.assign(U), layer.cell.bias.assign(b)),
            "the recurrent kernel did not change: load W into it",
        ),
        (load_and_activate, r"layer\(x\) for x \(2, 5, 3\) differs from the expected value"),
        (new_layer, "returned a new layer"),
        (
            lambda layer, U, W, b: layer.set_weights([U, W, b[None]]),
            r"Keras refused the shapes: the kernel must be U as it is, \(n_in, n_h\)",
        ),
        (
            lambda layer, U, W, b: layer.set_weights([U, W]),
            r"in the order \[kernel, recurrent_kernel, bias\], that is \[U, W, b\]",
        ),
    ],
)
def test_port_bugs_are_named(wrong, diagnosis):
    rejects(check_port_to_simple_rnn, wrong, diagnosis)


def test_port_stub(assert_not_attempted):
    assert_not_attempted(check_port_to_simple_rnn)


# ----------------------------------------------------------------------------- 01.5 parameters
def param_count(n_in, n_h, n_out, T):
    return n_in * n_h + n_h * n_h + n_h + n_h * n_out + n_out


def param_count_keras(n_in, n_h, n_out, T):
    import keras

    model = keras.Sequential([keras.Input((T, n_in)), keras.layers.SimpleRNN(n_h), keras.layers.Dense(n_out)])
    return model.count_params()


def test_param_count_reference_passes(capsys):
    assert check_rnn_param_count(param_count)
    assert "✅ Exercise 01.5 (rnn_param_count): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer",
    [
        lambda n_in, n_h, n_out, T: (n_in + n_h + 1) * n_h + (n_h + 1) * n_out,
        lambda n_in, n_h, n_out, T: np.int64(
            sum(np.prod(s) for s in [(n_in, n_h), (n_h, n_h), (n_h,), (n_h, n_out), (n_out,)])
        ),
        param_count_keras,
    ],
)
def test_param_count_correct_alternatives_pass(answer):
    assert check_rnn_param_count(answer)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (
            lambda n_in, n_h, n_out, T: T * param_count(n_in, n_h, n_out, T),
            r"changes with the sequence length T \(2415 for T = 5, 24150 for T = 50\)",
        ),
        (
            lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_out,
            "for n_in=10, n_h=16, n_out=3 you count 208, expected 483. you forgot W and both biases",
        ),
        (lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_h * n_out, "forgot the biases"),
        (lambda n_in, n_h, n_out, T: n_in * n_h + n_h + n_h * n_out + n_out, "forgot W"),
        (lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_h, "forgot the output layer"),
        (lambda n_in, n_h, n_out, T: param_count(n_in, n_h, n_out, T) - n_out, "forgot the output bias c"),
        (lambda n_in, n_h, n_out, T: param_count(n_in, n_h, n_out, T) - n_h, "forgot the hidden bias b"),
        (lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_in + n_h * n_out + n_out, "per HIDDEN unit"),
        (lambda n_in, n_h, n_out, T: 2 * n_in * n_h + n_h + n_h * n_out + n_out, r"not \(n_in, n_h\)"),
        (
            lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_h + n_h * 2 + 2,
            r"does not change when n_out does \(466 for n_out = 3 and for n_out = 1\)",
        ),
        (lambda n_in, n_h, n_out, T: 466, "does not change when n_in does"),
        (lambda n_in, n_h, n_out, T: param_count(n_in, 16, n_out, T), "does not change when n_h does"),
        (lambda n_in, n_h, n_out, T: param_count(n_in, n_h, n_out, T) + 1, "you count 484, expected 483"),
        (lambda n_in, n_h, n_out, T: float(param_count(n_in, n_h, n_out, T)), "as an int"),
        (lambda n_in, n_h, n_out, T: "many", "return a number .an int., got str 'many'"),
        (lambda n_in, n_h, n_out, T: [param_count(n_in, n_h, n_out, T)], "got list"),
        (
            lambda n_in, n_h, n_out, T: np.array([param_count(n_in, n_h, n_out, T)]),
            r"not a NumPy array of shape \(1,\) \(for n_in=10, n_h=16, n_out=3\)",
        ),
        (lambda n_in, n_h, n_out, T: None, "forget to `return`"),
    ],
)
def test_param_count_bugs_are_named(wrong, diagnosis):
    rejects(check_rnn_param_count, wrong, diagnosis)


def test_param_count_stub(assert_not_attempted):
    assert_not_attempted(check_rnn_param_count)


# ----------------------------------------------------------------------------- 01.7 BPTT, N vs N
def n_to_n(x, y, h0, U, W, b, V, c):  # the notebook's solution
    batch, T, _ = x.shape
    hs = ref.rnn_forward(x, h0, U, W, b)  # (batch, T, n_h)
    p = ref.softmax(hs @ V + c)  # (batch, T, n_out)
    onehot = np.eye(V.shape[1])[y]
    loss = -np.sum(onehot * np.log(p)) / (batch * T)
    dz = (p - onehot) / (batch * T)
    dV, dc = np.einsum("bth,bto->ho", hs, dz), dz.sum(axis=(0, 1))
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        da = (dz[:, t] @ V.T + dh_next) * (1 - hs[:, t] ** 2)
        dU += x[:, t].T @ da
        dW += (hs[:, t - 1] if t > 0 else h0).T @ da
        db += da.sum(axis=0)
        dh_next = da @ W.T
    return loss, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}


def n_to_n_reference(x, y, h0, U, W, b, V, c):
    return ref.rnn_loss_and_grads(x, y, {"U": U, "W": W, "b": b, "V": V, "c": c}, h0)


def n_to_n_time_major(x, y, h0, U, W, b, V, c):  # lists of per-step arrays, grads as a list of pairs
    batch, T, _ = x.shape
    states, probs = [h0], []
    for t in range(T):
        states.append(np.tanh(x[:, t] @ U + states[-1] @ W + b))
        z = states[-1] @ V + c
        e = np.exp(z - z.max(axis=1, keepdims=True))
        probs.append(e / e.sum(axis=1, keepdims=True))
    n = y.size
    loss = 0.0
    grads = dict(U=0 * U, W=0 * W, b=0 * b, V=0 * V, c=0 * c)
    carry = 0.0
    for t in range(T, 0, -1):
        p_true = probs[t - 1][np.arange(batch), y[:, t - 1]]
        loss -= np.log(p_true).sum() / n
        dz = probs[t - 1].copy()
        dz[np.arange(batch), y[:, t - 1]] -= 1.0
        dz /= n
        grads["V"] = grads["V"] + np.einsum("bh,bo->ho", states[t], dz)
        grads["c"] = grads["c"] + dz.sum(0)
        da = (dz @ V.T + carry) * (1 - states[t] ** 2)
        grads["U"] = grads["U"] + np.einsum("bi,bh->ih", x[:, t - 1], da)
        grads["W"] = grads["W"] + np.einsum("bi,bh->ih", states[t - 1], da)
        grads["b"] = grads["b"] + da.sum(0)
        carry = da @ W.T
    return np.float64(loss), grads


def test_n_to_n_reference_passes(capsys):
    assert check_n_to_n_loss_and_grads(n_to_n)
    assert "✅ Exercise 01.7 (n_to_n_loss_and_grads): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [n_to_n_reference, n_to_n_time_major])
def test_n_to_n_correct_alternatives_pass(answer):
    assert check_n_to_n_loss_and_grads(answer)


@pytest.mark.parametrize("batch, T", [(1, 1), (2, 3), (3, 8)])
def test_n_to_n_solution_matches_finite_differences(batch, T):
    rng = np.random.default_rng(batch * 10 + T)
    n_in, n_h, n_out = 3, 4, 5
    params = {
        "U": rng.normal(size=(n_in, n_h)) * 0.5,
        "W": rng.normal(size=(n_h, n_h)) * 0.5,
        "b": rng.normal(size=n_h) * 0.3,
        "V": rng.normal(size=(n_h, n_out)),
        "c": rng.normal(size=n_out) * 0.3,
    }
    x, h0 = rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h)) * 0.5
    y = rng.integers(n_out, size=(batch, T))
    _, grads = n_to_n(x, y, h0, **params)
    for name in params:
        numeric = ref.numerical_gradient(lambda: n_to_n(x, y, h0, **params)[0], params[name])
        assert ref.relative_error(grads[name], numeric) < 1e-7, name


def make_n_to_n(divide="all", last_only=False, carry=True, deriv=True, zeros=False, head_last=False):
    def fn(x, y, h0, U, W, b, V, c):
        batch, T, _ = x.shape
        start = np.zeros_like(h0) if zeros else h0
        hs = ref.rnn_forward(x, start, U, W, b)
        p = ref.softmax(hs @ V + c)
        onehot = np.eye(V.shape[1])[y]
        n = {"all": batch * T, "batch": batch, "none": 1}[divide]
        loss = -np.sum(onehot * np.log(p)) / n
        dz = (p - onehot) / n
        if head_last:
            dV, dc = hs[:, -1].T @ dz[:, -1], dz[:, -1].sum(axis=0)
        else:
            dV, dc = np.einsum("bth,bto->ho", hs, dz), dz.sum(axis=(0, 1))
        dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
        dh_next = np.zeros_like(h0)
        for t in reversed(range(T)):
            direct = dz[:, t] @ V.T if (t == T - 1 or not last_only) else 0.0
            dh = direct + (dh_next if carry else 0.0)
            da = dh * (1 - hs[:, t] ** 2) if deriv else dh
            dU += x[:, t].T @ da
            dW += (hs[:, t - 1] if t > 0 else start).T @ da
            db += da.sum(axis=0)
            dh_next = da @ W.T
        return loss, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}

    return fn


def n_to_n_in_place(x, y, h0, U, W, b, V, c):  # runs the state in the caller's h0
    loss, grads = n_to_n(x, y, h0, U, W, b, V, c)
    h0 *= 0.0
    return loss, grads


def n_to_n_squeezed_b(x, y, h0, U, W, b, V, c):  # db summed over every axis
    loss, grads = n_to_n(x, y, h0, U, W, b, V, c)
    grads["c"] = grads["c"].sum()
    return loss, grads


def n_to_n_dV_transposed(x, y, h0, U, W, b, V, c):
    loss, grads = n_to_n(x, y, h0, U, W, b, V, c)
    grads["V"] = grads["V"].T
    return loss, grads


def n_to_n_fixed_length(x, y, h0, U, W, b, V, c):  # the first probe's T = 4 written in
    return n_to_n(x[:, :4], y[:, :4], h0, U, W, b, V, c)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (make_n_to_n(divide="batch"), "divided by the batch size only"),
        (make_n_to_n(divide="none"), "nothing is divided"),
        (make_n_to_n(last_only=True), "only the last step's output sends a gradient"),
        (make_n_to_n(carry=False), "does not travel back in time"),
        (make_n_to_n(deriv=False), "forgot the tanh derivative"),
        (make_n_to_n(zeros=True), "starts from zeros: use the h0"),
        (make_n_to_n(head_last=True), "output layer's gradient comes from the last step only"),
        (n_to_n_in_place, "changed its argument `h0` in place"),
        (n_to_n_squeezed_b, r"dc should be a NumPy array of shape \(3,\)|dc has shape \(\), expected \(3,\)"),
        (n_to_n_dV_transposed, r"dV has shape \(3, 5\), expected \(5, 3\).*transposed"),
        (n_to_n_fixed_length, r"the loss for x \(3, 9, 4\).*differs"),
        (lambda *a: n_to_n(*a)[1], "returned a dict of 5 items|return two things"),
        (lambda *a: (n_to_n(*a)[0], list(n_to_n(*a)[1].values())), "should be a dict of gradients"),
        (lambda *a: (n_to_n(*a)[0], {k: v for k, v in n_to_n(*a)[1].items() if k != "c"}), r"lacks \['c'\]"),
        (lambda *a: (str(n_to_n(*a)[0]), n_to_n(*a)[1]), "the loss should be one number"),
        (lambda *a: None, "forget to `return loss, grads`"),
    ],
)
def test_n_to_n_bugs_are_named(wrong, diagnosis):
    rejects(check_n_to_n_loss_and_grads, wrong, diagnosis)


def test_n_to_n_stub(assert_not_attempted):
    assert_not_attempted(check_n_to_n_loss_and_grads)


# ----------------------------------------------------------------------------- 01.8 the articles' cell
import keras  # noqa: E402

from seqkeras.checks.lesson01 import check_article_rnn_cell  # noqa: E402
from seqkeras.layers import SerialDenseRNNCell  # noqa: E402


class ArticleRNNCell(keras.layers.Layer):  # the notebook's solution
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.output_size = units
        self.input_dense = keras.layers.Dense(units, name="input_dense")
        self.hidden_dense = keras.layers.Dense(units, name="hidden_dense")

    def build(self, input_shape):
        self.input_dense.build(input_shape)
        self.hidden_dense.build((input_shape[0], self.units))
        super().build(input_shape)

    def call(self, inputs, states):
        h_prev = states[0]
        h = keras.ops.tanh(self.hidden_dense(h_prev + keras.ops.relu(self.input_dense(inputs))))
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class ActivationsInLayers(ArticleRNNCell):  # relu and tanh given to the Dense layers, no build()
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.input_dense = keras.layers.Dense(units, activation="relu", name="input_dense")
        self.hidden_dense = keras.layers.Dense(units, activation="tanh", name="hidden_dense")

    def build(self, input_shape):
        self.input_dense.build(input_shape)
        self.hidden_dense.build((None, self.units))
        self.built = True

    def call(self, inputs, states):
        h = self.hidden_dense(keras.ops.add(states[0], self.input_dense(inputs)))
        return h, h  # a bare tensor as the single state


class ExpandedProduct(ArticleRNNCell):  # the product multiplied out, with the kernels read directly
    def call(self, inputs, states):
        d_in, d_h = self.input_dense, self.hidden_dense
        features = keras.ops.maximum(keras.ops.matmul(inputs, d_in.kernel) + d_in.bias, 0.0)
        a = keras.ops.matmul(states[0], d_h.kernel) + keras.ops.matmul(features, d_h.kernel) + d_h.bias
        h = keras.activations.tanh(a)
        return h, [h]


def test_article_cell_reference_passes(capsys):
    assert check_article_rnn_cell(ArticleRNNCell)
    assert "✅ Exercise 01.8 (ArticleRNNCell): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [ActivationsInLayers, ExpandedProduct, SerialDenseRNNCell])
def test_article_cell_correct_alternatives_pass(answer):
    assert check_article_rnn_cell(answer)


def article_cell(step):
    """A learner's cell whose call() is ``step(self, x, h_prev) -> h``; state handed on as [h]."""

    class Cell(ArticleRNNCell):
        def call(self, inputs, states):
            h = step(self, inputs, states[0])
            return h, [h]

    return Cell


relu, tanh = keras.ops.relu, keras.ops.tanh


class StateNotCarried(ArticleRNNCell):
    def call(self, inputs, states):
        h = tanh(self.hidden_dense(states[0] + relu(self.input_dense(inputs))))
        return h, [states[0]]


class HiddenBuiltOnInput(ArticleRNNCell):  # builds the second layer for inputs of size n_in
    def build(self, input_shape):
        self.input_dense.build(input_shape)
        self.hidden_dense.build(input_shape)
        self.built = True


class NoBiasInHidden(ArticleRNNCell):
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.hidden_dense = keras.layers.Dense(units, use_bias=False, name="hidden_dense")


class OtherNames(ArticleRNNCell):  # the articles' PyTorch names
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.l_in, self.l_hidden = self.input_dense, self.hidden_dense
        del self.input_dense, self.hidden_dense

    def build(self, input_shape):
        self.l_in.build(input_shape)
        self.l_hidden.build((input_shape[0], self.units))
        self.built = True

    def call(self, inputs, states):
        h = tanh(self.l_hidden(states[0] + relu(self.l_in(inputs))))
        return h, [h]


class ExtraRecurrent(ArticleRNNCell):  # a SimpleRNN-style recurrent kernel on top
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.recurrent_dense = keras.layers.Dense(units, use_bias=False)

    def build(self, input_shape):
        super().build(input_shape)
        self.recurrent_dense.build((input_shape[0], self.units))

    def call(self, inputs, states):
        h = tanh(self.hidden_dense(relu(self.input_dense(inputs))) + self.recurrent_dense(states[0]))
        return h, [h]


class NoConfig(ArticleRNNCell):  # a constructor argument that get_config forgets
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(units, **kwargs)
        self.scale = scale

    def get_config(self):
        return super(ArticleRNNCell, self).get_config()


class ListState(ArticleRNNCell):  # uses the list of states as the state
    def call(self, inputs, states):
        h = tanh(self.hidden_dense(states + relu(self.input_dense(inputs))))
        return h, [h]


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (
            article_cell(lambda s, x, h: tanh(s.hidden_dense(h + s.input_dense(x)))),
            "relu after input_dense is missing",
        ),
        (
            article_cell(lambda s, x, h: tanh(s.hidden_dense(relu(s.input_dense(x) + h)))),
            "relu comes after the state is added",
        ),
        (
            article_cell(lambda s, x, h: tanh(s.hidden_dense(relu(s.input_dense(x))) + h)),
            "h_prev is added after hidden_dense",
        ),
        (
            article_cell(lambda s, x, h: tanh(s.hidden_dense(h) + s.hidden_dense(relu(s.input_dense(x))))),
            "bias b_h is counted twice",
        ),
        (
            article_cell(lambda s, x, h: tanh(s.hidden_dense(relu(s.input_dense(x))))),
            "ignores the previous state",
        ),
        (
            article_cell(lambda s, x, h: s.hidden_dense(h + relu(s.input_dense(x)))),
            "tanh at the end is missing",
        ),
        (
            article_cell(lambda s, x, h: tanh(tanh(s.hidden_dense(h + relu(s.input_dense(x)))))),
            "tanh is applied twice",
        ),
        (
            article_cell(lambda s, x, h: tanh(s.hidden_dense(h + keras.ops.sigmoid(s.input_dense(x))))),
            "uses a sigmoid",
        ),
        (
            article_cell(lambda s, x, h: relu(s.hidden_dense(h + relu(s.input_dense(x))))),
            "last activation is a relu",
        ),
        (StateNotCarried, "every step starts from the initial state"),
        (HiddenBuiltOnInput, "hidden_dense was built for inputs of size n_in"),
        (NoBiasInHidden, r"`self.hidden_dense` has no bias"),
        (OtherNames, r"no Dense layer `self.input_dense`"),
        (ExtraRecurrent, "has 5 weight arrays"),
        (NoConfig, "cannot be made again from its config"),
        (ListState, r"`states` is a list of one tensor"),
        (ArticleRNNCell(3), "pass the class itself"),
        (lambda units: None, "expected a class derived from keras.layers.Layer"),
    ],
)
def test_article_cell_bugs_are_named(wrong, diagnosis):
    rejects(check_article_rnn_cell, wrong, diagnosis)


class StubCell(ArticleRNNCell):  # the learner copy before any answer: __init__ stops at the stub
    def __init__(self, units, **kwargs):
        keras.layers.Layer.__init__(self, **kwargs)
        self.units = units
        raise NotImplementedError("Exercise: write your code here")


def test_article_cell_stub(assert_not_attempted):
    assert_not_attempted(check_article_rnn_cell, StubCell)
