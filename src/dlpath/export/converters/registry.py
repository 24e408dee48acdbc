"""The converters by layer class: ``@register(Dense)`` above a function that emits a
layer's nodes.

A converter is ``convert(ctx, layer, inputs, *args, **kwargs)``: ``ctx`` is the
`dlpath.export.graph.ExportContext` (its ``builder`` adds nodes), ``inputs`` the `Value`
(or list of them) the layer was called on, ``args``/``kwargs`` the rest of the call with
symbolic tensors replaced by values. It returns the output `Value`, or a list of them in
the order the layer returns its outputs, each with the Keras mask dlpath gives it.
"""

from __future__ import annotations

from dlpath.export.errors import UnsupportedLayerError

_CONVERTERS: dict = {}


def register(*classes):
    """Decorator: ``fn`` converts instances of ``classes`` (not their subclasses)."""
    def decorate(fn):
        for cls in classes:
            _CONVERTERS[cls] = fn
        return fn
    return decorate


def converter_for(layer):
    """The converter of ``layer``'s exact class, or an error naming the layer and class."""
    fn = _CONVERTERS.get(type(layer))
    if fn is None:
        supported = ", ".join(sorted({cls.__name__ for cls in _CONVERTERS}))
        raise UnsupportedLayerError(
            f"ONNX export: layer '{layer.name}' of class {type(layer).__name__} has no ONNX "
            f"converter; the layers that export are: {supported}")
    return fn


def supported_classes() -> list:
    """The layer classes that have a converter, by name."""
    return sorted(_CONVERTERS, key=lambda cls: cls.__name__)
