"""Weight constraints: Keras 3's formulas, names and configs, and their application after
every optimizer update by the layers that take ``*_constraint`` arguments."""

import numpy as np
import pytest

from dlpath import constraints, keras
from dlpath.engine import Tensor, Variable

EPS = 1e-7
RNG = np.random.default_rng(0)


def column_norms(w, axis=0):
    return np.sqrt(np.sum(w ** 2, axis=axis, keepdims=True))


# ---------------------------------------------------------------- formulas
@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_max_norm_clips_norms_along_axis(axis):
    w = 3.0 * RNG.standard_normal((4, 5))
    norms = column_norms(w, tuple(axis) if isinstance(axis, list) else axis)
    expected = w * np.clip(norms, 0, 2.0) / (EPS + norms)
    np.testing.assert_allclose(constraints.MaxNorm(2.0, axis=axis)(w), expected)


def test_max_norm_leaves_small_columns_alone_and_caps_large_ones():
    w = np.array([[0.3, 3.0], [0.4, 4.0]])       # column norms 0.5 and 5
    out = constraints.MaxNorm(1.0)(Tensor(w, dtype=np.float64))
    np.testing.assert_allclose(out, [[0.3, 0.6], [0.4, 0.8]], rtol=1e-6)


def test_min_max_norm_with_rate():
    w = RNG.standard_normal((3, 6)) * np.array([0.1, 0.5, 1, 2, 4, 8])
    norms = column_norms(w)
    desired = 0.3 * np.clip(norms, 0.5, 2.0) + 0.7 * norms
    out = constraints.MinMaxNorm(0.5, 2.0, rate=0.3)(w)
    np.testing.assert_allclose(out, w * desired / (EPS + norms))
    strict = column_norms(constraints.MinMaxNorm(0.5, 2.0)(w))
    assert strict.min() > 0.5 - 1e-6 and strict.max() < 2.0 + 1e-6


def test_non_neg_and_unit_norm():
    w = RNG.standard_normal((4, 3)).astype(np.float32)
    non_neg = constraints.NonNeg()(w)
    np.testing.assert_array_equal(non_neg, np.where(w >= 0, w, 0))
    unit = constraints.UnitNorm(axis=1)(w)
    assert unit.dtype == np.float32
    np.testing.assert_allclose(column_norms(unit, axis=1), 1.0, rtol=1e-5)


def test_the_base_class_is_the_identity_and_aliases_are_the_classes():
    w = RNG.standard_normal(3)
    assert constraints.Constraint()(w) is w
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    assert keras.constraints.MaxNorm is constraints.MaxNorm


# ---------------------------------------------------------------- names and configs
@pytest.mark.parametrize("constraint", [
    constraints.MaxNorm(3, axis=[0, 1, 2]), constraints.MinMaxNorm(0.1, 0.9, 0.5, axis=1),
    constraints.NonNeg(), constraints.UnitNorm(axis=-1)])
def test_serialize_round_trip(constraint):
    config = constraints.serialize(constraint)
    assert config["module"] == "keras.constraints"
    again = constraints.deserialize(config)
    assert type(again) is type(constraint) and again.get_config() == constraint.get_config()
    assert constraints.get(config).get_config() == constraint.get_config()


def test_get_by_name_and_keras_config():
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert isinstance(constraints.get("NonNeg"), constraints.NonNeg)
    assert isinstance(constraints.get("unit_norm"), constraints.UnitNorm)
    assert constraints.get(None) is None
    keras_config = {"module": "keras.constraints", "class_name": "MaxNorm",
                    "config": {"max_value": 2, "axis": 0}, "registered_name": None}
    assert constraints.get(keras_config).max_value == 2.0


def test_bad_identifiers_and_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown constraint 'positive'"):
        constraints.get("positive")
    with pytest.raises(TypeError, match="constraints.get"):
        constraints.get(3)
    with pytest.raises(ValueError, match="unknown constraint class 'Nope'"):
        constraints.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="MinMaxNorm: max_value must be >= min_value"):
        constraints.MinMaxNorm(2.0, 1.0)
    with pytest.raises(TypeError, match="MaxNorm: axis"):
        constraints.MaxNorm(2, axis="rows")
    with pytest.raises(ValueError, match="MaxNorm: axis 3 is out of range"):
        constraints.MaxNorm(2, axis=3)(np.ones((2, 2)))


# ---------------------------------------------------------------- applied after updates
class _Norms(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(np.linalg.norm(self.model.layers[0].kernel.data, axis=0).max())


def test_dense_max_norm_holds_after_every_step():
    model = keras.Sequential([keras.Input((6,)),
                              keras.layers.Dense(4, kernel_constraint=keras.constraints.MaxNorm(2),
                                                 bias_constraint="non_neg")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    x = 5 * RNG.standard_normal((32, 6)).astype(np.float32)
    y = 50 * RNG.standard_normal((32, 4)).astype(np.float32)
    norms = _Norms()
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[norms])
    assert len(norms.seen) == 8 and max(norms.seen) <= 2.0 + 1e-5
    assert max(norms.seen) > 1.99              # the constraint was active, not idle
    assert (model.layers[0].bias.data >= 0).all()


def test_without_the_constraint_the_norm_grows():
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4)])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    x = 5 * RNG.standard_normal((32, 6)).astype(np.float32)
    model.fit(x, 50 * RNG.standard_normal((32, 4)), batch_size=8, verbose=0)
    assert np.linalg.norm(model.layers[0].kernel.data, axis=0).max() > 2.0


@pytest.mark.parametrize("layer, weight, check", [
    (keras.layers.Embedding(10, 3, embeddings_constraint="non_neg"), "embeddings",
     lambda w: (w >= 0).all()),
    (keras.layers.LSTM(3, recurrent_constraint=keras.constraints.UnitNorm()),
     "recurrent_kernel", lambda w: np.allclose(np.linalg.norm(w, axis=0), 1, atol=1e-5)),
    (keras.layers.SimpleRNN(3, kernel_constraint="non_neg"), "kernel",
     lambda w: (w >= 0).all()),
    (keras.layers.Conv2D(2, 3, kernel_constraint=keras.constraints.MaxNorm(0.1,
                                                                          axis=[0, 1, 2])),
     "kernel", lambda w: np.linalg.norm(w.reshape(-1, 2), axis=0).max() <= 0.1 + 1e-6),
    (keras.layers.SeparableConv2D(2, 3, pointwise_constraint="non_neg",
                                  depthwise_constraint="non_neg"),
     "pointwise_kernel", lambda w: (w >= 0).all()),
    (keras.layers.DepthwiseConv2D(3, depthwise_constraint="non_neg"), "kernel",
     lambda w: (w >= 0).all()),
    (keras.layers.BatchNormalization(gamma_constraint=keras.constraints.MaxNorm(0.5, axis=0)),
     "gamma", lambda w: np.linalg.norm(w) <= 0.5 + 1e-6),
    (keras.layers.LayerNormalization(beta_constraint=keras.constraints.UnitNorm(axis=0)),
     "beta", lambda w: np.isclose(np.linalg.norm(w), 1.0, atol=1e-5)),
    (keras.layers.GroupNormalization(2, gamma_constraint="non_neg",
                                     gamma_initializer=keras.initializers.Constant(-1.0)),
     "gamma", lambda w: (w >= 0).all()),
    (keras.layers.PReLU(alpha_initializer="ones",
                        alpha_constraint=keras.constraints.MinMaxNorm(0.0, 0.1, axis=[0, 1, 2])),
     "alpha", lambda w: np.linalg.norm(w) <= 0.1 + 1e-6),
])
def test_layers_pass_their_constraints_to_their_weights(layer, weight, check):
    inputs = {"Embedding": RNG.integers(0, 10, (4, 5)), "LSTM": RNG.standard_normal((4, 5, 2)),
              "SimpleRNN": RNG.standard_normal((4, 5, 2))}.get(
        type(layer).__name__, RNG.standard_normal((4, 6, 6, 2)))
    output = layer(Tensor(inputs) if inputs.dtype.kind == "f" else inputs)
    variable = getattr(getattr(layer, "cell", layer), weight)
    assert variable.constraint is not None
    assert not check(variable.data)              # the initial weights break the constraint
    output.sum().backward()
    keras.optimizers.SGD(0.1).apply([w.grad for w in layer.trainable_weights],
                                    layer.trainable_weights)
    assert check(variable.data)
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config


def test_saved_and_loaded_with_the_model(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(
        2, kernel_constraint=keras.constraints.MinMaxNorm(0.5, 1.0, axis=0))])
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    constraint = loaded.layers[0].kernel.constraint
    assert isinstance(constraint, constraints.MinMaxNorm) and constraint.min_value == 0.5
    x = RNG.standard_normal((8, 3)).astype(np.float32)
    loaded.fit(x, 10 * x[:, :2], verbose=0)
    norms = np.linalg.norm(loaded.layers[0].kernel.data, axis=0)
    assert norms.min() >= 0.5 - 1e-5 and norms.max() <= 1.0 + 1e-5


def test_a_registered_custom_constraint_is_saved_and_loaded(tmp_path):
    @keras.utils.register_keras_serializable("TestConstraints")
    class Clip(keras.constraints.Constraint):
        def __init__(self, limit=1.0):
            self.limit = limit

        def __call__(self, w):
            return np.clip(w.data, -self.limit, self.limit)

        def get_config(self):
            return {"limit": self.limit}

    model = keras.Sequential([keras.Input((3,)),
                              keras.layers.Dense(2, kernel_constraint=Clip(0.01))])
    model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.layers[0].kernel_constraint, Clip)
    x = RNG.standard_normal((8, 3)).astype(np.float32)
    loaded.fit(x, 10 * x[:, :2], verbose=0)
    assert np.abs(loaded.layers[0].kernel.data).max() <= 0.01


def test_a_constraint_that_changes_the_shape_is_refused():
    variable = Variable(np.ones((2, 3)), name="w")
    variable.constraint = lambda w: w.data[:, :2]
    with pytest.raises(ValueError, match="a constraint must keep the shape"):
        keras.optimizers.SGD(0.1).apply([np.ones((2, 3))], [variable])


def test_a_custom_layer_s_add_weight_takes_a_constraint():
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                     constraint="non_neg", name="w")

        def call(self, inputs):
            return inputs * self.w

    layer = Scale()
    layer(np.ones((2, 3), np.float32))
    keras.optimizers.SGD(1.0).apply([np.full(3, 5.0)], [layer.w])   # would reach -4
    np.testing.assert_array_equal(layer.w.data, 0.0)
