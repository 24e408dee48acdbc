"""The top-level names Keras 3 programs use (keras.Layer, keras.InputSpec, keras.config,
keras.tree, ...) and the smaller keras.utils / models / initializers / regularizers names."""

import json

import numpy as np
import pytest

import dlpath
from dlpath import keras
from dlpath.engine import Tensor, gradcheck


def test_base_classes_are_dlpath_s_own():
    from dlpath import initializers, layers, losses, metrics, optimizers, regularizers
    from dlpath.engine import Variable

    assert keras.Layer is layers.Layer and keras.Loss is losses.Loss
    assert keras.Metric is metrics.Metric and keras.Optimizer is optimizers.Optimizer
    assert keras.Variable is Variable and keras.Initializer is initializers.Initializer
    assert keras.Regularizer is regularizers.Regularizer
    assert keras.utils.is_keras_tensor(keras.Input((3,)))
    assert isinstance(keras.Input((3,)), keras.KerasTensor)
    assert not keras.utils.is_keras_tensor(np.zeros(3))


class Doubler(keras.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = keras.InputSpec(shape=(None, 4))

    def call(self, inputs):
        return inputs * 2.0


def test_a_layer_s_input_spec_is_checked_on_call():
    layer = Doubler(name="doubler")
    np.testing.assert_array_equal(layer(np.ones((2, 4), np.float32)).data, 2.0)
    with pytest.raises(ValueError, match=r"'doubler' \(Doubler\): expected axis 1 of the "
                                         r"input to have size 4, got an input of shape \(2, 3\)"):
        layer(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="expected an input of rank 2"):
        layer(np.ones((2, 4, 1, 1), np.float32))


def test_input_spec_arguments():
    spec = keras.InputSpec(ndim=3, allow_last_axis_squeeze=True)
    layer = Doubler(name="squeezed")
    layer.input_spec = spec
    layer(np.ones((2, 5, 3, 1), np.float32))               # a trailing 1 may be squeezed
    with pytest.raises(ValueError, match="rank 3"):
        layer(np.ones((2, 5, 3, 2), np.float32))
    layer.input_spec = keras.InputSpec(min_ndim=2, max_ndim=3, axes={-1: 2})
    with pytest.raises(ValueError, match="rank <= 3"):
        layer(np.ones((1, 1, 1, 2), np.float32))
    spec = keras.InputSpec(dtype="float32", shape=(None, 8), name="x")
    assert spec.ndim == 2 and spec.get_config()["shape"] == (None, 8)
    assert keras.InputSpec.from_config(spec.get_config()).shape == (None, 8)


def test_version_scopes_and_config():
    assert keras.version() == dlpath.__version__
    with keras.name_scope("block1") as name:
        layer = keras.layers.Dense(2)
    assert name == "block1" and layer(np.ones((1, 3), np.float32)).shape == (1, 2)
    with keras.device("cpu:0"):
        assert keras.ops.add(1.0, 2.0) is not None
    with pytest.raises(TypeError, match="device"):
        with keras.device(0):
            pass
    assert keras.config.backend() == "dlpath"
    assert keras.config.floatx() == "float32" and keras.config.epsilon() == 1e-7
    assert keras.config.image_data_format() == "channels_last"
    with pytest.raises(ValueError, match="channels_first"):
        keras.config.set_image_data_format("channels_first")


def test_config_dtype_policy_and_unsafe_deserialization():
    assert keras.config.dtype_policy().name == "float32"
    try:
        with pytest.warns(UserWarning, match="mixed_float16"):
            keras.config.set_dtype_policy("mixed_float16")
        assert keras.config.dtype_policy() is keras.mixed_precision.global_policy()
        assert keras.config.dtype_policy().name == "mixed_float16"
    finally:
        keras.config.set_dtype_policy(None)
    assert keras.config.dtype_policy().name == "float32"
    with pytest.warns(UserWarning, match="never loads code"):
        keras.config.enable_unsafe_deserialization()


def test_interactive_logging_switch():
    from dlpath.utils.interactive_logging import print_msg

    assert keras.utils.is_interactive_logging_enabled()
    keras.config.disable_interactive_logging()
    try:
        assert not keras.utils.is_interactive_logging_enabled()
        print_msg("to the logger")
    finally:
        keras.utils.enable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled()


# ---------------------------------------------------------------- keras.tree
def test_tree_flatten_and_map_follow_keras_order():
    structure = {"b": [1, (2, 3)], "a": 4, "c": None}
    assert keras.tree.flatten(structure) == [4, 1, 2, 3, None]
    doubled = keras.tree.map_structure(lambda x: None if x is None else 2 * x, structure)
    assert doubled == {"b": [2, (4, 6)], "a": 8, "c": None}
    assert list(doubled) == ["b", "a", "c"]                    # insertion order kept
    assert keras.tree.map_structure(lambda a, b: a + b, [1, (2,)], [10, (20,)]) == [11, (22,)]
    assert keras.tree.pack_sequence_as(([0], 0), [5, 6]) == ([5], 6)
    assert keras.tree.is_nested([1]) and not keras.tree.is_nested(np.zeros(2))
    with pytest.raises(ValueError, match="do not match"):
        keras.tree.map_structure(lambda a, b: a, [1, 2], [1])
    with pytest.raises(ValueError, match="3 leaves"):
        keras.tree.pack_sequence_as([0, [0, 0]], [1])


# ---------------------------------------------------------------- keras.utils
def test_to_ordinal_matches_keras():
    np.testing.assert_array_equal(keras.utils.to_ordinal([0, 1, 2, 3], 4),
                                  [[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]])
    assert keras.utils.to_ordinal([[1], [2]]).shape == (2, 2)
    assert keras.utils.to_ordinal(np.array([1, 0])).dtype == np.float32
    with pytest.raises(ValueError, match="out of range"):
        keras.utils.to_ordinal([5], 3)


def test_split_dataset_by_fraction_and_count():
    x, y = np.arange(10.0), np.arange(10) * 2
    left, right = keras.utils.split_dataset((x, y), left_size=0.8)
    rows = [(float(a), int(b)) for a, b in left]
    assert len(rows) == 8 and len(list(right)) == 2 and rows[3] == (3.0, 6)
    left, right = keras.utils.split_dataset(x, right_size=3, shuffle=True, seed=0)
    values = sorted(float(v) for v in left) + sorted(float(v) for v in right)
    assert sorted(values) == list(x) and len(list(right)) == 3
    assert [float(v) for v in left] != list(x[:7])            # shuffled
    with pytest.raises(ValueError, match="give left_size, right_size or both"):
        keras.utils.split_dataset(x)
    with pytest.raises(ValueError, match=r"a float left_size must be in \(0, 1\)"):
        keras.utils.split_dataset(x, left_size=1.5)


def test_split_dataset_of_a_dataset():
    dataset = dlpath.data.Dataset.from_tensor_slices({"x": np.arange(6.0)})
    left, right = keras.utils.split_dataset(dataset, left_size=4)
    assert [float(e["x"]) for e in right] == [4.0, 5.0]


def test_get_source_inputs_walks_back_to_the_inputs():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    hidden = keras.layers.Dense(2)(a)
    out = keras.layers.Add()([hidden, keras.layers.Dense(2)(b)])
    assert keras.utils.get_source_inputs(out) == [a, b]
    assert keras.utils.get_source_inputs(a) == [a]
    with pytest.raises(TypeError, match="get_source_inputs"):
        keras.utils.get_source_inputs(np.zeros(3))


@pytest.mark.parametrize("given, expected", [
    (None, "float32"), (float, "float32"), (int, "int64"), (bool, "bool"),
    ("float64", "float64"), (np.float16, "float16"), (np.dtype("int32"), "int32"),
    ("string", "string")])
def test_standardize_dtype(given, expected):
    assert keras.utils.standardize_dtype(given) == expected


def test_standardize_dtype_refuses_unknown_names():
    with pytest.raises(ValueError, match="invalid dtype 'float8'"):
        keras.utils.standardize_dtype("float8")


def test_registry_names_and_clear_session():
    @keras.utils.register_keras_serializable("TopLevelNames")
    class Scaled(keras.layers.Layer):
        def call(self, inputs):
            return inputs

    assert keras.utils.get_registered_name(Scaled) == "TopLevelNames>Scaled"
    assert keras.utils.get_registered_object("TopLevelNames>Scaled") is Scaled
    keras.utils.clear_session()
    assert keras.layers.Dense(1).name == "dense"


# ---------------------------------------------------------------- models, initializers
def test_model_from_config_rebuilds_models_and_layers():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu")])
    clone = keras.models.model_from_config(json.loads(model.to_json()))
    assert isinstance(clone, keras.Sequential)
    assert clone.predict(np.ones((2, 3), np.float32), verbose=0).shape == (2, 2)
    dense = keras.models.model_from_config({"class_name": "Dense", "config": {"units": 5}})
    assert isinstance(dense, keras.layers.Dense) and dense.units == 5
    with pytest.raises(TypeError, match="class_name"):
        keras.models.model_from_config(model.get_config())
    with pytest.raises(ValueError, match="Python code"):
        keras.models.model_from_config({"class_name": "Lambda", "config": {
            "function": "lambda x: x"}, "registered_name": "Lambda"})


def test_keras_3_initializer_class_names():
    assert keras.initializers.OrthogonalInitializer is keras.initializers.Orthogonal
    assert keras.initializers.IdentityInitializer is keras.initializers.Identity
    init = keras.initializers.deserialize({"module": "keras.initializers",
                                           "class_name": "OrthogonalInitializer",
                                           "config": {"gain": 2.0, "seed": 3}})
    w = init((4, 4))
    np.testing.assert_allclose(w @ w.T, 4.0 * np.eye(4), atol=1e-5)


# ---------------------------------------------------------------- regularizers
def _orthogonal_reference(w, factor, mode):
    if mode == "columns":
        w = w.T
    unit = w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-7)
    product = unit @ unit.T
    n = len(product)
    return factor * 0.5 * np.abs(product * (1 - np.eye(n))).sum() / (n * (n - 1) / 2)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_formula_and_gradient(mode):
    w = np.random.default_rng(0).standard_normal((5, 3))
    regularizer = keras.regularizers.OrthogonalRegularizer(0.3, mode=mode)
    penalty = regularizer(Tensor(w, dtype=np.float64))
    np.testing.assert_allclose(penalty.data, _orthogonal_reference(w, 0.3, mode))
    assert gradcheck(regularizer, w) < 1e-6
    assert float(regularizer(np.eye(4)).data) == 0.0            # orthogonal: no penalty


def test_orthogonal_regularizer_names_config_and_errors():
    regularizer = keras.regularizers.orthogonal_regularizer(factor=0.1, mode="columns")
    config = keras.regularizers.serialize(regularizer)
    again = keras.regularizers.deserialize(config)
    assert again.get_config() == {"factor": 0.1, "mode": "columns"}
    assert isinstance(keras.regularizers.get("orthogonal_regularizer"),
                      keras.regularizers.OrthogonalRegularizer)
    assert isinstance(keras.regularizers.deserialize("l2"), keras.regularizers.L2)
    with pytest.raises(ValueError, match="mode must be 'rows' or 'columns'"):
        keras.regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizer(np.ones((2, 2, 2)))


def test_orthogonal_regularizer_trains_and_saves_with_a_dense_layer(tmp_path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(
        3, kernel_regularizer=keras.regularizers.OrthogonalRegularizer(1.0))])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32)
    model.fit(x, np.zeros((8, 3)), verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.layers[0].kernel_regularizer.get_config() == {"factor": 1.0, "mode": "rows"}
