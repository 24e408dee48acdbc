"""Custom objects by name, normalize, Progbar and the keras.utils re-exports."""

import numpy as np
import pytest

from dlpath.keras import Input, Model, layers, models, utils


class Doubler(layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


def _json():
    x = Input((3,))
    return Model(x, Doubler(name="doubler")(x)).to_json()


def test_custom_object_scope_makes_a_class_loadable_only_inside():
    text = _json()
    with pytest.raises(ValueError, match="Doubler"):
        models.model_from_json(text)
    with utils.custom_object_scope({"Doubler": Doubler}):
        assert isinstance(models.model_from_json(text).layers[-1], Doubler)
    with pytest.raises(ValueError, match="Doubler"):
        models.model_from_json(text)
    with utils.CustomObjectScope({"Doubler": Doubler}) as scope:
        assert scope.objects == {"Doubler": Doubler}
        models.model_from_json(text)


def test_get_custom_objects_is_a_live_global_dict():
    objects = utils.get_custom_objects()
    objects["Doubler"] = Doubler
    try:
        assert isinstance(models.model_from_json(_json()).layers[-1], Doubler)
        assert utils.get_custom_objects() is objects
    finally:
        del objects["Doubler"]
    with pytest.raises(ValueError, match="Doubler"):
        models.model_from_json(_json())


def test_scope_rejects_bad_names():
    with pytest.raises(TypeError, match="dicts"):
        utils.CustomObjectScope([Doubler])
    with pytest.raises(ValueError, match="'>'"):
        with utils.custom_object_scope({"a>b": Doubler}):
            pass


def test_normalize_matches_the_formula():
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    np.testing.assert_allclose(utils.normalize(x), [[0.6, 0.8], [0, 0], [2**-0.5, -2**-0.5]])
    np.testing.assert_allclose(utils.normalize(x, axis=0, order=1)[:, 0], [0.75, 0, 0.25])
    with pytest.raises(ValueError, match="axis"):
        utils.normalize(x, axis=2)


def test_utils_reexports():
    for name in ("Progbar", "get_file", "to_categorical", "normalize", "plot_model",
                 "get_custom_objects", "custom_object_scope", "CustomObjectScope",
                 "serialize_keras_object", "deserialize_keras_object", "model_to_dot"):
        assert name in utils.__all__ and hasattr(utils, name), name


def test_progbar_update_and_add(capsys):
    bar = utils.Progbar(4, width=8, interactive=False, stateful_metrics=["lr"])
    bar.update(2, [("loss", 1.0), ("lr", 0.5)])
    bar.add(2, [("loss", 3.0), ("lr", 0.1)])
    out = capsys.readouterr().out
    assert "4/4 [========]" in out and "loss: 2.0000" in out and "lr: 0.1000" in out
