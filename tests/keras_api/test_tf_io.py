"""tf.io: whole-file reads and atomic writes, the image codecs and gfile, on local files."""

import os

import numpy as np
import pytest

import dlpath as tf


def test_read_and_write_file(tmp_path):
    path = tmp_path / "sub" / "data.bin"
    tf.io.write_file(str(path), b"\x00\x01abc")
    assert tf.io.read_file(str(path)) == b"\x00\x01abc"
    tf.io.write_file(path, "héllo")
    assert tf.io.read_file(path) == "héllo".encode()
    assert [p.name for p in path.parent.iterdir()] == ["data.bin"]  # no temporary left
    with pytest.raises(FileNotFoundError, match="read_file: .*missing.bin"):
        tf.io.read_file(str(tmp_path / "missing.bin"))
    with pytest.raises(TypeError, match="write_file: contents must be bytes or str"):
        tf.io.write_file(str(path), 3)
    with pytest.raises(ValueError, match="not a local path"):
        tf.io.read_file("gs://bucket/file")


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "keep.txt"
    tf.io.write_file(path, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        tf.io.write_file(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old" and sorted(os.listdir(tmp_path)) == ["keep.txt"]


def test_png_through_files(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (6, 5, 3)).astype(np.uint8)
    path = str(tmp_path / "a.png")
    tf.io.write_file(path, tf.io.encode_png(image))
    decoded = tf.io.decode_png(tf.io.read_file(path), channels=3)
    np.testing.assert_array_equal(decoded.numpy(), image)
    assert tf.io.decode_image(tf.io.read_file(path)).shape == (6, 5, 3)
    assert tf.io.decode_jpeg(tf.io.encode_jpeg(image)).shape == (6, 5, 3)


def test_gfile(tmp_path):
    folder = tmp_path / "a" / "b"
    tf.io.gfile.makedirs(str(folder))
    tf.io.gfile.makedirs(str(folder))  # exists: nothing happens
    assert tf.io.gfile.exists(str(folder)) and tf.io.gfile.isdir(str(folder))
    with tf.io.gfile.GFile(str(folder / "x.txt"), "w") as handle:
        handle.write("line 1\nline 2\n")
    with tf.io.gfile.GFile(str(folder / "x.txt")) as handle:
        assert list(handle) == ["line 1\n", "line 2\n"]
    with tf.io.gfile.GFile(str(folder / "x.txt"), "rb") as handle:
        assert handle.read() == b"line 1\nline 2\n" and handle.size() == 14
    tf.io.gfile.copy(str(folder / "x.txt"), str(folder / "y.txt"))
    with pytest.raises(FileExistsError, match="overwrite=True"):
        tf.io.gfile.copy(str(folder / "x.txt"), str(folder / "y.txt"))
    assert tf.io.gfile.listdir(str(folder)) == ["x.txt", "y.txt"]
    assert tf.io.gfile.glob(str(folder / "*.txt")) == [str(folder / "x.txt"),
                                                        str(folder / "y.txt")]
    tf.io.gfile.rename(str(folder / "y.txt"), str(folder / "z.txt"))
    tf.io.gfile.remove(str(folder / "z.txt"))
    assert [entry[2] for entry in tf.io.gfile.walk(str(tmp_path))][-1] == ["x.txt"]
    tf.io.gfile.rmtree(str(tmp_path / "a"))
    assert not tf.io.gfile.exists(str(tmp_path / "a"))
    with pytest.raises(FileNotFoundError, match="gfile.listdir"):
        tf.io.gfile.listdir(str(tmp_path / "a"))
    with pytest.raises(ValueError, match="GFile: mode must be"):
        tf.io.gfile.GFile(str(tmp_path / "q"), "x")


def test_base64_raw_compressed_and_matching_files(tmp_path):
    import gzip
    import zlib

    assert tf.io.encode_base64(b"hi?") == b"aGk_"
    assert tf.io.encode_base64(b"hi?!", pad=True) == b"aGk_IQ=="
    assert tf.io.decode_base64(b"aGk_IQ") == b"hi?!"
    with pytest.raises(ValueError, match="decode_base64: invalid base64"):
        tf.io.decode_base64(b"a")
    raw = tf.io.decode_raw(np.arange(3, dtype=">f4").tobytes(), tf.float32, little_endian=False)
    assert raw.dtype == np.float32 and raw.numpy().tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="not a whole number of int32"):
        tf.io.decode_raw(b"abc", tf.int32)
    assert tf.io.decode_compressed(zlib.compress(b"x" * 9), "ZLIB") == b"x" * 9
    assert tf.io.decode_compressed(gzip.compress(b"yz"), "GZIP") == b"yz"
    for name in ("b.txt", "a.txt", "c.bin"):
        (tmp_path / name).write_text(name)
    assert tf.io.matching_files(str(tmp_path / "*.txt")) == [str(tmp_path / "a.txt"),
                                                            str(tmp_path / "b.txt")]
    info = tf.io.gfile.stat(tf.io.gfile.join(str(tmp_path), "a.txt"))
    assert info.length == 5 and not info.is_directory


def test_saturate_cast():
    out = tf.dtypes.saturate_cast(np.array([-5.0, 300.0, 3.7]), tf.uint8)
    assert out.dtype == np.uint8 and out.numpy().tolist() == [0, 255, 3]
    assert tf.dtypes.cast(np.array([1.9]), tf.int32).numpy().tolist() == [1]


def test_decode_csv():
    ints, floats, words = tf.io.decode_csv(['1,2.5,a', '3,,"b,c"'], [[0], [1.0], ["x"]])
    assert ints.dtype == np.int32 and ints.numpy().tolist() == [1, 3]
    assert floats.dtype == np.float32 and floats.numpy().tolist() == [2.5, 1.0]
    assert words.numpy().tolist() == ["a", "b,c"]
    picked = tf.io.decode_csv([b"1;x;2"], [tf.int64, [b"?"]], field_delim=";",
                              select_cols=[0, 1])
    assert picked[0].dtype == np.int64 and picked[1].numpy().tolist() == [b"x"]
    with pytest.raises(ValueError, match="field 0 of record 0 is empty and has no default"):
        tf.io.decode_csv([",1"], [tf.float32, [0]])
    with pytest.raises(ValueError, match="record 0 has 3 fields, expected 2"):
        tf.io.decode_csv(["1,2,3"], [[0], [0]])
    with pytest.raises(ValueError, match="field 1 of record 0 is 'z', not a int32"):
        tf.io.decode_csv(["1,z"], [[0], [0]])
