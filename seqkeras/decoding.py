"""Turning a language model's next-token probabilities into text: temperature, sampling, generation.

A language model gives, after each prefix, a probability for every token of the
vocabulary. This module holds the few pieces of NumPy that turn those probabilities into
measurements and into new text:

- :func:`perplexity` turns a mean cross-entropy (nats per token) into "how many tokens the
  model is choosing between".
- :func:`apply_temperature` sharpens (τ < 1) or flattens (τ > 1) a distribution: τ is the
  temperature, ``temperature`` in code.
- :func:`sample` draws one token index from a distribution, with a temperature.
- :func:`generate` runs the autoregressive loop: feed a prompt, then feed each sampled
  token back in, carrying the model's state from one step to the next.

Everything here is plain NumPy, so it works with any Keras backend (convert model outputs
with ``keras.ops.convert_to_numpy`` first, or let :func:`generate` do it via ``np.asarray``).
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from seqkeras.reference import softmax

__all__ = ["perplexity", "apply_temperature", "sample", "generate", "StepFn"]

#: ``step_fn(token_id, state) -> (probs, new_state)``: one step of a language model (see :func:`generate`).
StepFn = Callable[[int, Any], tuple]

_SUM_TOLERANCE = 1e-3  # float32 softmax outputs sum to 1 within ~1e-6; anything further off is a bug


def perplexity(mean_nll: float | np.ndarray) -> float | np.ndarray:
    """Perplexity ``exp(mean_nll)`` from a mean negative log-likelihood per token, in nats.

    A perplexity of ``k`` means the model is, on average, as unsure as if it chose
    uniformly among ``k`` tokens: a uniform guess over a vocabulary of ``vocab_size`` tokens
    has perplexity ``vocab_size``, a perfect model has perplexity 1.

    Args:
        mean_nll: the average over tokens of ``-log p(correct token)``, natural log, e.g. the
            loss of a model compiled with ``SparseCategoricalCrossentropy``: a number (int,
            float, NumPy or Keras scalar), or an array of such averages.

    Returns:
        ``exp(mean_nll)``: a float for a scalar input, else an array of the same shape.
        Above about 709 nats the perplexity is larger than any float64 and comes back as
        ``inf``.

    Raises:
        TypeError: ``mean_nll`` is not a number: a string such as ``"1.7"``, a bool, a
            complex number.
        ValueError: ``mean_nll`` is negative or not finite (a cross-entropy is never below 0).
    """
    value = np.asarray(mean_nll)
    if value.dtype.kind not in "iuf":
        raise TypeError(f"mean_nll must be a number (the mean cross-entropy in nats), got "
                        f"{type(mean_nll).__name__} {mean_nll!r}"
                        + (": convert it first, float(text)." if value.dtype.kind in "USO" else "."))
    value = value.astype(float)
    if not np.all(np.isfinite(value)):
        raise ValueError(f"mean_nll must be finite, got {mean_nll!r}: check the loss for NaN "
                         "(a diverged training run) before computing perplexity.")
    if np.any(value < 0):
        raise ValueError(f"mean_nll must be >= 0 (it is an average of -log p with p <= 1), got "
                         f"{mean_nll!r}: pass the loss itself, not the log-probability.")
    with np.errstate(over="ignore"):  # exp(> 709) is inf: documented, not a warning
        out = np.exp(value)
    return float(out) if out.ndim == 0 else out


def _check_distribution(probs: Any, name: str = "probs") -> np.ndarray:
    """``probs`` as a float64 array whose last axis is a probability distribution, or a clear error."""
    p = np.asarray(probs, dtype=float)
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError(f"{name} must have a last axis of length vocab_size >= 1, got shape "
                         f"{p.shape}.")
    if p.size == 0:  # a batch of no rows: nothing to check
        return p
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{name} contains NaN or infinity: the model's output is broken "
                         "(check the training loss for NaN).")
    if np.any(p < 0):
        raise ValueError(f"{name} has negative entries (min {p.min():.3g}): probabilities are >= 0. "
                         "If these are logits (a Dense layer without softmax), pass from_logits=True.")
    sums = p.sum(axis=-1)
    worst = float(np.max(np.abs(sums - 1.0)))
    if worst > _SUM_TOLERANCE:
        raise ValueError(f"{name} must sum to 1 along the last axis, but a row sums to "
                         f"{float(sums.flat[np.argmax(np.abs(sums - 1.0))]):.4g}. Normalise it "
                         "(probs / probs.sum(-1, keepdims=True)), or pass from_logits=True for logits.")
    return p


def _check_temperature(temperature: float) -> float:
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}.") from None
    if not math.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}. "
                         "For greedy decoding (the limit temperature -> 0) take np.argmax(probs) "
                         "instead.")
    return t


def apply_temperature(probs_or_logits: Any, temperature: float, *, from_logits: bool = False) -> np.ndarray:
    """Reshape a distribution with a temperature τ: ``softmax(logits / τ)``.

    For probabilities this is the same as ``p ** (1 / τ)`` renormalised (since
    ``log p`` differs from the logits by a constant). τ = 1 changes nothing; τ < 1
    sharpens towards the most likely token (τ -> 0 is argmax); τ > 1 flattens towards
    uniform.

    Args:
        probs_or_logits: shape ``(..., vocab_size)``: probabilities along the last axis
            (``from_logits=False``, each row summing to 1), or raw scores
            (``from_logits=True``; a score of ``-inf`` marks an impossible token).
        temperature: τ > 0.
        from_logits: whether the input holds logits rather than probabilities.

    Returns:
        float64 probabilities of shape ``(..., vocab_size)``, each row summing to 1.
        Zero-probability tokens stay at zero. A batch of no rows gives no rows.

    Raises:
        ValueError: ``temperature <= 0``; probabilities that are negative or do not sum to 1;
            logits with NaN or ``+inf``, or a row of logits that are all ``-inf``.
    """
    t = _check_temperature(temperature)
    if from_logits:
        z = np.asarray(probs_or_logits, dtype=float)
        if z.ndim == 0 or z.shape[-1] == 0:
            raise ValueError(f"logits must have shape (..., vocab_size) with vocab_size >= 1, "
                             f"got {z.shape}.")
        if np.any(np.isnan(z)):
            raise ValueError("logits contain NaN: the model's output is broken (check the training loss).")
    else:
        p = _check_distribution(probs_or_logits)
        with np.errstate(divide="ignore"):
            z = np.log(p)  # log 0 = -inf: those tokens stay impossible
    if z.size:  # shift by the row maximum BEFORE dividing, so a tiny τ cannot overflow
        top = z.max(axis=-1, keepdims=True)
        z = z - np.where(np.isfinite(top), top, 0.0)
    return softmax(z / t, axis=-1)


def _as_rng(rng: Any) -> np.random.Generator:
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), an int seed or None; "
                    f"got {type(rng).__name__}.")


def sample(probs: Any, temperature: float = 1.0, rng: Any = None, *, from_logits: bool = False) -> int:
    """Draw one token index from a next-token distribution, after applying a temperature.

    Args:
        probs: shape ``(vocab_size,)``: probabilities summing to 1 (or logits with
            ``from_logits=True``). A ``(1, vocab_size)`` or ``(1, 1, vocab_size)`` model
            output is accepted and flattened.
        temperature: τ > 0; see :func:`apply_temperature`.
        rng: a ``np.random.Generator`` (reproducible draws), an int seed, or ``None`` (fresh randomness).
        from_logits: whether ``probs`` holds logits.

    Returns:
        An ``int`` in ``range(vocab_size)``.

    Raises:
        ValueError: ``probs`` is not one distribution, or ``temperature <= 0``.
    """
    p = _flatten_single(probs, "probs")
    q = apply_temperature(p, temperature, from_logits=from_logits)
    return int(_as_rng(rng).choice(q.shape[-1], p=q))


def _flatten_single(probs: Any, name: str) -> np.ndarray:
    """A ``(vocab_size,)`` array from ``(vocab_size,)``, ``(1, vocab_size)``...; else a clear error."""
    p = np.asarray(probs, dtype=float)
    if p.ndim == 0:
        raise ValueError(f"{name} must be a vector of shape (vocab_size,), got a scalar {p!r}.")
    if p.ndim > 1:
        if any(d != 1 for d in p.shape[:-1]):
            raise ValueError(f"{name} must hold ONE distribution, shape (vocab_size,), got shape "
                             f"{p.shape}. For a batch, sample each row separately; for a sequence "
                             "output (batch, T, vocab_size) take the last step: probs[0, -1].")
        p = p.reshape(-1)
    return p


def generate(step_fn: StepFn, state: Any, prompt_ids: Sequence[int] | np.ndarray, n: int,
             temperature: float = 1.0, rng: Any = None) -> np.ndarray:
    """Generate ``n`` new token ids, one step at a time, carrying the model's state.

    The loop: feed every prompt token in order (each call returns the distribution of the
    *next* token and the updated state); sample a token from the last distribution; feed
    that token back in with the state; repeat until ``n`` tokens are sampled. Each step is
    one call: the prefix is never re-run.

    Args:
        step_fn: one step of the model, ``step_fn(token_id, state) -> (probs, new_state)``:
            ``token_id`` is a Python ``int``; ``state`` is whatever the model carries between
            steps (e.g. ``[h]`` for a GRU, ``[h, c]`` for an LSTM) and is passed back
            untouched; ``probs`` is the next-token distribution, shape ``(vocab_size,)``
            (or ``(1, vocab_size)``, ``(1, 1, vocab_size)``), summing to 1.
        state: the state before the first prompt token (e.g. zeros).
        prompt_ids: the prompt, a non-empty sequence of token ids.
        n: how many new tokens to generate (``>= 0``).
        temperature: τ > 0, see :func:`apply_temperature`.
        rng: a ``np.random.Generator``, an int seed, or ``None``.

    Returns:
        int array of shape ``(n,)``: the new tokens only (not the prompt).

    Raises:
        ValueError: an empty prompt, ``n < 0``, ``temperature <= 0``, or ``step_fn`` not
            returning ``(probs, new_state)``.
    """
    prompt = np.asarray(prompt_ids)
    if prompt.ndim != 1 or prompt.size == 0:
        raise ValueError(f"prompt_ids must be a non-empty 1-D sequence of token ids, got shape {prompt.shape}. "
                         "Start from at least one token, e.g. the id of a newline.")
    if not np.issubdtype(prompt.dtype, np.integer):
        raise ValueError(f"prompt_ids must be integer token ids, got dtype {prompt.dtype}: "
                         "encode the text first (vocab.encode(text)).")
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}.")
    _check_temperature(temperature)
    rng = _as_rng(rng)

    def step(token: int, st: Any) -> tuple[np.ndarray, Any]:
        out = step_fn(int(token), st)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise ValueError("step_fn must return a pair (probs, new_state); got "
                             f"{type(out).__name__}. Return the state too, so the next step can continue from it.")
        return _flatten_single(out[0], "the probs returned by step_fn"), out[1]

    probs = None
    for token in prompt:  # warm up: read the prompt, keep only the last distribution
        probs, state = step(token, state)
    new = np.empty(int(n), dtype=np.int64)
    for i in range(int(n)):
        new[i] = sample(probs, temperature, rng)
        if i + 1 < n:  # the last sampled token needs no step of its own
            probs, state = step(new[i], state)
    return new
