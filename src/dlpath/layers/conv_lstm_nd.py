"""`ConvLSTM1D` and `ConvLSTM3D`: the ConvLSTM of `dlpath.layers.conv_lstm` on sequences
of 1-D signals (batch, time, steps, channels) and of volumes (batch, time, depth, height,
width, channels). Same gates, weights layout and arguments as `ConvLSTM2D`; only the rank
of the convolutions changes.
"""

from __future__ import annotations

from dlpath.layers.conv_lstm import ConvLSTM, ConvLSTMCell


class ConvLSTM1DCell(ConvLSTMCell):
    """The ConvLSTM step on (batch, steps, C) signals: kernels (k, C | filters, 4 filters)."""

    rank = 1


class ConvLSTM3DCell(ConvLSTMCell):
    """The ConvLSTM step on (batch, D, H, W, C) volumes: kernels (kd, kh, kw, C | filters,
    4 filters)."""

    rank = 3


class ConvLSTM1D(ConvLSTM):
    """ConvLSTM over (batch, time, steps, C) inputs; output (batch, steps', filters) or
    (batch, time, steps', filters) with ``return_sequences``."""

    rank = 1
    cell_class = ConvLSTM1DCell


class ConvLSTM3D(ConvLSTM):
    """ConvLSTM over (batch, time, D, H, W, C) inputs; output (batch, D', H', W', filters)
    or (batch, time, D', H', W', filters) with ``return_sequences``."""

    rank = 3
    cell_class = ConvLSTM3DCell
