"""How fast the lessons' main models train on this machine: ``python -m seqkeras.bench`` (``make bench``).

For each lesson with a model worth timing, the benchmark builds that model at the lesson's sizes
(layers, units, vocabularies, batch and sequence lengths, as its settings cell has them), feeds it
random token ids or values of the lesson's shapes (the data do not change the arithmetic), and
times training batches after a warm-up: milliseconds per batch, and the arithmetic rate that
implies, in GFLOP/s, from a count of the multiply-adds of the model's matrix products (forward
pass counted from the layer sizes, training taken as three times the forward pass: the forward
product and the two products of its gradient). Element-wise work (activations, the softmax, the
optimiser's update) is not counted, so the rate is a lower bound of the work done, and is best
read as "how busy the matrix units are".

On TensorFlow each model is timed twice, with Keras' default (``jit_compile="auto"``, which on a
machine without a GPU means no XLA) and with ``jit_compile=True`` (XLA), so that the choice the
lessons make is measured, not assumed. On JAX, Keras always compiles with XLA.

It is a tool for maintainers, not a test: the figures depend on the machine and on what else runs
on it; the first lines of its output say which machine and library versions it measured.

Usage::

    python -m seqkeras.bench                 # every model, the backend in KERAS_BACKEND
    python -m seqkeras.bench 07 08 --batches 10
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Benchmark", "BENCHMARKS", "run", "main"]


@dataclass(frozen=True)
class Benchmark:
    """One lesson's main model at the lesson's sizes.

    Attributes:
        lesson: the lesson number, e.g. ``"07"``.
        name: what is timed, in a few words.
        build: ``build() -> (model, inputs, targets, loss)``; the model uncompiled, one batch of
            inputs and targets.
        forward_flop: floating-point operations of one forward pass over the batch, counted from
            the matrix products (2 per multiply-add).
    """

    lesson: str
    name: str
    build: Callable[[], tuple[Any, Any, Any, Any]]
    forward_flop: float


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


def _ids(shape: tuple[int, ...], vocab: int) -> np.ndarray:
    return _rng().integers(1, vocab, size=shape).astype("int32")


def _sparse_ce() -> Any:
    import keras

    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


# --- the models, at the sizes of each lesson's settings cell -------------------------------------


def _char_lm() -> tuple[Any, Any, Any, Any]:  # lesson 03: GRU(128) language model over 65 characters
    import keras

    model = keras.Sequential(
        [
            keras.Input((64,), dtype="int32"),
            keras.layers.Embedding(65, 32),
            keras.layers.GRU(128, return_sequences=True),
            keras.layers.Dense(65),
        ]
    )
    return model, _ids((64, 64), 65), _ids((64, 64), 65), _sparse_ce()


def _distractors() -> tuple[Any, Any, Any, Any]:  # lesson 04: LSTM(32) reading 51 steps of 5 inputs
    import keras

    model = keras.Sequential([keras.Input((51, 5)), keras.layers.LSTM(32), keras.layers.Dense(4)])
    x = np.eye(5, dtype="float32")[_ids((64, 51), 5)]
    return model, x, _ids((64,), 4), _sparse_ce()


def _forecaster() -> tuple[Any, Any, Any, Any]:  # lesson 05: GRU(32) over 52 weeks -> next week
    import keras

    model = keras.Sequential([keras.Input((52, 1)), keras.layers.GRU(32), keras.layers.Dense(1)])
    x = _rng().normal(size=(32, 52, 1)).astype("float32")
    return model, x, _rng().normal(size=(32, 1)).astype("float32"), "mse"


def _tagger() -> tuple[Any, Any, Any, Any]:  # lesson 06: bidirectional GRU(100) tagger, 47,772 words
    import keras

    model = keras.Sequential(
        [
            keras.Input((32,), dtype="int32"),
            keras.layers.Embedding(47_772, 100, mask_zero=True),
            keras.layers.Bidirectional(keras.layers.GRU(100, return_sequences=True)),
            keras.layers.Dense(13),
        ]
    )
    return model, _ids((128, 32), 47_772), _ids((128, 32), 13), _sparse_ce()


def _translator(attention: str) -> Callable[[], tuple[Any, Any, Any, Any]]:
    def build() -> tuple[Any, Any, Any, Any]:  # lessons 07-08: English -> Chinese, 12 -> 17 steps
        from seqkeras.seq2seq import AttentionSeq2Seq

        model = AttentionSeq2Seq(4000, 2200, 256, attention, attention_units=128, embed_dim=128)
        x = (_ids((64, 12), 4000), _ids((64, 17), 2200))
        return model, x, _ids((64, 17), 2200), _sparse_ce()

    return build


def _review_encoder() -> tuple[Any, Any, Any, Any]:  # lesson 09: one self-attention block, d = 64
    import keras

    ids = keras.Input((32,), dtype="int32")
    h = keras.layers.Embedding(9000, 64, mask_zero=True)(ids)
    h = keras.layers.LayerNormalization()(
        keras.layers.Add()([h, keras.layers.MultiHeadAttention(4, 16)(h, h)])
    )
    wide = keras.layers.Dense(128, activation="relu")(h)
    h = keras.layers.LayerNormalization()(keras.layers.Add()([h, keras.layers.Dense(64)(wide)]))
    model = keras.Model(ids, keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(h)))
    y = _rng().integers(0, 2, size=(64, 1)).astype("float32")
    return model, _ids((64, 32), 9000), y, keras.losses.BinaryCrossentropy(from_logits=True)


def _gru_step(n_in: int, n_h: int) -> float:  # multiply-adds of one GRU step, three gates
    return 3 * (n_in + n_h) * n_h


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        "03", "char LM, GRU(128), 64 x 64 chars", _char_lm, 2 * 64 * 64 * (_gru_step(32, 128) + 128 * 65)
    ),
    Benchmark("04", "LSTM(32), 64 x 51 steps", _distractors, 2 * 64 * (51 * 4 * (5 + 32) * 32 + 32 * 4)),
    Benchmark("05", "GRU(32) forecaster, 32 x 52 weeks", _forecaster, 2 * 32 * (52 * _gru_step(1, 32) + 32)),
    Benchmark(
        "06",
        "BiGRU(100) tagger, 128 x 32 words",
        _tagger,
        2 * 128 * 32 * (2 * _gru_step(100, 100) + 200 * 13),
    ),
    Benchmark(
        "07",
        "encoder-decoder, GRU(256), 64 x (12 -> 17)",
        _translator("none"),
        2 * 64 * (12 * 2 * _gru_step(128, 128) + 17 * (_gru_step(128, 256) + 256 * 2200)),
    ),
    Benchmark(
        "08",
        "Bahdanau attention, GRU(256), 64 x (12 -> 17)",
        _translator("bahdanau"),
        2
        * 64
        * (
            12 * 2 * _gru_step(128, 128)
            # each decoder step: s W, H U (recomputed every step), the scores, the context, the GRU
            + 17 * (256 * 128 + 12 * 256 * 128 + 12 * 128 + 12 * 256 + _gru_step(128 + 256, 256))
            + 17 * 512 * 2200
        ),
    ),
    Benchmark(
        "09",
        "self-attention block, d = 64, 64 x 32 words",
        _review_encoder,
        2 * 64 * 32 * (4 * 64 * 64 + 2 * 32 * 64 + 2 * 64 * 128 + 64),
    ),
]


def _time_batches(model: Any, x: Any, y: Any, batches: int, warmup: int) -> tuple[float, float]:
    """(seconds of the first ``warmup`` batches, compiling included; median seconds per batch after)."""
    start = time.perf_counter()
    for _ in range(warmup):
        model.train_on_batch(x, y)
    first = time.perf_counter() - start
    times = []
    for _ in range(batches):
        start = time.perf_counter()
        model.train_on_batch(x, y)
        times.append(time.perf_counter() - start)
    return first, float(np.median(times))


def run(lessons: list[str] | None = None, batches: int = 20, warmup: int = 3) -> list[dict[str, Any]]:
    """Time every benchmark (or those of ``lessons``) and return one row per model and setting.

    Each row: ``lesson``, ``model``, ``setting`` (``"default"`` or ``"jit_compile=True"``),
    ``parameters``, ``first_s`` (the warm-up batches, compiling included), ``ms_per_batch``
    (median) and ``gflops`` (the counted work per second).
    """
    import keras

    chosen = [b for b in BENCHMARKS if not lessons or b.lesson in lessons]
    if not chosen:
        known = ", ".join(b.lesson for b in BENCHMARKS)
        raise ValueError(f"no benchmark for lessons {lessons}: the lessons with one are {known}.")
    settings: list[Any] = ["auto"]
    if keras.backend.backend() == "tensorflow":
        settings.append(True)
    rows = []
    for bench in chosen:
        for jit in settings:
            keras.utils.set_random_seed(0)
            model, x, y, loss = bench.build()
            model.compile(keras.optimizers.Adam(1e-3), loss, jit_compile=jit)
            first, per_batch = _time_batches(model, x, y, batches, warmup)
            rows.append(
                {
                    "lesson": bench.lesson,
                    "model": bench.name,
                    "setting": "default" if jit == "auto" else "jit_compile=True",
                    "parameters": model.count_params(),
                    "first_s": first,
                    "ms_per_batch": 1000 * per_batch,
                    "gflops": 3 * bench.forward_flop / per_batch / 1e9,
                }
            )
            print(_format_row(rows[-1]), flush=True)
    return rows


def _machine() -> str:
    import keras

    cores = os.cpu_count()
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return (
        f"{cpu}, {cores} cores visible | Python {sys.version.split()[0]} | NumPy {np.__version__} | "
        f"Keras {keras.__version__}, backend {keras.backend.backend()}"
    )


_HEADER = (
    f"{'lesson':6} {'model':46} {'setting':17} {'params':>10} {'first s':>8} {'ms/batch':>9} {'GFLOP/s':>8}"
)


def _format_row(row: dict[str, Any]) -> str:
    return (
        f"{row['lesson']:6} {row['model']:46} {row['setting']:17} {row['parameters']:>10,} "
        f"{row['first_s']:>8.1f} {row['ms_per_batch']:>9.1f} {row['gflops']:>8.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seqkeras.bench", description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers to time (default: all), e.g. 07 08")
    parser.add_argument("--batches", type=int, default=20, help="timed batches per model (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed batches first (default 3)")
    args = parser.parse_args(argv)
    if args.batches < 1 or args.warmup < 1:
        parser.error("--batches and --warmup must be at least 1")
    from seqkeras.notebook import setup

    setup(0, show_versions=False)
    print(_machine())
    print("first s: the warm-up batches, compiling included; ms/batch: the median of the timed batches;")
    print("GFLOP/s: 3 x the forward pass's counted matrix work, per second of a batch (a lower bound).")
    print(_HEADER)
    run(args.lessons or None, args.batches, args.warmup)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
