"""What the course needs for text beyond Keras' own preprocessing layers.

Tokens become ids with Keras: ``keras.layers.StringLookup`` (tokens already split, words or
characters) and ``keras.layers.TextVectorization`` (raw strings), and batches are padded with
``keras.utils.pad_sequences``. Lesson 00 builds a vocabulary by hand once and checks it equal to
``StringLookup``. This module keeps the two pieces Keras lacks:

- :func:`frequent_tokens` lists a corpus's tokens most frequent first, with a minimum count
  and a documented order for ties, as the ``vocabulary=`` of a ``StringLookup``::

    >>> frequent_tokens([["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]], min_count=2)
    ['cat', 'sat', 'the']

- :func:`sliding_windows` cuts one long sequence of ids into training pairs for next-token
  prediction: each input window and the same window shifted one step to the right::

    >>> inputs, targets = sliding_windows([5, 6, 7, 8, 9], length=3)
    >>> inputs.tolist(), targets.tolist()
    ([[5, 6, 7], [6, 7, 8]], [[6, 7, 8], [7, 8, 9]])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["frequent_tokens", "sliding_windows"]


def frequent_tokens(
    sequences: Iterable[Sequence[str]], min_count: int = 1, max_size: int | None = None
) -> list[str]:
    """The tokens of a corpus, most frequent first: a vocabulary list for ``StringLookup``.

    ``keras.layers.StringLookup.adapt`` also orders tokens by frequency, but it has no
    ``min_count`` and breaks ties in reverse alphabetical order. This gives the same kind of
    list with a cut-off and a documented, deterministic order (ties alphabetical), so that
    the same data always gives the same ids. Pass it as
    ``StringLookup(vocabulary=frequent_tokens(...))``: the layer then puts its mask token
    (if any) at id 0 and its unknown token(s) next, before these tokens.

    Args:
        sequences: token lists, e.g. ``[["the", "cat"], ["a", "dog"]]``
            (for one sequence, wrap it: ``[tokens]``).
        min_count: leave out tokens seen fewer times than this (they become unknown).
        max_size: keep at most this many tokens, dropping the rarest.

    Returns:
        The distinct tokens seen at least ``min_count`` times, by count (highest first),
        ties in alphabetical order.

    Raises:
        TypeError: ``sequences`` is a string or a list of strings (not yet split into
            tokens), or holds tokens that are not strings.
        ValueError: no tokens, or none seen ``min_count`` times; ``min_count`` < 1 or
            ``max_size`` < 1.
    """
    if isinstance(sequences, str):
        raise TypeError(
            "frequent_tokens expects a list of token lists, got a string: for characters "
            "use sorted(set(text)); for the words of one text, frequent_tokens([text.split()])"
        )
    sequences = list(sequences)
    if sequences and all(isinstance(s, str) for s in sequences):
        raise TypeError(
            "frequent_tokens expects a list of token LISTS, got a list of strings: split "
            "each string into tokens first, e.g. [s.split() for s in sentences]; for one "
            "list of tokens, wrap it: [tokens]"
        )
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a whole number >= 1, got {min_count!r}")
    if max_size is not None and (not isinstance(max_size, int) or max_size < 1):
        raise ValueError(f"max_size must be a whole number >= 1 or None, got {max_size!r}")
    counts = Counter(token for seq in sequences for token in seq)
    if not counts:
        raise ValueError(
            "cannot list the tokens: the token lists are empty (did a file load or a filter return nothing?)"
        )
    odd = next((t for t in counts if not isinstance(t, str)), None)
    if odd is not None:
        raise TypeError(
            f"token {odd!r} is a {type(odd).__name__}, not a string: are these ids already? "
            "frequent_tokens lists string tokens"
        )
    kept = [t for t, c in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0])) if c >= min_count]
    if not kept:
        raise ValueError(
            f"no token is seen at least min_count={min_count} times "
            f"(the most frequent is seen {max(counts.values())} times): lower min_count"
        )
    return kept if max_size is None else kept[:max_size]


def sliding_windows(
    ids: Sequence[int] | np.ndarray, length: int, stride: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Cut one long sequence into (input, target) windows for next-token prediction.

    Window ``i`` starts at ``i * stride``: ``inputs[i] = ids[s : s + length]`` and
    ``targets[i] = ids[s + 1 : s + length + 1]``, the same window one step later, so the
    target at every position is the token that follows the input there.

    Args:
        ids: the sequence, shape ``(N,)`` (or ``(N, ...)`` for vectors, e.g. a time series).
        length: window length ``T`` (>= 1).
        stride: step between window starts (>= 1); ``stride=length`` gives windows that
            do not overlap.

    Returns:
        ``(inputs, targets)``, each of shape ``(n, T)`` (or ``(n, T, ...)``) with
        ``n = (N - T - 1) // stride + 1``. They are copies, so memory grows with
        ``n * T``: use a larger ``stride`` on long texts.

    Raises:
        ValueError: ``length`` or ``stride`` is not a positive integer, or the sequence is
            shorter than ``length + 1`` (one window plus the next token).
    """
    for name, v in (("length", length), ("stride", stride)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {v!r}")
    if isinstance(ids, str):
        raise TypeError(
            "sliding_windows expects token ids, got a string: look the characters up "
            "first, e.g. with keras.layers.StringLookup (lesson 03)"
        )
    ids = np.asarray(ids)
    if ids.ndim == 0:
        raise ValueError("sliding_windows expects a sequence of ids, got a single value")
    if len(ids) < length + 1:
        raise ValueError(
            f"the sequence has {len(ids)} items, too short for one window of "
            f"length {length} plus its next-token target (needs >= {length + 1}): "
            "use a shorter length or more data"
        )
    n = (len(ids) - length - 1) // stride + 1
    starts = np.arange(n) * stride
    offsets = np.arange(length)
    inputs = ids[starts[:, None] + offsets]
    targets = ids[starts[:, None] + offsets + 1]
    return inputs, targets
