"""scikit-learn's 8x8 handwritten digits, split like the Keras loaders return data.

The 1,797 images ship with scikit-learn (``sklearn.datasets.load_digits``), so
this dataset works offline and is small enough for quick experiments and tests.
"""

import numpy as np


def load_data(test_size=0.2, seed=0):
    """Load the digits as ``(x_train, y_train), (x_test, y_test)``.

    Args:
        test_size: fraction of the 1,797 images put in the test split, in (0, 1).
        seed: seed of the (stratified) split.

    Returns:
        Images as float32 arrays of shape (n, 8, 8) with values 0..16, and
        int64 labels 0..9. The split is stratified: each class keeps its
        share in both parts.
    """
    if not isinstance(test_size, float) or not 0.0 < test_size < 1.0:
        raise ValueError(f"digits.py: test_size must be a float in (0, 1), got {test_size!r}")
    # scikit-learn is imported here: it is slow to import and only this loader needs it.
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = digits.images.astype(np.float32)  # (1797, 8, 8)
    labels = digits.target.astype(np.int64)  # (1797,)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_size, random_state=seed, stratify=labels
    )
    return (x_train, y_train), (x_test, y_test)
