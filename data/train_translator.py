"""Train the English → Chinese attention translator that lesson 08 (part 2) loads.

Run it with ``make translator`` (about half an hour on two CPU cores); it writes
``data/translator_en_zh.npz``. It is for maintainers: a learner never needs to run it, the
file is in the repository. After a run, put the printed sha256 in ``seqkeras/data.py``
(``REGISTRY["translator"]``) and in ``data/README.md``.

What it does, and why each choice:

- **The lesson's split and vocabularies.** ``data.load_translation_split(held_out=2000,
  seed=0)``: the 2,000 held-out English sentences of lessons 07 and 08 are never seen. The
  vectorisers are the lesson's (4,000 English words from the training sentences, 12 words
  read; every Chinese character seen twice or more), so the lesson can check that its ids
  and the model's agree.
- **A validation set of its own**, 1,000 English sentences of the *training* part (another
  seed of the same split), for the learning curve and the scores printed at the end. The
  lesson's held-out sentences choose nothing here.
- **The lesson's model** (``AttentionSeq2Seq``, 256 units, Bahdanau attention, embeddings of
  128), with dropout 0.4 on the embeddings and before the output layer, trained on every
  training pair whose Chinese side has at most 32 characters (the lesson: 16), with Adam
  and a cosine schedule over all epochs, clipped gradients.
- **Deterministic for a seed**: the same seed, library versions and machine give the same
  weights (TensorFlow's deterministic ops are switched on).
- **Compact**: 8-bit weights (``seqkeras.pretrained``), 2.6 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

from seqkeras.notebook import setup

HERE = Path(__file__).resolve().parent
OUT = HERE / "translator_en_zh.npz"

TX_WORDS, EN_WORDS, MAX_ZH = 12, 4000, 32
UNITS, EMBED, ATTENTION_UNITS = 256, 128, 128


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dropout", type=float, default=0.4)
    parser.add_argument("--lr", type=float, default=0.004)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument(
        "--limit", type=int, default=None, help="train on this many pairs only (a smoke test)"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    setup(seed=args.seed)
    import keras
    import numpy as np
    from keras import ops

    from seqkeras import data, decoding
    from seqkeras import seq2seq as s2s
    from seqkeras.pretrained import load_compact, save_compact

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()

    train_pairs, _ = data.load_translation_split(held_out=2000, seed=0)  # the lesson's split
    train_en, train_zh = [e for e, _ in train_pairs], [z for _, z in train_pairs]
    english = keras.layers.TextVectorization(max_tokens=EN_WORDS, output_sequence_length=TX_WORDS)
    english.adapt(train_en)
    counts = Counter("".join(train_zh))
    chars = sorted(ch for ch, n in counts.items() if n >= 2)
    chinese = keras.layers.TextVectorization(
        split="character", standardize=None, vocabulary=["<start>", "<end>", *chars]
    )
    en_vocab, zh_vocab = english.get_vocabulary(), chinese.get_vocabulary()
    start, end = zh_vocab.index("<start>"), zh_vocab.index("<end>")

    fit_pairs, valid_pairs = data.split_by_source(train_pairs, held_out=1000, seed=1)
    fit_pairs = [(e, z) for e, z in fit_pairs if len(z) <= MAX_ZH][: args.limit]
    x = ops.convert_to_numpy(english(np.asarray([e for e, _ in fit_pairs], dtype=object)))
    zh_ids = ops.convert_to_numpy(chinese([z for _, z in fit_pairs]))
    y = [np.append(row[row != 0], end) for row in zh_ids]
    batches = s2s.length_batches(x, y, args.batch, start, seed=args.seed)
    references = data.group_by_source(valid_pairs)
    valid_en, valid_refs = list(references), list(references.values())
    x_valid = ops.convert_to_numpy(english(np.asarray(valid_en, dtype=object)))
    v_ids = ops.convert_to_numpy(chinese([z for _, z in valid_pairs if len(z) <= MAX_ZH]))
    v_x = ops.convert_to_numpy(
        english(np.asarray([e for e, z in valid_pairs if len(z) <= MAX_ZH], dtype=object))
    )
    valid_batches = s2s.length_batches(
        v_x, [np.append(r[r != 0], end) for r in v_ids], args.batch, start, seed=0
    )
    print(f"{len(fit_pairs):,} training pairs, {len(valid_en):,} validation sentences; "
          f"English {len(en_vocab):,} words, Chinese {len(zh_vocab):,} tokens")  # fmt: skip

    config = {
        "source_vocab_size": len(en_vocab),
        "target_vocab_size": len(zh_vocab),
        "units": UNITS,
        "attention": "bahdanau",
        "attention_units": ATTENTION_UNITS,
        "embed_dim": EMBED,
        "dropout": args.dropout,
    }
    model = s2s.AttentionSeq2Seq(**config)
    schedule = keras.optimizers.schedules.CosineDecay(args.lr, args.epochs * len(batches), alpha=0.02)
    model.compile(
        keras.optimizers.Adam(schedule, clipnorm=1.0),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
    )

    def translate(m: keras.Model, ids: np.ndarray) -> list[str]:
        out = decoding.greedy_decode(s2s.attention_step_fn(m), m.encode(ids), start, end, max_len=40)
        return ["".join(zh_vocab[t] for t in row) for row in out]

    curve: list[dict[str, float]] = []
    best = (-1.0, 0, model.get_weights())  # (validation chrF, epoch, weights): the weights kept
    began, cpu = time.perf_counter(), time.process_time()
    for epoch in range(args.epochs):
        history = model.fit(batches, epochs=epoch + 1, initial_epoch=epoch, verbose=0)
        valid_loss = float(model.evaluate(valid_batches, verbose=0))
        row = {"epoch": epoch + 1, "loss": float(history.history["loss"][-1]), "valid_loss": valid_loss}
        if (epoch + 1) % 5 == 0 or epoch + 1 == args.epochs:
            score = s2s.score_translations(translate(model, x_valid), valid_refs)
            row |= {"valid_bleu": round(score.bleu, 2), "valid_chrf": round(score.chrf, 2)}
            if score.chrf > best[0]:
                best = (score.chrf, epoch + 1, model.get_weights())
        curve.append({k: round(v, 4) for k, v in row.items()})  # no times: the file stays reproducible
        print(json.dumps(curve[-1] | {"minutes": round((time.perf_counter() - began) / 60, 2)}), flush=True)
    minutes = (time.perf_counter() - began) / 60
    cpu_minutes = (time.process_time() - cpu) / 60

    model.set_weights(best[2])  # the epoch with the best validation chrF
    final = s2s.score_translations(translate(model, x_valid), valid_refs)
    info = {
        "made_by": "make translator (data/train_translator.py)",
        "seed": args.seed,
        "epochs": args.epochs,
        "dropout": args.dropout,
        "learning_rate": args.lr,
        "batch": args.batch,
        "max_target_chars": MAX_ZH,
        "training_pairs": len(fit_pairs),
        "kept_epoch": best[1],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
        "versions": f"keras {keras.__version__}, backend {keras.backend.backend()}, numpy {np.__version__}",
        "valid_float32": {"bleu": round(final.bleu, 2), "chrf": round(final.chrf, 2)},
        "curve": curve,
    }
    save_compact(model, args.out, config, {"source": en_vocab, "target": zh_vocab}, info)
    # The scores of the 8-bit weights, read back as the lesson reads them:
    compact = load_compact(args.out)
    model.set_weights(compact.weights)
    small = s2s.score_translations(translate(model, x_valid), valid_refs)
    info["valid_int8"] = {"bleu": round(small.bleu, 2), "chrf": round(small.chrf, 2)}
    save_compact(model, args.out, config, {"source": en_vocab, "target": zh_vocab}, info)  # same weights
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"validation, float32: {final}; 8-bit: {small}")
    print(
        f"kept epoch {best[1]}; {minutes:.1f} min of training ({cpu_minutes:.1f} CPU-minutes); wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB), sha256 {digest}"
    )


if __name__ == "__main__":
    main()
