"""Pictures of lesson 05: windows cut from a series, recursive and direct multi-step forecasts."""

import matplotlib.pyplot as plt
import pytest
from figure_checks import assert_legible, patches, texts

from seqkeras import diagrams

ALL = {
    "windows": lambda: diagrams.series_windows(),
    "windows_1_1_1": lambda: diagrams.series_windows(1, 1, 1),
    "windows_widest": lambda: diagrams.series_windows(8, 1, 4),
    "windows_5": lambda: diagrams.series_windows(4, 4, 5),
    "multi_step": lambda: diagrams.multi_step(),
    "multi_step_1_1": lambda: diagrams.multi_step("both", 1, 1),
    "multi_step_5_4": lambda: diagrams.multi_step("both", 5, 4),
    "recursive": lambda: diagrams.multi_step("recursive", 2, 4),
    "direct": lambda: diagrams.multi_step("direct", 5, 4, title="Direct"),
}


@pytest.mark.parametrize("name", list(ALL))
def test_every_picture_is_legible_and_fits_a_notebook(name):
    assert_legible(ALL[name](), name)


@pytest.mark.parametrize("length, horizon, count", [(4, 2, 3), (1, 1, 1), (3, 4, 2)])
def test_series_windows_draws_each_pair(length, horizon, count):
    fig = diagrams.series_windows(length, horizon, count)
    assert len(patches(fig, "series")) == length + horizon + count - 1
    assert len(patches(fig, "input")) == length * count
    assert len(patches(fig, "output")) == horizon * count
    assert len(patches(fig, "window")) == count
    assert texts(fig, f"T = {length}")


@pytest.mark.parametrize("length, horizon", [(3, 3), (1, 4), (5, 1)])
def test_recursive_feeds_each_prediction_back(length, horizon):
    fig = diagrams.multi_step("recursive", length, horizon)
    assert len(patches(fig, "model")) == horizon  # f runs once per step
    assert len(patches(fig, "feedback")) == horizon - 1
    fed_back = sum(min(h, length) for h in range(horizon))  # predictions read again
    assert len(patches(fig, "fed_back")) == fed_back
    assert not texts(fig, "direct")


@pytest.mark.parametrize("horizon", [1, 2, 4])
def test_direct_has_one_model_and_k_outputs(horizon):
    fig = diagrams.multi_step("direct", 3, horizon)
    assert len(patches(fig, "model")) == 1
    assert len(patches(fig, "arrow_out")) == horizon
    assert not patches(fig, "feedback") and not texts(fig, "fed back")
    label = "1 output" if horizon == 1 else f"{horizon} outputs"
    assert texts(fig, f"direct: {label} at once")


def test_both_panels_side_by_side():
    fig = diagrams.multi_step()
    assert texts(fig, "recursive") and texts(fig, "direct")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: diagrams.series_windows(0), "length must be from 1 to 8"),
        (lambda: diagrams.series_windows(4, 5), "horizon must be from 1 to 4"),
        (lambda: diagrams.series_windows(8, 4, 5), "at most 12"),
        (lambda: diagrams.series_windows(4.0), "integer"),
        (lambda: diagrams.multi_step("beam"), "choose one of"),
        (lambda: diagrams.multi_step("both", 6), "length must be from 1 to 5"),
        (lambda: diagrams.multi_step(ax="not an axes"), "matplotlib Axes"),
    ],
)
def test_bad_arguments_say_what_to_do(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_drawing_into_a_given_axes_returns_its_figure():
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3))
    assert diagrams.series_windows(ax=a) is fig
    assert diagrams.multi_step("direct", ax=b) is fig
