"""Checks of the stratified-split lab: the parts are disjoint index arrays covering the
data, every class is split in its proportions within one sample, and the split is a
deterministic function of the seed that leaves NumPy's global generator alone."""

import numpy as np

from dlpath.path.labs.checking import Case, check, fail

FUNCTIONS = ["stratified_split"]
PARTS = ("train", "val", "test")


def _labels(rng, counts, values=None, shuffle=True):
    """Labels with counts[i] samples of class values[i], in random order."""
    values = list(range(len(counts))) if values is None else values
    labels = np.repeat(np.array(values), counts)
    return rng.permutation(labels) if shuffle else labels


def _call(learner, labels, seed, fractions, description):
    """A Case for the learner's function and its result. Case.call compares the arguments
    before and after the call, which NumPy cannot do for string arrays; here the labels
    are compared with ==, and only the seed goes through Case.call."""
    original = labels.copy()

    def stratified_split(seed):
        args = (labels, seed) if fractions is None else (labels, seed, fractions)
        return learner.stratified_split(*args)

    case = Case(stratified_split, description)
    result = case.call(seed)
    if labels.shape != original.shape or not np.all(labels == original):
        case.fail("mutated_input", argument="labels")
    return case, result


def _split(case, result):
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        case.fail("not_three_parts", type=type(result).__name__)
    parts = []
    for name, part in zip(PARTS, result):
        part = case.expect_array(name, part)
        if part.dtype == bool:
            case.fail("mask_not_indices", part=name)
        if part.ndim != 1 or (part.size and part.dtype.kind not in "iu"):
            case.fail("not_index_array", part=name, dtype=str(part.dtype), shape=part.shape)
        parts.append(part.astype(np.int64))
    return parts


def _expect_partition(case, parts, n):
    owner = {}
    for name, part in zip(PARTS, parts):
        for i in part.tolist():
            if not 0 <= i < n:
                case.fail("index_out_of_range", part=name, index=i, n=n)
            if i in owner:
                key = "duplicate_index" if owner[i] == name else "overlap"
                case.fail(key, index=i, part=name, other=owner[i])
            owner[i] = name
    missing = sorted(set(range(n)) - set(owner))
    if missing:
        case.fail("missing_index", index=missing[0], count=len(missing), n=n)


def _dlpath_counts(labels, c, fractions):
    """What dlpath.datasets.splits.train_val_test_split (scikit-learn) gives class c."""
    if min(fractions[1:]) <= 0:
        return "-"
    from dlpath.datasets.splits import train_val_test_split

    x = np.arange(len(labels))
    parts = train_val_test_split(x, labels, val_size=fractions[1], test_size=fractions[2],
                                 seed=0)
    return "/".join(str(int(np.sum(y == c))) for _, y in parts)


def _expect_proportions(case, parts, labels, fractions):
    for c in np.unique(labels):
        n = int(np.sum(labels == c))
        counts = [int(np.sum(labels[part] == c)) for part in parts]
        floors = [int(np.floor(f * n)) for f in fractions[:2]]
        for name, count, share in zip(PARTS, counts, fractions):
            if abs(count - share * n) > 1 + 1e-9:
                if counts[:2] == floors and counts[2] == n - sum(floors):
                    case.fail("floor_rounding", label=c, n=n, counts="/".join(map(str, counts)))
                case.fail("not_stratified", label=c, n=n, part=name, count=count,
                          expected=share * n, counts="/".join(map(str, counts)),
                          reference=_dlpath_counts(labels, c, fractions))


def _check(learner, labels, seed, fractions=None, what=""):
    shares = (0.7, 0.15, 0.15) if fractions is None else fractions
    case, result = _call(learner, labels, seed, fractions,
                         f"{len(labels)} samples, {what}seed {seed}"
                         + ("" if fractions is None else f", fractions {fractions}"))
    parts = _split(case, result)
    _expect_partition(case, parts, len(labels))
    _expect_proportions(case, parts, labels, shares)
    return parts


@check("partition")
def partition(learner, rng):
    labels = _labels(rng, [int(n) for n in rng.integers(20, 40, size=3)])
    case, result = _call(learner, labels, int(rng.integers(100)), None,
                         f"{len(labels)} samples, 3 classes")
    _expect_partition(case, _split(case, result), len(labels))


@check("proportions")
def proportions(learner, rng):
    # Imbalanced classes, and sizes (19, 13, 33) whose rounded-down shares leave test 2 over.
    counts = [19, 13, 33, int(rng.integers(40, 80)), int(rng.integers(5, 10))]
    _check(learner, _labels(rng, counts), int(rng.integers(100)), what="5 imbalanced classes, ")


@check("labels")
def labels_of_any_kind(learner, rng):
    values = sorted(int(v) for v in rng.choice(np.arange(-5, 100), size=3, replace=False))
    _check(learner, _labels(rng, [17, 30, 9], values), int(rng.integers(100)),
           what=f"labels {values}, ")
    _check(learner, _labels(rng, [12, 25], ["cat", "dog"]), int(rng.integers(100)),
           what="string labels, ")
    _check(learner, _labels(rng, [1, 2, 3, 20]), int(rng.integers(100)),
           what="classes of 1, 2, 3 and 20 samples, ")


@check("other-fractions")
def other_fractions(learner, rng):
    labels = _labels(rng, [int(n) for n in rng.integers(15, 45, size=3)])
    for fractions in ((0.6, 0.2, 0.2), (0.8, 0.1, 0.1), (0.5, 0.5, 0.0)):
        _check(learner, labels, int(rng.integers(100)), fractions)


@check("deterministic")
def deterministic(learner, rng):
    labels = _labels(rng, [int(n) for n in rng.integers(30, 60, size=3)])
    seed = int(rng.integers(1000))
    state = np.random.get_state()
    np.random.seed(int(rng.integers(2**31)))  # the global generator in some other state
    _, key, position, *_ = np.random.get_state()
    first = _check(learner, labels, seed)
    _, key_after, position_after, *_ = np.random.get_state()
    if position_after != position or not np.array_equal(key_after, key):
        np.random.set_state(state)
        fail("global_rng")
    np.random.set_state(state)
    again = _check(learner, labels, seed)
    for name, a, b in zip(PARTS, first, again):
        if not np.array_equal(a, b):
            fail("not_deterministic", seed=seed, part=name)
    other = _check(learner, labels, seed + 1)
    if all(set(a.tolist()) == set(b.tolist()) for a, b in zip(first, other)):
        fail("seed_ignored", seed=seed, other=seed + 1)
