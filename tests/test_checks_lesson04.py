"""Lesson 04 checkers: right answers pass however they are written, plausible bugs are named,
the untouched stub is "not attempted"."""

import numpy as np
import pytest
from notebook_solutions import notebook_solution

import seqkeras.reference as ref
from seqkeras.checks.lesson04 import (
    check_clip_by_global_norm,
    check_gru_step,
    check_lstm_step,
    check_param_count,
)
from seqkeras.grading import ExerciseError


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))  # the naive form: overflows (harmlessly) on large inputs


# ----------------------------------------------------------------------------- 04.1 LSTM step
def lstm_step(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias):
    n_h = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f = sigmoid(a[:, :n_h]), sigmoid(a[:, n_h : 2 * n_h])
    C_tilde, o = np.tanh(a[:, 2 * n_h : 3 * n_h]), sigmoid(a[:, 3 * n_h :])
    C_t = f * C_prev + i * C_tilde
    return o * np.tanh(C_t), C_t


def lstm_per_gate(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias):
    """Correct, written differently: one gate at a time from split weights, a list returned."""
    U = np.split(kernel, 4, axis=1)
    W = np.split(recurrent_kernel, 4, axis=1)
    b = np.split(bias, 4)
    pre = [x_t @ U[k] + h_prev @ W[k] + b[k] for k in range(4)]
    gate = [ref.sigmoid(p) for p in pre]
    C_t = gate[1] * C_prev + gate[0] * np.tanh(pre[2])
    return [gate[3] * np.tanh(C_t), C_t]


def lstm_variant(
    order=(0, 1, 2, 3),
    gate=sigmoid,
    cand=np.tanh,
    forget=True,
    keep_old=True,
    out=lambda o, C, C_prev: o * np.tanh(C),
    bias=True,
    swap_return=False,
):
    def fn(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias_):
        n_h = h_prev.shape[1]
        a = x_t @ kernel + h_prev @ recurrent_kernel + (bias_ if bias else 0)
        blocks = [a[:, j * n_h : (j + 1) * n_h] for j in range(4)]
        i, f, c, o = (blocks[j] for j in order)
        i, f, o, c = gate(i), gate(f), gate(o), cand(c)
        old = C_prev if keep_old else 0
        C_t = (f * old if forget else old) + i * c
        h_t = out(o, C_t, C_prev)
        return (C_t, h_t) if swap_return else (h_t, C_t)

    return fn


def lstm_in_place(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias):
    h, C = lstm_step(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias)
    C_prev *= 0  # "reuse the buffer"
    return h, C


def test_lstm_step_reference_and_alternatives_pass(capsys):
    assert check_lstm_step(lstm_step)
    assert "✅ Exercise 04.1 (lstm_step): passed" in capsys.readouterr().out
    assert check_lstm_step(lstm_per_gate)
    assert check_lstm_step(lambda *args: ref.lstm_step(*args))


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lstm_variant(order=(1, 0, 2, 3)), r"wrong order \(you read the blocks as f, i, C~, o\)"),
        (lstm_variant(order=(0, 1, 3, 2)), r"wrong order \(you read the blocks as i, f, o, C~\)"),
        (lstm_variant(order=(2, 0, 1, 3)), "sliced in the wrong order"),
        (lstm_variant(forget=False), "forget gate is missing"),
        (lstm_variant(keep_old=False), "old cell state is dropped"),
        (lstm_variant(gate=np.tanh, cand=sigmoid), "sigmoid and tanh are swapped"),
        (lstm_variant(cand=sigmoid), "candidate C~_t uses sigmoid"),
        (lstm_variant(gate=np.tanh), "the gates use tanh"),
        (lstm_variant(out=lambda o, C, C_prev: o * C), "h_t lacks the tanh"),
        (lstm_variant(out=lambda o, C, C_prev: o * np.tanh(C_prev)), "OLD cell state"),
        (lstm_variant(out=lambda o, C, C_prev: np.tanh(o * C)), "applied after the output gate"),
        (lstm_variant(bias=False), "forgot the bias"),
        (lstm_variant(swap_return=True), r"wrong order, \(C_t, h_t\)"),
        (lstm_in_place, "changed its input `C_prev` in place"),
        (lambda x, h, C, K, R, b: lstm_step(x, h, C, K, R, b)[0], "return the pair"),
        (lambda x, h, C, K, R, b: lstm_step(x, h, C, K[:, :4], R[:, :4], b[:4]), "shape"),
    ],
)
def test_lstm_step_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_lstm_step(wrong)


def test_lstm_step_that_hard_codes_the_sizes_fails_on_other_sizes():
    def fixed(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias):
        a = x_t @ kernel + h_prev @ recurrent_kernel + bias
        i, f, c, o = sigmoid(a[:, :4]), sigmoid(a[:, 4:8]), np.tanh(a[:, 8:12]), sigmoid(a[:, 12:])
        C_t = f * C_prev + i * c
        return o * np.tanh(C_t), C_t

    with pytest.raises(ExerciseError, match=r"raised ValueError(.|\n)*ndarray\(1, 5\)"):
        check_lstm_step(fixed)


def test_lstm_step_unknown_bug_shows_the_difference():
    with pytest.raises(ExerciseError, match="largest difference"):
        check_lstm_step(lambda *args: tuple(v * 1.01 for v in lstm_step(*args)))


def test_lstm_step_stub(assert_not_attempted):
    assert_not_attempted(check_lstm_step)


# ----------------------------------------------------------------------------- 04.2 GRU step
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    n_h = h_prev.shape[1]
    if bias.ndim == 2:  # reset_after=True: two bias rows
        xs = x_t @ kernel + bias[0]
        hs = h_prev @ recurrent_kernel + bias[1]
        z = sigmoid(xs[:, :n_h] + hs[:, :n_h])
        r = sigmoid(xs[:, n_h : 2 * n_h] + hs[:, n_h : 2 * n_h])
        h_tilde = np.tanh(xs[:, 2 * n_h :] + r * hs[:, 2 * n_h :])
    else:  # reset_after=False: one bias row
        xs = x_t @ kernel + bias
        z = sigmoid(xs[:, :n_h] + h_prev @ recurrent_kernel[:, :n_h])
        r = sigmoid(xs[:, n_h : 2 * n_h] + h_prev @ recurrent_kernel[:, n_h : 2 * n_h])
        h_tilde = np.tanh(xs[:, 2 * n_h :] + (r * h_prev) @ recurrent_kernel[:, 2 * n_h :])
    return z * h_prev + (1 - z) * h_tilde


def gru_by_dicts(x_t, h_prev, kernel, recurrent_kernel, bias):
    """Correct, written differently: dicts of split weights, an explicit zero recurrent bias."""
    U = ref.split_gates(kernel, ("z", "r", "h"))
    W = ref.split_gates(recurrent_kernel, ("z", "r", "h"))
    b_in, b_rec = (bias[0], bias[1]) if np.ndim(bias) == 2 else (bias, None)
    b = ref.split_gates(b_in, ("z", "r", "h"))
    br = ref.split_gates(b_rec if b_rec is not None else np.zeros_like(b_in), ("z", "r", "h"))
    z = ref.sigmoid(x_t @ U["z"] + b["z"] + h_prev @ W["z"] + br["z"])
    r = ref.sigmoid(x_t @ U["r"] + b["r"] + h_prev @ W["r"] + br["r"])
    if b_rec is not None:
        cand = np.tanh(x_t @ U["h"] + b["h"] + r * (h_prev @ W["h"] + br["h"]))
    else:
        cand = np.tanh(x_t @ U["h"] + b["h"] + (r * h_prev) @ W["h"])
    return h_prev + (1 - z) * (cand - h_prev)  # the same mix, rearranged


def gru_variant(
    order=(0, 1, 2), gate=sigmoid, cand=np.tanh, mix="z_old", reset="auto", rows="ok", only_two_rows=False
):
    def fn(x_t, h_prev, kernel, recurrent_kernel, bias):
        n_h = h_prev.shape[1]
        if bias.ndim == 2 or only_two_rows:
            b0, b1 = {
                "ok": (bias[0], bias[1]),
                "swapped": (bias[1], bias[0]),
                "no_rec": (bias[0], 0 * bias[0]),
                "summed": (bias[0] + bias[1], 0 * bias[0]),
            }[rows]
        else:
            b0, b1 = bias, 0 * bias
        where = reset if reset != "auto" else ("after" if bias.ndim == 2 else "before")
        xs = x_t @ kernel + b0
        blocks = [slice(j * n_h, (j + 1) * n_h) for j in range(3)]
        zs, rs, hs_ = (blocks[j] for j in order)
        z = gate(xs[:, zs] + h_prev @ recurrent_kernel[:, zs] + np.broadcast_to(b1, xs.shape[1:])[zs])
        r = gate(xs[:, rs] + h_prev @ recurrent_kernel[:, rs] + np.broadcast_to(b1, xs.shape[1:])[rs])
        b1h = np.broadcast_to(b1, xs.shape[1:])[hs_]
        if where == "after":
            rec = r * (h_prev @ recurrent_kernel[:, hs_] + b1h)
        elif where == "before":
            rec = (r * h_prev) @ recurrent_kernel[:, hs_] + b1h
        else:
            rec = h_prev @ recurrent_kernel[:, hs_] + b1h
        h_tilde = cand(xs[:, hs_] + rec)
        if mix == "z_new":
            return (1 - z) * h_prev + z * h_tilde
        if mix == "none":
            return h_tilde
        return z * h_prev + (1 - z) * h_tilde

    return fn


def test_gru_step_reference_and_alternatives_pass(capsys):
    assert check_gru_step(gru_step)
    assert "✅ Exercise 04.2 (gru_step): passed" in capsys.readouterr().out
    assert check_gru_step(gru_by_dicts)
    assert check_gru_step(ref.gru_step)
    assert check_gru_step(gru_variant())


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (gru_variant(order=(1, 0, 2)), r"wrong order \(you read the blocks as r, z, h~\)"),
        (gru_variant(order=(2, 0, 1)), "sliced in the wrong order"),
        (gru_variant(mix="z_new"), "z and 1 - z are swapped"),
        (gru_variant(mix="none"), "update gate is missing"),
        (gru_variant(reset="before"), "reset gate is applied in the wrong place.*AFTER the product"),
        (gru_variant(reset="before", rows="summed"), "reset gate is applied in the wrong place"),
        (gru_variant(reset="after"), "reset gate is applied in the wrong place.*BEFORE the product"),
        (gru_variant(reset="none"), "reset gate is missing"),
        (gru_variant(gate=np.tanh, cand=sigmoid), "sigmoid and tanh are swapped"),
        (gru_variant(cand=sigmoid), "candidate h~ uses sigmoid"),
        (gru_variant(gate=np.tanh), "the gates use tanh"),
        (gru_variant(rows="swapped"), "two bias rows are swapped"),
        (gru_variant(rows="no_rec"), "recurrent bias is missing"),
        (gru_variant(rows="summed"), "recurrent bias of the candidate belongs inside"),
        (lambda x, h, K, R, b: (gru_step(x, h, K, R, b), h), "return h_t alone"),
    ],
)
def test_gru_step_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_gru_step(wrong)


def test_gru_step_that_handles_only_keras_default_fails_on_the_one_row_bias():
    def two_rows_only(x_t, h_prev, kernel, recurrent_kernel, bias):
        b0, b1 = bias  # a one-row bias cannot be unpacked like this
        return gru_step(x_t, h_prev, kernel, recurrent_kernel, np.stack([b0, b1]))

    with pytest.raises(
        ExerciseError,
        match=r"too many values to unpack(.|\n)*reset_after=False "
        r"variant has ONE bias row",
    ):
        check_gru_step(two_rows_only)


def test_gru_step_in_place_and_overflow():
    def in_place(x_t, h_prev, kernel, recurrent_kernel, bias):
        out = gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)
        h_prev[:] = out
        return h_prev

    with pytest.raises(ExerciseError, match="changed its input `h_prev` in place"):
        check_gru_step(in_place)

    def softmax_gates(x_t, h_prev, kernel, recurrent_kernel, bias):  # exp of large inputs -> NaN
        n_h = h_prev.shape[1]
        a = np.exp(np.abs(x_t @ kernel) * 100)
        return gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) + 0 * a[:, :n_h] / a[:, :n_h]

    with pytest.raises(ExerciseError, match="inf or NaN"):
        check_gru_step(softmax_gates)


def test_gru_step_stub(assert_not_attempted):
    assert_not_attempted(check_gru_step)


# ----------------------------------------------------------------------------- 04.3 clipping
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [g * scale for g in grads], norm


def clip_flat(grads, max_norm):
    """Correct, written differently: flatten everything, a tuple back, np.minimum for the scale."""
    flat = np.concatenate([np.ravel(g) for g in grads])
    norm = float(np.linalg.norm(flat))
    scale = np.minimum(1.0, max_norm / max(norm, 1e-300))
    return tuple(np.array(g) * scale for g in grads), np.float64(norm)


def clip_per_tensor(grads, max_norm):
    out = []
    for g in grads:
        n = np.linalg.norm(g)
        out.append(g * max_norm / n if n > max_norm else g.copy())
    return out, np.sqrt(sum(np.sum(g**2) for g in grads))


def clip_always(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * max_norm / max(norm, 1e-300) for g in grads], norm


def clip_in_place(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return grads, norm


def clip_returns_new_norm(grads, max_norm):
    clipped, _ = clip_by_global_norm(grads, max_norm)
    return clipped, np.sqrt(sum(np.sum(g**2) for g in clipped))


def clip_no_sqrt(grads, max_norm):
    sq = sum(np.sum(g**2) for g in grads)
    return clip_by_global_norm(grads, max_norm)[0], sq


def clip_sum_of_norms(grads, max_norm):
    norm = sum(np.linalg.norm(g) for g in grads)
    return clip_by_global_norm(grads, max_norm)[0], norm


def clip_nan_for_zeros(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    with np.errstate(all="ignore"):
        scale = np.minimum(1.0, max_norm / norm) if norm else np.float64(np.nan)
    return [g * scale for g in grads], norm


def test_clip_reference_and_alternatives_pass(capsys):
    assert check_clip_by_global_norm(clip_by_global_norm)
    assert "✅ Exercise 04.3 (clip_by_global_norm): passed" in capsys.readouterr().out
    assert check_clip_by_global_norm(clip_flat)
    assert check_clip_by_global_norm(ref.clip_by_global_norm)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (clip_per_tensor, "clipped each array on its own"),
        (clip_always, "below max_norm"),
        (clip_in_place, "changed its input `grads` in place"),
        (clip_returns_new_norm, "norm AFTER clipping"),
        (clip_no_sqrt, "forgot np.sqrt"),
        (clip_sum_of_norms, "not the sum of the arrays' norms"),
        (
            lambda grads, m: ([np.clip(g, -m, m) for g in grads], np.sqrt(sum(np.sum(g**2) for g in grads))),
            "np.clip caps each number",
        ),
        (lambda grads, m: clip_by_global_norm(grads, m)[0], "return the pair"),
        (lambda grads, m: (np.concatenate([g.ravel() for g in grads]), 1.0), "must be a list"),
        (clip_nan_for_zeros, "all-zero gradients"),
        (
            lambda grads, m: (clip_by_global_norm(grads, m)[0][:1], clip_by_global_norm(grads, m)[1]),
            "one clipped array per gradient",
        ),
    ],
)
def test_clip_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_clip_by_global_norm(wrong)


def test_clip_that_loses_precision_on_tiny_gradients_fails():
    def float32(grads, max_norm):
        clipped, norm = clip_by_global_norm([g.astype(np.float16) for g in grads], max_norm)
        return [c.astype(float) for c in clipped], norm

    with pytest.raises(ExerciseError):
        check_clip_by_global_norm(float32)


def test_clip_stub(assert_not_attempted):
    assert_not_attempted(check_clip_by_global_norm)


# ----------------------------------------------------------------------------- 04.4 counts
def param_count(cell, n_in, n_h, reset_after=True):
    block = n_in * n_h + n_h * n_h + n_h
    if cell == "SimpleRNN":
        return block
    if cell == "LSTM":
        return 4 * block
    return 3 * block + (3 * n_h if reset_after else 0)


def param_count_by_matrices(cell, n_in, n_h, reset_after=True):
    """Correct, written differently: count the arrays Keras stores."""
    k = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
    bias_rows = 2 if cell == "GRU" and reset_after else 1
    shapes = [(n_in, k * n_h), (n_h, k * n_h), (bias_rows, k * n_h)]
    return int(sum(np.prod(s) for s in shapes))


def test_param_count_reference_and_alternative_pass(capsys):
    assert check_param_count(param_count)
    assert "✅ Exercise 04.4 (param_count): passed" in capsys.readouterr().out
    assert check_param_count(param_count_by_matrices)
    assert check_param_count(ref.recurrent_param_count)


def _count(
    lstm=4, gru=3, gru_rows=lambda reset_after: 2 if reset_after else 1, bias=True, recurrent=True, swap=False
):
    def fn(cell, n_in, n_h, reset_after=True):
        if swap:
            n_in, n_h = n_h, n_in
        k = {"SimpleRNN": 1, "LSTM": lstm, "GRU": gru}[cell]
        rows = gru_rows(reset_after) if cell == "GRU" else 1
        return k * (n_in * n_h + (n_h * n_h if recurrent else 0) + (rows * n_h if bias else 0))

    return fn


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (_count(lstm=3), "An LSTM has FOUR blocks"),
        (_count(gru=4), "A GRU has THREE blocks"),
        (_count(gru_rows=lambda reset_after: 1), "TWO bias rows"),
        (_count(gru_rows=lambda reset_after: 2), "ONE bias row"),
        (_count(bias=False), "forgot the biases"),
        (_count(recurrent=False), "forgot the recurrent kernel"),
        (_count(swap=True), "You swapped n_in and n_h"),
        (
            lambda cell, n_in, n_h, reset_after=True: float(param_count(cell, n_in, n_h, reset_after)),
            "return it as an int",
        ),
        (
            lambda cell, n_in, n_h, reset_after=True: {"SimpleRNN": 5 * 7 + 49 + 7, "LSTM": 364, "GRU": 294}[
                cell
            ],
            "expected",
        ),
        (lambda cell, n_in, n_h, reset_after=True: None, "forget to `return`"),
        (lambda cell, n_in, n_h, reset_after=True: str(param_count(cell, n_in, n_h)), "return a number"),
    ],
)
def test_param_count_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_param_count(wrong)


def test_param_count_stub(assert_not_attempted):
    assert_not_attempted(check_param_count)


# ----------------------------------------------------------------------------- tolerances
# A mutation run loosened each checker's tolerance to 1e-2 and no test noticed: an answer off
# by 1e-3 (a float16 step, a rounded constant) must still be wrong.
def lstm_h_off(*args):
    h_t, C_t = lstm_step(*args)
    return h_t + 1e-3, C_t


def lstm_C_off(*args):
    h_t, C_t = lstm_step(*args)
    return h_t, C_t * (1 + 1e-3)


def clip_norm_off(grads, max_norm):
    clipped, norm = clip_by_global_norm(grads, max_norm)
    return clipped, norm * (1 + 1e-3)


def clip_arrays_off(grads, max_norm):
    clipped, norm = clip_by_global_norm(grads, max_norm)
    return [c * (1 + 1e-3) for c in clipped], norm


@pytest.mark.parametrize(
    "checker, answer, diagnosis",
    [
        (check_lstm_step, lstm_h_off, "h_t .*differs from the expected value"),
        (check_lstm_step, lstm_C_off, "C_t .*differs from the expected value"),
        (check_gru_step, lambda *args: gru_step(*args) + 1e-3, "differs from the expected value"),
        (check_gru_step, lambda *args: gru_step(*args) * (1 + 1e-3), "differs from the expected value"),
        (check_clip_by_global_norm, clip_norm_off, "norm"),
        (check_clip_by_global_norm, clip_arrays_off, r"clipped\[0\] .*differs from the expected value"),
    ],
)
def test_answers_off_by_a_thousandth_are_wrong(checker, answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        checker(answer)


# ----------------------------------------------------------------------------- issue 20
def ratio_sigmoid(a):
    return np.exp(a) / (1.0 + np.exp(a))  # right for small a, inf / inf = NaN beyond a ≈ 710


def exp_tanh(a):
    return (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1)


def test_the_large_probes_reach_past_exp_overflow():
    from seqkeras.checks import lesson04

    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6)) * lesson04._BIG
    K = rng.normal(size=(6, 8)) * 0.7
    assert np.abs(x @ K).max() > 750  # np.exp overflows at 709.8


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_lstm_step, lstm_variant(gate=ratio_sigmoid)),
        (check_lstm_step, lstm_variant(cand=exp_tanh)),
        (check_gru_step, gru_variant(gate=ratio_sigmoid)),
        (check_gru_step, gru_variant(cand=exp_tanh)),
    ],
)
def test_a_naive_exp_that_overflows_is_named(checker, wrong):
    with pytest.raises(ExerciseError, match=r"np\.exp overflows to inf beyond about 710"):
        checker(wrong)


def gru_gates_without_recurrent_bias(x_t, h_prev, kernel, recurrent_kernel, bias):
    """reset_after=True with b'_z, b'_r left out of the gates: only b'_h is used."""
    if bias.ndim == 1:
        return gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)
    n_h = h_prev.shape[1]
    xs = x_t @ kernel + bias[0]
    hs = h_prev @ recurrent_kernel
    z = ref.sigmoid(xs[:, :n_h] + hs[:, :n_h])
    r = ref.sigmoid(xs[:, n_h : 2 * n_h] + hs[:, n_h : 2 * n_h])
    h_tilde = np.tanh(xs[:, 2 * n_h :] + r * (hs[:, 2 * n_h :] + bias[1, 2 * n_h :]))
    return z * h_prev + (1 - z) * h_tilde


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (gru_gates_without_recurrent_bias, "recurrent bias is missing from z and r"),
        (lambda *args: (gru_step(*args),), "trailing comma"),
        (lambda *args: gru_step(*args).tolist(), "h_t is a list of"),
    ],
)
def test_gru_step_issue_20_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_gru_step(wrong)


def clip_returns_the_callers_arrays(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    if norm <= max_norm:
        return grads, norm  # the caller's own list and arrays
    return [g * (max_norm / norm) for g in grads], norm


def clip_returns_the_same_arrays_in_a_new_list(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    return [g * (max_norm / norm) if norm > max_norm else g for g in grads], norm


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (clip_returns_the_callers_arrays, "returned the array `grads` it was given"),
        (clip_returns_the_same_arrays_in_a_new_list, "returned the array `grads` it was given"),
        (lambda g, m: clip_by_global_norm(g, m)[::-1], r"wrong order, \(norm, clipped\)"),
        (
            lambda g, m: ([c.tolist() for c in clip_by_global_norm(g, m)[0]], clip_by_global_norm(g, m)[1]),
            r"clipped\[0\].*is a list of",
        ),
        (lambda g, m: (clip_by_global_norm(g, m)[0], [clip_by_global_norm(g, m)[1]]), r"`norm`.*list of 1"),
        (lambda g, m: clip_by_global_norm(g, m)[0], "return the pair"),
    ],
)
def test_clip_issue_20_contracts(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_clip_by_global_norm(wrong)


@pytest.mark.parametrize(
    "checker, name",
    [
        (check_lstm_step, "lstm_step"),
        (check_gru_step, "gru_step"),
        (check_clip_by_global_norm, "clip_by_global_norm"),
        (check_param_count, "param_count"),
    ],
)
def test_the_notebooks_solutions_pass(checker, name):
    assert checker(notebook_solution("04_lstm_gru.ipynb", name))
