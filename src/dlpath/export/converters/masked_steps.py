"""Keras masks for the ONNX recurrent ops, which only know ``sequence_lens`` (the first
``len`` steps are real).

dlpath skips a masked step: the sample keeps its states and repeats its previous output,
wherever the masked steps are (pre-padding, post-padding or holes). So the state after
step t is the RNN run on the real steps up to t alone. The graph therefore

1. moves each sample's real steps to the front, in order (`compact`): a TopK, smallest
   first, of the key (1 - m_t) T + t, which is unique per step, so no tie-breaking rule
   matters; then ``sequence_lens = sum_t m_t``;
2. runs the ONNX op on the compacted sequence: its output k - 1 is the state after the
   first k real steps, and its final state that after all of them;
3. gives step t the output after k_t = sum_{s <= t} m_s real steps (`spread`): output
   k_t - 1 of the op, or the initial state where k_t = 0.
"""

from __future__ import annotations

INT64, INT32 = 7, 6  # onnx.TensorProto


def reverse_time(b, x: str, hint: str) -> str:
    """x[:, ::-1] (the steps of a (B, T, ...) value in reverse order)."""
    return b.op("Slice", [x, b.ints([-1]), b.ints([-(2 ** 63)]), b.ints([1]), b.ints([-1])],
                hint)


def compact(b, x: str, mask: str, hint: str):
    """(x with each sample's real steps first, sequence_lens (B,) int32, k (B, T) int64)."""
    m = b.op("Cast", [mask], hint, to=INT64)  # (B, T) 1 = real step
    steps = b.op("Shape", [x], hint, start=1, end=2)  # (1,) = [T]
    t_scalar = b.op("Squeeze", [steps, b.ints([0])], hint)
    positions = b.op("Range", [b.scalar(0, "int64"), t_scalar, b.scalar(1, "int64")], hint)
    padding = b.op("Sub", [b.scalar(1, "int64"), m], hint)  # 1 = masked step
    key = b.op("Add", [b.op("Mul", [padding, t_scalar], hint), positions], hint)
    _, order = b.op("TopK", [key, steps], hint, outputs=2, axis=1, largest=0, sorted=1)
    gather = b.op("Expand", [b.op("Unsqueeze", [order, b.ints([2])], hint),
                             b.op("Shape", [x], hint)], hint)
    packed = b.op("GatherElements", [x, gather], hint, axis=1)
    lengths = b.op("Cast", [b.reduce("ReduceSum", m, [1], hint)], hint, to=INT32)
    counts = b.op("CumSum", [m, b.scalar(1, "int64")], hint)  # k_t
    return packed, lengths, counts


def spread(b, outputs: str, counts: str, initial: str | None, hint: str) -> str:
    """Step t's output: ``outputs`` (B, T, U) at k_t - 1, or ``initial`` (B, U) (zeros
    when None) where k_t = 0."""
    if initial is None:
        padded = b.op("Pad", [outputs, b.ints([0, 1, 0, 0, 0, 0])], hint)  # (B, T + 1, U)
    else:
        first = b.op("Unsqueeze", [initial, b.ints([1])], hint)
        padded = b.op("Concat", [first, outputs], hint, axis=1)
    index = b.op("Expand", [b.op("Unsqueeze", [counts, b.ints([2])], hint),
                            b.op("Shape", [outputs], hint)], hint)
    return b.op("GatherElements", [padded, index], hint, axis=1)
