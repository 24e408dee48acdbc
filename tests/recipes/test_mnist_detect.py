"""mnist-detect: the scene composer, a tiny run that learns to find digits, its report."""

import json

import numpy as np
import pytest

from dlpath import cli
from dlpath.datasets import mnist
from dlpath.detection import box_iou, decode, encode_all
from dlpath.recipes import mnist_detect
from dlpath.recipes._digit_scenes import SceneStyle, compose_scenes
from dlpath.saving import load_model
from dlpath.workflow.run import train

STYLE = SceneStyle()


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    return x_train[:2000], y_train[:2000], x_test, y_test


def test_scenes_are_the_same_for_a_seed_and_differ_across_seeds(digits):
    x, y, _, _ = digits
    first = compose_scenes(x, y, 12, seed=5)
    again = compose_scenes(x, y, 12, seed=5)
    other = compose_scenes(x, y, 12, seed=6)
    np.testing.assert_array_equal(first[0], again[0])
    for part in range(1, 4):  # boxes, classes, sources of each scene
        for a, b in zip(first[part], again[part]):
            np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_boxes_lie_inside_the_image_tight_around_the_ink(digits):
    x, y, _, _ = digits
    scenes, boxes, classes, sources = compose_scenes(x, y, 150, seed=1)
    assert scenes.shape == (150, 96, 96) and scenes.dtype == np.uint8
    counts = [len(b) for b in boxes]
    assert min(counts) == STYLE.min_digits and max(counts) == STYLE.max_digits
    for scene, scene_boxes, scene_classes, scene_sources in zip(scenes, boxes, classes,
                                                                sources):
        np.testing.assert_array_equal(scene_classes, y[scene_sources])
        assert scene_boxes.min() >= 0 and scene_boxes.max() <= STYLE.size
        sides = scene_boxes[:, 2:] - scene_boxes[:, :2]
        # The longer side is drawn in min_size..max_size; removing the halo may trim a pixel.
        assert sides.max(axis=1).max() <= STYLE.max_size
        assert sides.max(axis=1).min() >= STYLE.min_size - 2
        ink = np.zeros(scene.shape, dtype=bool)
        for x1, y1, x2, y2 in scene_boxes.astype(int):
            patch = scene[y1:y2, x1:x2]
            # Tight: ink on each of the four edges of the box.
            assert patch[0].max() > 0 and patch[-1].max() > 0
            assert patch[:, 0].max() > 0 and patch[:, -1].max() > 0
            ink[y1:y2, x1:x2] = True
        assert scene[~ink].max(initial=0) == 0  # no ink outside the boxes
        overlap = box_iou(scene_boxes, scene_boxes) - np.eye(len(scene_boxes))
        assert overlap.max(initial=0) < 0.25  # a little overlap, never hiding a digit


def test_scenes_use_only_the_digits_they_are_given(digits):
    x, y, _, _ = digits
    low = y < 5
    _, _, classes, sources = compose_scenes(x[low], y[low], 60, seed=2)
    assert set(np.concatenate(classes)) <= {0, 1, 2, 3, 4}
    assert np.concatenate(sources).max() < low.sum()
    blank, _, _, _ = compose_scenes(np.zeros((5, 28, 28), np.uint8), np.arange(5), 10, seed=2)
    assert blank.max() == 0


def test_the_recipe_composes_test_scenes_from_the_test_digits_only(digits):
    train_ids, validation_ids, test_ids = mnist_detect.digit_sets(seed=0, indices=True)
    assert len(np.intersect1d(train_ids, validation_ids)) == 0
    assert len(train_ids) + len(validation_ids) == 60000 and len(test_ids) == 10000
    _, _, x_test, y_test = digits
    recipe = mnist_detect.MnistDetect()
    config = recipe.make_config({"train_limit": 4, "eval_limit": 6})
    data = recipe.load_data(config)
    scenes, boxes, classes, _ = compose_scenes(x_test, y_test, 6, seed=2, style=STYLE)
    test_x, test_y, truths = data.test
    np.testing.assert_array_equal(test_x[..., 0], scenes)
    np.testing.assert_array_equal(test_y, encode_all(boxes, classes, mnist_detect.GRID))
    for (true_boxes, true_classes), b, c in zip(truths, boxes, classes):
        np.testing.assert_array_equal(true_boxes, b)
        np.testing.assert_array_equal(true_classes, c)
    assert data.train[0].shape == (4, 96, 96, 1) and data.train[1].shape == (4, 12, 12, 6)


def test_scene_style_and_compose_scenes_reject_bad_settings(digits):
    with pytest.raises(ValueError, match="min_digits"):
        SceneStyle(min_digits=4, max_digits=2).check()
    with pytest.raises(ValueError, match="max_size"):
        SceneStyle(max_size=120).check()
    with pytest.raises(ValueError, match=r"expected digit images \(M, 28, 28\)"):
        compose_scenes(np.zeros((3, 32, 32)), np.zeros(3), 2, seed=0)


def test_describe_reads_the_detections_of_a_scene():
    grid = mnist_detect.GRID
    outputs = np.full((1, 12, 12, 15), -20.0)
    outputs[0, 3, 4, :5] = [20.0, 0.0, 0.0, 0.0, 0.0]   # centre (36, 28), 32 x 32
    outputs[0, 3, 4, 5 + 6] = 20.0                        # class 6
    assert decode(outputs, grid)[0][2].tolist() == [6]
    text, = mnist_detect.MnistDetect().read_outputs(outputs)
    assert text == "6 (1.00) at [20, 12, 52, 44]"
    assert mnist_detect.describe((np.zeros((0, 4)), np.zeros(0), np.zeros(0))) == (
        "(no digit found)")


# -- a tiny run ------------------------------------------------------------------------

TINY = {"train_limit": 192, "eval_limit": 32, "epochs": 3, "filters": 16,
        "batch_size": 16, "learning_rate": 3e-3}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    parent = tmp_path_factory.mktemp("runs")
    return train("mnist-detect", TINY, parent=parent, verbose=0, log=lambda *args: None)


def test_a_tiny_run_lowers_its_loss_and_finds_digits(tiny_run, digits):
    rows = json.loads(tiny_run.metrics_json.read_text())
    assert len(rows) == 3 and rows[2]["loss"] < 0.7 * rows[0]["loss"]
    assert "val_loss" in rows[0]
    extra = json.loads((tiny_run.path / "extra_metrics.json").read_text())
    assert 0 <= extra["map_50_95"] <= extra["map_50"] <= 1
    # The saved model comes back with its loss (a registered function) and finds digits:
    # objectness ranks the cells that hold a digit's centre above the empty ones, and the
    # k best boxes of a scene with k digits cover a fair share of them (any class).
    model = load_model(tiny_run.model)
    _, _, x_test, y_test = digits
    scenes, boxes, classes, _ = compose_scenes(x_test, y_test, 32, seed=7, style=STYLE)
    outputs = model.predict(scenes[..., None], verbose=0)
    targets = encode_all(boxes, classes, mnist_detect.GRID)
    assert np.isfinite(model.evaluate(scenes[..., None], targets, verbose=0))
    present = targets[..., 0] > 0
    positives, negatives = outputs[..., 0][present], outputs[..., 0][~present]
    ranking = (positives[:, None] > negatives[None, :]).mean()
    assert ranking > 0.75
    hits = 0
    for (found, _, _), true_boxes in zip(decode(outputs, mnist_detect.GRID, 0.0), boxes):
        hits += int((box_iou(true_boxes, found[:len(true_boxes)]).max(axis=1) >= 0.5).sum())
    assert hits / sum(len(b) for b in boxes) > 0.12


def test_the_report_shows_scenes_with_their_boxes(tiny_run):
    samples = sorted((tiny_run.path / "samples").glob("epoch_*.png"))
    assert [p.name for p in samples] == ["epoch_001.png", "epoch_002.png", "epoch_003.png"]
    from PIL import Image

    with Image.open(samples[-1]) as image:
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert image.width > 600 and image.height > 250
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    assert ((green > 200) & (red < 100) & (blue < 100)).sum() > 500  # lime: true boxes
    report = tiny_run.report.read_text()
    assert "map_50" in report and "epoch_003" in report


def test_dlpath_predict_prints_the_digits_found_in_a_scene(tiny_run, digits, tmp_path,
                                                            capsys):
    from PIL import Image

    # Make the model see no object anywhere: every objectness logit is -20.
    model = load_model(tiny_run.model)
    kernel, bias = model.layers[-1].get_weights()
    model.layers[-1].set_weights([np.zeros_like(kernel), np.full_like(bias, -20.0)])
    model.save(tiny_run.model)
    _, _, x_test, y_test = digits
    scene = compose_scenes(x_test, y_test, 1, seed=0)[0][0]
    path = tmp_path / "scene.png"
    Image.fromarray(scene).save(path)
    assert cli.main(["predict", str(tiny_run.path), str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == [str(path), "(no", "digit",
                                                                 "found)"]
