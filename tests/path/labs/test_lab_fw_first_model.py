"""The fw-first-model lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "fw-first-model"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_a_hidden_layer_without_activation_is_named(tmp_path):
    wrong = mutate(solution(LAB), 'keras.layers.Dense(32, activation="relu"),',
                   "keras.layers.Dense(32),")
    assert_rejected(LAB, wrong, tmp_path, "no activation", "linear")


def test_an_output_without_softmax_is_named(tmp_path):
    wrong = mutate(solution(LAB), 'keras.layers.Dense(10, activation="softmax"),',
                   "keras.layers.Dense(10),")
    assert_rejected(LAB, wrong, tmp_path, "not probabilities", "softmax")


def test_a_wider_hidden_layer_is_caught_by_the_parameter_count(tmp_path):
    wrong = mutate(solution(LAB), 'keras.layers.Dense(32, activation="relu"),',
                   'keras.layers.Dense(64, activation="relu"),')
    assert_rejected(LAB, wrong, tmp_path, "4810 parameters", "2410")


def test_a_missing_compile_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    model.compile(optimizer=", "    dict(optimizer=")
    assert_rejected(LAB, wrong, tmp_path, "not compiled", seeds=(0,))


def test_logits_loss_on_probabilities_is_named(tmp_path):
    wrong = mutate(solution(LAB), 'loss="sparse_categorical_crossentropy"',
                   "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
    assert_rejected(LAB, wrong, tmp_path, "cross-entropy of the model's own outputs",
                    "from_logits", seeds=(0,))


def test_training_a_new_model_instead_of_the_given_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return model.fit(x, y,", "return build_model().fit(x, y,")
    assert_rejected(LAB, wrong, tmp_path, "weights are unchanged", seeds=(0,))


def test_one_epoch_is_below_the_bar_and_says_so(tmp_path):
    wrong = mutate(solution(LAB), "epochs=40,", "epochs=1,")
    assert_rejected(LAB, wrong, tmp_path, "after 1 epochs", "below 95%", "more epochs",
                    seeds=(0,))
