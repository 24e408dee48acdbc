"""Each layer converter: onnxruntime equals dlpath's predict at batch 1 and 7 from one file."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from onnx_check import check_export, layer_model

from dlpath import activations, keras
from dlpath.export import UnsupportedLayerError, to_onnx

L = keras.layers


# ---------------------------------------------------------------- activations and core
# Activations that take required arguments, with the values used here.
ARGUMENTS = {"threshold": {"threshold": 0.1, "default_value": -2.0}}


@pytest.mark.parametrize("name", sorted(activations._BY_NAME))
def test_every_dlpath_activation_exports(name, tmp_path):
    import functools

    act = activations.get(name)
    if name in ARGUMENTS:
        act = functools.partial(act, **ARGUMENTS[name])
    inputs = keras.Input((3, 5))
    hidden = L.Dense(8, activation=act)(inputs)  # glu halves the last axis: 8 -> 4 -> 2
    model = keras.Model(inputs, L.Activation(act)(hidden))
    check_export(model, tmp_path)


@pytest.mark.parametrize("act", ["squareplus", "celu", "hard_shrink", "soft_shrink"])
def test_activation_arguments_of_the_new_activations_are_kept(act, tmp_path):
    import functools

    keyword = {"squareplus": {"b": 1.5}, "celu": {"alpha": 0.7}}.get(act, {"threshold": 0.2})
    fn = functools.partial(activations.get(act), **keyword)
    check_export(layer_model(L.Activation(fn), (4, 6)), tmp_path)


def test_activation_arguments_of_a_partial_are_kept(tmp_path):
    import functools

    from dlpath.engine import activations as fn

    for i, act in enumerate([functools.partial(fn.leaky_relu, negative_slope=0.05),
                             functools.partial(fn.gelu, approximate=True),
                             functools.partial(fn.elu, alpha=0.5),
                             functools.partial(fn.softmax, axis=1)]):
        model = layer_model(L.Activation(act), (4, 6))
        check_export(model, tmp_path, name=f"m{i}.onnx")


@pytest.mark.parametrize("layer,shape", [
    (L.Dense(4, use_bias=False), (6,)),
    (L.Dropout(0.5), (3, 4)),
    (L.Flatten(), (3, 4, 2)),
    (L.Reshape((-1, 2)), (3, 4)),
    (L.Reshape((2, 6)), (3, 4)),
    (L.Permute((2, 1)), (3, 4)),
    (L.Permute((3, 1, 2)), (2, 3, 4)),
])
def test_core_layers(layer, shape, tmp_path):
    check_export(layer_model(layer, shape), tmp_path)


def test_flatten_after_convolution_keeps_dlpath_element_order(tmp_path):
    inputs = keras.Input((5, 6, 2))
    x = L.Conv2D(3, 2, activation="relu")(inputs)
    x = L.Flatten()(x)
    check_export(keras.Model(inputs, L.Dense(4)(x)), tmp_path)


# ---------------------------------------------------------------- convolutions
CONV2D = [dict(kernel_size=k, strides=s, padding=p, dilation_rate=d)
          for k, s, p, d in itertools.product([3, 2, (4, 1)], [1, 2, (2, 1)],
                                              ["valid", "same"], [1, 2])
          if not (d > 1 and s != 1)]


@pytest.mark.parametrize("config", CONV2D, ids=str)
def test_conv2d_strides_paddings_dilations(config, tmp_path):
    model = layer_model(L.Conv2D(3, activation="relu", **config), (9, 8, 2))
    check_export(model, tmp_path)


@pytest.mark.parametrize("config", [
    dict(kernel_size=k, strides=s, padding=p, dilation_rate=d)
    for k, s, p, d in itertools.product([3, 2], [1, 2], ["valid", "same", "causal"], [1, 2])
    if not (d > 1 and s > 1)], ids=str)
def test_conv1d_strides_paddings_dilations(config, tmp_path):
    check_export(layer_model(L.Conv1D(3, activation="tanh", **config), (9, 2)), tmp_path)


@pytest.mark.parametrize("config", [
    dict(kernel_size=3, strides=1, padding="valid"),
    dict(kernel_size=3, strides=2, padding="same"),
    dict(kernel_size=2, strides=2, padding="valid"),
    dict(kernel_size=4, strides=2, padding="same"),
    dict(kernel_size=2, strides=3, padding="valid"),
    dict(kernel_size=3, strides=2, padding="valid", output_padding=1),
    dict(kernel_size=3, strides=2, padding="same", output_padding=1),
    dict(kernel_size=2, strides=3, padding="same", output_padding=2),
    dict(kernel_size=3, strides=1, padding="same", dilation_rate=2),
], ids=str)
def test_conv2d_transpose(config, tmp_path):
    check_export(layer_model(L.Conv2DTranspose(3, activation="sigmoid", **config), (4, 5, 2)),
                 tmp_path)


@pytest.mark.parametrize("config", [
    dict(kernel_size=3), dict(kernel_size=2, strides=2, padding="same"),
    dict(kernel_size=3, depth_multiplier=2, padding="same"),
    dict(kernel_size=3, dilation_rate=2, padding="same"),
], ids=str)
def test_depthwise_conv2d(config, tmp_path):
    check_export(layer_model(L.DepthwiseConv2D(**config), (7, 6, 3)), tmp_path)


def test_a_stack_of_convolutions_and_softmax_on_channels(tmp_path):
    inputs = keras.Input((8, 8, 3))
    x = L.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    x = L.Conv2D(4, 3, padding="same", activation="softmax")(x)
    x = L.MaxPooling2D()(x)
    check_export(keras.Model(inputs, L.Conv2D(2, 1)(x)), tmp_path)


# ---------------------------------------------------------------- pooling
@pytest.mark.parametrize("cls,pool,strides,padding", [
    (cls, pool, strides, padding)
    for cls in (L.MaxPooling2D, L.AveragePooling2D)
    for pool, strides, padding in [(2, None, "valid"), (3, 2, "same"), (2, 1, "same"),
                                   ((3, 2), (2, 1), "valid"), (3, 3, "same")]], ids=str)
def test_pooling2d(cls, pool, strides, padding, tmp_path):
    check_export(layer_model(cls(pool, strides, padding), (7, 8, 2)), tmp_path)


@pytest.mark.parametrize("cls,pool,strides,padding", [
    (cls, pool, strides, padding)
    for cls in (L.MaxPooling1D, L.AveragePooling1D)
    for pool, strides, padding in [(2, None, "valid"), (3, 2, "same"), (2, 1, "same")]],
    ids=str)
def test_pooling1d(cls, pool, strides, padding, tmp_path):
    check_export(layer_model(cls(pool, strides, padding), (9, 3)), tmp_path)


@pytest.mark.parametrize("cls,shape", [(L.GlobalMaxPooling1D, (5, 3)),
                                       (L.GlobalAveragePooling1D, (5, 3)),
                                       (L.GlobalMaxPooling2D, (4, 5, 3)),
                                       (L.GlobalAveragePooling2D, (4, 5, 3))], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling(cls, shape, keepdims, tmp_path):
    check_export(layer_model(cls(keepdims=keepdims), shape), tmp_path)


# ---------------------------------------------------------------- normalization
@pytest.mark.parametrize("layer,shape", [
    (L.BatchNormalization(), (5,)),
    (L.BatchNormalization(), (4, 5, 3)),
    (L.BatchNormalization(center=False, scale=False, epsilon=0.1), (3, 4)),
    (L.LayerNormalization(), (3, 4)),
    (L.LayerNormalization(axis=[1, 2]), (3, 4)),
    (L.LayerNormalization(axis=1), (3, 4)),
    (L.LayerNormalization(center=False, scale=False), (6,)),
], ids=str)
def test_normalization(layer, shape, tmp_path):
    check_export(layer_model(layer, shape), tmp_path)


# ---------------------------------------------------------------- reshaping and merging
@pytest.mark.parametrize("layer,shape", [
    (L.UpSampling2D((2, 3)), (3, 4, 2)),
    (L.UpSampling2D(2, interpolation="bilinear"), (3, 4, 2)),
    (L.UpSampling1D(3), (4, 2)),
    (L.ZeroPadding2D(((1, 2), (0, 3))), (3, 4, 2)),
    (L.ZeroPadding1D((2, 1)), (4, 2)),
    (L.Cropping2D(((1, 0), (1, 2))), (4, 5, 2)),
    (L.Cropping1D((1, 2)), (6, 2)),
], ids=str)
def test_reshaping_layers(layer, shape, tmp_path):
    check_export(layer_model(layer, shape), tmp_path)


@pytest.mark.parametrize("cls,count", [(L.Add, 3), (L.Subtract, 2), (L.Multiply, 3),
                                       (L.Average, 3), (L.Maximum, 2), (L.Minimum, 3)],
                         ids=str)
def test_merge_layers(cls, count, tmp_path):
    inputs = [keras.Input((3, 4), name=f"in{i}") for i in range(count)]
    check_export(keras.Model(inputs, cls()(inputs)), tmp_path)


def test_concatenate_on_any_axis(tmp_path):
    a, b = keras.Input((3, 4), name="a"), keras.Input((3, 2), name="b")
    c = keras.Input((5, 4), name="c")
    model = keras.Model([a, b, c], [L.Concatenate()([a, b]), L.Concatenate(axis=1)([a, c])])
    check_export(model, tmp_path)


# ---------------------------------------------------------------- errors
class Doubling(L.Layer):
    def call(self, inputs):
        return inputs * 2


class MyDense(L.Dense):
    def call(self, inputs):
        return super().call(inputs) + 1


@pytest.mark.parametrize("layer", [Doubling(name="doubling"), MyDense(2, name="my_dense")])
def test_a_layer_without_converter_is_named_with_its_class(layer, tmp_path):
    model = layer_model(layer, (3,))
    with pytest.raises(UnsupportedLayerError) as info:
        to_onnx(model, tmp_path / "m.onnx")
    message = str(info.value)
    assert f"'{layer.name}'" in message and type(layer).__name__ in message
    assert not (tmp_path / "m.onnx").exists()


def test_an_activation_without_onnx_form_is_named(tmp_path):
    model = layer_model(L.Dense(2, activation=lambda x: x * 2), (3,))
    with pytest.raises(UnsupportedLayerError, match="Dense.*lambda"):
        to_onnx(model, tmp_path / "m.onnx")


def test_opset_18_exports_the_same_values(tmp_path):
    inputs = keras.Input((4, 3))
    x = L.LayerNormalization(axis=1)(inputs)
    x = L.GlobalAveragePooling1D()(x)
    check_export(keras.Model(inputs, x), tmp_path, opset=18)


def test_an_unknown_opset_is_refused(tmp_path):
    with pytest.raises(ValueError, match="opset"):
        to_onnx(layer_model(L.Dense(2), (3,)), tmp_path / "m.onnx", opset=9)


def test_inputs_and_outputs_have_a_dynamic_batch_axis(tmp_path):
    import onnx

    path = check_export(layer_model(L.Dense(2), (3,)), tmp_path)
    graph = onnx.load(str(path)).graph
    for value in list(graph.input) + list(graph.output):
        assert value.type.tensor_type.shape.dim[0].dim_param == "batch"
    assert np.asarray([d.dim_value for d in graph.input[0].type.tensor_type.shape.dim])[1] == 3


@pytest.mark.parametrize("layer, shape", [
    (L.Rescaling(1 / 255), (4, 5, 2)),
    (L.Rescaling([0.5, 2.0], offset=[-1.0, 0.25]), (3, 2)),
    (L.Normalization(mean=[1.0, -2.0, 0.5], variance=[4.0, 0.25, 1.0]), (2, 3)),
    (L.Normalization(mean=[1.0, -2.0, 0.5], variance=[4.0, 0.25, 1.0], invert=True), (2, 3)),
    (L.Normalization(axis=None, mean=3.0, variance=9.0), (4,)),
    (L.RandomFlip(), (4, 4, 1)),
    (L.RandomRotation(0.2), (4, 4, 1)),
    (L.RandomTranslation(0.1, 0.1), (4, 4, 1)),
    (L.RandomZoom(0.1), (4, 4, 1)),
    (L.RandomContrast(0.3), (4, 4, 1)),
])
def test_preprocessing_layers_of_an_inference_graph(layer, shape, tmp_path):
    check_export(layer_model(layer, shape), tmp_path)
