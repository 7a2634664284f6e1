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
- 08.5 :func:`check_strongest_source`: ``strongest_source(alpha, real) -> positions``, an
  attention map ``(B, T_y, T_x)`` read as a hard alignment: for each output step the real
  source step of largest weight (ties to the smallest j; -1 for a sentence with no real
  step), an int array ``(B, T_y)`` (:func:`seqkeras.reference.strongest_source`)

Each is compared with :mod:`seqkeras.reference` on several batches (a batch of one, T_x = 1,
lengths and sizes the lesson never uses, a batch as long as its sequences so that a
misplaced axis shows, scores of a large spread), with random non-zero weights; a wrong
answer is matched against the bugs the lesson warns about, each computed on the same input.
08.5's maps come from a model that did not mask (the padding weighs most), with exact ties,
a mask with padding in the middle, ``real`` as bools, ints and floats, and a sentence of
padding only.
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
    expect_one_array,
    expect_unchanged,
    shape_str,
)

__all__ = ["check_additive_scores", "check_context_vector", "check_masked_weights", "check_strongest_source"]


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
        e = expect_one_array("e", got)
        if e.shape == (batch, T_x, n_a):
            raise ExerciseError(
                f"e has shape {e.shape} {where}, one vector per step instead of one number: "
                "multiply the tanh by v (… @ v) to get one score per encoder step, (batch, T_x)."
            )
        expect_array("e", e, (batch, T_x), ("batch", "T_x"), given=where)
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
        c = expect_one_array("c", got)
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
        expect_array("c", c, (batch, n_h), ("batch", "n_h"), given=where)
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
    (5, 3, 5, True, 0.0, False),  # padded scores far ABOVE the real ones (_padding_above)
    (6, 3, 5, True, 0.0, False),  # real scores far below any fixed fill such as -100
]


def _padding_above(seed: int, e: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Scores for the two last cases: real 0, 1, 2, ... and padded 1000 (seed 5), or real
    -5000, -4999, ... and padded 0 (seed 6). A shift by the max over every step (padding
    included), a softmax taken before the mask, or a fill of -100 each go wrong here."""
    steps = np.cumsum(real, axis=1) - 1.0  # 0, 1, 2, ... along each row's real steps
    if seed == 5:
        return np.where(real, steps, 1000.0)
    return np.where(real, steps - 5000.0, 0.0)


_UNDERFLOW = (
    "alpha is NaN or 0 on the real steps when a padded score is far above the real ones (here real "
    "scores 0, 1, 2 and padded 1000). Either the shift subtracts the max over ALL steps, padding "
    "included (or the softmax comes before the mask and you renormalise after it), so every real "
    "exp(score - 1000) underflows to 0 and the row is 0 / 0; or exp is taken of the padded scores "
    "too, exp(1000 - 2) = inf, and inf * 0 (the mask) is NaN. Remove the padded steps before exp: "
    "np.where(mask, scores, -np.inf), subtract the max of what is left, and their weights come out 0."
)
_FILL_TOO_HIGH = (
    "the padded steps took the weight when the real scores are far below your fill (here real "
    "scores near -5000): a fixed fill such as -100 is only 'very negative' next to scores near 0. "
    "Use -np.inf (then handle a row of padding only), or set the padded weights to 0 after the "
    "softmax."
)


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
        if seed >= 5:
            e = _padding_above(seed, e, real)
        big = (
            f", scores up to {np.abs(e).max():,.0f}"
            if spread > 100
            else ", real scores 0, 1, 2, padded 1000"
            if seed == 5
            else ", real scores near -5000, padded 0"
            if seed == 6
            else ""
        )
        where = f"(batch {batch}, T_x = {T_x}{big})"
        got = _call(fn, {"scores": e, "mask": real}, where)
        alpha = expect_array("alpha", got, (batch, T_x), ("batch", "T_x"), given=where)
        if seed == 5:
            real_sum = np.where(real, np.nan_to_num(alpha), 0.0).sum(axis=1)
            if not np.all(np.isfinite(alpha)) or not np.allclose(real_sum, 1.0, atol=1e-6):
                raise ExerciseError(f"{where}: {_UNDERFLOW}")
        if seed == 6 and np.all(np.isfinite(alpha)):
            leak = np.where(real, 0.0, np.abs(alpha)).sum(axis=1)
            if np.any(leak > 0.5):
                raise ExerciseError(f"{where}: {_FILL_TOO_HIGH}")
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


# --------------------------------------------------------------------------- 08.5 strongest source
#: (seed, B, T_y, T_x, kind of ``real``, holes, ties, empty): a batch of one with T_y = T_x = 1;
#: B = T_y = T_x, where an argmax over a wrong axis keeps the right shape; masks with padding in
#: the middle and at step 0; exact ties; sizes the lesson never uses (it reads 12 words);
#: ``real`` as bools, 0/1 ints and 0/1 floats; last, a sentence with no real step (T_x = 1 too).
#: Every padded step weighs more than every real step of its row.
_SOURCE_CASES = [
    (0, 2, 3, 5, bool, False, False, False),
    (1, 1, 1, 1, bool, False, False, False),
    (2, 4, 4, 4, int, False, True, False),
    (3, 3, 7, 11, float, True, True, False),
    (4, 2, 17, 23, bool, True, True, False),
    (5, 3, 2, 6, int, False, False, True),
    (6, 3, 5, 1, float, False, False, True),
    (7, 3, 4, 9, bool, True, False, False),  # a padded step ties with the best real one, before it
]

_KIND_WORDS = {bool: "True/False", int: "0/1 ints", float: "0/1 floats"}

_NOT_MASKED = (
    "the padding is not masked: the position is a padded step wherever padding weighs most. Keep "
    "the argmax on real steps: positions = np.where(real[:, None, :], alpha, -np.inf).argmax(axis=-1)."
)
_ZERO_FILL = (
    "the padded steps were given weight 0 (alpha * real, or np.where(real, alpha, 0)): where the "
    "real steps weigh 0 too (all the weight went to padding), the argmax lands on a padded step. "
    "Give padded steps -np.inf, which every real weight beats: np.where(real[:, None, :], alpha, -np.inf)."
)
_INVERTED = (
    "the mask is inverted: the positions are chosen among the PADDED steps. real is True (1) at "
    "real steps, so keep alpha where real is True: np.where(real[:, None, :], alpha, -np.inf)."
)
_TIES_LAST = (
    "ties go to the last index: where two real steps share the largest weight, the answer is the "
    "first of them (the smallest j), which is what argmax gives. A loop must replace its best "
    "step only on a strictly larger weight (>, not >=)."
)
_WRONG_AXIS = (
    "the argmax runs over the wrong axis (axis 1, the output steps): for each output step i it "
    "must pick a source step j, so take the argmax over the last axis (axis=-1, T_x)."
)
_PREFIX = (
    "you kept the first real.sum() steps of each sentence, as if padding came only at the end: "
    "real may mark any step as padding. Mask with real itself: np.where(real[:, None, :], alpha, -np.inf)."
)
_MASK_AXIS = (
    "real is lined up with the wrong axis of alpha: real is (B, T_x) and alpha (B, T_y, T_x), "
    "so give real an axis for the output steps in the middle, real[:, None, :], which lines its "
    "steps up with alpha's last axis."
)
_PAD_TIE = (
    "a padded step that weighs exactly as much as the best real step was chosen: you took the largest "
    "real weight's value and then the first step that has it (alpha == best), which can be a padded "
    "step. Take the argmax of the masked weights itself: "
    "np.where(real[:, None, :], alpha, -np.inf).argmax(axis=-1)."
)
_ONE_BASED = (
    "the positions count from 1: NumPy indices start at 0, so the first source step is 0 (drop the + 1)."
)


def _source_probe(
    seed: int, B: int, T_y: int, T_x: int, holes: bool, ties: bool, empty: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Attention weights ``(B, T_y, T_x)`` of a model that did not mask, and ``real`` ``(B, T_x)``.

    Each row is a softmax over every step; the padded steps get the largest scores, so an
    argmax that does not mask lands on padding. With ``holes`` sentence 1 has padding at step
    0 and its first output step puts all its weight on padding (its real weights are exactly
    0); with ``ties`` the best real step of every other row is shared, exactly, by two steps;
    with ``empty`` sentence 1 has no real step at all.
    """
    rng = np.random.default_rng(850 + seed)
    real = _mask(rng, B, T_x, holes)
    if holes:
        real[1, 0] = False
        real[1, rng.integers(1, T_x)] = True
    if empty:
        real[1] = False
    pad = np.broadcast_to(~real[:, None, :], (B, T_y, T_x))
    e = rng.normal(size=(B, T_y, T_x)) * 2.0
    top = np.where(pad, -np.inf, e).max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)  # a sentence of padding only
    if ties:
        for b in range(B):
            steps = np.flatnonzero(real[b])
            for i in range(0, T_y, 2) if len(steps) > 1 else ():
                j1, j2 = sorted(rng.choice(steps, 2, replace=False))
                e[b, i, [j1, j2]] = top[b, i, 0] + 0.5
    e = np.where(pad, top + 1.0 + rng.random((B, T_y, T_x)), e)
    if holes:
        e[1, 0] = np.where(real[1], -1000.0, e[1, 0])  # exp underflows: real weights exactly 0
    if seed == 7:  # every padded step before the best real step gets exactly its score
        for b in range(B):
            for i in range(T_y):
                best = int(np.where(real[b], e[b, i], -np.inf).argmax())
                e[b, i, :best] = np.where(real[b, :best], e[b, i, :best], e[b, i, best])
    return ref.softmax(e, axis=-1), real


def _source_bugs(alpha: np.ndarray, real: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """``[(diagnosis, what that bug returns)]`` on this input; several variants may share one
    diagnosis (with or without the -1 of a sentence of padding)."""
    T_x = alpha.shape[-1]
    keep = real[:, None, :]
    masked = np.where(keep, alpha, -np.inf)
    prefix = np.arange(T_x) < real.sum(axis=1)[:, None]
    bugs = [
        (_NOT_MASKED, alpha.argmax(axis=-1)),
        (_ZERO_FILL, (alpha * keep).argmax(axis=-1)),
        (_INVERTED, np.where(~keep, alpha, -np.inf).argmax(axis=-1)),
        (
            _INVERTED,
            np.where((~real).any(axis=1)[:, None], np.where(~keep, alpha, -np.inf).argmax(axis=-1), -1),
        ),
        (_TIES_LAST, T_x - 1 - masked[..., ::-1].argmax(axis=-1)),
        (_WRONG_AXIS, masked.argmax(axis=1)),
        (_WRONG_AXIS, alpha.argmax(axis=1)),
        (_PREFIX, np.where(prefix[:, None, :], alpha, -np.inf).argmax(axis=-1)),
        (_ONE_BASED, masked.argmax(axis=-1) + 1),
        (_PAD_TIE, (alpha == masked.max(axis=-1, keepdims=True)).argmax(axis=-1)),
    ]
    B, T_y, _ = alpha.shape
    if T_y == T_x:  # real[:, :, None] broadcasts: it masks output steps instead of source steps
        bugs.append((_MASK_AXIS, np.where(real[:, :, None], alpha, -np.inf).argmax(axis=-1)))
    if B == T_y:  # real[None] broadcasts: sentence b's mask is used for output step b
        bugs.append((_MASK_AXIS, np.where(real[None], alpha, -np.inf).argmax(axis=-1)))
    return bugs


def _check_positions(got: Any, alpha: np.ndarray, real: np.ndarray, where: str) -> None:
    """Judge ``got`` for ``alpha`` ``(B, T_y, T_x)`` and the bool mask ``real`` ``(B, T_x)``."""
    B, T_y, T_x = alpha.shape
    shape = tuple(int(s) for s in got.shape) if hasattr(got, "shape") else None
    if shape == (B, T_x) and T_x != T_y:
        raise ExerciseError(f"positions has shape {shape} {where}, one entry per SOURCE step: {_WRONG_AXIS}")
    if shape == (T_y, T_x) and B != T_y:
        raise ExerciseError(
            f"positions has shape {shape} {where}: the argmax ran over the batch (axis 0). For "
            "each sentence and output step, take the argmax over the last axis (axis=-1, T_x)."
        )
    if shape is not None and len(shape) < 2 and int(np.prod(shape)) == B * T_y:
        raise ExerciseError(
            f"positions has shape {shape_str(shape)} {where}, expected {shape_str((B, T_y))}: an "
            "axis of size 1 is missing. Keep both axes (a batch of one sentence, a single output "
            "step), so do not np.squeeze the result or index it with [0]."
        )
    if shape == (B, T_y, T_x):
        raise ExerciseError(
            f"positions has the shape of alpha, {shape} {where}: one position per output step is "
            "asked for, (B, T_y). Reduce the source axis with .argmax(axis=-1)."
        )
    pos = expect_array("positions", got, (B, T_y), axes=("B", "T_y"), given=where)
    kind = np.asarray(got).dtype.kind
    if kind == "f":
        weights = np.where(real[:, None, :], alpha, -np.inf).max(axis=-1)
        if np.allclose(pos, alpha.max(axis=-1)) or np.allclose(pos, weights):
            raise ExerciseError(
                f"positions holds the largest weights themselves {where}, not where they are: "
                "use .argmax(axis=-1) (the index j), not .max(axis=-1) (the weight)."
            )
        raise ExerciseError(
            f"positions holds floats {where}: positions are indices, so return integers. "
            "np.where(..., positions, -1) keeps argmax's ints; np.nan or -1.0 there turns them "
            "into floats (.astype(int) converts)."
        )
    expected = ref.strongest_source(alpha, real)
    some = real.any(axis=1)  # sentences with a real step
    if not np.array_equal(pos[some], expected[some]):
        for diagnosis, wrong in _source_bugs(alpha, real):
            if wrong.shape == pos.shape and np.array_equal(pos[some], wrong[some]):
                raise ExerciseError(f"positions is wrong {where}: {diagnosis}")
        outside = (pos < -1) | (pos >= T_x)
        if outside.any():
            b, i = (int(k) for k in np.argwhere(outside)[0])
            raise ExerciseError(
                f"positions[{b}, {i}] = {pos[b, i]:.0f} {where}: a position is a source index, "
                f"0 to T_x - 1 = {T_x - 1}, or -1 for a sentence with no real step."
            )
        b, i = (int(k) for k in np.argwhere((pos != expected) & some[:, None])[0])
        g, w = int(pos[b, i]), int(expected[b, i])
        if g >= 0 and not real[b, g]:
            raise ExerciseError(
                f"positions[{b}, {i}] = {g} {where} is a padded step of sentence {b}: {_NOT_MASKED}"
            )
        row = alpha[b, i]
        if g < 0:
            raise ExerciseError(
                f"positions[{b}, {i}] = -1 {where}, but sentence {b} has real steps: the one of "
                f"largest weight is {w}. Give -1 only to a sentence with no real step at all."
            )
        why = (
            "is as large and comes first (ties go to the smallest j)"
            if g > w and row[g] == row[w]
            else "is the largest weight of a real step"
        )
        raise ExerciseError(
            f"positions[{b}, {i}] = {g} {where}, expected {w}: alpha[{b}, {i}, {w}] = {row[w]:.4g} {why}."
        )
    for b in np.flatnonzero(~some):
        if not np.all(pos[b] == -1):
            raise ExerciseError(
                f"sentence {b} {where} has no real step, so every one of its rows must be -1; got "
                f"{pos[b].astype(int).tolist()}. The -1 case is missing: an argmax over a row that "
                "is all -inf gives 0, a padded step. Finish with "
                "np.where(real.any(axis=1)[:, None], positions, -1)."
            )


def _judge_source(
    fn: Callable[..., Any], alpha: np.ndarray, given: np.ndarray, real: np.ndarray, where: str
) -> None:
    """Call ``fn(alpha, given)`` (``given``: ``real`` as the case's kind) and judge the answer."""
    try:
        got = _call(fn, {"alpha": alpha, "real": given}, where)
    except ExerciseError as err:
        if "in place" in str(err):
            raise
        if "broadcast" in str(err):
            raise ExerciseError(f"{err}\nLikely: {_MASK_AXIS}") from None
        if real.any(axis=1).all():
            raise
        empty = int(np.flatnonzero(~real.any(axis=1))[0])
        raise ExerciseError(
            f"{err}\nLikely: sentence {empty} {where} has no real step (real[{empty}] marks no "
            "step as real); every one of its rows must be -1. Handle that case before the argmax, or "
            "finish with np.where(real.any(axis=1)[:, None], positions, -1)."
        ) from None
    _check_positions(got, alpha, real, where)


@exercise("08.5", "strongest_source")
def check_strongest_source(fn: Callable[..., Any]) -> None:
    """Check ``fn(alpha, real)``: an attention map read as a hard alignment.

    ``alpha`` ``(B, T_y, T_x)`` attention weights, ``real`` ``(B, T_x)`` (bool, or 0/1 ints or
    floats) True at real source steps. The answer is an int array ``(B, T_y)``: for each
    output step, the real source step of largest weight, the smallest such j on ties; -1 on
    every row of a sentence with no real step. The inputs are left unchanged.
    """
    for seed, B, T_y, T_x, kind, holes, ties, empty in _SOURCE_CASES:
        alpha, real = _source_probe(seed, B, T_y, T_x, holes, ties, empty)
        where = f"(B = {B}, T_y = {T_y}, T_x = {T_x}, real as {_KIND_WORDS[kind]})"
        try:
            _judge_source(fn, alpha, real.astype(kind), real, where)
        except ExerciseError as err:
            if kind is bool or "in place" in str(err):
                raise
            try:  # the same case with a bool mask: is the kind of `real` the only problem?
                _judge_source(fn, alpha, real, real, where.replace(_KIND_WORDS[kind], "True/False"))
            except ExerciseError:
                raise err from None
            raise ExerciseError(
                f"your function is right when real holds True/False but not when it holds "
                f"{_KIND_WORDS[kind]} {where}. On numbers ~real is not a logical not (~1 is -2 "
                "and ~0 is -1, both count as True, and floats have no ~ at all), and "
                "alpha[..., real] indexes steps 0 and 1. Turn real into bools first: real = np.asarray(real, dtype=bool) (or real != 0)."
            ) from None
