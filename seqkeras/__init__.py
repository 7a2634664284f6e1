"""seqkeras: the helper package of the seqkeras course.

Small modules, each with one job:

- ``seqkeras.data``      the offline datasets in ``data/`` (checksummed) and synthetic task generators
- ``seqkeras.seq2seq``   encoder–decoder helpers: teacher forcing, BLEU/chrF, baselines, accuracy by length
- ``seqkeras.text``      token lists for Keras' StringLookup, and sliding windows over id sequences
- ``seqkeras.series``    time series: windows, gaps, seasonal-naive and recursive forecasts
- ``seqkeras.reference`` NumPy reference implementations (dense layer, RNN cell, BPTT, ...)
- ``seqkeras.layers``    custom Keras layers and cells, serialisable and backend-agnostic
- ``seqkeras.diagrams``  pictures of unrolled networks and topologies
- ``seqkeras.plots``     training curves and other plots the lessons share
- ``seqkeras.notebook``  the setup cell, quiet-but-visible training progress, timers
- ``seqkeras.grading``   the exercise-check framework; ``seqkeras.checks.lessonNN`` the checkers
- ``seqkeras.exercises`` builds learner notebooks from the solution notebooks, and executes them
- ``seqkeras.grade``     grades learner notebooks: ``python -m seqkeras.grade``, a scoreboard, JUnit, JSON

Modules are imported on demand (``from seqkeras import data``) so that importing
``seqkeras`` alone stays cheap.
"""

from __future__ import annotations

import os

# Quiet TensorFlow's C++ logging; must happen before TensorFlow is first imported. Level 3 also
# hides notices TensorFlow logs at error level although they are only about speed (e.g. "oneDNN
# supports DT_BOOL only on platforms with AVX-512", printed by every masked RNN on most CPUs).
# Real failures still raise Python exceptions. Set the variable yourself to see everything.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"
__all__ = ["__version__"]
