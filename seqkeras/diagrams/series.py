"""Pictures for forecasting a time series (lesson 05): windows cut from a series, and the
two ways to forecast several steps ahead (recursive and direct).

The colours keep their meaning: blue boxes are values the model reads (observed past
values), green boxes are values it predicts; a prediction read again as an input stays
green, so you can see where the model starts to read its own guesses. The model itself is
orange, as a recurrent cell is in the other pictures; dashed arrows feed a value back.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.path import Path

from seqkeras.diagrams._base import (
    _CAPTION,
    _FONT,
    _IO_H,
    _MUTED,
    _SMALL,
    ROLE_COLORS,
    _arrow,
    _box,
    _Canvas,
    _caption,
    _check_ax,
    _check_choice,
    _check_int,
    _label,
    _Node,
    _title,
)

_PITCH = 0.9  # distance between two time steps
_W = 0.8  # a value box
_ROW = 0.85  # distance between the rows of the windows picture
_WHY = "Draw a few steps: the picture is the same for more."


def _value(t: int, origin: str = "t") -> str:
    """Mathtext for the value at offset ``t`` from the origin: y_{t-2}, y_t, y_{t+1}."""
    if t == 0:
        return f"$y_{origin}$"
    return f"$y_{{{origin}{t:+d}}}$"


def _frame(cv: _Canvas, x0: float, x1: float, y: float, gid: str = "window") -> None:
    """A thin rounded outline around the boxes of one window (from x0 to x1, centred at y)."""
    pad = 0.07
    patch = FancyBboxPatch(
        (x0 - _W / 2 - pad, y - _IO_H / 2 - pad),
        x1 - x0 + _W + 2 * pad,
        _IO_H + 2 * pad,
        boxstyle="round,pad=0,rounding_size=0.12",
        facecolor="none",
        edgecolor=ROLE_COLORS["input"][1],
        linewidth=1.0,
        linestyle=(0, (2, 2)),
        zorder=2.5,
        gid=gid,
    )
    cv.ax.add_patch(patch)
    cv.grow(x0 - _W / 2 - pad, y - _IO_H / 2 - pad, x1 + _W / 2 + pad, y + _IO_H / 2 + pad)


def series_windows(
    length: int = 4, horizon: int = 2, count: int = 3, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Training pairs cut from one series: each window of ``length`` past values (blue) and
    the ``horizon`` values that follow it (green), windows starting one step apart.

    The top row is the series ``y_1, y_2, ...``; each row below is one training pair.

    Args:
        length: ``T``, values per window, 1 to 8.
        horizon: ``k``, targets per window, 1 to 4.
        count: how many windows to draw, 1 to 5 (``length + horizon + count - 1 <= 12``).
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    length = _check_int("length", length, 1, 8, _WHY)
    horizon = _check_int("horizon", horizon, 1, 4, _WHY)
    count = _check_int("count", count, 1, 5, _WHY)
    n = length + horizon + count - 1
    if n > 12:
        raise ValueError(f"length + horizon + count - 1 must be at most 12, got {n}. " + _WHY)
    cv = _Canvas(_check_ax(ax))
    x_label = -0.62
    _label(cv, x_label, 0.0, "series", size=_SMALL, color=_MUTED, ha="right")
    for c in range(n):
        _box(cv, c * _PITCH, 0.0, f"$y_{{{c + 1}}}$", "op", w=_W, h=_IO_H, gid="series")
    for i in range(count):
        y = -(i + 1) * _ROW - 0.25
        _label(cv, x_label, y, f"window {i + 1}", size=_SMALL, color=_MUTED, ha="right")
        for c in range(i, i + length):
            _box(cv, c * _PITCH, y, f"$y_{{{c + 1}}}$", "input", w=_W, h=_IO_H)
        for c in range(i + length, i + length + horizon):
            _box(cv, c * _PITCH, y, f"$y_{{{c + 1}}}$", "output", w=_W, h=_IO_H)
        _frame(cv, i * _PITCH, (i + length - 1) * _PITCH, y)
    bottom = -count * _ROW - 0.25 - _IO_H / 2 - 0.2
    targets = "the next value" if horizon == 1 else f"the next {horizon} values"
    _caption(
        cv,
        (n - 1) * _PITCH / 2,
        bottom,
        f"blue: a window of T = {length} past values; green: its targets, {targets}",
    )
    _caption(cv, (n - 1) * _PITCH / 2, bottom - 0.33, "each window starts one step after the one before")
    _title(cv, title)
    return cv.finish()


def _recursive_panel(cv: _Canvas, x0: float, length: int, horizon: int) -> tuple[float, float]:
    """The recursive picture at x0: one row per step ahead; returns its (top, bottom)."""
    row = 1.35
    for h in range(1, horizon + 1):
        y = -(h - 1) * row
        first = h - 1  # column of the window's oldest value
        for c in range(first, first + length):
            offset = c - length + 1  # time relative to the origin t
            role = "input" if offset <= 0 else "output"
            text = _value(offset) if offset <= 0 else f"$\\hat y_{{t{offset:+d}}}$"
            _box(
                cv, x0 + c * _PITCH, y, text, role, w=_W, h=_IO_H, gid="input" if offset <= 0 else "fed_back"
            )
        _frame(cv, x0 + first * _PITCH, x0 + (first + length - 1) * _PITCH, y)
        xp = x0 + (first + length) * _PITCH
        pred = _box(cv, xp, y, f"$\\hat y_{{t{h:+d}}}$", "output", w=_W, h=_IO_H)
        # the model: an arc from the top of the window to the top of the prediction
        xs = x0 + (first + (length - 1) / 2) * _PITCH
        top = y + _IO_H / 2 + 0.09
        arc = Path(
            [(xs, top), (xs, top + 0.5), (xp, top + 0.5), (xp, top)],
            [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4],
        )
        _arrow(cv, (xs, top), (xp, top), path=arc, color=ROLE_COLORS["hidden"][1], width=1.3, gid="model")
        # "f" between the fed-back column and the prediction, clear of the dashed arrow
        _label(
            cv,
            xp - 0.42 * _PITCH,
            top + 0.41,
            "$f$",
            size=_SMALL * 1.2,
            color=ROLE_COLORS["hidden"][1],
            va="bottom",
            gid="weight",
        )
        if h < horizon:  # fed back: down to the next row
            _arrow(cv, pred, _Node(xp, y - row, _W, _IO_H), color=_MUTED, dashed=True, gid="feedback")
    return 0.9, -(horizon - 1) * row - _IO_H / 2


def _direct_panel(cv: _Canvas, x0: float, y: float, length: int, horizon: int) -> float:
    """The direct picture at (x0, y): one window, one model, ``horizon`` outputs at once.

    Returns the height of the model box's top."""
    ink = ROLE_COLORS["hidden"][1]
    for c in range(length):
        _box(cv, x0 + c * _PITCH, y, _value(c - length + 1), "input", w=_W, h=_IO_H)
    _frame(cv, x0, x0 + (length - 1) * _PITCH, y)
    xs = [x0 + (length + h) * _PITCH for h in range(horizon)]
    preds = [_box(cv, x, y, f"$\\hat y_{{t{h + 1:+d}}}$", "output", w=_W, h=_IO_H) for h, x in enumerate(xs)]
    y_model, y_bus = y + 1.3, y + _IO_H / 2 + 0.38
    x_model = (xs[0] + xs[-1]) / 2 if horizon > 1 else xs[0]
    model = _box(cv, x_model, y_model, "$F$", "hidden", w=0.9, h=0.55, gid="model")
    # the window goes up and into the model from the left
    x_in = x0 + (length - 1) * _PITCH / 2
    y_top = y + _IO_H / 2 + 0.09
    feed = Path([(x_in, y_top), (x_in, y_model), model.left], [Path.MOVETO, Path.LINETO, Path.LINETO])
    _arrow(cv, (x_in, y_top), model.left, path=feed, color=ink, gid="arrow_in")
    # the model's k outputs: down to a bus, then one arrow into each prediction
    if horizon > 1:
        _arrow(cv, model.bottom, (x_model, y_bus), head=False, color=ink, gid="bus")
        _arrow(cv, (xs[0], y_bus), (xs[-1], y_bus), head=False, color=ink, gid="bus")
    for p in preds:
        _arrow(cv, (p.x, y_bus) if horizon > 1 else model.bottom, p.top, color=ink, gid="arrow_out")
    return y_model + 0.55 / 2


def multi_step(
    mode: str = "both", length: int = 3, horizon: int = 3, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Forecasting ``horizon`` steps ahead from a window of ``length`` observed values.

    - ``"recursive"``: a one-step model ``f`` predicts ``ŷ_{t+1}``; the window slides by one,
      the prediction joins it (dashed arrow), and ``f`` runs again, ``horizon`` times. From
      the second step on, the model reads its own guesses (green boxes in the window).
    - ``"direct"``: one model ``F`` with ``horizon`` outputs predicts ``ŷ_{t+1} .. ŷ_{t+k}`` at
      once from the observed window only.
    - ``"both"``: the two side by side.

    Args:
        mode: ``"recursive"``, ``"direct"`` or ``"both"``.
        length: ``T``, values per window, 1 to 5.
        horizon: ``k``, steps ahead, 1 to 4.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    mode = _check_choice("mode", mode, ["recursive", "direct", "both"])
    length = _check_int("length", length, 1, 5, _WHY)
    horizon = _check_int("horizon", horizon, 1, 4, _WHY)
    cv = _Canvas(_check_ax(ax))
    width = (length + horizon - 1) * _PITCH
    tops, captions = [], []
    x_direct, bottom = 0.0, -_IO_H / 2
    if mode in ("recursive", "both"):
        top, bottom = _recursive_panel(cv, 0.0, length, horizon)
        tops.append(top)
        captions.append((width / 2, "recursive: one step at a time"))
        x_direct = max(width, 4.6) + 1.6  # room for both panel titles
    if mode in ("direct", "both"):
        y = -(horizon - 1) * 0.675 if tops else 0.0  # level with the middle recursive row
        tops.append(_direct_panel(cv, x_direct, y, length, horizon))
        bottom = min(bottom, y - _IO_H / 2)
        outputs = "1 output" if horizon == 1 else f"{horizon} outputs"
        captions.append((x_direct + width / 2, f"direct: {outputs} at once"))
    y_cap = max(tops) + 0.3
    for x, text in captions:
        _label(cv, x, y_cap, text, size=_FONT, va="bottom", gid="caption")
    left = x_direct if mode == "direct" else 0.0
    right = width if mode == "recursive" else x_direct + width
    key = "blue: observed values; green: predictions"
    if mode != "direct":
        key += "; dashed: a prediction fed back in"
    _caption(cv, (left + right) / 2, bottom - 0.25, key, size=_CAPTION)
    _title(cv, title)
    return cv.finish()
