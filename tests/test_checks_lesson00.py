"""Lesson 00 checkers: the reference and correct alternatives pass, wrong answers from every bug
class (sizes written in, overflow, inputs changed in place, lost axes, assign_add, loose
numbers, wrong kinds) are named, the untouched stub is "not attempted"."""

import warnings

import numpy as np
import pytest

import seqkeras.reference as ref
from seqkeras.checks.lesson00 import (
    PARAM_COUNT_QUESTION,
    check_dense,
    check_load_into_dense,
    check_param_count,
    check_softmax,
    check_window_dense,
)
from seqkeras.grading import ExerciseError


def rejects(checker, answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        checker(answer)


# ----------------------------------------------------------------------------- 00.1 dense
def dense(x, W, b, f):
    return f(x @ W + b)


def dense_einsum(x, W, b, f):
    return f(np.einsum("...i,ij->...j", x, W) + b)


def dense_row_loop(x, W, b, f):
    rows = np.atleast_2d(x)
    y = np.empty((rows.shape[0], W.shape[1]))
    for i, row in enumerate(rows):
        for j in range(W.shape[1]):
            y[i, j] = f(np.add.reduce(row * W[:, j]) + b[j])
    return y if x.ndim == 2 else y[0]


def dense_float32(x, W, b, f):
    return f(x.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32))


def test_dense_reference_passes(capsys):
    assert check_dense(dense)
    assert "✅ Exercise 00.1 (dense): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [dense_einsum, dense_row_loop, dense_float32])
def test_dense_correct_alternatives_pass(answer):
    assert check_dense(answer)


def dense_two_units(x, W, b, f):  # the lesson's n_out = 2, written into a loop
    return np.stack([f(x @ W[:, j] + b[j]) for j in range(2)], axis=-1)


def dense_four_units(x, W, b, f):  # n_out = 4 written into a loop: W[:, 3] is out of range
    return np.stack([f(x @ W[:, j] + b[j]) for j in range(4)], axis=-1)


def dense_three_inputs(x, W, b, f):  # the lesson's n_in = 3, written into a sum
    return f(sum(x[:, i : i + 1] * W[i] for i in range(3)) + b)


def dense_by_name(x, W, b, f):  # looks the activation up by name instead of calling it
    return {"tanh": np.tanh, "sigmoid": ref.sigmoid, "relu": ref.relu}[f.__name__](x @ W + b)


def dense_into_x(x, W, b, f):  # saves memory by writing x @ W into x: fine for a square W only
    np.matmul(x, W, out=x)
    return f(x + b)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda x, W, b, f: f(x @ W), "forgot the bias"),
        (lambda x, W, b, f: f(x @ W.T + b), "W is used transposed"),
        (lambda x, W, b, f: f(x @ W) + b, "activation is applied before the bias"),
        (lambda x, W, b, f: x @ W + b, "activation f is missing"),
        (lambda x, W, b, f: f(x) @ W + b, "applied to the input instead of the output"),
        (lambda x, W, b, f: np.tanh(x @ W + b), "ignore the argument f"),
        (lambda x, W, b, f: f((W @ x.T).T + b), "looks transposed|W is used transposed"),
        (
            dense_two_units,
            r"y has shape \(4, 2\), expected \(4, 3\) for x \(4, 3\) and W \(3, 3\)\. "
            r"Its n_out axis has 2 entries instead of 3.*written into your code",
        ),
        (dense_three_inputs, r"y for x \(3, 7\) and W \(7, 5\) differs from the expected value"),
        (dense_by_name, "raised KeyError"),
        (dense_four_units, r"(?s)raised IndexError: index 3 is out of bounds.*Hint: the checker uses sizes"),
        (
            lambda x, W, b, f: f(x @ W + b).T,
            r": y has shape \(3, 4\), expected \(4, 3\) for x \(4, 3\) and W \(3, 3\)\. "
            r"It looks transposed",
        ),
        (
            lambda x, W, b, f: (lambda y: y[:, 0] if y.shape[1] == 1 else y)(f(x @ W + b)),
            r"shape \(3,\), expected \(3, 1\).*n_out axis of size 1 is missing",
        ),
        (lambda x, W, b, f: f, "should be a NumPy array of shape .4, 3., got a ufunc"),
        (
            lambda x, W, b, f: np.squeeze(f(x @ W + b)),
            r"shape \(4,\), expected \(1, 4\).*batch axis of size 1 is missing.*np.squeeze",
        ),
        (dense_into_x, "changed its argument `x` in place"),
        (lambda x, W, b, f: f(x @ W + b) + 1e-3, "y differs from the expected value"),
        (lambda x, W, b, f: f((x @ W + b).astype(np.float16)), "y differs from the expected value"),
        (lambda x, W, b, f: [f(row @ W + b) for row in x], "y is a list of 4 items; return a NumPy"),
        (lambda x, W, b, f: "f(x @ W + b)", "should be a NumPy array of shape .*got a str"),
        (lambda x, W, b, f: f(x @ W + b) > 0, "array of numbers of shape .*got an array of dtype bool"),
        (lambda x, W, b, f: f(W @ x + b), "raised ValueError"),
        (lambda x, W, b, f: None, "forget to `return`"),
    ],
)
def test_dense_bugs_are_named(wrong, diagnosis):
    rejects(check_dense, wrong, diagnosis)


def test_size_hint_only_for_index_errors():
    with pytest.raises(ExerciseError) as err:
        check_dense(dense_by_name)
    assert "raised KeyError" in str(err.value) and "Hint" not in str(err.value)


def test_verdicts_are_reproducible():
    """The probes come from fixed seeds: the same wrong answer gets the same message, numbers
    included."""
    messages = []
    for _ in range(2):
        with pytest.raises(ExerciseError) as err:
            check_dense(dense_three_inputs)
        messages.append(str(err.value))
    assert "largest difference" in messages[0] and messages[0] == messages[1]


def test_dense_stub(assert_not_attempted):
    assert_not_attempted(check_dense)


# ----------------------------------------------------------------------------- 00.2 softmax
def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_logsumexp(z):
    m = np.max(z, axis=1, keepdims=True)
    return np.exp(z - (m + np.log(np.add.reduce(np.exp(z - m), axis=1, keepdims=True))))


def softmax_row_loop(z):
    out = np.empty_like(z, dtype=float)
    for i, row in enumerate(z):
        e = np.exp(row - max(row))
        out[i] = e / sum(e)
    return out


def softmax_in_place(z):
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=-1, keepdims=True)


def softmax_no_keepdims(z):
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1)


def softmax_epsilon(z):  # "to be safe", an epsilon that makes rows sum to about 0.9995
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / (e.sum(axis=-1, keepdims=True) + 1e-3)


def softmax_first_50(z):  # sums the first 50 scores only: a length written into the code
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e[:, :50].sum(axis=-1, keepdims=True)


def shifted_by(stat):
    def fn(z):
        e = np.exp(z - stat(z))
        return e / e.sum(axis=-1, keepdims=True)

    return fn


def test_softmax_reference_passes(capsys):
    assert check_softmax(softmax)
    assert "✅ Exercise 00.2 (softmax): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer", [softmax_logsumexp, softmax_row_loop, ref.softmax, lambda z: softmax(z.astype(np.float32))]
)
def test_softmax_correct_alternatives_pass(answer):
    assert check_softmax(answer)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True), "nan or inf for large scores"),
        (shifted_by(np.max), "one maximum for the whole array"),
        (shifted_by(lambda z: z.mean(axis=-1, keepdims=True)), "large spread.*mean or its minimum"),
        (shifted_by(lambda z: z.min(axis=-1, keepdims=True)), "large spread.*mean or its minimum"),
        (lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), "wrong axis"),
        (shifted_by(lambda z: z.max(axis=0, keepdims=True)), "each column's maximum"),
        (lambda z: np.exp(z) / np.exp(z).sum(), "sum of the whole array"),
        (lambda z: np.exp(z - z.max(axis=-1, keepdims=True)), "did not normalise"),
        (softmax_no_keepdims, "keepdims=True"),
        (softmax_in_place, "changed its argument `z` in place"),
        (lambda z: np.squeeze(softmax(z)), r"\(4,\), expected \(1, 4\).*batch axis of size 1"),
        (
            lambda z: softmax(z).reshape(-1),
            r"softmax\(z\) has shape \(15,\), expected \(3, 5\) for z "
            r"\(3, 5\)\.$",
        ),
        (
            lambda z: softmax(z)[:, 0] if z.shape[1] == 1 else softmax(z),
            r"shape \(4,\), expected \(4, 1\).*k axis of size 1 is missing",
        ),
        (softmax_first_50, r"softmax\(z\) for z \(2, 60\): every row is in the right proportions"),
        (softmax_epsilon, "right proportions but does not sum to 1"),
        (lambda z: softmax(z) + 1e-3, "softmax.z. differs from the expected value"),
        (lambda z: softmax(z).tolist(), "list of 3 items"),
    ],
)
def test_softmax_bugs_are_named(wrong, diagnosis):
    rejects(check_softmax, wrong, diagnosis)


@pytest.mark.parametrize(
    "wrong",
    [
        lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True),
        shifted_by(lambda z: z.mean(axis=-1, keepdims=True)),
    ],
)
def test_softmax_overflow_is_explained_without_warnings(wrong):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the learner's overflow must not flood the notebook
        rejects(check_softmax, wrong, "returns nan or inf")


def test_softmax_stub(assert_not_attempted):
    assert_not_attempted(check_softmax)


# ----------------------------------------------------------------------------- 00.3 load_into_dense
def load_into_dense(layer, W, b):
    layer.set_weights([W.T, b])


def load_by_assign(layer, W, b):
    layer.kernel.assign(np.transpose(W))
    layer.bias.assign(b)


def load_by_swapaxes(layer, W, b):
    kernel = np.ascontiguousarray(W.swapaxes(0, 1), dtype="float32")
    layer.set_weights([kernel, b.astype("float32")])


def test_load_into_dense_reference_passes(capsys):
    assert check_load_into_dense(load_into_dense)
    assert "✅ Exercise 00.3 (load_into_dense): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [load_by_assign, load_by_swapaxes])
def test_load_into_dense_correct_alternatives_pass(answer):
    assert check_load_into_dense(answer)


def new_layer(layer, W, b):
    import keras

    fresh = keras.layers.Dense(W.shape[0])
    fresh.build((None, W.shape[1]))
    fresh.set_weights([W.T, b])
    return fresh


def set_attribute(layer, W, b):
    layer.kernel = W.T


def add_kernel(layer, W, b):
    layer.kernel.assign_add(W.T)
    layer.bias.assign(b)


def add_bias(layer, W, b):
    layer.kernel.assign(W.T)
    layer.bias.assign_add(b)


def reshape_unless_square(layer, W, b):  # a reshape is only wrong once W is not square
    n_out, n_in = W.shape
    layer.set_weights([W.T if n_in == n_out else W.reshape(n_in, n_out), b])


def load_and_activate(layer, W, b):  # also gives the layer an activation it should not have
    import keras

    layer.set_weights([W.T, b])
    layer.activation = keras.activations.tanh


def negate_in_place(layer, W, b):
    layer.set_weights([W.T, b])
    W *= -1


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda layer, W, b: layer.set_weights([W, b]), "copied W as it is"),
        (lambda layer, W, b: layer.kernel.assign(W.T), "bias was not copied.*starting bias"),
        (lambda layer, W, b: layer.bias.assign(b), "kernel did not change"),
        (add_kernel, "W.T was ADDED to the kernel"),
        (add_bias, "b was ADDED to the layer.s starting bias"),
        (reshape_unless_square, "you reshaped W"),
        (negate_in_place, "changed its argument `W` in place"),
        (lambda layer, W, b: layer.set_weights([W.T + 1e-3, b]), "layer.kernel differs"),
        (lambda layer, W, b: layer.set_weights([W.T, b + 1e-3]), "layer.bias differs"),
        (lambda layer, W, b: None, "weights did not change: load the weights"),
        (load_and_activate, r"layer\(x\) differs from the expected value"),
        (
            lambda layer, W, b: layer.set_weights([W.T]),
            r"Hint: set_weights needs every weight of the layer, in the order \[kernel, bias\]",
        ),
        (lambda layer, W, b: layer.kernel.assign(W[:, :-1]), r"Hint: Keras refused the shapes"),
        (lambda layer, W, b: layer.build((None, 4)), "Hint: load the weights with layer.set_weights"),
        (new_layer, "you returned a new layer"),
        (set_attribute, "do not assign to the attribute"),
        (lambda layer, W, b: layer.set_weights([W.T, b[None, :]]), "Keras refused the shapes"),
    ],
)
def test_load_into_dense_bugs_are_named(wrong, diagnosis):
    rejects(check_load_into_dense, wrong, diagnosis)


def test_load_into_dense_stub(assert_not_attempted):
    assert_not_attempted(check_load_into_dense)


# ----------------------------------------------------------------------------- 00.4 parameter count
def test_param_count_question_names_the_sizes():
    assert all(s in PARAM_COUNT_QUESTION for s in ("5 words", "1,000", "16 output units"))


def keras_count():
    import keras

    layer = keras.layers.Dense(16)
    layer.build((None, 5 * 1000))
    return layer.count_params()


@pytest.mark.parametrize("answer", [5 * 1000 * 16 + 16, np.int64(80016), (5 * 1000 + 1) * 16, keras_count()])
def test_param_count_right_answers_pass(answer, capsys):
    assert check_param_count(answer)
    assert "✅ Exercise 00.4 (parameter count): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (80000, "n_params = 80000 is not right. you forgot the biases"),
        (16016, "counted one word only"),
        (85000, "one entry per OUTPUT unit"),
        (96, "one-hot vector of length 1000"),
        (80080, "5 × 16 biases"),
        (12345, "Count the weights"),
        (80016.5, "Count the weights"),
        (float("nan"), "Count the weights"),
        (80016.0, "give it as an int"),
        ("80016", "should be a number .an int., got str '80016'"),
        ([80016], r"should be a number \(an int\), got list\.$"),
        (True, "should be a number .an int., got bool"),
        (np.array([80016]), "NumPy array of shape"),
    ],
)
def test_param_count_bugs_are_named(wrong, diagnosis):
    rejects(check_param_count, wrong, diagnosis)


@pytest.mark.parametrize("answer", [None, ...])
def test_param_count_not_attempted(assert_not_attempted, answer):
    assert_not_attempted(check_param_count, answer=answer)


def test_param_count_not_attempted_names_the_variable(capsys):
    check_param_count(None)
    assert "`n_params` is still None" in capsys.readouterr().out


# ----------------------------------------------------------------------------- 00.6 window_dense
def window_dense(ids, K, b):
    n_words = ids.shape[1]
    vocab_size = K.shape[0] // n_words
    rows = np.arange(n_words) * vocab_size + ids  # (batch, n_words): the row of each word
    return K[rows].sum(axis=1) + b


def window_dense_loop(ids, K, b):  # one word at a time, block by block
    n_words = ids.shape[1]
    blocks = np.split(K, n_words)  # n_words blocks of (vocab_size, n_out)
    out = np.tile(b, (len(ids), 1)).astype(float)
    for p, block in enumerate(blocks):
        out = out + block[ids[:, p]]
    return out


def window_dense_one_hot(ids, K, b):  # builds the one-hot vectors: slower, but right
    vocab_size = K.shape[0] // ids.shape[1]
    return np.eye(vocab_size)[ids].reshape(len(ids), -1) @ K + b


def window_dense_einsum(ids, K, b):
    n_words = ids.shape[1]
    blocks = K.reshape(n_words, -1, K.shape[1])  # (n_words, vocab_size, n_out)
    return np.einsum("bpo->bo", blocks[np.arange(n_words), ids]) + b


def test_window_dense_reference_passes(capsys):
    assert check_window_dense(window_dense)
    assert "✅ Exercise 00.6 (window_dense): passed" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [window_dense_loop, window_dense_one_hot, window_dense_einsum])
def test_window_dense_correct_alternatives_pass(answer):
    assert check_window_dense(answer)


def window_dense_first_block(ids, K, b):
    return K[ids].sum(axis=1) + b


def window_dense_interleaved(ids, K, b):
    n_words = ids.shape[1]
    return K[ids * n_words + np.arange(n_words)].sum(axis=1) + b


def window_dense_seen_vocab(ids, K, b):  # the vocabulary size guessed from the ids
    vocab_size = ids.max() + 1
    return K[np.arange(ids.shape[1]) * vocab_size + ids].sum(axis=1) + b


def window_dense_five_words(ids, K, b):  # the lesson's window of 5 written into the code
    vocab_size = K.shape[0] // 5
    return K[np.arange(ids.shape[1]) * vocab_size + ids].sum(axis=1) + b


def window_dense_in_place(ids, K, b):  # turns ids into row numbers in place
    ids += np.arange(ids.shape[1]) * (K.shape[0] // ids.shape[1])
    return K[ids].sum(axis=1) + b


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (window_dense_first_block, "every word reads the first block of rows"),
        (window_dense_interleaved, "as if the one-hot vectors were interleaved"),
        (lambda ids, K, b: window_dense(ids, K, b) - b, "forgot the bias"),
        (lambda ids, K, b: window_dense(ids, K, b) + (ids.shape[1] - 1) * b, "added once per word"),
        (lambda ids, K, b: (window_dense(ids, K, b) - b) / ids.shape[1] + b, "you average the words"),
        (lambda ids, K, b: K[ids[:, 0]] + b, "only the first word counts"),
        (lambda ids, K, b: window_dense(ids - 1, K, b), r"shifted by one \(ids - 1\)"),
        (window_dense_seen_vocab, r"guessed from the ids \(ids.max\(\) \+ 1\)"),
        (window_dense_five_words, r"the output for ids \(3, 2\) and K \(14, 4\) differs"),
        (window_dense_in_place, "changed its argument `ids` in place"),
        (
            lambda ids, K, b: window_dense(ids, K, b)[:, 0] if K.shape[1] == 1 else window_dense(ids, K, b),
            "n_out axis of size 1 is missing",
        ),
        (
            lambda ids, K, b: np.squeeze(window_dense(ids, K, b)),
            "batch axis of size 1 is missing",
        ),
        (lambda ids, K, b: None, "forget to `return`"),
    ],
)
def test_window_dense_bugs_are_named(wrong, diagnosis):
    rejects(check_window_dense, wrong, diagnosis)


def test_window_dense_stub(assert_not_attempted):
    assert_not_attempted(check_window_dense)
