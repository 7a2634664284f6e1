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

The model checkers run the learner's model on small dummy batches and inspect what comes
out: the shape (a sequence or one vector?), whether each output is a probability vector,
whether padding changes the answer, whether an output depends on earlier inputs.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from seqkeras.grading import ExerciseError, NotAttempted, call, exercise

__all__ = ["check_shapes", "check_build_n_to_n", "check_build_n_to_1", "check_build_1_to_n",
           "SHAPES_QUESTION", "SHAPE_KEYS"]

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
SHAPE_KEYS = ("embedding", "gru", "gru_sequences", "lstm_state", "dense_per_step", "repeat",
              "stacked", "caption_states")

_B, _T, _D, _H, _STEPS = 16, 12, 8, 32, 6


def _expected_shapes() -> dict[str, Any]:
    """Run the question's code in Keras and record what it returns (the answer key)."""
    from keras import layers

    shape = lambda t: tuple(int(d) for d in t.shape)  # noqa: E731
    ids = np.zeros((_B, _T), dtype="int32")
    emb = layers.Embedding(1000, _D)(ids)
    seq = layers.GRU(_H, return_sequences=True)(emb)
    last = layers.GRU(_H)(emb)
    try:
        stacked: Any = shape(layers.GRU(16)(layers.GRU(_H)(emb)))
    except ValueError:
        stacked = "error"
    images = np.zeros((_B, 64), dtype="float32")
    return {
        "embedding": shape(emb),
        "gru": shape(last),
        "gru_sequences": shape(seq),
        "lstm_state": tuple(shape(t) for t in layers.LSTM(_H, return_state=True)(emb)),
        "dense_per_step": shape(layers.Dense(5, activation="softmax")(seq)),
        "repeat": shape(layers.RepeatVector(_STEPS)(last)),
        "stacked": stacked,
        "caption_states": shape(layers.GRU(_H, return_sequences=True)(
            layers.RepeatVector(_STEPS)(images))),
    }


def _as_shape(value: Any) -> Any:
    """Normalise an answer entry: lists become tuples (nested too); strings are lowered."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, (list, tuple)):
        return tuple(_as_shape(v) for v in value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def _shape_diagnosis(key: str, got: Any, want: Any) -> str:
    """Why the answer ``got`` for ``key`` differs from ``want``: the likely misconception."""
    if got == "error":
        return ("Keras accepts this one: it is not an error. A recurrent layer fails only when "
                "its input has no time axis.")
    if key == "stacked":
        return ("the inner GRU(32) returns only its last state, a 2-D tensor (16, 32). The outer "
                "GRU needs a 3-D input (batch, time, features), so Keras raises a ValueError: "
                'answer "error". (The fix is return_sequences=True on the inner GRU.)')
    if key == "lstm_state":
        n = len(got) if isinstance(got, tuple) and got and isinstance(got[0], tuple) else 1
        if n != 3:
            return ("with return_state=True an LSTM returns three tensors: its output, then its "
                    "final hidden state h and its final cell state c. Give a tuple of 3 shapes.")
        if got[0] == (_B, _T, _H):
            return ("return_state does not switch on return_sequences: the first tensor is still "
                    "the last output only, (batch, units).")
    if isinstance(got, tuple) and isinstance(want, tuple) and not isinstance(want[0], tuple):
        if got == want[1:]:
            return f"keep the batch axis: every shape starts with the batch size, {_B}."
        if key == "embedding":
            if got == (_B, _T):
                return ("an Embedding replaces each id by a vector of 8 numbers: it adds an axis, "
                        "(batch, T) -> (batch, T, 8).")
            if 1000 in got:
                return ("the vector size is the embedding dimension (8, the second argument), not "
                        "the vocabulary size (1000).")
        if key == "gru" and got == (_B, _T, _H):
            return ("without return_sequences a recurrent layer returns only its last state: "
                    "there is no time axis, (batch, units).")
        if key in ("gru_sequences", "caption_states") and got == (_B, _H):
            return ("return_sequences=True keeps the time axis: one state vector per step, "
                    "(batch, steps, units).")
        if key == "dense_per_step":
            if got == (_B, 5):
                return ("a Dense layer on a 3-D tensor acts on the last axis, at every step "
                        "separately: the time axis stays, (batch, T, 5).")
            if got == (_B, _T, _H):
                return "Dense(5) replaces the last axis (32 numbers) by 5 numbers."
        if key in ("repeat", "caption_states") and got == (_B, _H, _STEPS):
            return ("RepeatVector(n) inserts the new time axis in the middle: (batch, n, features).")
        if key == "caption_states" and got == (_B, _STEPS, 64):
            return "the GRU maps the 64 features of each step to its 32 units."
    return "check the shapes step by step, writing each intermediate shape down."


@exercise("02.1", "predict the shapes")
def check_shapes(answer: Any) -> None:
    """Check a dict ``{name: shape}`` against what Keras returns for :data:`SHAPES_QUESTION`.

    Args:
        answer: a dict with the keys of :data:`SHAPE_KEYS`. Each value is a tuple of ints such
            as ``(16, 12, 8)``; for ``"lstm_state"`` a tuple of three such tuples; for an
            expression Keras refuses, the string ``"error"``. ``None`` counts as not attempted.
    """
    if answer is None or answer is Ellipsis:
        raise NotAttempted("`shapes` is still None")
    if not isinstance(answer, dict):
        raise ExerciseError(f"answer with a dict {{name: shape}}, got {type(answer).__name__}.")
    if answer and all(v is None or v is Ellipsis for v in answer.values()):
        raise NotAttempted("every shape is still None")
    missing = [k for k in SHAPE_KEYS if k not in answer]
    if missing:
        raise ExerciseError(f"your dict has no entry for {missing}; it needs one for each of "
                            f"{list(SHAPE_KEYS)}.")
    expected = _expected_shapes()
    wrong = []
    for key in SHAPE_KEYS:
        got, want = _as_shape(answer[key]), expected[key]
        if got != want:
            wrong.append(f"- {key!r}: you wrote {answer[key]!r}. {_shape_diagnosis(key, got, want)}")
    if wrong:
        raise ExerciseError(f"{len(wrong)} of {len(SHAPE_KEYS)} shapes are wrong:\n" + "\n".join(wrong))


# --------------------------------------------------------------------------- model helpers
def _get_model(fn: Callable[..., Any], *args: Any) -> Any:
    """Call the learner's builder and make sure it returned a Keras model."""
    import keras

    try:
        model = call(fn, *args)
    except ExerciseError as err:
        msg = str(err)
        if "expected ndim=3" in msg and "found ndim=2" in msg:
            raise ExerciseError(
                "building the model failed: a recurrent layer received a 2-D tensor (batch, "
                "features) but needs a sequence, 3-D (batch, steps, features). Turn the vector "
                "into a sequence first, e.g. RepeatVector(steps), or a recurrent layer before it "
                "lacks return_sequences=True.\n" + msg) from None
        raise
    if model is None:
        raise ExerciseError("your function returned None: did you forget to `return` the model?")
    if not isinstance(model, keras.Model):
        raise ExerciseError(f"return the model itself (a keras.Model or keras.Sequential), "
                            f"got {type(model).__name__}.")
    return model


def _run(model: Any, x: np.ndarray, what: str) -> np.ndarray:
    """The model's output on ``x`` as a NumPy array; a crash becomes a diagnosis."""
    import keras

    try:
        out = model(x, training=False)
    except Exception as err:  # learner model: explain instead of a long traceback
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise ExerciseError(
            f"calling your model on {what} of shape {x.shape} raised {type(err).__name__}: "
            f"{first}. Check the input: keras.Input(shape=...) must match that shape "
            "(without the batch axis).") from None
    if isinstance(out, (list, tuple)):
        raise ExerciseError(f"your model returns {len(out)} tensors; it should return one "
                            "(did you leave return_state=True on the last recurrent layer?).")
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=float)


def _expect_probabilities(out: np.ndarray, over: str) -> None:
    """Fail unless the last axis of ``out`` holds probability vectors."""
    if out.min() < -1e-6 or not np.allclose(out.sum(axis=-1), 1.0, atol=1e-4):
        raise ExerciseError(
            f"the outputs are not probabilities over the {over} (each vector along the last "
            f"axis should be >= 0 and sum to 1; yours sum to {out.sum(axis=-1).ravel()[0]:.3g}): "
            "use activation='softmax' on the last Dense layer.")


def _all_layers(model: Any) -> list[Any]:
    """Every layer of ``model``, nested models and wrappers (e.g. Bidirectional) opened up."""
    found, todo = [], list(getattr(model, "layers", []))
    while todo:
        layer = todo.pop(0)
        found.append(layer)
        todo.extend(getattr(layer, "layers", []) or [])
        for attr in ("layer", "forward_layer", "backward_layer"):
            inner = getattr(layer, attr, None)
            if inner is not None and inner not in found:
                todo.append(inner)
    return found


def _masks_padding(model: Any) -> bool:
    """True if the model creates a mask for id 0 (an Embedding with mask_zero, or Masking)."""
    import keras

    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.Embedding) and getattr(layer, "mask_zero", False):
            return True
        if isinstance(layer, keras.layers.Masking):
            return True
    return False


def _token_batch(rng: np.random.Generator, vocab_size: int, lengths: list[int], T: int) -> np.ndarray:
    """Token ids ``(len(lengths), T)``: row i has ``lengths[i]`` ids in 1..vocab_size-1, then zeros."""
    x = np.zeros((len(lengths), T), dtype="int32")
    for i, n in enumerate(lengths):
        x[i, :n] = rng.integers(1, vocab_size, size=n)
    return x


# --------------------------------------------------------------------------- 02.2 N vs N
@exercise("02.2", "build_n_to_n")
def check_build_n_to_n(fn: Callable[..., Any]) -> None:
    """Check an N-vs-N tagger builder ``fn(vocab_size, num_tags, units)``.

    The model must map token ids ``(batch, T)`` (any ``T``, 0 = padding) to tag
    probabilities ``(batch, T, num_tags)``, mask the padding, and let the output at step t
    depend on the tokens before t (a recurrent layer with ``return_sequences=True``).
    """
    vocab_size, num_tags, units = 30, 7, 8
    model = _get_model(fn, vocab_size, num_tags, units)
    rng = np.random.default_rng(2)
    x = _token_batch(rng, vocab_size, [9, 6, 4], 9)
    out = _run(model, x, "a batch of token ids")
    if out.ndim == 2 and out.shape[0] == 3:
        raise ExerciseError(
            f"your model returns one vector per sequence, shape {out.shape}, but a tagger needs "
            "one per word: set return_sequences=True on the recurrent layer so it gives its "
            "state at every step (N vs N).")
    if out.ndim != 3 or out.shape[:2] != (3, 9):
        raise ExerciseError(f"the output has shape {out.shape}, expected (3, 9, {num_tags}): "
                            "(batch, steps, tags).")
    if out.shape[2] != num_tags:
        extra = (" These look like the recurrent states themselves: add "
                 "Dense(num_tags, activation='softmax') on top." if out.shape[2] == units else "")
        raise ExerciseError(f"each step has {out.shape[2]} numbers, expected one probability per "
                            f"tag ({num_tags}): end with Dense(num_tags, activation='softmax')."
                            + extra)
    _expect_probabilities(out, "tags")
    changed = x.copy()
    changed[:, 0] = np.where(changed[:, 0] == 1, 2, 1)   # another first word
    later = _run(model, changed, "a batch of token ids")
    if np.allclose(later[:, 3], out[:, 3], atol=1e-6):
        raise ExerciseError(
            "the output at step 4 does not change when the first word changes: each step is "
            "labelled on its own word only. Put a recurrent layer (GRU or SimpleRNN with "
            "return_sequences=True) between the Embedding and the Dense layer, so the state "
            "carries the earlier words.")
    if not _masks_padding(model):
        raise ExerciseError(
            "the padding (id 0) is not masked: use Embedding(..., mask_zero=True), so that the "
            "loss and the metrics skip the padded positions instead of counting them as words.")
    shorter = _run(model, x[:, :5], "a batch of shorter sequences")
    if shorter.shape != (3, 5, num_tags):
        raise ExerciseError(f"with sequences of 5 tokens the output has shape {shorter.shape}, "
                            f"expected (3, 5, {num_tags}): use keras.Input(shape=(None,)) so the "
                            "model reads any length.")


# --------------------------------------------------------------------------- 02.3 N vs 1
@exercise("02.3", "build_n_to_1")
def check_build_n_to_1(fn: Callable[..., Any]) -> None:
    """Check an N-vs-1 classifier builder ``fn(vocab_size, num_classes, units)``.

    The model must map token ids ``(batch, T)`` (any ``T``, 0 = padding at the end) to class
    probabilities ``(batch, num_classes)`` read from the last state, and give the same answer
    however much padding follows the tokens.
    """
    vocab_size, num_classes, units = 40, 3, 8
    model = _get_model(fn, vocab_size, num_classes, units)
    rng = np.random.default_rng(3)
    x = _token_batch(rng, vocab_size, [8, 5, 3], 8)
    out = _run(model, x, "a batch of token ids")
    if out.ndim == 3 and out.shape[:2] == (3, 8):
        raise ExerciseError(
            f"your model returns a sequence, shape {out.shape}: one output per step. N vs 1 "
            "reads only the last state: set return_sequences=False (the default) on the last "
            "recurrent layer.")
    if out.ndim != 2 or out.shape[0] != 3:
        raise ExerciseError(f"the output has shape {out.shape}, expected (3, {num_classes}): "
                            "(batch, classes).")
    if out.shape[1] != num_classes:
        extra = (" With one sigmoid output you get a yes/no model; here there are "
                 f"{num_classes} classes." if out.shape[1] == 1 else "")
        raise ExerciseError(f"each sequence gets {out.shape[1]} numbers, expected one probability "
                            f"per class ({num_classes}): end with Dense(num_classes, "
                            "activation='softmax')." + extra)
    _expect_probabilities(out, "classes")
    other = _run(model, _token_batch(np.random.default_rng(4), vocab_size, [8, 5, 3], 8),
                 "a batch of token ids")
    if np.allclose(other, out, atol=1e-6):
        raise ExerciseError("the output does not depend on the tokens: check that the "
                            "Embedding's output flows into the recurrent layer.")
    padded = np.concatenate([x, np.zeros((3, 6), dtype="int32")], axis=1)   # 6 more pads
    try:
        out_padded = _run(model, padded, "the same batch with 6 more padding ids")
    except ExerciseError:
        raise ExerciseError(
            "your model only accepts sequences of length 8: use keras.Input(shape=(None,)) so it "
            "reads any length (real batches are padded to different lengths).") from None
    if not np.allclose(out_padded, out, atol=1e-5):
        raise ExerciseError(
            "adding padding (id 0) after the tokens changes the prediction (largest change "
            f"{np.abs(out_padded - out).max():.3g}): the recurrent layer reads the padding and "
            "its last state is no longer the state after the last real token. Set "
            "mask_zero=True in the Embedding.")


# --------------------------------------------------------------------------- 02.4 1 vs N
@exercise("02.4", "build_1_to_n")
def check_build_1_to_n(fn: Callable[..., Any]) -> None:
    """Check a 1-vs-N generator builder ``fn(n_features, steps, num_classes, units)``.

    The model must map vectors ``(batch, n_features)`` to class probabilities at every step,
    ``(batch, steps, num_classes)``, depending on the input vector. Either way of feeding
    the vector (first step only, or every step) is accepted.
    """
    n_features, num_classes, units = 10, 6, 8
    for steps in (4, 7):
        model = _get_model(fn, n_features, steps, num_classes, units)
        rng = np.random.default_rng(steps)
        x = rng.normal(size=(3, n_features)).astype("float32")
        out = _run(model, x, "a batch of input vectors")
        if out.ndim == 2 and out.shape[0] == 3:
            raise ExerciseError(
                f"your model returns one vector per input, shape {out.shape}: set "
                "return_sequences=True on the recurrent layer so it gives an output at each of "
                "the `steps` steps.")
        if out.ndim != 3 or out.shape[0] != 3:
            raise ExerciseError(f"the output has shape {out.shape}, expected (3, {steps}, "
                                f"{num_classes}): (batch, steps, classes).")
        if out.shape[1] != steps:
            raise ExerciseError(
                f"with steps={steps} the output has {out.shape[1]} steps: use the argument "
                "`steps` (e.g. RepeatVector(steps)), not a fixed number.")
        if out.shape[2] != num_classes:
            raise ExerciseError(f"each step has {out.shape[2]} numbers, expected one probability "
                                f"per class ({num_classes}): end with Dense(num_classes, "
                                "activation='softmax').")
        _expect_probabilities(out, "classes")
        other = _run(model, rng.normal(size=(3, n_features)).astype("float32"),
                     "a batch of input vectors")
        if np.allclose(other, out, atol=1e-6):
            raise ExerciseError("the outputs do not depend on the input vector: make sure it "
                                "reaches the recurrent layer (as its input or initial state).")
