"""The exercise solutions as the solution notebooks write them, for the checker tests.

Each ``tests/test_checks_lessonNN.py`` runs its lesson's own solution through its checker, so a
solution edited in the notebook is tested as it stands, not a copy of it kept in the tests.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import keras
import nbformat
import numpy as np
from keras import ops

import seqkeras.reference as ref
from seqkeras import seq2seq as s2s

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"

# What a solution may use without importing it: the names the lessons' first cells import.
_NAMES = {
    "np": np,
    "ref": ref,
    "keras": keras,
    "layers": keras.layers,
    "ops": ops,
    "Counter": collections.Counter,
    "s2s": s2s,
}


def notebook_solution(notebook: str, name: str) -> Any:
    """The function ``name`` as ``notebooks/solutions/<notebook>`` defines it: the first code cell
    with a top-level ``def name(``, that def block run alone (the lines up to the next
    unindented one) with the lessons' usual imports in scope."""
    for cell in nbformat.read(SOLUTIONS / notebook, as_version=4).cells:
        lines = cell.source.splitlines()
        starts = [k for k, line in enumerate(lines) if line.startswith(f"def {name}(")]
        if cell.cell_type == "code" and starts:
            end = next((k for k in range(starts[0] + 1, len(lines)) if lines[k][:1] not in ("", " ")), None)
            scope = dict(_NAMES)
            exec("\n".join(lines[starts[0] : end]), scope)
            return scope[name]
    raise LookupError(f"{notebook} defines no {name}")
