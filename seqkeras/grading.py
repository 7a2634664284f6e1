"""The exercise-check framework shared by every lesson's checkers.

A checker is a function decorated with :func:`exercise`. It receives the learner's
function (or answer), runs it on test inputs and compares the result with the reference.

Outcomes, as a learner sees them in the notebook:

- **passed**: prints ``✅ Exercise 01.1 (rnn_cell_step): passed`` and returns a true
  :class:`Outcome` (it shows nothing more in the notebook).
- **not attempted yet**: the learner's function is still the generated stub (it raises
  ``NotImplementedError`` with the stub's own message, :data:`STUB_MESSAGE`) or the answer
  is still ``None``/``...``; prints ``⏳ ... not attempted yet`` and returns a false
  :class:`Outcome`, so an untouched notebook runs top to bottom. Set the environment
  variable ``SEQKERAS_STRICT=1`` (graders, CI) to make this a failure instead. Any other
  ``NotImplementedError`` comes from attempted code and is reported as a crash.
- **wrong**: raises :class:`ExerciseError` (an ``AssertionError``) whose message says what
  differs and points at the likely bug. In Jupyter the message is shown alone, without a
  traceback (:meth:`ExerciseError._render_traceback_`); pytest and nbval still see a failure.
- **crash**: the learner's code raised. The message gives the original exception type and
  its full text, the line of the learner's own code where it happened (not a library
  line), and a hint only where one applies (shape errors).
- **wrong kind of answer** (an array where a model is expected, a string where a number
  is): a sentence that says what was expected; never a crash inside the checker.

Writing a checker: test behaviour, not one point. A learner will find every answer that
passes a weak check, so each checker should

- call the answer at two or more sizes (lengths, batch sizes, units), including T = 1, a
  batch of one and a size the lesson never uses, so that hard-coded sizes fail;
- probe behaviour instead of looking for layers: the output must change when only an
  early step changes, must not change when only padded steps change, must depend on the
  order of the steps;
- include extreme inputs (a large spread, long sequences) where the formula can overflow;
- start from random, non-zero state (weights, biases) so that lucky zeros hide nothing;
- check contracts: integer token ids, a given ``rng`` honoured (same seed, same output;
  no global generator), inputs left unmodified (pass copies, compare), axes of size one kept;
- accept correct answers written differently (explicit masks, functional or subclassed
  models, another recurrent layer where any would do), judging by behaviour;
- name the likely bug in the message, via ``likely_bugs``.

The contract policy, the same in every lesson (write new checkers to it):

- **One array asked → one array.** A NumPy array, or a tensor of the backend (TensorFlow,
  JAX, Torch: anything with a ``shape`` and a numeric ``dtype``) is accepted and converted.
  A list or a tuple is refused, by name ("a list of 3 items; return a NumPy array ...
  np.stack"): the lesson's next cells use ``.shape``, and a learner who returns a list has
  usually not noticed. :func:`expect_array`, :func:`expect_one_array`.
- **A list asked → any sequence.** Where the exercise asks for a list (of token ids, of
  arrays), a list, a tuple or a 1-D array will do. **Several results → a tuple or a list**
  of that many, in the documented order; a pair in the wrong order is named
  (:func:`expect_pair`, :func:`swapped_pair`).
- **One number asked → one number**: a Python or NumPy number, or an array of shape ``()``
  (:func:`expect_number`); a list, an array of one element or a library object is refused.
- **No aliasing.** The learner's function neither changes the arrays it is given
  (:func:`expect_unchanged`) nor returns them, or a writable view of them, as its result
  (:func:`expect_new_arrays`): the caller must be able to change one without the other. A
  read-only view (``sliding_window_view``) is accepted.
- **What the learner's code passes to the checker's fakes** (a decoder's ``step``, a
  ``predict``) follows the exercise's documentation too: where it says "an int array of
  shape (1,)", a bare int or a list is refused by name (:func:`argument_mistake`).

The common diagnoses of a wrong kind of answer live once, here, and every checker runs them
before its own (:func:`kind_mistake`): a missing ``return`` (``None``); a library object
instead of numbers (a sacrebleu ``BLEUScore``: its number is ``.score``); a tuple where one
array is asked (a trailing comma, a pair); a list instead of an array; a pair returned in the
wrong order. Generic hints ("take the sizes from the arguments", "keep the batch axis") are
given only where they explain the error: :func:`expect_array` with a ``shape`` picks the one
that fits the shape it got.

Helpers, so that every lesson does these things one way:

- :func:`call_on_copies` and :func:`expect_unchanged`: inputs left unmodified;
- :func:`expect_array` with a ``shape``: the kind, shape and kept axes of an array answer;
  :func:`shape_str` to write a shape in a message;
- :func:`rng_use`: is the given random generator the only source of randomness?
- :func:`to_numpy`, :func:`all_layers`, :func:`model_output`, :func:`declared_input_shape`:
  Keras tensors as arrays, a model's layers (wrappers opened), a learner's model run on a
  probe with every odd outcome explained;
- :func:`expect_shape_answers`: a "predict the shapes" dict;
- :func:`load_weights_hint`: a crash while loading weights into a layer.

Each checker is tested in ``tests/`` against the reference, a correct alternative written
differently, at least four wrong answers from the classes above, and the untouched stub.

Example::

    @exercise("01.1", "rnn_cell_step")
    def check_rnn_cell_step(fn):
        got = call(fn, x, h, U, W, b)                    # learner code, errors explained
        expect_shape("h_t", got, (2, 4))
        expect_close("h_t", got, reference(...),
                     likely_bugs={"your h_t ignores the previous state: check the W term":
                                  np.tanh(x @ U + b)})
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import re
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "ExerciseError",
    "expect_nothing_attended",
    "NotAttempted",
    "LearnerCrash",
    "Outcome",
    "exercise",
    "Result",
    "RESULTS",
    "CHECKED",
    "LOG_ENV",
    "scoreboard",
    "scoreboard_lines",
    "strict_mode",
    "call",
    "require_answer",
    "expect_shape",
    "expect_close",
    "expect_equal",
    "expect_array",
    "expect_model",
    "expect_int",
    "expect_number",
    "expect_one_array",
    "expect_pair",
    "expect_new_arrays",
    "kind_mistake",
    "library_object",
    "swapped_pair",
    "argument_mistake",
    "ALIASED",
    "expect_unchanged",
    "call_on_copies",
    "all_layers",
    "declared_input_shape",
    "model_output",
    "expect_shape_answers",
    "rng_use",
    "load_weights_hint",
    "shape_str",
    "to_numpy",
    "CHANGED_IN_PLACE",
    "STRICT_ENV",
    "STUB_MESSAGE",
]

#: Environment variable that turns "not attempted yet" into a failure (for graders and CI).
STRICT_ENV = "SEQKERAS_STRICT"

#: What the generated stub raises (see :mod:`seqkeras.exercises`); only this means "not attempted".
STUB_MESSAGE = "Exercise: write your code here"

#: Environment variable naming a file to which every check appends its result, one JSON line each
#: (``python -m seqkeras.grade`` sets it in the kernels it starts).
LOG_ENV = "SEQKERAS_GRADE_LOG"

#: The outcomes a check can have, and their marks in a scoreboard.
OUTCOMES = {"passed": "✅", "wrong": "❌", "crashed": "💥", "not attempted": "⏳"}


class Result(NamedTuple):
    """One check of an exercise: what :func:`exercise` records each time a checker runs.

    ``outcome`` is one of :data:`OUTCOMES`; ``message`` the first line of the checker's verdict
    ("" when passed); ``seconds`` how long the check took.
    """

    number: str
    title: str
    outcome: str
    message: str
    seconds: float


#: Every checked exercise, by number: its title (filled in as the checker modules are imported).
CHECKED: dict[str, str] = {}
#: The latest result of each exercise checked in this process (this kernel), by number.
RESULTS: dict[str, Result] = {}


def _record(result: Result) -> None:
    RESULTS[result.number] = result
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps(result._asdict(), ensure_ascii=False) + "\n")


def _first_line(text: str) -> str:
    return next((line.strip() for line in str(text).splitlines() if line.strip()), "")


class ExerciseError(AssertionError):
    """A wrong answer. The message names what differs and the likely bug.

    In IPython/Jupyter the message is shown alone, without a traceback: the traceback would
    point into the checker, which is not where the learner's bug is.
    """

    def _render_traceback_(self) -> list[str]:
        return str(self).split("\n")


#: How every crash report starts (:func:`call`), kept when a checker adds to the message.
_CRASH_WORDS = "your code raised "


class LearnerCrash(ExerciseError):
    """The learner's code raised while it was being checked (a crash, not a wrong value)."""


class NotAttempted(Exception):
    """Raised inside a checker when the learner has not written an answer yet."""


class Outcome:
    """What a checker returns: true if passed, false if not attempted yet.

    The checker has already printed its verdict, so in a notebook the outcome itself
    displays nothing (a bare ``True`` under the message would only be noise).
    """

    __slots__ = ("passed", "label")

    def __init__(self, passed: bool, label: str):
        self.passed = passed
        self.label = label

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"<{self.label}: {'passed' if self.passed else 'not attempted'}>"

    def _ipython_display_(self) -> None:
        pass


def strict_mode() -> bool:
    """True if ``SEQKERAS_STRICT`` is set to 1/true/yes: then not attempted counts as failed."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def require_answer(value: Any, name: str = "answer") -> Any:
    """Return ``value``, or signal "not attempted" if it is still ``None`` or ``...``."""
    if value is None or value is Ellipsis:
        raise NotAttempted(f"`{name}` is still {value!r}")
    return value


def _library_dirs() -> tuple[str, ...]:
    """Folders whose frames are library code, not the learner's: Python, site-packages, seqkeras."""
    dirs = {os.path.dirname(os.__file__), os.path.dirname(os.path.abspath(__file__))}
    dirs.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(os.path.realpath(d) + os.sep for d in dirs if d)


def _learner_frame(tb: Any) -> traceback.FrameSummary | None:
    """The innermost frame of a traceback that is the learner's own code (a notebook cell or
    their module), or None."""
    libs = _library_dirs()
    frames = [
        f
        for f in traceback.extract_tb(tb)
        if not os.path.realpath(f.filename).startswith(libs) and "<frozen" not in f.filename
    ]
    return frames[-1] if frames else None


def _is_stub(err: NotImplementedError) -> bool:
    """True if ``err`` is the generated stub's own ``raise``, not one from attempted code."""
    return STUB_MESSAGE in str(err)


_SHAPE_WORDS = (
    "shape",
    "dimension",
    "broadcast",
    "matmul",
    "size",
    "rank",
    "incompatible",
    "aligned",
    "axis",
)


def _describe(value: Any) -> str:
    """A short description of an argument for a crash report: ``ndarray(3, 4)``, ``int``."""
    if hasattr(value, "shape"):
        return f"{type(value).__name__}{tuple(value.shape)}"
    return type(value).__name__


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``fn``; turn the stub into NotAttempted and a crash into a diagnosis.

    The diagnosis keeps the original exception's type and full text, names the line of the
    learner's own code where it happened, and adds a hint about shapes only for errors that
    are about shapes.
    """
    if fn is None or fn is Ellipsis:
        raise NotAttempted("no function given")
    if not callable(fn):
        raise ExerciseError(
            f"expected a function, got {_describe(fn)}: pass the function "
            "itself (its name, without parentheses)."
        )
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as err:
        if _is_stub(err):
            raise NotAttempted(STUB_MESSAGE) from None
        _raise_crash(err, args, kwargs)
    except (ExerciseError, NotAttempted):
        raise
    except Exception as err:  # a crash in learner code
        _raise_crash(err, args, kwargs)


def _raise_crash(err: BaseException, args: tuple, kwargs: dict) -> None:
    frame = _learner_frame(err.__traceback__)
    where = f"\nIn your code, line {frame.lineno}: `{(frame.line or '').strip()}`" if frame else ""
    text = str(err).strip() or "(no message)"
    called = ", ".join([_describe(a) for a in args] + [f"{k}={_describe(v)}" for k, v in kwargs.items()])
    msg = f"{_CRASH_WORDS}{type(err).__name__}: {text}{where}\nIt was called with ({called})."
    if isinstance(err, (ValueError, TypeError, IndexError)) and any(w in text.lower() for w in _SHAPE_WORDS):
        msg += " Check the shapes: print them at each step of your computation."
    raise LearnerCrash(msg) from err


def shape_str(shape: Sequence[int]) -> str:
    """A shape as a learner reads it: ``(3, 4)``, ``(5,)``, ``()`` (NumPy ints made plain).

    Pass ``np.shape(value)`` to describe a value's shape.
    """
    return str(tuple(int(s) for s in shape))


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def expect_array(
    name: str,
    got: Any,
    shape: Sequence[int] | None = None,
    axes: Sequence[str] | None = None,
    given: str = "",
) -> np.ndarray:
    """``got`` as a float array, or a clear "wrong kind of answer" failure.

    Without ``shape`` anything NumPy turns into an array of numbers is accepted (a list, a
    NumPy, TensorFlow or JAX array); a string, a function, a ragged list or ``None`` fails.

    With ``shape`` the answer must be an array of exactly that shape (a list or tuple is
    refused: the exercise asks for one array, and ``np.stack`` makes one). A wrong shape is
    explained: a missing axis of size 1 (``np.squeeze``, ``[0]``), a transposed matrix, or
    the first axis whose size differs (a size written into the code).

    Args:
        name: what the value is, e.g. ``"y"``.
        got: the learner's result.
        shape: the expected shape, or None for any shape.
        axes: with ``shape``, a name for each axis, e.g. ``("batch", "n_out")``, for the
            messages (default: "first", "second", ...).
        given: with ``shape``, the inputs of this call, e.g. ``"for x (1, 6) and W (6, 4)"``.
    """
    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` it?")
    if shape is None:
        return _any_array(name, got)
    shape = tuple(int(s) for s in shape)
    axes = tuple(axes) if axes is not None else _ORDINALS[: len(shape)]
    want = f"a NumPy array of shape {shape_str(shape)}"
    mistake = kind_mistake(name, got, want)
    if mistake:
        raise ExerciseError(mistake)
    if isinstance(got, (str, bytes, dict, set)) or callable(got):
        raise ExerciseError(f"{name} should be {want}, got a {type(got).__name__}.")
    try:
        arr = np.asarray(got)  # NumPy, JAX and TensorFlow arrays alike
    except Exception:  # anything that will not convert is the wrong kind of answer
        raise ExerciseError(f"{name} should be {want}, got a {type(got).__name__}.") from None
    if arr.dtype.kind not in "iuf":
        raise ExerciseError(
            f"{name} should be an array of numbers of shape {shape_str(shape)}, "
            f"got an array of dtype {arr.dtype}."
        )
    got_shape = tuple(int(s) for s in arr.shape)
    if got_shape != shape:
        msg = f"{name} has shape {shape_str(got_shape)}, expected {shape_str(shape)}" + (
            f" {given}." if given else "."
        )
        squeezed = [i for i, s in enumerate(shape) if s == 1 and shape[:i] + shape[i + 1 :] == got_shape]
        if squeezed:
            msg += (
                f" The {axes[squeezed[0]]} axis of size 1 is missing: keep it (a batch of one "
                "example, a single step or an output of width one keeps its axis), so do not "
                "np.squeeze the result or index it with [0]."
            )
        elif len(got_shape) < len(shape) - 1 and tuple(s for s in shape if s != 1) == got_shape:
            names = " and ".join(a for a, s in zip(axes, shape) if s == 1)
            msg += (
                f" The {names} axes of size 1 are missing: keep them (a batch of one example, a "
                "single step or an output of width one keeps its axis), so do not np.squeeze the "
                "result or index it with [0]."
            )
        elif len(shape) == 2 and got_shape == shape[::-1]:
            msg += " It looks transposed: check the order of the matrix product."
        elif len(got_shape) == len(shape):
            wrong = [i for i, (g, e) in enumerate(zip(got_shape, shape)) if g != e]
            msg += (
                f" Its {axes[wrong[0]]} axis has {got_shape[wrong[0]]} entries instead of "
                f"{shape[wrong[0]]}. The sizes change from call to call: if a size is written "
                "into your code, take it from the arguments' .shape instead."
            )
        raise ExerciseError(msg)
    return arr.astype(float)


def _any_array(name: str, got: Any) -> np.ndarray:
    """``got`` (not None) as a float array of any shape, or a "wrong kind of answer" failure."""
    if callable(got):
        raise ExerciseError(
            f"{name} should be an array of numbers, got a function "
            f"({_describe(got)}): return the result of calling it, not the function."
        )
    if isinstance(got, (str, bytes)):
        raise ExerciseError(f"{name} should be an array of numbers, got {_describe(got)} {got!r}.")
    try:
        arr = _as_array(got).astype(float)
    except (TypeError, ValueError):
        raise ExerciseError(
            f"{name} should be an array of numbers, got {_describe(got)} that "
            "NumPy cannot turn into one (ragged lists or non-numbers?)."
        ) from None
    return arr


def library_object(got: Any) -> str | None:
    """``"a BLEUScore object from sacrebleu"`` if ``got`` is an object of an installed library
    that is neither a number nor an array (nor a tensor), else None.

    NumPy, JAX, TensorFlow and Torch arrays have a ``shape`` and count as arrays; Python's own
    types and the learner's own classes are not libraries.
    """
    if got is None or isinstance(got, (int, float, complex, bool, str, bytes, np.generic, np.ndarray)):
        return None
    if hasattr(got, "shape") and hasattr(got, "dtype"):
        return None
    kind = type(got)
    top = (kind.__module__ or "").split(".")[0]
    if top in ("builtins", "numpy", "__main__", ""):
        return None
    module = sys.modules.get(top)
    where = os.path.realpath(getattr(module, "__file__", "") or "")
    if not any(part in where for part in ("site-packages", "dist-packages")):
        return None
    return f"a {kind.__name__} object from {top}"


def kind_mistake(name: str, got: Any, want: str) -> str | None:
    """The common diagnosis of an answer of the wrong kind where ``want`` is asked, or None.

    The one place where the course's checkers name these mistakes (see the contract policy
    in this module's docstring): ``None`` (a missing ``return``); a library object instead of
    numbers (a sacrebleu ``BLEUScore``: its number is ``.score``); a tuple where one array is
    asked (a trailing comma, or a pair returned where one value is asked); a list instead of
    an array (``np.array``/``np.stack``).

    Args:
        name: what the value is, e.g. ``"h_t"``.
        got: the learner's answer.
        want: what was asked, e.g. ``"a NumPy array of shape (2, 3)"`` or ``"one number"``.
    """
    if got is None:
        return f"{name} is None: did you forget to `return` it?"
    lib = library_object(got)
    if lib:
        number = (
            " (its number is `.score`)"
            if hasattr(got, "score") and isinstance(got.score, (int, float, np.floating))
            else ""
        )
        return (
            f"{name} is {lib}{number}, not numbers: return {want}, the numbers themselves, "
            "computed by your own code."
        )
    if isinstance(got, tuple):
        if len(got) == 1:
            return (
                f"{name} is a tuple of 1 item, not {want}: a trailing comma (`return y,`) makes a "
                "tuple; drop it."
            )
        if len(got) == 2 and not all(np.isscalar(g) for g in got):
            return (
                f"{name} is a tuple of 2 items (a pair, e.g. `return a, b`), not {want}: return "
                "only the one value asked for."
            )
        return (
            f"{name} is a tuple of {len(got)} items; return {want} instead "
            "(np.array(...) or np.stack(...) turn a tuple of arrays into one array)."
        )
    if isinstance(got, list):
        return (
            f"{name} is a list of {len(got)} items; return {want} instead "
            "(np.array(...) or np.stack(...) turn a list of arrays into one array)."
        )
    return None


def expect_one_array(name: str, got: Any) -> np.ndarray:
    """``got`` as a float array of any shape, where the exercise asks for ONE array.

    Like :func:`expect_array` without a shape, but a list or tuple is refused (the contract
    policy): :func:`kind_mistake` names it. A NumPy array or a backend's tensor passes.
    """
    mistake = kind_mistake(name, got, "one NumPy array")
    if mistake:
        raise ExerciseError(mistake)
    return _any_array(name, got)


def expect_number(name: str, got: Any) -> float:
    """``got`` as a float where the exercise asks for one number: a Python or NumPy number or
    an array of shape ``()``; anything else (a list, an array of one element, a library
    object, a string) gets the common diagnosis."""
    mistake = kind_mistake(name, got, "one number (a float)")
    if mistake:
        raise ExerciseError(mistake)
    if isinstance(got, (str, bytes, dict, set)) or callable(got) or isinstance(got, bool):
        raise ExerciseError(f"{name} should be one number (a float), got {_describe(got)}.")
    arr = _any_array(name, got)
    if arr.ndim:
        raise ExerciseError(
            f"{name} should be one number, got an array of shape {shape_str(arr.shape)}: "
            + ("take the number out with float(...)." if arr.size == 1 else "reduce it to one value.")
        )
    return float(arr)


def swapped_pair(first: str, second: str) -> str:
    """The message for a pair returned in the wrong order, ``(second, first)``."""
    return (
        f"the pair came back in the wrong order, ({second}, {first}): return {first} first, "
        f"`return {first}, {second}`."
    )


def expect_pair(
    got: Any,
    first: str,
    second: str,
    *,
    shapes: tuple[Sequence[int], Sequence[int]] | None = None,
    where: str = "",
) -> tuple[Any, Any]:
    """The learner's pair ``(first, second)``, or the common diagnosis of what came instead.

    A tuple or a list of two is a pair (the contract policy). One array, ``None``, a dict or a
    sequence of another length gets a sentence; with ``shapes`` (the two expected shapes, when
    they differ) a pair in the wrong order is named (:func:`swapped_pair`) before any other
    check. Compare values with :func:`swapped_pair` where the two shapes are equal.
    """
    at = f" {where}" if where else ""
    ask = f"return the pair ({first}, {second}): `return {first}, {second}`."
    if got is None:
        raise ExerciseError(f"the function returned None{at}: {ask}")
    if isinstance(got, (tuple, list)) and len(got) == 2:
        a, b = got
        if shapes is not None and tuple(shapes[0]) != tuple(shapes[1]):
            sa, sb = (
                np.shape(a) if hasattr(a, "shape") else None,
                np.shape(b) if hasattr(b, "shape") else None,
            )
            if sa == tuple(shapes[1]) and sb == tuple(shapes[0]):
                raise ExerciseError(swapped_pair(first, second) + at)
        return a, b
    lib = library_object(got)
    if lib:
        what = lib
    elif isinstance(got, (tuple, list)):
        what = f"a {type(got).__name__} of {len(got)} items"
    elif hasattr(got, "shape"):
        what = f"one array of shape {shape_str(np.shape(got))}"
    else:
        what = f"a {type(got).__name__}"
    raise ExerciseError(f"the function returned {what}{at}: {ask}")


#: What :func:`expect_new_arrays` says; ``{name}`` is the result, ``{arg}`` the argument.
ALIASED = (
    "{name} is the array `{arg}` you were given (or a view that writes into it): the caller "
    "who changes one changes the other. Return a new array, e.g. `{arg}.copy()` or the result "
    "of a computation (`{arg} * scale` makes a new array)."
)


def _arrays_in(value: Any) -> list[np.ndarray]:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _arrays_in(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays_in(v)]
    return []


def expect_new_arrays(name: str, got: Any, passed: Mapping[str, Any], message: str = ALIASED) -> None:
    """Fail if a NumPy array in ``got`` is, or writes into, one of the arrays in ``passed``.

    ``passed`` is what :func:`call_on_copies` returns. A read-only view (e.g.
    ``sliding_window_view``) cannot change the caller's array and is accepted.
    """
    for out in _arrays_in(got):
        if not out.flags.writeable:
            continue
        for arg, value in passed.items():
            if any(np.shares_memory(out, a) for a in _arrays_in(value)):
                raise ExerciseError(message.replace("{name}", name).replace("{arg}", arg))


def argument_mistake(what: str, value: Any, shape: Sequence[int], kinds: str = "i") -> str | None:
    """What is wrong with an argument the learner's code passed to one of the checker's fakes
    (a decoder ``step``, a ``predict``) where the exercise documents an array of ``shape`` and
    dtype kind in ``kinds`` (``"i"``: integers), or None.

    A bare number, a list or tuple, another shape or dtype are each named (the policy: an
    array is an array).
    """
    want = f"an array of shape {shape_str(shape)}"
    if isinstance(value, (bool, int, float, np.generic)):
        return f"{what} is a bare {type(value).__name__}, {value!r}: pass {want}" + (
            ", e.g. np.array([token])." if tuple(shape) == (1,) else "."
        )
    if isinstance(value, (list, tuple)):
        return f"{what} is a {type(value).__name__}, {value!r}: pass {want} (np.array(...))."
    if not hasattr(value, "shape") or not hasattr(value, "dtype"):
        return f"{what} is {_describe(value)}: pass {want}."
    arr = np.asarray(value)
    if tuple(arr.shape) != tuple(shape):
        return f"{what} has shape {shape_str(arr.shape)}: pass {want}."
    if kinds and arr.dtype.kind not in kinds:
        return f"{what} has dtype {arr.dtype}: pass integer ids (np.array([token]) of ints)."
    return None


def to_numpy(value: Any) -> np.ndarray:
    """A Keras variable or tensor (any backend), or an array, as a float64 NumPy array."""
    import keras

    return np.asarray(keras.ops.convert_to_numpy(value), dtype=float)


#: What :func:`expect_unchanged` says by default; ``{name}`` stands for the argument's name.
CHANGED_IN_PLACE = (
    "your function changed its argument `{name}` in place (e.g. `{name} -= ...`, "
    "`{name} *= ...` or `{name}[...] = ...`). The caller still needs it: compute into "
    "a new array instead, e.g. `{name} = {name} - ...` (which makes a new array), or "
    "start from `{name}.copy()`."
)


def _copy(value: Any) -> Any:
    """A copy of the arrays in ``value`` (also inside lists, tuples and dicts); anything
    else (numbers, functions, layers, random generators) is passed on as it is."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _same(before: Any, after: Any) -> bool:
    """True if ``after`` (what the learner's function was given) still equals ``before``."""
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and after.shape == before.shape
            and bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
        )
    if isinstance(before, (list, tuple)):
        return (
            type(after) is type(before)
            and len(after) == len(before)
            and all(_same(b, a) for b, a in zip(before, after))
        )
    if isinstance(before, dict):
        return (
            isinstance(after, dict)
            and after.keys() == before.keys()
            and all(_same(before[k], after[k]) for k in before)
        )
    if after is before:  # numbers, strings and objects passed on as they are
        return True
    try:  # an item of a list replaced by another
        return bool(before == after)
    except Exception:  # a comparison that gives no single answer
        return False


def call_on_copies(
    fn: Callable[..., Any], inputs: Mapping[str, Any], *, index_hint: bool = True
) -> tuple[Any, dict[str, Any]]:
    """Call ``fn`` (via :func:`call`) with copies of ``inputs``, in order; return its result
    and the copies it was given.

    Arrays are copied, also inside lists, tuples and dicts; everything else (numbers,
    functions, Keras layers, random generators) is passed as it is. Compare the copies with
    ``inputs`` afterwards (:func:`expect_unchanged`) to catch a function that modifies its
    arguments in place. NumPy's floating-point warnings are silenced (an overflow shows up as
    nan/inf in the result, which the checker then explains).

    Args:
        fn: the learner's function.
        inputs: ``{argument name: value}``, in the order of ``fn``'s parameters.
        index_hint: add a hint about sizes written into the code to a crash with an
            ``IndexError`` (the checker uses sizes the notebook never does). Turn it off
            where a checker explains index errors itself.
    """
    passed = {k: _copy(v) for k, v in inputs.items()}
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = call(fn, *passed.values())
    except ExerciseError as err:
        if index_hint and "IndexError" in str(err):
            raise ExerciseError(
                f"{err}\nHint: the checker uses sizes your notebook does not. An index out of "
                "range often comes from a size written into the code (such as range(5)): take "
                "sizes from the arguments instead, e.g. x.shape[1]."
            ) from None
        raise
    return got, passed


def expect_nothing_attended(row: Any, subject: str, n_name: str, fix: str) -> None:
    """Fail unless a row of attention weights with nothing to attend to is all zeros.

    The course's masking contract (:func:`seqkeras.reference.attention_weights`): a query
    whose every key is hidden (a row of padding only) gets weights all 0, not NaN and not an
    even spread. The even spread ``1/n`` is what a large negative fill gives (every score
    shifts alike), so it gets its own diagnosis.

    Args:
        row: the learner's weights of that row, ``(n,)``.
        subject: what the row is, ending where the message goes on, e.g.
            ``"row 1 (batch 3, T_x = 5) has no real step"``.
        n_name: the name of ``n`` in the lesson, e.g. ``"T_x"``.
        fix: the remedy, e.g. ``"set the padded weights to 0 after the softmax
            (np.where(mask, alpha, 0.0))"``.

    Raises:
        ExerciseError: the row is not all 0.
    """
    row = np.asarray(row, dtype=float)
    if row.size == 0 or np.abs(row).max() <= 1e-12:
        return
    if np.allclose(row, 1.0 / row.size, atol=1e-6):
        raise ExerciseError(
            f"{subject}, and it got equal weights 1/{n_name}: a large negative fill shifts all its "
            f"scores alike, so the softmax spreads evenly. The lesson's contract gives it weights "
            f"all 0: {fix}."
        )
    raise ExerciseError(
        f"{subject}, so its weights must all be 0 (the lesson's contract: nothing to attend to), "
        f"got {np.round(row, 4).tolist()}."
    )


def expect_unchanged(
    inputs: Mapping[str, Any], passed: Mapping[str, Any], message: str = CHANGED_IN_PLACE
) -> None:
    """Fail if the learner's function changed one of the values it was given.

    Args:
        inputs: the originals, as given to :func:`call_on_copies`.
        passed: the copies it returned, after the call.
        message: what to say; ``{name}`` is replaced by the name of the first changed argument
            (default :data:`CHANGED_IN_PLACE`). Say how to avoid the change in this exercise.
    """
    for name, original in inputs.items():
        if not _same(original, passed[name]):
            raise ExerciseError(message.replace("{name}", name))


def load_weights_hint(
    message: str,
    shapes: str = "the kernel must be (n_in, n_out), which is W.T, and the bias (n_out,)",
    order: str = "[kernel, bias], that is [W.T, b]",
) -> str:
    """A hint for a crash while loading weights into a Keras layer.

    Args:
        message: the crash's message.
        shapes: what each weight's shape must be.
        order: the list ``set_weights`` expects.
    """
    low = message.lower()
    if "setter" in low or "can't set attribute" in low:
        return (
            "a layer's weights are variables: change their values with "
            "layer.kernel.assign(new_value) or layer.set_weights([...]); do not "
            "assign to the attribute."
        )
    if "expecting" in low and "weights" in low:
        return f"set_weights needs every weight of the layer, in the order {order}."
    if "not compatible" in low or "must match" in low:
        return f"Keras refused the shapes: {shapes}."
    return "load the weights with layer.set_weights([...]) or layer.kernel.assign(...)."


def all_layers(model: Any) -> list[Any]:
    """Every layer of a Keras ``model``, once each: nested models, wrappers (``Bidirectional``,
    ``TimeDistributed``) and the cells of recurrent layers opened up."""
    import keras

    found: list[Any] = []
    todo = list(getattr(model, "layers", []) or [])
    while todo:
        layer = todo.pop(0)
        if any(layer is f for f in found):
            continue
        found.append(layer)
        todo.extend(getattr(layer, "layers", []) or [])
        for attr in ("layer", "forward_layer", "backward_layer", "cell"):
            inner = getattr(layer, attr, None)
            if isinstance(inner, keras.layers.Layer):
                todo.append(inner)
    return found


def expect_model(name: str, got: Any) -> Any:
    """``got`` if it is a Keras model or layer, else a sentence saying what was expected."""
    import keras

    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` the model?")
    if not isinstance(got, keras.layers.Layer):  # a Model is a Layer
        raise ExerciseError(
            f"{name} should be a Keras model (for example `keras.Sequential([...])` "
            f"or `keras.Model(inputs, outputs)`), got {_describe(got)}."
        )
    return got


def expect_int(name: str, got: Any) -> int:
    """``got`` as a Python int if it is a whole number (an int, or a NumPy integer), else a
    sentence: a float such as 12.0 or a string such as "12" is the wrong kind of answer."""
    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` it?")
    if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
        raise ExerciseError(
            f"{name} should be a whole number (an int), got {_describe(got)} "
            f"{got!r}. Counts are integers: use `//` or `int(...)`."
        )
    return int(got)


def _as_array(x: Any) -> np.ndarray:
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def expect_shape(name: str, got: Any, expected: tuple[int, ...], hint: str = "") -> None:
    """Fail with a clear message unless ``got`` has shape ``expected``."""
    shape = tuple(expect_array(name, got).shape)
    if shape != tuple(expected):
        msg = f"{name} has shape {shape}, expected {tuple(expected)}."
        if shape == tuple(expected)[::-1] and len(shape) == 2:
            msg += " It looks transposed: check the order of the matrix product."
        raise ExerciseError(msg + (f" {hint}" if hint else ""))


def expect_close(
    name: str,
    got: Any,
    expected: Any,
    *,
    atol: float = 1e-5,
    rtol: float = 1e-5,
    likely_bugs: Mapping[str, Any] | None = None,
    hint: str = "",
) -> None:
    """Fail unless ``got`` ≈ ``expected``; if ``got`` matches a known wrong variant, name it.

    Args:
        name: what the value is, e.g. ``"h_t"``.
        got, expected: arrays (or anything ``np.asarray`` accepts) of the same shape.
        likely_bugs: ``{diagnosis: value that bug would produce}``; checked in order.
        hint: added to the message when no listed bug matches.
    """
    got_a, exp_a = expect_array(name, got), _as_array(expected).astype(float)
    expect_shape(name, got_a, exp_a.shape)
    if np.allclose(got_a, exp_a, atol=atol, rtol=rtol):
        return
    for diagnosis, wrong in (likely_bugs or {}).items():
        wrong_a = _as_array(wrong).astype(float)
        if wrong_a.shape == got_a.shape and np.allclose(got_a, wrong_a, atol=atol, rtol=rtol):
            raise ExerciseError(f"{name} is wrong: {diagnosis}")
    worst = np.unravel_index(np.argmax(np.abs(got_a - exp_a)), got_a.shape) if got_a.ndim else ()
    raise ExerciseError(
        f"{name} differs from the expected value (largest difference "
        f"{np.max(np.abs(got_a - exp_a)):.3g} at index {tuple(int(i) for i in worst)}: "
        f"got {got_a[worst]:.6g}, expected {exp_a[worst]:.6g})." + (f" {hint}" if hint else "")
    )


def expect_equal(name: str, got: Any, expected: Any, hint: str = "") -> None:
    """Fail unless ``got == expected`` (for ints, strings, tuples, dicts)."""
    if got != expected:
        raise ExerciseError(f"{name}: got {got!r}, expected {expected!r}." + (f" {hint}" if hint else ""))


def exercise(number: str, title: str) -> Callable[[Callable[..., Any]], Callable[..., Outcome]]:
    """Decorate a checker: prints the verdict and returns an :class:`Outcome`.

    The outcome is true when the answer passed and false when it is not attempted yet.

    Wrong answers raise :class:`ExerciseError` (a crash of the learner's code, its subclass
    :class:`LearnerCrash`); in strict mode (``SEQKERAS_STRICT=1``) "not attempted" raises
    :class:`ExerciseError` too. Every check is recorded as a :class:`Result` (:data:`RESULTS`,
    and the file named by ``SEQKERAS_GRADE_LOG``), which :func:`scoreboard` and
    ``python -m seqkeras.grade`` read.
    """
    label = f"Exercise {number} ({title})"
    CHECKED[number] = title

    def decorate(checker: Callable[..., Any]) -> Callable[..., Outcome]:
        @functools.wraps(checker)
        def wrapped(*args: Any, **kwargs: Any) -> Outcome:
            start = time.perf_counter()

            def record(outcome: str, message: str = "") -> None:
                _record(Result(number, title, outcome, _first_line(message), time.perf_counter() - start))

            try:
                checker(*args, **kwargs)
            except NotAttempted as why:
                record("not attempted", f"not attempted yet ({why})")
                if strict_mode():
                    raise ExerciseError(
                        f"{label}: not attempted ({why}); {STRICT_ENV}=1 counts that as a failure."
                    ) from None
                print(f"⏳ {label}: not attempted yet ({why}).")
                return Outcome(False, label)
            except ExerciseError as err:
                # a crash re-raised by a checker with more to say keeps the crash's own words
                crashed = isinstance(err, LearnerCrash) or _CRASH_WORDS in str(err)
                record("crashed" if crashed else "wrong", str(err))
                raise type(err)(f"❌ {label}: {err}") from None
            except Exception as err:  # the answer broke the checker: almost always the wrong kind
                message = (
                    f"your answer could not be checked ({type(err).__name__}: {err}). "
                    "Is it the kind of thing the exercise asks for (a function, an array, a "
                    "model, a number)? Read the exercise's description of what to return."
                )
                record("wrong", message)  # a wrong kind of answer
                raise ExerciseError(f"❌ {label}: {message}") from err
            record("passed")
            print(f"✅ {label}: passed.")
            return Outcome(True, label)

        wrapped.exercise_label = label  # type: ignore[attr-defined]
        wrapped.exercise_number = number  # type: ignore[attr-defined]
        return wrapped

    return decorate


def _lesson_exercises(which: Sequence[str]) -> list[str]:
    """The checked exercises that ``which`` names: a lesson ("04") or an exercise ("08.5")."""
    numbers: list[str] = []
    for item in which:
        lesson = str(item).split(".")[0]
        if not (len(lesson) == 2 and lesson.isdigit()):
            raise ValueError(f"scoreboard: {item!r} is neither a lesson ('04') nor an exercise ('08.5').")
        try:
            importlib.import_module(f"seqkeras.checks.lesson{lesson}")  # registers its checkers
        except ModuleNotFoundError as err:
            if err.name != f"seqkeras.checks.lesson{lesson}":
                raise
            raise ValueError(
                f"scoreboard: there is no lesson {lesson} (no seqkeras.checks.lesson{lesson})."
            ) from None
        found = sorted(
            (n for n in CHECKED if n == item or (item == lesson and n.startswith(lesson + "."))),
            key=lambda n: int(n.split(".")[1]),
        )
        if not found:
            raise ValueError(f"scoreboard: lesson {lesson} has no checked exercise {item!r}.")
        numbers += [n for n in found if n not in numbers]
    return numbers


def scoreboard_lines(rows: Sequence[tuple[str, str, str, str]], heading: str) -> list[str]:
    """A scoreboard as text: one summary line, then a line per exercise.

    Args:
        rows: ``(number, title, outcome, message)`` per exercise; ``outcome`` one of
            :data:`OUTCOMES`, or another phrase ("not run", "not reached", "not checked").
        heading: what the summary line starts with, e.g. ``"Lesson 04"``.
    """
    counts: dict[str, int] = {}
    for _, _, outcome, _ in rows:
        counts[outcome] = counts.get(outcome, 0) + 1
    checked = [r for r in rows if r[2] != "not checked"]
    rest = [f"{n} {outcome}" for outcome, n in counts.items() if outcome not in ("passed", "not checked")]
    lines = [
        f"{heading}: {counts.get('passed', 0)} of {len(checked)} checked exercise"
        + ("s" if len(checked) != 1 else "")
        + " passed"
        + (f", {', '.join(rest)}" if rest else "")
        + "."
    ]
    width = max((len(f"{n} {t}") for n, t, _, _ in rows), default=0)
    for number, title, outcome, message in rows:
        mark = OUTCOMES.get(outcome, "· ")  # the marks are two columns wide
        text = outcome + (f": {message}" if message and outcome not in ("passed", "not attempted") else "")
        lines.append(f"  {mark} {f'{number} {title}':{width}}  {text}")
    return lines


def scoreboard(*which: str) -> None:
    """Print where this kernel stands on a lesson's checked exercises, e.g. ``scoreboard("04")``.

    Each exercise shows the outcome of its latest check in this kernel (passed, wrong, crashed,
    not attempted), or "not run" if its check cell has not run. Pass a lesson (``"04"``) or
    single exercises (``"08.1", "08.2"``): part 2 of lesson 08 has its own.
    """
    if not which:
        raise ValueError('scoreboard needs a lesson, e.g. scoreboard("04"), or exercises ("08.5").')
    numbers = _lesson_exercises(which)
    rows = []
    for n in numbers:
        got = RESULTS.get(n)
        rows.append((n, CHECKED[n], got.outcome, got.message) if got else (n, CHECKED[n], "not run", ""))
    lessons = sorted({n.split(".")[0] for n in numbers})
    print("\n".join(scoreboard_lines(rows, "Lesson " + ", ".join(lessons))))


def declared_input_shape(model: Any) -> tuple[Any, ...] | None:
    """The input shape a functional or Sequential model declares (batch axis included), or
    None (a subclassed model declares none)."""
    try:
        return tuple(model.inputs[0].shape)
    except Exception:  # subclassed models have no declared inputs
        return None


def model_output(
    model: Any,
    x: np.ndarray,
    what: str,
    *,
    many_outputs: str = "Did you leave return_state=True on the last recurrent layer?",
) -> np.ndarray:
    """The output of the learner's Keras ``model`` on ``x`` (no training), as a float array.

    Every odd outcome becomes a diagnosis: a crash (its type and full text, without Keras'
    bold markers, and whether the declared input shape fits ``x``), ``None``, a dict or a
    list of tensors, something that is not numbers, NaN or infinity. NumPy's warnings of a
    broken model (NumPy backend) are silenced: the NaN check reports them.

    Args:
        model: the learner's model.
        x: the probe input, with its batch axis.
        what: the probe in words, e.g. ``"a batch of token ids"``.
        many_outputs: the likely cause when the model returns several tensors.
    """
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out = model(x, training=False)
    except Exception as err:  # learner model: explain, with the underlying error in full
        declared = declared_input_shape(model)
        if (
            declared is not None
            and len(declared) == x.ndim
            and any(d is not None and d != s for d, s in zip(declared[1:], x.shape[1:], strict=True))
        ):
            hint = (
                f"Your keras.Input declares the shape {declared[1:]} (without the batch "
                f"axis), which does not fit {x.shape[1:]}: use the builder's arguments, and "
                "None for the length, so that the model reads sequences of any length."
            )
        else:
            hint = "Check keras.Input(shape=...): it must match that shape without the batch axis."
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(err)).strip()  # Keras' bold markers
        raise ExerciseError(
            f"calling your model on {what} of shape {x.shape} raised {type(err).__name__}: {text}\n{hint}"
        ) from None
    if out is None:
        raise ExerciseError(
            "your model returned None: does its call() method `return` the output of the last layer?"
        )
    if isinstance(out, dict):
        raise ExerciseError(
            f"your model returns a dict of {len(out)} tensors; it should return one tensor of probabilities."
        )
    if isinstance(out, (list, tuple)):
        raise ExerciseError(f"your model returns {len(out)} tensors; it should return one. {many_outputs}")
    try:
        arr = to_numpy(out)
    except (TypeError, ValueError):
        raise ExerciseError(f"your model returned {type(out).__name__}, not a tensor of numbers.") from None
    if not np.all(np.isfinite(arr)):
        raise ExerciseError(
            f"on {what} your model's output contains NaN or infinity: check "
            "the last layer (activation='softmax')."
        )
    return arr


class _TensorAnswer:
    """Stands for an answer entry that is a tensor or array of numbers instead of a shape."""

    def __init__(self, value: Any):
        self.shape = tuple(value.shape)


def _shape_answer(value: Any) -> Any:
    """Normalise one entry of a "predict the shapes" answer: lists and 1-D int arrays become
    tuples (nested too), NumPy ints ints, a ``TensorShape`` a tuple, strings are lowered; a
    tensor becomes a :class:`_TensorAnswer` (so that the diagnosis can say so)."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, np.ndarray) and value.ndim == 1 and np.issubdtype(value.dtype, np.integer):
        return tuple(int(v) for v in value)
    if isinstance(value, (list, tuple)):
        return tuple(_shape_answer(v) for v in value)
    if isinstance(value, np.integer):
        return int(value)
    if hasattr(value, "as_list"):  # a tf.TensorShape
        return tuple(value.as_list())
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return _TensorAnswer(value)
    return value


def _short(value: Any) -> str:
    """``repr(value)``, or a short description of a tensor (whose repr can fill a screen)."""
    if hasattr(value, "shape") and hasattr(value, "dtype") and not isinstance(value, np.generic):
        return f"a {type(value).__name__} of shape {tuple(value.shape)}"
    return repr(value)


def expect_shape_answers(
    answer: Any,
    expected: Mapping[str, Any],
    diagnose: Callable[[str, Any, Any], str],
    *,
    name: str,
) -> None:
    """Judge a "predict the shapes" answer: a dict ``{key: shape}``, one entry per line of code.

    ``None`` (or a dict of ``None``) is "not attempted"; anything but a dict, or a dict that
    lacks a key, gets a sentence. Each entry is normalised (lists for tuples, NumPy ints, a
    ``TensorShape``, strings lowered) and compared with ``expected``; every wrong entry is
    listed with ``diagnose``'s reason, and a tensor given instead of its shape is named.

    Args:
        answer: the learner's dict.
        expected: ``{key: the right shape}`` in question order; a shape is a tuple of ints, a
            tuple of such tuples (several tensors), or a string such as ``"error"``.
        diagnose: ``diagnose(key, got, want)``, the likely misconception behind a wrong entry
            ``got`` (normalised; ``None`` if not answered).
        name: the answer's variable in the notebook, e.g. ``"shapes"``.
    """
    if answer is None or answer is Ellipsis:
        raise NotAttempted(f"`{name}` is still None")
    keys = list(expected)
    example = f"{keys[0]!r}: {expected[keys[0]]}".replace("'", '"')
    if not isinstance(answer, dict):
        raise ExerciseError(
            f"answer with a dict {{name: shape}}, got {type(answer).__name__}: "
            f"e.g. {name} = {{{example}, ...}}."
        )
    if answer and all(v is None or v is Ellipsis for v in answer.values()):
        raise NotAttempted("every shape is still None")
    missing = [k for k in keys if k not in answer]
    if missing:
        unknown = [k for k in answer if k not in expected]
        raise ExerciseError(
            f"your dict has no entry for {missing}; it needs one for each of "
            f"{keys}." + (f" (Check the spelling of {unknown}.)" if unknown else "")
        )
    wrong = []
    for key in keys:
        got, want = _shape_answer(answer[key]), expected[key]
        if isinstance(got, _TensorAnswer):
            why = (
                f"that is a tensor (of shape {got.shape}), not a shape: write the shape "
                f"itself, a tuple of ints such as {expected[keys[0]]}."
            )
        elif got != want:
            why = diagnose(key, got, want)
        else:
            continue
        wrong.append(f"- {key!r}: you wrote {_short(answer[key])}. {why}")
    if wrong:
        raise ExerciseError(f"{len(wrong)} of {len(keys)} shapes are wrong:\n" + "\n".join(wrong))


def rng_use(draw: Callable[[int], Any], seeds: tuple[int, int] = (7, 8)) -> tuple[str | None, Any]:
    """Probe how the learner's code uses the random generator it is given.

    ``draw(seed)`` must run the learner's code with ``np.random.default_rng(seed)`` and return
    what it drew (an array or list). It is run four times: twice with ``seeds[0]`` and NumPy's
    global generator seeded alike, once with the global generator reseeded, once with
    ``seeds[1]``. NumPy's global state is put back afterwards.

    Returns:
        ``(problem, first draw)``; ``problem`` is None when the generator is honoured, else
        ``"not repeatable"`` (the same seed gave different draws: an unseeded generator or
        Python's ``random``), ``"global"`` (the draws follow ``np.random``'s global state) or
        ``"ignored"`` (another seed gives the same draws: a fixed seed of its own, or no
        randomness at all). The checker turns it into a message for its exercise.
    """
    saved = np.random.get_state()
    try:
        np.random.seed(1)
        first = draw(seeds[0])
        np.random.seed(1)
        again = draw(seeds[0])
        np.random.seed(2)
        reseeded = draw(seeds[0])
    finally:
        np.random.set_state(saved)
    if not np.array_equal(first, again):
        return "not repeatable", first
    if not np.array_equal(first, reseeded):
        return "global", first
    if np.array_equal(first, draw(seeds[1])):
        return "ignored", first
    return None, first
