"""Recurrent layers: one time loop (`RNN`) driving small cells, and `Bidirectional`."""

from dlpath.layers.recurrent.bidirectional import Bidirectional
from dlpath.layers.recurrent.gru import GRU, GRUCell
from dlpath.layers.recurrent.lstm import LSTM, LSTMCell
from dlpath.layers.recurrent.rnn import RNN, DropoutRNNCell
from dlpath.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell

__all__ = [
    "RNN", "DropoutRNNCell", "SimpleRNN", "SimpleRNNCell", "LSTM", "LSTMCell", "GRU",
    "GRUCell", "Bidirectional",
]
