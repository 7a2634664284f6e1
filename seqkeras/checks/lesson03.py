"""Checkers for lesson 03, the character-level language model.

Each ``check_*`` function takes the learner's function, prints the outcome and returns a
:class:`~seqkeras.grading.Outcome`, true if passed and false if not attempted yet; a wrong
answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 03.1 :func:`check_perplexity_from_nll`: ``perplexity_from_nll(nll) -> float``, from
  per-character negative log-likelihoods (nats) of any shape
- 03.2 :func:`check_sample_with_temperature`: ``sample_with_temperature(probs, temperature, rng) -> int``
- 03.3 :func:`check_generate_ids`: ``generate_ids(step_fn, state, prompt_ids, n, temperature, rng)
  -> n new ids``, the generation loop that carries the model's state
- 03.5 :func:`check_bigram_add_k`: ``bigram_add_k(ids, vocab_size, k) -> (vocab_size, vocab_size)``,
  an add-k smoothed bigram table p(next | previous)
- 03.6 :func:`check_sample_top_k`: ``sample_top_k(probs, k, rng) -> int``, top-k sampling
- 03.7 :func:`check_stateful_batches`: ``stateful_batches(ids, batch_size, seq_len) -> (x, y)``,
  batches whose rows continue from one batch to the next, so that a state can be carried

What they test besides the ordinary case: several shapes and lengths (one character, one
token of prompt, a vocabulary size the lesson does not use); extreme values (ten thousand
losses whose sum overflows ``exp``, a temperature τ near 0 where ``exp(log p / τ)``
underflows, a large τ with an impossible token); the contracts (one ``int`` per token; the
given ``rng`` is the only source of randomness: the same seed gives the same draws,
another seed other draws, and reseeding NumPy's global generator changes nothing; the
arrays and lists passed in are not modified; the given initial state is used).

They are fast: 03.2 draws about eight thousand samples from small distributions and
compares frequencies; 03.3 drives the learner's loop with tiny deterministic fake models
instead of a trained network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import seqkeras.reference as ref
from seqkeras.decoding import apply_temperature
from seqkeras.decoding import generate as reference_generate
from seqkeras.grading import (
    ExerciseError,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_unchanged,
    rng_use,
)

__all__ = [
    "check_perplexity_from_nll",
    "check_sample_with_temperature",
    "check_generate_ids",
    "check_bigram_add_k",
    "check_sample_top_k",
    "check_stateful_batches",
]


# --------------------------------------------------------------------------- 03.1 perplexity
def _as_number(got: Any, name: str) -> float:
    """``got`` as a float, or a sentence saying what was expected instead."""
    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` it?")
    if isinstance(got, (str, bytes)):
        raise ExerciseError(f"{name} is the text {got!r}: return the number itself (a float), not a string.")
    if isinstance(got, (list, tuple, dict, set)):
        raise ExerciseError(
            f"{name} is a {type(got).__name__} ({got!r:.60}): return one number, "
            "e.g. float(np.exp(np.mean(nll)))."
        )
    arr = np.asarray(got)
    if arr.shape != ():
        raise ExerciseError(
            f"{name} has shape {arr.shape}, expected one number: average over "
            "every character (all axes: np.mean(nll) without an axis), then "
            "take one exp."
        )
    if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise ExerciseError(f"{name} is a {type(got).__name__}, expected one number (a float).")
    return float(arr)


def _perplexity_of(fn: Callable[..., Any], nll: np.ndarray) -> float:
    """Call the learner's function on a copy of ``nll``; fail if it changes its argument."""
    got, passed = call_on_copies(fn, {"nll": nll})
    expect_unchanged(
        {"nll": nll},
        passed,
        "your function changed the `nll` array it was given: compute on a "
        "new array (np.mean(nll) makes one), not in place.",
    )
    return _as_number(got, "the perplexity")


@exercise("03.1", "perplexity_from_nll")
def check_perplexity_from_nll(fn: Callable[..., Any]) -> None:
    """Check ``fn(nll)`` against ``exp(mean(nll))``.

    Args:
        fn: the learner's function. ``nll`` is an array of any shape (e.g. ``(batch, T)``)
            of per-character negative log-likelihoods in nats; it must return one number,
            without overflow on long inputs and without modifying ``nll``.
    """
    rng = np.random.default_rng(3)
    nll = rng.uniform(0.3, 3.0, size=(4, 25))
    got = _perplexity_of(fn, nll)
    mean = nll.mean()
    expect_close(
        "perplexity",
        got,
        np.exp(mean),
        rtol=1e-6,
        likely_bugs={
            "you used base 2 (2 ** mean). Keras' cross-entropy uses the natural log (nats), so "
            "undo it with np.exp(mean).": 2.0**mean,
            "you used base 10 (10 ** mean). Keras' cross-entropy uses the natural log (nats), so "
            "undo it with np.exp(mean).": 10.0**mean,
            "you returned the mean loss itself: perplexity is its exponential, np.exp(mean).": mean,
            "you summed the losses instead of averaging them: perplexity is per character, "
            "np.exp(nll.mean()).": np.exp(nll.sum()),
            "you averaged exp(nll) per character: take the mean first, then one exp, "
            "np.exp(nll.mean()).": np.exp(nll).mean(),
            "you averaged the perplexities of the rows: average the losses over every character "
            "first, then take one exp.": np.exp(nll.mean(axis=-1)).mean(),
            "you used only the first row: average over every character of every row, "
            "np.exp(nll.mean()).": np.exp(nll[0].mean()),
            "the sign is flipped: nll is already -log p, so perplexity is np.exp(+mean).": np.exp(-mean),
            "you took the log of the mean; perplexity is the exponential: np.exp(mean).": np.log(mean),
        },
    )

    # Other shapes: one character, a vector, three axes. Right above but wrong here means
    # the shape (4, 25) is built in somewhere.
    for shape in [(1, 1), (7,), (2, 3, 5)]:
        nll = rng.uniform(0.3, 3.0, size=shape)
        got = _perplexity_of(fn, nll)
        expect_close(
            f"perplexity of an nll array of shape {shape}",
            got,
            np.exp(nll.mean()),
            rtol=1e-6,
            hint="It was right for shape (4, 25): do not build a shape or a "
            "count into the formula; np.mean(nll) averages over every axis.",
        )

    # Long and wide-ranging: 10,000 losses between 0 and 25 nats. exp(sum) overflows, and so
    # does a product of exp(nll); the mean first, then one exp, is about 2e5.
    nll = rng.uniform(0.0, 25.0, size=(20, 500))
    got = _perplexity_of(fn, nll)
    if not np.isfinite(got) or got == 0.0:
        raise ExerciseError(
            f"for 10,000 losses between 0 and 25 nats your function returns {got}, but the "
            f"perplexity is {np.exp(nll.mean()):.4g}: it overflows. Multiplying many exp(nll) "
            "(or taking exp of their sum) leaves the float range; average the losses first and "
            "take a single exp: np.exp(np.mean(nll))."
        )
    expect_close("perplexity of 10,000 losses between 0 and 25 nats", got, np.exp(nll.mean()), rtol=1e-6)

    # A model that guesses uniformly among |V| characters has perplexity exactly |V|.
    for size in (65, 2):
        got = _perplexity_of(fn, np.full(30, np.log(size)))
        expect_close(
            f"perplexity of a uniform guess over {size} characters",
            got,
            float(size),
            rtol=1e-6,
            hint=f"A uniform guess over {size} characters must give {size}.",
        )


# --------------------------------------------------------------------------- 03.2 temperature
_P = np.array([0.5, 0.25, 0.15, 0.07, 0.03])
_N_DRAWS = 3000
_TOLERANCE = 0.04  # total-variation distance; sampling noise at 3000 draws is about 0.01


def _as_index(k: Any, size: int) -> int:
    """One token index from the sampler's return value, or a sentence saying what is wrong."""
    if k is None:
        raise ExerciseError("your function returned None: did you forget to `return` the index?")
    if isinstance(k, (str, bytes)):
        raise ExerciseError(f"your function returned the text {k!r}: return the index, an int.")
    arr = np.asarray(k) if not isinstance(k, (list, tuple, dict, set)) else None
    if arr is None or arr.ndim != 0 or not np.issubdtype(arr.dtype, np.integer):
        shape = f" of shape {arr.shape}" if arr is not None and arr.ndim else ""
        kind = f" (dtype {arr.dtype})" if arr is not None and arr.ndim == 0 else ""
        raise ExerciseError(
            f"return ONE character index, an int; got {type(k).__name__}{shape}"
            f"{kind}: e.g. int(rng.choice(len(q), p=q))."
        )
    if not 0 <= int(arr) < size:
        raise ExerciseError(
            f"returned index {int(arr)} is outside 0..{size - 1}. If you sample "
            "with a cumulative sum, did you renormalise so that it ends at 1?"
        )
    return int(arr)


def _draw(
    fn: Callable[..., Any], t: float, n: int, rng: np.random.Generator, probs: np.ndarray = _P
) -> np.ndarray:
    """``n`` indices from the learner's sampler at temperature ``t``, each checked to be one
    int in range, with ``probs`` left unchanged."""
    out = np.empty(n, dtype=int)
    inputs = {"probs": probs, "temperature": t, "rng": rng}
    for i in range(n):
        try:  # log(0) warnings are expected, not the learner's fault: call_on_copies silences them
            k, passed = call_on_copies(fn, inputs)
        except ExerciseError as err:
            _explain_sampler_error(str(err), t, len(probs))
            raise
        expect_unchanged(
            inputs,
            passed,
            "your function changed the `probs` array it was given: work on a "
            "new array (e.g. q = np.log(probs) / temperature), not in place.",
        )
        out[i] = _as_index(k, len(probs))
    return out


def _explain_sampler_error(text: str, t: float, size: int) -> None:
    """Turn the errors ``rng.choice`` raises on bad probabilities into a diagnosis."""
    if "contain NaN" in text and t < 0.05:
        raise ExerciseError(
            f"at τ = {t:g} rng.choice got NaN probabilities: exp(log(p) / τ) (or p ** (1 / τ)) "
            "underflows to 0 for every token when τ is small, and 0 / 0 is NaN. Subtract the "
            "largest log(p) / τ before exp, as a stable softmax does; then the most likely "
            "token gets exp(0) = 1.\n" + text
        ) from None
    if "contain NaN" in text:
        raise ExerciseError(
            f"at τ = {t:g} rng.choice got NaN probabilities: check each step "
            "(log, divide by τ, subtract the max, exp, normalise).\n" + text
        ) from None
    if "sum to 1" in text:
        raise ExerciseError(
            "rng.choice complains that the probabilities do not sum to 1: after reshaping "
            "them with the temperature, renormalise (q = q / q.sum()).\n" + text
        ) from None
    if "same size" in text:
        raise ExerciseError(
            f"rng.choice got a number of choices that differs from the {size} probabilities: "
            "use len(probs) (the vocabulary size of the distribution you are given), not a "
            "fixed number.\n" + text
        ) from None


def _total_variation(freq: np.ndarray, dist: np.ndarray) -> float:
    return float(0.5 * np.abs(freq - dist).sum())


def _frequencies(fn: Callable[..., Any], t: float, n: int, seed: int, probs: np.ndarray = _P) -> np.ndarray:
    draws = _draw(fn, t, n, np.random.default_rng(seed), probs)
    return np.bincount(draws, minlength=len(probs)) / n


def _check_rng_use(fn: Callable[..., Any]) -> None:
    """The given rng must be the only source of randomness (sampler of 03.2)."""
    problem, first = rng_use(lambda seed: _draw(fn, 1.0, 20, np.random.default_rng(seed)))
    if problem == "not repeatable":
        raise ExerciseError(
            "the same seeded rng gave different draws: sample with the `rng` you "
            "are given (rng.choice(...)). np.random.default_rng() without a seed, "
            "or Python's random module, gives new numbers every time."
        )
    if problem == "global":
        raise ExerciseError(
            "your draws change when NumPy's global generator is reseeded: "
            "np.random.choice (or np.random.seed) uses that global generator. "
            "Sample with the `rng` you are given: rng.choice(...)."
        )
    if problem == "ignored":
        if np.all(first == first[0]):
            likely = ", the most likely one" if first[0] == np.argmax(_P) else ""
            raise ExerciseError(
                f"your function returns index {first[0]} every time{likely}, whatever the seed "
                "of the `rng` it is given: it does not draw at random. Greedy decoding "
                "(np.argmax) does this, and so does a generator with a fixed seed of its own; "
                "draw with the rng you are given: rng.choice(len(q), p=q)."
            )
        raise ExerciseError(
            "two differently seeded rngs gave the same 20 draws: your function "
            "does not use the `rng` it is given (a generator with a fixed seed "
            "of its own?). Sample with rng.choice(...)."
        )


@exercise("03.2", "sample_with_temperature")
def check_sample_with_temperature(fn: Callable[..., Any]) -> None:
    """Check ``fn(probs, temperature, rng)`` by the frequencies of its draws.

    ``probs`` is mostly the fixed distribution ``[0.5, 0.25, 0.15, 0.07, 0.03]``; draws at
    ``τ = 0.5`` and ``τ = 2`` must follow ``softmax(log(probs) / τ)``. Known wrong
    distributions (τ multiplied, applied to the probabilities, ignored; uniform) are named
    when the frequencies match them instead. Then: other vocabulary sizes, a τ near 0 (the
    most likely token, without NaN), a large τ (nearly uniform, but a token of probability 0
    stays impossible), and the use of ``rng``.
    """
    _draw(fn, 1.0, 5, np.random.default_rng(0))  # the contract: one int, probs untouched
    _check_rng_use(fn)
    for t, seed in ((0.5, 0), (2.0, 1)):
        freq = _frequencies(fn, t, _N_DRAWS, seed)
        expected = apply_temperature(_P, t)
        tv = _total_variation(freq, expected)
        if tv < _TOLERANCE:
            continue
        wrong = {
            "you multiplied by the temperature instead of dividing: use log(probs) / temperature "
            "(a low temperature must sharpen the distribution).": apply_temperature(_P, 1.0 / t),
            "you divided the probabilities themselves by τ and took a softmax: the temperature "
            "divides the log-probabilities (the logits), softmax(np.log(probs) / τ).": ref.softmax(_P / t),
            "the temperature has no effect: dividing probabilities by τ and renormalising gives "
            "them back unchanged. Divide the log-probabilities instead: softmax(np.log(probs) / τ).": _P,
            "every index comes up equally often: pass the reshaped probabilities to the sampler "
            "(rng.choice(len(q), p=q)).": np.full(len(_P), 1.0 / len(_P)),
        }
        for diagnosis, dist in wrong.items():
            if _total_variation(freq, dist) < _TOLERANCE:
                raise ExerciseError(f"at τ = {t}, {diagnosis}")
        raise ExerciseError(
            f"at τ = {t} your draws have frequencies {np.round(freq, 3).tolist()}, but "
            f"softmax(log(probs) / τ) is {np.round(expected, 3).tolist()} "
            f"(total variation {tv:.2f}). Check each step: log, divide by τ, softmax, sample."
        )

    # Another vocabulary size: two tokens and sixty-one (a size the lesson never uses).
    for size, seed in ((2, 3), (61, 4)):
        probs = ref.softmax(np.random.default_rng(seed).normal(0.0, 1.5, size))
        freq = _frequencies(fn, 0.7, 600, seed, probs)
        tv = _total_variation(freq, apply_temperature(probs, 0.7))
        if tv > 0.12 + 0.002 * size:
            raise ExerciseError(
                f"with a distribution over {size} tokens (τ = 0.7) your draws are off (total "
                f"variation {tv:.2f}), although they were right for 5 tokens: do not build the "
                "number of tokens into your code; use len(probs)."
            )

    # τ near 0, many small probabilities: nearly always the most likely token, never NaN.
    probs = np.full(200, 0.995 / 199)
    probs[17] = 0.005 + 0.995 / 199  # the most likely, by a hair
    probs = probs / probs.sum()
    draws = _draw(fn, 0.002, 30, np.random.default_rng(5), probs)
    if not np.all(draws == 17):
        raise ExerciseError(
            f"at τ = 0.002 your sampler must (almost) always return the most likely token, "
            f"index 17 of 200, but it returned {sorted(set(draws.tolist()))[:8]}: with a tiny "
            "τ, subtract the largest log(p) / τ before exp, or everything underflows to 0."
        )

    # A large τ flattens the distribution, but a token of probability 0 stays impossible.
    probs = np.array([0.4, 0.3, 0.2, 0.1, 0.0])
    freq = _frequencies(fn, 50.0, 1000, 6, probs)
    if freq[-1] > 0:
        raise ExerciseError(
            f"at τ = 50 a token of probability 0 was drawn {freq[-1]:.0%} of the time: adding a "
            "small number before the log (np.log(probs + 1e-9)) gives impossible tokens a real "
            "chance at high temperature. np.log(0) = -inf is fine: exp(-inf) = 0."
        )
    tv = _total_variation(freq, apply_temperature(probs, 50.0))
    if tv > 0.08:
        raise ExerciseError(
            f"at τ = 50 the four possible tokens should come up about equally "
            f"often; your frequencies are {np.round(freq, 3).tolist()}."
        )


# --------------------------------------------------------------------------- 03.3 generation
_V = 7


class _FakeModel:
    """A deterministic stand-in for a trained step model, recording its calls.

    The state is an int that hashes every token seen so far; the next token is certain
    (a one-hot distribution) and depends on both the token and the state. So a loop that
    drops the state, does not feed its samples back, or ignores the initial state it is
    given, produces a different sequence.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[int, Any]] = []

    def __call__(self, token: int, state: Any) -> tuple[np.ndarray, int]:
        if isinstance(token, np.ndarray) and token.size == 1:
            token = token.item()
        if (
            isinstance(token, (bool, np.bool_))
            or not isinstance(token, (int, np.integer))
            or not 0 <= int(token) < _V
        ):
            raise ExerciseError(
                f"step_fn was called with token {token!r}: pass one character id "
                f"(an int in 0..{_V - 1}), e.g. the id you just sampled."
            )
        if isinstance(state, (bool, np.bool_)) or not isinstance(state, (int, np.integer)):
            raise ExerciseError(
                f"step_fn was called with state {state!r}: pass back exactly the "
                "state that the previous call returned (or the initial state)."
            )
        self.calls.append((int(token), int(state)))
        new_state = (int(state) * 5 + int(token) + 1) % 101
        return np.eye(_V)[(int(token) * 3 + new_state) % _V], new_state


def _buggy_generate(
    step: Callable[..., Any],
    state: Any,
    prompt: list[int],
    n: int,
    *,
    feed_back: bool = True,
    warm_state: str = "carry",
    loop_state: str = "carry",
    whole_prompt: bool = True,
    refeed_last: bool = False,
    start: Any = None,
) -> list[int]:
    """The generation loop with one known bug switched on, to name what a learner got wrong.

    ``warm_state`` (while reading the prompt) and ``loop_state`` (while generating) say which
    state each call gets: ``"carry"`` the one the previous call returned (right), ``"init"``
    the initial state, ``"frozen"`` the state after the prompt. ``start`` replaces the given
    initial state (a loop that ignores it).
    """
    if start is not None:
        state = start
    init = state
    probs = None
    for tok in prompt if whole_prompt else prompt[-1:]:
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


def _as_ids(got: Any, n: int, n_prompt: int) -> np.ndarray:
    """The generated ids as an int array of shape ``(n,)``, or a sentence saying what is wrong."""
    if got is None:
        raise ExerciseError("your function returned None: did you forget to `return` the new ids?")
    if isinstance(got, (str, bytes)):
        raise ExerciseError(
            "your function returned text: return the new ids (a list of ints); "
            "the lesson's decode(ids) turns them into text afterwards."
        )
    try:
        arr = np.asarray(list(got) if not hasattr(got, "shape") else got)
    except Exception:
        raise ExerciseError(
            f"your function returned {type(got).__name__}: return the {n} new ids as a list or array of ints."
        ) from None
    if arr.shape == (n_prompt + n,):
        raise ExerciseError(
            f"you returned {n_prompt + n} ids: return only the {n} NEW ids, not the prompt in front of them."
        )
    if arr.shape == (n, 1) or arr.shape == (1, n):
        raise ExerciseError(
            f"the generated ids have shape {arr.shape}, expected ({n},): one int "
            "per new token (int(...) around each sampled id)."
        )
    if arr.shape != (n,):
        raise ExerciseError(
            f"the generated ids have shape {arr.shape}, expected ({n},): return "
            f"the {n} new ids as a list or array."
        )
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ExerciseError(
            f"the generated ids have dtype {arr.dtype}: token ids are integers. "
            "Keep each sampled id an int (decoding.sample returns one)."
        )
    return arr


def _generate(
    fn: Callable[..., Any],
    step: Callable[..., Any],
    state: Any,
    prompt: Any,
    n: int,
    temperature: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Run the learner's loop; fail if it changes the prompt it was given or returns odd ids."""
    inputs = {
        "step_fn": step,
        "state": state,
        "prompt_ids": prompt,
        "n": n,
        "temperature": temperature,
        "rng": rng,
    }
    got, passed = call_on_copies(fn, inputs)  # silences log(0) of the fake models' one-hot outputs
    expect_unchanged(
        inputs,
        passed,
        "your function changed the `prompt_ids` it was given (appending to "
        "it?): build a new list for the generated ids, new_ids = [].",
    )
    return _as_ids(got, n, len(prompt))


@exercise("03.3", "generate_ids")
def check_generate_ids(fn: Callable[..., Any]) -> None:
    """Check the learner's loop ``fn(step_fn, state, prompt_ids, n, temperature, rng)``.

    It must start from the given ``state``, feed every prompt id, then feed each sampled id
    back in, passing on the state each call returns, one call per token; and it must pass
    ``temperature`` and ``rng`` on to the sampler (and draw from nothing else). It returns
    the ``n`` new ids as ints, and leaves ``prompt_ids`` (a list or an array) unchanged.
    """
    prompt, n, start = [2, 5, 1], 12, 58  # a start whose bug variants all differ
    model = _FakeModel()
    got = _generate(fn, model, start, list(prompt), n, 1.0, np.random.default_rng(0))
    expected = reference_generate(_FakeModel(), start, prompt, n, 1.0, np.random.default_rng(0))
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
        "gives the first new character; sample from it before calling step_fn again.": dict(refeed_last=True),
        "the loop does not start from the `state` it is given (it starts from 0 instead): the "
        "first call must be step_fn(prompt_ids[0], state).": dict(start=0),
    }
    expect_close(
        "the generated ids",
        got,
        expected,
        atol=0,
        rtol=0,
        likely_bugs={
            d: _buggy_generate(_FakeModel(), start, list(prompt), n, **kw) for d, kw in variants.items()
        },
    )
    max_calls = len(prompt) + n
    if len(model.calls) > max_calls:
        raise ExerciseError(
            f"the ids are right, but step_fn was called {len(model.calls)} times for a "
            f"{len(prompt)}-character prompt and {n} new characters (at most {max_calls} are "
            "needed): you re-run the prefix. Carry the state instead: one call per character."
        )

    # Prompts given as arrays (what the lesson's encode returns), one id long and longer; n = 1.
    for prompt_a, n_a, start_a in ((np.array([4]), 1, 41), (np.array([6, 0, 3, 3, 1], "int32"), 7, 11)):
        got = _generate(fn, _FakeModel(), start_a, prompt_a, n_a, 0.8, np.random.default_rng(1))
        expected = reference_generate(_FakeModel(), start_a, prompt_a, n_a, 0.8, np.random.default_rng(1))
        expect_close(
            f"the {n_a} ids generated after the prompt {prompt_a.tolist()} (an array)",
            got,
            expected,
            atol=0,
            rtol=0,
            hint="It was right for a list prompt: treat prompt_ids as a sequence of ids "
            "(for token in prompt_ids: ...), not as a list to add to (+ on an array adds "
            "numbers).",
        )

    # temperature and rng must reach the sampler: a fixed distribution, peaked on id 0
    probs = np.array([0.6, 0.1, 0.1, 0.1, 0.1])

    def fixed(token: int, state: Any) -> tuple[np.ndarray, Any]:
        return probs.copy(), state

    def ids(n_ids: int, t: float, seed: int) -> np.ndarray:
        return _generate(fn, fixed, None, [1], n_ids, t, np.random.default_rng(seed))

    cold, hot = float(np.mean(ids(300, 0.1, 1) == 0)), float(np.mean(ids(300, 3.0, 2) == 0))
    if cold > 0.97 and hot > 0.97:
        raise ExerciseError(
            "you always pick the most likely id (greedy): sample instead, e.g. "
            "decoding.sample(probs, temperature, rng)."
        )
    if not (cold > 0.97 and hot < 0.45):
        raise ExerciseError(
            f"the temperature is not applied as it should be: with a distribution whose top id has "
            f"probability 0.6, your loop picked it {cold:.0%} of the time at τ = 0.1 (expected "
            f"nearly always) and {hot:.0%} at τ = 3 (expected about 30%). Pass the temperature "
            "on to the sampler: decoding.sample(probs, temperature, rng)."
        )
    problem, _ = rng_use(lambda seed: ids(30, 1.0, seed), seeds=(5, 6))
    if problem == "not repeatable":
        raise ExerciseError(
            "the same seeded rng gave different ids: pass the `rng` you are given "
            "to the sampler (decoding.sample(probs, temperature, rng)), so that a "
            "seed reproduces a sample."
        )
    if problem == "global":
        raise ExerciseError(
            "your ids change when NumPy's global generator is reseeded: "
            "something draws from np.random instead of the `rng` you are given. "
            "Pass rng on: decoding.sample(probs, temperature, rng)."
        )
    if problem == "ignored":
        raise ExerciseError(
            "two differently seeded rngs gave the same 30 ids: your loop does "
            "not pass the `rng` it is given to the sampler (a fixed seed?). Pass "
            "it on: decoding.sample(probs, temperature, rng)."
        )


# --------------------------------------------------------------------------- 03.5 add-k bigram
def _bigram(ids: np.ndarray, vocab_size: int, k: float) -> np.ndarray:
    """p(next | previous) with k added to every count: row a is the distribution after a."""
    counts = np.full((vocab_size, vocab_size), float(k))
    np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
    return counts / counts.sum(axis=1, keepdims=True)


def _bigram_bugs(ids: np.ndarray, vocab_size: int, k: float) -> dict[str, np.ndarray]:
    """What the likely bugs of an add-k bigram table return."""
    n = vocab_size
    pairs = np.zeros((n, n))
    np.add.at(pairs, (ids[:-1], ids[1:]), 1.0)
    once = np.zeros((n, n))
    once[ids[:-1], ids[1:]] += 1.0  # a repeated pair counted once
    wrapped = pairs.copy()
    wrapped[ids[-1], ids[0]] += 1.0
    short = np.zeros((n, n))
    np.add.at(short, (ids[:-2], ids[1:-1]), 1.0)

    def rows(counts: np.ndarray) -> np.ndarray:
        return counts / counts.sum(axis=1, keepdims=True)

    with np.errstate(all="ignore"):
        return {
            "rows must be the PREVIOUS character and columns the next one (table[a, b] = p(b | a)); "
            "yours is the other way round.": rows(pairs.T + k),
            "the table is transposed: row a must hold p(next | a), so index it table[previous, next].": rows(
                pairs + k
            ).T,
            "each ROW must sum to 1 (it is the distribution of the next character after a): divide "
            "by counts.sum(axis=1, keepdims=True), not by the column sums.": (pairs + k)
            / (pairs + k).sum(axis=0, keepdims=True),
            "the whole table sums to 1: it is a joint distribution of pairs, not p(next | previous). "
            "Divide each row by its own sum.": (pairs + k) / (pairs + k).sum(),
            "counts[a, b] += 1 with arrays of indices counts a pair that occurs several times only "
            "once: use np.add.at(counts, (ids[:-1], ids[1:]), 1) or a loop.": rows(once + k),
            "a pair from the last character back to the first was counted (np.roll?): the pairs are "
            "(ids[t], ids[t + 1]) for t = 0 .. len(ids) - 2 only.": rows(wrapped + k),
            "the last pair (ids[-2], ids[-1]) is missing: the pairs are ids[:-1] with ids[1:].": rows(
                short + k
            ),
            "k is not used as given: you added 1 (the lesson's add-one) instead of k.": rows(pairs + 1.0),
            "k is added after normalising (or not at all): add k to every COUNT, then divide each row "
            "by its sum.": rows(pairs) + k,
            "the denominator must grow by k for each of the vocab_size entries of the row: "
            "(count + k) / (row total + k * vocab_size).": (pairs + k)
            / (pairs.sum(axis=1, keepdims=True) + k),
        }


def _bigram_table(fn: Callable[..., Any], ids: np.ndarray, vocab_size: int, k: float) -> Any:
    inputs = {"ids": ids, "vocab_size": vocab_size, "k": k}
    got, passed = call_on_copies(fn, inputs)
    expect_unchanged(
        inputs,
        passed,
        "your function changed the `ids` it was given (sorted them? wrote into them?): count "
        "into a new array and leave ids as they are.",
    )
    return got


@exercise("03.5", "bigram_add_k")
def check_bigram_add_k(fn: Callable[..., Any]) -> None:
    """Check ``fn(ids, vocab_size, k)``: an add-k smoothed bigram table.

    Args:
        fn: the learner's function. ``ids`` is a 1-D integer array of token ids in
            ``0 .. vocab_size - 1`` (some ids may never occur); ``k > 0`` is added to every
            pair count. It must return ``table`` ``(vocab_size, vocab_size)`` with
            ``table[a, b] = p(b | a) = (count(a, b) + k) / (count(a) + k * vocab_size)``,
            where ``count(a)`` counts the pairs that start with ``a``; each row sums to 1,
            and a character never seen as the previous one gets a uniform row.
    """
    # Repeated pairs, an id that never occurs (5), one that only ends the text (4).
    ids = np.array([0, 1, 2, 1, 2, 1, 0, 3, 1, 2, 2, 4])
    for vocab_size, k in ((6, 0.5), (6, 2.0)):
        got = _bigram_table(fn, ids, vocab_size, k)
        table = expect_array(
            "the table",
            got,
            (vocab_size, vocab_size),
            ("previous", "next"),
            given=f"for vocab_size = {vocab_size}",
        )
        if not np.all(np.isfinite(table)):
            raise ExerciseError(
                f"the table has nan or inf (k = {k}): an id that never occurs has a row of zero counts; "
                "adding k to every count before dividing keeps every row total above 0."
            )
        expect_close(
            f"the table (k = {k})",
            table,
            _bigram(ids, vocab_size, k),
            atol=1e-9,
            likely_bugs=_bigram_bugs(ids, vocab_size, k),
            hint="table[a, b] = (count(a, b) + k) / (count(a) + k * vocab_size), where count(a) is "
            "the number of pairs that start with a.",
        )
    # A text of one pair, with k small; a longer text of int32 ids with a vocabulary the lesson
    # does not use; an id past the end of the vocabulary must still get its row and column.
    probes = [
        (np.array([2, 0]), 3, 0.01),
        (np.random.default_rng(4).integers(0, 37, size=3000).astype(np.int32), 40, 0.1),
    ]
    for ids_p, vocab_size, k in probes:
        got = _bigram_table(fn, ids_p, vocab_size, k)
        given = f"for {len(ids_p)} ids and vocab_size = {vocab_size}"
        table = expect_array("the table", got, (vocab_size, vocab_size), ("previous", "next"), given=given)
        expect_close(
            f"the table {given} (k = {k})",
            table,
            _bigram(ids_p, vocab_size, k),
            atol=1e-9,
            hint="It was right for the first text: take the size from vocab_size (not from the ids "
            "that occur) and k from the argument.",
        )


# --------------------------------------------------------------------------- 03.6 top-k sampling
_TOP_P = np.array([0.05, 0.3, 0.1, 0.4, 0.15])  # not sorted: a position is not a token id


def _top_k_dist(probs: np.ndarray, k: int, *, smallest: bool = False) -> np.ndarray:
    """The distribution top-k sampling draws from: the k largest renormalised, 0 elsewhere."""
    order = np.argsort(probs if smallest else -probs, kind="stable")[:k]
    out = np.zeros_like(probs)
    out[order] = probs[order] / probs[order].sum()
    return out


def _top_k_draws(fn: Callable[..., Any], probs: np.ndarray, k: int, n: int, seed: int) -> np.ndarray:
    """``n`` draws from the learner's sampler, each one int in range, ``probs`` left unchanged."""
    out = np.empty(n, dtype=int)
    inputs = {"probs": probs, "k": k, "rng": np.random.default_rng(seed)}
    for i in range(n):
        try:
            got, passed = call_on_copies(fn, inputs)
        except ExerciseError as err:
            if "sum to 1" in str(err):
                raise ExerciseError(
                    "rng.choice complains that the probabilities do not sum to 1: after keeping the "
                    f"k most likely tokens, renormalise them (q = q / q.sum()).\n{err}"
                ) from None
            if "same size" in str(err):
                raise ExerciseError(
                    f"with {len(probs)} ids and k = {k}, rng.choice got a number of choices that differs "
                    "from the number of probabilities: take sizes from len(probs) and k, not from a "
                    f"fixed number.\n{err}"
                ) from None
            raise
        expect_unchanged(
            inputs,
            passed,
            "your function changed the `probs` array it was given (zeroed the tokens outside "
            "the top k in place?): work on a copy, q = probs.copy(), or index into it.",
        )
        out[i] = _as_index(got, len(probs))
    return out


def _top_k_bugs(probs: np.ndarray, k: int) -> dict[str, np.ndarray]:
    positions = np.zeros_like(probs)
    positions[:k] = np.sort(_top_k_dist(probs, k)[_top_k_dist(probs, k) > 0])[::-1]
    bugs = {
        "you kept the k LEAST likely tokens: sort by decreasing probability, e.g. "
        "np.argsort(probs)[::-1][:k].": _top_k_dist(probs, k, smallest=True),
        "you returned the position in the top-k list, not the token's id: if top holds the "
        "kept ids, return int(top[j]) for the drawn position j.": positions,
        "you sample from the whole distribution: k is ignored.": probs / probs.sum(),
        "the kept tokens are drawn equally often: draw them with their renormalised "
        "probabilities, p=probs[top] / probs[top].sum().": np.where(_top_k_dist(probs, k) > 0, 1.0 / k, 0.0),
    }
    if k + 1 <= len(probs):
        bugs["you keep k + 1 tokens (off by one): keep exactly k."] = _top_k_dist(probs, k + 1)
    if k > 1:
        bugs["you keep k - 1 tokens (off by one): keep exactly k."] = _top_k_dist(probs, k - 1)
    return bugs


@exercise("03.6", "sample_top_k")
def check_sample_top_k(fn: Callable[..., Any]) -> None:
    """Check ``fn(probs, k, rng)``: top-k sampling.

    Args:
        fn: the learner's function. ``probs`` ``(vocab_size,)`` sums to 1 (no ties among the
            checker's distributions); ``1 <= k <= vocab_size``. It must keep the ``k`` most
            likely ids, renormalise their probabilities, draw one with ``rng`` and return that
            id (an int in ``0 .. vocab_size - 1``), without changing ``probs``.
    """
    n = 1500
    for k in (2, 3):
        draws = _top_k_draws(fn, _TOP_P, k, n, seed=k)
        freq = np.bincount(draws, minlength=len(_TOP_P)) / n
        expected = _top_k_dist(_TOP_P, k)
        if _total_variation(freq, expected) <= 0.05:
            continue
        if np.all(draws == np.argmax(_TOP_P)):
            raise ExerciseError(
                f"with k = {k} your function always returns id {int(np.argmax(_TOP_P))}, the most "
                "likely one: that is greedy decoding (top-1). Draw among the k kept ids with rng."
            )
        if np.all(draws == draws[0]):
            raise ExerciseError(
                f"with k = {k} your function returns id {draws[0]} every time: it does not draw at "
                "random with the `rng` it is given (a fixed seed of its own, or no draw at all?)."
            )
        for diagnosis, dist in _top_k_bugs(_TOP_P, k).items():
            if _total_variation(freq, dist) <= 0.05:
                raise ExerciseError(f"with probs {_TOP_P.tolist()} and k = {k}: {diagnosis}")
        raise ExerciseError(
            f"with probs {_TOP_P.tolist()} and k = {k} your ids came up with frequencies "
            f"{np.round(freq, 2).tolist()}; expected about {np.round(expected, 2).tolist()} (the "
            f"{k} most likely ids, renormalised)."
        )
    # k = 1 is greedy; k = vocab_size is plain sampling; a vocabulary of 40 with k = 7.
    if not np.all(_top_k_draws(fn, _TOP_P, 1, 50, seed=9) == np.argmax(_TOP_P)):
        raise ExerciseError("with k = 1 the only id kept is the most likely one: every draw must return it.")
    big = np.random.default_rng(2).dirichlet(np.full(40, 0.5))
    for probs, k in ((_TOP_P, len(_TOP_P)), (big, 7)):
        freq = np.bincount(_top_k_draws(fn, probs, k, n, seed=11), minlength=len(probs)) / n
        tv = _total_variation(freq, _top_k_dist(probs, k))
        if tv > 0.06:
            raise ExerciseError(
                f"with {len(probs)} ids and k = {k} your draws are off (total variation {tv:.2f} from "
                "the right frequencies), although they were right for k = 2 and 3: take the "
                "number of ids from len(probs) and keep exactly k of them."
            )
    problem, first = rng_use(lambda seed: _top_k_draws(fn, _TOP_P, 3, 20, seed))
    if problem == "not repeatable":
        raise ExerciseError(
            "the same seeded rng gave different ids: draw with the `rng` you are given "
            "(rng.choice(...)), not a new generator or Python's random module."
        )
    if problem == "global":
        raise ExerciseError(
            "your ids change when NumPy's global generator is reseeded: np.random.choice uses the "
            "global generator. Draw with the `rng` you are given: rng.choice(...)."
        )
    if problem == "ignored":
        raise ExerciseError(
            "two differently seeded rngs gave the same 20 ids: your function does not draw with "
            "the `rng` it is given (a fixed seed of its own?)."
        )


# --------------------------------------------------------------------------- 03.7 stateful batches
def _stateful(ids: np.ndarray, batch_size: int, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and targets ``(n_batches, batch_size, seq_len)``: row i of batch j + 1 continues
    row i of batch j, each row of the batches together one contiguous stream of the text."""
    n_batches = (len(ids) - 1) // (batch_size * seq_len)
    used = batch_size * n_batches * seq_len
    x = ids[:used].reshape(batch_size, n_batches, seq_len).transpose(1, 0, 2)
    y = ids[1 : used + 1].reshape(batch_size, n_batches, seq_len).transpose(1, 0, 2)
    return x, y


def _stateful_bugs(
    ids: np.ndarray, batch_size: int, seq_len: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """What the likely bugs of the stateful layout return, as (x, y)."""
    x, y = _stateful(ids, batch_size, seq_len)
    n_batches = x.shape[0]
    used = batch_size * n_batches * seq_len
    side = (
        ids[:used].reshape(n_batches, batch_size, seq_len),
        ids[1 : used + 1].reshape(n_batches, batch_size, seq_len),
    )
    return {
        "consecutive windows sit side by side in ONE batch (as sliding_windows cuts them), so "
        "row i of the next batch does not continue row i of this one. Cut the text into "
        "batch_size long streams first (reshape(batch_size, n_batches, seq_len)), then take "
        "window j of every stream for batch j (transpose(1, 0, 2)).": side,
        "the targets are the inputs: y must be the same text shifted by one character, "
        "ids[1:] where x reads ids[:-1].": (x, x),
        "each window's last target wraps around to its own first character (np.roll?): it must be "
        "the character after the window, which begins the next window of the same row.": (
            x,
            np.roll(x, -1, axis=-1),
        ),
    }


def _as_batches(got: Any, shape: tuple[int, int, int], name: str, given: str) -> np.ndarray:
    arr = expect_array(name, got, shape, ("n_batches", "batch_size", "seq_len"), given=given)
    raw = np.asarray(got)
    if raw.dtype.kind not in "iu":
        raise ExerciseError(
            f"{name} has dtype {raw.dtype}: character ids are integers; keep the dtype of ids."
        )
    return arr


@exercise("03.7", "stateful_batches")
def check_stateful_batches(fn: Callable[..., Any]) -> None:
    """Check ``fn(ids, batch_size, seq_len) -> (x, y)``: batches that carry the state.

    Args:
        fn: the learner's function. ``ids`` is a 1-D integer array. With
            ``n_batches = (len(ids) - 1) // (batch_size * seq_len)`` it must return ``x`` and
            ``y``, integer arrays ``(n_batches, batch_size, seq_len)``: the first
            ``batch_size * n_batches * seq_len`` ids cut into ``batch_size`` contiguous streams,
            ``x[j, i]`` the j-th window of stream i, and ``y`` the same one character later.
            So ``x[j + 1, i]`` continues ``x[j, i]``. ``ids`` is left unchanged.
    """
    # The main probe (with the likely bugs named); then a text that fits exactly (one id to
    # spare for the last target), one window per batch, batch of one, windows of one.
    probes = [(np.arange(100, 203), 3, 4), (np.arange(5, 5 + 2 * 3 * 5), 2, 5), (np.arange(40, 71), 4, 7)]
    rng = np.random.default_rng(8)
    probes += [(rng.integers(0, 65, size=50).astype(np.int32), 1, 6), (rng.integers(0, 65, size=9), 3, 1)]
    for p, (ids, batch_size, seq_len) in enumerate(probes):
        x_ref, y_ref = _stateful(ids, batch_size, seq_len)
        inputs = {"ids": ids, "batch_size": batch_size, "seq_len": seq_len}
        try:
            got, passed = call_on_copies(fn, inputs)
        except ExerciseError as err:
            if "reshape" in str(err):
                raise ExerciseError(
                    f"{err}\nHint: the targets need one id more than the inputs, so only "
                    "n_batches = (len(ids) - 1) // (batch_size * seq_len) batches fit; use the "
                    "first batch_size * n_batches * seq_len ids for x and the same span shifted by "
                    "one for y."
                ) from None
            raise
        expect_unchanged(inputs, passed)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise ExerciseError(f"return two arrays, `return x, y`; got {type(got).__name__}.")
        given = f"for {len(ids)} ids, batch_size = {batch_size}, seq_len = {seq_len}"
        shape = x_ref.shape
        if np.shape(got[0]) == (batch_size, shape[0], seq_len) and batch_size != shape[0]:
            raise ExerciseError(
                f"x has shape {np.shape(got[0])}, expected {shape} {given}: the first axis is the "
                "batch index j (x[j] is one batch, fed to the model in turn), so transpose the "
                "streams: .transpose(1, 0, 2)."
            )
        x = _as_batches(got[0], shape, "x", given)
        y = _as_batches(got[1], shape, "y", given)
        bugs = _stateful_bugs(ids, batch_size, seq_len) if p == 0 else {}
        for name, value, expected, k in (("x", x, x_ref, 0), ("y", y, y_ref, 1)):
            expect_close(
                f"{name} {given}",
                value,
                expected,
                atol=0,
                rtol=0,
                likely_bugs={d: v[k] for d, v in bugs.items()},
                hint="Row i of batch j + 1 must continue row i of batch j." if name == "x" else "",
            )
