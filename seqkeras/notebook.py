"""What every lesson notebook does at the top, and while it trains.

- :func:`setup` seeds everything, quiets logs and prints the versions in use.
- :class:`Progress` is a Keras callback that keeps one live line per ``fit`` call: in
  Jupyter it updates in place, so a learner sees training move, while the stored output
  (and nbval) sees only the final line.
- :func:`timer` states how long a heavy cell took.
- :func:`budget` and :func:`claim` let one notebook run two ways: at full settings, where
  every learning claim is asserted, and in *quick mode* (``SEQKERAS_QUICK=1`` in the
  environment; :data:`QUICK`), where training budgets are cut and the claims are not
  checked. ``make test`` runs the learner copies quick and the solution copies in full.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np

__all__ = ["setup", "Progress", "timer", "QUICK", "budget", "claim"]

_T = TypeVar("_T")
_QUICK_VARIABLE = "SEQKERAS_QUICK"


def _quick_from(environ) -> bool:
    """Read quick mode from an environment mapping: ``"1"`` on; unset, ``""`` or ``"0"`` off."""
    value = environ.get(_QUICK_VARIABLE, "").strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValueError(
        f"{_QUICK_VARIABLE}={value!r} is not understood: set it to 1 for quick mode (cut training "
        "budgets, learning claims not checked) or to 0 (or leave it unset) for full settings."
    )


QUICK: bool = _quick_from(os.environ)
"""True when this process runs in quick mode: ``SEQKERAS_QUICK=1`` in the environment at import.

``make test`` sets it for the learner copies of the notebooks (see ``conftest.py``); a learner
opening a notebook in Jupyter runs it in full.
"""


def setup(seed: int = 0, *, quiet: bool = True, show_versions: bool = True) -> None:
    """Seed Python, NumPy and Keras, quiet TensorFlow, and set plot defaults.

    Call once, in the first code cell of a lesson, before importing Keras yourself:
    ``from seqkeras.notebook import setup`` imports Keras with TensorFlow's C++ start-up
    messages (harmless CUDA notices on machines without a GPU) hidden.

    Args:
        seed: seed for ``random``, ``numpy.random`` and Keras (``keras.utils.set_random_seed``).
        quiet: hide TensorFlow's C++ log lines (info, warnings, and speed notices it logs as
            errors; real failures still raise exceptions) and its Python warnings.
        show_versions: print the Python, NumPy, Keras and backend versions.
    """
    if quiet:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = _import_keras_quietly()

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if quiet:
        import logging

        logging.getLogger("tensorflow").setLevel(logging.ERROR)
        try:
            import absl.logging

            absl.logging.set_verbosity(absl.logging.ERROR)
        except ImportError:  # backends other than TensorFlow do not ship absl
            pass
    try:
        import matplotlib

        matplotlib.rcParams.update(
            {
                "figure.dpi": 90,
                "axes.spines.top": False,
                "axes.spines.right": False,
                "axes.grid": True,
                "grid.alpha": 0.3,
            }
        )
    except ImportError:
        pass
    np.set_printoptions(precision=4, suppress=True)
    if show_versions:
        print(
            f"Python {sys.version.split()[0]} | NumPy {np.__version__} | "
            f"Keras {keras.__version__} (backend: {keras.backend.backend()}) | seed {seed}"
        )


def _display_handle():
    """An IPython display handle that can be updated in place, or None outside a kernel."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    if get_ipython() is None or not hasattr(get_ipython(), "kernel"):
        return None
    return display(_Text(""), display_id=True)


class _Text:
    """Plain text for IPython's display (a bare ``str`` would be shown with quotes)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _fmt_logs(logs: dict | None) -> str:
    return "  ".join(
        f"{k} {v:.4f}" for k, v in sorted((logs or {}).items()) if isinstance(v, (int, float, np.floating))
    )


@contextmanager
def _silenced_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the block (C++ start-up logs bypass Python)."""
    try:
        saved = os.dup(2)
    except OSError:  # no real stderr (some embedded interpreters): nothing to silence
        yield
        return
    try:
        sys.stderr.flush()
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _import_keras_quietly():
    """Import Keras and start its backend with the C++ start-up chatter hidden.

    TensorFlow prints "Could not find cuda drivers" and "failed call to cuInit" on every
    machine without a GPU, before any Python logging setting can take effect; on a
    learner's laptop that reads like an error. Python exceptions still surface as usual.
    """
    if "keras" in sys.modules:
        import keras

        return keras
    with _silenced_stderr():
        import keras

        keras.ops.convert_to_numpy(keras.ops.zeros(1))  # starts the backend's devices now
    return keras


_keras = _import_keras_quietly()
_Callback = _keras.callbacks.Callback


class Progress(_Callback):
    """A one-line training progress display: ``model.fit(..., verbose=0, callbacks=[Progress()])``.

    In Jupyter the line appears as soon as training starts, shows the batch and running
    metrics within the epoch (at most once a second, from the first batch on, so a slow
    laptop never looks hung), and after each epoch its metrics; when training ends the
    final line stays as the cell's output (epoch count, final metrics, wall time). Outside
    Jupyter it prints the final line only, so logs stay short.

    Args:
        label: a name printed before the line, e.g. ``"LSTM"``.
        every: update the live line every ``every`` epochs.
    """

    #: seconds between two in-epoch updates of the line
    TICK_S = 1.0

    def __init__(self, label: str = "", every: int = 1):
        super().__init__()
        self.label = label
        self.every = max(1, int(every))
        self._handle = None
        self._start = 0.0
        self._epochs = 0

    def _line(self, epoch: int, logs: dict | None) -> str:
        prefix = f"{self.label}: " if self.label else ""
        return (
            f"{prefix}epoch {epoch}/{self._epochs}  {_fmt_logs(logs)}  "
            f"({time.perf_counter() - self._start:.1f} s)"
        )

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self._epochs = int(self.params.get("epochs", 0)) if self.params else 0
        self._handle = _display_handle()
        self._epoch, self._tick = 1, 0.0
        if self._handle is not None:
            prefix = f"{self.label}: " if self.label else ""
            self._handle.update(
                _Text(f"{prefix}epoch 1/{self._epochs}  starting (the first batch compiles the model)")
            )

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        # Within an epoch, in Jupyter only: the batch and the running metrics, at most once per
        # TICK_S seconds (the first batch always), so the line moves from the start.
        if self._handle is None or time.perf_counter() - self._tick < self.TICK_S:
            return
        self._tick = time.perf_counter()
        steps = self.params.get("steps") if self.params else None
        where = f"batch {batch + 1}/{steps}" if steps else f"batch {batch + 1}"
        prefix = f"{self.label}: " if self.label else ""
        self._handle.update(
            _Text(
                f"{prefix}epoch {self._epoch}/{self._epochs}  {where}  {_fmt_logs(logs)}  "
                f"({time.perf_counter() - self._start:.1f} s)"
            )
        )

    def on_epoch_end(self, epoch, logs=None):
        self._last = (epoch + 1, dict(logs or {}))
        if self._handle is not None and ((epoch + 1) % self.every == 0):
            self._handle.update(_Text(self._line(epoch + 1, logs)))

    def on_train_end(self, logs=None):
        epoch, last = getattr(self, "_last", (0, logs or {}))
        line = self._line(epoch, last)
        if self._handle is not None:
            self._handle.update(_Text(line))
        else:
            print(line)


@contextmanager
def timer(label: str = "took") -> Iterator[None]:
    """Print how long the block took: ``with timer("training"): ...`` prints ``training: 4.2 s``."""
    start = time.perf_counter()
    yield
    print(f"{label}: {time.perf_counter() - start:.1f} s")


def budget(full: _T, quick: _T, /) -> _T:
    """A setting that costs time: ``full`` normally, ``quick`` in quick mode (:data:`QUICK`).

    ``EPOCHS = budget(8, 1)`` trains for 8 epochs when a learner runs the notebook (and when
    the test suite runs the solution copy), and for 1 when the test suite runs the learner
    copy only to prove that every cell still runs. Any values work: epochs, sample counts,
    ``None`` for "all of them".

    Args:
        full: the value the lesson's text and results are about.
        quick: a cheaper value that still exercises the same code.

    Raises:
        ValueError: both are numbers and ``quick`` is the larger: the arguments are most
            likely swapped (the order is ``budget(full, quick)``).
    """
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (full, quick))
    if numbers and quick > full:  # type: ignore[operator]
        raise ValueError(
            f"budget(full={full!r}, quick={quick!r}): the quick value is larger than the full one; "
            "the order is budget(full, quick), e.g. EPOCHS = budget(8, 1)."
        )
    return quick if QUICK else full


def claim(condition: object, message: str) -> None:
    """Assert a claim about learning: ``claim(accuracy > 0.9, "the LSTM should remember")``.

    The claim is asserted on the solution copy of a notebook, which the test suite runs at
    full budget; a learner running a notebook in Jupyter gets it checked too. In quick mode
    (:data:`QUICK`, cut budgets) it is not checked: that run only proves that the notebook
    runs from top to bottom. Use a plain ``assert`` for facts that hold however long a model
    trained (shapes, NumPy equal to Keras, properties of the data).

    Args:
        condition: the claim; anything with a truth value (a NumPy bool included).
        message: what was expected, with the measured value, shown when the claim fails.

    Raises:
        AssertionError: ``condition`` is false, outside quick mode.
        TypeError: ``message`` is not a string (e.g. the two arguments swapped).
    """
    if not isinstance(message, str):
        raise TypeError(
            f"claim(condition, message) wants a message string second, got {type(message).__name__}"
        )
    holds = bool(condition)  # evaluated in quick mode too, so a malformed claim still fails
    if not holds and not QUICK:
        raise AssertionError(message)
