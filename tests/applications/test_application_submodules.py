"""``from keras.applications.<name> import ...`` works as in Keras."""

import importlib

import numpy as np


def test_submodules_import_by_dotted_name():
    from dlpath.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input
    from dlpath.keras.applications.resnet50 import ResNet50  # noqa: F401

    from dlpath.keras import applications

    assert MobileNetV2 is applications.MobileNetV2
    np.testing.assert_allclose(preprocess_input(np.full((1, 2, 2, 3), 255.0)), 1.0)
    for name in ("imagenet_utils", "mobilenet", "mobilenet_v2", "resnet", "resnet50"):
        module = importlib.import_module(f"dlpath.keras.applications.{name}")
        assert module is getattr(applications, name)
