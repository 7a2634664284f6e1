"""Checkers of lesson 03: the reference solutions pass, known bugs are named, stubs are not attempted."""
import numpy as np
import pytest

from seqkeras import decoding
from seqkeras.checks.lesson03 import (check_generate_ids, check_perplexity_from_nll,
                                      check_sample_with_temperature)
from seqkeras.grading import ExerciseError


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here")


# --------------------------------------------------------------------------- 03.1
def perplexity_from_nll(nll):
    return float(np.exp(np.mean(nll)))


def test_perplexity_solution_passes(capsys):
    assert check_perplexity_from_nll(perplexity_from_nll)
    assert "passed" in capsys.readouterr().out
    assert check_perplexity_from_nll(lambda nll: decoding.perplexity(np.mean(nll)))


@pytest.mark.parametrize("wrong, match", [
    (lambda nll: 2 ** np.mean(nll), "base 2"),
    (lambda nll: 10 ** np.mean(nll), "base 10"),
    (lambda nll: np.mean(nll), "mean loss itself"),
    (lambda nll: np.exp(np.sum(nll)), "summed the losses"),
    (lambda nll: np.mean(np.exp(nll)), "averaged exp"),
    (lambda nll: np.exp(-np.mean(nll)), "sign is flipped"),
    (lambda nll: np.exp(np.mean(nll, axis=-1)), "all axes"),
    (lambda nll: np.exp(np.median(nll)), "differs from the expected value"),
])
def test_perplexity_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_perplexity_from_nll(wrong)


def test_perplexity_stub_and_strict(monkeypatch, capsys):
    monkeypatch.delenv("SEQKERAS_STRICT", raising=False)
    assert not check_perplexity_from_nll(_stub)
    assert "not attempted yet" in capsys.readouterr().out
    monkeypatch.setenv("SEQKERAS_STRICT", "1")
    with pytest.raises(ExerciseError, match="not attempted"):
        check_perplexity_from_nll(_stub)


# --------------------------------------------------------------------------- 03.2
def sample_with_temperature(probs, temperature, rng):
    logits = np.log(probs) / temperature
    q = np.exp(logits - logits.max())
    q = q / q.sum()
    return int(rng.choice(len(q), p=q))


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def test_sampling_solution_passes():
    assert check_sample_with_temperature(sample_with_temperature)
    assert check_sample_with_temperature(lambda p, t, rng: decoding.sample(p, t, rng))
    # a different but correct way to draw (inverse CDF) passes too
    assert check_sample_with_temperature(
        lambda p, t, rng: int(np.searchsorted(np.cumsum(p ** (1 / t) / np.sum(p ** (1 / t))),
                                              rng.random())))


@pytest.mark.parametrize("wrong, match", [
    (lambda p, t, rng: int(rng.choice(len(p), p=_softmax(np.log(p) * t))), "multiplied by the temperature"),
    (lambda p, t, rng: int(rng.choice(len(p), p=np.exp(np.log(p) / t))), "renormalise"),
    (lambda p, t, rng: int(rng.choice(len(p), p=_softmax(p / t))), "divided the probabilities themselves"),
    (lambda p, t, rng: int(rng.choice(len(p), p=(p / t) / np.sum(p / t))), "no effect"),
    (lambda p, t, rng: int(np.argmax(p)), "greedy"),
    (lambda p, t, rng: int(rng.integers(len(p))), "equally often"),
    (lambda p, t, rng: int(np.random.choice(len(p), p=p)), "np.random.choice"),
    (lambda p, t, rng: rng.choice(len(p), size=1, p=p), "ONE character index"),
    (lambda p, t, rng: int(rng.choice(len(p), p=_softmax(np.log(p) / t ** 2))), "total variation"),
])
def test_sampling_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_sample_with_temperature(wrong)


def test_sampling_in_place_change_is_caught():
    def in_place(p, t, rng):
        p **= 1 / t
        p /= p.sum()
        return int(rng.choice(len(p), p=p))

    with pytest.raises(ExerciseError, match="changed the `probs` array"):
        check_sample_with_temperature(in_place)


def test_sampling_stub_and_strict(monkeypatch, capsys):
    monkeypatch.delenv("SEQKERAS_STRICT", raising=False)
    assert not check_sample_with_temperature(_stub)
    assert "not attempted yet" in capsys.readouterr().out
    monkeypatch.setenv("SEQKERAS_STRICT", "1")
    with pytest.raises(ExerciseError, match="not attempted"):
        check_sample_with_temperature(_stub)


# --------------------------------------------------------------------------- 03.3
def generate_ids(step_fn, state, prompt_ids, n, temperature, rng):
    probs = None
    for token in prompt_ids:
        probs, state = step_fn(token, state)
    new_ids = []
    for _ in range(n):
        token = decoding.sample(probs, temperature, rng)
        new_ids.append(token)
        probs, state = step_fn(token, state)
    return new_ids


def test_generation_solution_passes():
    assert check_generate_ids(generate_ids)
    assert check_generate_ids(decoding.generate)


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


def _rerun_prefix(step_fn, state, prompt_ids, n, temperature, rng):
    ids, out = list(prompt_ids), []
    for _ in range(n):
        s = state
        for token in ids:  # correct but quadratic: the whole prefix every step
            probs, s = step_fn(token, s)
        out.append(decoding.sample(probs, temperature, rng))
        ids.append(out[-1])
    return out


def _with_prompt(step_fn, state, prompt_ids, n, temperature, rng):
    return list(prompt_ids) + generate_ids(step_fn, state, prompt_ids, n, temperature, rng)


def _greedy(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, 1e-3, rng)


def _ignores_temperature(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, 1.0, rng)


def _global_rng(step_fn, state, prompt_ids, n, temperature, rng):
    return generate_ids(step_fn, state, prompt_ids, n, temperature, None)


@pytest.mark.parametrize("wrong, match", [
    (_no_feedback, "not fed back"),
    (_reset_state, "reset at every step"),
    (_reset_in_loop, "reset at every generation step"),
    (_rerun_prefix, "re-run the prefix"),
    (_with_prompt, "only the 12 NEW ids"),
    (_greedy, "greedy"),
    (_ignores_temperature, "temperature is not applied"),
    (_global_rng, "same seeded rng"),
    (lambda *a: None, "return` the new ids"),
])
def test_generation_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_generate_ids(wrong)


def test_generation_stub_and_strict(monkeypatch, capsys):
    monkeypatch.delenv("SEQKERAS_STRICT", raising=False)
    assert not check_generate_ids(_stub)
    assert "not attempted yet" in capsys.readouterr().out
    monkeypatch.setenv("SEQKERAS_STRICT", "1")
    with pytest.raises(ExerciseError, match="not attempted"):
        check_generate_ids(_stub)
