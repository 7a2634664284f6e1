"""Regenerate every file in ``data/`` from the raw datasets, then print their sha256s.

This script is how the course's data files were made. It is committed so that anyone can
see, check and repeat the curation; it is NOT run by the tests or by CI, and a learner
never needs it (the curated files are in the repository). It is for maintainers who have
the raw datasets, which are not part of the course, in ``../shared/datasets``. To repair
a damaged or missing file in ``data/``, restore it instead: ``git checkout -- data/FILE``.

Usage, from the repository root::

    python data/curate.py                         # raw files from ../shared/datasets
    python data/curate.py --raw DIR               # raw files from elsewhere
    python data/curate.py --digits WHEEL_OR_CSV   # digits from a scikit-learn wheel (or the csv.gz)
    python data/curate.py --co2 WHEEL_OR_CSV      # CO2 series from a statsmodels wheel (or its co2.csv)
    python data/curate.py --only co2_weekly.csv.gz --co2 WHEEL   # remake one file only (no raw files needed)
    python data/curate.py --only NotoSansSC-subset.ttf --font WHEEL   # remake the font only
    python data/curate.py --check                 # only print the sha256s of the files now in data/

Without ``--digits`` the script runs ``pip download --no-deps scikit-learn`` into a
temporary folder (the only step that needs the network) and takes
``sklearn/datasets/data/digits.csv.gz`` out of the wheel. The project does not depend on
scikit-learn. In the same way, without ``--co2`` it runs ``pip download --no-deps
statsmodels`` and takes ``statsmodels/datasets/co2/co2.csv`` out of that wheel (the project
does not depend on statsmodels either); ``--co2`` takes a wheel you downloaded yourself
(e.g. ``pip download --no-deps statsmodels -d /tmp/sm``) or the extracted ``co2.csv``.
``--only`` remakes just the named output files, so the two wheel-based files can be
regenerated without the raw datasets.

The Chinese side of the translation pairs is converted to simplified characters with
OpenCC's ``t2s`` conversion (the ``opencc`` package from PyPI, version 1.4.2 made the
committed file; ``pip install opencc``). It is needed by this script only, not by the course.

The raw inputs (see ``../shared/datasets/README.md``) are:

- ``tinyshakespeare.txt``      -> ``shakespeare.txt``            (copied byte for byte)
- ``eng-cmn.tsv``              -> ``eng_cmn.tsv.gz``             (strip, NFC, to simplified Chinese)
- ``rotten_tomatoes.csv.bz2``  -> ``polarity.tsv.gz``            (plot rows dropped, deduplicated)
- ``brown-corpus.tgz``         -> ``brown_universal.txt.gz``     (raw Brown tags -> 12 universal tags)
- scikit-learn's digits        -> ``digits.csv.gz``              (copied byte for byte)
- statsmodels' ``co2.csv``     -> ``co2_weekly.csv.gz``          (ISO dates; gaps kept empty)
- Noto Sans SC (and TC)        -> ``NotoSansSC-subset.ttf``      (cut to the characters of ``eng_cmn.tsv.gz``)

The font is cut from the Noto Sans SC and TC fonts of the PyPI package
``justmytype-intl-cjk`` 0.1.0 (``pip download --no-deps justmytype-intl-cjk``, or pass the
wheel with ``--font WHEEL``) with fontTools (``pip install fonttools``; 4.68.0 made the
committed file). Both are needed by this script only: the course reads the finished ``.ttf``
with matplotlib alone. The font needs ``eng_cmn.tsv.gz`` in the output folder first.

Every ``.gz`` file is written with a fixed header (no file name, mtime 0) so that running
the script twice gives byte-identical files and the same sha256s. After regenerating,
copy the printed sha256s into ``seqkeras/data.py`` (``REGISTRY``) and ``data/README.md``
if they changed; ``tests/test_data.py`` checks that the two agree.
"""

from __future__ import annotations

import argparse
import bz2
import collections
import csv
import datetime
import gzip
import hashlib
import io
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent  # data/
DEFAULT_RAW = HERE.parent.parent / "shared" / "datasets"

#: sha256 of the raw inputs, as listed in shared/datasets/README.md (a warning if they differ).
RAW_SHA256 = {
    "brown-corpus.tgz": "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2",
    "eng-cmn.tsv": "6d9734ce952db2b694ac8a6abae52b445f8dbc6a599959b0971a2bc74eec1918",
    "rotten_tomatoes.csv.bz2": "26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5",
    "tinyshakespeare.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
}

OUTPUTS = (
    "shakespeare.txt",
    "eng_cmn.tsv.gz",
    "polarity.tsv.gz",
    "brown_universal.txt.gz",
    "digits.csv.gz",
    "co2_weekly.csv.gz",
    "NotoSansSC-subset.ttf",
)

# --------------------------------------------------------------------------------------
# Brown corpus tags -> the 12 universal tags of Petrov, Das & McDonald (2012)
# --------------------------------------------------------------------------------------
#: Base Brown tags (suffixes removed) and their universal tag. The choices follow the
#: ``en-brown.map`` that NLTK uses for ``brown.tagged_sents(tagset="universal")``, as far as
#: its published tag counts let us check (see data/README.md): subordinating conjunctions
#: (CS) are ADP; pre-quantifiers ABL/ABN ("quite", "all") are PRT but ABX ("both") is DET;
#: post-determiners (AP: "many", "next") and ordinals (OD) are ADJ; possessive determiners
#: (PP$: "his", "their") are DET while the standalone possessives (PP$$: "mine") are PRON;
#: nominal pronouns (PN: "everybody") are NOUN; existential "there" (EX) and interjections
#: (UH) are PRT; the negator * ("not", "n't") is ADV.
BROWN_TO_UNIVERSAL = {
    # punctuation
    ".": ".",
    ",": ".",
    ":": ".",
    "(": ".",
    ")": ".",
    "--": ".",
    "'": ".",
    "''": ".",
    "``": ".",
    # determiners, articles, quantifiers
    "AT": "DET",
    "ABX": "DET",
    "DT": "DET",
    "DTI": "DET",
    "DTS": "DET",
    "DTX": "DET",
    "WDT": "DET",
    "PP$": "DET",
    "ABL": "PRT",
    "ABN": "PRT",
    # adjectives (post-determiners and ordinals included)
    "JJ": "ADJ",
    "JJR": "ADJ",
    "JJS": "ADJ",
    "JJT": "ADJ",
    "AP": "ADJ",
    "OD": "ADJ",
    # adverbs (qualifiers and the negator included)
    "RB": "ADV",
    "RBR": "ADV",
    "RBT": "ADV",
    "RN": "ADV",
    "QL": "ADV",
    "QLP": "ADV",
    "WQL": "ADV",
    "WRB": "ADV",
    "*": "ADV",
    # particles
    "RP": "PRT",
    "TO": "PRT",
    "EX": "PRT",
    "UH": "PRT",
    # conjunctions and adpositions
    "CC": "CONJ",
    "CS": "ADP",
    "IN": "ADP",
    # numbers
    "CD": "NUM",
    # nouns (proper, plural, adverbial nouns, nominal pronouns)
    "NN": "NOUN",
    "NNS": "NOUN",
    "NP": "NOUN",
    "NPS": "NOUN",
    "NR": "NOUN",
    "NRS": "NOUN",
    "PN": "NOUN",
    # pronouns
    "PP$$": "PRON",
    "PPL": "PRON",
    "PPLS": "PRON",
    "PPO": "PRON",
    "PPS": "PRON",
    "PPSS": "PRON",
    "WP$": "PRON",
    "WPO": "PRON",
    "WPS": "PRON",
    # verbs: be, do, have, modals, lexical verbs
    "BE": "VERB",
    "BED": "VERB",
    "BEDZ": "VERB",
    "BEG": "VERB",
    "BEM": "VERB",
    "BEN": "VERB",
    "BER": "VERB",
    "BEZ": "VERB",
    "DO": "VERB",
    "DOD": "VERB",
    "DOZ": "VERB",
    "HV": "VERB",
    "HVD": "VERB",
    "HVG": "VERB",
    "HVN": "VERB",
    "HVZ": "VERB",
    "MD": "VERB",
    "VB": "VERB",
    "VBD": "VERB",
    "VBG": "VERB",
    "VBN": "VERB",
    "VBZ": "VERB",
    # other
    "NIL": "X",
}
UNIVERSAL_TAGS = ("NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "CONJ", "PRT", ".", "X")


def universal_tag(raw: str) -> str:
    """Map one raw Brown tag (e.g. ``np$-tl``, ``pps+bez``, ``fw-nn``) to a universal tag.

    Rules, in order: foreign words (``FW-...``) are X; a compound tag (``PPS+BEZ``, a
    contraction such as "he's") takes its first part; the suffixes ``-TL`` (title),
    ``-HL`` (headline) and ``-NC`` (cited word) are dropped; a trailing ``*`` (negated:
    "wasn't") is dropped; if the result is unknown, a trailing ``$`` (possessive) is dropped.
    """
    tag = raw.upper()
    if tag.startswith("FW-"):
        return "X"
    tag = tag.split("+")[0]
    tag = "--" if tag.startswith("--") else tag.split("-")[0]
    if len(tag) > 1 and tag.endswith("*"):
        tag = tag[:-1]
    if tag not in BROWN_TO_UNIVERSAL and tag.endswith("$"):
        tag = tag[:-1]
    return BROWN_TO_UNIVERSAL[tag]  # KeyError = a tag the rules do not cover: fix the table


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_gzip(path: Path, text: str) -> None:
    """Write UTF-8 text gzipped, reproducibly (no file name or time in the header)."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def clean(text: str) -> str:
    """NFC-normalise, turn tabs/newlines into spaces, collapse runs of spaces, strip."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def check_raw(raw: Path) -> None:
    for name, expected in RAW_SHA256.items():
        path = raw / name
        if not path.exists():
            sys.exit(
                f"missing raw file {path}. This script is for maintainers who have the raw "
                "datasets (in ../shared/datasets, or pass --raw DIR); they are not part of "
                "the course. To repair a file in data/, restore it instead: "
                "git checkout -- data/FILE (or download the course again)."
            )
        if sha256(path) != expected:
            print(f"WARNING: {name} differs from the version the datasheet describes", file=sys.stderr)


# --------------------------------------------------------------------------------------
# one function per output file
# --------------------------------------------------------------------------------------
def make_shakespeare(raw: Path, out: Path) -> str:
    data = (raw / "tinyshakespeare.txt").read_bytes()
    (out / "shakespeare.txt").write_bytes(data)
    n_lines = data.count(b"\n")
    return f"{len(data):,} characters, {n_lines:,} lines"


def to_simplified() -> Callable[[str], str]:
    """OpenCC's traditional -> simplified conversion (``t2s``), as a function of a string."""
    try:
        import opencc
    except ImportError:
        sys.exit(
            "the translation pairs need OpenCC to convert traditional characters to simplified: "
            "pip install opencc (used by this script only, not by the course)"
        )
    converter = opencc.OpenCC("t2s")
    return converter.convert


def make_eng_cmn(raw: Path, out: Path) -> str:
    """Strip and NFC-normalise every field; write the Chinese side in simplified characters.

    About half of the Tatoeba translations are written (at least partly) in traditional
    characters, the rest in simplified, so the same word had two spellings ("這個" and
    "这个"); a model would have to learn both, and a reference could be in the other script
    than its output. The raw file keeps the original script.
    """
    simplify = to_simplified()
    rows, changed = [], 0
    with open(raw / "eng-cmn.tsv", encoding="utf-8", newline="") as f:
        for line in f:
            eng, cmn, attribution = line.rstrip("\r\n").split("\t")
            eng = unicodedata.normalize("NFC", eng.strip())
            cmn = unicodedata.normalize("NFC", cmn.strip())
            simple = unicodedata.normalize("NFC", simplify(cmn))
            changed += simple != cmn
            attribution = attribution.strip()
            if eng and cmn:
                rows.append(f"{eng}\t{simple}\t{attribution}\n")
    write_gzip(out / "eng_cmn.tsv.gz", "english\tchinese\tattribution\n" + "".join(rows))
    chars = {ch for row in rows for ch in row.split("\t")[1]}
    return (
        f"{len(rows):,} pairs; {changed:,} Chinese sides converted to simplified characters; "
        f"{len(chars):,} distinct Chinese-side characters"
    )


def make_polarity(raw: Path, out: Path) -> str:
    seen: dict[str, int] = {}
    with bz2.open(raw / "rotten_tomatoes.csv.bz2", "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["category"] == "plot":
                continue
            label = {"fresh": 1, "rotten": 0}[row["category"]]
            text = clean(row["text"])
            if text and text not in seen:  # exact duplicates: keep the first
                seen[text] = label
    rows = list(seen.items())
    random.Random(0).shuffle(rows)  # so that any slice has both classes mixed
    write_gzip(
        out / "polarity.tsv.gz", "label\ttext\n" + "".join(f"{label}\t{text}\n" for text, label in rows)
    )
    pos = sum(label for _, label in rows)
    return f"{len(rows):,} snippets ({pos:,} fresh=1, {len(rows) - pos:,} rotten=0)"


def make_brown(raw: Path, out: Path) -> str:
    lines, tags, news = [], collections.Counter(), collections.Counter()
    with tarfile.open(raw / "brown-corpus.tgz") as tar:
        members = sorted(
            (
                m
                for m in tar.getmembers()
                if m.isfile()
                and len(Path(m.name).name) == 4
                and Path(m.name).name[0] == "c"
                and Path(m.name).name[2:].isdigit()
            ),
            key=lambda m: Path(m.name).name,
        )
        for member in members:
            is_news = Path(member.name).name[1] == "a"  # ca01..ca44 = news
            text = tar.extractfile(member).read().decode("utf-8")
            for line in text.splitlines():
                tokens = line.split()
                if not tokens:
                    continue
                out_tokens = []
                for token in tokens:
                    word, _, raw_tag = token.rpartition("/")
                    tag = universal_tag(raw_tag)
                    tags[tag] += 1
                    news[tag] += is_news
                    out_tokens.append(f"{word}/{tag}")
                lines.append(" ".join(out_tokens) + "\n")
    write_gzip(out / "brown_universal.txt.gz", "".join(lines))
    total = sum(tags.values())
    dist = ", ".join(f"{t} {n:,} ({n / total:.1%})" for t, n in tags.most_common())
    news_dist = ", ".join(f"{t} {n:,}" for t, n in news.most_common())
    return (
        f"{len(members)} files, {len(lines):,} sentences, {total:,} tokens\n"
        f"    tags: {dist}\n    news category only: {news_dist}"
    )


def make_digits(digits: Path | None, out: Path) -> str:
    inner = "sklearn/datasets/data/digits.csv.gz"
    with tempfile.TemporaryDirectory() as tmp:
        if digits is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "scikit-learn", "-d", tmp],
                check=True,
            )
            digits = next(Path(tmp).glob("scikit_learn-*.whl"))
        if digits.suffix == ".whl":
            data = zipfile.ZipFile(digits).read(inner)
        else:
            data = digits.read_bytes()
    rows = gzip.decompress(data).decode("ascii").split()
    assert len(rows) == 1797 and all(len(r.split(",")) == 65 for r in rows), "unexpected digits file"
    (out / "digits.csv.gz").write_bytes(data)
    return f"{len(rows):,} images of 8x8 pixels (+1 label column)"


def make_co2(co2: Path | None, out: Path) -> str:
    """Mauna Loa weekly CO2 (1958-2001) from statsmodels' wheel -> ``co2_weekly.csv.gz``.

    statsmodels' ``co2.csv`` has one row per week (every Saturday), ``YYYYMMDD,value`` with
    an empty value for the 59 weeks without a measurement. We check it against the raw
    Scripps file shipped beside it (``src/maunaloa_c.dat``): the same 2,225 values, all
    with flag 0, and no row there for the empty weeks. We write ISO dates and keep the
    values as they are (one decimal, ppm) and the empty weeks empty.
    """
    inner = "statsmodels/datasets/co2/"
    with tempfile.TemporaryDirectory() as tmp:
        if co2 is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "statsmodels", "-d", tmp],
                check=True,
            )
            co2 = next(Path(tmp).glob("statsmodels-*.whl"))
        raw_dat = None
        if co2.suffix == ".whl":
            with zipfile.ZipFile(co2) as wheel:
                text = wheel.read(inner + "co2.csv").decode("ascii")
                raw_dat = wheel.read(inner + "src/maunaloa_c.dat").decode("ascii")
        else:
            text = co2.read_text(encoding="ascii")
    header, *rows = text.split()
    assert header == "date,co2", f"unexpected header {header!r}"
    lines, measured = [], {}
    previous = None
    for row in rows:
        date, value = row.split(",")
        day = datetime.date(int(date[:4]), int(date[4:6]), int(date[6:]))
        assert previous is None or (day - previous).days == 7, f"not weekly at {date}"
        assert value == "" or re.fullmatch(r"\d{3}\.\d", value), f"unexpected value {value!r}"
        previous = day
        if value:
            measured[date] = value
        lines.append(f"{day.isoformat()},{value}\n")
    if raw_dat is not None:  # the same numbers as the raw Scripps file, and no invented weeks
        raw = {}
        for line in raw_dat.splitlines():
            if line.startswith("MLO"):
                _, yymmdd, _weight, flag, value = line.split()
                century = "19" if int(yymmdd[:2]) >= 58 else "20"
                assert flag == "0", f"flagged raw row {line!r}"
                raw[century + yymmdd] = float(value)
        assert raw == {d: float(v) for d, v in measured.items()}, "co2.csv differs from maunaloa_c.dat"
    write_gzip(out / "co2_weekly.csv.gz", "date,co2_ppm\n" + "".join(lines))
    return (
        f"{len(lines):,} weeks {lines[0][:10]} to {lines[-1][:10]}, {len(measured):,} measured, "
        f"{len(lines) - len(measured)} without a measurement"
        + ("; equal to src/maunaloa_c.dat" if raw_dat is not None else "")
    )


# --------------------------------------------------------------------------------------
# a CJK font for the plots (lesson 08): Noto Sans SC, cut to the characters of the data
# --------------------------------------------------------------------------------------
FONT_WHEEL = "justmytype-intl-cjk"
FONT_IN_WHEEL = "justmytype_intl_cjk/fonts/ofl/notosans{}/NotoSans{}[wght].ttf"
#: The family name of the cut font, so that it never passes for a full Noto Sans SC.
FONT_FAMILY = "Noto Sans SC Subset"
#: Characters beyond the data's that a plot of tokens may want: printable ASCII, the middle
#: dot, dashes, curly quotes, the ellipsis, CJK punctuation and full-width ASCII forms.
FONT_EXTRA = (
    {chr(c) for c in range(0x20, 0x7F)}
    | set("·–—‘’“”…␣")
    | {chr(c) for c in range(0x3000, 0x3040)}
    | {chr(c) for c in range(0xFF01, 0xFF5F)}
)


def chinese_characters(out: Path) -> set[str]:
    """Every character of the Chinese side of ``eng_cmn.tsv.gz`` (simplified, as curated)."""
    text = gzip.decompress((out / "eng_cmn.tsv.gz").read_bytes()).decode("utf-8")
    return {ch for line in text.split("\n")[1:] if line for ch in line.split("\t")[1]}


def make_cjk_font(wheel: Path | None, out: Path) -> str:
    """Cut Noto Sans SC to the characters the course shows, at the regular weight (400).

    Steps (fontTools): keep the glyphs of the Chinese side of ``eng_cmn.tsv.gz`` plus
    :data:`FONT_EXTRA` (no hinting, no OpenType layout features: matplotlib uses neither);
    fix the variable ``wght`` axis at 400; take any character Noto Sans SC lacks from Noto
    Sans TC of the same wheel (same designers and metrics; one Extension B character,
    U+21861); map invisible format characters of the data (the zero-width space U+200B) to
    an empty glyph of zero width; name the family :data:`FONT_FAMILY`. The font's
    licence (SIL OFL 1.1, Reserved Font Name "Source", not used) is copied beside it.
    """
    try:
        from fontTools import subset
        from fontTools.merge import Merger
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.tables._g_l_y_f import Glyph
        from fontTools.varLib import instancer
    except ImportError:
        sys.exit("the CJK font is cut with fontTools: pip install fonttools (for this script only)")
    wanted = chinese_characters(out) | FONT_EXTRA
    invisible = {ch for ch in wanted if unicodedata.category(ch) == "Cf"}
    wanted -= invisible
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", FONT_WHEEL, "-d", tmp],
                check=True,
            )
            wheel = next(tmp.glob("justmytype_intl_cjk-*.whl"))
        parts, todo, stamp = [], {ord(ch) for ch in wanted}, 0
        with zipfile.ZipFile(wheel) as zf:
            licence = zf.read("justmytype_intl_cjk/fonts/ofl/notosanssc/OFL.txt")
            for short, name in (("sc", "SC"), ("tc", "TC")):
                if not todo:
                    break
                font = TTFont(io.BytesIO(zf.read(FONT_IN_WHEEL.format(short, name))), recalcTimestamp=False)
                have = todo & set(font.getBestCmap())
                options = subset.Options()
                options.hinting = False
                options.layout_features = []
                options.name_IDs = ["*"]
                options.notdef_outline = True
                cutter = subset.Subsetter(options)
                cutter.populate(unicodes=have)
                cutter.subset(font)
                stamp = stamp or font["head"].created  # the source's date, not today's
                font = instancer.instantiateVariableFont(font, {"wght": 400})
                font.recalcTimestamp = False
                part = tmp / f"{short}.ttf"
                font.save(part)
                parts.append((name, part, len(have)))
                todo -= have
        required = todo & {ord(ch) for ch in chinese_characters(out)}
        if required:  # an extra character that neither has is only left out
            missing = ", ".join(f"U+{c:04X}" for c in sorted(required))
            sys.exit(f"neither Noto Sans SC nor TC has {missing}: choose another font or drop the characters")
        font = Merger().merge([str(p) for _, p, _ in parts]) if len(parts) > 1 else TTFont(parts[0][1])
    font.recalcTimestamp = False  # so that running the script twice gives the same bytes
    font["head"].created = font["head"].modified = stamp
    if invisible:  # an empty glyph of zero width, so that a zero-width space draws as nothing
        font["glyf"].glyphs["zerowidth"] = Glyph()
        font["hmtx"].metrics["zerowidth"] = (0, 0)
        if "vmtx" in font:
            font["vmtx"].metrics["zerowidth"] = (0, 0)
        font.setGlyphOrder(font.getGlyphOrder() + ["zerowidth"])
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap.update({ord(ch): "zerowidth" for ch in invisible})
    names = font["name"]
    for name_id in {16, 17, 21, 22, 25} | {n.nameID for n in names.names if n.nameID > 255}:
        names.removeNames(nameID=name_id)  # typographic and variation names of the source
    version = names.getDebugName(5).split(";")[0]
    for name_id, value in (
        (1, FONT_FAMILY),
        (2, "Regular"),
        (3, f"{version};NotoSansSCSubset-Regular;seqkeras"),
        (4, f"{FONT_FAMILY} Regular"),
        (6, "NotoSansSCSubset-Regular"),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.removeNames(nameID=name_id, platformID=1)
    font["OS/2"].usWeightClass = 400
    target = out / "NotoSansSC-subset.ttf"
    font.save(target)
    (out / "NotoSansSC-OFL.txt").write_bytes(licence)
    n_cmap = len(TTFont(target).getBestCmap())
    taken = "; ".join(f"{n:,} characters from Noto Sans {name}" for name, _, n in parts)
    skipped = "".join(chr(c) for c in sorted(todo))
    return (
        f"{n_cmap:,} characters ({taken}; {len(invisible)} invisible; extras in neither: {skipped!r}), "
        f"{target.stat().st_size:,} bytes; licence in NotoSansSC-OFL.txt"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of the raw datasets")
    parser.add_argument(
        "--digits",
        type=Path,
        default=None,
        help="a scikit-learn wheel, or its digits.csv.gz (default: pip download)",
    )
    parser.add_argument(
        "--co2", type=Path, default=None, help="a statsmodels wheel, or its co2.csv (default: pip download)"
    )
    parser.add_argument(
        "--font", type=Path, default=None, help="a justmytype-intl-cjk wheel (default: pip download)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=OUTPUTS,
        default=None,
        metavar="FILE",
        help="remake only these output files (e.g. co2_weekly.csv.gz)",
    )
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: data/)")
    parser.add_argument("--check", action="store_true", help="only print the current sha256s")
    args = parser.parse_args(argv)

    if not args.check:
        needs_raw = {"shakespeare.txt", "eng_cmn.tsv.gz", "polarity.tsv.gz", "brown_universal.txt.gz"}
        if args.only is None or needs_raw & set(args.only):
            check_raw(args.raw)
        args.out.mkdir(parents=True, exist_ok=True)
        for name, make in [
            ("shakespeare.txt", lambda: make_shakespeare(args.raw, args.out)),
            ("eng_cmn.tsv.gz", lambda: make_eng_cmn(args.raw, args.out)),
            ("polarity.tsv.gz", lambda: make_polarity(args.raw, args.out)),
            ("brown_universal.txt.gz", lambda: make_brown(args.raw, args.out)),
            ("digits.csv.gz", lambda: make_digits(args.digits, args.out)),
            ("co2_weekly.csv.gz", lambda: make_co2(args.co2, args.out)),
            ("NotoSansSC-subset.ttf", lambda: make_cjk_font(args.font, args.out)),
        ]:
            if args.only is None or name in args.only:
                print(f"{name}: {make()}")
        print()
    for name in args.only or OUTPUTS:
        path = args.out / name
        if not path.exists():
            print(f"{'(missing)':64}  {name}")
            continue
        print(f"{sha256(path)}  {name}  ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
