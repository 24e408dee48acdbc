"""The bounds every saved file is checked against before anything is allocated.

A saved file comes from outside the program, so each size it declares is checked against
these bounds (and against the sizes the file itself holds) before memory is allocated or
work is done. They are far above what a real model needs and far below what would exhaust
a machine; a file beyond them is refused with `SaveFileError`.
"""

from __future__ import annotations

import dataclasses

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30


@dataclasses.dataclass(frozen=True)
class Limits:
    # ZIP archives (a .keras file, and the .npz files inside it).
    max_members: int = 100_000             # entries in one archive's directory
    max_directory_bytes: int = 32 * MIB    # the size of that directory
    max_name_length: int = 1024            # characters in a member's name
    max_compression_ratio: int = 200       # inflated / compressed, for a large member
    ratio_exempt_bytes: int = 1 * MIB      # members this small may compress any amount
    # JSON members, by name; any other JSON member gets `max_json_bytes`.
    json_bytes: tuple = (("metadata.json", 1 * MIB), ("training.json", 1 * MIB),
                         ("compile.json", 4 * MIB))
    max_json_bytes: int = 32 * MIB
    max_json_depth: int = 100              # nesting of objects and lists
    max_int_digits: int = 64               # a 128-bit random state has 39
    # .npy arrays and the weights manifest of config.json.
    max_npy_header_bytes: int = 10_000     # numpy's own default
    max_rank: int = 32
    max_weights: int = 100_000             # entries of the weights manifest
    max_weights_bytes: int = 64 * GIB      # all weights together
    npz_member_overhead: int = 16 * KIB    # ZIP headers and .npy header, per array
    npz_overhead: int = 64 * KIB           # ZIP directory of an .npz
    optimizer_state_factor: int = 8        # optimizer.npz <= 8 x the weights (+ 1 MiB)
    # Architecture values of config.json.
    max_layers: int = 10_000               # layer entries in one config
    max_width: int = 1 << 21               # units, filters, vocabulary and embedding sizes
    max_window: int = 1 << 12              # kernel, pool, stride, dilation, padding sizes
    max_dimension: int = 1 << 24           # one axis of an input or target shape
    max_input_elements: int = 1 << 26      # all axes of one sample of an input

    def json_cap(self, member: str) -> int:
        return dict(self.json_bytes).get(member, self.max_json_bytes)


LIMITS = Limits()
