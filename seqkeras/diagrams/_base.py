"""The visual language every picture shares: roles and colours, geometry, a canvas that
scales text to the final figure size, boxes, arrows, labels, and chains of recurrent cells.

Private to :mod:`seqkeras.diagrams`; the pictures themselves live in the sibling modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

#: The topologies :func:`unrolled` draws, with what each means.
TOPOLOGIES = {
    "n_to_n": "an input and an output at every step (N vs N)",
    "n_to_1": "an input at every step, one output at the last step (N vs 1)",
    "1_to_n": "one input at the first step, an output at every step (1 vs N)",
    "1_to_n_every_step": "the same single input fed to every step, an output at every step (1 vs N)",
    "n_to_m": "an encoder reads N inputs into a context c, a decoder writes M outputs (N vs M)",
}

#: Fill and edge colour of each role (one colour per role, in every picture).
ROLE_COLORS = {
    "input": ("#DCEAF7", "#2B6CB0"),  # blue: x_t
    "hidden": ("#FDEBC8", "#C26A00"),  # orange: h_t, the recurrent cell
    "output": ("#DDF2DD", "#2F7D32"),  # green: ŷ_t
    "context": ("#EBDDF5", "#7B3FA0"),  # purple: the context c
    "op": ("#F2F2F2", "#555555"),  # grey: +, tanh, softmax
    "bias": ("#FFFFFF", "#777777"),  # white: b, c (biases)
}

#: Colours of the weights when ``highlight_shared=True`` (primed: a decoder's own weights).
WEIGHT_COLORS = {
    "U": "#D1495B",
    "W": "#1F5FAD",
    "V": "#1B8A5A",
    "U'": "#E08214",
    "W'": "#6A51A3",
    "V'": "#01665E",
}

_WEIGHT_ROLES = {
    "U": "input → hidden",
    "W": "hidden → hidden",
    "V": "hidden → output",
    "U'": "decoder input → hidden",
    "W'": "decoder hidden → hidden",
    "V'": "decoder hidden → output",
}

_INK = "#333333"  # arrows and plain labels
_MUTED = "#777777"  # captions, group names

# Geometry, in data units (one unit is about 0.7 inch at the preferred scale).
_DX = 1.7  # distance between two time steps
_Y_IN, _Y_H, _Y_OUT = 0.0, 1.6, 3.2
_CELL_W, _CELL_H = 1.0, 0.74  # a recurrent cell
_IO_W, _IO_H = 0.78, 0.52  # an input or output vector

# Text heights in data units (scaled to points when the figure size is known).
_FONT, _SMALL, _WEIGHT, _TITLE, _CAPTION = 0.25, 0.165, 0.21, 0.26, 0.2

_MIN_PT = 6.0  # no label smaller than this, however small the picture

# Figure size limits (inches) and the preferred scale (inches per data unit).
_MAX_W, _MAX_H, _PREF = 9.5, 7.0, 0.72

_MAX_STEPS = 12


# ----------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------


def _check_int(name: str, value: Any, lo: int, hi: int, why: str = "") -> int:
    """Return ``value`` if it is an int in ``[lo, hi]``, else raise a ValueError saying so."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            f"{name} must be an integer from {lo} to {hi}, got {value!r} ({type(value).__name__})."
        )
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be from {lo} to {hi}, got {value}. {why}".rstrip())
    return value


def _check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; choose one of: {listed}.")
    return value


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}.")
    return value


def _check_label(cell_label: Any) -> str:
    if cell_label is None:
        return ""
    if not isinstance(cell_label, str) or len(cell_label) > 8:
        raise ValueError(
            f"cell_label must be a short string such as 'RNN', 'LSTM' or '' "
            f"(8 characters at most), got {cell_label!r}."
        )
    return cell_label


def _check_ax(ax: Any) -> Axes | None:
    if ax is not None and not isinstance(ax, Axes):
        raise ValueError(
            f"ax must be a matplotlib Axes or None, got {type(ax).__name__}; "
            "for example: fig, ax = plt.subplots(); diagrams.unrolled(ax=ax)"
        )
    return ax


_STEPS_WHY = "Longer chains do not fit legibly in a notebook; draw a few steps and say the rest."


# ----------------------------------------------------------------------------------------
# Drawing primitives: a canvas that scales text to the final figure size, boxes, arrows, labels
# ----------------------------------------------------------------------------------------


@dataclass
class _Node:
    """A drawn box or circle: its centre and size (arrows stop at its outline)."""

    x: float
    y: float
    w: float
    h: float
    round: bool = False

    def edge_toward(self, px: float, py: float) -> tuple[float, float]:
        """The point of the outline on the straight line from the centre toward (px, py)."""
        dx, dy = px - self.x, py - self.y
        if dx == 0 and dy == 0:
            return self.x, self.y
        if self.round:
            d = (dx * dx + dy * dy) ** 0.5
            return self.x + dx / d * self.w / 2, self.y + dy / d * self.h / 2
        t = min(self.w / 2 / abs(dx) if dx else float("inf"), self.h / 2 / abs(dy) if dy else float("inf"))
        return self.x + t * dx, self.y + t * dy

    @property
    def top(self) -> tuple[float, float]:
        return self.x, self.y + self.h / 2

    @property
    def bottom(self) -> tuple[float, float]:
        return self.x, self.y - self.h / 2

    @property
    def left(self) -> tuple[float, float]:
        return self.x - self.w / 2, self.y

    @property
    def right(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y


_Point = tuple[float, float]
_End = _Node | _Point


def _math_len(text: str) -> float:
    """Rough width of a label in font heights (for the layout before text is measured)."""
    plain = re.sub(r"\\(mathrm|hat|overrightarrow|overleftarrow|vec)\b", "", text)
    plain = re.sub(r"\\[A-Za-z]+", "x", plain)
    plain = re.sub(r"[${}^]", "", plain)
    subs = len(re.findall(r"_", plain))
    return max(1.0, 0.62 * (len(plain) - subs) - 0.2 * subs)


class _Canvas:
    """One Axes in data units; text sizes and line widths follow the final scale.

    Drawing happens in data units first; :meth:`finish` then picks the scale (inches per
    unit) from the figure or Axes size, sets font sizes and line widths from it, measures
    the text and grows the view until nothing is clipped.
    """

    def __init__(self, ax: Axes | None):
        self.owns = ax is None
        if ax is None:
            fig = plt.figure(figsize=(6, 4))
            ax = fig.add_axes((0, 0, 1, 1))
        self.ax = ax
        self.fig = ax.figure
        ax.set_axis_off()
        ax.set_aspect("equal", adjustable="box")
        self._scaled: list[Callable[[float], None]] = []
        self._bounds: list[tuple[float, float, float, float]] = []
        self._texts: list[Any] = []
        self.scale = _PREF  # inches per data unit, final after finish()

    # -- bookkeeping --------------------------------------------------------------------
    def grow(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self._bounds.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))

    def on_scale(self, fn: Callable[[float], None]) -> None:
        """Register ``fn(points_per_unit)``, called whenever the scale is set."""
        self._scaled.append(fn)

    def add_text(self, t: Any, size: float, est_w: float, ha: str, va: str) -> None:
        self._texts.append(t)
        self.on_scale(lambda ppu: t.set_fontsize(max(_MIN_PT, size * ppu)))
        x, y = t.get_position()
        w, h = est_w * size, 1.25 * size
        x0 = {"left": x, "center": x - w / 2, "right": x - w}[ha]
        y0 = {"bottom": y, "baseline": y, "center": y - h / 2, "center_baseline": y - h / 2, "top": y - h}[va]
        self.grow(x0, y0, x0 + w, y0 + h)

    def extent(self, pad: float = 0.12) -> tuple[float, float, float, float]:
        x0 = min(b[0] for b in self._bounds) - pad
        y0 = min(b[1] for b in self._bounds) - pad
        x1 = max(b[2] for b in self._bounds) + pad
        y1 = max(b[3] for b in self._bounds) + pad
        return x0, y0, x1, y1

    # -- layout -------------------------------------------------------------------------
    def _apply(self, ext: tuple[float, float, float, float], max_scale: float) -> None:
        x0, y0, x1, y1 = ext
        w, h = x1 - x0, y1 - y0
        if self.owns:
            s = min(max_scale, _MAX_W / w, _MAX_H / h)
            self.fig.set_size_inches(w * s, h * s)
        else:  # fill the given Axes: centre the picture and widen the view to its shape
            bbox = self.ax.get_position(original=True)
            fw, fh = self.fig.get_size_inches()
            bw, bh = bbox.width * fw, bbox.height * fh
            s = min(max_scale, bw / w, bh / h)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            x0, x1 = cx - bw / s / 2, cx + bw / s / 2
            y0, y1 = cy - bh / s / 2, cy + bh / s / 2
        self.scale = s
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)
        for fn in self._scaled:
            fn(s * 72.0)
        self.ax.apply_aspect()

    def _measured(self) -> tuple[float, float, float, float] | None:
        """The data-unit bounding box of all text as actually rendered at the current scale."""
        inv = self.ax.transData.inverted()
        boxes = []
        for t in self._texts:
            if not t.get_text():
                continue
            bb = t.get_window_extent()
            (a, b), (c, d) = inv.transform([(bb.x0, bb.y0), (bb.x1, bb.y1)])
            boxes.append((a, b, c, d))
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def finish(self, max_scale: float = _PREF) -> Figure:
        """Fix the scale, fonts and view; detach a figure this canvas created from pyplot."""
        ext = self.extent()
        for _ in range(4):
            self._apply(ext, max_scale)
            m = self._measured()
            if m is None:
                break
            pad = 0.06
            grown = (
                min(ext[0], m[0] - pad),
                min(ext[1], m[1] - pad),
                max(ext[2], m[2] + pad),
                max(ext[3], m[3] + pad),
            )
            if grown == ext:
                break
            ext = grown
        if self.owns:
            plt.close(self.fig)  # shown once, by the notebook, when returned
        return self.fig


def _box(
    cv: _Canvas,
    x: float,
    y: float,
    text: str = "",
    role: str = "hidden",
    *,
    w: float = _CELL_W,
    h: float = _CELL_H,
    sub: str = "",
    round: bool = False,
    dashed: bool = False,
    size: float = _FONT,
    gid: str | None = None,
) -> _Node:
    """Draw a rounded box (or a circle if ``round``) for one vector or operation.

    ``sub`` is a small caption inside the box above ``text`` (e.g. the cell type "RNN").
    The patch gets ``gid`` (default: the role), so tests and callers can find it.
    """
    face, edge = ROLE_COLORS[role]
    if round:
        patch = Circle((x, y), w / 2, facecolor=face, edgecolor=edge, zorder=3)
    else:
        r = min(w, h) * 0.18
        patch = FancyBboxPatch(
            (x - w / 2 + r, y - h / 2 + r),
            w - 2 * r,
            h - 2 * r,
            boxstyle=f"round,pad={r},rounding_size={r}",
            facecolor=face,
            edgecolor=edge,
            zorder=3,
        )
    if dashed:
        patch.set_linestyle((0, (3, 2)))
    patch.set_gid(gid or role)
    cv.ax.add_patch(patch)
    cv.on_scale(lambda ppu: patch.set_linewidth(max(0.8, min(1.6, ppu * 0.022))))
    cv.grow(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    size = min(size, 0.86 * w / _math_len(text)) if text else size
    if sub:
        _label(cv, x, y + h * 0.2, sub, size=_SMALL, color=edge, zorder=4)
        _label(cv, x, y - h * 0.16, text, size=size, color="#111111", zorder=4)
    elif text:
        _label(cv, x, y, text, size=size, color="#111111", zorder=4)
    return _Node(x, y, w, h, round)


def _label(
    cv: _Canvas,
    x: float,
    y: float,
    text: str,
    *,
    size: float = _WEIGHT,
    color: str = _INK,
    ha: str = "center",
    va: str = "center",
    zorder: float = 5,
    gid: str | None = None,
) -> Any:
    """Write ``text`` (mathtext allowed) at (x, y), ``size`` in data units; return the Text."""
    t = cv.ax.text(x, y, text, ha=ha, va=va, color=color, zorder=zorder)
    if gid:
        t.set_gid(gid)
    cv.add_text(t, size, _math_len(text), ha, va)
    return t


def _arrow(
    cv: _Canvas,
    src: _End,
    dst: _End,
    label: str = "",
    *,
    side: str = "left",
    color: str = _INK,
    dashed: bool = False,
    head: bool = True,
    width: float = 1.0,
    label_at: float = 0.5,
    label_gap: float = 0.09,
    path: Path | None = None,
    gid: str = "arrow",
    zorder: float = 2,
    halo: bool = False,
) -> FancyArrowPatch:
    """Draw an arrow from ``src`` to ``dst`` (nodes or points), clipped to the nodes' outlines.

    ``label`` (a weight name, usually) is written beside the arrow at fraction ``label_at``
    of its length, on the ``side`` ("left"/"right" of the direction of travel). ``path``
    replaces the straight line by any path (e.g. a loop or an S-curve);
    ``halo`` draws a white outline so the arrow visibly crosses over lines behind it.
    """
    if path is None:
        p0 = src.edge_toward(*_centre(dst)) if isinstance(src, _Node) else src
        p1 = dst.edge_toward(*_centre(src)) if isinstance(dst, _Node) else dst
        a = FancyArrowPatch(p0, p1, shrinkA=1.5, shrinkB=1.5)
        verts = [p0, p1]
    else:
        a = FancyArrowPatch(path=path, shrinkA=0, shrinkB=0)
        verts = [tuple(v) for v in path.vertices]
        p0, p1 = verts[0], verts[-1]
    a.set_arrowstyle("-|>" if head else "-")
    a.set_color(color)
    a.set_zorder(zorder)
    a.set_gid(gid)
    if dashed:
        a.set_linestyle((0, (4, 3)))
    if halo:
        a.set_path_effects([pe.Stroke(linewidth=5, foreground="white"), pe.Normal()])
    cv.ax.add_patch(a)

    def rescale(ppu: float) -> None:
        k = max(0.6, min(1.0, ppu / (_PREF * 72)))
        a.set_linewidth(1.3 * width * k)
        a.set_mutation_scale(13 * k * (1.0 if width <= 1.5 else 0.8))

    cv.on_scale(rescale)
    for v in verts:
        cv.grow(v[0], v[1], v[0], v[1])
    if label:
        (x0, y0), (x1, y1) = p0, p1
        dx, dy = x1 - x0, y1 - y0
        d = (dx * dx + dy * dy) ** 0.5 or 1.0
        nx, ny = -dy / d, dx / d  # normal to the left of the direction of travel
        if side == "right":
            nx, ny = -nx, -ny
        mx, my = x0 + dx * label_at, y0 + dy * label_at
        ha = "left" if nx > 0.5 else "right" if nx < -0.5 else "center"
        va = "bottom" if ny > 0.5 else "top" if ny < -0.5 else "center"
        _label(cv, mx + nx * label_gap, my + ny * label_gap, label, color=color, ha=ha, va=va, gid="weight")
    return a


def _centre(end: _End) -> _Point:
    return (end.x, end.y) if isinstance(end, _Node) else end


def _group(cv: _Canvas, x0: float, x1: float, y0: float, y1: float, name: str) -> None:
    """A faint rounded background behind a group of steps (encoder, decoder), named below."""
    patch = FancyBboxPatch(
        (x0, y0),
        x1 - x0,
        y1 - y0,
        boxstyle="round,pad=0,rounding_size=0.2",
        facecolor="#F5F5F5",
        edgecolor="#DDDDDD",
        zorder=0,
        gid="group",
    )
    cv.ax.add_patch(patch)
    cv.grow(x0, y0, x1, y1)
    _label(cv, (x0 + x1) / 2, y0 + 0.06, name, size=_CAPTION, color=_MUTED, va="bottom", gid="group")


def _caption(cv: _Canvas, x: float, y: float, text: str, size: float = _CAPTION) -> Any:
    return _label(cv, x, y, text, size=size, color=_INK, va="top", gid="caption")


def _title(cv: _Canvas, title: str | None) -> None:
    if title:
        x0, _, x1, y1 = cv.extent(pad=0)
        _label(cv, (x0 + x1) / 2, y1 + 0.15, title, size=_TITLE, va="bottom", gid="title")


def _weight_tex(name: str, prime: bool = False) -> str:
    return f"${name}'$" if prime else f"${name}$"


def _fn_tex(name: str) -> str:
    """Mathtext (without $) for an activation: f → f, tanh → \\tanh, relu → \\mathrm{relu}."""
    if len(name) == 1:
        return name
    if name in ("tanh", "sin", "cos", "exp"):
        return f"\\{name}"
    return "\\mathrm{" + name.replace("_", "\\_") + "}"


# ----------------------------------------------------------------------------------------
# A chain of recurrent cells: what every unrolled picture is made of
# ----------------------------------------------------------------------------------------


@dataclass
class _Weights:
    """How to write (and colour) the weight labels of one chain."""

    show: bool = True
    highlight: bool = False
    prime: bool = False  # decoder weights: U', W', V'

    def text(self, key: str) -> str:
        return _weight_tex(key, self.prime) if self.show else ""

    def color(self, key: str) -> str:
        return WEIGHT_COLORS[key + "'" * self.prime] if self.highlight else _INK


def _chain(
    cv: _Canvas,
    x0: float,
    n: int,
    *,
    start: _Node | str | None,
    inputs: Sequence[str | None],
    outputs: Sequence[str | None],
    cell_label: str,
    state: str,
    weights: _Weights,
    w_label_at: float = 0.5,
) -> list[_Node]:
    """Draw ``n`` cells at x0, x0 + DX, ... on the hidden row; return the cell nodes.

    start: a node feeding the first cell (e.g. a context), the name of an initial state to
    draw one step to the left (e.g. "$h_0$"), or None. inputs/outputs: one label per step,
    None for no box. state: the state's name pattern with ``{t}``, e.g. "$h_{{{t}}}$".
    """
    cells: list[_Node] = []
    prev: _Node | None
    if isinstance(start, str):
        prev = _box(cv, x0 - _DX, _Y_H, start, "hidden", w=_IO_W, h=_IO_H, dashed=True, gid="initial")
    else:
        prev = start
    for i in range(n):
        x = x0 + i * _DX
        cell = _box(cv, x, _Y_H, state.format(t=i + 1), "hidden", sub=cell_label, gid="cell")
        if prev is not None:
            _arrow(
                cv,
                prev,
                cell,
                weights.text("W"),
                color=weights.color("W"),
                gid="arrow_W",
                label_at=w_label_at,
            )
        if inputs[i] is not None:
            xb = _box(cv, x, _Y_IN, inputs[i], "input", w=_io_width(inputs[i]), h=_IO_H)
            _arrow(cv, xb, cell, weights.text("U"), side="right", color=weights.color("U"), gid="arrow_U")
        if outputs[i] is not None:
            yb = _box(cv, x, _Y_OUT, outputs[i], "output", w=_io_width(outputs[i]), h=_IO_H)
            _arrow(cv, cell, yb, weights.text("V"), side="right", color=weights.color("V"), gid="arrow_V")
        cells.append(cell)
        prev = cell
    return cells


def _io_width(text: str) -> float:
    """Width of an input/output box: the usual one, wider (up to 1.3) for a long label."""
    return min(1.3, max(_IO_W, _WEIGHT * _math_len(text) / 0.86))


def _legend_shared(cv: _Canvas, keys: Sequence[str]) -> None:
    """A colour key under the picture: the same colour means the same weight matrix."""
    x0, y0, x1, _ = cv.extent(pad=0)
    y = y0 - 0.3
    texts = [f"${k}$: {_WEIGHT_ROLES[k]}" for k in keys]
    widths = [_math_len(t) * _CAPTION for t in texts]
    gap = 0.6
    x = (x0 + x1) / 2 - (sum(widths) + gap * (len(texts) - 1)) / 2
    for k, t, w in zip(keys, texts, widths):
        _label(cv, x, y, t, size=_CAPTION, color=WEIGHT_COLORS[k], ha="left", gid="legend")
        x += w + gap
    _label(
        cv,
        (x0 + x1) / 2,
        y - 0.42,
        "the same colour = the same weights, reused at every step",
        size=_CAPTION * 0.9,
        color=_MUTED,
        gid="legend",
    )


def _rolled_part(cv: _Canvas, x: float, cell_label: str, weights: _Weights) -> _Node:
    """The rolled picture at column x: one cell, its input, output and self-loop W."""
    cell = _box(cv, x, _Y_H, "$h_t$", "hidden", sub=cell_label, gid="cell")
    xb = _box(cv, x, _Y_IN, "$x_t$", "input", w=_IO_W, h=_IO_H)
    yb = _box(cv, x, _Y_OUT, r"$\hat y_t$", "output", w=_IO_W, h=_IO_H)
    _arrow(cv, xb, cell, weights.text("U"), side="right", color=weights.color("U"))
    _arrow(cv, cell, yb, weights.text("V"), side="right", color=weights.color("V"))
    # the loop leaves the right side high and comes back in lower, through a wide bulge
    xr = x + _CELL_W / 2
    loop = Path(
        [(xr, _Y_H + 0.14), (xr + 1.15, _Y_H + 0.95), (xr + 1.15, _Y_H - 0.95), (xr, _Y_H - 0.14)],
        [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4],
    )
    _arrow(cv, cell, cell, path=loop, color=weights.color("W"), gid="arrow_W")
    if weights.show:
        _label(cv, xr + 0.93, _Y_H, weights.text("W"), color=weights.color("W"), ha="left", gid="weight")
    return cell
