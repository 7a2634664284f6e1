"""Pictures of the networks the course builds: cells, unrolled chains, topologies.

Every picture uses the same visual language, so a learner can read a new one at a glance:

- a **box** is a vector; its colour says its role: blue for inputs ``x_t``, orange for
  hidden states ``h_t`` (a recurrent cell), green for outputs ``y_t``, purple for a
  context ``c`` (and grey for operations such as ``+`` or ``tanh``);
- an **arrow** is a transform, labelled with the weight it applies (``U``: input to
  hidden, ``W``: hidden to hidden, ``V``: hidden to output);
- time runs from left to right; inputs are at the bottom, outputs at the top.

Every function returns a :class:`matplotlib.figure.Figure`. In a notebook, make the call
the last line of a cell to show the picture (the figure is detached from pyplot, so it is
shown once, not twice), or pass it to ``display``. Functions that draw a single panel take
``ax=`` to draw into an Axes of your own (to compose a grid); they then return that Axes'
figure, and it is yours to show (end the line with ``;`` to avoid showing it twice).

Each drawn box and arrow carries a matplotlib ``gid`` naming what it is ("cell",
"initial", "input", "output", "context", "arrow_U", "arrow_W", "arrow_V", "feedback", ...)
and each label a gid such as "weight", "title" or "caption", so tests can count them.

Example::

    from seqkeras import diagrams
    diagrams.unrolled("n_to_1", steps=5)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

__all__ = ["dense_layer", "rnn_cell", "rolled", "unrolled", "topologies", "encoder_decoder",
           "bidirectional", "attention", "TOPOLOGIES", "ROLE_COLORS", "WEIGHT_COLORS"]

#: The topologies :func:`unrolled` draws, with what each means.
TOPOLOGIES = {
    "n_to_n": "an input and an output at every step (N vs N)",
    "n_to_1": "an input at every step, one output at the last step (N vs 1)",
    "1_to_n": "one input at the first step, an output at every step (1 vs N)",
    "1_to_n_every_step": "the same single input fed to every step, an output at every step "
                         "(1 vs N)",
    "n_to_m": "an encoder reads N inputs into a context c, a decoder writes M outputs (N vs M)",
}

#: Fill and edge colour of each role (one colour per role, in every picture).
ROLE_COLORS = {
    "input": ("#DCEAF7", "#2B6CB0"),    # blue: x_t
    "hidden": ("#FDEBC8", "#C26A00"),   # orange: h_t, the recurrent cell
    "output": ("#DDF2DD", "#2F7D32"),   # green: y_t
    "context": ("#EBDDF5", "#7B3FA0"),  # purple: the context c
    "op": ("#F2F2F2", "#555555"),       # grey: +, tanh, softmax
    "bias": ("#FFFFFF", "#777777"),     # white: b, c (biases)
}

#: Colours of the weights when ``highlight_shared=True`` (primed: a decoder's own weights).
WEIGHT_COLORS = {"U": "#D1495B", "W": "#1F5FAD", "V": "#1B8A5A",
                 "U'": "#E08214", "W'": "#6A51A3", "V'": "#01665E"}

_WEIGHT_ROLES = {"U": "input → hidden", "W": "hidden → hidden", "V": "hidden → output",
                 "U'": "decoder input → hidden", "W'": "decoder hidden → hidden",
                 "V'": "decoder hidden → output"}

_INK = "#333333"      # arrows and plain labels
_MUTED = "#777777"    # captions, group names

# Geometry, in data units (one unit is about 0.7 inch at the preferred scale).
_DX = 1.7                      # distance between two time steps
_Y_IN, _Y_H, _Y_OUT = 0.0, 1.6, 3.2
_CELL_W, _CELL_H = 1.0, 0.74   # a recurrent cell
_IO_W, _IO_H = 0.78, 0.52      # an input or output vector

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
        raise ValueError(f"{name} must be an integer from {lo} to {hi}, got {value!r} "
                         f"({type(value).__name__}).")
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
        raise ValueError(f"cell_label must be a short string such as 'RNN', 'LSTM' or '' "
                         f"(8 characters at most), got {cell_label!r}.")
    return cell_label


def _check_ax(ax: Any) -> Axes | None:
    if ax is not None and not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}; "
                         "for example: fig, ax = plt.subplots(); diagrams.unrolled(ax=ax)")
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
        t = min(self.w / 2 / abs(dx) if dx else float("inf"),
                self.h / 2 / abs(dy) if dy else float("inf"))
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
        y0 = {"bottom": y, "baseline": y, "center": y - h / 2, "center_baseline": y - h / 2,
              "top": y - h}[va]
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
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    def finish(self, max_scale: float = _PREF) -> Figure:
        """Fix the scale, fonts and view; detach a figure this canvas created from pyplot."""
        ext = self.extent()
        for _ in range(4):
            self._apply(ext, max_scale)
            m = self._measured()
            if m is None:
                break
            pad = 0.06
            grown = (min(ext[0], m[0] - pad), min(ext[1], m[1] - pad),
                     max(ext[2], m[2] + pad), max(ext[3], m[3] + pad))
            if grown == ext:
                break
            ext = grown
        if self.owns:
            plt.close(self.fig)  # shown once, by the notebook, when returned
        return self.fig


def _box(cv: _Canvas, x: float, y: float, text: str = "", role: str = "hidden", *,
         w: float = _CELL_W, h: float = _CELL_H, sub: str = "", round: bool = False,
         dashed: bool = False, size: float = _FONT, gid: str | None = None) -> _Node:
    """Draw a rounded box (or a circle if ``round``) for one vector or operation.

    ``sub`` is a small caption inside the box above ``text`` (e.g. the cell type "RNN").
    The patch gets ``gid`` (default: the role), so tests and callers can find it.
    """
    face, edge = ROLE_COLORS[role]
    if round:
        patch = Circle((x, y), w / 2, facecolor=face, edgecolor=edge, zorder=3)
    else:
        r = min(w, h) * 0.18
        patch = FancyBboxPatch((x - w / 2 + r, y - h / 2 + r), w - 2 * r, h - 2 * r,
                               boxstyle=f"round,pad={r},rounding_size={r}",
                               facecolor=face, edgecolor=edge, zorder=3)
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


def _label(cv: _Canvas, x: float, y: float, text: str, *, size: float = _WEIGHT,
           color: str = _INK, ha: str = "center", va: str = "center", zorder: float = 5,
           gid: str | None = None) -> Any:
    """Write ``text`` (mathtext allowed) at (x, y), ``size`` in data units; return the Text."""
    t = cv.ax.text(x, y, text, ha=ha, va=va, color=color, zorder=zorder)
    if gid:
        t.set_gid(gid)
    cv.add_text(t, size, _math_len(text), ha, va)
    return t


def _arrow(cv: _Canvas, src: _End, dst: _End, label: str = "", *, side: str = "left",
           color: str = _INK, dashed: bool = False, head: bool = True, width: float = 1.0,
           label_at: float = 0.5, label_gap: float = 0.09, path: Path | None = None,
           gid: str = "arrow", zorder: float = 2, halo: bool = False) -> FancyArrowPatch:
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
        nx, ny = -dy / d, dx / d          # normal to the left of the direction of travel
        if side == "right":
            nx, ny = -nx, -ny
        mx, my = x0 + dx * label_at, y0 + dy * label_at
        ha = "left" if nx > 0.5 else "right" if nx < -0.5 else "center"
        va = "bottom" if ny > 0.5 else "top" if ny < -0.5 else "center"
        _label(cv, mx + nx * label_gap, my + ny * label_gap, label,
               color=color, ha=ha, va=va, gid="weight")
    return a


def _centre(end: _End) -> _Point:
    return (end.x, end.y) if isinstance(end, _Node) else end


def _group(cv: _Canvas, x0: float, x1: float, y0: float, y1: float, name: str) -> None:
    """A faint rounded background behind a group of steps (encoder, decoder), named below."""
    patch = FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.2",
                           facecolor="#F5F5F5", edgecolor="#DDDDDD", zorder=0, gid="group")
    cv.ax.add_patch(patch)
    cv.grow(x0, y0, x1, y1)
    _label(cv, (x0 + x1) / 2, y0 + 0.06, name, size=_CAPTION, color=_MUTED, va="bottom",
           gid="group")


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


def _chain(cv: _Canvas, x0: float, n: int, *, start: _Node | str | None,
           inputs: Sequence[str | None], outputs: Sequence[str | None], cell_label: str,
           state: str, weights: _Weights, w_label_at: float = 0.5) -> list[_Node]:
    """Draw ``n`` cells at x0, x0 + DX, ... on the hidden row; return the cell nodes.

    start: a node feeding the first cell (e.g. a context), the name of an initial state to
    draw one step to the left (e.g. "$h_0$"), or None. inputs/outputs: one label per step,
    None for no box. state: the state's name pattern with ``{t}``, e.g. "$h_{{{t}}}$".
    """
    cells: list[_Node] = []
    prev: _Node | None
    if isinstance(start, str):
        prev = _box(cv, x0 - _DX, _Y_H, start, "hidden", w=_IO_W, h=_IO_H, dashed=True,
                    gid="initial")
    else:
        prev = start
    for i in range(n):
        x = x0 + i * _DX
        cell = _box(cv, x, _Y_H, state.format(t=i + 1), "hidden", sub=cell_label, gid="cell")
        if prev is not None:
            _arrow(cv, prev, cell, weights.text("W"), color=weights.color("W"), gid="arrow_W",
                   label_at=w_label_at)
        if inputs[i] is not None:
            xb = _box(cv, x, _Y_IN, inputs[i], "input", w=_io_width(inputs[i]), h=_IO_H)
            _arrow(cv, xb, cell, weights.text("U"), side="right", color=weights.color("U"),
                   gid="arrow_U")
        if outputs[i] is not None:
            yb = _box(cv, x, _Y_OUT, outputs[i], "output", w=_io_width(outputs[i]), h=_IO_H)
            _arrow(cv, cell, yb, weights.text("V"), side="right", color=weights.color("V"),
                   gid="arrow_V")
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
    _label(cv, (x0 + x1) / 2, y - 0.42, "the same colour = the same weights, reused at every step",
           size=_CAPTION * 0.9, color=_MUTED, gid="legend")


def _rolled_part(cv: _Canvas, x: float, cell_label: str, weights: _Weights) -> _Node:
    """The rolled picture at column x: one cell, its input, output and self-loop W."""
    cell = _box(cv, x, _Y_H, "$h_t$", "hidden", sub=cell_label, gid="cell")
    xb = _box(cv, x, _Y_IN, "$x_t$", "input", w=_IO_W, h=_IO_H)
    yb = _box(cv, x, _Y_OUT, "$y_t$", "output", w=_IO_W, h=_IO_H)
    _arrow(cv, xb, cell, weights.text("U"), side="right", color=weights.color("U"))
    _arrow(cv, cell, yb, weights.text("V"), side="right", color=weights.color("V"))
    # the loop leaves the right side high and comes back in lower, through a wide bulge
    xr = x + _CELL_W / 2
    loop = Path([(xr, _Y_H + 0.14), (xr + 1.15, _Y_H + 0.95), (xr + 1.15, _Y_H - 0.95),
                 (xr, _Y_H - 0.14)], [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    _arrow(cv, cell, cell, path=loop, color=weights.color("W"), gid="arrow_W")
    if weights.show:
        _label(cv, xr + 0.93, _Y_H, weights.text("W"), color=weights.color("W"), ha="left",
               gid="weight")
    return cell


# ----------------------------------------------------------------------------------------
# Public pictures
# ----------------------------------------------------------------------------------------

def dense_layer(n_in: int = 3, n_out: int = 2, activation: str = "f", *,
                ax: Axes | None = None, title: str | None = None) -> Figure:
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
    if not isinstance(activation, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,11}",
                                                            activation):
        raise ValueError(f"activation must be a short name made of letters, digits and _, "
                         f"such as 'f', 'tanh' or 'relu'; got {activation!r}.")
    cv = _Canvas(_check_ax(ax))
    gap, r = 1.15, 0.62
    y_in, y_out = 0.0, 2.6
    width = max(n_in, n_out) - 1
    xs_in = [(width - (n_in - 1)) * gap / 2 + i * gap for i in range(n_in)]
    xs_out = [(width - (n_out - 1)) * gap / 2 + j * gap for j in range(n_out)]
    ins = [_box(cv, x, y_in, f"$x_{{{i + 1}}}$", "input", w=r, h=r, round=True)
           for i, x in enumerate(xs_in)]
    outs = [_box(cv, x, y_out, f"$y_{{{j + 1}}}$", "output", w=r, h=r, round=True)
            for j, x in enumerate(xs_out)]
    right = max(xs_in[-1], xs_out[-1])
    bias = _box(cv, right + gap, y_in, "$b$", "bias", w=r * 0.8, h=r * 0.8, round=True,
                gid="bias")
    for o in outs:
        for node in ins:
            _arrow(cv, node, o, color="#8A8A8A", width=0.8, gid="arrow_W")
        _arrow(cv, bias, o, color="#B0B0B0", width=0.8, dashed=True, gid="arrow_b")
    left = min(xs_in[0], xs_out[0])
    mid = (y_in + y_out) / 2
    x_w = (xs_in[0] + xs_out[0]) / 2 - 0.3     # beside the leftmost line, half way up
    _label(cv, x_w, mid + 0.14, "$W$", size=_FONT, ha="right", gid="weight")
    _label(cv, x_w, mid - 0.2, f"{n_in * n_out} weights", size=_SMALL, color=_MUTED, ha="right")
    _label(cv, bias.x + 0.35, y_in, "bias", size=_SMALL, color=_MUTED, ha="left")
    eq = "$y = " + _fn_tex(activation) + "(Wx + b)$"
    _caption(cv, (left + right + gap) / 2, y_in - 0.6, eq, size=_FONT)
    _title(cv, title)
    return cv.finish()


def rnn_cell(show_output: bool = True, *, ax: Axes | None = None,
             title: str | None = None) -> Figure:
    """The inside of one vanilla RNN cell at step t.

    ``x_t`` goes through ``U`` and ``h_{t-1}`` through ``W``; their sum plus ``b`` goes
    through ``tanh`` to give ``h_t``, which leaves to the right (to step t+1) and upwards,
    where ``V``, ``+ c`` and softmax turn it into the output ``y_t``.

    Args:
        show_output: also draw the output path (V, c, softmax, y_t).
        ax: an Axes to draw into; a new figure if ``None``.
        title: optional title above the picture.

    Returns:
        The figure.
    """
    _check_bool("show_output", show_output)
    cv = _Canvas(_check_ax(ax))
    y_s = 1.7                       # the state path
    x_plus, x_tanh, x_split = 2.4, 3.75, 5.15
    top = 5.05 if show_output else 3.0
    # the cell's outline, behind everything
    frame = FancyBboxPatch((1.25, 0.75), 4.75, top - 0.75,
                           boxstyle="round,pad=0,rounding_size=0.25", facecolor="#FFF8EC",
                           edgecolor=ROLE_COLORS["hidden"][1], linestyle=(0, (5, 3)), zorder=0,
                           gid="frame")
    cv.ax.add_patch(frame)
    cv.grow(1.25, 0.75, 6.0, top)
    _label(cv, 5.88, 0.85, "RNN cell", size=_SMALL, color=ROLE_COLORS["hidden"][1],
           ha="right", va="bottom")

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
        soft = _box(cv, x_split, 4.15, r"$\mathrm{softmax}$", "op", w=1.45, h=0.5, gid="op",
                    size=_WEIGHT)
        y_t = _box(cv, x_split, 5.7, "$y_t$", "output", w=_IO_W, h=_IO_H)
        _arrow(cv, split, plus2, "$V$", side="right")
        _arrow(cv, c, plus2)
        _arrow(cv, plus2, soft)
        _arrow(cv, soft, y_t)
        eq2 = r"$y_t = \mathrm{softmax}(V h_t + c)$"
    else:
        up = _box(cv, x_split, 3.7, "$h_t$", "hidden", w=_IO_W, h=_IO_H, gid="state")
        _arrow(cv, split, up)
        _label(cv, x_split + 0.5, 3.7, "to the output\nor next layer", size=_SMALL,
               color=_MUTED, ha="left")
        eq2 = ""
    eq = r"$h_t = \tanh(U x_t + W h_{t-1} + b)$"
    _caption(cv, 3.6, -0.7, eq)
    if eq2:
        _caption(cv, 3.6, -1.15, eq2)
    _title(cv, title)
    return cv.finish()


def rolled(*, cell_label: str = "RNN", weights: bool = True, highlight_shared: bool = False,
           ax: Axes | None = None, title: str | None = None) -> Figure:
    """The compact ("rolled") picture: one cell, ``x_t`` in, ``y_t`` out, a loop labelled W.

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


def unrolled(topology: str = "n_to_n", steps: int = 4, *, in_steps: int | None = None,
             out_steps: int | None = None, cell_label: str = "RNN", weights: bool = True,
             highlight_shared: bool = False, show_rolled: bool = False,
             ax: Axes | None = None, title: str | None = None) -> Figure:
    """A recurrent network unrolled in time: one box per step, in one of five topologies.

    Topologies (see :data:`TOPOLOGIES`):

    - ``"n_to_n"``: ``x_1..x_T`` in, ``y_1..y_T`` out (per-step labels, next character);
    - ``"n_to_1"``: ``x_1..x_T`` in, one ``y`` from the last state (classification);
    - ``"1_to_n"``: one ``x`` at the first step, ``y_1..y_T`` out (captioning);
    - ``"1_to_n_every_step"``: the same ``x`` fed to every step, ``y_1..y_T`` out;
    - ``"n_to_m"``: an encoder reads ``x_1..x_N`` into a context ``c``, which starts a
      decoder that writes ``y_1..y_M`` (``in_steps=N``, ``out_steps=M``).

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
        n = _check_int("in_steps", steps if in_steps is None else in_steps, 1, _MAX_STEPS,
                       _STEPS_WHY)
        m = _check_int("out_steps", max(1, steps - 1) if out_steps is None else out_steps, 1,
                       _MAX_STEPS, _STEPS_WHY)
        if n + m > 12:
            raise ValueError(f"in_steps + out_steps must be at most 12, got {n} + {m}. "
                             + _STEPS_WHY)
    elif in_steps is not None or out_steps is not None:
        raise ValueError(f"in_steps and out_steps apply to topology 'n_to_m' only; for "
                         f"{topology!r} give the number of steps as steps=.")
    _check_bool("weights", weights)
    _check_bool("highlight_shared", highlight_shared)
    _check_bool("show_rolled", show_rolled)
    cell_label = _check_label(cell_label)
    cv = _Canvas(_check_ax(ax))
    w = _Weights(weights, highlight_shared)
    x0 = 0.0
    if show_rolled:
        _rolled_part(cv, 0.0, cell_label, w)
        a0, a1 = 2.0, 3.45   # the "unroll" arrow, between the loop and h_0
        ua = FancyArrowPatch((a0, _Y_H), (a1, _Y_H), arrowstyle="simple", mutation_scale=30,
                             facecolor="#C8C8C8", edgecolor="none", zorder=1, gid="unroll")
        cv.ax.add_patch(ua)
        cv.on_scale(lambda ppu: ua.set_mutation_scale(30 * ppu / (_PREF * 72)))
        _label(cv, (a0 + a1) / 2, _Y_H + 0.3, "unroll", size=_CAPTION, color=_MUTED,
               va="bottom")
        x0 = a1 + 0.6 + _DX

    if topology == "n_to_m":
        _draw_n_to_m(cv, x0, n, m, cell_label, w)
    else:
        _draw_topology(cv, x0, topology, steps, cell_label, w)
    if highlight_shared:
        _legend_shared(cv, ["U", "W", "W'", "V'"] if topology == "n_to_m" else ["U", "W", "V"])
    _title(cv, title)
    return cv.finish()


def _bus(cv: _Canvas, src: _Node, y: float, cells: Sequence[_Node], *, label: str = "",
         color: str = _INK, dx: float = 0.0, gid: str = "arrow_U") -> None:
    """Feed one vector to every cell: a line along height ``y`` and an arrow to each cell.

    The line starts at ``src`` (beside it if ``src`` sits on the line, else straight down or
    up from it); each arrow leaves the line at ``cell.x + dx``.
    """
    if abs(src.y - y) < 1e-9:
        start = src.right
    else:
        start = (src.x, y)
        _arrow(cv, src.bottom if src.y > y else src.top, start, head=False, color=color,
               gid="bus")
    _arrow(cv, start, (cells[-1].x + dx, y), head=False, color=color, gid="bus", zorder=1)
    for cell in cells:
        edge = cell.bottom if y < cell.y else cell.top
        _arrow(cv, (cell.x + dx, y), (cell.x + dx, edge[1]), label, side="right", color=color,
               gid=gid)
        cv.ax.add_patch(Circle((cell.x + dx, y), 0.05, color=color, zorder=4))


def _draw_n_to_m(cv: _Canvas, x0: float, n: int, m: int, cell_label: str, w: _Weights) -> None:
    """Encoder (N steps) → context c (the decoder's initial state) → decoder (M steps)."""
    enc = _chain(cv, x0, n, start="$h_0$", inputs=[f"$x_{{{t}}}$" for t in range(1, n + 1)],
                 outputs=[None] * n, cell_label=cell_label, state="$h_{{{t}}}$", weights=w)
    xc = enc[-1].x + _DX
    c = _box(cv, xc, _Y_H, "$c$", "context", w=_IO_W, h=_IO_H, gid="context")
    _arrow(cv, enc[-1], c)
    dec_w = _Weights(w.show, w.highlight, prime=True)
    dec = _chain(cv, xc + _DX, m, start=c, inputs=[None] * m,
                 outputs=[f"$y_{{{t}}}$" for t in range(1, m + 1)], cell_label=cell_label,
                 state="$h'_{{{t}}}$", weights=dec_w)
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


def _draw_topology(cv: _Canvas, x0: float, topology: str, steps: int, cell_label: str,
                   w: _Weights) -> None:
    """Draw one of the single-chain topologies (all but n_to_m), first cell at x0."""
    T = steps
    every = [f"$x_{{{t}}}$" for t in range(1, T + 1)]
    ins: list[str | None] = {"n_to_n": every, "n_to_1": every, "1_to_n": ["$x$"] + [None] * (T - 1),
                             "1_to_n_every_step": [None] * T}[topology]
    outs: list[str | None] = ([None] * (T - 1) + ["$y$"] if topology == "n_to_1"
                              else [f"$y_{{{t}}}$" for t in range(1, T + 1)])
    cells = _chain(cv, x0, T, start="$h_0$", inputs=ins, outputs=outs, cell_label=cell_label,
                   state="$h_{{{t}}}$", weights=w)
    if topology == "1_to_n_every_step":
        src = _box(cv, x0 - _DX, _Y_IN, "$x$", "input", w=_IO_W, h=_IO_H)
        _bus(cv, src, _Y_IN, cells, label=w.text("U"), color=w.color("U"))


def encoder_decoder(variant: str = "init_state", in_steps: int = 4, out_steps: int = 3, *,
                    cell_label: str = "RNN", ax: Axes | None = None,
                    title: str | None = None) -> Figure:
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
    enc = _chain(cv, 0.0, n, start="$h_0$", inputs=[f"$x_{{{t}}}$" for t in range(1, n + 1)],
                 outputs=[None] * n, cell_label=cell_label, state="$h_{{{t}}}$", weights=w)
    xc = enc[-1].x + _DX
    dec_in = ["<start>"] + [f"$\\hat y_{{{t}}}$" for t in range(1, m)]
    dec_out = [f"$\\hat y_{{{t}}}$" for t in range(1, m + 1)]
    dw = _Weights(True, False, prime=True)
    if variant == "init_state":
        c = _box(cv, xc, _Y_H, "$c$", "context", w=_IO_W, h=_IO_H, gid="context")
        _label(cv, xc, _Y_H - _IO_H / 2 - 0.1, "$= h'_0$", size=_CAPTION, va="top",
               color=_MUTED)
        start: _Node | str = c
    else:
        c = _box(cv, xc, _Y_OUT, "$c$", "context", w=_IO_W, h=_IO_H, gid="context")
        start = "$h'_0$"
    _arrow(cv, enc[-1], c)
    dec = _chain(cv, xc + _DX, m, start=start, inputs=dec_in, outputs=dec_out,
                 cell_label=cell_label, state="$h'_{{{t}}}$", weights=dw, w_label_at=0.3)
    if variant == "every_step":
        _bus(cv, c, _Y_H + _CELL_H / 2 + 0.28, dec, color=ROLE_COLORS["context"][1], dx=-0.28,
             gid="arrow_c")
    # feedback: each output becomes the next step's input (an S-curve through the gap)
    for t in range(m - 1):
        x_a, x_b = dec[t].x + _IO_W / 2, dec[t + 1].x - _IO_W / 2
        x_mid = (dec[t].x + dec[t + 1].x) / 2 + 0.2
        path = Path([(x_a, _Y_OUT), (x_mid + 0.1, _Y_OUT), (x_mid - 0.1, _Y_IN), (x_b, _Y_IN)],
                    [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        _arrow(cv, dec[t], dec[t + 1], path=path, color=_MUTED, dashed=True, gid="feedback",
               zorder=1.5)
    lo, hi = _Y_IN - _IO_H / 2 - 0.45, _Y_OUT + _IO_H / 2 + 0.15
    _group(cv, -_DX - 0.55, enc[-1].x + 0.62, lo, hi, "encoder")
    _group(cv, xc + _DX - 0.62, dec[-1].x + 0.62, lo, hi, "decoder")
    note = ("the context $c$ is the decoder's initial state" if variant == "init_state"
            else "the context $c$ is an input to every decoder step")
    _caption(cv, (dec[-1].x - _DX) / 2, lo - 0.15,
             note + "; dashed: each output is fed back as the next input")
    _title(cv, title)
    return cv.finish()


def bidirectional(steps: int = 4, *, cell_label: str = "RNN", ax: Axes | None = None,
                  title: str | None = None) -> Figure:
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
        f = _box(cv, x - off, y_f, f"$\\overrightarrow{{h}}_{{{i + 1}}}$", "hidden",
                 sub=cell_label, w=0.86, h=0.86, gid="cell")
        b = _box(cv, x + off, y_b, f"$\\overleftarrow{{h}}_{{{i + 1}}}$", "hidden",
                 sub=cell_label, w=0.86, h=0.86, gid="cell")
        yb = _box(cv, x, y_o, f"$y_{{{i + 1}}}$", "output", w=_IO_W, h=_IO_H)
        # straight lines between centres pass beside the other chain's box (offset ±off)
        _arrow(cv, xb, f)
        _arrow(cv, xb, b, halo=True)
        _arrow(cv, f, yb, halo=True, zorder=2.5)
        _arrow(cv, b, yb)
        fwd.append(f)
        bwd.append(b)
    f0 = _box(cv, -dx - off, y_f, r"$\overrightarrow{h}_0$", "hidden", w=_IO_W, h=_IO_H,
              dashed=True, gid="initial")
    bT = _box(cv, T * dx + off, y_b, f"$\\overleftarrow{{h}}_{{{T + 1}}}$", "hidden", w=_IO_W,
              h=_IO_H, dashed=True, gid="initial")
    for a, b in zip([f0] + fwd[:-1], fwd):
        _arrow(cv, a, b, r"$\overrightarrow{W}$")
    for a, b in zip([bT] + bwd[::-1][:-1], bwd[::-1]):
        _arrow(cv, a, b, r"$\overleftarrow{W}$", side="right")
    _label(cv, -dx - off - 0.5, y_f, "forward", size=_SMALL, color=_MUTED, ha="right")
    _label(cv, T * dx + off + 0.5, y_b, "backward", size=_SMALL, color=_MUTED, ha="left")
    _caption(cv, (T - 1) * dx / 2, _Y_IN - 0.55,
             r"$y_t = g(V\,[\,\overrightarrow{h}_t\,;\;\overleftarrow{h}_t\,] + c)$"
             "   both directions, merged at every step")
    _title(cv, title)
    return cv.finish()


def attention(in_steps: int = 4, out_steps: int = 3, *,
              alpha: Sequence[Sequence[float]] | None = None, ax: Axes | None = None,
              title: str | None = None) -> Figure:
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
    enc = _chain(cv, 0.0, n, start=None, inputs=[f"$x_{{{t}}}$" for t in range(1, n + 1)],
                 outputs=[None] * n, cell_label="", state="$h_{{{t}}}$", weights=w)
    y_c, y_d, y_y = 3.6, 5.0, 6.5
    span = (n - 1) * _DX
    dxd = _DX * 1.25
    xs = [span / 2 + (i - (m - 1) / 2) * dxd for i in range(m)]
    ctx = [_box(cv, x, y_c, f"$c_{{{i + 1}}}$", "context", w=_IO_W, h=_IO_H, gid="context")
           for i, x in enumerate(xs)]
    for i, c in enumerate(ctx):
        for j, h in enumerate(enc):
            _arrow(cv, h, c, color=ROLE_COLORS["context"][1], width=0.3 + 6 * alpha[i][j],
                   head=False, gid="attention", zorder=1)
    prev: _Node | None = None
    for i, x in enumerate(xs):
        d = _box(cv, x, y_d, f"$h'_{{{i + 1}}}$", "hidden", w=_IO_W * 1.1, h=_IO_H * 1.2,
                 gid="cell")
        yb = _box(cv, x, y_y, f"$\\hat y_{{{i + 1}}}$", "output", w=_IO_W, h=_IO_H)
        _arrow(cv, ctx[i], d)
        _arrow(cv, d, yb)
        if prev is not None:
            _arrow(cv, prev, d, "$W'$")
        prev = d
    _label(cv, span + 0.8, _Y_H, "encoder", size=_SMALL, color=_MUTED, ha="left")
    _label(cv, xs[-1] + 0.8, y_d, "decoder", size=_SMALL, color=_MUTED, ha="left")
    _caption(cv, span / 2, _Y_IN - 0.5,
             r"$c_i = \sum_j \alpha_{ij} h_j$  (line width $\propto \alpha_{ij}$; "
             r"each $c_i$ weighs all of $h_1 \ldots h_N$ differently)", size=_SMALL)
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
        raise ValueError(f"alpha must have shape (out_steps, in_steps) = ({m}, {n}), got "
                         f"{len(rows)} rows of lengths {[len(r) for r in rows]}.")
    for i, r in enumerate(rows):
        if any(v < 0 for v in r) or abs(sum(r) - 1) > 1e-3:
            raise ValueError(f"row {i} of alpha must be non-negative and sum to 1 (a "
                             f"softmax), got {r}; normalise it with r / r.sum().")
    return rows
