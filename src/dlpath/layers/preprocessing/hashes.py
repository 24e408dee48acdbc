"""The two string hashes of Keras' categorical layers, bit for bit.

- ``fingerprint64``: FarmHash's ``Fingerprint64`` (what TensorFlow's
  ``tf.strings.to_hash_bucket_fast`` and Keras' unsalted `Hashing` use), from the
  ``cityhash`` package (its ``farmhash`` module, Google's FarmHash in C++), imported when
  first needed.
- ``siphash24``: SipHash-2-4 (Aumasson & Bernstein, 2012) with a 128-bit key ``(k0, k1)``
  (what ``tf.strings.to_hash_bucket_strong`` and Keras' salted `Hashing` use), written
  here from the paper: the key words are read little-endian, as the reference code reads
  its 16 key bytes.

Both hash the UTF-8 bytes of a string and return an unsigned 64-bit int.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1


def fingerprint64(data: bytes) -> int:
    """FarmHash ``Fingerprint64(data)``."""
    try:
        import farmhash
    except ImportError:
        raise ImportError(
            "Hashing without a salt (and string lookups with num_oov_indices > 1) use "
            "FarmHash Fingerprint64, as Keras does; install it with `pip install cityhash`"
        ) from None
    return int(farmhash.Fingerprint64(data))


def _rotate(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (64 - bits))) & _MASK


def _sip_rounds(v: list, count: int) -> None:
    for _ in range(count):
        v[0] = (v[0] + v[1]) & _MASK
        v[1] = _rotate(v[1], 13) ^ v[0]
        v[0] = _rotate(v[0], 32)
        v[2] = (v[2] + v[3]) & _MASK
        v[3] = _rotate(v[3], 16) ^ v[2]
        v[0] = (v[0] + v[3]) & _MASK
        v[3] = _rotate(v[3], 21) ^ v[0]
        v[2] = (v[2] + v[1]) & _MASK
        v[1] = _rotate(v[1], 17) ^ v[2]
        v[2] = _rotate(v[2], 32)


def siphash24(k0: int, k1: int, data: bytes) -> int:
    """SipHash-2-4 of ``data`` under the key ``(k0, k1)`` (two unsigned 64-bit words).

    Two compression rounds per 8-byte little-endian word ``m`` (``v3 ^= m``, rounds,
    ``v0 ^= m``), a last word holding the remaining bytes and ``len(data) mod 256`` in
    its top byte, then ``v2 ^= 0xff`` and four finalization rounds; the hash is
    ``v0 ^ v1 ^ v2 ^ v3``.
    """
    k0, k1 = k0 & _MASK, k1 & _MASK
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]
    length = len(data)
    end = length - length % 8
    words = [int.from_bytes(data[i:i + 8], "little") for i in range(0, end, 8)]
    words.append(((length & 0xFF) << 56) | int.from_bytes(data[end:], "little"))
    for word in words:
        v[3] ^= word
        _sip_rounds(v, 2)
        v[0] ^= word
    v[2] ^= 0xFF
    _sip_rounds(v, 4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]
