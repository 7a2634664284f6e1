"""Checkers of lesson 09: the references and correct alternatives pass, known bugs are named,
the untouched stub is "not attempted"."""

import math

import numpy as np
import pytest
from notebook_solutions import notebook_solution

import seqkeras.reference as ref
from seqkeras.checks.lesson09 import check_scaled_dot_product_attention, check_sinusoidal_positions
from seqkeras.grading import ExerciseError


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# --------------------------------------------------------------------------- 09.1 scaled dot-product attention
def sdpa(q, k, v, mask=None):
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    weights = _softmax(scores)
    if mask is not None:
        weights = np.where(mask, weights, 0.0)
    return weights @ v, weights


def sdpa_loop(q, k, v, mask=None):  # one query at a time, softmax over its visible keys only
    batch, T_q, d_k = q.shape
    weights = np.zeros((batch, T_q, k.shape[1]))
    for b in range(batch):
        for i in range(T_q):
            seen = np.ones(k.shape[1], dtype=bool) if mask is None else mask[b, i]
            if seen.any():
                weights[b, i, seen] = ref.softmax(k[b, seen] @ q[b, i] / d_k**0.5)
    return np.einsum("bij,bjd->bid", weights, v), weights


def sdpa_scaled_queries(q, k, v, mask=None):  # scale q first, exp-normalise by hand, list result
    q = q / np.sqrt(q.shape[-1])
    s = np.einsum("bid,bjd->bij", q, k)
    visible = np.ones(s.shape, dtype=bool) if mask is None else mask
    top = np.where(visible, s, -np.inf).max(axis=-1, keepdims=True)
    e = np.where(visible, np.exp(np.where(visible, s - np.where(np.isfinite(top), top, 0.0), 0.0)), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    w = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return [w @ v, w]


@pytest.mark.parametrize("answer", [sdpa, sdpa_loop, sdpa_scaled_queries, ref.scaled_dot_product_attention])
def test_sdpa_correct_answers_pass(answer, capsys):
    assert check_scaled_dot_product_attention(answer)
    assert "passed" in capsys.readouterr().out


def _weights_only(q, k, v, mask=None, *, scale=None, axis=-1, fill=-1e9, zero_empty=True, k_mat=None):
    """A family of (right or wrong) answers; each wrong test below changes one thing."""
    km = k.transpose(0, 2, 1) if k_mat is None else k_mat(k)
    s = q @ km * (1 / np.sqrt(q.shape[-1]) if scale is None else scale(q.shape[-1]))
    if mask is not None:
        s = np.where(mask, s, fill)
    w = _softmax(s, axis=axis)
    if mask is not None and zero_empty:
        w = np.where(mask, w, 0.0)
    return w


def _with(**kw):
    def answer(q, k, v, mask=None):
        w = _weights_only(q, k, v, mask, **kw)
        return w @ v, w

    return answer


def _mask_after(q, k, v, mask=None):
    w = _softmax(q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1]))
    if mask is not None:
        w = w * mask
    return w @ v, w


def _mask_as_product(q, k, v, mask=None):
    s = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
    w = _softmax(s if mask is None else s * mask)
    return w @ v, w


def _inverted(q, k, v, mask=None):
    return sdpa(q, k, v, None if mask is None else ~mask)


def _no_shift(q, k, v, mask=None):
    s = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
    e = np.exp(s) if mask is None else np.exp(s) * mask
    w = e / e.sum(axis=-1, keepdims=True)
    return w @ v, w


def _scale_in_place(q, k, v, mask=None):
    q /= np.sqrt(q.shape[-1])
    w = _softmax(q @ k.transpose(0, 2, 1) if mask is None else np.where(mask, q @ k.transpose(0, 2, 1), -1e9))
    w = w if mask is None else np.where(mask, w, 0.0)
    return w @ v, w


def _no_default(q, k, v, mask):
    return sdpa(q, k, v, mask)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_with(scale=lambda d: 1.0), "not scaled"),
        (_with(scale=lambda d: 1.0 / d), "divided by d_k"),
        (_with(scale=lambda d: np.sqrt(d)), r"multiplied by √d_k"),
        (_with(axis=1), r"over the queries \(axis 1\)"),
        (_with(axis=0), r"over the batch \(axis 0\)"),
        (_with(k_mat=lambda k: k), "k is not transposed"),
        (_with(k_mat=lambda k: k.T), "reverses every axis"),
        (
            lambda q, k, v, mask=None: (lambda w: (w @ v, w))(
                (q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])) if mask is None else sdpa(q, k, v, mask)[1]
            ),
            "scaled scores, not the weights",
        ),
        (
            lambda q, k, v, mask=None: (
                (lambda w: (w @ v, w))(sdpa(k, q, v[:, : q.shape[1]])[1])
                if q.shape[1] == k.shape[1]
                else sdpa(q, k, v, mask)
            ),
            "weights are transposed",
        ),
        (lambda q, k, v, mask=None: sdpa(q, k, v), "mask is ignored"),
        (_mask_after, "mask is applied after the softmax"),
        (_mask_as_product, "score of 0"),
        (_inverted, "mask is inverted"),
        (_with(zero_empty=False), "equal weights 1/T_k"),
        (_with(fill=-np.inf, zero_empty=False), "NaN"),
        (_no_shift, "overflows"),
        (lambda q, k, v, mask=None: (lambda o, w: (w @ k, w))(*sdpa(q, k, v, mask)), "averages the keys"),
        (
            lambda q, k, v, mask=None: (lambda o, w: (np.repeat(v.mean(1, keepdims=True), q.shape[1], 1), w))(
                *sdpa(q, k, v, mask)
            ),
            "plain average of the values",
        ),
        (lambda q, k, v, mask=None: sdpa(q, k, v, mask)[0], "return the pair"),
        (lambda q, k, v, mask=None: sdpa(q, k, v, mask)[::-1], r"\(weights, output\)"),
        (
            lambda q, k, v, mask=None: tuple(np.squeeze(a) for a in sdpa(q, k, v, mask)),
            "no np.squeeze|of size 1 (is|are) missing",
        ),
        (_scale_in_place, "changed its argument `q` in place"),
        (_no_default, "give mask a default"),
        (
            lambda q, k, v, mask=None: sdpa(q, k, v, None if mask is None else mask[:, None, :]),
            "Likely the mask",
        ),
        (
            lambda q, k, v, mask=None: (
                (lambda w: (w @ v, w))(_softmax(q @ k / np.sqrt(q.shape[-1])))
                if k.shape[1] != k.shape[2]
                else sdpa(q, k, v, mask)
            ),
            r"Likely: the scores are q @ kᵀ",
        ),
        (lambda q, k, v, mask=None: (lambda o, w: (o, w + 0.01))(*sdpa(q, k, v, mask)), "differs from"),
    ],
)
def test_sdpa_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_scaled_dot_product_attention(wrong)


def test_sdpa_empty_row_with_other_values_is_named():
    def half(q, k, v, mask=None):
        o, w = sdpa(q, k, v, mask)
        if mask is not None:
            w = w + 0.5 * ~mask.any(axis=-1, keepdims=True)
        return o, w

    with pytest.raises(ExerciseError, match="may attend to no key, so its weights must all be 0"):
        check_scaled_dot_product_attention(half)


def test_sdpa_stub(assert_not_attempted):
    assert_not_attempted(check_scaled_dot_product_attention)


# --------------------------------------------------------------------------- 09.2 sinusoidal positions
def positions_loop(T, d):  # one entry at a time, straight from the equation
    P = np.zeros((T, d))
    for t in range(T):
        for m in range(d // 2):
            P[t, 2 * m] = math.sin(t / 10000 ** (2 * m / d))
            P[t, 2 * m + 1] = math.cos(t / 10000 ** (2 * m / d))
    return P


def positions_stacked(T, d):  # the pairs built side by side, then interleaved by a reshape, float32
    angle = np.arange(T)[:, None] * np.exp(-np.log(10000.0) * np.arange(0, d, 2) / d)
    return np.stack([np.sin(angle), np.cos(angle)], axis=-1).reshape(T, d).astype("float32")


def positions_blocks(T, d):
    angle = np.arange(T)[:, None] / 10000 ** (np.arange(0, d, 2) / d)
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=1)


def positions_with(**kw):
    from seqkeras.checks.lesson09 import _positions

    return lambda T, d: _positions(T, d, **kw)


_TABLE = ref.sinusoidal_positions(256, 64)  # a table made once, at fixed sizes


@pytest.mark.parametrize("answer", [positions_loop, positions_stacked, ref.sinusoidal_positions])
def test_positions_correct_answers_pass(answer, capsys):
    assert check_sinusoidal_positions(answer)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, match",
    [
        (positions_blocks, "two blocks"),
        (positions_with(swap=True), "sine and cosine are swapped"),
        (positions_with(exponent="column"), "each column has its own frequency"),
        (positions_with(exponent="double"), "counts columns twice"),
        (positions_with(start=1), "start at 1"),
        (positions_with(base=1000.0), "base is not 10000"),
        (positions_with(multiply=True), "multiplied by"),
        (lambda T, d: ref.sinusoidal_positions(T, d)[::-1], "reverse order"),
        (lambda T, d: ref.sinusoidal_positions(T, d).T, "transposed|shape"),
        (lambda T, d: _TABLE[:T, :d], r"made once at another width \(d = 64\)"),  # a fixed table, sliced
        (lambda T, d: ref.sinusoidal_positions(T, d).tolist(), "P is a list"),
        (lambda T, d: np.round(ref.sinusoidal_positions(T, d), 2), "differs"),
        (lambda T, d: None, "forget to `return`"),
    ],
)
def test_positions_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_sinusoidal_positions(wrong)


def test_positions_stub(assert_not_attempted):
    assert_not_attempted(check_sinusoidal_positions)


def test_position_sizes_reach_beyond_a_fixed_table():
    from seqkeras.checks.lesson09 import _POSITION_SIZES

    assert max(T for T, _ in _POSITION_SIZES) > 256 and any(d & (d - 1) for _, d in _POSITION_SIZES)


# --------------------------------------------------------------------------- issue 20
@pytest.mark.parametrize(
    "wrong, match",
    [
        (lambda *a, **k: [x.tolist() for x in sdpa(*a, **k)], "output is a list of"),
        (lambda *a, **k: sdpa(*a, **k)[1], "returned one array of shape|return the pair"),
        (lambda *a, **k: (sdpa(*a, **k)[0],), "tuple of 1 items|return the pair"),
    ],
)
def test_sdpa_issue_20_contracts(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_scaled_dot_product_attention(wrong)


@pytest.mark.parametrize(
    "checker, name",
    [
        (check_scaled_dot_product_attention, "scaled_dot_product_attention"),
        (check_sinusoidal_positions, "sinusoidal_positions"),
    ],
)
def test_the_notebooks_solutions_pass(checker, name):
    assert checker(notebook_solution("09_self_attention.ipynb", name))
