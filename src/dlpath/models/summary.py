"""``model.summary()`` in tf.keras' table format."""

from __future__ import annotations

from dlpath.layers.input_layer import InputLayer


def _shape_text(shapes) -> str:
    if shapes is None:
        return "?"
    if isinstance(shapes, list):
        return "[" + ", ".join(_shape_text(s) for s in shapes) + "]"
    return "(" + ", ".join("None" if s is None else str(s) for s in shapes) + \
        ("," if len(shapes) == 1 else "") + ")"


def _row(fields, positions) -> str:
    line = ""
    for field, end in zip(fields, positions):
        line = (line + str(field))[:end - 1] + " "
        line = line.ljust(end)
    return line.rstrip()


def _connected_to(model, layer) -> str:
    names = []
    for node in model._graph.nodes:
        if node.layer is layer:
            names.extend(p.node.layer.name for p in node.parents)
    return ", ".join(f"{n}[0][0]" for n in names)


def print_summary(model, line_length=None, positions=None, print_fn=None) -> None:
    print_fn = print_fn or print
    functional = model._graph is not None and type(model).__name__ != "Sequential"
    line_length = line_length or (98 if functional else 65)
    fractions = positions or ([0.33, 0.55, 0.67, 1.0] if functional else [0.45, 0.85, 1.0])
    columns = [int(line_length * p) if p <= 1 else int(p) for p in fractions]
    header = ["Layer (type)", "Output Shape", "Param #"]
    if functional:
        header.append("Connected to")
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_fn(" " + _row(header, [c - 1 for c in columns]))
    print_fn("=" * line_length)
    layers = model.layers if functional else [
        layer for layer in model.layers if not isinstance(layer, InputLayer)]
    for i, layer in enumerate(layers):
        shapes = getattr(layer, "_last_output_shapes", None)
        fields = [f"{layer.name} ({type(layer).__name__})", _shape_text(shapes),
                  layer.count_params()]
        if functional:
            fields.append(_connected_to(model, layer))
        print_fn(" " + _row(fields, [c - 1 for c in columns]))
        if i < len(layers) - 1:
            print_fn("")
    trainable = sum(w.size for w in model.trainable_weights)
    total = model.count_params()
    print_fn("=" * line_length)
    print_fn(f"Total params: {total:,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {total - trainable:,}")
    print_fn("_" * line_length)
