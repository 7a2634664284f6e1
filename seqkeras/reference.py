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
    ``hint`` if given, else a pointer to a missing/extra axis or a transpose.
    """
    shape = tuple(np.shape(array))
    if len(shape) != len(expected) or any(e is not None and s != e for s, e in zip(shape, expected)):
        parts = ["any" if e is None else str(e) for e in expected]
        want = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        if not hint:
            if len(shape) == len(expected) - 1:
                hint = f"It is missing an axis: for a single example add a batch axis, {name}[None]."
            elif len(shape) == len(expected) and shape[::-1] == tuple(
                    s if e is None else e for s, e in zip(shape[::-1], expected)):
                hint = f"It looks transposed: pass {name}.T."
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


# ----------------------------------------------------------------------------- vanilla RNN
# Lesson 01. Names follow the lessons and the source articles: U reads the input, W the
# previous state, V makes the output. In Keras' SimpleRNN, U is ``kernel``, W is
# ``recurrent_kernel`` and b is ``bias``; V and c are the kernel and bias of a Dense layer
# on top. Row vectors throughout, as everywhere in this module:
#
#     h_t = tanh(x_t @ U + h_{t-1} @ W + b)        (the textbook tanh(U x_t + W h_{t-1} + b))
#     y_t = softmax(h_t @ V + c)                   (the textbook softmax(V h_t + c))

__all__ += ["rnn_cell_step", "rnn_forward", "rnn_output", "rnn_backward", "rnn_loss_and_grads",
            "numerical_gradient", "relative_error", "RNN_PARAMS"]

#: The parameter names of a vanilla RNN classifier, in the order Keras stores them
#: (SimpleRNN kernel, recurrent_kernel, bias; then the output Dense kernel, bias).
RNN_PARAMS = ("U", "W", "b", "V", "c")


def _rnn_weights(U: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate (U, W, b) against each other and return them as arrays."""
    U, W, b = np.asarray(U), np.asarray(W), np.asarray(b)
    if U.ndim != 2:
        raise ValueError(f"U has shape {U.shape}, expected 2-D (n_in, n_h): the input-to-hidden "
                         "weights (SimpleRNN's `kernel`).")
    n_h = U.shape[1]
    if W.shape != (n_h, n_h):
        swapped = (W.ndim == 2 and W.shape[1] == n_h and U.shape[0] == n_h)
        hint = (" U and W look swapped: U is (n_in, n_h), W is (n_h, n_h)." if swapped else "")
        raise ValueError(f"W has shape {W.shape}, expected ({n_h}, {n_h}): the hidden-to-hidden "
                         f"weights (SimpleRNN's `recurrent_kernel`) are square, n_h = U.shape[1] "
                         f"= {n_h}.{hint}")
    check_shape("b (one bias per hidden unit)", b, (n_h,))
    return U, W, b


def rnn_cell_step(x_t: np.ndarray, h_prev: np.ndarray, U: np.ndarray, W: np.ndarray,
                  b: np.ndarray) -> np.ndarray:
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
        ValueError: if a shape does not fit, naming the argument and the expected shape.
    """
    U, W, b = _rnn_weights(U, W, b)
    n_in, n_h = U.shape
    if np.ndim(x_t) == 1 or np.ndim(h_prev) == 1:
        raise ValueError(f"x_t and h_prev must be 2-D, (batch, n_in) and (batch, n_h); got shapes "
                         f"{np.shape(x_t)} and {np.shape(h_prev)}. For one example add a batch "
                         "axis: x_t[None], h_prev[None].")
    check_shape("x_t (batch, n_in)", x_t, (None, n_in))
    check_shape("h_prev (batch, n_h)", h_prev, (np.shape(x_t)[0], n_h))
    return np.tanh(np.asarray(x_t) @ U + np.asarray(h_prev) @ W + b)


def rnn_forward(x: np.ndarray, h0: np.ndarray | None, U: np.ndarray, W: np.ndarray,
                b: np.ndarray) -> np.ndarray:
    """Run the RNN cell over a whole sequence, carrying the hidden state from step to step.

    Args:
        x: input sequences, shape ``(batch, T, n_in)`` (Keras' layout: time on axis 1).
        h0: the initial state, ``(batch, n_h)``; ``None`` means zeros, as in Keras.
        U, W, b: the cell's weights, as in :func:`rnn_cell_step`.

    Returns:
        ``hs``, every hidden state h_1 ... h_T, shape ``(batch, T, n_h)`` (h0 is not
        included). ``hs[:, -1]`` is the last state, what ``SimpleRNN()`` returns by default;
        all of ``hs`` is what ``SimpleRNN(return_sequences=True)`` returns.
    """
    U, W, b = _rnn_weights(U, W, b)
    x = np.asarray(x)
    if x.ndim == 2:
        raise ValueError(f"x has shape {x.shape}, expected 3-D (batch, T, n_in). For a single "
                         "sequence add a batch axis: x[None].")
    check_shape("x (batch, T, n_in)", x, (None, None, U.shape[0]))
    batch, T, _ = x.shape
    h = np.zeros((batch, U.shape[1])) if h0 is None else np.asarray(h0, dtype=float)
    check_shape("h0 (batch, n_h)", h, (batch, U.shape[1]))
    hs = np.empty((batch, T, U.shape[1]))
    for t in range(T):  # sequential: step t needs h_{t-1}
        h = np.tanh(x[:, t] @ U + h @ W + b)
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
    check_shape("h (..., n_h)", h, (None,) * (h.ndim - 1) + (V.shape[0],))
    check_shape("c (one bias per output)", c, (V.shape[1],))
    return softmax(h @ V + c, axis=-1)


def rnn_backward(x: np.ndarray, h0: np.ndarray | None, hs: np.ndarray, W: np.ndarray,
                 dhs: np.ndarray) -> dict[str, np.ndarray]:
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
    check_shape("dhs (batch, T, n_h), the same shape as hs", dhs, hs.shape)
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


def rnn_loss_and_grads(x: np.ndarray, targets: np.ndarray, params: dict[str, np.ndarray],
                       h0: np.ndarray | None = None) -> tuple[float, dict[str, np.ndarray]]:
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
    targets = np.asarray(targets)
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets must be integer class ids, got dtype {targets.dtype}. "
                         "Pass labels such as np.array([0, 1, 1]), not one-hot vectors.")
    if targets.shape == (batch,):
        h_out = hs[:, -1]                      # N vs 1: read the last state only
    elif targets.shape == (batch, T):
        h_out = hs                             # N vs N: one prediction per step
    else:
        raise ValueError(f"targets has shape {targets.shape}; expected ({batch},) for one label "
                         f"per sequence (N vs 1) or ({batch}, {T}) for one label per step (N vs N).")
    probs = rnn_output(h_out, V, c)
    n_out = V.shape[1]
    if targets.min() < 0 or targets.max() >= n_out:
        raise ValueError(f"targets must lie in [0, {n_out}) (V has {n_out} columns), got values "
                         f"from {targets.min()} to {targets.max()}.")
    onehot = np.eye(n_out)[targets]
    n_predictions = targets.size
    loss = float(-np.log(np.sum(probs * onehot, axis=-1) + 1e-300).sum() / n_predictions)
    dz = (probs - onehot) / n_predictions      # softmax + cross-entropy, per prediction
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
        raise TypeError(f"param must be a NumPy array that f reads, got {type(param).__name__}: "
                        "pass the array itself (e.g. params['W']), not a copy or a list.")
    if not np.issubdtype(param.dtype, np.floating):
        raise TypeError(f"param has dtype {param.dtype}; it must be a float array (use "
                        "param.astype(np.float64)) so that it can be nudged by eps.")
    if param.dtype != np.float64:
        import warnings

        warnings.warn(f"param is {param.dtype}: central differences need float64 to be accurate.",
                      stacklevel=2)
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
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; compare arrays of "
                         "the same shape.")
    scale = float(np.max(np.abs(a) + np.abs(b))) if a.size else 0.0
    return 0.0 if scale == 0.0 else float(np.max(np.abs(a - b)) / scale)


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
        raise ValueError(f"lengths has shape {arr.shape}, expected ({batch},): one length per "
                         "sequence in the batch.")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"lengths must be integers (how many real steps each sequence has), got "
                         f"dtype {arr.dtype}.")
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


def birnn_forward(x: np.ndarray, lengths: np.ndarray | None, forward: tuple, backward: tuple,
                  merge_mode: str | None = "concat") -> np.ndarray | tuple[np.ndarray, np.ndarray]:
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
    real = np.arange(x.shape[1])[None, :] < lengths[:, None]           # (batch, T)
    fwd = rnn_forward(x, None, *forward)                                # reads x_1 .. x_T
    bwd = reverse_padded(rnn_forward(reverse_padded(x, lengths), None, *backward), lengths)
    fwd, bwd = fwd * real[..., None], bwd * real[..., None]            # padded steps -> 0
    if merge_mode is None:
        return fwd, bwd
    if merge_mode == "concat":
        return np.concatenate([fwd, bwd], axis=-1)
    if fwd.shape != bwd.shape:
        raise ValueError(f"merge_mode={merge_mode!r} needs both directions of the same size; the "
                         f"forward states are {fwd.shape[-1]} wide, the backward {bwd.shape[-1]}.")
    return {"sum": fwd + bwd, "ave": (fwd + bwd) / 2, "mul": fwd * bwd}[merge_mode]
