"""The errors of exporting a model: what could not be exported, and why."""

from __future__ import annotations


class ExportError(ValueError):
    """A model, a layer or an argument that cannot be exported as asked."""


class UnsupportedLayerError(ExportError, NotImplementedError):
    """A layer class (or a configuration of one) that has no ONNX converter."""
