"""``dlpath explain RUN INPUT...`` end to end: a digits-mlp run trained for one epoch, a
small mnist-cnn run folder for Grad-CAM, and the HTML page in headless Chromium (Debian's
``chromium`` and ``chromedriver`` with Selenium)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from headless_chromium import chromium

from dlpath import cli
from dlpath import random as dlrandom
from dlpath.commands.explain import _method
from dlpath.datasets import digits
from dlpath.explain import ExplainError
from dlpath.layers.layer import reset_names
from dlpath.recipes import get_recipe
from dlpath.saving import load_model
from dlpath.workflow import RunFolder, files

METHODS = ("saliency", "smoothgrad", "ig", "occlusion")  # no Grad-CAM for an MLP
SCREENSHOT = "/tmp/explain_page.png"


@pytest.fixture(scope="module")
def run(digits_run) -> RunFolder:
    return digits_run


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A single digit (8, 8) and a batch of two (2, 8, 8), raw pixels 0..16."""
    folder = tmp_path_factory.mktemp("inputs")
    (x, y), _ = digits.load_data(seed=0)
    np.save(folder / "seven.npy", x[y == 7][0])
    np.save(folder / "pair.npy", x[:2])
    return [folder / "seven.npy", folder / "pair.npy"]


@pytest.fixture(scope="module")
def explained(run, inputs):
    """``dlpath explain RUN seven.npy pair.npy`` with every method and both tests."""
    assert cli.main(["explain", str(run.path), *map(str, inputs)]) == 0
    return run.path / "explain"


def test_overlays_are_named_after_the_inputs_and_methods(explained):
    stems = ("seven", "pair_0", "pair_1")
    expected = {f"{stem}_{method}.png" for stem in stems for method in METHODS}
    assert {p.name for p in explained.glob("*.png")} == expected
    for name in expected:
        png = (explained / name).read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_the_page_has_every_method_and_the_sanity_verdicts(explained):
    page = (explained / "explain.html").read_text(encoding="utf-8")
    for heading in ("Inputs and predictions", "Saliency (gradient)", "SmoothGrad",
                    "Integrated Gradients", "Occlusion",
                    "Sanity checks (Adebayo et al. 2018)"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("<img ") == 3 * (1 + len(METHODS))
    assert "Grad-CAM skipped" in page and "no 2-D convolution" in page
    assert "completeness within 1%" in page
    assert "Label randomization: 1 epoch(s) on 512 samples" in page
    # Only the control fails: its row carries the mark, the real methods pass.
    assert page.count("<b>FAILED</b>") == 1
    row = page[page.index("Edge detector (ignores the model)"):]
    assert row.index("FAILED") < row.index("</tr>")
    assert page.count("<td class=\"name\">passed</td>") == len(METHODS)


def test_one_method_into_another_folder_without_the_label_test(run, inputs, tmp_path,
                                                                capsys):
    out = tmp_path / "maps"
    assert cli.main(["explain", str(run.path), str(inputs[0]), "--method", "saliency",
                     "--out", str(out), "--no-label-test"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["explain.html", "seven_saliency.png"]
    page = (out / "explain.html").read_text(encoding="utf-8")
    assert "Label randomization" not in page and "<h2>SmoothGrad</h2>" not in page
    assert str(out / "explain.html") in capsys.readouterr().out


def test_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path, inputs, capsys):
    assert cli.main(["explain", str(tmp_path), str(inputs[0])]) != 0
    assert "is not a run folder (no config.json)" in capsys.readouterr().err
    assert cli.main(["explain", str(tmp_path / "nowhere"), str(inputs[0])]) != 0
    assert "no run '" in capsys.readouterr().err


def test_a_run_without_a_model_is_a_clear_error(run, inputs, tmp_path, capsys):
    empty = tmp_path / "unfinished"
    empty.mkdir()
    shutil.copy(run.config, empty / "config.json")
    assert cli.main(["explain", str(empty), str(inputs[0])]) != 0
    assert "has no model.keras and no checkpoint" in capsys.readouterr().err


def test_missing_and_misshapen_inputs_are_clear_errors(run, tmp_path, capsys):
    assert cli.main(["explain", str(run.path), str(tmp_path / "absent.png")]) != 0
    assert f"no such input file: {tmp_path / 'absent.png'}" in capsys.readouterr().err
    np.save(tmp_path / "wide.npy", np.zeros((8, 9)))
    assert cli.main(["explain", str(run.path), str(tmp_path / "wide.npy")]) != 0
    assert "expected an array of shape (8, 8)" in capsys.readouterr().err
    assert not (run.path / "explain" / "absent_saliency.png").exists()


def test_an_unknown_method_is_refused(run, inputs, capsys):
    assert cli.main(["explain", str(run.path), str(inputs[0]), "--method", "lime"]) == 2
    assert "invalid choice: 'lime'" in capsys.readouterr().err
    with pytest.raises(ExplainError, match="unknown method 'lime'; the methods: saliency"):
        _method("lime", None)


def test_gradcam_alone_on_a_model_without_convolutions_is_refused(run, inputs, tmp_path,
                                                                   capsys):
    assert cli.main(["explain", str(run.path), str(inputs[0]), "--method", "gradcam",
                     "--no-label-test", "--out", str(tmp_path)]) == 2
    assert "has no 2-D convolution layer; give --layer" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.png"))


def test_the_real_command_exits_nonzero_with_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dlpath", "explain",
                             str(tmp_path / "no-run"), "x.npy"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("dlpath explain: error: no run '")
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- Grad-CAM on a CNN run
@pytest.fixture(scope="module")
def cnn_run(tmp_path_factory) -> RunFolder:
    """An untrained mnist-cnn run folder (config.json and model.keras, as training leaves)."""
    recipe = get_recipe("mnist-cnn")
    config = recipe.make_config({})
    reset_names()
    folder = RunFolder.create(tmp_path_factory.mktemp("cnn"), recipe.name)
    files.write_json(folder.config, {"recipe": recipe.name,
                                     "config": dataclasses.asdict(config),
                                     "data": {"kind": "image",
                                              "class_names": [str(i) for i in range(10)]}})
    recipe.build_model(config, None).save(folder.model)
    return folder


@pytest.fixture(scope="module")
def digit_png(tmp_path_factory):
    from matplotlib.image import imsave

    path = tmp_path_factory.mktemp("png") / "drawn three.png"
    image = np.zeros((28, 28))
    image[6:22, 10:18] = 1.0
    imsave(path, image, cmap="gray")
    return path


def test_gradcam_at_the_chosen_layer_of_a_cnn_run(cnn_run, digit_png, tmp_path):
    convs = [layer.name for layer in load_model(cnn_run.model).layers
             if type(layer).__name__ == "Conv2D"]
    assert len(convs) == 2
    out = tmp_path / "cam"
    for layer in convs:
        assert cli.main(["explain", str(cnn_run.path), str(digit_png), "--method", "gradcam",
                         "--layer", layer, "--no-label-test", "--out", str(out)]) == 0
    png = (out / "drawn_three_gradcam.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert "Grad-CAM" in (out / "explain.html").read_text(encoding="utf-8")


def test_gradcam_at_an_unknown_layer_names_it(cnn_run, digit_png, tmp_path, capsys):
    assert cli.main(["explain", str(cnn_run.path), str(digit_png), "--method", "gradcam",
                     "--layer", "conv9", "--no-label-test", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no layer named 'conv9'" in err and "conv2d" in err


# ---------------------------------------------------------------- the page in Chromium
def test_the_page_shows_its_images_in_chromium(explained):
    with chromium() as driver:
        driver.get((explained / "explain.html").as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])")
        assert len(images) == 3 * (1 + len(METHODS))
        assert all(complete and width > 0 for _, complete, width in images), images
        assert driver.find_element("tag name", "h1").text == "dlpath explain: digits-mlp"
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1100, min(height + 100, 4000))
        assert driver.save_screenshot(SCREENSHOT)


# ---------------------------------------------------------------- a text run
@pytest.fixture(scope="module")
def transformer_run(tmp_path_factory) -> RunFolder:
    """A small untrained imdb-transformer run folder."""
    recipe = get_recipe("imdb-transformer")
    config = recipe.make_config({"maxlen": 24, "embed_dim": 8, "num_heads": 2, "ff_dim": 8,
                                 "num_words": 1000})
    reset_names()
    dlrandom.set_seed(0)  # the same untrained weights each time
    folder = RunFolder.create(tmp_path_factory.mktemp("text"), recipe.name)
    files.write_json(folder.config, {"recipe": recipe.name,
                                     "config": dataclasses.asdict(config),
                                     "data": {"kind": "sequence",
                                              "class_names": ["negative", "positive"]}})
    recipe.build_model(config, None).save(folder.model)
    return folder


def test_a_text_run_gets_word_attributions_and_attention_maps(transformer_run, tmp_path):
    reviews = ["a wonderful film and I loved it", "boring and awful"]
    assert cli.main(["explain", str(transformer_run.path), *reviews,
                     "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "a_wonderful_film_and_I_loved_it_attention.png", "boring_and_awful_attention.png"]
    page = (tmp_path / "explain.html").read_text(encoding="utf-8")
    assert "<h2>Word attributions (Integrated Gradients)</h2>" in page
    assert re.search(r"completeness within 1% for [012] of 2 samples \(largest error", page)
    for word in ("wonderful", "loved", "awful"):
        assert f">{word}</span>" in page
