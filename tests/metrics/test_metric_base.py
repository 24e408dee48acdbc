"""Metric base class, Mean, Sum and MeanMetricWrapper: weighting, reset, state, errors."""

import numpy as np
import pytest

from dlpath import metrics as M
from dlpath.engine import Tensor


def test_mean_is_the_weighted_running_mean():
    m = M.Mean()
    m.update_state([1, 3, 5, 7])
    assert m.result() == 4.0
    m.reset_state()
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert m.result() == 2.0
    m.update_state(np.array([10.0]), sample_weight=np.array([2.0]))
    assert m.result() == pytest.approx((1 + 3 + 20) / 4)


def test_mean_of_batch_means_weighted_by_batch_size_as_the_training_loop_uses_it():
    m = M.Mean(name="loss")
    m.update_state(Tensor(np.float32(0.5)), sample_weight=32)
    m.update_state(np.float32(2.0), sample_weight=8)
    assert m.result() == pytest.approx((0.5 * 32 + 2.0 * 8) / 40)
    m.reset_state()
    m.update_state(3.0)
    m.update_state(5.0)
    assert m.result() == 4.0 and m.count.value == 2


def test_mean_reduces_extra_axes_to_one_value_per_sample():
    values = np.arange(12, dtype=np.float64).reshape(3, 4)
    m = M.Mean()
    m.update_state(values)
    assert m.result() == pytest.approx(values.mean()) and m.count.value == 3
    w = np.array([1.0, 0.0, 3.0])
    m.reset_state()
    m.update_state(values, sample_weight=w)
    per_sample = values.mean(axis=1)
    assert m.result() == pytest.approx((w * per_sample).sum() / w.sum())
    m.reset_state()
    m.update_state(values, sample_weight=w[:, None])
    assert m.result() == pytest.approx((w * per_sample).sum() / w.sum())


def test_sum_and_call_update_then_return_the_result():
    s = M.Sum()
    assert s([1, 2, 3], sample_weight=[1, 0, 1]) == 4.0
    assert s([1.5]) == 5.5
    assert M.Mean()([2.0, 4.0]) == 3.0


def test_result_before_any_update_is_zero_and_reset_starts_over():
    m = M.Mean()
    assert m.result() == 0.0
    m.update_state([1.0, 2.0])
    m.reset_states()  # tf.keras 2 spelling
    assert m.result() == 0.0 and m.total.value == 0 and m.count.value == 0


def test_mean_metric_wrapper_averages_a_function_of_arrays():
    def abs_error(y_true, y_pred):
        return np.abs(y_pred - y_true).mean(axis=-1)

    m = M.MeanMetricWrapper(abs_error)
    assert m.name == "abs_error"
    y_true = np.array([[0.0, 1.0], [2.0, 3.0]])
    y_pred = Tensor(np.array([[0.5, 1.0], [2.0, 1.0]]))
    m.update_state(y_true, y_pred, sample_weight=[1.0, 3.0])
    assert m.result() == pytest.approx((0.25 * 1 + 1.0 * 3) / 4)
    assert M.MeanMetricWrapper(abs_error, name="l1").name == "l1"


def test_mean_metric_wrapper_with_keyword_arguments_and_config():
    m = M.MeanMetricWrapper(M.binary_accuracy, threshold=0.7)
    m.update_state([1, 1, 0], [0.8, 0.6, 0.1])
    assert m.result() == pytest.approx(2 / 3)
    config = m.get_config()
    assert config == {"name": "binary_accuracy", "dtype": "float32", "fn": "binary_accuracy",
                      "threshold": 0.7}
    rebuilt = M.MeanMetricWrapper.from_config(config)
    rebuilt.update_state([1, 1, 0], [0.8, 0.6, 0.1])
    assert rebuilt.result() == m.result()


def test_custom_metric_with_add_variable_and_default_reset():
    class CountPositives(M.Metric):
        def __init__(self, name="count_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.positives = self.add_weight(name="positives", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.positives.assign_add(np.sum(np.asarray(y_pred) > 0.5))

        def result(self):
            return float(self.positives.numpy())

    m = CountPositives()
    m.update_state(None, [0.9, 0.1, 0.7])
    assert m.result() == 2.0 and [v.name for v in m.variables] == ["positives"]
    m.reset_state()
    assert m.result() == 0.0
    assert m.get_config() == {"name": "count_positives", "dtype": "float32"}


def test_errors_name_the_metric_and_the_shapes():
    with pytest.raises(ValueError, match=r"mean: sample_weight of shape \(3,\) cannot be "
                                         r"broadcast to the per-sample values of shape \(4,\)"):
        M.Mean().update_state([1, 2, 3, 4], sample_weight=[1, 1, 1])
    with pytest.raises(ValueError, match=r"metric 'my_acc': categorical_accuracy: y_true has "
                                         r"shape \(2, 3\) but y_pred has shape \(2, 4\)"):
        M.CategoricalAccuracy(name="my_acc").update_state(np.eye(3)[:2], np.ones((2, 4)))
    with pytest.raises(TypeError, match="fn must be callable"):
        M.MeanMetricWrapper(3)
    with pytest.raises(TypeError, match="name must be a string"):
        M.Mean(name=5)
