"""Unrolled chains and the topologies of lesson 02 (N vs N, N vs 1, 1 vs N, N vs M)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

from seqkeras.diagrams._base import (
    _CAPTION,
    _DX,
    _INK,
    _IO_H,
    _IO_W,
    _MAX_STEPS,
    _MAX_W,
    _MUTED,
    _PREF,
    _STEPS_WHY,
    _Y_H,
    _Y_IN,
    _Y_OUT,
    TOPOLOGIES,
    _arrow,
    _box,
    _Canvas,
    _chain,
    _check_ax,
    _check_bool,
    _check_choice,
    _check_int,
    _check_label,
    _group,
    _label,
    _legend_shared,
    _Node,
    _rolled_part,
    _title,
    _Weights,
)


def unrolled(
    topology: str = "n_to_n",
    steps: int = 4,
    *,
    in_steps: int | None = None,
    out_steps: int | None = None,
    cell_label: str = "RNN",
    weights: bool = True,
    highlight_shared: bool = False,
    show_rolled: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """A recurrent network unrolled in time: one box per step, in one of five topologies.

    Topologies (see :data:`TOPOLOGIES`):

    - ``"n_to_n"``: ``x_1..x_T`` in, ``y_1..y_T`` out (per-step labels, next character);
    - ``"n_to_1"``: ``x_1..x_T`` in, one ``y`` from the last state (classification);
    - ``"1_to_n"``: one ``x`` at the first step, ``y_1..y_T`` out (captioning);
    - ``"1_to_n_every_step"``: the same ``x`` fed to every step, ``y_1..y_T`` out;
    - ``"n_to_m"``: an encoder (weights U, W) reads ``x_1..x_N`` into a context **c**, which
      starts a decoder with weights of its own (U', W', V') that reads ``x'_1..x'_M`` and
      writes ``y_1..y_M`` (``in_steps=N``, ``out_steps=M``).

    Args:
        topology: one of the names above.
        steps: number of time steps T, 1 to 12 (for ``"n_to_m"``: the default N).
        in_steps: N for ``"n_to_m"`` (default ``steps``), 1 to 12.
        out_steps: M for ``"n_to_m"`` (default ``steps - 1``, at least 1), 1 to 12;
            in_steps + out_steps at most 12.
        cell_label: the cell type written in every box (``"RNN"``, ``"LSTM"``, ``"GRU"``, ``""``).
        weights: write the weight names U, W, V on the arrows.
        highlight_shared: colour each weight's arrows and labels (U, W, V each its own
            colour, with a key) to show they are the same matrices at every step.
        show_rolled: also draw the rolled picture on the left, with an "unroll" arrow.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    topology = _check_choice("topology", topology, list(TOPOLOGIES))
    _check_int("steps", steps, 1, _MAX_STEPS, _STEPS_WHY)
    if topology == "n_to_m":
        n = _check_int("in_steps", steps if in_steps is None else in_steps, 1, _MAX_STEPS, _STEPS_WHY)
        m = _check_int(
            "out_steps", max(1, steps - 1) if out_steps is None else out_steps, 1, _MAX_STEPS, _STEPS_WHY
        )
        if n + m > 12:
            raise ValueError(f"in_steps + out_steps must be at most 12, got {n} + {m}. " + _STEPS_WHY)
    elif in_steps is not None or out_steps is not None:
        raise ValueError(
            f"in_steps and out_steps apply to topology 'n_to_m' only; for "
            f"{topology!r} give the number of steps as steps=."
        )
    _check_bool("weights", weights)
    _check_bool("highlight_shared", highlight_shared)
    _check_bool("show_rolled", show_rolled)
    cell_label = _check_label(cell_label)
    cv = _Canvas(_check_ax(ax))
    w = _Weights(weights, highlight_shared)
    x0 = 0.0
    if show_rolled:
        _rolled_part(cv, 0.0, cell_label, w)
        a0, a1 = 2.0, 3.45  # the "unroll" arrow, between the loop and h_0
        ua = FancyArrowPatch(
            (a0, _Y_H),
            (a1, _Y_H),
            arrowstyle="simple",
            mutation_scale=30,
            facecolor="#C8C8C8",
            edgecolor="none",
            zorder=1,
            gid="unroll",
        )
        cv.ax.add_patch(ua)
        cv.on_scale(lambda ppu: ua.set_mutation_scale(30 * ppu / (_PREF * 72)))
        _label(cv, (a0 + a1) / 2, _Y_H + 0.3, "unroll", size=_CAPTION, color=_MUTED, va="bottom")
        x0 = a1 + 0.6 + _DX

    if topology == "n_to_m":
        _draw_n_to_m(cv, x0, n, m, cell_label, w)
    else:
        _draw_topology(cv, x0, topology, steps, cell_label, w)
    if highlight_shared:
        _legend_shared(cv, ["U", "W", "U'", "W'", "V'"] if topology == "n_to_m" else ["U", "W", "V"])
    _title(cv, title)
    return cv.finish()


def _bus(
    cv: _Canvas,
    src: _Node,
    y: float,
    cells: Sequence[_Node],
    *,
    label: str = "",
    color: str = _INK,
    dx: float = 0.0,
    gid: str = "arrow_U",
) -> None:
    """Feed one vector to every cell: a line along height ``y`` and an arrow to each cell.

    The line starts at ``src`` (beside it if ``src`` sits on the line, else straight down or
    up from it); each arrow leaves the line at ``cell.x + dx``.
    """
    if abs(src.y - y) < 1e-9:
        start = src.right
    else:
        start = (src.x, y)
        _arrow(cv, src.bottom if src.y > y else src.top, start, head=False, color=color, gid="bus")
    _arrow(cv, start, (cells[-1].x + dx, y), head=False, color=color, gid="bus", zorder=1)
    for cell in cells:
        edge = cell.bottom if y < cell.y else cell.top
        _arrow(cv, (cell.x + dx, y), (cell.x + dx, edge[1]), label, side="right", color=color, gid=gid)
        cv.ax.add_patch(Circle((cell.x + dx, y), 0.05, color=color, zorder=4))


def _draw_n_to_m(cv: _Canvas, x0: float, n: int, m: int, cell_label: str, w: _Weights) -> None:
    """Encoder (N steps, weights U, W) → context c (the decoder's initial state) → decoder
    (M steps, inputs x'_t, weights U', W', V')."""
    enc = _chain(
        cv,
        x0,
        n,
        start="$h_0$",
        inputs=[f"$x_{{{t}}}$" for t in range(1, n + 1)],
        outputs=[None] * n,
        cell_label=cell_label,
        state="$h_{{{t}}}$",
        weights=w,
    )
    xc = enc[-1].x + _DX
    c = _box(cv, xc, _Y_H, r"$\mathbf{c}$", "context", w=_IO_W, h=_IO_H, gid="context")
    _arrow(cv, enc[-1], c)
    dec_w = _Weights(w.show, w.highlight, prime=True)
    dec = _chain(
        cv,
        xc + _DX,
        m,
        start=c,
        inputs=[f"$x'_{{{t}}}$" for t in range(1, m + 1)],
        outputs=[f"$\\hat y_{{{t}}}$" for t in range(1, m + 1)],
        cell_label=cell_label,
        state="$h'_{{{t}}}$",
        weights=dec_w,
    )
    lo, hi = _Y_IN - _IO_H / 2 - 0.45, _Y_OUT + _IO_H / 2 + 0.15
    _group(cv, x0 - _DX - 0.55, enc[-1].x + 0.62, lo, hi, "encoder")
    _group(cv, xc + _DX - 0.62, dec[-1].x + 0.62, lo, hi, "decoder")


def topologies(steps: int = 4) -> Figure:
    """The four topologies side by side, titled: N vs N, N vs 1, 1 vs N (both ways), N vs M.

    Args:
        steps: time steps per panel, 1 to 8 (N vs M uses N = steps, M = steps - 1).

    Returns:
        The figure.
    """
    _check_int("steps", steps, 1, 8, "Four panels side by side need short chains.")
    panels = [
        ("n_to_n", "N vs N: an output at every step"),
        ("n_to_1", "N vs 1: one output for the sequence"),
        ("1_to_n", "1 vs N: one input at the first step"),
        ("1_to_n_every_step", "1 vs N: the same input at every step"),
        ("n_to_m", "N vs M: encoder → context → decoder"),
    ]
    fig = plt.figure(figsize=(_MAX_W, 7))
    canvases = []
    for topo, name in panels:
        ax = fig.add_axes((0, 0, 0.1, 0.1))
        cv = _Canvas(ax)
        canvases.append(cv)
        if topo == "n_to_m":
            _draw_n_to_m(cv, 0.0, steps, max(1, steps - 1), "RNN", _Weights())
        else:
            _draw_topology(cv, 0.0, topo, steps, "RNN", _Weights())
        _title(cv, name)
    # rows: two panels, two panels, one wide panel; one scale for all of them
    rows = [canvases[0:2], canvases[2:4], canvases[4:5]]
    gap, vgap = 0.9, 0.45
    ext = {id(cv): cv.extent() for cv in canvases}
    size = {k: (e[2] - e[0], e[3] - e[1]) for k, e in ext.items()}
    row_w = [sum(size[id(cv)][0] for cv in row) + gap * (len(row) - 1) for row in rows]
    row_h = [max(size[id(cv)][1] for cv in row) for row in rows]
    s = min(_PREF, _MAX_W / max(row_w), 10.0 / (sum(row_h) + vgap * (len(rows) - 1)))
    W = max(row_w) * s
    H = (sum(row_h) + vgap * (len(rows) - 1)) * s
    fig.set_size_inches(W, H)
    y = H
    for row, rh in zip(rows, row_h):
        y -= rh * s
        x = (W - (sum(size[id(cv)][0] for cv in row) + gap * (len(row) - 1)) * s) / 2
        for cv in row:
            pw, ph = size[id(cv)]
            cv.ax.set_position((x / W, (y + (rh - ph) * s) / H, pw * s / W, ph * s / H))
            x += (pw + gap) * s
        y -= vgap * s
    for cv in canvases:
        cv.finish(max_scale=s)
    plt.close(fig)
    return fig


def _draw_topology(cv: _Canvas, x0: float, topology: str, steps: int, cell_label: str, w: _Weights) -> None:
    """Draw one of the single-chain topologies (all but n_to_m), first cell at x0."""
    T = steps
    every = [f"$x_{{{t}}}$" for t in range(1, T + 1)]
    ins: list[str | None] = {
        "n_to_n": every,
        "n_to_1": every,
        "1_to_n": ["$x$"] + [None] * (T - 1),
        "1_to_n_every_step": [None] * T,
    }[topology]
    outs: list[str | None] = (
        [None] * (T - 1) + [r"$\hat y$"]
        if topology == "n_to_1"
        else [f"$\\hat y_{{{t}}}$" for t in range(1, T + 1)]
    )
    cells = _chain(
        cv,
        x0,
        T,
        start="$h_0$",
        inputs=ins,
        outputs=outs,
        cell_label=cell_label,
        state="$h_{{{t}}}$",
        weights=w,
    )
    if topology == "1_to_n_every_step":
        src = _box(cv, x0 - _DX, _Y_IN, "$x$", "input", w=_IO_W, h=_IO_H)
        _bus(cv, src, _Y_IN, cells, label=w.text("U"), color=w.color("U"))
