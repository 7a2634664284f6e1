"""Time-series plots: the split, forecast paths, error against horizon."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from seqkeras import plots

X = np.arange("2000-01-01", "2000-12-30", 7, dtype="datetime64[D]")  # 52 weeks
Y = np.sin(np.arange(len(X)) / 5.0)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_series_split_shades_each_part_and_names_it():
    missing = np.zeros(len(X), dtype=bool)
    missing[[3, 4]] = True
    ax = plots.series_split(X, np.where(missing, np.nan, Y), [30, 40], missing=missing, ylabel="ppm")
    assert len(ax.patches) == 3  # three shaded parts
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["training\n(30)", "validation\n(10)", "held out\n(12)"]
    assert ax.get_legend().get_texts()[0].get_text() == "no measurement (2)"
    assert ax.get_ylabel() == "ppm"
    assert ax.get_ylim()[1] > Y.max() + 0.2 * np.ptp(Y), "room above the data for the names"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(boundaries=[40, 30]), "increase"),
        (dict(boundaries=[0, 30]), "increase"),
        (dict(boundaries=[30, 52]), "increase"),
        (dict(boundaries=[30], names=("a", "b", "c")), "one name per part"),
        (dict(boundaries=[30, 40], missing=np.zeros(3, dtype=bool)), "shape of x"),
    ],
)
def test_series_split_rejects_what_it_cannot_draw(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.series_split(X, Y, **kwargs)


def test_series_split_needs_matching_lengths():
    with pytest.raises(ValueError, match="same length"):
        plots.series_split(X, Y[:-1], [10])


def test_forecasts_draws_truth_and_one_path_per_start_and_model():
    starts = [10, 30]
    preds = {"a": np.zeros((2, 5)), "b": np.ones((2, 5))}
    ax = plots.forecasts(X, Y, starts, preds)
    assert len(ax.lines) == 1 + 2 * 2
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), X[10:15])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["truth", "a", "b"]


def test_forecasts_rejects_paths_that_do_not_fit():
    with pytest.raises(ValueError, match=r"\(len\(starts\), k\)"):
        plots.forecasts(X, Y, [1, 2], {"a": np.zeros((3, 4))})
    with pytest.raises(ValueError, match="runs outside x"):
        plots.forecasts(X, Y, [50], {"a": np.zeros((1, 4))})


def test_horizon_errors_draws_baselines_dashed_and_models_solid():
    errors = {"last value": [1, 2, 3], "model": [0.5, 0.6, 0.7]}
    ax = plots.horizon_errors(errors, baselines=["last value"])
    styles = {line.get_label(): line.get_linestyle() for line in ax.lines}
    assert styles == {"last value": "--", "model": "-"}
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "steps ahead"


def test_horizon_errors_rejects_unknown_baselines_and_bad_shapes():
    with pytest.raises(KeyError, match="not in errors"):
        plots.horizon_errors({"a": [1.0]}, baselines=["b"])
    with pytest.raises(ValueError, match=r"shape \(k,\)"):
        plots.horizon_errors({"a": np.zeros((2, 2))})
