"""The module-level ``__getattr__`` of dlpath's TensorFlow/Keras namespace modules.

A name starting with ``_`` (the import system's ``__path__`` probe, IPython's and
inspect's) gets a plain `AttributeError` at once; any other missing name gets the error of
`dlpath.keras.missing`, which points to docs/compatibility.md. That module is imported
only then: it loads the Keras namespace, which must not happen while dlpath's core modules
are still being imported.
"""


def missing_name_hook(module_name: str):
    """``__getattr__ = missing_name_hook(__name__)`` at the end of a namespace module."""

    def __getattr__(name: str):
        if name.startswith("_"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        from dlpath.keras.missing import attribute_error

        raise attribute_error(module_name, name)

    return __getattr__
