"""Lesson 02 checkers: the reference passes, plausible bugs are named, stubs are "not attempted"."""
import keras
import pytest
from keras import layers

from seqkeras.checks.lesson02 import (SHAPE_KEYS, check_build_1_to_n, check_build_n_to_1,
                                      check_build_n_to_n, check_shapes)
from seqkeras.grading import ExerciseError


def passed(outcome):
    return outcome is not None and bool(outcome) is True


def not_attempted(outcome):
    return outcome is not None and bool(outcome) is False


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here")


def assert_stub_not_attempted(checker, capsys, monkeypatch, answer=stub):
    assert not_attempted(checker(answer))
    assert "not attempted yet" in capsys.readouterr().out
    monkeypatch.setenv("SEQKERAS_STRICT", "1")
    with pytest.raises(ExerciseError, match="not attempted"):
        checker(answer)


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


def test_shapes_accepts_lists():
    answer = {k: list(v) if isinstance(v, tuple) else v for k, v in RIGHT.items()}
    answer["lstm_state"] = [[16, 32], [16, 32], [16, 32]]
    assert passed(check_shapes(answer))


@pytest.mark.parametrize("key, wrong, diagnosis", [
    ("embedding", (16, 12), "adds an axis"),
    ("embedding", (16, 12, 1000), "not the vocabulary size"),
    ("gru", (16, 12, 32), "returns only its last state"),
    ("gru", (32,), "keep the batch axis"),
    ("gru_sequences", (16, 32), "keeps the time axis"),
    ("lstm_state", ((16, 32), (16, 32)), "returns three tensors"),
    ("lstm_state", (16, 32), "returns three tensors"),
    ("lstm_state", ((16, 12, 32), (16, 32), (16, 32)), "does not switch on return_sequences"),
    ("dense_per_step", (16, 5), "the time axis stays"),
    ("repeat", (16, 32, 6), "in the middle"),
    ("stacked", (16, 16), 'answer "error"'),
    ("caption_states", "error", "not an error"),
])
def test_shapes_misconceptions_are_named(key, wrong, diagnosis):
    answer = dict(RIGHT, **{key: wrong})
    with pytest.raises(ExerciseError, match=diagnosis):
        check_shapes(answer)


def test_shapes_reports_every_wrong_entry_and_missing_keys():
    answer = dict(RIGHT, gru=(16, 12, 32), repeat=(16, 32, 6))
    with pytest.raises(ExerciseError, match="2 of 8 shapes are wrong"):
        check_shapes(answer)
    with pytest.raises(ExerciseError, match="no entry for"):
        check_shapes({k: v for k, v in RIGHT.items() if k != "stacked"})
    with pytest.raises(ExerciseError, match="answer with a dict"):
        check_shapes([(16, 12, 8)])


def test_shapes_not_attempted(capsys, monkeypatch):
    assert not_attempted(check_shapes(dict.fromkeys(SHAPE_KEYS)))
    assert_stub_not_attempted(check_shapes, capsys, monkeypatch, answer=None)


# ----------------------------------------------------------------------------- model builders
def n_to_n(vocab_size, num_tags, units=16, *, mask=True, sequences=True, rnn=True,
           activation="softmax"):
    stack = [keras.Input((None,), dtype="int32"), layers.Embedding(vocab_size, 8, mask_zero=mask)]
    if rnn:
        stack.append(layers.GRU(units, return_sequences=sequences))
    stack.append(layers.Dense(num_tags, activation=activation))
    return keras.Sequential(stack)


def n_to_1(vocab_size, num_classes, units=16, *, mask=True, sequences=False, length=None,
           out=None, activation="softmax"):
    return keras.Sequential([
        keras.Input((length,), dtype="int32"),
        layers.Embedding(vocab_size, 8, mask_zero=mask),
        layers.GRU(units, return_sequences=sequences),
        layers.Dense(out or num_classes, activation=activation),
    ])


def one_to_n(n_features, steps, num_classes, units=16, *, repeat=True, sequences=True,
             fixed_steps=None):
    x = keras.Input((n_features,))
    seq = layers.RepeatVector(fixed_steps or steps)(x) if repeat else x
    h = layers.SimpleRNN(units, return_sequences=sequences)(seq)
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(h))


def one_to_n_first_step(n_features, steps, num_classes, units=16):
    x = keras.Input((n_features,))
    seq = layers.ZeroPadding1D((0, steps - 1))(layers.Reshape((1, n_features))(x))
    h = layers.GRU(units, return_sequences=True)(seq)
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(h))


def one_to_n_init_state(n_features, steps, num_classes, units=16):
    x = keras.Input((n_features,))
    h0 = layers.Dense(units, activation="tanh")(x)
    zeros = layers.RepeatVector(steps)(layers.Dense(1, kernel_initializer="zeros",
                                                    trainable=False)(x))
    h = layers.GRU(units, return_sequences=True)(zeros, initial_state=h0)
    return keras.Model(x, layers.Dense(num_classes, activation="softmax")(h))


# ----------------------------------------------------------------------------- 02.2 N vs N
def test_n_to_n_reference_passes(capsys):
    assert passed(check_build_n_to_n(n_to_n))
    assert "✅ Exercise 02.2 (build_n_to_n): passed" in capsys.readouterr().out


def test_n_to_n_bidirectional_passes():
    def bidi(vocab_size, num_tags, units=16):
        return keras.Sequential([keras.Input((None,), dtype="int32"),
                                 layers.Embedding(vocab_size, 8, mask_zero=True),
                                 layers.Bidirectional(layers.GRU(units, return_sequences=True)),
                                 layers.Dense(num_tags, activation="softmax")])
    assert passed(check_build_n_to_n(bidi))


@pytest.mark.parametrize("kwargs, diagnosis", [
    ({"sequences": False}, "one vector per sequence.*set return_sequences=True"),
    ({"mask": False}, "mask_zero=True"),
    ({"activation": None}, "not probabilities over the tags"),
    ({"rnn": False}, "does not change when the first word changes"),
])
def test_n_to_n_bugs_are_named(kwargs, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_n(lambda v, t, u: n_to_n(v, t, u, **kwargs))


def test_n_to_n_returns_states_or_nothing():
    def states_only(vocab_size, num_tags, units):
        return keras.Sequential([keras.Input((None,), dtype="int32"),
                                 layers.Embedding(vocab_size, 8, mask_zero=True),
                                 layers.GRU(units, return_sequences=True)])
    with pytest.raises(ExerciseError, match="recurrent states themselves"):
        check_build_n_to_n(states_only)
    with pytest.raises(ExerciseError, match="forget to `return`"):
        check_build_n_to_n(lambda v, t, u: None)
    with pytest.raises(ExerciseError, match="return the model itself"):
        check_build_n_to_n(lambda v, t, u: n_to_n(v, t, u).layers)


def test_n_to_n_stub(capsys, monkeypatch):
    assert_stub_not_attempted(check_build_n_to_n, capsys, monkeypatch)


# ----------------------------------------------------------------------------- 02.3 N vs 1
def test_n_to_1_reference_passes(capsys):
    assert passed(check_build_n_to_1(n_to_1))
    assert "✅ Exercise 02.3 (build_n_to_1): passed" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, diagnosis", [
    ({"sequences": True}, "returns a sequence.*set return_sequences=False"),
    ({"mask": False}, "changes the prediction.*mask_zero=True"),
    ({"out": 1, "activation": "sigmoid"}, "one sigmoid output"),
    ({"activation": "tanh"}, "not probabilities over the classes"),
])
def test_n_to_1_bugs_are_named(kwargs, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_n_to_1(lambda v, c, u: n_to_1(v, c, u, **kwargs))


@pytest.mark.filterwarnings("ignore:Layer .flatten.*mask:UserWarning")  # the wrong model drops the mask on purpose
def test_n_to_1_fixed_length_is_named():
    def flattened(vocab_size, num_classes, units):      # reads all 8 states through Flatten
        return keras.Sequential([keras.Input((8,), dtype="int32"),
                                 layers.Embedding(vocab_size, 8, mask_zero=True),
                                 layers.GRU(units, return_sequences=True), layers.Flatten(),
                                 layers.Dense(num_classes, activation="softmax")])
    with pytest.raises(ExerciseError, match="only accepts sequences of length 8"):
        check_build_n_to_1(flattened)


def test_n_to_1_stub(capsys, monkeypatch):
    assert_stub_not_attempted(check_build_n_to_1, capsys, monkeypatch)


# ----------------------------------------------------------------------------- 02.4 1 vs N
@pytest.mark.parametrize("builder", [one_to_n, one_to_n_first_step, one_to_n_init_state])
def test_1_to_n_both_variants_pass(builder, capsys):
    assert passed(check_build_1_to_n(builder))
    assert "✅ Exercise 02.4 (build_1_to_n): passed" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, diagnosis", [
    ({"repeat": False}, "needs a sequence.*RepeatVector"),
    ({"sequences": False}, "one vector per input.*set return_sequences=True"),
    ({"fixed_steps": 4}, "use the argument `steps`"),
])
def test_1_to_n_bugs_are_named(kwargs, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_build_1_to_n(lambda f, s, c, u: one_to_n(f, s, c, u, **kwargs))


def test_1_to_n_input_ignored():
    def ignores_input(n_features, steps, num_classes, units):
        x = keras.Input((n_features,))
        zeros = layers.RepeatVector(steps)(layers.Dense(1, kernel_initializer="zeros",
                                                        trainable=False)(x))
        h = layers.SimpleRNN(units, return_sequences=True)(zeros)
        return keras.Model(x, layers.Dense(num_classes, activation="softmax")(h))
    with pytest.raises(ExerciseError, match="do not depend on the input"):
        check_build_1_to_n(ignores_input)


def test_1_to_n_stub(capsys, monkeypatch):
    assert_stub_not_attempted(check_build_1_to_n, capsys, monkeypatch)
