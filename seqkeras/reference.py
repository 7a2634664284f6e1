"""NumPy reference implementations: the lessons' "from scratch" code, in one place.

Conventions (the same as Keras, so weights copy across without transposes):

- a batch of vectors is a 2-D array ``(batch, features)``; row vectors multiply on the left;
- a dense layer's weight ``W`` has shape ``(n_in, n_out)``, so ``y = f(x @ W + b)``,
  which is the textbook ``y = f(W x + b)`` with ``W`` stored transposed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh", "relu", "softmax", "ACTIVATIONS", "dense_forward", "check_shape"]


def check_shape(name: str, array: np.ndarray, expected: tuple[int | None, ...], hint: str = "") -> None:
    """Raise ``ValueError`` unless ``array.shape`` matches ``expected`` (``None`` = any size).

    The message names the argument and both shapes, and says how to fix the mismatch:
    ``hint`` if given, else a pointer to a missing/extra axis or a transpose. ``name`` may
    carry a description after a space (``"x (batch, n_in)"``); fixes use its first word.
    """
    shape = tuple(np.shape(array))
    if len(shape) != len(expected) or any(e is not None and s != e for s, e in zip(shape, expected)):
        parts = ["any" if e is None else str(e) for e in expected]
        want = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        short = name.split(" ")[0]
        if not hint:
            if len(shape) == len(expected) - 1:
                hint = f"It is missing an axis: for a single example add a batch axis, {short}[None]."
            elif len(shape) == len(expected) and shape[::-1] == tuple(
                s if e is None else e for s, e in zip(shape[::-1], expected)
            ):
                hint = f"It looks transposed: pass {short}.T."
            else:
                hint = "See the function's docstring for what each axis means."
        raise ValueError(f"{name} has shape {shape}, expected {want}. {hint}")


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
    """exp(z) / sum(exp(z)) along ``axis``, shifted by the max so it never overflows.

    A score of ``-inf`` is an impossible option: it gets probability 0, as long as its row
    has at least one finite score. Rows that have none are an error, not NaN.

    Args:
        z: scores (logits), any shape; ``axis`` must have at least one entry.
        axis: the axis that sums to 1.

    Returns:
        Probabilities, the shape of ``z`` (float64).

    Raises:
        ValueError: ``z`` has an empty ``axis``, a NaN or a ``+inf`` score, or a row whose
            scores are all ``-inf`` (no option is possible, so there is no distribution).
    """
    z = np.asarray(z, dtype=float)
    if z.ndim == 0 or z.shape[axis] == 0:
        raise ValueError(
            f"softmax needs at least one score along axis {axis}, got z of shape "
            f"{z.shape}: there is nothing to normalise."
        )
    top = z.max(axis=axis, keepdims=True)
    if not np.all(np.isfinite(top)):
        _explain_non_finite(top)
    e = np.exp(z - top)
    return e / e.sum(axis=axis, keepdims=True)


def _explain_non_finite(top: np.ndarray) -> None:
    """Raise the error that says why a row of softmax scores (with maxima ``top``) has no
    finite maximum."""
    if np.any(np.isnan(top)):
        raise ValueError(
            "softmax got NaN scores: the scores are broken before the softmax "
            "(check the inputs, or the training loss for NaN)."
        )
    if np.any(top == np.inf):
        raise ValueError(
            "softmax got a score of +inf: exp(+inf) / exp(+inf) has no value. "
            "Look for an overflow before the softmax (e.g. exp taken twice)."
        )
    raise ValueError(
        "softmax got a row whose scores are all -inf: every option is impossible, "
        "so no probabilities sum to 1. Keep at least one finite score in each row "
        "(e.g. a mask must leave one position unmasked)."
    )


#: Activation functions by their Keras name.
ACTIVATIONS = {
    "linear": lambda z: z,
    None: lambda z: z,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "softmax": softmax,
}


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
    if x.ndim not in (1, 2):
        raise ValueError(f"x has shape {x.shape}, expected (batch, n_in), or (n_in,) for one example.")
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; use one of {sorted(k for k in ACTIVATIONS if k)}."
        )
    _check_layer("x", x, "W", W, "b", b, "n_in", "n_out")
    return ACTIVATIONS[activation](x @ W + b)


def _layout_error(
    name: str,
    shape: tuple[int, ...],
    n_in: int,
    n_out: int,
    in_from: str,
    out_from: str,
    in_sym: str,
    out_sym: str,
) -> ValueError:
    """The error for a weight matrix given in the textbook layout ``(n_out, n_in)``."""
    return ValueError(
        f"{name} has shape {shape}, expected ({n_in}, {n_out}): weights use the Keras layout "
        f"({in_sym}, {out_sym}), here {in_sym} = {n_in} ({in_from}) and {out_sym} = {n_out} "
        f"({out_from}). You may have passed the textbook ({out_sym}, {in_sym}) layout: use "
        f"{name}.T."
    )


def _check_layer(
    x_name: str,
    x: np.ndarray,
    w_name: str,
    W: np.ndarray,
    b_name: str,
    b: np.ndarray,
    in_sym: str,
    out_sym: str,
) -> None:
    """Check ``x @ W + b``: ``x`` ``(..., n_in)``, ``W`` 2-D ``(n_in, n_out)``, ``b`` ``(n_out,)``.

    ``n_in`` is read from ``x`` and ``n_out`` from ``b``, so that the argument that
    disagrees with the other two is the one named: a ``W`` in the textbook layout
    ``(n_out, n_in)`` is reported as such, not as a wrong ``x``.
    """
    lead = (None,) * (x.ndim - 1)
    if b.ndim != 1:
        check_shape(
            b_name,
            b,
            (W.shape[1],),
            hint=f"Give a 1-D array with one bias per output unit, {W.shape[1]} numbers.",
        )
    n_in, n_out = x.shape[-1], b.shape[0]
    if W.shape == (n_in, n_out):
        return
    if W.shape == (n_out, n_in):
        raise _layout_error(
            w_name,
            W.shape,
            n_in,
            n_out,
            f"the last axis of {x_name}",
            f"the length of {b_name}",
            in_sym,
            out_sym,
        )
    if W.shape[1] == n_out:  # W and b agree: x has the wrong number of features
        check_shape(
            x_name,
            x,
            lead + (W.shape[0],),
            hint=f"Its last axis must match {w_name}.shape[0] = {W.shape[0]} ({in_sym}).",
        )
    if W.shape[0] == n_in:  # x and W agree: b has the wrong length
        check_shape(
            b_name,
            b,
            (W.shape[1],),
            hint=f"One bias per output: its length must match {w_name}.shape[1] = {W.shape[1]} ({out_sym}).",
        )
    raise ValueError(
        f"{w_name} has shape {W.shape}, expected ({n_in}, {n_out}) = ({in_sym}, "
        f"{out_sym}) with {in_sym} = {n_in} from {x_name} and {out_sym} = {n_out} "
        f"from {b_name}: neither axis fits."
    )


# ----------------------------------------------------------------------------- vanilla RNN
# Lesson 01. Names follow the lessons and the source articles: U reads the input, W the
# previous state, V makes the output. In Keras' SimpleRNN, U is ``kernel``, W is
# ``recurrent_kernel`` and b is ``bias``; V and c are the kernel and bias of a Dense layer
# on top. Row vectors throughout, as everywhere in this module:
#
#     h_t = tanh(x_t @ U + h_{t-1} @ W + b)        (the textbook tanh(U x_t + W h_{t-1} + b))
#     y_t = softmax(h_t @ V + c)                   (the textbook softmax(V h_t + c))

__all__ += [
    "rnn_cell_step",
    "rnn_forward",
    "rnn_output",
    "rnn_backward",
    "rnn_loss_and_grads",
    "numerical_gradient",
    "relative_error",
    "RNN_PARAMS",
]

#: The parameter names of a vanilla RNN classifier, in the order Keras stores them
#: (SimpleRNN kernel, recurrent_kernel, bias; then the output Dense kernel, bias).
RNN_PARAMS = ("U", "W", "b", "V", "c")


def _rnn_weights(
    U: np.ndarray, W: np.ndarray, b: np.ndarray, n_in: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate (U, W, b) against each other and against ``n_in`` (read from the input).

    ``n_h`` is read from the square ``W``; the argument that disagrees with the others is
    the one named, and a ``U`` in the textbook layout ``(n_h, n_in)`` is reported as such.
    """
    U, W, b = np.asarray(U), np.asarray(W), np.asarray(b)
    if U.ndim != 2:
        raise ValueError(
            f"U has shape {U.shape}, expected 2-D (n_in, n_h): the input-to-hidden "
            "weights (SimpleRNN's `kernel`)."
        )
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        n_h = U.shape[1]
        swapped = W.ndim == 2 and W.shape[1] == n_h and U.shape[0] == n_h
        hint = " U and W look swapped: U is (n_in, n_h), W is (n_h, n_h)." if swapped else ""
        raise ValueError(
            f"W has shape {W.shape}, expected ({n_h}, {n_h}): the hidden-to-hidden "
            f"weights (SimpleRNN's `recurrent_kernel`) are square, n_h = U.shape[1] "
            f"= {n_h}.{hint}"
        )
    n_h = W.shape[0]
    if U.shape != (n_in, n_h):
        if U.shape == (n_h, n_in):
            raise _layout_error(
                "U", U.shape, n_in, n_h, "the last axis of the input", "W is (n_h, n_h)", "n_in", "n_h"
            )
        if U.shape[1] != n_h:
            if b.shape == (U.shape[1],):  # U and b agree on n_h: W is the odd one out
                raise ValueError(
                    f"W has shape {W.shape}, expected ({U.shape[1]}, {U.shape[1]}): "
                    f"n_h = U.shape[1] = len(b) = {U.shape[1]}, and the "
                    "hidden-to-hidden weights (SimpleRNN's `recurrent_kernel`) are "
                    "(n_h, n_h)."
                )
            raise ValueError(
                f"U has shape {U.shape}, expected (n_in, n_h) = ({n_in}, {n_h}): "
                f"n_h = {n_h} from W (n_h, n_h), n_in = {n_in} from the input."
            )
        # U agrees with W: the input has the wrong number of features (the caller says so)
    check_shape(
        "b (one bias per hidden unit)",
        b,
        (n_h,),
        hint=f"Give a 1-D array with one bias per hidden unit, {n_h} numbers.",
    )
    return U, W, b


def _cell(x_t: np.ndarray, h_prev: np.ndarray, U: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The vanilla RNN update itself, unchecked: the one place it is written."""
    return np.tanh(x_t @ U + h_prev @ W + b)


def rnn_cell_step(
    x_t: np.ndarray, h_prev: np.ndarray, U: np.ndarray, W: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """One step of a vanilla RNN cell: ``h_t = tanh(x_t @ U + h_prev @ W + b)``.

    Args:
        x_t: the inputs at step t, shape ``(batch, n_in)``.
        h_prev: the previous hidden state h_{t-1}, shape ``(batch, n_h)``.
        U: input-to-hidden weights, ``(n_in, n_h)`` (``SimpleRNN`` ``kernel``).
        W: hidden-to-hidden weights, ``(n_h, n_h)`` (``SimpleRNN`` ``recurrent_kernel``).
        b: bias, ``(n_h,)`` (``SimpleRNN`` ``bias``).

    Returns:
        The new hidden state h_t, shape ``(batch, n_h)``.

    Raises:
        ValueError: if a shape does not fit, naming the argument and the expected shape
            (a ``U`` given in the textbook layout ``(n_h, n_in)`` is named as such).
    """
    if np.ndim(x_t) == 1 or np.ndim(h_prev) == 1:
        raise ValueError(
            f"x_t and h_prev must be 2-D, (batch, n_in) and (batch, n_h); got shapes "
            f"{np.shape(x_t)} and {np.shape(h_prev)}. For one example add a batch "
            "axis: x_t[None], h_prev[None]."
        )
    check_shape("x_t (batch, n_in)", x_t, (None, None))
    U, W, b = _rnn_weights(U, W, b, n_in=np.shape(x_t)[1])
    n_in, n_h = U.shape
    check_shape(
        "x_t (batch, n_in)", x_t, (None, n_in), hint=f"Its last axis must match U.shape[0] = {n_in} (n_in)."
    )
    check_shape(
        "h_prev (batch, n_h)",
        h_prev,
        (np.shape(x_t)[0], n_h),
        hint=f"One row per example, as in x_t, and one column per hidden unit, n_h = {n_h}.",
    )
    return _cell(np.asarray(x_t), np.asarray(h_prev), U, W, b)


def rnn_forward(
    x: np.ndarray, h0: np.ndarray | None, U: np.ndarray, W: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Run the RNN cell over a whole sequence, carrying the hidden state from step to step.

    This is the course's one forward loop: everything else in ``seqkeras`` that needs the
    hidden states of a vanilla RNN calls it.

    Args:
        x: input sequences, shape ``(batch, T, n_in)`` (Keras' layout: time on axis 1).
        h0: the initial state, ``(batch, n_h)``; ``None`` means zeros, as in Keras.
        U, W, b: the cell's weights, as in :func:`rnn_cell_step`.

    Returns:
        ``hs``, every hidden state h_1 ... h_T, shape ``(batch, T, n_h)`` (h0 is not
        included). ``hs[:, -1]`` is the last state, what ``SimpleRNN()`` returns by default;
        all of ``hs`` is what ``SimpleRNN(return_sequences=True)`` returns. ``T = 0`` or
        ``batch = 0`` give an empty ``hs`` of that shape.
    """
    x = np.asarray(x)
    if x.ndim == 2:
        raise ValueError(
            f"x has shape {x.shape}, expected 3-D (batch, T, n_in). For a single "
            "sequence add a batch axis: x[None]."
        )
    check_shape("x (batch, T, n_in)", x, (None, None, None))
    U, W, b = _rnn_weights(U, W, b, n_in=x.shape[2])
    check_shape(
        "x (batch, T, n_in)",
        x,
        (None, None, U.shape[0]),
        hint=f"Its last axis must match U.shape[0] = {U.shape[0]} (n_in).",
    )
    batch, T, _ = x.shape
    h = np.zeros((batch, U.shape[1])) if h0 is None else np.asarray(h0, dtype=float)
    check_shape(
        "h0 (batch, n_h)",
        h,
        (batch, U.shape[1]),
        hint=f"One row per sequence of x, and one column per hidden unit, n_h = {U.shape[1]}.",
    )
    hs = np.empty((batch, T, U.shape[1]))
    for t in range(T):  # sequential: step t needs h_{t-1}
        h = _cell(x[:, t], h, U, W, b)
        hs[:, t] = h
    return hs


def rnn_output(h: np.ndarray, V: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The output layer on top of the hidden states: ``y = softmax(h @ V + c)``.

    Args:
        h: hidden states, ``(batch, n_h)`` (one step, or the last state for N vs 1) or
            ``(batch, T, n_h)`` (every step, N vs N).
        V: hidden-to-output weights, ``(n_h, n_out)`` (the kernel of a ``Dense`` layer).
        c: output bias, ``(n_out,)``.

    Returns:
        Class probabilities, the shape of ``h`` with the last axis ``n_out``; each row sums to 1.
    """
    h, V, c = np.asarray(h), np.asarray(V), np.asarray(c)
    if V.ndim != 2:
        raise ValueError(f"V has shape {V.shape}, expected 2-D (n_h, n_out).")
    if h.ndim not in (2, 3):
        raise ValueError(f"h has shape {h.shape}, expected (batch, n_h) or (batch, T, n_h).")
    _check_layer("h", h, "V", V, "c", c, "n_h", "n_out")
    return softmax(h @ V + c)


def rnn_backward(
    x: np.ndarray, h0: np.ndarray | None, hs: np.ndarray, W: np.ndarray, dhs: np.ndarray
) -> dict[str, np.ndarray]:
    """Backpropagation through time for the cell: gradients of U, W, b and h0.

    Walks the sequence backwards. At step t the gradient reaching h_t is what the loss
    sends directly (``dhs[:, t]``) plus what step t+1 sends back through W; through the
    tanh it becomes ``da_t = dh_t * (1 - h_t**2)``, and every step adds its share to the
    shared weights: ``dU += x_t.T @ da_t``, ``dW += h_{t-1}.T @ da_t``, ``db += sum(da_t)``.

    Args:
        x: the inputs of the forward pass, ``(batch, T, n_in)``.
        h0: its initial state ``(batch, n_h)``, or ``None`` for zeros.
        hs: its hidden states, ``(batch, T, n_h)``, as :func:`rnn_forward` returns them.
        W: the recurrent weights ``(n_h, n_h)``.
        dhs: dL/dh_t coming from the output layer at each step, ``(batch, T, n_h)``. For an
            N-vs-1 model only the last step gets a gradient: zeros elsewhere.

    Returns:
        ``{"U": (n_in, n_h), "W": (n_h, n_h), "b": (n_h,), "h0": (batch, n_h)}``.
    """
    x, hs, W, dhs = np.asarray(x), np.asarray(hs), np.asarray(W), np.asarray(dhs)
    check_shape("hs (batch, T, n_h)", hs, (None, None, None))
    batch, T, n_h = hs.shape
    check_shape("x (batch, T, n_in)", x, (batch, T, None))
    check_shape("W (n_h, n_h)", W, (n_h, n_h))
    check_shape("dhs (the same shape as hs)", dhs, hs.shape)
    h0 = np.zeros((batch, n_h)) if h0 is None else np.asarray(h0, dtype=float)
    check_shape("h0 (batch, n_h)", h0, (batch, n_h))
    dU, dW, db = np.zeros((x.shape[2], n_h)), np.zeros((n_h, n_h)), np.zeros(n_h)
    dh_next = np.zeros((batch, n_h))  # what step t+1 sends back to h_t
    for t in reversed(range(T)):
        h_prev = hs[:, t - 1] if t > 0 else h0
        da = (dhs[:, t] + dh_next) * (1.0 - hs[:, t] ** 2)  # through tanh
        dU += x[:, t].T @ da
        dW += h_prev.T @ da
        db += da.sum(axis=0)
        dh_next = da @ W.T
    return {"U": dU, "W": dW, "b": db, "h0": dh_next}


def rnn_loss_and_grads(
    x: np.ndarray, targets: np.ndarray, params: dict[str, np.ndarray], h0: np.ndarray | None = None
) -> tuple[float, dict[str, np.ndarray]]:
    """Cross-entropy loss of an RNN classifier and its gradients, by backpropagation through time.

    The model is ``h_t = tanh(x_t @ U + h_{t-1} @ W + b)``, ``p_t = softmax(h_t @ V + c)``.
    The shape of ``targets`` picks the topology:

    - ``(batch,)``: **N vs 1**, one label per sequence, read from the last state h_T;
    - ``(batch, T)``: **N vs N**, one label per step.

    The loss is the mean of -log p[target] over every prediction (what Keras'
    ``sparse_categorical_crossentropy`` reports).

    Args:
        x: inputs ``(batch, T, n_in)``.
        targets: integer class ids, ``(batch,)`` or ``(batch, T)``, each in ``[0, n_out)``.
        params: ``{"U": (n_in, n_h), "W": (n_h, n_h), "b": (n_h,), "V": (n_h, n_out), "c": (n_out,)}``.
        h0: the initial state ``(batch, n_h)``, or ``None`` for zeros.

    Returns:
        ``(loss, grads)``: the loss (a float) and ``{name: dL/dname}`` for the five
        parameters, each the shape of its parameter.
    """
    missing = [k for k in RNN_PARAMS if k not in params]
    if missing:
        raise KeyError(f"params lacks {missing}; give all of {list(RNN_PARAMS)}.")
    U, W, b, V, c = (np.asarray(params[k], dtype=float) for k in RNN_PARAMS)
    hs = rnn_forward(x, h0, U, W, b)
    batch, T, n_h = hs.shape
    if batch == 0 or T == 0:
        raise ValueError(
            f"x has shape {hs.shape[:2] + (U.shape[0],)}: the loss is a mean over "
            "predictions, and a batch with no sequences (batch = 0) or no steps "
            "(T = 0) has none. Pass at least one sequence of at least one step."
        )
    targets = np.asarray(targets)
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(
            f"targets must be integer class ids, got dtype {targets.dtype}. "
            "Pass labels such as np.array([0, 1, 1]), not one-hot vectors."
        )
    if targets.shape == (batch,):
        h_out = hs[:, -1]  # N vs 1: read the last state only
    elif targets.shape == (batch, T):
        h_out = hs  # N vs N: one prediction per step
    else:
        raise ValueError(
            f"targets has shape {targets.shape}; expected ({batch},) for one label "
            f"per sequence (N vs 1) or ({batch}, {T}) for one label per step (N vs N)."
        )
    probs = rnn_output(h_out, V, c)
    n_out = V.shape[1]
    if targets.min() < 0 or targets.max() >= n_out:
        raise ValueError(
            f"targets must lie in [0, {n_out}) (V has {n_out} columns), got values "
            f"from {targets.min()} to {targets.max()}."
        )
    onehot = np.eye(n_out)[targets]
    n_predictions = targets.size
    loss = float(-np.log(np.sum(probs * onehot, axis=-1) + 1e-300).sum() / n_predictions)
    dz = (probs - onehot) / n_predictions  # softmax + cross-entropy, per prediction
    h_flat, dz_flat = h_out.reshape(-1, n_h), dz.reshape(-1, n_out)
    grads = {"V": h_flat.T @ dz_flat, "c": dz_flat.sum(axis=0)}
    dh_out = dz @ V.T
    dhs = np.zeros_like(hs)
    if targets.ndim == 1:
        dhs[:, -1] = dh_out
    else:
        dhs[:] = dh_out
    back = rnn_backward(x, h0, hs, W, dhs)
    grads.update(U=back["U"], W=back["W"], b=back["b"])
    return loss, {k: grads[k] for k in RNN_PARAMS}


def numerical_gradient(f, param: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """dF/dparam by central differences, ``(f(p + eps) - f(p - eps)) / (2 eps)`` per entry.

    ``param`` is changed in place, one entry at a time, and restored afterwards; ``f``
    must read it (a closure over the array) and return the scalar loss. Slow (two calls of
    ``f`` per entry): for checking hand-written gradients on small models.

    Args:
        f: a function of no arguments returning a float.
        param: a float array (any shape) that ``f`` uses.
        eps: the step; 1e-5 suits float64.

    Returns:
        An array the shape of ``param``.
    """
    if not isinstance(param, np.ndarray):
        raise TypeError(
            f"param must be a NumPy array that f reads, got {type(param).__name__}: "
            "pass the array itself (e.g. params['W']), not a copy or a list."
        )
    if not np.issubdtype(param.dtype, np.floating):
        raise TypeError(
            f"param has dtype {param.dtype}; it must be a float array (use "
            "param.astype(np.float64)) so that it can be nudged by eps."
        )
    if param.dtype != np.float64:
        import warnings

        warnings.warn(
            f"param is {param.dtype}: central differences need float64 to be accurate.", stacklevel=2
        )
    grad = np.zeros_like(param, dtype=float)
    for i in np.ndindex(param.shape):
        old = param[i]
        param[i] = old + eps
        plus = float(f())
        param[i] = old - eps
        minus = float(f())
        param[i] = old
        grad[i] = (plus - minus) / (2.0 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``max |a - b| / max(|a| + |b|)``: the usual yardstick of a gradient check.

    Around 1e-9 for a correct float64 gradient, 1e-2 or worse for a bug. 0.0 if both are 0.

    Args:
        a, b: arrays of the same shape.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(
            f"a has shape {a.shape} but b has shape {b.shape}; compare arrays of the same shape."
        )
    scale = float(np.max(np.abs(a) + np.abs(b))) if a.size else 0.0
    return 0.0 if scale == 0.0 else float(np.max(np.abs(a - b)) / scale)


# ----------------------------------------------------------------------------- gated cells
# Lesson 04. Keras stores the gates of one cell side by side ("fused"): an LSTM's kernel is
# (n_in, 4 n_h) with the columns of the gates i, f, C~, o in that order, its recurrent kernel
# (n_h, 4 n_h) and its bias (4 n_h,); a GRU's are (n_in, 3 n_h) and (n_h, 3 n_h) in the order
# z, r, h~, with a bias of shape (2, 3 n_h) (reset_after=True, Keras' default: one row for the
# input side, one for the recurrent side) or (3 n_h,) (reset_after=False). The functions below
# take the weights exactly as ``layer.get_weights()`` returns them. Row vectors, as above:
#
#   LSTM  i_t = sigmoid(x_t U_i + h_{t-1} W_i + b_i)      f_t = sigmoid(x_t U_f + h_{t-1} W_f + b_f)
#         C~_t = tanh(x_t U_c + h_{t-1} W_c + b_c)        o_t = sigmoid(x_t U_o + h_{t-1} W_o + b_o)
#         C_t = f_t * C_{t-1} + i_t * C~_t                h_t = o_t * tanh(C_t)
#
#   GRU   z_t = sigmoid(x_t U_z + h_{t-1} W_z + b_z)      r_t = sigmoid(x_t U_r + h_{t-1} W_r + b_r)
#         h~_t = tanh(x_t U_h + b_h + r_t * (h_{t-1} W_h + b'_h))     (reset_after=True; b' = bias[1])
#         h~_t = tanh(x_t U_h + (r_t * h_{t-1}) W_h + b_h)            (reset_after=False)
#         h_t = z_t * h_{t-1} + (1 - z_t) * h~_t

__all__ += [
    "GRU_GATES",
    "LSTM_GATES",
    "clip_by_global_norm",
    "gru_forward",
    "gru_step",
    "lstm_forward",
    "lstm_step",
    "recurrent_param_count",
    "split_gates",
]

#: The order of the LSTM's gates in Keras' fused kernel, recurrent kernel and bias.
LSTM_GATES = ("i", "f", "C_tilde", "o")
#: The order of the GRU's blocks in Keras' fused kernel, recurrent kernel and bias.
GRU_GATES = ("z", "r", "h_tilde")


def split_gates(fused: np.ndarray, names: tuple[str, ...] = LSTM_GATES) -> dict[str, np.ndarray]:
    """Slice a fused Keras weight into one block per gate, along its last axis.

    Args:
        fused: a kernel ``(n_in, k n_h)``, recurrent kernel ``(n_h, k n_h)`` or bias
            ``(k n_h,)`` / ``(2, k n_h)`` of a gated layer, where ``k = len(names)``.
        names: the gates in Keras' order: :data:`LSTM_GATES` (i, f, C_tilde, o) or
            :data:`GRU_GATES` (z, r, h_tilde).

    Returns:
        ``{name: block}``, each block ``fused[..., j * n_h:(j + 1) * n_h]``.
    """
    fused = np.asarray(fused)
    k = len(names)
    if fused.ndim == 0 or fused.shape[-1] % k:
        raise ValueError(
            f"the last axis of a fused weight holds {k} gates side by side, so its "
            f"size must be a multiple of {k}; got shape {fused.shape}. "
            "LSTM weights have 4 blocks (LSTM_GATES), GRU weights 3 (GRU_GATES)."
        )
    n_h = fused.shape[-1] // k
    return {name: fused[..., j * n_h : (j + 1) * n_h] for j, name in enumerate(names)}


def _gated_weights(
    cell: str,
    k: int,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    bias_rows: tuple[int, ...],
) -> tuple[np.ndarray, ...]:
    """Validate a gated layer's (kernel, recurrent_kernel, bias); return them as float arrays."""
    kernel, recurrent_kernel = np.asarray(kernel, float), np.asarray(recurrent_kernel, float)
    bias = np.asarray(bias, float)
    keras_name = {4: "keras.layers.LSTM", 3: "keras.layers.GRU"}[k]
    if recurrent_kernel.ndim != 2 or recurrent_kernel.shape[1] != k * recurrent_kernel.shape[0]:
        other = {4: "GRU (3 blocks)", 3: "LSTM (4 blocks)"}[k]
        guess = (
            f" It looks like the weights of a {other}."
            if recurrent_kernel.ndim == 2 and recurrent_kernel.shape[1] == (7 - k) * recurrent_kernel.shape[0]
            else ""
        )
        raise ValueError(
            f"recurrent_kernel has shape {recurrent_kernel.shape}, expected "
            f"(n_h, {k} n_h): the {cell}'s {k} gates side by side, as "
            f"{keras_name}.get_weights()[1] returns it.{guess}"
        )
    n_h = recurrent_kernel.shape[0]
    if kernel.ndim != 2 or kernel.shape[1] != k * n_h:
        raise ValueError(
            f"kernel has shape {kernel.shape}, expected (n_in, {k * n_h}) = "
            f"(n_in, {k} n_h) with n_h = {n_h} from recurrent_kernel. Pass the "
            f"weights in Keras' order: kernel, recurrent_kernel, bias."
        )
    if bias.shape not in [(k * n_h,) if r == 1 else (r, k * n_h) for r in bias_rows]:
        want = " or ".join(f"({k * n_h},)" if r == 1 else f"({r}, {k * n_h})" for r in bias_rows)
        raise ValueError(f"bias has shape {bias.shape}, expected {want} for n_h = {n_h}.")
    return kernel, recurrent_kernel, bias


def _state(name: str, value: np.ndarray | None, batch: int, n_h: int) -> np.ndarray:
    """A state argument as a float array ``(batch, n_h)``; ``None`` means zeros."""
    if value is None:
        return np.zeros((batch, n_h))
    value = np.asarray(value, float)
    check_shape(f"{name} (batch, n_h)", value, (batch, n_h))
    return value


def _step_inputs(x_t: np.ndarray, n_in: int) -> np.ndarray:
    x_t = np.asarray(x_t, float)
    if x_t.ndim == 1:
        raise ValueError(
            f"x_t has shape {x_t.shape}, expected 2-D (batch, n_in). For one example "
            "add a batch axis: x_t[None]."
        )
    check_shape("x_t (batch, n_in)", x_t, (None, n_in))
    return x_t


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    C_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    return_gates: bool = False,
) -> tuple[np.ndarray, ...]:
    """One step of an LSTM cell, with Keras' fused weights (``keras.layers.LSTM``).

    Computes, with ``a = x_t @ kernel + h_prev @ recurrent_kernel + bias`` ``(batch, 4 n_h)``
    cut into four blocks in the order i, f, C~, o::

        i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)    # gates, each (batch, n_h)
        C_tilde = tanh(a_c)                                    # candidate
        C_t = f * C_prev + i * C_tilde                         # cell state
        h_t = o * tanh(C_t)                                    # hidden state

    Args:
        x_t: inputs at step t, ``(batch, n_in)``.
        h_prev: hidden state h_{t-1}, ``(batch, n_h)``.
        C_prev: cell state C_{t-1}, ``(batch, n_h)``.
        kernel: ``(n_in, 4 n_h)``, the input weights of the four gates side by side.
        recurrent_kernel: ``(n_h, 4 n_h)``, their recurrent weights.
        bias: ``(4 n_h,)``.
        return_gates: also return ``{"i", "f", "C_tilde", "o": (batch, n_h)}``.

    Returns:
        ``(h_t, C_t)``, each ``(batch, n_h)``; ``(h_t, C_t, gates)`` with ``return_gates``.
    """
    kernel, recurrent_kernel, bias = _gated_weights("LSTM", 4, kernel, recurrent_kernel, bias, (1,))
    n_h = recurrent_kernel.shape[0]
    x_t = _step_inputs(x_t, kernel.shape[0])
    h_prev = _state("h_prev", h_prev, x_t.shape[0], n_h)
    C_prev = _state("C_prev", C_prev, x_t.shape[0], n_h)
    a = split_gates(x_t @ kernel + h_prev @ recurrent_kernel + bias, LSTM_GATES)
    gates = {
        "i": sigmoid(a["i"]),
        "f": sigmoid(a["f"]),
        "C_tilde": np.tanh(a["C_tilde"]),
        "o": sigmoid(a["o"]),
    }
    C_t = gates["f"] * C_prev + gates["i"] * gates["C_tilde"]
    h_t = gates["o"] * np.tanh(C_t)
    return (h_t, C_t, gates) if return_gates else (h_t, C_t)


def _forward_inputs(x: np.ndarray, n_in: int) -> np.ndarray:
    x = np.asarray(x, float)
    if x.ndim == 2:
        raise ValueError(
            f"x has shape {x.shape}, expected 3-D (batch, T, n_in). For a single "
            "sequence add a batch axis: x[None]."
        )
    check_shape("x (batch, T, n_in)", x, (None, None, n_in))
    return x


def lstm_forward(
    x: np.ndarray,
    h0: np.ndarray | None,
    C0: np.ndarray | None,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    return_gates: bool = False,
) -> tuple[np.ndarray, ...]:
    """Run :func:`lstm_step` over a sequence, carrying both states ``h`` and ``C``.

    Args:
        x: inputs ``(batch, T, n_in)``.
        h0, C0: initial hidden and cell states ``(batch, n_h)``; ``None`` means zeros (Keras'
            default).
        kernel, recurrent_kernel, bias: as in :func:`lstm_step` (``layer.get_weights()``).
        return_gates: also return the gates at every step, ``{name: (batch, T, n_h)}``.

    Returns:
        ``(hs, Cs)``: every hidden state h_1 ... h_T and cell state C_1 ... C_T, each
        ``(batch, T, n_h)``. ``hs`` is what ``LSTM(return_sequences=True)`` returns; ``hs[:, -1]``
        and ``Cs[:, -1]`` are the final states of ``LSTM(return_state=True)``.
        ``(hs, Cs, gates)`` with ``return_gates``.
    """
    kernel, recurrent_kernel, bias = _gated_weights("LSTM", 4, kernel, recurrent_kernel, bias, (1,))
    n_h = recurrent_kernel.shape[0]
    x = _forward_inputs(x, kernel.shape[0])
    batch, T, _ = x.shape
    h, C = _state("h0", h0, batch, n_h), _state("C0", C0, batch, n_h)
    hs, Cs = np.empty((batch, T, n_h)), np.empty((batch, T, n_h))
    gates = {name: np.empty((batch, T, n_h)) for name in LSTM_GATES}
    for t in range(T):
        h, C, g = lstm_step(x[:, t], h, C, kernel, recurrent_kernel, bias, return_gates=True)
        hs[:, t], Cs[:, t] = h, C
        for name in LSTM_GATES:
            gates[name][:, t] = g[name]
    return (hs, Cs, gates) if return_gates else (hs, Cs)


def gru_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    return_gates: bool = False,
) -> np.ndarray | tuple[np.ndarray, dict]:
    """One step of a GRU cell, with Keras' fused weights (``keras.layers.GRU``).

    The shape of ``bias`` says which of Keras' two variants the weights belong to:

    - ``(2, 3 n_h)``, ``reset_after=True`` (Keras' default, and cuDNN's): row 0 is the input
      bias, row 1 the recurrent bias, and the reset gate multiplies the recurrent term *after*
      the matrix product: ``h~ = tanh(x_t U_h + b_h + r * (h_prev W_h + b'_h))``;
    - ``(3 n_h,)``, ``reset_after=False`` (the 2014 paper's form): one bias, and the reset gate
      multiplies the state *before* the product: ``h~ = tanh(x_t U_h + (r * h_prev) W_h + b_h)``.

    In both, with the blocks in the order z, r, h~::

        z = sigmoid(x_t U_z + h_prev W_z + biases)     # update gate (batch, n_h)
        r = sigmoid(x_t U_r + h_prev W_r + biases)     # reset gate
        h_t = z * h_prev + (1 - z) * h~                # z near 1 keeps the old state

    Args:
        x_t: inputs at step t, ``(batch, n_in)``.
        h_prev: the state h_{t-1}, ``(batch, n_h)``.
        kernel: ``(n_in, 3 n_h)``; recurrent_kernel: ``(n_h, 3 n_h)``.
        bias: ``(2, 3 n_h)`` or ``(3 n_h,)``, as above.
        return_gates: also return ``{"z", "r", "h_tilde": (batch, n_h)}``.

    Returns:
        ``h_t`` ``(batch, n_h)``; ``(h_t, gates)`` with ``return_gates``.
    """
    kernel, recurrent_kernel, bias = _gated_weights("GRU", 3, kernel, recurrent_kernel, bias, (2, 1))
    n_h = recurrent_kernel.shape[0]
    x_t = _step_inputs(x_t, kernel.shape[0])
    h_prev = _state("h_prev", h_prev, x_t.shape[0], n_h)
    reset_after = bias.ndim == 2
    b_in, b_rec = (bias[0], bias[1]) if reset_after else (bias, np.zeros_like(bias))
    xs = split_gates(x_t @ kernel + b_in, GRU_GATES)
    W = split_gates(recurrent_kernel, GRU_GATES)
    b_r = split_gates(b_rec, GRU_GATES)
    z = sigmoid(xs["z"] + h_prev @ W["z"] + b_r["z"])
    r = sigmoid(xs["r"] + h_prev @ W["r"] + b_r["r"])
    if reset_after:
        h_tilde = np.tanh(xs["h_tilde"] + r * (h_prev @ W["h_tilde"] + b_r["h_tilde"]))
    else:
        h_tilde = np.tanh(xs["h_tilde"] + (r * h_prev) @ W["h_tilde"])
    h_t = z * h_prev + (1.0 - z) * h_tilde
    return (h_t, {"z": z, "r": r, "h_tilde": h_tilde}) if return_gates else h_t


def gru_forward(
    x: np.ndarray,
    h0: np.ndarray | None,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    return_gates: bool = False,
) -> np.ndarray | tuple[np.ndarray, dict]:
    """Run :func:`gru_step` over a sequence.

    Args:
        x: inputs ``(batch, T, n_in)``.
        h0: the initial state ``(batch, n_h)``; ``None`` means zeros.
        kernel, recurrent_kernel, bias: as in :func:`gru_step`; the bias shape picks the variant.
        return_gates: also return the gates at every step, ``{name: (batch, T, n_h)}``.

    Returns:
        ``hs``, every state h_1 ... h_T, ``(batch, T, n_h)`` (what ``GRU(return_sequences=True)``
        returns); ``(hs, gates)`` with ``return_gates``.
    """
    kernel, recurrent_kernel, bias = _gated_weights("GRU", 3, kernel, recurrent_kernel, bias, (2, 1))
    n_h = recurrent_kernel.shape[0]
    x = _forward_inputs(x, kernel.shape[0])
    batch, T, _ = x.shape
    h = _state("h0", h0, batch, n_h)
    hs = np.empty((batch, T, n_h))
    gates = {name: np.empty((batch, T, n_h)) for name in GRU_GATES}
    for t in range(T):
        h, g = gru_step(x[:, t], h, kernel, recurrent_kernel, bias, return_gates=True)
        hs[:, t] = h
        for name in GRU_GATES:
            gates[name][:, t] = g[name]
    return (hs, gates) if return_gates else hs


def clip_by_global_norm(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    """Scale a list of gradients together so that their global norm is at most ``max_norm``.

    The global norm is ``sqrt(sum of g**2 over every entry of every array)``, the length of
    all the gradients seen as one long vector. If it exceeds ``max_norm`` every array is
    multiplied by the same factor ``max_norm / norm``, so the direction of the step is kept;
    otherwise the gradients are returned unchanged (as copies). This is what
    ``keras.optimizers.SGD(global_clipnorm=max_norm)`` (or any optimizer) does before its
    update; ``clipnorm=`` instead clips each array on its own.

    Args:
        grads: arrays of any shapes (one per weight). They are not modified.
        max_norm: the largest global norm allowed, > 0.

    Returns:
        ``(clipped, norm)``: new arrays of the same shapes, and the global norm *before*
        clipping (a float; log it to watch for explosions).
    """
    if isinstance(grads, np.ndarray):
        raise TypeError(
            "grads must be a list of arrays (one per weight), got a single array: wrap it, [grad]."
        )
    max_norm = float(max_norm)
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}.")
    arrays = [np.asarray(g, dtype=float) for g in grads]
    norm = float(np.sqrt(sum(np.sum(g * g) for g in arrays)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [g * scale for g in arrays], norm


def recurrent_param_count(cell: str, n_in: int, n_h: int, reset_after: bool = True) -> int:
    """Trainable parameters of one Keras recurrent layer (``use_bias=True``, the default).

    A SimpleRNN has ``n_in n_h + n_h n_h + n_h``. An LSTM has four such blocks (i, f, C~, o),
    a GRU three (z, r, h~), and with ``reset_after=True`` (Keras' default) a GRU has a second
    bias row: ``3 (n_in n_h + n_h n_h + 2 n_h)``.

    Args:
        cell: ``"SimpleRNN"``, ``"LSTM"`` or ``"GRU"``.
        n_in: input features per step; n_h: units.
        reset_after: GRU only: Keras' default ``True`` (two bias rows) or ``False`` (one).
    """
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
    if cell not in blocks:
        raise ValueError(f"unknown cell {cell!r}; use one of {list(blocks)}.")
    for name, value in (("n_in", n_in), ("n_h", n_h)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    biases = 2 if cell == "GRU" and reset_after else 1
    return int(blocks[cell] * (n_in * n_h + n_h * n_h + biases * n_h))


# --------------------------------------------------------------------------- bidirectional (lesson 06)
# A forward RNN reads x_1 ... x_T; a backward RNN, with its own weights, reads x_T ... x_1.
# At every step t their states are merged: h_t = [fwd_h_t, bwd_h_t] (concat), so h_t has
# read the whole sequence. In a padded batch each sequence is reversed within its own length.

__all__ += ["reverse_padded", "birnn_forward", "MERGE_MODES"]

#: The ways Keras' ``Bidirectional`` merges the two directions (``None``: keep both).
MERGE_MODES = ("concat", "sum", "ave", "mul", None)


def _lengths(lengths: np.ndarray | None, batch: int, T: int) -> np.ndarray:
    """Validate ``lengths`` (one int per sequence, 0..T) or make it all T."""
    if lengths is None:
        return np.full(batch, T, dtype=int)
    arr = np.asarray(lengths)
    if arr.shape != (batch,):
        raise ValueError(
            f"lengths has shape {arr.shape}, expected ({batch},): one length per sequence in the batch."
        )
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"lengths must be integers (how many real steps each sequence has), got dtype {arr.dtype}."
        )
    if arr.size and (arr.min() < 0 or arr.max() > T):
        raise ValueError(f"lengths must be between 0 and T = {T}, got {arr.tolist()}.")
    return arr.astype(int)


def reverse_padded(x: np.ndarray, lengths: np.ndarray | None = None) -> np.ndarray:
    """Reverse each sequence within its own length; the padding stays at the end.

    ``x[i, :lengths[i]]`` is reversed, ``x[i, lengths[i]:]`` is left where it is. Reversing
    twice gives ``x`` back. (``x[:, ::-1]`` instead would move the padding to the front.)

    Args:
        x: a batch of sequences padded at the end, ``(batch, T, ...)``.
        lengths: real steps per sequence, ``(batch,)`` ints; ``None``: every step is real.

    Returns:
        A new array of the shape of ``x``; ``x`` is not modified.
    """
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"x has shape {x.shape}, expected (batch, T, ...): a batch of sequences.")
    lengths = _lengths(lengths, x.shape[0], x.shape[1])
    out = x.copy()
    for i, n in enumerate(lengths):
        out[i, :n] = x[i, :n][::-1]
    return out


def birnn_forward(
    x: np.ndarray,
    lengths: np.ndarray | None,
    forward: tuple,
    backward: tuple,
    merge_mode: str | None = "concat",
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """A bidirectional vanilla RNN over a padded batch: two :func:`rnn_forward` calls, merged.

    The forward RNN reads each sequence from its first step; the backward RNN, with its own
    weights and its own zero initial state, reads it from its last real step to its first.
    The backward states are put back in reading order, so at step t

    - ``fwd[:, t]`` has read ``x_1 ... x_t``, and ``bwd[:, t]`` has read ``x_T ... x_t``
      (``T`` = the sequence's own length), and the two are merged.

    Outputs at padded steps are 0, as ``keras.layers.Bidirectional`` gives with a mask.

    Args:
        x: inputs ``(batch, T, n_in)``, each sequence padded at the end.
        lengths: real steps per sequence, ``(batch,)`` ints; ``None``: no padding.
        forward: ``(U, W, b)`` of the forward RNN (Keras ``forward_layer`` weights).
        backward: ``(U, W, b)`` of the backward RNN (``backward_layer`` weights).
        merge_mode: ``"concat"`` → ``(batch, T, n_h_fwd + n_h_bwd)``, forward first;
            ``"sum"``, ``"ave"``, ``"mul"`` → ``(batch, T, n_h)``; ``None`` → the pair
            ``(fwd, bwd)``.

    Returns:
        The merged states, as described for ``merge_mode``.
    """
    if merge_mode not in MERGE_MODES:
        raise ValueError(f"merge_mode must be one of {MERGE_MODES}, got {merge_mode!r}.")
    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"x has shape {x.shape}, expected 3-D (batch, T, n_in).")
    lengths = _lengths(lengths, x.shape[0], x.shape[1])
    real = np.arange(x.shape[1])[None, :] < lengths[:, None]  # (batch, T)
    fwd = rnn_forward(x, None, *forward)  # reads x_1 .. x_T
    bwd = reverse_padded(rnn_forward(reverse_padded(x, lengths), None, *backward), lengths)
    fwd, bwd = fwd * real[..., None], bwd * real[..., None]  # padded steps -> 0
    if merge_mode is None:
        return fwd, bwd
    if merge_mode == "concat":
        return np.concatenate([fwd, bwd], axis=-1)
    if fwd.shape != bwd.shape:
        raise ValueError(
            f"merge_mode={merge_mode!r} needs both directions of the same size; the "
            f"forward states are {fwd.shape[-1]} wide, the backward {bwd.shape[-1]}."
        )
    return {"sum": fwd + bwd, "ave": (fwd + bwd) / 2, "mul": fwd * bwd}[merge_mode]


# --------------------------------------------------------------------------- attention (lesson 08)
# An encoder has read the input into states h_1 ... h_{T_x}, stacked as hs (batch, T_x, n_h).
# At output step i the decoder, in state s_{i-1} (batch, n_s), asks which inputs matter now:
#
#     e_ij = tanh(s_{i-1} @ W + h_j @ U) @ v          score (the textbook vᵀ tanh(W s_{i-1} + U h_j))
#     α_ij = softmax over j of e_ij                    weights, Σ_j α_ij = 1 over the real steps
#     c_i  = Σ_j α_ij h_j                              context (batch, n_h)
#
# W (n_s, n_a) and U (n_h, n_a) project both states into n_a attention units, v (n_a,) turns
# each tanh vector into one number (Bahdanau, Cho & Bengio 2015, "additive" attention). Luong,
# Pham & Manning (2015) score with a product instead: e_ij = s_i · h_j ("dot", n_s = n_h) or
# e_ij = s_i @ W_a @ h_jᵀ ("general", W_a (n_s, n_h)). Every function below takes one query
# (batch, n_s) or a sequence of queries (batch, T_y, n_s), one per output step, and then
# returns one more axis T_y; the encoder's padded steps are removed by a mask (batch, T_x).

__all__ += [
    "additive_scores",
    "dot_scores",
    "general_scores",
    "attention_weights",
    "attention_context",
    "additive_attention",
    "luong_attention",
]


def _queries(name: str, s: np.ndarray, hs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``s`` (batch, n_s) or (batch, T_y, n_s) and ``hs`` (batch, T_x, n_h) as float arrays."""
    s, hs = np.asarray(s, dtype=float), np.asarray(hs, dtype=float)
    if hs.ndim != 3:
        hint = " For one sequence add a batch axis: hs[None]." if hs.ndim == 2 else ""
        raise ValueError(
            f"hs has shape {hs.shape}, expected (batch, T_x, n_h): every encoder state h_j.{hint}"
        )
    if s.ndim not in (2, 3):
        raise ValueError(
            f"{name} has shape {s.shape}, expected (batch, n_s) (one output step) or "
            "(batch, T_y, n_s) (every output step). For one example add a batch axis: "
            f"{name}[None]."
        )
    if s.shape[0] != hs.shape[0]:
        raise ValueError(
            f"{name} has {s.shape[0]} examples (axis 0) but hs has {hs.shape[0]}: one query "
            "per sequence of the batch."
        )
    return s, hs


def additive_scores(
    s_prev: np.ndarray, hs: np.ndarray, W: np.ndarray, U: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Bahdanau's additive scores ``e_ij = tanh(s_{i-1} @ W + h_j @ U) @ v``.

    Args:
        s_prev: the decoder state before output step i, ``(batch, n_s)``; or one per output
            step, ``(batch, T_y, n_s)``.
        hs: the encoder states ``(batch, T_x, n_h)``.
        W: ``(n_s, n_a)``, projects the decoder state into ``n_a`` attention units.
        U: ``(n_h, n_a)``, projects each encoder state.
        v: ``(n_a,)`` (or ``(n_a, 1)``), turns each ``tanh`` vector into one score.

    Returns:
        ``e``: ``(batch, T_x)`` for one query, ``(batch, T_y, T_x)`` for a sequence of them.
        Unmasked: :func:`attention_weights` removes the padded steps.
    """
    s, hs = _queries("s_prev", s_prev, hs)
    W, U, v = (np.asarray(a, dtype=float) for a in (W, U, v))
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    check_shape("v (n_a,)", v, (None,), hint="One number per attention unit: a 1-D array.")
    n_a = v.shape[0]
    for name, M, n_in, frm in (("W", W, s.shape[-1], "s_prev"), ("U", U, hs.shape[-1], "hs")):
        sym = "n_s" if name == "W" else "n_h"
        hint = f"{sym} = {n_in} from {frm}, n_a = {n_a} from v."
        if np.shape(M) == (n_a, n_in) and n_a != n_in:
            hint += f" It looks transposed (the textbook layout (n_a, {sym})): pass {name}.T."
        check_shape(f"{name} ({sym}, n_a)", M, (n_in, n_a), hint=hint)
    q = s @ W  # (batch, n_a) or (batch, T_y, n_a)
    k = hs @ U  # (batch, T_x, n_a)
    if s.ndim == 2:
        return np.tanh(q[:, None, :] + k) @ v  # (batch, T_x, n_a) @ (n_a,) -> (batch, T_x)
    return np.tanh(q[:, :, None, :] + k[:, None, :, :]) @ v  # (batch, T_y, T_x)


def dot_scores(s: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """Luong's "dot" scores ``e_ij = s_i · h_j``: no weights, so ``n_s`` must equal ``n_h``.

    Args:
        s: the decoder state at output step i, ``(batch, n_s)`` or ``(batch, T_y, n_s)``.
        hs: the encoder states ``(batch, T_x, n_h)``.

    Returns:
        ``(batch, T_x)`` or ``(batch, T_y, T_x)``.
    """
    s, hs = _queries("s", s, hs)
    if s.shape[-1] != hs.shape[-1]:
        raise ValueError(
            f"dot scores need decoder and encoder states of one size, got n_s = {s.shape[-1]} "
            f"and n_h = {hs.shape[-1]}: use general_scores (a W_a of shape (n_s, n_h)) instead."
        )
    e = hs @ s[..., None] if s.ndim == 2 else s @ hs.transpose(0, 2, 1)
    return e[..., 0] if s.ndim == 2 else e


def general_scores(s: np.ndarray, hs: np.ndarray, W_a: np.ndarray) -> np.ndarray:
    """Luong's "general" scores ``e_ij = s_i @ W_a @ h_jᵀ``.

    Args:
        s: ``(batch, n_s)`` or ``(batch, T_y, n_s)``; hs: ``(batch, T_x, n_h)``.
        W_a: ``(n_s, n_h)``.

    Returns:
        ``(batch, T_x)`` or ``(batch, T_y, T_x)``.
    """
    s, hs = _queries("s", s, hs)
    check_shape("W_a (n_s, n_h)", W_a, (s.shape[-1], hs.shape[-1]))
    return dot_scores(s @ np.asarray(W_a, dtype=float), hs)


def _attention_mask(mask: np.ndarray | None, batch: int, T_x: int) -> np.ndarray | None:
    """``mask`` as a bool array ``(batch, T_x)``, True at real encoder steps."""
    if mask is None:
        return None
    m = np.asarray(mask)
    check_shape(
        "mask (batch, T_x)",
        m,
        (batch, T_x),
        hint="One entry per encoder step of each sequence: True (or 1) where the step is real, "
        "False (or 0) where it is padding.",
    )
    if m.dtype != bool:
        if not np.all((m == 0) | (m == 1)):
            raise ValueError(
                "mask must hold True/False (or 1/0): True where the encoder step is real. Got "
                f"values {np.unique(m)[:5].tolist()}; build it with e.g. ids != 0."
            )
        m = m.astype(bool)
    return m


def attention_weights(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """``α = softmax over the encoder steps of the scores``, with the padded steps removed.

    The mask is applied **before** the softmax: a padded step's score becomes ``-inf``, so its
    weight is exactly 0 and the real steps' weights sum to 1 (masking after the softmax
    would leave weights that no longer sum to 1). A row whose every step is padding has
    nothing to attend to: its weights are all 0 (not NaN), so its context is 0. The same
    contract holds for :class:`seqkeras.layers.BahdanauAttention`.

    Args:
        scores: ``e``, ``(batch, T_x)`` or ``(batch, T_y, T_x)``: the last axis is the
            encoder steps j.
        mask: ``(batch, T_x)`` bool (or 1/0), True at real encoder steps; ``None``: all real.
            The same mask serves every output step.

    Returns:
        ``α``, the shape of ``scores``; each row sums to 1 over the real steps (0 where the
        row has none).
    """
    e = np.asarray(scores, dtype=float)
    if e.ndim not in (2, 3):
        raise ValueError(
            f"scores has shape {e.shape}, expected (batch, T_x) or (batch, T_y, T_x): the "
            "last axis is the encoder steps."
        )
    m = _attention_mask(mask, e.shape[0], e.shape[-1])
    if m is None:
        return softmax(e, axis=-1)
    m = np.broadcast_to(m[:, None, :] if e.ndim == 3 else m, e.shape)
    alpha = np.zeros_like(e)
    rows = m.any(axis=-1)  # rows with at least one real step; the others keep weights 0
    alpha[rows] = softmax(np.where(m[rows], e[rows], -np.inf), axis=-1)
    return alpha


def attention_context(alpha: np.ndarray, hs: np.ndarray) -> np.ndarray:
    """The context ``c_i = Σ_j α_ij h_j``: the encoder states averaged with the weights.

    Args:
        alpha: ``(batch, T_x)`` or ``(batch, T_y, T_x)`` attention weights.
        hs: the encoder states ``(batch, T_x, n_h)``.

    Returns:
        ``(batch, n_h)`` or ``(batch, T_y, n_h)``.
    """
    alpha, hs = np.asarray(alpha, dtype=float), np.asarray(hs, dtype=float)
    if hs.ndim != 3:
        raise ValueError(f"hs has shape {hs.shape}, expected (batch, T_x, n_h).")
    if alpha.ndim not in (2, 3) or alpha.shape[0] != hs.shape[0] or alpha.shape[-1] != hs.shape[1]:
        raise ValueError(
            f"alpha has shape {alpha.shape}, expected (batch, T_x) = ({hs.shape[0]}, {hs.shape[1]}) "
            f"or (batch, T_y, T_x) = ({hs.shape[0]}, T_y, {hs.shape[1]}), to match hs {hs.shape}."
        )
    if alpha.ndim == 2:
        return np.einsum("bj,bjh->bh", alpha, hs)
    return alpha @ hs  # (batch, T_y, T_x) @ (batch, T_x, n_h)


def additive_attention(
    s_prev: np.ndarray,
    hs: np.ndarray,
    W: np.ndarray,
    U: np.ndarray,
    v: np.ndarray,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Bahdanau attention: scores, masked softmax, context, in one call.

    Args:
        s_prev, hs, W, U, v: as in :func:`additive_scores`.
        mask: ``(batch, T_x)``, True at real encoder steps (see :func:`attention_weights`).

    Returns:
        ``(context, alpha)``: ``(batch, n_h)`` and ``(batch, T_x)`` for one query,
        ``(batch, T_y, n_h)`` and ``(batch, T_y, T_x)`` for a sequence of queries.
    """
    alpha = attention_weights(additive_scores(s_prev, hs, W, U, v), mask)
    return attention_context(alpha, hs), alpha


def luong_attention(
    s: np.ndarray, hs: np.ndarray, W_a: np.ndarray | None = None, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Luong attention: "dot" scores (``W_a=None``) or "general" ones, then as additive.

    Luong's decoder asks with its *current* state ``s_i`` (after reading y_{i-1}), where
    Bahdanau's asks with the previous one ``s_{i-1}``; the arithmetic is the same.

    Args:
        s: ``(batch, n_s)`` or ``(batch, T_y, n_s)``; hs: ``(batch, T_x, n_h)``.
        W_a: ``(n_s, n_h)`` for "general" scores; ``None`` for "dot" (needs ``n_s = n_h``).
        mask: ``(batch, T_x)``, True at real encoder steps.

    Returns:
        ``(context, alpha)``, shaped as in :func:`additive_attention`.
    """
    e = dot_scores(s, hs) if W_a is None else general_scores(s, hs, W_a)
    alpha = attention_weights(e, mask)
    return attention_context(alpha, hs), alpha


# An attention map read as a hard alignment: for every output step, the input step it looks at
# hardest. Only real steps may be chosen (a model that did not mask can put its largest weights
# on padding); equal weights go to the earlier step, as argmax does; a sentence with no real step
# aligns nothing, -1.

__all__ += ["strongest_source"]


def strongest_source(alpha: np.ndarray, real: np.ndarray) -> np.ndarray:
    """The real source step with the largest attention weight, for every output step.

    Args:
        alpha: attention weights ``(B, T_y, T_x)``: ``alpha[b, i, j]`` is the weight of source
            step j for output step i of sentence b. Padded steps may hold anything (a model
            that did not mask can give them the largest weights): they are never chosen.
        real: ``(B, T_x)``, bool, or 0/1 ints or floats: True (1) at real source steps, False
            (0) at padding. The same for every output step of a sentence.

    Returns:
        ``positions``, an int array ``(B, T_y)``: ``positions[b, i]`` is the index j of the
        real step with the largest ``alpha[b, i, j]``; among equal weights the smallest j.
        Every row of a sentence with no real step is -1. The inputs are not modified, and
        axes of size 1 are kept.
    """
    a = np.asarray(alpha)
    if a.ndim != 3:
        hint = (
            " For one output step add its axis, alpha[:, None, :]; for one sentence add a batch "
            "axis, alpha[None]."
            if a.ndim == 2
            else ""
        )
        raise ValueError(f"alpha has shape {a.shape}, expected (B, T_y, T_x): a map per sentence.{hint}")
    if a.dtype.kind not in "iuf":
        raise ValueError(f"alpha must hold numbers (attention weights), got dtype {a.dtype}.")
    m = np.asarray(real)
    B, _, T_x = a.shape
    if m.ndim != 2:
        hint = " For one sentence add a batch axis: real[None]." if m.ndim == 1 else ""
        raise ValueError(
            f"real has shape {m.shape}, expected (B, T_x) = ({B}, {T_x}): one entry per source "
            f"step of each sentence, True (1) at real steps.{hint}"
        )
    if m.shape[0] != B:
        raise ValueError(
            f"real has {m.shape[0]} sentences (axis 0) but alpha has {B}: pass the mask of the "
            "same batch, one row per sentence."
        )
    if m.shape[1] != T_x:
        fix = (
            "alpha looks transposed, (B, T_x, T_y): pass alpha.transpose(0, 2, 1)"
            if a.shape[1] == m.shape[1]
            else f"pass the mask of the source sentences, (B, T_x) = ({B}, {T_x})"
        )
        raise ValueError(
            f"real has {m.shape[1]} source steps (axis 1) but alpha has T_x = {T_x} (its last axis): {fix}."
        )
    if m.dtype != bool:
        if m.dtype.kind not in "iuf" or not np.all((m == 0) | (m == 1)):
            raise ValueError(
                "real must hold True/False (or 1/0): True where the source step is real. Got "
                f"values {np.unique(m)[:5].tolist()}; build it with e.g. ids != 0."
            )
        m = m != 0
    if not np.all(np.isfinite(a)[np.broadcast_to(m[:, None, :], a.shape)]):
        raise ValueError(
            "alpha holds NaN or infinity at a real step: attention weights are finite numbers "
            "(only padded steps may hold anything); check what produced them."
        )
    masked = np.where(m[:, None, :], a, -np.inf)  # (B, T_y, T_x): a padded step never wins
    positions = masked.argmax(axis=-1)  # the first of equal maxima
    return np.where(m.any(axis=1)[:, None], positions, -1).astype(np.int64)


# --------------------------------------------------------------------------- self-attention (lesson 09)
# Lesson 08's decoder state asked the encoder states a question: s_i was the query, and each h_j
# served twice, once to be scored against the query and once to be averaged into the context.
# Give the three roles their own vectors and it is the attention of the Transformer:
#
#     q_i  a query,  (d_k,)    what position i is looking for
#     k_j  a key,    (d_k,)    what position j offers to be matched against
#     v_j  a value,  (d_v,)    what position j hands over once it is chosen
#
#     α_ij = softmax over j of (q_i · k_j / √d_k)          output_i = Σ_j α_ij v_j
#
# Stacked as arrays of the Keras layout, q (B, T_q, d_k), k (B, T_k, d_k), v (B, T_k, d_v):
# scores = q @ kᵀ / √d_k is (B, T_q, T_k), one row per query, softmax along the keys (the last
# axis), output = weights @ v is (B, T_q, d_v). The division by √d_k keeps the scores of
# random unit-variance vectors at unit variance whatever d_k is; without it they grow like
# √d_k and the softmax saturates (one weight near 1, gradients near 0). In *self*-attention the
# queries, keys and values are three projections of one sequence x (B, T, d_model), so every
# position attends to every other at once; the result knows nothing of order (permute the rows
# of x and the output rows are permuted alike) until positions are added to x.

__all__ += ["scaled_dot_product_attention", "causal_mask", "sinusoidal_positions", "self_attention"]


def _qkv(q: np.ndarray, k: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``q`` (B, T_q, d_k), ``k`` (B, T_k, d_k), ``v`` (B, T_k, d_v) as float arrays, or a clear error."""
    q, k, v = (np.asarray(a, dtype=float) for a in (q, k, v))
    for name, a, axes in (("q", q, "(B, T_q, d_k)"), ("k", k, "(B, T_k, d_k)"), ("v", v, "(B, T_k, d_v)")):
        if a.ndim != 3:
            hint = f" For one sequence add a batch axis: {name}[None]." if a.ndim == 2 else ""
            raise ValueError(f"{name} has shape {a.shape}, expected {axes}.{hint}")
    if not q.shape[0] == k.shape[0] == v.shape[0]:
        raise ValueError(
            f"q, k and v hold {q.shape[0]}, {k.shape[0]} and {v.shape[0]} examples (axis 0): "
            "they must be batches of the same sequences."
        )
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"q has d_k = {q.shape[-1]} features and k has {k.shape[-1]}: a query is scored "
            "against a key by their dot product, so both need the same size d_k."
        )
    if k.shape[1] != v.shape[1]:
        raise ValueError(
            f"k has T_k = {k.shape[1]} steps and v has {v.shape[1]}: every key needs its value "
            "(the same positions, axis 1)."
        )
    return q, k, v


def _qk_mask(mask: np.ndarray | None, batch: int, T_q: int, T_k: int) -> np.ndarray | None:
    """``mask`` as a bool array ``(batch, T_q, T_k)``, True where query i may attend to key j."""
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.dtype != bool:
        if m.dtype.kind not in "biuf" or not np.all((m == 0) | (m == 1)):
            raise ValueError(
                "mask must hold True/False (or 1/0): True where the query may attend to the key. "
                f"Got values {np.unique(m)[:5].tolist()}."
            )
        m = m.astype(bool)
    full, padding, shared = (batch, T_q, T_k), (batch, T_k), (T_q, T_k)
    if m.ndim == 3 and all(n in (1, want) for n, want in zip(m.shape, full)):
        return np.broadcast_to(m, full)  # (B, T_q, T_k), or with axes of 1 that broadcast
    if m.ndim == 2 and m.shape in (padding, shared):
        if m.shape == padding and m.shape == shared and batch > 1 and not np.all(m == m[:1]):
            raise ValueError(
                f"mask has shape {m.shape}, which reads both as (B, T_k) (one padding mask per "
                "sequence) and as (T_q, T_k) (one mask for every sequence, e.g. causal_mask), "
                f"since B = T_q = {batch}. Say which: pass mask[:, None, :] for a padding mask, "
                "mask[None] for a mask shared by the batch."
            )
        if m.shape == padding:
            return np.broadcast_to(m[:, None, :], full)
        return np.broadcast_to(m[None], full)
    raise ValueError(
        f"mask has shape {m.shape}, expected (B, T_q, T_k) = {full} (an axis may be 1), (B, T_k) = {padding} (padding: "
        f"the same keys hidden from every query) or (T_q, T_k) = {shared} (one mask for the whole "
        "batch, e.g. causal_mask(T)). True where query i may attend to key j."
    )


def scaled_dot_product_attention(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    scale: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``softmax(q kᵀ / √d_k) v``: every query's average of the values, weighted by its keys.

    The mask is applied before the softmax, with the contract of :func:`attention_weights`:
    a hidden key gets weight exactly 0, the others sum to 1, and a query that may attend to
    no key at all gets weights all 0 (so an output of 0), not NaN.

    Args:
        q: queries ``(B, T_q, d_k)``.
        k: keys ``(B, T_k, d_k)``.
        v: values ``(B, T_k, d_v)``, one per key.
        mask: bool (or 1/0), True where query i may attend to key j: ``(B, T_q, T_k)``;
            ``(B, T_k)``, a padding mask that hides the same keys from every query; or
            ``(T_q, T_k)``, one mask for the whole batch (e.g. :func:`causal_mask`). A 3-D
            mask may have axes of 1 that broadcast: ``(1, T_q, T_k)``, ``(B, 1, T_k)``. When
            ``B = T_q`` a 2-D mask is ambiguous and must be given 3-D (``mask[None]`` or
            ``mask[:, None, :]``) unless its rows are all equal, when both readings agree.
            ``None``: every key is visible.
        scale: what the scores are multiplied by; ``None`` is ``1 / √d_k``. ``scale=1``
            gives plain dot-product attention (lesson 09 shows its softmax saturating).

    Returns:
        ``(output, weights)``: ``(B, T_q, d_v)`` and ``(B, T_q, T_k)``, each row of the
        weights summing to 1 over the visible keys.
    """
    q, k, v = _qkv(q, k, v)
    (batch, T_q, d_k), T_k = q.shape, k.shape[1]
    m = _qk_mask(mask, batch, T_q, T_k)
    factor = 1.0 / np.sqrt(d_k) if scale is None else float(scale)
    scores = (q @ k.transpose(0, 2, 1)) * factor  # (B, T_q, d_k) @ (B, d_k, T_k) -> (B, T_q, T_k)
    # attention_weights masks one row of keys per query: hand it every query as its own row.
    flat = attention_weights(scores.reshape(batch * T_q, T_k), None if m is None else m.reshape(-1, T_k))
    weights = flat.reshape(batch, T_q, T_k)
    return weights @ v, weights


def _positive_int(name: str, value: int, meaning: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number ({meaning}), got {value!r}.")
    return int(value)


def causal_mask(T: int) -> np.ndarray:
    """The mask that keeps every position from seeing the future: ``(T, T)`` bool.

    ``mask[i, j]`` is True where ``j <= i``: on and below the diagonal, so position i attends
    to itself and to the positions before it. Pass it as the ``mask`` of
    :func:`scaled_dot_product_attention` (it serves every sequence of a batch).
    """
    T = _positive_int("T", T, "the sequence length")
    return np.tril(np.ones((T, T), dtype=bool))


def sinusoidal_positions(T: int, d: int) -> np.ndarray:
    """The Transformer's fixed positional encoding (Vaswani et al. 2017), ``(T, d)`` float.

    Row ``t`` (positions ``0 … T-1``) holds, for each pair of features ``2i, 2i+1``::

        P[t, 2i]   = sin(t / 10000^(2i/d))
        P[t, 2i+1] = cos(t / 10000^(2i/d))

    so the wavelengths grow geometrically from 2π (features 0, 1) to nearly 10000·2π. Added to
    the embeddings ``x`` (``x + P``, broadcast over the batch) it tells self-attention where
    each step is.

    Args:
        T: the number of positions.
        d: the number of features (``d_model``, the embedding size); must be even, since
            every frequency comes as a sine and cosine pair (``P[t + s]`` is then a rotation
            of ``P[t]``, pair by pair). An odd ``d`` is an error, not a silently dropped cosine.

    Returns:
        ``P``, ``(T, d)``, every value in ``[-1, 1]``.
    """
    T = _positive_int("T", T, "the number of positions")
    d = _positive_int("d", d, "the number of features, d_model")
    if d % 2:
        raise ValueError(
            f"d = {d} is odd: the encoding pairs a sine and a cosine of each frequency, so it "
            "needs an even number of features. Use an even d_model (embedding size)."
        )
    t = np.arange(T, dtype=float)[:, None]  # (T, 1)
    rates = 1.0 / 10000.0 ** (np.arange(0, d, 2, dtype=float) / d)  # (d/2,): 1/10000^(2i/d)
    P = np.empty((T, d))
    P[:, 0::2] = np.sin(t * rates)
    P[:, 1::2] = np.cos(t * rates)
    return P


def self_attention(
    x: np.ndarray,
    W_q: np.ndarray,
    W_k: np.ndarray,
    W_v: np.ndarray,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Self-attention of one sequence to itself: ``q, k, v = x W_q, x W_k, x W_v``, then
    :func:`scaled_dot_product_attention`. No biases and no output projection (Keras's
    ``MultiHeadAttention`` adds both; lesson 09's tests show how its weights map onto these).

    Args:
        x: the sequence ``(B, T, d_model)``.
        W_q: ``(d_model, d_k)``; W_k: ``(d_model, d_k)``; W_v: ``(d_model, d_v)``.
        mask: as in :func:`scaled_dot_product_attention`, with ``T_q = T_k = T``;
            ``causal_mask(T)`` for a model that must not see the future.

    Returns:
        ``(output, weights)``: ``(B, T, d_v)`` and ``(B, T, T)``.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        hint = " For one sequence add a batch axis: x[None]." if x.ndim == 2 else ""
        raise ValueError(f"x has shape {x.shape}, expected (B, T, d_model).{hint}")
    d_model = x.shape[-1]
    W_q, W_k, W_v = (np.asarray(W, dtype=float) for W in (W_q, W_k, W_v))
    for name, W, out in (("W_q", W_q, "d_k"), ("W_k", W_k, "d_k"), ("W_v", W_v, "d_v")):
        hint = f"d_model = {d_model} from x; {name} maps it to {out} features."
        if W.ndim == 2 and W.shape[1] == d_model and W.shape[0] != d_model:
            hint += f" It looks transposed (the textbook layout ({out}, d_model)): pass {name}.T."
        check_shape(f"{name} (d_model, {out})", W, (d_model, None), hint=hint)
    if W_q.shape[1] != W_k.shape[1]:
        raise ValueError(
            f"W_q gives d_k = {W_q.shape[1]} features and W_k gives {W_k.shape[1]}: queries and "
            "keys meet in a dot product, so both need the same d_k."
        )
    return scaled_dot_product_attention(x @ W_q, x @ W_k, x @ W_v, mask)
