"""The base class's contract: apply/apply_gradients/step, learning rates, legacy tf.keras 2
arguments, checkpoint state, configuration, `get`, and errors."""

import warnings

import numpy as np
import pytest
from _optimizer_problem import data, gradients, initial_parameters, run_ours

from dlpath import optimizers
from dlpath.engine import Tensor
from dlpath.optimizers import optimizer as optimizer_module

ALL = [optimizers.SGD, optimizers.RMSprop, optimizers.Adagrad, optimizers.Adadelta,
       optimizers.Adam, optimizers.AdamW]


def variables():
    return [Tensor(a, requires_grad=True) for a in initial_parameters()]


def train(optimizer, params, steps):
    x, y = data()
    for _ in range(steps):
        optimizer.apply(gradients([p.data for p in params], x, y), params)


@pytest.fixture
def fresh_legacy_warnings(monkeypatch):
    monkeypatch.setattr(optimizer_module, "_LEGACY_WARNED", set())


# ---------------------------------------------------------------- applying updates
def test_apply_accepts_tensors_and_arrays_and_skips_none():
    w, b = Tensor(np.ones(3, np.float32)), Tensor(np.ones(2, np.float32))
    optimizer = optimizers.SGD(0.5)
    optimizer.apply([Tensor(np.ones(3)), None], [w, b])
    optimizer.apply([None, np.full(2, 2.0)], [w, b])
    np.testing.assert_allclose(w.data, 0.5)
    np.testing.assert_allclose(b.data, 0.0)
    assert w.data.dtype == np.float32
    assert optimizer.iterations == 2


def test_apply_gradients_and_step_match_apply():
    a, b, c = variables(), variables(), variables()
    x, y = data()
    opt_a, opt_b, opt_c = optimizers.Adam(0.01), optimizers.Adam(0.01), optimizers.Adam(0.01)
    for _ in range(5):
        opt_a.apply(gradients([p.data for p in a], x, y), a)
        opt_b.apply_gradients(zip(gradients([p.data for p in b], x, y), b))
        for p, g in zip(c, gradients([p.data for p in c], x, y)):
            p.grad = g
        opt_c.step(c)
        opt_c.zero_grad(c)
        assert all(p.grad is None for p in c)
    for pa, pb, pc in zip(a, b, c):
        np.testing.assert_array_equal(pa.data, pb.data)
        np.testing.assert_array_equal(pa.data, pc.data)


def test_apply_without_variables_uses_the_built_order():
    params = variables()
    optimizer = optimizers.SGD(0.1)
    optimizer.build(params)
    optimizer.apply([np.ones_like(p.data) for p in params])
    np.testing.assert_allclose(params[1].data, initial_parameters()[1] - 0.1, rtol=1e-6)


def test_apply_errors_name_the_problem():
    params = variables()
    optimizer = optimizers.SGD(0.1)
    with pytest.raises(ValueError, match="pass variables"):
        optimizer.apply([np.ones(3)])
    with pytest.raises(ValueError, match="all are None"):
        optimizer.apply([None] * 4, params)
    with pytest.raises(ValueError, match=r"shape \(2,\), expected .*\(8,\)"):
        optimizer.apply([None, np.ones(2), None, None], params)
    with pytest.raises(ValueError, match="2 gradients for 4 variables"):
        optimizer.apply([None, None], params)
    with pytest.raises(ValueError, match="unknown variable"):
        optimizer.apply([np.ones(3)], [Tensor(np.ones(3, np.float32))])
    with pytest.raises(TypeError, match="Tensor"):
        optimizers.SGD().apply([np.ones(3)], [np.ones(3)])


# ---------------------------------------------------------------- learning rate
def test_learning_rate_is_settable_like_reduce_lr_on_plateau_does():
    optimizer = optimizers.Adam(0.01)
    optimizer.learning_rate = optimizer.learning_rate * 0.1
    assert optimizer.learning_rate == pytest.approx(0.001)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizer.learning_rate = -1.0


def test_scheduled_learning_rate_follows_iterations_and_refuses_a_float():
    schedule = optimizers.schedules.StepDecay(0.1, step_size=2, gamma=0.5)
    optimizer = optimizers.SGD(schedule)
    params = variables()
    rates = []
    for _ in range(5):
        rates.append(optimizer.learning_rate)
        train(optimizer, params, 1)
    assert rates == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        optimizer.learning_rate = 0.1


def test_callable_learning_rate_with_or_without_the_step():
    assert optimizers.SGD(lambda: 0.3).learning_rate == pytest.approx(0.3)
    optimizer = optimizers.SGD(lambda step: 0.1 / (step + 1))
    train(optimizer, variables(), 3)
    assert optimizer.learning_rate == pytest.approx(0.1 / 4)


# ---------------------------------------------------------------- tf.keras 2 arguments
def test_legacy_lr_is_honoured_and_warned_once(fresh_legacy_warnings):
    with pytest.warns(UserWarning, match=r"Adam\(lr=\.\.\.\).*learning_rate="):
        optimizer = optimizers.Adam(lr=0.02)
    assert optimizer.learning_rate == pytest.approx(0.02)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert optimizers.SGD(lr=0.3).learning_rate == pytest.approx(0.3)


def test_legacy_lr_together_with_learning_rate_is_an_error():
    with pytest.raises(ValueError, match="both lr"):
        optimizers.Adam(learning_rate=0.001, lr=0.01)


def test_legacy_decay_is_inverse_time_decay_and_warned_once(fresh_legacy_warnings):
    with pytest.warns(UserWarning, match="decay=.*InverseTimeDecay"):
        legacy = optimizers.SGD(learning_rate=0.1, momentum=0.5, decay=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizers.Adam(decay=0.01)
    schedule = optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.05)
    expected = run_ours(optimizers.SGD(schedule, momentum=0.5), steps=20)
    for ours, theirs in zip(run_ours(legacy, steps=20), expected):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert legacy.learning_rate == pytest.approx(0.1)
    assert legacy.current_learning_rate == pytest.approx(0.1 / (1 + 0.05 * 20))


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="momentun"):
        optimizers.SGD(momentun=0.9)


# ---------------------------------------------------------------- state
@pytest.mark.parametrize("cls, kwargs", [
    (optimizers.SGD, {"momentum": 0.9, "nesterov": True}),
    (optimizers.RMSprop, {"momentum": 0.5, "centered": True}),
    (optimizers.Adagrad, {}),
    (optimizers.Adadelta, {"learning_rate": 1.0}),
    (optimizers.Adam, {"amsgrad": True}),
    (optimizers.AdamW, {}),
], ids=lambda v: getattr(v, "__name__", ""))
def test_state_round_trip_continues_identically(cls, kwargs):
    params = variables()
    optimizer = cls(**kwargs)
    train(optimizer, params, 10)
    state = optimizer.get_state()
    saved = [p.data.copy() for p in params]
    train(optimizer, params, 10)

    restored_params = [Tensor(a, requires_grad=True) for a in saved]
    restored = cls(**kwargs)
    restored.set_state(state, variables=restored_params)
    assert restored.iterations == 10
    train(restored, restored_params, 10)
    for a, b in zip(params, restored_params):
        np.testing.assert_array_equal(a.data, b.data)


def test_state_names_are_flat_and_prefixed():
    optimizer = optimizers.Adam(amsgrad=True)
    train(optimizer, variables(), 1)
    names = set(optimizer.get_state())
    assert {"iterations", "learning_rate", "adam/m/0", "adam/v/3", "adam/v_hat/2"} <= names
    assert len(names) == 2 + 3 * 4


def test_set_state_validates_names_and_shapes_before_changing_anything():
    params = variables()
    optimizer = optimizers.Adam()
    train(optimizer, params, 2)
    state = optimizer.get_state()
    bad_shape = dict(state, **{"adam/m/1": np.zeros(3)})
    with pytest.raises(ValueError, match=r"'adam/m/1' has shape \(3,\), expected \(8,\)"):
        optimizer.set_state(bad_shape)
    missing = {k: v for k, v in state.items() if k != "adam/v/0"}
    with pytest.raises(ValueError, match="missing.*adam/v/0"):
        optimizer.set_state(missing)
    with pytest.raises(ValueError, match="unexpected.*sgd/momentum/0"):
        optimizer.set_state(dict(state, **{"sgd/momentum/0": np.zeros((5, 8))}))
    with pytest.raises(ValueError, match="variables="):
        optimizers.Adam().set_state(state)
    np.testing.assert_array_equal(optimizer.get_state()["adam/m/1"], state["adam/m/1"])


# ---------------------------------------------------------------- weight decay
def test_exclude_from_weight_decay_by_variable_and_by_name():
    kernel, bias = Tensor(np.ones(3, np.float32)), Tensor(np.ones(3, np.float32))
    bias.name = "dense/bias"
    other = Tensor(np.ones(3, np.float32))
    optimizer = optimizers.SGD(0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_list=[other], var_names=["bias"])
    optimizer.apply([np.zeros(3)] * 3, [kernel, bias, other])
    np.testing.assert_allclose(kernel.data, 1 - 0.1 * 0.5)
    np.testing.assert_allclose(bias.data, 1.0)
    np.testing.assert_allclose(other.data, 1.0)
    with pytest.raises(ValueError, match="before"):
        optimizer.exclude_from_weight_decay(var_names=["kernel"])


# ---------------------------------------------------------------- configuration
@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    optimizer = cls(learning_rate=0.05, clipnorm=1.5)
    config = optimizer.get_config()
    rebuilt = cls.from_config(config)
    assert rebuilt.get_config() == config
    assert optimizers.deserialize(optimizers.serialize(optimizer)).get_config() == config


def test_config_with_schedule_and_keras_only_keys():
    schedule = optimizers.schedules.CosineDecay(0.1, 100)
    config = optimizers.Adam(schedule).get_config()
    assert config["learning_rate"]["class_name"] == "CosineDecay"
    keras_config = dict(config, use_ema=False, ema_momentum=0.99, jit_compile=True,
                        loss_scale_factor=None, gradient_accumulation_steps=None)
    rebuilt = optimizers.Adam.from_config(keras_config)
    assert rebuilt.learning_rate == pytest.approx(0.1)
    with pytest.raises(ValueError, match="use_ema"):
        optimizers.Adam.from_config(dict(config, use_ema=True))


def test_keras_defaults():
    assert optimizers.SGD().get_config()["learning_rate"] == 0.01
    adam = optimizers.Adam()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == (
        0.001, 0.9, 0.999, 1e-7, False)
    assert optimizers.AdamW().weight_decay == 0.004
    assert optimizers.Adagrad().initial_accumulator_value == 0.1
    assert optimizers.Adadelta().rho == 0.95
    assert optimizers.RMSprop().rho == 0.9


def test_get_resolves_names_dicts_and_instances():
    assert isinstance(optimizers.get("ADAM"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("adamw"), optimizers.AdamW)
    optimizer = optimizers.get({"class_name": "SGD", "config": {"momentum": 0.9}})
    assert optimizer.momentum == 0.9
    same = optimizers.Adagrad()
    assert optimizers.get(same) is same
    with pytest.raises(ValueError, match="'sgd', 'rmsprop'"):
        optimizers.get("lamb")
    with pytest.raises(TypeError):
        optimizers.get(3)


@pytest.mark.parametrize("make, match", [
    (lambda: optimizers.SGD(-0.1), "learning_rate"),
    (lambda: optimizers.SGD(momentum=1.5), "momentum"),
    (lambda: optimizers.Adam(beta_1=1.0), "beta_1"),
    (lambda: optimizers.Adam(epsilon=-1e-7), "epsilon"),
    (lambda: optimizers.RMSprop(rho=-0.1), "rho"),
    (lambda: optimizers.Adagrad(initial_accumulator_value=-1.0), "initial_accumulator"),
    (lambda: optimizers.AdamW(weight_decay=None), "weight_decay"),
    (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=1.0), "only one of"),
    (lambda: optimizers.SGD(clipnorm=0.0), "clipnorm"),
    (lambda: optimizers.SGD(float("nan")), "learning_rate"),
])
def test_bad_hyperparameters_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_non_number_learning_rate_is_a_type_error():
    with pytest.raises(TypeError, match="learning_rate"):
        optimizers.SGD("0.1")
