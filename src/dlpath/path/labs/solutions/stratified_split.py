import numpy as np


def stratified_split(labels, seed, fractions=(0.7, 0.15, 0.15)):
    """A seeded, stratified split of the sample indices 0..N-1 into train, validation and
    test parts, class by class:

        for each class c with n samples (shuffled with np.random.default_rng(seed)):
            n_train = round(f_train n),   n_val = round((f_train + f_val) n) - n_train
            the first n_train go to train, the next n_val to validation, the rest to test

    Rounding the cumulative boundaries keeps every part within one sample of its share.
    labels: (N,) array of class labels (integers or strings); fractions: three shares that
    sum to 1. Returns (train, val, test), three 1-D integer arrays of indices, disjoint and
    together covering 0..N-1; the same seed gives the same split.
    """
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n = len(idx)
        n_train = round(fractions[0] * n)
        n_train_val = round((fractions[0] + fractions[1]) * n)
        parts[0].append(idx[:n_train])
        parts[1].append(idx[n_train:n_train_val])
        parts[2].append(idx[n_train_val:])
    return tuple(np.sort(np.concatenate(part)) for part in parts)
