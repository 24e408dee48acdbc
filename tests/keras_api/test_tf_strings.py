"""tf.strings on NumPy string arrays: str in gives str out, bytes in gives bytes out."""

import numpy as np
import pytest

import dlpath as tf


def test_case_strip_and_length():
    words = np.array(["Hello World ", " ÄBC"])
    assert tf.strings.lower(words).numpy().tolist() == ["hello world ", " Äbc"]
    assert tf.strings.lower(words, encoding="utf-8").numpy().tolist() == ["hello world ",
                                                                          " äbc"]
    assert tf.strings.upper(b"abc").numpy() == b"ABC"
    assert tf.strings.strip([b"  a b \n"]).numpy().tolist() == [b"a b"]
    lengths = tf.strings.length(words)
    assert lengths.dtype == np.int32 and lengths.numpy().tolist() == [12, 5]
    assert tf.strings.length(words, unit="UTF8_CHAR").numpy().tolist() == [12, 4]
    with pytest.raises(ValueError, match="unit must be 'BYTE' or 'UTF8_CHAR'"):
        tf.strings.length(words, unit="CHAR")
    with pytest.raises(TypeError, match="all of one kind"):
        tf.strings.lower(["a", b"b"])


def test_split_join_and_reduce_join():
    assert tf.strings.split("a  b c").numpy().tolist() == ["a", "b", "c"]
    pieces = tf.strings.split([b"a,b", b"c"], sep=",")
    assert [p.numpy().tolist() for p in pieces] == [[b"a", b"b"], [b"c"]]
    assert tf.strings.split("a,b,c", ",", maxsplit=1).numpy().tolist() == ["a", "b,c"]
    joined = tf.strings.join([["a", "b"], ["x", "y"]], separator="-")
    assert joined.numpy().tolist() == ["a-x", "b-y"]
    grid = np.array([["a", "b"], ["c", "d"]])
    assert tf.strings.reduce_join(grid).numpy() == "abcd"
    assert tf.strings.reduce_join(grid, axis=0, separator=" ").numpy().tolist() == ["a c",
                                                                                    "b d"]
    assert tf.strings.reduce_join(grid, axis=-1, keepdims=True).shape == (2, 1)
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        tf.strings.reduce_join(grid, axis=2)


def test_regex_and_substr():
    text = np.array(["cat 12", "dog 7"])
    assert tf.strings.regex_replace(text, r"(\w+) (\d+)", r"\2 \1").numpy().tolist() == [
        "12 cat", "7 dog"]
    assert tf.strings.regex_replace("aaa", "a", "b", replace_global=False).numpy() == "baa"
    match = tf.strings.regex_full_match(text, r"[a-z]+ \d")
    assert match.dtype == np.bool_ and match.numpy().tolist() == [False, True]
    assert tf.strings.substr(b"Hello", 1, 3).numpy() == b"ell"
    assert tf.strings.substr("Hello", -3, 10).numpy() == "llo"
    assert tf.strings.substr(["Héllo"], 0, 2, unit="UTF8_CHAR").numpy().tolist() == ["Hé"]
    with pytest.raises(ValueError, match="pos 9 out of range"):
        tf.strings.substr("Hello", 9, 1)
    with pytest.raises(ValueError, match="invalid pattern"):
        tf.strings.regex_full_match("a", "(")


def test_numbers_and_format():
    numbers = tf.strings.to_number(["1.5", " 2", "-3e2"])
    assert numbers.dtype == np.float32 and numbers.numpy().tolist() == [1.5, 2.0, -300.0]
    assert tf.strings.to_number([b"7"], out_type=tf.int64).numpy().tolist() == [7]
    with pytest.raises(ValueError, match="could not correctly convert string: 'x1'"):
        tf.strings.to_number(["x1"])
    assert tf.strings.as_string(np.float32(3.5)).numpy() == "3.500000"
    assert tf.strings.as_string([1, 22], width=3, fill="0").numpy().tolist() == ["001", "022"]
    assert tf.strings.as_string(tf.constant([0.25]), precision=1).numpy().tolist() == ["0.2"]
    assert tf.strings.as_string([1234.5], scientific=True).numpy().tolist() == [
        "1.234500e+03"]
    assert tf.strings.as_string([True]).numpy().tolist() == ["true"]
    text = tf.strings.format("x={} n={}", [tf.constant([1, 2, 3]), 5])
    assert text.numpy() == "x=[1 2 3] n=5"
    with pytest.raises(ValueError, match="2 placeholders and there are 1 inputs"):
        tf.strings.format("{} {}", [1])


def test_unicode_split():
    assert tf.strings.unicode_split("añb", "UTF-8").numpy().tolist() == ["a", "ñ", "b"]
    parts = tf.strings.unicode_split(["ñ".encode(), b"ab"], "UTF-8")
    assert [p.numpy().tolist() for p in parts] == [["ñ".encode()], [b"a", b"b"]]


def test_bytes_split_ngrams_segment_join_and_code_points():
    assert tf.strings.bytes_split("añ").numpy().tolist() == [b"a", b"\xc3", b"\xb1"]
    assert tf.strings.ngrams(["a", "b", "c"], 2).numpy().tolist() == ["a b", "b c"]
    padded = tf.strings.ngrams([b"a", b"b"], 2, separator="_", pad_values=("<", ">"))
    assert padded.numpy().tolist() == [b"<_a", b"a_b", b"b_>"]
    assert tf.strings.ngrams(["a"], 3, preserve_short_sequences=True).numpy().tolist() == ["a"]
    joined = tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [0, 1, 0, 1], 3, ":")
    assert joined.numpy().tolist() == ["a:c", "b:d", ""]
    codes = tf.strings.unicode_decode("añ", "UTF-8")
    assert codes.dtype == np.int32 and codes.numpy().tolist() == [97, 241]
    assert tf.strings.unicode_encode(codes, "UTF-8").numpy() == "añ".encode()
    assert tf.strings.unicode_encode([[97], [98, 99]], "UTF-8").numpy().tolist() == [b"a",
                                                                                    b"bc"]


def test_hash_buckets_match_tensorflow_documented_values():
    fast = tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3)
    assert fast.dtype == np.int64 and fast.numpy().tolist() == [0, 2, 2]
    assert tf.strings.to_hash_bucket_fast([b"Hello"], 3).numpy().tolist() == [0]
    strong = tf.strings.to_hash_bucket_strong(["Hello", "TF"], 3, [1, 2])
    assert strong.numpy().tolist() == [2, 0]
    with pytest.raises(ValueError, match="num_buckets must be >= 1"):
        tf.strings.to_hash_bucket_fast(["a"], 0)
