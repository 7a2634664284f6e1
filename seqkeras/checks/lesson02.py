"""Checkers for lesson 02, one cell and four shapes (RNN topologies).

Each ``check_*`` function takes the learner's function (or answer), prints the outcome and
returns a :class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet;
a wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 02.1 :func:`check_shapes`: a dict of predicted output shapes for :data:`SHAPES_QUESTION`
- 02.2 :func:`check_build_n_to_n`: ``build_n_to_n(vocab_size, num_tags, units)`` → a Keras
  model mapping token ids ``(batch, T)`` to per-step tag probabilities ``(batch, T, num_tags)``
- 02.3 :func:`check_build_n_to_1`: ``build_n_to_1(vocab_size, num_classes, units)`` → a Keras
  model mapping token ids ``(batch, T)`` to class probabilities ``(batch, num_classes)``,
  unaffected by padding
- 02.4 :func:`check_build_1_to_n`: ``build_1_to_n(n_features, steps, num_classes, units)`` →
  a Keras model mapping vectors ``(batch, n_features)`` to per-step class probabilities
  ``(batch, steps, num_classes)``
- 02.6 :func:`check_masked_mean_loss`: ``masked_mean_loss(probs, targets, mask)`` → the mean
  cross-entropy over the real (unmasked) steps of a padded batch, a number
- 02.7 :func:`check_build_n_to_m`: ``build_n_to_m(src_vocab_size, tgt_vocab_size, units)`` →
  a Keras encoder–decoder mapping ``[source ids (batch, N), decoder ids (batch, M)]`` to
  per-step probabilities ``(batch, M, tgt_vocab_size)``
- 02.8 :func:`check_one_to_n_input_grad`: ``one_to_n_input_grad(x, targets, U, W, b, V, c)``
  → dL/dx ``(batch, n_in)`` for the 1-vs-N RNN that reads the same ``x`` at every step,
  checked against central differences

How the model checkers judge a model: by what it does, not by which layers it has, so that
any correct model passes (Sequential, functional or subclassed; GRU, LSTM or SimpleRNN; a
mask from ``mask_zero=True`` or passed explicitly). Each builder is called twice, with sizes
the notebook does not use, and what was built is inspected (are ``units``, the vocabulary size
and the number of outputs the ones asked for?). Every trainable weight is then given a random
non-zero value (Keras starts biases at zero and embeddings near zero, which can hide a bug),
and the model is run, without training, on a batch of 1 with one step and on a small batch of
probe sequences that differ in one respect each: the first word, the last word, the order of
two words, padding in front. The output must change when a word that should matter changes,
and must not change when only padding changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.grading import (
    ExerciseError,
    all_layers,
    call,
    call_on_copies,
    declared_input_shape,
    exercise,
    expect_array,
    expect_close,
    expect_shape_answers,
    expect_unchanged,
    model_output,
    shape_str,
    to_numpy,
)

__all__ = [
    "check_shapes",
    "check_build_n_to_n",
    "check_build_n_to_1",
    "check_build_1_to_n",
    "check_masked_mean_loss",
    "check_build_n_to_m",
    "check_one_to_n_input_grad",
    "one_to_n_loss",
    "masked_mean_loss_reference",
    "SHAPES_QUESTION",
    "SHAPE_KEYS",
]

# --------------------------------------------------------------------------- 02.1 shapes
#: The code whose output shapes exercise 02.1 asks for, one name per line.
SHAPES_QUESTION = """\
from keras import layers
ids = np.zeros((16, 12), dtype="int32")            # 16 sequences of 12 token ids
emb = layers.Embedding(1000, 8)(ids)               # "embedding"
layers.GRU(32)(emb)                                # "gru"
layers.GRU(32, return_sequences=True)(emb)         # "gru_sequences"
layers.LSTM(32, return_state=True)(emb)            # "lstm_state": one shape per tensor returned
seq = layers.GRU(32, return_sequences=True)(emb)
layers.Dense(5, activation="softmax")(seq)         # "dense_per_step"
last = layers.GRU(32)(emb)
layers.RepeatVector(6)(last)                       # "repeat"
layers.GRU(16)(layers.GRU(32)(emb))                # "stacked": a shape, or "error" if Keras refuses
images = np.zeros((16, 64), dtype="float32")       # 16 flattened 8x8 images
layers.GRU(32, return_sequences=True)(layers.RepeatVector(6)(images))   # "caption_states"
"""

#: The names exercise 02.1 expects in the answer dict, in question order.
SHAPE_KEYS = (
    "embedding",
    "gru",
    "gru_sequences",
    "lstm_state",
    "dense_per_step",
    "repeat",
    "stacked",
    "caption_states",
)

_B, _T, _D, _H, _STEPS = 16, 12, 8, 32, 6


@functools.lru_cache(maxsize=1)
def _expected_shapes() -> tuple[tuple[str, Any], ...]:
    """Ask Keras what the question's code returns (the answer key), symbolically: the inputs
    are ``keras.Input`` placeholders of the question's shapes, so nothing is computed."""
    import keras
    from keras import layers

    def shape(t: Any) -> tuple[int, ...]:
        return tuple(int(d) for d in t.shape)

    ids = keras.Input(batch_shape=(_B, _T), dtype="int32")
    emb = layers.Embedding(1000, _D)(ids)
    seq = layers.GRU(_H, return_sequences=True)(emb)
    last = layers.GRU(_H)(emb)
    try:
        stacked: Any = shape(layers.GRU(16)(layers.GRU(_H)(emb)))
    except ValueError:
        stacked = "error"
    images = keras.Input(batch_shape=(_B, 64), dtype="float32")
    return (
        ("embedding", shape(emb)),
        ("gru", shape(last)),
        ("gru_sequences", shape(seq)),
        ("lstm_state", tuple(shape(t) for t in layers.LSTM(_H, return_state=True)(emb))),
        ("dense_per_step", shape(layers.Dense(5, activation="softmax")(seq))),
        ("repeat", shape(layers.RepeatVector(_STEPS)(last))),
        ("stacked", stacked),
        ("caption_states", shape(layers.GRU(_H, return_sequences=True)(layers.RepeatVector(_STEPS)(images)))),
    )


def _shape_diagnosis(key: str, got: Any, want: Any) -> str:
    """Why the answer ``got`` for ``key`` differs from ``want``: the likely misconception."""
    if got is None or got is Ellipsis:
        return 'not answered yet: replace it with a tuple of ints, or the string "error".'
    if got == "error":
        return (
            "Keras accepts this one: it is not an error. A recurrent layer fails only when "
            "its input has no time axis."
        )
    if isinstance(got, str):
        return (
            "write the shape as a tuple of ints such as (16, 12, 8), not as text; the only "
            'string answer is "error".'
        )
    if key == "stacked":
        return (
            "the inner GRU(32) returns only its last state, a 2-D tensor (16, 32). The outer "
            "GRU needs a 3-D input (batch, time, features), so Keras raises a ValueError: "
            'answer "error". (The fix is return_sequences=True on the inner GRU.)'
        )
    if key == "lstm_state":
        n = len(got) if isinstance(got, tuple) and got and isinstance(got[0], tuple) else 1
        if n != 3:
            return (
                "with return_state=True an LSTM returns three tensors: its output, then its "
                "final hidden state h and its final cell state C. Give a tuple of 3 shapes."
            )
        if got[0] == (_B, _T, _H):
            return (
                "return_state does not switch on return_sequences: the first tensor is still "
                "the last output only, (batch, units)."
            )
    if isinstance(got, tuple) and None in got:
        return (
            f"None stands for a size Keras does not know yet (the batch axis of a "
            f"keras.Input). Here the input is an array of {_B} rows, so every size is known."
        )
    if isinstance(got, tuple) and isinstance(want, tuple) and not isinstance(want[0], tuple):
        if got == want[1:]:
            return f"keep the batch axis: every shape starts with the batch size, {_B}."
        if key == "embedding":
            if got == (_B, _T):
                return (
                    "an Embedding replaces each id by a vector of 8 numbers: it adds an axis, "
                    "(batch, T) -> (batch, T, 8)."
                )
            if 1000 in got:
                return (
                    "the vector size is the embedding dimension (8, the second argument), not "
                    "the vocabulary size (1000)."
                )
        if key == "gru" and got == (_B, _T, _H):
            return (
                "without return_sequences a recurrent layer returns only its last state: "
                "there is no time axis, (batch, units)."
            )
        if key in ("gru_sequences", "caption_states") and got == (_B, _H):
            return (
                "return_sequences=True keeps the time axis: one state vector per step, (batch, steps, units)."
            )
        if key == "dense_per_step":
            if got == (_B, 5):
                return (
                    "a Dense layer on a 3-D tensor acts on the last axis, at every step "
                    "separately: the time axis stays, (batch, T, 5)."
                )
            if got == (_B, _T, _H):
                return "Dense(5) replaces the last axis (32 numbers) by 5 numbers."
        if key in ("repeat", "caption_states") and got == (_B, _H, _STEPS):
            return "RepeatVector(n) inserts the new time axis in the middle: (batch, n, features)."
        if key == "caption_states" and got == (_B, _STEPS, 64):
            return "the GRU maps the 64 features of each step to its 32 units."
    return "check the shapes step by step, writing each intermediate shape down."


@exercise("02.1", "predict the shapes")
def check_shapes(answer: Any) -> None:
    """Check a dict ``{name: shape}`` against what Keras returns for :data:`SHAPES_QUESTION`.

    Args:
        answer: a dict with the keys of :data:`SHAPE_KEYS`. Each value is a tuple of ints such
            as ``(16, 12, 8)`` (a list is accepted too); for ``"lstm_state"`` a tuple of three
            such tuples; for an expression Keras refuses, the string ``"error"``. ``None``
            counts as not attempted.
    """
    expect_shape_answers(answer, dict(_expected_shapes()), _shape_diagnosis, name="shapes")


# --------------------------------------------------------------------------- model helpers
#: Two outputs "differ" when some entry moves by more than this. With the random O(1) weights
#: of :func:`_randomise` a real dependence moves probabilities by 1e-2 or more, while masked
#: (skipped) steps leave them equal to float32 rounding (1e-7).
_MOVES = 1e-4


def _get_model(fn: Callable[..., Any], *args: Any) -> Any:
    """Call the learner's builder and make sure it returned a Keras model."""
    import keras

    if isinstance(fn, keras.layers.Layer):
        raise ExerciseError(
            f"you passed a {type(fn).__name__}, a model already built: pass the "
            "builder function itself (its name, without parentheses), so that "
            "the checker can call it with sizes of its own."
        )
    try:
        model = call(fn, *args)
    except ExerciseError as err:
        msg = str(err)
        if "expected ndim=3" in msg and "found ndim=2" in msg:
            raise ExerciseError(
                "building the model failed: a recurrent layer received a 2-D tensor (batch, "
                "features) but needs a sequence, 3-D (batch, steps, features). Turn the vector "
                "into a sequence first, e.g. RepeatVector(steps), or a recurrent layer before it "
                "lacks return_sequences=True.\n" + msg
            ) from None
        raise
    if model is None:
        raise ExerciseError("your function returned None: did you forget to `return` the model?")
    if isinstance(model, keras.Model):
        return model
    if isinstance(model, keras.KerasTensor):
        raise ExerciseError(
            "your function returned a tensor (the output of the last layer), not "
            "a model: wrap inputs and outputs into one, "
            "return keras.Model(inputs, outputs)."
        )
    if isinstance(model, keras.layers.Layer):
        raise ExerciseError(
            f"your function returned a single layer ({type(model).__name__}), "
            "not a model: return keras.Sequential([...]) with all the layers, "
            "or keras.Model(inputs, outputs)."
        )
    if isinstance(model, (list, tuple)):
        raise ExerciseError(
            f"your function returned a {type(model).__name__} of {len(model)} "
            "items: return only the model (a keras.Model or keras.Sequential)."
        )
    if hasattr(model, "shape"):
        raise ExerciseError(
            f"your function returned an array of shape {tuple(model.shape)}, "
            "which looks like the output of a model: return the model itself "
            "(a keras.Model or keras.Sequential), not what it computes."
        )
    raise ExerciseError(
        f"return the model itself (a keras.Model or keras.Sequential), got {type(model).__name__}."
    )


def _expect_probabilities(out: np.ndarray, over: str) -> None:
    """Fail unless the last axis of ``out`` holds probability vectors."""
    sums = out.sum(axis=-1)
    if out.min() < -1e-6 or not np.allclose(sums, 1.0, atol=1e-4):
        worst = sums.ravel()[np.argmax(np.abs(sums - 1.0).ravel())]
        raise ExerciseError(
            f"the outputs are not probabilities over the {over} (each vector along the last "
            f"axis should be >= 0 and sum to 1; one of yours sums to {worst:.3g}"
            + (f" and the smallest entry is {out.min():.3g}" if out.min() < -1e-6 else "")
            + "): use activation='softmax' on the last Dense layer."
        )


def _recurrent_units(model: Any) -> list[int]:
    """The ``units`` of every recurrent layer in ``model`` (GRU, LSTM, SimpleRNN, RNN(cell))."""
    import keras

    units = []
    for layer in all_layers(model):
        if isinstance(layer, keras.layers.RNN):
            n = getattr(layer, "units", None) or getattr(getattr(layer, "cell", None), "units", None)
            if isinstance(n, (int, np.integer)):
                units.append(int(n))
    return units


def _has_layer(model: Any, name: str) -> bool:
    import keras

    kind = getattr(keras.layers, name)
    return any(isinstance(layer, kind) for layer in all_layers(model))


def _check_built_with(model: Any, *, units: int, vocab_size: int | None = None) -> None:
    """Fail if the model ignores ``units`` or ``vocab_size``, by inspecting its layers (which
    exist as soon as the builder returns, so this runs before the model is first called)."""
    import keras

    found = _recurrent_units(model)
    if found and units not in found:
        raise ExerciseError(
            f"the builder was called with units={units}, but your recurrent layer has "
            f"{found[0]} units: pass the argument on, e.g. GRU(units, ...), instead of a "
            "fixed number."
        )
    if vocab_size is None:
        return
    rows = [int(layer.input_dim) for layer in all_layers(model) if isinstance(layer, keras.layers.Embedding)]
    if rows and not any(vocab_size <= r <= vocab_size + 1 for r in rows):
        raise ExerciseError(
            f"the builder was called with vocab_size={vocab_size}, but your Embedding has a "
            f"table of {rows[0]} rows: use the argument, Embedding(vocab_size, ...), so that "
            "every id from 0 to vocab_size - 1 has a vector (and no row is wasted)."
        )


def _randomise(model: Any, seed: int) -> None:
    """Give every trainable weight a random non-zero value of a sensible scale.

    Kernels get ``N(0, 1/fan_in)`` (pre-activations of order 1, tanh neither saturated nor
    linear), biases ``N(0, 0.25)``, embeddings ``N(0, 1)``. Non-trainable weights (e.g. a
    frozen layer used to make zeros) are left alone.
    """
    rng = np.random.default_rng(seed)
    for var in model.trainable_variables:
        shape = tuple(int(d) for d in var.shape)
        if len(shape) < 2:
            scale = 0.5
        elif str(var.name).split("/")[-1].startswith("embeddings"):
            scale = 1.0
        else:
            scale = 1.0 / np.sqrt(shape[0])
        try:
            var.assign(rng.normal(0.0, scale, size=shape).astype(str(var.dtype)))
        except Exception:  # a weight that cannot take new values: keep what it has
            pass


def _moved(a: np.ndarray, b: np.ndarray) -> float:
    """The largest change between two outputs of the same shape."""
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


def _words(rng: np.random.Generator, vocab_size: int, n: int) -> tuple[np.ndarray, int]:
    """``n`` distinct ids in 1..vocab_size-1, including the largest id, and one id not among them."""
    ids = rng.permutation(np.arange(1, vocab_size))[: n + 1]
    if vocab_size - 1 not in ids[:n]:
        ids[n // 2] = vocab_size - 1
    return ids[:n].astype("int32"), int(ids[n])


def _padding_message(model: Any, change: float, where: str) -> str:
    msg = (
        f"padding (id 0) {where} changes your model's output (largest change {change:.3g}): "
        "the recurrent layer reads the padding as if it were words. "
    )
    if _has_layer(model, "Masking"):
        return msg + (
            "A Masking layer after the Embedding masks nothing: it hides steps whose "
            "vectors are all zeros, and an embedding vector is never all zeros. Use "
            "Embedding(vocab_size, ..., mask_zero=True) instead."
        )
    return msg + (
        "Mask it: Embedding(vocab_size, ..., mask_zero=True), or pass "
        "mask=keras.ops.not_equal(ids, 0) to the recurrent layer."
    )


# --------------------------------------------------------------------------- 02.2 N vs N
def _expect_per_step(out: np.ndarray, shape: tuple[int, int, int], units: int) -> None:
    """Fail unless an N-vs-N output has ``shape`` (batch, steps, num_tags)."""
    batch, steps, num_tags = shape
    if out.ndim == 2 and out.shape[0] == batch:
        raise ExerciseError(
            f"your model returns one vector per sequence, shape {out.shape}, but a tagger needs "
            "one per word: set return_sequences=True on the recurrent layer so it gives its "
            "state at every step (N vs N)."
        )
    if out.ndim != 3 or out.shape[:2] != (batch, steps):
        raise ExerciseError(
            f"for a batch of shape ({batch}, {steps}) the output has shape "
            f"{out.shape}, expected {shape}: (batch, steps, tags)."
        )
    if out.shape[2] != num_tags:
        extra = (
            " These look like the recurrent states themselves: add "
            "Dense(num_tags, activation='softmax') on top."
            if out.shape[2] == units
            else ""
        )
        raise ExerciseError(
            f"the builder was called with num_tags={num_tags}, but each step "
            f"has {out.shape[2]} numbers: end with Dense(num_tags, "
            "activation='softmax'), one probability per tag." + extra
        )


@exercise("02.2", "build_n_to_n")
def check_build_n_to_n(fn: Callable[..., Any]) -> None:
    """Check an N-vs-N tagger builder ``fn(vocab_size, num_tags, units)``.

    The model must map token ids ``(batch, T)`` (any ``T``, 0 = padding) to tag
    probabilities ``(batch, T, num_tags)``; padding must have no effect on the words' outputs
    (it is masked); the output at a word must depend on the words before it, in order (a
    recurrent layer with ``return_sequences=True``; bidirectional is fine).
    """
    vocab_size, num_tags, units = 37, 5, 7
    model = _get_model(fn, vocab_size, num_tags, units)
    n, pad = 6, 4
    words, other = _words(np.random.default_rng(2), vocab_size, n)
    first, swapped = words.copy(), words.copy()
    first[0] = other
    swapped[[0, 1]] = swapped[[1, 0]]
    zeros = np.zeros(pad, dtype="int32")
    probe = np.stack(
        [np.concatenate([w, zeros]) for w in (words, first, swapped)] + [np.concatenate([zeros, words])]
    )  # (4, 10)
    _check_built_with(model, units=units, vocab_size=vocab_size)
    _expect_per_step(model_output(model, probe, "a batch of token ids"), probe.shape + (num_tags,), units)
    _randomise(model, seed=22)
    out = model_output(model, probe, "a batch of token ids")
    _expect_probabilities(out, "tags")
    base, last = out[0, :n], n - 1
    change = _moved(out[3, pad:], base)
    if change > _MOVES:
        raise ExerciseError(_padding_message(model, change, "in front of the words"))
    if _moved(out[1, last], base[last]) <= _MOVES:
        raise ExerciseError(
            f"the output at word {n} does not change when the first word changes: each word is "
            "tagged on its own. Put a recurrent layer (GRU, LSTM or SimpleRNN with "
            "return_sequences=True) between the Embedding and the Dense layer, so that the "
            "state carries the earlier words."
        )
    if _moved(out[2, last], base[last]) <= _MOVES:
        raise ExerciseError(
            f"swapping the first two words leaves the output at word {n} unchanged: your model "
            "treats the words before it as a bag (a sum or an average) and ignores their order. "
            "A recurrent layer reads them in order: use one (return_sequences=True) instead."
        )

    vocab_b, tags_b, units_b = 23, 3, units  # other sizes; a batch of 1, one step
    model_b = _get_model(fn, vocab_b, tags_b, units_b)
    _check_built_with(model_b, units=units_b, vocab_size=vocab_b)
    one = model_output(model_b, np.array([[vocab_b - 1]], dtype="int32"), "one sequence of one token")
    _expect_per_step(one, (1, 1, tags_b), units_b)


# --------------------------------------------------------------------------- 02.3 N vs 1
def _expect_per_sequence(out: np.ndarray, shape: tuple[int, int], steps: int) -> None:
    """Fail unless an N-vs-1 output has ``shape`` (batch, num_classes)."""
    batch, num_classes = shape
    if out.ndim == 3 and out.shape[:2] == (batch, steps):
        raise ExerciseError(
            f"your model returns a sequence, shape {out.shape}: one output per step. N vs 1 "
            "reads only the last state: set return_sequences=False (the default) on the last "
            "recurrent layer."
        )
    if out.ndim != 2 or out.shape[0] != batch:
        raise ExerciseError(
            f"for a batch of shape ({batch}, {steps}) the output has shape "
            f"{out.shape}, expected {shape}: (batch, classes)."
        )
    if out.shape[1] != num_classes:
        extra = (
            f" With one sigmoid output you get a yes/no model; here there are {num_classes} classes."
            if out.shape[1] == 1
            else ""
        )
        raise ExerciseError(
            f"the builder was called with num_classes={num_classes}, but each "
            f"sequence gets {out.shape[1]} numbers: end with "
            "Dense(num_classes, activation='softmax'), one probability per "
            "class." + extra
        )


@exercise("02.3", "build_n_to_1")
def check_build_n_to_1(fn: Callable[..., Any]) -> None:
    """Check an N-vs-1 classifier builder ``fn(vocab_size, num_classes, units)``.

    The model must map token ids ``(batch, T)`` (any ``T``, 0 = padding) to class
    probabilities ``(batch, num_classes)`` read from the last state: the same answer however
    much padding surrounds the words; a different answer when the first word, the last word
    or the order of two words changes.
    """
    vocab_size, num_classes, units = 41, 4, 7
    model = _get_model(fn, vocab_size, num_classes, units)
    n, pad = 6, 4
    words, other = _words(np.random.default_rng(3), vocab_size, n)
    first, final, swapped = words.copy(), words.copy(), words.copy()
    first[0] = other
    final[-1] = other
    swapped[[2, 3]] = swapped[[3, 2]]
    zeros = np.zeros(pad, dtype="int32")
    probe = np.stack(
        [np.concatenate([w, zeros]) for w in (words, first, final, swapped)]
        + [np.concatenate([zeros, words])]
    )  # (5, 10)
    _check_built_with(model, units=units, vocab_size=vocab_size)
    _expect_per_sequence(
        model_output(model, probe, "a batch of token ids"), (len(probe), num_classes), probe.shape[1]
    )
    _randomise(model, seed=23)
    out = model_output(model, probe, "a batch of token ids")
    _expect_probabilities(out, "classes")
    if _moved(out[2], out[0]) <= _MOVES:
        raise ExerciseError(
            "the prediction does not change when the LAST word changes: it is read from an "
            "early step (the first output?) instead of the state after the last word. With "
            "return_sequences=False (the default) the recurrent layer hands on its last state; "
            "do not pick a step yourself."
        )
    if _moved(out[1], out[0]) <= _MOVES:
        raise ExerciseError(
            "the prediction does not change when the FIRST word changes: the model only sees "
            "the end of the sequence. Read the whole sequence with a recurrent layer and use "
            "its last state."
        )
    if _moved(out[3], out[0]) <= _MOVES:
        raise ExerciseError(
            "swapping two words leaves the prediction unchanged: your model treats the sequence "
            "as a bag of words (pooling, a sum or an average) and ignores their order. Use a "
            "recurrent layer and read its last state."
        )
    change = _moved(out[4], out[0])
    if change > _MOVES:
        raise ExerciseError(_padding_message(model, change, "moved from after the words to in front of them"))

    vocab_b, classes_b, units_b = 19, 6, units  # other sizes; a batch of 1, one step
    model_b = _get_model(fn, vocab_b, classes_b, units_b)
    _check_built_with(model_b, units=units_b, vocab_size=vocab_b)
    one = model_output(model_b, np.array([[vocab_b - 1]], dtype="int32"), "one sequence of one token")
    _expect_per_sequence(one, (1, classes_b), 1)


# --------------------------------------------------------------------------- 02.4 1 vs N
def _expect_steps(out: np.ndarray, shape: tuple[int, int, int]) -> None:
    """Fail unless a 1-vs-N output has ``shape`` (batch, steps, num_classes)."""
    batch, steps, num_classes = shape
    if out.ndim == 2 and out.shape[0] == batch:
        raise ExerciseError(
            f"your model returns one vector per input, shape {out.shape}: set "
            "return_sequences=True on the recurrent layer so it gives an output at each of "
            "the `steps` steps."
        )
    if out.ndim != 3 or out.shape[0] != batch:
        raise ExerciseError(f"the output has shape {out.shape}, expected {shape}: (batch, steps, classes).")
    if out.shape[1] != steps:
        raise ExerciseError(
            f"with steps={steps} the output has {out.shape[1]} steps: use the argument "
            "`steps` (e.g. RepeatVector(steps)), not a fixed number."
        )
    if out.shape[2] != num_classes:
        raise ExerciseError(
            f"the builder was called with num_classes={num_classes}, but each "
            f"step has {out.shape[2]} numbers: end with Dense(num_classes, "
            "activation='softmax'), one probability per class."
        )


def _vectors_of(model: Any, n_features: int) -> None:
    """Fail if the model's declared input does not have ``n_features`` features."""
    declared = declared_input_shape(model)
    if declared is not None and declared[-1] not in (None, n_features):
        raise ExerciseError(
            f"the builder was called with n_features={n_features}, but your "
            f"model's input has {declared[-1]} features: use "
            "keras.Input(shape=(n_features,))."
        )


@exercise("02.4", "build_1_to_n")
def check_build_1_to_n(fn: Callable[..., Any]) -> None:
    """Check a 1-vs-N generator builder ``fn(n_features, steps, num_classes, units)``.

    The model must map vectors ``(batch, n_features)`` to class probabilities at every step,
    ``(batch, steps, num_classes)``, where every step (the last one too) depends on the input
    vector and the steps differ from each other. Any way of feeding the vector (first step
    only, every step, or as the initial state) is accepted.
    """
    n_features, steps, num_classes, units = 5, 4, 3, 7
    model = _get_model(fn, n_features, steps, num_classes, units)
    _vectors_of(model, n_features)
    x = np.random.default_rng(4).normal(size=(4, n_features)).astype("float32")
    _check_built_with(model, units=units)
    _expect_steps(model_output(model, x, "a batch of input vectors"), (len(x), steps, num_classes))
    _randomise(model, seed=24)
    out = model_output(model, x, "a batch of input vectors")
    _expect_probabilities(out, "classes")
    if _moved(out[1], out[0]) <= _MOVES:
        raise ExerciseError(
            "the outputs do not depend on the input vector: make sure it "
            "reaches the recurrent layer (as its input or initial state)."
        )
    if _moved(out[1, -1], out[0, -1]) <= _MOVES:
        raise ExerciseError(
            "the first step depends on the input vector but the last step does not: nothing "
            "carries the input from step to step. Put a recurrent layer (return_sequences=True) "
            "between the input and the Dense layer, so that its state carries it."
        )
    if max(_moved(out[:, t], out[:, 0]) for t in range(1, steps)) <= _MOVES:
        raise ExerciseError(
            "every step gives the same output, so the model cannot write a sequence (at most "
            "one letter, repeated). The steps must differ through a recurrent state: repeat the "
            "vector BEFORE a recurrent layer with return_sequences=True (not after it), then "
            "the Dense layer."
        )

    # A recurrent layer shares its weights across the steps: more steps, the same weights. A
    # Dense layer that writes all the steps at once (Dense(steps * classes) + Reshape) does not.
    if not _recurrent_units(model):
        raise ExerciseError(
            "your model has no recurrent layer: its steps are not produced one after the other "
            "by a state that carries the input along. Put a recurrent layer (GRU(units, "
            "return_sequences=True)) between the input and the Dense layer."
        )
    longer = _get_model(fn, n_features, steps + 5, num_classes, units)
    model_output(longer, x, "a batch of input vectors")
    if longer.count_params() != model.count_params():
        raise ExerciseError(
            f"your model has {model.count_params()} weights for steps={steps} but "
            f"{longer.count_params()} for steps={steps + 5}: some layer writes every step at once "
            "(e.g. Dense(steps * num_classes) and a Reshape). A recurrent layer shares the same "
            "weights across the steps: let a GRU(units, return_sequences=True) produce the steps, "
            "and one Dense(num_classes) read each of them."
        )

    n_features_b, steps_b, classes_b, units_b = 9, 1, 6, units  # other sizes; batch 1, 1 step
    model_b = _get_model(fn, n_features_b, steps_b, classes_b, units_b)
    _vectors_of(model_b, n_features_b)
    one = model_output(model_b, np.ones((1, n_features_b), dtype="float32"), "one input vector")
    _expect_steps(one, (1, steps_b, classes_b))
    _check_built_with(model_b, units=units_b)


# --------------------------------------------------------------------------- 02.6 masked loss
def masked_mean_loss_reference(probs: np.ndarray, targets: np.ndarray, mask: np.ndarray) -> float:
    """The mean cross-entropy (nats) over the real steps of a padded batch.

    Args:
        probs: ``(batch, T, n_out)`` predicted probabilities, one distribution per step.
        targets: ``(batch, T)`` integer class ids; anything on padded steps.
        mask: ``(batch, T)`` booleans, True on real steps, False on padding.

    Returns:
        ``-mean over real steps of log probs[b, t, targets[b, t]]``; padded steps (whatever
        they hold, even a probability of 0) do not count.
    """
    real = np.asarray(mask, dtype=bool)
    picked = np.take_along_axis(probs, np.where(real, targets, 0)[..., None], axis=-1)[..., 0]
    return float(-np.log(picked[real]).sum() / real.sum())


def _per_step_nll(probs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``(batch, T)``: -log of the target's probability at every step, padded ones included."""
    with np.errstate(divide="ignore"):
        return -np.log(np.take_along_axis(probs, targets[..., None], axis=-1)[..., 0])


def _loss_bugs(probs: np.ndarray, targets: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """What the likely wrong answers give on this probe (diagnosis -> value)."""
    nll, m = _per_step_nll(probs, targets), mask.astype(float)
    batch, T = mask.shape
    real = (nll * m).sum()
    with np.errstate(all="ignore"):  # some bugs divide by zero on some probes: that is their value
        per_row = (nll * m).sum(axis=1) / m.sum(axis=1)
        inverted = (nll * (1 - m)).sum() / (1 - m).sum()
    every_step, in_bits = real / (batch * T), real / m.sum() / np.log(2)
    clipped = masked_mean_loss_reference(np.clip(probs, 1e-7, 1.0), targets, mask)
    return {
        f"you divide by every step, padded ones too ({batch} × {T} = {batch * T}): divide the "
        f"sum over real steps by the NUMBER of real steps, mask.sum() ({int(m.sum())} here).": every_step,
        "the padded steps count: your loss is the mean over every step. Keep only the steps where "
        "mask is True.": nll.mean(),
        "the mask is inverted: you average over the PADDED steps. mask is True on the real steps.": inverted,
        "you return the sum over the real steps: divide it by their number, mask.sum(), to "
        "get the mean.": real,
        f"you divide by the batch size ({batch}): the mean is over real steps, so divide by "
        "their number, mask.sum().": real / batch,
        "you take the mean of each sequence first, then the mean of those: a short sequence "
        "then weighs as much as a long one. Average over all real steps of the batch "
        "together.": float(np.nanmean(per_row)),
        "the sign is wrong: the cross-entropy is MINUS the log-probability of the target, a "
        "positive number.": -real / m.sum(),
        "you use log base 2 or 10: the loss is in nats, so use the natural log, np.log.": in_bits,
        "the probabilities are clipped at 1e-7 (np.clip, or a Keras loss, which clips): a "
        "confident, wrong model's true loss is far larger. Take the log of the probabilities "
        "as they are.": clipped,
    }


def _loss_value(fn: Callable[..., Any], probs: np.ndarray, targets: np.ndarray, mask: np.ndarray) -> float:
    """The learner's loss on copies of the inputs, as a float; inputs checked unchanged."""
    inputs = {"probs": probs, "targets": targets, "mask": mask}
    got, passed = call_on_copies(fn, inputs)
    given = f"for probs {shape_str(probs.shape)}"
    arr = expect_array("the loss", got)
    if arr.size != 1:
        raise ExerciseError(
            f"the loss has shape {shape_str(arr.shape)} {given}; it should be one number, the "
            "mean over all real steps of the batch (did you average over one axis only?)."
        )
    expect_unchanged(inputs, passed)
    return float(arr.reshape(()))


def _probe(rng: np.random.Generator, lengths: list[int], T: int, n_out: int) -> tuple[np.ndarray, ...]:
    """probs ``(batch, T, n_out)``, targets ``(batch, T)``, mask ``(batch, T)`` (True on the first
    ``lengths[i]`` steps of row ``i``); padded steps hold random targets and probabilities."""
    logits = rng.normal(size=(len(lengths), T, n_out)) * 2
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    targets = rng.integers(0, n_out, size=(len(lengths), T))
    mask = np.arange(T)[None, :] < np.array(lengths)[:, None]
    return probs, targets, mask


@exercise("02.6", "masked_mean_loss")
def check_masked_mean_loss(fn: Callable[..., Any]) -> None:
    """Check ``fn(probs, targets, mask)``: the mean cross-entropy over the real steps only.

    Args:
        fn: the learner's function; ``probs`` ``(batch, T, n_out)``, ``targets`` ``(batch, T)``
            integer ids, ``mask`` ``(batch, T)`` booleans (True = a real step). It must return
            one number, ``-sum(log p(target) over real steps) / number of real steps``.
    """
    rng = np.random.default_rng(26)
    # Rows of different lengths, so that "mean of means" and "divide by batch x T" differ.
    probs, targets, mask = _probe(rng, [5, 3, 1, 4], T=5, n_out=4)
    got = _loss_value(fn, probs, targets, mask)
    expect_close(
        "the loss",
        got,
        masked_mean_loss_reference(probs, targets, mask),
        likely_bugs=_loss_bugs(probs, targets, mask),
    )
    # Padded steps may hold anything: other targets, other probabilities.
    probs2, targets2 = probs.copy(), targets.copy()
    pad = ~mask
    probs2[pad] = rng.dirichlet(np.ones(4), size=int(pad.sum()))
    targets2[pad] = (targets2[pad] + 1) % 4
    got2 = _loss_value(fn, probs2, targets2, mask)
    if abs(got2 - got) > 1e-6:
        raise ExerciseError(
            f"changing only the padded steps changes your loss (from {got:.6g} to {got2:.6g}): "
            "padded steps must not count at all. Use the mask to keep the real steps only."
        )
    # A model's output on a padded step means nothing: a probability of 0 there is allowed.
    probs3 = probs.copy()
    rows, steps = np.nonzero(pad)
    probs3[rows, steps] = 0.0
    probs3[rows, steps, (targets[rows, steps] + 1) % 4] = 1.0  # the target's probability is 0
    got3 = _loss_value(fn, probs3, targets, mask)
    if not np.isfinite(got3):
        raise ExerciseError(
            f"your loss is {got3} when a PADDED step gives its target a probability of 0: log(0) "
            "is -inf, and -inf × 0 (the mask) is nan, not 0. Pick the real steps before taking "
            "the log, e.g. nll[mask] or np.where(mask, probs_of_targets, 1.0)."
        )
    expect_close("the loss when padded steps hold probabilities of 0", got3, got)
    # A row that is all padding adds nothing (and must not give 0 / 0).
    probs4, targets4, mask4 = _probe(rng, [0, 6, 2], T=6, n_out=3)
    got4 = _loss_value(fn, probs4, targets4, mask4)
    if not np.isfinite(got4):
        raise ExerciseError(
            f"your loss is {got4} for a batch in which one sequence is all padding: a row with "
            "no real step must simply add nothing. (Dividing each row by its own length gives "
            "0 / 0 there: average over all real steps of the batch at once.)"
        )
    expect_close(
        "the loss for a batch with a row of padding only",
        got4,
        masked_mean_loss_reference(probs4, targets4, mask4),
        likely_bugs=_loss_bugs(probs4, targets4, mask4),
    )
    # A batch of one sequence of one step; a long sequence with a confident, wrong model.
    for lengths, T, n_out, scale in (([1], 1, 3, 1.0), ([250, 90], 250, 7, 20.0)):
        probs5, targets5, mask5 = _probe(rng, lengths, T=T, n_out=n_out)
        if scale != 1.0:
            logits = rng.normal(size=probs5.shape) * scale
            logits -= logits.max(axis=-1, keepdims=True)
            probs5 = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
        got5 = _loss_value(fn, probs5, targets5, mask5)
        expect_close(
            f"the loss for probs {shape_str(probs5.shape)}",
            got5,
            masked_mean_loss_reference(probs5, targets5, mask5),
            rtol=1e-6,
            likely_bugs=_loss_bugs(probs5, targets5, mask5),
        )


# --------------------------------------------------------------------------- 02.7 N vs M
def _two_inputs_output(model: Any, src: np.ndarray, dec: np.ndarray, what: str) -> np.ndarray:
    """The learner's encoder-decoder run on ``[src, dec]`` (no training), as a float array."""
    try:
        out = model([src, dec], training=False)
    except Exception as err:  # learner model: say what it was given, with the error in full
        text = str(err).replace("\x1b[1m", "").replace("\x1b[0m", "").strip()
        raise ExerciseError(
            f"calling your model on [source ids {src.shape}, decoder ids {dec.shape}] ({what}) "
            f"raised {type(err).__name__}: {text}\nThe model takes a list of two inputs, each "
            "keras.Input(shape=(None,), dtype='int32'), so that N and M can be any lengths."
        ) from None
    if isinstance(out, (list, tuple, dict)):
        raise ExerciseError(
            f"your model returns {len(out)} tensors; it should return one, the decoder's "
            "probabilities (batch, M, tgt_vocab_size). Did you pass the encoder's "
            "return_state=True output on as the model's output?"
        )
    arr = to_numpy(out)
    if not np.all(np.isfinite(arr)):
        raise ExerciseError(f"on {what} your model's output contains NaN or infinity.")
    return arr


def _expect_decoder_shape(out: np.ndarray, batch: int, n: int, m: int, vocab: int, units: int) -> None:
    """Fail unless ``out`` has shape (batch, M, vocab), naming the likely mix-up."""
    if out.shape == (batch, m, vocab):
        return
    msg = (
        f"for source ids ({batch}, {n}) and decoder ids ({batch}, {m}) the output has shape "
        f"{out.shape}, expected {(batch, m, vocab)}: one distribution over the target vocabulary "
        "per DECODER step."
    )
    if out.ndim == 2:
        msg += " Yours has no time axis: the decoder's recurrent layer needs return_sequences=True."
    elif out.ndim == 3 and out.shape[1] == n and n != m:
        msg += (
            " Yours has one step per SOURCE token: the output must follow the decoder's input "
            "(the decoder reads the decoder ids, starting from the encoder's final state)."
        )
    elif out.ndim == 3 and out.shape[2] == units:
        msg += " These look like the decoder's states: add Dense(tgt_vocab_size, activation='softmax')."
    elif out.ndim == 3 and out.shape[2] != vocab:
        msg += (
            f" Each step has {out.shape[2]} numbers: the last layer needs tgt_vocab_size units "
            "(the builder's argument, not a fixed number)."
        )
    raise ExerciseError(msg)


def _check_vocabularies(model: Any, src_vocab: int, tgt_vocab: int, units: int) -> None:
    """Fail if the model ignores ``units``, ``src_vocab_size`` or ``tgt_vocab_size``."""
    import keras

    found = _recurrent_units(model)
    if found and units not in found:
        raise ExerciseError(
            f"the builder was called with units={units}, but your recurrent layers have "
            f"{sorted(set(found))} units: use the argument (the decoder's state must have the "
            "size of the encoder's, since it starts from it)."
        )
    rows = sorted(
        int(layer.input_dim) for layer in all_layers(model) if isinstance(layer, keras.layers.Embedding)
    )
    if len(rows) < 2:  # an input that reaches no Embedding: the probes below will say which
        return
    for name, size in (("src_vocab_size", src_vocab), ("tgt_vocab_size", tgt_vocab)):
        if not any(size <= r <= size + 1 for r in rows):
            raise ExerciseError(
                f"the builder was called with {name}={size}, but your Embedding tables have "
                f"{rows} rows: give each its vocabulary's size (the source and the target have "
                "vocabularies of their own)."
            )


@exercise("02.7", "build_n_to_m")
def check_build_n_to_m(fn: Callable[..., Any]) -> None:
    """Check an encoder–decoder builder ``fn(src_vocab_size, tgt_vocab_size, units)``.

    The model takes ``[src_ids (batch, N), dec_ids (batch, M)]`` (any N and M; 0 = padding in
    the source) and returns ``(batch, M, tgt_vocab_size)`` probabilities. Judged by probes:
    the output follows M, not N; every decoder step depends on the source (the context
    reaches the decoder), also after padding (masked); step ``t`` depends on decoder inputs
    ``1..t`` and not on later ones (a left-to-right decoder); the last step depends on the
    first decoder input (a recurrent decoder).
    """
    src_vocab, tgt_vocab, units = 29, 11, 6
    model = _get_model(fn, src_vocab, tgt_vocab, units)
    _check_vocabularies(model, src_vocab, tgt_vocab, units)
    rng = np.random.default_rng(27)
    n, pad, m = 5, 3, 4
    words, other = _words(rng, src_vocab, n)
    dec = rng.integers(1, tgt_vocab, size=m).astype("int32")
    zeros = np.zeros(pad, dtype="int32")
    first, dec_early, dec_late = words.copy(), dec.copy(), dec.copy()
    first[0] = other
    dec_early[0] = (dec[0] % (tgt_vocab - 1)) + 1  # another id, never 0
    dec_late[2] = (dec[2] % (tgt_vocab - 1)) + 1
    base, first_src = np.concatenate([words, zeros]), np.concatenate([first, zeros])
    # rows: the base probe; another first source word; another first / third decoder input
    src = np.stack([base, first_src, base, base]).astype("int32")  # (4, N + pad)
    dec_ids = np.stack([dec, dec, dec_early, dec_late]).astype("int32")  # (4, M)
    src_more_pad = np.concatenate([src, np.zeros((len(src), 4), dtype="int32")], axis=1)
    out = _two_inputs_output(model, src, dec_ids, "a batch of probes")
    _expect_decoder_shape(out, len(src), src.shape[1], m, tgt_vocab, units)
    _randomise(model, seed=27)
    out = _two_inputs_output(model, src, dec_ids, "a batch of probes")
    _expect_probabilities(out, "target tokens")
    if _moved(out[1, -1], out[0, -1]) <= _MOVES:
        if _moved(out[1, 0], out[0, 0]) > _MOVES:
            raise ExerciseError(
                "the first decoder step depends on the source but the last one does not: "
                "nothing carries the context along the decoder. Use a recurrent decoder that "
                "starts from the encoder's final state (initial_state=...)."
            )
        raise ExerciseError(
            "changing the first source word changes nothing in the output: the context never "
            "reaches the decoder. Keep the encoder's final state (return_state=True) and start "
            "the decoder from it: decoder(..., initial_state=state)."
        )
    out_pad = _two_inputs_output(model, src_more_pad, dec_ids, "the probes with more padding")
    change = _moved(out_pad, out)
    if change > _MOVES:
        raise ExerciseError(
            f"more padding after the source words changes the output (largest change "
            f"{change:.3g}): the encoder reads the padding as words, so its final state is not "
            "the state after the last word. Mask it: Embedding(src_vocab_size, ..., mask_zero=True)."
        )
    if _moved(out[3, :2], out[0, :2]) > _MOVES:
        raise ExerciseError(
            "changing decoder input 3 changes the outputs at steps 1 and 2: your decoder looks "
            "ahead. A decoder writes left to right, so step t may use decoder inputs 1..t only "
            "(no Bidirectional decoder, no pooling over the decoder inputs)."
        )
    if _moved(out[3, 2], out[0, 2]) <= _MOVES:
        raise ExerciseError(
            "changing decoder input 3 leaves the output at step 3 unchanged: the decoder does "
            "not read its inputs. Feed the decoder ids (through their own Embedding) to the "
            "decoder's recurrent layer."
        )
    if _moved(out[2, -1], out[0, -1]) <= _MOVES:
        raise ExerciseError(
            "the last output does not change when the FIRST decoder input changes: each step is "
            "computed on its own. The decoder needs a recurrent layer with "
            "return_sequences=True, so its state carries what it has read."
        )
    # Other sizes: a batch of one, N = 1 and M = 6, then N = 8 and M = 1.
    src_b, tgt_b, units_b = 13, 17, 5
    model_b = _get_model(fn, src_b, tgt_b, units_b)
    _check_vocabularies(model_b, src_b, tgt_b, units_b)
    for n_b, m_b in ((1, 6), (8, 1)):
        s = np.full((1, n_b), src_b - 1, dtype="int32")
        d = np.full((1, m_b), tgt_b - 1, dtype="int32")
        one = _two_inputs_output(model_b, s, d, f"one source of {n_b} and {m_b} decoder steps")
        _expect_decoder_shape(one, 1, n_b, m_b, tgt_b, units_b)


# --------------------------------------------------------------------------- 02.8 input gradient
def one_to_n_loss(
    x: np.ndarray,
    targets: np.ndarray,
    U: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    V: np.ndarray,
    c: np.ndarray,
) -> float:
    """The loss of the 1-vs-N RNN that reads the same vector at every step.

    ``h_t = tanh(x U + h_{t-1} W + b)`` with ``h_0 = 0``, ``y_t = softmax(h_t V + c)`` for
    ``t = 1..T``, and the loss is the mean of ``-log y_t[targets[:, t]]`` over the batch and
    the steps (what Keras' ``sparse_categorical_crossentropy`` reports).

    Args:
        x: ``(batch, n_in)``, one vector per example, fed at every step.
        targets: ``(batch, T)`` integer class ids; ``T`` is the number of steps.
        U, W, b, V, c: ``(n_in, n_h)``, ``(n_h, n_h)``, ``(n_h,)``, ``(n_h, n_out)``, ``(n_out,)``.
    """
    T = targets.shape[1]
    hs = ref.rnn_forward(np.repeat(x[:, None, :], T, axis=1), None, U, W, b)  # (batch, T, n_h)
    probs = ref.rnn_output(hs, V, c)  # (batch, T, n_out)
    picked = np.take_along_axis(probs, targets[..., None], axis=-1)[..., 0]
    return float(-np.log(picked).mean())


def _input_grad_variants(
    x: np.ndarray,
    targets: np.ndarray,
    U: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    V: np.ndarray,
    c: np.ndarray,
) -> dict[str, np.ndarray]:
    """dL/dx by backpropagation through time, and what the likely bugs give instead
    (``"right"`` is the correct one; the others are keyed by their diagnosis)."""
    batch, T = targets.shape
    hs = ref.rnn_forward(np.repeat(x[:, None, :], T, axis=1), None, U, W, b)
    probs = ref.rnn_output(hs, V, c)
    dz = (probs - np.eye(V.shape[1])[targets]) / (batch * T)  # (batch, T, n_out)
    dhs = dz @ V.T  # what each output sends to its state, (batch, T, n_h)
    slope = 1.0 - hs**2  # tanh'
    das, dh_next = np.zeros_like(hs), np.zeros_like(hs[:, 0])
    for t in reversed(range(T)):
        das[:, t] = (dhs[:, t] + dh_next) * slope[:, t]
        dh_next = das[:, t] @ W.T
    per_step = das @ U.T  # (batch, T, n_in): the gradient at each step's copy of x
    right = per_step.sum(axis=1)
    no_chain = ((dhs * slope) @ U.T).sum(axis=1)
    no_slope_das, dh_next = np.zeros_like(hs), np.zeros_like(hs[:, 0])
    for t in reversed(range(T)):
        no_slope_das[:, t] = dhs[:, t] + dh_next
        dh_next = no_slope_das[:, t] @ W.T
    variants = {
        "right": right,
        "only the FIRST step's copy of x counts, as if x entered at step 1 only: here x enters "
        "every step, and each copy sends back its own gradient. Add them up over the steps "
        "(as lesson 01 added up U's gradient).": per_step[:, 0],
        "only the LAST step's copy of x counts: x enters every step, and each copy sends back "
        "its own gradient. Add them up over the steps.": per_step[:, -1],
        "you average the steps' gradients: x is used at every step, so its gradient is the SUM "
        "of what each step sends back.": per_step.mean(axis=1),
        "the gradient does not flow back through the state: at step t, dL/dh_t is what the "
        "output y_t sends PLUS what step t + 1 sends back through W (dh_next = da @ W.T).": no_chain,
        "the tanh's slope is missing: on the way back through h_t = tanh(a_t) multiply by 1 - h_t**2.": (
            no_slope_das @ U.T
        ).sum(axis=1),
        f"the gradient is {T} times too large: the loss is the mean over the batch AND the "
        f"{T} steps, so divide (probs - onehot) by batch * T.": right * T,
        f"the gradient is {batch * T} times too large: the loss is a mean, so divide "
        "(probs - onehot) by batch * T.": right * batch * T,
    }
    if U.shape[0] == U.shape[1]:
        variants["U is not transposed on the way back: dL/dx = da @ U.T, since x enters as x @ U."] = (
            das @ U
        ).sum(axis=1)
    return variants


def _central_differences(x: np.ndarray, *rest: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d one_to_n_loss(x, *rest) / dx, entry by entry, by central differences (on a copy of x)."""
    x, grad = x.copy(), np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = one_to_n_loss(x, *rest)
        x[i] = old - eps
        minus = one_to_n_loss(x, *rest)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


@exercise("02.8", "one_to_n_input_grad")
def check_one_to_n_input_grad(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, targets, U, W, b, V, c)``: dL/dx for the 1-vs-N RNN of :func:`one_to_n_loss`.

    The answer key is central differences of :func:`one_to_n_loss`; the likely bugs are
    worked out by backpropagation through time. Probed at several sizes: T = 1 and T = 9 (a
    length the lesson never uses), a batch of one, n_in equal to n_h (so a missing transpose
    gives wrong numbers instead of a crash), and large weights that saturate the tanh.
    """
    rng = np.random.default_rng(28)
    # (batch, T, n_in, n_h, n_out, weight scale)
    cases = [(3, 4, 4, 4, 3, 0.6), (2, 9, 3, 5, 4, 0.5), (1, 1, 2, 3, 3, 0.8), (2, 5, 3, 3, 2, 2.0)]
    for batch, T, n_in, n_h, n_out, scale in cases:
        x = rng.normal(size=(batch, n_in))
        U = rng.normal(size=(n_in, n_h)) * scale
        W = rng.normal(size=(n_h, n_h)) * scale
        b, V, c = rng.normal(size=n_h) * 0.3, rng.normal(size=(n_h, n_out)), rng.normal(size=n_out) * 0.3
        targets = rng.integers(0, n_out, size=(batch, T)).astype("int64" if T % 2 else "int32")
        inputs = {"x": x, "targets": targets, "U": U, "W": W, "b": b, "V": V, "c": c}
        got, passed = call_on_copies(fn, inputs)
        given = f"for x {shape_str(x.shape)} and T = {T}"
        got = expect_array("dL/dx", got, (batch, n_in), ("batch", "n_in"), given=given)
        numeric = _central_differences(x, targets, U, W, b, V, c)
        variants = _input_grad_variants(x, targets, U, W, b, V, c)
        variants.pop("right")
        expect_close(
            f"dL/dx {given}",
            got,
            numeric,
            atol=1e-7,
            rtol=1e-4,
            likely_bugs=variants,
            hint="Compare with ref.numerical_gradient on one_to_n_loss to find where you part.",
        )
        expect_unchanged(inputs, passed)
