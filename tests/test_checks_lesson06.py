"""Lesson 06 checkers: the reference passes, correct alternatives pass, the likely bugs are
named, and the untouched stub is "not attempted"."""

import keras
import numpy as np
import pytest
from keras import layers, ops
from notebook_solutions import notebook_solution

import seqkeras.reference as ref
from seqkeras.checks.lesson06 import (
    MERGE_KEYS,
    check_birnn_forward,
    check_build_bidirectional_tagger,
    check_merge_shapes,
)
from seqkeras.grading import ExerciseError
from seqkeras.layers import Backward


def passed(outcome):
    return outcome is not None and bool(outcome) is True


# ----------------------------------------------------------------------------- 06.1 birnn_forward
def reference(x, lengths, forward, backward):
    return ref.birnn_forward(x, lengths, forward, backward)


def step_by_step(x, lengths, forward, backward):
    """Another correct answer: one sequence at a time, with the cell step, and a loop that runs
    backwards over the real steps instead of reversing arrays."""
    (Uf, Wf, bf), (Ub, Wb, bb) = forward, backward
    batch, T, _ = x.shape
    out = np.zeros((batch, T, Uf.shape[1] + Ub.shape[1]))
    for i in range(batch):
        n = int(lengths[i])
        h = np.zeros((1, Uf.shape[1]))
        for t in range(n):
            h = ref.rnn_cell_step(x[i, t][None], h, Uf, Wf, bf)
            out[i, t, : Uf.shape[1]] = h[0]
        h = np.zeros((1, Ub.shape[1]))
        for t in reversed(range(n)):
            h = ref.rnn_cell_step(x[i, t][None], h, Ub, Wb, bb)
            out[i, t, Uf.shape[1] :] = h[0]
    return out


def flip_and_mask(x, lengths, forward, backward):
    """Another correct answer, Keras' way: flip everything, but let the backward RNN skip the
    padding (which is now at the front) by keeping its state at zero there."""
    Ub, Wb, bb = backward
    T = x.shape[1]
    real = np.arange(T)[None, :] < np.asarray(lengths)[:, None]
    fwd = ref.rnn_forward(x, None, *forward) * real[..., None]
    xr, mr = x[:, ::-1], real[:, ::-1]
    h = np.zeros((x.shape[0], Ub.shape[1]))
    states = []
    for t in range(T):
        h = np.where(mr[:, t : t + 1], np.tanh(xr[:, t] @ Ub + h @ Wb + bb), h)
        states.append(h * mr[:, t : t + 1])
    return np.concatenate([fwd, np.stack(states, axis=1)[:, ::-1]], axis=-1)


def flipped(x):
    return x[:, ::-1]


def not_reversed_back(x, lengths, forward, backward):
    bwd = ref.rnn_forward(ref.reverse_padded(x, lengths), None, *backward)
    real = (np.arange(x.shape[1])[None] < lengths[:, None])[..., None]
    return np.concatenate([ref.rnn_forward(x, None, *forward), bwd], axis=-1) * real


def padding_to_front(x, lengths, forward, backward):
    real = (np.arange(x.shape[1])[None] < lengths[:, None])[..., None]
    bwd = ref.rnn_forward(flipped(x), None, *backward)[:, ::-1]
    return np.concatenate([ref.rnn_forward(x, None, *forward), bwd], axis=-1) * real


def padding_to_front_not_back(x, lengths, forward, backward):
    bwd = ref.rnn_forward(flipped(x), None, *backward)
    return np.concatenate([ref.rnn_forward(x, None, *forward), bwd], axis=-1)


def shared_weights(x, lengths, forward, backward):
    return ref.birnn_forward(x, lengths, forward, forward)


def shared_state(x, lengths, forward, backward):
    real = (np.arange(x.shape[1])[None] < lengths[:, None])[..., None]
    fwd = ref.rnn_forward(x, None, *forward)
    h_last = fwd[np.arange(len(x)), np.maximum(lengths - 1, 0)]
    bwd = ref.reverse_padded(ref.rnn_forward(ref.reverse_padded(x, lengths), h_last, *backward), lengths)
    return np.concatenate([fwd, bwd], axis=-1) * real


def swapped(x, lengths, forward, backward):
    f, b = ref.birnn_forward(x, lengths, forward, backward, merge_mode=None)
    return np.concatenate([b, f], axis=-1)


def padding_not_zero(x, lengths, forward, backward):
    fwd = ref.rnn_forward(x, None, *forward)
    bwd = ref.reverse_padded(ref.rnn_forward(ref.reverse_padded(x, lengths), None, *backward), lengths)
    return np.concatenate([fwd, bwd], axis=-1)


def in_place(x, lengths, forward, backward):
    out = ref.birnn_forward(x, lengths, forward, backward)
    for i, n in enumerate(lengths):
        x[i, :n] = x[i, :n][::-1]
    return out


def summed(x, lengths, forward, backward):
    return ref.birnn_forward(x, lengths, forward, backward, merge_mode="sum")


def forward_twice(x, lengths, forward, backward):
    real = (np.arange(x.shape[1])[None] < lengths[:, None])[..., None]
    fwd = ref.rnn_forward(x, None, *forward) * real
    return np.concatenate([fwd, ref.rnn_forward(x, None, *backward) * real], axis=-1)


def test_birnn_reference_passes(capsys):
    assert passed(check_birnn_forward(reference))
    assert "✅ Exercise 06.1 (birnn_forward): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [step_by_step, flip_and_mask])
def test_birnn_correct_alternatives_pass(answer):
    assert passed(check_birnn_forward(answer))


@pytest.mark.parametrize(
    "answer, diagnosis",
    [
        (not_reversed_back, "still in the order the backward RNN made them"),
        (padding_to_front, "read the padding first"),
        (padding_to_front_not_back, "never reversed back"),
        (shared_weights, "uses the forward weights"),
        (shared_state, "starts from the forward RNN's final state"),
        (swapped, "halves are swapped"),
        (padding_not_zero, "padded steps are not 0"),
        (in_place, "changed its input in place"),
        (summed, "do not add them"),
        (forward_twice, "reads from left to right"),
    ],
)
def test_birnn_bugs_are_named(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_birnn_forward(answer)


def test_birnn_hard_coded_sizes_fail():
    def fixed_length(x, lengths, forward, backward):  # written for the lesson's T = 5
        return ref.birnn_forward(x[:, :5], np.minimum(lengths, 5), forward, backward)

    with pytest.raises(ExerciseError, match="shape"):
        check_birnn_forward(fixed_length)


def test_birnn_wrong_kind_and_stub(assert_not_attempted):
    with pytest.raises(ExerciseError, match="array of numbers"):
        check_birnn_forward(lambda *args: "states")
    assert_not_attempted(check_birnn_forward)


# ----------------------------------------------------------------------------- 06.2 the tagger
def tagger(
    vocab_size,
    num_tags,
    units=16,
    *,
    mask=True,
    wrap="bidirectional",
    cell=layers.GRU,
    sequences=True,
    activation="softmax",
    merge_mode="concat",
):
    rnn = cell(units, return_sequences=sequences)
    middle = {
        "bidirectional": lambda: layers.Bidirectional(rnn, merge_mode=merge_mode),
        "forward": lambda: rnn,
        "backward": lambda: Backward(rnn),
    }[wrap]()
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(vocab_size, 8, mask_zero=mask),
            middle,
            layers.Dense(num_tags, activation=activation),
        ]
    )


def by_hand(vocab_size, num_tags, units=16):
    """Correct, functional, two layers: a forward GRU and seqkeras' Backward, concatenated."""
    ids = keras.Input((None,), dtype="int32")
    e = layers.Embedding(vocab_size, 8, mask_zero=True)(ids)
    h = layers.Concatenate()(
        [layers.GRU(units, return_sequences=True)(e), Backward(layers.GRU(units, return_sequences=True))(e)]
    )
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(h))


class FlipBack(layers.Layer):
    """Flip the time axis, keeping the mask (the learner's own helper layer)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, x):
        return ops.flip(x, axis=1)


def go_backwards(vocab_size, num_tags, units=16, *, flip=True):
    ids = keras.Input((None,), dtype="int32")
    e = layers.Embedding(vocab_size, 8, mask_zero=True)(ids)
    back = layers.LSTM(units, return_sequences=True, go_backwards=True)(e)
    if flip:
        back = FlipBack()(back)
    h = layers.Concatenate()([layers.LSTM(units, return_sequences=True)(e), back])
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(h))


class Subclassed(keras.Model):
    def __init__(self, vocab_size, num_tags, units):
        super().__init__()
        self.embed = layers.Embedding(vocab_size, 8, mask_zero=True)
        self.rnn = layers.Bidirectional(layers.SimpleRNN(units, return_sequences=True), merge_mode="ave")
        self.out = layers.Dense(num_tags, activation="softmax")

    def call(self, ids):
        return self.out(self.rnn(self.embed(ids)))


def test_tagger_reference_passes(capsys):
    assert passed(check_build_bidirectional_tagger(tagger))
    assert "✅ Exercise 06.2 (build_bidirectional_tagger): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer",
    [
        by_hand,
        go_backwards,
        lambda v, n, units=16: tagger(v, n, units, cell=layers.LSTM, merge_mode="sum"),
        lambda v, n, units=16: tagger(v, n, units, cell=layers.SimpleRNN, merge_mode="mul"),
        lambda v, n, units=16: Subclassed(v, n, units),
    ],
)
def test_tagger_correct_alternatives_pass(answer):
    assert passed(check_build_bidirectional_tagger(answer))


@pytest.mark.parametrize(
    "answer, diagnosis",
    [
        (lambda v, n, units=16: tagger(v, n, units, wrap="forward"), "reads only from left to right"),
        (lambda v, n, units=16: tagger(v, n, units, wrap="backward"), "reads only from right to left"),
        (lambda v, n, units=16: go_backwards(v, n, units, flip=False), "flip it back"),
        (lambda v, n, units=16: tagger(v, n, units, mask=False), "reads the padding"),
        (lambda v, n, units=16: tagger(v, n, 16), "use the argument"),
        (lambda v, n, units=16: tagger(v, n, units, sequences=False), "one vector per sentence"),
        (lambda v, n, units=16: tagger(v, n, units, activation=None), "not probabilities"),
        (lambda v, n, units=16: tagger(v, n, units, merge_mode=None), "merge_mode=None"),
        (lambda v, n, units=16: tagger(v, 12, units), "hard-code the number of tags"),
        (
            lambda v, n, units=16: keras.Sequential(
                [
                    keras.Input((None,), dtype="int32"),
                    layers.Embedding(v, 8, mask_zero=True),
                    layers.Dense(n, activation="softmax"),
                ]
            ),
            "no output depends on the other words",
        ),
    ],
)
def test_tagger_bugs_are_named(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_bidirectional_tagger(answer)


def test_tagger_two_outputs_are_named():
    def two_outputs(vocab_size, num_tags, units=16):
        ids = keras.Input((None,), dtype="int32")
        e = layers.Embedding(vocab_size, 8, mask_zero=True)(ids)
        f, b = layers.Bidirectional(layers.GRU(units, return_sequences=True), merge_mode=None)(e)
        head = layers.Dense(num_tags, activation="softmax")
        return keras.Model(ids, [head(f), head(b)])

    with pytest.raises(ExerciseError, match="returns 2 tensors"):
        check_build_bidirectional_tagger(two_outputs)


def test_tagger_wrong_kind_and_stub(assert_not_attempted):
    with pytest.raises(ExerciseError, match="should be a Keras model"):
        check_build_bidirectional_tagger(lambda *args: np.zeros(3))
    assert_not_attempted(check_build_bidirectional_tagger)


# ----------------------------------------------------------------------------- 06.3 shapes
RIGHT = {
    "concat": (8, 15, 12),
    "sum": (8, 15, 6),
    "ave": (8, 15, 6),
    "mul": (8, 15, 6),
    "none": ((8, 15, 6), (8, 15, 6)),
    "last": (8, 12),
    "lstm_state": ((8, 12), (8, 6), (8, 6), (8, 6), (8, 6)),
    "gru_state_sum": ((8, 15, 6), (8, 6), (8, 6)),
}


def test_merge_shapes_reference_passes(capsys):
    assert set(RIGHT) == set(MERGE_KEYS)
    assert passed(check_merge_shapes(RIGHT))
    assert "✅ Exercise 06.3 (merge modes and states): passed" in capsys.readouterr().out


def test_merge_shapes_accepts_lists_and_numpy_ints():
    answer = {k: [list(s) for s in v] if isinstance(v[0], tuple) else list(v) for k, v in RIGHT.items()}
    answer["sum"] = tuple(np.int64(d) for d in RIGHT["sum"])
    assert passed(check_merge_shapes(answer))


@pytest.mark.parametrize(
    "key, wrong, diagnosis",
    [
        ("concat", (8, 15, 6), "side by side along the last axis"),
        ("concat", (8, 30, 6), "not along time"),
        ("sum", (8, 15, 12), "element by element"),
        ("mul", (15, 6), "keep the batch axis"),
        ("none", (8, 15, 12), "returns a list of two"),
        ("last", (8, 15, 12), "no time axis"),
        ("last", (8, 6), "side by side"),
        ("lstm_state", ((8, 12), (8, 6), (8, 6)), "returns 5 tensors"),
        ("lstm_state", ((8, 12), (8, 12), (8, 12), (8, 12), (8, 12)), "the states are not merged"),
        ("gru_state_sum", ((8, 15, 6), (8, 6), (8, 6), (8, 6), (8, 6)), "one state"),
        ("gru_state_sum", ((8, 15, 12), (8, 6), (8, 6)), "'sum' adds"),
    ],
)
def test_merge_shapes_misconceptions_are_named(key, wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_merge_shapes(dict(RIGHT, **{key: wrong}))


def test_merge_shapes_reports_every_wrong_entry_and_missing_keys():
    with pytest.raises(ExerciseError, match="2 of 8 shapes are wrong"):
        check_merge_shapes(dict(RIGHT, sum=(8, 15, 12), last=(8, 15, 12)))
    with pytest.raises(ExerciseError, match="no entry for"):
        check_merge_shapes({k: v for k, v in RIGHT.items() if k != "none"})
    with pytest.raises(ExerciseError, match="answer with a dict"):
        check_merge_shapes([(8, 15, 12)])


def test_merge_shapes_not_attempted(assert_not_attempted):
    assert_not_attempted(check_merge_shapes, answer=dict.fromkeys(MERGE_KEYS))
    assert_not_attempted(check_merge_shapes, answer=None)


# ----------------------------------------------------------------------------- issue 20
def within_then_flipped_back(x, lengths, forward, backward):
    """Reversed within each length, but flipped back with [:, ::-1] (the whole row)."""
    real = (np.arange(x.shape[1])[None] < lengths[:, None])[..., None]
    bwd = ref.rnn_forward(ref.reverse_padded(x, lengths), None, *backward)[:, ::-1]
    return np.concatenate([ref.rnn_forward(x, None, *forward), bwd], axis=-1) * real


def zeroed_then_flipped(x, lengths, forward, backward):
    """Padding zeroed, then the whole row reversed: the backward RNN still reads the zeros."""
    real = (np.arange(x.shape[1])[None] < lengths[:, None])[..., None]
    bwd = ref.rnn_forward((x * real)[:, ::-1], None, *backward)[:, ::-1]
    return np.concatenate([ref.rnn_forward(x, None, *forward), bwd], axis=-1) * real


def per_sequence_no_empty(x, lengths, forward, backward):
    """Right for every sequence with a real step; crashes on a sequence of length 0."""
    out = np.zeros(x.shape[:2] + (forward[0].shape[1] + backward[0].shape[1],))
    for i, n in enumerate(lengths):
        seq = x[i : i + 1, :n]
        f = ref.rnn_forward(seq, None, *forward)
        b = ref.rnn_forward(seq[:, ::-1], None, *backward)[:, ::-1]
        out[i, :n] = np.concatenate([f, b], axis=-1)[0]
        if n == 0:
            raise ValueError("need at least one array to stack")
    return out


def last_real_reversed(x, lengths, forward, backward):
    """x[i, n - 1::-1]: right for n >= 1, but for n = 0 it reverses the whole row."""
    rev = np.stack(
        [np.concatenate([x[i, n - 1 :: -1], x[i, n:]]) if n else x[i, ::-1] for i, n in enumerate(lengths)]
    )
    back = ref.rnn_forward(rev, None, *backward)
    back = np.stack(
        [
            np.concatenate([back[i, n - 1 :: -1], back[i, n:]]) if n else back[i, ::-1]
            for i, n in enumerate(lengths)
        ]
    )
    return np.concatenate([ref.rnn_forward(x, None, *forward), back], axis=-1)  # padding not zeroed


@pytest.mark.parametrize(
    "answer, diagnosis",
    [
        (within_then_flipped_back, r"flipped the states back with \[:, ::-1\]"),
        (zeroed_then_flipped, "zeroed the padding and then reversed the whole row"),
        (per_sequence_no_empty, "has length 0, no real step"),
        (last_real_reversed, "padded steps are not 0"),
        (lambda *args: reference(*args).tolist(), "the result is a list of"),
        (lambda *args: (reference(*args),), "trailing comma"),
    ],
)
def test_birnn_issue_20_bugs_are_named(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_birnn_forward(answer)


def test_birnn_cases_include_sequences_of_length_0():
    from seqkeras.checks.lesson06 import _CASES

    assert any(0 in case[3] for case in _CASES)


class MaskedMean(layers.Layer):
    """Each word's embedding beside the masked mean of the sentence's: no recurrence, no order."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, e, mask=None):
        m = ops.cast(mask, e.dtype)[..., None]
        mean = ops.sum(e * m, axis=1, keepdims=True) / ops.maximum(ops.sum(m, axis=1, keepdims=True), 1.0)
        return ops.concatenate([e, ops.broadcast_to(mean, ops.shape(e))], axis=-1)


def bag_of_words(vocab_size, num_tags, units=16):
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(vocab_size, 8, mask_zero=True),
            MaskedMean(),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


def unequal_directions(vocab_size, num_tags, units=16):
    ids = keras.Input((None,), dtype="int32")
    e = layers.Embedding(vocab_size, 8, mask_zero=True)(ids)
    h = layers.Concatenate()(
        [layers.GRU(units, return_sequences=True)(e), Backward(layers.GRU(3, return_sequences=True))(e)]
    )
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(h))


def conv_both_ways(vocab_size, num_tags, units=16):
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(vocab_size, 8),
            layers.Conv1D(units, 9, padding="same", activation="tanh"),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


def state_in_bidirectional(vocab_size, num_tags, units=16, *, cell=layers.GRU):
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(vocab_size, 8, mask_zero=True),
            layers.Bidirectional(cell(units, return_sequences=True, return_state=True)),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


def first_of_the_states(vocab_size, num_tags, units=16):
    """Correct: return_state=True, but only the sequence is kept."""
    ids = keras.Input((None,), dtype="int32")
    e = layers.Embedding(vocab_size, 8, mask_zero=True)(ids)
    h, *_ = layers.Bidirectional(layers.LSTM(units, return_sequences=True, return_state=True))(e)
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(h))


@pytest.mark.parametrize(
    "answer, diagnosis",
    [
        (bag_of_words, "bag of words"),
        (unequal_directions, r"have \[3, 7\] units.*each direction has `units` units"),
        (conv_both_ways, "(no recurrent layer|reads the padding)"),
        (state_in_bidirectional, "return_state=True inside Bidirectional"),
        (lambda v, n, units=16: state_in_bidirectional(v, n, units, cell=layers.LSTM), "received 5 tensors"),
    ],
)
def test_tagger_issue_20_bugs_are_named(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_bidirectional_tagger(answer)


def test_tagger_that_keeps_only_the_sequence_of_return_state_passes():
    assert passed(check_build_bidirectional_tagger(first_of_the_states))


@pytest.mark.parametrize(
    "checker, name",
    [
        (check_birnn_forward, "birnn_forward"),
        (check_build_bidirectional_tagger, "build_bidirectional_tagger"),
    ],
)
def test_the_notebooks_solutions_pass(checker, name):
    assert passed(checker(notebook_solution("06_bidirectional.ipynb", name)))
