"""Checks of fw-multitask: the learner's two-head functional model (its outputs by name and
shape), its targets, its compiled loss against a float64 reference of
digit_loss + 0.5 * parity_loss, and a training run on the digits that must teach both heads."""

import numpy as np

import dlpath
from dlpath import keras
from dlpath.models import Sequential
from dlpath.path.labs.checking import Case, check, fail
from dlpath.path.labs.checks import _framework as fw

FUNCTIONS = ["make_targets", "build_multitask_model"]
NAMES = ["digit", "parity"]
WEIGHTS = {"digit": 1.0, "parity": 0.5}
DIGIT_BAR, PARITY_BAR = 0.90, 0.90
EPOCHS = 20


def reference_targets(y):
    return {"digit": y.astype(np.int64), "parity": (y % 2).astype(np.float32).reshape(-1, 1)}


def _build(learner, rng):
    dlpath.random.set_seed(fw.seed_from(rng))
    model = fw.call(learner.build_multitask_model, case="build_multitask_model()")
    if not isinstance(model, keras.Model):
        fail("not_a_model", type=type(model).__name__)
    if isinstance(model, Sequential):
        fail("not_functional")
    return model


def _heads(model, x, case):
    """(digit (N, 10), parity (N, 1)) of the model on ``x``, shapes checked."""
    outputs = fw.call(model.predict, x, verbose=0, case=case)
    if not isinstance(outputs, list) or len(outputs) != 2:
        fail("not_two_outputs", count=len(outputs) if isinstance(outputs, list) else 1)
    digit, parity = outputs
    checker = Case(model.predict, case)
    checker.expect_shape("the digit output", digit, (len(x), 10))
    checker.expect_shape("the parity output", parity, (len(x), 1))
    return digit.astype(np.float64), parity.astype(np.float64)


def _cross_entropies(digit, parity, targets):
    n = len(digit)
    ce = -np.mean(np.log(np.clip(digit[np.arange(n), targets["digit"]], 1e-7, 1)))
    q = np.clip(parity[:, 0], 1e-7, 1 - 1e-7)
    t = targets["parity"][:, 0]
    bce = -np.mean(t * np.log(q) + (1 - t) * np.log(1 - q))
    return float(ce), float(bce)


@check("two-heads")
def two_heads(learner, rng):
    model = _build(learner, rng)
    if not model.compiled:
        fail("not_compiled")
    names = list(model.output_names)
    if names != NAMES:
        key = "outputs_order" if sorted(names) == sorted(NAMES) else "output_names"
        fail(key, names=", ".join(names))
    batch = int(rng.integers(2, 7))
    x = rng.uniform(0, 1, (batch, 8, 8)).astype(np.float32)
    digit, parity = _heads(model, x, f"{batch} random 8x8 images")
    if digit.min() < 0 or not np.allclose(digit.sum(axis=1), 1.0, atol=1e-4):
        fail("digit_not_softmax")
    if parity.min() < 0 or parity.max() > 1:
        fail("parity_not_sigmoid", low=float(parity.min()), high=float(parity.max()))


@check("targets")
def targets(learner, rng):
    for dtype in (np.int64, np.uint8):
        n = int(rng.integers(5, 20))
        y = rng.integers(0, 10, n).astype(dtype)
        case = Case(learner.make_targets, f"y of {n} labels, {np.dtype(dtype).name}")
        result = case.call(y)
        if not isinstance(result, dict) or sorted(result) != sorted(NAMES):
            keys = sorted(result) if isinstance(result, dict) else type(result).__name__
            fail("targets_keys", keys=keys)
        expected = reference_targets(y)
        case.expect_equal("targets['digit']", np.asarray(result["digit"]), expected["digit"])
        parity = case.expect_array("targets['parity']", result["parity"])
        if parity.shape == (n,):
            fail("parity_targets_shape", n=n)
        case.expect_close("targets['parity']", parity, expected["parity"],
                          mistakes={"parity_inverted": 1 - expected["parity"]})
        case.expect_dtype("targets['parity']", parity, np.float32)


@check("losses")
def losses(learner, rng):
    model = _build(learner, rng)
    n = int(rng.integers(8, 16))
    x = rng.uniform(0, 1, (n, 8, 8)).astype(np.float32)
    t = reference_targets(rng.integers(0, 10, n))
    case_text = f"model.evaluate on {n} random images"
    digit, parity = _heads(model, x, case_text)
    ce, bce = _cross_entropies(digit, parity, t)
    logs = fw.call(model.evaluate, x, t, verbose=0, return_dict=True, case=case_text)
    case = Case(model.evaluate, case_text)
    for name, value, key in (("digit", ce, "digit_loss_wrong"),
                             ("parity", bce, "parity_loss_wrong")):
        if f"{name}_loss" not in logs:
            fail("no_head_loss", head=name, keys=", ".join(sorted(logs)))
        if not np.isclose(logs[f"{name}_loss"], value, rtol=1e-3, atol=1e-5):
            fail(key, actual=logs[f"{name}_loss"], expected=value)
    case.expect_close("the total loss", logs["loss"], ce + 0.5 * bce, rtol=1e-3, atol=1e-5,
                      mistakes={"weights_swapped": 0.5 * ce + bce,
                                "weights_missing": ce + bce})


@check("training-improves-both")
def training_improves_both(learner, rng):
    (x, y), (x_val, y_val) = fw.digits(int(rng.integers(0, 4)))
    model = _build(learner, rng)
    t_val = reference_targets(y_val)
    before = _cross_entropies(*_heads(model, x_val, "the held-out digits"), t_val)
    t = fw.call(learner.make_targets, y, case=f"make_targets(y) of the {len(y)} digits")
    fw.call(model.fit, x, t, epochs=EPOCHS, batch_size=32, verbose=0,
            case=f"model.fit(x, make_targets(y), epochs={EPOCHS}, batch_size=32)")
    digit, parity = _heads(model, x_val, "the held-out digits")
    after = _cross_entropies(digit, parity, t_val)
    digit_accuracy = float(np.mean(np.argmax(digit, axis=1) == y_val))
    parity_accuracy = float(np.mean((parity[:, 0] > 0.5) == (y_val % 2 == 1)))
    print(f"held-out digits: digit accuracy {digit_accuracy:.4f}, parity accuracy "
          f"{parity_accuracy:.4f}; losses {before[0]:.3f} -> {after[0]:.3f} (digit), "
          f"{before[1]:.3f} -> {after[1]:.3f} (parity)")
    for head, accuracy, bar, b, a in (("digit", digit_accuracy, DIGIT_BAR, before[0],
                                       after[0]),
                                      ("parity", parity_accuracy, PARITY_BAR, before[1],
                                       after[1])):
        if accuracy < bar or not a < b:
            fail("head_not_learning", head=head, accuracy=accuracy, bar=bar, before=b,
                 after=a, epochs=EPOCHS)
