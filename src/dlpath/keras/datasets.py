"""``keras.datasets``: mnist, fashion_mnist, cifar10, cifar100, imdb, reuters, boston_housing."""

from dlpath.datasets import (
    boston_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters,
)

__all__ = ["mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
           "boston_housing"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
