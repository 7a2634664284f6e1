"""Checkers for lesson 07, the encoder–decoder.

Each ``check_*`` function takes the learner's function, prints the outcome and returns a
true :class:`~seqkeras.grading.Outcome` (passed) or a false one (not attempted yet); a
wrong answer raises :class:`~seqkeras.grading.ExerciseError` naming the likely bug.

- 07.1 :func:`check_scheduled_inputs`: ``scheduled_inputs(targets, predicted, start_id, p, rng)
  -> decoder_inputs``, scheduled sampling's mix of teacher forcing and the model's own
  predictions (the lesson's shift_right, and exposure bias, carried one step further)
- 07.2 :func:`check_greedy_decode_one`: ``greedy_decode_one(step, state, start_id, end_id,
  max_len) -> ids``, the greedy decoding loop for one sequence
- 07.3 :func:`check_beam_search_best`: ``beam_search_best(log_prob_fn, end_id, max_len,
  beam_width, alpha) -> ids``, beam search with length normalisation on a toy scorer

Every probe is a tiny deterministic fake (no trained model), built so that each likely bug
gives a different answer from the right one: the checker runs the bug itself and names it
when the learner's answer matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from seqkeras.grading import (
    ExerciseError,
    argument_mistake,
    call,
    call_on_copies,
    exercise,
    expect_array,
    expect_close,
    expect_new_arrays,
    expect_number,
    expect_one_array,
    expect_unchanged,
    library_object,
    rng_use,
)
from seqkeras.seq2seq import shift_right as _reference_shift

__all__ = ["check_scheduled_inputs", "check_greedy_decode_one", "check_beam_search_best", "check_corpus_bleu"]


def _ids(name: str, got: Any) -> list[int]:
    """A learner's output sequence as a list of Python ints, or a sentence saying what is wrong."""
    if got is None:
        raise ExerciseError(f"{name} is None: did you forget to `return` the list of ids?")
    lib = library_object(got)
    if lib or isinstance(got, (str, bytes, dict, set)) or callable(got):
        raise ExerciseError(f"{name} should be a list of token ids (ints), got {lib or type(got).__name__}.")
    if isinstance(got, tuple) and any(isinstance(g, (list, tuple, np.ndarray)) for g in got):
        raise ExerciseError(
            f"{name} is a tuple of {len(got)} items, a list among them (e.g. `return ids, state` or "
            "`return ids, score`): return only the list of token ids."
        )
    try:
        arr = np.asarray(got)
    except ValueError:  # ragged
        raise ExerciseError(
            f"{name} should be a flat list of token ids (ints), got a {type(got).__name__} that "
            "NumPy cannot turn into one (a list of lists of different lengths?)."
        ) from None
    if arr.ndim != 1 and arr.size:
        raise ExerciseError(
            f"{name} should be a flat list of token ids, got an array of shape "
            f"{arr.shape}: return one id per output step (e.g. [5, 2, 7])."
        )
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ExerciseError(
            f"{name} should hold integer token ids, got dtype {arr.dtype}: int(np.argmax(...)) gives an int."
        )
    return [int(i) for i in arr.reshape(-1)]


# --------------------------------------------------------------------------- 07.1 teacher forcing
def _targets(rng: np.random.Generator, batch: int, t: int, vocab_size: int, end_id: int) -> np.ndarray:
    """``(batch, t)`` target ids: each row some tokens, the end token, then padding (0).
    Row 0 fills the whole length (no padding) so that the last position holds the end token."""
    y = np.zeros((batch, t), dtype=np.int64)
    for b in range(batch):
        n = t if b == 0 else int(rng.integers(1, t + 1))
        y[b, : n - 1] = rng.integers(3, vocab_size, size=n - 1)
        y[b, n - 1] = end_id
    return y


def _scheduled(targets: np.ndarray, predicted: np.ndarray, start_id: int, take: np.ndarray) -> np.ndarray:
    """The decoder inputs when ``take`` (``(B, Ty - 1)`` bool) says where the prediction is fed."""
    shifted_t = _reference_shift(targets, start_id)
    shifted_p = _reference_shift(predicted, start_id)
    out = shifted_t.copy()
    out[:, 1:] = np.where(take, shifted_p[:, 1:], shifted_t[:, 1:])
    out[:, 1:][targets[:, :-1] == 0] = 0  # padding stays padding
    return out


def _scheduled_case(rng: np.random.Generator, batch: int, t: int) -> tuple[np.ndarray, np.ndarray]:
    """Targets, and predictions that differ from them almost everywhere (so every choice shows)."""
    y = _targets(rng, batch, t, 50, end_id=2)
    guess = (y + rng.integers(1, 40, size=y.shape)) % 47 + 3  # ids 3 ... 49, never 0
    guess[guess == y] = 1
    return y, guess.astype(y.dtype)


def _scheduled_call(
    fn: Callable[..., Any], y: np.ndarray, guess: np.ndarray, start_id: int, p: float, seed: int
) -> np.ndarray:
    inputs = {
        "targets": y,
        "predicted": guess,
        "start_id": start_id,
        "p": p,
        "rng": np.random.default_rng(seed),
    }
    got, passed = call_on_copies(fn, inputs)
    for name in ("targets", "predicted"):
        expect_unchanged(
            {name: inputs[name]},
            {name: passed[name]},
            f"your function changed the `{name}` array it was given: build a new array instead.",
        )
    arr = expect_one_array("decoder_inputs", got)
    expect_new_arrays(
        "decoder_inputs",
        got,
        {"targets": passed["targets"], "predicted": passed["predicted"]},
        "decoder_inputs is one of the arrays you were given (or a view of it): build a new one.",
    )
    batch, t = y.shape
    expect_array("decoder_inputs", arr, (batch, t), ("B", "T_y"), given=f"for targets ({batch}, {t})")
    if not np.issubdtype(np.asarray(got).dtype, np.integer):
        raise ExerciseError(
            f"the decoder inputs must be integer token ids (they feed an Embedding): got dtype "
            f"{np.asarray(got).dtype}. Keep the dtype of `targets`."
        )
    return arr.astype(np.int64)


@exercise("07.1", "scheduled_inputs")
def check_scheduled_inputs(fn: Callable[..., Any]) -> None:
    """Check ``fn(targets, predicted, start_id, p, rng)``: scheduled sampling's decoder inputs.

    Position 0 is ``start_id``; position ``i >= 1`` is ``predicted[:, i-1]`` with probability
    ``p`` and ``targets[:, i-1]`` otherwise, one independent draw from ``rng`` per position and
    row; where ``targets[:, i-1]`` is padding (0) the input stays 0. Judged by behaviour, not by
    one draw order: ``p = 0`` must give teacher forcing exactly and ``p = 1`` the predictions
    shifted; in between every input must come from one of the two, at a rate near ``p``, mixed
    within rows and within columns; the given generator must be the only randomness.
    """
    rng = np.random.default_rng(11)
    for batch, t, start_id in ((3, 11, 1), (1, 1, 3), (1, 7, 5), (5, 13, 37)):
        y, guess = _scheduled_case(rng, batch, t)
        where = f"(targets {y.shape}, start_id = {start_id})"
        teacher = _scheduled(y, guess, start_id, np.zeros((batch, t - 1), bool))
        own = _scheduled(y, guess, start_id, np.ones((batch, t - 1), bool))
        unshifted = teacher.copy()
        unshifted[:, 1:] = np.where(y[:, :-1] == 0, 0, guess[:, 1:])
        got = _scheduled_call(fn, y, guess, start_id, 0.0, 0)
        expect_close(
            "decoder_inputs",
            got,
            teacher,
            atol=0,
            rtol=0,
            likely_bugs={
                "with p = 0 you fed the model's predictions everywhere: p is the probability of "
                "feeding the prediction, so p = 0 is plain teacher forcing.": own,
            },
            hint=f"{where}, p = 0: nothing is sampled, so the answer is teacher forcing, start_id then "
            "targets[:, :-1] (lesson 07's shift_right).",
        )
        got = _scheduled_call(fn, y, guess, start_id, 1.0, 0)
        everything = own.copy()
        everything[:, 1:] = guess[:, :-1]
        expect_close(
            "decoder_inputs",
            got,
            own,
            atol=0,
            rtol=0,
            likely_bugs={
                "with p = 1 you fed the true targets: p is the probability of feeding the model's "
                "own prediction, 1 - p that of the target.": teacher,
                "the prediction fed at step i must be the one made at the step before, predicted[:, "
                "i - 1] (shifted right like the targets), not predicted[:, i].": unshifted,
                "padding positions (where the target before is 0) got a prediction: padding stays 0, "
                "so the padded steps stay masked and out of the loss.": everything,
            },
            hint=f"{where}, p = 1: every input after the start token is the model's previous prediction.",
        )
    # in between: a large batch, where the rate and the mixing can be measured
    y, guess = _scheduled_case(np.random.default_rng(5), 400, 30)
    real = y[:, :-1] != 0
    for p in (0.25, 0.7):
        got = _scheduled_call(fn, y, guess, 4, p, 3)
        if not np.all(got[:, 0] == 4):
            raise ExerciseError(
                f"with p = {p} the first input is not always start_id: position 0 is never sampled."
            )
        from_target, from_guess = got[:, 1:] == y[:, :-1], got[:, 1:] == guess[:, :-1]
        if not np.all((from_target | from_guess)[real]) or not np.all(got[:, 1:][~real] == 0):
            raise ExerciseError(
                f"with p = {p} some inputs are neither the previous target nor the previous prediction "
                "(or padding got a token): each position takes one of the two, padding stays 0."
            )
        rows_mixed = np.mean([0 < g[r].mean() < 1 for g, r in zip(from_guess, real) if r.sum() >= 10])
        cols_mixed = np.mean([0 < g[r].mean() < 1 for g, r in zip(from_guess.T, real.T) if r.sum() >= 10])
        if rows_mixed < 0.5:
            raise ExerciseError(
                f"with p = {p} each row is all predictions or all targets: draw once per POSITION, "
                "not once per sequence (rng.random((B, T_y - 1)) < p)."
            )
        if cols_mixed < 0.5:
            raise ExerciseError(
                f"with p = {p} every row makes the same choice at a position: draw for each row and "
                "position, rng.random((B, T_y - 1)), not one draw per column shared by the batch."
            )
        rate = from_guess[real].mean()
        spread = 4 * np.sqrt(p * (1 - p) / real.sum())
        if abs(rate - p) > spread:
            raise ExerciseError(
                f"with p = {p}, {rate:.2f} of the positions got the prediction: it should be close to p. "
                + ("Is p the chance of the TARGET in your code? " if abs(rate - (1 - p)) <= spread else "")
                + "Draw once per position, e.g. rng.random(shape) < p."
            )
    problem, _ = rng_use(lambda seed: _scheduled_call(fn, y, guess, 4, 0.5, seed))
    if problem:
        raise ExerciseError(
            {
                "not repeatable": "the same rng seed gave different inputs: draw with the `rng` you are "
                "given (rng.random), not Python's `random` or a new generator.",
                "global": "the draws follow NumPy's global generator (np.random.random): use the `rng` "
                "argument (rng.random), so that a seed makes the run repeatable.",
                "ignored": "another seed gives the same inputs: draw from the `rng` you are given, not "
                "from a generator of your own with a fixed seed.",
            }[problem]
        )


# --------------------------------------------------------------------------- 07.2 greedy decoding
_V = 12


class _FakeDecoder:
    """A deterministic decoder: the next token is a known function of the token fed in and of
    the state (a step counter); the end token comes when the counter reaches ``stop_at``.

    Its distributions give the best token only about 0.6 of the probability, so a loop that
    samples instead of taking the argmax goes wrong quickly. It records every call.
    """

    def __init__(self, end_id: int, stop_at: int, salt: int) -> None:
        self.end_id, self.stop_at, self.salt = end_id, stop_at, salt
        self.calls: list[tuple[int, int]] = []

    def best(self, token: int, n: int) -> int:
        if n == self.stop_at:
            return self.end_id
        k = (token * 5 + n * 3 + self.salt) % (_V - 1)
        return k if k < self.end_id else k + 1  # never the end token before stop_at

    def __call__(self, token_ids: Any, state: Any) -> tuple[np.ndarray, int]:
        mistake = argument_mistake("the token_ids you passed to step", token_ids, (1,), "iu")
        if mistake:
            raise ExerciseError(f"{mistake} The step function takes ONE integer token id in an array.")
        arr = np.asarray(token_ids)
        if isinstance(state, bool) or not isinstance(state, (int, np.integer)):
            raise ExerciseError(
                f"step was called with state={state!r}: pass back exactly the state that "
                "the previous call returned (or the initial state at the first step)."
            )
        token, n = int(arr.reshape(-1)[0]), int(state)
        self.calls.append((token, n))
        probs = np.full(_V, 0.4 / (_V - 1))
        probs[self.best(token, n)] = 0.6
        return np.log(probs)[None, :], n + 1


def _greedy_variant(
    model: _FakeDecoder,
    start_id: int,
    max_len: int,
    state0: int = 0,
    *,
    ignore_state: bool = False,
    feed_back: bool = True,
    carry: bool = True,
    stop: bool = True,
    keep_end: bool = False,
    keep_start: bool = False,
    extra: int = 0,
    first: int | None = None,
) -> list[int]:
    """The greedy loop with one known bug switched on (all off: the right answer)."""
    state = 0 if ignore_state else state0
    token, out = (start_id if first is None else first), ([start_id] if keep_start else [])
    for _ in range(max_len + extra):
        log_probs, new_state = model(np.array([token]), state)
        best = int(np.argmax(log_probs[0]))
        state = new_state if carry else state0
        if best == model.end_id and stop:
            if keep_end:
                out.append(best)
            break
        out.append(best)
        token = best if feed_back else start_id
    return out


@exercise("07.2", "greedy_decode_one")
def check_greedy_decode_one(fn: Callable[..., Any]) -> None:
    """Check ``fn(step, state, start_id, end_id, max_len)``: greedy decoding of ONE sequence.

    ``step(token_ids, state)`` takes an int array of shape ``(1,)`` and returns
    ``(log_probs (1, |V|), new_state)``. The loop must feed the start token first, then its
    own previous choice (the argmax), carry the state, stop at the end token (leaving it out)
    or after ``max_len`` tokens, and call ``step`` once per token.
    """
    cases = [  # (end_id, stop_at, salt, start_id, max_len, initial state): the state is a step
        (11, 6, 0, 1, 20, 0),  # counter, so a loop that ignores the given state starts elsewhere
        (4, 8, 5, 0, 9, 5),
        (7, 0, 2, 1, 5, 0),  # the end token straight away
        (11, 40, 1, 1, 8, 3),  # never ends within max_len
        (2, 9, 3, 1, 9, 0),  # ends exactly at max_len: the end is step 10, so 9 tokens
        (5, 30, 4, 3, 1, 0),  # max_len = 1
        (6, 11, 2, 2, 12, 7),  # a state that is not zero: 4 tokens, then the end
    ]
    for end_id, stop_at, salt, start_id, max_len, state0 in cases:
        model = _FakeDecoder(end_id, stop_at, salt)
        got = _ids("your output", call(fn, model, state0, start_id, end_id, max_len))
        expected = _greedy_variant(_FakeDecoder(end_id, stop_at, salt), start_id, max_len, state0)

        def bug(
            case: tuple[int, ...] = (end_id, stop_at, salt, start_id, max_len, state0), **kw: Any
        ) -> list[int]:
            return _greedy_variant(_FakeDecoder(*case[:3]), case[3], case[4], case[5], **kw)

        if got == expected:
            if len(model.calls) > len(expected) + 1:
                raise ExerciseError(
                    f"the ids are right, but step was called {len(model.calls)} times for {len(expected)} "
                    "tokens: one call per token is enough (re-running the prefix wastes time, and the "
                    "state already holds it)."
                )
            continue
        where = f"(start_id={start_id}, end_id={end_id}, max_len={max_len}, initial state {state0})"
        diagnoses = [
            (
                "the first step ignores the state you were given: start from `state` (the "
                "encoder's summary of the input), not from zeros or a fresh state; then pass on "
                "the state each step returns.",
                bug(ignore_state=True) if state0 else None,
            ),
            (
                "the end token is in your output: stop when the decoder chooses end_id, and leave it "
                "out (it is not part of the answer).",
                bug(keep_end=True),
            ),
            (
                "you keep going after the end token: stop as soon as the decoder chooses end_id.",
                bug(stop=False),
            ),
            (
                "the start token is in your output: it is only the first INPUT; return what the "
                "decoder writes.",
                bug(keep_start=True),
            ),
            (
                "every step is fed the start token: feed back the token you just chose "
                "(that is what makes decoding autoregressive).",
                bug(feed_back=False),
            ),
            (
                "the state is not carried: pass the state that step returned to the next call, not "
                "the initial one.",
                bug(carry=False),
            ),
            ("the first input is not the start token: begin with start_id.", bug(first=end_id)),
            (f"you write more than max_len = {max_len} tokens: stop after max_len steps.", bug(extra=1)),
            (
                f"you stop one token early: write up to max_len = {max_len} tokens when no end token comes.",
                _greedy_variant(_FakeDecoder(end_id, stop_at, salt), start_id, max_len - 1, state0)
                if max_len > 1
                else None,
            ),
        ]
        for diagnosis, wrong in diagnoses:
            if wrong is not None and got == wrong:
                raise ExerciseError(f"{where}: {diagnosis}")
        again = _ids(
            "your output", call(fn, _FakeDecoder(end_id, stop_at, salt), state0, start_id, end_id, max_len)
        )
        if again != got:
            raise ExerciseError(
                "two runs on the same input gave different outputs: greedy decoding "
                "takes the most likely token (np.argmax(log_probs[0])), it does not sample."
            )
        raise ExerciseError(
            f"{where}: expected {expected}, got {got}. Check each step: feed the "
            "previous choice, take the argmax, carry the state, stop at end_id."
        )


# --------------------------------------------------------------------------- 07.3 beam search
_EPS = 1e-4  # every token not in a toy's table gets this probability (so nothing is impossible)


class _ToyScorer:
    """``log_prob_fn(prefix) -> log_probs (|V|,)``: a scorer defined by a table of prefixes.

    ``table`` maps a prefix (a tuple of ids, without the start token) to its likely next
    tokens ``{token: p}``; every other token gets a small probability, and a prefix not in the
    table ends almost surely. ``scale`` multiplies every log-probability (a large scale makes
    the probabilities themselves underflow to 0.0 while their logs stay exact). Calls are
    recorded.
    """

    def __init__(
        self,
        table: dict[tuple[int, ...], dict[int, float]],
        vocab_size: int,
        end_id: int,
        scale: float = 1.0,
        limit: int | None = None,
    ) -> None:
        self.table, self.vocab_size, self.end_id, self.scale = table, vocab_size, end_id, scale
        self.limit = limit  # more calls than this: the learner's beam is not pruned
        self.calls: list[tuple[int, ...]] = []

    def __call__(self, prefix: Any) -> np.ndarray:
        if isinstance(prefix, np.ndarray):
            prefix = prefix.tolist()
        if not isinstance(prefix, (list, tuple)) or not all(isinstance(t, (int, np.integer)) for t in prefix):
            raise ExerciseError(
                f"log_prob_fn was called with {prefix!r}: pass the hypothesis's token ids "
                "so far, a list of ints (without the start token)."
            )
        key = tuple(int(t) for t in prefix)
        if self.end_id in key:
            raise ExerciseError(
                f"log_prob_fn was called with {list(key)}, which contains the end token: a "
                "hypothesis that has ended is finished; set it aside instead of extending it."
            )
        self.calls.append(key)
        if self.limit is not None and len(self.calls) > self.limit:
            raise ExerciseError(
                f"log_prob_fn was called more than {self.limit} times on a toy problem that needs at most "
                f"{self.limit // 4}: the beam is not pruned. After each step keep only the beam_width best "
                "hypotheses (sort the extensions by score and cut the list)."
            )
        probs = np.full(self.vocab_size, _EPS)
        for tok, p in self.table.get(key, {self.end_id: 1.0}).items():
            probs[tok] = p
        return np.log(probs / probs.sum()) * self.scale


def _beam_variant(
    scorer: _ToyScorer,
    end_id: int,
    max_len: int,
    beam_width: int,
    alpha: float,
    *,
    combine: str = "sum",
    normalise: bool = True,
    prune: bool = True,
    keep_finished: bool = True,
    end_in_length: bool = True,
    keep_unfinished: bool = True,
    stop_first: bool = False,
) -> list[int]:
    """Beam search (the beam narrows as hypotheses finish) with one known bug switched on."""

    def extend(score: float, lp: float) -> float:
        if combine == "sum":
            return score + lp
        if combine == "multiply_logs":
            return (score if score != 0.0 else 1.0) * lp
        return score * float(np.exp(lp))  # multiply_probs (score starts at 1.0)

    alive: list[tuple[list[int], float]] = [([], 0.0 if combine == "sum" else 1.0)]
    finished: list[tuple[float, list[int]]] = []

    def rank(score: float, length: int) -> float:
        return score / length**alpha if combine == "sum" and normalise else score

    cut = 0 if end_in_length else 1  # the bug: the end token not counted in the length

    for step in range(max_len):
        cands = [
            (extend(score, float(lp)), ids + [tok])
            for ids, score in alive
            for tok, lp in enumerate(scorer(ids))
        ]
        cands.sort(key=lambda c: -c[0])
        if prune:
            cands = cands[: beam_width - len(finished) if keep_finished else beam_width]
        alive = []
        for score, ids in cands:
            if ids[-1] == end_id:
                if keep_finished:
                    finished.append((rank(score, max(len(ids) - cut, 1)), ids[:-1]))
            else:
                alive.append((ids, score))
        if stop_first and finished:
            return finished[0][1]
        if not alive:
            break
        if step == max_len - 1 and keep_unfinished:
            finished.extend((rank(score, len(ids)), ids) for ids, score in alive)
    return max(finished)[1] if finished else []


#: The toy problems: (name, table, max_len, beam_width, alpha, scale), over |V| = 6 tokens with
#: end token 5. Each has one best output that every correct beam search of this width finds.
_V3 = 6
_TRAP = {(): {1: 0.55, 2: 0.45}, (1,): {0: 0.26, 3: 0.25, 4: 0.25, 5: 0.24}, (2,): {1: 0.95, 3: 0.05}}
_LENGTH = {
    (): {1: 0.6, 2: 0.4},
    (1,): {5: 0.9, 0: 0.1},
    (2,): {2: 0.97, 5: 0.03},
    (2, 2): {2: 0.97, 5: 0.03},
    (2, 2, 2): {2: 0.97, 5: 0.03},
    (2, 2, 2, 2): {2: 0.97, 5: 0.03},
}
_EARLY = {
    (): {4: 0.5, 1: 0.5},
    (4,): {5: 0.7, 1: 0.3},
    (1,): {1: 0.6, 2: 0.4},
    (1, 1): {2: 0.55, 3: 0.45},
    (1, 2): {3: 1.0},
    (1, 1, 2): {3: 0.5, 4: 0.5},
    (1, 1, 3): {1: 1.0},
}
#: Two finished outputs, [1] (2 tokens with <end>) and [2, 2, 2] (4): with alpha = 1, [1] wins
#: only when the length counts <end> (-0.99 / 2 > -2.42 / 4, but -0.99 / 1 < -2.42 / 3).
_END_COUNTS = {
    (): {1: 0.5, 2: 0.45, 3: 0.05},
    (1,): {5: 0.74, 4: 0.26},
    (2,): {2: 0.6, 3: 0.4},
    (2, 2): {2: 0.6, 3: 0.4},
    (2, 2, 2): {5: 0.55, 3: 0.45},
}
#: [1] finishes at step 2, but [2, 2, 2] is far likelier and still unfinished at max_len = 3:
#: it must be kept, as it is.
_UNFINISHED = {(): {1: 0.3, 2: 0.7}, (1,): {5: 0.9, 3: 0.1}, (2,): {2: 0.9, 5: 0.1}, (2, 2): {2: 0.9, 5: 0.1}}
#: alpha = 0: [2] finishes first (step 2), but [1, 3] finishes later with a better score.
_FIRST_NOT_BEST = {
    (): {1: 0.6, 2: 0.4},
    (1,): {5: 0.2, 3: 0.8},
    (2,): {5: 0.9, 4: 0.1},
    (1, 3): {5: 0.9, 4: 0.1},
}
_CASES = [
    ("greedy trap, width 2", _TRAP, 5, 2, 0.0, 1.0),
    ("greedy trap, width 2, tiny probabilities", _TRAP, 5, 2, 0.0, 3000.0),
    ("greedy trap, width 1 (greedy)", _TRAP, 5, 1, 0.0, 1.0),
    ("greedy trap, normalised", _TRAP, 5, 2, 1.0, 1.0),
    ("short or long, alpha = 0", _LENGTH, 8, 2, 0.0, 1.0),
    ("short or long, alpha = 1", _LENGTH, 8, 2, 1.0, 1.0),
    ("short or long, alpha = 1, tiny probabilities", _LENGTH, 8, 2, 1.0, 3000.0),
    ("an early end, width 3", _EARLY, 6, 3, 0.0, 1.0),
    ("an early end, cut at max_len = 2", _EARLY, 2, 3, 0.0, 1.0),
    ("<end> counts in the length, alpha = 1", _END_COUNTS, 6, 2, 1.0, 1.0),
    ("unfinished at max_len = 3", _UNFINISHED, 3, 2, 0.0, 1.0),
    ("the first to finish is not the best, alpha = 0", _FIRST_NOT_BEST, 5, 2, 0.0, 1.0),
]

_BEAM_BUGS = [
    (
        "you stop at the first hypothesis that finishes: it is only the first, not the best. Set "
        "it aside and go on with the others until none is left unfinished (or max_len), then "
        "return the best finished one by log_prob / length ** alpha.",
        dict(stop_first=True),
    ),
    (
        "the length in the normalisation leaves out <end>: a hypothesis that wrote <end> has "
        "len(ids) + 1 tokens, and the end token counts (log_prob / (len(ids) + 1) ** alpha).",
        dict(end_in_length=False),
    ),
    (
        "the hypotheses still unfinished after max_len steps are dropped: they count as finished, "
        "as they are (without <end>, length len(ids)), and may be the best.",
        dict(keep_unfinished=False),
    ),
    (
        "no length normalisation: rank the finished hypotheses by log_prob / length ** alpha "
        "(length counts the end token); with alpha = 1 a long output with likely tokens beats a "
        "short one.",
        dict(normalise=False),
    ),
    (
        "the log-probabilities are multiplied: in log space, scores ADD (log p1 + log p2 = "
        "log(p1 p2)); a product of negative numbers flips sign.",
        dict(combine="multiply_logs"),
    ),
    (
        "you multiply probabilities: over a few unlikely steps they underflow to 0.0 and every "
        "hypothesis ties. Add log-probabilities instead.",
        dict(combine="multiply_probs"),
    ),
    (
        "finished hypotheses are dropped: when a hypothesis ends (chooses end_id), keep it aside "
        "with its score; the best output may be one that ended early.",
        dict(keep_finished=False),
    ),
]


@exercise("07.3", "beam_search_best")
def check_beam_search_best(fn: Callable[..., Any]) -> None:
    """Check ``fn(log_prob_fn, end_id, max_len, beam_width, alpha)``: the best output of beam search.

    ``log_prob_fn(prefix)`` gives the next-token log-probabilities ``(|V|,)`` after the ids in
    ``prefix`` (a list, without the start token). The answer is the best hypothesis's ids
    (without the end token) by ``sum of log-probs / length ** alpha``, length counting the end
    token. Probed on toy scorers where greedy is wrong, where length normalisation changes the
    winner, where probabilities underflow, and where the best output ends early. A bug is
    named when it explains the answers to every toy.
    """
    end_id = _V3 - 1
    runs = []
    for name, table, max_len, width, alpha, scale in _CASES:
        scorer = _ToyScorer(table, _V3, end_id, scale, limit=4 * width * max_len)
        got = _ids("your output", call(fn, scorer, end_id, max_len, width, alpha))
        expected = _beam_variant(_ToyScorer(table, _V3, end_id, scale), end_id, max_len, width, alpha)
        bugs = [
            _beam_variant(_ToyScorer(table, _V3, end_id, scale), end_id, max_len, width, alpha, **kw)
            for _, kw in _BEAM_BUGS
        ]
        runs.append((name, max_len, width, alpha, got, expected, bugs, len(scorer.calls)))
    wrong = [r for r in runs if r[4] != r[5]]
    if not wrong:
        for name, max_len, width, _, _, _, _, n_calls in runs:
            if n_calls > width * max_len:
                raise ExerciseError(
                    f"({name}) the answer is right, but log_prob_fn was called {n_calls} times with "
                    f"beam_width={width} and max_len={max_len} (at most {width * max_len} are needed): the "
                    "beam is not pruned. After each step keep only the beam_width best hypotheses."
                )
        return
    name, max_len, width, alpha, got, expected, bugs, _ = wrong[0]
    for k, (diagnosis, _) in enumerate(_BEAM_BUGS):  # a bug that explains every answer
        if all(r[4] == r[6][k] for r in runs):
            raise ExerciseError(f"({name}) {diagnosis}")
    # Multiplying every log-probability by 3000 must not change the winner (sums and normalised
    # sums scale alike); an answer that changes means the numbers under- or overflowed.
    by_name = {r[0]: r[4] for r in runs}
    for base in ("greedy trap, width 2", "short or long, alpha = 1"):
        if by_name[base] != by_name[base + ", tiny probabilities"]:
            raise ExerciseError(
                f"({base}, tiny probabilities) the same problem with every probability "
                "raised to the power 3000 got a different answer: the numbers underflow. If "
                "you multiply probabilities, they underflow to 0.0 and every hypothesis "
                "ties: add log-probabilities instead."
            )
    for k, (diagnosis, _) in enumerate(_BEAM_BUGS):  # or at least this one
        if got == bugs[k]:
            raise ExerciseError(f"({name}) {diagnosis}")
    if end_id in got:
        raise ExerciseError(f"({name}) your output {got} contains the end token {end_id}: leave it out.")
    if len(got) > max_len:
        raise ExerciseError(f"({name}) your output has {len(got)} tokens, more than max_len = {max_len}.")
    raise ExerciseError(
        f"({name}, beam_width={width}, alpha={alpha}) expected {expected}, got {got}. "
        "Check each step: extend every hypothesis by every token, add the "
        "log-probabilities, keep the beam_width best, set finished ones aside, and "
        "rank them by log_prob / length ** alpha."
    )


# --------------------------------------------------------------------------- 07.4 BLEU by hand
def _ngrams(tokens: list[str], n: int) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - n + 1):
        gram = tuple(tokens[i : i + n])
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def _bleu_variant(
    hyps: list[list[str]],
    refs: list[list[list[str]]],
    *,
    clip: str = "max",
    brevity: str = "corpus",
    ref_len: str = "closest",
    mean: str = "geometric",
    max_n: int = 4,
    scale: float = 100.0,
    first_ref_only: bool = False,
    clamp: bool = True,
) -> float:
    """Corpus BLEU, or one of its likely bugs (every switch at its default: the right answer)."""
    correct, total = [0] * max_n, [0] * max_n
    c_len = r_len = 0
    bp_sentences = []
    for hyp, rs in zip(hyps, refs):
        rs = rs[:1] if first_ref_only else rs
        for n in range(1, max_n + 1):
            h = _ngrams(hyp, n)
            ref_counts = [_ngrams(r, n) for r in rs]
            for gram, k in h.items():
                allowed = {
                    "max": max(rc.get(gram, 0) for rc in ref_counts),
                    "sum": sum(rc.get(gram, 0) for rc in ref_counts),
                    "none": k if any(gram in rc for rc in ref_counts) else 0,
                }[clip]
                correct[n - 1] += min(k, allowed)
            total[n - 1] += max(len(hyp) - n + 1, 0) if clamp else len(hyp) - n + 1
        lengths = [len(r) for r in rs]
        r = {
            "closest": min(lengths, key=lambda x: (abs(x - len(hyp)), x)),
            "closest_long": min(lengths, key=lambda x: (abs(x - len(hyp)), -x)),
            "first": lengths[0],
            "shortest": min(lengths),
            "longest": max(lengths),
            "average": float(np.mean(lengths)),
        }[ref_len]
        c_len += len(hyp)
        r_len += r
        bp_sentences.append(1.0 if len(hyp) >= r else (np.exp(1 - r / len(hyp)) if len(hyp) else 0.0))
    if not any(correct):
        return 0.0
    precisions = [c / t if t else 0.0 for c, t in zip(correct, total)]
    if mean == "geometric":
        if min(precisions) == 0:
            return 0.0
        core = float(np.exp(np.mean(np.log(precisions))))
    else:
        core = float(np.mean(precisions))
    if brevity == "corpus":
        bp = 1.0 if c_len >= r_len else float(np.exp(1 - r_len / c_len))
    elif brevity == "sentence":
        bp = float(np.mean(bp_sentences))
    else:
        bp = 1.0
    return scale * bp * core


def _bleu_probes() -> list[tuple[str, list[list[str]], list[list[list[str]]]]]:
    """Small corpora of single-character tokens, each built to bring out some of the bugs."""
    rng = np.random.default_rng(11)
    alphabet = list("我你他是的不了在有人这大好")

    def sentence(n: int) -> list[str]:
        return [alphabet[i] for i in rng.integers(0, len(alphabet), size=n)]

    def edited(ref: list[str], p: float) -> list[str]:
        return [alphabet[int(rng.integers(len(alphabet)))] if rng.random() < p else t for t in ref]

    probes = []
    refs = [[sentence(int(rng.integers(6, 14)))] for _ in range(12)]
    probes.append(("one reference each", [edited(r[0], 0.2) for r in refs], refs))
    refs = [[sentence(int(rng.integers(8, 14)))] for _ in range(12)]
    probes.append(("outputs shorter than their references", [edited(r[0], 0.1)[:-3] for r in refs], refs))
    refs = [
        [list("我们明天一起去大学看书好吗"), list("明天去看书")],
        [list("他是你的朋友"), list("这个人是不是你的好朋友我不知道")],
    ]
    probes.append(
        ("two references of different lengths", [list("明天去看"), list("这个人是不是你他好朋友我")], refs)
    )
    refs = [[list("我是我的人"), list("人是我我")], [list("你好好"), list("好你好")]]
    probes.append(("repeated words", [list("我我我我是我的人"), list("好好好好你好")], refs))
    # an output of 5 tokens between references of 4 and 6 (a tie: the shorter counts), and an
    # output of 2 tokens, which has no 3- or 4-gram (its count is 0, not 2 - 4 + 1 = -1)
    refs = [[list("我们明天一起去大学看书吧")], [list("他是我的"), list("他是我的朋友")], [list("你好吗")]]
    hyps = [list("我们明天一起去大学看书"), list("他是我的朋"), list("你好")]
    probes.append(("a tie in reference length, and an output of two tokens", hyps, refs))
    return probes


_BLEU_BUGS = [
    (
        "the n-gram counts are not clipped: a word repeated in the output counts as often as it "
        "appears there, but it may count only as often as it appears in a reference (the most in "
        "any one reference).",
        dict(clip="none"),
    ),
    (
        "the counts are clipped by the SUM over the references: clip each n-gram by the largest count "
        "in any single reference.",
        dict(clip="sum"),
    ),
    (
        "there is no brevity penalty: a short output with only safe words would score high. Multiply by "
        "exp(1 - r / c) when the corpus's output length c is below the reference length r.",
        dict(brevity="none"),
    ),
    (
        "the brevity penalty is computed sentence by sentence: BLEU applies it once, to the whole corpus "
        "(total output length against total reference length).",
        dict(brevity="sentence"),
    ),
    (
        "the reference length is the FIRST reference's: take, for each sentence, the reference length "
        "closest to the output's (the shorter one on a tie).",
        dict(ref_len="first"),
    ),
    (
        "on a tie in closest reference length you took the longer reference: with references of 4 "
        "and 6 tokens an output of 5 counts r = 4, the shorter one (as sacrebleu does).",
        dict(ref_len="closest_long"),
    ),
    (
        "an output shorter than n tokens was counted as having len - n + 1 n-grams, a negative "
        "number: it has none, max(len(hyp) - n + 1, 0).",
        dict(clamp=False),
    ),
    (
        "the reference length is the shortest reference's: take the one closest to the output's length.",
        dict(ref_len="shortest"),
    ),
    (
        "the reference length is the longest reference's: take the one closest to the output's length.",
        dict(ref_len="longest"),
    ),
    (
        "the reference length is the average of the references: take the one closest to the output's length.",
        dict(ref_len="average"),
    ),
    (
        "the precisions are averaged arithmetically: BLEU takes their geometric mean, exp(mean(log p_n)).",
        dict(mean="arithmetic"),
    ),
    ("only n-grams up to n = 3 are counted: BLEU uses n = 1, 2, 3 and 4.", dict(max_n=3)),
    ("only n-grams up to n = 2 are counted: BLEU uses n = 1, 2, 3 and 4.", dict(max_n=2)),
    ("your score is between 0 and 1: report it on sacrebleu's scale, 0 to 100.", dict(scale=1.0)),
    (
        "only the first reference of each sentence is used: every reference counts (an n-gram is "
        "right if any reference has it).",
        dict(first_ref_only=True),
    ),
]


@exercise("07.4", "corpus_bleu")
def check_corpus_bleu(fn: Callable[..., Any]) -> None:
    """Check ``fn(hypotheses, references) -> BLEU`` against sacrebleu.

    ``hypotheses``: a list of token lists; ``references``: for each hypothesis, a list of
    reference token lists. The answer must equal sacrebleu's corpus BLEU with
    ``tokenize="none", smooth_method="none"`` on the space-joined tokens (0 to 100), on
    several small corpora: one and two references, short and long outputs, repeated words,
    and a corpus with no 4-gram in common.
    """
    from sacrebleu.metrics import BLEU

    metric = BLEU(tokenize="none", smooth_method="none")
    runs = []
    for name, hyps, refs in _bleu_probes():
        inputs = {"hypotheses": hyps, "references": refs}
        got, passed = call_on_copies(fn, inputs)
        expect_unchanged(
            inputs,
            passed,
            "your function changed the token lists it was given: count n-grams without modifying them.",
        )
        try:
            value = expect_number("your BLEU", got)
        except ExerciseError as err:
            pooled = " BLEU pools the counts of every sentence into one number." if np.ndim(got) else ""
            raise ExerciseError(f"{err}{pooled}") from None
        streams = [
            [" ".join(rs[k]) if k < len(rs) else None for rs in refs] for k in range(max(map(len, refs)))
        ]
        expected = metric.corpus_score([" ".join(h) for h in hyps], streams).score
        assert abs(expected - _bleu_variant(hyps, refs)) < 1e-9, "checker out of step with sacrebleu"
        runs.append((name, value, expected, [_bleu_variant(hyps, refs, **kw) for _, kw in _BLEU_BUGS]))
    wrong = [r for r in runs if not np.isclose(r[1], r[2], rtol=1e-6, atol=1e-6)]
    if wrong:
        for k, (diagnosis, _) in enumerate(_BLEU_BUGS):  # a bug that explains every answer
            if all(np.isclose(r[1], r[3][k], rtol=1e-6, atol=1e-6) for r in runs):
                raise ExerciseError(f"BLEU is wrong: {diagnosis}")
        name, value, expected, bugs = wrong[0]
        for k, (diagnosis, _) in enumerate(_BLEU_BUGS):
            if np.isclose(value, bugs[k], rtol=1e-6, atol=1e-6):
                raise ExerciseError(f"({name}) BLEU is wrong: {diagnosis}")
        raise ExerciseError(
            f"({name}) your BLEU is {value:.4f}, sacrebleu's is {expected:.4f}. Check each "
            "part: clipped n-gram counts for n = 1..4 pooled over the corpus, their "
            "geometric mean, and the brevity penalty with the closest reference length."
        )
    perfect = [list("我是学生"), list("你好吗")]
    got = call(fn, [list(s) for s in perfect], [[list(s)] for s in perfect])
    expect_close(
        "BLEU of a perfect translation",
        got,
        100.0,
        rtol=1e-9,
        atol=1e-6,
        hint="Outputs equal to their references score 100.",
    )
    got = call(fn, [list("我你他是的")], [[list("的是他你我")]])
    expect_close(
        "BLEU of an output with no bigram in common",
        got,
        0.0,
        atol=1e-9,
        hint="With no smoothing, a zero precision (here for n = 2, 3, 4) makes BLEU 0.",
    )
