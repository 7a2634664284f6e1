"""Two-part pictures: the encoder–decoder (both variants), bidirectional RNNs, attention."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.path import Path

from seqkeras.diagrams._base import (
    _CAPTION,
    _CELL_H,
    _DX,
    _IO_H,
    _IO_W,
    _MUTED,
    _SMALL,
    _STEPS_WHY,
    _Y_H,
    _Y_IN,
    _Y_OUT,
    ROLE_COLORS,
    _arrow,
    _box,
    _Canvas,
    _caption,
    _chain,
    _check_ax,
    _check_choice,
    _check_int,
    _check_label,
    _group,
    _label,
    _Node,
    _title,
    _Weights,
)
from seqkeras.diagrams.topologies import _bus


def encoder_decoder(
    variant: str = "init_state",
    in_steps: int = 4,
    out_steps: int = 3,
    *,
    cell_label: str = "RNN",
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Sequence to sequence: an encoder reads ``x_1..x_N`` into a context ``c``, a decoder
    writes ``ŷ_1..ŷ_M`` one step at a time, each output fed back as the next input.

    Variants:

    - ``"init_state"``: ``c`` is the decoder's initial state ``h'_0``;
    - ``"every_step"``: ``c`` is an extra input to every decoder step (the decoder starts
      from ``h'_0``, zeros or a transform of ``c``).

    The decoder's first input is a ``<start>`` token; after that its input at step t is its
    own previous output ``ŷ_{t-1}`` (autoregressive decoding; in training, teacher forcing
    feeds the true ``y_{t-1}`` instead).

    Args:
        variant: ``"init_state"`` or ``"every_step"``.
        in_steps: N, encoder steps, 1 to 8.
        out_steps: M, decoder steps, 1 to 8 (in_steps + out_steps at most 10).
        cell_label: the cell type written in every box.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    variant = _check_choice("variant", variant, ["init_state", "every_step"])
    n = _check_int("in_steps", in_steps, 1, 8, _STEPS_WHY)
    m = _check_int("out_steps", out_steps, 1, 8, _STEPS_WHY)
    if n + m > 10:
        raise ValueError(f"in_steps + out_steps must be at most 10, got {n} + {m}. " + _STEPS_WHY)
    cell_label = _check_label(cell_label)
    cv = _Canvas(_check_ax(ax))
    w = _Weights(True, False)
    enc = _chain(
        cv,
        0.0,
        n,
        start="$h_0$",
        inputs=[f"$x_{{{t}}}$" for t in range(1, n + 1)],
        outputs=[None] * n,
        cell_label=cell_label,
        state="$h_{{{t}}}$",
        weights=w,
    )
    xc = enc[-1].x + _DX
    dec_in = ["<start>"] + [f"$\\hat y_{{{t}}}$" for t in range(1, m)]
    dec_out = [f"$\\hat y_{{{t}}}$" for t in range(1, m + 1)]
    dw = _Weights(True, False, prime=True)
    if variant == "init_state":
        c = _box(cv, xc, _Y_H, r"$\mathbf{c}$", "context", w=_IO_W, h=_IO_H, gid="context")
        _label(cv, xc, _Y_H - _IO_H / 2 - 0.1, "$= h'_0$", size=_CAPTION, va="top", color=_MUTED)
        start: _Node | str = c
    else:
        c = _box(cv, xc, _Y_OUT, r"$\mathbf{c}$", "context", w=_IO_W, h=_IO_H, gid="context")
        start = "$h'_0$"
    _arrow(cv, enc[-1], c)
    dec = _chain(
        cv,
        xc + _DX,
        m,
        start=start,
        inputs=dec_in,
        outputs=dec_out,
        cell_label=cell_label,
        state="$h'_{{{t}}}$",
        weights=dw,
        w_label_at=0.3,
    )
    if variant == "every_step":
        _bus(cv, c, _Y_H + _CELL_H / 2 + 0.28, dec, color=ROLE_COLORS["context"][1], dx=-0.28, gid="arrow_c")
    # feedback: each output becomes the next step's input (an S-curve through the gap)
    for t in range(m - 1):
        x_a, x_b = dec[t].x + _IO_W / 2, dec[t + 1].x - _IO_W / 2
        x_mid = (dec[t].x + dec[t + 1].x) / 2 + 0.2
        path = Path(
            [(x_a, _Y_OUT), (x_mid + 0.1, _Y_OUT), (x_mid - 0.1, _Y_IN), (x_b, _Y_IN)],
            [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4],
        )
        _arrow(cv, dec[t], dec[t + 1], path=path, color=_MUTED, dashed=True, gid="feedback", zorder=1.5)
    lo, hi = _Y_IN - _IO_H / 2 - 0.45, _Y_OUT + _IO_H / 2 + 0.15
    _group(cv, -_DX - 0.55, enc[-1].x + 0.62, lo, hi, "encoder")
    _group(cv, xc + _DX - 0.62, dec[-1].x + 0.62, lo, hi, "decoder")
    note = (
        "the context $\\mathbf{c}$ is the decoder's initial state"
        if variant == "init_state"
        else "the context $\\mathbf{c}$ is an input to every decoder step"
    )
    _caption(
        cv, (dec[-1].x - _DX) / 2, lo - 0.15, note + "; dashed: each output is fed back as the next input"
    )
    _title(cv, title)
    return cv.finish()


def bidirectional(
    steps: int = 4, *, cell_label: str = "RNN", ax: Axes | None = None, title: str | None = None
) -> Figure:
    """A bidirectional RNN: a forward chain (left to right) and a backward chain (right to
    left) read the same inputs; each output ``y_t`` merges both states at step t.

    Args:
        steps: time steps T, 1 to 6.
        cell_label: the cell type written in every box.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    T = _check_int("steps", steps, 1, 6, _STEPS_WHY)
    cell_label = _check_label(cell_label)
    cv = _Canvas(_check_ax(ax))
    dx = _DX * 1.3
    y_f, y_b, y_o = 1.6, 3.05, 4.65
    off = 0.45
    fwd, bwd = [], []
    for i in range(T):
        x = i * dx
        xb = _box(cv, x, _Y_IN, f"$x_{{{i + 1}}}$", "input", w=_IO_W, h=_IO_H)
        f = _box(
            cv,
            x - off,
            y_f,
            f"$\\overrightarrow{{h}}_{{{i + 1}}}$",
            "hidden",
            sub=cell_label,
            w=0.86,
            h=0.86,
            gid="cell",
        )
        b = _box(
            cv,
            x + off,
            y_b,
            f"$\\overleftarrow{{h}}_{{{i + 1}}}$",
            "hidden",
            sub=cell_label,
            w=0.86,
            h=0.86,
            gid="cell",
        )
        yb = _box(cv, x, y_o, f"$\\hat y_{{{i + 1}}}$", "output", w=_IO_W, h=_IO_H)
        # straight lines between centres pass beside the other chain's box (offset ±off)
        _arrow(cv, xb, f)
        _arrow(cv, xb, b, halo=True)
        _arrow(cv, f, yb, halo=True, zorder=2.5)
        _arrow(cv, b, yb)
        fwd.append(f)
        bwd.append(b)
    f0 = _box(
        cv, -dx - off, y_f, r"$\overrightarrow{h}_0$", "hidden", w=_IO_W, h=_IO_H, dashed=True, gid="initial"
    )
    bT = _box(
        cv,
        T * dx + off,
        y_b,
        f"$\\overleftarrow{{h}}_{{{T + 1}}}$",
        "hidden",
        w=_IO_W,
        h=_IO_H,
        dashed=True,
        gid="initial",
    )
    for a, b in zip([f0] + fwd[:-1], fwd):
        _arrow(cv, a, b, r"$\overrightarrow{W}$")
    for a, b in zip([bT] + bwd[::-1][:-1], bwd[::-1]):
        _arrow(cv, a, b, r"$\overleftarrow{W}$", side="right")
    _label(cv, -dx - off - 0.5, y_f, "forward", size=_SMALL, color=_MUTED, ha="right")
    _label(cv, T * dx + off + 0.5, y_b, "backward", size=_SMALL, color=_MUTED, ha="left")
    _caption(
        cv,
        (T - 1) * dx / 2,
        _Y_IN - 0.55,
        r"$\hat y_t = g([\,\overrightarrow{h}_t,\ \overleftarrow{h}_t\,]\,V + c)$"
        "   both directions, merged at every step",
    )
    _title(cv, title)
    return cv.finish()


def attention(
    in_steps: int = 4,
    out_steps: int = 3,
    *,
    alpha: Sequence[Sequence[float]] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Attention: every decoder step i gets its own context ``c_i = Σ_j α_ij h_j``.

    Each line from an encoder state ``h_j`` to a context ``c_i`` is as thick as its weight
    ``α_ij`` (the weights of one ``c_i`` sum to 1).

    Args:
        in_steps: N, encoder steps, 1 to 8.
        out_steps: M, decoder steps, 1 to 6.
        alpha: optional ``(out_steps, in_steps)`` attention weights, rows summing to 1;
            by default a made-up alignment that focuses near the matching position.
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    n = _check_int("in_steps", in_steps, 1, 8, _STEPS_WHY)
    m = _check_int("out_steps", out_steps, 1, 6, _STEPS_WHY)
    alpha = _attention_weights(n, m, alpha)
    cv = _Canvas(_check_ax(ax))
    w = _Weights(True, False)
    enc = _chain(
        cv,
        0.0,
        n,
        start=None,
        inputs=[f"$x_{{{t}}}$" for t in range(1, n + 1)],
        outputs=[None] * n,
        cell_label="",
        state="$h_{{{t}}}$",
        weights=w,
    )
    y_c, y_d, y_y = 3.6, 5.0, 6.5
    span = (n - 1) * _DX
    dxd = _DX * 1.25
    xs = [span / 2 + (i - (m - 1) / 2) * dxd for i in range(m)]
    ctx = [
        _box(cv, x, y_c, f"$c_{{{i + 1}}}$", "context", w=_IO_W, h=_IO_H, gid="context")
        for i, x in enumerate(xs)
    ]
    for i, c in enumerate(ctx):
        for j, h in enumerate(enc):
            _arrow(
                cv,
                h,
                c,
                color=ROLE_COLORS["context"][1],
                width=0.3 + 6 * alpha[i][j],
                head=False,
                gid="attention",
                zorder=1,
            )
    prev: _Node | None = None
    for i, x in enumerate(xs):
        d = _box(cv, x, y_d, f"$h'_{{{i + 1}}}$", "hidden", w=_IO_W * 1.1, h=_IO_H * 1.2, gid="cell")
        yb = _box(cv, x, y_y, f"$\\hat y_{{{i + 1}}}$", "output", w=_IO_W, h=_IO_H)
        _arrow(cv, ctx[i], d)
        _arrow(cv, d, yb)
        if prev is not None:
            _arrow(cv, prev, d, "$W'$")
        prev = d
    _label(cv, span + 0.8, _Y_H, "encoder", size=_SMALL, color=_MUTED, ha="left")
    _label(cv, xs[-1] + 0.8, y_d, "decoder", size=_SMALL, color=_MUTED, ha="left")
    _caption(
        cv,
        span / 2,
        _Y_IN - 0.5,
        r"$c_i = \sum_j \alpha_{ij} h_j$  (line width $\propto \alpha_{ij}$; "
        r"each $c_i$ weighs all of $h_1 \ldots h_N$ differently)",
        size=_SMALL,
    )
    _title(cv, title)
    return cv.finish()


def _attention_weights(n: int, m: int, alpha: Any) -> list[list[float]]:
    """The given ``(m, n)`` weights, checked, or a made-up alignment near the diagonal."""
    if alpha is None:
        import math

        rows = []
        for i in range(m):
            centre = i * (n - 1) / max(1, m - 1) if m > 1 else (n - 1) / 2
            r = [math.exp(-((j - centre) ** 2) / 0.8) for j in range(n)]
            s = sum(r)
            rows.append([v / s for v in r])
        return rows
    rows = [list(map(float, r)) for r in alpha]
    if len(rows) != m or any(len(r) != n for r in rows):
        raise ValueError(
            f"alpha must have shape (out_steps, in_steps) = ({m}, {n}), got "
            f"{len(rows)} rows of lengths {[len(r) for r in rows]}."
        )
    for i, r in enumerate(rows):
        if any(v < 0 for v in r) or abs(sum(r) - 1) > 1e-3:
            raise ValueError(
                f"row {i} of alpha must be non-negative and sum to 1 (a "
                f"softmax), got {r}; normalise it with r / r.sum()."
            )
    return rows
