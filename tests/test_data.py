"""Tests for seqkeras.data: the checksummed loaders, their errors, and make_dates."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from seqkeras import data

REPO = Path(__file__).resolve().parents[1]


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
    patterns = [r"[a-z]+day, [a-z]+ \d+ \d{4}", r"\d+ [a-z]{3} \d{4}", r"[A-Z][a-z]+ \d+, \d{4}",
                r"\d+ [A-Z][a-z]+ \d{4}", r"[A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d{4}",
                r"[a-z]+ \d+(st|nd|rd|th), \d{4}", r"\d{2}\.\d{2}\.\d{4}", r"\d+ [A-Z]{3} \d{4}"]
    for p in patterns:
        assert any(re.fullmatch(p, h) for h in human), p


@pytest.mark.parametrize("key, expected", [
    ("tuesday, march 3 1998", "tuesday, march 3 1998"),
    ("3 mar 1998", "3 mar 1998"),
    ("March 3, 1998", "March 3, 1998"),
    ("3 March 1998", "3 March 1998"),
    ("Tue 3 Mar 1998", "Tue 3 Mar 1998"),
    ("march 3rd, 1998", "march 3rd, 1998"),
    ("03.03.1998", "03.03.1998"),
    ("3 MAR 1998", "3 MAR 1998"),
])
def test_date_formats_write_their_own_example(key, expected):
    assert data.DATE_FORMATS[key](dt.date(1998, 3, 3)) == expected


def test_date_ordinals():
    fmt = data.DATE_FORMATS["march 3rd, 1998"]
    days = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th",
            21: "21st", 22: "22nd", 23: "23rd", 31: "31st"}
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
    cases = {"at": "DET", "np-tl": "NOUN", "np$": "NOUN", "nn-tl-hl": "NOUN", "pps+bez": "PRON",
             "md*": "VERB", "fw-nn": "X", "fw-in+at-t": "X", "---hl": ".", "--": ".", "*": "ADV",
             "pp$": "DET", "pp$$": "PRON", "cs": "ADP", "ex": "PRT", "uh": "PRT", "nil": "X",
             "vb+ppo": "VERB", "ppss+ber-n": "PRON", "``": ".", "od": "ADJ", "cd$": "NUM"}
    for raw, expected in cases.items():
        assert curate.universal_tag(raw) == expected, raw
    assert set(curate.BROWN_TO_UNIVERSAL.values()) == set(data.UNIVERSAL_TAGS)
    assert curate.UNIVERSAL_TAGS == data.UNIVERSAL_TAGS


@pytest.mark.parametrize("loader, option", [
    (data.load_shakespeare, "max_chars"), (data.load_translation_pairs, "max_len"),
    (data.load_translation_pairs, "max_pairs"), (data.load_polarity, "max_examples"),
    (data.load_brown_universal, "max_sentences")])
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
