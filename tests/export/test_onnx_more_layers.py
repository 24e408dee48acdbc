"""The converters of more_layers: onnxruntime equals dlpath's predict at batch 1 and 7."""

from __future__ import annotations

import pytest
from onnx_check import check_export, layer_model

from dlpath import keras

L = keras.layers


@pytest.mark.parametrize("make,shape", [
    (lambda: L.Identity(), (3, 4)),
    (lambda: L.AlphaDropout(0.3), (3, 4)),
    (lambda: L.SpatialDropout3D(0.3), (2, 3, 3, 4)),
    (lambda: L.RandomBrightness(0.2), (4, 4, 3)),
    (lambda: L.RandomHeight(0.2), (4, 4, 3)),
    (lambda: L.RandomWidth(0.2), (4, 4, 3)),
    (lambda: L.UnitNormalization(), (3, 4)),
    (lambda: L.UnitNormalization(axis=[1, 2]), (3, 4)),
    (lambda: L.GroupNormalization(groups=2), (5, 6, 4)),
    (lambda: L.GroupNormalization(groups=3, axis=1, center=False), (6, 4)),
    (lambda: L.GroupNormalization(groups=1, scale=False), (3, 4)),
    (lambda: L.RMSNormalization(), (3, 5)),
    (lambda: L.RMSNormalization(axis=[1, 2]), (3, 5)),
    (lambda: L.UpSampling3D((2, 1, 3)), (2, 3, 2, 2)),
    (lambda: L.ZeroPadding3D(((1, 0), (0, 2), (1, 1))), (2, 3, 2, 2)),
    (lambda: L.Cropping3D(((1, 0), (0, 1), (1, 1))), (3, 3, 4, 2)),
    (lambda: L.EinsumDense("ab,bc->ac", 4, bias_axes="c", activation="relu"), (3,)),
    (lambda: L.EinsumDense("abc,cde->abde", (None, 2, 4), bias_axes="de"), (5, 3)),
    (lambda: L.EinsumDense("...b,bc->...c", 4), (2, 5, 3)),
    (lambda: L.EinsumDense("abc,cd->abd", (None, 6), bias_axes="b"), (5, 3)),
    (lambda: L.DepthwiseConv1D(3, depth_multiplier=2, padding="same"), (7, 3)),
    (lambda: L.DepthwiseConv1D(2, strides=2, activation="relu"), (7, 3)),
    (lambda: L.DepthwiseConv1D(3, padding="causal", dilation_rate=2), (7, 3)),
    (lambda: L.Conv1DTranspose(4, 3, strides=2), (5, 3)),
    (lambda: L.Conv1DTranspose(4, 3, strides=2, padding="same", output_padding=1), (5, 3)),
    (lambda: L.Conv1DTranspose(2, 2, strides=3, activation="tanh"), (5, 3)),
    (lambda: L.Conv1DTranspose(2, 3, dilation_rate=2, padding="same"), (5, 3)),
    (lambda: L.Conv3DTranspose(3, 2, strides=2, padding="same"), (2, 3, 3, 2)),
    (lambda: L.Conv3DTranspose(2, (2, 3, 1), strides=(2, 3, 2), output_padding=(1, 2, 0)),
     (2, 3, 2, 2)),
])
def test_layer_exports_and_matches_predict(make, shape, tmp_path):
    check_export(layer_model(make(), shape), tmp_path)


def test_a_model_of_several_new_layers_exports(tmp_path):
    inputs = keras.Input((4, 4, 4, 2))
    h = L.ZeroPadding3D(1)(L.UpSampling3D((1, 1, 2))(inputs))
    h = L.GroupNormalization(groups=2)(L.Cropping3D(((1, 1), (1, 1), (0, 2)))(h))
    h = L.EinsumDense("abcde,ef->abcdf", (4, 4, 8, 3), bias_axes="f")(h)
    model = keras.Model(inputs, L.UnitNormalization()(L.RMSNormalization()(h)))
    from onnx_check import randomize

    randomize(model)
    check_export(model, tmp_path)
