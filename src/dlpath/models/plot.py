"""``plot_model``: draw a model's layer graph with matplotlib (no Graphviz needed).

One box per layer (its name and class, and optionally its activation, dtype and input /
output shapes), one arrow per connection. Layers are placed by topological rank: a layer's
rank is one more than the highest rank of the layers feeding it, so inputs come first and
every arrow points forward (down for ``rankdir="TB"``, right for ``"LR"``). Within a rank,
layers are ordered by the mean position of their parents, which keeps arrows short.
``expand_nested`` replaces a nested model's box by its own layers. The file's extension
(``.png``, ``.svg``, ``.pdf``, ...) picks the format, as matplotlib's ``savefig`` does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

CHAR_WIDTH = 0.075   # inches per character of 9-point monospace text
LINE_HEIGHT = 0.19   # inches per line
PAD = 0.16           # inches of padding inside a box
GAP = 0.35           # inches between boxes in one rank
RANK_GAP = 0.45      # inches between ranks (besides the boxes themselves)
_RANKDIRS = ("TB", "LR")


@dataclass
class _Graph:
    labels: dict = field(default_factory=dict)   # box id -> lines of text
    edges: list = field(default_factory=list)    # (from id, to id)
    order: list = field(default_factory=list)    # box ids in topological order


def _shape_text(shape) -> str:
    if isinstance(shape, list) and len(shape) == 1:
        shape = shape[0]
    if isinstance(shape, tuple) and all(s is None or isinstance(s, int) for s in shape):
        return str(shape)
    return str(shape).replace("'", "")


def _label(layer, in_shapes, options) -> list:
    name = type(layer).__name__
    lines = [f"{layer.name} ({name})" if options["show_layer_names"] else name]
    activation = getattr(layer, "activation", None)
    if options["show_layer_activations"] and activation is not None:
        from dlpath import activations

        try:
            lines.append(f"activation: {activations.serialize(activation)}")
        except (TypeError, ValueError):
            lines.append(f"activation: {getattr(activation, '__name__', activation)}")
    if options["show_dtype"]:
        lines.append(f"dtype: {getattr(layer, 'dtype', '?')}")
    if options["show_shapes"]:
        out_shape = getattr(layer, "_last_output_shapes", None)
        if in_shapes is not None and type(layer).__name__ != "InputLayer":
            lines.append(f"input:  {_shape_text(in_shapes)}")
        lines.append(f"output: {_shape_text(out_shape) if out_shape is not None else '?'}")
    return lines


def _nested(layer, options) -> bool:
    from dlpath.models.model import Model

    return options["expand_nested"] and isinstance(layer, Model) and (
        layer._graph is not None or hasattr(layer, "_stack"))


def _add_layer(graph, layer, parents, in_shapes, options, prefix):
    """Add ``layer`` fed by box ids ``parents``; returns the box ids that stand for its
    output (a nested model expands into its layers)."""
    if _nested(layer, options):
        _, exits = _add_model(graph, layer, options, f"{prefix}{layer.name}/", parents)
        return exits
    box = f"{prefix}{id(layer)}"
    if box not in graph.labels:
        graph.labels[box] = _label(layer, in_shapes, options)
        graph.order.append(box)
    for parent in parents:
        if (parent, box) not in graph.edges:
            graph.edges.append((parent, box))
    return [box]


def _add_model(graph, model, options, prefix, feeds=()):
    """Add the layers of ``model``; ``feeds`` are boxes feeding its inputs. Returns
    (entry boxes, exit boxes)."""
    from dlpath.layers.input_layer import InputLayer, _flatten

    if hasattr(model, "_stack"):  # Sequential
        current, entries = list(feeds), None
        shape = None
        if model._input is not None:
            current = _add_layer(graph, model._input.node.layer, current, None, options,
                                 prefix)
            shape = model._input.shape
            entries = current
        for layer in model._stack:
            current = _add_layer(graph, layer, current, shape, options, prefix)
            entries = entries or current
            shape = getattr(layer, "_last_output_shapes", None)
        return entries or [], current
    if model._graph is None:  # subclassed: its wiring is code, so one box
        return _add_layer(graph, model, list(feeds), None, options, prefix) * 2
    produced = {}  # id(placeholder) -> box ids
    entries = []
    for tensor in model._graph.flat_inputs:  # inputs first, in the model's order
        produced[id(tensor)] = _add_layer(graph, tensor.node.layer, list(feeds), None,
                                          options, prefix)
        entries += produced[id(tensor)]
    for node in model._graph.nodes:
        if isinstance(node.layer, InputLayer):
            continue
        parents = [box for tensor in node.parents for box in produced.get(id(tensor), [])]
        shapes = [tensor.shape for tensor in node.parents]
        boxes = _add_layer(graph, node.layer, parents, shapes, options, prefix)
        for tensor in _flatten(node.outputs):
            produced[id(tensor)] = boxes
    exits = [box for t in model._graph.flat_outputs for box in produced.get(id(t), [])]
    return entries, exits


def _ranks(graph) -> dict:
    rank = {box: 0 for box in graph.order}
    parents = {box: [] for box in graph.order}
    for source, target in graph.edges:
        parents[target].append(source)
    changed = True
    while changed:  # longest path; edges always point forward, so this ends
        changed = False
        for box in graph.order:
            best = max((rank[p] + 1 for p in parents[box]), default=0)
            if best > rank[box]:
                rank[box], changed = best, True
    for box in graph.order:  # an input sits just above the first layer that reads it
        children = [rank[t] for s, t in graph.edges if s == box]
        if not parents[box] and children:
            rank[box] = min(children) - 1
    return rank


def _with_waypoints(graph, rank) -> tuple:
    """Split each edge that spans several ranks with a point per rank crossed, so the
    layout keeps room for it: ``(boxes per rank, {edge: [box or waypoint, ...]})``."""
    levels = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for box in graph.order:
        levels[rank[box]].append(box)
    paths = {}
    for source, target in graph.edges:
        path = [source]
        for level in range(rank[source] + 1, rank[target]):
            waypoint = ("waypoint", source, target, level)
            levels[level].append(waypoint)
            path.append(waypoint)
        paths[(source, target)] = path + [target]
    return levels, paths


def _size(lines) -> tuple:
    width = max(len(line) for line in lines) * CHAR_WIDTH + 2 * PAD
    return width, len(lines) * LINE_HEIGHT + 2 * PAD


def _layout(graph, rankdir: str) -> tuple:
    """Centers (inches) of boxes and waypoints, their sizes, the edges' paths and the
    figure's (width, height)."""
    levels, paths = _with_waypoints(graph, _ranks(graph))
    sizes = {box: _size(graph.labels[box]) for box in graph.order}
    for level in levels:
        sizes.update({item: (0.1, 0.1) for item in level if item not in graph.labels})
    parents = {}
    for path in paths.values():
        for before, after in zip(path, path[1:]):
            parents.setdefault(after, []).append(before)
    across = 0 if rankdir == "TB" else 1  # the axis along which a rank's boxes line up
    spans = [sum(sizes[b][across] for b in level) + GAP * (len(level) - 1) for level in levels]
    breadth = max(spans, default=1.0) + 2 * GAP
    centers, position = {}, {}
    offset = GAP
    for level in levels:
        depth = max(sizes[b][1 - across] for b in level)
        level.sort(key=lambda b: sum(position.get(p, 0) for p in parents.get(b, []))
                   / max(len(parents.get(b, [])), 1))
        start = (breadth - sum(sizes[b][across] for b in level)
                 - GAP * (len(level) - 1)) / 2
        for box in level:
            extent = sizes[box][across]
            position[box] = start + extent / 2
            centers[box] = (position[box], offset + depth / 2)
            start += extent + GAP
        offset += depth + RANK_GAP
    length = offset - RANK_GAP + GAP
    if rankdir == "TB":
        centers = {b: (x, length - y) for b, (x, y) in centers.items()}
        return centers, sizes, paths, (breadth, length)
    centers = {b: (y, breadth - x) for b, (x, y) in centers.items()}
    return centers, sizes, paths, (length, breadth)


def _edge_points(path, centers, sizes, rankdir: str) -> list:
    """The polyline of one edge: from the source box's side, through its waypoints, to
    the target box's side."""
    points = [centers[item] for item in path]
    (x0, y0), (x1, y1) = points[0], points[-1]
    source, target = sizes[path[0]], sizes[path[-1]]
    if rankdir == "TB":
        points[0], points[-1] = (x0, y0 - source[1] / 2), (x1, y1 + target[1] / 2)
    else:
        points[0], points[-1] = (x0 + source[0] / 2, y0), (x1 - target[0] / 2, y1)
    return points


def _draw(graph, rankdir: str, dpi: int, to_file: str) -> None:
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    centers, sizes, paths, (width, height) = _layout(graph, rankdir)
    figure = Figure(figsize=(width, height), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    for box in graph.order:
        (x, y), (w, h) = centers[box], sizes[box]
        axes.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, linewidth=1,
                                      boxstyle="round,pad=0,rounding_size=0.06",
                                      facecolor="#eef3fb", edgecolor="#34495e"))
        axes.text(x, y, "\n".join(graph.labels[box]), ha="center", va="center",
                  family="monospace", fontsize=9, linespacing=1.35)
    for path in paths.values():
        points = _edge_points(path, centers, sizes, rankdir)
        if len(points) > 2:
            xs, ys = zip(*points[:-1])
            axes.plot(xs, ys, color="#34495e", lw=1)
        axes.annotate("", xy=points[-1], xytext=points[-2],
                      arrowprops={"arrowstyle": "-|>", "color": "#34495e", "lw": 1,
                                  "shrinkA": 0, "shrinkB": 0})
    figure.savefig(to_file, dpi=dpi)


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=96,
               layer_range=None, show_layer_activations=False, **kwargs):
    """Draw ``model``'s layer graph into ``to_file`` (PNG, SVG or PDF by its extension).

    Args:
        model: a built `Sequential` or functional `Model` (a subclassed model is one box).
        to_file: the image file to write.
        show_shapes: add each layer's input and output shapes.
        show_dtype: add each layer's dtype.
        show_layer_names: ``"name (Class)"`` instead of ``"Class"``.
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
        expand_nested: draw the layers of nested models instead of one box each.
        dpi: the resolution of a raster image.
        show_layer_activations: add the activation of layers that have one.

    Returns:
        An ``IPython.display.Image`` of a PNG file when IPython is installed, else None.
    """
    from dlpath.models.model import Model

    if kwargs:
        raise TypeError(f"plot_model: unknown keyword argument(s) {sorted(kwargs)}")
    if not isinstance(model, Model):
        raise TypeError(f"plot_model: expected a Model, got {type(model).__name__}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"plot_model: rankdir must be 'TB' or 'LR', got {rankdir!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 10 <= dpi <= 1200:
        raise ValueError(f"plot_model: dpi must be an integer in [10, 1200], got {dpi!r}")
    if layer_range is not None:
        raise ValueError("plot_model: layer_range is not supported by dlpath; draw the "
                         "whole model (or build a sub-model and draw that)")
    if not model.built or (model._graph is None and not getattr(model, "_stack", None)
                           and not model.layers):
        raise ValueError(f"plot_model: model '{model.name}' is not built: call it on data "
                         f"or give it an input shape first")
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype,
               "show_layer_names": show_layer_names, "expand_nested": expand_nested,
               "show_layer_activations": show_layer_activations}
    graph = _Graph()
    _add_model(graph, model, options, "")
    to_file = os.fspath(to_file)
    _draw(graph, rankdir, dpi, to_file)
    return _notebook_image(to_file)


def _notebook_image(to_file: str):
    if not to_file.lower().endswith(".png"):
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    return display.Image(filename=to_file)


def model_to_dot(model, *args, **kwargs):
    """Not implemented: dlpath draws graphs without Graphviz. Use `plot_model`."""
    raise NotImplementedError("model_to_dot: dlpath does not build pydot graphs (it does not "
                              "use Graphviz); use dlpath.keras.utils.plot_model(model, "
                              "to_file='model.png') to draw the model instead")
