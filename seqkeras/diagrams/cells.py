"""Pictures of one layer and one cell: the dense layer, the RNN cell, the rolled view."""

from __future__ import annotations

import re

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from seqkeras.diagrams._base import (
    _FONT,
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
    _check_int,
    _check_label,
    _fn_tex,
    _label,
    _rolled_part,
    _title,
    _Weights,
)


def dense_layer(
    n_in: int = 3, n_out: int = 2, activation: str = "f", *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """One dense layer: every input connected to every output, ``y = f(Wx + b)``.

    Inputs ``x_1..x_n_in`` are circles at the bottom, outputs ``y_1..y_n_out`` at the top;
    each line is one entry of ``W`` (shape ``(n_out, n_in)`` in the textbook form, stored
    as ``(n_in, n_out)`` by Keras), and the bias ``b`` adds one number to each output.

    Args:
        n_in: number of inputs, 1 to 8.
        n_out: number of outputs, 1 to 8.
        activation: the activation's name, e.g. ``"f"``, ``"tanh"``, ``"softmax"``.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    _check_int("n_in", n_in, 1, 8, "Draw a few inputs; the picture is the same for more.")
    _check_int("n_out", n_out, 1, 8, "Draw a few outputs; the picture is the same for more.")
    if not isinstance(activation, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,11}", activation):
        raise ValueError(
            f"activation must be a short name made of letters, digits and _, "
            f"such as 'f', 'tanh' or 'relu'; got {activation!r}."
        )
    cv = _Canvas(_check_ax(ax))
    gap, r = 1.15, 0.62
    y_in, y_out = 0.0, 2.6
    width = max(n_in, n_out) - 1
    xs_in = [(width - (n_in - 1)) * gap / 2 + i * gap for i in range(n_in)]
    xs_out = [(width - (n_out - 1)) * gap / 2 + j * gap for j in range(n_out)]
    ins = [_box(cv, x, y_in, f"$x_{{{i + 1}}}$", "input", w=r, h=r, round=True) for i, x in enumerate(xs_in)]
    outs = [
        _box(cv, x, y_out, f"$y_{{{j + 1}}}$", "output", w=r, h=r, round=True) for j, x in enumerate(xs_out)
    ]
    right = max(xs_in[-1], xs_out[-1])
    bias = _box(cv, right + gap, y_in, "$b$", "bias", w=r * 0.8, h=r * 0.8, round=True, gid="bias")
    for o in outs:
        for node in ins:
            _arrow(cv, node, o, color="#8A8A8A", width=0.8, gid="arrow_W")
        _arrow(cv, bias, o, color="#B0B0B0", width=0.8, dashed=True, gid="arrow_b")
    left = min(xs_in[0], xs_out[0])
    mid = (y_in + y_out) / 2
    x_w = (xs_in[0] + xs_out[0]) / 2 - 0.3  # beside the leftmost line, half way up
    _label(cv, x_w, mid + 0.14, "$W$", size=_FONT, ha="right", gid="weight")
    _label(cv, x_w, mid - 0.2, f"{n_in * n_out} weights", size=_SMALL, color=_MUTED, ha="right")
    _label(cv, bias.x + 0.35, y_in, "bias", size=_SMALL, color=_MUTED, ha="left")
    eq = "$y = " + _fn_tex(activation) + "(Wx + b)$"
    _caption(cv, (left + right + gap) / 2, y_in - 0.6, eq, size=_FONT)
    _title(cv, title)
    return cv.finish()


def rnn_cell(show_output: bool = True, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """The inside of one vanilla RNN cell at step t.

    ``x_t`` goes through ``U`` and ``h_{t-1}`` through ``W``; their sum plus ``b`` goes
    through ``tanh`` to give ``h_t``, which leaves to the right (to step t+1) and upwards,
    where ``V``, ``+ c`` and softmax turn it into the output ``ŷ_t``.

    Args:
        show_output: also draw the output path (V, c, softmax, ŷ_t).
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    _check_bool("show_output", show_output)
    cv = _Canvas(_check_ax(ax))
    y_s = 1.7  # the state path
    x_plus, x_tanh, x_split = 2.4, 3.75, 5.15
    top = 5.05 if show_output else 3.0
    # the cell's outline, behind everything
    frame = FancyBboxPatch(
        (1.25, 0.75),
        4.75,
        top - 0.75,
        boxstyle="round,pad=0,rounding_size=0.25",
        facecolor="#FFF8EC",
        edgecolor=ROLE_COLORS["hidden"][1],
        linestyle=(0, (5, 3)),
        zorder=0,
        gid="frame",
    )
    cv.ax.add_patch(frame)
    cv.grow(1.25, 0.75, 6.0, top)
    _label(cv, 5.88, 0.85, "RNN cell", size=_SMALL, color=ROLE_COLORS["hidden"][1], ha="right", va="bottom")

    h_prev = _box(cv, 0.2, y_s, "$h_{t-1}$", "hidden", w=0.95, h=_IO_H, gid="state")
    x_t = _box(cv, x_plus, -0.15, "$x_t$", "input", w=_IO_W, h=_IO_H)
    plus = _box(cv, x_plus, y_s, "$+$", "op", w=0.46, h=0.46, round=True, gid="op")
    b = _box(cv, x_plus - 0.8, y_s + 0.85, "$b$", "bias", w=0.4, h=0.4, round=True, gid="bias")
    tanh = _box(cv, x_tanh, y_s, r"$\tanh$", "op", w=0.9, h=0.5, gid="op", size=_WEIGHT)
    split = (x_split, y_s)
    h_next = _box(cv, 7.1, y_s, "$h_t$", "hidden", w=_IO_W, h=_IO_H, gid="state")
    _arrow(cv, h_prev, plus, "$W$", label_at=0.72)
    _arrow(cv, x_t, plus, "$U$", side="right", label_at=0.78)
    _arrow(cv, b, plus)
    _arrow(cv, plus, tanh)
    _arrow(cv, tanh, split, head=False)
    _arrow(cv, split, h_next, "to step $t{+}1$", label_at=0.55, side="right", label_gap=0.12)
    dot = Circle(split, 0.06, color=_INK, zorder=4)
    cv.ax.add_patch(dot)
    _label(cv, x_split - 0.12, y_s - 0.2, "$h_t$", size=_WEIGHT, ha="right", va="top")
    if show_output:
        plus2 = _box(cv, x_split, 3.0, "$+$", "op", w=0.46, h=0.46, round=True, gid="op")
        c = _box(cv, x_split - 0.85, 3.0, "$c$", "bias", w=0.4, h=0.4, round=True, gid="bias")
        soft = _box(cv, x_split, 4.15, r"$\mathrm{softmax}$", "op", w=1.45, h=0.5, gid="op", size=_WEIGHT)
        y_t = _box(cv, x_split, 5.7, r"$\hat y_t$", "output", w=_IO_W, h=_IO_H)
        _arrow(cv, split, plus2, "$V$", side="right")
        _arrow(cv, c, plus2)
        _arrow(cv, plus2, soft)
        _arrow(cv, soft, y_t)
        eq2 = r"$\hat y_t = \mathrm{softmax}(h_t V + c)$"
    else:
        up = _box(cv, x_split, 3.7, "$h_t$", "hidden", w=_IO_W, h=_IO_H, gid="state")
        _arrow(cv, split, up)
        _label(cv, x_split + 0.5, 3.7, "to the output\nor next layer", size=_SMALL, color=_MUTED, ha="left")
        eq2 = ""
    eq = r"$h_t = \tanh(x_t U + h_{t-1} W + b)$"
    _caption(cv, 3.6, -0.7, eq)
    if eq2:
        _caption(cv, 3.6, -1.15, eq2)
    _title(cv, title)
    return cv.finish()


def rolled(
    *,
    cell_label: str = "RNN",
    weights: bool = True,
    highlight_shared: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The compact ("rolled") picture: one cell, ``x_t`` in, ``ŷ_t`` out, a loop labelled W.

    The loop says that the cell's state ``h_t`` is fed back in at the next step through
    the recurrent weight ``W``. Compare with :func:`unrolled` (``show_rolled=True`` draws
    both, with an "unroll" arrow between them).

    Args:
        cell_label: the cell type written in the box, e.g. ``"RNN"``, ``"LSTM"``; ``""`` for none.
        weights: write the weight names U, W, V on the arrows.
        highlight_shared: colour U, W, V as in :data:`WEIGHT_COLORS`.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    w = _Weights(_check_bool("weights", weights), _check_bool("highlight_shared", highlight_shared))
    cv = _Canvas(_check_ax(ax))
    _rolled_part(cv, 0.0, _check_label(cell_label), w)
    _title(cv, title)
    return cv.finish()
