"""``keras.datasets``: mnist, fashion_mnist, cifar10, imdb."""

from dlpath.datasets import cifar10, fashion_mnist, imdb, mnist

__all__ = ["mnist", "fashion_mnist", "cifar10", "imdb"]
