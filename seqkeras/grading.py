"""The exercise-check framework shared by every lesson's checkers.

A checker is a function decorated with :func:`exercise`. It receives the learner's
function (or answer), runs it on test inputs and compares the result with the reference.

Outcomes, as a learner sees them in the notebook:

- **passed**: prints ``✅ Exercise 1.2 (rnn_cell_step): passed`` and returns a true
  :class:`Outcome` (it shows nothing more in the notebook).
- **not attempted yet**: the learner's stub still raises ``NotImplementedError`` or the
  answer is still ``None``/``...``; prints ``⏳ ... not attempted yet`` and returns a
  false :class:`Outcome`, so an untouched notebook runs top to bottom. Set the environment variable
  ``SEQKERAS_STRICT=1`` (graders, CI) to make this a failure instead.
- **wrong**: raises :class:`ExerciseError` (an ``AssertionError``) whose message says what
  differs and points at the likely bug.

Writing a checker::

    @exercise("1.1", "rnn_cell_step")
    def check_rnn_cell_step(fn):
        got = call(fn, x, h, U, W, b)                    # learner code, errors explained
        expect_shape("h_t", got, (2, 4))
        expect_close("h_t", got, reference(...),
                     likely_bugs={"your h_t ignores the previous state: check the W term":
                                  np.tanh(x @ U + b)})
"""
from __future__ import annotations

import functools
import os
import traceback
from typing import Any, Callable, Mapping

import numpy as np

__all__ = [
    "ExerciseError", "NotAttempted", "Outcome", "exercise", "strict_mode", "call", "require_answer",
    "expect_shape", "expect_close", "expect_equal", "STRICT_ENV",
]

#: Environment variable that turns "not attempted yet" into a failure (for graders and CI).
STRICT_ENV = "SEQKERAS_STRICT"


class ExerciseError(AssertionError):
    """A wrong answer. The message names what differs and the likely bug."""


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


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the learner's ``fn``; turn a stub into NotAttempted and a crash into a diagnosis."""
    if fn is None or fn is Ellipsis:
        raise NotAttempted("no function given")
    if not callable(fn):
        raise ExerciseError(f"expected a function, got {type(fn).__name__}: pass the function "
                            "itself (no parentheses)")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as err:
        raise NotAttempted(str(err) or "the stub still raises NotImplementedError") from None
    except (ExerciseError, NotAttempted):
        raise
    except Exception as err:  # a crash in learner code: show where, briefly
        frames = traceback.extract_tb(err.__traceback__)[1:]
        where = f" (line {frames[-1].lineno}: `{(frames[-1].line or '').strip()}`)" if frames else ""
        shapes = ", ".join(
            f"{type(a).__name__}{tuple(a.shape)}" if hasattr(a, "shape") else type(a).__name__
            for a in args)
        raise ExerciseError(
            f"your function raised {type(err).__name__}: {err}{where}.\n"
            f"It was called with: ({shapes}). Check the shapes in your matrix products."
        ) from None


def _as_array(x: Any) -> np.ndarray:
    if hasattr(x, "numpy"):
        x = x.numpy()
    return np.asarray(x)


def expect_shape(name: str, got: Any, expected: tuple[int, ...], hint: str = "") -> None:
    """Fail with a clear message unless ``got`` has shape ``expected``."""
    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` it?")
    shape = tuple(_as_array(got).shape)
    if shape != tuple(expected):
        msg = f"{name} has shape {shape}, expected {tuple(expected)}."
        if shape == tuple(expected)[::-1] and len(shape) == 2:
            msg += " It looks transposed: check the order of the matrix product."
        raise ExerciseError(msg + (f" {hint}" if hint else ""))


def expect_close(name: str, got: Any, expected: Any, *, atol: float = 1e-5, rtol: float = 1e-5,
                 likely_bugs: Mapping[str, Any] | None = None, hint: str = "") -> None:
    """Fail unless ``got`` ≈ ``expected``; if ``got`` matches a known wrong variant, name it.

    Args:
        name: what the value is, e.g. ``"h_t"``.
        got, expected: arrays (or anything ``np.asarray`` accepts) of the same shape.
        likely_bugs: ``{diagnosis: value that bug would produce}``; checked in order.
        hint: added to the message when no listed bug matches.
    """
    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` it?")
    got_a, exp_a = _as_array(got).astype(float), _as_array(expected).astype(float)
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

    Wrong answers raise :class:`ExerciseError`; in strict mode (``SEQKERAS_STRICT=1``)
    "not attempted" raises :class:`ExerciseError` too.
    """
    label = f"Exercise {number} ({title})"

    def decorate(checker: Callable[..., Any]) -> Callable[..., Outcome]:
        @functools.wraps(checker)
        def wrapped(*args: Any, **kwargs: Any) -> Outcome:
            try:
                checker(*args, **kwargs)
            except NotAttempted as why:
                if strict_mode():
                    raise ExerciseError(f"{label}: not attempted ({why}); "
                                        f"{STRICT_ENV}=1 counts that as a failure.") from None
                print(f"⏳ {label}: not attempted yet ({why}).")
                return Outcome(False, label)
            except ExerciseError as err:
                raise ExerciseError(f"❌ {label}: {err}") from None
            print(f"✅ {label}: passed.")
            return Outcome(True, label)

        wrapped.exercise_label = label  # type: ignore[attr-defined]
        return wrapped

    return decorate
