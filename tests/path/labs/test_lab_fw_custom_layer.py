"""The fw-custom-layer lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "fw-custom-layer"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_scaling_before_the_bias_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "        z = inputs @ self.kernel + self.bias          # (..., units)\n"
                   "        return self.activation(z * self.scale)",
                   "        return self.activation(inputs @ self.kernel * self.scale + self.bias)")
    assert_rejected(LAB, wrong, tmp_path, "act(x W * s + b)", "bias too")


def test_a_forgotten_activation_is_named(tmp_path):
    wrong = mutate(solution(LAB), "        return self.activation(z * self.scale)",
                   "        return z * self.scale")
    assert_rejected(LAB, wrong, tmp_path, "without the activation")


def test_computing_on_numpy_values_cuts_the_graph(tmp_path):
    wrong = mutate(solution(LAB), "        return self.activation(z * self.scale)",
                   "        return self.activation(\n"
                   "            z * Tensor(self.scale.data, dtype=self.scale.dtype))")
    wrong = "from dlpath import Tensor\n" + wrong
    assert_rejected(LAB, wrong, tmp_path, "gradient of scale is none")


def test_weights_made_in_call_are_named(tmp_path):
    source = mutate(solution(LAB), "    def build(self, input_shape):\n",
                    "    def make(self, input_shape):\n")
    wrong = mutate(source, "    def call(self, inputs):\n",
                   "    def call(self, inputs):\n        self.make(inputs.shape)\n")
    assert_rejected(LAB, wrong, tmp_path, "second time made new weights", "build")


def test_a_scale_initialised_at_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), '(self.units,), "ones")', '(self.units,), "zeros")')
    assert_rejected(LAB, wrong, tmp_path, "scale starts at zeros", "'ones'")


def test_a_config_without_the_base_config_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return {**super().get_config(), ", "return {")
    assert_rejected(LAB, wrong, tmp_path, "super().get_config()")


def test_a_config_holding_the_activation_function_is_not_json(tmp_path):
    wrong = mutate(solution(LAB), '"activation": keras.activations.serialize(self.activation)}',
                   '"activation": self.activation}')
    assert_rejected(LAB, wrong, tmp_path, "json", "keras.activations.serialize")
