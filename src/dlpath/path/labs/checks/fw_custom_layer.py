"""Checks of fw-custom-layer: the learner's ScaledDense layer, y = act((x W + b) * s) — its
weights made in build with add_weight, its values against a float64 NumPy reference, its
gradients (dlpath's engine) against finite differences, and get_config rebuilding it, also
through a saved and loaded model."""

import json
import tempfile
from pathlib import Path

import numpy as np

from dlpath import keras
from dlpath.engine import Tensor, no_grad
from dlpath.path.labs.checking import Case, check, fail, numerical_gradient
from dlpath.path.labs.checks import _framework as fw

FUNCTIONS = ["ScaledDense"]
WEIGHTS = ("kernel", "bias", "scale")
ACTIVATIONS = {None: lambda z: z, "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}


def _layer(learner, units, case, **kwargs):
    layer = fw.call(learner.ScaledDense, units, case=case, **kwargs)
    if not isinstance(layer, keras.layers.Layer):
        fail("not_a_layer", type=type(layer).__name__)
    return layer


def _forward(layer, x, case):
    """The layer's output on ``x`` as an array (a Tensor is expected)."""
    y = fw.call(layer, x, case=case)
    return np.asarray(y.data if isinstance(y, Tensor) else y)


def _weights(layer, in_features, units) -> dict:
    """The layer's kernel, bias and scale, found by name, with their shapes checked."""
    found = {}
    for variable in layer.weights:
        for name in WEIGHTS:
            if variable.name.split("/")[-1] == name:
                found[name] = variable
    missing = [name for name in WEIGHTS if name not in found]
    if missing:
        fail("weight_names", missing=", ".join(missing),
             names=", ".join(v.name for v in layer.weights) or "-")
    shapes = {"kernel": (in_features, units), "bias": (units,), "scale": (units,)}
    for name, shape in shapes.items():
        if tuple(found[name].shape) != shape:
            fail("weight_shape", weight=name, actual=tuple(found[name].shape), expected=shape)
    return found


def reference(x, w, activation):
    """act((x W + b) * s) in float64."""
    z = (x.astype(np.float64) @ w["kernel"] + w["bias"]) * w["scale"]
    return ACTIVATIONS[activation](z)


def _random_weights(rng, weights) -> dict:
    """Random values (scale away from 1 and 0) written into the layer's variables."""
    values = {}
    for name, variable in weights.items():
        value = rng.normal(0, 1, variable.shape)
        if name == "scale":
            value = rng.uniform(0.5, 2.0, variable.shape) * rng.choice([-1, 1], variable.shape)
        variable.data[...] = value
        values[name] = np.array(variable.data, dtype=np.float64)
    return values


@check("weights-in-build")
def weights_in_build(learner, rng):
    units, d, batch = (int(v) for v in rng.integers(2, 7, size=3))
    layer = _layer(learner, units, f"ScaledDense({units})")
    if layer.weights:
        fail("weights_before_build", count=len(layer.weights))
    x = rng.normal(0, 1, (batch, d)).astype(np.float32)
    case = f"ScaledDense({units}) on x {x.shape}"
    _forward(layer, x, case)
    if not layer.weights:
        fail("not_add_weight")
    if len(layer.weights) != 3:
        fail("weight_count", count=len(layer.weights),
             names=", ".join(v.name for v in layer.weights))
    weights = _weights(layer, d, units)
    trainable = {id(v) for v in layer.trainable_weights}
    for name, variable in weights.items():
        if id(variable) not in trainable:
            fail("not_trainable", weight=name)
    init = Case(layer, case)
    init.expect_close("bias (initial)", weights["bias"].data, np.zeros(units),
                      mistakes={"init_bias": np.ones(units)})
    init.expect_close("scale (initial)", weights["scale"].data, np.ones(units),
                      mistakes={"init_scale": np.zeros(units)})
    before = [id(v) for v in layer.weights]
    _forward(layer, x, case + ", called a second time")
    if [id(v) for v in layer.weights] != before:
        fail("weights_in_call", count=len(layer.weights))


@check("forward")
def forward(learner, rng):
    for activation, dtype, rank in ((None, np.float64, 2), ("relu", np.float64, 3),
                                    ("tanh", np.float32, 2)):
        units, d = (int(v) for v in rng.integers(2, 7, size=2))
        # rank 3: (batch, time, in) with time != in, so that only the last axis fits
        shape = ((int(rng.integers(1, 5)),) + ((d + int(rng.integers(1, 3)),) if rank == 3
                                              else ()) + (d,))
        layer = _layer(learner, units, f"ScaledDense({units}, activation={activation!r})",
                       activation=activation, dtype=np.dtype(dtype).name)
        x = rng.normal(0, 1, shape).astype(dtype)
        description = (f"ScaledDense({units}, activation={activation!r}) on x {shape}, "
                       f"{np.dtype(dtype).name}")
        _forward(layer, x, description)
        w = _random_weights(rng, _weights(layer, d, units))
        y = _forward(layer, x, description)
        act = ACTIVATIONS[activation]
        x64 = x.astype(np.float64)
        mistakes = {
            "scale_before_bias": act(x64 @ w["kernel"] * w["scale"] + w["bias"]),
            "forgot_scale": act(x64 @ w["kernel"] + w["bias"]),
            "forgot_bias": act(x64 @ w["kernel"] * w["scale"]),
        }
        if activation is not None:
            mistakes["forgot_activation"] = (x64 @ w["kernel"] + w["bias"]) * w["scale"]
        tolerance = 1e-5 if dtype == np.float32 else 1e-10
        case = Case(layer, description)
        case.expect_close("y", y, reference(x, w, activation), rtol=tolerance, atol=tolerance,
                          mistakes=mistakes)
        case.expect_dtype("y", y, dtype)


@check("gradients")
def gradients(learner, rng):
    units, d, batch = (int(v) for v in rng.integers(2, 5, size=3))
    activation = "tanh"
    layer = _layer(learner, units, f"ScaledDense({units}, activation='tanh')",
                   activation=activation, dtype="float64")
    x = rng.normal(0, 1, (batch, d))
    description = f"ScaledDense({units}, activation='tanh') on x {x.shape}, float64"
    _forward(layer, x, description)
    weights = _weights(layer, d, units)
    _random_weights(rng, weights)
    r = rng.normal(0, 1, (batch, units))  # loss = sum(y * r)
    xt = Tensor(x, requires_grad=True, dtype=np.float64)
    for variable in weights.values():
        variable.grad = None
    y = fw.call(layer, xt, case=description)
    if not isinstance(y, Tensor) or not y.requires_grad:
        fail("no_graph", type=type(y).__name__)
    (y * Tensor(r)).sum().backward()

    def loss_with(name):
        def f(value):
            saved = weights[name].data.copy() if name != "x" else None
            with no_grad():
                if name == "x":
                    out = layer(Tensor(value, dtype=np.float64))
                else:
                    weights[name].data[...] = value
                    out = layer(Tensor(x, dtype=np.float64))
                    weights[name].data[...] = saved
            return float(np.sum(np.asarray(out.data) * r))
        return f

    case = Case(layer, description + ", loss = sum(y * r)")
    for name in WEIGHTS + ("x",):
        tensor = xt if name == "x" else weights[name]
        point = x if name == "x" else weights[name].data.copy()
        if tensor.grad is None:
            fail("no_gradient", weight=name)
        expected = numerical_gradient(loss_with(name), point)
        case.expect_close(f"d loss / d {name}", np.asarray(tensor.grad), expected,
                          rtol=1e-5, atol=1e-7)


@check("config")
def config(learner, rng):
    units, d = (int(v) for v in rng.integers(2, 7, size=2))
    activation = str(rng.choice(["relu", "tanh"]))
    layer = _layer(learner, units, f"ScaledDense({units}, activation={activation!r})",
                   activation=activation, name="scaled")
    x = rng.normal(0, 1, (3, d)).astype(np.float32)
    description = f"ScaledDense({units}, activation={activation!r}) on x {x.shape}"
    _forward(layer, x, description)
    w = _random_weights(rng, _weights(layer, d, units))
    expected = _forward(layer, x, description)
    cfg = fw.call(layer.get_config, case="get_config()")
    if not isinstance(cfg, dict):
        fail("config_not_dict", type=type(cfg).__name__)
    try:
        json.dumps(cfg)
    except (TypeError, ValueError) as error:
        fail("config_not_json", error=str(error))
    if cfg.get("name") != "scaled" or "trainable" not in cfg:
        fail("config_no_super", keys=", ".join(sorted(cfg)))
    if cfg.get("units") != units:
        fail("config_units", keys=", ".join(sorted(cfg)))
    cls = learner.ScaledDense
    rebuilt = fw.call(cls.from_config, cfg, case="ScaledDense.from_config(layer.get_config())")
    _forward(rebuilt, x, "the rebuilt layer on the same x")
    rebuilt.set_weights(layer.get_weights())
    case = Case(rebuilt, "ScaledDense.from_config(layer.get_config()), the same weights")
    case.expect_close("y of the rebuilt layer", _forward(rebuilt, x, case.description),
                      expected, rtol=1e-5, atol=1e-6,
                      mistakes={"config_activation": reference(x, w, None)})
    model = keras.Sequential([keras.Input((d,)), cls(units, activation=activation)])
    model.layers[0].set_weights(layer.get_weights())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        fw.call(model.save, str(path), case="model.save('model.keras')")
        loaded = fw.call(keras.models.load_model, str(path),
                         custom_objects={"ScaledDense": cls},
                         case="keras.models.load_model('model.keras', custom_objects=...)")
    case = Case(loaded, "a Sequential model with a ScaledDense, saved and loaded")
    case.expect_close("y of the loaded model", loaded.predict(x, verbose=0), expected,
                      rtol=1e-5, atol=1e-6)
