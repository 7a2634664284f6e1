"""Training inputs, scoring and baselines for encoder–decoder models (lessons 07 and 08).

- :func:`shift_right`         teacher forcing: the decoder's inputs are its targets shifted right
- :func:`keras_step_fn`       a Keras step model as the ``step`` of :mod:`seqkeras.decoding`
- :func:`length_batches`      training batches of similar target length, each padded only as needed
- :func:`score_translations`  corpus BLEU (sacrebleu, Chinese tokenizer) and chrF, several references
- :func:`sentence_chrf`       chrF of each sentence, to sort translations from good to bad
- :func:`scores_by_group`     corpus scores within groups of sentences (e.g. by neighbour similarity)
- :func:`most_frequent`       the most-frequent-translation baseline
- :class:`RetrievalBaseline`  the nearest training sentence by TF-IDF cosine → its translation
- :func:`exact_match`, :func:`token_accuracy`, :func:`by_length`, :func:`plot_by_length`
  accuracy against input length, the measure of the bottleneck of one fixed context

Scores are sacrebleu's, never hand-written: BLEU with ``tokenize="zh"`` (each Chinese
character is a token, other text is split as in 13a) and chrF (character n-grams up to 6,
whitespace ignored), both on a 0–100 scale. Everything except :func:`keras_step_fn` and
:func:`plot_by_length` is plain NumPy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "shift_right",
    "keras_step_fn",
    "length_batches",
    "Scores",
    "score_translations",
    "sentence_chrf",
    "scores_by_group",
    "most_frequent",
    "words",
    "RetrievalBaseline",
    "exact_match",
    "token_accuracy",
    "by_length",
    "plot_by_length",
]


# ----------------------------------------------------------------------------------------
# training inputs and the step function
# ----------------------------------------------------------------------------------------
def shift_right(targets: Any, start_id: int) -> np.ndarray:
    """Teacher forcing: the decoder's input at step ``i`` is the target of step ``i - 1``.

    ``targets[b]`` is one output sequence ``y_1 … y_Ty`` (ending with the end token,
    then padding). The decoder's inputs are ``<start>, y_1 … y_{Ty-1}``: the same length,
    every token one place to the right, the start token in front and the last position
    dropped. (The dropped position holds the end token or padding: nothing is ever
    predicted *from* it.)

    Args:
        targets: int array ``(B, Ty)`` of target ids.
        start_id: the id of the start token.

    Returns:
        int array ``(B, Ty)``, a new array (``targets`` is not modified).
    """
    y = np.asarray(targets)
    if y.ndim != 2:
        raise ValueError(
            f"targets must be a 2-D array (B, Ty) of token ids, got shape {y.shape}; "
            "for one sequence use targets[None]"
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"targets must be integer token ids, got dtype {y.dtype}")
    out = np.empty_like(y)
    out[:, 0] = start_id
    out[:, 1:] = y[:, :-1]
    return out


def keras_step_fn(step_model: Any) -> Callable[[np.ndarray, Any], tuple[np.ndarray, list[np.ndarray]]]:
    """Wrap a Keras step model as ``step(token_ids, state) -> (log_probs, new_state)``.

    The step model takes ``[token_ids (B, 1), *state]`` and returns ``[logits, *new_state]``
    with logits of shape ``(B, 1, |V|)`` or ``(B, |V|)``. State items after the ones it
    returns are carried along unchanged: a decoder that reads the context ``c`` (or the
    encoder's outputs) at every step takes them as its last inputs and does not return them.
    The model is called directly (no ``predict``), so beams of any size cost no retracing.

    Args:
        step_model: a ``keras.Model`` as described, or any function of that list that returns
            such outputs (e.g. ``lambda inputs: model.decode(*inputs)`` for a subclassed model
            with a ``decode(ids, h, c) -> (logits, h)`` method).

    Returns:
        A function for :func:`seqkeras.decoding.greedy_decode`, ``sample_decode`` and
        ``beam_search``; ``state`` is a list of arrays with the batch on the first axis.
    """
    import keras

    def step(token_ids: np.ndarray, state: Any) -> tuple[np.ndarray, list[np.ndarray]]:
        state = list(state)
        ids = np.asarray(token_ids, dtype="int32").reshape(-1, 1)
        outputs = step_model([ids, *state])  # outside fit(), layers run in inference mode
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        logits = keras.ops.convert_to_numpy(outputs[0]).astype(np.float64)
        logits = logits.reshape(len(ids), -1)
        top = logits.max(axis=-1, keepdims=True)
        log_probs = logits - top - np.log(np.exp(logits - top).sum(axis=-1, keepdims=True))
        new = [keras.ops.convert_to_numpy(s) for s in outputs[1:]]
        return log_probs, new + state[len(new) :]

    return step


def length_batches(
    source: Any,
    targets: Sequence[Sequence[int]],
    batch_size: int,
    start_id: int,
    *,
    multiple: int = 4,
    trim_source: bool = False,
    seed: int = 0,
) -> Any:
    """Teacher-forcing batches grouped by target length: less padding, less computing.

    Padding every target to the longest one makes a decoder compute over mostly padding
    when most sentences are short. Here each batch holds targets of similar length, padded
    only up to their own longest, rounded up to a ``multiple`` (so that a backend that
    compiles one program per shape, like JAX, compiles only a few). Every epoch the
    examples are shuffled within their length group and the batches are shuffled; the
    examples that do not fill a whole batch of their group sit that epoch out (different
    ones each epoch), so every batch has ``batch_size`` rows.

    Args:
        source: int array ``(n, Tx)`` of padded source ids.
        targets: ``n`` target id sequences, each ending with the end token (no padding).
        batch_size: rows per batch.
        start_id: the start token, put in front of the decoder inputs (:func:`shift_right`).
        multiple: targets are padded to a multiple of this many steps.
        trim_source: also cut each batch's sources to their longest (rounded up to a
            ``multiple``), dropping columns that are padding in every row: worth it when source
            and target lengths go together (copying), not when they vary independently
            (more shapes to compile).
        seed: seed of the shuffling.

    Returns:
        A ``keras.utils.PyDataset`` for ``model.fit``: batch ``i`` is
        ``((source (B, Tx), decoder_inputs (B, Ty_i)), targets (B, Ty_i))``, 0 = padding.
    """
    import keras

    class _LengthBatches(keras.utils.PyDataset):
        def __init__(self) -> None:
            super().__init__()
            self.source = np.asarray(source)
            self.targets = [np.asarray(t, dtype=self.source.dtype) for t in targets]
            if len(self.targets) != len(self.source):
                raise ValueError(f"got {len(self.source)} sources but {len(self.targets)} targets")
            lengths = np.array([len(t) for t in self.targets])
            if lengths.min(initial=1) < 1:
                raise ValueError("every target needs at least the end token")
            self.padded = -(-lengths // multiple) * multiple  # round up
            self.rng = np.random.default_rng(seed)
            self.on_epoch_end()
            if not self.batches:
                raise ValueError(f"no length group has {batch_size} examples: lower batch_size")

        def on_epoch_end(self) -> None:
            order = self.rng.permutation(len(self.targets))
            order = order[np.argsort(self.padded[order], kind="stable")]  # shuffled within each length
            batches = []
            for length in np.unique(self.padded):
                group = order[self.padded[order] == length]
                batches += [
                    group[i : i + batch_size] for i in range(0, len(group) - batch_size + 1, batch_size)
                ]
            self.batches = [batches[i] for i in self.rng.permutation(len(batches))]
            # Keras' TensorFlow adapter reads the shapes of the first two batches: let them differ
            # in length, so that the length axis stays open for all the others.
            for i in range(1, len(self.batches)):
                if self.padded[self.batches[i][0]] != self.padded[self.batches[0][0]]:
                    self.batches[1], self.batches[i] = self.batches[i], self.batches[1]
                    break

        def __len__(self) -> int:
            return len(self.batches)

        def __getitem__(self, i: int) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
            rows = self.batches[i]
            y = np.zeros((len(rows), int(self.padded[rows[0]])), dtype=self.source.dtype)
            for r, k in enumerate(rows):
                y[r, : len(self.targets[k])] = self.targets[k]
            x = self.source[rows]
            if trim_source:
                longest = int(np.max(np.nonzero(x.any(axis=0))[0], initial=0)) + 1
                x = x[:, : min(-(-longest // multiple) * multiple, x.shape[1])]
            return (x, shift_right(y, start_id)), y

    return _LengthBatches()


# ----------------------------------------------------------------------------------------
# scoring (sacrebleu)
# ----------------------------------------------------------------------------------------
class Scores(NamedTuple):
    """Corpus BLEU and chrF, each on a 0–100 scale."""

    bleu: float
    chrf: float

    def __str__(self) -> str:
        return f"BLEU {self.bleu:5.1f}  chrF {self.chrf:5.1f}"


def _check_hyps_refs(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list[list[str]]:
    if isinstance(hypotheses, str) or isinstance(references, str):
        raise TypeError(
            "pass a LIST of hypotheses and a list of reference lists (one list per "
            "hypothesis, e.g. [['我很好。', '我很好']]), not a single string"
        )
    if len(hypotheses) != len(references):
        raise ValueError(
            f"got {len(hypotheses)} hypotheses but {len(references)} reference lists: "
            "give one list of references per hypothesis"
        )
    refs = []
    for i, r in enumerate(references):
        r = [r] if isinstance(r, str) else list(r)
        if not r or not all(isinstance(s, str) for s in r):
            raise ValueError(f"references[{i}] must be a non-empty list of strings, got {r!r}")
        refs.append(r)
    if not all(isinstance(h, str) for h in hypotheses):
        raise TypeError("every hypothesis must be a string (decode the ids to text first)")
    return refs


def _streams(refs: list[list[str]]) -> list[list[str | None]]:
    """sacrebleu's layout: reference stream ``k`` holds every sentence's k-th reference (or None)."""
    n = max(len(r) for r in refs)
    return [[r[k] if k < len(r) else None for r in refs] for k in range(n)]


def score_translations(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> Scores:
    """Corpus BLEU (Chinese tokenizer) and chrF of translations into Chinese.

    Args:
        hypotheses: ``n`` translations, one string each.
        references: ``n`` lists of reference translations (any number >= 1 each: every
            translation of the source sentence counts as right).

    Returns:
        :class:`Scores` ``(bleu, chrf)``, 0–100.
    """
    from sacrebleu.metrics import BLEU, CHRF

    refs = _check_hyps_refs(hypotheses, references)
    if not refs:
        raise ValueError("no sentences to score")
    streams = _streams(refs)
    bleu = BLEU(tokenize="zh").corpus_score(list(hypotheses), streams).score
    chrf = CHRF().corpus_score(list(hypotheses), streams).score
    return Scores(float(bleu), float(chrf))


def sentence_chrf(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> np.ndarray:
    """chrF of each translation against its references (0–100), shape ``(n,)``.

    Sentence-level BLEU is mostly zero for short sentences; chrF is smoother, so it is the
    one to sort individual translations by.
    """
    from sacrebleu.metrics import CHRF

    refs = _check_hyps_refs(hypotheses, references)
    metric = CHRF()
    return np.array([metric.sentence_score(h, r).score for h, r in zip(hypotheses, refs)])


def scores_by_group(
    hypotheses: Sequence[str], references: Sequence[Sequence[str]], groups: Sequence[Hashable]
) -> dict[Hashable, tuple[Scores, int]]:
    """Corpus scores within each group of sentences: ``{group: (Scores, n_sentences)}``.

    Args:
        hypotheses, references: as for :func:`score_translations`.
        groups: one label per sentence (e.g. a bin of the similarity of its nearest
            training sentence). Groups come out sorted.
    """
    refs = _check_hyps_refs(hypotheses, references)
    if len(groups) != len(refs):
        raise ValueError(f"got {len(groups)} group labels for {len(refs)} sentences")
    out = {}
    for g in sorted(set(groups)):
        idx = [i for i, gi in enumerate(groups) if gi == g]
        out[g] = (score_translations([hypotheses[i] for i in idx], [refs[i] for i in idx]), len(idx))
    return out


# ----------------------------------------------------------------------------------------
# baselines
# ----------------------------------------------------------------------------------------
def most_frequent(targets: Sequence[str]) -> str:
    """The most frequent string in ``targets`` (ties: the one seen first)."""
    if not len(targets):
        raise ValueError("most_frequent needs at least one target")
    counts = Counter(targets)
    best = max(counts.values())
    return next(t for t in targets if counts[t] == best)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-cased English words and numbers, punctuation dropped.

    ``"Tom's here!"`` → ``["tom's", "here"]``.
    """
    return _WORD.findall(text.lower())


class RetrievalBaseline:
    """Translate by retrieval: find the most similar training sentence, answer its translation.

    Similarity is the cosine of TF-IDF vectors over English :func:`words`: a word counts
    more the more often it occurs in the sentence (``tf`` = count) and the rarer it is in
    the training sentences (``idf = log((1 + N) / (1 + df)) + 1``); rows are L2-normalised,
    so a similarity of 1 means the same words in the same proportions. Pure NumPy, with an
    inverted index (word → sentences that contain it).

    Args:
        sources: ``N`` training sentences (English).
        targets: their ``N`` translations.

    Attributes:
        vocab: word → column; ``idf``: ``(n_words,)``.
    """

    def __init__(self, sources: Sequence[str], targets: Sequence[str]):
        if isinstance(sources, str) or isinstance(targets, str):
            raise TypeError("sources and targets must be lists of strings, not one string")
        if len(sources) != len(targets) or not len(sources):
            raise ValueError(
                f"need as many targets as sources, and at least one: got {len(sources)} "
                f"sources and {len(targets)} targets"
            )
        self.targets = list(targets)
        self.fallback = most_frequent(self.targets)
        docs = [Counter(words(s)) for s in sources]
        self.vocab: dict[str, int] = {}
        for d in docs:
            for w in d:
                self.vocab.setdefault(w, len(self.vocab))
        df = np.zeros(len(self.vocab))
        for d in docs:
            for w in d:
                df[self.vocab[w]] += 1
        n = len(docs)
        self.idf = np.log((1 + n) / (1 + df)) + 1.0
        # one weighted, normalised row per training sentence, stored by word (the inverted index)
        rows, cols, vals = [], [], []
        for i, d in enumerate(docs):
            if not d:
                continue
            c = np.array([self.vocab[w] for w in d])
            v = np.array(list(d.values()), dtype=float) * self.idf[c]
            rows.extend([i] * len(c))
            cols.extend(c)
            vals.extend(v / np.linalg.norm(v))
        order = np.argsort(np.array(cols, dtype=np.int64), kind="stable")
        self._docs = np.array(rows, dtype=np.int64)[order]
        self._vals = np.array(vals)[order]
        self._start = np.searchsorted(np.array(cols, dtype=np.int64)[order], np.arange(len(self.vocab) + 1))
        self._n = n

    def _query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        d = Counter(w for w in words(text) if w in self.vocab)
        c = np.array([self.vocab[w] for w in d], dtype=np.int64)
        v = np.array(list(d.values()), dtype=float) * self.idf[c] if len(c) else np.zeros(0)
        return c, v / np.linalg.norm(v) if len(v) else v

    def similarities(self, query: str) -> np.ndarray:
        """Cosine similarity of ``query`` to every training sentence, shape ``(N,)``."""
        scores = np.zeros(self._n)
        for col, weight in zip(*self._query(query)):
            lo, hi = self._start[col], self._start[col + 1]
            scores[self._docs[lo:hi]] += weight * self._vals[lo:hi]
        return scores

    def nearest(self, queries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The most similar training sentence of each query.

        Returns:
            ``(index, similarity)``: int array ``(n,)`` (``-1`` where the query shares no
            word with the training sentences) and float array ``(n,)`` in [0, 1].
        """
        if isinstance(queries, str):
            raise TypeError("pass a list of sentences, e.g. [sentence]")
        index = np.empty(len(queries), dtype=np.int64)
        sim = np.empty(len(queries))
        for i, q in enumerate(queries):
            s = self.similarities(q)
            j = int(np.argmax(s))
            index[i], sim[i] = (j, s[j]) if s[j] > 0 else (-1, 0.0)
        return index, np.minimum(sim, 1.0)

    def predict(self, queries: Sequence[str]) -> list[str]:
        """The translation of each query's nearest training sentence (the most frequent
        translation when nothing is similar)."""
        index, _ = self.nearest(queries)
        return [self.targets[j] if j >= 0 else self.fallback for j in index]


# ----------------------------------------------------------------------------------------
# accuracy against length
# ----------------------------------------------------------------------------------------
def _check_same_len(predictions: Sequence[Any], targets: Sequence[Any]) -> None:
    if len(predictions) != len(targets):
        raise ValueError(f"got {len(predictions)} predictions for {len(targets)} targets")


def exact_match(predictions: Sequence[Sequence[Any]], targets: Sequence[Sequence[Any]]) -> np.ndarray:
    """Whether each prediction equals its target exactly (strings or token lists), bool ``(n,)``."""
    _check_same_len(predictions, targets)
    return np.array([list(p) == list(t) for p, t in zip(predictions, targets)], dtype=bool)


def token_accuracy(predictions: Sequence[Sequence[Any]], targets: Sequence[Sequence[Any]]) -> np.ndarray:
    """The share of positions where prediction and target agree, float ``(n,)`` in [0, 1].

    Position by position, over the longer of the two: a missing or an extra token counts
    as wrong, so a prediction cut short (or running on) cannot score 1.
    """
    _check_same_len(predictions, targets)
    out = np.empty(len(targets))
    for i, (p, t) in enumerate(zip(predictions, targets)):
        n = max(len(p), len(t))
        out[i] = 1.0 if n == 0 else sum(a == b for a, b in zip(p, t)) / n
    return out


def by_length(
    lengths: Sequence[int], values: Sequence[float], width: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Average ``values`` over examples of the same length (or the same bin of lengths).

    Args:
        lengths: the input length of each example, ``(n,)``.
        values: a score per example, ``(n,)`` (e.g. :func:`exact_match` or :func:`token_accuracy`).
        width: bin width; bin ``k`` holds lengths ``k*width … (k+1)*width - 1``.

    Returns:
        ``(centres, means, counts)``: the mean length of each non-empty bin, the mean value
        in it and how many examples it holds, each ``(n_bins,)``, by increasing length.
    """
    lengths, values = np.asarray(lengths, dtype=float), np.asarray(values, dtype=float)
    if lengths.shape != values.shape or lengths.ndim != 1:
        raise ValueError(
            f"lengths and values must be 1-D and of the same length, got shapes "
            f"{lengths.shape} and {values.shape}"
        )
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a whole number >= 1, got {width!r}")
    bins = np.floor(lengths / width).astype(np.int64)
    keys = np.unique(bins)
    centres = np.array([lengths[bins == k].mean() for k in keys])
    means = np.array([values[bins == k].mean() for k in keys])
    counts = np.array([(bins == k).sum() for k in keys])
    return centres, means, counts


def plot_by_length(
    curves: dict[str, tuple[Sequence[float], Sequence[float]]],
    *,
    ax: Any = None,
    ylabel: str = "exact match (held out)",
    trained: tuple[float, float] | None = None,
    title: str | None = None,
) -> Any:
    """Plot one or more accuracy-against-length curves (lesson 08 adds its own to lesson 07's).

    Args:
        curves: ``{label: (lengths, values)}``, e.g. the first two outputs of :func:`by_length`.
        ax: a matplotlib Axes, or ``None`` for a new figure.
        ylabel: the y-axis label.
        trained: ``(shortest, longest)`` input length seen in training, shaded.
        title: optional title.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    if trained is not None:
        ax.axvspan(trained[0], trained[1], color="0.92", zorder=0, label="lengths seen in training")
    for label, (x, y) in curves.items():
        ax.plot(x, y, "o-", markersize=3, label=label)
    ax.set_xlabel("input length (tokens)")
    ax.set_ylabel(ylabel)
    ax.set_ylim(-0.03, 1.03)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    return ax
