"""Checks of the pm-group-errors lab: per-group false-positive and false-negative rates and
the equalized-odds gaps against a float64 reference, with string and integer groups,
groups without negatives or positives, and a single group."""

import math

import numpy as np

from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["group_rates", "equalized_odds_gaps"]


def _rates(t, p):
    """(FPR, FNR) of one group's labels and predictions; nan where undefined."""
    negatives, positives = int(np.sum(t == 0)), int(np.sum(t == 1))
    fp, fn = int(np.sum((p == 1) & (t == 0))), int(np.sum((p == 0) & (t == 1)))
    tp = int(np.sum((p == 1) & (t == 1)))
    return {"fpr": fp / negatives if negatives else math.nan,
            "fnr": fn / positives if positives else math.nan,
            "fpr_over_group": fp / len(t), "fdr": fp / (fp + tp) if fp + tp else math.nan}


def _reference(y_true, y_pred, groups):
    return {g.item(): _rates(y_true[groups == g], y_pred[groups == g])
            for g in np.unique(groups)}


def _gap(values):
    values = [v for v in values if not math.isnan(v)]
    return max(values) - min(values) if len(values) >= 2 else 0.0


def _data(rng, names, n=None, rates=None):
    n = int(rng.integers(40, 80)) if n is None else n
    groups = rng.choice(np.array(names), size=n)
    y_true = (rng.random(n) < 0.4).astype(np.int64)
    # Each group errs at its own rates, so that the gaps are far from 0.
    flip = np.zeros(n)
    for i, name in enumerate(names):
        flip[groups == name] = 0.1 + 0.15 * i if rates is None else rates[i]
    y_pred = np.where(rng.random(n) < flip, 1 - y_true, y_true)
    return y_true, y_pred, groups


def _call(function, description, y_true, y_pred, groups):
    """A Case for ``function(y_true, y_pred, groups)`` and its result. Case.call compares
    the arguments before and after the call, which NumPy cannot do for string arrays; the
    groups are compared here with ==, and only the labels go through Case.call."""
    original = groups.copy()

    def wrapper(y_true, y_pred):
        return function(y_true, y_pred, groups)

    wrapper.__name__ = function.__name__
    case = Case(wrapper, description)
    result = case.call(y_true, y_pred)
    if groups.shape != original.shape or not np.all(groups == original):
        case.fail("mutated_input", argument="groups")
    return case, result


def _same(a, b):
    return (math.isnan(a) and math.isnan(b)) or (not math.isnan(b) and abs(a - b) <= 1e-12)


def _expect_rates(case, result, expected, overall):
    if not isinstance(result, dict):
        case.fail("not_a_dict", type=type(result).__name__)
    keys = {k.item() if isinstance(k, np.generic) else k for k in result}
    if keys != set(expected):
        case.fail("wrong_groups", actual=sorted(map(str, keys)),
                  expected=sorted(map(str, expected)))
    result = {k.item() if isinstance(k, np.generic) else k: v for k, v in result.items()}
    for g, want in expected.items():
        pair = result[g]
        try:
            fpr, fnr = (float(v) for v in pair)
        except (TypeError, ValueError):
            case.fail("not_a_pair", group=g, type=type(pair).__name__)
        if _same(fpr, want["fpr"]) and _same(fnr, want["fnr"]):
            continue
        for rate, value in (("fpr", fpr), ("fnr", fnr)):
            if math.isnan(want[rate]) and not math.isnan(value):
                case.fail("undefined_rate", group=g, rate=rate.upper(), value=value,
                          what="negatives" if rate == "fpr" else "positives")
        if _same(fpr, want["fnr"]) and _same(fnr, want["fpr"]):
            case.fail("rates_swapped", group=g)
        if _same(fpr, want["fpr_over_group"]) and not _same(fpr, want["fpr"]):
            case.fail("fpr_over_group", group=g)
        if _same(fpr, want["fdr"]) and not _same(fpr, want["fpr"]):
            case.fail("fpr_is_fdr", group=g)
        if _same(fpr, overall["fpr"]) and _same(fnr, overall["fnr"]):
            case.fail("not_per_group", group=g)
        rate, value = ("fpr", fpr) if not _same(fpr, want["fpr"]) else ("fnr", fnr)
        case.fail("wrong_rate", group=g, rate=rate.upper(), value=value, expected=want[rate])


@check("rates")
def rates(learner, rng):
    for names in (["A", "B", "C"], [int(v) for v in rng.choice(10, size=2, replace=False)]):
        y_true, y_pred, groups = _data(rng, names)
        case, result = _call(learner.group_rates, f"{len(y_true)} samples in groups {names}",
                             y_true, y_pred, groups)
        _expect_rates(case, result, _reference(y_true, y_pred, groups), _rates(y_true, y_pred))


@check("undefined-rates")
def undefined_rates(learner, rng):
    y_true, y_pred, groups = _data(rng, ["north", "south", "east"])
    y_true = np.where(groups == "east", 1, y_true)    # east: no actual negatives
    y_true = np.where(groups == "south", 0, y_true)   # south: no actual positives
    # west: one negative and one positive, both misclassified: FPR = FNR = 1
    y_true = np.concatenate([y_true, [0, 1]])
    y_pred = np.concatenate([y_pred, [1, 0]])
    groups = np.concatenate([groups, ["west", "west"]])
    case, result = _call(learner.group_rates, f"{len(y_true)} samples; group 'east' has no "
                         "negatives, 'south' no positives, 'west' one of each",
                         y_true, y_pred, groups)
    _expect_rates(case, result, _reference(y_true, y_pred, groups), _rates(y_true, y_pred))


def _expect_gaps(learner, y_true, y_pred, groups, description):
    case, result = _call(learner.equalized_odds_gaps, description, y_true, y_pred, groups)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("gaps_not_a_pair", type=type(result).__name__)
    try:
        fpr_gap, fnr_gap = float(result[0]), float(result[1])
    except (TypeError, ValueError):
        case.fail("wrong_type", name="the gaps", expected="two floats",
                  type=type(result[0]).__name__)
    reference = _reference(y_true, y_pred, groups)
    for name, value, rate in (("fpr_gap", fpr_gap, "fpr"), ("fnr_gap", fnr_gap, "fnr")):
        values = [r[rate] for r in reference.values()]
        expected = _gap(values)
        if math.isnan(value):
            case.fail("gap_nan", gap=name)
        defined = [v for v in values if not math.isnan(v)]
        pairwise = [abs(a - b) for i, a in enumerate(defined) for b in defined[i + 1:]]
        wrong = {"gap_is_max": max(defined, default=0.0),
                 "gap_mean_difference": float(np.mean(pairwise)) if pairwise else 0.0,
                 "gap_of_the_other_rate": _gap([r["fnr" if rate == "fpr" else "fpr"]
                                                for r in reference.values()])}
        case.expect_close(name, value, expected, rtol=1e-12, atol=1e-12, mistakes=wrong)


@check("gaps")
def gaps(learner, rng):
    for names in (["A", "B", "C", "D"], ["x", "y"]):
        y_true, y_pred, groups = _data(rng, names)
        _expect_gaps(learner, y_true, y_pred, groups,
                     f"{len(y_true)} samples in {len(names)} groups")


@check("gaps-edge-cases")
def gaps_edge_cases(learner, rng):
    y_true, y_pred, groups = _data(rng, ["north", "south", "east"])
    y_true = np.where(groups == "east", 1, y_true)
    _expect_gaps(learner, y_true, y_pred, groups,
                 f"{len(y_true)} samples; group 'east' has no negatives, so no FPR")
    y_true, y_pred, groups = _data(rng, ["only"])
    _expect_gaps(learner, y_true, y_pred, groups, f"{len(y_true)} samples, all in one group")
