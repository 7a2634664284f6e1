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
    check_generate_ids,
    check_perplexity_from_nll,
    check_sample_with_temperature,
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
