"""Finding a data set's file: the caller's path, then DLPATH_DATA and the cache, then a
download (see `_paths` for the search order)."""

from . import _paths
from ._download import fetch


def locate_file(path, remote, subdir, dataset, download=None):
    """The single file ``remote`` names (an ``.npz``, a JSON index, ...).

    ``path`` is the caller's ``path=`` argument: a file, a folder holding
    ``remote.name``, or a bare name looked for in the search folders. When nothing is
    found, ``download`` (default ``remote``) is fetched into the cache.
    """
    given = _paths.explicit_path(path, dataset, remote.name)
    if given is not None and given.is_file():
        return given
    folders = [given] if given is not None else _paths.search_dirs(subdir)
    found = _paths.find_file(folders, remote.name if given is not None else path)
    if found is not None:
        return found
    if given is not None:
        raise _paths.not_found_error(dataset, subdir, remote.name, f"{given} does not hold it.")
    return fetch(download or remote, subdir, dataset, remote.name)


def locate_archive_or_folder(path, remote, subdir, dataset, wanted, folder_name, is_folder):
    """An archive (``remote.name``) or its extracted folder ``folder_name``, for which
    ``is_folder(folder)`` says whether it holds every member."""
    given = _paths.explicit_path(path, dataset, wanted)
    if given is not None and (given.is_file() or is_folder(given)):
        return given
    folders = [given] if given is not None else _paths.search_dirs(subdir)
    for folder in folders:
        if is_folder(folder / folder_name):
            return folder / folder_name
        if (folder / remote.name).is_file():
            return folder / remote.name
    if given is not None:
        raise _paths.not_found_error(dataset, subdir, wanted, f"{given} holds neither.")
    return fetch(remote, subdir, dataset, wanted)
