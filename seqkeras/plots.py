"""Plots the lessons share: training curves and friends. Each function returns the Axes or Figure it drew."""
from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

__all__ = ["history"]


def history(hist: Any, metrics: Sequence[str] = ("loss",), ax: Any = None, label: str = "") -> Any:
    """Plot training (solid) and validation (dashed) curves from a Keras ``History``.

    Args:
        hist: the object ``model.fit`` returns, or its ``.history`` dict (metric → list per epoch).
        metrics: which metrics to draw, e.g. ``("loss", "accuracy")``; one Axes each.
        ax: an Axes (one metric) or a sequence of Axes (one per metric); new ones if ``None``.
        label: prefix for the legend entries, to overlay several runs on one Axes.

    Returns:
        The Axes (one metric) or array of Axes.
    """
    logs = getattr(hist, "history", hist)
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise KeyError(f"metric(s) {missing} not in the history; it has {sorted(logs)}. "
                       "Pass metrics= with names from that list (compile with metrics=[...] to add one).")
    if ax is None:
        _, ax = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
        ax = ax[0]
    axes = list(ax) if isinstance(ax, (list, tuple)) or hasattr(ax, "__len__") else [ax]
    if len(axes) != len(metrics):
        raise ValueError(f"got {len(axes)} Axes for {len(metrics)} metrics; pass one Axes per metric.")
    prefix = f"{label} " if label else ""
    for a, m in zip(axes, metrics):
        epochs = range(1, len(logs[m]) + 1)
        line, = a.plot(epochs, logs[m], label=f"{prefix}train")
        if f"val_{m}" in logs:
            a.plot(epochs, logs[f"val_{m}"], "--", color=line.get_color(), label=f"{prefix}validation")
        a.set_xlabel("epoch")
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        a.set_ylabel(m)
        a.legend(fontsize=8)
    return axes[0] if len(axes) == 1 else axes
