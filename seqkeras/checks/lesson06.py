"""Checkers for lesson 06, reading both ways (bidirectional RNNs).

Each ``check_*`` function takes the learner's function (or answer), prints the outcome and
returns a :class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet;
a wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 06.1 :func:`check_birnn_forward`: ``birnn_forward(x, lengths, forward, backward)`` → the
  concatenated states of a bidirectional vanilla RNN over a padded batch, in NumPy
- 06.2 :func:`check_build_bidirectional_tagger`: ``build_bidirectional_tagger(vocab_size,
  num_tags, units)`` → a Keras model whose tag at step t depends on the words before *and*
  after t, with the padding masked
- 06.3 :func:`check_merge_shapes`: a dict of predicted output shapes for
  :data:`MERGE_QUESTION` (``merge_mode`` and ``return_state``)

06.1 is compared with :func:`seqkeras.reference.birnn_forward` on batches of several sizes
(T = 1, lengths the lesson never uses, junk in the padded steps, long inputs), and a wrong
answer is matched against the bugs of the lesson, one direction at a time. 06.2 probes the
model: change one word and see which outputs move.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.grading import (
    ExerciseError,
    all_layers,
    call,
    call_on_copies,
    exercise,
    expect_model,
    expect_new_arrays,
    expect_one_array,
    expect_shape_answers,
    expect_unchanged,
    model_output,
)

__all__ = [
    "check_birnn_forward",
    "check_build_bidirectional_tagger",
    "check_merge_shapes",
    "MERGE_QUESTION",
    "MERGE_KEYS",
]


# --------------------------------------------------------------------------- 06.1 birnn_forward
def _rnn_params(rng: np.random.Generator, n_in: int, n_h: int) -> tuple[np.ndarray, ...]:
    """Random (U, W, b) with a non-zero bias."""
    return (rng.normal(size=(n_in, n_h)) * 0.6, rng.normal(size=(n_h, n_h)) * 0.5, rng.normal(size=n_h) * 0.3)


def _case(
    seed: int, batch: int, T: int, lengths: list[int], n_in: int, n_f: int, n_b: int, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray, tuple, tuple]:
    """A padded batch (junk, not zeros, in the padded steps) and two sets of weights."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, T, n_in)) * scale
    lengths_arr = np.array(lengths, dtype=np.int64)
    return x, lengths_arr, _rnn_params(rng, n_in, n_f), _rnn_params(rng, n_in, n_b)


#: (seed, batch, T, lengths, n_in, n_fwd, n_bwd, input scale): T = 1, a batch of one, no
#: padding, lengths of 1, directions of different sizes, a long batch with a large spread, and
#: sequences of length 0 (all padding).
_CASES = [
    (0, 3, 6, [6, 3, 1], 3, 4, 4, 1.0),
    (1, 1, 1, [1], 2, 3, 3, 1.0),
    (2, 2, 9, [9, 9], 2, 3, 5, 1.0),
    (3, 4, 5, [2, 5, 1, 4], 3, 2, 2, 1.0),
    (4, 2, 40, [40, 17], 3, 4, 4, 8.0),
    (5, 4, 6, [6, 0, 2, 0], 2, 3, 3, 1.0),  # sequences of length 0: no real step at all
]


def _bwd_variants(x: np.ndarray, lengths: np.ndarray, fwd: tuple, bwd: tuple) -> dict[str, np.ndarray]:
    """What the backward half looks like under each likely bug, ``(batch, T, n_h)``."""
    flipped = ref.rnn_forward(x[:, ::-1], None, *bwd)  # padding read first
    within = ref.rnn_forward(ref.reverse_padded(x, lengths), None, *bwd)
    h_last = np.stack(
        [
            ref.rnn_forward(x[i : i + 1, :n], None, *fwd)[0, -1] if n else np.zeros(fwd[0].shape[1])
            for i, n in enumerate(lengths)
        ]
    )
    real = (np.arange(x.shape[1])[None, :] < lengths[:, None])[..., None]
    variants = {
        "you reversed each sequence within its length, but flipped the states back with [:, ::-1], "
        "which reverses the whole row, padding included: a short sequence's states land on the "
        "wrong steps. Reverse them back the way you reversed the inputs, within each length.": ref.rnn_forward(
            ref.reverse_padded(x, lengths), None, *bwd
        )[:, ::-1],
        "you zeroed the padding and then reversed the whole row (x[:, ::-1]): zeros are not "
        "nothing, the backward RNN still reads them (tanh(b), tanh(W h + b), ...) before the last "
        "real step, so its states differ. Reverse each sequence within its own length instead, so "
        "that it starts at its last real step.": ref.rnn_forward((x * real)[:, ::-1], None, *bwd)[:, ::-1],
        "the backward states are still in the order the backward RNN made them (the state after "
        "x_T first): reverse them back, within each sequence's length, so that position t holds "
        "the state that has read x_T ... x_t.": within,
        "the backward RNN read the padding first: x[:, ::-1] moves the padding of a short "
        "sequence to the front, so its backward pass starts with junk. Reverse each sequence "
        "within its own length (x[i, :lengths[i]]) so that the padding stays at the end.": flipped[:, ::-1],
        "the backward states were computed from x[:, ::-1], which moves the padding to the front, "
        "and were never reversed back: reverse each sequence within its own length, and reverse "
        "the states back the same way.": flipped,
        "the backward direction reads from left to right: it must read each sequence from its "
        "last real step to its first (reverse it within its length, run, reverse back).": ref.rnn_forward(
            x, None, *bwd
        ),
    }
    if fwd[0].shape == bwd[0].shape:
        variants[
            "the backward direction uses the forward weights: each direction has its own "
            "(U, W, b), and the backward RNN must use `backward`."
        ] = ref.reverse_padded(ref.rnn_forward(ref.reverse_padded(x, lengths), None, *fwd), lengths)
        if np.all(lengths > 0):
            variants[
                "the backward RNN starts from the forward RNN's final state: the two "
                "directions share nothing, and each starts from zeros (h0=None)."
            ] = ref.reverse_padded(ref.rnn_forward(ref.reverse_padded(x, lengths), h_last, *bwd), lengths)
    return variants


def _diagnose_birnn(
    got: np.ndarray, x: np.ndarray, lengths: np.ndarray, fwd: tuple, bwd: tuple, where: str
) -> None:
    """Raise an ExerciseError naming the bug, or return if ``got`` is right."""
    f_ref, b_ref = ref.birnn_forward(x, lengths, fwd, bwd, merge_mode=None)
    n_f, n_b = f_ref.shape[-1], b_ref.shape[-1]
    expected = np.concatenate([f_ref, b_ref], axis=-1)
    batch, T = x.shape[:2]
    shape = (batch, T, n_f + n_b)
    if got.shape != shape:
        msg = f"the result has shape {got.shape} {where}, expected {shape}: (batch, T, n_fwd + n_bwd)."
        if got.shape == (batch, T, 2 * n_f) and n_f != n_b:
            msg += " It looks as if the forward weights were used for both directions."
        elif got.shape == (batch, T, 2 * n_b) and n_f != n_b:
            msg += " It looks as if the backward weights were used for both directions."
        elif got.shape[:2] == (batch, T) and got.shape[2] in (n_f, n_b):
            msg += " Concatenate the two directions along the last axis (forward first), do not add them."
        elif got.shape[:2] == (T, batch):
            msg += " The batch and time axes look swapped."
        raise ExerciseError(msg)
    real = np.arange(T)[None, :] < lengths[:, None]

    def close(a: np.ndarray, b: np.ndarray) -> bool:
        return np.allclose(a[real], b[real], atol=1e-6, rtol=1e-6)

    if close(got, expected):
        if not np.allclose(got[~real], 0.0, atol=1e-9):
            raise ExerciseError(
                f"the states at the real steps are right {where}, but the padded "
                "steps are not 0: set them to 0 (Keras' Bidirectional gives 0 there "
                "with a mask), e.g. by multiplying with the mask."
            )
        return
    got_f, got_b = got[..., :n_f], got[..., n_f:]
    if n_f == n_b and close(got, np.concatenate([b_ref, f_ref], axis=-1)):
        raise ExerciseError(
            f"the two halves are swapped {where}: Keras puts the forward states "
            "first, then the backward ones, [fwd, bwd] along the last axis."
        )
    if not close(got_f, f_ref):
        if n_f == n_b and close(got_f, b_ref):
            raise ExerciseError(
                f"the first half holds the backward states {where}: the forward states go first."
            )
        raise ExerciseError(
            f"the forward half (the first {n_f} numbers of each step) is wrong {where}: it should "
            "be ref.rnn_forward(x, None, *forward), the states that have read x_1 ... x_t. "
            f"Largest difference {np.abs(got_f - f_ref)[real].max():.3g}."
        )
    for diagnosis, wrong in _bwd_variants(x, lengths, fwd, bwd).items():
        if close(got_b, wrong):
            raise ExerciseError(f"the backward half is wrong {where}: {diagnosis}")
    if np.allclose(got_b[real], f_ref[real], atol=1e-6) and n_f == n_b:
        raise ExerciseError(
            f"the backward half repeats the forward states {where}: run a second "
            "RNN with the `backward` weights over the reversed sequences."
        )
    raise ExerciseError(
        f"the backward half (the last {n_b} numbers of each step) is wrong {where} (largest "
        f"difference {np.abs(got_b - b_ref)[real].max():.3g}). At step t it should hold the "
        "state of the backward RNN after reading x_T ... x_t, where T is that sequence's own "
        "length: reverse each sequence within its length, run ref.rnn_forward with `backward`, "
        "and reverse the states back the same way."
    )


@exercise("06.1", "birnn_forward")
def check_birnn_forward(fn: Callable[..., Any]) -> None:
    """Check ``fn(x, lengths, forward, backward)``, a bidirectional vanilla RNN in NumPy.

    ``x`` is ``(batch, T, n_in)`` padded at the end (the padded steps hold junk, not zeros),
    ``lengths`` ``(batch,)`` ints, ``forward`` and ``backward`` the ``(U, W, b)`` of each
    direction. The answer must be ``(batch, T, n_fwd + n_bwd)``: forward states first, then
    the backward states in reading order, 0 at padded steps, and ``x`` left unchanged.
    """
    for seed, batch, T, lengths, n_in, n_f, n_b, scale in _CASES:
        x, lens, fwd, bwd = _case(seed, batch, T, lengths, n_in, n_f, n_b, scale)
        inputs = {"x": x, "lengths": lens, "forward": fwd, "backward": bwd}
        where = f"(batch {batch}, T = {T}, lengths {lengths})"
        try:
            got, passed = call_on_copies(fn, inputs)
        except ExerciseError as err:
            if 0 not in lengths:
                raise
            raise ExerciseError(
                f"{err}\nLikely: sequence {lengths.index(0)} {where} has length 0, no real step at "
                "all (x[i, :0] is empty, and ref.rnn_forward of an empty sequence has nothing to "
                "stack). Its states are all 0: skip such a sequence, or leave its rows at 0."
            ) from None
        got = expect_one_array("the result", got)
        expect_new_arrays("the result", got, passed)
        expect_unchanged(
            inputs,
            passed,
            f"your function changed its input in place {where}: reverse into a "
            "new array (ref.reverse_padded returns a copy; x[:, ::-1] is a "
            "view, so assigning into it writes into x).",
        )
        _diagnose_birnn(got, x, lens, fwd, bwd, where)


# --------------------------------------------------------------------------- 06.2 the tagger
#: What a tagger that returns several tensors is told.
_MANY_OUTPUTS = (
    "With merge_mode=None a Bidirectional layer returns the two directions separately: use "
    "'concat' (the default), or drop return_state=True."
)
#: The tagger's output on a probe, every odd outcome explained: ``_output(model, x, what)``.
_output = functools.partial(model_output, many_outputs=_MANY_OUTPUTS)


def _ids(rng: np.random.Generator, vocab_size: int, lengths: list[int], T: int) -> np.ndarray:
    """Token ids ``(len(lengths), T)``, int32: ``lengths[i]`` ids in 1..vocab_size-1, then 0."""
    x = np.zeros((len(lengths), T), dtype="int32")
    for i, n in enumerate(lengths):
        x[i, :n] = rng.integers(1, vocab_size, size=n)
    return x


def _other_word(x: np.ndarray, t: int, vocab_size: int) -> np.ndarray:
    """A copy of ``x`` with the word at step ``t`` replaced by another real word."""
    y = x.copy()
    y[:, t] = x[:, t] % (vocab_size - 1) + 1
    return y


def _moves(a: np.ndarray, b: np.ndarray) -> bool:
    return not np.allclose(a, b, atol=1e-6)


@exercise("06.2", "build_bidirectional_tagger")
def check_build_bidirectional_tagger(fn: Callable[..., Any]) -> None:
    """Check a tagger builder ``fn(vocab_size, num_tags, units)``.

    The model must map token ids ``(batch, T)`` (any ``T``, 0 = padding at the end) to tag
    probabilities ``(batch, T, num_tags)``; the output at step t must depend on the words
    before t (a forward direction) and after t (a backward direction, in reading order), and
    must not change when more padding is added. Any recurrent layer and any merge that gives
    one tensor is accepted: ``Bidirectional``, or two layers combined by hand.
    """
    import keras

    vocab_size, num_tags, units = 23, 5, 7  # sizes the lesson never uses
    try:
        built = call(fn, vocab_size, num_tags, units)
    except ExerciseError as err:
        many = re.search(r"received (\d+) input tensors", str(err))
        if many and many.group(1) == "2":
            raise ExerciseError(
                "building the model failed: a layer received 2 tensors where it expects one. "
                "With merge_mode=None a Bidirectional layer returns the two directions "
                "separately: use 'concat' (the default), 'sum', 'ave' or 'mul'.\n" + str(err)
            ) from None
        if many:
            raise ExerciseError(
                f"building the model failed: a layer received {many.group(1)} tensors where it "
                "expects one. That is return_state=True inside Bidirectional: the wrapper then "
                "returns the merged sequence followed by the final states of each direction (3 "
                "tensors for a GRU, 5 for an LSTM). A tagger needs only the sequence: drop "
                "return_state=True (or keep the first tensor, `outputs[0]`).\n" + str(err)
            ) from None
        raise
    model = expect_model("the returned model", built)
    rng = np.random.default_rng(6)
    T = 7
    x = _ids(rng, vocab_size, [T, T, T], T)
    out = _output(model, x, "a batch of token ids")
    if out.ndim == 2 and out.shape[0] == 3:
        raise ExerciseError(
            f"your model returns one vector per sentence, shape {out.shape}: a "
            "tagger needs one per word. Set return_sequences=True on the recurrent "
            "layer (inside Bidirectional too)."
        )
    if out.shape != (3, T, num_tags):
        extra = (
            f" Did you hard-code the number of tags? This call had num_tags={num_tags}."
            if out.ndim == 3 and out.shape[:2] == (3, T)
            else ""
        )
        raise ExerciseError(
            f"the output has shape {out.shape}, expected (3, {T}, {num_tags}): (batch, T, num_tags)." + extra
        )
    if out.min() < -1e-6 or not np.allclose(out.sum(axis=-1), 1.0, atol=1e-4):
        raise ExerciseError(
            "the outputs are not probabilities over the tags (each vector along the "
            "last axis should be >= 0 and sum to 1): end with "
            "Dense(num_tags, activation='softmax')."
        )
    # Which words does each output read? Change one word at a time, and swap two words (one
    # call for all probes).
    swapped = x.copy()
    swapped[:, [2, 4]] = x[:, [4, 2]]
    probes = np.concatenate([_other_word(x, t, vocab_size) for t in (2, T - 1, 0)] + [swapped])
    moved = _output(model, probes, "a batch of token ids").reshape(4, 3, T, num_tags)
    later = _moves(moved[0][:, 0], out[:, 0])  # step 1 sees the word at step 3
    last = _moves(moved[1][:, 0], out[:, 0])  # step 1 sees the last word
    earlier = _moves(moved[2][:, 4], out[:, 4])  # step 5 sees the first word
    if not later and last:
        raise ExerciseError(
            "the output at step 1 depends on the last word but not on the word at step 3: the "
            "backward direction's outputs are still in the order it produced them (last word "
            "first). A layer with go_backwards=True returns its sequence reversed: flip it back "
            "(keras.ops.flip(..., axis=1)) before merging, or use keras.layers.Bidirectional."
        )
    if not later and not earlier:
        raise ExerciseError(
            "no output depends on the other words of the sentence: put a "
            "bidirectional recurrent layer between the Embedding and the Dense layer."
        )
    if not later:
        raise ExerciseError(
            "the output at step 1 does not change when the word at step 3 changes: your model "
            "reads only from left to right. Wrap the recurrent layer in keras.layers.Bidirectional "
            "so that a backward pass brings in the words that follow."
        )
    if not earlier:
        raise ExerciseError(
            "the output at step 5 does not change when the first word changes: your model reads "
            "only from right to left. Keep a forward direction too (keras.layers.Bidirectional "
            "runs both)."
        )
    if not any(_moves(moved[3][:, t], out[:, t]) for t in (0, 1, 3, T - 1)):
        raise ExerciseError(
            "the tags do not change when two other words swap places (words 3 and 5): your model "
            "reads the sentence as a bag of words (a sum or mean of embeddings beside each word), "
            "so word order is lost. A recurrent layer reads the words in order: put "
            "keras.layers.Bidirectional(GRU(units, return_sequences=True)) between the Embedding "
            "and the Dense layer."
        )
    # Padding: more of it must not change the tags of the real words.
    lengths = [6, 3, 1]
    xp = _ids(np.random.default_rng(8), vocab_size, lengths, 6)
    base = _output(model, xp, "a padded batch")
    more = _output(
        model,
        np.concatenate([xp, np.zeros((3, 5), "int32")], axis=1),
        "the same batch with 5 more padding ids",
    )
    real = xp != 0
    if not np.allclose(more[:, :6][real], base[real], atol=1e-5):
        raise ExerciseError(
            "adding padding (id 0) at the end changes the tags of the real words (largest change "
            f"{np.abs(more[:, :6][real] - base[real]).max():.3g}): the backward direction reads "
            "the padding before the last real word. Mask it: Embedding(..., mask_zero=True)."
        )
    one = _output(model, xp[:1, :1], "one sentence of one word")
    if one.shape != (1, 1, num_tags):
        raise ExerciseError(
            f"for one sentence of one word the output has shape {one.shape}, "
            f"expected (1, 1, {num_tags}): keep the batch and time axes."
        )
    recurrent = [
        layer
        for layer in all_layers(model)
        if isinstance(layer, keras.layers.RNN) or hasattr(layer, "recurrent_kernel")
    ]
    if not recurrent:
        raise ExerciseError(
            "your model has no recurrent layer: the exercise asks for a recurrent layer of `units` "
            "units reading both ways (keras.layers.Bidirectional(GRU(units, return_sequences=True)), "
            "or a forward and a backward layer combined by hand)."
        )
    sizes = {getattr(getattr(layer, "cell", layer), "units", None) for layer in recurrent}
    sizes = sorted(int(s) for s in sizes if isinstance(s, (int, np.integer)))
    if sizes and units not in sizes:
        raise ExerciseError(
            f"the recurrent layers have {sizes} units, but "
            f"this call asked for units={units}: use the argument, not a fixed number."
        )
    if len(sizes) > 1:
        raise ExerciseError(
            f"the recurrent layers have {sizes} units: the exercise asks for a recurrent layer of "
            f"units={units} units reading both ways, so each direction has `units` units (the "
            "two halves of each step's state are then the same size)."
        )


# --------------------------------------------------------------------------- 06.3 shapes
#: The code whose output shapes exercise 06.3 asks for, one name per line.
MERGE_QUESTION = """\
from keras import layers
x = np.zeros((8, 15, 4), dtype="float32")                  # 8 sequences of 15 steps, 4 features
seq = lambda: layers.GRU(6, return_sequences=True)         # a fresh GRU layer each time
layers.Bidirectional(seq())(x)                             # "concat" (the default merge_mode)
layers.Bidirectional(seq(), merge_mode="sum")(x)           # "sum"
layers.Bidirectional(seq(), merge_mode="ave")(x)           # "ave"
layers.Bidirectional(seq(), merge_mode="mul")(x)           # "mul"
layers.Bidirectional(seq(), merge_mode=None)(x)            # "none": one shape per tensor returned
layers.Bidirectional(layers.GRU(6))(x)                     # "last"
layers.Bidirectional(layers.LSTM(6, return_state=True))(x) # "lstm_state": one shape per tensor
layers.Bidirectional(layers.GRU(6, return_sequences=True, return_state=True),
                     merge_mode="sum")(x)                  # "gru_state_sum": one shape per tensor
"""

#: The names exercise 06.3 expects in the answer dict, in question order.
MERGE_KEYS = ("concat", "sum", "ave", "mul", "none", "last", "lstm_state", "gru_state_sum")

_B, _T, _N = 8, 15, 6


def _merge_expected() -> dict[str, Any]:
    """Run the question's code in Keras and record what it returns (the answer key).

    The key depends only on Keras, not on the answer: it is computed once per process (eight
    recurrent layers run eagerly cost about two seconds on JAX) and copied for each check.
    """
    return dict(_merge_expected_once())


@functools.lru_cache(maxsize=1)
def _merge_expected_once() -> dict[str, Any]:
    from keras import layers

    def shape(out: Any) -> Any:
        if isinstance(out, (list, tuple)):
            return tuple(shape(o) for o in out)
        return tuple(int(d) for d in out.shape)

    x = np.zeros((_B, _T, 4), dtype="float32")

    def seq() -> Any:
        return layers.GRU(_N, return_sequences=True)

    return {
        "concat": shape(layers.Bidirectional(seq())(x)),
        "sum": shape(layers.Bidirectional(seq(), merge_mode="sum")(x)),
        "ave": shape(layers.Bidirectional(seq(), merge_mode="ave")(x)),
        "mul": shape(layers.Bidirectional(seq(), merge_mode="mul")(x)),
        "none": shape(layers.Bidirectional(seq(), merge_mode=None)(x)),
        "last": shape(layers.Bidirectional(layers.GRU(_N))(x)),
        "lstm_state": shape(layers.Bidirectional(layers.LSTM(_N, return_state=True))(x)),
        "gru_state_sum": shape(
            layers.Bidirectional(layers.GRU(_N, return_sequences=True, return_state=True), merge_mode="sum")(
                x
            )
        ),
    }


def _n_tensors(got: Any) -> int:
    """How many shapes an answer lists: 1 for a plain shape."""
    return len(got) if isinstance(got, tuple) and got and isinstance(got[0], tuple) else 1


def _merge_diagnosis(key: str, got: Any, want: Any) -> str:
    """The likely misconception behind a wrong shape."""
    seq, half = (_B, _T, _N), (_B, _N)
    if isinstance(got, tuple) and not isinstance(want[0], tuple) and got == want[1:]:
        return f"keep the batch axis: every shape starts with the batch size, {_B}."
    if key == "concat":
        if got == seq:
            return (
                f"'concat' puts the two directions side by side along the last axis: "
                f"{_N} + {_N} numbers per step."
            )
        if got == (_B, 2 * _T, _N):
            return "the directions are concatenated along the last axis (features), not along time."
    if key in ("sum", "ave", "mul") and got == (_B, _T, 2 * _N):
        return (
            f"'{key}' combines the two directions element by element, so each step keeps "
            f"{_N} numbers; only 'concat' doubles them."
        )
    if key == "none":
        if _n_tensors(got) == 1:
            return (
                "with merge_mode=None nothing is merged: the layer returns a list of two "
                "tensors, the forward and the backward outputs. Give a tuple of 2 shapes."
            )
        if got == ((_B, _T, 2 * _N), (_B, _T, 2 * _N)):
            return f"each direction alone has {_N} numbers per step."
    if key == "last":
        if got == (_B, _T, 2 * _N):
            return (
                "without return_sequences each direction returns only its final state: no "
                "time axis, (batch, 2 * units)."
            )
        if got == half:
            return f"the default merge is 'concat': the two final states side by side, {2 * _N} numbers."
    if key == "lstm_state":
        n = _n_tensors(got)
        if n != 5:
            return (
                "a bidirectional LSTM with return_state=True returns 5 tensors: the merged "
                "output, then h and C of the forward LSTM, then h and C of the backward one. "
                f"You gave {n}."
            )
        if got[0] == half:
            return f"the first tensor is the merged output, 'concat' by default: {2 * _N} numbers."
        if got[1] == (_B, 2 * _N):
            return f"the states are not merged: each of the four is one direction's, {_N} numbers."
    if key == "gru_state_sum":
        n = _n_tensors(got)
        if n != 3:
            return (
                "a GRU has one state, so a bidirectional GRU with return_state=True returns 3 "
                f"tensors: the merged output, the forward h, the backward h. You gave {n}."
            )
        if got[0] == (_B, _T, 2 * _N):
            return f"'sum' adds the directions element by element: {_N} numbers per step."
        if got[0] == half:
            return "return_sequences=True keeps the time axis in the merged output."
        if got[1:] == ((_B, _T, _N),) * 2:
            return "the returned states are final states, one vector per sequence: (batch, units)."
    return "check the shapes step by step, writing each intermediate shape down."


@exercise("06.3", "merge modes and states")
def check_merge_shapes(answer: Any) -> None:
    """Check a dict ``{name: shape}`` against what Keras returns for :data:`MERGE_QUESTION`.

    Args:
        answer: a dict with the keys of :data:`MERGE_KEYS`; each value a tuple of ints such as
            ``(8, 15, 12)``, or, where a line returns several tensors, a tuple of such tuples.
            Lists are accepted for tuples. ``None`` counts as not attempted.
    """
    expect_shape_answers(answer, _merge_expected(), _merge_diagnosis, name="merge_shapes")
