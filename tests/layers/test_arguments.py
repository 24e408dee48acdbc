"""Nonsense constructor arguments raise errors naming the layer, the argument, the accepted
values and the value given; Keras' accepted forms (NumPy ints, rate 0) still work."""

import numpy as np
import pytest

from dlpath.layers import (
    GRU, LSTM, SimpleRNN, AveragePooling1D, Conv1D, Conv2D, Conv2DTranspose, Cropping2D,
    Dense, DepthwiseConv2D, Dropout, Embedding, Flatten, GlobalAveragePooling2D, MaxPooling2D,
    MultiHeadAttention, Reshape, TokenAndPositionEmbedding, TransformerEncoder, UpSampling2D,
    ZeroPadding1D,
)
from dlpath.layers.arguments import ArgumentTypeError, InvalidArgumentError
from dlpath.layers.input_layer import Input


@pytest.mark.parametrize("units, error, shown", [
    (2.5, ArgumentTypeError, r"2\.5 \(float\)"),
    (4.0, ArgumentTypeError, r"4\.0 \(float\)"),
    (True, ArgumentTypeError, r"True \(bool\)"),
    ("8", ArgumentTypeError, r"'8' \(str\)"),
    (None, ArgumentTypeError, r"None \(NoneType\)"),
    (0, InvalidArgumentError, r"0 \(int\)"),
    (-3, InvalidArgumentError, r"-3 \(int\)"),
])
def test_dense_units_must_be_a_positive_int(units, error, shown):
    with pytest.raises(error, match=rf"^Dense: units must be a positive int, got {shown}$"):
        Dense(units)


def test_type_errors_are_both_type_and_value_errors():
    assert issubclass(ArgumentTypeError, TypeError)
    assert issubclass(ArgumentTypeError, ValueError)
    assert issubclass(InvalidArgumentError, ValueError)


def test_numpy_integers_are_ints():
    assert Dense(np.int64(4)).units == 4 and type(Dense(np.int32(4)).units) is int
    assert Conv2D(np.int64(2), np.int64(3)).kernel_size == (3, 3)
    assert LSTM(np.int16(3)).units == 3


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan"), "0.5", True, None])
def test_dropout_rate_outside_zero_one_is_refused(rate):
    with pytest.raises(ValueError, match=r"^Dropout: rate must be a float in \[0, 1\), got "):
        Dropout(rate)


def test_dropout_rate_zero_and_numpy_floats_are_accepted():
    assert Dropout(0).rate == 0.0
    assert Dropout(np.float32(0.25)).rate == 0.25


@pytest.mark.parametrize("make, message", [
    (lambda: LSTM(2.5), r"LSTM: units must be a positive int, got 2\.5"),
    (lambda: GRU(0), r"GRU: units must be a positive int, got 0"),
    (lambda: SimpleRNN("4"), r"SimpleRNN: units must be a positive int, got '4'"),
    (lambda: LSTM(4, dropout=1.5), r"LSTM: dropout must be a float in \[0, 1\), got 1\.5"),
    (lambda: GRU(4, recurrent_dropout=-0.2),
     r"GRU: recurrent_dropout must be a float in \[0, 1\), got -0\.2"),
    (lambda: SimpleRNN(4, recurrent_dropout=1.0), r"SimpleRNN: recurrent_dropout"),
])
def test_recurrent_units_and_rates_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: Conv2D(2.5, 3), r"Conv2D: filters must be a positive int, got 2\.5 \(float\)"),
    (lambda: Conv2D(4, 2.5), r"Conv2D: kernel_size must be an int or a tuple of 2 ints, "
                             r"each positive, got 2\.5"),
    (lambda: Conv2D(4, (3, 0)), r"Conv2D: kernel_size .* got \(3, 0\)"),
    (lambda: Conv1D(4, 3, strides=0), r"Conv1D: strides .* got 0 \(int\)"),
    (lambda: Conv2D(4, 3, dilation_rate="2"), r"Conv2D: dilation_rate .* got '2'"),
    (lambda: Conv2D(4, 3, padding=1), r"Conv2D: padding must be one of 'valid', 'same'"),
    (lambda: Conv2DTranspose(4, 3, strides=2, output_padding=-1),
     r"Conv2DTranspose: output_padding must be an int or a tuple of 2 ints, each >= 0"),
    (lambda: DepthwiseConv2D(3, depth_multiplier=1.5), r"DepthwiseConv2D: depth_multiplier"),
    (lambda: MaxPooling2D(2.5), r"MaxPooling2D: pool_size .* got 2\.5"),
    (lambda: MaxPooling2D(2, strides=(1, 1, 1)), r"MaxPooling2D: strides .* got \(1, 1, 1\)"),
    (lambda: AveragePooling1D(0), r"AveragePooling1D: pool_size .* got 0"),
    (lambda: UpSampling2D(size=(2, 1.5)), r"UpSampling2D: size"),
    (lambda: ZeroPadding1D(-1), r"ZeroPadding1D: padding must be a non-negative int, got -1"),
    (lambda: Cropping2D(((1, 2.5), (0, 0))), r"Cropping2D: cropping must be a non-negative"),
    (lambda: Embedding(10.5, 3), r"Embedding: input_dim must be a positive int, got 10\.5"),
    (lambda: Embedding(10, 0), r"Embedding: output_dim must be a positive int, got 0"),
    (lambda: MultiHeadAttention(0, 4), r"MultiHeadAttention: num_heads must be a positive"),
    (lambda: MultiHeadAttention(2, 4, dropout=1), r"MultiHeadAttention: dropout must be a "
                                                  r"float in \[0, 1\), got 1 \(int\)"),
    (lambda: TransformerEncoder(num_heads=2, ff_dim=8.0), r"TransformerEncoder: ff_dim"),
    (lambda: TransformerEncoder(num_heads=2, ff_dim=8, attention_dropout=2),
     r"TransformerEncoder: attention_dropout"),
    (lambda: TokenAndPositionEmbedding(10, 100, None), r"TokenAndPositionEmbedding: "
                                                       r"embed_dim must be a positive int"),
    (lambda: Reshape((2, 2.5)), r"Reshape: target_shape must be a tuple of positive ints"),
    (lambda: Reshape((-1, -1)), r"Reshape: target_shape .* got \(-1, -1\)"),
])
def test_sizes_and_rates_of_other_layers_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make", [
    lambda data_format: Conv2D(4, 3, data_format=data_format),
    lambda data_format: MaxPooling2D(data_format=data_format),
    lambda data_format: GlobalAveragePooling2D(data_format=data_format),
    lambda data_format: Flatten(data_format=data_format),
])
def test_unknown_data_format_names_the_accepted_values(make):
    with pytest.raises(ValueError, match=r"data_format must be one of 'channels_last', "
                       r"'channels_first', got 'nhwc' \(str\)"):
        make("nhwc")
    with pytest.raises(ValueError, match=r"data_format must be 'channels_last' or None, got "
                       r"'channels_first'.*NHWC"):
        make("channels_first")
    assert make("Channels_Last").data_format == "channels_last"  # Keras ignores the case


@pytest.mark.parametrize("kwargs, message", [
    ({"shape": (-1,)}, r"Input: shape must be a tuple of non-negative ints or None, got \(-1,\)"),
    ({"shape": (2.5,)}, r"Input: shape .* got \(2\.5,\)"),
    ({"shape": 784}, r"Input: shape .* got 784 \(int\)"),
    ({"batch_shape": (None, -2)}, r"Input: batch_shape .* got \(None, -2\)"),
    ({"shape": (3,), "batch_size": 0}, r"Input: batch_size must be None or a positive int"),
])
def test_input_shape_is_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Input(**kwargs)


def test_input_accepts_none_and_numpy_sizes():
    assert Input(shape=(None, np.int64(3))).shape == (None, None, 3)
    assert Input(shape=[4]).shape == (None, 4)


def test_input_shape_keyword_of_a_layer_is_checked():
    with pytest.raises(ValueError, match=r"Dense: input_shape must be a tuple of non-negative"):
        Dense(2, input_shape=(-4,))


@pytest.mark.parametrize("make, message", [
    (lambda: __import__("dlpath.layers", fromlist=["x"]).BatchNormalization(axis="a"),
     r"^BatchNormalization: axis must be an int or a list of ints, got 'a' \(str\)$"),
    (lambda: __import__("dlpath.layers", fromlist=["x"]).LayerNormalization(axis=1.5),
     r"^LayerNormalization: axis must be an int or a list of ints, got 1\.5 \(float\)$"),
    (lambda: __import__("dlpath.layers", fromlist=["x"]).LayerNormalization(axis=[1, 1]),
     r"without repeats, got \[1, 1\]"),
    (lambda: __import__("dlpath.layers", fromlist=["x"]).Concatenate(axis="x"),
     r"^Concatenate: axis must be an int, got 'x' \(str\)$"),
    (lambda: __import__("dlpath.layers", fromlist=["x"]).Permute("ab"),
     r"^Permute: dims must be a tuple of ints.*got 'ab' \(str\)$"),
    (lambda: __import__("dlpath.layers", fromlist=["x"]).Permute((1, 1)),
     r"^Permute: dims must be a permutation of 1\.\.2, got \(1, 1\)$"),
])
def test_axes_and_dims_must_be_ints(make, message):
    with pytest.raises(InvalidArgumentError, match=message):
        make()


def test_an_axis_out_of_range_is_refused_at_call_naming_the_layer():
    from dlpath.engine import Tensor
    from dlpath.layers import Concatenate, LayerNormalization

    x = Tensor(np.zeros((2, 3), np.float32))
    with pytest.raises(InvalidArgumentError,
                       match=r"'cat' \(Concatenate\): axis=4 is out of range for inputs of "
                             r"rank 2 \(accepted: -2 to 1\)"):
        Concatenate(axis=4, name="cat")([x, x])
    with pytest.raises(ValueError, match=r"LayerNormalization\): axis 3 is out of range"):
        LayerNormalization(axis=3)(x)
