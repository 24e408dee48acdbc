"""Each attribution method against a case whose answer is known on paper.

Linear models (one Dense layer) have a constant gradient, their weight column; Grad-CAM is
checked on 1x1 convolutions with fixed weights, where the feature maps and their gradients
are products of the weights; occlusion on a model that looks at one patch only.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlpath import explain, keras
from dlpath.explain.gradcam import resize_maps


def _set(model, name: str, *weights) -> None:
    model.get_layer(name).set_weights([np.asarray(w, dtype=np.float32) for w in weights])


def linear_model(weights, bias=None, activation=None):
    """Dense(classes) on (features,) inputs with the given kernel (features, classes)."""
    weights = np.asarray(weights, dtype=np.float32)
    model = keras.Sequential([keras.Input(shape=(weights.shape[0],)),
                              keras.layers.Dense(weights.shape[1], activation=activation,
                                                 name="linear")])
    _set(model, "linear", weights, np.zeros(weights.shape[1]) if bias is None else bias)
    return model


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def kernel(rng):
    return rng.normal(size=(6, 3)).astype(np.float32)  # (features, classes)


@pytest.fixture
def inputs(rng):
    return rng.normal(size=(5, 6)).astype(np.float32)


# ---------------------------------------------------------------- saliency and SmoothGrad
@pytest.mark.parametrize("activation", [None, "softmax"])
def test_saliency_of_a_linear_model_is_the_weight_column_of_the_class(kernel, inputs,
                                                                      activation):
    model = linear_model(kernel, bias=[0.1, -0.2, 0.3], activation=activation)
    for target in range(3):
        maps = explain.saliency(model, inputs, targets=target)
        np.testing.assert_allclose(maps, np.tile(kernel[:, target], (5, 1)), atol=1e-6)
    # The final softmax is switched off only while the class scores are computed.
    probabilities = model.predict(inputs, verbose=0)
    expected = np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert expected == (activation == "softmax")


@pytest.mark.parametrize("head", [lambda: keras.layers.Activation("softmax"),
                                  lambda: keras.layers.Softmax()],
                         ids=["Activation", "Softmax"])
def test_a_softmax_layer_at_the_end_is_passed_through_too(kernel, inputs, head):
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3, name="linear"),
                              head()])
    _set(model, "linear", kernel, np.zeros(3))
    np.testing.assert_allclose(explain.class_scores(model, inputs).numpy(), inputs @ kernel,
                               atol=1e-5)
    np.testing.assert_allclose(explain.saliency(model, inputs, targets=0),
                               np.tile(kernel[:, 0], (5, 1)), atol=1e-6)
    np.testing.assert_allclose(model.predict(inputs, verbose=0).sum(axis=1), 1.0, atol=1e-5)


def test_saliency_times_input_and_per_sample_targets(kernel, inputs):
    model = linear_model(kernel)
    targets = np.array([0, 1, 2, 1, 0])
    maps = explain.saliency(model, inputs, targets=targets, times_input=True)
    np.testing.assert_allclose(maps, inputs * kernel[:, targets].T, atol=1e-6)


def test_saliency_default_target_is_the_predicted_class(kernel, inputs):
    model = linear_model(kernel)
    predicted = (inputs @ kernel).argmax(axis=1)
    np.testing.assert_allclose(explain.saliency(model, inputs),
                               kernel[:, predicted].T, atol=1e-6)


def test_a_single_sigmoid_unit_gives_classes_minus_z_and_z(rng):
    weights = rng.normal(size=(4, 1)).astype(np.float32)
    model = linear_model(weights, activation="sigmoid")
    x = rng.normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(explain.saliency(model, x, targets=1),
                               np.tile(weights[:, 0], (3, 1)), atol=1e-6)
    np.testing.assert_allclose(explain.saliency(model, x, targets=0),
                               np.tile(-weights[:, 0], (3, 1)), atol=1e-6)


def test_smoothgrad_of_a_linear_model_equals_its_weights(kernel, inputs):
    model = linear_model(kernel, activation="softmax")
    maps = explain.smoothgrad(model, inputs, targets=2, samples=8, noise_level=0.2)
    np.testing.assert_allclose(maps, np.tile(kernel[:, 2], (5, 1)), atol=1e-5)


def test_smoothgrad_averages_gradients_at_noisy_points_of_a_relu_model(rng):
    # f(x) = relu(x_0): the gradient is 1 where x_0 > 0, so SmoothGrad at x_0 = 0 is the
    # probability that the noise is positive, 1/2, and 0 for the other feature.
    model = keras.Sequential([keras.Input(shape=(2,)),
                              keras.layers.Dense(1, activation="relu", name="hidden"),
                              keras.layers.Dense(2, name="scores")])
    _set(model, "hidden", [[1.0], [0.0]], [0.0])
    _set(model, "scores", [[0.0, 1.0]], [0.0, 0.0])
    x = np.array([[0.0, 1.0]], dtype=np.float32)
    maps = explain.smoothgrad(model, x, targets=1, samples=2000, noise_level=0.5)
    assert maps[0, 0] == pytest.approx(0.5, abs=0.05)
    assert maps[0, 1] == 0.0


# ---------------------------------------------------------------- Integrated Gradients
def test_integrated_gradients_of_a_linear_model_is_input_minus_baseline_times_w(kernel,
                                                                              inputs):
    model = linear_model(kernel, bias=[1.0, 2.0, 3.0])
    baseline = np.full(6, 0.5, dtype=np.float32)
    result = explain.integrated_gradients(model, inputs, targets=1, baseline=baseline,
                                          steps=4)
    np.testing.assert_allclose(result.attributions, (inputs - baseline) * kernel[:, 1],
                               atol=1e-5)
    np.testing.assert_allclose(result.difference, (inputs - baseline) @ kernel[:, 1],
                               atol=1e-5)
    assert result.complete.all() and (result.steps == 4).all()


def small_cnn():
    model = keras.Sequential([
        keras.Input(shape=(6, 6, 1)),
        keras.layers.Conv2D(3, 3, activation="relu", name="conv"),
        keras.layers.Flatten(),
        keras.layers.Dense(4, activation="tanh", name="hidden"),
        keras.layers.Dense(3, activation="softmax", name="scores")])
    rng = np.random.default_rng(1)
    for layer in ("conv", "hidden", "scores"):
        weights = model.get_layer(layer).get_weights()
        _set(model, layer, *[rng.normal(0, 0.6, w.shape) for w in weights])
    return model


def test_integrated_gradients_on_a_cnn_sum_to_the_score_difference(rng):
    model = small_cnn()
    x = rng.uniform(size=(4, 6, 6, 1)).astype(np.float32)
    result = explain.integrated_gradients(model, x, steps=8, max_steps=512)
    # F(x) - F(baseline) from the model itself, not from the result.
    scores = explain.class_scores(model, x).numpy()
    black = explain.class_scores(model, np.zeros_like(x)).numpy()
    rows = np.arange(len(x))
    difference = scores[rows, result.targets] - black[rows, result.targets]
    assert np.abs(difference).min() > 1e-3  # a check on differences that are not ~0
    totals = result.attributions.reshape(len(x), -1).sum(axis=1)
    np.testing.assert_array_less(np.abs(totals - difference), 0.01 * np.abs(difference))
    assert result.complete.all()
    assert (result.steps > 8).any()  # 8 steps were not enough: the steps doubled
    assert "for 4 of 4 samples" in result.summary()


def test_integrated_gradients_reports_incompleteness_when_steps_run_out(rng):
    model = small_cnn()
    x = rng.uniform(size=(4, 6, 6, 1)).astype(np.float32)
    result = explain.integrated_gradients(model, x, steps=1, max_steps=1, tolerance=1e-6)
    assert not result.complete.all()
    assert (result.relative_error[~result.complete] > 1e-6).all()


# ---------------------------------------------------------------- Grad-CAM
def two_conv_model(rng):
    """x (4, 4, 1) -> A1 = x w1 (4, 4, 2) -> A2 = relu(A1 W2) (4, 4, 3) -> y = flat(A2) V.

    (Without the ReLU both layers would give the same map: a linear 1x1 convolution
    carries the weights alpha_k through unchanged.)"""
    model = keras.Sequential([
        keras.Input(shape=(4, 4, 1)),
        keras.layers.Conv2D(2, 1, use_bias=False, name="first"),
        keras.layers.Conv2D(3, 1, use_bias=False, activation="relu", name="second"),
        keras.layers.Flatten(),
        keras.layers.Dense(2, name="scores")])
    w1 = np.array([1.0, -2.0])
    w2 = rng.normal(size=(2, 3))
    v = rng.normal(size=(48, 2))
    _set(model, "first", w1.reshape(1, 1, 1, 2))
    _set(model, "second", w2.reshape(1, 1, 2, 3))
    _set(model, "scores", v, [0.0, 0.0])
    return model, w1, w2, v


def paper_gradcam(features, grads):
    """ReLU(sum_k mean_ij(dy/dA^k) A^k) for one sample's (u, v, K) maps."""
    return np.maximum((features * grads.mean(axis=(0, 1))).sum(axis=-1), 0.0)


def test_gradcam_equals_the_paper_formula_on_hand_set_weights(rng):
    model, w1, w2, v = two_conv_model(rng)
    x = rng.normal(size=(3, 4, 4, 1)).astype(np.float32)
    first = x * w1  # (N, 4, 4, 2)
    second = np.maximum(first @ w2, 0.0)  # (N, 4, 4, 3)
    for target in (0, 1):
        d_second = v[:, target].reshape(4, 4, 3)  # dy/dA2: the same for every sample
        d_first = (d_second * (first @ w2 > 0)) @ w2.T  # dy/dA1 (N, 4, 4, 2)
        default = explain.gradcam(model, x, targets=target, resize=False)
        chosen = explain.gradcam(model, x, targets=target, layer="first", resize=False)
        for n in range(len(x)):
            np.testing.assert_allclose(default[n], paper_gradcam(second[n], d_second),
                                       atol=1e-5)
            np.testing.assert_allclose(chosen[n], paper_gradcam(first[n], d_first[n]),
                                       atol=1e-5)
        assert default.max() > 0 and chosen.max() > 0
        assert not np.allclose(default, chosen)  # the layer argument changes the answer


def test_gradcam_takes_a_layer_object_and_defaults_to_the_last_convolution(rng):
    model, _, _, _ = two_conv_model(rng)
    x = rng.normal(size=(2, 4, 4, 1)).astype(np.float32)
    assert explain.last_conv_layer(model).name == "second"
    np.testing.assert_array_equal(
        explain.gradcam(model, x, targets=0, layer=model.get_layer("first")),
        explain.gradcam(model, x, targets=0, layer="first"))


def test_gradcam_resizes_a_coarse_map_to_the_input():
    maps = np.arange(4, dtype=np.float32).reshape(1, 2, 2)
    resized = resize_maps(maps, (4, 4))
    assert resized.shape == (1, 4, 4)
    # Corners keep the coarse values, values stay between them, and the map of
    # [[0, 1], [2, 3]] keeps its point symmetry: m[i, j] + m[3 - i, 3 - j] = 3.
    assert resized[0, 0, 0] == 0.0 and resized[0, -1, -1] == 3.0
    assert resized.min() >= 0.0 and resized.max() <= 3.0
    np.testing.assert_allclose(resized[0] + resized[0, ::-1, ::-1], 3.0, atol=1e-6)
    np.testing.assert_allclose(resized[0, 1:3, 1:3].mean(), maps.mean(), atol=1e-6)


def test_gradcam_map_of_a_strided_convolution_has_the_input_size(rng):
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)),
                              keras.layers.Conv2D(2, 2, strides=2, name="coarse"),
                              keras.layers.Flatten(), keras.layers.Dense(3)])
    x = rng.normal(size=(2, 8, 8, 1)).astype(np.float32)
    assert explain.gradcam(model, x, resize=False).shape == (2, 4, 4)
    maps = explain.gradcam(model, x)
    assert maps.shape == (2, 8, 8) and (maps >= 0).all()


def test_gradcam_unknown_layer_names_it_and_lists_the_layers(rng):
    model, _, _, _ = two_conv_model(rng)
    x = rng.normal(size=(1, 4, 4, 1)).astype(np.float32)
    with pytest.raises(explain.ExplainError, match="no layer named 'conv9'") as error:
        explain.gradcam(model, x, layer="conv9")
    assert "first, second" in str(error.value)


def test_gradcam_on_a_layer_without_a_spatial_map_says_so(rng):
    model, _, _, _ = two_conv_model(rng)
    x = rng.normal(size=(1, 4, 4, 1)).astype(np.float32)
    with pytest.raises(explain.ExplainError, match="layer 'scores' has output shape"):
        explain.gradcam(model, x, layer="scores")


def test_gradcam_without_a_convolution_says_which_argument_to_give(kernel, inputs):
    model = keras.Sequential([keras.Input(shape=(4, 4, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    with pytest.raises(explain.ExplainError, match="no 2-D convolution layer.*layer="):
        explain.gradcam(model, np.zeros((1, 4, 4, 1), np.float32))
    with pytest.raises(explain.ExplainError, match=r"expected images \(N, H, W, C\)"):
        explain.gradcam(linear_model(kernel), inputs, layer="linear")


# ---------------------------------------------------------------- occlusion
def one_patch_model():
    """Class 1's score is 3 * (sum of the 2x2 pixels at rows 2-3, columns 0-1)."""
    weights = np.zeros((4, 4, 2), dtype=np.float32)
    weights[2:, :2, 1] = 3.0
    model = keras.Sequential([keras.Input(shape=(4, 4)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax", name="scores")])
    _set(model, "scores", weights.reshape(16, 2), [0.0, 0.0])
    return model


def test_occlusion_marks_only_the_patch_the_model_looks_at():
    x = np.ones((1, 4, 4), dtype=np.float32)
    drops = explain.occlusion(one_patch_model(), x, targets=1, patch=2, stride=2)
    assert drops.shape == (1, 4, 4)
    # P(1 | x) = sigmoid(12); covered, the scores tie and P = 1/2.
    expected = np.zeros((4, 4))
    expected[2:, :2] = 1.0 / (1.0 + np.exp(-12.0)) - 0.5
    np.testing.assert_allclose(drops[0], expected, atol=1e-5)


def test_occlusion_with_overlapping_windows_averages_the_drops():
    x = np.ones((1, 4, 4), dtype=np.float32)
    drops = explain.occlusion(one_patch_model(), x, targets=1, patch=2, stride=1)[0]
    assert drops[2:, :2].min() > 0  # every pixel of the patch matters
    assert drops[0, 3] == pytest.approx(0.0, abs=1e-6)  # no window there touches it
    assert drops[3, 0] == drops.max()  # the corner is covered only by the window on it


# ---------------------------------------------------------------- attention maps
def test_attention_maps_of_a_small_transformer_are_row_stochastic(rng):
    ids_in = keras.Input(shape=(6,), dtype="int32")
    hidden = keras.layers.TokenAndPositionEmbedding(6, 20, 8)(ids_in)
    hidden = keras.layers.TransformerEncoder(8, num_heads=2, ff_dim=8, name="block")(hidden)
    hidden = keras.layers.MultiHeadAttention(num_heads=3, key_dim=4, name="top")(hidden,
                                                                                  hidden)
    pooled = keras.layers.GlobalAveragePooling1D()(hidden)
    model = keras.Model(ids_in, keras.layers.Dense(2, activation="softmax")(pooled))
    ids = rng.integers(1, 20, size=(3, 6))
    maps = explain.attention_maps(model, ids, batch_size=2)  # two batches, concatenated
    assert list(maps) == ["block/attention", "top"]
    assert maps["block/attention"].shape == (3, 2, 6, 6)
    assert maps["top"].shape == (3, 3, 6, 6)
    for values in maps.values():
        assert (values >= 0).all()
        np.testing.assert_allclose(values.sum(axis=-1), 1.0, atol=1e-5)
    received = explain.token_attention(maps)
    assert received.shape == (3, 6)
    np.testing.assert_allclose(received.sum(axis=1), 1.0, atol=1e-5)
    # The hooks are gone afterwards: the model runs as before.
    assert model.predict(ids, verbose=0).shape == (3, 2)


def test_attention_maps_of_a_model_without_attention_is_an_error(kernel, inputs):
    with pytest.raises(explain.ExplainError, match="no MultiHeadAttention"):
        explain.attention_maps(linear_model(kernel), inputs)


# ---------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("method", [explain.saliency, explain.smoothgrad,
                                    explain.integrated_gradients, explain.occlusion])
def test_a_class_index_out_of_range_names_the_valid_range(kernel, method):
    model = one_patch_model()
    x = np.ones((2, 4, 4), dtype=np.float32)
    for bad in (2, -1):
        with pytest.raises(explain.ExplainError, match=r"class ids must be in 0\.\.1"):
            method(model, x, targets=bad)


def test_gradcam_class_index_out_of_range(rng):
    model, _, _, _ = two_conv_model(rng)
    with pytest.raises(explain.ExplainError, match=r"class ids must be in 0\.\.1, got \[5\]"):
        explain.gradcam(model, np.zeros((1, 4, 4, 1), np.float32), targets=5)


def test_wrong_number_of_targets(kernel, inputs):
    with pytest.raises(explain.ExplainError, match="one class id or 5"):
        explain.saliency(linear_model(kernel), inputs, targets=[0, 1])


def test_inputs_of_the_wrong_shape_name_the_layer_and_both_shapes(kernel, inputs):
    model = linear_model(kernel)
    with pytest.raises(ValueError, match=r"'linear'.*size 6.*\(5, 4\)"):
        explain.saliency(model, inputs[:, :4])
    with pytest.raises(explain.ExplainError, match=r"batch of inputs.*\(6,\)"):
        explain.integrated_gradients(model, inputs[0])
    with pytest.raises(explain.ExplainError, match=r"images \(N, H, W\[, C\]\)"):
        explain.occlusion(model, inputs)
    with pytest.raises(explain.ExplainError, match="numeric inputs"):
        explain.saliency(model, np.array([["a"] * 6]))


def test_bad_method_settings(kernel, inputs, rng):
    model = linear_model(kernel)
    with pytest.raises(explain.ExplainError, match="samples must be at least 1"):
        explain.smoothgrad(model, inputs, samples=0)
    with pytest.raises(explain.ExplainError, match="noise_level"):
        explain.smoothgrad(model, inputs, noise_level=2.0)
    with pytest.raises(explain.ExplainError, match="steps <= max_steps"):
        explain.integrated_gradients(model, inputs, steps=64, max_steps=8)
    with pytest.raises(explain.ExplainError, match=r"baseline of shape \(3,\)"):
        explain.integrated_gradients(model, inputs, baseline=np.zeros(3))
    with pytest.raises(explain.ExplainError, match="patch <= 4"):
        explain.occlusion(one_patch_model(), np.ones((1, 4, 4), np.float32), patch=5)


# ---------------------------------------------------------------- word attributions
def test_word_attributions_of_a_linear_text_model_are_computable_on_paper(rng):
    ids_in = keras.Input(shape=(5,), dtype="int32")
    embedding = keras.layers.Embedding(10, 3, name="words")
    pooled = keras.layers.GlobalAveragePooling1D()(embedding(ids_in))
    model = keras.Model(ids_in, keras.layers.Dense(2, name="scores")(pooled))
    table = model.get_layer("words").get_weights()[0]  # (10, 3)
    w = model.get_layer("scores").get_weights()[0]  # (3, 2)
    ids = np.array([[0, 0, 4, 7, 1], [3, 3, 9, 2, 8]])
    scores, result = explain.token_attributions(model, ids, targets=1, steps=2)
    # F = mean_t E_t . w_1: IG of token t is (E_t - E_pad) . w_1 / T, exactly.
    expected = (table[ids] - table[0]) @ w[:, 1] / 5
    np.testing.assert_allclose(scores, expected, atol=1e-6)
    assert (scores[0, :2] == 0).all()  # padding is the baseline: no attribution
    zero_based, _ = explain.token_attributions(model, ids, targets=1, steps=2,
                                               baseline="zeros")
    np.testing.assert_allclose(zero_based, table[ids] @ w[:, 1] / 5, atol=1e-6)


def test_word_attributions_of_a_transformer_are_complete(rng):
    ids_in = keras.Input(shape=(8,), dtype="int32")
    hidden = keras.layers.TokenAndPositionEmbedding(8, 30, 8)(ids_in)
    hidden = keras.layers.TransformerEncoder(8, num_heads=2, ff_dim=8)(hidden)
    pooled = keras.layers.GlobalAveragePooling1D()(hidden)
    model = keras.Model(ids_in, keras.layers.Dense(2, activation="softmax")(pooled))
    ids = np.concatenate([np.zeros((3, 3), int), rng.integers(1, 30, (3, 5))], axis=1)
    scores, result = explain.token_attributions(model, ids)
    assert result.complete.all(), result.summary()
    np.testing.assert_allclose(scores.sum(axis=1), result.difference,
                               atol=1e-6 + 0.01 * np.abs(result.difference).max())
    assert (scores[:, :3] == 0).all()
    # From E' = 0 the path crosses layer normalization's singular point: not complete.
    _, from_zero = explain.token_attributions(model, ids, baseline="zeros", max_steps=32)
    assert not from_zero.complete.all()


def test_word_attributions_bad_arguments():
    ids_in = keras.Input(shape=(4,), dtype="int32")
    pooled = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(5, 2)(ids_in))
    model = keras.Model(ids_in, keras.layers.Dense(2)(pooled))
    with pytest.raises(explain.ExplainError, match="token ids"):
        explain.token_attributions(model, np.zeros((2, 4), np.float32))
    with pytest.raises(explain.ExplainError, match="'padding' or 'zeros', got 'mean'"):
        explain.token_attributions(model, np.zeros((2, 4), int), baseline="mean")
    dense = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
    with pytest.raises(explain.ExplainError, match="no Embedding layer"):
        explain.token_attributions(dense, np.zeros((2, 4), int))
