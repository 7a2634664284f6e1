"""Checkers for lesson 01, the vanilla RNN from scratch.

Each ``check_*`` function takes the learner's function, prints the outcome and returns
``True`` (passed) or ``False`` (not attempted yet); a wrong answer raises
:class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 01.1 :func:`check_rnn_cell_step`: ``rnn_cell_step(x_t, h_prev, U, W, b) -> h_t``
- 01.2 :func:`check_rnn_forward`: ``rnn_forward(x, h0, U, W, b) -> hs (batch, T, n_h)``
- 01.3 :func:`check_bptt_dW`: ``bptt_dW(hs, h0, W, dh_last) -> dL/dW``, backpropagation through time
- 01.4 :func:`check_port_to_simple_rnn`: copy NumPy ``U, W, b`` into a ``keras.layers.SimpleRNN``
- 01.5 :func:`check_rnn_param_count`: ``rnn_param_count(n_in, n_h, n_out, T) -> int``

Shapes follow :mod:`seqkeras.reference`: row vectors, Keras layout (``U`` ``(n_in, n_h)``,
``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from seqkeras.grading import ExerciseError, call, exercise, expect_close, expect_shape
from seqkeras.reference import relu, rnn_backward, rnn_forward, sigmoid

__all__ = ["check_rnn_cell_step", "check_rnn_forward", "check_bptt_dW", "check_port_to_simple_rnn",
           "check_rnn_param_count"]


def _weights(rng: np.random.Generator, n_in: int, n_h: int) -> tuple[np.ndarray, ...]:
    """Random U, W, b of moderate scale (tanh neither saturated nor linear)."""
    return (rng.normal(size=(n_in, n_h)) * 0.6, rng.normal(size=(n_h, n_h)) * 0.6,
            rng.normal(size=n_h) * 0.5)


# --------------------------------------------------------------------------- 01.1 cell step
@exercise("01.1", "rnn_cell_step")
def check_rnn_cell_step(fn: Callable[..., Any]) -> None:
    """Check ``fn(x_t, h_prev, U, W, b)`` against ``tanh(x_t @ U + h_prev @ W + b)``.

    Args:
        fn: the learner's function. ``x_t`` ``(batch, n_in)``, ``h_prev`` ``(batch, n_h)``,
            ``U`` ``(n_in, n_h)``, ``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``; it must return
            ``h_t`` ``(batch, n_h)``.
    """
    rng = np.random.default_rng(11)
    # Square U first (n_in = n_h): transposed or swapped weights then give wrong numbers
    # instead of a crash, so the bug can be named.
    x, h = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    U, W, b = _weights(rng, 4, 4)
    got = call(fn, x.copy(), h.copy(), U.copy(), W.copy(), b.copy())
    a = x @ U + h @ W + b
    expect_close("h_t", got, np.tanh(a), likely_bugs={
        "it ignores the previous state h_prev: add the recurrent term h_prev @ W, which is how "
        "the cell remembers earlier steps.": np.tanh(x @ U + b),
        "it ignores the input x_t: add the term x_t @ U.": np.tanh(h @ W + b),
        "you forgot the bias: add b inside the tanh, tanh(x_t @ U + h_prev @ W + b).":
            np.tanh(x @ U + h @ W),
        "the bias is added after the activation: it belongs inside, tanh(x_t @ U + h_prev @ W + b).":
            np.tanh(x @ U + h @ W) + b,
        "you used sigmoid; a vanilla RNN cell (and SimpleRNN) uses tanh.": sigmoid(a),
        "you used relu; a vanilla RNN cell (and SimpleRNN's default) uses tanh.": relu(a),
        "the activation is missing: wrap the sum in np.tanh(...).": a,
        "the weights are used transposed. With row vectors and the Keras layout, U is "
        "(n_in, n_h) and W is (n_h, n_h): write x_t @ U and h_prev @ W (no .T).":
            np.tanh(x @ U.T + h @ W.T + b),
        "U and W are swapped: U multiplies the input x_t, W the previous state h_prev.":
            np.tanh(x @ W + h @ U + b),
    })
    # Non-square: 2 examples, 3 inputs, 5 hidden units.
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 5))
    U, W, b = _weights(rng, 3, 5)
    got = call(fn, x.copy(), h.copy(), U.copy(), W.copy(), b.copy())
    expect_shape("h_t", got, (2, 5), hint="One row per example, one column per hidden unit.")
    expect_close("h_t", got, np.tanh(x @ U + h @ W + b))


# --------------------------------------------------------------------------- 01.2 forward pass
def _loop(x: np.ndarray, h0: np.ndarray, U: np.ndarray, W: np.ndarray, b: np.ndarray,
          carry: bool = True) -> np.ndarray:
    """A forward pass; ``carry=False`` feeds h0 to every step (the bug)."""
    hs, h = [], h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ U + (h if carry else h0) @ W + b)
        hs.append(h)
    return np.stack(hs, axis=1)


@exercise("01.2", "rnn_forward")
def check_rnn_forward(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, h0, U, W, b)``: every hidden state h_1 ... h_T, shape ``(batch, T, n_h)``.

    Args:
        fn: the learner's function. ``x`` ``(batch, T, n_in)``, ``h0`` ``(batch, n_h)``,
            ``U`` ``(n_in, n_h)``, ``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``.
    """
    rng = np.random.default_rng(12)
    batch, T, n_in, n_h = 2, 6, 3, 4
    x, h0 = rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h))
    U, W, b = _weights(rng, n_in, n_h)
    got = call(fn, x.copy(), h0.copy(), U.copy(), W.copy(), b.copy())
    if got is None:
        raise ExerciseError("hs is None: did you forget to `return` it?")
    if isinstance(got, (list, tuple)):
        raise ExerciseError(f"you returned a {type(got).__name__} of {len(got)} arrays: stack the "
                            "states into one array with the time axis second, "
                            "np.stack(hs, axis=1), shape (batch, T, n_h).")
    shape = np.shape(got)
    hints = {
        (batch, n_h): "you returned only the last state h_T. Return every state, h_1 ... h_T, "
                      "stacked along axis 1.",
        (batch, T + 1, n_h): "it has one step too many: it includes h0. Return h_1 ... h_T only "
                             "(what SimpleRNN(return_sequences=True) returns).",
        (T, batch, n_h): "the time axis comes first. Keras puts time on axis 1: "
                         "np.stack(hs, axis=1), shape (batch, T, n_h).",
        (batch, T - 1, n_h): "it has one step too few: the loop must run over all T steps, "
                             "for t in range(T).",
    }
    if shape in hints:
        raise ExerciseError(f"hs has shape {shape}, expected {(batch, T, n_h)}: {hints[shape]}")
    expect_shape("hs", got, (batch, T, n_h))
    ref = _loop(x, h0, U, W, b)
    backwards = _loop(x[:, ::-1], h0, U, W, b)
    expect_close("hs", got, ref, likely_bugs={
        "every step uses h0 as the previous state: the state is not carried. Update h at each "
        "step and feed the NEW h to the next step.": _loop(x, h0, U, W, b, carry=False),
        "it starts from zeros instead of the h0 you are given.": _loop(x, np.zeros_like(h0), U, W, b),
        "it is off by one: hs[:, t] holds the state BEFORE step t (h0 first). Store h after "
        "computing it, so hs[:, 0] is h_1.": np.concatenate([h0[:, None], ref[:, :-1]], axis=1),
        "every step reads the first input x[:, 0]: step t must read x[:, t].":
            _loop(np.repeat(x[:, :1], T, axis=1), h0, U, W, b),
        "every entry of hs is the last state: you store the same array object and then "
        "overwrite it in place. Store a new array at each step (h = np.tanh(...)) or write "
        "hs[:, t] = h.": np.repeat(ref[:, -1:], T, axis=1),
        "it runs through the sequence backwards: start at x[:, 0] and go forward in time.":
            backwards,
        "it runs through the sequence backwards (and stores the states in reverse): start at "
        "x[:, 0] and go forward in time.": backwards[:, ::-1],
    })


# --------------------------------------------------------------------------- 01.3 BPTT dL/dW
def _bptt_dW(hs: np.ndarray, h0: np.ndarray, W: np.ndarray, dh_last: np.ndarray, *,
             deriv: str = "ok", steps: str = "all", pair: str = "prev", back: str = "W.T",
             accumulate: bool = True) -> np.ndarray:
    """dL/dW from the gradient at the last state, with one bug switched on at a time."""
    T = hs.shape[1]
    dW, dh = np.zeros_like(W), dh_last
    first = T - 1 if steps == "last" else (1 if steps == "skip_h0" else 0)
    for t in reversed(range(first, T)):
        h_prev = hs[:, t - 1] if t > 0 else h0
        d = {"ok": 1 - hs[:, t] ** 2, "none": 1.0, "tanh_again": 1 - np.tanh(hs[:, t]) ** 2}[deriv]
        da = dh * d
        term = (hs[:, t] if pair == "current" else h_prev).T @ da
        dW = dW + term if accumulate else term
        dh = {"W.T": da @ W.T, "W": da @ W, "none": da}[back]
    return dW


@exercise("01.3", "bptt_dW")
def check_bptt_dW(fn: Callable[..., Any]) -> None:
    """Check ``fn(hs, h0, W, dh_last)``: dL/dW by backpropagation through time.

    Args:
        fn: the learner's function. ``hs`` ``(batch, T, n_h)`` are the states of a forward
            pass ``h_t = tanh(x_t @ U + h_{t-1} @ W + b)`` that started from ``h0``
            ``(batch, n_h)``; ``W`` is ``(n_h, n_h)``; ``dh_last`` ``(batch, n_h)`` is dL/dh_T,
            the gradient arriving at the last state (an N-vs-1 model). It must return dL/dW
            ``(n_h, n_h)``.
    """
    rng = np.random.default_rng(13)
    batch, T, n_in, n_h = 2, 4, 3, 3
    x, h0 = rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h)) * 0.5
    U, W, b = _weights(rng, n_in, n_h)
    hs = rnn_forward(x, h0, U, W, b)
    dh_last = rng.normal(size=(batch, n_h))
    dhs = np.zeros_like(hs)
    dhs[:, -1] = dh_last
    expected = rnn_backward(x, h0, hs, W, dhs)["W"]
    assert np.allclose(expected, _bptt_dW(hs, h0, W, dh_last))  # the two references agree
    got = call(fn, hs.copy(), h0.copy(), W.copy(), dh_last.copy())
    expect_shape("dW", got, (n_h, n_h), hint="dL/dW has the shape of W.")
    bug = lambda **kw: _bptt_dW(hs, h0, W, dh_last, **kw)  # noqa: E731
    expect_close("dW", got, expected, atol=1e-6, likely_bugs={
        "you forgot the tanh derivative: before using the gradient at h_t, multiply it by "
        "(1 - h_t**2), the derivative of tanh at that step.": bug(deriv="none"),
        "you applied tanh to h_t again in the derivative: h_t is already tanh(a_t), so the "
        "derivative is 1 - h_t**2, not 1 - tanh(h_t)**2.": bug(deriv="tanh_again"),
        "only the last step contributes: W is used at EVERY step, so walk back through all T "
        "steps and add each step's h_{t-1}.T @ da_t.": bug(steps="last"),
        "you overwrite dW inside the loop (dW = ...): the steps' contributions must be added "
        "up, dW += h_{t-1}.T @ da_t.": bug(accumulate=False),
        "the first step is missing: W also multiplies h0 at step 1, so the loop must go all "
        "the way down to t = 0, using h0 as the previous state there.": bug(steps="skip_h0"),
        "each step pairs da_t with h_t; W multiplied the PREVIOUS state, so use "
        "h_{t-1}.T @ da_t (and h0 at the first step).": bug(pair="current"),
        "the gradient is not passed back through W: the gradient reaching h_{t-1} is "
        "da_t @ W.T.": bug(back="none"),
        "the gradient is passed back through W instead of W.T: the gradient reaching h_{t-1} "
        "is da_t @ W.T (h_{t-1} was multiplied on the right by W).": bug(back="W"),
        "the result is transposed: dW = h_{t-1}.T @ da_t, so rows index h_{t-1} and columns "
        "index h_t, like W.": expected.T,
    })


# --------------------------------------------------------------------------- 01.4 port to Keras
def _numpy(v: Any) -> np.ndarray:
    import keras

    return np.asarray(keras.ops.convert_to_numpy(v), dtype=float)


def _simple_rnn(n_in: int, n_h: int, T: int, seed: int) -> Any:
    import keras

    layer = keras.layers.SimpleRNN(
        n_h, return_sequences=True, kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed), bias_initializer="zeros")
    layer.build((None, T, n_in))
    return layer


@exercise("01.4", "port_to_simple_rnn")
def check_port_to_simple_rnn(fn: Callable[..., Any]) -> None:
    """Check ``fn(layer, U, W, b)``: copy NumPy weights into a built ``keras.layers.SimpleRNN``.

    Args:
        fn: the learner's function; it sets the weights of ``layer`` in place (its return
            value is ignored). ``U`` ``(n_in, n_h)``, ``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``
            follow :func:`seqkeras.reference.rnn_cell_step`.
    """
    rng = np.random.default_rng(14)
    T = 5
    for n_in, n_h, seed in ((3, 3, 0), (2, 4, 1)):  # square first: a swap is then silent in Keras
        layer = _simple_rnn(n_in, n_h, T, seed)
        before = _numpy(layer.cell.kernel)
        U, W, b = (w.astype("float32") for w in _weights(rng, n_in, n_h))
        returned = call(fn, layer, U.copy(), W.copy(), b.copy())
        kernel, recurrent = _numpy(layer.cell.kernel), _numpy(layer.cell.recurrent_kernel)
        bias = _numpy(layer.cell.bias)
        if np.allclose(kernel, before) and not np.allclose(kernel, U):
            extra = (" (you returned a new layer: set the weights of the one you are given "
                     "instead)" if returned is not None and returned is not layer else "")
            raise ExerciseError("the layer's weights did not change" + extra + ": copy them into "
                                "the layer, e.g. layer.set_weights([U, W, b]).")
        if n_in == n_h and np.allclose(kernel, W) and np.allclose(recurrent, U):
            raise ExerciseError("kernel and recurrent_kernel are swapped: SimpleRNN's `kernel` "
                                "reads the input (U, (n_in, n_h)); its `recurrent_kernel` reads the "
                                "previous state (W, (n_h, n_h)). Keras stores them in the order "
                                "[kernel, recurrent_kernel, bias].")
        expect_close("layer.cell.kernel", kernel, U, atol=1e-6, likely_bugs={
            "you loaded U transposed: Keras' kernel is (n_in, n_h), the same layout as U, so "
            "no .T is needed.": U.T,
        })
        expect_close("layer.cell.recurrent_kernel", recurrent, W, atol=1e-6, likely_bugs={
            "you loaded W transposed: Keras' recurrent_kernel is (n_h, n_h) in the same layout "
            "as W (h_prev @ W), so no .T is needed.": W.T,
        })
        expect_close("layer.cell.bias", bias, b, atol=1e-6, likely_bugs={
            "the bias was not copied: the layer still has its initial zeros.": np.zeros(n_h),
        })
        x = rng.normal(size=(2, T, n_in)).astype("float32")
        expect_close("layer(x)", _numpy(layer(x)), rnn_forward(x, None, U, W, b), atol=1e-5)


# --------------------------------------------------------------------------- 01.5 parameters
@exercise("01.5", "rnn_param_count")
def check_rnn_param_count(fn: Callable[..., Any]) -> None:
    """Check ``fn(n_in, n_h, n_out, T)``: the number of parameters of a vanilla RNN classifier
    (``U``, ``W``, ``b`` and the output layer ``V``, ``c``) run over sequences of length T."""
    cases = [(10, 16, 3, 5), (10, 16, 3, 50), (7, 4, 2, 12)]
    answers = []
    for n_in, n_h, n_out, T in cases:
        got = call(fn, n_in, n_h, n_out, T)
        if got is None:
            raise ExerciseError("the count is None: did you forget to `return` it?")
        if isinstance(got, bool) or not isinstance(got, (int, np.integer, float, np.floating)):
            raise ExerciseError(f"return a number (an int), got {type(got).__name__}.")
        answers.append(got)
    if answers[0] != answers[1]:
        raise ExerciseError(
            f"your count changes with the sequence length T ({answers[0]} for T = 5, "
            f"{answers[1]} for T = 50). The same U, W, b, V, c are used at every step: "
            "parameters are shared across time, so T does not appear in the count.")
    for (n_in, n_h, n_out, T), got in zip(cases, answers):
        expected = n_in * n_h + n_h * n_h + n_h + n_h * n_out + n_out
        if got == expected:
            if not isinstance(got, (int, np.integer)):
                raise ExerciseError(f"right number, but return it as an int: int({got!r}).")
            continue
        bugs = {
            n_in * n_h + n_h * n_out: "you forgot W and both biases.",
            n_in * n_h + n_h * n_h + n_h * n_out: "you forgot the biases b (n_h of them) and c "
                                                  "(n_out).",
            n_in * n_h + n_h + n_h * n_out + n_out: "you forgot W, the (n_h, n_h) recurrent weights.",
            n_in * n_h + n_h * n_h + n_h: "you forgot the output layer V (n_h, n_out) and c (n_out,).",
            n_in * n_h + n_h * n_h + n_in + n_h * n_out + n_out: "b has one entry per HIDDEN unit "
                                                                 "(n_h), not per input.",
            n_in * n_h + n_in * n_h + n_h + n_h * n_out + n_out: "W connects the state to the "
                                                                 "state, so it is (n_h, n_h), "
                                                                 "not (n_in, n_h).",
        }
        key = int(got) if float(got).is_integer() else -1
        raise ExerciseError(
            f"for n_in={n_in}, n_h={n_h}, n_out={n_out} you count {got}, expected {expected}. "
            + bugs.get(key, "Count U (n_in × n_h), W (n_h × n_h), b (n_h), V (n_h × n_out) "
                            "and c (n_out)."))
