"""Checkers for lesson 00, the single layer.

Each ``check_*`` function takes the learner's function (or answer), prints the verdict and
returns a :class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet;
a wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 00.1 :func:`check_dense`: ``dense(x, W, b, f) -> f(x @ W + b)``
- 00.2 :func:`check_softmax`: a numerically stable ``softmax(z)`` over the last axis
- 00.3 :func:`check_load_into_dense`: copy textbook-layout weights into a ``keras.layers.Dense``
- 00.4 :func:`check_param_count`: the number of parameters of a dense layer over a word window
- 00.6 :func:`check_window_dense`: that dense layer's output computed from the word ids, by
  looking rows up instead of multiplying one-hot vectors

The checkers probe behaviour, not one point: several batch sizes and widths (including a
batch of 1 and an output of width 1, which must keep their axes), sizes the lesson never
uses, scores with a large spread, layers that start from random non-zero weights, and
inputs that must come back unmodified (:func:`~seqkeras.grading.call_on_copies`,
:func:`~seqkeras.grading.expect_unchanged`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.grading import (
    ExerciseError,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_unchanged,
    load_weights_hint,
    require_answer,
    shape_str,
    to_numpy,
)

__all__ = [
    "PARAM_COUNT_QUESTION",
    "check_dense",
    "check_load_into_dense",
    "check_param_count",
    "check_softmax",
    "check_window_dense",
    "window_dense_reference",
]


# --------------------------------------------------------------------------- 00.1 dense
_DENSE_AXES = ("batch", "n_out")


@exercise("00.1", "dense")
def check_dense(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, W, b, f)`` against ``f(x @ W + b)``.

    Args:
        fn: the learner's function. ``x`` ``(batch, n_in)``, ``W`` ``(n_in, n_out)``
            (Keras layout), ``b`` ``(n_out,)``, ``f`` an elementwise activation function;
            it must return ``(batch, n_out)`` (``(n_out,)`` for one example ``x`` ``(n_in,)``).
    """
    rng = np.random.default_rng(0)

    def probe(
        x: np.ndarray,
        W: np.ndarray,
        b: np.ndarray,
        f: Callable[[np.ndarray], np.ndarray],
        axes: Sequence[str] = _DENSE_AXES,
    ) -> tuple[np.ndarray, Callable[[], None]]:
        inputs = {"x": x, "W": W, "b": b, "f": f}
        got, passed = call_on_copies(fn, inputs)
        shape = (x.shape[0], W.shape[1]) if x.ndim == 2 else (W.shape[1],)
        got = expect_array(
            "y", got, shape, axes, given=f"for x {shape_str(x.shape)} and W {shape_str(W.shape)}"
        )
        return got, lambda: expect_unchanged(inputs, passed)

    # A square W first: a transposed W then gives wrong numbers instead of a crash,
    # so the bug can be named.
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 3)), rng.normal(size=3)
    got, unchanged = probe(x, W, b, np.tanh)
    expect_close(
        "y",
        got,
        np.tanh(x @ W + b),
        likely_bugs={
            "you forgot the bias: add b before the activation, f(x @ W + b).": np.tanh(x @ W),
            "W is used transposed: with the Keras layout W is (n_in, n_out), so the product "
            "is x @ W (not x @ W.T).": np.tanh(x @ W.T + b),
            "the activation is applied before the bias is added: compute f(x @ W + b), "
            "not f(x @ W) + b.": np.tanh(x @ W) + b,
            "the activation f is missing: return f(x @ W + b), not x @ W + b.": x @ W + b,
            "f is applied to the input instead of the output: f(x @ W + b), not f(x) @ W + b.": np.tanh(x) @ W
            + b,
        },
    )
    unchanged()
    # A non-square W (3 inputs, 2 outputs) and another activation.
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    got, unchanged = probe(x, W, b, ref.sigmoid)
    expect_close(
        "y",
        got,
        ref.sigmoid(x @ W + b),
        likely_bugs={
            "you ignore the argument f (always tanh?): apply the activation function you are "
            "given, f(...).": np.tanh(x @ W + b),
        },
    )
    unchanged()
    # Sizes the lesson never uses, a batch of 1, an output of width 1, and an activation
    # that is not a NumPy function.
    for (batch, n_in, n_out), f in [
        ((3, 7, 5), ref.relu),
        ((1, 6, 4), np.tanh),
        ((3, 5, 1), lambda z: 2.0 * z - 1.0),
    ]:
        x = rng.normal(size=(batch, n_in))
        W, b = rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)
        got, unchanged = probe(x, W, b, f)
        expect_close(f"y for x {shape_str(x.shape)} and W {shape_str(W.shape)}", got, f(x @ W + b))
        unchanged()
    # One example given as a 1-D vector (n_in,) must give (n_out,).
    x, W, b = rng.normal(size=3), rng.normal(size=(3, 2)), rng.normal(size=2)
    got, unchanged = probe(x, W, b, ref.relu, axes=("n_out",))
    expect_close("y for a single example x of shape (3,)", got, ref.relu(x @ W + b))
    unchanged()


# --------------------------------------------------------------------------- 00.2 softmax
_SOFTMAX_AXES = ("batch", "k")


def _softmax_probe(fn: Callable[..., Any], z: np.ndarray, what: str) -> np.ndarray:
    """Call the learner's softmax on a copy of ``z``; check the kind and shape of the
    result and that ``z`` is left alone."""
    try:
        got, passed = call_on_copies(fn, {"z": z})
    except ExerciseError as err:
        if "broadcast" in str(err):
            raise ExerciseError(
                f"{err}\nHint: z.max(axis=-1) has shape (batch,); keep the reduced axis with "
                "keepdims=True so that it broadcasts against z of shape (batch, k)."
            ) from None
        raise
    got = expect_array(what, got, z.shape, _SOFTMAX_AXES, given=f"for z {shape_str(z.shape)}")
    expect_unchanged({"z": z}, passed)
    return got


def _expect_softmax(
    what: str, got: np.ndarray, z: np.ndarray, likely_bugs: Mapping[str, Any] | None = None
) -> None:
    """``got`` must be softmax(z) over the last axis; name a row that is right but for its sum."""
    expected = ref.softmax(z, axis=-1)
    try:
        expect_close(what, got, expected, likely_bugs=likely_bugs)
    except ExerciseError as err:
        if "differs from the expected" in str(err) and np.all(np.isfinite(got)) and np.all(got > 0):
            sums = got.sum(axis=-1, keepdims=True)
            if np.allclose(got / sums, expected, atol=1e-5, rtol=1e-5):
                raise ExerciseError(
                    f"{what}: every row is in the right proportions but does not sum to 1 (row "
                    f"sums from {sums.min():.6g} to {sums.max():.6g}). Divide by the exact sum "
                    "over the last axis, with nothing added to it: after subtracting the max the "
                    "sum is at least 1, so no epsilon is needed."
                ) from None
        raise


@exercise("00.2", "softmax")
def check_softmax(fn: Callable[..., Any]) -> None:
    """Check ``fn(z)``: softmax over the last axis of ``z`` ``(batch, k)``, stable for large ``z``."""
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 5)) * 2
    got = _softmax_probe(fn, z, "softmax(z)")
    with np.errstate(all="ignore"):
        e = np.exp(z)
        z_col = np.exp(z - z.max(axis=0, keepdims=True))
        _expect_softmax(
            "softmax(z)",
            got,
            z,
            likely_bugs={
                "you normalise over the wrong axis: each ROW (one example) must sum to 1, so sum "
                "over axis=-1 (with keepdims=True), not axis=0.": e / e.sum(axis=0, keepdims=True),
                "you normalise by the sum of the whole array: divide each row by its own sum, "
                "e.sum(axis=-1, keepdims=True).": e / e.sum(),
                "you did not normalise: divide exp(z) by its sum over the last axis.": e,
                "you did not normalise: divide exp(z - max) by its sum over the last axis.": np.exp(
                    z - z.max(axis=-1, keepdims=True)
                ),
                "you subtract each column's maximum: subtract each row's own maximum, "
                "z.max(axis=-1, keepdims=True), so every entry of a row is shifted by the same "
                "amount.": z_col / z_col.sum(axis=-1, keepdims=True),
            },
        )
    # Other sizes: a batch of 1, a width of 1 (every probability is 1), a long row.
    for shape in [(1, 4), (4, 1), (2, 60)]:
        z = rng.normal(size=shape) * 3
        got = _softmax_probe(fn, z, f"softmax(z) for z {shape_str(shape)}")
        _expect_softmax(f"softmax(z) for z {shape_str(shape)}", got, z)
    # Large scores: exp(1000) overflows to inf, and inf / inf is nan.
    big = np.array([[1000.0, 1001.0, 1002.0], [1000.0, 1000.0, 1000.0]])
    got = _softmax_probe(fn, big, "softmax(z) for large z")
    if not np.all(np.isfinite(got)):
        raise ExerciseError(
            "softmax(z) returns nan or inf for large scores such as z = [1000, 1001, 1002]: "
            "exp(1000) overflows. Subtract each row's maximum before exp: softmax(z) equals "
            "softmax(z - max(z)), and then the largest exponent is exp(0) = 1."
        )
    _expect_softmax("softmax(z) for large z", got, big)
    # Rows of very different scale: one maximum for the whole array underflows row 0.
    mixed = np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]])
    got = _softmax_probe(fn, mixed, "softmax(z) for rows of different scales")
    if not np.all(np.isfinite(got)):
        raise ExerciseError(
            "softmax(z) returns nan when rows have very different scales, e.g. "
            "[[0, 1, 2], [1000, 1001, 1002]]: you subtract one maximum for the whole array, "
            "so exp(0 - 1002) underflows to 0 and row 0 becomes 0 / 0. Subtract each row's "
            "own maximum: z.max(axis=-1, keepdims=True)."
        )
    _expect_softmax("softmax(z) for rows of different scales", got, mixed)
    # A large spread within a row: shifting by the mean or the minimum still overflows.
    spread = np.array([[-800.0, 0.0, 800.0], [-1000.0, -1001.0, -1002.0], [5.0, -900.0, 3.0]])
    got = _softmax_probe(fn, spread, "softmax(z) for rows with a large spread")
    if not np.all(np.isfinite(got)):
        raise ExerciseError(
            "softmax(z) returns nan or inf for rows with a large spread, such as "
            "[-800, 0, 800]: exp overflows once an exponent passes about 709. Shifting a row "
            "by its mean or its minimum still leaves exponents of 800 or more; only the row's "
            "maximum makes every exponent ≤ 0. Subtract z.max(axis=-1, keepdims=True)."
        )
    _expect_softmax("softmax(z) for rows with a large spread", got, spread)


# --------------------------------------------------------------------------- 00.3 load_into_dense
def _dense_layer(n_in: int, n_out: int, seed: int) -> Any:
    """A built Dense layer whose kernel AND bias start random and non-zero (so that
    ``assign_add`` and a forgotten bias cannot pass by luck)."""
    import keras

    layer = keras.layers.Dense(
        n_out,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        bias_initializer=keras.initializers.RandomNormal(stddev=0.5, seed=seed + 100),
    )
    layer.build((None, n_in))
    return layer


@exercise("00.3", "load_into_dense")
def check_load_into_dense(fn: Callable[..., Any]) -> None:
    """Check ``fn(layer, W, b)``: copy a textbook ``W`` ``(n_out, n_in)`` and ``b`` ``(n_out,)``
    into the built ``keras.layers.Dense`` ``layer`` (kernel ``(n_in, n_out)``), in place."""
    rng = np.random.default_rng(2)
    # Square first: a missing .T is then silent in Keras and can be named. Then sizes the
    # lesson never uses, an output of width 1, an input of width 1, and float64 weights
    # (what NumPy gives) as well as float32.
    for n_in, n_out, seed, dtype in (
        (3, 3, 0, "float32"),
        (4, 2, 1, "float64"),
        (5, 1, 2, "float64"),
        (1, 4, 3, "float32"),
    ):
        layer = _dense_layer(n_in, n_out, seed)
        kernel0, bias0 = to_numpy(layer.kernel), to_numpy(layer.bias)
        W = rng.normal(size=(n_out, n_in)).astype(dtype)  # textbook layout
        b = rng.normal(size=n_out).astype(dtype)
        inputs = {"W": W, "b": b}
        try:
            returned, passed = call_on_copies(fn, {"layer": layer, **inputs})
        except ExerciseError as err:
            raise ExerciseError(f"{err}\nHint: {load_weights_hint(str(err))}") from None
        kernel, bias = to_numpy(layer.kernel), to_numpy(layer.bias)
        if np.allclose(kernel, kernel0) and np.allclose(bias, bias0):
            extra = (
                " (you returned a new layer: the checker looks at the one it gave you)"
                if returned is not None and returned is not layer
                else ""
            )
            raise ExerciseError(
                f"the layer's weights did not change{extra}: load the weights into the layer you "
                "are given, in place (layer.set_weights([...]) or layer.kernel.assign(...)); do "
                "not build a new one."
            )
        expect_close(
            "layer.kernel",
            kernel,
            W.T,
            likely_bugs={
                "you copied W as it is. The textbook W is (n_out, n_in) but a Keras kernel is "
                "(n_in, n_out): load W.T.": W,
                "the kernel did not change: load W.T into it too.": kernel0,
                "W.T was ADDED to the kernel's starting values (assign_add?): the layer starts with "
                "its own random weights, so replace them, layer.kernel.assign(W.T).": kernel0 + W.T,
                "you reshaped W to (n_in, n_out): reshape keeps the numbers in the same order and "
                "only regroups them, so the weights land in the wrong places. Transpose instead, "
                "W.T.": W.reshape(n_in, n_out),
            },
        )
        expect_close(
            "layer.bias",
            bias,
            b,
            likely_bugs={
                "the bias was not copied: the layer still has its starting bias; set it too.": bias0,
                "b was ADDED to the layer's starting bias (assign_add?): the layer starts with its "
                "own bias, so replace it, layer.bias.assign(b).": bias0 + b,
            },
        )
        # Behaviour, not only the variables: the layer must now compute x @ W.T + b.
        x = (rng.normal(size=(1, n_in)) * 3).astype("float32")
        expect_close("layer(x)", to_numpy(layer(x)), x @ W.T.astype(float) + b)
        expect_unchanged(inputs, passed)


# --------------------------------------------------------------------------- 00.4 parameters
#: The question of exercise 00.4, as the notebook states it.
PARAM_COUNT_QUESTION = (
    "A dense layer reads a window of 5 words. Each word is a one-hot vector over a vocabulary "
    "of 1,000 words, and the 5 vectors are laid end to end into one input vector. The layer "
    "has 16 output units. How many trainable parameters does it have?"
)

_WORDS, _VOCAB, _UNITS = 5, 1000, 16


@exercise("00.4", "parameter count")
def check_param_count(answer: Any) -> None:
    """Check the answer (an ``int``) to :data:`PARAM_COUNT_QUESTION`."""
    answer = require_answer(answer, "n_params")
    if isinstance(answer, np.ndarray):
        raise ExerciseError(
            f"n_params is a NumPy array of shape {answer.shape}; give one plain "
            "number, an int (e.g. int(...))."
        )
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer, float, np.floating)):
        raise ExerciseError(
            f"n_params should be a number (an int), got {type(answer).__name__}"
            + (f" {answer!r}." if isinstance(answer, str) else ".")
        )
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
        n_in * _UNITS + _WORDS * _UNITS: f"you counted {_WORDS} × {_UNITS} biases, as if each "
        "word had its own layer: the words are laid end to end "
        f"into ONE input, so there are {_UNITS} biases, one per "
        "output unit.",
    }
    known = bugs.get(int(answer)) if float(answer).is_integer() else None  # False for nan, inf
    raise ExerciseError(
        f"n_params = {answer} is not right. "
        + (
            known
            or "Count the weights (n_in × n_out, where n_in is the length of the whole input vector) "
            "plus the biases (one per output unit)."
        )
    )


# --------------------------------------------------------------------------- 00.6 window_dense
def window_dense_reference(ids: np.ndarray, K: np.ndarray, b: np.ndarray) -> np.ndarray:
    """What a dense layer (no activation) computes on one-hot words laid end to end.

    Args:
        ids: ``(batch, n_words)`` word ids in ``0 .. vocab_size - 1``.
        K: ``(n_words * vocab_size, n_out)``, the kernel; rows ``p * vocab_size`` to
            ``(p + 1) * vocab_size - 1`` belong to the word at position ``p``.
        b: ``(n_out,)``.

    Returns:
        ``(batch, n_out)``: ``one_hot_flat(ids) @ K + b``, built the slow way, with the
        one-hot vectors (the checker's answer key).
    """
    batch, n_words = ids.shape
    vocab_size = K.shape[0] // n_words
    one_hot = np.zeros((batch, n_words, vocab_size))
    one_hot[np.arange(batch)[:, None], np.arange(n_words)[None, :], ids] = 1.0
    return one_hot.reshape(batch, n_words * vocab_size) @ K + b


def _rows(ids: np.ndarray, K: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """``(batch, n_words, n_out)``: row ``offsets[p] + ids[:, p]`` of ``K`` for each word."""
    return K[offsets[None, :] + ids]


def _window_bugs(ids: np.ndarray, K: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """What the likely wrong answers give on this probe (diagnosis -> value)."""
    n_words = ids.shape[1]
    vocab_size = K.shape[0] // n_words
    blocks = np.arange(n_words) * vocab_size
    right = _rows(ids, K, blocks)  # (batch, n_words, n_out)
    seen = int(ids.max()) + 1  # a vocabulary size guessed from the ids
    interleaved = K[ids * n_words + np.arange(n_words)].sum(axis=1) + b
    bias_per_word = (right + b).sum(axis=1)
    bugs = {
        "every word reads the first block of rows, K[ids]: the word at position p has its own "
        "block of vocab_size rows, starting at row p * vocab_size, so look up "
        "K[p * vocab_size + ids[:, p]].": K[ids].sum(axis=1) + b,
        "the rows are looked up as if the one-hot vectors were interleaved (row "
        "ids * n_words + p): they are laid end to end, one block of vocab_size rows per "
        "position, so the row is p * vocab_size + ids[:, p].": interleaved,
        "you forgot the bias: add b once, after summing the words' rows.": right.sum(axis=1),
        f"b is added once per word ({n_words} times): a dense layer adds its bias once, to the "
        "sum.": bias_per_word,
        "you average the words' rows: a product with a vector that has several ones ADDS the "
        "rows it picks, so sum them.": right.mean(axis=1) + b,
        "only the first word counts: every word's row must be added.": right[:, 0] + b,
        "only the last word counts: every word's row must be added.": right[:, -1] + b,
        "every id is shifted by one (ids - 1): id 0 is a word like any other here, and its row is "
        "the first of its block.": _rows(ids - 1, K, blocks).sum(axis=1) + b,
    }
    if seen < vocab_size:
        bugs[
            "the vocabulary size is guessed from the ids (ids.max() + 1), but a batch need not "
            "contain the largest id: take it from the kernel, K.shape[0] // n_words."
        ] = _rows(ids, K, np.arange(n_words) * seen).sum(axis=1) + b
    return bugs


@exercise("00.6", "window_dense")
def check_window_dense(fn: Callable[..., Any]) -> None:
    """Check ``fn(ids, K, b)`` against a dense layer on the one-hot words, ``one_hot_flat(ids) @ K + b``.

    Args:
        fn: the learner's function. ``ids`` ``(batch, n_words)`` integer ids, ``K``
            ``(n_words * vocab_size, n_out)``, ``b`` ``(n_out,)``; it must return
            ``(batch, n_out)``, found by picking rows of ``K`` (it may build the one-hot
            vectors too: the result is what is checked).
    """
    rng = np.random.default_rng(6)
    # (batch, n_words, vocab_size, n_out): the lesson's window of 5 first, then sizes it never
    # uses, one word, a batch of one, an output of width one, a larger vocabulary.
    cases = [(4, 5, 12, 3), (3, 2, 7, 4), (6, 1, 9, 2), (1, 3, 6, 5), (5, 4, 10, 1), (2, 7, 300, 3)]
    for k, (batch, n_words, vocab_size, n_out) in enumerate(cases):
        ids = rng.integers(0, vocab_size, size=(batch, n_words))
        ids[0, 0] = 0  # id 0 is a word too here
        if k != 1:  # the second probe leaves out the largest id, as a real batch may
            ids[-1, -1] = vocab_size - 1
        else:
            ids = np.minimum(ids, vocab_size - 3)
        ids = ids.astype("int32" if k % 2 else "int64")
        K = rng.normal(size=(n_words * vocab_size, n_out))
        b = rng.normal(size=n_out)
        inputs = {"ids": ids, "K": K, "b": b}
        got, passed = call_on_copies(fn, inputs)
        given = f"for ids {shape_str(ids.shape)} and K {shape_str(K.shape)}"
        got = expect_array("the output", got, (batch, n_out), ("batch", "n_out"), given=given)
        expect_close(
            f"the output {given}",
            got,
            window_dense_reference(ids, K, b),
            likely_bugs=_window_bugs(ids, K, b),
        )
        expect_unchanged(inputs, passed)
