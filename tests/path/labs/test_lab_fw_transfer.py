"""The fw-transfer lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "fw-transfer"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_a_base_left_trainable_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    base.trainable = False\n", "")
    assert_rejected(LAB, wrong, tmp_path, "still trainable", "base.trainable = false")


def test_freezing_the_whole_model_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    base.trainable = False\n", "")
    wrong = mutate(wrong, "    model.compile(", "    model.trainable = False\n    model.compile(")
    assert_rejected(LAB, wrong, tmp_path, "no trainable weights at all", "not the whole model")


def test_a_new_base_instead_of_the_pretrained_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    base.trainable = False\n",
                   "    base = keras.Sequential.from_config(base.get_config())\n"
                   "    base.trainable = False\n")
    assert_rejected(LAB, wrong, tmp_path, "not inside the model")


def test_unfreezing_for_training_changes_the_base_and_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return model.fit(x, y,",
                   "    model.layers[0].trainable = True\n    return model.fit(x, y,")
    assert_rejected(LAB, wrong, tmp_path, "changed weights of the frozen base", seeds=(0,))


def test_a_head_without_softmax_is_named(tmp_path):
    wrong = mutate(solution(LAB), 'keras.layers.Dense(num_classes, activation="softmax"),',
                   "keras.layers.Dense(num_classes),")
    assert_rejected(LAB, wrong, tmp_path, "not probabilities")


def test_an_untrained_head_is_named(tmp_path):
    wrong = mutate(solution(LAB), "epochs=30,", "epochs=0,")
    assert_rejected(LAB, wrong, tmp_path, "head's weights are unchanged", seeds=(0,))
