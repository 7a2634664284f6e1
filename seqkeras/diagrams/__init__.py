"""Pictures of the networks the course builds: cells, unrolled chains, topologies.

One module per kind of picture (``cells``, ``gated`` (LSTM, GRU), ``topologies``, ``seq2seq``,
and one per later lesson); the shared visual language lives in ``_base``. Import the pictures from here.

Every picture uses the same visual language, so a learner can read a new one at a glance:

- a **box** is a vector; its colour says its role: blue for inputs ``x_t``, orange for
  hidden states ``h_t`` (a recurrent cell), green for outputs ``ŷ_t``, purple for a
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

from seqkeras.diagrams._base import ROLE_COLORS, TOPOLOGIES, WEIGHT_COLORS
from seqkeras.diagrams.cells import dense_layer, rnn_cell, rolled
from seqkeras.diagrams.gated import gru_cell, lstm_cell
from seqkeras.diagrams.seq2seq import attention, bidirectional, encoder_decoder
from seqkeras.diagrams.series import multi_step, series_windows
from seqkeras.diagrams.topologies import topologies, unrolled

__all__ = [
    "dense_layer",
    "rnn_cell",
    "lstm_cell",
    "gru_cell",
    "rolled",
    "unrolled",
    "topologies",
    "encoder_decoder",
    "bidirectional",
    "attention",
    "TOPOLOGIES",
    "ROLE_COLORS",
    "WEIGHT_COLORS",
]
__all__ += ["series_windows", "multi_step"]  # lesson 05: forecasting a time series
