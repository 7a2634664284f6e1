"""Time-series helpers for forecasting (lesson 05): windows, gaps, baselines, the recursive loop.

A series is a 1-D array ``(N,)`` of values one time step apart (weekly CO2 in lesson 05).
A **window** is ``length`` consecutive values; the values that follow it are its
**targets**. Forecasting the next ``horizon`` values from a window is N vs 1 when
``horizon == 1``, and either *recursive* (one step at a time, each prediction fed back into
the window) or *direct* (all ``horizon`` values at once) beyond that.

- :func:`fill_gaps`           linear interpolation of missing values (NaN), and which were filled
- :func:`make_windows`        ``(N,)`` -> windows ``(n, length)`` and targets ``(n, horizon)``
- :func:`honest_windows`      which windows may be trained or scored on, given the filled values
- :func:`seasonal_naive`      the forecast "same as one season earlier", ``(n, horizon)``
- :func:`recursive_forecast`  feed a one-step model its own predictions, ``(n, horizon)``
- :func:`mae_by_horizon`      mean absolute error at each step ahead, ``(horizon,)``

Every function returns new arrays and leaves its inputs unchanged. Keras models take
``(batch, T, n_in)``: add the feature axis with ``windows[..., None]``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "fill_gaps",
    "make_windows",
    "honest_windows",
    "seasonal_naive",
    "recursive_forecast",
    "mae_by_horizon",
]


def _whole(name: str, value: object, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def _series(series: object, name: str = "series") -> np.ndarray:
    array = np.asarray(series)
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one series of shape (N,), got shape {array.shape}: "
            "pass a 1-D array (for one feature, series[:, 0])."
        )
    return array


def _windows(windows: object, name: str = "windows") -> np.ndarray:
    array = np.asarray(windows)
    if array.ndim != 2:
        hint = (
            " For a single window w, pass w[None] (shape (1, length))."
            if array.ndim == 1
            else " Drop the feature axis first: windows[..., 0]."
            if array.ndim == 3
            else ""
        )
        raise ValueError(f"{name} must have shape (n, length), got {array.shape}.{hint}")
    return array


def fill_gaps(series: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing values (NaN) by straight lines between the measured neighbours.

    A value before the first (after the last) measurement takes that measurement's value.

    Args:
        series: ``(N,)`` floats, NaN where nothing was measured; at least one measured.

    Returns:
        ``(filled, imputed)``: ``filled`` ``(N,)`` float64 without NaN, and ``imputed`` a
        bool mask ``(N,)``, True where ``filled`` holds an interpolated value, not a
        measurement. Use the mask to keep imputed values out of targets and scores.

    Note:
        An imputed value uses the next measurement *after* the gap. Inside a window that is
        only past information if that measurement is still in the window:
        :func:`honest_windows` drops the windows where it is not.
    """
    values = _series(series).astype(np.float64)
    imputed = np.isnan(values)
    if imputed.all():
        raise ValueError("the series has no measured value at all: nothing to interpolate from")
    filled = values.copy()
    where = np.arange(len(values))
    filled[imputed] = np.interp(where[imputed], where[~imputed], values[~imputed])
    return filled, imputed


def make_windows(series: np.ndarray, length: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into windows of past values and the values that follow each one.

    Window ``i`` is ``series[i : i + length]`` and its targets are the next ``horizon``
    values, ``series[i + length : i + length + horizon]``: no overlap between them, and
    windows start one step apart.

    Args:
        series: ``(N,)`` values, one time step apart.
        length: ``T``, past values per window (>= 1).
        horizon: ``k``, values to forecast after each window (>= 1).

    Returns:
        ``(windows, targets)`` of shapes ``(n, T)`` and ``(n, k)`` with
        ``n = N - T - k + 1``, the series' dtype, new arrays (never views of ``series``).
        ``targets`` keeps its second axis when ``k == 1``.

    Raises:
        ValueError: ``length`` or ``horizon`` is not a whole number >= 1, the series is not
            1-D, or it is shorter than ``length + horizon`` (no window fits).
    """
    values = _series(series)
    length, horizon = _whole("length", length), _whole("horizon", horizon)
    n = len(values) - length - horizon + 1
    if n < 1:
        raise ValueError(
            f"the series has {len(values)} values, too few for one window of "
            f"{length} plus {horizon} target(s) (needs >= {length + horizon}): use "
            "a shorter window or horizon"
        )
    starts = np.arange(n)[:, None]
    return values[starts + np.arange(length)], values[starts + length + np.arange(horizon)]


def honest_windows(imputed: np.ndarray, length: int, horizon: int = 1) -> np.ndarray:
    """Which windows of :func:`make_windows` may be used, given the imputed-value mask.

    A window is kept when all of its ``horizon`` targets were measured (never train or
    score on a value we made up) and its last value was measured (if it was imputed, the
    interpolation used the next measurement, which is a target of this window).

    Args:
        imputed: ``(N,)`` bool, True where the value was filled in (from :func:`fill_gaps`).
        length, horizon: as for :func:`make_windows`.

    Returns:
        ``(n,)`` bool, aligned with the windows of ``make_windows(series, length, horizon)``.
    """
    mask = _series(imputed, "imputed").astype(bool)
    windows, targets = make_windows(mask, length, horizon)
    return ~targets.any(axis=1) & ~windows[:, -1]


def seasonal_naive(windows: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Forecast each value as the value one season before it ("same week last year").

    Step ``h`` ahead (``h = 1..k``) of a window ending at time ``t`` is forecast as the value
    at ``t + h - season``; beyond one season it repeats the last season seen
    (``t + h - m * season`` for the smallest whole ``m`` that reaches back into the window).

    Args:
        windows: ``(n, T)`` past values, ``T >= season``.
        horizon: ``k``, steps to forecast (>= 1).
        season: the period in steps (52 for weekly data with a yearly cycle).

    Returns:
        ``(n, k)`` forecasts (a new array).
    """
    past = _windows(windows)
    horizon, season = _whole("horizon", horizon), _whole("season", season)
    if past.shape[1] < season:
        raise ValueError(
            f"windows hold {past.shape[1]} values, fewer than one season "
            f"({season}): use windows of at least {season} values"
        )
    steps = np.arange(horizon)  # h - 1
    return past[:, past.shape[1] - season + steps % season]


def recursive_forecast(
    predict: Callable[[np.ndarray], np.ndarray], windows: np.ndarray, horizon: int
) -> np.ndarray:
    """Forecast ``horizon`` steps with a one-step model, feeding its predictions back.

    At each step the model predicts the next value from the current window; the window
    then slides by one: its oldest value drops out and the prediction joins at the end.
    The model is called once per step, on the whole batch.

    Args:
        predict: one-step model, ``(n, T)`` windows -> ``(n, 1)`` (or ``(n,)``) next values.
        windows: ``(n, T)`` observed past values (not modified).
        horizon: ``k``, steps to forecast (>= 1).

    Returns:
        ``(n, k)`` forecasts; column ``h - 1`` is the forecast ``h`` steps ahead.
    """
    window = _windows(windows).astype(np.float64)  # a copy: the caller's array is safe
    horizon = _whole("horizon", horizon)
    n = len(window)
    steps = []
    for _ in range(horizon):
        step = np.asarray(predict(window), dtype=np.float64)
        if step.size != n:
            raise ValueError(
                f"predict returned shape {step.shape} for {n} windows: it must "
                f"return one next value per window, shape ({n}, 1)"
            )
        step = step.reshape(n, 1)
        steps.append(step)
        window = np.concatenate([window[:, 1:], step], axis=1)
    return np.concatenate(steps, axis=1)


def mae_by_horizon(forecasts: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Mean absolute error at each step ahead: ``(n, k)`` and ``(n, k)`` -> ``(k,)``."""
    pred, true = _windows(forecasts, "forecasts"), _windows(targets, "targets")
    if pred.shape != true.shape:
        raise ValueError(f"forecasts {pred.shape} and targets {true.shape} must have the same shape")
    return np.abs(pred - true).mean(axis=0)
