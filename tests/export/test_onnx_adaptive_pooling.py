"""The adaptive pooling converters: onnxruntime equals dlpath's predict at batch 1 and 7."""

from __future__ import annotations

import pytest
from onnx_check import check_export, layer_model

from dlpath import keras
from dlpath.export import to_onnx
from dlpath.export.errors import UnsupportedLayerError

L = keras.layers


@pytest.mark.parametrize("make,shape", [
    (lambda: L.AdaptiveAveragePooling1D(4), (9, 3)),
    (lambda: L.AdaptiveMaxPooling1D(4, data_format="channels_first"), (2, 9)),
    (lambda: L.AdaptiveAveragePooling2D((3, 2)), (7, 5, 3)),
    (lambda: L.AdaptiveMaxPooling2D((4, 6)), (3, 5, 2)),
    (lambda: L.AdaptiveAveragePooling3D(2, data_format="channels_first"), (2, 3, 5, 4)),
    (lambda: L.AdaptiveMaxPooling3D((2, 3, 1)), (3, 5, 4, 2)),
])
def test_adaptive_pooling_exports_and_matches_predict(make, shape, tmp_path):
    check_export(layer_model(make(), shape), tmp_path)


def test_adaptive_pooling_of_unknown_size_refuses_to_export(tmp_path):
    model = layer_model(L.AdaptiveAveragePooling2D(2, name="ap"), (None, None, 3))
    with pytest.raises(UnsupportedLayerError, match=r"'ap' \(AdaptiveAveragePooling2D\).*"
                                                    r"static size"):
        to_onnx(model, tmp_path / "m.onnx")
