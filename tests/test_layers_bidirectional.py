"""seqkeras.layers, lesson 06: Backward (a recurrent layer run from the last step to the first)
is the backward half of keras.layers.Bidirectional; WordDropout replaces words by <unk> in
training only. Both save and load, and reject bad arguments clearly."""

import keras
import numpy as np
import pytest
from keras import layers

from seqkeras.layers import Backward, WordDropout


def to_np(t):
    return keras.ops.convert_to_numpy(t)


def padded(seed=0, lengths=(7, 4, 1), T=7, n_in=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(len(lengths), T, n_in)).astype("float32")
    mask = np.arange(T)[None, :] < np.array(lengths)[:, None]
    return x, mask


def copied_pair(cell, units=5, return_sequences=True, x=None):
    """A Bidirectional layer and a Backward layer with the same backward weights."""
    bi = layers.Bidirectional(cell(units, return_sequences=return_sequences), merge_mode=None)
    back = Backward(cell(units, return_sequences=return_sequences))
    bi(x)
    back(x)
    back.layer.set_weights(bi.backward_layer.get_weights())
    return bi, back


@pytest.mark.parametrize("cell", [layers.SimpleRNN, layers.GRU, layers.LSTM])
def test_backward_is_the_backward_half_of_bidirectional(cell):
    x, mask = padded()
    bi, back = copied_pair(cell, x=x)
    _, want = bi(x, mask=mask)
    np.testing.assert_allclose(to_np(back(x, mask=mask)), to_np(want), atol=1e-5)
    assert np.all(to_np(back(x, mask=mask))[~mask] == 0.0)  # padded steps give 0


def test_backward_last_state_is_the_state_after_the_first_step():
    x, mask = padded()
    bi, back = copied_pair(layers.GRU, return_sequences=False, x=x)
    _, want = bi(x, mask=mask)
    np.testing.assert_allclose(to_np(back(x, mask=mask)), to_np(want), atol=1e-5)
    assert back.compute_mask(x, mask) is None


def test_forward_and_backward_concatenated_equal_bidirectional_in_a_model():
    ids = keras.Input((None,), dtype="int32")
    emb = layers.Embedding(20, 6, mask_zero=True)
    e = emb(ids)
    fwd, back = layers.GRU(4, return_sequences=True), Backward(layers.GRU(4, return_sequences=True))
    by_hand = keras.Model(ids, layers.Dense(3)(layers.Concatenate()([fwd(e), back(e)])))
    bi = layers.Bidirectional(layers.GRU(4, return_sequences=True))
    dense = layers.Dense(3)
    keras_model = keras.Model(ids, dense(bi(emb(ids))))
    bi.forward_layer.set_weights(fwd.get_weights())
    bi.backward_layer.set_weights(back.layer.get_weights())
    dense.set_weights(by_hand.layers[-1].get_weights())
    x = np.array([[3, 5, 7, 9, 0, 0], [2, 4, 0, 0, 0, 0]], dtype="int32")
    real = x != 0
    np.testing.assert_allclose(to_np(by_hand(x))[real], to_np(keras_model(x))[real], atol=1e-5)
    more = np.concatenate([x, np.zeros((2, 4), "int32")], axis=1)  # more padding changes nothing
    np.testing.assert_allclose(to_np(by_hand(more))[:, :6][real], to_np(by_hand(x))[real], atol=1e-5)


def test_backward_output_at_step_t_reads_only_steps_t_and_later():
    x, _ = padded(lengths=(6,), T=6)
    back = Backward(layers.SimpleRNN(3, return_sequences=True))
    base = to_np(back(x))
    later = x.copy()
    later[:, 4] += 1.0
    moved = np.abs(to_np(back(later)) - base).max(axis=-1)[0]
    assert np.all(moved[:5] > 1e-6) and moved[5] < 1e-7


def test_without_a_mask_the_padding_is_read_first():
    x, mask = padded()
    x[~mask] = 0.0
    back = Backward(
        layers.GRU(
            4,
            return_sequences=True,  # a non-zero bias: zeros move the state
            bias_initializer=keras.initializers.RandomNormal(seed=1),
        )
    )
    with_mask, without = to_np(back(x, mask=mask)), to_np(back(x))
    assert np.allclose(with_mask[0], without[0], atol=1e-6)  # the full-length row agrees
    assert not np.allclose(with_mask[1, :4], without[1, :4], atol=1e-4)


def test_backward_saves_and_loads(tmp_path):
    x, _ = padded()
    inp = keras.Input((None, 3))
    model = keras.Model(inp, Backward(layers.LSTM(4, return_sequences=True))(inp))
    path = tmp_path / "backward.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(to_np(loaded(x)), to_np(model(x)), atol=1e-6)
    assert model.compute_output_shape((None, 7, 3)) == (None, 7, 4)


@pytest.mark.parametrize(
    "layer, match",
    [
        (layers.Dense(3), "wraps a recurrent layer"),
        (layers.GRU(3, go_backwards=True), "already has go_backwards=True"),
        (layers.GRU(3, return_state=True), "return_state"),
    ],
)
def test_backward_rejects_what_it_cannot_wrap(layer, match):
    with pytest.raises(ValueError, match=match):
        Backward(layer)


def test_backward_needs_a_sequence():
    with pytest.raises(ValueError, match=r"expects a sequence \(batch, T, n_in\)"):
        Backward(layers.GRU(3)).build((None, 3))


# ----------------------------------------------------------------------------- WordDropout
def ids_batch(seed=0):
    ids = np.random.default_rng(seed).integers(2, 50, size=(64, 40)).astype("int32")
    ids[:, 30:] = 0  # padding
    return ids


def test_word_dropout_changes_nothing_outside_training():
    ids = ids_batch()
    layer = WordDropout(0.5)
    np.testing.assert_array_equal(to_np(layer(ids)), ids)
    np.testing.assert_array_equal(to_np(layer(ids, training=False)), ids)


def test_word_dropout_replaces_about_rate_of_the_words_by_unk_never_padding():
    ids = ids_batch()
    out = to_np(WordDropout(0.2, unk_id=1, seed=3)(ids, training=True))
    assert out.dtype == ids.dtype and out.shape == ids.shape
    changed = out != ids
    assert np.all(out[changed] == 1)  # only ever to <unk>
    assert np.all(out[:, 30:] == 0)  # padding untouched
    assert 0.17 < changed[:, :30].mean() < 0.23


def test_word_dropout_uses_its_seed_and_draws_anew_each_call():
    ids = ids_batch()
    a = to_np(WordDropout(0.3, seed=5)(ids, training=True))
    b = to_np(WordDropout(0.3, seed=5)(ids, training=True))
    c = to_np(WordDropout(0.3, seed=6)(ids, training=True))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    layer = WordDropout(0.3, seed=5)
    assert not np.array_equal(to_np(layer(ids, training=True)), to_np(layer(ids, training=True)))


def test_word_dropout_per_word_rates_from_counts():
    counts = np.zeros(50)
    counts[2:10], counts[10:] = 1, 10_000  # ids 2-9 rare, 10-49 frequent; 0, 1 never counted
    layer = WordDropout.from_counts(counts, alpha=0.25, seed=0)
    rates = to_np(layer.rates)
    np.testing.assert_allclose(rates[[0, 1, 2, 10]], [0.0, 0.0, 0.2, 0.25 / 10_000.25], rtol=1e-6)
    ids = np.tile(np.arange(2, 50, dtype="int32"), (400, 1))
    changed = to_np(layer(ids, training=True)) != ids
    assert 0.17 < changed[:, :8].mean() < 0.23  # rare words: about 20%
    assert changed[:, 8:].mean() < 0.001  # frequent words: almost never


def test_word_dropout_per_word_rates_are_saved(tmp_path):
    counts = np.arange(30, dtype=float)
    inp = keras.Input((None,), dtype="int32")
    model = keras.Model(inp, WordDropout.from_counts(counts, alpha=2.0, name="wd")(inp))
    path = tmp_path / "wd.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(to_np(loaded.get_layer("wd").rates), to_np(model.get_layer("wd").rates))


def test_word_dropout_config_round_trip():
    layer = WordDropout(0.05, unk_id=2, mask_id=0, seed=1, name="wd")
    again = WordDropout.from_config(layer.get_config())
    assert (again.rate, again.unk_id, again.mask_id, again.seed, again.name) == (0.05, 2, 0, 1, "wd")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"rate": 1.0}, r"probability in \[0, 1\)"),
        ({"rate": -0.1}, r"probability in \[0, 1\)"),
        ({"rate": "0.1"}, r"probability in \[0, 1\)"),
        ({"rate": 0.1, "unk_id": 0}, "must differ from the padding id"),
        ({}, "either `rate`"),
        ({"rate": 0.1, "rates": [0.1, 0.2]}, "either `rate`"),
        ({"rates": [[0.1, 0.2]]}, "must be 1-D"),
        ({"rates": [0.1, 1.2]}, r"probabilities in \[0, 1\]"),
    ],
)
def test_word_dropout_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        WordDropout(**kwargs)


def test_word_dropout_from_counts_bad_arguments():
    with pytest.raises(ValueError, match="non-negative counts"):
        WordDropout.from_counts(np.array([1.0, -2.0]))
    with pytest.raises(ValueError, match="alpha must be positive"):
        WordDropout.from_counts(np.array([1.0, 2.0]), alpha=0)
