"""The course's datasets, read offline from ``data/`` and checked against their sha256.

Real data (each file is described in ``data/README.md``, the datasheet):

- :func:`load_shakespeare`        1.1 million characters of Shakespeare, one string
- :func:`load_translation_pairs`  24,026 English–Chinese sentence pairs
- :func:`load_polarity`           12,752 movie-review snippets labelled fresh (1) / rotten (0)
- :func:`load_brown_universal`    57,340 Brown-corpus sentences tagged with 12 universal POS tags
- :func:`load_digits`             1,797 handwritten digits as 8×8 images
- :func:`load_co2`                2,284 weeks of CO2 at Mauna Loa (1958–2001), a time series with gaps

Synthetic data:

- :func:`make_dates`              human-readable dates and their ISO form (a translation task)

Every loader first checks the file's sha256 against :data:`REGISTRY`, so a missing or
damaged file stops with a :class:`DataFileError` that says how to restore it, instead of
training on garbage. A file is hashed again whenever its size or modification time
changes (otherwise once per process). The data folder is ``data/`` next to the package;
set the environment variable ``SEQKERAS_DATA`` to a folder holding the same files to read
them from there (an empty ``SEQKERAS_DATA`` counts as unset).
"""

from __future__ import annotations

import datetime as _dt
import gc
import gzip
import hashlib
import io
import os
import random
import stat as _stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DATA_DIR",
    "DATA_ENV",
    "REGISTRY",
    "DataFile",
    "DataFileError",
    "data_dir",
    "path",
    "verify",
    "load_shakespeare",
    "load_translation_pairs",
    "load_polarity",
    "load_brown_universal",
    "load_digits",
    "UNIVERSAL_TAGS",
    "make_dates",
    "DATE_FORMATS",
    "DATE_RANGE",
]

#: The ``data/`` folder of the repository (the default place to read the files from).
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
#: Environment variable that, when set, replaces :data:`DATA_DIR`.
DATA_ENV = "SEQKERAS_DATA"


@dataclass(frozen=True)
class DataFile:
    """One curated file: its name in ``data/``, its sha256 and what it holds."""

    filename: str
    sha256: str
    description: str


#: name -> file. The sha256s are also listed in data/README.md (a test checks they agree).
REGISTRY: dict[str, DataFile] = {
    "shakespeare": DataFile(
        "shakespeare.txt",
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        "tiny Shakespeare: 40,000 lines of the plays, plain text",
    ),
    "translation_pairs": DataFile(
        "eng_cmn.tsv.gz",
        "2b3822d670aba9782c2f689f343d6de9f4286ee94884448945a4543cf9737436",
        "English–Chinese sentence pairs from Tatoeba, with attribution",
    ),
    "polarity": DataFile(
        "polarity.tsv.gz",
        "95f7da4e9c5af58b934a4e0a2c1400ed7f83a1dfd16144190d126aa81d0fe095",
        "movie-review snippets, label 1 = fresh (positive), 0 = rotten (negative)",
    ),
    "brown_universal": DataFile(
        "brown_universal.txt.gz",
        "59d169501ceee9b277875da499e92f047d89a07c6da3c8cf9aa337d186326bff",
        "Brown corpus, one sentence a line, word/TAG with 12 universal tags",
    ),
    "digits": DataFile(
        "digits.csv.gz",
        "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
        "8x8 handwritten digits (UCI optdigits test set, via scikit-learn)",
    ),
}

#: The 12 universal part-of-speech tags of Petrov, Das & McDonald (2012), as used by
#: :func:`load_brown_universal`.
UNIVERSAL_TAGS = ("NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "CONJ", "PRT", ".", "X")


class DataFileError(RuntimeError):
    """A data file is missing or does not match its sha256. The message says how to restore it."""


# ----------------------------------------------------------------------------------------
# finding and verifying files
# ----------------------------------------------------------------------------------------
def data_dir() -> Path:
    """The folder the loaders read: ``$SEQKERAS_DATA`` if set, else :data:`DATA_DIR`."""
    override = os.environ.get(DATA_ENV)
    return Path(override).expanduser() if override else DATA_DIR


def _entry(name: str) -> tuple[str, DataFile]:
    if name in REGISTRY:
        return name, REGISTRY[name]
    for key, entry in REGISTRY.items():  # the file name works too
        if name == entry.filename:
            return key, entry
    known = ", ".join(repr(k) for k in REGISTRY)
    raise KeyError(f"unknown dataset {name!r}: choose one of {known}")


def path(name: str) -> Path:
    """The path of dataset ``name`` (a key of :data:`REGISTRY` or its file name); not verified."""
    return data_dir() / _entry(name)[1].filename


_MAINTAINERS = (
    "(data/curate.py rebuilds every file from the raw datasets: it is for "
    "maintainers who have them in ../shared/datasets, and a learner never needs it.)"
)


def _maintainers(filename: str) -> str:
    """Who remakes ``filename`` from scratch, and that a learner does not need to."""
    if filename == "translator_en_zh.npz":
        return (
            "(`make translator` retrains it in about half an hour: it is for maintainers, and a "
            "learner never needs it.)"
        )
    return _MAINTAINERS


def _restore_hint(filename: str) -> str:
    """How a learner gets a good copy of ``filename`` back: the fix first, then the rest."""
    git = (
        f"run `git checkout -- data/{filename}` in a terminal at the root of your copy of "
        "the course (or download the course again)"
    )
    override = os.environ.get(DATA_ENV)
    if override:
        return (
            f"The file is read from ${DATA_ENV}={override!r}. Unset {DATA_ENV} to use the "
            f"course's own data/ folder (in a notebook: del os.environ[{DATA_ENV!r}]), or "
            f"copy the course's data/{filename} there; if that copy is damaged too, "
            f"{git}. {_maintainers(filename)}"
        )
    return f"To restore it, {git}. {_maintainers(filename)}"


def _missing(entry: DataFile, file: Path) -> DataFileError:
    """The error for a data file that is not there, naming the likeliest cause."""
    folder, override = file.parent, os.environ.get(DATA_ENV)
    names = ", ".join(e.filename for e in REGISTRY.values())
    if override:
        if not folder.exists():
            problem = "a folder that does not exist"
        elif not folder.is_dir():
            problem = "which is a file, not a folder"
        elif not any((folder / e.filename).is_file() for e in REGISTRY.values()):
            problem = f"a folder that holds none of the course's data files ({names})"
        else:
            return DataFileError(
                f"data file {entry.filename} is missing: expected it at "
                f"{file}. " + _restore_hint(entry.filename)
            )
        return DataFileError(
            f"${DATA_ENV} is set to {override!r}, {problem}. Unset it to use the course's own "
            f"data/ folder (in a terminal: unset {DATA_ENV}; in a notebook: "
            f"del os.environ[{DATA_ENV!r}]), or set it to the folder that holds the data files."
        )
    if not folder.is_dir():
        return DataFileError(
            f"the course's data/ folder is missing: expected it at {folder}, next to the "
            f"seqkeras package. seqkeras reads its datasets from a copy of the whole course: "
            f"download the course again, or set {DATA_ENV} to the data/ folder of a full copy. "
            + _MAINTAINERS
        )
    return DataFileError(
        f"data file {entry.filename} is missing: expected it at {file}. " + _restore_hint(entry.filename)
    )


#: (resolved path, size, mtime in ns) of files whose sha256 was checked in this process:
#: a file that changes on disk changes its key, so it is hashed again.
_VERIFIED: set[tuple[str, int, int]] = set()


def verify(name: str | None = None, *, force: bool = False) -> Path:
    """Check that a data file exists and matches its sha256; return its path.

    The hash is computed once per process and file, and again whenever the file's size or
    modification time changes.

    Args:
        name: a key of :data:`REGISTRY` (``"polarity"``) or a file name
            (``"polarity.tsv.gz"``); ``None`` checks every file and returns the folder.
        force: re-hash even if this file was verified earlier in this process.

    Raises:
        DataFileError: the file is missing or its content differs, or ``SEQKERAS_DATA``
            names no folder of data files; the message says how to restore it.
    """
    if name is None:
        for key in REGISTRY:
            verify(key, force=force)
        return data_dir()
    return _verified(name, force=force)[0]


def _verified(name: str, *, force: bool = False) -> tuple[Path, bytes]:
    """The path of data file ``name`` and its bytes, checked against its sha256."""
    _, entry = _entry(name)
    file = data_dir() / entry.filename
    try:
        info = file.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise _missing(entry, file) from None
    if not _stat.S_ISREG(info.st_mode):
        raise DataFileError(
            f"data file {entry.filename} is not a file: {file} is a folder or "
            "a device. " + _restore_hint(entry.filename)
        )
    key = (str(file.resolve()), info.st_size, info.st_mtime_ns)
    raw = file.read_bytes()
    if force or key not in _VERIFIED:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != entry.sha256:
            raise DataFileError(
                f"data file {entry.filename} is corrupted or was changed: its sha256 is "
                f"{digest[:12]}…, expected {entry.sha256[:12]}… ({file}). " + _restore_hint(entry.filename)
            )
        _VERIFIED.add(key)
    return file, raw


def _read_lines(name: str) -> list[str]:
    """The lines of a data file (split at ``"\\n"`` only, unlike ``str.splitlines``)."""
    text = _read_text(name)
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def _read_text(name: str) -> str:
    """Read a (possibly gzipped) UTF-8 data file as one string, checked as it is read."""
    file, raw = _verified(name)
    if file.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _check_limit(name: str, value: int | None) -> None:
    """Options such as ``max_len`` must be ``None`` or a whole number >= 0."""
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0
    ):
        raise ValueError(f"{name} must be None (no limit) or a whole number >= 0, got {value!r}")


# ----------------------------------------------------------------------------------------
# loaders
# ----------------------------------------------------------------------------------------
def load_shakespeare(max_chars: int | None = None) -> str:
    """Tiny Shakespeare: plays as one string (1,115,394 characters, 65 distinct).

    Args:
        max_chars: keep only the first ``max_chars`` characters (``None``: all).

    Returns:
        The text, lines separated by ``"\\n"``.
    """
    _check_limit("max_chars", max_chars)
    text = _read_text("shakespeare")
    return text if max_chars is None else text[:max_chars]


def load_translation_pairs(
    max_len: int | None = None, max_pairs: int | None = None, *, with_attribution: bool = False
) -> list[tuple[str, ...]]:
    """English–Chinese sentence pairs (24,026 in all, shortest English first).

    Args:
        max_len: keep only pairs whose English AND Chinese sides have at most ``max_len``
            characters (spaces and punctuation count). ``None``: no limit.
        max_pairs: return at most this many pairs (the first ones, after ``max_len``).
        with_attribution: also return each pair's Tatoeba attribution (CC-BY 2.0 FR).

    Returns:
        A list of ``(english, chinese)`` tuples, or ``(english, chinese, attribution)``
        with ``with_attribution=True``. Some English sentences have several translations.
    """
    _check_limit("max_len", max_len)
    _check_limit("max_pairs", max_pairs)
    lines = _read_lines("translation_pairs")[1:]  # skip the header
    pairs: list[tuple[str, ...]] = []
    if max_pairs == 0:
        return pairs
    for line in lines:
        eng, cmn, attribution = line.split("\t")
        if max_len is not None and (len(eng) > max_len or len(cmn) > max_len):
            continue
        pairs.append((eng, cmn, attribution) if with_attribution else (eng, cmn))
        if max_pairs is not None and len(pairs) >= max_pairs:
            break
    return pairs


def load_polarity(max_examples: int | None = None) -> tuple[list[str], np.ndarray]:
    """Movie-review snippets (Rotten Tomatoes) and their polarity.

    The 12,752 snippets are stored in a fixed shuffled order, so any slice mixes both
    classes; 57.8% are positive.

    Args:
        max_examples: return only the first ``max_examples`` (``None``: all).

    Returns:
        ``(texts, labels)``: a list of ``n`` strings and an int64 array of shape ``(n,)``
        with 1 = positive ("fresh") and 0 = negative ("rotten").
    """
    _check_limit("max_examples", max_examples)
    lines = _read_lines("polarity")[1:]
    if max_examples is not None:
        lines = lines[:max_examples]
    labels, texts = zip(*(line.split("\t", 1) for line in lines)) if lines else ((), ())
    return list(texts), np.array(labels, dtype=np.int64)


def load_brown_universal(max_sentences: int | None = None) -> list[list[tuple[str, str]]]:
    """The Brown corpus, each word tagged with one of the 12 :data:`UNIVERSAL_TAGS`.

    57,340 sentences and 1,161,192 tokens, in corpus order (news first). Words keep their
    case; punctuation tokens have the tag ``"."``.

    Args:
        max_sentences: return only the first ``max_sentences`` (``None``: all).

    Returns:
        A list of sentences; a sentence is a list of ``(word, tag)`` tuples, e.g.
        ``[("The", "DET"), ("jury", "NOUN"), ("said", "VERB"), ...]``.
    """
    _check_limit("max_sentences", max_sentences)
    lines = _read_lines("brown_universal")
    if max_sentences is not None:
        lines = lines[:max_sentences]
    # Building 1.2 million small tuples is 3-4x faster with the cycle collector paused.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [
            [tuple(token.rsplit("/", 1)) for token in line.split(" ")]  # type: ignore[misc]
            for line in lines
        ]
    finally:
        if was_enabled:
            gc.enable()


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """1,797 handwritten digits as 8×8 grey-level images (UCI optdigits, via scikit-learn).

    Returns:
        ``(images, labels)``: float32 array ``(1797, 8, 8)`` with values 0..16 (the number
        of ink pixels in each 4×4 block of the original 32×32 bitmap), and int64 labels
        ``(1797,)`` in 0..9.
    """
    table = np.loadtxt(io.StringIO(_read_text("digits")), delimiter=",", dtype=np.int64)
    return table[:, :64].reshape(-1, 8, 8).astype(np.float32), table[:, 64].copy()


# ----------------------------------------------------------------------------------------
# synthetic data: dates
# ----------------------------------------------------------------------------------------
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: The first and last date :func:`make_dates` draws from (fixed, so a seed means the same
#: data on any day and machine).
DATE_RANGE = (_dt.date(1950, 1, 1), _dt.date(2049, 12, 31))


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


#: The human-readable formats of :func:`make_dates`, shown for 1998-03-03. None of them
#: is ambiguous: the only all-number format puts the day first and has a 4-digit year.
DATE_FORMATS: dict[str, Callable[[_dt.date], str]] = {
    "tuesday, march 3 1998": lambda d: f"{_WEEKDAYS[d.weekday()]}, {_MONTHS[d.month - 1]} {d.day} {d.year}",
    "3 mar 1998": lambda d: f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}",
    "March 3, 1998": lambda d: f"{_MONTHS[d.month - 1].capitalize()} {d.day}, {d.year}",
    "3 March 1998": lambda d: f"{d.day} {_MONTHS[d.month - 1].capitalize()} {d.year}",
    "Tue 3 Mar 1998": lambda d: (
        f"{_WEEKDAYS[d.weekday()][:3].capitalize()} {d.day} {_MONTHS[d.month - 1][:3].capitalize()} {d.year}"
    ),
    "march 3rd, 1998": lambda d: f"{_MONTHS[d.month - 1]} {_ordinal(d.day)}, {d.year}",
    "03.03.1998": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "3 MAR 1998": lambda d: f"{d.day} {_MONTHS[d.month - 1][:3].upper()} {d.year}",
}


def make_dates(n: int, seed: int = 0, formats: list[str] | None = None) -> tuple[list[str], list[str]]:
    """``n`` random dates written by people, and the same dates in ISO form.

    A small translation task for encoder–decoder models: ``"tuesday, march 3 1998"`` →
    ``"1998-03-03"``. Dates are drawn uniformly from :data:`DATE_RANGE`
    (1950-01-01..2049-12-31) and each is written in a format drawn uniformly from
    :data:`DATE_FORMATS`. Month and day names are built in (English, no locale), so the
    same ``seed`` gives the same data everywhere.

    Args:
        n: how many examples (``n >= 0``).
        seed: the random seed.
        formats: restrict to these keys of :data:`DATE_FORMATS` (``None``: all).

    Returns:
        ``(human, iso)``: two lists of ``n`` strings; ``iso[i]`` is ``YYYY-MM-DD``.
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    keys = list(DATE_FORMATS) if formats is None else list(formats)
    unknown = [k for k in keys if k not in DATE_FORMATS]
    if unknown or not keys:
        raise ValueError(f"unknown date format(s) {unknown or keys!r}: choose from {list(DATE_FORMATS)}")
    rng = random.Random(seed)
    first, last = DATE_RANGE
    span = (last - first).days
    human, iso = [], []
    for _ in range(n):
        date = first + _dt.timedelta(days=rng.randint(0, span))
        fmt = DATE_FORMATS[keys[rng.randrange(len(keys))]]
        human.append(fmt(date))
        iso.append(date.isoformat())
    return human, iso


# ----------------------------------------------------------------------------------------
# a real time series: Mauna Loa weekly CO2 (lesson 05)
# ----------------------------------------------------------------------------------------
REGISTRY["co2_weekly"] = DataFile(
    "co2_weekly.csv.gz",
    "eddb024e502b49383a0a84eadb656af149923d439e2c4ffee6a1a003d3a1c25f",
    "Mauna Loa weekly atmospheric CO2 (ppm), 1958-2001, empty for weeks without data",
)
__all__ += ["load_co2"]


def load_co2() -> tuple[np.ndarray, np.ndarray]:
    """Weekly atmospheric CO2 at Mauna Loa, Hawaii: 2,284 weeks from 1958-03-29 to 2001-12-29.

    One value per week (each date is a Saturday), in parts per million (ppm) of dry air,
    from continuous measurements of the Scripps Institution of Oceanography (Keeling's
    record; public domain, via statsmodels). The series has a rising trend (about 316 to
    372 ppm) and a yearly season of a few ppm. 59 weeks, all before 1986, have no
    measurement: their value is NaN, never a guess, so that you decide how to fill them.

    Returns:
        ``(dates, ppm)``: ``dates`` a ``datetime64[D]`` array ``(2284,)``, one week apart;
        ``ppm`` a float64 array ``(2284,)`` with NaN for the weeks without a measurement.
    """
    lines = _read_lines("co2_weekly")[1:]  # skip the header
    dates, values = zip(*(line.split(",") for line in lines))
    ppm = np.array([float(v) if v else np.nan for v in values], dtype=np.float64)
    return np.array(dates, dtype="datetime64[D]"), ppm


# ----------------------------------------------------------------------------------------
# translation pairs: a held-out split by source sentence (lessons 07 and 08)
# ----------------------------------------------------------------------------------------
def _check_pairs(pairs: object) -> list[tuple[str, ...]]:
    """``pairs`` as a list of tuples ``(source, target, ...)`` of strings, or a clear error."""
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise TypeError(
            f"pairs must be a list of (source, target) tuples, got {type(pairs).__name__}: "
            "e.g. load_translation_pairs()"
        )
    out = []
    for i, p in enumerate(pairs):  # type: ignore[arg-type]
        if not isinstance(p, (tuple, list)) or len(p) < 2 or not all(isinstance(s, str) for s in p[:2]):
            raise TypeError(
                f"pair {i} is {p!r}: every pair must be a tuple (source, target) of "
                "strings, e.g. ('Hi.', '嗨。')"
            )
        out.append(tuple(p))
    return out


def _split_key(source: str, seed: int) -> bytes:
    """A sentence's place in the held-out order: a hash, so it depends on nothing else."""
    return hashlib.sha256(f"{seed}\x00{source}".encode()).digest()


def split_by_source(
    pairs: list[tuple[str, ...]], held_out: int | float = 2000, seed: int = 0
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Split translation pairs into training and held-out parts, by source sentence.

    Every translation of one source (English) sentence goes to the same part, so no
    held-out sentence has a translation in training. The held-out sentences are the
    ``held_out`` distinct sources whose sha256 (of the seed and the sentence) is smallest:
    the split depends only on the seed and on which sentences there are, not on their
    order, on the machine, or on Python's hash seed.

    Args:
        pairs: ``(source, target)`` tuples (a third item such as an attribution is kept).
        held_out: how many distinct source sentences to hold out (an int), or a fraction of
            them in ``(0, 1)`` (a float, rounded to the nearest whole number of sentences).
        seed: another seed gives another split.

    Returns:
        ``(train, held)``: two lists of pairs, each in the order of ``pairs``.

    Raises:
        ValueError: ``held_out`` is negative, not below 1 as a fraction, or more than the
            number of distinct sources.
    """
    pairs = _check_pairs(pairs)
    sources = list(dict.fromkeys(p[0] for p in pairs))
    if isinstance(held_out, bool) or not isinstance(held_out, (int, float, np.integer, np.floating)):
        raise TypeError(f"held_out must be a count (int) or a fraction (float), got {held_out!r}")
    if isinstance(held_out, (float, np.floating)):
        if not 0 < held_out < 1:
            raise ValueError(
                f"held_out as a fraction must be between 0 and 1, got {held_out!r}; "
                "for a number of sentences pass an int"
            )
        n_held = int(round(held_out * len(sources)))
    else:
        n_held = int(held_out)
    if not 0 <= n_held <= len(sources):
        raise ValueError(
            f"held_out must be between 0 and the {len(sources):,} distinct source sentences, got {held_out!r}"
        )
    held = set(sorted(sources, key=lambda s: _split_key(s, seed))[:n_held])
    return [p for p in pairs if p[0] not in held], [p for p in pairs if p[0] in held]


def group_by_source(pairs: list[tuple[str, ...]]) -> dict[str, list[str]]:
    """Every distinct translation of each source sentence: ``{source: [target, ...]}``.

    Sources and their targets keep the order of their first appearance; a target that
    appears twice for the same source is listed once. Use the lists as the references of
    a corpus score (every translation of a sentence counts as right).
    """
    groups: dict[str, list[str]] = {}
    for p in _check_pairs(pairs):
        targets = groups.setdefault(p[0], [])
        if p[1] not in targets:
            targets.append(p[1])
    return groups


def load_translation_split(
    held_out: int | float = 2000, seed: int = 0, max_len: int | None = None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The course's English–Chinese split: ``split_by_source(load_translation_pairs(), ...)``.

    The split is made over all 24,026 pairs and only then filtered by ``max_len``, so a
    sentence held out with one ``max_len`` is held out with every other: lessons that use
    different lengths never train on each other's held-out sentences.

    Args:
        held_out: distinct English sentences held out (an int) or their fraction (a float).
        seed: the split's seed.
        max_len: keep only pairs whose English and Chinese sides have at most ``max_len``
            characters (both parts filtered alike); ``None``: all.

    Returns:
        ``(train, held)``: lists of ``(english, chinese)`` tuples.
    """
    _check_limit("max_len", max_len)
    train, held = split_by_source(load_translation_pairs(), held_out, seed)
    if max_len is not None:
        train = [p for p in train if len(p[0]) <= max_len and len(p[1]) <= max_len]
        held = [p for p in held if len(p[0]) <= max_len and len(p[1]) <= max_len]
    return train, held  # type: ignore[return-value]


# ----------------------------------------------------------------------------------------
# synthetic data: copying and reversing (the bottleneck of one fixed context)
# ----------------------------------------------------------------------------------------
def make_copy_task(
    n: int,
    lengths: tuple[int, int] = (5, 40),
    symbols: str = "abcdefghij",
    reverse: bool = False,
    seed: int = 0,
) -> tuple[list[str], list[str]]:
    """Random strings and their copies (or reversals): a task whose difficulty is its length.

    A model must carry every symbol of the input to the output, so what one fixed-size
    context can hold shows directly as accuracy against length.

    Args:
        n: how many examples.
        lengths: ``(shortest, longest)``, both included; each length is drawn uniformly.
        symbols: the alphabet (distinct characters), each drawn uniformly.
        reverse: targets are the inputs reversed instead of copied.
        seed: the random seed (Python's ``random.Random``: the same data on every machine).

    Returns:
        ``(inputs, targets)``: two lists of ``n`` strings.
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    lo, hi = lengths
    if not (isinstance(lo, (int, np.integer)) and isinstance(hi, (int, np.integer)) and 1 <= lo <= hi):
        raise ValueError(
            f"lengths must be (shortest, longest) with 1 <= shortest <= longest, got {lengths!r}"
        )
    if not symbols or len(set(symbols)) != len(symbols):
        raise ValueError(f"symbols must be a non-empty string of distinct characters, got {symbols!r}")
    rng = random.Random(seed)
    inputs = ["".join(rng.choice(symbols) for _ in range(rng.randint(lo, hi))) for _ in range(n)]
    return inputs, [s[::-1] if reverse else s for s in inputs]


__all__ += ["split_by_source", "group_by_source", "load_translation_split", "make_copy_task"]


# ----------------------------------------------------------------------------------------
# a CJK font for plots of Chinese text (lesson 08)
# ----------------------------------------------------------------------------------------
REGISTRY["cjk_font"] = DataFile(
    "NotoSansSC-subset.ttf",
    "4f1b5f7430bdf1fbc77e25550cfe8df3be9d54ab1e7e1fb7416511a45c94b7cf",
    "Noto Sans SC (SIL OFL 1.1), cut to the characters of the translation pairs; "
    "family 'Noto Sans SC Subset'. Register it with seqkeras.plots.use_cjk_font()",
)


# ----------------------------------------------------------------------------------------
# trained weights: lesson 08's translator after half an hour of training
# ----------------------------------------------------------------------------------------
REGISTRY["translator"] = DataFile(
    "translator_en_zh.npz",
    "244cb9ec54c3afb7bd41c6268bdda003b3880671a4ed06f70899d39c508988df",
    "lesson 08's English -> Chinese attention translator (AttentionSeq2Seq), 8-bit weights and "
    "both vocabularies, made by `make translator`. Load it with seqkeras.pretrained.load_translator()",
)
