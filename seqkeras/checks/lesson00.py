"""Checkers for lesson 00, the single layer.

Each ``check_*`` function takes the learner's function (or answer), prints the verdict and
returns a :class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet;
a wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 00.1 :func:`check_dense`: ``dense(x, W, b, f) -> f(x @ W + b)``
- 00.2 :func:`check_softmax`: a numerically stable ``softmax(z)`` over the last axis
- 00.3 :func:`check_load_into_dense`: copy textbook-layout weights into a ``keras.layers.Dense``
- 00.4 :func:`check_param_count`: the number of parameters of a dense layer over a word window
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from seqkeras.grading import ExerciseError, call, exercise, expect_close, expect_shape, require_answer
from seqkeras.reference import relu, sigmoid, softmax

__all__ = ["check_dense", "check_softmax", "check_load_into_dense", "check_param_count",
           "PARAM_COUNT_QUESTION"]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------- 00.1 dense
@exercise("00.1", "dense")
def check_dense(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, W, b, f)`` against ``f(x @ W + b)``.

    Args:
        fn: the learner's function. ``x`` ``(batch, n_in)``, ``W`` ``(n_in, n_out)``
            (Keras layout), ``b`` ``(n_out,)``, ``f`` an elementwise activation function;
            it must return ``(batch, n_out)``.
    """
    rng = _rng(0)
    # A square W first: a transposed W then gives wrong numbers instead of a crash,
    # so the bug can be named.
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 3)), rng.normal(size=3)
    got = call(fn, x.copy(), W.copy(), b.copy(), np.tanh)
    expect_close("y", got, np.tanh(x @ W + b), likely_bugs={
        "you forgot the bias: add b before the activation, f(x @ W + b).": np.tanh(x @ W),
        "W is used transposed: with the Keras layout W is (n_in, n_out), so the product "
        "is x @ W (not x @ W.T).": np.tanh(x @ W.T + b),
        "the activation is applied before the bias is added: compute f(x @ W + b), "
        "not f(x @ W) + b.": np.tanh(x @ W) + b,
        "the activation f is missing: return f(x @ W + b), not x @ W + b.": x @ W + b,
        "f is applied to the input instead of the output: f(x @ W + b), not f(x) @ W + b.":
            np.tanh(x) @ W + b,
    })
    # A non-square W (3 inputs, 2 outputs) and another activation.
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    got = call(fn, x.copy(), W.copy(), b.copy(), sigmoid)
    expect_shape("y", got, (5, 2), hint="One row per example, one column per output unit.")
    expect_close("y", got, sigmoid(x @ W + b), likely_bugs={
        "you ignore the argument f (always tanh?): apply the activation function you are "
        "given, f(...).": np.tanh(x @ W + b),
        "you forgot the bias: add b before the activation, f(x @ W + b).": sigmoid(x @ W),
    })
    # One example given as a 1-D vector (n_in,) must give (n_out,).
    got = call(fn, x[0].copy(), W.copy(), b.copy(), relu)
    expect_close("y for a single example x of shape (3,)", got, relu(x[0] @ W + b))


# --------------------------------------------------------------------------- 00.2 softmax
def _stable(z: np.ndarray) -> np.ndarray:
    return softmax(z, axis=-1)


@exercise("00.2", "softmax")
def check_softmax(fn: Callable[..., Any]) -> None:
    """Check ``fn(z)``: softmax over the last axis of ``z`` ``(batch, k)``, stable for large ``z``."""
    rng = _rng(1)
    z = rng.normal(size=(3, 5)) * 2
    with np.errstate(all="ignore"):
        try:
            got = call(fn, z.copy())
        except ExerciseError as err:
            if "broadcast" in str(err):
                raise ExerciseError(
                    f"{err}\nHint: z.max(axis=-1) has shape (batch,); keep the reduced axis with "
                    "keepdims=True so that it broadcasts against z of shape (batch, k).") from None
            raise
        e = np.exp(z)
        expect_close("softmax(z)", got, _stable(z), likely_bugs={
            "you normalise over the wrong axis: each ROW (one example) must sum to 1, so sum "
            "over axis=-1 (with keepdims=True), not axis=0.": e / e.sum(axis=0, keepdims=True),
            "you normalise by the sum of the whole array: divide each row by its own sum, "
            "e.sum(axis=-1, keepdims=True).": e / e.sum(),
            "you did not normalise: divide exp(z) by its sum over the last axis.": e,
            "you did not normalise: divide exp(z - max) by its sum over the last axis.":
                np.exp(z - z.max(axis=-1, keepdims=True)),
            "you subtract each column's maximum: subtract each row's own maximum, "
            "z.max(axis=-1, keepdims=True), so every entry of a row is shifted by the same "
            "amount.": np.exp(z - z.max(axis=0, keepdims=True))
            / np.exp(z - z.max(axis=0, keepdims=True)).sum(axis=-1, keepdims=True),
        })
        # Large scores: exp(1000) overflows to inf, and inf / inf is nan.
        big = np.array([[1000.0, 1001.0, 1002.0], [1000.0, 1000.0, 1000.0]])
        got = call(fn, big.copy())
        expect_shape("softmax(z) for large z", got, big.shape)
        if not np.all(np.isfinite(np.asarray(got, dtype=float))):
            raise ExerciseError(
                "softmax(z) returns nan or inf for large scores such as z = [1000, 1001, 1002]: "
                "exp(1000) overflows. Subtract each row's maximum before exp: softmax(z) equals "
                "softmax(z - max(z)), and then the largest exponent is exp(0) = 1.")
        expect_close("softmax(z) for large z", got, _stable(big))
        # Rows of very different scale: one maximum for the whole array underflows row 0.
        mixed = np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]])
        got = call(fn, mixed.copy())
        if not np.all(np.isfinite(np.asarray(got, dtype=float))):
            raise ExerciseError(
                "softmax(z) returns nan when rows have very different scales, e.g. "
                "[[0, 1, 2], [1000, 1001, 1002]]: you subtract one maximum for the whole array, "
                "so exp(0 - 1002) underflows to 0 and row 0 becomes 0 / 0. Subtract each row's "
                "own maximum: z.max(axis=-1, keepdims=True).")
        expect_close("softmax(z) for rows of different scales", got, _stable(mixed))


# --------------------------------------------------------------------------- 00.3 load_into_dense
def _dense_layer(n_in: int, n_out: int, seed: int) -> Any:
    import keras

    layer = keras.layers.Dense(n_out, kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
                               bias_initializer="zeros")
    layer.build((None, n_in))
    return layer


def _numpy(v: Any) -> np.ndarray:
    import keras

    return np.asarray(keras.ops.convert_to_numpy(v), dtype=float)


def _load_hint(message: str) -> str:
    if "setter" in message or "can't set attribute" in message:
        return ("a layer's weights are variables: change their values with "
                "layer.kernel.assign(new_value) or layer.set_weights([kernel, bias]); do not "
                "assign to the attribute.")
    if "not compatible" in message or "shape" in message:
        return ("Keras refused the shapes: the kernel must be (n_in, n_out), which is W.T, and "
                "the bias (n_out,).")
    return "load the weights with layer.set_weights([kernel, bias]) or layer.kernel.assign(...)."


@exercise("00.3", "load_into_dense")
def check_load_into_dense(fn: Callable[..., Any]) -> None:
    """Check ``fn(layer, W, b)``: copy a textbook ``W`` ``(n_out, n_in)`` and ``b`` ``(n_out,)``
    into the built ``keras.layers.Dense`` ``layer`` (kernel ``(n_in, n_out)``), in place."""
    rng = _rng(2)
    for n_in, n_out, seed in ((3, 3, 0), (4, 2, 1)):  # square first: a missing .T is then silent
        layer = _dense_layer(n_in, n_out, seed)
        before = _numpy(layer.kernel)
        W = rng.normal(size=(n_out, n_in)).astype("float32")  # textbook layout
        b = rng.normal(size=n_out).astype("float32")
        try:
            call(fn, layer, W.copy(), b.copy())
        except ExerciseError as err:
            raise ExerciseError(f"{err}\nHint: {_load_hint(str(err))}") from None
        kernel, bias = _numpy(layer.kernel), _numpy(layer.bias)
        if np.allclose(kernel, before):
            raise ExerciseError(
                "the layer's kernel did not change: load the weights into the layer you are "
                "given (layer.set_weights([...]) or layer.kernel.assign(...)); do not build a new one.")
        expect_close("layer.kernel", kernel, W.T, atol=1e-6, likely_bugs={
            "you copied W as it is. The textbook W is (n_out, n_in) but a Keras kernel is "
            "(n_in, n_out): load W.T.": W,
        })
        expect_close("layer.bias", bias, b, atol=1e-6, likely_bugs={
            "the bias was not copied: the layer still has its initial zeros; set it too.":
                np.zeros(n_out),
        })
        x = rng.normal(size=(5, n_in)).astype("float32")
        expect_close("layer(x)", _numpy(layer(x)), x @ W.T + b, atol=1e-5)


# --------------------------------------------------------------------------- 00.4 parameters
#: The question of exercise 00.4, as the notebook states it.
PARAM_COUNT_QUESTION = (
    "A dense layer reads a window of 5 words. Each word is a one-hot vector over a vocabulary "
    "of 1,000 words, and the 5 vectors are laid end to end into one input vector. The layer "
    "has 16 output units. How many trainable parameters does it have?")

_WORDS, _VOCAB, _UNITS = 5, 1000, 16


@exercise("00.4", "parameter count")
def check_param_count(answer: Any) -> None:
    """Check the answer (an ``int``) to :data:`PARAM_COUNT_QUESTION`."""
    answer = require_answer(answer, "n_params")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer, float, np.floating)):
        raise ExerciseError(f"n_params should be a number (an int), got {type(answer).__name__}.")
    n_in = _WORDS * _VOCAB
    expected = n_in * _UNITS + _UNITS
    if float(answer) == expected and not isinstance(answer, (int, np.integer)):
        raise ExerciseError(f"right number, but give it as an int: n_params = int({answer!r}).")
    if answer == expected:
        return
    bugs = {
        n_in * _UNITS: "you forgot the biases: a dense layer has one bias per output unit.",
        _VOCAB * _UNITS + _UNITS: "you counted one word only: the input vector holds all "
                                  f"{_WORDS} one-hot words, so n_in = {_WORDS} × {_VOCAB}.",
        n_in * _UNITS + n_in: "the bias has one entry per OUTPUT unit, not per input.",
        _WORDS * _UNITS + _UNITS: "the input size is not the number of words: each word is a "
                                  f"one-hot vector of length {_VOCAB}.",
    }
    raise ExerciseError(f"n_params = {answer} is not right. " + bugs.get(
        int(answer) if float(answer).is_integer() else -1,
        "Count the weights (n_in × n_out, where n_in is the length of the whole input vector) "
        "plus the biases (one per output unit)."))
