"""`import dlpath` stays light: heavy libraries load where they are used, not at import.

Counted, not timed: each test runs ``python -X importtime -c "import ..."`` in a fresh
process and reads which modules it imported.
"""

import os
import subprocess
import sys

import pytest

# Libraries that cost tens of milliseconds or more, each needed by one corner of dlpath.
HEAVY = ("scipy", "matplotlib", "rich", "onnx", "onnxruntime", "fastapi", "uvicorn",
         "starlette", "pydantic", "PIL", "yaml", "h5py", "tensorboardX", "pycocotools",
         "mpi4py", "threadpoolctl", "sklearn", "torch", "pandas", "jinja2", "IPython",
         "safetensors", "sqlite3", "http.client", "urllib.request", "ssl")
# `import dlpath` is the engine and the lazy namespaces (19 modules when this was written).
MAX_DLPATH_MODULES = 25
# The Keras namespace loads every layer, loss, metric, ... (250 when this was written).
MAX_KERAS_MODULES = 350


def imported_modules(statement: str) -> list:
    """The modules a fresh interpreter imports to run ``statement``, from -X importtime."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPROFILEIMPORTTIME"}
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", statement],
                            capture_output=True, text=True, env=env, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"{statement!r} failed:\n{result.stderr[-2000:]}")
    names = [line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
             if line.startswith("import time:") and line.count("|") == 2]
    return names[1:]  # the first line is the header


def heavy_in(modules: list) -> list:
    return sorted({name for name in modules for heavy in HEAVY
                   if name == heavy or name.startswith(heavy + ".")})


def test_import_dlpath_loads_no_heavy_library():
    modules = imported_modules("import dlpath")
    assert "numpy" in modules and "dlpath.engine" in modules  # the parsing found them
    assert heavy_in(modules) == []
    assert "dlpath.keras" not in modules  # loaded on first use of dlpath.keras


def test_import_dlpath_loads_few_dlpath_modules():
    ours = [name for name in imported_modules("import dlpath") if name.startswith("dlpath")]
    assert len(ours) <= MAX_DLPATH_MODULES, ours


def test_the_keras_namespace_loads_no_heavy_library_until_used():
    modules = imported_modules("import dlpath as tf; tf.keras.layers.Dense")
    assert "dlpath.keras.layers" in modules and "dlpath.layers.dense" in modules
    assert heavy_in(modules) == []
    ours = [name for name in modules if name.startswith("dlpath")]
    assert len(ours) <= MAX_KERAS_MODULES, len(ours)
