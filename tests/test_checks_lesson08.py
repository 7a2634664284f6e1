"""Checkers of lesson 08: the references and correct alternatives pass, known bugs are named,
the untouched stub is "not attempted"."""

import numpy as np
import pytest
from notebook_solutions import notebook_solution

import seqkeras.reference as ref
from seqkeras.checks.lesson08 import (
    _SOURCE_CASES,
    _source_probe,
    check_additive_scores,
    check_context_vector,
    check_masked_weights,
    check_strongest_source,
)
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
        (
            lambda s, h, W, U, v: np.squeeze(additive_scores(s, h, W, U, v)),
            "axes? of size 1 (is|are) missing",
        ),
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
        (lambda a, h: np.squeeze(context_vector(a, h)), "batch axis of size 1 is missing"),
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


def masked_weights_after_then_renormalise(scores, mask):  # mask after exp, then renormalise
    top = np.where(mask, scores, -np.inf).max(axis=-1, keepdims=True, initial=-1e300)
    e = np.exp(np.where(mask, scores - top, -np.inf))  # exp of the real steps only: no inf * 0
    total = e.sum(axis=-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def exp_of_padding_times_mask(scores, mask):  # right shift, but exp of the padding overflows: inf * 0
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


# --------------------------------------------------------------------------- 08.5 strongest source
def strongest_source(alpha, real):  # the notebook's model solution
    real = np.asarray(real, dtype=bool)
    masked = np.where(real[:, None, :], alpha, -np.inf)
    positions = masked.argmax(axis=-1)
    return np.where(real.any(axis=1)[:, None], positions, -1)


def strongest_source_loop(alpha, real):  # one row at a time; a strict > keeps the first of ties
    B, T_y, T_x = alpha.shape
    out = np.full((B, T_y), -1)
    for b in range(B):
        for i in range(T_y):
            for j in range(T_x):
                if real[b, j] and (out[b, i] < 0 or alpha[b, i, j] > alpha[b, i, out[b, i]]):
                    out[b, i] = j
    return out


def strongest_source_sorted(alpha, real):  # a stable sort, heaviest first; padding sorted last
    real = np.asarray(real) != 0
    key = np.where(real[:, None, :], -alpha, np.inf)
    first = np.argsort(key, axis=-1, kind="stable")[..., 0]
    return np.where(real.any(axis=1, keepdims=True), first, -1).astype(np.int32)


def strongest_source_jax(alpha, real):  # a JAX array back: accepted like a NumPy one
    jnp = pytest.importorskip("jax.numpy")
    real = jnp.asarray(real).astype(bool)
    positions = jnp.argmax(jnp.where(real[:, None, :], alpha, -jnp.inf), axis=-1)
    return jnp.where(real.any(axis=1)[:, None], positions, -1)


@pytest.mark.parametrize(
    "answer",
    [
        strongest_source,
        strongest_source_loop,
        strongest_source_sorted,
        strongest_source_jax,
        ref.strongest_source,
    ],
)
def test_strongest_source_correct_answers_pass(answer, capsys):
    assert check_strongest_source(answer)
    assert "passed" in capsys.readouterr().out


def test_strongest_source_probes_are_what_the_checker_says():
    """Padding weighs most in every padded row; exact ties and sentences of padding are there."""
    ties = empty = square = 0
    for seed, B, T_y, T_x, _, holes, tie, no_step in _SOURCE_CASES:
        alpha, real = _source_probe(seed, B, T_y, T_x, holes, tie, no_step)
        assert alpha.shape == (B, T_y, T_x) and real.shape == (B, T_x)
        np.testing.assert_allclose(alpha.sum(axis=-1), 1.0)
        for b in range(B):
            if (~real[b]).any():  # an unmasked argmax lands on padding
                assert not real[b, alpha[b].argmax(axis=-1)].any()
        best = ref.strongest_source(alpha, real)
        heaviest = np.where(real[:, None, :], alpha, -np.inf).max(axis=-1, keepdims=True)
        ties += int(((np.where(real[:, None, :], alpha, -np.inf) == heaviest).sum(axis=-1) > 1).sum())
        empty += int((best == -1).all(axis=1).sum())
        square += B == T_y == T_x > 1
        if holes:
            assert not real[1, 0] and np.all(alpha[1, 0][real[1]] == 0.0)
    assert ties >= 10 and empty == 2 and square == 1


def _tilde(alpha, real):  # right for bools; ~ on 0/1 ints is -2/-1 (both true), on floats a crash
    positions = np.where(~real[:, None, :], -np.inf, alpha).argmax(axis=-1)
    return np.where(real.any(axis=1)[:, None], positions, -1)


def _mask_in_place(alpha, real):
    real = np.asarray(real, dtype=bool)
    alpha[~np.broadcast_to(real[:, None, :], alpha.shape)] = -np.inf
    return np.where(real.any(axis=1)[:, None], alpha.argmax(axis=-1), -1)


def _ties_last_loop(alpha, real):  # >= keeps the LAST of equal weights
    B, T_y, T_x = alpha.shape
    out = np.full((B, T_y), -1)
    for b in range(B):
        for i in range(T_y):
            for j in range(T_x):
                if real[b, j] and (out[b, i] < 0 or alpha[b, i, j] >= alpha[b, i, out[b, i]]):
                    out[b, i] = j
    return out


def _loop_without_empty_rows(alpha, real):  # crashes on a sentence of padding only
    real = np.asarray(real, dtype=bool)
    steps = [np.flatnonzero(r) for r in real]
    return np.array(
        [[steps[b][alpha[b, i, steps[b]].argmax()] for i in range(alpha.shape[1])] for b in range(len(real))]
    )


def _when_square(wrong):  # wrong only where B == T_y == T_x, where its shape is still right
    return lambda a, r: wrong(a, r) if a.shape[0] == a.shape[1] == a.shape[2] else strongest_source(a, r)


def _argmax_axis1(a, r):
    return np.where(np.asarray(r, dtype=bool)[:, None, :], a, -np.inf).argmax(axis=1)


def _mask_on_output_steps(a, r):
    r = np.asarray(r, dtype=bool)
    return np.where(r.any(axis=1)[:, None], np.where(r[:, :, None], a, -np.inf).argmax(axis=-1), -1)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (lambda a, r: a.argmax(axis=-1), "padding is not masked"),
        (lambda a, r: np.where(np.any(r, axis=1)[:, None], a.argmax(axis=-1), -1), "padding is not masked"),
        (
            lambda a, r: np.where(np.any(r, axis=1)[:, None], (a * r[:, None, :]).argmax(axis=-1), -1),
            r"given weight 0 \(alpha \* real",
        ),
        (
            lambda a, r: np.where(np.asarray(r, dtype=bool)[:, None, :], -np.inf, a).argmax(axis=-1),
            "mask is inverted",
        ),
        (
            lambda a, r: strongest_source(a[..., ::-1], r[:, ::-1]) * -1 + a.shape[-1] - 1,
            "ties go to the last index",
        ),
        (_ties_last_loop, "ties go to the last index"),
        (_argmax_axis1, r"shape \(2, 5\).*wrong axis \(axis 1, the output steps\)"),
        (_when_square(_argmax_axis1), r"wrong axis \(axis 1, the output steps\)"),
        (_mask_on_output_steps, r"(?s)broadcast.*Likely: real is lined up with the wrong axis"),
        (_when_square(_mask_on_output_steps), "real is lined up with the wrong axis"),
        (
            lambda a, r: np.where(np.asarray(r, dtype=bool)[:, None, :], a, -np.inf).max(axis=-1),
            r"largest weights themselves .* use \.argmax",
        ),
        (
            lambda a, r: np.where(np.any(r, axis=1)[:, None], strongest_source(a, r), -1.0),
            "holds floats .* return integers",
        ),
        (
            lambda a, r: np.where(np.asarray(r, dtype=bool)[:, None, :], a, -np.inf).argmax(axis=-1),
            "-1 case is missing",
        ),
        (_loop_without_empty_rows, r"(?s)raised ValueError.*Likely: sentence 1 .* has no real step"),
        (_tilde, "right when real holds True/False but not when it holds 0/1 ints"),
        (_mask_in_place, "changed its argument `alpha` in place"),
        (
            lambda a, r: np.where(
                np.any(r, axis=1)[:, None],
                np.where((np.arange(a.shape[-1]) < np.sum(r, axis=1)[:, None])[:, None], a, -np.inf).argmax(
                    -1
                ),
                -1,
            ),
            "as if padding came only at the end",
        ),
        (lambda a, r: strongest_source(a, r) + 1, "count from 1"),
        (lambda a, r: np.squeeze(strongest_source(a, r)), "axis of size 1 is missing"),
        (lambda a, r: np.where(np.asarray(r, dtype=bool)[:, None, :], a, -np.inf), "the shape of alpha"),
        (
            lambda a, r: np.where(strongest_source(a, r) == 0, 1, strongest_source(a, r)),
            r"expected 0: alpha\[",
        ),
    ],
)
def test_strongest_source_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_strongest_source(wrong)


def test_strongest_source_stub(assert_not_attempted):
    assert_not_attempted(check_strongest_source)


# ----------------------------------------------------------------------------- issue 20
def shift_by_max_of_all(scores, mask):  # the max over every step, padding included
    e = np.exp(scores - scores.max(axis=-1, keepdims=True)) * mask
    total = e.sum(axis=-1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def softmax_then_mask(scores, mask):  # softmax over every step, then mask and renormalise
    alpha = ref.softmax(scores, axis=-1) * mask
    total = alpha.sum(axis=-1, keepdims=True)
    return np.divide(alpha, total, out=np.zeros_like(alpha), where=total > 0)


def fill_minus_100(scores, mask):  # a fixed fill, only 'very negative' next to scores near 0
    alpha = ref.softmax(np.where(mask, scores, -100.0), axis=-1)
    return np.where(mask.any(axis=-1, keepdims=True), alpha, 0.0)


def strongest_by_value(alpha, real):  # the best real weight's value, then the first step that has it
    real = np.asarray(real, dtype=bool)
    best = np.where(real[:, None, :], alpha, -np.inf).max(axis=-1, keepdims=True)
    return np.where(real.any(axis=1)[:, None], (alpha == best).argmax(axis=-1), -1)


@pytest.mark.parametrize(
    "checker, wrong, match",
    [
        (check_masked_weights, shift_by_max_of_all, "padded 1000.*max over ALL steps"),
        (check_masked_weights, softmax_then_mask, "padded 1000.*softmax comes before the mask"),
        (check_masked_weights, exp_of_padding_times_mask, r"padded 1000.*inf \* 0"),
        (check_masked_weights, fill_minus_100, "fixed fill such as -100"),
        (check_strongest_source, strongest_by_value, "weighs exactly as much as the best real step"),
        (check_additive_scores, lambda *a: ref.additive_scores(*a).tolist(), "e is a list of"),
        (check_context_vector, lambda a, h: (ref.attention_context(a, h),), "trailing comma"),
        (check_masked_weights, lambda e, m: ref.attention_weights(e, m).tolist(), "alpha is a list of"),
        (check_strongest_source, lambda a, r: ref.strongest_source(a, r).tolist(), "positions is a list of"),
    ],
)
def test_issue_20_bugs_are_named(checker, wrong, match):
    with pytest.raises(ExerciseError, match=match):
        checker(wrong)


@pytest.mark.parametrize(
    "checker, name",
    [
        (check_additive_scores, "additive_scores"),
        (check_context_vector, "context_vector"),
        (check_masked_weights, "masked_weights"),
    ],
)
def test_the_notebooks_solutions_pass(checker, name):
    assert checker(notebook_solution("08_attention.ipynb", name))


def test_the_translation_notebooks_strongest_source_passes():
    assert check_strongest_source(notebook_solution("08_attention_translation.ipynb", "strongest_source"))
