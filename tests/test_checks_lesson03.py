"""Lesson 03 checkers: the reference and correct variants pass, bugs of every class are named,
answers of the wrong kind get a sentence, the stub is "not attempted"."""

import math
import random

import keras
import numpy as np
import pytest

import seqkeras.reference as ref
from seqkeras import decoding
from seqkeras.checks.lesson03 import (
    check_bigram_add_k,
    check_generate_ids,
    check_perplexity_from_nll,
    check_sample_top_k,
    check_sample_with_temperature,
    check_stateful_batches,
)
from seqkeras.grading import ExerciseError

# The checkers silence the numpy warnings that learner code raises on purpose-built inputs
# (log(0), overflow): a warning escaping to the notebook would fail here.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def passed(outcome):
    return outcome is not None and bool(outcome) is True


@pytest.fixture
def global_rng_untouched():
    """Fails the test if a checker leaves NumPy's global generator in another state."""
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    yield
    assert np.array_equal(np.random.get_state()[1], before), "the checker moved the global RNG"


# --------------------------------------------------------------------------- 03.1 perplexity
def perplexity_from_nll(nll):  # the notebook's solution
    return float(np.exp(np.mean(nll)))


def perplexity_loop(nll):  # a loop over a flat copy, math.exp
    total, count = 0.0, 0
    for value in np.ravel(nll):
        total += value
        count += 1
    return math.exp(total / count)


@pytest.mark.parametrize(
    "answer",
    [
        perplexity_from_nll,
        perplexity_loop,
        lambda nll: decoding.perplexity(np.mean(nll)),
        lambda nll: np.exp(np.sum(nll) / np.size(nll)),
        lambda nll: keras.ops.exp(keras.ops.mean(nll)),  # a float32 tensor
    ],
    ids=["solution", "loop", "decoding", "sum_over_size", "keras_ops"],
)
def test_perplexity_correct_answers_pass(answer, capsys):
    assert passed(check_perplexity_from_nll(answer))
    assert "✅ Exercise 03.1 (perplexity_from_nll): passed" in capsys.readouterr().out


def _in_place(nll):
    nll /= nll.size
    return float(np.exp(nll.sum()))


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda nll: 2 ** np.mean(nll), "base 2"),
        (lambda nll: 10 ** np.mean(nll), "base 10"),
        (lambda nll: np.mean(nll), "mean loss itself"),
        (lambda nll: np.exp(np.sum(nll)), "summed the losses"),
        (lambda nll: np.mean(np.exp(nll)), "averaged exp"),
        (lambda nll: np.mean(np.exp(np.mean(nll, axis=-1))), "averaged the perplexities of the rows"),
        (lambda nll: np.exp(np.mean(nll[0])), "only the first row"),
        (lambda nll: np.exp(-np.mean(nll)), "sign is flipped"),
        (lambda nll: np.log(np.mean(nll)), "log of the mean"),
        (lambda nll: np.exp(np.mean(nll, axis=-1)), r"shape \(4,\), expected one number.*all axes"),
        (lambda nll: np.exp(np.median(nll)), "differs from the expected value"),
        # one test point: right for the (4, 25) array only
        (lambda nll: np.exp(np.sum(nll) / 100), r"It was right for shape \(4, 25\)"),
        # numerics: a product of exponentials overflows on long inputs
        (lambda nll: np.prod(np.exp(nll)) ** (1 / np.size(nll)), "it overflows"),
        (lambda nll: np.exp(np.sum(nll)) ** (1 / np.size(nll)), "it overflows"),
        (lambda nll: 1 / np.prod(np.exp(-nll)) ** (1 / np.size(nll)), "it overflows"),
        # contracts
        (_in_place, "changed the `nll` array"),
        (lambda nll: f"{np.exp(np.mean(nll)):.6f}", "the text '.*': return the number itself"),
        (lambda nll: [np.exp(np.mean(nll))], "is a list .*return one number"),
        (lambda nll: np.array([np.exp(np.mean(nll))]), r"has shape \(1,\), expected one number"),
        (lambda nll: None, "the perplexity is None: did you forget to `return`"),
        (lambda nll: np.mean(nll) > 0, "is a bool, expected one number"),
        (lambda nll: int(np.exp(np.mean(nll))), "differs from the expected value"),  # rounded
    ],
)
def test_perplexity_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_perplexity_from_nll(wrong)


@pytest.mark.parametrize("not_a_function", ["1.7", [1.7], 1.7, np.ones(3)])
def test_perplexity_answer_of_the_wrong_kind(not_a_function):
    with pytest.raises(ExerciseError, match="expected a function"):
        check_perplexity_from_nll(not_a_function)


def test_perplexity_stub(assert_not_attempted):
    assert_not_attempted(check_perplexity_from_nll)


# --------------------------------------------------------------------------- 03.2 temperature
def sample_with_temperature(probs, temperature, rng):  # the notebook's solution
    logits = np.log(probs) / temperature
    q = np.exp(logits - logits.max())
    q = q / q.sum()
    return int(rng.choice(len(q), p=q))


def sample_inverse_cdf(probs, temperature, rng):  # another draw: inverse CDF, powers
    q = (probs / probs.max()) ** (1 / temperature)  # the largest becomes 1: no underflow
    cdf = np.cumsum(q / q.sum())
    return min(int(np.searchsorted(cdf, rng.random(), side="right")), len(q) - 1)


def sample_gumbel(probs, temperature, rng):  # another draw: the Gumbel-max trick
    with np.errstate(divide="ignore"):
        scores = np.log(probs) / temperature
    return int(np.argmax(scores + rng.gumbel(size=len(probs))))


@pytest.mark.parametrize(
    "answer",
    [
        sample_with_temperature,
        sample_inverse_cdf,
        sample_gumbel,
        lambda p, t, rng: decoding.sample(p, t, rng),
        lambda p, t, rng: int(rng.choice(len(p), p=ref.softmax(np.log(p) / t))),
    ],
    ids=["solution", "inverse_cdf", "gumbel", "decoding", "ref_softmax"],
)
def test_sampling_correct_answers_pass(answer, capsys, global_rng_untouched):
    assert passed(check_sample_with_temperature(answer))
    assert "✅ Exercise 03.2 (sample_with_temperature): passed" in capsys.readouterr().out


def _in_place_sampler(p, t, rng):
    p **= 1 / t
    p /= p.sum()
    return int(rng.choice(len(p), p=p))


def _fresh_rng(p, t, rng):
    return sample_with_temperature(p, t, np.random.default_rng())


def _fixed_seed(p, t, rng):
    return sample_with_temperature(p, t, np.random.default_rng(0))


class _Cycling:
    """A sampler that ignores rng and cycles through the indices 0, 1, 2, 3."""

    def __init__(self):
        self.calls = 0

    def __call__(self, p, t, rng):
        self.calls += 1
        return self.calls % 4


_cycling = _Cycling()


def _python_random(p, t, rng):
    return random.choices(range(len(p)), weights=apply(p, t))[0]


def apply(p, t):
    return ref.softmax(np.log(p) / t)


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda p, t, rng: int(rng.choice(len(p), p=apply(p, 1 / t))), "multiplied by the temperature"),
        (lambda p, t, rng: int(rng.choice(len(p), p=np.exp(np.log(p) / t))), "renormalise"),
        (
            lambda p, t, rng: int(rng.choice(len(p), p=ref.softmax(p / t))),
            "divided the probabilities themselves",
        ),
        (lambda p, t, rng: int(rng.choice(len(p), p=(p / t) / np.sum(p / t))), "no effect"),
        (lambda p, t, rng: int(np.argmax(p)), "index 0 every time, the most likely one.*Greedy"),
        (lambda p, t, rng: int(rng.integers(len(p))), "equally often"),
        (lambda p, t, rng: int(rng.choice(len(p), p=apply(p, t**2))), "total variation"),
        # the rng contract
        (lambda p, t, rng: int(np.random.choice(len(p), p=apply(p, t))), "global generator"),
        (_fresh_rng, "same seeded rng gave different draws"),
        (_python_random, "same seeded rng gave different draws"),
        (_fixed_seed, "returns index 1 every time, whatever the seed"),
        # numerics: tau near 0 underflows without the max subtracted; an epsilon revives 0
        (
            lambda p, t, rng: int(rng.choice(len(p), p=np.exp(np.log(p) / t) / np.exp(np.log(p) / t).sum())),
            "underflows to 0 for every token",
        ),
        (
            lambda p, t, rng: int(rng.choice(len(p), p=p ** (1 / t) / np.sum(p ** (1 / t)))),
            "underflows to 0 for every token",
        ),
        (
            lambda p, t, rng: int(rng.choice(len(p), p=apply(p + 1e-9, t) / apply(p + 1e-9, t).sum())),
            "probability 0 was drawn",
        ),
        # one test point: the number of tokens built in
        (
            lambda p, t, rng: int(rng.choice(5, p=apply(p, t))),
            "differs from the 2 probabilities: use len\\(probs\\)",
        ),
        # contracts: one int, probs untouched
        (
            lambda p, t, rng: rng.choice(len(p), size=1, p=apply(p, t)),
            r"ONE character index, an int; got ndarray of shape \(1,\)",
        ),
        (
            lambda p, t, rng: float(rng.choice(len(p), p=apply(p, t))),
            r"ONE character index, an int; got float \(dtype float64\)",
        ),
        (
            lambda p, t, rng: [int(rng.choice(len(p), p=apply(p, t)))],
            "ONE character index, an int; got list:",
        ),
        (
            lambda p, t, rng: int(rng.choice(len(p), p=p * np.nan)),
            "at τ = 1 rng.choice got NaN probabilities: check each step",
        ),
        (_cycling, "two differently seeded rngs gave the same 20 draws"),
        (lambda p, t, rng: str(rng.choice(len(p), p=apply(p, t))), "the text"),
        (lambda p, t, rng: None, "forget to `return`"),
        (lambda p, t, rng: len(p), "outside 0..4"),
        (_in_place_sampler, "changed the `probs` array"),
    ],
)
def test_sampling_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_sample_with_temperature(wrong)


def test_sampling_answer_of_the_wrong_kind():
    with pytest.raises(ExerciseError, match="expected a function"):
        check_sample_with_temperature(3)


def test_sampling_stub(assert_not_attempted):
    assert_not_attempted(check_sample_with_temperature)


# --------------------------------------------------------------------------- 03.3 generation
def generate_ids(step_fn, state, prompt_ids, n, temperature, rng):  # the notebook's solution
    probs = None
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    new_ids = []
    for _ in range(n):
        token = decoding.sample(probs, temperature, rng)
        new_ids.append(token)
        probs, state = step_fn(token, state)
    return new_ids


def generate_while(step_fn, state, prompt_ids, n, temperature, rng):  # another loop
    pending, out = list(prompt_ids), []
    while len(out) < n:
        probs, state = step_fn(pending.pop(0), state)
        if not pending:  # the prompt is read: sample, feed back
            out.append(sample_with_temperature(probs, temperature, rng))
            pending.append(out[-1])
    return np.array(out, dtype=np.int32)


def generate_array_tokens(step_fn, state, prompt_ids, n, temperature, rng):  # ids as 1-element arrays
    probs, new_ids = None, []
    for token in prompt_ids:
        probs, state = step_fn(np.array([token]), state)
    for _ in range(n):
        new_ids.append(int(decoding.sample(probs, temperature, rng)))
        probs, state = step_fn(np.array([new_ids[-1]]), state)
    return new_ids


def _float_tokens(step_fn, state, prompt_ids, n, temperature, rng):
    def wrapped(token, s):
        return step_fn(float(token), s)

    return generate_ids(wrapped, state, prompt_ids, n, temperature, rng)


def _token_out_of_range(step_fn, state, prompt_ids, n, temperature, rng):
    probs = None
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    out = []
    for _ in range(n):
        out.append(decoding.sample(probs, temperature, rng))
        probs, state = step_fn(len(probs), state)  # bug: the size, not the id
    return out


def _wrapped_state(step_fn, state, prompt_ids, n, temperature, rng):
    def wrapped(token, s):
        return step_fn(token, [s])

    return generate_ids(wrapped, state, prompt_ids, n, temperature, rng)


def _last_prompt_only(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, list(prompt_ids)[-1:], n, temperature, rng)


def _refeeds_last(step_fn, state, prompt_ids, n, temperature, rng):
    probs, out, token = None, [], None
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    for _ in range(n):
        probs, state = step_fn(token, state)  # bug: the last id is read again
        token = decoding.sample(probs, temperature, rng)
        out.append(token)
    return out


def _frozen_state(step_fn, state, prompt_ids, n, temperature, rng):
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    out = []
    for _ in range(n):
        out.append(decoding.sample(probs, temperature, rng))
        probs, _ = step_fn(out[-1], state)  # bug: the new state is dropped
    return out


def _overwrites_prompt(step_fn, state, prompt_ids, n, temperature, rng):
    out = generate_ids(step_fn, state, prompt_ids, n, temperature, rng)
    prompt_ids[-1] = out[-1]  # bug: reuses the caller's buffer
    return out


def _no_feedback(step_fn, state, prompt_ids, n, temperature, rng):
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    out = []
    for _ in range(n):
        out.append(decoding.sample(probs, temperature, rng))
        probs, state = step_fn(prompt_ids[-1], state)  # bug: the sample is not fed back
    return out


def _reset_state(step_fn, state, prompt_ids, n, temperature, rng):
    for token in prompt_ids:
        probs, _ = step_fn(token, state)  # bug: the new state is thrown away
    out = []
    for _ in range(n):
        out.append(decoding.sample(probs, temperature, rng))
        probs, _ = step_fn(out[-1], state)
    return out


def _reset_in_loop(step_fn, state, prompt_ids, n, temperature, rng):
    initial = state
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    out = []
    for _ in range(n):
        out.append(decoding.sample(probs, temperature, rng))
        probs, state = step_fn(out[-1], initial)  # bug: back to the initial state
    return out


def _ignores_given_state(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, 0, prompt_ids, n, temperature, rng)  # bug: starts from 0


def _rerun_prefix(step_fn, state, prompt_ids, n, temperature, rng):
    ids, out = list(prompt_ids), []
    for _ in range(n):
        s = state
        for token in ids:  # correct but quadratic: the whole prefix every step
            probs, s = step_fn(token, s)
        out.append(decoding.sample(probs, temperature, rng))
        ids.append(out[-1])
    return out


def _appends_to_prompt(step_fn, state, prompt_ids, n, temperature, rng):
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    for _ in range(n):
        token = decoding.sample(probs, temperature, rng)
        prompt_ids.append(token)  # bug: changes the caller's list
        probs, state = step_fn(token, state)
    return prompt_ids[-n:]


def _floats(step_fn, state, prompt_ids, n, temperature, rng):
    return np.asarray(generate_ids(step_fn, state, prompt_ids, n, temperature, rng), dtype=float)


def _with_prompt(step_fn, state, prompt_ids, n, temperature, rng):
    return list(prompt_ids) + generate_ids(step_fn, state, prompt_ids, n, temperature, rng)


def _greedy(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, 1e-3, rng)


def _ignores_temperature(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, 1.0, rng)


def _fresh_generator(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, temperature, None)


def _global_generator(step_fn, state, prompt_ids, n, temperature, rng):
    def sample(probs, temperature, _rng):
        return int(np.random.choice(len(probs), p=decoding.apply_temperature(probs, temperature)))

    probs = None
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    out = []
    for _ in range(n):
        out.append(sample(probs, temperature, rng))
        probs, state = step_fn(out[-1], state)
    return out


def _fixed_seed_loop(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, temperature, np.random.default_rng(42))


@pytest.mark.parametrize(
    "answer",
    [generate_ids, generate_while, generate_array_tokens, decoding.generate],
    ids=["solution", "while_loop", "array_tokens", "decoding"],
)
def test_generation_correct_answers_pass(answer, capsys, global_rng_untouched):
    assert passed(check_generate_ids(answer))
    assert "✅ Exercise 03.3 (generate_ids): passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (_no_feedback, "not fed back"),
        (_reset_state, "reset at every step"),
        (_reset_in_loop, "reset at every generation step"),
        (_ignores_given_state, "does not start from the `state` it is given"),
        (_rerun_prefix, "re-run the prefix"),
        (_with_prompt, "you returned 15 ids: return only the 12 NEW ids"),
        (_last_prompt_only, "only the last prompt character is read"),
        (_refeeds_last, "the last prompt character is fed twice"),
        (_frozen_state, "the state stops being updated after the prompt"),
        (_float_tokens, "step_fn was called with token 2.0"),
        (_token_out_of_range, r"step_fn was called with token 7: pass one character id \(an int in 0..6\)"),
        (_wrapped_state, r"step_fn was called with state \[58\]"),
        (_overwrites_prompt, "changed the `prompt_ids`"),
        (lambda *a: generate_ids(*a)[:-1], r"shape \(11,\), expected \(12,\): return the 12 new ids"),
        (lambda *a: [generate_ids(*a)], r"shape \(1, 12\), expected \(12,\): one int per new token"),
        (_greedy, "greedy"),
        (_ignores_temperature, "temperature is not applied"),
        (_fresh_generator, "same seeded rng"),
        (_global_generator, "global generator"),
        (_fixed_seed_loop, "differently seeded rngs"),
        (_appends_to_prompt, "changed the `prompt_ids`"),
        (_floats, "dtype float64: token ids are integers"),
        (
            lambda *a: [[i] for i in generate_ids(*a)],
            r"shape \(12, 1\), expected \(12,\): one int per new token",
        ),
        (lambda *a: "".join(map(str, generate_ids(*a))), "returned text"),
        (lambda *a: len(generate_ids(*a)), "returned int"),
        (lambda *a: None, "return` the new ids"),
    ],
)
def test_generation_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_generate_ids(wrong)


def test_generation_answer_of_the_wrong_kind():
    with pytest.raises(ExerciseError, match="expected a function"):
        check_generate_ids([1, 2, 3])


def test_generation_stub(assert_not_attempted):
    assert_not_attempted(check_generate_ids)


# --------------------------------------------------------------------------- 03.5 add-k bigram
def bigram_add_k(ids, vocab_size, k):  # the notebook's solution
    counts = np.full((vocab_size, vocab_size), float(k))
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    return counts / counts.sum(axis=1, keepdims=True)


def bigram_loop(ids, vocab_size, k):  # a dict of counts and a Python loop
    pairs = {}
    for a, b in zip(ids[:-1].tolist(), ids[1:].tolist()):
        pairs[a, b] = pairs.get((a, b), 0) + 1
    table = np.zeros((vocab_size, vocab_size))
    for a in range(vocab_size):
        total = sum(pairs.get((a, b), 0) for b in range(vocab_size)) + k * vocab_size
        for b in range(vocab_size):
            table[a, b] = (pairs.get((a, b), 0) + k) / total
    return table


def bigram_bincount(ids, vocab_size, k):  # pair codes a * V + b counted with bincount
    codes = ids[:-1].astype(np.int64) * vocab_size + ids[1:]
    counts = np.bincount(codes, minlength=vocab_size**2).reshape(vocab_size, vocab_size) + k
    return counts / counts.sum(axis=1)[:, None]


@pytest.mark.parametrize("answer", [bigram_add_k, bigram_loop, bigram_bincount])
def test_bigram_correct_answers_pass(answer, capsys):
    assert passed(check_bigram_add_k(answer))
    assert "✅ Exercise 03.5 (bigram_add_k): passed" in capsys.readouterr().out


def _bigram_from(counts_fn, norm="rows", k_use="k"):
    def fn(ids, vocab_size, k):
        counts = counts_fn(ids, vocab_size)
        kk = {"k": k, "one": 1.0}[k_use]
        if norm == "rows":
            return (counts + kk) / (counts + kk).sum(axis=1, keepdims=True)
        if norm == "cols":
            return (counts + kk) / (counts + kk).sum(axis=0, keepdims=True)
        if norm == "all":
            return (counts + kk) / (counts + kk).sum()
        return (counts + kk) / (counts.sum(axis=1, keepdims=True) + kk)  # "denominator"

    return fn


def _counts(ids, vocab_size):
    c = np.zeros((vocab_size, vocab_size))
    np.add.at(c, (ids[:-1], ids[1:]), 1)
    return c


def _counts_fancy(ids, vocab_size):  # repeated pairs counted once
    c = np.zeros((vocab_size, vocab_size))
    c[ids[:-1], ids[1:]] += 1
    return c


def _counts_rolled(ids, vocab_size):  # np.roll adds a pair (last, first)
    c = np.zeros((vocab_size, vocab_size))
    np.add.at(c, (ids, np.roll(ids, -1)), 1)
    return c


def _counts_short(ids, vocab_size):  # off by one: the last pair dropped
    c = np.zeros((vocab_size, vocab_size))
    np.add.at(c, (ids[:-2], ids[1:-1]), 1)
    return c


def _bigram_from_data_size(ids, vocab_size, k):  # the size of the vocabulary taken from the ids
    return bigram_add_k(ids, int(ids.max()) + 1, k)


def _bigram_sorts_ids(ids, vocab_size, k):
    table = bigram_add_k(ids, vocab_size, k)
    ids.sort()
    return table


def _bigram_k_after(ids, vocab_size, k):
    counts = _counts(ids, vocab_size)
    return counts / counts.sum(axis=1, keepdims=True) + k


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (lambda ids, v, k: bigram_add_k(ids, v, k).T, "the table is transposed"),
        (_bigram_from(lambda ids, v: _counts(ids, v).T), "rows must be the PREVIOUS character"),
        (_bigram_from(_counts, norm="cols"), "each ROW must sum to 1"),
        (_bigram_from(_counts, norm="all"), "the whole table sums to 1"),
        (_bigram_from(_counts_fancy), "counts a pair that occurs several times only once"),
        (_bigram_from(_counts_rolled), "from the last character back to the first"),
        (_bigram_from(_counts_short), r"the last pair \(ids\[-2\], ids\[-1\]\) is missing"),
        (_bigram_from(_counts, k_use="one"), "you added 1 .* instead of k"),
        (_bigram_from(_counts, norm="denominator"), "the denominator must grow by k"),
        (_bigram_k_after, "nan or inf"),
        (_bigram_from_data_size, r"shape \(5, 5\), expected \(6, 6\)"),
        (_bigram_sorts_ids, "changed the `ids`"),
        (lambda ids, v, k: bigram_add_k(ids, v, k).tolist(), "is a list of 6 items"),
        (lambda ids, v, k: None, "forget to `return`"),
    ],
)
def test_bigram_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_bigram_add_k(wrong)


def test_bigram_stub(assert_not_attempted):
    assert_not_attempted(check_bigram_add_k)


# --------------------------------------------------------------------------- 03.6 top-k sampling
def sample_top_k(probs, k, rng):  # the notebook's solution
    top = np.argsort(probs)[::-1][:k]  # ids of the k most likely, most likely first
    q = probs[top] / probs[top].sum()
    return int(top[rng.choice(k, p=q)])


def top_k_masked(probs, k, rng):  # zero everything below the k-th largest, sample over all ids
    threshold = np.sort(probs)[-k]
    q = np.where(probs >= threshold, probs, 0.0)
    return int(rng.choice(len(probs), p=q / q.sum()))


def top_k_argpartition(probs, k, rng):  # unordered top k, numpy integer returned
    top = np.argpartition(-probs, k - 1)[:k]
    return rng.choice(top, p=probs[top] / probs[top].sum())


@pytest.mark.parametrize("answer", [sample_top_k, top_k_masked, top_k_argpartition])
def test_top_k_correct_answers_pass(answer, capsys, global_rng_untouched):
    assert passed(check_sample_top_k(answer))
    assert "✅ Exercise 03.6 (sample_top_k): passed" in capsys.readouterr().out


def _top_positions(probs, k, rng):
    top = np.argsort(probs)[::-1][:k]
    return int(rng.choice(k, p=probs[top] / probs[top].sum()))


def _top_smallest(probs, k, rng):
    top = np.argsort(probs)[:k]
    return int(top[rng.choice(k, p=probs[top] / probs[top].sum())])


def _top_not_renormalised(probs, k, rng):
    top = np.argsort(probs)[::-1][:k]
    return int(top[rng.choice(k, p=probs[top])])


def _top_k_plus_one(probs, k, rng):
    return sample_top_k(probs, min(k + 1, len(probs)), rng)


def _top_uniform(probs, k, rng):
    top = np.argsort(probs)[::-1][:k]
    return int(top[rng.integers(k)])


def _top_in_place(probs, k, rng):
    probs[np.argsort(probs)[:-k]] = 0.0
    return int(rng.choice(len(probs), p=probs / probs.sum()))


def _top_global(probs, k, rng):
    top = np.argsort(probs)[::-1][:k]
    return int(top[np.random.choice(k, p=probs[top] / probs[top].sum())])


def _top_fixed_seed(probs, k, rng):
    return sample_top_k(probs, k, np.random.default_rng(0))


def _top_fresh(probs, k, rng):
    return sample_top_k(probs, k, np.random.default_rng())


def _top_five_ids(probs, k, rng):  # the number of ids written in
    top = np.argsort(probs[:5])[::-1][:k]
    return int(top[rng.choice(k, p=probs[top] / probs[top].sum())])


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (_top_positions, "position in the top-k list"),
        (_top_smallest, "LEAST likely"),
        (_top_not_renormalised, "do not sum to 1.*renormalise"),
        (_top_k_plus_one, r"k \+ 1 tokens"),
        (lambda p, k, rng: int(rng.choice(len(p), p=p)), "k is ignored"),
        (lambda p, k, rng: int(np.argmax(p)), "greedy"),
        (_top_uniform, "drawn equally often"),
        (_top_in_place, "changed the `probs`"),
        (_top_global, "global generator"),
        (_top_fixed_seed, "returns id 1 every time: it does not draw at random"),
        (_top_fresh, "same seeded rng gave different ids"),
        (_top_five_ids, "with 40 ids and k = 7"),
        (lambda p, k, rng: float(sample_top_k(p, k, rng)), "ONE character index, an int"),
        (lambda p, k, rng: None, "forget to `return`"),
    ],
)
def test_top_k_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_sample_top_k(wrong)


def test_top_k_stub(assert_not_attempted):
    assert_not_attempted(check_sample_top_k)


# --------------------------------------------------------------------------- 03.7 stateful batches
def stateful_batches(ids, batch_size, seq_len):  # the notebook's solution
    n_batches = (len(ids) - 1) // (batch_size * seq_len)
    stream = n_batches * seq_len  # characters per row
    x = ids[: batch_size * stream].reshape(batch_size, n_batches, seq_len)
    y = ids[1 : batch_size * stream + 1].reshape(batch_size, n_batches, seq_len)
    return x.transpose(1, 0, 2), y.transpose(1, 0, 2)


def stateful_loops(ids, batch_size, seq_len):  # index arithmetic, one window at a time
    n_batches = (len(ids) - 1) // (batch_size * seq_len)
    stream = n_batches * seq_len
    x = np.zeros((n_batches, batch_size, seq_len), dtype=ids.dtype)
    y = np.zeros_like(x)
    for j in range(n_batches):
        for i in range(batch_size):
            start = i * stream + j * seq_len
            x[j, i] = ids[start : start + seq_len]
            y[j, i] = ids[start + 1 : start + seq_len + 1]
    return x, y


def stateful_stacked(ids, batch_size, seq_len):  # streams first, then np.stack of batches, as a list
    n_batches = (len(ids) - 1) // (batch_size * seq_len)
    stream = n_batches * seq_len
    rows = [ids[i * stream : (i + 1) * stream + 1] for i in range(batch_size)]
    x = np.stack([np.stack([r[j * seq_len : (j + 1) * seq_len] for r in rows]) for j in range(n_batches)])
    y = np.stack(
        [np.stack([r[j * seq_len + 1 : (j + 1) * seq_len + 1] for r in rows]) for j in range(n_batches)]
    )
    return [x, y]


@pytest.mark.parametrize("answer", [stateful_batches, stateful_loops, stateful_stacked])
def test_stateful_correct_answers_pass(answer, capsys):
    assert passed(check_stateful_batches(answer))
    assert "✅ Exercise 03.7 (stateful_batches): passed" in capsys.readouterr().out


def _side_by_side(ids, batch_size, seq_len):  # consecutive windows in one batch
    n_batches = (len(ids) - 1) // (batch_size * seq_len)
    used = n_batches * batch_size * seq_len
    shape = (n_batches, batch_size, seq_len)
    return ids[:used].reshape(shape), ids[1 : used + 1].reshape(shape)


def _too_many_batches(ids, batch_size, seq_len):  # forgets the id the last target needs
    n_batches = len(ids) // (batch_size * seq_len)
    stream = n_batches * seq_len
    x = ids[: batch_size * stream].reshape(batch_size, n_batches, seq_len)
    y = ids[1 : batch_size * stream + 1].reshape(batch_size, n_batches, seq_len)
    return x.transpose(1, 0, 2), y.transpose(1, 0, 2)


def _not_transposed(ids, batch_size, seq_len):
    x, y = stateful_batches(ids, batch_size, seq_len)
    return x.transpose(1, 0, 2), y.transpose(1, 0, 2)


def _sorts_ids(ids, batch_size, seq_len):
    out = stateful_batches(ids.copy(), batch_size, seq_len)
    ids.sort()
    return out


@pytest.mark.parametrize(
    "wrong, diagnosis",
    [
        (_side_by_side, "consecutive windows sit side by side in ONE batch"),
        (lambda ids, b, t: (stateful_batches(ids, b, t)[0],) * 2, "the targets are the inputs"),
        (
            lambda ids, b, t: (
                stateful_batches(ids, b, t)[0],
                np.roll(stateful_batches(ids, b, t)[0], -1, axis=-1),
            ),
            "wraps around",
        ),
        (_too_many_batches, "targets need one id more than the inputs"),
        (_not_transposed, r"the first axis is the batch index j.*transpose\(1, 0, 2\)"),
        (lambda ids, b, t: tuple(a.astype(float) for a in stateful_batches(ids, b, t)), "dtype float64"),
        (_sorts_ids, "changed its argument `ids` in place"),
        (lambda ids, b, t: stateful_batches(ids, b, t)[0], "return two arrays"),
        (
            lambda ids, b, t: (stateful_batches(ids, b, t)[0], stateful_batches(ids, b, t)[1] + 1),
            "y for 103 ids",
        ),
        (lambda ids, b, t: None, "return two arrays"),
    ],
)
def test_stateful_bugs_are_named(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_stateful_batches(wrong)


def test_stateful_stub(assert_not_attempted):
    assert_not_attempted(check_stateful_batches)
