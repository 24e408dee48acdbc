"""``timeseries_dataset_from_array``: sliding windows over a series, as a `Dataset`.

Window ``i`` starts at time step ``p_i = start_index + i * sequence_stride`` and holds
the steps ``p_i, p_i + r, ..., p_i + (L - 1) r`` (``L = sequence_length``,
``r = sampling_rate``); its target is ``targets[p_i]``. There are
``end_index - start_index - (L - 1) r`` window starts (at most ``len(targets)``), taken
every ``sequence_stride`` steps. Windows are gathered batch by batch when iterated.
"""

from __future__ import annotations

import numpy as np

from dlpath.data import Dataset

OWNER = "timeseries_dataset_from_array"


def _positive(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{OWNER}: {name} must be a positive int, got {value!r}")
    return int(value)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """A `Dataset` of windows of ``data`` (and their targets), Keras' semantics.

    Args:
        data: array of time steps along the first axis.
        targets: one target per time step (None: windows only); when shorter than
            ``data``, the windows are cut to as many as there are targets, as in Keras.
        sequence_length, sequence_stride, sampling_rate: window length, the step between
            window starts, and the step between the samples of a window.
        batch_size: windows per batch (None: single windows).
        shuffle, seed: shuffle the window starts (``np.random.RandomState(seed)``).
        start_index, end_index: use only the time steps ``[start_index, end_index)``.

    Raises:
        ValueError: bad lengths or indices, naming the argument and its bounds.
    """
    data = np.asarray(data)
    length = _positive(sequence_length, "sequence_length")
    stride = _positive(sequence_stride, "sequence_stride")
    rate = _positive(sampling_rate, "sampling_rate")
    if batch_size is not None:
        batch_size = _positive(batch_size, "batch_size")
    if targets is not None:
        targets = np.asarray(targets)  # one per time step; windows stop where they end
    start = 0 if start_index is None else int(start_index)
    end = len(data) if end_index is None else int(end_index)
    if not 0 <= start < len(data):
        raise ValueError(f"{OWNER}: start_index must be in [0, {len(data)}), got {start}")
    if not start < end <= len(data):
        raise ValueError(f"{OWNER}: end_index must be in ({start}, {len(data)}], got {end}")
    count = end - start - (length - 1) * rate
    if targets is not None:
        count = min(count, len(targets))
    starts = np.arange(0, max(count, 0), stride, dtype=np.int64)
    if shuffle:
        rng = np.random.RandomState(np.random.randint(1e6) if seed is None else seed)
        rng.shuffle(starts)
    offsets = np.arange(length, dtype=np.int64) * rate
    window = data[start:end]
    target_window = None if targets is None else targets[start:end]

    def gather(positions):
        positions = np.asarray(positions)
        sequences = window[positions[..., None] + offsets]
        if target_window is None:
            return sequences
        return sequences, target_window[positions]

    dataset = Dataset.from_tensor_slices(starts)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset.map(gather)
