"""Lesson 00 checkers: the reference passes, plausible bugs are named, stubs are "not attempted"."""
import numpy as np
import pytest

from seqkeras.checks.lesson00 import (PARAM_COUNT_QUESTION, check_dense, check_load_into_dense,
                                      check_param_count, check_softmax)
from seqkeras.grading import ExerciseError


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here")


def strict_stub_fails(checker, answer, monkeypatch):
    monkeypatch.setenv("SEQKERAS_STRICT", "1")
    with pytest.raises(ExerciseError, match="not attempted"):
        checker(answer)


# ----------------------------------------------------------------------------- 00.1 dense
def test_dense_reference_passes(capsys):
    assert check_dense(lambda x, W, b, f: f(x @ W + b))
    assert "✅ Exercise 00.1 (dense): passed" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda x, W, b, f: f(x @ W), "forgot the bias"),
    (lambda x, W, b, f: f(x @ W.T + b), "W is used transposed"),
    (lambda x, W, b, f: f(x @ W) + b, "activation is applied before the bias"),
    (lambda x, W, b, f: x @ W + b, "activation f is missing"),
    (lambda x, W, b, f: f(x) @ W + b, "applied to the input instead of the output"),
    (lambda x, W, b, f: np.tanh(x @ W + b), "ignore the argument f"),
    (lambda x, W, b, f: f((W @ x.T).T + b), "looks transposed|W is used transposed"),
])
def test_dense_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_dense(wrong)


def test_dense_crash_and_missing_return():
    with pytest.raises(ExerciseError, match="raised ValueError"):  # W @ x with x (batch, n_in)
        check_dense(lambda x, W, b, f: f(W @ x + b))
    with pytest.raises(ExerciseError, match="forget to `return`"):
        check_dense(lambda x, W, b, f: None)


def test_dense_stub(capsys, monkeypatch):
    assert not check_dense(stub)
    assert "not attempted yet" in capsys.readouterr().out
    strict_stub_fails(check_dense, stub, monkeypatch)


# ----------------------------------------------------------------------------- 00.2 softmax
def stable_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_softmax_reference_passes():
    assert check_softmax(stable_softmax)


@pytest.mark.parametrize("wrong, diagnosis", [
    (lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True), "nan or inf for large scores"),
    (lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=-1, keepdims=True),
     "one maximum for the whole array"),
    (lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), "wrong axis"),
    (lambda z: np.exp(z - z.max(axis=0, keepdims=True))
     / np.exp(z - z.max(axis=0, keepdims=True)).sum(axis=-1, keepdims=True), "each column's maximum"),
    (lambda z: np.exp(z) / np.exp(z).sum(), "sum of the whole array"),
    (lambda z: np.exp(z - z.max(axis=-1, keepdims=True)), "did not normalise"),
])
def test_softmax_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_softmax(wrong)


def test_softmax_forgotten_keepdims_gets_a_hint():
    def no_keepdims(z):
        e = np.exp(z - z.max(axis=-1))
        return e / e.sum(axis=-1)

    with pytest.raises(ExerciseError, match="keepdims=True"):
        check_softmax(no_keepdims)


def test_softmax_stub(monkeypatch):
    assert not check_softmax(stub)
    strict_stub_fails(check_softmax, stub, monkeypatch)


# ----------------------------------------------------------------------------- 00.3 load_into_dense
def load_right(layer, W, b):
    layer.set_weights([W.T, b])


def test_load_into_dense_reference_passes():
    assert check_load_into_dense(load_right)


def test_load_into_dense_assign_also_passes():
    def load_assign(layer, W, b):
        layer.kernel.assign(W.T)
        layer.bias.assign(b)

    assert check_load_into_dense(load_assign)


def test_load_into_dense_bugs_are_named():
    with pytest.raises(ExerciseError, match="copied W as it is"):
        check_load_into_dense(lambda layer, W, b: layer.set_weights([W, b]))
    with pytest.raises(ExerciseError, match="bias was not copied"):
        check_load_into_dense(lambda layer, W, b: layer.kernel.assign(W.T))

    def new_layer(layer, W, b):
        import keras
        fresh = keras.layers.Dense(W.shape[0])
        fresh.build((None, W.shape[1]))
        fresh.set_weights([W.T, b])
        return fresh

    with pytest.raises(ExerciseError, match="kernel did not change"):
        check_load_into_dense(new_layer)


def test_load_into_dense_crashes_get_hints():
    def set_attribute(layer, W, b):
        layer.kernel = W.T

    with pytest.raises(ExerciseError, match="do not assign to the attribute"):
        check_load_into_dense(set_attribute)
    with pytest.raises(ExerciseError, match="Keras refused the shapes"):
        check_load_into_dense(lambda layer, W, b: layer.set_weights([W.T, b[None, :]]))


def test_load_into_dense_stub(monkeypatch):
    assert not check_load_into_dense(stub)
    strict_stub_fails(check_load_into_dense, stub, monkeypatch)


# ----------------------------------------------------------------------------- 00.4 parameter count
def test_param_count_question_names_the_sizes():
    assert all(s in PARAM_COUNT_QUESTION for s in ("5 words", "1,000", "16 output units"))


def test_param_count_reference_passes():
    assert check_param_count(5 * 1000 * 16 + 16)
    assert check_param_count(np.int64(80016))


@pytest.mark.parametrize("wrong, diagnosis", [
    (80000, "forgot the biases"),
    (16016, "counted one word only"),
    (85000, "one entry per OUTPUT unit"),
    (96, "one-hot vector of length 1000"),
    (12345, "Count the weights"),
    (80016.0, "give it as an int"),
    ("80016", "should be a number"),
])
def test_param_count_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_param_count(wrong)


def test_param_count_not_attempted(monkeypatch):
    assert not check_param_count(None)
    assert not check_param_count(...)
    strict_stub_fails(check_param_count, None, monkeypatch)
