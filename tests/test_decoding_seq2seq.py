"""seqkeras.decoding for encoder–decoders: greedy, sampling and beam search on toy decoders.

Beam search is checked against brute force: on a toy decoder small enough to enumerate every
output, a beam as wide as the number of outputs must return all of them with exactly the
brute-force scores and ranking.
"""

import itertools

import numpy as np
import pytest

from seqkeras.decoding import (
    Hypothesis,
    beam_search,
    beam_search_batch,
    greedy_decode,
    length_normalised,
    sample_decode,
)

START, END = 0, 3
V = 4


def log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


class ToyDecoder:
    """A decoder whose next-token distribution depends on the token fed in AND on the whole
    history (through a state that hashes it), each batch row on its own.

    The state is ``{"h": (B, 2) floats, "n": (B,) step counts}`` (a nested structure, to check
    that beam search reorders every array of it).
    """

    def __init__(self, seed=0, end_bias=0.0, v=V):
        rng = np.random.default_rng(seed)
        self.table = rng.normal(0, 1.5, size=(v, v))
        self.mix = rng.normal(0, 1.5, size=(2, v))
        self.end_bias = end_bias
        self.calls = 0

    def initial(self, batch=1, seed=5):
        return {"h": 3 * np.random.default_rng(seed).normal(size=(batch, 2)), "n": np.zeros(batch)}

    def __call__(self, token_ids, state):
        self.calls += 1
        token_ids = np.asarray(token_ids)
        h = np.tanh(state["h"] * 0.9 + self.table[token_ids, :2])
        logits = self.table[token_ids] + h @ self.mix
        logits[:, END] += self.end_bias + 0.3 * state["n"]
        return log_softmax(logits), {"h": h, "n": state["n"] + 1}


def sequence_log_prob(model, state, ids, ended):
    """log p(ids [+ end]) by feeding the sequence through the decoder, batch of one."""
    total, token = 0.0, START
    for t in list(ids) + ([END] if ended else []):
        log_probs, state = model(np.array([token]), state)
        total += log_probs[0, t]
        token = t
    return total


def brute_force(model, state, max_len, alpha):
    """Every possible output: ended ones of 0..max_len-1 tokens, cut ones of max_len tokens."""
    words = [w for w in range(V) if w != END]
    out = []
    for n in range(max_len + 1):
        for ids in itertools.product(words, repeat=n):
            ended = n < max_len
            lp = sequence_log_prob(model, state, ids, ended)
            out.append((list(ids), lp, length_normalised(lp, n + ended, alpha), ended))
    return sorted(out, key=lambda h: -h[2])


# ------------------------------------------------------------------------ beam search vs brute force
@pytest.mark.parametrize("alpha", [0.0, 0.7, 1.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_full_width_beam_equals_brute_force(alpha, seed):
    model, max_len = ToyDecoder(seed), 4
    expected = brute_force(model, model.initial(), max_len, alpha)
    assert len(expected) == 1 + 3 + 9 + 27 + 81
    got = beam_search(model, model.initial(), START, END, max_len, beam_width=len(expected), alpha=alpha)
    assert len(got) == len(expected)
    assert all(isinstance(h, Hypothesis) for h in got)
    assert [h.ids for h in got] == [e[0] for e in expected]
    np.testing.assert_allclose([h.log_prob for h in got], [e[1] for e in expected], atol=1e-10)
    np.testing.assert_allclose([h.score for h in got], [e[2] for e in expected], atol=1e-10)
    assert [h.ended for h in got] == [e[3] for e in expected]


@pytest.mark.parametrize("seed", range(5))
def test_narrow_beam_scores_are_true_log_probs(seed):
    model = ToyDecoder(seed)
    hyps = beam_search(model, model.initial(), START, END, 6, beam_width=3)
    assert len(hyps) == 3
    assert [h.score for h in hyps] == sorted((h.score for h in hyps), reverse=True)
    for h in hyps:
        assert h.log_prob == pytest.approx(sequence_log_prob(model, model.initial(), h.ids, h.ended))
        assert h.score == pytest.approx(h.log_prob / (len(h.ids) + h.ended))
        assert END not in h.ids


def test_wider_beams_never_find_worse_best_with_alpha_zero():
    # with no length normalisation, a beam of 1 is greedy and a full beam is exact
    for seed in range(6):
        model = ToyDecoder(seed)
        exact = brute_force(model, model.initial(), 3, 0.0)[0]
        full = beam_search(model, model.initial(), START, END, 3, beam_width=40, alpha=0.0)[0]
        one = beam_search(model, model.initial(), START, END, 3, beam_width=1, alpha=0.0)[0]
        assert full.ids == exact[0]
        assert one.log_prob <= full.log_prob + 1e-12


def test_beam_finds_what_greedy_misses():
    # step 1: token 1 (0.6) or token 2 (0.4). After 1, four tokens share the rest; after 2, token 1
    # is almost sure. Greedy takes 1 then its best (0.6 * 0.25); the beam finds 2, 1 (0.4 * 0.9).
    table = {START: [0.0, 0.6, 0.4, 0.0], 1: [0.25, 0.25, 0.25, 0.25], 2: [0.0, 0.9, 0.05, 0.05]}

    def step(token_ids, state):
        rows = []
        for tok, n in zip(token_ids, state):
            rows.append([0, 0, 0, 1.0] if n >= 2 else table[int(tok)])
        with np.errstate(divide="ignore"):
            return np.log(np.array(rows)), state + 1

    assert greedy_decode(step, np.zeros(1), START, END, 5) == [[1, 0]]
    best = beam_search(step, np.zeros(1), START, END, 5, beam_width=2, alpha=0.0)[0]
    assert best.ids == [2, 1] and best.log_prob == pytest.approx(np.log(0.4 * 0.9))
    assert beam_search(step, np.zeros(1), START, END, 5, beam_width=1, alpha=0.0)[0].ids == [1, 0]


# ------------------------------------------------------------------------ edge cases
@pytest.mark.parametrize("seed", range(4))
def test_beam_width_one_is_greedy(seed):
    model = ToyDecoder(seed, end_bias=-0.5)
    greedy = greedy_decode(model, model.initial(), START, END, 8)[0]
    hyps = beam_search(model, model.initial(), START, END, 8, beam_width=1)
    assert len(hyps) == 1 and hyps[0].ids == greedy


def test_end_token_at_step_one():
    model = ToyDecoder(0, end_bias=20.0)
    assert greedy_decode(model, model.initial(batch=3), START, END, 5) == [[], [], []]
    best = beam_search(model, model.initial(), START, END, 5, beam_width=2)[0]
    assert best.ids == [] and best.ended
    assert best.score == pytest.approx(best.log_prob)  # length 1: the end token alone
    assert sample_decode(model, model.initial(batch=2), START, END, 5, rng=0) == [[], []]


def test_max_len_cuts_outputs():
    model = ToyDecoder(0, end_bias=-30.0)
    outs = greedy_decode(model, model.initial(batch=2), START, END, 7)
    assert [len(o) for o in outs] == [7, 7]
    hyps = beam_search(model, model.initial(), START, END, 7, beam_width=3)
    assert all(len(h.ids) == 7 and not h.ended for h in hyps)
    assert [len(o) for o in sample_decode(model, model.initial(batch=2), START, END, 1, rng=0)] == [1, 1]


def test_greedy_batch_rows_are_independent_and_feed_back_their_own_output():
    model = ToyDecoder(1, end_bias=-1.0)
    batch = greedy_decode(model, model.initial(batch=4, seed=9), START, END, 10)
    states = model.initial(batch=4, seed=9)
    for b in range(4):
        one = {k: v[b : b + 1] for k, v in states.items()}
        assert greedy_decode(model, one, START, END, 10) == [batch[b]]
        # by hand: feed back the argmax
        ids, token, st = [], START, one
        for _ in range(10):
            lp, st = model(np.array([token]), st)
            token = int(lp[0].argmax())
            if token == END:
                break
            ids.append(token)
        assert ids == batch[b]
    assert len({len(b) for b in batch}) > 2  # the rows really differ, and end at different steps


def test_greedy_stops_calling_when_every_row_has_ended():
    model = ToyDecoder(0, end_bias=20.0)
    greedy_decode(model, model.initial(batch=2), START, END, 50)
    assert model.calls == 1


def test_stateless_step_needs_batch_size():
    def step(token_ids, state):
        return log_softmax(np.tile([0.0, 2.0, 1.0, 1.5], (len(token_ids), 1))), state

    assert greedy_decode(step, None, START, END, 3, batch_size=2) == [[1, 1, 1], [1, 1, 1]]
    with pytest.raises(ValueError, match="batch_size"):
        greedy_decode(step, None, START, END, 3)


# ------------------------------------------------------------------------ sampling
def test_sampling_is_reproducible_and_follows_the_distribution():
    model = ToyDecoder(2)
    state = model.initial(batch=4000, seed=1)
    state["h"][:] = state["h"][0]  # 4000 copies of one input
    a = sample_decode(model, state, START, END, 1, rng=np.random.default_rng(0))
    b = sample_decode(model, state, START, END, 1, rng=np.random.default_rng(0))
    c = sample_decode(model, state, START, END, 1, rng=np.random.default_rng(1))
    assert a == b and a != c
    first = np.array([o[0] if o else END for o in a])
    p = np.exp(model(np.array([START]), {k: v[:1] for k, v in state.items()})[0][0])
    freq = np.bincount(first, minlength=V) / len(first)
    assert np.abs(freq - p).max() < 0.03
    cold = sample_decode(model, state, START, END, 1, temperature=0.01, rng=0)
    assert {tuple(o) for o in cold} == {
        tuple(greedy_decode(model, {k: v[:1] for k, v in state.items()}, START, END, 1)[0])
    }


def test_sampling_uses_only_the_given_rng():
    model = ToyDecoder(1)
    np.random.seed(0)
    a = sample_decode(model, model.initial(batch=50), START, END, 6, rng=np.random.default_rng(3))
    np.random.seed(1)
    b = sample_decode(model, model.initial(batch=50), START, END, 6, rng=np.random.default_rng(3))
    assert a == b


# ------------------------------------------------------------------------ bad input
def test_length_normalised():
    assert length_normalised(-6.0, 3, 0.0) == -6.0
    assert length_normalised(-6.0, 3, 1.0) == -2.0
    assert length_normalised(-6.0, 4, 0.5) == pytest.approx(-3.0)
    with pytest.raises(ValueError, match="length"):
        length_normalised(-1.0, 0)
    with pytest.raises(ValueError, match="alpha"):
        length_normalised(-1.0, 2, -0.5)


@pytest.mark.parametrize(
    "make_out, match",
    [
        (lambda lp: np.exp(lp), "LOG-probabilities"),  # probabilities
        (lambda lp: lp + 3.0, "LOG-probabilities"),  # logits
        (lambda lp: lp[:, :, None][:, :, 0].T, "shape"),  # transposed
        (lambda lp: lp * np.nan, "NaN"),
    ],
)
def test_step_output_is_checked(make_out, match):
    model = ToyDecoder(0)

    def bad(token_ids, state):
        lp, st = model(token_ids, state)
        return make_out(lp), st

    with pytest.raises(ValueError, match=match):
        greedy_decode(bad, model.initial(batch=2), START, END, 3)


def test_step_must_return_a_pair():
    with pytest.raises(ValueError, match="pair"):
        greedy_decode(lambda ids, st: log_softmax(np.zeros((len(ids), V))), np.zeros(1), START, END, 3)


def test_minus_inf_log_probs_are_allowed():
    def step(token_ids, state):
        with np.errstate(divide="ignore"):
            return np.log(np.tile([0.0, 0.5, 0.5, 0.0], (len(token_ids), 1))), state

    assert greedy_decode(step, np.zeros(1), START, END, 2) == [[1, 1]]
    hyps = beam_search(step, np.zeros(1), START, END, 2, beam_width=10)
    assert len(hyps) == 4 and all(np.isfinite(h.log_prob) for h in hyps)  # only 2 x 2 outputs possible


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(max_len=0), "max_len"),
        (dict(max_len=2.0), "max_len"),
        (dict(beam_width=0), "beam_width"),
        (dict(alpha=-1.0), "alpha"),
        (dict(start_id=-1), "start_id"),
        (dict(end_id=1.5), "end_id"),
    ],
)
def test_beam_search_bad_arguments(kwargs, match):
    model = ToyDecoder(0)
    args = dict(start_id=START, end_id=END, max_len=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        beam_search(model, model.initial(), **args)


def test_beam_search_wants_one_input():
    model = ToyDecoder(0)
    with pytest.raises(ValueError, match="ONE input"):
        beam_search(model, model.initial(batch=2), START, END, 3)


def test_state_batch_sizes_must_agree():
    model = ToyDecoder(0)
    with pytest.raises(ValueError, match="batch on its first axis"):
        greedy_decode(model, {"h": np.zeros((2, 2)), "n": np.zeros(3)}, START, END, 3)


def test_sample_decode_rejects_bad_temperature():
    model = ToyDecoder(0)
    with pytest.raises(ValueError, match="temperature"):
        sample_decode(model, model.initial(), START, END, 3, temperature=0.0)


# ------------------------------------------------------------------------ batched beam search
class PatientDecoder(ToyDecoder):
    """ToyDecoder whose end token grows likely after a number of steps set per input (the
    state's ``"p"``), so that the inputs of one batch finish at different steps."""

    def __call__(self, token_ids, state):
        log_probs, new = super().__call__(token_ids, {"h": state["h"], "n": state["n"]})
        logits = log_probs.copy()
        logits[:, END] += 3.0 * (state["n"] - state["p"])
        return log_softmax(logits), {**new, "p": state["p"]}


@pytest.mark.parametrize("beam_width, alpha, max_len", [(1, 1.0, 5), (2, 0.0, 4), (3, 0.7, 6), (5, 1.0, 3)])
@pytest.mark.parametrize("chunk", [1, 3, 64])
def test_batched_beam_equals_one_input_at_a_time(beam_width, alpha, max_len, chunk):
    """Seven inputs whose beams finish at different steps (one ends at once, some are cut by
    max_len): every input gets the hypotheses beam_search finds for it alone."""
    model = PatientDecoder(2)
    state = {**model.initial(batch=7, seed=11), "p": np.array([-2.0, 0, 1, 2, 3, 9, 1])}
    alone = [
        beam_search(
            model, {k: v[i : i + 1] for k, v in state.items()}, START, END, max_len, beam_width, alpha
        )
        for i in range(7)
    ]
    together = beam_search_batch(model, state, START, END, max_len, beam_width, alpha, chunk=chunk)
    # The same hypotheses in the same order; their scores agree to float precision (a matrix
    # product's last bit may depend on how many rows it has).
    assert [[(h.ids, h.ended) for h in hyps] for hyps in together] == [
        [(h.ids, h.ended) for h in hyps] for hyps in alone
    ]
    for got, want in zip(together, alone):
        np.testing.assert_allclose([h.log_prob for h in got], [h.log_prob for h in want], rtol=1e-12)
        np.testing.assert_allclose([h.score for h in got], [h.score for h in want], rtol=1e-12)
    kinds = {(len(h.ids), h.ended) for hyps in alone for h in hyps}
    assert len(kinds) > 2 and (0, True) in kinds, f"the toy should end at several steps: {kinds}"


def test_batched_beam_calls_step_with_one_shape_and_far_fewer_times():
    model = ToyDecoder(3)
    shapes = []

    def step(token_ids, state):
        shapes.append(len(token_ids))
        return model(token_ids, state)

    state = model.initial(batch=10, seed=2)
    beam_search_batch(step, state, START, END, 6, beam_width=3, chunk=4)  # chunks of 4, 4 and 2 inputs
    assert set(shapes) == {12}, "every call must have chunk * beam_width rows (one compiled shape)"
    model.calls = 0
    for i in range(10):
        beam_search(model, {k: v[i : i + 1] for k, v in state.items()}, START, END, 6, beam_width=3)
    assert len(shapes) * 3 <= model.calls, (len(shapes), model.calls)


def test_batched_beam_ends_at_once_and_checks_its_arguments():
    def ends(token_ids, state):
        out = np.full((len(token_ids), V), -np.inf)
        out[:, END] = 0.0  # nothing but the end token is possible
        return out, state

    hyps = beam_search_batch(ends, np.zeros((3, 1)), START, END, 4, beam_width=2)
    assert [[h.ids for h in hs] for hs in hyps] == [[[]]] * 3
    assert all(h.ended for hs in hyps for h in hs)
    with pytest.raises(ValueError, match="chunk"):
        beam_search_batch(ends, np.zeros((3, 1)), START, END, 4, chunk=0)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search_batch(ends, np.zeros((3, 1)), START, END, 4, beam_width=0)
    with pytest.raises(ValueError, match="batch size"):
        beam_search_batch(ends, None, START, END, 4)
