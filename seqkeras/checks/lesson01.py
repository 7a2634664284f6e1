"""Checkers for lesson 01, the vanilla RNN from scratch.

Each ``check_*`` function takes the learner's function, prints the verdict and returns a
:class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet; a wrong
answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 01.1 :func:`check_rnn_cell_step`: ``rnn_cell_step(x_t, h_prev, U, W, b) -> h_t``
- 01.2 :func:`check_rnn_forward`: ``rnn_forward(x, h0, U, W, b) -> hs (batch, T, n_h)``
- 01.3 :func:`check_bptt_dW`: ``bptt_dW(hs, h0, W, dh_last) -> dL/dW``, backpropagation through time
- 01.4 :func:`check_port_to_simple_rnn`: copy NumPy ``U, W, b`` into a ``keras.layers.SimpleRNN``
- 01.5 :func:`check_rnn_param_count`: ``rnn_param_count(n_in, n_h, n_out, T) -> int``
- 01.7 :func:`check_n_to_n_loss_and_grads`: ``n_to_n_loss_and_grads(x, y, h0, U, W, b, V, c)
  -> (loss, grads)``, backpropagation through time for all five parameters of an N-vs-N RNN
- 01.8 :func:`check_article_rnn_cell`: a Keras cell class ``ArticleRNNCell(units)``, the source
  articles' ``h_t = tanh((h_{t-1} + relu(x_t W_in + b_in)) W_h + b_h)``, with its two dense
  layers in ``input_dense`` (W_in, b_in) and ``hidden_dense`` (W_h, b_h)

Shapes follow :mod:`seqkeras.reference`: row vectors, Keras layout (``U`` ``(n_in, n_h)``,
``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``). Every checker tries several sizes, including T = 1,
a batch of 1, a single hidden unit and sizes the lesson never uses; the functions must leave
their inputs unmodified, and a Keras layer to be loaded starts from random non-zero weights.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.grading import (
    ExerciseError,
    call,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_unchanged,
    load_weights_hint,
    shape_str,
    to_numpy,
)

__all__ = [
    "check_rnn_cell_step",
    "check_rnn_forward",
    "check_bptt_dW",
    "check_port_to_simple_rnn",
    "check_rnn_param_count",
    "check_n_to_n_loss_and_grads",
    "check_article_rnn_cell",
]


def _weights(rng: np.random.Generator, n_in: int, n_h: int) -> tuple[np.ndarray, ...]:
    """Random U, W, b of moderate scale (tanh neither saturated nor linear)."""
    return (rng.normal(size=(n_in, n_h)) * 0.6, rng.normal(size=(n_h, n_h)) * 0.6, rng.normal(size=n_h) * 0.5)


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

    def probe(
        x: np.ndarray, h: np.ndarray, U: np.ndarray, W: np.ndarray, b: np.ndarray
    ) -> tuple[np.ndarray, str, Callable[[], None]]:
        inputs = {"x_t": x, "h_prev": h, "U": U, "W": W, "b": b}
        got, passed = call_on_copies(fn, inputs)
        given = f"for x_t {shape_str(x.shape)} and h_prev {shape_str(h.shape)}"
        got = expect_array("h_t", got, (x.shape[0], U.shape[1]), ("batch", "n_h"), given=given)
        return got, given, lambda: expect_unchanged(inputs, passed)

    # Square U first (n_in = n_h): transposed or swapped weights then give wrong numbers
    # instead of a crash, so the bug can be named.
    x, h = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    U, W, b = _weights(rng, 4, 4)
    got, _, unchanged = probe(x, h, U, W, b)
    a = x @ U + h @ W + b
    expect_close(
        "h_t",
        got,
        np.tanh(a),
        likely_bugs={
            "it ignores the previous state h_prev: add the recurrent term h_prev @ W, which is how "
            "the cell remembers earlier steps.": np.tanh(x @ U + b),
            "it ignores the input x_t: add the term x_t @ U.": np.tanh(h @ W + b),
            "you forgot the bias: add b inside the tanh, tanh(x_t @ U + h_prev @ W + b).": np.tanh(
                x @ U + h @ W
            ),
            "the bias is added after the activation: it belongs inside, tanh(x_t @ U + h_prev @ W + b).": np.tanh(
                x @ U + h @ W
            )
            + b,
            "you used sigmoid; a vanilla RNN cell (and SimpleRNN) uses tanh.": ref.sigmoid(a),
            "you used relu; a vanilla RNN cell (and SimpleRNN's default) uses tanh.": ref.relu(a),
            "the activation is missing: wrap the sum in np.tanh(...).": a,
            "the weights are used transposed. With row vectors and the Keras layout, U is "
            "(n_in, n_h) and W is (n_h, n_h): write x_t @ U and h_prev @ W (no .T).": np.tanh(
                x @ U.T + h @ W.T + b
            ),
            "U and W are swapped: U multiplies the input x_t, W the previous state h_prev.": np.tanh(
                x @ W + h @ U + b
            ),
        },
    )
    unchanged()
    # Non-square (2 examples, 3 inputs, 5 hidden units), then sizes the lesson never uses:
    # a batch of 1 and a single hidden unit.
    for batch, n_in, n_h in ((2, 3, 5), (1, 6, 2), (4, 3, 1)):
        x, h = rng.normal(size=(batch, n_in)), rng.normal(size=(batch, n_h))
        U, W, b = _weights(rng, n_in, n_h)
        got, given, unchanged = probe(x, h, U, W, b)
        expect_close(f"h_t {given}", got, np.tanh(x @ U + h @ W + b))
        unchanged()
    # Large pre-activations: np.tanh saturates at ±1, a tanh built from exp overflows.
    x, h = rng.normal(size=(3, 2)) * 3000, rng.normal(size=(3, 3))
    U, W, b = _weights(rng, 2, 3)
    got, given, unchanged = probe(x, h, U, W, b)
    a = x @ U + h @ W + b
    if not np.all(np.isfinite(got)):
        raise ExerciseError(
            f"h_t has nan or inf when the sum inside the tanh is large (here up to "
            f"|x_t @ U + h_prev @ W + b| = {np.abs(a).max():.0f}): a tanh written from "
            "exponentials, (e^a - e^-a) / (e^a + e^-a), overflows to inf / inf. np.tanh handles "
            "any input (it saturates at ±1)."
        )
    expect_close(f"h_t for large inputs {given}", got, np.tanh(a))
    unchanged()


# --------------------------------------------------------------------------- 01.2 forward pass
def _forward_shape_hint(got: Any, batch: int, T: int, n_h: int) -> str | None:
    """Name the likely cause of a wrong-shaped forward pass, or None."""
    if isinstance(got, tuple) and len(got) == 2 and np.shape(got[0]) == (batch, T, n_h):
        return (
            "you returned a tuple of 2 things; return hs alone, one array "
            f"{shape_str((batch, T, n_h))} (its last state is hs[:, -1])."
        )
    if isinstance(got, (list, tuple)):
        return (
            f"you returned a {type(got).__name__} of {len(got)} arrays: stack the states "
            "into one array with the time axis second, np.stack(hs, axis=1), shape "
            "(batch, T, n_h)."
        )
    shape = np.shape(got)
    hints = {
        (batch, T + 1, n_h): "it has one step too many: it includes h0. Return h_1 ... h_T only "
        "(what SimpleRNN(return_sequences=True) returns).",
        (T, batch, n_h): "the time axis comes first. Keras puts time on axis 1: "
        "np.stack(hs, axis=1), shape (batch, T, n_h).",
        (batch, T - 1, n_h): "it has one step too few: the loop must run over all T steps, "
        "for t in range(T).",
    }
    if T > 1:  # with T = 1, (batch, n_h) is a squeezed time axis: expect_array says so
        hints[(batch, n_h)] = (
            "you returned only the last state h_T. Return every state, h_1 ... h_T, stacked along axis 1."
        )
    if shape == (batch, T, n_h) or shape not in hints:
        return None
    expected = shape_str((batch, T, n_h))
    return f"hs has shape {shape_str(shape)}, expected {expected}: {hints[shape]}"


def _forward_bugs(
    x: np.ndarray, h0: np.ndarray, U: np.ndarray, W: np.ndarray, b: np.ndarray, hs: np.ndarray
) -> dict[str, np.ndarray]:
    """What the likely bugs of a forward pass return; ``hs`` is the right answer."""
    T = x.shape[1]
    backwards = ref.rnn_forward(x[:, ::-1], h0, U, W, b)
    return {
        "every step uses h0 as the previous state: the state is not carried. Update h at "
        "each step and feed the NEW h to the next step.": np.tanh(x @ U + (h0 @ W)[:, None, :] + b),
        "it starts from zeros instead of the h0 you are given.": ref.rnn_forward(x, None, U, W, b),
        "it is off by one: hs[:, t] holds the state BEFORE step t (h0 first). Store h after "
        "computing it, so hs[:, 0] is h_1.": np.concatenate([h0[:, None], hs[:, :-1]], axis=1),
        "every step reads the first input x[:, 0]: step t must read x[:, t].": ref.rnn_forward(
            np.repeat(x[:, :1], T, axis=1), h0, U, W, b
        ),
        "every entry of hs is the last state: you store the same array object and then "
        "overwrite it in place. Store a new array at each step (h = np.tanh(...)) or write "
        "hs[:, t] = h.": np.repeat(hs[:, -1:], T, axis=1),
        "it reads the sequence in reverse, from the last step to the first: start at x[:, 0] and "
        "go forward in time.": backwards,
        "it reads the sequence in reverse, from the last step to the first (and stores the states "
        "in reverse too): start at x[:, 0] and go forward in time.": backwards[:, ::-1],
    }


@exercise("01.2", "rnn_forward")
def check_rnn_forward(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, h0, U, W, b)``: every hidden state h_1 ... h_T, shape ``(batch, T, n_h)``.

    Args:
        fn: the learner's function. ``x`` ``(batch, T, n_in)``, ``h0`` ``(batch, n_h)``,
            ``U`` ``(n_in, n_h)``, ``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``.
    """
    rng = np.random.default_rng(12)
    # T = 7 first (the lesson uses 5, so a length written into the code shows up), then
    # T = 1, a batch of 1, a single hidden unit and a long sequence.
    sizes = [(2, 7, 3, 4), (3, 1, 2, 5), (1, 9, 4, 3), (2, 4, 3, 1), (2, 40, 2, 3)]
    for i, (batch, T, n_in, n_h) in enumerate(sizes):
        x, h0 = rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h))
        U, W, b = _weights(rng, n_in, n_h)
        inputs = {"x": x, "h0": h0, "U": U, "W": W, "b": b}
        got, passed = call_on_copies(fn, inputs)
        hint = _forward_shape_hint(got, batch, T, n_h)
        if hint:
            raise ExerciseError(hint)
        given = f"for x {shape_str(x.shape)}"
        got = expect_array("hs", got, (batch, T, n_h), ("batch", "T", "n_h"), given=given)
        expected = ref.rnn_forward(x, h0, U, W, b)
        likely_bugs = _forward_bugs(x, h0, U, W, b, expected) if i == 0 else None
        expect_close("hs" if i == 0 else f"hs {given}", got, expected, likely_bugs=likely_bugs)
        expect_unchanged(inputs, passed)


# --------------------------------------------------------------------------- 01.3 BPTT dL/dW
def _bptt_dW(
    hs: np.ndarray,
    h0: np.ndarray,
    W: np.ndarray,
    dh_last: np.ndarray,
    *,
    deriv: str = "ok",
    steps: str = "all",
    pair: str = "prev",
    back: str = "W.T",
    accumulate: bool = True,
) -> np.ndarray:
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


def _bptt_bugs(
    hs: np.ndarray, h0: np.ndarray, W: np.ndarray, dh_last: np.ndarray, expected: np.ndarray
) -> dict[str, np.ndarray]:
    """What the likely bugs of backpropagation through time return for dL/dW."""

    def bug(**kw: str | bool) -> np.ndarray:
        return _bptt_dW(hs, h0, W, dh_last, **kw)

    return {
        "you forgot the tanh derivative: before using the gradient at h_t, multiply it by "
        "(1 - h_t**2), the derivative of tanh at that step.": bug(deriv="none"),
        "you applied tanh to h_t again in the derivative: h_t is already tanh(a_t), so the "
        "derivative is 1 - h_t**2, not 1 - tanh(h_t)**2.": bug(deriv="tanh_again"),
        "only the last step contributes: W is used at EVERY step, so walk back through all "
        "T steps and add each step's h_{t-1}.T @ da_t.": bug(steps="last"),
        "you overwrite dW inside the loop (dW = ...): the steps' contributions must be added "
        "up, dW += h_{t-1}.T @ da_t.": bug(accumulate=False),
        "the first step is missing: W also multiplies h0 at step 1, so the loop must go all "
        "the way down to t = 0, using h0 as the previous state there.": bug(steps="skip_h0"),
        "each step pairs da_t with h_t; W multiplied the PREVIOUS state, so use "
        "h_{t-1}.T @ da_t (and h0 at the first step).": bug(pair="current"),
        "the gradient is not passed back through W: the gradient reaching h_{t-1} is da_t @ W.T.": bug(
            back="none"
        ),
        "the gradient is passed back through W instead of W.T: the gradient reaching "
        "h_{t-1} is da_t @ W.T (h_{t-1} was multiplied on the right by W).": bug(back="W"),
        "the result is transposed: dW = h_{t-1}.T @ da_t, so rows index h_{t-1} and columns "
        "index h_t, like W.": expected.T,
    }


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
    # The main probe first, then T = 1, a batch of 1, a single hidden unit.
    for i, (batch, T, n_in, n_h) in enumerate([(2, 4, 3, 3), (3, 1, 2, 2), (1, 6, 2, 4), (2, 5, 3, 1)]):
        x, h0 = rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h)) * 0.5
        U, W, b = _weights(rng, n_in, n_h)
        hs = ref.rnn_forward(x, h0, U, W, b)
        dh_last = rng.normal(size=(batch, n_h))
        dhs = np.zeros_like(hs)
        dhs[:, -1] = dh_last
        expected = ref.rnn_backward(x, h0, hs, W, dhs)["W"]
        inputs = {"hs": hs, "h0": h0, "W": W, "dh_last": dh_last}
        got, passed = call_on_copies(fn, inputs)
        given = f"for hs {shape_str(hs.shape)}"
        try:
            got = expect_array("dW", got, (n_h, n_h), ("row", "column"), given=given)
        except ExerciseError as err:
            if batch == 1 and got is not None and np.ndim(got) < 2:
                raise ExerciseError(
                    f"{err} With a batch of 1, keep the batch axis: hs[:, t] is (1, n_h), so "
                    "h_{t-1}.T @ da_t is (n_h, 1) @ (1, n_h) = (n_h, n_h); a squeezed (n_h,) "
                    "vector gives a dot product instead."
                ) from None
            if got is not None and np.ndim(got) < 2:
                raise ExerciseError(f"{err} dL/dW has the shape of W.") from None
            raise
        likely_bugs = _bptt_bugs(hs, h0, W, dh_last, expected) if i == 0 else None
        expect_close("dW" if i == 0 else f"dW {given}", got, expected, atol=1e-6, likely_bugs=likely_bugs)
        expect_unchanged(inputs, passed)


# --------------------------------------------------------------------------- 01.4 port to Keras
def _simple_rnn(n_in: int, n_h: int, seed: int) -> Any:
    """A built SimpleRNN whose kernel, recurrent kernel AND bias start random and non-zero."""
    import keras

    layer = keras.layers.SimpleRNN(
        n_h,
        return_sequences=True,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed),
        bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=seed + 100),
    )
    layer.build((None, 5, n_in))
    return layer


_PORT_SHAPES = (
    "the kernel must be U as it is, (n_in, n_h); the recurrent_kernel W, (n_h, n_h); "
    "and the bias b, (n_h,), in the order layer.set_weights([U, W, b])"
)


@exercise("01.4", "port_to_simple_rnn")
def check_port_to_simple_rnn(fn: Callable[..., Any]) -> None:
    """Check ``fn(layer, U, W, b)``: copy NumPy weights into a built ``keras.layers.SimpleRNN``.

    Args:
        fn: the learner's function; it sets the weights of ``layer`` in place (its return
            value is ignored). ``U`` ``(n_in, n_h)``, ``W`` ``(n_h, n_h)``, ``b`` ``(n_h,)``
            follow :func:`seqkeras.reference.rnn_cell_step`.
    """
    rng = np.random.default_rng(14)
    # Square first: a swap is then silent in Keras and can be named. Then sizes the lesson
    # never uses (a single hidden unit, a single input feature), float64 weights (what NumPy
    # gives) as well as float32, and inputs of length 1 and 6.
    for n_in, n_h, seed, dtype, (batch, T) in (
        (3, 3, 0, "float32", (2, 5)),
        (2, 4, 1, "float64", (1, 6)),
        (5, 1, 2, "float64", (2, 1)),
        (1, 2, 3, "float32", (3, 4)),
    ):
        layer = _simple_rnn(n_in, n_h, seed)
        cell = layer.cell
        kernel0, recurrent0, bias0 = (to_numpy(v) for v in (cell.kernel, cell.recurrent_kernel, cell.bias))
        U, W, b = (w.astype(dtype) for w in _weights(rng, n_in, n_h))
        inputs = {"U": U, "W": W, "b": b}
        try:
            returned, passed = call_on_copies(fn, {"layer": layer, **inputs})
        except ExerciseError as err:
            hint = load_weights_hint(
                str(err), _PORT_SHAPES, "[kernel, recurrent_kernel, bias], that is [U, W, b]"
            )
            raise ExerciseError(f"{err}\nHint: {hint}") from None
        # First: an argument changed in place. On some backends (JAX on CPU) set_weights can
        # share the NumPy array's memory, so the change also reaches the layer's weights, and
        # the weight comparisons below would name the wrong bug.
        expect_unchanged(inputs, passed)
        kernel, recurrent = to_numpy(cell.kernel), to_numpy(cell.recurrent_kernel)
        bias = to_numpy(cell.bias)
        if np.allclose(kernel, kernel0) and np.allclose(recurrent, recurrent0) and np.allclose(bias, bias0):
            extra = (
                " (you returned a new layer: set the weights of the one you are given instead)"
                if returned is not None and returned is not layer
                else ""
            )
            raise ExerciseError(
                "the layer's weights did not change" + extra + ": copy them into "
                "the layer, e.g. layer.set_weights([U, W, b])."
            )
        if n_in == n_h and np.allclose(kernel, W) and np.allclose(recurrent, U):
            raise ExerciseError(
                "kernel and recurrent_kernel are swapped: SimpleRNN's `kernel` "
                "reads the input (U, (n_in, n_h)); its `recurrent_kernel` reads the "
                "previous state (W, (n_h, n_h)). Keras stores them in the order "
                "[kernel, recurrent_kernel, bias]."
            )
        expect_close(
            "layer.cell.kernel",
            kernel,
            U,
            likely_bugs={
                "you loaded U transposed: Keras' kernel is (n_in, n_h), the same layout as U, so "
                "no .T is needed.": U.T,
                "the kernel did not change: load U into it.": kernel0,
                "U was ADDED to the kernel's starting values (assign_add?): the layer starts with "
                "its own random weights, so replace them, cell.kernel.assign(U).": kernel0 + U,
            },
        )
        expect_close(
            "layer.cell.recurrent_kernel",
            recurrent,
            W,
            likely_bugs={
                "you loaded W transposed: Keras' recurrent_kernel is (n_h, n_h) in the same layout "
                "as W (h_prev @ W), so no .T is needed.": W.T,
                "the recurrent kernel did not change: load W into it.": recurrent0,
                "W was ADDED to the recurrent kernel's starting values (assign_add?): replace them, "
                "cell.recurrent_kernel.assign(W).": recurrent0 + W,
            },
        )
        expect_close(
            "layer.cell.bias",
            bias,
            b,
            likely_bugs={
                "the bias was not copied: the layer still has its starting bias.": bias0,
                "b was ADDED to the layer's starting bias (assign_add?): replace it, "
                "cell.bias.assign(b).": bias0 + b,
            },
        )
        # Behaviour, not only the variables: the layer must now compute the NumPy forward pass.
        x = (rng.normal(size=(batch, T, n_in)) * 3).astype("float32")
        expect_close(
            f"layer(x) for x {shape_str(x.shape)}",
            to_numpy(layer(x)),
            ref.rnn_forward(x, None, U, W, b),
        )


# --------------------------------------------------------------------------- 01.5 parameters
def _rnn_count(n_in: int, n_h: int, n_out: int) -> int:
    return n_in * n_h + n_h * n_h + n_h + n_h * n_out + n_out


#: Known wrong counts: (diagnosis, formula).
_COUNT_BUGS: tuple[tuple[str, Callable[[int, int, int], int]], ...] = (
    ("you forgot W and both biases.", lambda i, h, o: i * h + h * o),
    ("you forgot the biases b (n_h of them) and c (n_out).", lambda i, h, o: i * h + h * h + h * o),
    ("you forgot W, the (n_h, n_h) recurrent weights.", lambda i, h, o: i * h + h + h * o + o),
    ("you forgot the output layer V (n_h, n_out) and c (n_out,).", lambda i, h, o: i * h + h * h + h),
    ("you forgot the output bias c (n_out of them).", lambda i, h, o: i * h + h * h + h + h * o),
    ("you forgot the hidden bias b (n_h of them).", lambda i, h, o: i * h + h * h + h * o + o),
    ("b has one entry per HIDDEN unit (n_h), not per input.", lambda i, h, o: i * h + h * h + i + h * o + o),
    (
        "W connects the state to the state, so it is (n_h, n_h), not (n_in, n_h).",
        lambda i, h, o: 2 * i * h + h + h * o + o,
    ),
)


def _count_kind(got: Any, n_in: int, n_h: int, n_out: int) -> None:
    """Fail unless ``got`` is a number (an int or float; the int check comes later)."""
    if got is None:
        raise ExerciseError("the count is None: did you forget to `return` it?")
    if isinstance(got, np.ndarray):
        raise ExerciseError(
            f"return one number (an int), not a NumPy array of shape {got.shape} "
            f"(for n_in={n_in}, n_h={n_h}, n_out={n_out}): e.g. int(...)."
        )
    if isinstance(got, bool) or not isinstance(got, (int, np.integer, float, np.floating)):
        raise ExerciseError(
            f"return a number (an int), got {type(got).__name__}"
            + (f" {got!r}." if isinstance(got, str) else ".")
        )


@exercise("01.5", "rnn_param_count")
def check_rnn_param_count(fn: Callable[..., Any]) -> None:
    """Check ``fn(n_in, n_h, n_out, T)``: the number of parameters of a vanilla RNN classifier
    (``U``, ``W``, ``b`` and the output layer ``V``, ``c``) run over sequences of length T."""
    # A base case, then each argument changed on its own (so an argument that is ignored or
    # replaced by a fixed number shows up), then a tiny case with T = 1.
    cases = [(10, 16, 3, 5), (10, 16, 3, 50), (7, 16, 3, 5), (10, 9, 3, 5), (10, 16, 1, 5), (3, 1, 2, 1)]
    answers = []
    for n_in, n_h, n_out, T in cases:
        got = call(fn, n_in, n_h, n_out, T)
        _count_kind(got, n_in, n_h, n_out)
        answers.append(got)
    if answers[0] != answers[1]:
        raise ExerciseError(
            f"your count changes with the sequence length T ({answers[0]} for T = 5, "
            f"{answers[1]} for T = 50). The same U, W, b, V, c are used at every step: "
            "parameters are shared across time, so T does not appear in the count."
        )
    expected = [_rnn_count(n_in, n_h, n_out) for n_in, n_h, n_out, _ in cases]
    if all(got == want for got, want in zip(answers, expected)):
        for got in answers:
            if not isinstance(got, (int, np.integer)):
                raise ExerciseError(f"right number, but return it as an int: int({got!r}).")
        return
    for diagnosis, formula in _COUNT_BUGS:
        if all(got == formula(n_in, n_h, n_out) for got, (n_in, n_h, n_out, _) in zip(answers, cases)):
            n_in, n_h, n_out, _ = cases[0]
            raise ExerciseError(
                f"for n_in={n_in}, n_h={n_h}, n_out={n_out} you count "
                f"{answers[0]}, expected {expected[0]}. {diagnosis}"
            )
    for changed, name in ((2, "n_in"), (3, "n_h"), (4, "n_out")):
        if answers[changed] == answers[0]:
            index = ("n_in", "n_h", "n_out").index(name)
            raise ExerciseError(
                f"your count does not change when {name} does ({answers[0]} for {name} = "
                f"{cases[0][index]} and for {name} = {cases[changed][index]}): use the argument "
                f"{name} in the formula, not a fixed number such as the notebook's."
            )
    for (n_in, n_h, n_out, _), got, want in zip(cases, answers, expected):
        if got != want:
            raise ExerciseError(
                f"for n_in={n_in}, n_h={n_h}, n_out={n_out} you count {got}, expected {want}. "
                "Count U (n_in × n_h), W (n_h × n_h), b (n_h), V (n_h × n_out) and c (n_out)."
            )


# --------------------------------------------------------------------------- 01.7 BPTT, N vs N
_GRAD_NAMES = ("U", "W", "b", "V", "c")


def _n_to_n(
    x: np.ndarray,
    y: np.ndarray,
    h0: np.ndarray,
    params: dict[str, np.ndarray],
    *,
    scale: str = "all",
    outputs: str = "every",
    carry: bool = True,
    deriv: bool = True,
    start: str = "h0",
    head: str = "every",
) -> tuple[float, dict[str, np.ndarray]]:
    """Loss and gradients of an N-vs-N RNN, with one bug switched on at a time.

    ``scale``: ``"all"`` divides by batch × T (right), ``"batch"`` by the batch only,
    ``"none"`` not at all. ``outputs="last"``: only the last step's output sends a gradient
    into the states (the N-vs-1 rule). ``carry=False``: the gradient does not flow back from
    step t+1. ``deriv=False``: no tanh derivative. ``start="zeros"``: ``h0`` ignored.
    ``head="last"``: dV and dc from the last step only.
    """
    U, W, b, V, c = (params[k] for k in _GRAD_NAMES)
    batch, T, _ = x.shape
    h_start = h0 if start == "h0" else np.zeros_like(h0)
    hs = ref.rnn_forward(x, h_start, U, W, b)
    p = ref.softmax(hs @ V + c)  # (batch, T, n_out)
    onehot = np.eye(V.shape[1])[y]
    n = {"all": batch * T, "batch": batch, "none": 1}[scale]
    loss = float(-np.log(np.sum(p * onehot, axis=-1)).sum() / n)
    dz = (p - onehot) / n
    if head == "every":
        dV, dc = np.einsum("bth,bto->ho", hs, dz), dz.sum(axis=(0, 1))
    else:
        dV, dc = hs[:, -1].T @ dz[:, -1], dz[:, -1].sum(axis=0)
    dh_out = dz @ V.T
    if outputs == "last":
        dh_out[:, :-1] = 0.0
    grads = {"U": np.zeros_like(U), "W": np.zeros_like(W), "b": np.zeros_like(b), "V": dV, "c": dc}
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        h_prev = hs[:, t - 1] if t > 0 else h_start
        da = (dh_out[:, t] + (dh_next if carry else 0.0)) * ((1.0 - hs[:, t] ** 2) if deriv else 1.0)
        grads["U"] += x[:, t].T @ da
        grads["W"] += h_prev.T @ da
        grads["b"] += da.sum(axis=0)
        dh_next = da @ W.T
    return loss, grads


_N_TO_N_BUGS = {
    "you divided by the batch size only: the loss is the MEAN over all batch × T predictions "
    "(every step has one), so dz = (p - onehot) / (batch * T), and the loss divides by "
    "batch * T too.": dict(scale="batch"),
    "nothing is divided: the loss is the MEAN cross-entropy over the batch × T predictions, "
    "so divide the sum (and dz) by batch * T.": dict(scale="none"),
    "only the last step's output sends a gradient into the states, as in the N-vs-1 model of "
    "section 7. In N vs N every step has an output, so the gradient reaching h_t is "
    "dz_t @ V.T PLUS what step t+1 sends back.": dict(outputs="last"),
    "the gradient does not travel back in time: at step t, add what step t+1 sends back "
    "(da_{t+1} @ W.T) to the gradient from step t's own output, dz_t @ V.T.": dict(carry=False),
    "you forgot the tanh derivative: multiply the gradient reaching h_t by (1 - h_t**2) "
    "before using it.": dict(deriv=False),
    "the forward pass starts from zeros: use the h0 you are given (it is the state before "
    "step 1, and W multiplies it at step 1).": dict(start="zeros"),
    "the output layer's gradient comes from the last step only: V and c are used at every "
    "step, so dV adds h_t.T @ dz_t over all t (and dc adds dz_t over batch and time).": dict(head="last"),
}


def _grads_dict(got: Any) -> tuple[float, dict[str, Any]]:
    """Split the learner's ``(loss, grads)``; a sentence for anything else."""
    if got is None:
        raise ExerciseError("your function returned None: did you forget to `return loss, grads`?")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        what = f"a {type(got).__name__}" + (f" of {len(got)} items" if isinstance(got, (tuple, list)) else "")
        raise ExerciseError(
            f"your function returned {what}: return two things, `return loss, grads`, the loss (a "
            'number) and a dict {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}.'
        )
    loss, grads = got
    if not hasattr(grads, "keys"):
        raise ExerciseError(
            f"the second thing returned is a {type(grads).__name__}; it should be a dict of "
            'gradients, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}.'
        )
    missing = [k for k in _GRAD_NAMES if k not in grads]
    if missing:
        raise ExerciseError(
            f"the gradients dict lacks {missing} (it has {sorted(map(str, grads.keys()))}): give "
            "all five, with the keys 'U', 'W', 'b', 'V', 'c'."
        )
    arr = np.asarray(loss) if not isinstance(loss, (str, bytes, dict)) else None
    if arr is None or arr.shape != () or arr.dtype.kind not in "iuf":
        raise ExerciseError(
            f"the loss should be one number, got {type(loss).__name__}"
            + (f" of shape {arr.shape}" if arr is not None and arr.ndim else "")
            + ": average over every prediction, e.g. float(-np.mean(np.log(p_true)))."
        )
    return float(arr), dict(grads)


@exercise("01.7", "n_to_n_loss_and_grads")
def check_n_to_n_loss_and_grads(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, y, h0, U, W, b, V, c)``: backpropagation through time for N vs N.

    Args:
        fn: the learner's function. ``x`` ``(batch, T, n_in)``, ``y`` ``(batch, T)`` integer
            class ids (one target per step), ``h0`` ``(batch, n_h)``; the model is
            ``h_t = tanh(x_t @ U + h_{t-1} @ W + b)``, ``p_t = softmax(h_t @ V + c)``, and the
            loss the mean cross-entropy over all batch × T predictions. It must return
            ``(loss, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc})``, each gradient the shape of
            its parameter, and leave its inputs unchanged.

    Probes: the main case (with the likely bugs named), then T = 1 with a batch of one, a
    length and sizes the lesson never uses with int32 targets, and a single hidden unit.
    """
    rng = np.random.default_rng(7)
    axes = {
        "U": ("n_in", "n_h"),
        "W": ("row", "column"),
        "b": ("n_h",),
        "V": ("n_h", "n_out"),
        "c": ("n_out",),
    }
    configs = [(2, 4, 3, 5, 3), (1, 1, 2, 3, 4), (3, 9, 4, 2, 6), (1, 6, 1, 1, 2)]
    for i, (batch, T, n_in, n_h, n_out) in enumerate(configs):
        U, W, b = _weights(rng, n_in, n_h)
        params = {
            "U": U,
            "W": W,
            "b": b,
            "V": rng.normal(size=(n_h, n_out)),
            "c": rng.normal(size=n_out) * 0.3,
        }
        x, h0 = rng.normal(size=(batch, T, n_in)), rng.normal(size=(batch, n_h)) * 0.5
        y = rng.integers(n_out, size=(batch, T)).astype(np.int32 if i == 2 else np.int64)
        loss_ref, grads_ref = ref.rnn_loss_and_grads(x, y, params, h0)
        inputs = {"x": x, "y": y, "h0": h0, **params}
        got, passed = call_on_copies(fn, inputs)
        loss, grads = _grads_dict(got)
        given = f"for x {shape_str(x.shape)}, n_h = {n_h}, n_out = {n_out}"
        variants = {d: _n_to_n(x, y, h0, params, **kw) for d, kw in _N_TO_N_BUGS.items()} if i == 0 else {}
        expect_close(
            "the loss" if i == 0 else f"the loss {given}",
            loss,
            loss_ref,
            atol=1e-8,
            likely_bugs={d: v[0] for d, v in variants.items()},
            hint="The loss is the mean of -log p_t[y_t] over every step of every sequence.",
        )
        for name in _GRAD_NAMES:
            try:
                g = expect_array(f"d{name}", grads[name], params[name].shape, axes[name], given=given)
            except ExerciseError as err:
                if name in ("b", "c") and np.ndim(grads[name]) != 1:
                    raise ExerciseError(
                        f"{err} d{name} has one entry per {'hidden unit' if name == 'b' else 'class'}: "
                        "sum over the batch (and time) axes only, e.g. da.sum(axis=0)."
                    ) from None
                raise
            expect_close(
                f"d{name}" if i == 0 else f"d{name} {given}",
                g,
                grads_ref[name],
                atol=1e-8,
                rtol=1e-6,
                likely_bugs={d: v[1][name] for d, v in variants.items()},
                hint="It was right for the first probe: take every size from the arguments' "
                ".shape, and keep the batch axis when the batch has one sequence."
                if i
                else "",
            )
        expect_unchanged(inputs, passed)


# --------------------------------------------------------------------------- 01.8 the articles' cell
def _article_forward(
    x: np.ndarray,
    h0: np.ndarray,
    W_in: np.ndarray,
    b_in: np.ndarray,
    W_h: np.ndarray,
    b_h: np.ndarray,
    *,
    bug: str = "",
) -> np.ndarray:
    """Every state of the articles' cell, ``(batch, T, units)``, with one bug switched on at a time.

    Right: ``h_t = tanh((h_{t-1} + relu(x_t @ W_in + b_in)) @ W_h + b_h)``.
    """
    h, hs = h0, []
    for t in range(x.shape[1]):
        a_in = x[:, t] @ W_in + b_in
        feature = {"no_relu": a_in, "sigmoid": ref.sigmoid(a_in)}.get(bug, ref.relu(a_in))
        if bug == "relu_after_add":
            a = ref.relu(a_in + h) @ W_h + b_h
        elif bug == "add_after":
            a = feature @ W_h + b_h + h
        elif bug == "bias_twice":
            a = (h @ W_h + b_h) + (feature @ W_h + b_h)
        elif bug == "no_state":
            a = feature @ W_h + b_h
        else:
            a = (h + feature) @ W_h + b_h
        h_new = {"no_tanh": a, "tanh_twice": np.tanh(np.tanh(a)), "relu_out": ref.relu(a)}.get(
            bug, np.tanh(a)
        )
        hs.append(h_new)
        if bug != "state_not_carried":
            h = h_new
    return np.stack(hs, axis=1)


_ARTICLE_BUGS = {
    "the relu after input_dense is missing. Without it the cell IS a SimpleRNN (U = W_in @ W_h); "
    "the articles' cell reads relu(x_t @ W_in + b_in).": "no_relu",
    "the input layer uses a sigmoid; the articles' cell uses relu: relu(x_t @ W_in + b_in).": "sigmoid",
    "the relu comes after the state is added: relu(x_t @ W_in + b_in + h_prev). Apply relu to the "
    "input layer's output first, then add h_prev: h_prev + relu(x_t @ W_in + b_in).": "relu_after_add",
    "h_prev is added after hidden_dense; it must go through hidden_dense with the input's features: "
    "hidden_dense(h_prev + relu(...)), so that W_h multiplies the state too.": "add_after",
    "hidden_dense is applied to h_prev and to the features separately and the results added, so its "
    "bias b_h is counted twice: add first, then apply hidden_dense once, "
    "hidden_dense(h_prev + features).": "bias_twice",
    "it ignores the previous state: add states[0] (h_prev) to the input's features before "
    "hidden_dense.": "no_state",
    "the state handed to the next step is not the new h: every step starts from the initial state. "
    "Return the new state, `return h, [h]`.": "state_not_carried",
    "the tanh at the end is missing: h_t = tanh(hidden_dense(...)).": "no_tanh",
    "tanh is applied twice (a Dense(activation='tanh') and then keras.ops.tanh?): apply it once.": "tanh_twice",
    "the last activation is a relu; the articles' cell ends with tanh, h_t = tanh(hidden_dense(...)).": "relu_out",
}


def _article_layers(cell: Any, n_in: int, units: int) -> tuple[Any, Any]:
    """The learner cell's two Dense layers, checked: names, kinds, biases, kernel shapes."""
    import keras

    found = []
    for name, what, shape in (
        ("input_dense", "W_in, b_in", (n_in, units)),
        ("hidden_dense", "W_h, b_h", (units, units)),
    ):
        dense = getattr(cell, name, None)
        if not isinstance(dense, keras.layers.Dense):
            raise ExerciseError(
                f"your cell has no Dense layer `self.{name}` ({what}): create the two layers in "
                "__init__ with these names, self.input_dense = keras.layers.Dense(units) and "
                "self.hidden_dense = keras.layers.Dense(units); the checker loads its weights into them."
            )
        if not dense.use_bias:
            raise ExerciseError(
                f"`self.{name}` has no bias: the articles' cell has {what.split(', ')[1]} "
                "(Dense(units) keeps use_bias=True)."
            )
        kernel = tuple(int(d) for d in dense.kernel.shape)
        if kernel != shape:
            hint = ""
            if name == "hidden_dense" and kernel == (n_in, units):
                hint = (
                    " It was built for inputs of size n_in, but it reads h_prev + relu(...), a "
                    "vector of size units: build it with (batch, units)."
                )
            raise ExerciseError(
                f"`self.{name}`'s kernel has shape {kernel}, expected {shape} for n_in = {n_in}, "
                f"units = {units}.{hint}"
            )
        found.append(dense)
    n_weights = len(cell.trainable_weights)
    if n_weights != 4:
        raise ExerciseError(
            f"your cell has {n_weights} weight arrays; the articles' cell has exactly four, W_in, "
            "b_in (input_dense) and W_h, b_h (hidden_dense). Remove any other layer or weight."
        )
    return found[0], found[1]


def _run_cell_layer(layer: Any, x: np.ndarray, h0: np.ndarray) -> Any:
    """``layer(x, initial_state=[h0])`` with the learner's crash explained."""
    try:
        return call(layer, x, initial_state=[h0])
    except ExerciseError as err:
        text = str(err)
        core = text.split("Arguments received")[0]  # Keras' own message, without the arguments
        hint = ""
        hidden = getattr(layer.cell, "hidden_dense", None)
        kernel = getattr(hidden, "kernel", None) if getattr(hidden, "built", False) else None
        if kernel is not None and int(kernel.shape[0]) == x.shape[-1] != h0.shape[-1]:
            hint = (
                "\nHint: hidden_dense was built for inputs of size n_in, but it reads h_prev + "
                "relu(...), a vector of size units: build it with (batch, units)."
            )
        elif "state_size" in core or "output_size" in core:
            hint = "\nHint: set self.state_size = units and self.output_size = units in __init__."
        elif "'list'" in core or "'tuple'" in core or "Incompatible shape for value ((1, 1," in core:
            hint = "\nHint: `states` is a list of one tensor: take the previous state as states[0]."
        elif "unpack" in core or "not iterable" in core:
            hint = "\nHint: call() must return two things, the output and the list of states: return h, [h]."
        raise ExerciseError(re.sub(r"\x1b\[[0-9;]*m", "", text) + hint) from None


@exercise("01.8", "ArticleRNNCell")
def check_article_rnn_cell(cell_class: Any) -> None:
    """Check a Keras cell class: ``cell_class(units)`` computes the articles' "vanilla RNN" step.

    ``h_t = tanh((h_{t-1} + relu(x_t @ W_in + b_in)) @ W_h + b_h)``, with ``W_in``, ``b_in`` in the
    Dense layer ``self.input_dense`` and ``W_h``, ``b_h`` in ``self.hidden_dense``.

    Probes: ``keras.layers.RNN(cell_class(units), return_sequences=True)`` on random inputs from a
    random non-zero initial state, with random weights loaded into the two layers: first n_in ≠
    units (a second layer built on the input size then fails, and the likely bugs are named), then
    T = 1 with a batch of one, a single unit, a long sequence, and inputs a thousand times larger
    (tanh saturates; nothing may overflow). The inputs must be left unchanged, and a cell made
    again from ``get_config()`` must compute the same with the same weights.

    Args:
        cell_class: the learner's class (not an instance), a ``keras.layers.Layer`` subclass.
    """
    import keras

    if cell_class is None or cell_class is Ellipsis:
        call(cell_class)  # "not attempted"
    if isinstance(cell_class, keras.layers.Layer):
        raise ExerciseError(
            "you passed a cell (an instance); pass the class itself, check_article_rnn_cell(ArticleRNNCell), "
            "without parentheses: the checker makes its own cells of several sizes."
        )
    if not (isinstance(cell_class, type) and issubclass(cell_class, keras.layers.Layer)):
        raise ExerciseError(
            f"expected a class derived from keras.layers.Layer, got {type(cell_class).__name__}: "
            "write `class ArticleRNNCell(keras.layers.Layer):` and pass ArticleRNNCell."
        )
    rng = np.random.default_rng(18)
    probes = [
        (3, 4, 2, 5, 1.0),
        (2, 3, 1, 1, 1.0),
        (1, 2, 3, 6, 1.0),
        (4, 4, 2, 30, 1.0),
        (3, 2, 2, 4, 1000.0),
    ]
    for i, (units, n_in, batch, T, scale) in enumerate(probes):
        cell = call(cell_class, units)
        layer = keras.layers.RNN(cell, return_sequences=True)
        x = (rng.normal(size=(batch, T, n_in)) * scale).astype("float32")
        h0 = (rng.normal(size=(batch, units)) * 0.5).astype("float32")
        inputs = {"x": x, "h0": h0}
        passed = {k: v.copy() for k, v in inputs.items()}
        _run_cell_layer(layer, passed["x"], passed["h0"])  # builds the cell
        input_dense, hidden_dense = _article_layers(cell, n_in, units)
        W_in, b_in = rng.normal(size=(n_in, units)), rng.normal(size=units) * 0.5
        W_h, b_h = rng.normal(size=(units, units)) * 0.6, rng.normal(size=units) * 0.3
        input_dense.set_weights([W_in, b_in])
        hidden_dense.set_weights([W_h, b_h])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = _run_cell_layer(layer, passed["x"], passed["h0"])
        given = f"for x {shape_str(x.shape)}, units = {units}" + (" (large inputs)" if scale > 1 else "")
        got = expect_array("hs", to_numpy(got), (batch, T, units), ("batch", "T", "units"), given=given)
        expect_unchanged(
            inputs, passed, "your cell changed the array `{name}` it was given: compute new tensors."
        )
        if not np.all(np.isfinite(got)):
            raise ExerciseError(
                f"hs contains nan or inf {given}: use keras.ops.tanh and keras.ops.relu (or "
                "Keras activations), which saturate instead of overflowing."
            )
        args = (x.astype(float), h0.astype(float), W_in, b_in, W_h, b_h)
        expected = _article_forward(*args)
        likely = {d: _article_forward(*args, bug=b) for d, b in _ARTICLE_BUGS.items()} if i == 0 else None
        expect_close(
            "hs" if i == 0 else f"hs {given}",
            got,
            expected,
            atol=2e-5,
            likely_bugs=likely,
            hint="The step is h_t = tanh(hidden_dense(h_prev + relu(input_dense(x_t)))).",
        )
        if i == 0:
            try:
                clone = cell_class.from_config(cell.get_config())
            except Exception as err:  # the learner's get_config / __init__
                raise ExerciseError(
                    f"the cell cannot be made again from its config (needed to save a model as "
                    f".keras): {type(err).__name__}: {err}. get_config() must return every "
                    "argument of __init__, e.g. {**super().get_config(), 'units': self.units}."
                ) from None
            clone_layer = keras.layers.RNN(clone, return_sequences=True)
            _run_cell_layer(clone_layer, x, h0)
            clone_layer.set_weights(layer.get_weights())
            expect_close(
                "a cell made from get_config() (same weights)",
                to_numpy(_run_cell_layer(clone_layer, x, h0)),
                expected,
                atol=2e-5,
            )
