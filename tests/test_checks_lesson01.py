"""Lesson 01 checkers: the reference passes, plausible bugs are named, stubs are "not attempted"."""
import numpy as np
import pytest

from seqkeras.checks.lesson01 import (check_bptt_dW, check_port_to_simple_rnn, check_rnn_cell_step,
                                      check_rnn_forward, check_rnn_param_count)
from seqkeras.grading import ExerciseError
from seqkeras.reference import rnn_forward, sigmoid


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here")


def stub_is_not_attempted(checker, capsys, monkeypatch):
    assert not checker(stub)
    assert "not attempted yet" in capsys.readouterr().out
    monkeypatch.setenv("SEQKERAS_STRICT", "1")
    with pytest.raises(ExerciseError, match="not attempted"):
        checker(stub)


# ----------------------------------------------------------------------------- 01.1 cell step
def cell_step(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U + h_prev @ W + b)


def test_cell_step_reference_passes(capsys):
    assert check_rnn_cell_step(cell_step)
    assert "✅ Exercise 01.1 (rnn_cell_step): passed" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda x, h, U, W, b: np.tanh(x @ U + b), "ignores the previous state"),
    (lambda x, h, U, W, b: np.tanh(h @ W + b), "ignores the input"),
    (lambda x, h, U, W, b: np.tanh(x @ U + h @ W), "forgot the bias"),
    (lambda x, h, U, W, b: np.tanh(x @ U + h @ W) + b, "bias is added after the activation"),
    (lambda x, h, U, W, b: sigmoid(x @ U + h @ W + b), "you used sigmoid"),
    (lambda x, h, U, W, b: np.maximum(0, x @ U + h @ W + b), "you used relu"),
    (lambda x, h, U, W, b: x @ U + h @ W + b, "activation is missing"),
    (lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + b), "used transposed"),
    (lambda x, h, U, W, b: np.tanh((U @ x.T).T + (W @ h.T).T + b), "used transposed"),
    (lambda x, h, U, W, b: np.tanh(x @ W + h @ U + b), "U and W are swapped"),
])
def test_cell_step_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_rnn_cell_step(wrong)


def test_cell_step_crash_and_missing_return():
    with pytest.raises(ExerciseError, match="raised ValueError"):  # column-vector style, non-square
        check_rnn_cell_step(lambda x, h, U, W, b: np.tanh(U @ x + W @ h + b))
    with pytest.raises(ExerciseError, match="forget to `return`"):
        check_rnn_cell_step(lambda x, h, U, W, b: None)


def test_cell_step_stub(capsys, monkeypatch):
    stub_is_not_attempted(check_rnn_cell_step, capsys, monkeypatch)


# ----------------------------------------------------------------------------- 01.2 forward
def forward(x, h0, U, W, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ U + h @ W + b)
        hs.append(h)
    return np.stack(hs, axis=1)


def always_h0(x, h0, U, W, b):
    return np.stack([np.tanh(x[:, t] @ U + h0 @ W + b) for t in range(x.shape[1])], axis=1)


def off_by_one(x, h0, U, W, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        hs.append(h)
        h = np.tanh(x[:, t] @ U + h @ W + b)
    return np.stack(hs, axis=1)


def in_place(x, h0, U, W, b):
    h, hs = h0.copy(), []
    for t in range(x.shape[1]):
        h[:] = np.tanh(x[:, t] @ U + h @ W + b)
        hs.append(h)
    return np.stack(hs, axis=1)


@pytest.mark.parametrize("wrong, diagnosis", [
    (always_h0, "the state is not carried"),
    (lambda x, h0, U, W, b: forward(x, np.zeros_like(h0), U, W, b), "starts from zeros"),
    (off_by_one, "off by one"),
    (in_place, "same array object"),
    (lambda x, h0, U, W, b: forward(x, h0, U, W, b)[:, -1], "only the last state"),
    (lambda x, h0, U, W, b: np.concatenate([h0[:, None], forward(x, h0, U, W, b)], axis=1),
     "includes h0"),
    (lambda x, h0, U, W, b: np.stack([forward(x, h0, U, W, b)[:, t] for t in range(x.shape[1])]),
     "time axis comes first"),
    (lambda x, h0, U, W, b: forward(x[:, :-1], h0, U, W, b), "one step too few"),
    (lambda x, h0, U, W, b: forward(x[:, ::-1], h0, U, W, b), "backwards"),
    (lambda x, h0, U, W, b: forward(np.repeat(x[:, :1], x.shape[1], axis=1), h0, U, W, b),
     "first input"),
    (lambda x, h0, U, W, b: list(forward(x, h0, U, W, b).transpose(1, 0, 2)), "np.stack"),
])
def test_forward_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_rnn_forward(wrong)


def test_forward_reference_passes():
    assert check_rnn_forward(forward)
    assert check_rnn_forward(rnn_forward)


def test_forward_stub(capsys, monkeypatch):
    stub_is_not_attempted(check_rnn_forward, capsys, monkeypatch)


# ----------------------------------------------------------------------------- 01.3 BPTT dW
def bptt_dW(hs, h0, W, dh_last):
    dW, dh = np.zeros_like(W), dh_last
    for t in reversed(range(hs.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h0
        da = dh * (1 - hs[:, t] ** 2)
        dW += h_prev.T @ da
        dh = da @ W.T
    return dW


def make_bptt(deriv=lambda h: 1 - h ** 2, last_only=False, overwrite=False, pair_current=False,
              back=lambda da, W: da @ W.T, first=0):
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
    assert check_bptt_dW(make_bptt())


@pytest.mark.parametrize("wrong, diagnosis", [
    (make_bptt(deriv=lambda h: 1.0), "forgot the tanh derivative"),
    (make_bptt(deriv=lambda h: 1 - np.tanh(h) ** 2), "applied tanh to h_t again"),
    (make_bptt(last_only=True), "only the last step contributes"),
    (make_bptt(overwrite=True), "overwrite dW"),
    (make_bptt(first=1), "first step is missing"),
    (make_bptt(pair_current=True), "pairs da_t with h_t"),
    (make_bptt(back=lambda da, W: da), "not passed back through W"),
    (make_bptt(back=lambda da, W: da @ W), "instead of W.T"),
    (lambda hs, h0, W, dh: bptt_dW(hs, h0, W, dh).T, "transposed"),
])
def test_bptt_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_bptt_dW(wrong)


def test_bptt_wrong_shape_and_unknown_bug():
    with pytest.raises(ExerciseError, match="shape"):
        check_bptt_dW(lambda hs, h0, W, dh: np.zeros(W.shape[0]))
    with pytest.raises(ExerciseError, match="largest difference"):
        check_bptt_dW(lambda hs, h0, W, dh: bptt_dW(hs, h0, W, dh) * 2)


def test_bptt_stub(capsys, monkeypatch):
    stub_is_not_attempted(check_bptt_dW, capsys, monkeypatch)


# ----------------------------------------------------------------------------- 01.4 port to Keras
def port(layer, U, W, b):
    layer.set_weights([U, W, b])


def test_port_reference_passes(capsys):
    assert check_port_to_simple_rnn(port)
    assert "✅ Exercise 01.4 (port_to_simple_rnn): passed" in capsys.readouterr().out


def assign_each(layer, U, W, b):
    layer.cell.kernel.assign(U)
    layer.cell.recurrent_kernel.assign(W)
    layer.cell.bias.assign(b)


def test_port_by_assign_passes():
    assert check_port_to_simple_rnn(assign_each)


def new_layer(layer, U, W, b):
    import keras

    fresh = keras.layers.SimpleRNN(U.shape[1], return_sequences=True)
    fresh.build((None, 5, U.shape[0]))
    fresh.set_weights([U, W, b])
    return fresh


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda layer, U, W, b: layer.set_weights([W, U, b]), "swapped"),
    (lambda layer, U, W, b: layer.set_weights([U.T, W, b]), "U transposed"),
    (lambda layer, U, W, b: layer.set_weights([U, W.T, b]), "W transposed"),
    (lambda layer, U, W, b: layer.set_weights([U, W, 0 * b]), "bias was not copied"),
    (lambda layer, U, W, b: None, "did not change"),
    (new_layer, "returned a new layer"),
])
def test_port_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_port_to_simple_rnn(wrong)


def test_port_stub(capsys, monkeypatch):
    stub_is_not_attempted(check_port_to_simple_rnn, capsys, monkeypatch)


# ----------------------------------------------------------------------------- 01.5 parameters
def param_count(n_in, n_h, n_out, T):
    return n_in * n_h + n_h * n_h + n_h + n_h * n_out + n_out


def test_param_count_reference_passes():
    assert check_rnn_param_count(param_count)


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda n_in, n_h, n_out, T: T * param_count(n_in, n_h, n_out, T), "changes with the sequence"),
    (lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_h * n_out, "forgot the biases"),
    (lambda n_in, n_h, n_out, T: n_in * n_h + n_h + n_h * n_out + n_out, "forgot W"),
    (lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_h, "forgot the output layer"),
    (lambda n_in, n_h, n_out, T: n_in * n_h + n_h * n_h + n_in + n_h * n_out + n_out,
     "per HIDDEN unit"),
    (lambda n_in, n_h, n_out, T: float(param_count(n_in, n_h, n_out, T)), "as an int"),
    (lambda n_in, n_h, n_out, T: "many", "return a number"),
    (lambda n_in, n_h, n_out, T: param_count(n_in, n_h, n_out, T) + 1, "expected"),
])
def test_param_count_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_rnn_param_count(wrong)


def test_param_count_stub(capsys, monkeypatch):
    stub_is_not_attempted(check_rnn_param_count, capsys, monkeypatch)
