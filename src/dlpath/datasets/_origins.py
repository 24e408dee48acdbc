"""Where the official dataset files are published.

Each dataset module builds its :class:`RemoteFile` entries from these base
URLs. They are plain constants: a test that needs another origin passes its
own :class:`RemoteFile` (or replaces a module's ``REMOTE`` entries).
"""

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
MNIST_ORIGIN = "https://yann.lecun.com/exdb/mnist/"
CIFAR10_ORIGIN = "https://www.cs.toronto.edu/~kriz/"
ACLIMDB_ORIGIN = "https://ai.stanford.edu/~amaas/data/sentiment/"
