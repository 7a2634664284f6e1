"""Checkers for lesson 08, Bahdanau (additive) attention.

Each ``check_*`` function takes the learner's function, prints the outcome and returns a
true :class:`~seqkeras.grading.Outcome` (passed) or a false one (not attempted yet); a
wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 08.1 :func:`check_additive_scores`: ``additive_scores(s_prev, hs, W, U, v) -> e``, the
  scores ``e_j = tanh(s_prev @ W + h_j @ U) @ v`` of one decoder step, ``(batch, T_x)``
- 08.2 :func:`check_context_vector`: ``context_vector(alpha, hs) -> c``, the context
  ``c = Σ_j α_j h_j``, ``(batch, n_h)``
- 08.3 :func:`check_masked_weights`: ``masked_weights(scores, mask) -> alpha``, the softmax
  over the encoder steps with the padded steps removed *before* it; a row with no real step
  gets weights all 0 (the contract of :func:`seqkeras.reference.attention_weights`)

Each is compared with :mod:`seqkeras.reference` on several batches (a batch of one, T_x = 1,
lengths and sizes the lesson never uses, a batch as long as its sequences so that a
misplaced axis shows, scores of a large spread), with random non-zero weights; a wrong
answer is matched against the bugs the lesson warns about, each computed on the same input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.grading import (
    CHANGED_IN_PLACE,
    ExerciseError,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_nothing_attended,
    expect_shape,
    expect_unchanged,
)

__all__ = ["check_additive_scores", "check_context_vector", "check_masked_weights"]


def _call(fn: Callable[..., Any], inputs: dict[str, np.ndarray], where: str) -> Any:
    """Call the learner's function on copies of ``inputs``; fail if it changed one in place."""
    got, passed = call_on_copies(fn, inputs)
    expect_unchanged(inputs, passed, f"{CHANGED_IN_PLACE} (Seen with {where[1:-1]}.)")
    return got


# --------------------------------------------------------------------------- 08.1 additive scores
#: (seed, batch, T_x, n_s, n_h, n_a, scale): sizes all different so that a swapped or
#: transposed weight fails loudly; a batch of one with T_x = 1; batch = T_x, where a decoder
#: state added along the wrong axis still broadcasts; a length the lesson never uses; large
#: inputs, where tanh saturates and a missing tanh is far off.
_SCORE_CASES = [
    (0, 2, 5, 3, 4, 6, 1.0),
    (1, 1, 1, 2, 3, 4, 1.0),
    (2, 3, 3, 5, 2, 7, 1.0),
    (3, 4, 23, 3, 5, 2, 1.0),
    (4, 2, 6, 3, 4, 5, 30.0),
]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _score_bugs(s: np.ndarray, hs: np.ndarray, W: np.ndarray, U: np.ndarray, v: np.ndarray) -> dict:
    q, k = s @ W, hs @ U  # (batch, n_a), (batch, T_x, n_a)
    both = q[:, None, :] + k
    T_x = hs.shape[1]
    bugs = {
        "there is no tanh: the score is tanh(s_prev @ W + h_j @ U) @ v; without the tanh it is a "
        "linear function of the states, and a large input gives a huge score.": both @ v,
        "you used a sigmoid where Bahdanau's score uses tanh: tanh(s_prev @ W + h_j @ U) @ v.": _sigmoid(both)
        @ v,
        "you used relu where Bahdanau's score uses tanh: tanh(s_prev @ W + h_j @ U) @ v.": np.maximum(both, 0)
        @ v,
        "the tanh is taken of each projection separately: add s_prev @ W and h_j @ U first, then take "
        "tanh of the sum (the two states meet inside one hidden layer).": (
            np.tanh(q)[:, None, :] + np.tanh(k)
        )
        @ v,
        "the scores ignore the decoder state: every output step would look at the same inputs. Add "
        "s_prev @ W to h_j @ U inside the tanh.": np.tanh(k) @ v,
        "the scores ignore the encoder states: every input step gets the same score. Add h_j @ U to "
        "s_prev @ W inside the tanh, one sum per step j.": np.repeat((np.tanh(q) @ v)[:, None], T_x, axis=1),
        "v is applied inside the tanh: the score is tanh(...) @ v, the tanh of the summed projections "
        "first, then the product with v.": np.tanh(both @ v),
        "you returned the attention weights (softmax of the scores): this exercise asks for the "
        "scores e_j before the softmax.": ref.softmax(np.tanh(both) @ v, axis=-1),
    }
    if s.shape[0] == T_x:  # (batch, n_a) + (batch, T_x, n_a) broadcasts only when batch == T_x
        bugs[
            "the decoder state was added along the wrong axis: s_prev @ W is (batch, n_a) and "
            "h @ U is (batch, T_x, n_a); give the first a time axis, (s_prev @ W)[:, None, :], "
            "so that each example's state is added to each of its own steps."
        ] = np.tanh(q[None, :, :] + k) @ v
    return bugs


@exercise("08.1", "additive_scores")
def check_additive_scores(fn: Callable[..., Any]) -> None:
    """Check ``fn(s_prev, hs, W, U, v)``: Bahdanau's scores of one decoder step.

    ``s_prev`` ``(batch, n_s)``, ``hs`` ``(batch, T_x, n_h)``, ``W`` ``(n_s, n_a)``, ``U``
    ``(n_h, n_a)``, ``v`` ``(n_a,)``; the answer is ``e`` ``(batch, T_x)`` with
    ``e[b, j] = tanh(s_prev[b] @ W + hs[b, j] @ U) @ v``, and the inputs left unchanged.
    """
    for seed, batch, T_x, n_s, n_h, n_a, scale in _SCORE_CASES:
        rng = np.random.default_rng(800 + seed)
        s, hs = rng.normal(size=(batch, n_s)) * scale, rng.normal(size=(batch, T_x, n_h)) * scale
        W, U, v = rng.normal(size=(n_s, n_a)), rng.normal(size=(n_h, n_a)), rng.normal(size=n_a)
        where = f"(batch {batch}, T_x = {T_x}, n_s = {n_s}, n_h = {n_h}, n_a = {n_a})"
        try:
            got = _call(fn, {"s_prev": s, "hs": hs, "W": W, "U": U, "v": v}, where)
        except ExerciseError as err:
            if "broadcast" not in str(err):
                raise
            raise ExerciseError(
                f"{err}\nLikely: s_prev @ W is (batch, n_a) and hs @ U is (batch, T_x, n_a); give "
                "the first a time axis, (s_prev @ W)[:, None, :], so that it is added to every step j."
            ) from None
        e = expect_array("e", got)
        if e.shape == (batch, T_x, n_a):
            raise ExerciseError(
                f"e has shape {e.shape} {where}, one vector per step instead of one number: "
                "multiply the tanh by v (… @ v) to get one score per encoder step, (batch, T_x)."
            )
        expect_shape(
            "e",
            e,
            (batch, T_x),
            hint=f"{where}: one score per example and encoder step. Keep the batch axis, also "
            "for a batch of one, and sum over the attention units with `@ v`.",
        )
        expect_close(
            "e",
            e,
            ref.additive_scores(s, hs, W, U, v),
            atol=1e-6,
            likely_bugs=_score_bugs(s, hs, W, U, v),
            hint=f"{where}. The score of step j is tanh(s_prev @ W + hs[:, j] @ U) @ v.",
        )


# --------------------------------------------------------------------------- 08.2 context vector
#: (seed, batch, T_x, n_h, padded): T_x = 1; batch = T_x; a length the lesson never uses;
#: padded steps whose weight is 0 and whose states are junk.
_CONTEXT_CASES = [(0, 2, 5, 3, False), (1, 1, 1, 4, False), (2, 3, 3, 2, True), (3, 4, 17, 6, True)]


@exercise("08.2", "context_vector")
def check_context_vector(fn: Callable[..., Any]) -> None:
    """Check ``fn(alpha, hs)``: the context of one decoder step, ``c = Σ_j alpha_j h_j``.

    ``alpha`` ``(batch, T_x)`` (each row sums to 1, 0 at padded steps), ``hs``
    ``(batch, T_x, n_h)``; the answer is ``c`` ``(batch, n_h)``, inputs left unchanged.
    """
    for seed, batch, T_x, n_h, padded in _CONTEXT_CASES:
        rng = np.random.default_rng(810 + seed)
        hs = rng.normal(size=(batch, T_x, n_h)) + rng.normal(size=(1, 1, n_h))
        real = np.ones((batch, T_x), dtype=bool)
        if padded:
            for b in range(batch):
                real[b, rng.integers(1, T_x + 1) :] = False
            hs[~real] = 50.0  # junk in the padding: its weight is 0
        alpha = ref.attention_weights(rng.normal(size=(batch, T_x)) * 2.0, real)
        where = f"(batch {batch}, T_x = {T_x}, n_h = {n_h})"
        got = _call(fn, {"alpha": alpha, "hs": hs}, where)
        c = expect_array("c", got)
        if c.shape == (batch, T_x) or c.shape == (batch, T_x, n_h):
            raise ExerciseError(
                f"c has shape {c.shape} {where}: the context sums over the encoder steps j "
                "(axis 1 of hs), leaving one vector of n_h numbers per example, (batch, n_h)."
            )
        if c.shape == (batch, batch, n_h) and batch > 1:
            raise ExerciseError(
                f"c has shape {c.shape} {where}: alpha @ hs multiplied every example's weights with "
                "every example's states. Weigh each example's own states: "
                "(alpha[:, :, None] * hs).sum(axis=1), or np.einsum('bj,bjh->bh', alpha, hs)."
            )
        expect_shape(
            "c", c, (batch, n_h), hint=f"{where}: one context vector per example; keep the batch axis."
        )
        expected = ref.attention_context(alpha, hs)
        rows = np.arange(batch)
        expect_close(
            "c",
            c,
            expected,
            atol=1e-6,
            likely_bugs={
                "it is the plain average of the encoder states: weigh each h_j by its alpha_j "
                "(c = Σ_j alpha_j h_j), so that the steps the decoder attends to count most.": hs.mean(
                    axis=1
                ),
                "it is the plain sum of the encoder states: multiply each h_j by its weight alpha_j "
                "before summing.": hs.sum(axis=1),
                "it is the last encoder state, the fixed context of lesson 07: the context of "
                "attention is the weighted sum of every state, Σ_j alpha_j h_j.": hs[:, -1],
                "it is the state with the largest weight (hard attention): the context is the "
                "weighted sum of all states, Σ_j alpha_j h_j, so every step contributes.": hs[
                    rows, alpha.argmax(axis=1)
                ],
                "it is the weighted sum divided by T_x: the weights already sum to 1, so take the "
                "sum (not the mean) over the steps.": (alpha[:, :, None] * hs).mean(axis=1),
            },
            hint=f"{where}. c[b] = Σ_j alpha[b, j] * hs[b, j].",
        )


# --------------------------------------------------------------------------- 08.3 masked weights
def _mask(rng: np.random.Generator, batch: int, T_x: int, holes: bool) -> np.ndarray:
    """A padding mask ``(batch, T_x)`` (True = real): row 0 full, the others of random length,
    or (``holes``) with real and padded steps mixed."""
    real = np.ones((batch, T_x), dtype=bool)
    for b in range(1, batch):
        if holes:
            real[b] = rng.random(T_x) < 0.6
            real[b, rng.integers(T_x)] = True
        else:
            real[b, rng.integers(1, T_x + 1) :] = False
    return real


#: (seed, batch, T_x, holes, spread, all_padding_row): a batch of one with T_x = 1; a mask
#: that is not a prefix; scores of a large spread (exp overflows without the shift by the
#: max); last, a row whose every step is padding.
_MASK_CASES = [
    (0, 3, 5, False, 2.0, False),
    (1, 1, 1, False, 2.0, False),
    (2, 4, 7, True, 2.0, False),
    (3, 2, 9, False, 800.0, False),
    (4, 3, 6, False, 2.0, True),
]


def _weights_bugs(e: np.ndarray, real: np.ndarray) -> dict:
    soft = ref.softmax(e, axis=-1)
    bugs = {
        "the mask is applied after the softmax: the padded steps took part in the softmax, so the "
        "real steps' weights no longer sum to 1. Remove the padded steps before it: give their "
        "scores -inf (or a large negative number) with np.where(mask, scores, ...), then softmax.": soft
        * real,
        "the mask is ignored: padded steps get weight too. Set their scores to a large negative "
        "number before the softmax (np.where(mask, scores, -1e9)).": soft,
        "the padded steps got a score of 0 (scores * mask), which exp turns into weight exp(0) = 1 "
        "before normalising: a padded score must be -inf or a large negative number, not 0.": ref.softmax(
            e * real, axis=-1
        ),
    }
    if (~real).any():
        bugs[
            "the mask is inverted: the weight went to the padded steps. mask is True at REAL steps, "
            "so keep the scores where mask is True: np.where(mask, scores, -1e9)."
        ] = ref.attention_weights(e, ~real)
    if e.shape[0] > 1:
        bugs[
            "the softmax runs over the wrong axis (the batch, axis 0): the weights of one example "
            "must sum to 1 over its encoder steps, the last axis (axis=-1)."
        ] = ref.softmax(np.where(real, e, -1e9), axis=0)
    return bugs


def _check_padding_and_empty_rows(
    alpha: np.ndarray, expected: np.ndarray, real: np.ndarray, where: str, empty_row: bool
) -> None:
    """Name two bugs that no fixed variant captures: padded steps that keep a little weight
    (a fill not low enough), and a row with no real step whose weights are not all 0."""
    has_real = real.any(axis=1)
    padded = ~real & has_real[:, None]
    leak = float(np.abs(alpha[padded]).max(initial=0.0))
    if leak > 1e-12:
        kept = np.where(real, alpha, 0.0)[has_real]
        total = kept.sum(axis=1, keepdims=True)
        if np.all(total > 0) and np.allclose(kept / total, expected[has_real], atol=1e-6):
            raise ExerciseError(
                f"the padded steps get weight up to {leak:.3g} {where}, not 0 (the real steps are "
                "right apart from that): a fill a little below the scores is not enough. Use -inf "
                "or a very large negative number (-1e9), or set the padded weights to 0 after the "
                "softmax."
            )
    if empty_row and np.abs(alpha[1]).max() > 1e-12:
        if not np.allclose(np.delete(alpha, 1, 0), np.delete(expected, 1, 0), atol=1e-6):
            return  # other rows are wrong too: expect_close names that first
        expect_nothing_attended(
            alpha[1],
            f"row 1 {where} has no real step",
            "T_x",
            "set the padded weights to 0 after the softmax (np.where(mask, alpha, 0.0))",
        )


@exercise("08.3", "masked_weights")
def check_masked_weights(fn: Callable[..., Any]) -> None:
    """Check ``fn(scores, mask)``: attention weights with the padded encoder steps removed.

    ``scores`` ``(batch, T_x)``, ``mask`` ``(batch, T_x)`` bool, True at real steps. The
    answer ``alpha`` ``(batch, T_x)`` is the softmax over the last axis of the real steps'
    scores: 0 at padded steps, summing to 1 over the real ones; a row with no real step gets
    weights all 0 (not NaN). The inputs are left unchanged.
    """
    for seed, batch, T_x, holes, spread, empty_row in _MASK_CASES:
        rng = np.random.default_rng(820 + seed)
        e = rng.normal(size=(batch, T_x)) * spread
        real = _mask(rng, batch, T_x, holes)
        if empty_row:
            real[1] = False
        big = f", scores up to {np.abs(e).max():,.0f}" if spread > 100 else ""
        where = f"(batch {batch}, T_x = {T_x}{big})"
        got = _call(fn, {"scores": e, "mask": real}, where)
        alpha = expect_array("alpha", got)
        expect_shape(
            "alpha",
            alpha,
            (batch, T_x),
            hint=f"{where}: one weight per score; keep both axes, also for a batch of one.",
        )
        if not np.all(np.isfinite(alpha)):
            bad_rows = sorted({int(r) for r in np.argwhere(~np.isfinite(alpha))[:, 0]})
            if empty_row and bad_rows == [1]:
                raise ExerciseError(
                    f"alpha is NaN in row 1 {where}, the row whose every step is padding: with -inf "
                    "scores its softmax computes exp(-inf - (-inf)) = NaN, and renormalising "
                    "divides 0 by 0. The lesson's contract gives such a row weights all 0: fill "
                    "with a large negative number (e.g. -1e9) instead of -inf and then set the "
                    "padded weights to 0 (np.where(mask, alpha, 0.0)), or skip rows with no real step."
                )
            if spread > 100:
                raise ExerciseError(
                    f"alpha holds NaN or inf {where}: exp of a large score overflows. Subtract "
                    "each row's largest real score before exp (what ref.softmax does), so the "
                    "largest exponent is exp(0) = 1."
                )
            raise ExerciseError(
                f"alpha holds NaN or inf in rows {bad_rows} {where}: check every row has a finite "
                "score left after masking, and the shift by the row's max before exp."
            )
        expected = ref.attention_weights(e, real)
        bugs = _weights_bugs(e, real)
        known = any(np.allclose(alpha, wrong, atol=1e-6) for wrong in bugs.values())
        if not known:
            _check_padding_and_empty_rows(alpha, expected, real, where, empty_row)
        expect_close(
            "alpha",
            alpha,
            expected,
            atol=1e-6,
            likely_bugs=bugs,
            hint=f"{where}. alpha = softmax over the last axis of np.where(mask, scores, -inf), "
            "0 at padded steps.",
        )
