"""Padding variable-length sequences into one array, as ``keras.utils.pad_sequences``."""

import numpy as np

_SIDES = ("pre", "post")


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pad (or cut) each sequence to the same length and stack them.

    The result has shape ``(len(sequences), maxlen) + sample_shape``, where
    ``maxlen`` defaults to the longest sequence and ``sample_shape`` is the
    shape of one element (``()`` for sequences of numbers).

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)

    Args:
        sequences: a sized iterable of sequences (lists, arrays, ...).
        maxlen: length of the output rows; None for the longest sequence.
        dtype: dtype of the result. For strings use ``object`` or a NumPy
            string dtype (``"<U5"``); a string ``value`` with any other dtype
            is an error.
        padding: ``"pre"`` or ``"post"``: pad before or after each sequence.
        truncating: ``"pre"`` or ``"post"``: cut longer sequences at the
            start or at the end.
        value: the padding value.

    Returns:
        A NumPy array of ``dtype``.

    Raises:
        ValueError: bad ``padding``/``truncating``, an element that is not a
            sequence, no sequences and no ``maxlen``, a negative ``maxlen``,
            a string ``value`` with a non-string dtype, or elements of
            different shapes.
    """
    if padding not in _SIDES:
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in _SIDES:
        raise ValueError(f'Truncating type "{truncating}" not understood')
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape = _lengths_and_sample_shape(sequences)
    if maxlen is None:
        if not lengths:
            raise ValueError(
                "`sequences` is empty: pass at least one sequence, or `maxlen`."
            )
        maxlen = max(lengths)
    if maxlen < 0:
        raise ValueError(f"`maxlen` must be >= 0, got {maxlen}")
    is_dtype_str = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_dtype_str:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )

    padded = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    if maxlen == 0:
        return padded
    for row, sequence in enumerate(sequences):
        if not len(sequence):
            continue  # an empty sequence stays all padding
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {row} "
                f"is different from expected shape {sample_shape}"
            )
        if padding == "post":
            padded[row, : len(kept)] = kept
        else:
            padded[row, -len(kept) :] = kept
    return padded


def _lengths_and_sample_shape(sequences):
    """Each sequence's length, and the element shape of the first non-empty one."""
    lengths = []
    sample_shape = None
    for sequence in sequences:
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {sequence}"
            ) from error
        if sample_shape is None and len(sequence):
            sample_shape = np.asarray(sequence).shape[1:]
    return lengths, sample_shape if sample_shape is not None else ()
