"""seqkeras.reference, lesson 06: reverse_padded and birnn_forward (a bidirectional vanilla RNN)
agree with keras.layers.Bidirectional and reject bad input with a clear message."""

import keras
import numpy as np
import pytest

from seqkeras.reference import MERGE_MODES, birnn_forward, reverse_padded, rnn_forward


def params(rng, n_in, n_h):
    return [rng.normal(size=(n_in, n_h)) * 0.6, rng.normal(size=(n_h, n_h)) * 0.5, rng.normal(size=n_h) * 0.3]


def padded_batch(seed=0, lengths=(6, 3, 1, 0), T=6, n_in=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(len(lengths), T, n_in))  # junk, not zeros, in the padded steps
    return x, np.array(lengths), rng


# ----------------------------------------------------------------------------- reverse_padded
def test_reverse_padded_reverses_within_each_length_and_keeps_padding_in_place():
    x = np.array([[1, 2, 3, 4], [5, 6, 0, 0], [7, 0, 0, 0]])
    np.testing.assert_array_equal(
        reverse_padded(x, np.array([4, 2, 1])), [[4, 3, 2, 1], [6, 5, 0, 0], [7, 0, 0, 0]]
    )


def test_reverse_padded_is_its_own_inverse_and_copies():
    x, lengths, _ = padded_batch()
    before = x.copy()
    twice = reverse_padded(reverse_padded(x, lengths), lengths)
    np.testing.assert_array_equal(twice, x)
    np.testing.assert_array_equal(x, before)
    assert reverse_padded(x, lengths) is not x


def test_reverse_padded_without_lengths_flips_everything():
    x, _, _ = padded_batch()
    np.testing.assert_array_equal(reverse_padded(x), x[:, ::-1])


@pytest.mark.parametrize(
    "lengths, match",
    [
        (np.array([6, 3]), r"lengths has shape \(2,\), expected \(4,\)"),
        (np.array([6.0, 3.0, 1.0, 0.0]), "must be integers"),
        (np.array([7, 3, 1, 0]), "between 0 and T = 6"),
        (np.array([6, -1, 1, 0]), "between 0 and T = 6"),
    ],
)
def test_reverse_padded_bad_lengths(lengths, match):
    x, _, _ = padded_batch()
    with pytest.raises(ValueError, match=match):
        reverse_padded(x, lengths)


def test_reverse_padded_needs_a_batch():
    with pytest.raises(ValueError, match=r"expected \(batch, T, ...\)"):
        reverse_padded(np.arange(5))


# ----------------------------------------------------------------------------- birnn_forward
@pytest.mark.parametrize("merge_mode", MERGE_MODES)
def test_birnn_forward_equals_keras_bidirectional_with_a_mask(merge_mode):
    x, lengths, rng = padded_batch()
    forward, backward = params(rng, 3, 4), params(rng, 3, 4)
    layer = keras.layers.Bidirectional(
        keras.layers.SimpleRNN(4, return_sequences=True), merge_mode=merge_mode
    )
    mask = np.arange(6)[None, :] < lengths[:, None]
    layer(x.astype("float32"), mask=mask)
    layer.forward_layer.set_weights(forward)
    layer.backward_layer.set_weights(backward)
    got = birnn_forward(x, lengths, forward, backward, merge_mode=merge_mode)
    want = layer(x.astype("float32"), mask=mask)
    for g, w in zip(got if merge_mode is None else [got], want if merge_mode is None else [want]):
        np.testing.assert_allclose(g, keras.ops.convert_to_numpy(w), atol=1e-5)


def test_birnn_forward_halves_read_what_they_should():
    x, lengths, rng = padded_batch(lengths=(5, 5), T=5)
    forward, backward = params(rng, 3, 4), params(rng, 3, 2)
    fwd, bwd = birnn_forward(x, None, forward, backward, merge_mode=None)
    np.testing.assert_allclose(fwd, rnn_forward(x, None, *forward))
    np.testing.assert_allclose(bwd[:, 0], rnn_forward(x[:, ::-1], None, *backward)[:, -1])
    np.testing.assert_allclose(
        birnn_forward(x, lengths, forward, backward), np.concatenate([fwd, bwd], axis=-1)
    )
    later = x.copy()
    later[:, 3] += 1.0  # a later step changes: backward at step 1 moves, forward does not
    f2, b2 = birnn_forward(later, None, forward, backward, merge_mode=None)
    np.testing.assert_allclose(f2[:, :3], fwd[:, :3])
    assert not np.allclose(b2[:, 0], bwd[:, 0])


def test_birnn_forward_ignores_what_is_in_the_padding_and_zeroes_it():
    x, lengths, rng = padded_batch()
    forward, backward = params(rng, 3, 4), params(rng, 3, 4)
    real = np.arange(6)[None, :] < lengths[:, None]
    other = x.copy()
    other[~real] = 100.0
    out = birnn_forward(x, lengths, forward, backward)
    np.testing.assert_allclose(birnn_forward(other, lengths, forward, backward), out)
    assert np.all(out[~real] == 0.0)
    np.testing.assert_allclose(birnn_forward(x[1:2, :3], None, forward, backward), out[1:2, :3])


def test_birnn_forward_bad_arguments():
    x, lengths, rng = padded_batch()
    forward, backward = params(rng, 3, 4), params(rng, 3, 5)
    with pytest.raises(ValueError, match="merge_mode must be one of"):
        birnn_forward(x, lengths, forward, backward, merge_mode="max")
    with pytest.raises(ValueError, match="both directions of the same size"):
        birnn_forward(x, lengths, forward, backward, merge_mode="sum")
    with pytest.raises(ValueError, match=r"expected 3-D \(batch, T, n_in\)"):
        birnn_forward(x[0], None, forward, backward)
    with pytest.raises(ValueError, match="between 0 and T"):
        birnn_forward(x, lengths + 1, forward, backward)
    assert birnn_forward(x, lengths, forward, backward).shape == (4, 6, 9)
