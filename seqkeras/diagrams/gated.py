"""Pictures of the gated cells of lesson 04: the LSTM and the GRU, inside one step.

They extend :func:`seqkeras.diagrams.rnn_cell`'s picture: the same dashed frame, an input
``x_t`` from below, the states entering on the left and leaving on the right, grey boxes for
operations. A gate is a grey box with its activation (σ or tanh) and its name; the arrow
that leaves it carries the gate's value (``f_t``, ``i_t`` ...). Circles are element-wise
operations: ``×`` (⊙) and ``+``. The gates read the previous state and the input together,
along one line (the "bus") at the bottom of the frame; each gate has its own weights, named
in the equations under the picture.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch
from matplotlib.path import Path

from seqkeras.diagrams._base import (
    _INK,
    _IO_H,
    _IO_W,
    _MUTED,
    _SMALL,
    _WEIGHT,
    ROLE_COLORS,
    _arrow,
    _box,
    _Canvas,
    _caption,
    _check_ax,
    _check_bool,
    _label,
    _Node,
    _title,
)

__all__ = ["gru_cell", "lstm_cell"]

_GATE_W, _GATE_H = 1.05, 0.78  # a gate box: activation + name
_OP = 0.42  # an element-wise operation (circle)
_STATE_W = 0.95  # a state box entering or leaving the cell


def _frame(cv: _Canvas, x0: float, y0: float, x1: float, y1: float, name: str) -> None:
    """The cell's dashed outline (as in ``rnn_cell``), its name in the top-left corner."""
    frame = FancyBboxPatch(
        (x0, y0),
        x1 - x0,
        y1 - y0,
        boxstyle="round,pad=0,rounding_size=0.25",
        facecolor="#FFF8EC",
        edgecolor=ROLE_COLORS["hidden"][1],
        linestyle=(0, (5, 3)),
        zorder=0,
        gid="frame",
    )
    cv.ax.add_patch(frame)
    cv.grow(x0, y0, x1, y1)
    _label(cv, x0 + 0.12, y1 - 0.08, name, size=_SMALL, color=ROLE_COLORS["hidden"][1], ha="left", va="top")


def _gate(cv: _Canvas, x: float, y: float, activation: str, name: str) -> _Node:
    """A gate: a grey box with its activation, and its role in small letters above."""
    text = r"$\sigma$" if activation == "sigmoid" else r"$\tanh$"
    return _box(cv, x, y, text, "op", w=_GATE_W, h=_GATE_H, sub=name, size=_WEIGHT, gid="gate")


def _op(cv: _Canvas, x: float, y: float, symbol: str) -> _Node:
    """An element-wise operation: ``×`` (⊙), ``+`` or ``1-``, in a small grey circle."""
    text = {"x": r"$\times$", "+": "$+$", "1-": "$1{-}$"}[symbol]
    return _box(cv, x, y, text, "op", w=_OP, h=_OP, round=True, gid="op", size=_WEIGHT * 0.9)


def _dot(cv: _Canvas, x: float, y: float) -> tuple[float, float]:
    """A junction where a line splits in two; returns the point."""
    cv.ax.add_patch(Circle((x, y), 0.055, color=_INK, zorder=4))
    return x, y


def _elbow(
    cv: _Canvas,
    points: list[tuple[float, float]],
    label: str = "",
    *,
    label_xy=None,
    ha: str = "left",
    va: str = "center",
    gid: str = "arrow",
    halo: bool = False,
    head: bool = True,
) -> None:
    """An arrow along straight segments through ``points`` (for lines that turn a corner)."""
    path = Path(points, [Path.MOVETO] + [Path.LINETO] * (len(points) - 1))
    _arrow(cv, points[0], points[-1], path=path, gid=gid, halo=halo, head=head)
    if label:
        x, y = label_xy
        _label(cv, x, y, label, ha=ha, va=va, gid="gate_value")


def lstm_cell(*, ax: Axes | None = None, title: str | None = None) -> Figure:
    """The inside of one LSTM cell at step t.

    The **cell state** ``C`` runs along the top: it is multiplied by the forget gate ``f_t``
    and gets ``i_t ⊙ C̃_t`` added, with no matrix product and no squashing on the way, which
    is why information (and gradient) can travel along it for many steps. Below it, the four
    gates read ``h_{t-1}`` and ``x_t``: forget ``f`` (σ), input ``i`` (σ), candidate ``C̃``
    (tanh) and output ``o`` (σ). The new hidden state is ``h_t = o_t ⊙ tanh(C_t)``; it leaves
    to the right (to step t+1) and upwards (to the output or the next layer).

    Keras stores the four gates' weights side by side in the order i, f, C̃, o; the picture
    draws them in the order they act on the cell state (f first).

    Args:
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    cv = _Canvas(_check_ax(ax))
    y_c, y_bus, y_g = 4.1, 0.95, 2.05  # cell-state line, input bus, gates
    x_f, x_i, x_c, x_o, x_th = 2.35, 3.6, 4.85, 6.1, 7.35
    x_end = 8.35
    _frame(cv, 1.2, 0.5, x_end + 0.2, 4.55, "LSTM cell")

    C_prev = _box(cv, 0.2, y_c, "$C_{t-1}$", "hidden", w=_STATE_W, h=_IO_H, gid="state")
    h_prev = _box(cv, 0.2, y_bus, "$h_{t-1}$", "hidden", w=_STATE_W, h=_IO_H, gid="state")
    x_t = _box(cv, 1.75, -0.45, "$x_t$", "input", w=_IO_W, h=_IO_H)
    C_next = _box(cv, x_end + 1.25, y_c, "$C_t$", "hidden", w=_STATE_W, h=_IO_H, gid="state")
    h_next = _box(cv, x_end + 1.25, y_bus, "$h_t$", "hidden", w=_STATE_W, h=_IO_H, gid="state")

    # the bus: h_{t-1} and x_t together feed every gate
    _arrow(cv, h_prev, (x_o, y_bus), head=False)
    _arrow(cv, x_t, (1.75, y_bus), head=False)
    _dot(cv, 1.75, y_bus)
    gates = {}
    for x, act, name in (
        (x_f, "sigmoid", "forget"),
        (x_i, "sigmoid", "input"),
        (x_c, "tanh", "candidate"),
        (x_o, "sigmoid", "output"),
    ):
        _dot(cv, x, y_bus) if x != x_o else None
        _arrow(cv, (x, y_bus), (x, y_g - _GATE_H / 2), gid="arrow_gate")
        gates[name] = _gate(cv, x, y_g, act, name)

    # the cell state: C_{t-1} -> x f -> + i*C~ -> C_t
    times_f = _op(cv, x_f, y_c, "x")
    plus = _op(cv, x_c, y_c, "+")
    _arrow(cv, C_prev, times_f)
    _arrow(cv, times_f, plus)
    _arrow(cv, plus, C_next, gid="arrow_C")
    _arrow(cv, gates["forget"], times_f, gid="gate_f")
    _label(cv, x_f + 0.1, (y_g + y_c) / 2 + 0.05, "$f_t$", ha="left", gid="gate_value")

    # input gate times candidate, added to the cell state
    times_i = _op(cv, x_c, 3.2, "x")
    _elbow(
        cv,
        [(x_i, y_g + _GATE_H / 2), (x_i, 3.2), (x_c - _OP / 2, 3.2)],
        "$i_t$",
        label_xy=(x_i + 0.1, 2.88),
        gid="gate_i",
    )
    _arrow(cv, gates["candidate"], times_i, gid="gate_c")
    _label(cv, x_c + 0.1, 2.74, r"$\tilde C_t$", ha="left", gid="gate_value")
    _arrow(cv, times_i, plus)

    # output: h_t = o_t * tanh(C_t)
    _dot(cv, x_th, y_c)
    squash = _box(cv, x_th, 3.2, r"$\tanh$", "op", w=0.8, h=0.46, gid="op", size=_WEIGHT)
    times_o = _op(cv, x_th, y_g, "x")
    _arrow(cv, (x_th, y_c), squash)
    _arrow(cv, squash, times_o)
    _arrow(cv, gates["output"], times_o, gid="gate_o")
    _label(cv, (x_o + x_th) / 2 + 0.05, y_g + 0.12, "$o_t$", va="bottom", gid="gate_value")
    split = _dot(cv, x_th, y_bus)
    _arrow(cv, times_o, split, head=False)
    _arrow(cv, split, h_next, "to step $t{+}1$", side="right", label_at=0.62, label_gap=0.12)
    up = _box(cv, x_end + 1.25, 5.2, "$h_t$", "hidden", w=_STATE_W, h=_IO_H, gid="state")
    _elbow(cv, [(x_end - 0.45, y_bus), (x_end - 0.45, 5.2), (up.x - _STATE_W / 2, 5.2)], halo=True)
    _dot(cv, x_end - 0.45, y_bus)
    _label(
        cv,
        up.x,
        5.2 + _IO_H / 2 + 0.08,
        "to the output or next layer",
        size=_SMALL,
        color=_MUTED,
        va="bottom",
    )

    y = -1.05
    for line in (
        (
            r"$f_t = \sigma(x_t U_f + h_{t-1} W_f + b_f)$, and the same for $i_t$ and "
            r"$o_t$ with their own weights"
        ),
        r"$\tilde C_t = \tanh(x_t U_c + h_{t-1} W_c + b_c)$",
        (
            r"$C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t$,   "
            r"$h_t = o_t \odot \tanh(C_t)$"
        ),
    ):
        _caption(cv, 4.9, y, line)
        y -= 0.42
    _title(cv, title)
    return cv.finish()


def gru_cell(reset_after: bool = True, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """The inside of one GRU cell at step t.

    There is one state, ``h``, running along the top. The update gate ``z_t`` mixes the old
    state and a candidate: ``h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t``. The reset gate
    ``r_t`` decides how much of the old state the candidate ``h̃_t`` may read.

    Keras has two variants, and the picture draws either: with ``reset_after=True`` (Keras'
    default) the reset gate multiplies ``h_{t-1} W_h`` *after* the matrix product; with
    ``reset_after=False`` (the 2014 paper's form) it multiplies ``h_{t-1}`` *before* it.
    The arrow labelled ``W_h`` is on the matching side of the ``×``.

    Args:
        reset_after: which variant to draw.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    _check_bool("reset_after", reset_after)
    cv = _Canvas(_check_ax(ax))
    y_s, y_bus, y_g, y_mix, y_lane = 4.1, 0.95, 2.05, 3.1, 2.72
    x_r, x_times_r, x_cand, x_z, x_one, x_mix = 2.35, 3.6, 4.85, 6.1, 6.85, 7.6
    x_right = x_mix + 0.8
    _frame(cv, 1.2, 0.5, x_right + 0.15, 4.55, "GRU cell")

    h_prev = _box(cv, 0.2, y_s, "$h_{t-1}$", "hidden", w=_STATE_W, h=_IO_H, gid="state")
    x_t = _box(cv, 1.75, -0.45, "$x_t$", "input", w=_IO_W, h=_IO_H)
    h_next = _box(cv, x_right + 1.25, y_s, "$h_t$", "hidden", w=_STATE_W, h=_IO_H, gid="state")

    # the state along the top, with a branch down to the bus that feeds the gates
    x_branch = 1.5
    _dot(cv, x_branch, y_s)
    _elbow(cv, [(x_branch, y_s), (x_branch, y_bus), (x_z, y_bus)], head=False)
    _arrow(cv, x_t, (1.75, y_bus), head=False)
    _dot(cv, 1.75, y_bus)
    gates = {}
    for x, act, name in (
        (x_r, "sigmoid", "reset"),
        (x_cand, "tanh", "candidate"),
        (x_z, "sigmoid", "update"),
    ):
        if x != x_z:
            _dot(cv, x, y_bus)
        _arrow(cv, (x, y_bus), (x, y_g - _GATE_H / 2), gid="arrow_gate")
        gates[name] = _gate(cv, x, y_g, act, name)
    _label(
        cv, x_cand + 0.1, (y_bus + y_g - _GATE_H / 2) / 2, "$x_t$ only", size=_SMALL, color=_MUTED, ha="left"
    )

    # the candidate reads the old state through the reset gate: r * (h W_h) or (r * h) W_h
    times_r = _op(cv, x_times_r, y_mix, "x")
    _dot(cv, x_times_r, y_s)
    _arrow(
        cv,
        (x_times_r, y_s),
        times_r,
        "$W_h$" if reset_after else "",
        side="right",
        gid="arrow_W_h" if reset_after else "arrow",
    )
    _elbow(
        cv,
        [(x_r, y_g + _GATE_H / 2), (x_r, y_mix), (x_times_r - _OP / 2, y_mix)],
        "$r_t$",
        label_xy=(x_r + 0.1, (y_g + _GATE_H / 2 + y_mix) / 2),
        gid="gate_r",
    )
    _elbow(
        cv,
        [(x_times_r + _OP / 2, y_mix), (x_cand, y_mix), (x_cand, y_g + _GATE_H / 2)],
        gid="arrow" if reset_after else "arrow_W_h",
    )
    if not reset_after:
        _label(cv, (x_times_r + x_cand) / 2 + 0.1, y_mix + 0.08, "$W_h$", va="bottom", gid="weight")

    # the mix: h_t = z * h_{t-1} + (1 - z) * h~
    times_z = _op(cv, x_z, y_s, "x")
    plus = _op(cv, x_mix, y_s, "+")
    one_minus = _op(cv, x_one, y_mix, "1-")
    times_cand = _op(cv, x_mix, y_mix, "x")
    _arrow(cv, h_prev, times_z)
    _arrow(cv, times_z, plus)
    _arrow(cv, plus, h_next, "to step $t{+}1$", side="right", label_at=0.6, label_gap=0.12)
    _elbow(
        cv,
        [
            (x_cand + 0.3, y_g + _GATE_H / 2),
            (x_cand + 0.3, y_lane),
            (x_mix, y_lane),
            (x_mix, y_mix - _OP / 2),
        ],
        r"$\tilde h_t$",
        label_xy=(x_one, y_lane - 0.06),
        va="top",
        ha="center",
        gid="gate_h",
    )
    _arrow(cv, gates["update"], times_z, gid="gate_z", halo=True)
    _label(cv, x_z - 0.1, (y_mix + y_s - _OP / 2) / 2, "$z_t$", ha="right", gid="gate_value")
    _dot(cv, x_z, y_mix)
    _arrow(cv, (x_z, y_mix), one_minus)
    _arrow(cv, one_minus, times_cand)
    _arrow(cv, times_cand, plus)
    up = _box(cv, x_right + 1.25, 5.2, "$h_t$", "hidden", w=_STATE_W, h=_IO_H, gid="state")
    _dot(cv, x_right, y_s)
    _elbow(cv, [(x_right, y_s), (x_right, 5.2), (up.x - _STATE_W / 2, 5.2)])
    _label(
        cv,
        up.x,
        5.2 + _IO_H / 2 + 0.08,
        "to the output or next layer",
        size=_SMALL,
        color=_MUTED,
        va="bottom",
    )

    variant = (
        r"$\tilde h_t = \tanh(x_t U_h + r_t \odot (h_{t-1} W_h + b'_h) + b_h)$   (Keras' "
        "default, reset_after=True)"
        if reset_after
        else r"$\tilde h_t = \tanh(x_t U_h + (r_t \odot h_{t-1}) W_h + b_h)$   "
        "(reset_after=False, the 2014 paper)"
    )
    y = -1.05
    for line in (
        (
            r"$z_t = \sigma(x_t U_z + h_{t-1} W_z + b_z)$,   "
            r"$r_t = \sigma(x_t U_r + h_{t-1} W_r + b_r)$"
        ),
        variant,
        r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$",
    ):
        _caption(cv, 4.9, y, line)
        y -= 0.42
    _title(cv, title)
    return cv.finish()
