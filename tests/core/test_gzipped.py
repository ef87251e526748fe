import gzip
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sumberdaya.core import gzipped


@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=5), st.data())
def test_the_joined_body_decompresses_to_the_page_with_its_values(parts, data):
    values = [data.draw(st.binary(max_size=200)) for _ in parts[1:]]
    whole = parts[0] + b"".join(v + p for v, p in zip(values, parts[1:], strict=True))
    body = gzipped.join(gzipped.compress_parts(parts), values, whole)
    assert gzip.decompress(body) == whole
    # zlib checks the trailer's CRC-32 and length as a browser does
    assert zlib.decompress(body, 16 + zlib.MAX_WBITS) == whole


def test_a_value_longer_than_one_stored_block_is_split():
    value = bytes(range(256)) * 300  # 76 800 bytes: two stored blocks
    parts = [b"<p>", b"</p>"]
    whole = parts[0] + value + parts[1]
    assert gzip.decompress(gzipped.join(gzipped.compress_parts(parts), [value], whole)) == whole


def test_the_values_are_not_compressed_with_the_page():
    """Their size shows in the body byte for byte: nothing about a secret leaks through compression."""
    parts = [b"token=" * 50, b" end"]
    compressed = gzipped.compress_parts(parts)
    secret_like_page = b"token=" * 10
    short = gzipped.join(compressed, [b"x" * 60], parts[0] + b"x" * 60 + parts[1])
    similar = gzipped.join(compressed, [secret_like_page], parts[0] + secret_like_page + parts[1])
    assert len(short) == len(similar)


def test_it_refuses_values_that_do_not_fit_between_the_parts():
    with pytest.raises(ValueError, match="between"):
        gzipped.join(gzipped.compress_parts([b"a", b"b"]), [], b"ab")
