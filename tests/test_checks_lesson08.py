"""Checkers of lesson 08: the references and correct alternatives pass, known bugs are named,
the untouched stub is "not attempted"."""

import numpy as np
import pytest

import seqkeras.reference as ref
from seqkeras.checks.lesson08 import check_additive_scores, check_context_vector, check_masked_weights
from seqkeras.grading import ExerciseError


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------- 08.1 additive scores
def additive_scores(s_prev, hs, W, U, v):
    return np.tanh((s_prev @ W)[:, None, :] + hs @ U) @ v


def additive_scores_loop(s_prev, hs, W, U, v):  # one step j at a time
    e = np.zeros(hs.shape[:2])
    for j in range(hs.shape[1]):
        e[:, j] = np.tanh(s_prev @ W + hs[:, j] @ U) @ v
    return e


def additive_scores_einsum(s_prev, hs, W, U, v):  # einsum, column vectors as in the paper
    hidden = np.tanh(np.einsum("an,bn->ba", W.T, s_prev)[:, None] + np.einsum("bth,ha->bta", hs, U))
    return np.einsum("bta,a->bt", hidden, v)


@pytest.mark.parametrize(
    "answer", [additive_scores, additive_scores_loop, additive_scores_einsum, ref.additive_scores]
)
def test_additive_scores_correct_answers_pass(answer, capsys):
    assert check_additive_scores(answer)
    assert "passed" in capsys.readouterr().out


def _in_place(s_prev, hs, W, U, v):
    hs @= U  # overwrites the caller's array (same shape only when n_h == n_a); else crashes
    return np.tanh((s_prev @ W)[:, None, :] + hs) @ v


def _scaled_in_place(s_prev, hs, W, U, v):
    s_prev *= 1.0
    hs[:] = hs + 0.0
    v /= 1.0
    W[0, 0] += 1.0  # a stray write into the caller's weights
    return additive_scores(s_prev, hs, W, U, v)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (lambda s, h, W, U, v: ((s @ W)[:, None] + h @ U) @ v, "there is no tanh"),
        (lambda s, h, W, U, v: (1 / (1 + np.exp(-((s @ W)[:, None] + h @ U)))) @ v, "sigmoid"),
        (lambda s, h, W, U, v: np.maximum((s @ W)[:, None] + h @ U, 0) @ v, "relu"),
        (lambda s, h, W, U, v: (np.tanh(s @ W)[:, None] + np.tanh(h @ U)) @ v, "each projection separately"),
        (lambda s, h, W, U, v: np.tanh(h @ U) @ v, "ignore the decoder state"),
        (
            lambda s, h, W, U, v: np.repeat((np.tanh(s @ W) @ v)[:, None], h.shape[1], axis=1),
            "ignore the encoder states",
        ),
        (lambda s, h, W, U, v: np.tanh(((s @ W)[:, None] + h @ U) @ v), "v is applied inside the tanh"),
        (lambda s, h, W, U, v: _softmax(additive_scores(s, h, W, U, v)), "asks for the scores"),
        (
            lambda s, h, W, U, v: np.tanh(s @ W + h @ U) @ v,
            r"give the first a time axis, \(s_prev @ W\)\[:, None, :\]",
        ),
        (lambda s, h, W, U, v: np.tanh((s @ W)[:, None] + h @ U), r"one vector per step"),
        (lambda s, h, W, U, v: np.squeeze(additive_scores(s, h, W, U, v)), "Keep the batch axis"),
        (lambda s, h, W, U, v: np.tanh((s @ U)[:, None] + h @ W) @ v, "raised ValueError"),
        (_scaled_in_place, "changed its argument `\\w+` in place"),
        (lambda s, h, W, U, v: additive_scores(s, h, W, U, v) + 0.1, "differs from the expected value"),
    ],
)
def test_additive_scores_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_additive_scores(wrong)


def test_additive_scores_wrong_axis_is_named_where_it_broadcasts():
    def wrong_axis(s, h, W, U, v):  # runs whenever batch == T_x (or batch == 1)
        q = s @ W
        return (
            np.tanh(q[None, :, :] + h @ U) @ v if q.shape[0] == h.shape[1] else additive_scores(s, h, W, U, v)
        )

    with pytest.raises(ExerciseError, match=r"wrong axis: s_prev @ W is \(batch, n_a\)"):
        check_additive_scores(wrong_axis)


def test_additive_scores_stub(assert_not_attempted):
    assert_not_attempted(check_additive_scores)


# --------------------------------------------------------------------------- 08.2 context vector
def context_vector(alpha, hs):
    return (alpha[:, :, None] * hs).sum(axis=1)


def context_vector_matmul(alpha, hs):  # a (1, T_x) row times (T_x, n_h) per example
    return (alpha[:, None, :] @ hs)[:, 0, :]


def context_vector_loop(alpha, hs):
    c = np.zeros((hs.shape[0], hs.shape[2]))
    for j in range(hs.shape[1]):
        c += alpha[:, j : j + 1] * hs[:, j]
    return c


@pytest.mark.parametrize(
    "answer",
    [
        context_vector,
        context_vector_matmul,
        context_vector_loop,
        lambda a, h: np.einsum("bj,bjh->bh", a, h),
        ref.attention_context,
    ],
)
def test_context_vector_correct_answers_pass(answer, capsys):
    assert check_context_vector(answer)
    assert "passed" in capsys.readouterr().out


def _normalise_in_place(alpha, hs):
    alpha /= alpha.sum(axis=1, keepdims=True)
    alpha[:, 0] += 0.0
    hs[0, 0, 0] = hs[0, 0, 0] * 1.0 + 1.0
    return context_vector(alpha, hs)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (lambda a, h: h.mean(axis=1), "plain average"),
        (lambda a, h: h.sum(axis=1), "plain sum"),
        (lambda a, h: h[:, -1], "last encoder state"),
        (lambda a, h: h[np.arange(len(a)), a.argmax(axis=1)], "hard attention"),
        (lambda a, h: (a[:, :, None] * h).mean(axis=1), "divided by T_x"),
        (lambda a, h: a[:, :, None] * h, "sums over the encoder steps"),
        (lambda a, h: (a[:, :, None] * h).sum(axis=2), "sums over the encoder steps"),
        (lambda a, h: a @ h, r"alpha @ hs multiplied every example|raised ValueError"),
        (lambda a, h: np.squeeze(context_vector(a, h)), "keep the batch axis"),
        (_normalise_in_place, "changed its argument `\\w+` in place"),
    ],
)
def test_context_vector_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_context_vector(wrong)


def test_context_vector_batch_matmul_bug_is_named():
    def batch_mix(a, h):  # (batch, T_x) @ (batch, T_x, n_h) -> (batch, batch, n_h)
        return np.matmul(a, h) if a.shape[0] > 1 else context_vector(a, h)

    with pytest.raises(ExerciseError, match="multiplied every example's weights"):
        check_context_vector(batch_mix)


def test_context_vector_stub(assert_not_attempted):
    assert_not_attempted(check_context_vector)


# --------------------------------------------------------------------------- 08.3 masked weights
def masked_weights(scores, mask):
    alpha = _softmax(np.where(mask, scores, -1e9))
    return np.where(mask, alpha, 0.0)


def masked_weights_renormalise(scores, mask):  # softmax of the real steps only, row by row
    alpha = np.zeros_like(scores, dtype=float)
    for b in range(scores.shape[0]):
        if mask[b].any():
            alpha[b, mask[b]] = ref.softmax(scores[b, mask[b]])
    return alpha


def masked_weights_after_then_renormalise(scores, mask):  # mask after, then renormalise: same maths
    e = np.exp(scores - np.where(mask, scores, -np.inf).max(axis=-1, keepdims=True, initial=-1e300)) * mask
    total = e.sum(axis=-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


@pytest.mark.parametrize(
    "answer",
    [
        masked_weights,
        masked_weights_renormalise,
        masked_weights_after_then_renormalise,
        lambda e, m: ref.attention_weights(e, m),
        lambda e, m: masked_weights(e, m.astype(int) == 1),
    ],
)
def test_masked_weights_correct_answers_pass(answer, capsys):
    assert check_masked_weights(answer)
    assert "passed" in capsys.readouterr().out


def _no_shift(scores, mask):
    e = np.exp(np.where(mask, scores, -np.inf)) * mask
    return e / np.maximum(e.sum(axis=-1, keepdims=True), 1e-300)


def _half_on_empty_rows(scores, mask):  # right, except 0.5 everywhere in a row of padding
    return masked_weights(scores, mask) + 0.5 * ~mask.any(axis=1, keepdims=True)


def _fill_in_place(scores, mask):
    scores[~mask] = -1e9
    return np.where(mask, _softmax(scores), 0.0)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (lambda e, m: _softmax(e) * m, "mask is applied after the softmax"),
        (lambda e, m: _softmax(e), "mask is ignored"),
        (lambda e, m: _softmax(e * m), "got a score of 0"),
        (lambda e, m: masked_weights(e, ~m), "mask is inverted"),
        (lambda e, m: _softmax(np.where(m, e, -1e9).T).T, "wrong axis"),
        (lambda e, m: _softmax(np.where(m, e, -np.inf)), "NaN in row 1"),
        (lambda e, m: _softmax(np.where(m, e, -1e9)), "equal weights 1/T_x"),
        (
            _half_on_empty_rows,
            "must all be 0",
        ),
        (_no_shift, "overflows"),
        (lambda e, m: _softmax(np.where(m, e, e.min(axis=-1, keepdims=True) - 5.0)), "not 0"),
        (_fill_in_place, "changed its argument `\\w+` in place"),
        (lambda e, m: masked_weights(e, m)[0], "keep both axes|shape"),
    ],
)
def test_masked_weights_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_masked_weights(wrong)


def test_masked_weights_stub(assert_not_attempted):
    assert_not_attempted(check_masked_weights)
