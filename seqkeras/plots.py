"""Plots the lessons share: training curves and friends. Each function returns the Axes or Figure it drew."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
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
        raise KeyError(
            f"metric(s) {missing} not in the history; it has {sorted(logs)}. "
            "Pass metrics= with names from that list (compile with metrics=[...] to add one)."
        )
    if ax is None:
        _, ax = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
        ax = ax[0]
    axes = list(ax) if isinstance(ax, (list, tuple)) or hasattr(ax, "__len__") else [ax]
    if len(axes) != len(metrics):
        raise ValueError(f"got {len(axes)} Axes for {len(metrics)} metrics; pass one Axes per metric.")
    prefix = f"{label} " if label else ""
    for a, m in zip(axes, metrics):
        epochs = range(1, len(logs[m]) + 1)
        (line,) = a.plot(epochs, logs[m], label=f"{prefix}train")
        if f"val_{m}" in logs:
            a.plot(epochs, logs[f"val_{m}"], "--", color=line.get_color(), label=f"{prefix}validation")
        a.set_xlabel("epoch")
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
        a.set_ylabel(m)
        a.legend(fontsize=8)
    return axes[0] if len(axes) == 1 else axes


# ----------------------------------------------------------------------------------------
# time series (lesson 05)
# ----------------------------------------------------------------------------------------
__all__ += ["series_split", "forecasts", "horizon_errors"]

#: Background colours of the parts of a chronological split, in time order.
SPLIT_COLORS = ("#FFFFFF", "#FFF1D6", "#E3F0FA")


def _new_ax(ax: Any, size: tuple[float, float]) -> Any:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def series_split(
    x: Any,
    values: Any,
    boundaries: Sequence[int],
    names: Sequence[str] = ("training", "validation", "held out"),
    *,
    missing: Any = None,
    ax: Any = None,
    ylabel: str = "",
) -> Any:
    """Draw a series with the parts of a chronological split shaded behind it.

    Args:
        x: ``(N,)`` times (numbers or ``datetime64``).
        values: ``(N,)`` values; NaN draws as a gap in the line.
        boundaries: the index where each part after the first begins, increasing
            (``[train_end, val_end]`` for three parts).
        names: one name per part (``len(boundaries) + 1``), written at the top of each.
        missing: optional ``(N,)`` bool mask of values that were not measured, marked by
            small ticks along the bottom.
        ax: an Axes to draw into; a new one if ``None``.
        ylabel: the y-axis label.

    Returns:
        The Axes.
    """
    x, values = np.asarray(x), np.asarray(values, dtype=float)
    if x.shape != values.shape or x.ndim != 1:
        raise ValueError(f"x and values must be 1-D and the same length, got {x.shape} and {values.shape}")
    bounds = [int(b) for b in boundaries]
    if any(b <= a for a, b in zip([0] + bounds, bounds + [len(x)])):
        raise ValueError(f"boundaries must increase strictly inside (0, {len(x)}), got {bounds}")
    if len(names) != len(bounds) + 1:
        raise ValueError(f"give one name per part: {len(bounds) + 1} parts, {len(names)} names")
    ax = _new_ax(ax, (10, 3.4))
    edges = [0] + bounds + [len(x)]
    for i, name in enumerate(names):
        lo, hi = x[edges[i]], x[min(edges[i + 1], len(x) - 1)]
        ax.axvspan(lo, hi, color=SPLIT_COLORS[i % len(SPLIT_COLORS)], zorder=0, lw=0)
        ax.text(
            lo + (hi - lo) / 2,
            0.97,
            f"{name}\n({edges[i + 1] - edges[i]:,})",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
            color="#555555",
        )
    ax.plot(x, values, color="#1F4E79", lw=0.8)
    if np.isfinite(values).any():  # headroom above the data for the names
        lo, hi = np.nanmin(values), np.nanmax(values)
        span = (hi - lo) or 1.0
        ax.set_ylim(lo - 0.08 * span, hi + 0.25 * span)
    if missing is not None:
        missing = np.asarray(missing, dtype=bool)
        if missing.shape != x.shape:
            raise ValueError(f"missing must have the shape of x, {x.shape}, got {missing.shape}")
        if missing.any():
            ax.plot(
                x[missing],
                np.zeros(missing.sum()),
                "|",
                color="#C0392B",
                ms=8,
                transform=ax.get_xaxis_transform(),
                label=f"no measurement ({missing.sum()})",
            )
            ax.legend(fontsize=8, loc="lower right")
    ax.set_ylabel(ylabel)
    ax.set_xlim(x[0], x[-1])
    return ax


def forecasts(
    x: Any,
    truth: Any,
    starts: Sequence[int],
    predictions: dict[str, Any],
    *,
    ax: Any = None,
    ylabel: str = "",
) -> Any:
    """Draw forecast paths over the true series: one path per model and start.

    Args:
        x: ``(N,)`` times; truth: ``(N,)`` true values (drawn in black).
        starts: ``(n,)`` indices into ``x`` of the FIRST forecast step of each path.
        predictions: model name -> ``(n, k)`` forecasts, row ``i`` for ``x[starts[i]:starts[i] + k]``.
        ax: an Axes to draw into; a new one if ``None``.
        ylabel: the y-axis label.

    Returns:
        The Axes.
    """
    x, truth = np.asarray(x), np.asarray(truth, dtype=float)
    starts = np.asarray(starts, dtype=int).reshape(-1)
    ax = _new_ax(ax, (10, 3.6))
    ax.plot(x, truth, color="black", lw=1.0, label="truth")
    for j, (name, paths) in enumerate(predictions.items()):
        paths = np.asarray(paths, dtype=float)
        if paths.ndim != 2 or len(paths) != len(starts):
            raise ValueError(
                f"predictions[{name!r}] must have shape (len(starts), k) = "
                f"({len(starts)}, k), got {paths.shape}"
            )
        k = paths.shape[1]
        if starts.min() < 0 or starts.max() + k > len(x):
            raise ValueError(
                f"a path of {name!r} runs outside x: starts must lie in [0, {len(x) - k}] for k = {k}"
            )
        for i, s in enumerate(starts):
            ax.plot(x[s : s + k], paths[i], color=f"C{j}", lw=1.6, label=name if i == 0 else None)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return ax


def horizon_errors(
    errors: dict[str, Any],
    *,
    baselines: Sequence[str] = (),
    ax: Any = None,
    ylabel: str = "mean absolute error",
) -> Any:
    """Draw the error of each model against how many steps ahead it forecasts.

    Args:
        errors: model name -> ``(k,)`` errors for 1, 2, ..., k steps ahead.
        baselines: names among ``errors`` drawn as grey dashed lines, behind the models.
        ax: an Axes to draw into; a new one if ``None``.
        ylabel: the y-axis label.

    Returns:
        The Axes.
    """
    unknown = [b for b in baselines if b not in errors]
    if unknown:
        raise KeyError(f"baselines {unknown} are not in errors; it has {list(errors)}")
    ax = _new_ax(ax, (7.5, 4))
    greys = ("#888888", "#555555", "#AAAAAA", "#333333")
    n_model = 0
    for name, values in errors.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"errors[{name!r}] must have shape (k,), got {values.shape}")
        steps = np.arange(1, len(values) + 1)
        if name in baselines:
            i = list(baselines).index(name)
            ax.plot(
                steps,
                values,
                linestyle=("--", ":", "-.")[i % 3],
                color=greys[i % 4],
                lw=1.4,
                label=name,
                zorder=1,
            )
        else:
            ax.plot(steps, values, color=f"C{n_model}", lw=1.6, label=name, zorder=2)
            n_model += 1
    ax.set_xlabel("steps ahead")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, ncol=2)
    return ax


# ----------------------------------------------------------------------------------------
# Chinese text and attention maps (lesson 08)
# ----------------------------------------------------------------------------------------
__all__ += ["CJK_FAMILY", "use_cjk_font", "text_families", "attention_map"]

#: The family name of the course's CJK font, ``data/NotoSansSC-subset.ttf``.
CJK_FAMILY = "Noto Sans SC Subset"


def use_cjk_font(*, default: bool = False) -> str:
    """Make matplotlib able to draw Chinese: register the course's CJK font.

    matplotlib's default font, DejaVu Sans, has no Chinese glyphs: ``"你好"`` draws as two
    boxes, with a "Glyph ... missing from font(s)" warning. This adds
    ``data/NotoSansSC-subset.ttf`` (Noto Sans SC, cut to the characters of the
    English–Chinese pairs; see ``data/README.md``) to matplotlib's font manager, after
    checking its sha256. Nothing is installed or downloaded; calling it again does nothing.

    Args:
        default: also make it the fallback of every text in every plot from now on:
            ``rcParams["font.family"]`` becomes the current families followed by this one,
            so Latin text keeps its font and Chinese characters come from this one. Without
            it, only text that asks for the font uses it (:func:`text_families`).

    Returns:
        The family name, :data:`CJK_FAMILY`, for ``fontfamily=`` arguments.

    Raises:
        seqkeras.data.DataFileError: the font file is missing or damaged (the message says
            how to restore it).
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    from seqkeras import data

    file = data.verify("cjk_font")
    if not any(Path(entry.fname) == file for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(file))
    if default:
        families = list(mpl.rcParams["font.family"])
        if CJK_FAMILY not in families:
            mpl.rcParams["font.family"] = families + [CJK_FAMILY]
    return CJK_FAMILY


def text_families() -> list[str]:
    """Families for text that may mix Latin and Chinese: matplotlib's default sans-serif font
    first, then the course's CJK font for the characters it lacks (registered on first use).

    Pass them as ``fontfamily=`` (``ax.set_xticklabels(labels, fontfamily=text_families())``):
    matplotlib takes each character from the first family that has it.
    """
    first = [f for f in plt.rcParams["font.sans-serif"] if f != CJK_FAMILY][:1] or ["DejaVu Sans"]
    return first + [use_cjk_font()]


def attention_map(
    weights: Any,
    inputs: Sequence[str],
    outputs: Sequence[str],
    *,
    ax: Any = None,
    title: str | None = None,
    annotate: bool | None = None,
    cmap: str = "Blues",
    colorbar: bool = True,
) -> Any:
    """Draw attention weights as a heatmap: input tokens across, output tokens down.

    Cell ``(i, j)`` is ``α_ij``, how much output step ``i`` looked at input step ``j``
    (each row sums to 1 over the real input steps). A crisp alignment is a bright diagonal;
    a word translated by two tokens lights two cells of one column. Chinese tokens draw with
    the course's CJK font (:func:`use_cjk_font`); a space token is shown as ``␣``.

    Args:
        weights: ``(T_y, T_x)`` attention weights of one example, e.g. ``alpha[b]`` from
            :class:`seqkeras.layers.BahdanauAttention`. If it is larger than the token lists
            (a padded batch) it is cropped to ``(len(outputs), len(inputs))``.
        inputs: the ``T_x`` input tokens (columns), e.g. ``["Tom", "is", "here", "."]``.
        outputs: the ``T_y`` output tokens (rows), e.g. ``["汤", "姆", "在", "这", "里", "。"]``.
        ax: an Axes to draw into; a new one, sized to the tokens, if ``None``.
        title: optional title.
        annotate: write each weight in its cell (default: when the map has at most 150 cells).
        cmap: a matplotlib colormap name; weights map to colours from 0 to 1.
        colorbar: draw a colour bar beside the map.

    Returns:
        The Axes.

    Raises:
        ValueError: ``weights`` is not 2-D, is smaller than the token lists, or holds values
            outside [0, 1] or NaN.
    """
    w = np.asarray(weights, dtype=float)
    inputs, outputs = [str(t) for t in inputs], [str(t) for t in outputs]
    if w.ndim != 2:
        hint = " Pick one example of the batch: weights[b]." if w.ndim == 3 else ""
        raise ValueError(f"weights has shape {w.shape}, expected (T_y, T_x) for one example.{hint}")
    if w.shape[0] < len(outputs) or w.shape[1] < len(inputs):
        swapped = w.shape[0] >= len(inputs) and w.shape[1] >= len(outputs)
        raise ValueError(
            f"weights has shape {w.shape} but there are {len(outputs)} output and {len(inputs)} input "
            "tokens: weights must be (T_y, T_x), one row per output token, one column per input "
            "token."
            + (" Swapped? Pass weights.T, or inputs and outputs the other way round." if swapped else "")
        )
    if not inputs or not outputs:
        raise ValueError("inputs and outputs must each hold at least one token.")
    w = w[: len(outputs), : len(inputs)]
    finite = w[np.isfinite(w)]
    if finite.size < w.size or w.min() < -1e-6 or w.max() > 1 + 1e-6:
        seen = f"values from {finite.min():.3g} to {finite.max():.3g}" if finite.size else "no number"
        raise ValueError(
            f"weights must be attention weights in [0, 1] (after the softmax), got {seen}"
            + (" and NaN or inf" if finite.size < w.size else "")
            + "."
        )
    families = text_families()
    if ax is None:
        _, ax = plt.subplots(figsize=(min(1.0 + 0.42 * len(inputs), 14), min(0.8 + 0.36 * len(outputs), 12)))
    image = ax.imshow(w, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(inputs)))
    ax.set_yticks(range(len(outputs)))
    show = ["␣" if t == " " else t for t in inputs]
    ax.set_xticklabels(show, fontfamily=families, rotation=90 if max(map(len, show)) > 2 else 0)
    ax.set_yticklabels(["␣" if t == " " else t for t in outputs], fontfamily=families)
    ax.xaxis.tick_top()
    ax.set_xlabel("input tokens  j")
    ax.xaxis.set_label_position("top")
    ax.set_ylabel("output tokens  i")
    ax.tick_params(length=0)
    if annotate is None:
        annotate = w.size <= 150
    if annotate:
        for (i, j), value in np.ndenumerate(w):
            text = f"{value:.2f}"
            ax.text(
                j,
                i,
                "1" if text == "1.00" else text[1:],  # ".42": two digits fit a cell
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > 0.6 else "#333333",
            )
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label="attention weight α")
    if title:
        ax.set_title(title, fontfamily=families, pad=12)
    return ax
