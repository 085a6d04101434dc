"""Groundwork for encrypted channels: hybrid post-quantum key sealing and bound content."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.core.errors import EncodingError
from accord.core.sealing import (
    DeviceKey,
    DevicePublicKey,
    TamperedError,
    decrypt_content,
    encrypt_content,
    new_epoch_key,
    open_epoch_key,
    seal_epoch_key,
)

HEADER = {
    "conf": "talks",
    "channel": "plenary",
    "author": "ed25519:x",
    "prev": None,
    "seen": {"seq": 4, "head": "sha256:y"},
    "epoch": 1,
}


def test_an_epoch_key_opens_only_for_its_device_and_place() -> None:
    alice, bob = DeviceKey.from_label("alice"), DeviceKey.from_label("bob")
    key = new_epoch_key()
    sealed = seal_epoch_key(alice.public, key, conf="talks", channel="plenary", epoch=1)
    assert open_epoch_key(alice, sealed, conf="talks", channel="plenary", epoch=1) == key
    with pytest.raises(TamperedError):
        open_epoch_key(bob, sealed, conf="talks", channel="plenary", epoch=1)
    with pytest.raises(TamperedError):
        open_epoch_key(alice, sealed, conf="talks", channel="bilateral", epoch=1)
    with pytest.raises(TamperedError):
        open_epoch_key(alice, sealed, conf="talks", channel="plenary", epoch=2)


def test_device_keys_are_deterministic_from_seeds_and_parse_back() -> None:
    a = DeviceKey.from_label("device")
    assert DeviceKey.from_seed(a.seed).public == a.public
    assert DevicePublicKey.parse(a.public.text) == a.public
    assert a.public.text.startswith("mlkem768x25519:")
    with pytest.raises(EncodingError):
        DevicePublicKey.parse("mlkem768x25519:AAAA")


@given(st.binary(max_size=2000))
def test_content_round_trips(plaintext: bytes) -> None:
    key = new_epoch_key()
    assert decrypt_content(key, encrypt_content(key, plaintext, HEADER), HEADER) == plaintext


@pytest.mark.parametrize(
    "moved",
    [
        HEADER | {"channel": "bilateral"},
        HEADER | {"seen": {"seq": 5, "head": "sha256:y"}},
        HEADER | {"prev": "sha256:z"},
        HEADER | {"author": "ed25519:w"},
        HEADER | {"epoch": 2},
    ],
)
def test_content_moved_to_another_event_channel_or_position_is_tampering(
    moved: dict[str, object],
) -> None:
    key = new_epoch_key()
    sealed = encrypt_content(key, b"our bottom line is 72 hours", HEADER)
    with pytest.raises(TamperedError, match="moved"):
        decrypt_content(key, sealed, moved)


def test_altered_or_garbage_content_is_tampering() -> None:
    key = new_epoch_key()
    sealed = encrypt_content(key, b"text", HEADER)
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    for bad in (flipped, "chacha20poly1305:", "garbage", "chacha20poly1305:" + "A" * 10):
        with pytest.raises(TamperedError):
            decrypt_content(key, bad, HEADER)
    with pytest.raises(TamperedError):
        decrypt_content(new_epoch_key(), sealed, HEADER)
