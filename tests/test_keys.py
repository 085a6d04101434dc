"""Keys, signatures bound to a context, fingerprints and safety numbers."""

from __future__ import annotations

import re

import pytest

from accord.core.encoding import encode_tagged
from accord.core.errors import EncodingError, SignatureError
from accord.core.keys import PublicKey, SigningKey, fingerprint, safety_number


def test_a_signature_verifies_only_in_its_context() -> None:
    key = SigningKey.from_label("k")
    signed = key.sign_object("receipt", {"seq": 1})
    key.public.verify_object("receipt", signed, "receipt")
    with pytest.raises(SignatureError):
        key.public.verify_object("event", signed, "event")
    with pytest.raises(SignatureError):
        key.public.verify_object("receipt", {**signed, "seq": 2}, "receipt")


def test_a_signature_by_another_key_fails() -> None:
    signed = SigningKey.from_label("a").sign_object("event", {"x": 1})
    with pytest.raises(SignatureError, match="does not verify"):
        SigningKey.from_label("b").public.verify_object("event", signed, "event")


def test_fingerprints_are_stable_distinct_and_readable() -> None:
    a, b = SigningKey.from_label("a").public, SigningKey.from_label("b").public
    assert fingerprint(a) == fingerprint(PublicKey.parse(a.text))
    assert fingerprint(a) != fingerprint(b)
    assert re.fullmatch(r"(\d{5} ){11}\d{5}", fingerprint(a))


def test_a_safety_number_is_the_same_from_both_sides() -> None:
    a, b, c = (SigningKey.from_label(x).public for x in "abc")
    assert safety_number(a, b) == safety_number(b, a)
    assert safety_number(a, b) != safety_number(a, c)


def test_public_keys_must_be_tagged_ed25519_of_32_bytes() -> None:
    with pytest.raises(EncodingError):
        PublicKey.parse(encode_tagged("ed25519", bytes(31)))
    with pytest.raises(EncodingError):
        PublicKey.parse("x25519:" + SigningKey.from_label("a").public.text.split(":")[1])
