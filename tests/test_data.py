"""Tests for seqkeras.data: the checksummed loaders, their errors, and make_dates."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from seqkeras import data

SHA_OF = {entry.filename: entry.sha256 for entry in data.REGISTRY.values()}

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Every test starts with no file marked as verified, whatever ran before it."""
    monkeypatch.setattr(data, "_VERIFIED", set())


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that SEQKERAS_DATA points at, to damage freely."""
    copy = tmp_path / "data"
    copy.mkdir()
    for entry in data.REGISTRY.values():
        shutil.copy(data.DATA_DIR / entry.filename, copy / entry.filename)
    monkeypatch.setenv(data.DATA_ENV, str(copy))
    return copy


# ------------------------------------------------------------------------------ registry
def test_data_dir_is_the_repository_data_folder(monkeypatch):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    assert data.DATA_DIR == REPO / "data"
    assert data.data_dir() == REPO / "data"


def test_every_registered_file_verifies():
    for name, entry in data.REGISTRY.items():
        assert data.verify(name).name == entry.filename
        assert data.verify(entry.filename) == data.verify(name)  # the file name works too
    assert data.verify() == data.data_dir()


def test_readme_lists_the_registry_sha256s():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    listed = dict((name, sha) for sha, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M))
    expected = {entry.filename: entry.sha256 for entry in data.REGISTRY.values()}
    assert listed == expected


def test_data_folder_stays_small():
    total = sum(p.stat().st_size for p in (REPO / "data").iterdir() if p.is_file())
    assert total < 10_000_000, f"data/ is {total / 1e6:.1f} MB; keep it under 10 MB"


def test_unknown_dataset_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="polarity"):
        data.verify("imdb")


# ------------------------------------------------------------------------------ damage
def test_corrupted_file_names_the_file_and_the_fix(data_copy):
    target = data_copy / "polarity.tsv.gz"
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(data.DataFileError) as err:
        data.load_polarity()
    message = str(err.value)
    assert "polarity.tsv.gz" in message and "corrupted" in message
    assert "git checkout -- data/polarity.tsv.gz" in message
    assert "curate.py" in message and data.DATA_ENV in message
    assert "Unset SEQKERAS_DATA" in message  # read from SEQKERAS_DATA: unsetting is the first fix


def test_missing_file_names_the_file_and_the_fix(data_copy):
    (data_copy / "shakespeare.txt").unlink()
    with pytest.raises(data.DataFileError, match=r"shakespeare\.txt is missing") as err:
        data.load_shakespeare()
    assert "git checkout -- data/shakespeare.txt" in str(err.value)


def test_file_changed_after_a_good_load_is_caught(data_copy):
    assert data.load_shakespeare(max_chars=5) == "First"
    target = data_copy / "shakespeare.txt"
    target.write_text(target.read_text() + "extra line\n")  # new size: re-checked
    with pytest.raises(data.DataFileError, match="shakespeare.txt"):
        data.load_shakespeare()
    with pytest.raises(data.DataFileError):
        data.verify("shakespeare", force=True)


def test_verification_is_cached(monkeypatch):
    data.verify("digits")
    calls = []
    real = data.hashlib.sha256
    monkeypatch.setattr(data.hashlib, "sha256", lambda *a: calls.append(1) or real(*a))
    data.load_digits()
    assert calls == []
    data.verify("digits", force=True)
    assert calls == [1]


# ------------------------------------------------------------------------------ loaders
def test_load_shakespeare():
    text = data.load_shakespeare()
    assert isinstance(text, str) and len(text) == 1_115_394
    assert text.startswith("First Citizen:\n")
    assert len(set(text)) == 65
    assert data.load_shakespeare(max_chars=100) == text[:100]


def test_load_translation_pairs():
    pairs = data.load_translation_pairs()
    assert len(pairs) == 24_026
    assert all(isinstance(p, tuple) and len(p) == 2 for p in pairs)
    assert pairs[0] == ("Hi.", "嗨。")
    assert all(e and c for e, c in pairs)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in pairs[100][1])  # the second side is Chinese


def test_load_translation_pairs_options():
    short = data.load_translation_pairs(max_len=10)
    assert len(short) == 225
    assert all(len(e) <= 10 and len(c) <= 10 for e, c in short)
    assert len(data.load_translation_pairs(max_len=20, max_pairs=50)) == 50
    with_attr = data.load_translation_pairs(max_pairs=3, with_attribution=True)
    assert all(len(p) == 3 and "tatoeba.org" in p[2] for p in with_attr)


def test_load_polarity():
    texts, labels = data.load_polarity()
    assert len(texts) == labels.shape[0] == 12_752
    assert labels.dtype == np.int64 and set(np.unique(labels)) == {0, 1}
    assert int(labels.sum()) == 7_368
    assert len(set(texts)) == len(texts)  # duplicates were removed
    assert all(isinstance(t, str) and t and "\t" not in t for t in texts)
    # shuffled once at curation: the first thousand already mix both classes
    assert 0.45 < labels[:1000].mean() < 0.70
    small_texts, small_labels = data.load_polarity(max_examples=10)
    assert small_texts == texts[:10] and small_labels.shape == (10,)


def test_load_brown_universal():
    sentences = data.load_brown_universal()
    assert len(sentences) == 57_340
    assert sum(len(s) for s in sentences) == 1_161_192
    assert sentences[0][:3] == [("The", "DET"), ("Fulton", "NOUN"), ("County", "NOUN")]
    tags = {tag for s in sentences[:2000] for _, tag in s}
    assert tags <= set(data.UNIVERSAL_TAGS) and len(tags) >= 11
    assert len(data.load_brown_universal(max_sentences=7)) == 7


def test_load_digits():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    assert images.min() == 0 and images.max() == 16
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert set(labels.tolist()) == set(range(10))
    assert labels[:10].tolist() == list(range(10))


# ------------------------------------------------------------------------------ dates
def test_make_dates_is_deterministic_and_valid():
    human, iso = data.make_dates(500, seed=3)
    assert (human, iso) == data.make_dates(500, seed=3)
    assert human != data.make_dates(500, seed=4)[0]
    assert len(human) == len(iso) == 500
    first, last = data.DATE_RANGE
    for h, i in zip(human, iso):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", i)
        date = dt.date.fromisoformat(i)
        assert first <= date <= last
        assert str(date.day) in h and (str(date.year) in h)


def test_make_dates_uses_every_format_and_fixed_values():
    human, iso = data.make_dates(400)
    assert len(set(iso)) > 390
    # each format appears (recognised by its shape)
    patterns = [
        r"[a-z]+day, [a-z]+ \d+ \d{4}",
        r"\d+ [a-z]{3} \d{4}",
        r"[A-Z][a-z]+ \d+, \d{4}",
        r"\d+ [A-Z][a-z]+ \d{4}",
        r"[A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d{4}",
        r"[a-z]+ \d+(st|nd|rd|th), \d{4}",
        r"\d{2}\.\d{2}\.\d{4}",
        r"\d+ [A-Z]{3} \d{4}",
    ]
    for p in patterns:
        assert any(re.fullmatch(p, h) for h in human), p


@pytest.mark.parametrize(
    "key, expected",
    [
        ("tuesday, march 3 1998", "tuesday, march 3 1998"),
        ("3 mar 1998", "3 mar 1998"),
        ("March 3, 1998", "March 3, 1998"),
        ("3 March 1998", "3 March 1998"),
        ("Tue 3 Mar 1998", "Tue 3 Mar 1998"),
        ("march 3rd, 1998", "march 3rd, 1998"),
        ("03.03.1998", "03.03.1998"),
        ("3 MAR 1998", "3 MAR 1998"),
    ],
)
def test_date_formats_write_their_own_example(key, expected):
    assert data.DATE_FORMATS[key](dt.date(1998, 3, 3)) == expected


def test_date_ordinals():
    fmt = data.DATE_FORMATS["march 3rd, 1998"]
    days = {
        1: "1st",
        2: "2nd",
        3: "3rd",
        4: "4th",
        11: "11th",
        12: "12th",
        13: "13th",
        21: "21st",
        22: "22nd",
        23: "23rd",
        31: "31st",
    }
    for day, text in days.items():
        assert fmt(dt.date(2000, 1, day)) == f"january {text}, 2000"


def test_make_dates_options_and_bad_input():
    human, _ = data.make_dates(20, formats=["03.03.1998"])
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", h) for h in human)
    assert data.make_dates(0) == ([], [])
    with pytest.raises(ValueError, match="n must be"):
        data.make_dates(-1)
    with pytest.raises(ValueError, match="n must be"):
        data.make_dates(2.5)
    with pytest.raises(ValueError, match="unknown date format"):
        data.make_dates(3, formats=["yyyy/mm/dd"])


# ------------------------------------------------------------------------------ curation
def test_brown_tag_rules_in_curate_script():
    """The raw-tag rules of data/curate.py (the script itself is not run in CI)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("curate", REPO / "data" / "curate.py")
    curate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(curate)
    cases = {
        "at": "DET",
        "np-tl": "NOUN",
        "np$": "NOUN",
        "nn-tl-hl": "NOUN",
        "pps+bez": "PRON",
        "md*": "VERB",
        "fw-nn": "X",
        "fw-in+at-t": "X",
        "---hl": ".",
        "--": ".",
        "*": "ADV",
        "pp$": "DET",
        "pp$$": "PRON",
        "cs": "ADP",
        "ex": "PRT",
        "uh": "PRT",
        "nil": "X",
        "vb+ppo": "VERB",
        "ppss+ber-n": "PRON",
        "``": ".",
        "od": "ADJ",
        "cd$": "NUM",
    }
    for raw, expected in cases.items():
        assert curate.universal_tag(raw) == expected, raw
    assert set(curate.BROWN_TO_UNIVERSAL.values()) == set(data.UNIVERSAL_TAGS)
    assert curate.UNIVERSAL_TAGS == data.UNIVERSAL_TAGS


@pytest.mark.parametrize(
    "loader, option",
    [
        (data.load_shakespeare, "max_chars"),
        (data.load_translation_pairs, "max_len"),
        (data.load_translation_pairs, "max_pairs"),
        (data.load_polarity, "max_examples"),
        (data.load_brown_universal, "max_sentences"),
    ],
)
def test_loader_limits_are_checked(loader, option):
    with pytest.raises(ValueError, match=f"{option} must be None"):
        loader(**{option: -1})
    with pytest.raises(ValueError, match=f"{option} must be None"):
        loader(**{option: 2.5})


def test_zero_limits_give_empty_results():
    assert data.load_translation_pairs(max_pairs=0) == []
    texts, labels = data.load_polarity(max_examples=0)
    assert texts == [] and labels.shape == (0,)
    assert data.load_brown_universal(max_sentences=0) == []


# ------------------------------------------------------------------------------ issue 7: bad input
def test_missing_file_message_leads_with_the_learner_fix(monkeypatch, tmp_path):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)  # the course's folder, file deleted
    with pytest.raises(data.DataFileError) as err:
        data.load_digits()
    message = str(err.value)
    assert message.startswith(f"data file digits.csv.gz is missing: expected it at {tmp_path}")
    fix = message.index("To restore it, run `git checkout -- data/digits.csv.gz`")
    maintainers = message.index("curate.py")
    assert fix < maintainers  # the learner's fix comes first
    assert "download the course again" in message
    assert "maintainers" in message and "../shared/datasets" in message
    assert "a learner never needs it" in message
    assert data.DATA_ENV not in message  # not set: not mentioned


def test_missing_data_folder_says_download_the_course(monkeypatch, tmp_path):
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "gone")
    with pytest.raises(
        data.DataFileError,
        match=r"the course's data/ folder is missing.*download "
        r"the course again, or set SEQKERAS_DATA",
    ):
        data.verify("digits")


@pytest.mark.parametrize(
    "setup, problem",
    [
        (lambda d: d / "nowhere", "a folder that does not exist"),
        (lambda d: (d / "a_file.txt").write_text("x") and d / "a_file.txt", "which is a file, not a folder"),
        (lambda d: d, "a folder that holds none of the course's data files"),
    ],
)
def test_bad_seqkeras_data_names_the_variable(tmp_path, monkeypatch, setup, problem):
    target = setup(tmp_path)
    monkeypatch.setenv(data.DATA_ENV, str(target))
    with pytest.raises(data.DataFileError) as err:
        data.load_digits()
    message = str(err.value)
    assert message.startswith(f"$SEQKERAS_DATA is set to {str(target)!r}, {problem}")
    assert "unset SEQKERAS_DATA" in message and "del os.environ['SEQKERAS_DATA']" in message


def test_seqkeras_data_with_some_files_names_the_missing_one(data_copy):
    (data_copy / "digits.csv.gz").unlink()
    with pytest.raises(data.DataFileError) as err:
        data.load_digits()
    message = str(err.value)
    assert message.startswith("data file digits.csv.gz is missing")
    assert f"read from $SEQKERAS_DATA={str(data_copy)!r}" in message
    assert "Unset SEQKERAS_DATA" in message and "git checkout -- data/digits.csv.gz" in message
    assert data.load_shakespeare(max_chars=5) == "First"  # the others still load


def test_empty_seqkeras_data_counts_as_unset(monkeypatch):
    monkeypatch.setenv(data.DATA_ENV, "")
    assert data.data_dir() == data.DATA_DIR
    assert data.path("digits") == data.DATA_DIR / "digits.csv.gz"


def test_path_is_not_verified(data_copy):
    (data_copy / "digits.csv.gz").write_text("garbage")
    assert data.path("digits") == data_copy / "digits.csv.gz"
    assert data.path("digits.csv.gz") == data_copy / "digits.csv.gz"
    with pytest.raises(KeyError):
        data.path("imdb")


def test_a_folder_in_place_of_a_file(data_copy):
    (data_copy / "digits.csv.gz").unlink()
    (data_copy / "digits.csv.gz").mkdir()
    with pytest.raises(data.DataFileError, match="digits.csv.gz is not a file"):
        data.load_digits()


def test_unknown_dataset_message_lists_every_name():
    with pytest.raises(KeyError) as err:
        data.verify("imdb")
    assert err.value.args[0] == (
        "unknown dataset 'imdb': choose one of 'shakespeare', "
        "'translation_pairs', 'polarity', 'brown_universal', 'digits', "
        "'co2_weekly', 'cjk_font', 'translator'"
    )


# ------------------------------------------------------------------------------ checksums and cache
@pytest.mark.parametrize("expected", ["0" * 64, "f" * 64])
def test_any_other_checksum_is_rejected(monkeypatch, expected):
    """A digest above AND one below the expected value both fail (not only one ordering)."""
    entry = data.REGISTRY["digits"]
    monkeypatch.setitem(data.REGISTRY, "digits", data.DataFile(entry.filename, expected, ""))
    with pytest.raises(data.DataFileError, match=f"expected {expected[:12]}…"):
        data.verify("digits")
    with pytest.raises(data.DataFileError, match=r"its sha256 is 09f66e6debde…"):
        data.load_digits()


def test_corruption_message_shows_both_digests(data_copy):
    target = data_copy / "digits.csv.gz"
    target.write_bytes(b"")
    with pytest.raises(data.DataFileError) as err:
        data.verify("digits")
    empty = "e3b0c44298fc"  # sha256 of no bytes
    assert f"its sha256 is {empty}…, expected {SHA_OF['digits.csv.gz'][:12]}… ({target})." in str(err.value)


def _same_mtime(path: Path, mtime_ns: int) -> None:
    import os

    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_change_of_content_with_the_same_size_is_caught(data_copy):
    """Same size, new modification time: hashed again."""
    target = data_copy / "shakespeare.txt"
    data.verify("shakespeare")
    raw = bytearray(target.read_bytes())
    raw[0] ^= 0x20  # "First" -> "first": same size
    before = target.stat().st_mtime_ns
    target.write_bytes(bytes(raw))
    _same_mtime(target, before + 1_000_000)
    with pytest.raises(data.DataFileError, match="shakespeare.txt is corrupted"):
        data.load_shakespeare()


def test_change_of_size_with_the_same_mtime_is_caught(data_copy):
    """New size, modification time put back: hashed again."""
    target = data_copy / "shakespeare.txt"
    data.verify("shakespeare")
    before = target.stat().st_mtime_ns
    target.write_bytes(target.read_bytes() + b"x")
    _same_mtime(target, before)
    with pytest.raises(data.DataFileError, match="shakespeare.txt is corrupted"):
        data.load_shakespeare()


def test_cache_is_per_file_not_per_name(tmp_path, monkeypatch):
    """A good copy verified in one folder does not vouch for a bad copy elsewhere."""
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder in (good, bad):
        folder.mkdir()
        shutil.copy(data.DATA_DIR / "digits.csv.gz", folder / "digits.csv.gz")
    raw = bytearray((bad / "digits.csv.gz").read_bytes())
    raw[100] ^= 0xFF
    (bad / "digits.csv.gz").write_bytes(bytes(raw))
    stamp = (good / "digits.csv.gz").stat().st_mtime_ns
    _same_mtime(bad / "digits.csv.gz", stamp)  # same name, size and mtime
    monkeypatch.setenv(data.DATA_ENV, str(good))
    data.verify("digits")
    monkeypatch.setenv(data.DATA_ENV, str(bad))
    with pytest.raises(data.DataFileError, match="corrupted"):
        data.verify("digits")


def test_verified_files_are_remembered_and_force_rehashes_all(monkeypatch):
    calls = []
    real = data.hashlib.sha256
    monkeypatch.setattr(data.hashlib, "sha256", lambda *a: calls.append(1) or real(*a))
    data.verify()
    assert len(calls) == len(data.REGISTRY)
    data.verify()
    data.load_digits()
    assert len(calls) == len(data.REGISTRY)  # all remembered
    data.verify(force=True)
    assert len(calls) == 2 * len(data.REGISTRY)  # force reaches every file


def test_a_good_file_loads_again_after_a_repair(data_copy):
    target = data_copy / "digits.csv.gz"
    good = target.read_bytes()
    target.write_bytes(good[:-1])
    with pytest.raises(data.DataFileError):
        data.load_digits()
    target.write_bytes(good)
    assert data.load_digits()[0].shape == (1797, 8, 8)


# ------------------------------------------------------------------------------ loaders, exactly
def test_digit_images_are_not_transposed_or_flipped():
    images, labels = data.load_digits()
    zero = [
        [0, 0, 5, 13, 9, 1, 0, 0],
        [0, 0, 13, 15, 10, 15, 5, 0],
        [0, 3, 15, 2, 0, 11, 8, 0],
        [0, 4, 12, 0, 0, 8, 8, 0],
        [0, 5, 8, 0, 0, 9, 8, 0],
        [0, 4, 11, 0, 1, 12, 7, 0],
        [0, 2, 14, 5, 10, 12, 0, 0],
        [0, 0, 6, 13, 10, 0, 0, 0],
    ]
    np.testing.assert_array_equal(images[0], zero)  # row by row, top to bottom
    # A "1" is a vertical stroke: its ink sits in the middle columns, spread over all rows.
    ones = images[labels == 1].sum(axis=0)
    column_share = ones.sum(axis=0) / ones.sum()
    row_share = ones.sum(axis=1) / ones.sum()
    assert column_share[3] + column_share[4] > 0.5
    assert row_share.max() < 0.2
    np.testing.assert_array_equal(images[1].sum(axis=0), [0, 7, 21, 113, 125, 47, 0, 0])


def test_last_records_are_whole():
    """The final line of each file (after its last newline) is read in full."""
    assert data.load_shakespeare().endswith("wink'st\nWhiles thou art waking.\n")
    texts, labels = data.load_polarity()
    assert texts[-1] == "salaciously simplistic." and labels[-1] == 0
    last = data.load_brown_universal()[-1]
    assert last[0] == ("From", "ADP")
    assert last[-3:] == [("was", "VERB"), ("stupefying", "VERB"), (".", ".")]
    pairs = data.load_translation_pairs()
    assert pairs[-1][1].endswith("的机会是相当小的。")
    assert pairs[-1][0].endswith("native speaker level in that language.")


@pytest.mark.parametrize("max_len", [3, 9, 56])
def test_max_len_keeps_exactly_the_pairs_that_fit(max_len):
    everything = data.load_translation_pairs()
    expected = [p for p in everything if len(p[0]) <= max_len and len(p[1]) <= max_len]
    assert data.load_translation_pairs(max_len=max_len) == expected
    assert any(len(c) == max_len for _, c in expected) or any(len(e) == max_len for e, _ in expected)


def test_brown_loader_leaves_the_garbage_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    data.load_brown_universal(max_sentences=3)
    assert gc.isenabled()
    gc.disable()
    try:
        data.load_brown_universal(max_sentences=3)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_make_dates_defaults_and_range_ends(monkeypatch):
    assert data.make_dates(5) == data.make_dates(5, seed=0)
    with pytest.raises(ValueError, match=r"unknown date format\(s\) \['yyyy'\]"):
        data.make_dates(1, formats=["03.03.1998", "yyyy"])
    with pytest.raises(ValueError, match=r"unknown date format\(s\) \[\]"):
        data.make_dates(1, formats=[])

    class Ends:  # draws the lowest, then the highest day offset
        def __init__(self, seed):
            self.calls = 0

        def randint(self, low, high):
            self.calls += 1
            return low if self.calls == 1 else high

        def randrange(self, n):
            return 6  # "03.03.1998"

    monkeypatch.setattr(data.random, "Random", Ends)
    _, iso = data.make_dates(2)
    first, last = data.DATE_RANGE
    assert iso == [first.isoformat(), last.isoformat()]


# ------------------------------------------------------------------------------ parsers, on crafted text
def test_read_lines_splits_at_newlines_only(monkeypatch):
    for text, lines in [
        ("a b\nc\x0bd\n", ["a b", "c\x0bd"]),  # \x0b: splitlines would cut
        ("a b\nc", ["a b", "c"]),  # no final newline: nothing lost
        ("a\n\nb\n", ["a", "", "b"]),
    ]:
        monkeypatch.setattr(data, "_read_text", lambda name, text=text: text)
        assert data._read_lines("any") == lines


def test_polarity_text_is_everything_after_the_first_tab(monkeypatch):
    lines = ["label\ttext", "1\t  two spaces first\tand a tab", "0\tplain"]
    monkeypatch.setattr(data, "_read_lines", lambda name: lines)
    texts, labels = data.load_polarity()
    assert texts == ["  two spaces first\tand a tab", "plain"] and labels.tolist() == [1, 0]


def test_brown_tokens_split_at_spaces_and_the_last_slash(monkeypatch):
    monkeypatch.setattr(data, "_read_lines", lambda name: ["a\xa0b/NOUN 1/2/NUM ./."])
    assert data.load_brown_universal() == [[("a\xa0b", "NOUN"), ("1/2", "NUM"), (".", ".")]]


def test_missing_and_bad_file_messages_word_for_word(data_copy, monkeypatch, tmp_path):
    names = (
        "shakespeare.txt, eng_cmn.tsv.gz, polarity.tsv.gz, brown_universal.txt.gz, digits.csv.gz, "
        "co2_weekly.csv.gz, NotoSansSC-subset.ttf, translator_en_zh.npz"
    )
    maintainers = (
        "(data/curate.py rebuilds every file from the raw datasets: it is for maintainers "
        "who have them in ../shared/datasets, and a learner never needs it.)"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(data.DATA_ENV, str(empty))
    with pytest.raises(data.DataFileError) as err:
        data.verify("digits")
    assert str(err.value) == (
        f"$SEQKERAS_DATA is set to {str(empty)!r}, a folder that holds none of the course's data "
        f"files ({names}). Unset it to use the course's own data/ folder (in a terminal: unset "
        "SEQKERAS_DATA; in a notebook: del os.environ['SEQKERAS_DATA']), or set it to the folder "
        "that holds the data files."
    )
    monkeypatch.setenv(data.DATA_ENV, str(data_copy))
    (data_copy / "digits.csv.gz").unlink()
    (data_copy / "digits.csv.gz").mkdir()
    with pytest.raises(data.DataFileError) as err:
        data.verify("digits")
    assert str(err.value) == (
        f"data file digits.csv.gz is not a file: {data_copy / 'digits.csv.gz'} is a folder or a "
        f"device. The file is read from $SEQKERAS_DATA={str(data_copy)!r}. Unset SEQKERAS_DATA to "
        "use the course's own data/ folder (in a notebook: del os.environ['SEQKERAS_DATA']), or "
        "copy the course's data/digits.csv.gz there; if that copy is damaged too, run "
        "`git checkout -- data/digits.csv.gz` in a terminal at the root of your copy of the course "
        f"(or download the course again). {maintainers}"
    )
    monkeypatch.delenv(data.DATA_ENV)
    monkeypatch.setattr(data, "DATA_DIR", empty)
    with pytest.raises(data.DataFileError) as err:
        data.verify("digits")
    assert str(err.value) == (
        f"data file digits.csv.gz is missing: expected it at {empty / 'digits.csv.gz'}. To restore "
        "it, run `git checkout -- data/digits.csv.gz` in a terminal at the root of your copy of the "
        f"course (or download the course again). {maintainers}"
    )


def test_a_damaged_translator_names_make_translator(data_copy):
    target = data_copy / "translator_en_zh.npz"
    target.write_bytes(target.read_bytes()[:-10])
    with pytest.raises(data.DataFileError) as err:
        data.verify("translator")
    message = str(err.value)
    assert (
        "translator_en_zh.npz is corrupted" in message
        and "git checkout -- data/translator_en_zh.npz" in message
    )
    assert "make translator" in message and "curate.py" not in message
