"""Keras-style layers on dlpath's engine."""

from dlpath.layers.core import Activation, Dropout, Flatten, Permute, Reshape
from dlpath.layers.dense import Dense
from dlpath.layers.embedding import Embedding
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.merge import (
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, dot, maximum, minimum, multiply, subtract,
)
from dlpath.layers.activation_layers import ELU, PReLU, ReLU, LeakyReLU, Softmax, ThresholdedReLU
from dlpath.layers.noise import (
    ActivityRegularization, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D,
)
from dlpath.layers.lambda_layer import Lambda
from dlpath.layers.masking import Masking
from dlpath.layers.repeat_vector import RepeatVector
from dlpath.layers.time_distributed import TimeDistributed
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
from dlpath.layers.separable import (
    SeparableConv1D, SeparableConv2D, SeparableConvolution1D, SeparableConvolution2D,
)
from dlpath.layers.convolutional3d import Conv3D, Convolution3D
from dlpath.layers.conv_lstm import ConvLSTM2D
from dlpath.layers.conv_lstm_nd import ConvLSTM1D, ConvLSTM3D
from dlpath.layers.spectral_normalization import SpectralNormalization
from dlpath.layers.dot_attention import AdditiveAttention, Attention
from dlpath.layers.pooling3d import (
    AveragePooling3D, AvgPool3D, GlobalAveragePooling3D, GlobalAvgPool3D, GlobalMaxPool3D,
    GlobalMaxPooling3D, MaxPool3D, MaxPooling3D,
)
from dlpath.layers.identity import Identity
from dlpath.layers.normalization_more import (
    GroupNormalization, RMSNormalization, UnitNormalization,
)
from dlpath.layers.noise_more import AlphaDropout, SpatialDropout3D
from dlpath.layers.reshaping3d import Cropping3D, UpSampling3D, ZeroPadding3D
from dlpath.layers.conv1d_variants import (
    Conv1DTranspose, Convolution1DTranspose, DepthwiseConv1D,
)
from dlpath.layers.einsum_dense import EinsumDense
from dlpath.layers.recurrent.stacked import AbstractRNNCell, StackedRNNCells, Wrapper
from dlpath.layers.adaptive_pooling import (
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
)
from dlpath.layers.conv3d_transpose import Conv3DTranspose, Convolution3DTranspose
from dlpath.layers.preprocessing import (
    CategoryEncoding, CenterCrop, Hashing, IntegerLookup, Normalization, RandomContrast,
    RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Rescaling, Resizing,
    StringLookup, TextVectorization,
)
from dlpath.layers.preprocessing import (
    Discretization, HashedCrossing, RandomBrightness, RandomHeight, RandomWidth,
)
from dlpath.layers.preprocessing import augmentations as _augmentations
from dlpath.layers.preprocessing.augmentations import *  # noqa: F401,F403

__all__ = [
    "Layer", "InputSpec",
    "Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "Embedding",
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
    "Dot", "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot",
    "LeakyReLU", "ELU", "PReLU", "ReLU", "Softmax", "ThresholdedReLU",
    "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout",
    "ActivityRegularization", "Lambda", "Masking", "RepeatVector", "TimeDistributed",
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
    "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
    "Conv3D", "Convolution3D", "MaxPooling3D", "AveragePooling3D", "MaxPool3D", "AvgPool3D",
    "GlobalMaxPooling3D", "GlobalAveragePooling3D", "GlobalMaxPool3D", "GlobalAvgPool3D",
    "ConvLSTM2D", "Attention", "AdditiveAttention",
    "Normalization", "Rescaling", "Resizing", "CenterCrop", "RandomFlip", "RandomRotation",
    "RandomTranslation", "RandomZoom", "RandomCrop", "RandomContrast", "TextVectorization",
    "StringLookup", "IntegerLookup", "CategoryEncoding", "Hashing",
    "Identity", "UnitNormalization", "GroupNormalization", "RMSNormalization",
    "SpatialDropout3D", "AlphaDropout", "UpSampling3D", "ZeroPadding3D", "Cropping3D",
    "Conv1DTranspose", "Convolution1DTranspose", "DepthwiseConv1D",
    "EinsumDense", "Conv3DTranspose", "Convolution3DTranspose",
    "StackedRNNCells", "AbstractRNNCell", "Wrapper",
    "Discretization", "RandomBrightness", "RandomHeight", "RandomWidth",
    "HashedCrossing",
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D",
    "ConvLSTM1D", "ConvLSTM3D", "SpectralNormalization",
]
__all__ += _augmentations.__all__
