"""``keras.datasets``: mnist, fashion_mnist, cifar10, cifar100, imdb, reuters, boston_housing."""

from dlpath.datasets import (
    boston_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters,
)

__all__ = ["mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
           "boston_housing"]
