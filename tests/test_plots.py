"""Shared plots: they draw what they are given and reject what they cannot draw."""

import matplotlib.pyplot as plt
import pytest

from seqkeras import plots

LOGS = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.8]}


def test_history_draws_train_and_validation():
    ax = plots.history(LOGS)
    assert len(ax.lines) == 2 and ax.get_ylabel() == "loss"
    plt.close("all")


def test_history_one_axes_per_metric():
    axes = plots.history(LOGS, metrics=("loss", "accuracy"))
    assert [a.get_ylabel() for a in axes] == ["loss", "accuracy"]
    assert len(axes[1].lines) == 1  # no val_accuracy in the logs
    plt.close("all")


def test_history_unknown_metric_names_the_available_ones():
    with pytest.raises(KeyError, match="it has"):
        plots.history(LOGS, metrics=("acc",))


def test_history_axes_count_must_match():
    _, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="one Axes per metric"):
        plots.history(LOGS, metrics=("loss",), ax=list(axes))
    plt.close("all")
