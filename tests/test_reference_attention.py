"""seqkeras.reference, lesson 08: additive (Bahdanau) and Luong attention in NumPy, checked
against loops over every (i, j) written straight from the equations, and their masking; an
attention map read as a hard alignment (strongest_source)."""

import numpy as np
import pytest

from seqkeras.reference import (
    additive_attention,
    additive_scores,
    attention_context,
    attention_weights,
    dot_scores,
    general_scores,
    luong_attention,
    strongest_source,
)


def case(seed=0, batch=3, T_y=4, T_x=5, n_s=3, n_h=6, n_a=7):
    rng = np.random.default_rng(seed)
    return dict(
        s=rng.normal(size=(batch, T_y, n_s)),
        hs=rng.normal(size=(batch, T_x, n_h)),
        W=rng.normal(size=(n_s, n_a)) * 0.5,
        U=rng.normal(size=(n_h, n_a)) * 0.5,
        v=rng.normal(size=n_a),
    )


def loop_additive(s, hs, W, U, v):
    """e[b, i, j] = vᵀ tanh(Wᵀ s_i + Uᵀ h_j), one number at a time (the textbook, column vectors)."""
    batch, T_y, _ = s.shape
    T_x = hs.shape[1]
    e = np.empty((batch, T_y, T_x))
    for b in range(batch):
        for i in range(T_y):
            for j in range(T_x):
                e[b, i, j] = v @ np.tanh(W.T @ s[b, i] + U.T @ hs[b, j])
    return e


def test_additive_scores_equal_the_loop_for_a_sequence_and_for_one_query():
    c = case()
    e = additive_scores(c["s"], c["hs"], c["W"], c["U"], c["v"])
    assert e.shape == (3, 4, 5)
    np.testing.assert_allclose(e, loop_additive(**c), atol=1e-12)
    one = additive_scores(c["s"][:, 2], c["hs"], c["W"], c["U"], c["v"])
    assert one.shape == (3, 5)
    np.testing.assert_allclose(one, e[:, 2], atol=1e-12)
    # v as a (n_a, 1) column (a Dense kernel) gives the same
    np.testing.assert_allclose(additive_scores(c["s"], c["hs"], c["W"], c["U"], c["v"][:, None]), e)


def test_weights_sum_to_one_and_context_is_the_weighted_sum():
    c = case(1)
    context, alpha = additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"])
    assert alpha.shape == (3, 4, 5) and context.shape == (3, 4, 6)
    np.testing.assert_allclose(alpha.sum(-1), 1.0)
    assert np.all(alpha > 0)
    for b in range(3):
        for i in range(4):
            expected = sum(alpha[b, i, j] * c["hs"][b, j] for j in range(5))
            np.testing.assert_allclose(context[b, i], expected, atol=1e-12)


def test_mask_gives_padded_steps_weight_exactly_zero_and_ignores_what_they_hold():
    c = case(2, T_x=6)
    mask = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool)
    context, alpha = additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"], mask)
    assert np.all(alpha[~np.broadcast_to(mask[:, None], alpha.shape)] == 0.0)
    np.testing.assert_allclose(alpha.sum(-1), 1.0)
    np.testing.assert_allclose(alpha[2, :, 0], 1.0)  # one real step takes all the weight
    # the same as attending over the real steps alone
    short_ctx, short_alpha = additive_attention(c["s"][1:2], c["hs"][1:2, :3], c["W"], c["U"], c["v"])
    np.testing.assert_allclose(alpha[1:2, :, :3], short_alpha, atol=1e-12)
    np.testing.assert_allclose(context[1:2], short_ctx, atol=1e-12)
    # junk in the padded steps changes nothing
    hs = c["hs"].copy()
    hs[~mask] = 1e6
    np.testing.assert_allclose(additive_attention(c["s"], hs, c["W"], c["U"], c["v"], mask)[0], context)


def test_mask_may_be_ones_and_zeros_and_is_shared_by_every_output_step():
    c = case(3)
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 0, 1]])
    a_int = additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"], mask)[1]
    a_bool = additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"], mask.astype(bool))[1]
    np.testing.assert_array_equal(a_int, a_bool)
    one = additive_attention(c["s"][:, 1], c["hs"], c["W"], c["U"], c["v"], mask)[1]
    np.testing.assert_allclose(one, a_int[:, 1])


def test_a_row_with_every_step_masked_gets_zero_weights_and_zero_context_not_nan():
    c = case(4)
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    context, alpha = additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"], mask)
    assert np.all(np.isfinite(alpha)) and np.all(np.isfinite(context))
    assert np.all(alpha[1] == 0) and np.all(context[1] == 0)
    np.testing.assert_allclose(alpha[[0, 2]].sum(-1), 1.0)


def test_huge_scores_do_not_overflow():
    e = np.array([[1000.0, -1000.0, 999.0], [-5e4, -5e4, -5e4]])
    alpha = attention_weights(e, np.array([[1, 1, 1], [1, 0, 1]]))
    assert np.all(np.isfinite(alpha))
    np.testing.assert_allclose(alpha[0], [1 / (1 + np.exp(-1)), 0, np.exp(-1) / (1 + np.exp(-1))])
    np.testing.assert_allclose(alpha[1], [0.5, 0, 0.5])


def test_inputs_are_not_modified():
    c = case(5)
    copies = {k: v.copy() for k, v in c.items()}
    mask = np.array([[1, 1, 0, 0, 0]] * 3)
    additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"], mask)
    for k in c:
        np.testing.assert_array_equal(c[k], copies[k])


def test_luong_dot_and_general_scores_equal_the_loop():
    rng = np.random.default_rng(6)
    s, hs, W_a = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(4, 4))
    dot = dot_scores(s, hs)
    gen = general_scores(s, hs, W_a)
    for b in range(2):
        for i in range(3):
            for j in range(5):
                assert dot[b, i, j] == pytest.approx(s[b, i] @ hs[b, j])
                assert gen[b, i, j] == pytest.approx(s[b, i] @ W_a @ hs[b, j])
    np.testing.assert_allclose(dot_scores(s[:, 0], hs), dot[:, 0])
    np.testing.assert_allclose(general_scores(s[:, 0], hs, W_a), gen[:, 0])
    np.testing.assert_allclose(general_scores(s, hs, np.eye(4)), dot)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    context, alpha = luong_attention(s, hs, mask=mask)
    np.testing.assert_allclose(alpha, attention_weights(dot, mask))
    np.testing.assert_allclose(context, attention_context(alpha, hs))
    np.testing.assert_allclose(luong_attention(s, hs, W_a)[1], attention_weights(gen))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda c: additive_scores(c["s"], c["hs"][0], c["W"], c["U"], c["v"]), r"hs\[None\]"),
        (lambda c: additive_scores(c["s"][0, 0], c["hs"], c["W"], c["U"], c["v"]), r"s_prev\[None\]"),
        (lambda c: additive_scores(c["s"][:2], c["hs"], c["W"], c["U"], c["v"]), "one query per sequence"),
        (lambda c: additive_scores(c["s"], c["hs"], c["W"].T, c["U"], c["v"]), "transposed"),
        (lambda c: additive_scores(c["s"], c["hs"], c["W"], c["U"][:3], c["v"]), r"U \(n_h, n_a\)"),
        (lambda c: dot_scores(c["s"], c["hs"]), "general_scores"),
        (lambda c: attention_weights(np.zeros((3, 5)), np.ones((3, 4))), r"mask \(batch, T_x\)"),
        (lambda c: attention_weights(np.zeros((3, 5)), np.full((3, 5), 2)), "True/False"),
        (lambda c: attention_weights(np.zeros(5)), "last axis is the encoder steps"),
        (lambda c: attention_context(np.ones((3, 4)), c["hs"]), r"alpha has shape \(3, 4\)"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call(case())


# --------------------------------------------------------------------------- strongest_source
def loop_strongest(alpha, real):
    """positions[b, i]: the first real j with the largest weight, one row at a time; -1 if none."""
    B, T_y, T_x = alpha.shape
    out = np.full((B, T_y), -1)
    for b in range(B):
        for i in range(T_y):
            best = None
            for j in range(T_x):
                if real[b, j] and (best is None or alpha[b, i, j] > alpha[b, i, best]):
                    best = j
            out[b, i] = -1 if best is None else best
    return out


def test_strongest_source_picks_real_steps_only_even_when_padding_weighs_most():
    alpha = np.array(
        [
            [[0.1, 0.2, 0.7, 0.0], [0.5, 0.3, 0.1, 0.1]],
            [[0.1, 0.1, 0.3, 0.5], [0.2, 0.1, 0.6, 0.1]],
        ]
    )
    real = np.array([[1, 1, 1, 1], [1, 1, 0, 0]], dtype=bool)
    got = strongest_source(alpha, real)
    assert got.shape == (2, 2) and got.dtype.kind == "i"
    np.testing.assert_array_equal(got, [[2, 0], [0, 0]])
    # the padded steps of sentence 1 weigh most; what they hold changes nothing
    junk = alpha.copy()
    junk[1, :, 2:] = 1e9
    np.testing.assert_array_equal(strongest_source(junk, real), got)


def test_strongest_source_ties_go_to_the_first_real_step_and_a_sentence_of_padding_gives_minus_one():
    alpha = np.array([[[0.4, 0.4, 0.2]], [[0.9, 0.3, 0.3]], [[0.5, 0.2, 0.3]]])
    real = np.array([[1, 1, 1], [0, 1, 1], [0, 0, 0]])
    np.testing.assert_array_equal(strongest_source(alpha, real), [[0], [1], [-1]])
    # all real weights 0 and the padding heavy: still the first real step, not 0
    np.testing.assert_array_equal(
        strongest_source(np.array([[[1.0, 0.0, 0.0]]]), np.array([[0, 1, 1]])), [[1]]
    )


@pytest.mark.parametrize("kind", [bool, int, float, np.float32])
def test_strongest_source_equals_the_loop_for_any_kind_of_mask(kind):
    rng = np.random.default_rng(7)
    alpha = np.round(rng.random((4, 6, 9)), 1)  # rounded: many exact ties
    real = rng.random((4, 9)) < 0.6
    real[3] = False
    got = strongest_source(alpha, real.astype(kind))
    np.testing.assert_array_equal(got, loop_strongest(alpha, real))
    assert np.all(got[3] == -1) and np.all(got[:3] >= 0)


def test_strongest_source_keeps_axes_of_size_one_and_leaves_its_inputs_alone():
    assert strongest_source(np.ones((1, 1, 1)), np.ones((1, 1))).tolist() == [[0]]
    assert strongest_source(np.ones((1, 1, 1)), np.zeros((1, 1))).tolist() == [[-1]]
    assert strongest_source(np.ones((2, 3, 1)), np.array([[True], [False]])).tolist() == [[0] * 3, [-1] * 3]
    rng = np.random.default_rng(8)
    alpha, real = rng.random((3, 4, 5)), rng.random((3, 5)) < 0.5
    before = alpha.copy(), real.copy()
    strongest_source(alpha, real)
    np.testing.assert_array_equal(alpha, before[0])
    np.testing.assert_array_equal(real, before[1])


def test_strongest_source_reads_the_map_of_a_real_attention_layer():
    c = case(9, T_x=6)
    mask = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0]], dtype=bool)
    alpha = additive_attention(c["s"], c["hs"], c["W"], c["U"], c["v"], mask)[1]
    got = strongest_source(alpha, mask)
    np.testing.assert_array_equal(got, alpha.argmax(axis=-1))  # masked weights: argmax alone agrees
    assert got.shape == (3, 4) and np.all(got[2] <= 1)


@pytest.mark.parametrize(
    "alpha, real, match",
    [
        (np.ones((2, 5)), np.ones((2, 5)), r"expected \(B, T_y, T_x\).*alpha\[:, None, :\]"),
        (np.ones((2, 3, 5)), np.ones(5), r"real\[None\]"),
        (np.ones((2, 3, 5)), np.ones((3, 5)), "real has 3 sentences .* alpha has 2"),
        (np.ones((2, 3, 5)), np.ones((2, 4)), r"real has 4 source steps .* T_x = 5"),
        (np.ones((2, 3, 5)), np.ones((2, 3)), r"transposed.*alpha.transpose\(0, 2, 1\)"),
        (np.ones((2, 3, 5)), np.full((2, 5), 2), "True/False"),
        (np.full((1, 1, 2), np.nan), np.ones((1, 2)), "NaN or infinity at a real step"),
        (np.array([[["a", "b"]]]), np.ones((1, 2)), "must hold numbers"),
    ],
)
def test_strongest_source_bad_input_is_named(alpha, real, match):
    with pytest.raises(ValueError, match=match):
        strongest_source(alpha, real)


def test_strongest_source_ignores_nan_in_padding():
    alpha = np.array([[[0.2, np.nan, 0.8]]])
    np.testing.assert_array_equal(strongest_source(alpha, np.array([[1, 0, 1]])), [[2]])
