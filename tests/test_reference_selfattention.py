"""seqkeras.reference, lesson 09: scaled dot-product attention, the causal mask, sinusoidal
positions and self-attention, checked against the equations written as loops, against Keras's
``MultiHeadAttention`` with one head and copied weights, and against the properties the lesson
claims (causality, the effect of the √d_k scaling, order blindness)."""

import keras
import numpy as np
import pytest

from seqkeras.reference import (
    causal_mask,
    scaled_dot_product_attention,
    self_attention,
    sinusoidal_positions,
    softmax,
)


def qkv(seed=0, batch=3, T_q=4, T_k=6, d_k=5, d_v=7):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(batch, T_q, d_k)),
        rng.normal(size=(batch, T_k, d_k)),
        rng.normal(size=(batch, T_k, d_v)),
    )


def projections(seed=0, d_model=6, d_k=4, d_v=5):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(d_model, d_k)) * 0.5,
        rng.normal(size=(d_model, d_k)) * 0.5,
        rng.normal(size=(d_model, d_v)) * 0.5,
    )


def loop_attention(q, k, v):
    """output[b, i] = Σ_j softmax_j(q_i · k_j / √d_k) v_j, one query at a time."""
    batch, T_q, d_k = q.shape
    out = np.zeros((batch, T_q, v.shape[-1]))
    for b in range(batch):
        for i in range(T_q):
            scores = np.array([q[b, i] @ k[b, j] for j in range(k.shape[1])]) / np.sqrt(d_k)
            alpha = np.exp(scores - scores.max())
            alpha /= alpha.sum()
            out[b, i] = sum(alpha[j] * v[b, j] for j in range(k.shape[1]))
    return out


# --------------------------------------------------------------------------- the equations
def test_scaled_dot_product_attention_equals_the_loop_and_its_weights_sum_to_one():
    q, k, v = qkv()
    out, weights = scaled_dot_product_attention(q, k, v)
    assert out.shape == (3, 4, 7) and weights.shape == (3, 4, 6)
    np.testing.assert_allclose(out, loop_attention(q, k, v), atol=1e-12)
    np.testing.assert_allclose(weights.sum(-1), 1.0)
    assert np.all(weights > 0)
    np.testing.assert_allclose(out, weights @ v, atol=1e-12)


def test_one_query_one_key_takes_the_value_whole():
    q, k, v = qkv(1, batch=1, T_q=1, T_k=1)
    out, weights = scaled_dot_product_attention(q, k, v)
    np.testing.assert_array_equal(weights, np.ones((1, 1, 1)))
    np.testing.assert_allclose(out, v)


def test_masked_keys_get_weight_exactly_zero_and_an_empty_row_gets_zeros():
    q, k, v = qkv(2, batch=2, T_q=3, T_k=5)
    mask = np.ones((2, 3, 5), dtype=bool)
    mask[0, 1, 2:] = False  # query 1 of example 0 sees two keys
    mask[1, 2] = False  # query 2 of example 1 sees none
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    assert np.all(weights[~mask] == 0.0)
    np.testing.assert_allclose(weights[0].sum(-1), 1.0)
    np.testing.assert_array_equal(weights[1, 2], 0.0)
    np.testing.assert_array_equal(out[1, 2], 0.0)
    # the same as attending over the visible keys alone
    short_out, short_w = scaled_dot_product_attention(q[:1, 1:2], k[:1, :2], v[:1, :2])
    np.testing.assert_allclose(weights[0, 1, :2], short_w[0, 0], atol=1e-12)
    np.testing.assert_allclose(out[0, 1], short_out[0, 0], atol=1e-12)
    # junk in hidden keys and values changes nothing
    k2, v2 = k.copy(), v.copy()
    k2[0, 2:], v2[0, 2:] = 1e6, -1e6
    out2, _ = scaled_dot_product_attention(q[:1, 1:2], k2[:1], v2[:1], mask[:1, 1:2])
    np.testing.assert_allclose(out2[0, 0], out[0, 1], atol=1e-9)


def test_the_three_mask_layouts_and_integer_masks_agree():
    q, k, v = qkv(3, batch=2, T_q=4, T_k=5)
    padding = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)  # (B, T_k)
    shared = np.tril(np.ones((4, 5), dtype=bool))  # (T_q, T_k)
    full_pad = np.broadcast_to(padding[:, None, :], (2, 4, 5))
    full_shared = np.broadcast_to(shared[None], (2, 4, 5))
    for two_d, three_d, with_ones in (
        (padding, full_pad, padding[:, None, :]),
        (shared, full_shared, shared[None]),
    ):
        a = scaled_dot_product_attention(q, k, v, two_d)
        for other in (three_d, three_d.astype(int), with_ones):
            for x, y in zip(a, scaled_dot_product_attention(q, k, v, other)):
                np.testing.assert_array_equal(x, y)


def test_scale_multiplies_the_scores():
    q, k, v = qkv(4)
    _, plain = scaled_dot_product_attention(q, k, v, scale=1.0)
    np.testing.assert_allclose(plain, softmax(q @ k.transpose(0, 2, 1)), atol=1e-12)
    _, default = scaled_dot_product_attention(q, k, v)
    _, explicit = scaled_dot_product_attention(q, k, v, scale=1 / np.sqrt(5))
    np.testing.assert_allclose(default, explicit, atol=1e-15)


def test_without_the_sqrt_d_scaling_the_softmax_saturates_as_d_grows():
    """Scores of random unit-variance queries and keys have variance d_k; divided by √d_k they
    keep variance 1. Measured on 64 queries against 16 keys: the largest weight stays near a
    quarter with the scaling, and climbs towards 1 without it."""
    rng = np.random.default_rng(9)
    scaled_max, plain_max = [], []
    for d_k in (4, 64, 1024):
        q, k = rng.normal(size=(64, 1, d_k)), rng.normal(size=(64, 16, d_k))
        scores = (q @ k.transpose(0, 2, 1)) / np.sqrt(d_k)
        assert 0.9 < scores.std() < 1.1
        scaled_max.append(scaled_dot_product_attention(q, k, k)[1].max(-1).mean())
        plain_max.append(scaled_dot_product_attention(q, k, k, scale=1.0)[1].max(-1).mean())
    assert all(0.15 < m < 0.35 for m in scaled_max), scaled_max
    assert plain_max[0] < 0.6 and plain_max[0] < plain_max[1] < plain_max[2], plain_max
    assert plain_max[2] > 0.9, plain_max


# --------------------------------------------------------------------------- causal mask
def test_causal_mask_is_the_lower_triangle_with_the_diagonal():
    m = causal_mask(4)
    assert m.dtype == bool and m.shape == (4, 4)
    for i in range(4):
        for j in range(4):
            assert m[i, j] == (j <= i)
    np.testing.assert_array_equal(causal_mask(1), [[True]])


def test_causal_self_attention_at_position_i_ignores_later_positions():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 7, 6))
    W = projections(5)
    out, weights = self_attention(x, *W, mask=causal_mask(7))
    assert np.all(np.triu(weights[0], 1) == 0.0)
    np.testing.assert_allclose(weights.sum(-1), 1.0)
    for i in range(7):
        later = x.copy()
        later[:, i + 1 :] = rng.normal(size=later[:, i + 1 :].shape) * 10
        changed, _ = self_attention(later, *W, mask=causal_mask(7))
        np.testing.assert_allclose(changed[:, : i + 1], out[:, : i + 1], atol=1e-12)
        if i < 6:
            assert not np.allclose(changed[:, i + 1 :], out[:, i + 1 :])
    # the first position sees itself only: its output is its own value
    np.testing.assert_allclose(out[:, 0], x[:, 0] @ W[2], atol=1e-12)
    # without the mask position 0 does depend on the future
    free, _ = self_attention(x, *W)
    assert not np.allclose(free[:, 0], out[:, 0])


# --------------------------------------------------------------------------- order blindness
def test_self_attention_is_permutation_equivariant_until_positions_are_added():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 5, 6))
    W = projections(6)
    perm = np.array([3, 0, 4, 1, 2])
    out, weights = self_attention(x, *W)
    out_p, weights_p = self_attention(x[:, perm], *W)
    np.testing.assert_allclose(out_p, out[:, perm], atol=1e-12)
    np.testing.assert_allclose(weights_p, weights[:, perm][:, :, perm], atol=1e-12)
    # with positions added the same permutation changes what each token receives
    P = sinusoidal_positions(5, 6)
    with_pos, _ = self_attention(x + P, *W)
    with_pos_p, _ = self_attention(x[:, perm] + P, *W)
    assert np.abs(with_pos_p - with_pos[:, perm]).max() > 1e-2


# --------------------------------------------------------------------------- sinusoidal positions
def test_sinusoidal_positions_at_known_points():
    P = sinusoidal_positions(50, 8)
    assert P.shape == (50, 8) and P.dtype == float
    np.testing.assert_array_equal(P[0], [0, 1, 0, 1, 0, 1, 0, 1])  # sin 0, cos 0
    np.testing.assert_allclose(P[1, :2], [np.sin(1.0), np.cos(1.0)])  # wavelength 2π
    np.testing.assert_allclose(P[7, 2:4], [np.sin(7 / 10.0), np.cos(7 / 10.0)])  # 10000^(2/8) = 10
    np.testing.assert_allclose(P[49, 6:], [np.sin(49 / 1000.0), np.cos(49 / 1000.0)])  # 10000^(6/8)
    assert np.all(np.abs(P) <= 1.0)
    np.testing.assert_allclose(P[:, 0::2] ** 2 + P[:, 1::2] ** 2, 1.0)  # one sine-cosine pair per rate
    np.testing.assert_allclose(sinusoidal_positions(1, 2), [[0.0, 1.0]])
    np.testing.assert_allclose(sinusoidal_positions(20, 8), P[:20])  # a prefix: T only cuts rows


def test_a_shift_of_positions_is_a_rotation_of_each_pair():
    P, d, s = sinusoidal_positions(30, 6), 6, 4
    for i in range(d // 2):
        b = s / 10000 ** (2 * i / d)  # the angle a shift of s adds to this pair
        # [sin(a + b), cos(a + b)] = [sin a, cos a] @ M(b), the same M for every position
        M = np.array([[np.cos(b), -np.sin(b)], [np.sin(b), np.cos(b)]])
        np.testing.assert_allclose(P[s:, 2 * i : 2 * i + 2], P[:-s, 2 * i : 2 * i + 2] @ M, atol=1e-12)


# --------------------------------------------------------------------------- Keras's MultiHeadAttention
def _mha(d_model, d_k, use_bias, seed, T):
    """A one-head ``MultiHeadAttention``, built on ``(1, T, d_model)``, with random weights.

    Its weights, in ``layer.get_weights()`` order, with H = 1 head:
      query kernel (d_model, H, d_k), query bias (H, d_k); the same for key; value kernel
      (d_model, H, d_v), value bias (H, d_v) (d_v = value_dim, default key_dim); then the output
      projection, kernel (H, d_v, d_out) and bias (d_out,), d_out = d_model unless output_shape
      says otherwise. So with one head W_q = kernel[:, 0, :] and the layer computes
          softmax((x W_q + b_q)(x W_k + b_k)ᵀ / √d_k) (x W_v + b_v) W_o + b_o,  W_o = kernel[0].
    """
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=d_k, use_bias=use_bias)
    x = np.zeros((1, T, d_model), dtype="float32")
    layer(x, x)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in layer.get_weights()])
    return layer


def test_equals_keras_multi_head_attention_with_one_head_biases_and_output_projection():
    d_model, d_k, T = 6, 4, 5
    layer = _mha(d_model, d_k, True, seed=7, T=T)
    Wq, bq, Wk, bk, Wv, bv, Wo, bo = (np.asarray(w, dtype=float) for w in layer.get_weights())
    assert Wq.shape == (d_model, 1, d_k) and bq.shape == (1, d_k) and Wo.shape == (1, d_k, d_model)
    x = np.random.default_rng(8).normal(size=(3, T, d_model)).astype("float32")
    mask = np.broadcast_to(causal_mask(T), (3, T, T)).copy()
    mask[1, :, 3:] = False  # padding as well, no row left empty
    got, got_w = layer(x, x, attention_mask=mask, return_attention_scores=True)
    got, got_w = keras.ops.convert_to_numpy(got), keras.ops.convert_to_numpy(got_w)
    assert got_w.shape == (3, 1, T, T)  # (B, heads, T_q, T_k)
    x = x.astype(float)
    out, weights = scaled_dot_product_attention(
        x @ Wq[:, 0] + bq[0], x @ Wk[:, 0] + bk[0], x @ Wv[:, 0] + bv[0], mask
    )
    np.testing.assert_allclose(got_w[:, 0], weights, atol=1e-5)
    np.testing.assert_allclose(got, out @ Wo[0] + bo, atol=1e-4)


def test_self_attention_equals_keras_without_biases_and_an_identity_output_projection():
    """With ``use_bias=False``, ``key_dim = d_model`` and the output kernel set to the identity,
    the layer is exactly :func:`self_attention` (here with its causal mask)."""
    d_model, T = 4, 6
    layer = _mha(d_model, d_model, False, seed=9, T=T)
    Wq, Wk, Wv, Wo = layer.get_weights()
    layer.set_weights([Wq, Wk, Wv, np.eye(d_model, dtype="float32")[None]])
    x = np.random.default_rng(10).normal(size=(2, T, d_model)).astype("float32")
    got, got_w = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    out, weights = self_attention(x, Wq[:, 0], Wk[:, 0], Wv[:, 0], mask=causal_mask(T))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got_w)[:, 0], weights, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), out, atol=1e-5)


def test_cross_attention_with_a_padding_mask_equals_keras():
    """Queries from one sequence, keys and values from another (T_q ≠ T_k); Keras takes the
    mask as (B, T_q, T_k), the reference also as the padding mask (B, T_k)."""
    d_model, T_q, T_k = 5, 3, 7
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=d_model, use_bias=False)
    rng = np.random.default_rng(11)
    query = rng.normal(size=(2, T_q, d_model)).astype("float32")
    source = rng.normal(size=(2, T_k, d_model)).astype("float32")
    layer(query, source)
    Wq, Wk, Wv, _ = (rng.normal(size=w.shape).astype("float32") * 0.5 for w in layer.get_weights())
    layer.set_weights([Wq, Wk, Wv, np.eye(d_model, dtype="float32")[None]])
    padding = np.array([[1, 1, 1, 1, 0, 0, 0], [1] * 7], dtype=bool)
    got = layer(query, source, attention_mask=np.broadcast_to(padding[:, None], (2, T_q, T_k)))
    out, _ = scaled_dot_product_attention(
        query.astype(float) @ Wq[:, 0],
        source.astype(float) @ Wk[:, 0],
        source.astype(float) @ Wv[:, 0],
        padding,
    )
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), out, atol=1e-5)


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "call, match",
    [
        (lambda q, k, v: scaled_dot_product_attention(q[0], k, v), r"q has shape \(4, 5\).*q\[None\]"),
        (lambda q, k, v: scaled_dot_product_attention(q, k[:2], v), "examples"),
        (lambda q, k, v: scaled_dot_product_attention(q, k[..., :3], v), "same size d_k"),
        (lambda q, k, v: scaled_dot_product_attention(q, k, v[:, :2]), "every key needs its value"),
        (
            lambda q, k, v: scaled_dot_product_attention(q, k, v, np.ones((3, 6, 4))),
            r"mask has shape \(3, 6, 4\)",
        ),
        (lambda q, k, v: scaled_dot_product_attention(q, k, v, np.full((3, 6), 2)), "True/False"),
        (lambda q, k, v: scaled_dot_product_attention(q, k, v, np.ones(6)), r"\(B, T_k\) = \(3, 6\)"),
    ],
)
def test_attention_errors_name_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call(*qkv())


def test_a_two_d_mask_that_could_be_either_layout_must_be_made_explicit():
    q, k, v = qkv(12, batch=4, T_q=4, T_k=4)
    with pytest.raises(ValueError, match=r"mask\[:, None, :\] for a padding mask, mask\[None\]"):
        scaled_dot_product_attention(q, k, v, causal_mask(4))
    a = scaled_dot_product_attention(q, k, v, causal_mask(4)[None])
    b = scaled_dot_product_attention(q, k, v, np.broadcast_to(causal_mask(4), (4, 4, 4)))
    np.testing.assert_array_equal(a[1], b[1])
    same_rows = np.tile([True, True, False, True], (4, 1))  # both readings agree: accepted
    scaled_dot_product_attention(q, k, v, same_rows)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: causal_mask(0), "T must be a positive whole number"),
        (lambda: causal_mask(3.0), "T must be a positive whole number"),
        (lambda: sinusoidal_positions(5, 7), "d = 7 is odd"),
        (lambda: sinusoidal_positions(0, 4), "T must be"),
        (lambda: sinusoidal_positions(5, True), "d must be"),
    ],
)
def test_mask_and_position_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_self_attention_errors():
    x = np.zeros((2, 5, 6))
    Wq, Wk, Wv = projections(0)
    with pytest.raises(ValueError, match=r"x has shape \(5, 6\).*x\[None\]"):
        self_attention(x[0], Wq, Wk, Wv)
    with pytest.raises(ValueError, match=r"W_k \(d_model, d_k\) has shape \(4, 6\).*pass W_k.T"):
        self_attention(x, Wq, Wk.T, Wv)
    with pytest.raises(ValueError, match="same d_k"):
        self_attention(x, Wq, Wk[:, :3], Wv)
