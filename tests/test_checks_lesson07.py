"""Checkers of lesson 07: the references and correct alternatives pass, known bugs are named,
the untouched stub is "not attempted"."""

import heapq
import math
from collections import Counter

import numpy as np
import pytest
from notebook_solutions import notebook_solution

from seqkeras import seq2seq as s2s
from seqkeras.checks.lesson07 import (
    check_beam_search_best,
    check_corpus_bleu,
    check_greedy_decode_one,
    check_scheduled_inputs,
)
from seqkeras.grading import ExerciseError


# --------------------------------------------------------------------------- 07.1 scheduled sampling
def scheduled(targets, predicted, start_id, p, rng):
    take = rng.random((targets.shape[0], targets.shape[1] - 1)) < p
    out = np.empty_like(targets)
    out[:, 0] = start_id
    out[:, 1:] = np.where(take, predicted[:, :-1], targets[:, :-1])
    out[:, 1:][targets[:, :-1] == 0] = 0
    return out


def scheduled_loop(targets, predicted, start_id, p, rng):  # position by position, another draw order
    batch, t = targets.shape
    out = np.zeros((batch, t), dtype=targets.dtype)
    for i in range(t):
        for b in range(batch):
            if i == 0:
                out[b, i] = start_id
            elif targets[b, i - 1] != 0:
                out[b, i] = predicted[b, i - 1] if rng.uniform() < p else targets[b, i - 1]
    return out


def scheduled_from_shift(targets, predicted, start_id, p, rng):  # two shifts, then a mix; binomial draws
    teacher, own = s2s.shift_right(targets, start_id), s2s.shift_right(predicted, start_id)
    take = rng.binomial(1, p, size=targets.shape).astype(bool)
    take[:, 0] = False
    return np.where(take & (teacher != 0), own, teacher)


@pytest.mark.parametrize("answer", [scheduled, scheduled_loop, scheduled_from_shift])
def test_scheduled_correct_answers_pass(answer, capsys):
    assert check_scheduled_inputs(answer)
    assert "passed" in capsys.readouterr().out


def _sched(p_map=lambda p: p, *, shift=True, keep_padding=True, per="position", start=True, global_rng=False):
    """The right answer with one bug switched on."""

    def answer(targets, predicted, start_id, p, rng):
        batch, t = targets.shape
        shape = {"position": (batch, t - 1), "row": (batch, 1), "column": (1, t - 1)}[per]
        draws = np.random.random(shape) if global_rng else rng.random(shape)
        take = np.broadcast_to(draws < p_map(p), (batch, t - 1))
        guesses = predicted[:, :-1] if shift else predicted[:, 1:]
        out = np.empty_like(targets)
        out[:, 0] = start_id if start else predicted[:, 0]
        out[:, 1:] = np.where(take, guesses, targets[:, :-1])
        if keep_padding:
            out[:, 1:][targets[:, :-1] == 0] = 0
        return out

    return answer


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_sched(lambda p: 1 - p), "p = 0 you fed the model's predictions"),
        (_sched(shift=False), r"predicted\[:, i - 1\]"),
        (_sched(keep_padding=False), "padding stays 0"),
        (_sched(per="row"), "once per POSITION"),
        (_sched(per="column"), "same choice at a position"),
        (_sched(global_rng=True), "NumPy's global generator"),
        (_sched(start=False), "start_id|differs"),
        (lambda y, g, s, p, rng: scheduled(y, g, s, p, rng).astype(float), "integer token ids"),
        (
            lambda y, g, s, p, rng: scheduled(y, g, s, p, np.random.default_rng(0)),
            "another seed gives the same",
        ),
        (lambda y, g, s, p, rng: scheduled(y, g, s, min(1.0, 2 * p), rng), "close to p"),
        (lambda y, g, s, p, rng: scheduled(y, g, s, p, rng).tolist(), "decoder_inputs is a list of"),
        (lambda y, g, s, p, rng: s2s.shift_right(y, s), "with p = 1 you fed the true targets"),
    ],
)
def test_scheduled_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_scheduled_inputs(wrong)


def test_scheduled_changing_its_inputs_is_named():
    def in_place(targets, predicted, start_id, p, rng):
        targets[:, 1:] = scheduled(targets, predicted, start_id, p, rng)[:, 1:]
        return scheduled(targets, predicted, start_id, p, rng)

    with pytest.raises(ExerciseError, match="changed the `targets` array"):
        check_scheduled_inputs(in_place)


def test_scheduled_stub(assert_not_attempted):
    assert_not_attempted(check_scheduled_inputs)


# --------------------------------------------------------------------------- 07.2 greedy decoding
def greedy_decode_one(step, state, start_id, end_id, max_len):
    token, ids = start_id, []
    for _ in range(max_len):
        log_probs, state = step(np.array([token]), state)
        token = int(np.argmax(log_probs[0]))
        if token == end_id:
            break
        ids.append(token)
    return ids


def greedy_while(step, state, start_id, end_id, max_len):  # a while loop, numpy output
    out = np.zeros(0, dtype=np.int64)
    token = start_id
    while len(out) < max_len:
        log_probs, state = step(np.array([token], dtype=np.int32), state)
        token = log_probs.reshape(-1).argmax()
        if token == end_id:
            break
        out = np.append(out, token)
    return out


def greedy_library(step, state, start_id, end_id, max_len):  # the course's batch decoder
    from seqkeras.decoding import greedy_decode

    return greedy_decode(step, state, start_id, end_id, max_len, batch_size=1)[0]


@pytest.mark.parametrize("answer", [greedy_decode_one, greedy_while, greedy_library])
def test_greedy_correct_answers_pass(answer):
    assert check_greedy_decode_one(answer)


def _greedy_bug(
    *,
    keep_end=False,
    no_stop=False,
    keep_start=False,
    no_feedback=False,
    no_state=False,
    extra=0,
    fewer=0,
    sample=False,
    first=None,
):
    def fn(step, state, start_id, end_id, max_len):
        token = start_id if first is None else first
        ids = [start_id] if keep_start else []
        init = state
        rng = np.random.default_rng()
        for _ in range(max_len + extra - fewer):
            log_probs, new_state = step(np.array([token]), state)
            state = init if no_state else new_state
            if sample:
                p = np.exp(log_probs[0])
                best = int(rng.choice(len(p), p=p / p.sum()))
            else:
                best = int(np.argmax(log_probs[0]))
            if best == end_id and not no_stop:
                if keep_end:
                    ids.append(best)
                break
            ids.append(best)
            token = start_id if no_feedback else best
        return ids

    return fn


def _prefix_rerun(step, state, start_id, end_id, max_len):  # right ids, but re-runs the prefix
    ids = []
    for _ in range(max_len):
        s, token = state, start_id
        for t in ids:
            _, s = step(np.array([token]), s)
            token = t
        log_probs, _ = step(np.array([token]), s)
        best = int(np.argmax(log_probs[0]))
        if best == end_id:
            break
        ids.append(best)
    return ids


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_greedy_bug(keep_end=True), "end token is in your output"),
        (_greedy_bug(no_stop=True), "keep going after the end token"),
        (_greedy_bug(keep_start=True), "start token is in your output"),
        (_greedy_bug(no_feedback=True), "fed the start token"),
        (_greedy_bug(no_state=True), "state is not carried"),
        (_greedy_bug(extra=1), "more than max_len"),
        (_greedy_bug(fewer=1), "stop one token early"),
        (_greedy_bug(sample=True), "does not sample"),
        (_greedy_bug(first=0), "first input is not the start token"),
        (_prefix_rerun, "one call per token"),
        (lambda step, state, s, e, n: None, "None"),
        (lambda step, state, s, e, n: np.array([[1, 2]]), "flat list"),
        (lambda step, state, s, e, n: [1.0, 2.0], "integer token ids"),
        (lambda step, state, s, e, n: step(np.array([float(s)]), state) and [], "ONE integer token id"),
        (lambda step, state, s, e, n: step(np.array([s]), None) and [], "pass back exactly the state"),
    ],
)
def test_greedy_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_greedy_decode_one(wrong)


def test_greedy_stub(assert_not_attempted):
    assert_not_attempted(check_greedy_decode_one)


# --------------------------------------------------------------------------- 07.3 beam search
def beam_search_best(log_prob_fn, end_id, max_len, beam_width, alpha):
    """The lesson's version: the beam narrows by one for each hypothesis that finishes."""
    alive, finished = [([], 0.0)], []
    for step in range(max_len):
        candidates = []
        for ids, score in alive:
            log_probs = log_prob_fn(ids)
            for token, lp in enumerate(log_probs):
                candidates.append((score + lp, ids + [token]))
        candidates.sort(key=lambda c: -c[0])
        alive = []
        for score, ids in candidates[: beam_width - len(finished)]:
            if ids[-1] == end_id:
                finished.append((score / len(ids) ** alpha, ids[:-1]))
            else:
                alive.append((ids, score))
        if not alive:
            break
        if step == max_len - 1:
            finished += [(score / len(ids) ** alpha, ids) for ids, score in alive]
    return max(finished)[1]


def beam_keep_k_alive(log_prob_fn, end_id, max_len, beam_width, alpha):
    """Written differently: k hypotheses stay alive, finished ones collect in a heap (as in
    most libraries), and the search stops early once nothing alive can win (alpha = 0 only)."""
    alive, done = [(0.0, ())], []
    for step in range(max_len):
        pool = []
        for score, ids in alive:
            lp = np.asarray(log_prob_fn(list(ids)))
            for token in np.argsort(-lp)[: beam_width + 1]:
                pool.append((score + float(lp[token]), ids + (int(token),)))
        alive = []
        for score, ids in heapq.nlargest(2 * beam_width, pool):
            if ids[-1] == end_id:
                heapq.heappush(done, (score / len(ids) ** alpha, list(ids[:-1])))
            elif len(alive) < beam_width:
                alive.append((score, ids))
        if step == max_len - 1:
            for score, ids in alive:
                heapq.heappush(done, (score / len(ids) ** alpha, list(ids)))
    return max(done)[1]


@pytest.mark.parametrize("answer", [beam_search_best, beam_keep_k_alive])
def test_beam_correct_answers_pass(answer):
    assert check_beam_search_best(answer)


def _beam_bug(*, normalise=True, combine="sum", prune=True, keep_finished=True, include_end=False):
    def fn(log_prob_fn, end_id, max_len, beam_width, alpha):
        start = 0.0 if combine == "sum" else 1.0
        alive, finished = [([], start)], []
        for step in range(max_len):
            cands = []
            for ids, score in alive:
                lps = log_prob_fn(ids)
                for tok, lp in enumerate(lps):
                    if combine == "sum":
                        new = score + lp
                    elif combine == "multiply_logs":
                        new = (score if score != 0.0 else 1.0) * lp
                    else:
                        new = score * np.exp(lp)
                    cands.append((new, ids + [tok]))
            cands.sort(key=lambda c: -c[0])
            if prune:
                cands = cands[: beam_width - len(finished) if keep_finished else beam_width]
            alive = []
            for score, ids in cands:
                if ids[-1] == end_id:
                    if keep_finished:
                        finished.append(
                            (
                                score / len(ids) ** (alpha if normalise else 0),
                                ids if include_end else ids[:-1],
                            )
                        )
                else:
                    alive.append((ids, score))
            if not alive:
                break
            if step == max_len - 1:
                finished += [(score / len(ids) ** (alpha if normalise else 0), ids) for ids, score in alive]
        return max(finished)[1] if finished else []

    return fn


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_beam_bug(normalise=False), "no length normalisation"),
        (_beam_bug(combine="multiply_logs"), "multiplied"),
        (_beam_bug(combine="multiply_probs"), "underflow"),
        (_beam_bug(keep_finished=False), "finished hypotheses are dropped"),
        (_beam_bug(prune=False), "not pruned"),
        (_beam_bug(include_end=True), "end token"),
        (lambda f, end, n, k, a: beam_search_best(f, end, n, 1, a), "expected"),  # beam_width ignored
        (lambda f, end, n, k, a: beam_search_best(f, end, n, k, 1.0), "no length normalisation|expected"),
        (lambda f, end, n, k, a: (f(list(range(9))), [])[1], "end token"),  # extends a finished prefix
        (lambda f, end, n, k, a: "12", "list of token ids"),
    ],
)
def test_beam_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_beam_search_best(wrong)


def test_beam_stub(assert_not_attempted):
    assert_not_attempted(check_beam_search_best)


def test_beam_cases_tell_every_bug_apart():
    """Each toy problem is chosen so that every bug gives a different answer in at least one case."""
    from seqkeras.checks import lesson07 as l07

    for _, kw in l07._BEAM_BUGS:
        differs = []
        for _, table, max_len, width, alpha, scale in l07._CASES:
            args = (l07._V3 - 1, max_len, width, alpha)

            def run(table=table, scale=scale, args=args, **k):
                return l07._beam_variant(l07._ToyScorer(table, l07._V3, l07._V3 - 1, scale), *args, **k)

            differs.append(run(**kw) != run())
        assert any(differs), kw


# --------------------------------------------------------------------------- 07.4 BLEU by hand
def corpus_bleu(hypotheses, references):
    correct, total = [0] * 4, [0] * 4
    out_len = ref_len = 0
    for hyp, refs in zip(hypotheses, references):
        for n in range(1, 5):
            grams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
            best = Counter()
            for ref in refs:
                best |= Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))  # max per n-gram
            correct[n - 1] += sum(min(k, best[g]) for g, k in grams.items())
            total[n - 1] += max(len(hyp) - n + 1, 0)
        out_len += len(hyp)
        ref_len += min((len(r) for r in refs), key=lambda k: (abs(k - len(hyp)), k))
    if min(correct) == 0:
        return 0.0
    log_precision = sum(math.log(c / t) for c, t in zip(correct, total)) / 4
    brevity = 1.0 if out_len >= ref_len else math.exp(1 - ref_len / out_len)
    return 100 * brevity * math.exp(log_precision)


def corpus_bleu_numpy(hypotheses, references):  # written differently: precisions as arrays
    from collections import defaultdict

    stats = np.zeros((2, 4))
    lengths = np.zeros(2)
    for hyp, refs in zip(hypotheses, references):
        for n in range(4):
            h = defaultdict(int)
            for i in range(len(hyp) - n):
                h["".join(hyp[i : i + n + 1])] += 1
            clip = defaultdict(int)
            for ref in refs:
                r = defaultdict(int)
                for i in range(len(ref) - n):
                    r["".join(ref[i : i + n + 1])] += 1
                for g, k in r.items():
                    clip[g] = max(clip[g], k)
            stats[0, n] += sum(min(k, clip[g]) for g, k in h.items())
            stats[1, n] += max(len(hyp) - n, 0)
        diffs = [(abs(len(r) - len(hyp)), len(r)) for r in refs]
        lengths += [len(hyp), min(diffs)[1]]
    p = stats[0] / stats[1]
    if np.any(p == 0):
        return 0.0
    bp = min(1.0, np.exp(1 - lengths[1] / lengths[0]))
    return float(100 * bp * np.exp(np.log(p).mean()))


def sacrebleu_answer(hypotheses, references):  # the library itself is a correct answer
    from sacrebleu.metrics import BLEU

    streams = [
        [" ".join(r[k]) if k < len(r) else None for r in references] for k in range(max(map(len, references)))
    ]
    return (
        BLEU(tokenize="none", smooth_method="none")
        .corpus_score([" ".join(h) for h in hypotheses], streams)
        .score
    )


@pytest.mark.parametrize("answer", [corpus_bleu, corpus_bleu_numpy, sacrebleu_answer])
def test_bleu_correct_answers_pass(answer):
    assert check_corpus_bleu(answer)


def _bleu_bug(**kw):
    from seqkeras.checks.lesson07 import _bleu_variant

    return lambda h, r: _bleu_variant(h, r, **kw)


def _bleu_sentence_average(hypotheses, references):
    return float(np.mean([corpus_bleu([h], [r]) for h, r in zip(hypotheses, references)]))


def _bleu_modifies(hypotheses, references):
    for h in hypotheses:
        h.append("。")
    return corpus_bleu(hypotheses, references)


@pytest.mark.parametrize(
    "wrong, match",
    [
        (_bleu_bug(clip="none"), "not clipped"),
        (_bleu_bug(clip="sum"), "SUM over the references"),
        (_bleu_bug(brevity="none"), "no brevity penalty"),
        (_bleu_bug(brevity="sentence"), "sentence by sentence"),
        (_bleu_bug(ref_len="first"), "FIRST reference"),
        (_bleu_bug(ref_len="shortest"), "shortest reference"),
        (_bleu_bug(ref_len="longest"), "longest reference"),
        (_bleu_bug(ref_len="average"), "average of the references"),
        (_bleu_bug(mean="arithmetic"), "geometric mean"),
        (_bleu_bug(max_n=3), "n = 3"),
        (_bleu_bug(scale=1.0), "between 0 and 1"),
        (_bleu_bug(first_ref_only=True), "only the first reference"),
        (_bleu_sentence_average, "differs|is wrong|sacrebleu's is"),
        (_bleu_modifies, "changed the token lists"),
        (lambda h, r: [corpus_bleu([a], [b]) for a, b in zip(h, r)], "one number"),
    ],
)
def test_bleu_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_corpus_bleu(wrong)


def test_bleu_stub(assert_not_attempted):
    assert_not_attempted(check_corpus_bleu)


def test_bleu_probes_tell_every_bug_apart():
    from seqkeras.checks import lesson07 as l07

    for diagnosis, kw in l07._BLEU_BUGS:
        assert any(
            not np.isclose(l07._bleu_variant(h, r, **kw), l07._bleu_variant(h, r))
            for _, h, r in l07._bleu_probes()
        ), diagnosis


# --------------------------------------------------------------------------- issue 20
def greedy_from_zero_state(step, state, start_id, end_id, max_len):  # ignores the given state
    return greedy_decode_one(step, 0, start_id, end_id, max_len)


def greedy_bare_int(step, state, start_id, end_id, max_len):  # feeds a bare int, not an array
    token, ids = start_id, []
    for _ in range(max_len):
        log_probs, state = step(token, state)
        token = int(np.argmax(log_probs[0]))
        if token == end_id:
            break
        ids.append(token)
    return ids


@pytest.mark.parametrize(
    "wrong, match",
    [
        (greedy_from_zero_state, "ignores the state you were given"),
        (greedy_bare_int, r"bare int, \d+: pass an array of shape \(1,\)"),
        (lambda step, state, s, e, n: step([s], state) and [], r"is a list, \[\d+\]: pass an array"),
        (lambda step, state, s, e, n: step(np.array([[s]]), state) and [], r"shape \(1, 1\)"),
        (lambda *args: (greedy_decode_one(*args), args[1]), "tuple of 2 items, a list among them"),
        (lambda *args: tuple(greedy_decode_one(*args)) + ([],), "a list among them"),
    ],
)
def test_greedy_issue_20_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_greedy_decode_one(wrong)


def test_greedy_tuple_of_ids_passes():
    assert check_greedy_decode_one(lambda *args: tuple(greedy_decode_one(*args)))


def beam_variant(*, stop_first=False, end_in_length=True, keep_unfinished=True, pair=False):
    """The notebook's algorithm written out, with one issue-20 bug switched on."""

    def fn(log_prob_fn, end_id, max_len, beam_width, alpha):
        alive, finished = [([], 0.0)], []
        for step in range(max_len):
            cands = sorted(
                (
                    (score + lp, ids + [tok])
                    for ids, score in alive
                    for tok, lp in enumerate(log_prob_fn(ids))
                ),
                key=lambda c: -c[0],
            )
            alive = []
            for score, ids in cands[: beam_width - len(finished)]:
                if ids[-1] == end_id:
                    length = len(ids) if end_in_length else max(len(ids) - 1, 1)
                    finished.append((score / length**alpha, ids[:-1]))
                    if stop_first:
                        return ids[:-1]
                else:
                    alive.append((ids, score))
            if not alive:
                break
            if step == max_len - 1 and keep_unfinished:
                finished += [(score / len(ids) ** alpha, ids) for ids, score in alive]
        best = max(finished) if finished else (0.0, [])
        return best if pair else best[1]

    return fn


@pytest.mark.parametrize(
    "wrong, match",
    [
        (beam_variant(stop_first=True), "stop at the first hypothesis that finishes"),
        (beam_variant(end_in_length=False), "leaves out <end>"),
        (beam_variant(keep_unfinished=False), "still unfinished after max_len steps are dropped"),
        (beam_variant(pair=True), "tuple of 2 items, a list among them"),
        (lambda *args: [np.array([t]) for t in beam_search_best(*args)], "flat list"),
    ],
)
def test_beam_issue_20_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_beam_search_best(wrong)


def test_beam_variant_without_bugs_passes():
    assert check_beam_search_best(beam_variant())


def bleu_longer_on_tie(hypotheses, references):  # the closest reference, the longer on a tie
    from collections import Counter

    matches, totals, c, r = np.zeros(4), np.zeros(4), 0, 0
    for hyp, refs in zip(hypotheses, references):
        for n in range(1, 5):
            grams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
            most = Counter()
            for ref in refs:
                most |= Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
            matches[n - 1] += sum(min(k, most[g]) for g, k in grams.items())
            totals[n - 1] += max(len(hyp) - n + 1, 0)
        c += len(hyp)
        r += min((len(x) for x in refs), key=lambda k: (abs(k - len(hyp)), -k))
    if np.any(matches == 0):
        return 0.0
    return float(100 * min(1.0, np.exp(1 - r / c)) * np.exp(np.mean(np.log(matches / totals))))


def bleu_unclamped(hypotheses, references):  # len(hyp) - n + 1 n-grams even when negative
    from collections import Counter

    matches, totals, c, r = np.zeros(4), np.zeros(4), 0, 0
    for hyp, refs in zip(hypotheses, references):
        for n in range(1, 5):
            grams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
            most = Counter()
            for ref in refs:
                most |= Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
            matches[n - 1] += sum(min(k, most[g]) for g, k in grams.items())
            totals[n - 1] += len(hyp) - n + 1
        c += len(hyp)
        r += min((len(x) for x in refs), key=lambda k: (abs(k - len(hyp)), k))
    if np.any(matches == 0):
        return 0.0
    return float(100 * min(1.0, np.exp(1 - r / c)) * np.exp(np.mean(np.log(matches / totals))))


def bleu_library_object(hypotheses, references):
    from sacrebleu.metrics import BLEU

    streams = [
        [" ".join(r[k]) if k < len(r) else None for r in references] for k in range(max(map(len, references)))
    ]
    return BLEU(tokenize="none", smooth_method="none").corpus_score(
        [" ".join(h) for h in hypotheses], streams
    )


@pytest.mark.parametrize(
    "wrong, match",
    [
        (bleu_longer_on_tie, "on a tie in closest reference length you took the longer"),
        (bleu_unclamped, "shorter than n tokens"),
        (bleu_library_object, r"BLEUScore object from sacrebleu \(its number is `\.score`\)"),
        (lambda h, r: [corpus_bleu(h, r)], "list of 1 items"),
        (lambda h, r: np.array([corpus_bleu(h, r)]), r"shape \(1,\): take the number out with float"),
        (lambda h, r: (corpus_bleu(h, r),), "trailing comma"),
    ],
)
def test_bleu_issue_20_bugs_are_named(wrong, match):
    with pytest.raises(ExerciseError, match=match):
        check_corpus_bleu(wrong)


@pytest.mark.parametrize(
    "checker, name",
    [
        (check_scheduled_inputs, "scheduled_inputs"),
        (check_greedy_decode_one, "greedy_decode_one"),
        (check_beam_search_best, "beam_search_best"),
        (check_corpus_bleu, "corpus_bleu"),
    ],
)
def test_the_notebooks_solutions_pass(checker, name):
    assert checker(notebook_solution("07_encoder_decoder.ipynb", name))
