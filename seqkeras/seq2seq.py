"""Training inputs, scoring and baselines for encoder–decoder models (lessons 07 and 08).

- :func:`shift_right`         teacher forcing: the decoder's inputs are its targets shifted right
- :func:`keras_step_fn`       a Keras step model as the ``step`` of :mod:`seqkeras.decoding`
- :class:`AttentionSeq2Seq`   lesson 08's model: a bidirectional-GRU encoder, a GRU decoder with
  no attention, Bahdanau's or Luong's; :func:`attention_step_fn` drives it in
  :mod:`seqkeras.decoding` and records the attention weights
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
whitespace ignored), both on a 0–100 scale. Everything except the model, the step
functions, :func:`length_batches` and :func:`plot_by_length` is plain NumPy. Keras is
imported with the module, because :class:`AttentionSeq2Seq` is registered for ``.keras``
saving (package ``seqkeras``) when the module is imported: a saved model loads back with
``keras.saving.load_model(path)`` once ``seqkeras.seq2seq`` has been imported (Keras does
not import the module of a class that is not its own).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

import keras
import numpy as np
from keras import ops

from seqkeras.layers import AttentionGRUCell, LuongAttention

__all__ = [
    "shift_right",
    "keras_step_fn",
    "AttentionSeq2Seq",
    "attention_step_fn",
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
    multiple: int | None = 4,
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
        multiple: targets are padded to a multiple of this many steps. ``None``: no grouping,
            every target is padded to the longest one, so every batch has the same shape (one
            program to compile: the cheapest choice for a short run on JAX).
        trim_source: also cut each batch's sources to their longest (rounded up to a
            ``multiple``), dropping columns that are padding in every row: worth it when source
            and target lengths go together (copying), not when they vary independently
            (more shapes to compile). With ``multiple=None`` the sources are left whole.
        seed: seed of the shuffling.

    Returns:
        A ``keras.utils.PyDataset`` for ``model.fit``: batch ``i`` is
        ``((source (B, Tx), decoder_inputs (B, Ty_i)), targets (B, Ty_i))``, 0 = padding.
    """

    if multiple is not None and (
        isinstance(multiple, bool) or not isinstance(multiple, (int, np.integer)) or multiple < 1
    ):
        raise ValueError(f"multiple must be a whole number >= 1, or None for one shape; got {multiple!r}")

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
            if multiple is None:  # one group: everything padded to the longest target
                self.padded = np.full(len(lengths), lengths.max(initial=1))
            else:
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
            if trim_source and multiple is not None:
                longest = int(np.max(np.nonzero(x.any(axis=0))[0], initial=0)) + 1
                x = x[:, : min(-(-longest // multiple) * multiple, x.shape[1])]
            return (x, shift_right(y, start_id)), y

    return _LengthBatches()


# ----------------------------------------------------------------------------------------
# the attention model of lesson 08, and its step function
# ----------------------------------------------------------------------------------------
_ATTENTION_KINDS = ("none", "bahdanau", "luong")


def _positive_int(name: str, value: Any, meaning: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"AttentionSeq2Seq: {name} must be a positive integer ({meaning}), got {value!r}.")
    return int(value)


@keras.saving.register_keras_serializable(package="seqkeras")
class AttentionSeq2Seq(keras.Model):
    """An encoder–decoder with a bidirectional-GRU encoder and a GRU decoder, with or without
    attention (lesson 08; the translation notebook uses it too).

    **Encoder** (the same for every decoder): ``Embedding(source_vocab_size, embed_dim)``, then
    ``Bidirectional(GRU(units // 2, return_sequences=True))`` with the source's padding (id 0)
    masked: encoder states ``H = [h_1 … h_T_x]``, ``h_j = [→h_j ; ←h_j]`` of size
    ``n_h = units``. The two final states go through ``Dense(units, tanh)``: ``s_0``.

    **Decoder**, chosen by ``attention`` (``Embedding(target_vocab_size, embed_dim)`` in front,
    ``Dense(target_vocab_size)`` on top, no softmax: scores are logits):

    - ``"none"``: lesson 07's, a ``GRU(units)`` started from ``s_0``; ``z_i = s_i``.
    - ``"bahdanau"``: ``keras.layers.RNN`` over :class:`seqkeras.layers.AttentionGRUCell`,
      which attends with ``s_{i-1}`` before its GRU step; ``z_i = [s_i ; c_i]``.
    - ``"luong"``: a ``GRU(units)`` as in ``"none"``, then
      :class:`seqkeras.layers.LuongAttention` ``("general")`` with the *current* state
      ``s_i`` over ``H``; ``z_i = [s_i ; c_i]``.

    Padded source steps get attention weight exactly 0. The decoder's own padding is not
    masked: compile the loss with ``ignore_class=0`` where targets are padded.

    **State** (what :meth:`encode` returns and :meth:`decode_step` takes and returns), for
    every kind: ``[s, H, real]`` with ``s`` ``(B, n_s)``, ``H`` ``(B, T_x, n_h)`` and
    ``real`` ``(B, T_x)`` float32, 1.0 at real source steps, 0.0 at padding. Only ``s``
    changes from step to step; ``"none"`` carries ``H`` and ``real`` without using them.

    Args:
        source_vocab_size: ``|𝒱|`` of the source (ids ``0 … source_vocab_size - 1``, 0 = padding).
        target_vocab_size: ``|𝒱|`` of the target: the width of the output scores.
        units: ``n_s = n_h``, a positive even integer (the encoder has ``units // 2`` per direction).
        attention: ``"none"``, ``"bahdanau"`` or ``"luong"``.
        attention_units: ``n_a``, Bahdanau's ``tanh`` width (a positive integer; stored but
            unused by the other two kinds).
        embed_dim: ``d_e``, the size of both embeddings.
        dropout: a rate in ``[0, 1)`` for dropout, during training only, on both embeddings'
            outputs and on ``z_i`` before the output layer (regularisation for long training;
            0, the default, adds no layer and leaves the model exactly as before).
        **kwargs: passed to ``keras.Model`` (``name``, ...).

    Example::

        model = AttentionSeq2Seq(57, 15, units=128, attention="bahdanau", attention_units=64)
        logits = model([source_ids, decoder_ids])     # (B, T_x), (B, T_y) -> (B, T_y, |𝒱|)
        state = model.encode(source_ids)              # [s_0, H, real]
        scores, state, alpha = model.decode_step(token_ids, state)   # (B,) -> (B, |𝒱|), ..., (B, T_x)
    """

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        units: int = 128,
        attention: str = "bahdanau",
        attention_units: int = 64,
        embed_dim: int = 32,
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> None:
        source_vocab_size = _positive_int("source_vocab_size", source_vocab_size, "|𝒱| of the source")
        target_vocab_size = _positive_int("target_vocab_size", target_vocab_size, "|𝒱| of the target")
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0 or units % 2:
            raise ValueError(
                f"AttentionSeq2Seq: units must be a positive even integer (n_s = n_h: the "
                f"bidirectional encoder has units // 2 per direction), got {units!r}."
            )
        if not isinstance(attention, str) or attention not in _ATTENTION_KINDS:
            raise ValueError(
                f"AttentionSeq2Seq: attention must be 'none', 'bahdanau' or 'luong', got {attention!r}."
            )
        attention_units = _positive_int("attention_units", attention_units, "n_a, Bahdanau's tanh width")
        embed_dim = _positive_int("embed_dim", embed_dim, "d_e, the size of an embedding")
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float, np.number))
            or not 0 <= dropout < 1
        ):
            raise ValueError(f"AttentionSeq2Seq: dropout must be a rate in [0, 1), got {dropout!r}.")
        super().__init__(**kwargs)
        self.source_vocab_size, self.target_vocab_size = source_vocab_size, target_vocab_size
        self.units, self.attention, self.attention_units = int(units), attention, attention_units
        self.embed_dim = embed_dim
        # The layers in the notebook's order (same weights, same parameter counts).
        self.source_embedding = keras.layers.Embedding(source_vocab_size, embed_dim)
        self.encoder = keras.layers.Bidirectional(
            keras.layers.GRU(self.units // 2, return_sequences=True, return_state=True)
        )
        self.to_state = keras.layers.Dense(self.units, activation="tanh")  # s_0 from the final states
        self.target_embedding = keras.layers.Embedding(target_vocab_size, embed_dim)
        if attention == "bahdanau":
            cell = AttentionGRUCell(self.units, attention_units)
            self.decoder = keras.layers.RNN(cell, return_sequences=True, return_state=True)
        else:
            self.decoder = keras.layers.GRU(self.units, return_sequences=True, return_state=True)
        self.luong = LuongAttention("general") if attention == "luong" else None
        self.head = keras.layers.Dense(target_vocab_size)  # V, b_y
        # Dropout layers only when asked for: a layer draws a seed when it is made, so making
        # them at rate 0 would change the initial weights of every model seeded before.
        self.dropout = float(dropout)
        self.drop_source = keras.layers.Dropout(self.dropout) if self.dropout else None
        self.drop_target = keras.layers.Dropout(self.dropout) if self.dropout else None
        self.drop_out = keras.layers.Dropout(self.dropout) if self.dropout else None

    def encode(self, source_ids: Any, training: bool | None = None) -> list[Any]:
        """Read the source: ids ``(B, T_x)`` (0 = padding) → the decoder's first state
        ``[s_0 (B, n_s), H (B, T_x, n_h), real (B, T_x) float32]``."""
        if not hasattr(source_ids, "shape"):
            source_ids = np.asarray(source_ids)
        if len(source_ids.shape) != 2:
            raise ValueError(
                f"source_ids must be (B, T_x) token ids, got shape {tuple(source_ids.shape)}; "
                "for one sentence use source_ids[None]."
            )
        real = ops.not_equal(source_ids, 0)
        x = self.source_embedding(source_ids)
        if self.drop_source is not None:
            x = self.drop_source(x, training=training)
        hs, forward, backward = self.encoder(x, mask=real, training=training)
        s0 = self.to_state(ops.concatenate([forward, backward], axis=-1))
        return [s0, hs, ops.cast(real, "float32")]

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        """Teacher forcing, the whole target at once: ``inputs = [source_ids (B, T_x),
        decoder_ids (B, T_y)]`` → logits ``(B, T_y, target_vocab_size)``."""
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(
                "AttentionSeq2Seq takes two inputs, [source_ids (B, T_x), decoder_ids (B, T_y)]: "
                "the decoder's ids are the targets shifted right (seq2seq.shift_right)."
            )
        source_ids, decoder_ids = inputs
        s0, hs, real = self.encode(source_ids, training=training)
        u = self.target_embedding(decoder_ids)
        if self.drop_target is not None:
            u = self.drop_target(u, training=training)
        if self.attention == "bahdanau":
            out = self.decoder(u, initial_state=[s0, hs, real], training=training)[0]  # [s_i ; c_i]
        else:
            out = self.decoder(u, initial_state=[s0], training=training)[0]  # s_i for every i
            if self.luong is not None:
                c, _ = self.luong([out, hs], mask=ops.cast(real, "bool"))
                out = ops.concatenate([out, c], axis=-1)
        if self.drop_out is not None:
            out = self.drop_out(out, training=training)
        return self.head(out)

    def decode_step(self, token_ids: Any, state: list[Any]) -> tuple[Any, list[Any], Any]:
        """ONE decoder step, with the same layers and weights as :meth:`call`.

        Args:
            token_ids: the previous output tokens ``y_{i-1}``, ints ``(B,)`` (or ``(B, 1)``).
            state: ``[s_{i-1}, H, real]``, from :meth:`encode` or the previous step.

        Returns:
            ``(scores, state, alpha)``: logits ``(B, target_vocab_size)``, the new state
            ``[s_i, H, real]``, and the attention weights of this step ``(B, T_x)`` (0 at
            padded source steps, each row summing to 1), or ``None`` for ``"none"``.
            Bahdanau's weights are the ones the cell used, computed with ``s_{i-1}``.
        """
        if not isinstance(state, (list, tuple)) or len(state) != 3:
            raise ValueError(
                "state must be the list [s, H, real] that encode(source_ids) returns (or the "
                f"previous decode_step's), got {type(state).__name__}"
                + (f" of {len(state)} items." if isinstance(state, (list, tuple)) else ".")
            )
        s, hs, real = state
        u = self.target_embedding(ops.reshape(ops.cast(token_ids, "int32"), (-1,)))  # (B, d_e)
        alpha = None
        if self.attention == "bahdanau":
            _, alpha = self.decoder.cell.attend(s, hs, real)  # what the cell attends to now
            out, (s, hs, real) = self.decoder.cell(u, [s, hs, real])
        else:
            s, _ = self.decoder.cell(u, [s])
            out = s
            if self.luong is not None:
                c, alpha = self.luong([s, hs], mask=ops.cast(real, "bool"))
                out = ops.concatenate([s, c], axis=-1)
        return self.head(out), [s, hs, real], alpha

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, for ``.keras`` saving."""
        return {
            **super().get_config(),
            "source_vocab_size": self.source_vocab_size,
            "target_vocab_size": self.target_vocab_size,
            "units": self.units,
            "attention": self.attention,
            "attention_units": self.attention_units,
            "embed_dim": self.embed_dim,
            "dropout": self.dropout,
        }


def attention_step_fn(
    model: AttentionSeq2Seq, weights: list[np.ndarray] | None = None
) -> Callable[[np.ndarray, Any], tuple[np.ndarray, list[Any]]]:
    """``step(token_ids, state) -> (log_probs, state)`` for :mod:`seqkeras.decoding`, from
    :meth:`AttentionSeq2Seq.decode_step`; it can record the attention weights.

    Use it with ``model.encode(source_ids)`` as the initial state::

        weights = []
        ids = decoding.greedy_decode(attention_step_fn(model, weights), model.encode(x),
                                     start_id, end_id, max_len)
        alpha = np.stack(weights, axis=1)   # (B, steps, T_x): the attention map of each input

    Args:
        model: an :class:`AttentionSeq2Seq` (or anything with its ``decode_step``).
        weights: ``None``, or a list to which every call appends that step's attention
            weights, a NumPy array ``(B, T_x)`` (nothing for ``attention="none"``, which has
            none). Under ``greedy_decode`` one array per step, every row of the batch (rows
            already finished included); under ``beam_search`` one row per hypothesis alive
            at that step, before the beam is pruned.

    Returns:
        ``step``: token ids ``(B,)`` and the state ``[s, H, real]`` → log-probabilities,
        a NumPy array ``(B, target_vocab_size)``, and the new state (the model's tensors).
    """
    if not callable(getattr(model, "decode_step", None)):
        raise TypeError(
            f"attention_step_fn needs a model with decode_step(token_ids, state), such as "
            f"AttentionSeq2Seq; got {type(model).__name__}."
        )
    if weights is not None and not isinstance(weights, list):
        raise TypeError(
            f"weights must be None or a list (each step's alpha is appended to it), got "
            f"{type(weights).__name__}."
        )

    def step(token_ids: np.ndarray, state: Any) -> tuple[np.ndarray, list[Any]]:
        scores, state, alpha = model.decode_step(np.asarray(token_ids), state)
        if weights is not None and alpha is not None:
            weights.append(ops.convert_to_numpy(alpha))
        return ops.convert_to_numpy(ops.log_softmax(scores, axis=-1)), state

    return step


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
