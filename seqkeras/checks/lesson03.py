"""Checkers for lesson 03, the character-level language model.

Each ``check_*`` function takes the learner's function, prints the outcome and returns
``True`` (passed) or ``False`` (not attempted yet); a wrong answer raises
:class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 03.1 :func:`check_perplexity_from_nll`: ``perplexity_from_nll(nll) -> float``, from
  per-character negative log-likelihoods (nats) of any shape
- 03.2 :func:`check_sample_with_temperature`: ``sample_with_temperature(probs, temperature, rng) -> int``
- 03.3 :func:`check_generate_ids`: ``generate_ids(step_fn, state, prompt_ids, n, temperature, rng)
  -> n new ids``, the generation loop that carries the model's state

The checkers are fast: 03.2 draws a few thousand samples from a five-token distribution
and compares frequencies; 03.3 drives the learner's loop with tiny deterministic fake
models instead of a trained network.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from seqkeras.decoding import apply_temperature
from seqkeras.decoding import generate as reference_generate
from seqkeras.grading import ExerciseError, call, exercise, expect_close, expect_shape

__all__ = ["check_perplexity_from_nll", "check_sample_with_temperature", "check_generate_ids"]


# --------------------------------------------------------------------------- 03.1 perplexity
@exercise("03.1", "perplexity_from_nll")
def check_perplexity_from_nll(fn: Callable[..., Any]) -> None:
    """Check ``fn(nll)`` against ``exp(mean(nll))``.

    Args:
        fn: the learner's function. ``nll`` is an array of any shape (e.g. ``(batch, T)``)
            of per-character negative log-likelihoods in nats; it must return one number.
    """
    rng = np.random.default_rng(3)
    nll = rng.uniform(0.3, 3.0, size=(4, 25))
    got = call(fn, nll.copy())
    hint = "Average over every character (all axes) and return one number: np.exp(nll.mean())."
    expect_shape("perplexity", got, (), hint=hint)
    mean = nll.mean()
    expect_close("perplexity", got, np.exp(mean), rtol=1e-6, likely_bugs={
        "you used base 2 (2 ** mean). Keras' cross-entropy uses the natural log (nats), so "
        "undo it with np.exp(mean).": 2.0 ** mean,
        "you used base 10 (10 ** mean). Keras' cross-entropy uses the natural log (nats), so "
        "undo it with np.exp(mean).": 10.0 ** mean,
        "you returned the mean loss itself: perplexity is its exponential, np.exp(mean).": mean,
        "you summed the losses instead of averaging them: perplexity is per character, "
        "np.exp(nll.mean()).": np.exp(nll.sum()),
        "you averaged exp(nll) per character: take the mean first, then one exp, "
        "np.exp(nll.mean()).": np.exp(nll).mean(),
        "the sign is flipped: nll is already -log p, so perplexity is np.exp(+mean).": np.exp(-mean),
        "you took the log of the mean; perplexity is the exponential: np.exp(mean).": np.log(mean),
    })
    # A model that guesses uniformly among V characters has perplexity exactly V.
    v = 65
    got = call(fn, np.full(30, np.log(v)))
    expect_close("perplexity of a uniform guess over 65 characters", got, float(v), rtol=1e-6,
                 hint="A uniform guess over V characters must give V.")


# --------------------------------------------------------------------------- 03.2 temperature
_P = np.array([0.5, 0.25, 0.15, 0.07, 0.03])
_N_DRAWS = 3000
_TOLERANCE = 0.04  # total-variation distance; sampling noise at 3000 draws is about 0.01


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _draw(fn: Callable[..., Any], t: float, n: int, seed: int) -> np.ndarray:
    """``n`` indices from the learner's sampler, each checked to be one int in range."""
    rng = np.random.default_rng(seed)
    out = np.empty(n, dtype=int)
    for i in range(n):
        probs = _P.copy()
        try:
            k = call(fn, probs, t, rng)
        except ExerciseError as err:
            if "sum to 1" in str(err):
                raise ExerciseError(
                    "rng.choice complains that the probabilities do not sum to 1: after "
                    "reshaping them with the temperature, renormalise (q = q / q.sum()).") from None
            raise
        if not np.array_equal(probs, _P):
            raise ExerciseError("your function changed the `probs` array it was given: work on a "
                                "new array (e.g. q = np.log(probs) / temperature), not in place.")
        if k is None:
            raise ExerciseError("your function returned None: did you forget to `return` the index?")
        if np.ndim(k) != 0 or not np.issubdtype(np.asarray(k).dtype, np.integer):
            raise ExerciseError(f"return ONE character index (an int), got {type(k).__name__} "
                                f"{np.asarray(k).shape}: e.g. int(rng.choice(len(q), p=q)).")
        if not 0 <= int(k) < len(_P):
            raise ExerciseError(f"returned index {int(k)} is outside 0..{len(_P) - 1}. If you sample "
                                "with a cumulative sum, did you renormalise so that it ends at 1?")
        out[i] = int(k)
    return out


@exercise("03.2", "sample_with_temperature")
def check_sample_with_temperature(fn: Callable[..., Any]) -> None:
    """Check ``fn(probs, temperature, rng)`` by the frequencies of its draws.

    ``probs`` is the fixed distribution ``[0.5, 0.25, 0.15, 0.07, 0.03]``; draws at
    ``T = 0.5`` and ``T = 2`` must follow ``softmax(log(probs) / T)``. Known wrong
    distributions (temperature multiplied, applied to the probabilities, ignored; argmax)
    are named when the frequencies match them instead.
    """
    first = _draw(fn, 0.5, 20, seed=7)
    if not np.array_equal(first, _draw(fn, 0.5, 20, seed=7)):
        raise ExerciseError("the same seeded rng gave different draws: sample with the `rng` you "
                            "are given (rng.choice(...)), not np.random.choice, so that results "
                            "can be reproduced.")
    for t, seed in ((0.5, 0), (2.0, 1)):
        freq = np.bincount(_draw(fn, t, _N_DRAWS, seed), minlength=len(_P)) / _N_DRAWS
        expected = apply_temperature(_P, t)
        tv = 0.5 * np.abs(freq - expected).sum()
        if tv < _TOLERANCE:
            continue
        wrong = {
            "you multiplied by the temperature instead of dividing: use log(probs) / temperature "
            "(a low temperature must sharpen the distribution).": apply_temperature(_P, 1.0 / t),
            "you divided the probabilities themselves by T and took a softmax: the temperature "
            "divides the log-probabilities (the logits), softmax(np.log(probs) / T).":
                _softmax(_P / t),
            "the temperature has no effect: dividing probabilities by T and renormalising gives "
            "them back unchanged. Divide the log-probabilities instead: softmax(np.log(probs) / T).": _P,
            "you always return the most likely index (greedy): draw at random with "
            "rng.choice(len(q), p=q).": np.eye(len(_P))[0],
            "every index comes up equally often: pass the reshaped probabilities to the sampler "
            "(rng.choice(len(q), p=q)).": np.full(len(_P), 1.0 / len(_P)),
        }
        for diagnosis, dist in wrong.items():
            if 0.5 * np.abs(freq - dist).sum() < _TOLERANCE:
                raise ExerciseError(f"at T = {t}, {diagnosis}")
        raise ExerciseError(
            f"at T = {t} your draws have frequencies {np.round(freq, 3).tolist()}, but "
            f"softmax(log(probs) / T) is {np.round(expected, 3).tolist()} "
            f"(total variation {tv:.2f}). Check each step: log, divide by T, softmax, sample.")


# --------------------------------------------------------------------------- 03.3 generation
_V = 7


class _FakeModel:
    """A deterministic stand-in for a trained step model, recording its calls.

    The state is an int that hashes every token seen so far; the next token is certain
    (a one-hot distribution) and depends on both the token and the state. So a loop that
    drops the state, or does not feed its samples back, produces a different sequence.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[int, Any]] = []

    def __call__(self, token: int, state: Any) -> tuple[np.ndarray, int]:
        if isinstance(token, np.ndarray) and token.size == 1:
            token = token.item()
        if not isinstance(token, (int, np.integer)) or not 0 <= int(token) < _V:
            raise ExerciseError(f"step_fn was called with token {token!r}: pass one character id "
                                f"(an int in 0..{_V - 1}), e.g. the id you just sampled.")
        if not isinstance(state, (int, np.integer)):
            raise ExerciseError(f"step_fn was called with state {state!r}: pass back exactly the "
                                "state that the previous call returned (or the initial state).")
        self.calls.append((int(token), int(state)))
        new_state = (int(state) * 5 + int(token) + 1) % 101
        return np.eye(_V)[(int(token) * 3 + new_state) % _V], new_state


def _buggy_generate(step: Callable[..., Any], state: Any, prompt: list[int], n: int, *,
                    feed_back: bool = True, warm_state: str = "carry", loop_state: str = "carry",
                    whole_prompt: bool = True, refeed_last: bool = False) -> list[int]:
    """The generation loop with one known bug switched on, to name what a learner got wrong.

    ``warm_state`` (while reading the prompt) and ``loop_state`` (while generating) say which
    state each call gets: ``"carry"`` the one the previous call returned (right), ``"init"``
    the initial state, ``"frozen"`` the state after the prompt.
    """
    init = state
    probs = None
    for tok in (prompt if whole_prompt else prompt[-1:]):
        probs, new = step(tok, state)
        state = new if warm_state == "carry" else init
    frozen = state
    out: list[int] = []
    last = prompt[-1]
    for _ in range(n):
        if refeed_last:
            probs, state = step(last, state)
        k = int(np.argmax(probs))
        out.append(k)
        last = k
        if not refeed_last:
            use = {"carry": state, "init": init, "frozen": frozen}[loop_state]
            probs, state = step(k if feed_back else prompt[-1], use)
    return out


@exercise("03.3", "generate_ids")
def check_generate_ids(fn: Callable[..., Any]) -> None:
    """Check the learner's loop ``fn(step_fn, state, prompt_ids, n, temperature, rng)``.

    It must feed every prompt id, then feed each sampled id back in, passing on the state
    each call returns, one call per token; and it must pass ``temperature`` and ``rng`` on
    to the sampler. It returns the ``n`` new ids.
    """
    prompt, n = [2, 5, 1], 12
    model = _FakeModel()
    got = call(fn, model, 0, list(prompt), n, 1.0, np.random.default_rng(0))
    if got is None:
        raise ExerciseError("your function returned None: did you forget to `return` the new ids?")
    got_a = np.asarray(got)
    if got_a.shape == (len(prompt) + n,):
        raise ExerciseError(f"you returned {len(prompt) + n} ids: return only the {n} NEW ids, "
                            "not the prompt in front of them.")
    expect_shape("the generated ids", got_a, (n,), hint=f"Return the {n} new ids as a list or array.")
    expected = reference_generate(_FakeModel(), 0, prompt, n, 1.0, np.random.default_rng(0))
    variants = {
        "the sampled character is not fed back in: each step must take the id you just "
        "sampled as its input (not the last prompt character).": dict(feed_back=False),
        "the state is reset at every step: pass on the state that step_fn returns, it is the "
        "model's memory of everything read so far.": dict(warm_state="init", loop_state="init"),
        "the state is reset at every generation step: after the prompt, keep passing on the "
        "state that each step_fn call returns, not the initial state.": dict(loop_state="init"),
        "the state stops being updated after the prompt: keep the NEW state that each "
        "step_fn call returns (probs, state = step_fn(token, state)).": dict(loop_state="frozen"),
        "only the last prompt character is read: feed the WHOLE prompt, one id at a time, "
        "before sampling.": dict(whole_prompt=False),
        "the last prompt character is fed twice: the distribution after the prompt already "
        "gives the first new character; sample from it before calling step_fn again.":
            dict(refeed_last=True),
    }
    expect_close("the generated ids", got_a, expected, atol=0, rtol=0, likely_bugs={
        d: _buggy_generate(_FakeModel(), 0, list(prompt), n, **kw) for d, kw in variants.items()})
    max_calls = len(prompt) + n
    if len(model.calls) > max_calls:
        raise ExerciseError(
            f"the ids are right, but step_fn was called {len(model.calls)} times for a "
            f"{len(prompt)}-character prompt and {n} new characters (at most {max_calls} are "
            "needed): you re-run the prefix. Carry the state instead: one call per character.")

    # temperature and rng must reach the sampler: a fixed distribution, peaked on id 0
    probs = np.array([0.6, 0.1, 0.1, 0.1, 0.1])

    def fixed(token: int, state: Any) -> tuple[np.ndarray, Any]:
        return probs.copy(), state

    def share_of_zeros(t: float, seed: int) -> float:
        ids = np.asarray(call(fn, fixed, None, [1], 300, t, np.random.default_rng(seed)))
        expect_shape("the generated ids", ids, (300,))
        return float(np.mean(ids == 0))

    cold, hot = share_of_zeros(0.1, 1), share_of_zeros(3.0, 2)
    if cold > 0.97 and hot > 0.97:
        raise ExerciseError("you always pick the most likely id (greedy): sample instead, e.g. "
                            "decoding.sample(probs, temperature, rng).")
    if not (cold > 0.97 and hot < 0.45):
        raise ExerciseError(
            f"the temperature is not applied as it should be: with a distribution whose top id has "
            f"probability 0.6, your loop picked it {cold:.0%} of the time at T = 0.1 (expected "
            f"nearly always) and {hot:.0%} at T = 3 (expected about 30%). Pass the temperature "
            "on to the sampler: decoding.sample(probs, temperature, rng).")
    a = call(fn, fixed, None, [1], 30, 1.0, np.random.default_rng(5))
    b = call(fn, fixed, None, [1], 30, 1.0, np.random.default_rng(5))
    if not np.array_equal(np.asarray(a), np.asarray(b)):
        raise ExerciseError("the same seeded rng gave different ids: pass the `rng` you are given "
                            "to the sampler, so that a seed reproduces a sample.")
