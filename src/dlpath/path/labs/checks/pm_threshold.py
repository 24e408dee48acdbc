"""Checks of the pm-threshold lab: the cost of a threshold and the cheapest threshold among
the observed scores, against a brute-force float64 reference, with ties, repeated scores,
asymmetric costs and one-class data."""

import numpy as np

from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["total_cost", "best_threshold"]


def _cost(scores, labels, t, cost_fp, cost_fn, strict=False, swapped=False):
    predicted = scores > t if strict else scores >= t
    fp = int(np.sum(predicted & (labels == 0)))
    fn = int(np.sum(~predicted & (labels == 1)))
    return float(cost_fn * fp + cost_fp * fn) if swapped else float(cost_fp * fp + cost_fn * fn)


def _best(scores, labels, cost_fp, cost_fn, strict=False, swapped=False, smallest=False):
    """The cheapest observed threshold (the largest on ties, or the smallest) and its cost."""
    candidates = [float(t) for t in np.unique(scores)]
    costs = [_cost(scores, labels, t, cost_fp, cost_fn, strict, swapped) for t in candidates]
    lowest = min(costs)
    ties = [t for t, c in zip(candidates, costs) if c == lowest]
    return (min(ties) if smallest else max(ties)), lowest


def _data(rng, n=None, positive_share=0.4):
    n = int(rng.integers(20, 40)) if n is None else n
    labels = (rng.random(n) < positive_share).astype(np.int64)
    scores = np.clip(rng.normal(0.35 + 0.3 * labels, 0.2), 0, 1).round(2)  # repeats happen
    return scores, labels


def _costs(rng):
    return float(rng.integers(1, 10)), float(rng.integers(5, 60))


def _as_float(case, value, what):
    try:
        return float(value)
    except (TypeError, ValueError):
        case.fail("wrong_type", name=what, expected="a float", type=type(value).__name__)


@check("total-cost")
def total_cost(learner, rng):
    scores, labels = _data(rng)
    cost_fp, cost_fn = _costs(rng)
    for t in (float(rng.choice(scores)), float(rng.choice(scores)), float(np.max(scores)) + 1):
        case = Case(learner.total_cost, f"{len(scores)} samples, threshold {t:g}, "
                                        f"cost_fp {cost_fp:g}, cost_fn {cost_fn:g}")
        value = _as_float(case, case.call(scores, labels, t, cost_fp, cost_fn), "the cost")
        mistakes = {"strict_threshold": _cost(scores, labels, t, cost_fp, cost_fn, strict=True),
                    "costs_swapped": _cost(scores, labels, t, cost_fp, cost_fn, swapped=True),
                    "mean_cost": _cost(scores, labels, t, cost_fp, cost_fn) / len(scores)}
        case.expect_close("the cost", value, _cost(scores, labels, t, cost_fp, cost_fn),
                          rtol=1e-12, atol=1e-9, mistakes=mistakes)


def _expect_best(learner, scores, labels, cost_fp, cost_fn, description):
    case = Case(learner.best_threshold, description)
    result = case.call(scores, labels, cost_fp, cost_fn)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("not_a_pair", type=type(result).__name__)
    threshold = _as_float(case, result[0], "the threshold")
    cost = _as_float(case, result[1], "the cost")
    expected_t, expected_cost = _best(scores, labels, cost_fp, cost_fn)
    if threshold == expected_t and abs(cost - expected_cost) <= 1e-9:
        return
    if not np.any(scores == threshold):
        case.fail("threshold_not_a_score", threshold=threshold)
    variants = [("strict_threshold", {"strict": True}), ("costs_swapped", {"swapped": True}),
                ("smallest_of_ties", {"smallest": True})]
    for key, options in variants:
        wrong = _best(scores, labels, cost_fp, cost_fn, **options)
        if (threshold, cost) == wrong and wrong != (expected_t, expected_cost):
            case.fail(key, threshold=threshold, cost=cost, expected=expected_t,
                      expected_cost=expected_cost)
    errors = _best(scores, labels, 1.0, 1.0)[0]
    if threshold == errors != expected_t:
        case.fail("ignored_costs", threshold=threshold, expected=expected_t)
    actual_cost = _cost(scores, labels, threshold, cost_fp, cost_fn)
    if abs(cost - actual_cost) > 1e-9:
        case.fail("cost_not_of_threshold", threshold=threshold, cost=cost, actual=actual_cost)
    case.fail("not_cheapest", threshold=threshold, cost=actual_cost, expected=expected_t,
              expected_cost=expected_cost)


@check("best-threshold")
def best_threshold(learner, rng):
    for _ in range(3):
        scores, labels = _data(rng)
        cost_fp, cost_fn = _costs(rng)
        _expect_best(learner, scores, labels, cost_fp, cost_fn,
                     f"{len(scores)} samples, cost_fp {cost_fp:g}, cost_fn {cost_fn:g}")
    scores, labels = _data(rng)
    cost_fn, cost_fp = _costs(rng)  # false positives the dearer ones
    _expect_best(learner, scores, labels, cost_fp, cost_fn,
                 f"{len(scores)} samples, cost_fp {cost_fp:g}, cost_fn {cost_fn:g}")


@check("ties")
def ties(learner, rng):
    # Thresholds 0.5 and 0.7 both cost 2 (at 0.5 the negative at 0.6 is a false positive,
    # at 0.7 the positive at 0.5 is a false negative); the larger one, 0.7, is the answer.
    offset = float(rng.integers(0, 20)) / 100
    scores = np.array([0.1, 0.3, 0.5, 0.6, 0.7, 0.9]) + offset
    labels = np.array([0, 0, 1, 0, 1, 1])
    order = rng.permutation(len(scores))
    _expect_best(learner, scores[order], labels[order], 2.0, 2.0,
                 "6 samples where two thresholds cost the same, cost_fp = cost_fn = 2")


@check("one-class")
def one_class(learner, rng):
    scores, _ = _data(rng)
    for label in (0, 1):
        labels = np.full(len(scores), label)
        cost_fp, cost_fn = _costs(rng)
        _expect_best(learner, scores, labels, cost_fp, cost_fn,
                     f"{len(scores)} samples, all labels {label}")
