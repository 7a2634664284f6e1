"""NumPy reference implementations: the lessons' "from scratch" code, in one place.

Conventions (the same as Keras, so weights copy across without transposes):

- a batch of vectors is a 2-D array ``(batch, features)``; row vectors multiply on the left;
- a dense layer's weight ``W`` has shape ``(n_in, n_out)``, so ``y = f(x @ W + b)``,
  which is the textbook ``y = f(W x + b)`` with ``W`` stored transposed.
"""
from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh", "relu", "softmax", "ACTIVATIONS", "dense_forward", "check_shape"]


def check_shape(name: str, array: np.ndarray, expected: tuple[int | None, ...]) -> None:
    """Raise ``ValueError`` unless ``array.shape`` matches ``expected`` (``None`` = any size).

    The message names the argument, both shapes and what the axes mean when known.
    """
    shape = np.shape(array)
    if len(shape) != len(expected) or any(e is not None and s != e for s, e in zip(shape, expected)):
        want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name} has shape {shape}, expected {want}.")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-z), elementwise, computed without overflow."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, elementwise."""
    return np.tanh(z)


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z), elementwise."""
    return np.maximum(0.0, z)


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(z) / sum(exp(z)) along ``axis``, shifted by the max so it never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


#: Activation functions by their Keras name.
ACTIVATIONS = {"linear": lambda z: z, None: lambda z: z, "sigmoid": sigmoid, "tanh": tanh,
               "relu": relu, "softmax": softmax}


def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str | None = None) -> np.ndarray:
    """One dense layer, y = f(x @ W + b).

    Args:
        x: inputs, shape ``(batch, n_in)`` (or ``(n_in,)`` for one example).
        W: weights, shape ``(n_in, n_out)`` (Keras' ``Dense.kernel``).
        b: bias, shape ``(n_out,)``.
        activation: a Keras activation name: ``None``/``"linear"``, ``"sigmoid"``, ``"tanh"``,
            ``"relu"`` or ``"softmax"``.

    Returns:
        ``(batch, n_out)`` (or ``(n_out,)``).
    """
    x, W, b = np.asarray(x), np.asarray(W), np.asarray(b)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D (n_in, n_out), got shape {W.shape}.")
    check_shape("x", x if x.ndim == 2 else x[None], (None, W.shape[0]))
    check_shape("b", b, (W.shape[1],))
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; use one of "
                         f"{sorted(k for k in ACTIVATIONS if k)}.")
    return ACTIVATIONS[activation](x @ W + b)
