"""Checkers of lesson 05: the references and correct alternatives pass, known bugs are named,
the untouched stub is "not attempted"."""

import numpy as np
import pytest
from notebook_solutions import notebook_solution
from numpy.lib.stride_tricks import sliding_window_view

from seqkeras import series
from seqkeras.checks.lesson05 import check_make_windows, check_recursive_forecast, check_seasonal_naive
from seqkeras.grading import ExerciseError


# --------------------------------------------------------------------------- 05.1 make_windows
def windows_loop(values, length, horizon):
    n = len(values) - length - horizon + 1
    inputs = np.array([values[i : i + length] for i in range(n)])
    targets = np.array([values[i + length : i + length + horizon] for i in range(n)])
    return inputs, targets


def windows_view(values, length, horizon):
    both = sliding_window_view(values, length + horizon)  # read-only views: fine to return
    return both[:, :length], both[:, length:]


@pytest.mark.parametrize("answer", [series.make_windows, windows_loop, windows_view])
def test_make_windows_correct_answers_pass(answer, capsys):
    assert check_make_windows(answer)
    assert "passed" in capsys.readouterr().out


def _shifted_window(values, length, horizon):  # the first target repeats the last input
    n = len(values) - length - horizon + 1
    return windows_loop(values, length, horizon)[0], np.array(
        [values[i + length - 1 : i + length - 1 + horizon] for i in range(n)]
    )


def _skip_one(values, length, horizon):
    n = len(values) - length - horizon
    return (
        np.array([values[i : i + length] for i in range(n)]),
        np.array([values[i + length + 1 : i + length + 1 + horizon] for i in range(n)]),
    )


def _lesson03_targets(values, length, horizon):  # targets = the window one step later
    n = len(values) - length
    return (
        np.array([values[i : i + length] for i in range(n)]),
        np.array([values[i + 1 : i + 1 + length] for i in range(n)]),
    )


def _ignores_horizon(values, length, horizon):
    return windows_loop(values, length, 1)


def _drops_last(values, length, horizon):
    inputs, targets = windows_loop(values, length, horizon)
    return inputs[:-1], targets[:-1]


def _fixed_length(values, length, horizon):
    return windows_loop(values, 4, horizon)


def _no_overlap(values, length, horizon):
    starts = range(0, len(values) - length - horizon + 1, length)
    return (
        np.array([values[s : s + length] for s in starts]),
        np.array([values[s + length : s + length + horizon] for s in starts]),
    )


def _squeezed(values, length, horizon):
    inputs, targets = windows_loop(values, length, horizon)
    return inputs.squeeze(), targets.squeeze()


def _float32(values, length, horizon):
    return windows_loop(np.asarray(values, dtype=np.float32), length, horizon)


def _normalises_in_place(values, length, horizon):
    values -= values[0]
    return windows_loop(values, length, horizon)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_shifted_window, "repeats the window's last value"),
        (_skip_one, "skip a value"),
        (_lesson03_targets, "shifted by one step"),
        (_ignores_horizon, "`horizon` is ignored"),
        (_drops_last, "one window is missing"),
        (_fixed_length, "take it from the arguments"),
        (_no_overlap, "do not overlap"),
        (_squeezed, "lost their second axis"),
        (lambda v, n, k: windows_loop(v, n, k)[0], r"return the pair \(windows, targets\)"),
        (lambda v, n, k: (windows_loop(v, n, k)[0], None), "`targets` is None"),
        (_float32, "do not convert"),
        (_normalises_in_place, "changed the series"),
    ],
)
def test_make_windows_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_make_windows(wrong)


def test_make_windows_one_window_keeps_its_first_axis():
    def squeeze_single(values, length, horizon):
        inputs, targets = windows_loop(values, length, horizon)
        return (inputs[0], targets[0]) if len(inputs) == 1 else (inputs, targets)

    with pytest.raises(ExerciseError, match=r"window axis of size 1 is missing"):
        check_make_windows(squeeze_single)


def test_make_windows_stub_is_not_attempted(assert_not_attempted):
    assert_not_attempted(check_make_windows)


# --------------------------------------------------------------------------- 05.2 seasonal_naive
def seasonal_loop(windows, horizon, season):
    out = np.empty((len(windows), horizon))
    for h in range(1, horizon + 1):
        out[:, h - 1] = windows[:, -season + (h - 1) % season]
    return out


def seasonal_tile(windows, horizon, season):
    repeats = -(-horizon // season)
    return np.tile(windows[:, windows.shape[1] - season :], (1, repeats))[:, :horizon]


@pytest.mark.parametrize("answer", [series.seasonal_naive, seasonal_loop, seasonal_tile])
def test_seasonal_naive_correct_answers_pass(answer):
    assert check_seasonal_naive(answer)


def _lag(shift):
    def seasonal(windows, horizon, season):
        width = windows.shape[1]
        return windows[:, [width - season - shift + (h - 1) % season for h in range(1, horizon + 1)]]

    return seasonal


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_lag(1), "one step too early"),
        (_lag(-1), "reaches into the future"),
        (lambda w, k, m: np.repeat(w[:, -m:][:, :1], k, axis=1), "same forecast"),
        (lambda w, k, m: np.repeat(w[:, -1:], k, axis=1), "last value"),
        (lambda w, k, m: seasonal_loop(w, k, 52), "fixed at 52"),
        (lambda w, k, m: w[:, [-m + h for h in range(k)]], "START of the window"),
        (
            lambda w, k, m: seasonal_loop(w, k, m)[:, 0] if k == 1 else seasonal_loop(w, k, m),
            "lost their second axis",
        ),
        (lambda w, k, m: seasonal_loop(w, k, m).T, "shape"),
        (lambda w, k, m: seasonal_loop(w, k, m).tolist() and None, "is None"),
    ],
)
def test_seasonal_naive_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_seasonal_naive(wrong)


def test_seasonal_naive_in_place_change_is_caught():
    def overwrite(windows, horizon, season):
        windows[:, 0] = 0.0  # e.g. "cleaning" the first value
        return seasonal_loop(windows, horizon, season)

    with pytest.raises(ExerciseError, match="changed the windows"):
        check_seasonal_naive(overwrite)


def test_seasonal_naive_stub_is_not_attempted(assert_not_attempted):
    assert_not_attempted(check_seasonal_naive)


# --------------------------------------------------------------------------- 05.3 recursive
def recursive_roll(predict, windows, horizon):
    window = np.array(windows, dtype=float)
    out = np.empty((len(window), horizon))
    for h in range(horizon):
        y = np.asarray(predict(window)).reshape(-1)
        out[:, h] = y
        window = np.roll(window, -1, axis=1)
        window[:, -1] = y
    return out


def recursive_per_window(predict, windows, horizon):  # slower, one window at a time
    rows = []
    for w in windows:
        w = [float(v) for v in w]
        row = []
        for _ in range(horizon):
            y = float(np.asarray(predict(np.array([w]))).ravel()[0])
            row.append(y)
            w = w[1:] + [y]
        rows.append(row)
    return np.array(rows)


@pytest.mark.parametrize("answer", [series.recursive_forecast, recursive_roll, recursive_per_window])
def test_recursive_correct_answers_pass(answer):
    assert check_recursive_forecast(answer)


def _loop(bug):
    def forecast(predict, windows, horizon):
        window = np.array(windows, dtype=float)
        out = []
        for _ in range(horizon if bug != "fixed_k" else 3):
            y = np.asarray(predict(window if bug != "no_slide" else windows)).reshape(-1, 1)
            out.append(y)
            if bug == "feed_last":
                window = np.concatenate([window[:, 1:], window[:, -1:]], axis=1)
            elif bug == "front":
                window = np.concatenate([y, window[:, :-1]], axis=1)
            elif bug == "grows":
                window = np.concatenate([window, y], axis=1)
            else:
                window = np.concatenate([window[:, 1:], y], axis=1)
        return np.concatenate(out, axis=1)

    return forecast


def _in_place(predict, windows, horizon):
    out = []
    for _ in range(horizon):
        y = np.asarray(predict(windows)).reshape(-1)
        out.append(y)
        windows[:, :-1] = windows[:, 1:]
        windows[:, -1] = y
    return np.stack(out, axis=1)


def _int_buffer(predict, windows, horizon):
    window = windows.copy()  # keeps an integer dtype
    out = np.zeros((len(windows), horizon), dtype=windows.dtype)
    for h in range(horizon):
        y = np.asarray(predict(window)).reshape(-1)
        out[:, h] = y
        window = np.roll(window, -1, axis=1)
        window[:, -1] = y
    return out


def _keras_shape(predict, windows, horizon):
    return series.recursive_forecast(lambda w: predict(w[..., None]), windows, horizon)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_loop("no_slide"), "window never changes"),
        (_loop("feed_last"), "own last value is fed back"),
        (_loop("front"), "START of the window"),
        (_loop("grows"), "the window grows"),
        (_loop("fixed_k"), "step ahead axis has 3 entries instead of 4"),
        (lambda p, w, k: np.repeat(w[:, -1:], k, axis=1), "model is ignored"),
        (_in_place, "changed the windows"),
        (_int_buffer, "whole numbers"),
        (_keras_shape, r"\(n, length\)"),
        (
            lambda p, w, k: series.recursive_forecast(p, w, k).squeeze(),
            "second axis|axis of size 1 is missing",
        ),
        (
            lambda p, w, k: [series.recursive_forecast(p, w, 1)] * k,
            "is a list of .* items; return one NumPy array",
        ),
    ],
)
def test_recursive_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_recursive_forecast(wrong)


def test_recursive_extra_calls_are_named():
    def twice(predict, windows, horizon):
        predict(windows)  # a wasted call
        return series.recursive_forecast(predict, windows, horizon)

    with pytest.raises(ExerciseError, match="one call per step"):
        check_recursive_forecast(twice)


def test_recursive_stub_is_not_attempted(assert_not_attempted):
    assert_not_attempted(check_recursive_forecast)


# ----------------------------------------------------------------------------- tolerances
# A mutation run loosened the float comparisons to 1e-2 and no test noticed: an answer off by a
# thousandth must still be wrong.
@pytest.mark.parametrize(
    "checker, answer",
    [
        (
            check_seasonal_naive,
            lambda windows, horizon, season: seasonal_loop(windows, horizon, season) * 1.001,
        ),
        (
            check_seasonal_naive,
            lambda windows, horizon, season: seasonal_loop(windows, horizon, season) + 1e-3,
        ),
        (
            check_recursive_forecast,
            lambda predict, windows, horizon: recursive_roll(predict, windows, horizon) * 1.001,
        ),
        (
            check_recursive_forecast,
            lambda predict, windows, horizon: recursive_roll(predict, windows, horizon) + 1e-3,
        ),
    ],
)
def test_answers_off_by_a_thousandth_are_wrong(checker, answer):
    with pytest.raises(ExerciseError, match="differs from the expected value"):
        checker(answer)


# ----------------------------------------------------------------------------- issue 20
def windows_as_strided(values, length, horizon):  # writable views into the caller's series
    n = len(values) - length - horizon + 1
    step = values.strides[0]
    win = np.lib.stride_tricks.as_strided(values, (n, length), (step, step))
    tgt = np.lib.stride_tricks.as_strided(values[length:], (n, horizon), (step, step))
    return win, tgt


@pytest.mark.parametrize(
    "wrong, match",
    [
        (
            lambda v, n, k: tuple(x.tolist() for x in windows_loop(v, n, k)),
            r"`windows` is a list of \d+ items",
        ),
        (lambda v, n, k: windows_loop(v, n, k)[::-1], r"wrong order, \(targets, windows\)"),
        (lambda v, n, k: (windows_loop(v, n, k),), "tuple of 1 item"),
        (windows_as_strided, "writes into the array `series`"),
    ],
)
def test_make_windows_issue_20_contracts(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_make_windows(wrong)


def test_make_windows_swapped_pair_of_equal_shapes_is_named():
    def swapped_when_square(values, length, horizon):
        win, tgt = windows_loop(values, length, horizon)
        return (tgt, win) if length == horizon == 1 else (win, tgt)

    with pytest.raises(ExerciseError, match=r"wrong order, \(targets, windows\)"):
        check_make_windows(swapped_when_square)


def recursive_with_lists(predict, windows, horizon):  # the windows travel as a list of rows
    rows, out = [list(map(float, w)) for w in windows], []
    for _ in range(horizon):
        y = np.asarray(predict(rows)).reshape(-1)
        out.append(y)
        rows = [r[1:] + [v] for r, v in zip(rows, y)]
    return np.stack(out, axis=1)


@pytest.mark.parametrize(
    "checker, wrong, match",
    [
        (check_seasonal_naive, lambda w, k, m: seasonal_loop(w, k, m).tolist(), "is a list of"),
        (check_seasonal_naive, lambda w, k, m: (seasonal_loop(w, k, m),), "trailing comma"),
        (
            check_recursive_forecast,
            lambda p, w, k: (series.recursive_forecast(p, w, k), k),
            r"tuple of 2 items \(a pair",
        ),
        (
            check_recursive_forecast,
            recursive_with_lists,
            "predict was called with a list",
        ),
    ],
)
def test_forecasts_issue_20_contracts(checker, wrong, match):
    with pytest.raises(ExerciseError, match=match):
        checker(wrong)


@pytest.mark.parametrize(
    "checker, name",
    [
        (check_make_windows, "make_windows"),
        (check_seasonal_naive, "seasonal_naive"),
        (check_recursive_forecast, "recursive_forecast"),
    ],
)
def test_the_notebooks_solutions_pass(checker, name):
    assert checker(notebook_solution("05_time_series.ipynb", name))
