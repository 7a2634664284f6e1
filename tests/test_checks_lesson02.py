"""Lesson 02 checkers: the reference and correct variants pass, bugs of every class are named,
answers of the wrong kind get a sentence, the stub is "not attempted"."""

import keras
import numpy as np
import pytest
from keras import layers, ops

import seqkeras.reference as ref
from seqkeras.checks.lesson02 import (
    SHAPE_KEYS,
    check_build_1_to_n,
    check_build_n_to_1,
    check_build_n_to_m,
    check_build_n_to_n,
    check_masked_mean_loss,
    check_one_to_n_input_grad,
    check_shapes,
    masked_mean_loss_reference,
    one_to_n_loss,
)
from seqkeras.grading import ExerciseError


def passed(outcome):
    return outcome is not None and bool(outcome) is True


def ids_input():
    return keras.Input((None,), dtype="int32")


# ----------------------------------------------------------------------------- 02.1 shapes
RIGHT = {
    "embedding": (16, 12, 8),
    "gru": (16, 32),
    "gru_sequences": (16, 12, 32),
    "lstm_state": ((16, 32), (16, 32), (16, 32)),
    "dense_per_step": (16, 12, 5),
    "repeat": (16, 6, 32),
    "stacked": "error",
    "caption_states": (16, 6, 32),
}


def test_shapes_reference_passes(capsys):
    assert set(RIGHT) == set(SHAPE_KEYS)
    assert passed(check_shapes(RIGHT))
    assert "✅ Exercise 02.1 (predict the shapes): passed" in capsys.readouterr().out


def test_shapes_accepts_other_spellings():
    answer = {k: list(v) if isinstance(v, tuple) else v for k, v in RIGHT.items()}
    answer["lstm_state"] = [[16, 32], [16, 32], [16, 32]]
    answer["stacked"] = " Error"
    answer["embedding"] = np.array([16, 12, 8])
    answer["gru"] = (np.int64(16), np.int32(32))
    answer["repeat"] = TensorShapeLike([16, 6, 32])
    assert passed(check_shapes(answer))


class TensorShapeLike:
    """What tf.TensorShape offers: as_list()."""

    def __init__(self, dims):
        self.dims = dims

    def as_list(self):
        return list(self.dims)


@pytest.mark.parametrize(
    "key, wrong, diagnosis",
    [
        ("embedding", (16, 12), "adds an axis"),
        ("embedding", (16, 12, 1000), "not the vocabulary size"),
        ("gru", (16, 12, 32), "returns only its last state"),
        ("gru", (32,), "keep the batch axis"),
        ("gru", (None, 32), "None stands for a size Keras does not know yet"),
        ("gru_sequences", (16, 32), "keeps the time axis"),
        ("lstm_state", ((16, 32), (16, 32)), "returns three tensors"),
        ("lstm_state", (16, 32), "returns three tensors"),
        ("lstm_state", (16, 12, 32), "returns three tensors"),
        ("lstm_state", ((16, 12, 32), (16, 32), (16, 32)), "does not switch on return_sequences"),
        ("dense_per_step", (16, 5), "the time axis stays"),
        ("dense_per_step", (16, 12, 32), "replaces the last axis"),
        ("repeat", (16, 32, 6), "in the middle"),
        ("stacked", (16, 16), 'answer "error"'),
        ("caption_states", "error", "not an error"),
        ("caption_states", (16, 6, 64), "maps the 64 features"),
        ("caption_states", (2, 2), "step by step"),
        # answers of the wrong kind
        (
            "embedding",
            np.zeros((16, 12, 8)),
            r"you wrote a ndarray of shape \(16, 12, 8\)\. that is a tensor \(of shape \(16, 12, 8\)\), not a shape",
        ),
        ("gru", np.int64(32), r"you wrote np\.int64\(32\)\. check the shapes"),
        ("gru", "(16, 32)", "not as text"),
        ("gru", None, "not answered yet"),
    ],
)
def test_shapes_misconceptions_are_named(key, wrong, diagnosis):
    answer = dict(RIGHT, **{key: wrong})
    with pytest.raises(ExerciseError, match=diagnosis):
        check_shapes(answer)


def test_shapes_reports_every_wrong_entry_and_missing_keys():
    answer = dict(RIGHT, gru=(16, 12, 32), repeat=(16, 32, 6))
    with pytest.raises(ExerciseError, match="2 of 8 shapes are wrong"):
        check_shapes(answer)
    with pytest.raises(ExerciseError, match=r"no entry for \['stacked'\]\D*$"):
        check_shapes({k: v for k, v in RIGHT.items() if k != "stacked"})
    typo = {("stacks" if k == "stacked" else k): v for k, v in RIGHT.items()}
    with pytest.raises(ExerciseError, match=r"spelling of \['stacks'\]"):
        check_shapes(typo)
    with pytest.raises(ExerciseError, match="answer with a dict.*got list"):
        check_shapes([(16, 12, 8)])


def test_shapes_not_attempted(assert_not_attempted):
    assert_not_attempted(check_shapes, answer=None)
    assert_not_attempted(check_shapes, answer=dict.fromkeys(SHAPE_KEYS))


# ----------------------------------------------------------------------------- 02.2 N vs N
def build_n_to_n(vocab_size, num_tags, units=16):  # the notebook's solution
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(vocab_size, 16, mask_zero=True),
            layers.GRU(units, return_sequences=True),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


def n_to_n_explicit_mask(vocab_size, num_tags, units):  # functional, mask passed by hand
    ids = ids_input()
    states = layers.LSTM(units, return_sequences=True)(
        layers.Embedding(vocab_size, 16)(ids), mask=ops.not_equal(ids, 0)
    )
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(states))


def n_to_n_bidirectional(vocab_size, num_tags, units):
    return keras.Sequential(
        [
            ids_input(),
            layers.Embedding(vocab_size, 16, mask_zero=True),
            layers.Bidirectional(layers.GRU(units, return_sequences=True)),
            layers.TimeDistributed(layers.Dense(num_tags, activation="softmax")),
        ]
    )


class Tagger(keras.Model):  # subclassed, SimpleRNN
    def __init__(self, vocab_size, num_tags, units):
        super().__init__()
        self.embed = layers.Embedding(vocab_size, 16, mask_zero=True)
        self.rnn = layers.SimpleRNN(units, return_sequences=True)
        self.out = layers.Dense(num_tags, activation="softmax")

    def call(self, ids):
        return self.out(self.rnn(self.embed(ids)))


def n_to_n_rnn_cell(vocab_size, num_tags, units):  # RNN(cell), one spare embedding row
    return keras.Sequential(
        [
            ids_input(),
            layers.Embedding(vocab_size + 1, 16, mask_zero=True),
            layers.RNN(layers.GRUCell(units), return_sequences=True),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


@pytest.mark.parametrize(
    "builder", [build_n_to_n, n_to_n_explicit_mask, n_to_n_bidirectional, Tagger, n_to_n_rnn_cell]
)
def test_n_to_n_correct_models_pass(builder, capsys):
    assert passed(check_build_n_to_n(builder))
    assert "✅ Exercise 02.2 (build_n_to_n): passed" in capsys.readouterr().out


def n_to_n(
    vocab_size,
    num_tags,
    units,
    *,
    mask=True,
    sequences=True,
    rnn=True,
    activation="softmax",
    masking=False,
    fixed_units=None,
    fixed_vocab=None,
    fixed_tags=None,
    dense=True,
    zero_embeddings=False,
):
    init = "zeros" if zero_embeddings else "uniform"
    stack = [
        ids_input(),
        layers.Embedding(fixed_vocab or vocab_size, 16, mask_zero=mask, embeddings_initializer=init),
    ]
    if masking:
        stack.append(layers.Masking(0.0))
    if rnn:
        stack.append(layers.GRU(fixed_units or units, return_sequences=sequences))
    if dense:
        stack.append(layers.Dense(fixed_tags or num_tags, activation=activation))
    return keras.Sequential(stack)


def n_to_n_bag(vocab_size, num_tags, units):  # running average of the embeddings
    ids = ids_input()
    real = ops.expand_dims(ops.cast(ops.not_equal(ids, 0), "float32"), -1)
    summed = ops.cumsum(layers.Embedding(vocab_size, 16)(ids) * real, axis=1)
    mean = summed / ops.maximum(ops.cumsum(real, axis=1), 1.0)
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(layers.Dense(units)(mean)))


@pytest.mark.parametrize(
    "kwargs, diagnosis",
    [
        ({"sequences": False}, "one vector per sequence.*set return_sequences=True"),
        ({"mask": False}, r"padding \(id 0\) in front of the words changes.*mask_zero=True"),
        # lucky starting state: zero embeddings and zero biases keep the state at 0 on padding
        ({"mask": False, "zero_embeddings": True}, r"padding \(id 0\) in front of the words changes"),
        ({"mask": False, "masking": True}, "A Masking layer after the Embedding masks nothing"),
        ({"rnn": False}, "does not change when the first word changes: each word is tagged on its own"),
        ({"fixed_units": 16}, "called with units=7, but your recurrent layer has 16 units"),
        ({"fixed_vocab": 1000}, "called with vocab_size=37, but your Embedding has a table of 1000 rows"),
        ({"fixed_vocab": 36}, "called with vocab_size=37, but your Embedding has a table of 36 rows"),
        (
            {"fixed_tags": 12},
            r"called with num_tags=5, but each step has 12 numbers: .* one probability per tag\.$",
        ),
        ({"activation": None}, "not probabilities over the tags"),
        ({"activation": "sigmoid"}, "not probabilities over the tags"),
        ({"dense": False}, "recurrent states themselves"),
    ],
)
def test_n_to_n_bugs_are_named(kwargs, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_n(lambda v, t, u: n_to_n(v, t, u, **kwargs))


def n_to_n_centred(vocab_size, num_tags, units):  # sums to 1 without a softmax
    scores = layers.Dense(num_tags)(
        layers.GRU(units, return_sequences=True)(
            layers.Embedding(vocab_size, 16, mask_zero=True)(ids := ids_input())
        )
    )
    return keras.Model(ids, scores - ops.mean(scores, axis=-1, keepdims=True) + 1 / num_tags)


def n_to_n_shifted(vocab_size, num_tags, units):  # drops the last step (targets shifted?)
    states = layers.GRU(units, return_sequences=True)(
        layers.Embedding(vocab_size, 16, mask_zero=True)(ids := ids_input())
    )
    return keras.Model(ids, layers.Dense(num_tags, activation="softmax")(states[:, :-1]))


def n_to_n_nested(vocab_size, num_tags, units):  # the RNN inside a nested model
    inner = keras.Sequential([keras.Input((None, 16)), layers.GRU(16, return_sequences=True)])
    return keras.Sequential(
        [ids_input(), layers.Embedding(vocab_size, 16), inner, layers.Dense(num_tags, activation="softmax")]
    )


def n_to_n_bidirectional_fixed(vocab_size, num_tags, units):
    return keras.Sequential(
        [
            ids_input(),
            layers.Embedding(vocab_size, 16, mask_zero=True),
            layers.Bidirectional(layers.GRU(16, return_sequences=True)),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


def n_to_n_cell_fixed(vocab_size, num_tags, units):
    return keras.Sequential(
        [
            ids_input(),
            layers.Embedding(vocab_size, 16, mask_zero=True),
            layers.RNN(layers.GRUCell(16), return_sequences=True),
            layers.Dense(num_tags, activation="softmax"),
        ]
    )


@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (n_to_n_bag, "treats the words before it as a bag"),
        (n_to_n_centred, "not probabilities over the tags.*the smallest entry is -"),
        (n_to_n_shifted, r"for a batch of shape \(4, 10\) the output has shape \(4, 9, 5\)"),
        (n_to_n_nested, "called with units=7, but your recurrent layer has 16 units"),
        (n_to_n_bidirectional_fixed, "called with units=7, but your recurrent layer has 16 units"),
        (n_to_n_cell_fixed, "called with units=7, but your recurrent layer has 16 units"),
    ],
)
def test_n_to_n_behaviour_bugs_are_named(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_n(builder)


@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (lambda v, t, u: None, "forget to `return`"),
        (lambda v, t, u: n_to_n(v, t, u).layers, "returned a list of 3 items: return only the model"),
        (lambda v, t, u: n_to_n(v, t, u).outputs[0], "returned a tensor.*keras.Model\\(inputs, outputs\\)"),
        (lambda v, t, u: layers.GRU(u, return_sequences=True), "returned a single layer \\(GRU\\)"),
        (lambda v, t, u: np.zeros((2, 5, t)), r"returned an array of shape \(2, 5, 5\)"),
        (lambda v, t, u: "model", "return the model itself.*got str"),
    ],
)
def test_n_to_n_answers_of_the_wrong_kind(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_n(builder)


def _boom(x):
    raise ValueError("boom")


class CrashingTagger(keras.Model):
    def call(self, ids):
        _boom(ids)


class SilentTagger(keras.Model):  # forgot `return` in call()
    def __init__(self, vocab_size, num_tags, units):
        super().__init__()
        self.embed = layers.Embedding(vocab_size, 16)

    def call(self, ids):
        self.embed(ids)


def n_to_n_crashing(vocab_size, num_tags, units):
    ids = ids_input()
    return keras.Model(ids, layers.Lambda(_boom, output_shape=(None, num_tags))(ids))


def n_to_n_two_outputs(vocab_size, num_tags, units):
    states, last = layers.GRU(units, return_sequences=True, return_state=True)(
        layers.Embedding(vocab_size, 16, mask_zero=True)(ids := ids_input())
    )
    return keras.Model(ids, [layers.Dense(num_tags, activation="softmax")(states), last])


def n_to_n_dict(vocab_size, num_tags, units):
    model = n_to_n(vocab_size, num_tags, units)
    return keras.Model(model.inputs[0], {"tags": model.outputs[0]})


def n_to_n_nan(vocab_size, num_tags, units):
    model = n_to_n(vocab_size, num_tags, units, activation="relu")
    return keras.Model(model.inputs[0], ops.log(model.outputs[0]) * 0.0)  # log 0 * 0 = nan


@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (
            lambda v, t, u: CrashingTagger(),
            r"(?s)raised ValueError: [^\x1b]*boom.*\nCheck keras.Input\(shape=...\)",
        ),
        (n_to_n_crashing, r"(?s)raised ValueError: [^\x1b]*boom.*\nCheck keras.Input\(shape=...\)"),
        (SilentTagger, r"your model returned None: does its call\(\) method `return`"),
        (n_to_n_two_outputs, "your model returns 2 tensors; it should return one"),
        (n_to_n_dict, "your model returns a dict of 1 tensors"),
        (n_to_n_nan, "contains NaN or infinity"),
    ],
)
def test_n_to_n_broken_models_are_explained(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_n(builder)


def test_n_to_n_model_instead_of_builder():
    with pytest.raises(ExerciseError, match="you passed a Sequential, a model already built"):
        check_build_n_to_n(build_n_to_n(30, 5, 8))


def test_n_to_n_stub(assert_not_attempted):
    assert_not_attempted(check_build_n_to_n)


# ----------------------------------------------------------------------------- 02.3 N vs 1
def build_n_to_1(vocab_size, num_classes, units=16):  # the notebook's solution
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            layers.Embedding(vocab_size, 16, mask_zero=True),
            layers.GRU(units),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


def n_to_1_explicit_mask(vocab_size, num_classes, units):  # functional, LSTM, mask by hand
    ids = ids_input()
    last = layers.LSTM(units)(layers.Embedding(vocab_size, 16)(ids), mask=ops.not_equal(ids, 0))
    return keras.Model(ids, layers.Dense(num_classes, activation="softmax")(last))


class Classifier(keras.Model):  # subclassed, bidirectional, stacked
    def __init__(self, vocab_size, num_classes, units):
        super().__init__()
        self.embed = layers.Embedding(vocab_size, 16, mask_zero=True)
        self.lower = layers.GRU(units, return_sequences=True)
        self.upper = layers.Bidirectional(layers.SimpleRNN(units))
        self.out = layers.Dense(num_classes, activation="softmax")

    def call(self, ids):
        return self.out(self.upper(self.lower(self.embed(ids))))


def n_to_1_dropout(vocab_size, num_classes, units):  # dropout is off outside training
    return keras.Sequential(
        [
            ids_input(),
            layers.Embedding(vocab_size, 16, mask_zero=True),
            layers.GRU(units, dropout=0.3, recurrent_dropout=0.3),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


@pytest.mark.parametrize("builder", [build_n_to_1, n_to_1_explicit_mask, Classifier, n_to_1_dropout])
def test_n_to_1_correct_models_pass(builder, capsys):
    assert passed(check_build_n_to_1(builder))
    assert "✅ Exercise 02.3 (build_n_to_1): passed" in capsys.readouterr().out


def n_to_1(
    vocab_size,
    num_classes,
    units,
    *,
    mask=True,
    sequences=False,
    length=None,
    out=None,
    activation="softmax",
    masking=False,
    fixed_units=None,
    fixed_vocab=None,
):
    stack = [
        keras.Input((length,), dtype="int32"),
        layers.Embedding(fixed_vocab or vocab_size, 16, mask_zero=mask),
    ]
    if masking:
        stack.append(layers.Masking(0.0))
    stack += [
        layers.GRU(fixed_units or units, return_sequences=sequences),
        layers.Dense(out or num_classes, activation=activation),
    ]
    return keras.Sequential(stack)


def n_to_1_first_output(vocab_size, num_classes, units):  # reads the state after word 1
    ids = ids_input()
    states = layers.GRU(units, return_sequences=True)(layers.Embedding(vocab_size, 16, mask_zero=True)(ids))
    return keras.Model(ids, layers.Dense(num_classes, activation="softmax")(states[:, 0]))


def n_to_1_pooled(vocab_size, num_classes, units):  # an average of the word vectors
    return keras.Sequential(
        [
            ids_input(),
            layers.Embedding(vocab_size, units, mask_zero=True),
            layers.GlobalAveragePooling1D(),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


def n_to_1_last_five(vocab_size, num_classes, units):  # keeps only the last 5 ids
    ids = ids_input()
    last = layers.GRU(units)(layers.Embedding(vocab_size, 16, mask_zero=True)(ids[:, -5:]))
    return keras.Model(ids, layers.Dense(num_classes, activation="softmax")(last))


@pytest.mark.parametrize(
    "kwargs, diagnosis",
    [
        ({"sequences": True}, "returns a sequence.*set return_sequences=False"),
        ({"mask": False}, r"padding \(id 0\) moved from after the words to in front of them.*mask_zero=True"),
        ({"mask": False, "masking": True}, "A Masking layer after the Embedding masks nothing"),
        ({"out": 1, "activation": "sigmoid"}, "one sigmoid output"),
        ({"out": 3}, r"called with num_classes=4, but each sequence gets 3 numbers: .* per class\.$"),
        ({"out": 10}, "called with num_classes=4, but each sequence gets 10 numbers"),
        ({"activation": "tanh"}, "not probabilities over the classes"),
        ({"fixed_units": 32}, "called with units=7, but your recurrent layer has 32 units"),
        ({"fixed_vocab": 50}, "called with vocab_size=41, but your Embedding has a table of 50 rows"),
    ],
)
def test_n_to_1_bugs_are_named(kwargs, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_1(lambda v, c, u: n_to_1(v, c, u, **kwargs))


def n_to_1_squeezed(vocab_size, num_classes, units):  # one sigmoid, then a stray squeeze
    model = n_to_1(vocab_size, num_classes, units, out=1, activation="sigmoid")
    return keras.Model(model.inputs[0], ops.squeeze(model.outputs[0], axis=-1))


@pytest.mark.filterwarnings("ignore:Layer .* mask:UserWarning")  # the wrong models drop the mask
@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (n_to_1_squeezed, r"the output has shape \(5,\), expected \(5, 4\)"),
        (n_to_1_first_output, "does not change when the LAST word changes"),
        (n_to_1_pooled, "bag of words"),
        (n_to_1_last_five, "does not change when the FIRST word changes"),
    ],
)
def test_n_to_1_behaviour_bugs_are_named(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_1(builder)


# the wrong model drops the mask on purpose
@pytest.mark.filterwarnings("ignore:Layer .flatten.*mask:UserWarning")
def test_n_to_1_fixed_length_is_named():
    def flattened(vocab_size, num_classes, units):  # reads all 8 states through Flatten
        return keras.Sequential(
            [
                keras.Input((8,), dtype="int32"),
                layers.Embedding(vocab_size, 16, mask_zero=True),
                layers.GRU(units, return_sequences=True),
                layers.Flatten(),
                layers.Dense(num_classes, activation="softmax"),
            ]
        )

    with pytest.raises(
        ExerciseError,
        match=r"declares the shape \(8,\) .* does not fit \(10,\).*None "
        "for the length",
    ):
        check_build_n_to_1(flattened)


def test_n_to_1_stub(assert_not_attempted):
    assert_not_attempted(check_build_n_to_1)


# ----------------------------------------------------------------------------- 02.4 1 vs N
def build_1_to_n(n_features, steps, num_classes, units=16):  # the notebook's solution
    return keras.Sequential(
        [
            keras.Input((n_features,)),
            layers.RepeatVector(steps),
            layers.GRU(units, return_sequences=True),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )


def one_to_n_first_step(n_features, steps, num_classes, units):
    x = keras.Input((n_features,))
    seq = layers.ZeroPadding1D((0, steps - 1))(layers.Reshape((1, n_features))(x))
    h = layers.SimpleRNN(units, return_sequences=True)(seq)
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(h))


def one_to_n_init_state(n_features, steps, num_classes, units, *, use_state=True):
    x = keras.Input((n_features,))
    h0 = layers.Dense(units, activation="tanh")(x)
    zeros = layers.RepeatVector(steps)(layers.Dense(1, kernel_initializer="zeros", trainable=False)(x))
    h = layers.GRU(units, return_sequences=True)(zeros, initial_state=h0 if use_state else None)
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(h))


class Captioner(keras.Model):  # subclassed, LSTM, every step
    def __init__(self, n_features, steps, num_classes, units):
        super().__init__()
        self.repeat = layers.RepeatVector(steps)
        self.rnn = layers.LSTM(units, return_sequences=True)
        self.out = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        return self.out(self.rnn(self.repeat(x)))


@pytest.mark.parametrize("builder", [build_1_to_n, one_to_n_first_step, one_to_n_init_state, Captioner])
def test_1_to_n_correct_models_pass(builder, capsys):
    assert passed(check_build_1_to_n(builder))
    assert "✅ Exercise 02.4 (build_1_to_n): passed" in capsys.readouterr().out


def one_to_n(
    n_features,
    steps,
    num_classes,
    units,
    *,
    repeat=True,
    sequences=True,
    rnn=True,
    fixed_steps=None,
    fixed_units=None,
    fixed_features=None,
    fixed_classes=None,
    activation="softmax",
):
    x = keras.Input((fixed_features or n_features,))
    seq = layers.RepeatVector(fixed_steps or steps)(x) if repeat else x
    if rnn:
        seq = layers.SimpleRNN(fixed_units or units, return_sequences=sequences)(seq)
    return keras.Model(x, layers.Dense(fixed_classes or num_classes, activation=activation)(seq))


def one_to_n_repeat_after(n_features, steps, num_classes, units):  # the state never moves
    x = keras.Input((n_features,))
    last = layers.GRU(units)(layers.Reshape((1, n_features))(x))
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(layers.RepeatVector(steps)(last)))


def one_to_n_first_step_no_rnn(n_features, steps, num_classes, units):
    x = keras.Input((n_features,))
    seq = layers.ZeroPadding1D((0, steps - 1))(layers.Reshape((1, n_features))(x))
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(layers.Dense(units)(seq)))


@pytest.mark.parametrize(
    "kwargs, diagnosis",
    [
        ({"repeat": False}, "needs a sequence.*RepeatVector"),
        ({"sequences": False}, "one vector per input.*return_sequences=True"),
        ({"fixed_steps": 6}, "with steps=4 the output has 6 steps"),
        ({"fixed_steps": 4}, "with steps=1 the output has 4 steps"),
        ({"rnn": False}, "every step gives the same output"),
        ({"fixed_units": 32}, "called with units=7, but your recurrent layer has 32"),
        ({"fixed_features": 64}, "n_features=5, but your model's input has 64 features"),
        ({"activation": "relu"}, "not probabilities over the classes"),
        ({"fixed_classes": 10}, "called with num_classes=3, but each step has 10 numbers"),
    ],
)
def test_1_to_n_bugs_are_named(kwargs, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_1_to_n(lambda f, s, c, u: one_to_n(f, s, c, u, **kwargs))


def one_to_n_input_ignored(n_features, steps, num_classes, units):
    return one_to_n_init_state(n_features, steps, num_classes, units, use_state=False)


@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (one_to_n_repeat_after, "every step gives the same output.*BEFORE a recurrent layer"),
        (one_to_n_first_step_no_rnn, "the last step does not"),
        (one_to_n_input_ignored, "do not depend on the input"),
    ],
)
def test_1_to_n_behaviour_bugs_are_named(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_1_to_n(builder)


def one_to_n_dense_reshape(n_features, steps, num_classes, units):  # issue 20: no recurrent layer
    x = keras.Input((n_features,))
    h = layers.Dense(units, activation="tanh")(x)
    logits = layers.Reshape((steps, num_classes))(layers.Dense(steps * num_classes)(h))
    return keras.Model(x, layers.Softmax()(logits))


def one_to_n_rnn_then_dense_reshape(
    n_features, steps, num_classes, units
):  # a GRU, but Dense writes the steps
    x = keras.Input((n_features,))
    h = layers.GRU(units)(layers.Reshape((1, n_features))(x))
    logits = layers.Reshape((steps, num_classes))(layers.Dense(steps * num_classes)(h))
    return keras.Model(x, layers.Softmax()(logits))


@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (one_to_n_dense_reshape, "no recurrent layer"),
        (
            one_to_n_rnn_then_dense_reshape,
            "weights for steps=4 but .* for steps=9.*writes every step at once",
        ),
    ],
)
def test_1_to_n_without_a_recurrent_state_is_named(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_1_to_n(builder)


def test_1_to_n_stub(assert_not_attempted):
    assert_not_attempted(check_build_1_to_n)


# ----------------------------------------------------------------------------- 02.6 masked loss
def target_probs(probs, targets):
    return np.take_along_axis(probs, targets[..., None], axis=-1)[..., 0]  # (batch, T)


def masked_mean_loss(probs, targets, mask):  # the notebook's solution
    return -np.log(target_probs(probs, targets)[mask]).mean()


def masked_loss_where(probs, targets, mask):  # np.where, then a weighted sum
    p = np.where(mask, target_probs(probs, targets), 1.0)
    return float(-(np.log(p) * mask).sum() / mask.sum())


def masked_loss_loop(probs, targets, mask):  # step by step
    total, count = 0.0, 0
    for b in range(probs.shape[0]):
        for t in range(probs.shape[1]):
            if mask[b, t]:
                total -= np.log(probs[b, t, targets[b, t]])
                count += 1
    return total / count


def masked_loss_keras(probs, targets, mask):  # Keras' loss per step, then our own mean
    per_step = keras.losses.sparse_categorical_crossentropy(targets[mask], probs[mask])
    return float(np.mean(keras.ops.convert_to_numpy(per_step), dtype=np.float64))


def test_masked_loss_reference_passes(capsys):
    assert passed(check_masked_mean_loss(masked_mean_loss))
    assert "✅ Exercise 02.6 (masked_mean_loss): passed" in capsys.readouterr().out
    assert passed(check_masked_mean_loss(masked_mean_loss_reference))


@pytest.mark.parametrize("answer", [masked_loss_where, masked_loss_loop])
def test_masked_loss_correct_alternatives_pass(answer):
    assert passed(check_masked_mean_loss(answer))


def test_masked_loss_keras_clipping_is_named():
    """Keras' loss clips probabilities at 1e-7: on a confident, wrong model that caps the loss,
    and the checker's long probe says so."""
    with pytest.raises(ExerciseError, match=r"probs \(2, 250, 7\).*clipped at 1e-7"):
        check_masked_mean_loss(masked_loss_keras)


def nll(probs, targets):
    return -np.log(target_probs(probs, targets))


def masked_loss_weighted_rows(probs, targets, mask):  # right, but an empty row's mean is nan
    lengths = mask.sum(axis=1)
    row_means = np.array([nll(probs[i], targets[i])[mask[i]].mean() for i in range(len(probs))])
    return (row_means * lengths).sum() / lengths.sum()


def masked_loss_in_place(probs, targets, mask):  # zeroes the padded targets in place
    targets[~mask] = 0
    return masked_mean_loss(probs, targets, mask)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda p, y, m: (nll(p, y) * m).sum() / m.size, "you divide by every step, padded ones too"),
        (lambda p, y, m: nll(p, y).mean(), "the padded steps count"),
        (lambda p, y, m: nll(p, y)[~m].mean() if (~m).any() else np.nan, "the mask is inverted"),
        (lambda p, y, m: nll(p, y)[m].sum(), "you return the sum over the real steps"),
        (lambda p, y, m: nll(p, y)[m].sum() / len(p), "you divide by the batch size"),
        (
            lambda p, y, m: np.mean([nll(p[i], y[i])[m[i]].mean() for i in range(len(p)) if m[i].any()]),
            "mean of each sequence first",
        ),
        (lambda p, y, m: np.log(target_probs(p, y))[m].mean(), "the sign is wrong"),
        (lambda p, y, m: -np.log2(target_probs(p, y))[m].mean(), "natural log"),
        (lambda p, y, m: (nll(p, y) * m).sum() / m.sum(), r"-inf × 0 \(the mask\) is nan"),
        (masked_loss_weighted_rows, "one sequence is all padding"),
        (
            lambda p, y, m: (nll(p, y) * m).sum(axis=1) / m.sum(axis=1),
            r"the loss has shape \(4,\).*one number",
        ),
        (masked_loss_in_place, "changed its argument `targets` in place"),
        (lambda p, y, m: None, "forget to `return`"),
    ],
)
def test_masked_loss_bugs_are_named(wrong, diagnosis):
    with np.errstate(all="ignore"), pytest.raises(ExerciseError, match=diagnosis):
        check_masked_mean_loss(wrong)


def test_masked_loss_stub(assert_not_attempted):
    assert_not_attempted(check_masked_mean_loss)


# ----------------------------------------------------------------------------- 02.7 N vs M
def encoder_state(src_vocab_size, units, src, cell=layers.GRU):
    return cell(units, return_state=True)(layers.Embedding(src_vocab_size, 8, mask_zero=True)(src))[1:]


def build_n_to_m(src_vocab_size, tgt_vocab_size, units=16):  # the notebook's solution
    src, dec = ids_input(), ids_input()
    _, state = layers.GRU(units, return_state=True)(layers.Embedding(src_vocab_size, 16, mask_zero=True)(src))
    states = layers.GRU(units, return_sequences=True)(
        layers.Embedding(tgt_vocab_size, 16)(dec), initial_state=state
    )
    return keras.Model([src, dec], layers.Dense(tgt_vocab_size, activation="softmax")(states))


def n_to_m_lstm(src_vocab_size, tgt_vocab_size, units):  # LSTM: h and C both handed on
    src, dec = ids_input(), ids_input()
    h, c = encoder_state(src_vocab_size, units, src, layers.LSTM)
    states = layers.LSTM(units, return_sequences=True)(
        layers.Embedding(tgt_vocab_size, 4)(dec), initial_state=[h, c]
    )
    return keras.Model(
        [src, dec], layers.TimeDistributed(layers.Dense(tgt_vocab_size, activation="softmax"))(states)
    )


class Translator(keras.Model):  # subclassed, SimpleRNN, explicit source mask
    def __init__(self, src_vocab_size, tgt_vocab_size, units):
        super().__init__()
        self.src_embed = layers.Embedding(src_vocab_size, 8)
        self.tgt_embed = layers.Embedding(tgt_vocab_size, 8)
        self.encoder = layers.SimpleRNN(units)
        self.decoder = layers.SimpleRNN(units, return_sequences=True)
        self.out = layers.Dense(tgt_vocab_size, activation="softmax")

    def call(self, inputs):
        src, dec = inputs
        context = self.encoder(self.src_embed(src), mask=ops.not_equal(src, 0))
        return self.out(self.decoder(self.tgt_embed(dec), initial_state=context))


def test_n_to_m_reference_passes(capsys):
    assert passed(check_build_n_to_m(build_n_to_m))
    assert "✅ Exercise 02.7 (build_n_to_m): passed" in capsys.readouterr().out


@pytest.mark.parametrize("builder", [n_to_m_lstm, Translator])
def test_n_to_m_correct_alternatives_pass(builder):
    assert passed(check_build_n_to_m(builder))


def n_to_m_no_context(src_vocab_size, tgt_vocab_size, units):  # the decoder starts from zeros
    src, dec = ids_input(), ids_input()
    layers.GRU(units)(layers.Embedding(src_vocab_size, 8, mask_zero=True)(src))
    states = layers.GRU(units, return_sequences=True)(layers.Embedding(tgt_vocab_size, 8)(dec))
    return keras.Model([src, dec], layers.Dense(tgt_vocab_size, activation="softmax")(states))


def n_to_m_no_mask(src_vocab_size, tgt_vocab_size, units):
    src, dec = ids_input(), ids_input()
    _, state = layers.GRU(units, return_state=True)(layers.Embedding(src_vocab_size, 8)(src))
    states = layers.GRU(units, return_sequences=True)(
        layers.Embedding(tgt_vocab_size, 8)(dec), initial_state=state
    )
    return keras.Model([src, dec], layers.Dense(tgt_vocab_size, activation="softmax")(states))


def n_to_m_per_step_decoder(src_vocab_size, tgt_vocab_size, units):  # context + each input, no recurrence
    src, dec = ids_input(), ids_input()
    (state,) = encoder_state(src_vocab_size, units, src)
    steps = layers.Embedding(tgt_vocab_size, units)(dec)
    mixed = layers.Add()([steps, layers.Reshape((1, units))(state)])  # broadcasts over the steps
    return keras.Model([src, dec], layers.Dense(tgt_vocab_size, activation="softmax")(mixed))


def n_to_m_looks_ahead(src_vocab_size, tgt_vocab_size, units):  # a bidirectional decoder
    src, dec = ids_input(), ids_input()
    (state,) = encoder_state(src_vocab_size, units, src)
    states = layers.Bidirectional(layers.GRU(units, return_sequences=True))(
        layers.Embedding(tgt_vocab_size, 8)(dec), initial_state=[state, state]
    )
    return keras.Model([src, dec], layers.Dense(tgt_vocab_size, activation="softmax")(states))


def n_to_m_encoder_length(src_vocab_size, tgt_vocab_size, units):  # the output follows the source
    src, dec = ids_input(), ids_input()
    states = layers.GRU(units, return_sequences=True)(
        layers.Embedding(src_vocab_size, 8, mask_zero=True)(src)
    )
    return keras.Model([src, dec], layers.Dense(tgt_vocab_size, activation="softmax")(states))


def n_to_m_fixed_sizes(src_vocab_size, tgt_vocab_size, units):  # the first call's sizes written in
    return build_n_to_m(29, 11, 6)


def n_to_m_no_softmax(src_vocab_size, tgt_vocab_size, units):
    model = build_n_to_m(src_vocab_size, tgt_vocab_size, units)
    model.layers[-1].activation = keras.activations.linear
    return model


@pytest.mark.parametrize(
    "builder, diagnosis",
    [
        (n_to_m_no_context, "the context never reaches the decoder"),
        (n_to_m_no_mask, "the encoder reads the padding as words.*mask_zero=True"),
        (n_to_m_per_step_decoder, "each step is computed on its own"),
        (n_to_m_looks_ahead, "your decoder looks ahead"),
        (n_to_m_encoder_length, "one step per SOURCE token"),
        (n_to_m_fixed_sizes, "called with units=5"),
        (n_to_m_no_softmax, "not probabilities over the target tokens"),
        (lambda s, t, u: build_n_to_m(s, t, u)(keras.Input((None,), dtype="int32")), "raised"),
        (lambda s, t, u: None, "returned None"),
    ],
)
def test_n_to_m_bugs_are_named(builder, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_m(builder)


def test_n_to_m_stub(assert_not_attempted):
    assert_not_attempted(check_build_n_to_m)


# ----------------------------------------------------------------------------- 02.8 input gradient
def forward(x, targets, U, W, b, V, c):
    T = targets.shape[1]
    hs = ref.rnn_forward(np.repeat(x[:, None, :], T, axis=1), None, U, W, b)
    probs = ref.rnn_output(hs, V, c)
    dz = (probs - np.eye(V.shape[1])[targets]) / targets.size
    return hs, dz @ V.T  # the states and what each output sends to its state


def input_grad(x, targets, U, W, b, V, c, *, chain=True, slope=True, steps="sum", transpose=True):
    """BPTT to x, with switches that reproduce the likely bugs."""
    hs, dhs = forward(x, targets, U, W, b, V, c)
    grads, dh_next = [], np.zeros_like(hs[:, 0])
    for t in reversed(range(hs.shape[1])):
        da = dhs[:, t] + (dh_next if chain else 0)
        da = da * (1 - hs[:, t] ** 2) if slope else da
        grads.append(da @ (U.T if transpose else U))
        dh_next = da @ W.T
    grads = grads[::-1]  # in step order
    return {"sum": sum(grads), "first": grads[0], "last": grads[-1], "mean": sum(grads) / len(grads)}[steps]


def input_grad_by_rnn_backward(x, targets, U, W, b, V, c):
    """Another way: the repeated x is an input like U's, so dL/dx = sum_t da_t @ U.T, where
    ref.rnn_backward's dL/dU = sum_t x_t.T @ da_t gives the da_t by probing with one-hot x_t."""
    hs, dhs = forward(x, targets, U, W, b, V, c)
    batch, T, n_h = hs.shape
    da_sum = np.zeros((batch, n_h))
    for i in range(batch):  # one example at a time: the row-i "input" of ones picks its da
        ones = np.zeros((batch, T, 1))
        ones[i] = 1.0
        da_sum[i] = ref.rnn_backward(ones, None, hs, W, dhs)["U"][0]
    return da_sum @ U.T


def input_grad_numerical(x, targets, U, W, b, V, c):  # central differences: slow, but right
    x = x.astype(float)  # a copy: the caller's x is left alone
    return ref.numerical_gradient(lambda: one_to_n_loss(x, targets, U, W, b, V, c), x, eps=1e-6)


def test_input_grad_reference_matches_central_differences():
    rng = np.random.default_rng(0)
    x, U, W = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(4, 4))
    b, V, c = rng.normal(size=4), rng.normal(size=(4, 5)), rng.normal(size=5)
    targets = rng.integers(0, 5, size=(2, 6))
    numeric = input_grad_numerical(x, targets, U, W, b, V, c)
    assert ref.relative_error(input_grad(x, targets, U, W, b, V, c), numeric) < 1e-7


def test_input_grad_reference_passes(capsys):
    assert passed(check_one_to_n_input_grad(input_grad))
    assert "✅ Exercise 02.8 (one_to_n_input_grad): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [input_grad_by_rnn_backward, input_grad_numerical])
def test_input_grad_correct_alternatives_pass(answer):
    assert passed(check_one_to_n_input_grad(answer))


def input_grad_in_place(x, targets, U, W, b, V, c):
    g = input_grad(x, targets, U, W, b, V, c)
    x -= 0.1 * g  # "one step of gradient descent on x": changes the caller's array
    return g


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda *a: input_grad(*a, steps="first"), "only the FIRST step's copy of x counts"),
        (lambda *a: input_grad(*a, steps="last"), "only the LAST step's copy of x counts"),
        (lambda *a: input_grad(*a, steps="mean"), "you average the steps' gradients"),
        (lambda *a: input_grad(*a, chain=False), "does not flow back through the state"),
        (lambda *a: input_grad(*a, slope=False), "the tanh's slope is missing"),
        (lambda *a: input_grad(*a, transpose=False), "U is not transposed"),
        (lambda *a: input_grad(*a) * a[1].shape[1], "4 times too large.*batch \\* T"),
        (lambda *a: input_grad(*a) * a[1].size, "12 times too large"),
        (lambda *a: input_grad(*a).sum(axis=0), r"dL/dx has shape \(4,\), expected \(3, 4\)"),
        (input_grad_in_place, "changed its argument `x` in place"),
        (lambda *a: input_grad(*a) + 1e-3, "dL/dx for x \\(3, 4\\) and T = 4 differs"),
        (lambda *a: None, "forget to `return`"),
    ],
)
def test_input_grad_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_one_to_n_input_grad(wrong)


def test_input_grad_stub(assert_not_attempted):
    assert_not_attempted(check_one_to_n_input_grad)
