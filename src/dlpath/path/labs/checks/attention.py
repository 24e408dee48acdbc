"""Checks of the attention lab: the output and the weights against dlpath's engine
(dlpath.engine.attention: the fused op and its composite probabilities), batched heads,
causal and padding masks (masked weights exactly 0), fully masked rows, large scores,
float32 and edge cases; the classic scaling, masking and axis mistakes are named."""

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine.attention import (attention_probabilities_composite,
                                     scaled_dot_product_attention)
from dlpath.path.labs.checking import Case, check

FUNCTIONS = ["attention"]


def _engine(q, k, v, mask=None):
    tq, tk, tv = (Tensor(a, dtype=a.dtype) for a in (q, k, v))
    out = scaled_dot_product_attention(tq, tk, tv, mask=mask).data
    weights = attention_probabilities_composite(tq, tk, mask=mask).data
    return out, weights


def _softmax(s, axis=-1):
    s = s - s.max(axis=axis, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=axis, keepdims=True)


def _mistakes(q, k, v, mask):
    """What the classic mistakes give: (out, weights) for each."""
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    d = q.shape[-1]
    raw = q @ np.swapaxes(k, -1, -2)

    def masked(scores, m=mask):
        return scores if m is None else np.where(m, scores, -1e9)

    weights = {
        "no_scaling": _softmax(masked(raw)),
        "scaled_by_d": _softmax(masked(raw / d)),
        "softmax_wrong_axis": _softmax(masked(raw / np.sqrt(d)), axis=-2),
    }
    if mask is not None:
        plain = _softmax(raw / np.sqrt(d))
        weights["mask_ignored"] = plain
        weights["mask_inverted"] = _softmax(masked(raw / np.sqrt(d), ~np.asarray(mask)))
        weights["mask_not_renormalized"] = plain * mask
    return {key: (w @ v, w) for key, w in weights.items()}


def _describe(q, k, v, mask, note=""):
    text = f"q {q.shape}, k {k.shape}, v {v.shape}"
    text += "" if mask is None else f", mask {np.shape(mask)}"
    return text + f", {q.dtype}" + (f", {note}" if note else "")


def _inputs(rng, lead, t, s, d, dv, dtype=np.float64, scale=1.0):
    q = rng.standard_normal(lead + (t, d)) * scale
    k = rng.standard_normal(lead + (s, d)) * scale
    v = rng.standard_normal(lead + (s, dv))
    return tuple(a.astype(dtype) for a in (q, k, v))


def _expect(learner, q, k, v, mask=None, note="", rtol=1e-7, atol=1e-9):
    case = Case(learner.attention, _describe(q, k, v, mask, note))
    result = case.call(q, k, v, mask) if mask is not None else case.call(q, k, v)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        case.fail("wrong_type", name="attention(...)", expected="a tuple (out, weights)",
                  type=type(result).__name__)
    out, weights = (case.expect_array(name, a) for name, a in zip(("out", "weights"),
                                                                   result))
    expected_out, expected_weights = _engine(q, k, v, mask)
    wrong = _mistakes(q, k, v, mask)
    if weights.shape == expected_weights.shape and not np.isfinite(weights).all() and \
            np.isfinite(expected_weights).all():
        if mask is not None and not np.asarray(mask).any(axis=-1).all():
            case.fail("fully_masked_nan")
        case.fail("softmax_overflow")
    case.expect_close("weights", weights, expected_weights, rtol=rtol, atol=atol,
                      mistakes={key: w for key, (_, w) in wrong.items()})
    if mask is not None:
        allowed = np.broadcast_to(np.asarray(mask), weights.shape)
        rows_with_key = np.broadcast_to(allowed.any(axis=-1, keepdims=True), weights.shape)
        leak = ~allowed & rows_with_key & (weights != 0)
        if leak.any():
            at = tuple(int(i) for i in np.argwhere(leak)[0])
            case.fail("masked_not_zero", index=str(list(at)), value=float(weights[at]))
    case.expect_close("out", out, expected_out, rtol=rtol, atol=atol,
                      mistakes={key: o for key, (o, _) in wrong.items()})
    return out, weights


@check("no-mask")
def no_mask(learner, rng):
    q, k, v = _inputs(rng, (2,), 3, 5, 4, 3)
    _expect(learner, q, k, v)


@check("batched-heads")
def batched_heads(learner, rng):
    # (batch, heads, T, d) with more keys than queries and dv != d.
    q, k, v = _inputs(rng, (2, 3), 4, 6, 5, 2)
    _expect(learner, q, k, v)


@check("causal-mask")
def causal_mask(learner, rng):
    q, k, v = _inputs(rng, (2,), 5, 5, 4, 3)
    causal = np.tril(np.ones((5, 5), dtype=bool))  # query t sees keys 0..t
    _expect(learner, q, k, v, causal, "causal")


@check("padding-mask")
def padding_mask(learner, rng):
    # (B, 1, 1, S) padding mask over (B, heads, T, S) scores: the last keys are padding.
    q, k, v = _inputs(rng, (3, 2), 4, 6, 4, 3)
    lengths = rng.integers(2, 6, size=3)
    mask = (np.arange(6)[None, :] < lengths[:, None])[:, None, None, :]
    _expect(learner, q, k, v, mask, f"key lengths {list(map(int, lengths))}")


@check("large-scores")
def large_scores(learner, rng):
    q, k, v = _inputs(rng, (2,), 3, 4, 4, 3, scale=40.0)  # scores in the thousands
    with np.errstate(all="ignore"):
        _expect(learner, q, k, v, note="q, k x 40", rtol=1e-6, atol=1e-9)


@check("fully-masked-row")
def fully_masked_row(learner, rng):
    q, k, v = _inputs(rng, (1,), 3, 4, 4, 2)
    mask = np.ones((1, 3, 4), dtype=bool)
    mask[0, 1] = False  # query 1 may attend to nothing
    _expect(learner, q, k, v, mask, "query 1 has no allowed key")


@check("float32")
def float32(learner, rng):
    q, k, v = _inputs(rng, (2,), 4, 4, 8, 3, np.float32)
    causal = np.tril(np.ones((4, 4), dtype=bool))
    out, weights = _expect(learner, q, k, v, causal, "causal", rtol=1e-5, atol=1e-6)
    case = Case(learner.attention, _describe(q, k, v, causal))
    for name, value in (("weights", weights), ("out", out)):
        if value.dtype == np.float64:
            case.fail("dtype_promoted", name=name)
        case.expect_dtype(name, value, np.float32)


@check("edge-cases")
def edge_cases(learner, rng):
    # One query, one key (its weight is 1), and d = 1.
    _expect(learner, *_inputs(rng, (2,), 1, 4, 3, 2), note="T = 1")
    _expect(learner, *_inputs(rng, (2,), 3, 1, 3, 2), note="S = 1")
    _expect(learner, *_inputs(rng, (1,), 3, 3, 1, 2), note="d = 1")
