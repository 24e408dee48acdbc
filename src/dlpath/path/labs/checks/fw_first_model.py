"""Checks of fw-first-model: the learner's compiled Sequential MLP (its layers, its parameter
count, its loss against a float64 reference) and its training on the 8x8 digits, judged by
the accuracy the checker measures on held-out digits."""

import numpy as np

import dlpath
from dlpath import activations
from dlpath.layers import Activation, Dense, Dropout, Flatten
from dlpath.models import Sequential
from dlpath.path.labs.checking import Case, check, fail
from dlpath.path.labs.checks import _framework as fw

FUNCTIONS = ["build_model", "train"]
PARAMETERS = 64 * 32 + 32 + 32 * 10 + 10  # 2,410
BAR = 0.95
MLP_LAYERS = (Flatten, Dense, Dropout, Activation)


def _built(learner, rng):
    """The learner's model, built with dlpath's generator seeded from ``rng``."""
    dlpath.random.set_seed(fw.seed_from(rng))
    model = fw.call(learner.build_model, case="build_model()")
    if not isinstance(model, Sequential):
        fail("not_sequential", type=type(model).__name__)
    return model


def _dense_layers(model):
    return [layer for layer in model.layers if isinstance(layer, Dense)]


@check("architecture")
def architecture(learner, rng):
    model = _built(learner, rng)
    if not model.compiled:
        fail("not_compiled")
    placeholder = getattr(model, "_input", None)
    if placeholder is None:
        fail("no_input")
    if tuple(placeholder.shape[1:]) != (8, 8):
        fail("input_shape", actual=str(tuple(placeholder.shape[1:])))
    others = [type(layer).__name__ for layer in model.layers
              if not isinstance(layer, MLP_LAYERS)]
    if others:
        fail("not_mlp", layers=", ".join(others))
    dense = _dense_layers(model)
    if not dense or dense[-1].units != 10:
        fail("output_units", units=dense[-1].units if dense else 0)
    if len(dense) < 2:
        fail("no_hidden_layer")
    for layer in dense[:-1]:
        if layer.activation is activations.linear:
            fail("hidden_linear", layer=layer.name)
    count = model.count_params()
    if count != PARAMETERS:
        units = ", ".join(str(layer.units) for layer in dense)
        fail("parameter_count", actual=count, expected=PARAMETERS, units=units)


@check("output-and-loss")
def output_and_loss(learner, rng):
    model = _built(learner, rng)
    batch = int(rng.integers(3, 9))
    x = rng.uniform(0, 1, (batch, 8, 8)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    case = Case(model.predict, f"{batch} random 8x8 images")
    p = case.expect_shape("the output", np.asarray(fw.call(model.predict, x, verbose=0,
                                                        case=case.description)),
                          (batch, 10))
    if p.min() < 0 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-4):
        fail("output_not_softmax")
    logs = fw.call(model.evaluate, x, y, verbose=0, return_dict=True,
                   case=f"model.evaluate on {batch} random images")
    expected = -np.mean(np.log(np.clip(p.astype(np.float64)[np.arange(batch), y],
                                       1e-7, 1.0)))
    if not np.isclose(logs["loss"], expected, rtol=1e-3, atol=1e-5):
        fail("wrong_loss", actual=logs["loss"], expected=expected)


@check("trains")
def trains(learner, rng):
    (x, y), (x_val, y_val) = fw.digits(int(rng.integers(0, 4)))
    model = _built(learner, rng)
    before = fw.snapshot(model.weights)
    history = fw.call(learner.train, model, x, y, case=f"train(model, x {x.shape}, y)")
    if not any(fw.changed(before, model.weights)):
        fail("not_trained")
    if not hasattr(history, "history") or "loss" not in getattr(history, "history", {}):
        fail("no_history", type=type(history).__name__)
    predicted = np.argmax(model.predict(x_val, verbose=0), axis=1)
    accuracy = float(np.mean(predicted == y_val))
    epochs = len(history.history["loss"])
    print(f"validation accuracy on {len(x_val)} held-out digits: {accuracy:.4f} "
          f"after {epochs} epochs (bar {BAR})")
    if accuracy < BAR:
        fail("below_bar", accuracy=accuracy, bar=BAR, count=len(x_val), epochs=epochs)
