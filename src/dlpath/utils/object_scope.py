"""Custom objects by name: ``get_custom_objects``, ``custom_object_scope``.

tf.keras 2 keeps a global ``{name: object}`` dict that deserialization consults, and a
scope that adds names to it for the length of a ``with`` block. In dlpath the names reach
the saving registry (`dlpath.saving.registry`), the one place a saved name becomes an
object: each name is registered as ``"Custom>name"`` while it is in the dict or scope.
"""

from __future__ import annotations

from dlpath.saving import registry

_PACKAGE = "Custom"


def _register(name: str, obj) -> tuple:
    """Register ``obj`` as ``Custom>name``; returns what to restore on removal."""
    if not isinstance(name, str) or not name or ">" in name:
        raise ValueError(f"custom objects: a name must be a non-empty string without '>', "
                         f"got {name!r}")
    key = f"{_PACKAGE}>{name}"
    previous = registry._custom.get(key)
    registry._custom[key] = obj
    try:
        registry._custom_names[obj] = key
    except TypeError as error:  # an unhashable object cannot be saved by name
        raise TypeError(f"custom objects: {name!r} is a {type(obj).__name__}, which cannot "
                        f"be looked up by name (expected a class or a function)") from error
    return key, previous


def _unregister(key: str, obj, previous) -> None:
    if previous is None:
        registry._custom.pop(key, None)
    else:
        registry._custom[key] = previous
    if registry._custom_names.get(obj) == key:
        del registry._custom_names[obj]
        if previous is not None:
            registry._custom_names[previous] = key


class _CustomObjects(dict):
    """The global dict of tf.keras 2; adding or removing a name updates the registry."""

    def __setitem__(self, name, obj):
        if name in self:
            del self[name]
        _register(name, obj)
        super().__setitem__(name, obj)

    def __delitem__(self, name):
        obj = self[name]
        super().__delitem__(name)
        _unregister(f"{_PACKAGE}>{name}", obj, None)

    def update(self, *args, **kwargs):
        for name, obj in dict(*args, **kwargs).items():
            self[name] = obj

    def pop(self, name, *default):
        if name not in self:
            if default:
                return default[0]
            raise KeyError(name)
        obj = self[name]
        del self[name]
        return obj

    def clear(self):
        for name in list(self):
            del self[name]


_GLOBAL_CUSTOM_OBJECTS = _CustomObjects()


def get_custom_objects() -> dict:
    """The global ``{name: class or function}`` dict that loading consults (tf.keras 2).

    ``get_custom_objects()["MyLayer"] = MyLayer`` makes ``MyLayer`` loadable by name.
    """
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """``with CustomObjectScope({"MyLayer": MyLayer}):`` — names loadable inside the block.

    Args:
        *objects: dicts of ``{name: class or function}``; later ones win.
    """

    def __init__(self, *objects):
        self.objects = {}
        for mapping in objects:
            if mapping is None:
                continue
            if not isinstance(mapping, dict):
                raise TypeError(f"CustomObjectScope: expected dicts of {{name: object}}, got "
                                f"{type(mapping).__name__}")
            self.objects.update(mapping)
        self._restore = []

    def __enter__(self):
        try:
            for name, obj in self.objects.items():
                self._restore.append((obj,) + _register(name, obj))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info):
        while self._restore:
            obj, key, previous = self._restore.pop()
            _unregister(key, obj, previous)
        return False


def custom_object_scope(*objects) -> CustomObjectScope:
    """tf.keras 2's function spelling of `CustomObjectScope`."""
    return CustomObjectScope(*objects)
