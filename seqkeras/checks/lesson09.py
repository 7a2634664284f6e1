"""Checkers for lesson 09, from attention to self-attention.

Each ``check_*`` function takes the learner's function, prints the outcome and returns a
true :class:`~seqkeras.grading.Outcome` (passed) or a false one (not attempted yet); a
wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 09.1 :func:`check_scaled_dot_product_attention`: ``scaled_dot_product_attention(q, k, v,
  mask=None) -> (output, weights)``, ``softmax(q kᵀ / √d_k) v`` with the hidden keys removed
  before the softmax; a query that may attend to no key gets weights all 0 (the contract of
  :func:`seqkeras.reference.attention_weights`, met in lesson 08)
- 09.2 :func:`check_sinusoidal_positions`: ``sinusoidal_positions(T, d) -> P``, ``(T, d)``, the
  Transformer's encoding written from its equation (the lesson uses the package's)

Both are compared with :mod:`seqkeras.reference` on several sizes (a batch of one, T = 1, a
length the lesson never uses, T_q = T_k = d_k = batch, where a key matrix left untransposed
still fits, scores of a large spread), and a wrong answer is matched against the bugs the
lesson warns about, each computed on the same input.
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
)

__all__ = ["check_scaled_dot_product_attention", "check_sinusoidal_positions"]


def _call(fn: Callable[..., Any], inputs: dict[str, Any], where: str) -> Any:
    """Call the learner's function on copies of ``inputs``; fail if it changed one in place."""
    got, passed = call_on_copies(fn, inputs)
    expect_unchanged(inputs, passed, f"{CHANGED_IN_PLACE} (Seen with {where[1:-1]}.)")
    return got


# --------------------------------------------------------------------------- 09.1 scaled dot-product attention
#: (seed, batch, T_q, T_k, d_k, d_v, spread, mask): first batch = T_q = T_k = d_k, where k used
#: untransposed (q @ k, or q @ k.T, which flips the batch axis too) still fits and so must be
#: told by its values; then sizes all different; a batch of one with T = 1; masks with holes
#: (every query sees some keys and misses others), causal and padding ones (T_k = 19, a
#: length the lesson never uses); large queries and keys, where exp overflows without the
#: shift by the max; last, a query that may attend to no key at all.
_SDPA_CASES = [
    (0, 4, 4, 4, 4, 4, 1.0, None),
    (1, 2, 3, 5, 6, 7, 1.0, None),
    (2, 1, 1, 1, 3, 2, 1.0, None),
    (3, 3, 4, 6, 5, 3, 1.0, "holes"),
    (4, 2, 6, 6, 8, 5, 1.0, "causal"),
    (5, 3, 2, 19, 5, 4, 1.0, "padding"),
    (6, 2, 3, 7, 16, 4, 30.0, None),
    (7, 2, 3, 5, 4, 3, 1.0, "empty"),
]


def _sdpa_mask(
    rng: np.random.Generator, kind: str | None, batch: int, T_q: int, T_k: int
) -> np.ndarray | None:
    """A mask ``(batch, T_q, T_k)``, True where query i may attend to key j (None: no mask)."""
    if kind is None:
        return None
    if kind == "causal":
        return np.broadcast_to(ref.causal_mask(T_k), (batch, T_q, T_k)).copy()
    if kind == "padding":
        real = np.ones((batch, T_k), dtype=bool)
        for b in range(1, batch):
            real[b, rng.integers(1, T_k) :] = False
        return np.broadcast_to(real[:, None, :], (batch, T_q, T_k)).copy()
    m = rng.random((batch, T_q, T_k)) < 0.5  # "holes": every row sees at least one key, misses one
    for b in range(batch):
        for i in range(T_q):
            seen, missed = rng.permutation(T_k)[:2]
            m[b, i, seen], m[b, i, missed] = True, False
    if kind == "empty":
        m[1, 0] = False  # query 0 of example 1 may attend to nothing
    return m


def _masked_softmax(z: np.ndarray, m: np.ndarray | None, axis: int = -1) -> np.ndarray:
    """The usual learner's masked softmax: hidden scores replaced by -1e9, then softmax."""
    return ref.softmax(z if m is None else np.where(m, z, -1e9), axis=axis)


def _weights_bugs(q: np.ndarray, k: np.ndarray, m: np.ndarray | None) -> dict[str, np.ndarray]:
    batch, T_q, d_k = q.shape
    T_k = k.shape[1]
    s = q @ k.transpose(0, 2, 1)
    root = np.sqrt(d_k)
    bugs = {
        "the scores are not scaled: divide q @ kᵀ by √d_k (np.sqrt(d_k), d_k = q.shape[-1]) before "
        "the softmax. Without it the scores grow with d_k and the softmax saturates.": _masked_softmax(s, m),
        "the scores are divided by d_k: the scaling is by the square root, q @ kᵀ / np.sqrt(d_k), "
        "which keeps their variance near 1.": _masked_softmax(s / d_k, m),
        "the scores are multiplied by √d_k: divide by it, q @ kᵀ / np.sqrt(d_k).": _masked_softmax(
            s * root, m
        ),
        "the softmax runs over the queries (axis 1): each query's weights must sum to 1 over the "
        "keys, the last axis (axis=-1).": _masked_softmax(s / root, m, axis=1),
        "these are the scaled scores, not the weights: apply the softmax over the keys "
        "(the last axis) to q @ kᵀ / √d_k.": s / root,
    }
    if batch > 1:
        bugs[
            "the softmax runs over the batch (axis 0): each query's weights must sum to 1 over "
            "the keys, the last axis (axis=-1)."
        ] = _masked_softmax(s / root, m, axis=0)
    if T_k == d_k:
        bugs[
            "k is not transposed: the scores are q @ kᵀ, with the last two axes of k swapped, "
            "k.transpose(0, 2, 1) (or np.swapaxes(k, -1, -2)); q @ k only fits because T_k = d_k here."
        ] = _masked_softmax((q @ k) / root, m)
        if batch == d_k:
            bugs[
                "k.T reverses every axis of the 3-D k, the batch included, (B, T_k, d_k) -> "
                "(d_k, T_k, B): swap only the last two, k.transpose(0, 2, 1) or np.swapaxes(k, -1, -2)."
            ] = _masked_softmax((q @ k.T) / root, m)
    if T_q == T_k:
        bugs[
            "the weights are transposed, one row per key: scores = q @ kᵀ is (B, T_q, T_k), a "
            "row per query, not k @ qᵀ."
        ] = _masked_softmax((k @ q.transpose(0, 2, 1)) / root, m)
    if m is not None and not m.all():
        bugs.update(
            {
                "the mask is ignored: hidden keys got weight too. Set their scores to a large "
                "negative number before the softmax, np.where(mask, scores, -1e9).": ref.softmax(s / root),
                "the mask is applied after the softmax: the hidden keys took part in it, so the "
                "visible keys' weights no longer sum to 1. Mask the scores before the softmax: "
                "np.where(mask, scores, -1e9).": ref.softmax(s / root) * m,
                "the hidden keys got a score of 0 (scores * mask), which exp turns into weight: a "
                "hidden score must be -inf or a large negative number, np.where(mask, scores, -1e9).": ref.softmax(
                    s / root * m
                ),
            }
        )
        if m.any(axis=-1).all() and (~m).any(axis=-1).all():
            bugs[
                "the mask is inverted: the weight went to the hidden keys. mask is True where the "
                "query MAY attend, so keep the scores where it is True: np.where(mask, scores, -1e9)."
            ] = _masked_softmax(s / root, ~m)
    return bugs


def _output_bugs(w: np.ndarray, q: np.ndarray, k: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
    bugs = {
        "the output is the plain average of the values: weigh each value by its weight, output = "
        "weights @ v.": np.broadcast_to(v.mean(axis=1, keepdims=True), (v.shape[0], q.shape[1], v.shape[2])),
        "the output comes from the scores before the softmax: output = weights @ v, with the "
        "weights after it.": (q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])) @ v,
    }
    if k.shape == v.shape:
        bugs["the output averages the keys: it is weights @ v, the values."] = w @ k
    if w.shape[1] == w.shape[2]:
        bugs[
            "the output uses the transposed weights: output = weights @ v, (B, T_q, T_k) @ (B, T_k, d_v)."
        ] = w.transpose(0, 2, 1) @ v
    return bugs


def _pair(got: Any, out_shape: tuple[int, ...], w_shape: tuple[int, ...], where: str) -> tuple[Any, Any]:
    """The learner's ``(output, weights)``, or a message about what was returned instead."""
    if isinstance(got, (tuple, list)) and len(got) == 2:
        return got[0], got[1]
    if got is None:
        raise ExerciseError("the function returned None: return the pair (output, weights).")
    shape = np.shape(got) if not isinstance(got, (tuple, list, dict, str)) else None
    what = f"an array of shape {shape}" if shape is not None else f"a {type(got).__name__}"
    if isinstance(got, (tuple, list)):
        what += f" of {len(got)} items"
    raise ExerciseError(
        f"the function returned {what} {where}: return the pair (output, weights), "
        f"output {out_shape} and weights {w_shape}: `return output, weights`."
    )


def _check_empty_rows(w: np.ndarray, expected: np.ndarray, m: np.ndarray, where: str) -> None:
    """A query with no visible key must get weights all 0; name the two usual answers."""
    empty = ~m.any(axis=-1)
    others_right = np.allclose(w[~empty], expected[~empty], atol=1e-6)
    if not empty.any() or not others_right or np.abs(w[empty]).max() <= 1e-12:
        return
    expect_nothing_attended(
        w[empty][0],
        f"query 0 of example 1 {where} may attend to no key",
        "T_k",
        "set the hidden weights to 0 after the softmax, np.where(mask, weights, 0.0)",
    )


@exercise("09.1", "scaled_dot_product_attention")
def check_scaled_dot_product_attention(fn: Callable[..., Any]) -> None:
    """Check ``fn(q, k, v, mask=None)``: scaled dot-product attention.

    ``q`` ``(B, T_q, d_k)``, ``k`` ``(B, T_k, d_k)``, ``v`` ``(B, T_k, d_v)``; ``mask`` is
    left out (the default ``None``: every key visible) or a bool array ``(B, T_q, T_k)``,
    True where query i may attend to key j. The answer is the pair ``(output, weights)``:
    ``weights = softmax over the keys (last axis) of q @ kᵀ / √d_k`` with the hidden keys'
    scores removed before the softmax, ``(B, T_q, T_k)``, 0 at hidden keys and summing to 1
    over the visible ones (all 0 for a query that may attend to no key); ``output = weights @
    v``, ``(B, T_q, d_v)``. The inputs are left unchanged.
    """
    for seed, batch, T_q, T_k, d_k, d_v, spread, kind in _SDPA_CASES:
        rng = np.random.default_rng(900 + seed)
        q = rng.normal(size=(batch, T_q, d_k)) * spread
        k = rng.normal(size=(batch, T_k, d_k)) * spread
        v = rng.normal(size=(batch, T_k, d_v))
        m = _sdpa_mask(rng, kind, batch, T_q, T_k)
        big = (
            f", scores up to {np.abs(q @ k.transpose(0, 2, 1)).max() / np.sqrt(d_k):,.0f}"
            if spread > 1
            else ""
        )
        masked = (
            "" if kind is None else f", a {kind} mask" if kind != "empty" else ", a query that sees no key"
        )
        where = f"(batch {batch}, T_q = {T_q}, T_k = {T_k}, d_k = {d_k}, d_v = {d_v}{masked}{big})"
        inputs = {"q": q, "k": k, "v": v} | ({} if m is None else {"mask": m})
        try:
            got = _call(fn, inputs, where)
        except ExerciseError as err:
            text = str(err)
            if m is None and "mask" in text and "missing" in text:
                raise ExerciseError(
                    f"{err}\nWithout a mask the checker calls fn(q, k, v): give mask a default, "
                    "def scaled_dot_product_attention(q, k, v, mask=None)."
                ) from None
            shape_error = "matmul" in text or "shape" in text or "broadcast" in text
            if shape_error and m is not None:
                raise ExerciseError(
                    f"{err}\nLikely the mask: it is (B, T_q, T_k) = {m.shape}, the shape of the "
                    "scores, so np.where(mask, scores, -1e9) uses it as it is, with no new axis."
                ) from None
            if shape_error:
                raise ExerciseError(
                    f"{err}\nLikely: the scores are q @ kᵀ with only the last two axes of k "
                    "swapped, k.transpose(0, 2, 1) ((B, T_k, d_k) -> (B, d_k, T_k)); k.T would "
                    "reverse the batch axis too. Then output = weights @ v."
                ) from None
            raise
        out_shape, w_shape = (batch, T_q, d_v), (batch, T_q, T_k)
        got_out, got_w = _pair(got, out_shape, w_shape, where)
        out, w = expect_one_array("output", got_out), expect_one_array("weights", got_w)
        if out.shape == w_shape and w.shape == out_shape and w_shape != out_shape:
            raise ExerciseError(
                f"the pair came back as (weights, output) {where}: return output first, "
                "`return output, weights`."
            )
        if w.shape == (batch, T_k, T_q) and T_q != T_k:
            raise ExerciseError(
                f"weights has shape {w.shape} {where}, one row per key: scores = q @ kᵀ is "
                "(B, T_q, T_k), one row per query, softmax along the last axis."
            )
        if m is not None and w.ndim > 3:
            raise ExerciseError(
                f"weights has shape {w.shape} {where}, an axis too many. Likely the mask: it is "
                f"(B, T_q, T_k) = {m.shape}, the shape of the scores, so np.where(mask, scores, "
                "-1e9) uses it as it is, with no new axis."
            )
        expect_array("weights", w, w_shape, ("batch", "T_q", "T_k"), given=where)
        expect_array("output", out, out_shape, ("batch", "T_q", "d_v"), given=where)
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(out))):
            if kind == "empty":
                raise ExerciseError(
                    f"the weights hold NaN {where}: with -inf fills, a query that may attend to "
                    "no key computes exp(-inf - (-inf)) = NaN. The contract gives it weights all "
                    "0: fill with a large negative number (-1e9) and then set the hidden weights to "
                    "0, np.where(mask, weights, 0.0)."
                )
            if spread > 1:
                raise ExerciseError(
                    f"the weights hold NaN or inf {where}: exp of a large score overflows. "
                    "Subtract each row's largest score before exp (as ref.softmax does)."
                )
            raise ExerciseError(f"the weights or the output hold NaN or inf {where}.")
        expected_out, expected_w = ref.scaled_dot_product_attention(q, k, v, m)
        swapped = out_shape == w_shape and np.allclose(out, expected_w, atol=1e-6)
        if swapped and np.allclose(w, expected_out, atol=1e-6):
            raise ExerciseError(
                f"the pair came back as (weights, output) {where}: return output first, "
                "`return output, weights`."
            )
        if m is not None:
            _check_empty_rows(w, expected_w, m, where)
        expect_close(
            "weights",
            w,
            expected_w,
            atol=1e-6,
            likely_bugs=_weights_bugs(q, k, m),
            hint=f"{where}. weights = softmax over the last axis of q @ k.transpose(0, 2, 1) / "
            "np.sqrt(d_k), hidden keys removed first.",
        )
        expect_close(
            "output",
            out,
            expected_out,
            atol=1e-6,
            likely_bugs=_output_bugs(expected_w, q, k, v),
            hint=f"{where}. The weights are right; output = weights @ v.",
        )


# --------------------------------------------------------------------------- 09.2 sinusoidal positions
#: (T, d): one position and one frequency pair; the lesson's sizes; a width the lesson never uses
#: and that is no power of two (a table precomputed at 64 or 128 features fails there); many
#: positions, where a wrong frequency has long drifted; a long table (beyond a fixed 256).
_POSITION_SIZES = ((1, 2), (5, 4), (12, 16), (50, 64), (7, 6), (300, 10))


def _positions(
    T: int,
    d: int,
    *,
    start: int = 0,
    base: float = 10000.0,
    exponent: str = "pair",
    swap: bool = False,
    multiply: bool = False,
) -> np.ndarray:
    """The encoding with one thing changed, to name a bug by its output. ``exponent``: how
    column i's power is formed, "pair" (2m/d for both columns of pair m: right), "column" (i/d)
    or "double" (2i/d)."""
    t = np.arange(start, start + T, dtype=float)[:, None]
    i = np.arange(d)
    power = {"pair": (i - i % 2) / d, "column": i / d, "double": 2 * i / d}[exponent]
    angle = t * base**power if multiply else t / base**power
    even = i % 2 == 0
    return np.where(even != swap, np.sin(angle), np.cos(angle))


def _position_bugs(T: int, d: int) -> dict[str, np.ndarray]:
    angles = np.arange(T)[:, None] / 10000.0 ** (np.arange(0, d, 2) / d)  # (T, d/2)
    return {
        "the sines and cosines are in two blocks, [sin ... | cos ...]: the encoding interleaves "
        "them, column 2m the sine and column 2m + 1 the cosine of the same frequency "
        "(P[:, 0::2] = sin, P[:, 1::2] = cos).": np.concatenate([np.sin(angles), np.cos(angles)], axis=1),
        "sine and cosine are swapped: the even columns (0, 2, ...) hold the sines, the odd ones "
        "the cosines.": _positions(T, d, swap=True),
        "each column has its own frequency (10000^(i/d) with i the column): the cosine in column "
        "2m + 1 shares the frequency of the sine in column 2m, 10000^(2m/d) for both, so that the "
        "pair turns together.": _positions(T, d, exponent="column"),
        "the exponent counts columns twice (10000^(2i/d) with i the column, not the pair): with m "
        "the pair, 2m = i - i % 2 is the pair's even column.": _positions(T, d, exponent="double"),
        "the positions start at 1: the first row is position 0 (sin 0 = 0, cos 0 = 1), "
        "np.arange(T).": _positions(T, d, start=1),
        "the base is not 10000: the rates are 1 / 10000^(2m/d).": _positions(T, d, base=1000.0),
        "the position is multiplied by 10000^(2m/d) instead of divided by it: the frequencies fall "
        "from 1 (pair 0) towards 1/10000.": _positions(T, d, multiply=True),
        "the rows are in reverse order: row t is position t.": ref.sinusoidal_positions(T, d)[::-1],
        **{
            f"the table was made once at another width (d = {D}) and sliced: the frequencies depend "
            f"on d, 1 / 10000^(2m/d), so make it for the d you are given.": ref.sinusoidal_positions(T, D)[
                :, :d
            ]
            for D in (16, 32, 64, 128, 256, 512)
            if D > d
        },
    }


@exercise("09.2", "sinusoidal_positions")
def check_sinusoidal_positions(fn: Callable[..., Any]) -> None:
    """Check ``fn(T, d)``: the Transformer's sinusoidal encoding, ``(T, d)``, with
    ``P[t, 2m] = sin(t / 10000^(2m/d))`` and ``P[t, 2m+1] = cos(t / 10000^(2m/d))``, positions
    ``t = 0 … T-1`` (:func:`seqkeras.reference.sinusoidal_positions`), for even ``d``.
    """
    for T, d in _POSITION_SIZES:
        where = f"(T = {T}, d = {d})"
        got = _call(fn, {"T": T, "d": d}, where)
        P = expect_array("P", got, (T, d), ("position", "feature"), given=f"for T = {T} and d = {d}")
        if not np.all(np.isfinite(P)):
            raise ExerciseError(
                f"P holds NaN or inf values {where}: every entry is a sine or a cosine, in [-1, 1]."
            )
        expect_close(
            "P",
            P,
            ref.sinusoidal_positions(T, d),
            atol=1e-5,  # float32 arithmetic is close enough
            rtol=0.0,
            likely_bugs=_position_bugs(T, d),
            hint=f"{where}. Row t is position t (from 0); column 2m is sin(t / 10000^(2m/d)), 2m + 1 its cosine.",
        )
