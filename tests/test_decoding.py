"""seqkeras.decoding: perplexity, temperature, sampling and the generation loop, including bad input."""

import math

import numpy as np
import pytest

from seqkeras import decoding
from seqkeras.decoding import apply_temperature, generate, perplexity, sample

P = np.array([0.5, 0.25, 0.15, 0.07, 0.03])


# --- perplexity -------------------------------------------------------------------------------


def test_perplexity_is_exp_of_mean_nll():
    assert perplexity(0.0) == 1.0
    assert perplexity(math.log(65)) == pytest.approx(65.0)
    assert isinstance(perplexity(1.2), float)
    np.testing.assert_allclose(perplexity(np.array([0.0, math.log(2)])), [1.0, 2.0])


def test_uniform_model_has_perplexity_vocab_size():
    v = 40
    nll = -np.log(np.full(1000, 1.0 / v)).mean()
    assert perplexity(nll) == pytest.approx(v)


@pytest.mark.parametrize("bad, match", [(-0.1, ">= 0"), (float("nan"), "finite"), (np.inf, "finite")])
def test_perplexity_rejects_bad_loss(bad, match):
    with pytest.raises(ValueError, match=match):
        perplexity(bad)


# --- apply_temperature ------------------------------------------------------------------------


def test_temperature_one_changes_nothing():
    np.testing.assert_allclose(apply_temperature(P, 1.0), P)


def test_temperature_is_power_of_probs_and_softmax_of_logits():
    expected = P**2 / np.sum(P**2)
    np.testing.assert_allclose(apply_temperature(P, 0.5), expected)
    logits = np.log(P) + 7.0  # logits are log-probabilities up to a constant
    np.testing.assert_allclose(apply_temperature(logits, 0.5, from_logits=True), expected)


def test_low_temperature_sharpens_high_flattens():
    cold, hot = apply_temperature(P, 0.1), apply_temperature(P, 10.0)
    assert cold[0] > 0.99
    assert np.ptp(hot) < 0.2 * np.ptp(P)

    def entropy(q):
        return -np.sum(q * np.log(q))

    assert entropy(cold) < entropy(P) < entropy(hot)


def test_temperature_keeps_zeros_and_batches_rows():
    q = apply_temperature(np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]), 0.3)
    assert q.shape == (2, 3)
    np.testing.assert_allclose(q, [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])


def test_extreme_logits_do_not_overflow():
    q = apply_temperature(np.array([1000.0, 0.0, -1000.0]), 0.01, from_logits=True)
    assert np.all(np.isfinite(q)) and q[0] == pytest.approx(1.0)


@pytest.mark.parametrize("t", [0, -1.0, float("nan"), float("inf")])
def test_temperature_must_be_positive(t):
    with pytest.raises(ValueError, match="temperature must be a finite number > 0"):
        apply_temperature(P, t)


def test_temperature_must_be_a_number():
    with pytest.raises(TypeError, match="temperature must be a number"):
        apply_temperature(P, "hot")


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([0.5, 0.7]), "sum to 1"),
        (np.array([1.5, -0.5]), "negative"),
        (np.array([np.nan, 1.0]), "NaN"),
        (np.array([]), "vocab_size >= 1"),
        (np.float64(1.0), "vocab_size >= 1"),
    ],
)
def test_bad_probabilities_are_explained(bad, match):
    with pytest.raises(ValueError, match=match):
        apply_temperature(bad, 1.0)


def test_logits_passed_as_probs_point_to_from_logits():
    with pytest.raises(ValueError, match="from_logits=True"):
        apply_temperature(np.array([2.0, -1.0, 0.5]), 1.0)


def test_logits_shape_and_nan_checked():
    with pytest.raises(ValueError, match="shape"):
        apply_temperature(np.float64(2.0), 1.0, from_logits=True)
    with pytest.raises(ValueError, match="NaN"):
        apply_temperature(np.array([np.nan, 1.0]), 1.0, from_logits=True)


# --- sample -----------------------------------------------------------------------------------


def test_sample_is_reproducible_with_a_seeded_rng():
    a = [sample(P, 0.8, np.random.default_rng(3)) for _ in range(5)]
    b = [sample(P, 0.8, 3) for _ in range(5)]  # an int seed works too
    assert a == b and all(isinstance(i, int) for i in a)


def test_sample_frequencies_follow_the_tempered_distribution():
    rng = np.random.default_rng(0)
    for t in (0.5, 1.0, 2.0):
        counts = np.bincount([sample(P, t, rng) for _ in range(4000)], minlength=len(P))
        assert 0.5 * np.abs(counts / 4000 - apply_temperature(P, t)).sum() < 0.03


def test_sample_never_picks_impossible_tokens_and_accepts_model_shapes():
    rng = np.random.default_rng(1)
    probs = np.array([[[0.0, 1.0, 0.0]]], dtype=np.float32)  # a (1, 1, V) model output
    assert {sample(probs, 1.5, rng) for _ in range(50)} == {1}
    assert sample(np.array([5.0, -5.0]), 1.0, rng, from_logits=True) in (0, 1)


def test_sample_rejects_a_batch_and_bad_rng():
    with pytest.raises(ValueError, match="ONE distribution"):
        sample(np.full((2, 3), 1 / 3), 1.0)
    with pytest.raises(ValueError, match="vector"):
        sample(np.float64(1.0))
    with pytest.raises(TypeError, match="default_rng"):
        sample(P, 1.0, rng="seed")


# --- generate ---------------------------------------------------------------------------------


def _counting_step(vocab=5):
    """A deterministic fake model: next token = (token + number of steps so far) % vocab."""
    calls = []

    def step(token, state):
        calls.append((token, state))
        state = state + 1
        return np.eye(vocab)[(token + state) % vocab], state

    return step, calls


def test_generate_feeds_prompt_then_samples_back_and_carries_state():
    step, calls = _counting_step()
    out = generate(step, 0, [1, 2], 4, temperature=0.7, rng=0)
    # prompt: (1, s=0) (2, s=1) -> next = (2 + 2) % 5 = 4; then (4, 2) -> 2; (2, 3) -> 1; (1, 4) -> 1
    np.testing.assert_array_equal(out, [4, 2, 1, 1])
    assert [c[0] for c in calls] == [1, 2, 4, 2, 1]  # one call per token, sampled ones fed back
    assert [c[1] for c in calls] == [0, 1, 2, 3, 4]  # the state is carried, never reset
    assert out.dtype.kind == "i" and out.shape == (4,)


def test_generate_zero_tokens_and_model_shaped_probs():
    step, calls = _counting_step()
    assert generate(step, 0, [3], 0).shape == (0,)
    assert len(calls) == 1

    def wrapped(t, s):
        return np.asarray(step(t, s)[0])[None, None, :], s + 1

    assert generate(wrapped, 0, [0], 3, rng=0).shape == (3,)


@pytest.mark.parametrize(
    "prompt, n, match",
    [
        ([], 3, "non-empty"),
        ([[1, 2]], 3, "non-empty"),
        ([0.5], 3, "integer"),
        ([1], -1, ">= 0"),
        ([1], 2.5, ">= 0"),
    ],
)
def test_generate_rejects_bad_arguments(prompt, n, match):
    step, _ = _counting_step()
    with pytest.raises(ValueError, match=match):
        generate(step, 0, prompt, n)


def test_generate_checks_the_step_contract_and_temperature():
    with pytest.raises(ValueError, match=r"\(probs, new_state\)"):
        generate(lambda t, s: np.full(3, 1 / 3), None, [0], 2)
    with pytest.raises(ValueError, match="sum to 1"):
        generate(lambda t, s: (np.ones(3), s), None, [0], 2)
    step, _ = _counting_step()
    with pytest.raises(ValueError, match="temperature"):
        generate(step, 0, [0], 2, temperature=0)


def test_public_names():
    assert set(decoding.__all__) >= {"perplexity", "apply_temperature", "sample", "generate"}


# --- bad input and edge cases (issue 7 §4) -----------------------------------------------------


@pytest.mark.parametrize("bad", ["1.7", b"1.7", True, np.bool_(False), 1 + 2j, None, [1.0, "2"]])
def test_perplexity_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="mean_nll must be a number"):
        perplexity(bad)


def test_perplexity_string_says_convert():
    with pytest.raises(TypeError, match=r"float\(text\)"):
        perplexity("1.7")


def test_perplexity_accepts_every_kind_of_number():
    assert perplexity(1) == pytest.approx(math.e)
    assert perplexity(np.float32(0.0)) == 1.0 and isinstance(perplexity(np.float32(0.0)), float)
    assert perplexity(np.int64(0)) == 1.0
    assert perplexity([0.0, 0.0]).tolist() == [1.0, 1.0]
    assert perplexity(np.array([])).shape == (0,)  # no losses: no perplexities


def test_perplexity_beyond_float64_is_inf_without_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert perplexity(710.0) == math.inf
    assert perplexity(709.0) == pytest.approx(math.exp(709.0))


def test_logits_with_impossible_tokens_and_broken_rows():
    q = apply_temperature(np.array([[2.0, -np.inf, 0.0]]), 0.5, from_logits=True)
    assert q[0, 1] == 0.0 and q.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="all -inf"):
        apply_temperature(np.array([[0.0, 1.0], [-np.inf, -np.inf]]), 1.0, from_logits=True)
    with pytest.raises(ValueError, match=r"\+inf"):
        apply_temperature(np.array([1.0, np.inf]), 1.0, from_logits=True)
    with pytest.raises(ValueError, match="all -inf"):
        sample(np.array([-np.inf, -np.inf]), 1.0, 0, from_logits=True)


def test_tiny_temperature_is_argmax_not_nan():
    for from_logits, row in ((True, np.array([3.0, 5.0, -2.0])), (False, np.array([0.2, 0.5, 0.3]))):
        q = apply_temperature(row, 1e-300, from_logits=from_logits)
        np.testing.assert_array_equal(q, [0.0, 1.0, 0.0])


def test_zero_rows_give_zero_rows():
    assert apply_temperature(np.zeros((0, 4)), 0.7).shape == (0, 4)
    assert apply_temperature(np.zeros((0, 4)), 0.7, from_logits=True).shape == (0, 4)


def test_one_softmax_in_seqkeras():
    """apply_temperature uses the reference softmax instead of a second copy of it."""
    import inspect

    from seqkeras import reference

    assert decoding.softmax is reference.softmax
    assert "np.exp" not in inspect.getsource(decoding.apply_temperature)
