"""A gzip body made of a page compressed once and short per-request values added uncompressed.

The blank survey page is the same for every visit but for its one-time token and CSRF token. Compressing
its 16 KB for every visit was a tenth of the survey's CPU time; instead the fixed parts are compressed once
(`compress_parts`, kept with the cached page), and each response joins them with the visit's values as
*stored* (uncompressed) deflate blocks (`join`). Every part ends on a byte boundary (a sync flush), so the
pieces make one valid deflate stream (RFC 1951); the gzip wrapper carries the CRC-32 and length of the whole
page (RFC 1952).

The secrets are never compressed together with the page, so the size of a response reveals nothing about
them (the BREACH attack needs exactly that), as `GZipMiddleware`'s random padding also aims to ensure.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

_LEVEL = 6  # GZipMiddleware's
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no time, unknown OS
_STORED_MAX = 0xFFFF


def compress_parts(parts: Sequence[bytes]) -> list[bytes]:
    """Each fixed part as raw deflate ending on a byte boundary; the last one closes the stream."""
    compressed = []
    for i, part in enumerate(parts):
        compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
        last = i == len(parts) - 1
        compressed.append(compressor.compress(part) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH))
    return compressed


def _stored(data: bytes) -> bytes:
    """Non-final stored deflate blocks of `data` (the stream is byte-aligned before and after)."""
    blocks = []
    for start in range(0, len(data), _STORED_MAX):
        chunk = data[start : start + _STORED_MAX]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def join(compressed: Sequence[bytes], values: Sequence[bytes], whole: bytes) -> bytes:
    """The gzip body of part₀ + value₀ + part₁ + … + partₙ, given the parts' `compress_parts` and the whole
    uncompressed page (for the CRC-32 and length in the trailer)."""
    if len(compressed) != len(values) + 1:
        raise ValueError("one value between each two parts")
    body = [_HEADER]
    for part, value in zip(compressed, values, strict=False):
        body += [part, _stored(value)]
    body += [compressed[-1], struct.pack("<II", zlib.crc32(whole), len(whole) & 0xFFFFFFFF)]
    return b"".join(body)
