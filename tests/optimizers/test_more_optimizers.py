"""Adamax, Nadam, Ftrl, Lion and Adafactor: 20 float64 updates equal torch.optim's (Adamax,
NAdam) or a NumPy transcription of Keras 3's update rule (Ftrl, Lion, Adafactor); names,
configuration, checkpoint state, the legacy/experimental namespaces."""

import warnings

import numpy as np
import pytest
import torch
from _optimizer_problem import data, gradients, initial_parameters, loss_fn

from dlpath import optimizers
from dlpath.engine import Tensor
from dlpath.optimizers import optimizer as optimizer_module

STEPS = 20
TINY = 1e-12
NEW = [optimizers.Adamax, optimizers.Nadam, optimizers.Ftrl, optimizers.Lion,
       optimizers.Adafactor]


def run_ours(optimizer, steps=STEPS, scale=1.0):
    x, y = (t.double() for t in data())
    variables = [Tensor(a, requires_grad=True, dtype=np.float64)
                 for a in initial_parameters(dtype=np.float64)]
    for _ in range(steps):
        optimizer.apply(gradients([v.data for v in variables], x, y, scale), variables)
    return [v.data for v in variables]


def run_torch(make_optimizer, steps=STEPS):
    x, y = (t.double() for t in data())
    params = [torch.tensor(a, requires_grad=True)
              for a in initial_parameters(dtype=np.float64)]
    optimizer = make_optimizer(params)
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(params, x, y).backward()
        optimizer.step()
    return [p.detach().numpy() for p in params]


def run_reference(update, steps=STEPS):
    """``update(t, i, g, theta, state)`` returns the new theta; ``state`` is per variable."""
    x, y = (t.double() for t in data())
    params = initial_parameters(dtype=np.float64)
    states = [{} for _ in params]
    for t in range(1, steps + 1):
        grads = gradients(params, x, y)
        params = [update(t, g, p.copy(), s) for g, p, s in zip(grads, params, states)]
    return params


def assert_close(ours, theirs, rtol=1e-10, atol=1e-12, moved=1e-3):
    for i, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"parameter {i}")
    start = initial_parameters(dtype=np.float64)
    assert max(np.abs(a - b).max() for a, b in zip(ours, start)) > moved   # it did move


# ---------------------------------------------------------------- trajectories
def test_adamax_matches_torch():
    ours = run_ours(optimizers.Adamax(0.02, beta_1=0.8, beta_2=0.99, epsilon=TINY))
    theirs = run_torch(lambda p: torch.optim.Adamax(p, lr=0.02, betas=(0.8, 0.99), eps=TINY))
    assert_close(ours, theirs, rtol=1e-9, atol=1e-10)


def test_nadam_matches_torch_with_keras_momentum_schedule():
    ours = run_ours(optimizers.Nadam(0.01, beta_1=0.85, beta_2=0.99, epsilon=1e-6))
    theirs = run_torch(lambda p: torch.optim.NAdam(p, lr=0.01, betas=(0.85, 0.99), eps=1e-6,
                                                   momentum_decay=1.0))
    # torch keeps the product of the momentum schedule as a float32 scalar.
    assert_close(ours, theirs, rtol=1e-7, atol=1e-9)


def test_nadam_with_torch_default_schedule_differs():
    # Guards the test above: the momentum schedule really matters.
    ours = run_ours(optimizers.Nadam(0.01, epsilon=1e-6))
    theirs = run_torch(lambda p: torch.optim.NAdam(p, lr=0.01, eps=1e-6))
    assert not np.allclose(ours[0], theirs[0], atol=1e-6)


def _lion_update(lr, b1, b2):
    def update(t, g, theta, state):
        m = state.get("m", np.zeros_like(g))
        theta = theta - lr * np.sign(b1 * m + (1 - b1) * g)
        state["m"] = b2 * m + (1 - b2) * g
        return theta
    return update


def test_lion_matches_keras_rule():
    ours = run_ours(optimizers.Lion(0.003, beta_1=0.8, beta_2=0.95))
    assert_close(ours, run_reference(_lion_update(0.003, 0.8, 0.95)))


def _ftrl_update(lr, power, n0, l1, l2, shrink, beta):
    def update(t, g, theta, state):
        n = state.get("n", np.full_like(g, n0))
        z = state.get("z", np.zeros_like(g))
        l2_reg = l2 + beta / (2 * lr)
        new_n = n + g ** 2
        z = z + g + 2 * shrink * theta - (new_n ** -power - n ** -power) / lr * theta
        quadratic = new_n ** -power / lr + 2 * l2_reg
        theta = (np.clip(z, -l1, l1) - z) / quadratic
        state.update(n=new_n, z=z)
        return theta
    return update


@pytest.mark.parametrize("kwargs", [
    {},
    {"learning_rate_power": -0.3, "initial_accumulator_value": 0.5,
     "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02,
     "l2_shrinkage_regularization_strength": 0.03, "beta": 0.1},
])
def test_ftrl_matches_keras_rule(kwargs):
    settings = {"learning_rate_power": -0.5, "initial_accumulator_value": 0.1,
                "l1_regularization_strength": 0.0, "l2_regularization_strength": 0.0,
                "l2_shrinkage_regularization_strength": 0.0, "beta": 0.0, **kwargs}
    ours = run_ours(optimizers.Ftrl(0.2, **settings))
    assert_close(ours, run_reference(_ftrl_update(0.2, *settings.values())))


def test_ftrl_l1_makes_weights_exactly_zero():
    ours = run_ours(optimizers.Ftrl(0.2, l1_regularization_strength=0.5))
    assert sum(int((p == 0).sum()) for p in ours) > 0


def _adafactor_update(lr, decay=-0.8, eps1=1e-30, eps2=1e-3, clip=1.0):
    def rms(a):
        return np.sqrt(np.mean(a ** 2))

    def update(t, g, theta, state):
        rho = min(lr, 1 / np.sqrt(t))
        alpha = max(eps2, rms(theta)) * rho
        squared = g ** 2 + eps1
        beta_2 = 1 - t ** decay
        if theta.ndim >= 2:
            r = beta_2 * state.get("r", 0.0) + (1 - beta_2) * squared.mean(axis=-1)
            c = beta_2 * state.get("c", 0.0) + (1 - beta_2) * squared.mean(axis=-2)
            state.update(r=r, c=c)
            v = np.outer(r / r.mean(), c)
        else:
            v = beta_2 * state.get("v", 0.0) + (1 - beta_2) * squared
            state["v"] = v
        u = g / np.sqrt(v)
        return theta - alpha * u / max(1.0, rms(u) / clip)
    return update


@pytest.mark.parametrize("lr, clip", [(0.05, 1.0), (0.5, 0.2)])
def test_adafactor_matches_keras_rule(lr, clip):
    ours = run_ours(optimizers.Adafactor(lr, clip_threshold=clip))
    assert_close(ours, run_reference(_adafactor_update(lr, clip=clip)))


def test_adafactor_factors_matrices_only():
    optimizer = optimizers.Adafactor()
    run_ours(optimizer, steps=1)
    shapes = {name: a.shape for name, a in optimizer.get_state().items()}
    assert shapes["adafactor/row/0"] == (5,) and shapes["adafactor/column/0"] == (8,)
    assert "adafactor/row/1" not in shapes and shapes["adafactor/velocity/1"] == (8,)


def test_adafactor_factors_the_last_two_axes_of_higher_rank():
    w = Tensor(np.random.default_rng(0).standard_normal((2, 3, 4)), dtype=np.float64)
    g = np.random.default_rng(1).standard_normal((2, 3, 4))
    optimizer = optimizers.Adafactor(0.1)
    optimizer.apply([g], [w])
    state = optimizer.get_state()
    assert state["adafactor/row/0"].shape == (2, 3)
    assert state["adafactor/column/0"].shape == (2, 4)
    np.testing.assert_allclose(state["adafactor/column/0"], (g ** 2 + 1e-30).mean(axis=1))


# ---------------------------------------------------------------- base-class features
def _run_with_gradient_transform(optimizer, transform, steps=5):
    x, y = (t.double() for t in data())
    variables = [Tensor(a, dtype=np.float64) for a in initial_parameters(dtype=np.float64)]
    for _ in range(steps):
        grads = gradients([v.data for v in variables], x, y, 30.0)
        optimizer.apply([transform(g) for g in grads], variables)
    return [v.data for v in variables]


@pytest.mark.parametrize("cls", NEW)
def test_clipvalue_and_weight_decay_go_through_the_base_class(cls):
    # clipvalue, not clipnorm: rescaling a gradient does not change Lion's signs.
    def clip(g):
        return np.clip(g, -0.05, 0.05)
    clipped = _run_with_gradient_transform(cls(0.01, clipvalue=0.05), lambda g: g)
    by_hand = _run_with_gradient_transform(cls(0.01), clip)
    unclipped = _run_with_gradient_transform(cls(0.01), lambda g: g)
    assert_close(clipped, by_hand, moved=1e-4)
    assert not all(np.allclose(a, b, rtol=1e-6) for a, b in zip(clipped, unclipped))
    decayed = run_ours(cls(0.01, weight_decay=0.5))
    plain = run_ours(cls(0.01))
    assert not np.allclose(decayed[0], plain[0])


@pytest.mark.parametrize("cls", NEW)
def test_state_round_trip_continues_identically(cls):
    x, y = (t.double() for t in data())
    a = [Tensor(p, dtype=np.float64) for p in initial_parameters(dtype=np.float64)]
    first = cls(0.01)
    for _ in range(3):
        first.apply(gradients([p.data for p in a], x, y), a)
    b = [Tensor(p.data.copy(), dtype=np.float64) for p in a]
    second = cls.from_config(first.get_config())
    second.set_state(first.get_state(), variables=b)
    for _ in range(3):
        first.apply(gradients([p.data for p in a], x, y), a)
        second.apply(gradients([p.data for p in b], x, y), b)
    for pa, pb in zip(a, b):
        np.testing.assert_array_equal(pa.data, pb.data)


@pytest.mark.parametrize("cls", NEW)
def test_config_round_trip_and_keras_defaults(cls):
    optimizer = cls()
    config = optimizer.get_config()
    assert config["learning_rate"] == 0.001 and config["name"] == cls.__name__.lower()
    again = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(again) is cls and again.get_config() == config


def test_keras_default_hyperparameters():
    assert optimizers.Adamax().get_config()["epsilon"] == 1e-7
    assert optimizers.Nadam().get_config()["beta_2"] == 0.999
    ftrl = optimizers.Ftrl().get_config()
    assert ftrl["learning_rate_power"] == -0.5 and ftrl["initial_accumulator_value"] == 0.1
    assert optimizers.Lion().get_config()["beta_2"] == 0.99
    adafactor = optimizers.Adafactor().get_config()
    assert adafactor["beta_2_decay"] == -0.8 and adafactor["epsilon_2"] == 1e-3


@pytest.mark.parametrize("name", ["adamax", "nadam", "ftrl", "lion", "adafactor", "Nadam"])
def test_compile_accepts_the_name(name):
    from dlpath.keras import layers, models
    model = models.Sequential([layers.Input((4,)), layers.Dense(2)])
    model.compile(optimizer=name, loss="mse")
    assert type(model.optimizer).__name__.lower() == name.lower()
    x = np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32)
    before = model.get_weights()[0].copy()
    model.fit(x, x[:, :2], epochs=1, batch_size=4, verbose=0)
    assert not np.allclose(before, model.get_weights()[0])


@pytest.mark.parametrize("make, match", [
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1), "l1_regularization_strength"),
    (lambda: optimizers.Adamax(beta_1=1.0), "beta_1"),
    (lambda: optimizers.Adafactor(clip_threshold=0), "clip_threshold"),
])
def test_bad_hyperparameters_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_ftrl_refuses_a_zero_learning_rate():
    with pytest.raises(ValueError, match="Ftrl: the learning rate must be > 0"):
        run_ours(optimizers.Ftrl(0.0), steps=1)


# ---------------------------------------------------------------- legacy namespaces
def test_legacy_and_experimental_are_the_same_classes():
    from dlpath import keras
    assert keras.optimizers.legacy.Adam is optimizers.Adam
    assert keras.optimizers.legacy.Nadam is optimizers.Nadam
    assert keras.optimizers.experimental.AdamW is optimizers.AdamW
    assert keras.optimizers.experimental.Lion is optimizers.Lion


def test_legacy_lr_and_decay_are_honoured_with_a_warning(monkeypatch):
    monkeypatch.setattr(optimizer_module, "_LEGACY_WARNED", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        optimizer = optimizers.legacy.Adamax(lr=0.05, decay=0.1)
    assert optimizer.learning_rate == 0.05 and optimizer.decay == 0.1
    assert len(caught) == 2 and all(w.filename == __file__ for w in caught)


@pytest.mark.parametrize("name", ["nadam", "adafactor", "ftrl"])
def test_saved_with_the_model_and_training_continues_identically(name, tmp_path):
    from dlpath.keras import layers, models

    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 4)).astype(np.float32)
    y = rng.standard_normal((16, 2)).astype(np.float32)
    model = models.Sequential([layers.Input((4,)), layers.Dense(3), layers.Dense(2)])
    model.compile(optimizer=name, loss="mse")
    model.fit(x, y, batch_size=4, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = models.load_model(tmp_path / "m.keras")
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.iterations == model.optimizer.iterations == 4
    model.fit(x, y, batch_size=4, verbose=0, shuffle=False)
    loaded.fit(x, y, batch_size=4, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
