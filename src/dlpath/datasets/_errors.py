"""Exceptions and warnings raised by the dataset loaders.

Every error names the file it is about, so that a user can fix or delete it.
"""


class DatasetNotFoundError(FileNotFoundError):
    """No copy of a dataset file was found and none could be downloaded.

    The message says which files to put in which folder, and mentions the
    ``DLPATH_DATA`` environment variable.
    """


class CorruptDatasetError(ValueError):
    """A dataset file exists but cannot be read: truncated, wrong format or content."""


class ChecksumMismatchError(CorruptDatasetError):
    """A downloaded file's checksum differs from the published one; it was discarded."""


class UnofficialFileWarning(UserWarning):
    """A local file's checksum is not the official one; its structure was validated instead."""
