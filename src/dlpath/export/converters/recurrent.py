"""SimpleRNN, LSTM and GRU as ONNX RNN / LSTM / GRU, and Bidirectional.

Weights are re-laid out from Keras' (input, gates x units) columns to ONNX's
(1, gates x units, input) rows:

    LSTM  Keras gates i, f, c, o  ->  ONNX i, o, f, c;  B = [b; 0] (ONNX adds Wb + Rb)
    GRU   z, r, h in both;  reset_after=True: linear_before_reset=1, B = [b_input; b_rec];
          reset_after=False: linear_before_reset=0, B = [b; 0]
    SimpleRNN  B = [b; 0]

Every layer runs as a forward ONNX op: ``go_backwards`` reverses the steps (and the mask)
first, so the outputs come in the reversed order, as in dlpath. Masks are handled by
`masked_steps`. Bidirectional converts its forward and backward layers this way, flips the
backward outputs back into time order, and merges.
"""

from __future__ import annotations

import numpy as np

from dlpath import layers
from dlpath.export.converters import masked_steps
from dlpath.export.converters.activations import recurrent_activation_name
from dlpath.export.converters.registry import register
from dlpath.export.errors import UnsupportedLayerError
from dlpath.export.value import Value


def _reorder(array, order, units):
    """Columns in gate blocks of ``units``, put in ``order`` along the last axis."""
    blocks = [array[..., k * units:(k + 1) * units] for k in order]
    return np.concatenate(blocks, axis=-1)


def _activations(layer, cell, functions) -> list:
    names = []
    for fn in functions:
        name = recurrent_activation_name(fn)
        if name is None:
            label = getattr(fn, "__name__", repr(fn))
            raise UnsupportedLayerError(
                f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) uses the "
                f"activation {label!r}, which the ONNX recurrent ops do not have; they take "
                f"tanh, sigmoid, relu, softsign and softplus")
        names.append(name)
    return names


def _op_and_weights(layer):
    """(op type, W, R, B or None, attributes) of an RNN layer's cell."""
    cell = layer.cell
    units = cell.units
    kernel, recurrent = cell.kernel.data, cell.recurrent_kernel.data
    bias = None if cell.bias is None else cell.bias.data
    if isinstance(cell, layers.LSTMCell):
        order = (0, 3, 1, 2)  # i, o, f, c out of Keras' i, f, c, o
        w, r = _reorder(kernel, order, units).T, _reorder(recurrent, order, units).T
        b = None if bias is None else np.concatenate([_reorder(bias, order, units),
                                                      np.zeros(4 * units, bias.dtype)])
        funcs = [cell.recurrent_activation, cell.activation, cell.activation]
        return "LSTM", w, r, b, {"activations": _activations(layer, cell, funcs)}
    if isinstance(cell, layers.GRUCell):
        b = None
        if bias is not None:
            b = (bias.reshape(-1) if cell.reset_after
                 else np.concatenate([bias, np.zeros_like(bias)]))
        funcs = [cell.recurrent_activation, cell.activation]
        return "GRU", kernel.T, recurrent.T, b, {
            "activations": _activations(layer, cell, funcs),
            "linear_before_reset": int(cell.reset_after)}
    if isinstance(cell, layers.SimpleRNNCell):
        b = None if bias is None else np.concatenate([bias, np.zeros_like(bias)])
        return "RNN", kernel.T, recurrent.T, b, {
            "activations": _activations(layer, cell, [cell.activation])}
    raise UnsupportedLayerError(f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) "
                                f"has a cell of class {type(cell).__name__}, which has no "
                                f"ONNX form")


def run_layer(ctx, layer, x: Value, mask, initial_states=None):
    """(outputs (B, T, U) or None, final states [(B, U), ...]) of an RNN layer on ``x``."""
    b = ctx.builder
    hint = layer.name
    op_type, w, r, bias, attributes = _op_and_weights(layer)
    units = layer.cell.units
    steps = x.name
    if layer.go_backwards:
        steps = masked_steps.reverse_time(b, steps, hint)
        mask = None if mask is None else masked_steps.reverse_time(b, mask, hint)
    lengths = counts = None
    if mask is not None:
        steps, lengths, counts = masked_steps.compact(b, steps, mask, hint)
    inputs = [b.transpose(steps, (1, 0, 2), hint),  # (T, B, D)
              b.constant(w[None], f"{hint}/W"), b.constant(r[None], f"{hint}/R"),
              "" if bias is None else b.constant(bias[None], f"{hint}/B"),
              lengths or ""]
    initial_states = list(initial_states or [])
    inputs += [b.op("Unsqueeze", [s.name, b.ints([0])], hint) for s in initial_states]
    while inputs and inputs[-1] == "":
        inputs.pop()
    count = 3 if op_type == "LSTM" else 2
    results = b.op(op_type, inputs, hint, outputs=count, hidden_size=units, **attributes)
    finals = [b.op("Squeeze", [s, b.ints([0])], hint) for s in results[1:]]  # (B, U)
    outputs = None
    if layer.return_sequences:
        outputs = b.transpose(b.op("Squeeze", [results[0], b.ints([1])], hint), (1, 0, 2),
                              hint)  # (B, T, U)
        if mask is not None:
            initial = initial_states[0].name if initial_states else None
            outputs = masked_steps.spread(b, outputs, counts, initial, hint)
            if layer.zero_output_for_mask:
                keep = b.op("Cast", [b.op("Unsqueeze", [mask, b.ints([2])], hint)], hint,
                            to=1)
                outputs = b.op("Mul", [outputs, keep], hint)
    return outputs, finals


@register(layers.SimpleRNN, layers.LSTM, layers.GRU)
def convert_rnn(ctx, layer, x, initial_state=None):
    if initial_state is not None and not isinstance(initial_state, (list, tuple)):
        initial_state = [initial_state]
    outputs, finals = run_layer(ctx, layer, x, x.mask, initial_state)
    units = layer.cell.units
    batch = x.shape[0]
    if layer.return_sequences:
        output = Value(outputs, (batch, x.shape[1], units), mask=x.mask)
    else:
        output = Value(finals[0], (batch, units))
    if not layer.return_state:
        return output
    return [output] + [Value(s, (batch, units)) for s in finals]


_MERGES = {"sum": "Add", "mul": "Mul", "ave": "Add", "concat": "Concat"}


@register(layers.Bidirectional)
def convert_bidirectional(ctx, layer, x, initial_state=None):
    b = ctx.builder
    forward_state = backward_state = None
    if initial_state is not None:
        half = len(initial_state) // 2
        forward_state, backward_state = initial_state[:half], initial_state[half:]
    results = []
    for sublayer, states in ((layer.forward_layer, forward_state),
                             (layer.backward_layer, backward_state)):
        outputs, finals = run_layer(ctx, sublayer, x, x.mask, states)
        results.append((outputs if sublayer.return_sequences else finals[0], finals))
    (y, forward_finals), (y_rev, backward_finals) = results
    if layer.return_sequences:
        y_rev = masked_steps.reverse_time(b, y_rev, layer.name)  # back into time order
    mode = layer.merge_mode
    if mode == "concat":
        merged = [b.op("Concat", [y, y_rev], layer.name, axis=-1)]
    elif mode is None:
        merged = [y, y_rev]
    else:
        out = b.op(_MERGES[mode], [y, y_rev], layer.name)
        if mode == "ave":
            out = b.op("Mul", [out, b.scalar(0.5)], layer.name)
        merged = [out]
    shape = layer.compute_output_shape(x.shape)
    shapes = shape if isinstance(shape, list) else [shape]
    mask = x.mask if layer.return_sequences and mode is not None else None
    values = [Value(name, s, mask=mask) for name, s in zip(merged, shapes)]
    if not layer.return_state:
        return values[0] if mode is not None else values
    units = layer.forward_layer.cell.units
    states = [Value(s, (x.shape[0], units)) for s in forward_finals + backward_finals]
    return values + states
