"""``tf.version``: dlpath's version, as ``VERSION`` and ``GIT_VERSION``."""

from dlpath import __version__ as VERSION  # noqa: N812 - TF's name

GIT_VERSION = f"v{VERSION}"
COMPILER_VERSION = "none (pure Python on NumPy)"
GRAPH_DEF_VERSION = 0
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

__all__ = ["VERSION", "GIT_VERSION", "COMPILER_VERSION", "GRAPH_DEF_VERSION",
           "GRAPH_DEF_VERSION_MIN_CONSUMER", "GRAPH_DEF_VERSION_MIN_PRODUCER"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
