"""The registry: the only way a class name in a saved file becomes a Python class.

Built-in names are every `Layer` subclass exported by `dlpath.layers` (collected from its
``__all__`` on first use), `InputLayer`, and the models ``Sequential`` and ``Functional``.
User classes join with ``@register_serializable(package, name)`` under
``"package>name"``, as Keras' ``register_keras_serializable``. A load may also pass
``custom_objects={"Name": cls}``. Nothing is ever imported by name from a file.

Functions are saved by name only: a registered function as ``{"class_name": "function",
"config": name, "registered_name": "package>name"}`` (`function_reference`), found again
among registered functions and ``custom_objects`` (`resolve_function`). This is how
dlpath's `Lambda` layer is saved; Keras' Lambda configs, which carry bytecode, are refused
(`holds_code`).
"""

from __future__ import annotations

import functools
import inspect
import sys

# Class names that stand for Python code (Keras' Lambda layers, lambda functions): loading
# them would run code from the file, so they are refused. The one exception is dlpath's own
# ``Lambda`` layer in its safe form (`is_safe_lambda_config`), which names a registered
# function and holds no code.
CODE_CLASS_NAMES = frozenset({"Lambda", "TFOpLambda", "SlicingOpLambda", "__lambda__"})
FUNCTION_CLASS_NAME = "function"
_LAMBDA_FUNCTION_KEYS = ("function", "mask", "output_shape")

_custom: dict = {}        # "package>name" -> class or function
_custom_names: dict = {}  # class or function -> "package>name"
_builtin: dict | None = None


def builtin_objects() -> dict:
    """``{class name: class}`` for dlpath's layers and models (built on first use)."""
    global _builtin
    if _builtin is None:
        import dlpath.layers as layers_module
        from dlpath.layers.input_layer import InputLayer
        from dlpath.layers.layer import Layer
        from dlpath.models import Model, Sequential

        # Layers of dlpath's own outside dlpath.layers register as "dlpath>Name" on import.
        import dlpath.applications._normalization  # noqa: F401 - EfficientNet's layer

        found = {}
        for name in getattr(layers_module, "__all__", []):
            value = getattr(layers_module, name, None)
            if isinstance(value, type) and issubclass(value, Layer):
                found[name] = value
        found.update(InputLayer=InputLayer, Sequential=Sequential, Functional=Model,
                     Model=Model)
        _builtin = found
    return _builtin


def register_serializable(package: str = "Custom", name: str | None = None):
    """Class decorator: make a custom layer, model or function loadable by name.

    ``@register_serializable()`` registers ``MyLayer`` as ``"Custom>MyLayer"``. The class
    must define ``get_config`` (and ``from_config`` if its ``__init__`` does not take the
    config's keys). A registered `Model` subclass also remembers the shapes and dtypes of
    its first inputs, so that a loaded copy can create its weights before they are set.
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"register_serializable: package must be a string without '>', "
                         f"got {package!r}")

    def decorator(obj):
        registered_name = f"{package}>{name or getattr(obj, '__name__', None)}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise TypeError(f"register_serializable: {obj.__name__} has no get_config() "
                            f"method, so it cannot be saved")
        if not inspect.isclass(obj) and not callable(obj):
            raise TypeError(f"register_serializable: expected a class or a function, got "
                            f"{type(obj).__name__}")
        _custom[registered_name] = obj
        _custom_names[obj] = registered_name
        if inspect.isclass(obj):
            _record_first_inputs(obj)
        return obj

    return decorator


def get_registered(name: str | None = None, custom_objects: dict | None = None):
    """The class (or function) registered as ``name`` (``"package>Name"`` or a built-in
    class name); with no name, a dict of everything registered."""
    if name is None:
        return {**builtin_objects(), **_custom}
    found = lookup(name, None, custom_objects)
    if found is None:
        raise ValueError(f"get_registered: nothing is registered as {name!r}; registered: "
                         f"{registered_names()}")
    return found


def get_registered_object(name: str, custom_objects: dict | None = None,
                          module_objects: dict | None = None):
    """Keras' lookup: the object registered (or in ``custom_objects``) as ``name``, or
    None."""
    found = lookup(name, name if ">" in str(name) else None, custom_objects)
    if found is None and module_objects:
        found = module_objects.get(name)
    return found


def get_registered_name(obj) -> str:
    """The name ``obj`` is saved under: ``"package>Name"`` if registered, else its name."""
    return registered_name(obj) or getattr(obj, "__name__", type(obj).__name__)


def registered_names() -> list:
    """Every name a saved file may use: built-in classes, then registered ones."""
    return sorted(builtin_objects()) + sorted(_custom)


def is_builtin(cls) -> bool:
    return builtin_objects().get(cls.__name__) is cls


def registered_name(obj) -> str | None:
    """``"package>name"`` if ``obj`` was registered, else None."""
    try:
        return _custom_names.get(obj)
    except TypeError:  # an unhashable object
        return None


def _exact(class_name, registered_name, custom_objects):
    for key in (registered_name, class_name):
        if key is not None and key in custom_objects:
            return custom_objects[key]
    for key in (registered_name, class_name):
        if key is not None and key in _custom:
            return _custom[key]
    return None


def _by_short_name(class_name):
    matches = [obj for key, obj in _custom.items() if key.split(">", 1)[1] == class_name]
    return matches[0] if len(matches) == 1 else None


def lookup_custom(class_name, registered_name=None, custom_objects=None):
    """A user object for a saved name: ``custom_objects``, then registered objects (by
    full ``"package>name"``, or by name when only one package registered it); or None."""
    found = _exact(class_name, registered_name, custom_objects or {})
    return found if found is not None else _by_short_name(class_name)


def lookup(class_name, registered_name=None, custom_objects=None):
    """The class for a saved (class_name, registered_name), or None if unknown: user
    objects by exact name first, then dlpath's built-ins, then registered short names."""
    found = _exact(class_name, registered_name, custom_objects or {})
    if found is None:
        found = builtin_objects().get(class_name)
    if found is None:
        found = _by_short_name(class_name)
    return found


def resolve(class_name, registered_name=None, custom_objects=None, where: str = "file"):
    """Like `lookup`, but refuses code-carrying and unknown names with a clear error
    (``"Lambda"`` alone resolves, to dlpath's `Lambda`, whose config holds no code)."""
    code_name = class_name in CODE_CLASS_NAMES and not (
        class_name == "Lambda" and registered_name is None)
    if code_name or registered_name in CODE_CLASS_NAMES:
        raise ValueError(f"{where}: refusing to load a {class_name!r} object: it holds Python "
                         f"code, and loading never runs code from a file. Replace it with a "
                         f"Layer subclass registered with @register_serializable()")
    if not isinstance(class_name, str):
        raise ValueError(f"{where}: class_name must be a string, got {class_name!r}")
    found = lookup(class_name, registered_name, custom_objects)
    if found is None:
        shown = registered_name or class_name
        raise ValueError(f"{where}: unknown class {shown!r}. dlpath rebuilds only registered "
                         f"classes: decorate it with @dlpath.saving.register_serializable() "
                         f"or pass custom_objects={{{class_name!r}: {class_name}}}. "
                         f"Registered: {registered_names()}")
    return found


# ---------------------------------------------------------------- functions by name
def function_reference(function) -> dict | None:
    """``{"class_name": "function", "config": name, "registered_name": "package>name"}``
    for a registered function (Keras 3's form), or None if it is not registered."""
    registered = registered_name(function)
    if registered is None:
        return None
    return {"class_name": FUNCTION_CLASS_NAME, "config": registered.split(">", 1)[1],
            "registered_name": registered}


def is_function_reference(value) -> bool:
    """Whether ``value`` is `function_reference`'s form: two names and nothing else."""
    return (isinstance(value, dict) and value.get("class_name") == FUNCTION_CLASS_NAME
            and isinstance(value.get("config"), str)
            and isinstance(value.get("registered_name"), (str, type(None)))
            and set(value) <= {"class_name", "config", "registered_name", "module"})


def resolve_function(reference: dict, custom_objects=None, where: str = "file"):
    """The function a `function_reference` names: from ``custom_objects`` or the
    registered functions, never imported; a clear error if it is unknown."""
    name, registered = reference.get("config"), reference.get("registered_name")
    found = lookup_custom(name, registered, custom_objects)
    if found is None or inspect.isclass(found) or not callable(found):
        shown = registered or name
        raise ValueError(f"{where}: unknown function {shown!r}. Loading never runs code from a "
                         f"file, so a saved function is only a name: register it in the "
                         f"loading program with @dlpath.keras.utils."
                         f"register_keras_serializable(package=..., name=...) or pass "
                         f"custom_objects={{{name!r}: {name}}}")
    return found


def is_safe_lambda_config(config) -> bool:
    """A dlpath ``Lambda`` config: its function (and mask, output shape if callables) are
    `function_reference`s, and no Keras code field (bytecode, ``function_type``) is there."""
    if not isinstance(config, dict) or "function_type" in config:
        return False
    if not is_function_reference(config.get("function")):
        return False
    for key in _LAMBDA_FUNCTION_KEYS[1:]:
        value = config.get(key)
        if isinstance(value, dict) and not is_function_reference(value):
            return False
        if isinstance(value, str):
            return False
    return True


def holds_code(entry: dict) -> bool:
    """Whether a loaded JSON entry stands for Python code and must be refused."""
    if "function_type" in entry:
        return True
    name = entry.get("class_name")
    if name == "Lambda" and entry.get("registered_name") is None:
        return not is_safe_lambda_config(entry.get("config"))
    return name in CODE_CLASS_NAMES


# ---------------------------------------------------------------- model inputs
def _record_first_inputs(cls) -> None:
    """Wrap a Model subclass's ``__call__`` to remember its first inputs' shapes/dtypes."""
    if "dlpath.models" not in sys.modules:  # no Model subclass can exist before it
        return
    from dlpath.models import Model

    if not issubclass(cls, Model) or getattr(cls.__call__, "_records_inputs", False):
        return
    original = cls.__call__

    @functools.wraps(original)
    def __call__(self, inputs, *args, **kwargs):
        if "_saving_input_signature" not in self.__dict__:
            object.__setattr__(self, "_saving_input_signature", input_signature(inputs))
        return original(self, inputs, *args, **kwargs)

    __call__._records_inputs = True
    cls.__call__ = __call__


def input_signature(inputs):
    """``{"shape": [None, ...], "dtype": ...}`` for each input (same nesting), or None."""
    if isinstance(inputs, dict):
        items = {key: input_signature(value) for key, value in inputs.items()}
        return None if any(v is None for v in items.values()) else items
    if isinstance(inputs, (list, tuple)) and inputs and all(
            hasattr(item, "shape") for item in inputs):
        items = [input_signature(item) for item in inputs]
        return None if any(v is None for v in items) else items
    shape = getattr(inputs, "shape", None)
    dtype = getattr(inputs, "dtype", None)
    if shape is None or dtype is None or len(shape) == 0:
        return None
    return {"shape": [None] + [None if s is None else int(s) for s in shape[1:]],
            "dtype": str(dtype)}
