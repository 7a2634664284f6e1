"""The English–Chinese data after normalisation, and the split by source sentence (lessons 07, 08)."""

import random

import pytest

from seqkeras import data

# Characters that exist only in the traditional script (their simplified forms: 这 们 个 吗 说 汤 会 来).
TRADITIONAL_ONLY = set("這們個嗎說湯會來")


def test_chinese_side_is_simplified():
    pairs = data.load_translation_pairs()
    chinese = "".join(c for _, c in pairs)
    assert not TRADITIONAL_ONLY & set(chinese), "the curated file should hold simplified characters only"
    assert {"这", "们", "个", "汤"} <= set(chinese)
    assert len(set(chinese)) == 2_749


def test_split_keeps_every_translation_of_a_sentence_together():
    pairs = data.load_translation_pairs()
    train, held = data.split_by_source(pairs, held_out=2000, seed=0)
    assert len(train) + len(held) == len(pairs)
    train_src, held_src = {e for e, _ in train}, {e for e, _ in held}
    assert len(held_src) == 2000 and not train_src & held_src
    # sentences with several translations exist, and all their translations are on one side
    groups = data.group_by_source(pairs)
    multi = [e for e, ts in groups.items() if len(ts) > 1]
    assert len(multi) > 500
    held_multi = [e for e in multi if e in held_src]
    assert held_multi, "some held-out sentences have several translations"
    for e in held_multi[:50]:
        assert sorted(c for s, c in held if s == e) == sorted(c for s, c in pairs if s == e)
    # both parts keep the original order
    assert train == [p for p in pairs if p[0] in train_src]


def test_split_is_reproducible_and_order_independent():
    pairs = data.load_translation_pairs(max_pairs=3000)
    train, held = data.split_by_source(pairs, held_out=300, seed=0)
    shuffled = pairs[:]
    random.Random(1).shuffle(shuffled)
    train2, held2 = data.split_by_source(shuffled, held_out=300, seed=0)
    assert set(held2) == set(held) and set(train2) == set(train)
    assert data.split_by_source(pairs, held_out=300, seed=0) == (train, held)
    _, held_other = data.split_by_source(pairs, held_out=300, seed=1)
    assert set(held_other) != set(held)


def test_split_fraction_and_edges():
    pairs = [("a", "x"), ("b", "y"), ("a", "z"), ("c", "w")]
    train, held = data.split_by_source(pairs, held_out=0)
    assert train == pairs and held == []
    train, held = data.split_by_source(pairs, held_out=3)
    assert train == [] and held == pairs
    train, held = data.split_by_source(pairs, held_out=1 / 3)  # 1 of 3 sources
    assert len({e for e, _ in held}) == 1
    kept = data.split_by_source([p + ("attribution",) for p in pairs], held_out=2)
    assert all(len(p) == 3 for part in kept for p in part)


@pytest.mark.parametrize(
    "bad, match",
    [
        (4, "between 0 and the 3"),
        (-1, "between 0 and the 3"),
        (1.0, "fraction"),
        (0.0, "fraction"),
        ("10", "count"),
        (True, "count"),
    ],
)
def test_split_bad_held_out(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        data.split_by_source([("a", "x"), ("b", "y"), ("c", "z")], held_out=bad)


@pytest.mark.parametrize("bad", ["Hi.\t嗨。", [("only one",)], [("Hi.", 3)], None])
def test_split_bad_pairs(bad):
    with pytest.raises(TypeError, match="pair"):
        data.split_by_source(bad, held_out=1)


def test_split_bad_pairs_message_names_what_was_given():
    with pytest.raises(TypeError, match="got int: e.g. load_translation_pairs()"):
        data.split_by_source(5)
    with pytest.raises(TypeError, match=r"pair 1 is \('b',\)"):
        data.split_by_source([("a", "x"), ("b",)])


def test_split_keeps_pairs_whose_extra_items_are_not_strings():
    """Only source and target must be strings; a third item (an attribution, an id) is carried."""
    pairs = [("a", "x", 1), ("b", "y", None), ("c", "z", 2.5)]
    train, held = data.split_by_source(pairs, held_out=1)
    assert set(train + held) == set(pairs)
    assert len(held) == 1 and len(train) == 2


def test_split_defaults_hold_out_2000_sentences_with_seed_0():
    pairs = [(f"sentence {i}", f"句子 {i}") for i in range(2500)]
    train, held = data.split_by_source(pairs)
    assert len(held) == 2000 and len(train) == 500
    assert (train, held) == data.split_by_source(pairs, held_out=2000, seed=0)
    assert held != data.split_by_source(pairs, held_out=2000, seed=1)[1]


def test_group_by_source():
    pairs = [("a", "x"), ("b", "y"), ("a", "z"), ("a", "x")]
    assert data.group_by_source(pairs) == {"a": ["x", "z"], "b": ["y"]}
    assert list(data.group_by_source(pairs)) == ["a", "b"]


def test_load_translation_split_filters_after_splitting():
    train, held = data.load_translation_split(held_out=2000, seed=0)
    assert len({e for e, _ in held}) == 2000
    short_train, short_held = data.load_translation_split(held_out=2000, seed=0, max_len=20)
    assert set(short_held) <= set(held) and set(short_train) <= set(train)
    assert all(len(e) <= 20 and len(c) <= 20 for e, c in short_train + short_held)
    assert not {e for e, _ in short_train} & {e for e, _ in held}


def test_load_translation_split_defaults_and_seed():
    pairs = data.load_translation_pairs()
    assert data.load_translation_split() == data.split_by_source(pairs, held_out=2000, seed=0)
    train, held = data.load_translation_split(held_out=50, seed=3)
    assert (train, held) == data.split_by_source(pairs, held_out=50, seed=3)
    assert held != data.load_translation_split(held_out=50, seed=4)[1]
    with pytest.raises(ValueError, match="max_len must be None"):
        data.load_translation_split(max_len=-1)


@pytest.mark.parametrize("max_len, part", [(3, 0), (7, 1)])
def test_load_translation_split_max_len_keeps_exactly_the_pairs_that_fit(max_len, part):
    """Both sides, both parts, and the bound itself included (``<=``, not ``<``)."""
    everything = data.load_translation_split(held_out=8000, seed=0)
    short = data.load_translation_split(held_out=8000, seed=0, max_len=max_len)
    for whole, kept in zip(everything, short):
        assert kept == [p for p in whole if len(p[0]) <= max_len and len(p[1]) <= max_len]
    # pairs exactly at the bound, on each side (max_len 3: in training; 7: held out)
    assert any(len(e) == max_len for e, _ in short[part]) and any(len(c) == max_len for _, c in short[part])


def test_make_copy_task():
    inputs, targets = data.make_copy_task(200, lengths=(3, 7), symbols="xyz", seed=2)
    assert inputs == targets and len(inputs) == 200
    assert {len(s) for s in inputs} == set(range(3, 8))
    assert set("".join(inputs)) == set("xyz")
    assert data.make_copy_task(200, lengths=(3, 7), symbols="xyz", seed=2) == (inputs, targets)
    assert data.make_copy_task(200, lengths=(3, 7), symbols="xyz", seed=3)[0] != inputs
    rev_in, rev_out = data.make_copy_task(50, reverse=True, seed=2)
    assert all(o == i[::-1] for i, o in zip(rev_in, rev_out))
    assert data.make_copy_task(0) == ([], [])


def test_make_copy_task_defaults_and_length_edges():
    inputs, targets = data.make_copy_task(300)
    assert (inputs, targets) == data.make_copy_task(
        300, lengths=(5, 40), symbols="abcdefghij", reverse=False, seed=0
    )
    assert set("".join(inputs)) == set("abcdefghij") and inputs == targets
    assert {len(s) for s in inputs} <= set(range(5, 41)) and {5, 40} <= {len(s) for s in inputs}
    assert {len(s) for s in data.make_copy_task(20, lengths=(1, 1))[0]} == {1}  # the bounds are allowed
    assert {len(s) for s in data.make_copy_task(20, lengths=(6, 6))[0]} == {6}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n=-1), "n must"),
        (dict(n=2.5), "n must"),
        (dict(n=3, lengths=(0, 4)), "lengths"),
        (dict(n=3, lengths=(5, 4)), "lengths"),
        (dict(n=3, symbols="aa"), "distinct"),
        (dict(n=3, symbols=""), "distinct"),
    ],
)
def test_make_copy_task_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.make_copy_task(**kwargs)
