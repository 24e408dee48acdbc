"""Errors for names dlpath does not have, pointing to docs/compatibility.md.

Each namespace module (``dlpath`` for ``tf``, ``dlpath.keras.layers`` for
``tf.keras.layers``, ...) ends its module-level ``__getattr__`` with
``raise attribute_error(__name__, name)``, which gives

- for a TensorFlow/Keras name that compatibility.yaml tracks and dlpath lacks,
  `NotImplementedInDlpath`: "dlpath does not implement tf.keras.layers.JaxLayer (yet);
  see docs/compatibility.md", with "did you mean ..." when a name dlpath has is close;
- for any other name (a typo), `NoSuchName`: "dlpath.keras.layers has no attribute
  'Dense2'; did you mean 'Dense'? (see docs/compatibility.md)";
- for names starting with ``_`` (``__path__``, ``__wrapped__``, IPython's probes) and for a
  package's submodules not imported yet (the import system asks for those first), a plain
  `AttributeError` at once, without reading any file.

All three are AttributeErrors, so ``hasattr`` and ``getattr(module, name, default)`` work.
"""

from __future__ import annotations

import contextlib
import difflib
import sys
import threading
from pathlib import Path

PAGE = "docs/compatibility.md"
_state = threading.local()


class NoSuchName(AttributeError):
    """A dlpath namespace has no such attribute (and it is no tracked TF/Keras name)."""


class NotImplementedInDlpath(NoSuchName, NotImplementedError):
    """A TensorFlow/Keras name that dlpath does not implement (yet).

    Both an `AttributeError` (attribute lookups and ``hasattr`` see a missing attribute)
    and a `NotImplementedError` (it is a known gap, not a typo)."""


@contextlib.contextmanager
def probing():
    """Within this block, missing names raise a plain, cheap `AttributeError` (used while
    resolving the whole API surface for the compatibility page)."""
    before = getattr(_state, "probing", False)
    _state.probing = True
    try:
        yield
    finally:
        _state.probing = before


def attribute_error(module_name: str, name: str, candidates=()) -> AttributeError:
    """The error for ``module_name.name`` missing; ``candidates`` are names the module has
    beyond ``dir()`` (lazily loaded ones), for "did you mean"."""
    module = sys.modules.get(module_name)
    if name.startswith("_") or getattr(_state, "probing", False) or _is_submodule(module,
                                                                                   name):
        return AttributeError(f"module {module_name!r} has no attribute {name!r}", name=name,
                              obj=module)
    from dlpath.keras import compatibility

    namespace = compatibility.namespace_for_module(module_name)
    close = _close_names(module, name, candidates)
    hint = f"; did you mean {close!r}?" if close else ""
    entry = namespace.entry(name) if namespace is not None else None
    if entry is None:
        message = (f"{module_name} has no attribute {name!r}{hint} "
                   f"(see {PAGE} for what dlpath implements)")
        return NoSuchName(message, name=name, obj=module)
    note = f" ({entry.note})" if entry.note else ""
    hint = f" Did you mean {close!r}?" if close else ""
    message = (f"dlpath does not implement {namespace.spelling}.{name} (yet); "
               f"see {PAGE}{note}.{hint}")
    return NotImplementedInDlpath(message, name=name, obj=module)


def module_getattr(module_name: str):
    """A module-level ``__getattr__`` for a namespace module with no lazy names of its own."""

    def __getattr__(name: str):
        raise attribute_error(module_name, name)

    return __getattr__


def _is_submodule(module, name: str) -> bool:
    paths = getattr(module, "__path__", None) or ()
    return any((Path(folder) / name).is_dir() or (Path(folder) / f"{name}.py").is_file()
               for folder in paths)


def _close_names(module, name: str, candidates) -> str | None:
    names = set(candidates)
    if module is not None:
        names.update(n for n in vars(module) if not n.startswith("_"))
        names.update(getattr(module, "__all__", ()) if "__all__" in vars(module) else ())
    same_but_case = [n for n in sorted(names) if n.lower() == name.lower()]
    if same_but_case:  # "Adamw" -> "AdamW"
        return same_but_case[0]
    matches = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.75)
    if not matches:
        lowered = {n.lower(): n for n in names}
        matches = difflib.get_close_matches(name.lower(), sorted(lowered), n=1, cutoff=0.75)
        matches = [lowered[m] for m in matches]
    return matches[0] if matches else None
