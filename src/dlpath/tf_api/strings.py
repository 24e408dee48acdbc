"""``tf.strings`` on NumPy arrays of strings.

Inputs are ``str`` or ``bytes`` (one, a list, or a NumPy array of them). TensorFlow's
strings are always bytes; dlpath keeps what it is given: ``str`` in gives ``str`` out,
``bytes`` in gives ``bytes`` out (``unit="BYTE"`` counts UTF-8 bytes either way). String
results are `StringArray` (a NumPy object array, as TensorFlow's ``.numpy()`` gives, with
its own ``.numpy()``); counts, numbers and matches are Tensors. `split` and
`unicode_split` of more than one string give a list of arrays where TensorFlow gives a
RaggedTensor.
"""

from __future__ import annotations

import re

import numpy as np

from dlpath.engine import Tensor


class StringArray(np.ndarray):
    """An object array of ``str`` or ``bytes``; ``.numpy()`` gives the plain array (or the
    one string, for a scalar), as a TensorFlow string tensor does."""

    def numpy(self):
        plain = np.asarray(self).view(np.ndarray)
        return plain.item() if plain.ndim == 0 else plain


def _elements(values, owner: str) -> tuple:
    """(an object array of the strings, True if they are bytes)."""
    if isinstance(values, Tensor):
        raise TypeError(f"{owner}: expected strings, got a numeric Tensor of dtype "
                        f"{values.dtype}")
    array = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else (
        values.astype(object))
    flat = [item for item in array.reshape(-1)]
    flat = [item.item() if isinstance(item, np.generic) else item for item in flat]
    is_bytes = bool(flat) and all(isinstance(item, (bytes, bytearray)) for item in flat)
    if not is_bytes and not all(isinstance(item, str) for item in flat):
        kinds = sorted({type(item).__name__ for item in flat})
        raise TypeError(f"{owner}: expected str or bytes strings (all of one kind), got "
                        f"{', '.join(kinds)}")
    out = np.empty(array.shape, dtype=object)
    out.reshape(-1)[:] = [bytes(item) if is_bytes else item for item in flat]
    return out, is_bytes


def _wrap(values) -> StringArray:
    array = np.empty(np.shape(values), dtype=object)
    array[...] = values
    return array.view(StringArray)


def _map(values, fn, owner: str) -> StringArray:
    array, _ = _elements(values, owner)
    out = np.empty(array.shape, dtype=object)
    out.reshape(-1)[:] = [fn(item) for item in array.reshape(-1)]
    return out.view(StringArray)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def lower(input, encoding: str = "", name=None):  # noqa: A002 - TF's name
    """Lower case: ASCII letters only, or every letter with ``encoding="utf-8"``."""
    def fn(item):
        if isinstance(item, bytes):
            return item.decode("utf-8").lower().encode("utf-8") if encoding else item.lower()
        return item.lower() if encoding else item.translate(_ASCII_LOWER)
    return _map(input, fn, "strings.lower")


def upper(input, encoding: str = "", name=None):  # noqa: A002
    """Upper case: ASCII letters only, or every letter with ``encoding="utf-8"``."""
    def fn(item):
        if isinstance(item, bytes):
            return item.decode("utf-8").upper().encode("utf-8") if encoding else item.upper()
        return item.upper() if encoding else item.translate(_ASCII_UPPER)
    return _map(input, fn, "strings.upper")


def strip(input, name=None):  # noqa: A002
    """Leading and trailing whitespace removed."""
    return _map(input, lambda item: item.strip(), "strings.strip")


def _units(item, unit: str, owner: str):
    if unit == "BYTE":
        return item if isinstance(item, bytes) else item.encode("utf-8")
    if unit == "UTF8_CHAR":
        return item.decode("utf-8") if isinstance(item, bytes) else item
    raise ValueError(f"{owner}: unit must be 'BYTE' or 'UTF8_CHAR', got {unit!r}")


def length(input, unit: str = "BYTE", name=None):  # noqa: A002
    """The length of each string, in bytes or in characters, as int32."""
    array, _ = _elements(input, "strings.length")
    counts = [len(_units(item, unit, "strings.length")) for item in array.reshape(-1)]
    return Tensor(np.asarray(counts, dtype=np.int32).reshape(array.shape), dtype="int32")


def _split_one(item, sep, maxsplit: int) -> list:
    if sep is None or sep == "" or sep == b"":
        return item.split(None, maxsplit)
    if isinstance(item, bytes) and isinstance(sep, str):
        sep = sep.encode("utf-8")
    elif isinstance(item, str) and isinstance(sep, bytes):
        sep = sep.decode("utf-8")
    return item.split(sep, maxsplit)


def split(input, sep=None, maxsplit: int = -1, name=None):  # noqa: A002
    """The pieces of each string between ``sep`` (whitespace runs when None or empty): one
    string gives an array of pieces, several give a list of such arrays (TensorFlow: a
    RaggedTensor)."""
    array, _ = _elements(input, "strings.split")
    pieces = [_wrap(_split_one(item, sep, int(maxsplit))) for item in array.reshape(-1)]
    if array.ndim == 0:
        return pieces[0]
    if array.ndim > 1:
        raise ValueError(f"strings.split: input must be a string or a 1-D array of them, got "
                         f"shape {array.shape}")
    return pieces


def _separator(separator, is_bytes: bool):
    if is_bytes and isinstance(separator, str):
        return separator.encode("utf-8")
    if not is_bytes and isinstance(separator, bytes):
        return separator.decode("utf-8")
    return separator


def join(inputs, separator: str = "", name=None):
    """Element-wise join of several equally shaped (or broadcastable) string arrays."""
    arrays = [_elements(item, "strings.join") for item in inputs]
    if not arrays:
        raise ValueError("strings.join: inputs must hold at least one string array")
    kinds = {is_bytes for _, is_bytes in arrays}
    if len(kinds) > 1:
        raise TypeError("strings.join: inputs mix str and bytes")
    sep = _separator(separator, kinds.pop())
    broadcast = np.broadcast_arrays(*[array for array, _ in arrays])
    out = np.empty(broadcast[0].shape, dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = sep.join(array[index] for array in broadcast)
    return out.view(StringArray)


def reduce_join(inputs, axis=None, keepdims: bool = False, separator: str = "", name=None):
    """Join along ``axis`` (all axes, in row-major order, when None)."""
    array, is_bytes = _elements(inputs, "strings.reduce_join")
    sep = _separator(separator, is_bytes)
    if axis is None:
        joined = sep.join(array.reshape(-1))
        result = np.array(joined, dtype=object)
        return _wrap(result.reshape((1,) * array.ndim) if keepdims else result)
    axis = int(axis)
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(f"strings.reduce_join: axis {axis} is out of range for rank "
                         f"{array.ndim}")
    moved = np.moveaxis(array, axis, -1)
    out = np.empty(moved.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = sep.join(moved[index])
    if keepdims:
        out = np.expand_dims(out, axis)
    return out.view(StringArray)


def _pattern(pattern, is_bytes: bool):
    if is_bytes and isinstance(pattern, str):
        return pattern.encode("utf-8")
    if not is_bytes and isinstance(pattern, bytes):
        return pattern.decode("utf-8")
    return pattern


def regex_replace(input, pattern, rewrite, replace_global: bool = True,  # noqa: A002
                  name=None):
    """Matches of ``pattern`` replaced by ``rewrite`` (``\\1`` names a group); the first
    match only unless ``replace_global``. Patterns are Python's ``re`` (TensorFlow: RE2,
    which agrees on the common syntax)."""
    array, is_bytes = _elements(input, "strings.regex_replace")
    try:
        compiled = re.compile(_pattern(pattern, is_bytes))
    except re.error as error:
        raise ValueError(f"strings.regex_replace: invalid pattern {pattern!r}: "
                         f"{error}") from None
    replacement = _pattern(rewrite, is_bytes)
    count = 0 if replace_global else 1
    return _map(array, lambda item: compiled.sub(replacement, item, count=count),
                "strings.regex_replace")


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """Whether each whole string matches ``pattern``, as a bool Tensor."""
    array, is_bytes = _elements(input, "strings.regex_full_match")
    try:
        compiled = re.compile(_pattern(pattern, is_bytes))
    except re.error as error:
        raise ValueError(f"strings.regex_full_match: invalid pattern {pattern!r}: "
                         f"{error}") from None
    matches = [compiled.fullmatch(item) is not None for item in array.reshape(-1)]
    return Tensor(np.asarray(matches, dtype=bool).reshape(array.shape))


def substr(input, pos, len, unit: str = "BYTE", name=None):  # noqa: A002
    """``len`` units from ``pos`` (counted from the end when negative); shorter at the end
    of the string. ValueError if ``pos`` is beyond the string. Cutting ``str`` strings by
    bytes inside a multi-byte character gives U+FFFD there."""
    array, _ = _elements(input, "strings.substr")
    positions = np.broadcast_to(np.asarray(pos), array.shape)
    lengths = np.broadcast_to(np.asarray(len), array.shape)
    out = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        item = array[index]
        units = _units(item, unit, "strings.substr")
        start, count = int(positions[index]), int(lengths[index])
        size = units.__len__()
        if start > size or start < -size:
            raise ValueError(f"strings.substr: pos {start} out of range for string {item!r} "
                             f"of length {size}")
        start = start + size if start < 0 else start
        piece = units[start:start + max(count, 0)]
        if isinstance(item, str) and isinstance(piece, bytes):
            piece = piece.decode("utf-8", errors="replace")
        elif isinstance(item, bytes) and isinstance(piece, str):
            piece = piece.encode("utf-8")
        out[index] = piece
    return out.view(StringArray)


def to_number(string_tensor, out_type="float32", name=None):
    """Each string parsed as a number of ``out_type``; ValueError naming a string that is
    not one."""
    array, _ = _elements(string_tensor, "strings.to_number")
    dtype = np.dtype(getattr(out_type, "as_numpy_dtype", out_type))
    numbers = []
    for item in array.reshape(-1):
        text = item.decode("utf-8") if isinstance(item, bytes) else item
        try:
            numbers.append(int(text.strip()) if dtype.kind in "iu" else float(text.strip()))
        except ValueError:
            raise ValueError(f"strings.to_number: StringToNumberOp could not correctly "
                             f"convert string: {text!r}") from None
    return Tensor(np.asarray(numbers, dtype=dtype).reshape(array.shape), dtype=dtype)


def _format_number(value, precision: int, scientific: bool, shortest: bool, width: int,
                   fill: str) -> str:
    flag = "0" if fill == "0" else ""
    size = str(width) if width >= 0 else ""
    if isinstance(value, (bool, np.bool_)):
        text = "true" if value else "false"
        return text.rjust(width, fill or " ") if width > 0 else text
    if isinstance(value, (int, np.integer)):
        return f"{int(value):{flag}{size}d}"
    kind = "e" if scientific else "g" if shortest else "f"
    digits = f".{precision}" if precision >= 0 else ""
    return f"{float(value):{flag}{size}{digits}{kind}}"


def as_string(input, precision: int = -1, scientific: bool = False,  # noqa: A002
              shortest: bool = False, width: int = -1, fill: str = "", name=None):
    """Numbers as strings (``str``): floats as ``%f`` (6 decimals unless ``precision``),
    ``%e`` with ``scientific``, ``%g`` with ``shortest``; ``width`` pads with ``fill``
    (" " or "0"); booleans as "true" / "false"."""
    if fill not in ("", " ", "0"):
        raise ValueError(f"strings.as_string: fill must be '', ' ' or '0', got {fill!r}")
    if scientific and shortest:
        raise ValueError("strings.as_string: cannot set both scientific and shortest")
    array = np.asarray(input.data if isinstance(input, Tensor) else input)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"strings.as_string: input must be numbers or booleans, got dtype "
                        f"{array.dtype}")
    out = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        out[index] = _format_number(array[index], int(precision), scientific, shortest,
                                    int(width), fill)
    return out.view(StringArray)


def _tensor_text(value, summarize: int) -> str:
    array = np.asarray(value.data if isinstance(value, Tensor) else value)
    if array.ndim == 0:
        return str(array.item())
    edge = summarize if summarize >= 0 else array.size
    return np.array2string(array, separator=" ", threshold=max(edge * 2, 1), edgeitems=edge)


def format(template: str, inputs, placeholder: str = "{}", summarize: int = 3,  # noqa: A001
           name=None) -> StringArray:
    """``template`` with each ``placeholder`` replaced by the next input (NumPy's printing
    of its values, at most ``summarize`` items at each end of an axis)."""
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    parts = template.split(placeholder)
    if len(parts) - 1 != len(inputs):
        raise ValueError(f"strings.format: the template has {len(parts) - 1} placeholders "
                         f"and there are {len(inputs)} inputs")
    texts = [_tensor_text(value, int(summarize)) for value in inputs]
    return _wrap("".join(part + text for part, text in zip(parts, texts + [""])))


def unicode_split(input, input_encoding: str = "UTF-8", errors: str = "replace",  # noqa: A002
                  replacement_char: int = 65533, name=None):
    """The characters of each string (as ``split``: an array for one string, a list of
    arrays for several)."""
    array, is_bytes = _elements(input, "strings.unicode_split")

    def characters(item):
        text = item.decode(input_encoding, errors="replace" if errors != "strict" else
                           "strict") if is_bytes else item
        return _wrap([c.encode("utf-8") if is_bytes else c for c in text])

    pieces = [characters(item) for item in array.reshape(-1)]
    return pieces[0] if array.ndim == 0 else pieces


def bytes_split(input, name=None):  # noqa: A002 - TF's name
    """The bytes of each string, one per element (as `split`: an array for one string, a
    list of arrays for several)."""
    array, is_bytes = _elements(input, "strings.bytes_split")

    def pieces(item):
        data = item if is_bytes else item.encode("utf-8")
        return _wrap([data[i:i + 1] for i in range(len(data))])

    parts = [pieces(item) for item in array.reshape(-1)]
    return parts[0] if array.ndim == 0 else parts


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences: bool = False, name=None):
    """The ``ngram_width``-grams of a 1-D array of tokens (several widths: all of them,
    width by width), joined by ``separator``; ``pad_values`` (left, right) are added
    ``padding_width`` times (``ngram_width - 1`` by default) at each end."""
    array, is_bytes = _elements(data, "strings.ngrams")
    if array.ndim != 1:
        raise ValueError(f"strings.ngrams: data must be a 1-D array of tokens (TF's ragged "
                         f"input is not supported), got shape {array.shape}")
    widths = [int(w) for w in np.atleast_1d(ngram_width)]
    sep = _separator(separator, is_bytes)
    if isinstance(pad_values, (str, bytes)):
        pad_values = (pad_values, pad_values)
    grams = []
    for width in widths:
        if width < 1:
            raise ValueError(f"strings.ngrams: ngram_width must be >= 1, got {width}")
        tokens = list(array)
        if pad_values is not None:
            count = width - 1 if padding_width is None else int(padding_width)
            left, right = (_separator(v, is_bytes) for v in pad_values)
            tokens = [left] * count + tokens + [right] * count
        found = [sep.join(tokens[i:i + width]) for i in range(len(tokens) - width + 1)]
        if not found and preserve_short_sequences and tokens:
            found = [sep.join(tokens)]
        grams += found
    return _wrap(grams)


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """For each segment ``k`` < ``num_segments``, the strings whose id is ``k`` joined in
    order (empty for a segment with none)."""
    array, is_bytes = _elements(inputs, "strings.unsorted_segment_join")
    ids = np.asarray(segment_ids.data if isinstance(segment_ids, Tensor) else segment_ids)
    if ids.shape != array.shape[:ids.ndim]:
        raise ValueError(f"strings.unsorted_segment_join: segment_ids of shape {ids.shape} "
                         f"must be a prefix of the inputs' shape {array.shape}")
    sep = _separator(separator, is_bytes)
    count = int(num_segments)
    rest = array.shape[ids.ndim:]
    groups: list = [[[] for _ in range(int(np.prod(rest)))] for _ in range(count)]
    for index in np.ndindex(ids.shape):
        segment = int(ids[index])
        if not 0 <= segment < count:
            continue
        for slot, item in enumerate(np.asarray(array[index]).reshape(-1)):
            groups[segment][slot].append(item)
    out = np.empty((count, *rest), dtype=object)
    out.reshape(count, -1)[:] = [[sep.join(parts) for parts in group] for group in groups]
    return out.view(StringArray)


def unicode_decode(input, input_encoding: str, errors: str = "replace",  # noqa: A002
                   replacement_char: int = 65533, replace_control_characters: bool = False,
                   name=None):
    """The code points (int32) of each string: an array for one string, a list of arrays
    for several (TensorFlow: a RaggedTensor)."""
    array, is_bytes = _elements(input, "strings.unicode_decode")

    def points(item):
        if is_bytes:
            mode = "strict" if errors == "strict" else ("ignore" if errors == "ignore"
                                                       else "replace")
            item = item.decode(input_encoding, errors=mode)
        codes = [ord(c) for c in item]
        if errors == "replace" and replacement_char != 65533:
            codes = [replacement_char if c == 65533 else c for c in codes]
        return Tensor(np.asarray(codes, dtype=np.int32), dtype="int32")

    decoded = [points(item) for item in array.reshape(-1)]
    return decoded[0] if array.ndim == 0 else decoded


def unicode_encode(input, output_encoding: str, errors: str = "replace",  # noqa: A002
                   replacement_char: int = 65533, name=None):
    """Code points (a 1-D array, or a list of them) encoded as bytes strings."""
    def encode(codes) -> bytes:
        values = np.asarray(codes.data if isinstance(codes, Tensor) else codes).reshape(-1)
        text = "".join(chr(int(c)) if 0 <= int(c) <= 0x10FFFF else chr(replacement_char)
                       for c in values)
        return text.encode(output_encoding, errors="replace")

    if isinstance(input, list) and input and not np.isscalar(input[0]):
        return _wrap([encode(codes) for codes in input])
    return _wrap(encode(input))


def _buckets(values, num_buckets, hash_fn, owner: str) -> Tensor:
    count = int(num_buckets)
    if count < 1:
        raise ValueError(f"{owner}: num_buckets must be >= 1, got {num_buckets}")
    array, _ = _elements(values, owner)
    codes = [hash_fn(item if isinstance(item, bytes) else item.encode("utf-8")) % count
             for item in array.reshape(-1)]
    return Tensor(np.asarray(codes, dtype=np.int64).reshape(array.shape), dtype="int64")


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TF's name
    """FarmHash ``Fingerprint64`` of each string's UTF-8 bytes mod ``num_buckets`` (int64),
    TensorFlow's values (needs the ``cityhash`` package)."""
    from dlpath.layers.preprocessing.hashes import fingerprint64

    return _buckets(input, num_buckets, fingerprint64, "strings.to_hash_bucket_fast")


def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """SipHash-2-4 under ``key`` (two ints) of each string mod ``num_buckets`` (int64)."""
    from dlpath.layers.preprocessing.hashes import siphash24

    words = [int(k) for k in np.asarray(key).reshape(-1)]
    if len(words) != 2:
        raise ValueError(f"strings.to_hash_bucket_strong: key must be 2 integers, got {key!r}")
    return _buckets(input, num_buckets, lambda data: siphash24(words[0], words[1], data),
                    "strings.to_hash_bucket_strong")


__all__ = ["StringArray", "as_string", "bytes_split", "format", "join", "length", "lower",
           "ngrams", "reduce_join", "regex_full_match", "regex_replace", "split", "strip",
           "substr", "to_hash_bucket_fast", "to_hash_bucket_strong", "to_number",
           "unicode_decode", "unicode_encode", "unicode_split", "unsorted_segment_join",
           "upper"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
