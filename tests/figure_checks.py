"""What the diagram tests share: finding a picture's parts, and the legibility check every
picture must pass. (A plain module, not a test file: ``from figure_checks import ...``.)"""

from __future__ import annotations

import io
import itertools

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def patches(fig, gid):
    """The patches of every Axes of ``fig`` whose gid is ``gid`` (boxes, arrows)."""
    return [p for ax in fig.axes for p in ax.patches if p.get_gid() == gid]


def texts(fig, contains="", gid=None):
    """The texts of every Axes of ``fig`` that contain ``contains`` (and have gid ``gid``)."""
    return [
        t
        for ax in fig.axes
        for t in ax.texts
        if contains in t.get_text() and (gid is None or t.get_gid() == gid)
    ]


def assert_legible(fig, name):
    """``fig`` is a Figure of notebook size whose labels are inside it, apart from each other,
    at least 6 pt, and that renders to PNG."""
    assert isinstance(fig, Figure)
    width, height = fig.get_size_inches()
    assert width <= 10.0 and height <= 10.0, f"{name} is {width:.1f} x {height:.1f} inches"
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts(fig) if t.get_text()]
    assert boxes, "a picture without labels"
    for text, bb in boxes:
        assert (
            bb.x0 >= fig.bbox.x0 - 1
            and bb.y0 >= fig.bbox.y0 - 1
            and bb.x1 <= fig.bbox.x1 + 1
            and bb.y1 <= fig.bbox.y1 + 1
        ), f"{text!r} is clipped"
    for (t1, b1), (t2, b2) in itertools.combinations(boxes, 2):
        assert not b1.overlaps(b2), f"labels {t1!r} and {t2!r} overlap"
    sizes = [t.get_fontsize() for t in texts(fig)]
    assert min(sizes) >= 6, f"smallest label is {min(sizes):.1f} pt"
    fig.savefig(io.BytesIO(), format="png")  # renders without error
