"""The engine's primitive ops and their functional forms.

Every differentiable computation in dlpath is a composition of the primitives counted in
`PRIMITIVES` (plus the fused ones that layers register next to their composite versions).
"""

from dlpath.engine.ops.arithmetic import (
    Add, Div, Mul, Neg, Pow, Sub, add, div, mul, neg, pow, sub,
)
from dlpath.engine.ops.elementwise import (
    Abs, Cast, Clip, Exp, Log, Maximum, Minimum, Sqrt, Where,
    abs, cast, clip, exp, log, maximum, minimum, sqrt, where,
)
from dlpath.engine.ops.indexing import GetItem, TakeAlongAxis, gather, getitem, take_along_axis
from dlpath.engine.ops.matmul import MatMul, matmul
from dlpath.engine.ops.reduce import Max, Mean, Min, Sum, max, mean, min, sum
from dlpath.engine.ops.shape import (
    BroadcastTo, Concatenate, Pad, Reshape, Stack, Transpose,
    broadcast_to, concatenate, expand, pad, permute, reshape, split, stack, transpose,
)

PRIMITIVES = (
    Add, Sub, Mul, Div, Neg, Pow,
    Exp, Log, Sqrt, Abs, Maximum, Minimum, Where, Clip, Cast,
    MatMul,
    Sum, Mean, Max, Min,
    Reshape, Transpose, BroadcastTo, Concatenate, Stack, Pad,
    GetItem, TakeAlongAxis,
)

__all__ = [
    "PRIMITIVES",
    "add", "sub", "mul", "div", "neg", "pow",
    "exp", "log", "sqrt", "abs", "maximum", "minimum", "where", "clip", "cast",
    "matmul",
    "sum", "mean", "max", "min",
    "reshape", "transpose", "permute", "broadcast_to", "expand", "concatenate", "stack",
    "split", "pad",
    "getitem", "take_along_axis", "gather",
]
