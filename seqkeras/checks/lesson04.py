"""Checkers for lesson 04, why a vanilla RNN forgets and how gates fix it.

Each ``check_*`` function takes the learner's function, prints the verdict and returns a
:class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet; a wrong
answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 04.1 :func:`check_lstm_step`: ``lstm_step(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias)
  -> (h_t, C_t)``, with Keras' fused weights (gates in the order i, f, C~, o)
- 04.2 :func:`check_gru_step`: ``gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t``,
  both of Keras' variants (the shape of ``bias`` says which)
- 04.3 :func:`check_clip_by_global_norm`: ``clip_by_global_norm(grads, max_norm) -> (clipped, norm)``
- 04.4 :func:`check_param_count`: ``param_count(cell, n_in, n_h, reset_after=True) -> int``

Every checker tries several sizes (a batch of 1, n_in different from n_h, sizes the lesson
never uses), starts from random non-zero states and biases, includes inputs large enough to
overflow a naive ``exp``, and checks that the learner's function leaves its inputs alone.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.grading import (
    ExerciseError,
    call,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_new_arrays,
    expect_number,
    expect_pair,
    expect_unchanged,
    kind_mistake,
    shape_str,
    swapped_pair,
)

__all__ = ["check_clip_by_global_norm", "check_gru_step", "check_lstm_step", "check_param_count"]


# --------------------------------------------------------------------------- shared helpers
#: What a function that changes its inputs is told (``{name}``: the argument).
_IN_PLACE = (
    "your function changed its input `{name}` in place. Leave the "
    "arrays you are given alone and compute new ones (e.g. "
    "h = o * np.tanh(C), not h *= ...; g * scale, not g *= scale)."
)


def _call(
    fn: Callable[..., Any], inputs: Mapping[str, Any], *, index_hint: bool = True
) -> tuple[Any, dict[str, Any]]:
    """Call ``fn`` on copies of ``inputs`` (warnings of a naive exp silenced); fail if it changed
    one. Returns the result and the copies given (for :func:`expect_new_arrays`)."""
    got, passed = call_on_copies(fn, inputs, index_hint=index_hint)
    expect_unchanged(inputs, passed, _IN_PLACE)
    return got, passed


#: What a function that returns one of its inputs is told (``{arg}``: the argument).
_ALIASED = (
    "your function returned the array `{arg}` it was given (or a view that writes into it), where "
    "new arrays are promised: the caller who changes one would change the other. Return new "
    "arrays, e.g. `g * scale` (a new array even when scale is 1.0) or `g.copy()`."
)


def _named_bug(
    got: Sequence[np.ndarray], bugs: Mapping[str, Sequence[np.ndarray]], atol: float = 1e-6
) -> str | None:
    """The first diagnosis whose outputs all match ``got`` (several arrays compared at once)."""
    for diagnosis, wrong in bugs.items():
        if all(
            np.shape(g) == np.shape(w) and np.allclose(g, w, atol=atol, rtol=1e-5) for g, w in zip(got, wrong)
        ):
            return diagnosis
    return None


def _gate_weights(
    rng: np.random.Generator, n_in: int, n_h: int, k: int, bias_rows: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random fused weights of a gated layer, every block and bias non-zero."""
    kernel = rng.normal(size=(n_in, k * n_h)) * 0.7
    recurrent = rng.normal(size=(n_h, k * n_h)) * 0.7
    bias = rng.normal(size=(k * n_h,) if bias_rows == 1 else (bias_rows, k * n_h)) * 0.6
    return kernel, recurrent, bias


def _blocks(a: np.ndarray, order: Sequence[str], names: Sequence[str]) -> dict[str, np.ndarray]:
    """Slice ``a``'s last axis as if the gates were stored in ``order``; keyed by gate name."""
    parts = ref.split_gates(a, tuple(names))
    # the block at position j is read as gate order[j]
    return {order[j]: parts[names[j]] for j in range(len(names))}


# --------------------------------------------------------------------------- 04.1 LSTM step
#: The input scale of the last probes: pre-activations reach about ±1000, past exp's overflow
#: at 709.8 (tested in tests/test_checks_lesson04.py).
_BIG = 400.0

#: Why an h_t of inf or NaN comes from large pre-activations.
_OVERFLOW = (
    "np.exp overflows to inf beyond about 710: a sigmoid written as np.exp(a) / (1 + np.exp(a)), "
    "or a tanh written with exponentials, then computes inf / inf = NaN. 1 / (1 + np.exp(-a)) is "
    "safe (1 / inf is 0), and so are ref.sigmoid and np.tanh."
)

_LSTM_NAMES = {"i": "i", "f": "f", "C_tilde": "C~", "o": "o"}


def _lstm(
    x: np.ndarray,
    h: np.ndarray,
    C: np.ndarray,
    K: np.ndarray,
    R: np.ndarray,
    b: np.ndarray,
    *,
    order: Sequence[str] = ref.LSTM_GATES,
    gate_act: str = "sigmoid",
    cand_act: str = "tanh",
    forget: str = "f",
    out: str = "tanh_C",
    inputs: str = "both",
    use_bias: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """An LSTM step with one known bug switched on (the defaults are right)."""
    acts = {"sigmoid": ref.sigmoid, "tanh": np.tanh}
    a = (x @ K if inputs != "no_x" else 0) + (h @ R if inputs != "no_h" else 0) + (b if use_bias else 0)
    g = _blocks(a, order, ref.LSTM_GATES)
    i, f, o = (acts[gate_act](g[k]) for k in ("i", "f", "o"))
    c = acts[cand_act](g["C_tilde"])
    C_new = {"f": f * C + i * c, "none": C + i * c, "drop": i * c, "coupled": f * C + (1 - f) * c}[forget]
    h_new = {
        "tanh_C": o * np.tanh(C_new),
        "C": o * C_new,
        "old_C": o * np.tanh(C),
        "tanh_all": np.tanh(o * C_new),
    }[out]
    return h_new, C_new


@exercise("04.1", "lstm_step")
def check_lstm_step(fn: Callable[..., Any]) -> None:
    """Check ``fn(x_t, h_prev, C_prev, kernel, recurrent_kernel, bias) -> (h_t, C_t)``.

    Args:
        fn: the learner's function. ``x_t`` ``(batch, n_in)``, ``h_prev`` and ``C_prev``
            ``(batch, n_h)``, ``kernel`` ``(n_in, 4 n_h)``, ``recurrent_kernel``
            ``(n_h, 4 n_h)``, ``bias`` ``(4 n_h,)``, with the gates side by side in Keras'
            order i, f, C~, o. It must return the pair ``(h_t, C_t)``, each ``(batch, n_h)``.
    """
    rng = np.random.default_rng(41)
    names = ("x_t", "h_prev", "C_prev", "kernel", "recurrent_kernel", "bias")
    # square first (n_in = n_h) so that mixed-up weights give wrong numbers, not a crash;
    # then a batch of one with n_in < n_h; then n_in > n_h with pre-activations beyond ±710,
    # where np.exp overflows (a sigmoid or tanh written as a ratio of exponentials gives NaN)
    for batch, n_in, n_h, scale in ((3, 4, 4, 1.0), (1, 3, 5, 1.0), (2, 6, 2, _BIG)):
        x = rng.normal(size=(batch, n_in)) * scale
        h, C = rng.normal(size=(batch, n_h)), rng.normal(size=(batch, n_h)) * 2.0
        K, R, b = _gate_weights(rng, n_in, n_h, 4)
        given = f"for x_t {shape_str(np.shape(x))}, n_h = {n_h}"
        got, _ = _call(fn, dict(zip(names, (x, h, C, K, R, b))))
        try:
            pair = expect_pair(got, "h_t", "C_t", where=given)
        except ExerciseError as err:
            raise ExerciseError(f"{err} An LSTM carries two states.") from None
        got_h = expect_array(f"h_t ({given})", pair[0], (batch, n_h), ("batch", "n_h"))
        got_C = expect_array(f"C_t ({given})", pair[1], (batch, n_h), ("batch", "n_h"))
        if not (np.isfinite(got_h).all() and np.isfinite(got_C).all()):
            raise ExerciseError(
                f"your h_t or C_t holds inf or NaN {given} with pre-activations up to "
                f"{np.abs(x @ K + h @ R + b).max():.0f}: {_OVERFLOW}"
            )
        expected = ref.lstm_step(x, h, C, K, R, b)
        if all(np.allclose(g, e, atol=1e-6, rtol=1e-5) for g, e in zip((got_h, got_C), expected)):
            continue
        bug = functools.partial(_lstm, x, h, C, K, R, b)
        bugs = {
            swapped_pair("h_t", "C_t") + " (the order Keras uses)": expected[::-1],
            "the forget gate is missing: the old cell state must be scaled by f_t, "
            "C_t = f_t * C_prev + i_t * C~_t.": bug(forget="none"),
            "the old cell state is dropped: C_t = f_t * C_prev + i_t * C~_t (the memory lives "
            "in C_prev).": bug(forget="drop"),
            "you used (1 - f_t) in place of the input gate: that coupling is a GRU's update; an "
            "LSTM has its own input gate, C_t = f_t * C_prev + i_t * C~_t.": bug(forget="coupled"),
            "sigmoid and tanh are swapped: the gates i, f, o use sigmoid (values in 0..1), the "
            "candidate C~ uses tanh.": bug(gate_act="tanh", cand_act="sigmoid"),
            "the candidate C~_t uses sigmoid: it is tanh, so that it can add negative values too.": bug(
                cand_act="sigmoid"
            ),
            "the gates use tanh: i, f and o are sigmoids, values between 0 and 1.": bug(gate_act="tanh"),
            "h_t lacks the tanh: h_t = o_t * tanh(C_t).": bug(out="C"),
            "h_t is computed from the OLD cell state: first compute C_t, then h_t = o_t * tanh(C_t).": bug(
                out="old_C"
            ),
            "the tanh in h_t is applied after the output gate: h_t = o_t * tanh(C_t), not "
            "tanh(o_t * C_t).": bug(out="tanh_all"),
            "you forgot the bias: add bias to x_t @ kernel + h_prev @ recurrent_kernel before slicing.": bug(
                use_bias=False
            ),
            "the recurrent term is missing: every gate also reads h_prev @ recurrent_kernel.": bug(
                inputs="no_h"
            ),
            "the input term is missing: every gate also reads x_t @ kernel.": bug(inputs="no_x"),
        }
        for order in itertools.permutations(ref.LSTM_GATES):
            if order != ref.LSTM_GATES:
                shown = ", ".join(_LSTM_NAMES[g] for g in order)
                bugs[
                    f"the gates are sliced in the wrong order (you read the blocks as {shown}). "
                    "Keras stores them side by side as i, f, C~, o: columns 0:n_h are i, "
                    "n_h:2n_h are f, 2n_h:3n_h the candidate C~, 3n_h:4n_h are o."
                ] = bug(order=order)
        diagnosis = _named_bug([got_h, got_C], bugs)
        if diagnosis:
            raise ExerciseError(f"{given}: {diagnosis}")
        if np.allclose(got_C, expected[1], atol=1e-6, rtol=1e-5):
            expect_close(
                f"h_t ({given})", got_h, expected[0], hint="C_t is right, so look at h_t = o_t * tanh(C_t)."
            )
        expect_close(
            f"C_t ({given})",
            got_C,
            expected[1],
            hint="Slice a = x_t @ kernel + h_prev @ recurrent_kernel + bias into four "
            "blocks of n_h columns (i, f, C~, o), then C_t = f * C_prev + i * C~.",
        )
        expect_close(f"h_t ({given})", got_h, expected[0])


# --------------------------------------------------------------------------- 04.2 GRU step
_GRU_NAMES = {"z": "z", "r": "r", "h_tilde": "h~"}


def _gru(
    x: np.ndarray,
    h: np.ndarray,
    K: np.ndarray,
    R: np.ndarray,
    b: np.ndarray,
    *,
    order: Sequence[str] = ref.GRU_GATES,
    mix: str = "z_old",
    reset: str | None = None,
    gate_act: str = "sigmoid",
    cand_act: str = "tanh",
    rows: str = "ok",
    rec_bias_inside: bool = True,
    rec_bias_gates: bool = True,
) -> np.ndarray:
    """A GRU step with one known bug switched on; ``reset`` None means the variant of ``b``."""
    acts = {"sigmoid": ref.sigmoid, "tanh": np.tanh}
    two_rows = b.ndim == 2
    if two_rows:
        b_in, b_rec = {
            "ok": (b[0], b[1]),
            "swapped": (b[1], b[0]),
            "no_rec": (b[0], 0 * b[1]),
            "summed": (b[0] + b[1], 0 * b[1]),
        }[rows]
    else:
        b_in, b_rec = b, np.zeros_like(b)
    reset = reset or ("after" if two_rows else "before")
    xs = _blocks(x @ K + b_in, order, ref.GRU_GATES)
    W = _blocks(R, order, ref.GRU_GATES)
    br = _blocks(np.broadcast_to(b_rec, b_in.shape), order, ref.GRU_GATES)
    gate_b = 1.0 if rec_bias_gates else 0.0
    z = acts[gate_act](xs["z"] + h @ W["z"] + gate_b * br["z"])
    r = acts[gate_act](xs["r"] + h @ W["r"] + gate_b * br["r"])
    rec = {
        "after": r * (h @ W["h_tilde"] + br["h_tilde"])
        if rec_bias_inside
        else r * (h @ W["h_tilde"]) + br["h_tilde"],
        "before": (r * h) @ W["h_tilde"] + br["h_tilde"],
        "none": h @ W["h_tilde"] + br["h_tilde"],
    }[reset]
    cand = acts[cand_act](xs["h_tilde"] + rec)
    return {"z_old": z * h + (1 - z) * cand, "z_new": (1 - z) * h + z * cand, "no_update": cand}[mix]


@exercise("04.2", "gru_step")
def check_gru_step(fn: Callable[..., Any]) -> None:
    """Check ``fn(x_t, h_prev, kernel, recurrent_kernel, bias) -> h_t`` for both Keras variants.

    Args:
        fn: the learner's function. ``x_t`` ``(batch, n_in)``, ``h_prev`` ``(batch, n_h)``,
            ``kernel`` ``(n_in, 3 n_h)``, ``recurrent_kernel`` ``(n_h, 3 n_h)`` in Keras' order
            z, r, h~. ``bias`` is ``(2, 3 n_h)`` for Keras' default ``reset_after=True`` (row 0
            input bias, row 1 recurrent bias, the reset gate applied after the recurrent
            product) or ``(3 n_h,)`` for ``reset_after=False`` (the reset gate applied to
            h_prev before the product). It must return ``h_t`` ``(batch, n_h)``.
    """
    rng = np.random.default_rng(42)
    names = ("x_t", "h_prev", "kernel", "recurrent_kernel", "bias")
    cases = [
        (3, 4, 4, 2, 1.0),
        (1, 3, 5, 2, 1.0),
        (2, 6, 2, 2, _BIG),  # reset_after=True
        (3, 4, 4, 1, 1.0),
        (1, 2, 5, 1, 1.0),
        (2, 5, 3, 1, _BIG),
    ]  # reset_after=False
    for batch, n_in, n_h, rows, scale in cases:
        x = rng.normal(size=(batch, n_in)) * scale
        h = rng.normal(size=(batch, n_h))
        K, R, b = _gate_weights(rng, n_in, n_h, 3, bias_rows=rows)
        variant = "bias (2, 3 n_h), reset_after=True" if rows == 2 else "bias (3 n_h,), reset_after=False"
        given = f"for x_t {shape_str(np.shape(x))}, n_h = {n_h}, {variant}"
        try:
            got, _ = _call(fn, dict(zip(names, (x, h, K, R, b))), index_hint=rows == 2)
        except ExerciseError as err:
            if rows == 1 and "raised" in str(err):
                raise ExerciseError(
                    f"{err}\nThis call passed a bias of shape {shape_str(np.shape(b))}: Keras' "
                    "reset_after=False variant has ONE bias row. Handle both "
                    "shapes, e.g. `if bias.ndim == 2:` (two rows) `else:` "
                    "(one row)."
                ) from None
            raise
        mistake = kind_mistake("h_t", got, "one array h_t (batch, n_h)")
        if mistake:
            gru = " A GRU has no cell state: return h_t alone." if isinstance(got, (tuple, list)) else ""
            raise ExerciseError(f"{mistake}{gru} ({given})")
        got = expect_array(f"h_t ({given})", got, (batch, n_h), ("batch", "n_h"))
        if not np.isfinite(got).all():
            raise ExerciseError(
                f"your h_t holds inf or NaN {given} with pre-activations up to "
                f"{np.abs(x @ K).max():.0f}: {_OVERFLOW}"
            )
        expected = ref.gru_step(x, h, K, R, b)
        if np.allclose(got, expected, atol=1e-6, rtol=1e-5):
            continue
        bug = functools.partial(_gru, x, h, K, R, b)
        bugs = {
            "z and 1 - z are swapped: Keras keeps the old state where z is near 1, "
            "h_t = z * h_prev + (1 - z) * h~.": bug(mix="z_new"),
            "the update gate is missing: h_t mixes the old state and the candidate, "
            "h_t = z * h_prev + (1 - z) * h~, not h~ alone.": bug(mix="no_update"),
            "the reset gate is missing: the candidate reads the old state through r.": bug(reset="none"),
            "sigmoid and tanh are swapped: the gates z and r use sigmoid, the candidate h~ uses tanh.": bug(
                gate_act="tanh", cand_act="sigmoid"
            ),
            "the candidate h~ uses sigmoid: it is tanh.": bug(cand_act="sigmoid"),
            "the gates use tanh: z and r are sigmoids, values between 0 and 1.": bug(gate_act="tanh"),
        }
        if rows == 2:
            bugs.update(
                {
                    "the reset gate is applied in the wrong place: with a bias of two rows "
                    "(reset_after=True, Keras' default) r multiplies the recurrent term AFTER the "
                    "product, h~ = tanh(x_t U_h + b_h + r * (h_prev @ W_h + b'_h)); you computed "
                    "(r * h_prev) @ W_h, the reset_after=False form.": bug(reset="before"),
                    "the reset gate is applied in the wrong place: with a bias of two rows "
                    "(reset_after=True, Keras' default) r multiplies the recurrent term AFTER the "
                    "product, h~ = tanh(x_t U_h + b_h + r * (h_prev @ W_h + b'_h)); you computed "
                    "(r * h_prev) @ W_h and added both bias rows outside it, the reset_after=False "
                    "form.": bug(reset="before", rows="summed"),
                    "the recurrent bias of the candidate belongs inside the reset product: "
                    "r * (h_prev @ W_h + b'_h), where b'_h = bias[1] (its h~ block).": bug(
                        rec_bias_inside=False
                    ),
                    "the two bias rows are swapped: row 0 (bias[0]) is added to x_t @ kernel, row 1 "
                    "(bias[1]) to h_prev @ recurrent_kernel.": bug(rows="swapped"),
                    "the recurrent bias is missing: with reset_after=True the bias has two rows; "
                    "add bias[1] to h_prev @ recurrent_kernel.": bug(rows="no_rec"),
                    "the recurrent bias is missing from z and r: with reset_after=True bias[1] is "
                    "added to the whole h_prev @ recurrent_kernel, so the gates read it too, "
                    "z = sigmoid(x_t U_z + b_z + h_prev W_z + b'_z) (and r alike), not only the "
                    "candidate's b'_h.": bug(rec_bias_gates=False),
                }
            )
        else:
            bugs[
                "the reset gate is applied in the wrong place: with a bias of one row "
                "(reset_after=False, the 2014 paper's GRU) r multiplies h_prev BEFORE the "
                "product, h~ = tanh(x_t U_h + (r * h_prev) @ W_h + b_h); you applied it after "
                "the product."
            ] = bug(reset="after")
        for order in itertools.permutations(ref.GRU_GATES):
            if order != ref.GRU_GATES:
                shown = ", ".join(_GRU_NAMES[g] for g in order)
                bugs[
                    f"the gates are sliced in the wrong order (you read the blocks as {shown}). "
                    "Keras stores them as z, r, h~: columns 0:n_h are the update gate z, "
                    "n_h:2n_h the reset gate r, 2n_h:3n_h the candidate."
                ] = bug(order=order)
        diagnosis = _named_bug([got], {k: [v] for k, v in bugs.items()})
        if diagnosis:
            raise ExerciseError(f"{given}: {diagnosis}")
        hint = (
            "The bias has two rows here: bias[0] goes with x_t @ kernel, bias[1] with "
            "h_prev @ recurrent_kernel."
            if rows == 2
            else "The bias is one row here (reset_after=False): it goes with x_t @ kernel, and "
            "the candidate reads (r * h_prev) @ W_h."
        )
        expect_close(f"h_t ({given})", got, expected, hint=hint)


# --------------------------------------------------------------------------- 04.3 clipping
def _global_norm(grads: Sequence[np.ndarray]) -> float:
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


@exercise("04.3", "clip_by_global_norm")
def check_clip_by_global_norm(fn: Callable[..., Any]) -> None:
    """Check ``fn(grads, max_norm) -> (clipped, norm)``.

    Args:
        fn: the learner's function. ``grads`` is a list of float arrays of different shapes
            (one per weight), ``max_norm`` a positive float. It must return a list of arrays
            of the same shapes, scaled together by ``max_norm / norm`` when the global norm
            exceeds ``max_norm`` and unchanged otherwise, and the global norm before clipping.
    """
    rng = np.random.default_rng(43)
    big = [rng.normal(size=(3, 4)) * 3, rng.normal(size=4) * 0.2, rng.normal(size=(2, 2, 2)) * 2]
    cases = [
        ("gradients of global norm {norm:.3g} and max_norm {max_norm}", big, 1.0),
        ("gradients of global norm {norm:.3g}, below max_norm {max_norm}", big, 50.0),
        ("one array of norm {norm:.3g} and max_norm {max_norm}", [rng.normal(size=(5, 1)) * 4], 2.5),
        (
            "an exploding gradient of norm {norm:.3g} (max_norm {max_norm})",
            [rng.normal(size=(4, 3)) * 1e12, rng.normal(size=7) * 1e11],
            5.0,
        ),
        (
            "tiny gradients of norm {norm:.3g} (max_norm {max_norm})",
            [rng.normal(size=(2, 3)) * 1e-9, np.full(2, 1e-10)],
            1.0,
        ),
        ("gradients that are all zero (max_norm {max_norm})", [np.zeros((3, 2)), np.zeros(4)], 1.0),
    ]
    for template, grads, max_norm in cases:
        norm = _global_norm(grads)
        given = template.format(norm=norm, max_norm=max_norm)
        got, passed = _call(fn, {"grads": grads, "max_norm": max_norm})
        clipped, got_norm = expect_pair(got, "clipped", "norm", where=f"for {given}")
        if isinstance(got_norm, (list, tuple)) and not isinstance(clipped, (list, tuple, np.ndarray, str)):
            raise ExerciseError(swapped_pair("clipped", "norm") + f" (for {given})")
        if isinstance(clipped, np.ndarray) or not isinstance(clipped, (list, tuple)):
            raise ExerciseError(
                f"`clipped` must be a list with one array per gradient, like "
                f"`grads`; got {type(clipped).__name__}."
            )
        if len(clipped) != len(grads):
            raise ExerciseError(
                f"for {given}: you returned {len(clipped)} array(s) for "
                f"{len(grads)} gradients: return one clipped array per gradient."
            )
        expect_new_arrays("clipped", clipped, passed, f"for {given}: {_ALIASED}")
        clipped = [
            expect_array(f"clipped[{j}] (for {given})", c, g.shape)
            for j, (c, g) in enumerate(zip(clipped, grads))
        ]
        got_norm = expect_number(f"`norm` (the global norm, for {given})", got_norm)
        if any(not np.isfinite(c).all() for c in clipped) or not np.isfinite(got_norm):
            why = (
                " For all-zero gradients the norm is 0: do not divide by it (clip only when norm > max_norm)."
                if norm == 0
                else ""
            )
            raise ExerciseError(f"for {given}: your result holds NaN or inf.{why}")
        scale = max_norm / norm if norm > max_norm else 1.0
        expected = [g * scale for g in grads]
        per_norm = [float(np.linalg.norm(g)) for g in grads]
        norm_bugs = {
            "the norm you return is the norm AFTER clipping: return the global norm of the "
            "gradients you were given (it is what you log to spot an explosion).": _global_norm(expected),
            "the global norm is the square root of the sum of squares: you forgot np.sqrt.": norm**2,
            "the global norm is sqrt(sum of every squared entry of every array), not the sum of "
            "the arrays' norms.": sum(per_norm),
            "the global norm takes all the arrays together: you returned the largest array's norm.": max(
                per_norm
            ),
        }
        if not np.isclose(got_norm, norm, rtol=1e-6, atol=1e-300):
            for diagnosis, wrong in norm_bugs.items():
                if not np.isclose(wrong, norm, rtol=1e-6) and np.isclose(got_norm, wrong, rtol=1e-6):
                    raise ExerciseError(f"for {given}: {diagnosis}")
            raise ExerciseError(
                f"for {given}: norm is {got_norm:.6g}, expected the global norm "
                f"{norm:.6g} = sqrt(sum over every array of np.sum(g ** 2))."
            )
        with np.errstate(all="ignore"):
            bugs = {
                "you clipped each array on its own (that is Keras' `clipnorm`). Global clipping "
                "scales ALL arrays by the same factor max_norm / global_norm, which keeps the "
                "direction of the step.": [
                    g * min(1.0, max_norm / n) if n > 0 else g for g, n in zip(grads, per_norm)
                ],
                "you scaled the gradients although their norm is below max_norm: clip only when "
                "norm > max_norm, and otherwise return them unchanged.": [g * max_norm / norm for g in grads]
                if norm > 0
                else grads,
                "np.clip caps each number separately; clipping by norm scales every array by "
                "max_norm / norm.": [np.clip(g, -max_norm, max_norm) for g in grads],
                "the scale is upside down: multiply by max_norm / norm (less than 1), not norm / max_norm.": [
                    g * norm / max_norm for g in grads
                ],
            }
        diagnosis = _named_bug(
            clipped,
            {k: v for k, v in bugs.items() if not all(np.allclose(a, e) for a, e in zip(v, expected))},
            atol=0.0,
        )
        if diagnosis:
            raise ExerciseError(f"for {given}: {diagnosis}")
        for j, (c, e) in enumerate(zip(clipped, expected)):
            expect_close(
                f"clipped[{j}] (for {given})",
                c,
                e,
                atol=1e-12 * max(1.0, max_norm),
                rtol=1e-6,
                hint="Every array is multiplied by the same factor, "
                "max_norm / norm if norm > max_norm, else 1.",
            )


# --------------------------------------------------------------------------- 04.4 parameters
def _int_answer(got: Any, what: str) -> int:
    if got is None:
        raise ExerciseError(f"the count for {what} is None: did you forget to `return` it?")
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer, float, np.floating)):
        raise ExerciseError(f"return a number (an int) for {what}, got {type(got).__name__}.")
    if not float(got).is_integer():
        raise ExerciseError(
            f"the count for {what} is {got}, not a whole number: parameters are counted one by one."
        )
    if not isinstance(got, (int, np.integer)):
        raise ExerciseError(f"right kind of number, but return it as an int: int({got!r}) for {what}.")
    return int(got)


@exercise("04.4", "param_count")
def check_param_count(fn: Callable[..., Any]) -> None:
    """Check ``fn(cell, n_in, n_h, reset_after=True)``: the trainable parameters of one Keras
    ``SimpleRNN``, ``LSTM`` or ``GRU`` layer (with biases), for sizes the lesson never uses."""
    sizes = [(3, 7), (11, 1), (1, 9), (6, 6)]
    cases = [
        (cell, n_in, n_h, reset_after)
        for n_in, n_h in sizes
        for cell, reset_after in (("SimpleRNN", True), ("LSTM", True), ("GRU", True), ("GRU", False))
    ]
    for cell, n_in, n_h, reset_after in cases:
        what = f"{cell}(units={n_h}) on {n_in} input features" + (
            f", reset_after={reset_after}" if cell == "GRU" else ""
        )
        got = _int_answer(call(fn, cell, n_in, n_h, reset_after=reset_after), what)
        expected = ref.recurrent_param_count(cell, n_in, n_h, reset_after)
        if got == expected:
            continue
        block = n_in * n_h + n_h * n_h + n_h
        k = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
        bugs = {
            ref.recurrent_param_count(
                cell, n_h, n_in, reset_after
            ): "you swapped n_in and n_h: each block has a kernel (n_in, n_h) and a recurrent "
            "kernel (n_h, n_h).",
            k * (n_in * n_h + n_h * n_h): "you forgot the biases.",
            k * (n_in * n_h + n_h): "you forgot the recurrent kernel (n_h × n_h per gate).",
            n_in * k * n_h
            + n_h * n_h
            + k * n_h: "the recurrent kernel has one block per gate too: (n_h, k n_h), not (n_h, n_h).",
            k * (n_in * n_h + n_h * n_h) + n_h: "every gate has its own bias: k n_h biases, not n_h.",
        }
        if cell == "LSTM":
            bugs.update(
                {
                    3 * block: "an LSTM has FOUR blocks (i, f, C~, o); you counted three.",
                    block: "an LSTM has four blocks of a SimpleRNN's weights, one per gate (i, f, C~, o).",
                    5 * block: "an LSTM has four blocks (i, f, C~, o), not five: the cell "
                    "state has no weights of its own.",
                }
            )
        if cell == "GRU":
            bugs.update(
                {
                    4 * (block + (n_h if reset_after else 0)): "a GRU has THREE blocks (z, r, h~); "
                    "you counted four.",
                    block: "a GRU has three blocks of a SimpleRNN's weights, one each for z, r and h~.",
                }
            )
            if reset_after:
                bugs.setdefault(
                    3 * block,
                    "Keras' default GRU (reset_after=True) has TWO bias rows, "
                    "one for the input side and one for the recurrent "
                    "side: 3 n_h more parameters.",
                )
            else:
                bugs.setdefault(
                    3 * block + 3 * n_h,
                    "with reset_after=False a GRU has ONE bias row "
                    "(3 n_h); the second row exists only for "
                    "reset_after=True.",
                )
        if cell == "SimpleRNN":
            bugs.update(
                {
                    4 * block: "a SimpleRNN has one block (U, W, b); four is an LSTM.",
                    3 * block: "a SimpleRNN has one block (U, W, b); three is a GRU.",
                }
            )
        bugs.pop(expected, None)
        why = bugs.get(
            got,
            "A SimpleRNN has n_in n_h + n_h n_h + n_h; an LSTM four such blocks, "
            "a GRU three (plus 3 n_h for its second bias row when reset_after=True).",
        )
        raise ExerciseError(f"for {what} you count {got}, expected {expected}. " + why[:1].upper() + why[1:])
