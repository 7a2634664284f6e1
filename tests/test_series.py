"""seqkeras.series: windows, gaps, the seasonal-naive baseline and the recursive loop."""

import numpy as np
import pytest

from seqkeras import series


# ------------------------------------------------------------------------------ fill_gaps
def test_fill_gaps_draws_straight_lines_and_marks_what_it_filled():
    raw = np.array([1.0, np.nan, np.nan, 4.0, 5.0, np.nan, 9.0])
    filled, imputed = series.fill_gaps(raw)
    np.testing.assert_allclose(filled, [1, 2, 3, 4, 5, 7, 9])
    assert imputed.tolist() == [False, True, True, False, False, True, False]
    assert np.isnan(raw[1]), "the input must not be modified"


def test_fill_gaps_at_the_edges_repeats_the_nearest_measurement():
    filled, imputed = series.fill_gaps([np.nan, 2.0, 3.0, np.nan])
    np.testing.assert_allclose(filled, [2, 2, 3, 3])
    assert imputed.tolist() == [True, False, False, True]


def test_fill_gaps_needs_a_measurement_and_one_series():
    with pytest.raises(ValueError, match="no measured value"):
        series.fill_gaps([np.nan, np.nan])
    with pytest.raises(ValueError, match=r"shape \(N,\)"):
        series.fill_gaps(np.zeros((3, 2)))


# ------------------------------------------------------------------------------ make_windows
@pytest.mark.parametrize("n, length, horizon", [(10, 4, 1), (10, 4, 3), (7, 1, 1), (5, 3, 2), (60, 52, 8)])
def test_make_windows_pairs_each_window_with_the_values_after_it(n, length, horizon):
    values = np.arange(100, 100 + n)
    windows, targets = series.make_windows(values, length, horizon)
    count = n - length - horizon + 1
    assert windows.shape == (count, length) and targets.shape == (count, horizon)
    for i in range(count):
        np.testing.assert_array_equal(windows[i], values[i : i + length])
        np.testing.assert_array_equal(targets[i], values[i + length : i + length + horizon])
    assert windows.dtype == values.dtype


def test_make_windows_returns_copies_and_keeps_axes_for_one_window():
    values = np.array([0.5, 1.5, 2.5])
    windows, targets = series.make_windows(values, 2, 1)
    assert windows.shape == (1, 2) and targets.shape == (1, 1)
    windows[0, 0] = 99.0
    assert values[0] == 0.5


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(length=0), "length must be a whole number"),
        (dict(length=2.0), "length must be a whole number"),
        (dict(length=3, horizon=0), "horizon must be a whole number"),
        (dict(length=True), "length must be a whole number"),
        (dict(length=5, horizon=2), "too few for one window"),
    ],
)
def test_make_windows_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        series.make_windows(np.arange(6), **kwargs)


def test_make_windows_needs_one_series():
    with pytest.raises(ValueError, match=r"series\[:, 0\]"):
        series.make_windows(np.zeros((10, 1)), 3)


# ------------------------------------------------------------------------------ honest_windows
def test_honest_windows_drops_imputed_targets_and_windows_ending_in_a_gap():
    imputed = np.zeros(10, dtype=bool)
    imputed[5] = True  # value 5 was filled in
    keep = series.honest_windows(imputed, 3, 1)
    # window i = values i..i+2, target i+3: drop target 5 (i = 2) and last input 5 (i = 3)
    assert keep.tolist() == [True, True, False, False, True, True, True]
    keep2 = series.honest_windows(imputed, 3, 2)  # targets i+3, i+4
    assert keep2.tolist() == [True, False, False, False, True, True]
    assert len(keep2) == len(series.make_windows(np.zeros(10), 3, 2)[0])


def test_honest_windows_keeps_everything_without_gaps():
    assert series.honest_windows(np.zeros(20, dtype=bool), 5, 4).all()


# ------------------------------------------------------------------------------ seasonal_naive
def test_seasonal_naive_takes_the_value_one_season_before_each_target():
    values = np.arange(30.0)
    windows, targets = series.make_windows(values, 8, 6)
    forecast = series.seasonal_naive(windows, 6, season=4)
    assert forecast.shape == (len(windows), 6)
    # a forecast h steps after a window ending at t is the value at t + h - 4, or t + h - 8
    origin = np.arange(len(windows))[:, None] + 7
    h = np.arange(1, 7)
    expected = origin + h - 4 * ((h - 1) // 4 + 1)
    np.testing.assert_array_equal(forecast, expected)


def test_seasonal_naive_is_exact_on_a_periodic_series():
    season = 7
    values = np.tile(np.random.default_rng(0).normal(size=season), 6)
    windows, targets = series.make_windows(values, 10, 9)
    np.testing.assert_allclose(series.seasonal_naive(windows, 9, season), targets)


def test_seasonal_naive_needs_a_whole_season_in_each_window():
    with pytest.raises(ValueError, match="fewer than one season"):
        series.seasonal_naive(np.zeros((3, 10)), 2, 52)
    with pytest.raises(ValueError, match=r"w\[None\]"):
        series.seasonal_naive(np.zeros(60), 2, 52)


# ------------------------------------------------------------------------------ recursive_forecast
def test_recursive_forecast_feeds_predictions_back():
    windows = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 40.0]])
    before = windows.copy()
    # "the next value is the sum of the last two": a Fibonacci-like rule
    got = series.recursive_forecast(lambda w: w[:, -2:].sum(axis=1, keepdims=True), windows, 4)
    np.testing.assert_allclose(got, [[5, 8, 13, 21], [60, 100, 160, 260]])
    np.testing.assert_array_equal(windows, before)


def test_recursive_forecast_slides_a_window_of_constant_length():
    seen = []

    def first_value(w):
        seen.append(w.shape)
        return w[:, :1]

    got = series.recursive_forecast(first_value, np.array([[1.0, 2.0, 3.0]]), 5)
    np.testing.assert_allclose(got, [[1, 2, 3, 1, 2]])
    assert seen == [(1, 3)] * 5


def test_recursive_forecast_accepts_flat_predictions_and_checks_their_size():
    got = series.recursive_forecast(lambda w: w[:, -1] + 1, np.zeros((2, 4)), 3)
    np.testing.assert_allclose(got, [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(ValueError, match="one next value per window"):
        series.recursive_forecast(lambda w: w, np.zeros((2, 4)), 3)


# ------------------------------------------------------------------------------ mae_by_horizon
def test_mae_by_horizon():
    forecasts = np.array([[1.0, 2.0], [3.0, 4.0]])
    targets = np.array([[1.0, 0.0], [2.0, 8.0]])
    np.testing.assert_allclose(series.mae_by_horizon(forecasts, targets), [0.5, 3.0])
    with pytest.raises(ValueError, match="same shape"):
        series.mae_by_horizon(forecasts, targets[:, :1])
