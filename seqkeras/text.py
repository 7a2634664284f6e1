"""Turning text into numbers and back: vocabularies, padding and sliding windows.

A neural network reads numbers, not letters. A :class:`Vocabulary` is the two-way table
between tokens (characters, words, tags) and integer ids::

    >>> vocab = Vocabulary.from_text("hello")
    >>> vocab.tokens
    ['e', 'h', 'l', 'o']
    >>> vocab.encode("hole")
    array([1, 3, 2, 0], dtype=int32)
    >>> vocab.decode([1, 0, 2, 2, 3])
    'hello'

- :func:`pad` makes sequences of different lengths into one rectangular array, so that
  they fit in one batch.
- :func:`sliding_windows` cuts one long sequence into training pairs for next-token
  prediction: each input window and the same window shifted one step to the right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["Vocabulary", "UnknownTokenError", "frequent_tokens", "pad", "sliding_windows"]

#: dtype of encoded ids (what ``keras.layers.Embedding`` and sparse losses expect).
ID_DTYPE = np.int32

_AUTO = object()  # "not given": lets from_tokens detect "<pad>" / "<unk>" among the specials


class UnknownTokenError(KeyError, ValueError):
    """A token that is not in the vocabulary. Both a ``KeyError`` and a ``ValueError``."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""


class Vocabulary:
    """A fixed list of tokens; a token's id is its position in the list.

    The order is deterministic, so the same data always gives the same ids:

    1. the padding token, if any, always at id 0 (so that :func:`pad`'s zeros mean padding);
    2. the other special tokens (the unknown token, start/end markers, ...) in the order given;
    3. the data's tokens: characters sorted by code point (:meth:`from_text`), or words by
       frequency, most frequent first, ties in alphabetical order (:meth:`from_tokens`).

    Build one with :meth:`from_text` (characters) or :meth:`from_tokens` (words, tags, ...),
    or give the full token list to the constructor.

    Args:
        tokens: every token, in id order; no duplicates.
        pad: the padding token; it must be ``tokens[0]``. ``None``: no padding token.
        unk: the token that stands in for tokens not in the vocabulary; it must be in
            ``tokens``. ``None``: encoding an unknown token is an error.
        char_level: ``True`` if the tokens are characters of a text: then :meth:`encode`
            accepts a string and :meth:`decode` returns one.
    """

    def __init__(
        self,
        tokens: Sequence[str],
        *,
        pad: str | None = None,
        unk: str | None = None,
        char_level: bool = False,
    ) -> None:
        tokens = list(tokens)
        if not tokens:
            raise ValueError(
                "a vocabulary needs at least one token: the text or token lists it was built from are empty"
            )
        index = {token: i for i, token in enumerate(tokens)}
        if len(index) != len(tokens):
            dupes = sorted({t for t in tokens if tokens.count(t) > 1})
            raise ValueError(f"tokens must be unique, but {dupes!r} appear more than once")
        if pad is not None and tokens[0] != pad:
            raise ValueError(
                f"the padding token {pad!r} must come first (id 0), but tokens[0] is {tokens[0]!r}"
            )
        if unk is not None and unk not in index:
            raise ValueError(f"the unknown token {unk!r} is not one of the tokens: add it to the list")
        self._tokens = tokens
        self._index = index
        self.pad_token = pad
        self.unk_token = unk
        self.char_level = char_level
        #: how often each token occurred in the data it was built from (None if not built
        #: from data); tokens left out by ``min_count``/``max_size`` are counted too.
        self.counts: Counter | None = None

    # ---------------------------------------------------------------- construction
    @classmethod
    def from_text(
        cls, text: str, *, pad: str | None = None, unk: str | None = None, specials: Sequence[str] = ()
    ) -> Vocabulary:
        """A character vocabulary: every distinct character of ``text``, sorted.

        Args:
            text: the training text (a non-empty string).
            pad: a padding token to put at id 0, e.g. ``"<pad>"`` (``None``: none).
            unk: a token for characters not in ``text``, e.g. ``"<unk>"`` (``None``: none,
                and encoding an unseen character raises :class:`UnknownTokenError`).
            specials: other special tokens, e.g. ``("<start>", "<end>")``. Special tokens
                come first: ``pad``, then ``specials`` in order, then ``unk``.
        """
        if not isinstance(text, str):
            raise TypeError(
                f"from_text expects a string, got {type(text).__name__}; "
                "for lists of words or tags use Vocabulary.from_tokens"
            )
        if not text:
            raise ValueError(
                "cannot build a vocabulary from an empty text: pass the text "
                "you will train on (did a file load or a filter return nothing?)"
            )
        front = _specials(pad, unk, specials)
        counts = Counter(text)
        chars = sorted(set(counts) - set(front))
        vocab = cls(front + chars, pad=pad, unk=unk, char_level=True)
        vocab.counts = counts
        return vocab

    @classmethod
    def from_tokens(
        cls,
        sequences: Iterable[Sequence[str]],
        min_count: int = 1,
        specials: Sequence[str] = ("<pad>", "<unk>"),
        *,
        pad: object = _AUTO,
        unk: object = _AUTO,
        max_size: int | None = None,
    ) -> Vocabulary:
        """A vocabulary of the tokens in a list of token lists (words, tags, ...).

        Args:
            sequences: token lists, e.g. ``[["the", "cat"], ["a", "dog"]]``
                (for one sequence, wrap it: ``[tokens]``).
            min_count: leave out tokens seen fewer times than this (they become unknown).
            specials: special tokens placed first, in this order. By default
                ``("<pad>", "<unk>")``; pass ``()`` for none (e.g. a vocabulary of tags).
            pad: the padding token. By default ``"<pad>"`` if it is among ``specials``,
                else none. A token given here is added at id 0 if ``specials`` lacks it.
            unk: the unknown token. By default ``"<unk>"`` if it is among ``specials``,
                else none. A token given here is added right after ``specials`` if missing.
            max_size: keep at most this many tokens in all (specials included), dropping
                the rarest.
        """
        if isinstance(sequences, str):
            raise TypeError(
                "from_tokens expects a list of token lists, got a string: for "
                "characters use Vocabulary.from_text(text); for words, "
                "from_tokens([text.split()])"
            )
        sequences = list(sequences)
        if sequences and all(isinstance(s, str) for s in sequences):
            raise TypeError(
                "from_tokens expects a list of token LISTS, got a list of strings. "
                "Split each string into tokens first, e.g. "
                "[s.split() for s in sentences]; for one list of tokens, wrap it: "
                "[tokens]"
            )
        if min_count < 1:
            raise ValueError(f"min_count must be >= 1, got {min_count}")
        specials = list(_specials(None, None, specials))
        pad_token = ("<pad>" if "<pad>" in specials else None) if pad is _AUTO else pad
        unk_token = ("<unk>" if "<unk>" in specials else None) if unk is _AUTO else unk
        counts = Counter(token for seq in sequences for token in seq)
        if not counts:
            raise ValueError("cannot build a vocabulary: the token lists are empty")
        front = _specials(pad_token, unk_token, specials)  # type: ignore[arg-type]
        kept = [
            t
            for t, c in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))
            if c >= min_count and t not in front
        ]
        if max_size is not None:
            if max_size <= len(front):
                raise ValueError(
                    f"max_size={max_size} leaves no room beside the {len(front)} special tokens {front!r}"
                )
            kept = kept[: max_size - len(front)]
        if not kept:
            raise ValueError(f"no token is seen at least min_count={min_count} times: lower min_count")
        vocab = cls(front + kept, pad=pad_token, unk=unk_token)  # type: ignore[arg-type]
        vocab.counts = counts
        return vocab

    # ---------------------------------------------------------------- lookups
    @property
    def tokens(self) -> list[str]:
        """All tokens in id order (a copy): ``tokens[i]`` is the token with id ``i``."""
        return list(self._tokens)

    @property
    def pad_id(self) -> int | None:
        """The id of the padding token (0), or ``None`` if there is none."""
        return None if self.pad_token is None else 0

    @property
    def unk_id(self) -> int | None:
        """The id of the unknown token, or ``None`` if there is none."""
        return None if self.unk_token is None else self._index[self.unk_token]

    def __len__(self) -> int:
        return len(self._tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._index

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self._tokens[:8])
        more = ", ..." if len(self) > 8 else ""
        return (
            f"Vocabulary({len(self)} tokens: [{shown}{more}], pad={self.pad_token!r}, unk={self.unk_token!r})"
        )

    def index(self, token: str) -> int:
        """The id of ``token`` (the unknown token's id if it is unknown and there is one).

        Raises:
            UnknownTokenError: ``token`` is not in the vocabulary and there is no unknown token.
        """
        i = self._index.get(token)
        if i is not None:
            return i
        if self.unk_token is not None:
            return self._index[self.unk_token]
        raise UnknownTokenError(self._unknown_message(token))

    def _unknown_message(self, token: str) -> str:
        how = (
            "Vocabulary.from_text(..., unk='<unk>')"
            if self.char_level
            else "Vocabulary.from_tokens(..., specials=('<pad>', '<unk>'))"
        )
        return (
            f"token {token!r} is not in the vocabulary ({len(self)} tokens) and it has no "
            f"unknown token. Build the vocabulary from text that contains it, or give it "
            f"an unknown token to stand in for unseen tokens: {how}"
        )

    # ---------------------------------------------------------------- encode / decode
    def encode(self, sequence: str | Sequence[str]) -> np.ndarray:
        """Token ids of one sequence.

        Args:
            sequence: a string (character vocabularies) or a list of tokens, length ``T``.

        Returns:
            int32 array of shape ``(T,)``.

        Raises:
            UnknownTokenError: a token is not in the vocabulary and there is no unknown
                token; the message names the token.
            TypeError: ``sequence`` is a batch (a list of lists) or holds non-string tokens.
            ValueError: ``sequence`` looks like a batch of strings: a character vocabulary
                given multi-character strings, or a word vocabulary given unsplit sentences
                (tokens with spaces). These are errors even with an unknown token, which
                would otherwise stand in for every one of them.
        """
        if isinstance(sequence, str) and not self.char_level:
            raise TypeError(
                "this vocabulary holds whole tokens (built with from_tokens), but "
                "encode got a string: pass a list of tokens, e.g. text.split()"
            )
        if not isinstance(sequence, Iterable):
            raise TypeError(
                f"encode expects one sequence (a string or a list of tokens), got "
                f"{type(sequence).__name__} {sequence!r}"
            )
        tokens = sequence if isinstance(sequence, str) else list(sequence)
        index = self._index
        try:
            ids = [index[token] for token in tokens]
        except (KeyError, TypeError):  # an unknown or unhashable token: look closer
            ids = [self._id_of(token) for token in tokens]
        return np.array(ids, dtype=ID_DTYPE)

    def _id_of(self, token: object) -> int:
        """The id of one token, or the error that explains why it has none."""
        batch_fix = (
            "encode takes ONE sequence; for a batch, encode each and pad: "
            "text.pad([vocab.encode(s) for s in batch])"
        )
        if isinstance(token, (list, tuple, np.ndarray)):
            raise TypeError(f"encode got a batch (a list of sequences): {batch_fix}")
        try:
            i = self._index.get(token)  # type: ignore[call-overload]
        except TypeError:
            raise TypeError(
                f"token {token!r} ({type(token).__name__}) cannot be a token: tokens are strings"
            ) from None
        if i is not None:
            return i
        if not isinstance(token, str):
            raise TypeError(
                f"token {token!r} is a {type(token).__name__}, not a string: are "
                "these ids already? Ids need no encoding (vocab.decode(ids) turns "
                "them back into tokens)."
            )
        if self.char_level and len(token) > 1:
            raise ValueError(
                f"encode got {token!r} as one token, but this vocabulary holds "
                f"characters: pass the string itself, encode({token!r}); {batch_fix}"
            )
        if not self.char_level and any(ch.isspace() for ch in token):
            raise ValueError(
                f"token {token!r} contains a space: split sentences into tokens "
                f"first (encode(sentence.split())); {batch_fix}"
            )
        if self.unk_token is None:
            raise UnknownTokenError(self._unknown_message(token))
        return self._index[self.unk_token]

    def decode(self, ids: Iterable[int] | np.ndarray, *, keep_pad: bool = False) -> str | list[str]:
        """Tokens of a sequence of ids: the inverse of :meth:`encode`.

        Args:
            ids: ints of shape ``(T,)`` (a list, a NumPy array or a 1-D tensor).
            keep_pad: keep padding tokens (by default they are dropped).

        Returns:
            A string for character vocabularies, else a list of tokens.
        """
        ids = np.asarray(ids)
        if ids.ndim != 1:
            raise ValueError(
                f"decode expects one sequence of ids, shape (T,), got shape "
                f"{ids.shape}: decode each row, e.g. [vocab.decode(r) for r in ids]"
            )
        if ids.size and not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(
                f"decode expects integer ids, got dtype {ids.dtype}: if these are "
                "probabilities, take ids = probs.argmax(axis=-1) first"
            )
        n = len(self._tokens)
        bad = ids[(ids < 0) | (ids >= n)]
        if bad.size:
            raise ValueError(f"id {int(bad[0])} is out of range: this vocabulary has ids 0..{n - 1}")
        tokens = [self._tokens[i] for i in ids.tolist() if keep_pad or self.pad_token is None or i != 0]
        return "".join(tokens) if self.char_level else tokens


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


def _specials(pad: str | None, unk: str | None, specials: Sequence[str]) -> list[str]:
    """The special tokens in id order: pad, then ``specials`` as given, then unk; no repeats."""
    if isinstance(specials, str):
        raise TypeError(
            f"specials must be a list of tokens, got the string {specials!r}: write specials=({specials!r},)"
        )
    front: list[str] = []
    for token in ([pad] if pad is not None else []) + list(specials) + ([unk] if unk is not None else []):
        if token not in front:
            front.append(token)
    return front


def pad(
    seqs: Sequence[Sequence] | Sequence[np.ndarray],
    length: int | None = None,
    value: int | float = 0,
    *,
    padding: str = "post",
    truncating: str = "post",
    dtype: str | np.dtype | None = None,
) -> np.ndarray:
    """Stack sequences of different lengths into one array, filling with ``value``.

    Args:
        seqs: ``n`` sequences of numbers (token ids, or feature vectors); sequence ``i``
            has shape ``(T_i,)`` (ids) or ``(T_i, ...)`` (vectors), the trailing shape the
            same for all. Strings must be encoded first (:meth:`Vocabulary.encode`).
        length: the output length ``T``; ``None``: the longest sequence's length.
            Longer sequences are cut to ``T``.
        value: the fill value (0 = the padding id of a :class:`Vocabulary` with ``pad``).
        padding: ``"post"`` fills at the end (``[5, 6, 0, 0]``), ``"pre"`` at the start.
        truncating: ``"post"`` keeps the first ``T`` items, ``"pre"`` the last ``T``.
        dtype: the output dtype; ``None``: int32 for integer input (what
            ``keras.layers.Embedding`` expects), else float32.

    Returns:
        Array of shape ``(n, T)`` or ``(n, T, ...)``.

    Raises:
        TypeError: a sequence holds strings or other non-numbers.
        ValueError: a value (or ``value``) does not fit the output dtype, e.g. ids of
            2**31 or more in int32 (pass ``dtype="int64"``), or a fraction for an integer
            ``dtype``. Nothing is ever wrapped around or cut silently.
    """
    if padding not in ("post", "pre") or truncating not in ("post", "pre"):
        raise ValueError(
            f"padding and truncating must be 'post' or 'pre', got "
            f"padding={padding!r}, truncating={truncating!r}"
        )
    if isinstance(seqs, (str, bytes)):
        raise TypeError(
            "pad expects a list of sequences (e.g. encoded ids), got a string: "
            "encode it first with vocab.encode(text)"
        )
    arrays = [_as_numbers(s, i) for i, s in enumerate(seqs)]
    if not arrays:
        raise ValueError("pad got no sequences: pass a non-empty list")
    tail = arrays[0].shape[1:]
    for i, a in enumerate(arrays):
        if a.shape[1:] != tail:
            raise ValueError(
                f"sequence {i} has items of shape {a.shape[1:]}, but sequence 0 "
                f"has {tail}: every step must have the same shape"
            )
    if length is None:
        length = max(len(a) for a in arrays)
    if int(length) != length or length < 0:
        raise ValueError(f"length must be a whole number >= 0, got {length!r}")
    length = int(length)
    if dtype is None:
        numeric = [a for a in arrays if a.size]
        is_int = all(np.issubdtype(a.dtype, np.integer) or a.dtype == bool for a in numeric)
        dtype = ID_DTYPE if is_int and float(value).is_integer() else np.float32
    dtype = np.dtype(dtype)
    for i, a in enumerate(arrays):
        _check_fits(a, dtype, f"sequence {i}")
    _check_fits(np.asarray(value), dtype, "the fill value")
    out = np.full((len(arrays), length) + tail, value, dtype=dtype)
    for i, a in enumerate(arrays):
        a = a[:length] if truncating == "post" else a[max(len(a) - length, 0) :]
        if len(a):
            if padding == "post":
                out[i, : len(a)] = a
            else:
                out[i, length - len(a) :] = a
    return out


def _as_numbers(seq: object, i: int) -> np.ndarray:
    """Sequence ``i`` of :func:`pad` as a numeric array with a time axis, or a clear error."""
    encode_first = "pad works on numbers: encode text first, e.g. text.pad([vocab.encode(s) for s in texts])"
    if isinstance(seq, (str, bytes)):
        raise TypeError(f"sequence {i} is the string {seq!r}: {encode_first}")
    try:
        a = np.asarray(seq)
    except ValueError:  # ragged nested lists
        raise ValueError(
            f"sequence {i} is ragged (its steps have different lengths): every "
            "step of a sequence must have the same shape"
        ) from None
    if a.ndim == 0:
        raise ValueError(
            f"sequence {i} is a single value ({a!r}), not a sequence: "
            "pass a list of lists, e.g. [[1, 2], [3]]"
        )
    if a.size and a.dtype.kind not in "biuf":
        values = a.ravel().tolist()
        odd = next((v for v in values if not isinstance(v, (int, float))), values[0])
        kind = "a string" if isinstance(odd, (str, bytes)) else f"a {type(odd).__name__}"
        raise TypeError(f"sequence {i} holds {kind}, {odd!r}: {encode_first}")
    return a


def _check_fits(a: np.ndarray, dtype: np.dtype, what: str) -> None:
    """Raise unless every value of ``a`` is exactly representable in the integer ``dtype``."""
    if not a.size or dtype.kind not in "iu":
        return
    if a.dtype.kind == "f":
        cut = a[~np.isfinite(a) | (a != np.round(a))]
        if cut.size:
            raise ValueError(
                f"{what}: {cut.ravel()[0].item()!r} is not a whole number, and "
                f"{dtype} would cut it: round the values first, or pass "
                "dtype='float32'"
            )
    info = np.iinfo(dtype)
    low, high = a.min().item(), a.max().item()
    if low < info.min or high > info.max:
        bad = low if low < info.min else high
        raise ValueError(
            f"{what}: {bad} does not fit in {dtype} (from {info.min} to "
            f"{info.max}), so it would wrap around: pass a dtype that holds it, "
            "e.g. dtype='int64'"
        )


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
            "sliding_windows expects token ids, got a string: encode it first, "
            "e.g. sliding_windows(vocab.encode(text), length)"
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
