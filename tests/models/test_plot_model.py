"""plot_model draws the layer graph with matplotlib: PNG, SVG and PDF by extension."""

import numpy as np
import pytest

from dlpath.keras import Input, Model, layers, models, utils
from dlpath.models import plot


def two_in_two_out():
    a, b = Input((8,), name="left"), Input((4,), name="right")
    h = layers.Dense(6, activation="relu", name="dense_left")(a)
    merged = layers.Concatenate(name="merge")([h, b])
    out1 = layers.Dense(1, activation="sigmoid", name="score")(merged)
    out2 = layers.Dense(3, activation="softmax", name="label")(merged)
    return Model([a, b], [out1, out2], name="two_by_two")


def test_graph_has_one_box_per_layer_and_edges_by_rank():
    model = two_in_two_out()
    graph = plot._Graph()
    plot._add_model(graph, model, {"show_shapes": True, "show_dtype": False,
                                   "show_layer_names": True, "expand_nested": False,
                                   "show_layer_activations": True}, "")
    names = {box: lines[0].split(" ")[0] for box, lines in graph.labels.items()}
    edges = {(names[s], names[t]) for s, t in graph.edges}
    assert edges == {("left", "dense_left"), ("dense_left", "merge"), ("right", "merge"),
                     ("merge", "score"), ("merge", "label")}
    ranks = {names[b]: r for b, r in plot._ranks(graph).items()}
    assert ranks == {"left": 0, "right": 1, "dense_left": 1, "merge": 2, "score": 3,
                     "label": 3}
    label = graph.labels[next(b for b in names if names[b] == "merge")]
    assert "input:  [(None, 6), (None, 4)]" in label and "output: (None, 10)" in label
    assert "activation: softmax" in graph.labels[next(b for b in names
                                                      if names[b] == "label")]


@pytest.mark.parametrize("extension, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"),
                                               ("pdf", b"%PDF")])
def test_file_format_follows_the_extension(tmp_path, extension, magic):
    path = tmp_path / f"model.{extension}"
    utils.plot_model(two_in_two_out(), to_file=str(path), show_shapes=True, show_dtype=True,
                     show_layer_activations=True, dpi=60)
    assert path.read_bytes().startswith(magic)


def test_png_size_follows_rankdir_and_dpi(tmp_path):
    from matplotlib.image import imread

    model = models.Sequential([Input((3,)), layers.Dense(4), layers.Dense(4), layers.Dense(1)])
    utils.plot_model(model, to_file=str(tmp_path / "tb.png"), dpi=50)
    utils.plot_model(model, to_file=str(tmp_path / "lr.png"), rankdir="LR", dpi=50)
    tall = imread(tmp_path / "tb.png")
    wide = imread(tmp_path / "lr.png")
    assert tall.shape[0] > tall.shape[1] and wide.shape[1] > wide.shape[0]
    assert np.unique(tall.reshape(-1, tall.shape[-1]), axis=0).shape[0] > 2  # not blank


def test_expand_nested_draws_the_inner_layers():
    inner = models.Sequential([Input((4,)), layers.Dense(3, name="inner_a"),
                               layers.Dense(2, name="inner_b")], name="inner")
    x = Input((4,), name="x")
    model = Model(x, layers.Dense(1, name="head")(inner(x)))
    options = {"show_shapes": False, "show_dtype": False, "show_layer_names": True,
               "show_layer_activations": False}
    flat, nested = plot._Graph(), plot._Graph()
    plot._add_model(flat, model, {**options, "expand_nested": False}, "")
    plot._add_model(nested, model, {**options, "expand_nested": True}, "")
    assert len(flat.labels) == 3
    names = [lines[0].split(" ")[0] for lines in nested.labels.values()]
    assert "inner_a" in names and "inner_b" in names and "inner" not in names
    assert len(nested.edges) == len(nested.labels) - 1


def test_bad_arguments_and_model_to_dot():
    model = models.Sequential([Input((3,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="rankdir"):
        utils.plot_model(model, rankdir="BT")
    with pytest.raises(TypeError, match="expected a Model"):
        utils.plot_model(layers.Dense(2))
    with pytest.raises(ValueError, match="not built"):
        utils.plot_model(models.Sequential([layers.Dense(1)]))
    with pytest.raises(NotImplementedError, match="plot_model"):
        utils.model_to_dot(model)


def test_a_skip_connection_is_routed_through_a_waypoint():
    x = Input((4,), name="x")
    h = layers.Dense(4, name="d1")(x)
    out = layers.Add(name="skip")([h, layers.Dense(4, name="d3")(layers.Dense(4)(h))])
    graph = plot._Graph()
    plot._add_model(graph, Model(x, out), {"show_shapes": False, "show_dtype": False,
                                          "show_layer_names": True, "expand_nested": False,
                                          "show_layer_activations": False}, "")
    _, paths = plot._with_waypoints(graph, plot._ranks(graph))
    assert sorted(len(path) for path in paths.values()) == [2, 2, 2, 2, 4]
