"""Canonical encoding (RFC 8785), strict parsing and tagged binary values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.encoding import (
    MAX_SAFE_INTEGER,
    b64u_decode,
    b64u_encode,
    canonical,
    canonical_checked,
    decode_tagged,
    encode_tagged,
    parse_json,
)
from accord.core.errors import EncodingError

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(st.characters(codec="utf-8")),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_rfc8785_key_order_is_by_utf16_code_units() -> None:
    # RFC 8785 section 3.2.3's sorting example (values replaced by their position).
    value = {"\u20ac": 0, "\r": 1, "\ufb33": 2, "1": 3, "\U0001f600": 4, "\u0080": 5, "\u00f6": 6}
    expected = '{"\\r":1,"1":3,"\u0080":5,"\u00f6":6,"\u20ac":0,"\U0001f600":4,"\ufb33":2}'
    assert canonical(value) == expected.encode("utf-8")


def test_rfc8785_string_escapes() -> None:
    value = {"string": '€$\u000f\nA\'B"\\\\"/', "literals": [None, True, False]}
    expected = '{"literals":[null,true,false],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    assert canonical(value) == expected.encode("utf-8")


@given(json_values)
def test_canonical_bytes_parse_back_to_the_same_value(value: object) -> None:
    assert parse_json(canonical(value)) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1.5}', "fraction"),
        ('{"a": 1e3}', "fraction or exponent"),
        ('{"a": 9007199254740992}', "outside"),
        ('{"a": NaN}', "NaN"),
        ('{"a": 1, "a": 2}', "twice"),
        ('{"a": "\\ud800"}', "surrogate"),
        ("[1, 2", "not valid JSON"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_strict_parsing_refuses(text: str | bytes, reason: str) -> None:
    with pytest.raises(EncodingError, match=reason):
        parse_json(text)


def test_signed_data_holds_no_floats() -> None:
    with pytest.raises(EncodingError, match="fraction"):
        canonical({"time": 1.0})


@given(st.binary(max_size=100))
def test_base64url_round_trip(raw: bytes) -> None:
    text = b64u_encode(raw)
    assert "=" not in text
    assert b64u_decode(text) == raw


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
def test_base64url_accepts_exactly_the_canonical_spellings(text: str) -> None:
    import base64

    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        canonical_spelling = base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == text
    except ValueError:
        canonical_spelling = False
    try:
        decoded = b64u_decode(text)
    except EncodingError:
        assert not canonical_spelling
    else:
        assert canonical_spelling and decoded == raw


@pytest.mark.parametrize("text", ["AB==", "AB=", "A", "AB+/", "AB c", "AF"])
def test_base64url_has_one_spelling(text: str) -> None:
    # "AF" decodes to the same byte as "AA" with non-zero padding bits: refused.
    with pytest.raises(EncodingError):
        b64u_decode(text)


def test_tagged_values_name_their_algorithm_and_size() -> None:
    raw = bytes(range(32))
    assert decode_tagged(encode_tagged("sha256", raw), "sha256", 32, "hash") == raw
    with pytest.raises(EncodingError, match="algorithm 'md5'"):
        decode_tagged(encode_tagged("md5", raw), "sha256", 32, "hash")
    with pytest.raises(EncodingError, match="32 bytes, not 31"):
        decode_tagged(encode_tagged("sha256", raw[:31]), "sha256", 32, "hash")
    with pytest.raises(EncodingError, match="no algorithm tag"):
        decode_tagged(b64u_encode(raw), "sha256", 32, "hash")


ascii_keys = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8)
protocol_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(st.characters(codec="utf-8")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ascii_keys, inner, max_size=5),
    max_leaves=25,
)


@given(protocol_values)
def test_the_fast_encoder_writes_exactly_rfc8785_for_protocol_objects(value: object) -> None:
    # Protocol objects have ASCII keys and no floats; for them the fast path used when
    # verifying must agree byte for byte with the reference implementation.
    assert canonical_checked(value) == canonical(value)


def test_the_fast_encoder_refuses_unpaired_surrogates() -> None:
    with pytest.raises(EncodingError, match="surrogate"):
        canonical_checked({"a": "\ud800"})


def test_forms_are_matched_whole() -> None:
    from accord.core import schema
    from accord.core.encoding import check_hash
    from accord.core.errors import SchemaError

    with pytest.raises(SchemaError):
        schema.text("tour\n", "conference id", pattern=schema.CONFERENCE_ID)
    with pytest.raises(SchemaError):
        schema.version({"v": True}, "event")
    with pytest.raises(EncodingError):
        check_hash("sha256:" + "A" * 43 + "\n", "hash")


def test_an_integer_of_thousands_of_digits_is_refused_before_it_is_converted() -> None:
    assert parse_json(str(2**53 - 1)) == 2**53 - 1
    assert parse_json(str(-(2**53 - 1))) == -(2**53 - 1)
    for digits in (17, 4301, 50_000):
        with pytest.raises(EncodingError, match=f"an integer of {digits} digits is outside"):
            parse_json("[" + "9" * digits + "]")
    with pytest.raises(EncodingError, match="integer 9007199254740992 is outside"):
        parse_json(str(2**53))  # 16 digits, one too many
