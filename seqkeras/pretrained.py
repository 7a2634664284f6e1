"""Compact model weights shipped in ``data/``: 8-bit quantisation, saving and loading.

Lesson 08 (part 2) trains its attention translator for a few minutes, then loads one that
was trained for half an hour by ``make translator`` (``data/train_translator.py``). A
``.keras`` file stores every weight as a 32-bit float, 11 MB for that model's 2.8 million
parameters; the course keeps ``data/`` small, so the file here stores each weight matrix
in 8 bits:

- a matrix ``W`` (2 or more axes) is stored row by row (a row: all but the last axis fixed,
  e.g. one token's embedding, one input unit's outgoing weights) as integers
  ``q = round(W / scale)`` in ``[-127, 127]`` with ``scale = max|row| / 127``, one float32
  ``scale`` per row, so ``W ≈ q · scale`` with an error of at most ``scale / 2`` per weight;
- vectors (biases, Bahdanau's ``v``) are few and stay float32.

Then 1 byte per weight instead of 4, and the translator's file is 2.6 MB (compressed
NumPy ``.npz``, no pickled objects). The file also holds the model's constructor arguments,
both vocabularies (so a lesson can check that its own vectorisers give the same ids) and a
JSON record of how the weights were made.

- :func:`quantize` / :func:`dequantize`  one array to 8 bits and back
- :func:`save_compact`                    a built Keras model → ``.npz``
- :func:`load_compact`                    ``.npz`` → the arrays, config, vocabularies, info
- :func:`load_translator`                 the shipped translator, checked against its sha256
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

__all__ = ["quantize", "dequantize", "save_compact", "load_compact", "Compact", "load_translator"]

_FORMAT = "seqkeras-int8-v1"


def quantize(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One weight array with 2 or more axes → ``(q int8, scale float32)``, row by row.

    Args:
        w: float array ``(..., n)``; each row ``w[i, ..., :]`` gets its own scale.

    Returns:
        ``q``: int8, the shape of ``w``; ``scale``: float32 ``(...,)``, ``max|row| / 127``
        (1.0 for an all-zero row), so that ``dequantize(q, scale) ≈ w``.
    """
    w = np.asarray(w, dtype=np.float32)
    if w.ndim < 2:
        raise ValueError(
            f"quantize takes a weight matrix (2 or more axes), got shape {w.shape}; vectors stay float32"
        )
    if not np.all(np.isfinite(w)):
        raise ValueError("quantize: the weights contain NaN or infinity; the model did not train properly")
    top = np.max(np.abs(w), axis=-1)
    scale = np.where(top > 0, top / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale[..., None]), -127, 127).astype(np.int8)
    return q, scale


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``q · scale`` row by row: float32, the shape of ``q``."""
    return np.asarray(q, dtype=np.float32) * np.asarray(scale, dtype=np.float32)[..., None]


def save_compact(
    model: Any,
    path: str | Path,
    config: dict[str, Any],
    vocabularies: dict[str, list[str]],
    info: dict[str, Any] | None = None,
) -> Path:
    """Write a built model's weights in 8 bits (vectors in float32) to ``path`` (``.npz``).

    Args:
        model: a built Keras model; its ``get_weights()`` order is the file's order.
        config: the constructor arguments that rebuild the same model (JSON-serialisable).
        vocabularies: name → list of tokens, e.g. ``{"source": [...], "target": [...]}``.
        info: anything JSON-serialisable that says how the weights were made.

    Returns:
        The path written.
    """
    arrays: dict[str, np.ndarray] = {}
    for k, w in enumerate(model.get_weights()):
        w = np.asarray(w)
        if w.ndim >= 2:
            arrays[f"w{k}_q"], arrays[f"w{k}_scale"] = quantize(w)
        else:
            arrays[f"w{k}_f"] = w.astype(np.float32)
    for name, tokens in vocabularies.items():
        arrays[f"vocab_{name}"] = np.asarray(list(tokens), dtype=str)
    header = {"format": _FORMAT, "config": config, "weights": len(model.get_weights()), "info": info or {}}
    arrays["header"] = np.asarray(json.dumps(header, ensure_ascii=False, sort_keys=True))
    # An .npz is a zip of .npy files. Written here with a fixed date on every member, so the
    # same weights give the same bytes (and sha256) whenever they are saved.
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            zf.writestr(member, buffer.getvalue(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


class Compact(NamedTuple):
    """What :func:`load_compact` reads: float32 weights, constructor arguments, vocabularies, info."""

    weights: list[np.ndarray]
    config: dict[str, Any]
    vocabularies: dict[str, list[str]]
    info: dict[str, Any]


def load_compact(path: str | Path) -> Compact:
    """Read a file written by :func:`save_compact` (weights back to float32)."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"].item()))
            foreign = header.get("format") != _FORMAT
            if not foreign:
                weights = []
                for k in range(int(header["weights"])):
                    if f"w{k}_f" in z:
                        weights.append(np.asarray(z[f"w{k}_f"], dtype=np.float32))
                    else:
                        weights.append(dequantize(z[f"w{k}_q"], z[f"w{k}_scale"]))
                vocabularies = {
                    key[len("vocab_") :]: [str(t) for t in z[key]]
                    for key in z.files
                    if key.startswith("vocab_")
                }
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as err:
        raise ValueError(
            f"could not read compact weights from {path}: {err}. The file is damaged or is not one "
            "that seqkeras.pretrained.save_compact wrote; restore it with `git checkout -- data/` "
            "or rebuild it with `make translator`."
        ) from err
    if foreign:
        raise ValueError(f"{path} is not a seqkeras compact-weights file (format {header.get('format')!r})")
    return Compact(weights, header["config"], vocabularies, header.get("info", {}))


class Translator(NamedTuple):
    """The shipped translator: the model, its vocabularies and how it was made."""

    model: Any
    source_vocab: list[str]
    target_vocab: list[str]
    info: dict[str, Any]


def load_translator(path: str | Path | None = None) -> Translator:
    """The attention translator that ``make translator`` trained (lesson 08, part 2).

    Args:
        path: a file written by ``data/train_translator.py``; ``None``: the one shipped in
            ``data/``, checked against its sha256 first.

    Returns:
        ``Translator(model, source_vocab, target_vocab, info)``: an
        :class:`seqkeras.seq2seq.AttentionSeq2Seq` with the shipped weights, the English and
        Chinese vocabularies it reads and writes (id = position), and ``info``: how it was
        trained and what it scored on its validation sentences.
    """
    from seqkeras import data
    from seqkeras.seq2seq import AttentionSeq2Seq

    file = data.verify("translator") if path is None else Path(path)
    compact = load_compact(file)
    model = AttentionSeq2Seq(**compact.config)
    model([np.ones((1, 2), "int32"), np.ones((1, 2), "int32")])  # build every weight
    shapes = [tuple(w.shape) for w in model.get_weights()]
    if shapes != [w.shape for w in compact.weights]:
        raise ValueError(
            f"the weights in {file} do not fit AttentionSeq2Seq({compact.config}): the file has "
            f"{len(compact.weights)} arrays, the model {len(shapes)}. Rebuild the file with `make translator`."
        )
    model.set_weights(compact.weights)
    return Translator(model, compact.vocabularies["source"], compact.vocabularies["target"], compact.info)
