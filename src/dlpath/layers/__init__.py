"""Keras-style layers on dlpath's engine."""

from dlpath.layers.core import Activation, Dropout, Flatten, Permute, Reshape
from dlpath.layers.dense import Dense
from dlpath.layers.embedding import Embedding
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.merge import (
    Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract,
)
from dlpath.layers.attention import MultiHeadAttention
from dlpath.layers.normalization import BatchNormalization, LayerNormalization
from dlpath.layers.transformer import (
    PositionalEmbedding, SinusoidalPositionEncoding, TokenAndPositionEmbedding,
    TransformerEncoder,
)
from dlpath.layers.convolutional import (
    Conv1D, Conv2D, Conv2DTranspose, Convolution1D, Convolution2D, Convolution2DTranspose,
    DepthwiseConv2D,
)
from dlpath.layers.pooling import (
    AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D,
)
from dlpath.layers.reshaping import (
    Cropping1D, Cropping2D, UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D,
)
from dlpath.layers.recurrent import (
    GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell,
)

__all__ = [
    "Layer", "InputSpec",
    "Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "Embedding",
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
    "BatchNormalization", "LayerNormalization", "MultiHeadAttention", "TransformerEncoder",
    "PositionalEmbedding", "TokenAndPositionEmbedding", "SinusoidalPositionEncoding",
    "Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "Convolution1D",
    "Convolution2D", "Convolution2DTranspose",
    "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "MaxPool1D", "MaxPool2D", "AvgPool1D", "AvgPool2D",
    "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalAvgPool1D", "GlobalAvgPool2D",
    "UpSampling1D", "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D",
    "Cropping2D",
    "RNN", "SimpleRNN", "SimpleRNNCell", "LSTM", "LSTMCell", "GRU", "GRUCell", "Bidirectional",
]
