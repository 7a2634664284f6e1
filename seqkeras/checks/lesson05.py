"""Checkers for lesson 05, forecasting a real time series.

Each ``check_*`` function takes the learner's function, prints the outcome and returns a
:class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet; a wrong
answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 05.1 :func:`check_make_windows`: ``make_windows(series, length, horizon) -> (windows, targets)``
  of shapes ``(n, length)`` and ``(n, horizon)``, ``n = N - length - horizon + 1``
- 05.2 :func:`check_seasonal_naive`: ``seasonal_naive(windows, horizon, season) -> (n, horizon)``,
  each forecast the value one season before its target
- 05.3 :func:`check_recursive_forecast`: ``recursive_forecast(predict, windows, horizon) ->
  (n, horizon)``, a one-step model fed its own predictions

How they test behaviour rather than one point: every function is run at several window
lengths, horizons, seasons and batch sizes, including length 1, one window only, a horizon
longer than a season and sizes the lesson never uses; on series of distinct values (so a
value taken from the wrong place is seen), of integers (so rounding shows) and with a huge
spread. 05.3 drives the loop with fake models whose prediction is a known function of the
window (a weighted sum with different weights at every position; "the oldest value"), so
the right forecast is known exactly, and records every window the model is given. Every
check also makes sure the learner's inputs come back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from seqkeras import series as _series
from seqkeras.grading import (
    ExerciseError,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_new_arrays,
    expect_one_array,
    expect_pair,
    expect_unchanged,
    swapped_pair,
)

__all__ = ["check_make_windows", "check_seasonal_naive", "check_recursive_forecast"]


def _same(got: np.ndarray, wanted: np.ndarray, exact: bool) -> bool:
    if got.shape != wanted.shape:
        return False
    if exact:
        return bool(np.array_equal(got, wanted))
    return bool(np.allclose(got.astype(float), wanted.astype(float), rtol=1e-6, atol=1e-6))


def _judge(
    name: str,
    got: np.ndarray,
    expected: np.ndarray,
    bugs: dict[str, Any],
    *,
    exact: bool,
    context: str,
    axes: tuple[str, str] = ("window", "step ahead"),
) -> None:
    """Pass if ``got`` equals ``expected``; otherwise name the first bug it matches, or say
    what differs (shape first, with the hint that fits it, then the first wrong value)."""
    if _same(got, expected, exact):
        return
    for diagnosis, wrong in bugs.items():
        if wrong is not None and _same(got, np.asarray(wrong), exact):
            raise ExerciseError(f"{name} is wrong {context}: {diagnosis}")
    expect_array(name, got, expected.shape, axes, given=context)
    expect_close(f"{name} {context}", got, expected, atol=1e-6, rtol=1e-6)


#: What a function that returns (a writable view of) its input is told.
_ALIASED = (
    "{name} writes into the array `{arg}` you were given (it is that array, or a view of it, such "
    "as a slice or np.lib.stride_tricks.as_strided): whoever changes one changes the other. Return "
    "new arrays (fancy indexing, np.stack or .copy() make one); a read-only "
    "np.lib.stride_tricks.sliding_window_view is fine too."
)


# --------------------------------------------------------------------------- 05.1 windows
def _windows_variants(values: np.ndarray, length: int, horizon: int) -> dict[str, tuple[Any, Any]]:
    """The (windows, targets) that known wrong versions of make_windows return."""
    n_vals = len(values)

    def cut(n: int, start_in: int, start_out: int, k: int, step: int = 1, width: int = length):
        if n < 1:
            return None, None
        s = np.arange(n)[:, None] * step
        win = values[s + start_in + np.arange(width)]
        tgt = values[s + start_out + np.arange(k)]
        return win, tgt

    n = n_vals - length - horizon + 1
    out: dict[str, tuple[Any, Any]] = {
        "the first target repeats the window's last value: the targets start right AFTER the "
        "window, at series[i + length], not at series[i + length - 1].": cut(n, 0, length - 1, horizon),
        "the targets skip a value: the first target is series[i + length], the value just "
        "after the window, not series[i + length + 1].": cut(n - 1, 0, length + 1, horizon),
        "the targets are the window shifted by one step (next-character targets, as in lesson "
        "03). Here each window's targets are the `horizon` values that FOLLOW it: "
        "series[i + length : i + length + horizon].": cut(n_vals - length, 0, 1, length),
        "`horizon` is ignored: you return one target per window and as many windows as for "
        "horizon = 1. Return `horizon` targets per window, and N - length - horizon + 1 windows.": cut(
            n_vals - length, 0, length, 1
        ),
        "one window is missing at the end: there are N - length - horizon + 1 windows (the "
        "last one ends `horizon` values before the end of the series).": cut(n - 1, 0, length, horizon),
        "the windows do not overlap: they must start one step apart (window i starts at "
        "series[i]), so that every value is a target once.": cut(
            (n_vals - length - horizon) // length + 1 if length > 1 else -1, 0, length, horizon, step=length
        ),
    }
    if horizon == 1:
        win, tgt = cut(n, 0, length, 1)
        out[
            "the targets lost their second axis: with horizon = 1 they must still have shape "
            "(n, 1), one column per step ahead (targets[:, None] or slicing keeps it)."
        ] = (win, tgt[:, 0])
    return out


_WINDOW_CASES = (  # (N, length, horizon): the lesson uses length 52 and horizons 1 and 26
    (12, 4, 1),
    (12, 4, 3),
    (9, 1, 1),
    (7, 3, 4),
    (40, 13, 6),
    (10, 2, 8),
)


@exercise("05.1", "make_windows")
def check_make_windows(fn: Callable[..., Any]) -> None:
    """Check ``fn(series, length, horizon) -> (windows, targets)`` at several sizes.

    Window ``i`` must be ``series[i : i + length]`` and its targets
    ``series[i + length : i + length + horizon]``, shapes ``(n, length)`` and ``(n, horizon)``
    with ``n = N - length - horizon + 1``; values kept exactly (an integer series stays exact)
    and the series not modified.
    """
    rng = np.random.default_rng(5)
    for n_vals, length, horizon in _WINDOW_CASES:
        values = np.round(rng.uniform(-50, 50, size=n_vals), 3) + np.arange(n_vals) * 1000.0
        inputs = {"series": values, "length": length, "horizon": horizon}
        got, passed = call_on_copies(fn, inputs)
        context = f"for a series of {n_vals} values, length={length}, horizon={horizon}"
        exp_win, exp_tgt = _series.make_windows(values, length, horizon)
        pair = expect_pair(got, "windows", "targets", shapes=(exp_win.shape, exp_tgt.shape), where=context)
        expect_unchanged(
            inputs,
            passed,
            f"your function changed the series it was given {context}: "
            "build new arrays, never write into `series`.",
        )
        win = expect_one_array("`windows`", pair[0])
        tgt = expect_one_array("`targets`", pair[1])
        expect_new_arrays("`windows` or `targets`", pair, passed, _ALIASED)
        if _same(win, exp_win, exact=True) and _same(tgt, exp_tgt, exact=True):
            continue
        if _same(win, exp_tgt, exact=True) and _same(tgt, exp_win, exact=True):
            raise ExerciseError(f"{swapped_pair('windows', 'targets')} (Seen {context}.)")
        for diagnosis, (v_win, v_tgt) in _windows_variants(values, length, horizon).items():
            if (
                v_win is not None
                and _same(win, np.asarray(v_win), exact=True)
                and _same(tgt, np.asarray(v_tgt), exact=True)
            ):
                raise ExerciseError(f"{diagnosis} (Seen {context}.)")
        if win.ndim == 2 and win.shape[1] == length and len(win) != len(exp_win):
            raise ExerciseError(
                f"`windows` has {len(win)} rows {context}, expected {len(exp_win)}: there are "
                "N - length - horizon + 1 windows, one starting at each step whose targets still "
                "fit in the series."
            )
        _judge("`windows`", win, exp_win, {}, exact=True, context=context, axes=("window", "length"))
        _judge("`targets`", tgt, exp_tgt, {}, exact=True, context=context, axes=("window", "horizon"))

    # integers beyond float32's precision must come back exactly (no cast to float32)
    big = np.arange(2**40, 2**40 + 9, dtype=np.int64)
    got, _ = call_on_copies(fn, {"series": big, "length": 3, "horizon": 2})
    if isinstance(got, (tuple, list)) and len(got) == 2:
        win = expect_one_array("`windows`", got[0])
        exp_win, _ = _series.make_windows(big, 3, 2)
        if win.shape == exp_win.shape and not np.array_equal(win.astype(np.int64), exp_win):
            raise ExerciseError(
                "the values changed for an integer series near 2**40: do not "
                "convert the series (e.g. to float32); index it as it is."
            )


# --------------------------------------------------------------------------- 05.2 seasonal naive
def _season_index(width: int, horizon: int, season: int, lag_shift: int = 0) -> np.ndarray:
    return width - season - lag_shift + np.arange(horizon) % season


def _seasonal_variants(past: np.ndarray, horizon: int, season: int) -> dict[str, Any]:
    width = past.shape[1]
    h = np.arange(horizon)
    out: dict[str, Any] = {}
    early = _season_index(width, horizon, season, 1)
    if early.min() >= 0:
        out[
            f"each forecast is the value {season + 1} steps before its target, one step too "
            f"early: step h ahead of a window ending at t uses the value at t + h - season "
            f"(index length - season + (h - 1) % season)."
        ] = past[:, early]
    late = width - season + 1 + h % season
    if late.max() < width:
        out[
            f"each forecast is the value {season - 1} steps before its target, one step too "
            f"late: step h ahead of a window ending at t uses the value at t + h - season "
            f"(index length - season + (h - 1) % season)."
        ] = past[:, late]
    out[
        "every step ahead gets the same forecast, the value one season before the END of the "
        "window: step h forecasts time t + h, so take the value one season before t + h "
        "(index length - season + (h - 1) % season)."
    ] = np.repeat(past[:, width - season : width - season + 1], horizon, 1)
    out["you repeat the window's last value (the naive forecast), not the value one season earlier."] = (
        np.repeat(past[:, -1:], horizon, 1)
    )
    if season != 52 and width >= 52:
        out[
            "the season is fixed at 52: use the `season` argument (the checker also tries other periods)."
        ] = past[:, width - 52 + h % 52]
    if horizon > season:
        wrapped = -season + h  # Python's negative indices, no wrap
        if wrapped.max() < width:
            out[
                "beyond one season ahead your forecasts come from the START of the window: "
                "for h > season the value a season before the target is itself a forecast; "
                "repeat the last season seen instead (index length - season + (h - 1) % season)."
            ] = past[:, wrapped]
        out[
            "beyond one season ahead you repeat the last value: repeat the last SEASON instead "
            "(index length - season + (h - 1) % season)."
        ] = past[:, np.minimum(width - season + h, width - 1)]
    if horizon == 1:
        out[
            "the forecasts lost their second axis: with horizon = 1 return shape (n, 1), one "
            "column per step ahead."
        ] = past[:, width - season]
    return out


_SEASON_CASES = (  # (n windows, length, horizon, season): the lesson uses 52, 52, 26
    (3, 60, 26, 12),
    (3, 10, 6, 4),
    (2, 7, 3, 7),
    (4, 5, 2, 1),
    (1, 9, 12, 3),
    (2, 24, 1, 12),
    (5, 55, 30, 52),
)


@exercise("05.2", "seasonal_naive")
def check_seasonal_naive(fn: Callable[..., Any]) -> None:
    """Check ``fn(windows, horizon, season) -> (n, horizon)`` at several seasons and horizons.

    Step ``h`` ahead (``h = 1..horizon``) of a window ending at ``t`` must be the value at
    ``t + h - season``, repeating the last season seen for ``h > season``.
    """
    rng = np.random.default_rng(11)
    for n, width, horizon, season in _SEASON_CASES:
        past = np.round(rng.normal(size=(n, width)) + np.arange(width) * 10.0, 3)
        if width == 10:
            past[1] *= 1e9  # a row with a huge spread
        inputs = {"windows": past, "horizon": horizon, "season": season}
        context = f"for {n} window(s) of length {width}, horizon={horizon}, season={season}"
        try:
            got, passed = call_on_copies(fn, inputs, index_hint=False)
        except ExerciseError as err:
            if "IndexError" in str(err):
                raise ExerciseError(
                    f"{err} Seen {context}. An index past the end of the window reaches into the "
                    "future: step h ahead needs the value at t + h - season, index "
                    "length - season + (h - 1) % season, which wraps around for h > season."
                ) from None
            raise
        expect_unchanged(
            inputs,
            passed,
            f"your function changed the windows it was given {context}: read them, never write into them.",
        )
        got_a = expect_one_array("`forecasts`", got)
        expect_new_arrays("`forecasts`", got, passed, _ALIASED)
        expected = _series.seasonal_naive(past, horizon, season)
        _judge(
            "`forecasts`",
            got_a,
            expected,
            _seasonal_variants(past, horizon, season),
            exact=False,
            context=context,
        )


# --------------------------------------------------------------------------- 05.3 recursive loop
class _Recorder:
    """A fake one-step model: ``(n, T)`` windows -> ``(n, 1)`` predictions, recording calls.

    ``kind="weights"`` predicts a weighted sum with a different weight at every position
    (so the prediction depends on the order of the window and where the new value goes);
    ``kind="oldest"`` predicts the oldest value of the window (so a window that does not
    slide, or slides the wrong way, gives a different sequence).
    """

    def __init__(self, width: int, kind: str, seed: int = 0):
        self.width, self.kind = width, kind
        rng = np.random.default_rng(seed)
        weights = rng.uniform(0.2, 1.0, size=width) * rng.choice([-1.0, 1.0], size=width)
        self.weights = weights / np.abs(weights).sum() * 0.9  # stays bounded when iterated
        self.shapes: list[tuple[int, ...]] = []

    def __call__(self, windows: Any) -> np.ndarray:
        if isinstance(windows, (list, tuple)):
            raise ExerciseError(
                f"predict was called with a {type(windows).__name__} of {len(windows)} items: pass "
                "the windows as one array (n, length), e.g. np.stack(...) or np.concatenate(...)."
            )
        w = np.asarray(windows.numpy() if hasattr(windows, "numpy") else windows)
        self.shapes.append(tuple(w.shape))
        if w.ndim == 3 and w.shape[-1] == 1:
            raise ExerciseError(
                f"predict was called with shape {w.shape}: pass the windows as "
                "(n, length), the shape you were given; predict handles the rest."
            )
        if w.ndim != 2:
            raise ExerciseError(
                f"predict was called with shape {w.shape}: pass ALL the windows at once, shape (n, length)."
            )
        if w.shape[1] != self.width:
            change = "grows" if w.shape[1] > self.width else "shrinks"
            raise ExerciseError(
                f"the window {change}: predict was given windows of length {w.shape[1]}, but "
                f"the model reads {self.width} values. Slide the window: drop its oldest value "
                "each time you append a prediction (np.concatenate([w[:, 1:], y], axis=1))."
            )
        w = w.astype(np.float64)
        if self.kind == "weights":
            return (w @ self.weights + 0.5)[:, None]
        return w[:, :1].copy()


def _buggy_recursive(predict: Callable[..., Any], windows: np.ndarray, horizon: int, bug: str) -> np.ndarray:
    """The recursive loop with one known bug, to name what a learner got wrong."""
    w = windows.astype(np.float64)
    out = []
    for _ in range(horizon):
        y = np.asarray(predict(w), dtype=np.float64).reshape(len(w), 1)
        out.append(y)
        if bug == "no_slide":
            continue
        if bug == "feed_last":
            new = w[:, -1:]
        elif bug == "feed_first_pred":
            new = out[0]
        else:
            new = y
        if bug == "front":
            w = np.concatenate([new, w[:, :-1]], axis=1)
        else:
            w = np.concatenate([w[:, 1:], new], axis=1)
    return np.concatenate(out, axis=1)


def _recursive_variants(kind: str, windows: np.ndarray, horizon: int) -> dict[str, Any]:
    width = windows.shape[1]

    def run(bug: str) -> np.ndarray:
        return _buggy_recursive(_Recorder(width, kind), windows, horizon, bug)

    out = {
        "the window never changes: every step calls the model on the original windows, so it "
        "repeats its first prediction. After each step, slide the window and append the "
        "prediction.": run("no_slide"),
        "the window's own last value is fed back, not the model's prediction: each step must "
        "append the value the model just predicted (np.concatenate([w[:, 1:], y], axis=1)).": run(
            "feed_last"
        ),
        "the prediction is put at the START of the window: the newest value goes at the end "
        "(np.concatenate([w[:, 1:], y], axis=1)), the oldest drops out at the start.": run("front"),
        "the first prediction is fed back at every step: feed back the prediction of the step "
        "you just made.": run("feed_first_pred"),
        "the model is ignored: you repeat the window's last value. Call predict(window) at "
        "every step.": np.repeat(windows[:, -1:].astype(float), horizon, 1),
    }
    if horizon == 1:
        out["the forecasts lost their second axis: with horizon = 1 return shape (n, 1)."] = (
            _series.recursive_forecast(_Recorder(width, kind), windows, 1)[:, 0]
        )
    return out


_RECURSIVE_CASES = (  # (kind, n windows, length, horizon): the lesson uses 52 and 26
    ("weights", 3, 5, 4),
    ("oldest", 2, 4, 7),
    ("weights", 1, 6, 3),
    ("weights", 4, 1, 5),
    ("oldest", 3, 3, 2),
    ("weights", 2, 8, 1),
    ("weights", 2, 3, 11),
)


@exercise("05.3", "recursive_forecast")
def check_recursive_forecast(fn: Callable[..., Any]) -> None:
    """Check ``fn(predict, windows, horizon) -> (n, horizon)`` with fake one-step models.

    The loop must call ``predict`` on windows of the original length, append each prediction
    at the end of the window and drop the oldest value, ``horizon`` times, and return the
    predictions in order; ``windows`` must come back unchanged.
    """
    rng = np.random.default_rng(2)
    for kind, n, width, horizon in _RECURSIVE_CASES:
        windows = np.round(rng.uniform(-5, 5, size=(n, width)), 3)
        model = _Recorder(width, kind)
        context = f"for {n} window(s) of length {width}, horizon={horizon}"
        inputs = {"predict": model, "windows": windows, "horizon": horizon}
        got, passed = call_on_copies(fn, inputs)
        expect_unchanged(
            inputs,
            passed,
            f"your function changed the windows it was given {context}: slide "
            "a copy (np.concatenate makes a new array), never the caller's array.",
        )
        got_a = expect_one_array("`forecasts`", got)
        expected = _series.recursive_forecast(_Recorder(width, kind), windows, horizon)
        _judge(
            "`forecasts`",
            got_a,
            expected,
            _recursive_variants(kind, windows, horizon),
            exact=False,
            context=f"{context} (fake model: {kind})",
        )
        calls = len(model.shapes)
        if calls > horizon and all(s[0] == n for s in model.shapes):
            raise ExerciseError(
                f"the forecasts are right, but predict was called {calls} times "
                f"for horizon {horizon} {context}: one call per step is enough."
            )

    # integer windows: the forecasts are not whole numbers and must not be rounded
    windows = np.arange(12, dtype=np.int64).reshape(2, 6) * 3
    got, _ = call_on_copies(
        fn, {"predict": _Recorder(6, "weights", seed=4), "windows": windows, "horizon": 4}
    )
    got_a = expect_one_array("`forecasts`", got)
    expected = _series.recursive_forecast(_Recorder(6, "weights", seed=4), windows, 4)
    if got_a.shape == expected.shape and not np.allclose(got_a, expected, atol=1e-6):
        if np.allclose(got_a, np.trunc(got_a)):
            raise ExerciseError(
                "for integer windows your forecasts came back as whole numbers: "
                "the predictions were rounded into an integer array. Work on a "
                "float copy (windows.astype(float)) or collect the predictions "
                "in a new float array."
            )
        expect_close("`forecasts` for integer windows", got_a, expected, atol=1e-6, rtol=1e-6)
