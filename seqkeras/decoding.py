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
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

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
        raise TypeError(
            f"mean_nll must be a number (the mean cross-entropy in nats), got "
            f"{type(mean_nll).__name__} {mean_nll!r}"
            + (": convert it first, float(text)." if value.dtype.kind in "USO" else ".")
        )
    value = value.astype(float)
    if not np.all(np.isfinite(value)):
        raise ValueError(
            f"mean_nll must be finite, got {mean_nll!r}: check the loss for NaN "
            "(a diverged training run) before computing perplexity."
        )
    if np.any(value < 0):
        raise ValueError(
            f"mean_nll must be >= 0 (it is an average of -log p with p <= 1), got "
            f"{mean_nll!r}: pass the loss itself, not the log-probability."
        )
    with np.errstate(over="ignore"):  # exp(> 709) is inf: documented, not a warning
        out = np.exp(value)
    return float(out) if out.ndim == 0 else out


def _check_distribution(probs: Any, name: str = "probs") -> np.ndarray:
    """``probs`` as a float64 array whose last axis is a probability distribution, or a clear error."""
    p = np.asarray(probs, dtype=float)
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError(f"{name} must have a last axis of length vocab_size >= 1, got shape {p.shape}.")
    if p.size == 0:  # a batch of no rows: nothing to check
        return p
    if not np.all(np.isfinite(p)):
        raise ValueError(
            f"{name} contains NaN or infinity: the model's output is broken "
            "(check the training loss for NaN)."
        )
    if np.any(p < 0):
        raise ValueError(
            f"{name} has negative entries (min {p.min():.3g}): probabilities are >= 0. "
            "If these are logits (a Dense layer without softmax), pass from_logits=True."
        )
    sums = p.sum(axis=-1)
    worst = float(np.max(np.abs(sums - 1.0)))
    if worst > _SUM_TOLERANCE:
        raise ValueError(
            f"{name} must sum to 1 along the last axis, but a row sums to "
            f"{float(sums.flat[np.argmax(np.abs(sums - 1.0))]):.4g}. Normalise it "
            "(probs / probs.sum(-1, keepdims=True)), or pass from_logits=True for logits."
        )
    return p


def _check_temperature(temperature: float) -> float:
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}.") from None
    if not math.isfinite(t) or t <= 0:
        raise ValueError(
            f"temperature must be a finite number > 0, got {temperature!r}. "
            "For greedy decoding (the limit temperature -> 0) take np.argmax(probs) "
            "instead."
        )
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
            raise ValueError(f"logits must have shape (..., vocab_size) with vocab_size >= 1, got {z.shape}.")
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
    raise TypeError(
        f"rng must be a numpy Generator (np.random.default_rng(seed)), an int seed or None; "
        f"got {type(rng).__name__}."
    )


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
            raise ValueError(
                f"{name} must hold ONE distribution, shape (vocab_size,), got shape "
                f"{p.shape}. For a batch, sample each row separately; for a sequence "
                "output (batch, T, vocab_size) take the last step: probs[0, -1]."
            )
        p = p.reshape(-1)
    return p


def generate(
    step_fn: StepFn,
    state: Any,
    prompt_ids: Sequence[int] | np.ndarray,
    n: int,
    temperature: float = 1.0,
    rng: Any = None,
) -> np.ndarray:
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
        raise ValueError(
            f"prompt_ids must be a non-empty 1-D sequence of token ids, got shape {prompt.shape}. "
            "Start from at least one token, e.g. the id of a newline."
        )
    if not np.issubdtype(prompt.dtype, np.integer):
        raise ValueError(
            f"prompt_ids must be integer token ids, got dtype {prompt.dtype}: "
            "turn the text into ids first with a StringLookup layer (lesson 03's encode(text))."
        )
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}.")
    _check_temperature(temperature)
    rng = _as_rng(rng)

    def step(token: int, st: Any) -> tuple[np.ndarray, Any]:
        out = step_fn(int(token), st)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise ValueError(
                "step_fn must return a pair (probs, new_state); got "
                f"{type(out).__name__}. Return the state too, so the next step can continue from it."
            )
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


# ================================================================================================
# Decoding an encoder–decoder (lessons 07 and 08): greedy, sampling, beam search
# ================================================================================================
# A decoder is driven through one function, ``step(token_ids, state) -> (log_probs, new_state)``:
#
# - ``token_ids``: int array ``(B,)``, the token each sequence of the batch feeds in now
#   (the start token first, then each sequence's previous output);
# - ``state``: whatever the decoder carries from step to step, with the batch on the first
#   axis: an array ``(B, ...)`` or a list/tuple/dict of them (e.g. ``[h]`` for a GRU,
#   ``[h, C]`` for an LSTM, plus the context or the encoder's outputs if the decoder reads
#   them at every step);
# - ``log_probs``: float array ``(B, |V|)``, the log-probabilities of the next token
#   (``log_softmax`` of the logits), each row's ``exp`` summing to 1.
#
# The same three functions serve every decoder of the course: write the step function once
# for a model, then choose how to decode.

#: ``step(token_ids (B,), state) -> (log_probs (B, |V|), new_state)``: one decoder step.
Seq2SeqStep = Callable[[np.ndarray, Any], tuple[Any, Any]]

_LOG_SUM_TOLERANCE = 1e-3  # |log sum exp(log_probs)| of float32 log-softmax rows is ~1e-6


class Hypothesis(NamedTuple):
    """One output of :func:`beam_search`.

    Attributes:
        ids: the output token ids, without the start and end tokens.
        log_prob: the sum of the log-probabilities of its tokens (the end token included).
        score: ``log_prob / length ** alpha`` (:func:`length_normalised`), the number the
            hypotheses are ranked by.
        ended: ``True`` if the decoder chose the end token, ``False`` if ``max_len`` cut it.
    """

    ids: list[int]
    log_prob: float
    score: float
    ended: bool


def length_normalised(log_prob: float, length: int, alpha: float = 1.0) -> float:
    """``log_prob / length ** alpha``: a sequence's log-probability made comparable across lengths.

    Every token multiplies the probability by a number below 1, so an unnormalised search
    prefers short outputs. ``alpha = 0`` leaves the log-probability as it is; ``alpha = 1``
    ranks by the mean log-probability per token; values in between (0.6–0.8 is common)
    compromise.

    Args:
        log_prob: the summed log-probability of the output (<= 0).
        length: its number of tokens, the end token included (>= 1).
        alpha: the strength of the normalisation (>= 0).
    """
    if length < 1:
        raise ValueError(f"length must be >= 1 (count the end token), got {length!r}")
    if not alpha >= 0:
        raise ValueError(f"alpha must be >= 0, got {alpha!r}: 0 means no normalisation")
    return float(log_prob) / float(length) ** alpha


def _leaves(state: Any) -> list[Any]:
    if isinstance(state, dict):
        return [leaf for v in state.values() for leaf in _leaves(v)]
    if isinstance(state, (list, tuple)):
        return [leaf for v in state for leaf in _leaves(v)]
    return [] if state is None else [state]


def _map_state(fn: Callable[[np.ndarray], np.ndarray], state: Any) -> Any:
    """Apply ``fn`` to every array of a (nested) state, keeping its structure."""
    if isinstance(state, dict):
        return {k: _map_state(fn, v) for k, v in state.items()}
    if isinstance(state, (list, tuple)):
        mapped = [_map_state(fn, v) for v in state]
        return tuple(mapped) if isinstance(state, tuple) else mapped
    return None if state is None else fn(np.asarray(state))


def _batch_size(state: Any, batch_size: int | None) -> int:
    if batch_size is not None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
        return int(batch_size)
    leaves = _leaves(state)
    if not leaves:
        raise ValueError(
            "cannot tell the batch size from a state that holds no arrays: pass "
            "batch_size=B (the number of sequences to decode)."
        )
    sizes = {np.shape(leaf)[0] if np.ndim(leaf) else None for leaf in leaves}
    if len(sizes) != 1 or None in sizes:
        raise ValueError(
            f"every array of the state must have the batch on its first axis, with the "
            f"same size; got shapes {[np.shape(leaf) for leaf in leaves]}."
        )
    return int(sizes.pop())


def _check_token(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a token id (an int >= 0), got {value!r}")
    return int(value)


def _check_max_len(max_len: Any) -> int:
    if isinstance(max_len, bool) or not isinstance(max_len, (int, np.integer)) or max_len < 1:
        raise ValueError(f"max_len must be a whole number >= 1 (the most tokens to write), got {max_len!r}")
    return int(max_len)


def _call_step(step: Seq2SeqStep, token_ids: np.ndarray, state: Any) -> tuple[np.ndarray, Any]:
    """One call of ``step``, with its output checked: ``(B, |V|)`` finite log-probabilities."""
    out = step(token_ids, state)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise ValueError(
            "step must return a pair (log_probs, new_state); got "
            f"{type(out).__name__}. Return the new state too, so the next step can continue."
        )
    log_probs = np.asarray(out[0], dtype=np.float64)
    n = len(token_ids)
    if log_probs.ndim == 3 and log_probs.shape[1] == 1:  # (B, 1, |V|): a one-step sequence output
        log_probs = log_probs[:, 0]
    if log_probs.ndim != 2 or log_probs.shape[0] != n:
        raise ValueError(
            f"step must return log_probs of shape (B, |V|) = ({n}, |V|) for {n} token ids, "
            f"got {log_probs.shape}."
        )
    if np.any(np.isnan(log_probs)) or np.any(log_probs == np.inf):
        raise ValueError("step returned NaN or +inf log-probabilities: the model's output is broken.")
    with np.errstate(under="ignore"):
        top = log_probs.max(axis=-1, keepdims=True)
        sums = top[:, 0] + np.log(np.exp(log_probs - top).sum(axis=-1))
    worst = float(np.max(np.abs(sums)))
    if not worst < _LOG_SUM_TOLERANCE:
        raise ValueError(
            f"step must return LOG-probabilities (each row's exp summing to 1), but a row's "
            f"log-sum-exp is {float(sums[np.argmax(np.abs(sums))]):.4g}, not 0. For logits take "
            "log_softmax(logits) (logits - logsumexp(logits)); for probabilities take np.log(probs)."
        )
    return log_probs, out[1]


def greedy_decode(
    step: Seq2SeqStep, state: Any, start_id: int, end_id: int, max_len: int, *, batch_size: int | None = None
) -> list[list[int]]:
    """Decode a batch greedily: at every step feed back the most likely token.

    Every sequence starts from ``start_id``; a sequence is finished when it writes
    ``end_id``, or after ``max_len`` tokens. The batch keeps its size until every sequence
    has finished (a finished sequence's later outputs are ignored), so a step function
    compiled for one batch size is never called with another.

    Args:
        step: ``step(token_ids (B,), state) -> (log_probs (B, |V|), new_state)``.
        state: the decoder's initial state for the batch (e.g. the encoder's context),
            arrays with the batch on the first axis.
        start_id, end_id: the ids of the start and end tokens.
        max_len: the most tokens to write per sequence (the end token included).
        batch_size: ``B``, needed only if ``state`` holds no arrays.

    Returns:
        ``B`` lists of token ids, each without the start and end tokens.
    """
    start_id, end_id = _check_token("start_id", start_id), _check_token("end_id", end_id)
    max_len = _check_max_len(max_len)
    n = _batch_size(state, batch_size)
    return _decode_loop(
        step, state, n, start_id, end_id, max_len, lambda log_probs: np.argmax(log_probs, axis=-1)
    )


def sample_decode(
    step: Seq2SeqStep,
    state: Any,
    start_id: int,
    end_id: int,
    max_len: int,
    temperature: float = 1.0,
    rng: Any = None,
    *,
    batch_size: int | None = None,
) -> list[list[int]]:
    """Decode a batch by sampling each next token from ``softmax(log_probs / τ)``.

    Arguments and result as :func:`greedy_decode`, plus:

    Args:
        temperature: ``τ > 0``; low is close to greedy, high is close to uniform.
        rng: a ``np.random.Generator`` (reproducible), an int seed, or ``None``.
    """
    start_id, end_id = _check_token("start_id", start_id), _check_token("end_id", end_id)
    max_len = _check_max_len(max_len)
    _check_temperature(temperature)
    rng = _as_rng(rng)
    n = _batch_size(state, batch_size)

    def choose(log_probs: np.ndarray) -> np.ndarray:
        q = apply_temperature(log_probs, temperature, from_logits=True)  # (B, |V|)
        cdf = np.cumsum(q, axis=-1)
        u = rng.random(len(q))[:, None] * cdf[:, -1:]
        return np.minimum((cdf <= u).sum(axis=-1), q.shape[-1] - 1)  # inverse CDF, one draw a row

    return _decode_loop(step, state, n, start_id, end_id, max_len, choose)


def _decode_loop(
    step: Seq2SeqStep,
    state: Any,
    n: int,
    start_id: int,
    end_id: int,
    max_len: int,
    choose: Callable[[np.ndarray], np.ndarray],
) -> list[list[int]]:
    tokens = np.full(n, start_id, dtype=np.int64)
    outputs: list[list[int]] = [[] for _ in range(n)]
    done = np.zeros(n, dtype=bool)
    for _ in range(max_len):
        log_probs, state = _call_step(step, tokens, state)
        tokens = np.asarray(choose(log_probs), dtype=np.int64)
        for b in np.flatnonzero(~done):
            if tokens[b] == end_id:
                done[b] = True
            else:
                outputs[b].append(int(tokens[b]))
        if done.all():
            break
    return outputs


def beam_search(
    step: Seq2SeqStep,
    state: Any,
    start_id: int,
    end_id: int,
    max_len: int,
    beam_width: int = 4,
    alpha: float = 1.0,
) -> list[Hypothesis]:
    """Search for likely outputs of ONE input, keeping the ``beam_width`` best prefixes.

    The algorithm, step by step: every unfinished hypothesis is extended by every token;
    each extension's log-probability is its prefix's plus the token's (a sum of logs, never
    a product of probabilities, which would underflow); the ``beam_width`` best extensions
    are kept, the rest pruned. A kept extension that ends with ``end_id`` is finished and
    leaves the beam, which then keeps one hypothesis fewer (so exactly ``beam_width``
    hypotheses finish). The search stops when none is left unfinished or after ``max_len``
    tokens (hypotheses still unfinished then are returned with ``ended=False``). Finished
    hypotheses are ranked by :func:`length_normalised` score.

    ``beam_width=1`` is greedy decoding; a beam as wide as the number of possible outputs
    is an exhaustive search.

    Args:
        step: ``step(token_ids (k,), state) -> (log_probs (k, |V|), new_state)``, called with
            one row per unfinished hypothesis (at most ``beam_width`` rows).
        state: the decoder's initial state for the one input: arrays with a batch axis of 1.
        start_id, end_id: the ids of the start and end tokens.
        max_len: the most tokens in an output (the end token included).
        beam_width: ``k``, hypotheses kept at every step (>= 1).
        alpha: length normalisation of the final ranking, see :func:`length_normalised`.

    Returns:
        Up to ``beam_width`` :class:`Hypothesis`, best score first (fewer only if the
        vocabulary is too small to fill the beam).
    """
    start_id, end_id = _check_token("start_id", start_id), _check_token("end_id", end_id)
    max_len = _check_max_len(max_len)
    _check_beam_width(beam_width)
    length_normalised(0.0, 1, alpha)  # validates alpha
    if _leaves(state) and _batch_size(state, None) != 1:
        raise ValueError(
            f"beam_search decodes ONE input: the state must have a batch axis of 1, got "
            f"{_batch_size(state, None)}. Loop over the inputs (or greedy_decode a batch)."
        )

    return _beams(step, state, 1, start_id, end_id, max_len, beam_width, alpha, rows=None)[0]


def beam_search_batch(
    step: Seq2SeqStep,
    state: Any,
    start_id: int,
    end_id: int,
    max_len: int,
    beam_width: int = 4,
    alpha: float = 1.0,
    *,
    chunk: int = 64,
) -> list[list[Hypothesis]]:
    """:func:`beam_search` for MANY inputs at once: the same hypotheses for each input as
    ``beam_search`` on that input alone, in far fewer calls of ``step``.

    Every input keeps its own beam, exactly as :func:`beam_search` does; what changes is only
    how the decoder is called: at each step the alive hypotheses of ``chunk`` inputs go
    through ``step`` together, as one batch, instead of one input's few rows at a time. A
    Keras decoder called eagerly spends most of a small call on Python and dispatch, not on
    arithmetic, so one call for a whole chunk costs about as much as one call for one input.
    The batch always has ``chunk * beam_width`` rows (finished inputs and unused beam slots
    are filled with copies of a live row, whose outputs are ignored), so a compiled step, or
    JAX, sees one shape.

    Args:
        step: ``step(token_ids (R,), state) -> (log_probs (R, |V|), new_state)``, as for
            :func:`greedy_decode`; its rows must not depend on one another (true of any
            decoder that runs each sequence on its own).
        state: the decoder's initial state for all ``N`` inputs, arrays with the batch on the
            first axis (e.g. ``model.encode(x)`` for ``x`` of ``N`` sources).
        start_id, end_id, max_len, beam_width, alpha: as for :func:`beam_search`.
        chunk: how many inputs share one call of ``step`` (>= 1); memory grows with
            ``chunk * beam_width`` rows.

    Returns:
        ``N`` lists of :class:`Hypothesis`, each best score first, in the order of the inputs.
    """
    start_id, end_id = _check_token("start_id", start_id), _check_token("end_id", end_id)
    max_len = _check_max_len(max_len)
    _check_beam_width(beam_width)
    length_normalised(0.0, 1, alpha)  # validates alpha
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"chunk must be a whole number >= 1 (inputs per call of step), got {chunk!r}")
    n = _batch_size(state, None)
    results: list[list[Hypothesis]] = []
    for first in range(0, n, chunk):
        picked = np.arange(first, min(first + chunk, n))
        part = _map_state(lambda a, picked=picked: a[picked], state)
        results += _beams(
            step, part, len(picked), start_id, end_id, max_len, beam_width, alpha, rows=chunk * beam_width
        )
    return results


def _check_beam_width(beam_width: Any) -> None:
    if isinstance(beam_width, bool) or not isinstance(beam_width, (int, np.integer)) or beam_width < 1:
        raise ValueError(f"beam_width must be a whole number >= 1, got {beam_width!r}")


def _beams(
    step: Seq2SeqStep,
    state: Any,
    n: int,
    start_id: int,
    end_id: int,
    max_len: int,
    beam_width: int,
    alpha: float,
    rows: int | None,
) -> list[list[Hypothesis]]:
    """The beam search of :func:`beam_search`, for ``n`` inputs side by side.

    ``state`` has one row per input. Each step calls ``step`` once on every alive hypothesis
    of every input (input ``b``'s rows follow input ``b - 1``'s), padded to ``rows`` rows
    with copies of the first (``None``: no padding), then prunes each input's beam on its own.
    """
    alive: list[list[tuple[list[int], float]]] = [[([], 0.0)] for _ in range(n)]  # (ids, log-prob)
    finished: list[list[tuple[list[int], float, bool]]] = [[] for _ in range(n)]
    where = np.arange(n)  # the row of the state that each alive hypothesis reads, in order
    for t in range(max_len):
        tokens = np.array([ids[-1] if ids else start_id for beam in alive for ids, _ in beam], dtype=np.int64)
        live = len(tokens)
        gather = where if rows is None else np.concatenate([where, np.zeros(rows - live, dtype=int)])
        if rows is not None:
            tokens = np.concatenate([tokens, np.full(rows - live, tokens[0])])
        if _leaves(state):
            state = _map_state(lambda a, gather=gather: a[gather], state)  # follow the parents
        log_probs, state = _call_step(step, tokens, state)
        next_where, offset = [], 0
        for b in range(n):
            beam = alive[b]
            totals = np.array([lp for _, lp in beam])[:, None] + log_probs[offset : offset + len(beam)]
            keep = beam_width - len(finished[b])
            best = np.argsort(-totals, axis=None, kind="stable")[:keep]  # flat indices
            parents, words = np.unravel_index(best, totals.shape)
            next_alive = []
            for parent, word in zip(parents, words):
                ids, total = beam[parent][0] + [int(word)], float(totals[parent, word])
                if not np.isfinite(total):
                    continue  # impossible tokens
                if word == end_id:
                    finished[b].append((ids[:-1], total, True))
                else:
                    next_alive.append((ids, total))
                    next_where.append(offset + parent)
            offset += len(beam)
            alive[b] = next_alive
            if t == max_len - 1:
                finished[b].extend((ids, total, False) for ids, total in next_alive)
        if not next_where:
            break
        where = np.array(next_where)
    return [
        sorted(
            (
                Hypothesis(ids, total, length_normalised(total, len(ids) + ended, alpha), ended)
                for ids, total, ended in done
            ),
            key=lambda h: -h.score,
        )
        for done in finished
    ]


__all__ += [
    "Seq2SeqStep",
    "Hypothesis",
    "length_normalised",
    "greedy_decode",
    "sample_decode",
    "beam_search",
    "beam_search_batch",
]
