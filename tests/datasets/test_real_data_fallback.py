"""The real-data fixture takes files from DLPATH_DATA, then the cache, then a download."""

from pathlib import Path

import pytest
from real_data_files import REQUIRED_FILES, real_data_folder


def _fill(folder, names):
    for name in names:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())


def test_a_complete_shared_folder_is_used_as_it_is(tmp_path):
    _fill(tmp_path / "shared", REQUIRED_FILES)
    found = real_data_folder(tmp_path / "out", shared=tmp_path / "shared",
                             cache=tmp_path / "cache", offline=True)
    assert found == tmp_path / "shared"


def test_files_missing_from_the_shared_folder_come_from_the_cache(tmp_path):
    _fill(tmp_path / "shared", REQUIRED_FILES[:3])
    _fill(tmp_path / "cache", REQUIRED_FILES[3:])
    found = real_data_folder(tmp_path / "out", shared=tmp_path / "shared",
                             cache=tmp_path / "cache", offline=True)
    assert found == tmp_path / "out"
    for name in REQUIRED_FILES:
        assert (found / name).read_bytes() == name.encode()
    assert (found / REQUIRED_FILES[-1]).resolve() == (tmp_path / "cache" /
                                                      REQUIRED_FILES[-1]).resolve()


def test_online_a_missing_file_is_downloaded_into_the_cache_with_its_checksum(tmp_path):
    _fill(tmp_path / "shared", REQUIRED_FILES[1:])
    asked = []

    def fetch(url, dest, algorithm, digest):
        asked.append((url, algorithm, digest))
        _fill(tmp_path / "cache", [REQUIRED_FILES[0]])
        return dest

    found = real_data_folder(tmp_path / "out", shared=tmp_path / "shared",
                             cache=tmp_path / "cache", offline=False, fetch=fetch)
    assert [url.rsplit("/", 1)[1] for url, _, _ in asked] == [Path(REQUIRED_FILES[0]).name]
    assert asked[0][1] == "md5" and len(asked[0][2]) == 32
    assert (found / REQUIRED_FILES[0]).read_bytes() == REQUIRED_FILES[0].encode()


def test_offline_a_file_nobody_has_fails_saying_where_to_put_it(tmp_path):
    _fill(tmp_path / "shared", REQUIRED_FILES[:-1])
    with pytest.raises(pytest.fail.Exception,
                       match=r"aclImdb_v1.tar.gz.*DLPATH_DATA.*download cache.*imdb/"):
        real_data_folder(tmp_path / "out", shared=tmp_path / "shared",
                         cache=tmp_path / "cache", offline=True)
