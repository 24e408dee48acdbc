"""``keras.backend``: the few functions listings call."""

from dlpath.layers.layer import reset_names as _reset_names


def clear_session() -> None:
    """Reset layer-name numbering, as Keras' clear_session does."""
    _reset_names()


__all__ = ["clear_session"]
