"""Confidentiality primitives for channels (groundwork for end-to-end encryption).

- **Device keys**: hybrid post-quantum key pairs, ML-KEM-768 + X25519, used with HPKE
  (RFC 9180) to give each member device a channel's *epoch key*. Harvest-now-decrypt-later
  needs both ML-KEM-768 and X25519 broken.
- **Sealed epoch keys**: an epoch key encrypted to one device with HPKE base mode
  (KEM ML-KEM-768+X25519, HKDF-SHA256, ChaCha20-Poly1305). The HPKE `info` names the
  conference, channel, epoch and recipient, so a sealed key cannot be replayed elsewhere.
- **Content**: ChaCha20-Poly1305 under the epoch key, with the event's clear header as
  associated data: a ciphertext moved to another event, channel or position fails to
  open, and that failure is reported as tampering.

Everything here is pure computation (the randomness for keys and nonces comes from the
operating system's generator through `cryptography`, as for signing keys).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from accord.core.encoding import b64u_decode, b64u_encode, canonical, decode_tagged, encode_tagged
from accord.core.errors import AccordError, EncodingError

DEVICE_KEY_ALG = "mlkem768x25519"
MLKEM_PUBLIC_SIZE = 1184
X25519_SIZE = 32
DEVICE_PUBLIC_SIZE = MLKEM_PUBLIC_SIZE + X25519_SIZE
EPOCH_KEY_SIZE = 32
CONTENT_ALG = "chacha20poly1305"
NONCE_SIZE = 12

_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


class TamperedError(AccordError):
    """A ciphertext does not open: altered, moved to another place, or not for this key."""


@dataclass(frozen=True)
class DevicePublicKey:
    raw: bytes  # the ML-KEM-768 public key, then the X25519 public key

    @classmethod
    def parse(cls, text: object, what: str = "device key") -> DevicePublicKey:
        key = cls(decode_tagged(text, DEVICE_KEY_ALG, DEVICE_PUBLIC_SIZE, what))
        try:
            key._hpke  # noqa: B018 - refuses bytes that are not valid keys
        except ValueError as exc:
            raise EncodingError(f"{what} is not a valid ML-KEM-768 + X25519 key") from exc
        return key

    @property
    def text(self) -> str:
        return encode_tagged(DEVICE_KEY_ALG, self.raw)

    @cached_property
    def _hpke(self) -> hpke.MLKEM768X25519PublicKey:
        return hpke.MLKEM768X25519PublicKey(
            mlkem.MLKEM768PublicKey.from_public_bytes(self.raw[:MLKEM_PUBLIC_SIZE]),
            x25519.X25519PublicKey.from_public_bytes(self.raw[MLKEM_PUBLIC_SIZE:]),
        )

    def id(self) -> str:
        """A short stable name for the key: the hash of its tagged form."""
        return "sha256:" + b64u_encode(hashlib.sha256(self.text.encode()).digest())

    def seal(self, plaintext: bytes, info: bytes) -> bytes:
        return _SUITE.encrypt(plaintext, self._hpke, info=info)


class DeviceKey:
    """A device's private key pair (held by its node's keystore)."""

    def __init__(self, mlkem_seed: bytes, x25519_raw: bytes) -> None:
        self._mlkem = mlkem.MLKEM768PrivateKey.from_seed_bytes(mlkem_seed)
        self._x25519 = x25519.X25519PrivateKey.from_private_bytes(x25519_raw)
        self._hpke = hpke.MLKEM768X25519PrivateKey(self._mlkem, self._x25519)
        self.seed = mlkem_seed + x25519_raw
        self.public = DevicePublicKey(
            self._mlkem.public_key().public_bytes_raw()
            + self._x25519.public_key().public_bytes_raw()
        )

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(secrets.token_bytes(64), secrets.token_bytes(32))

    @classmethod
    def from_seed(cls, seed: bytes) -> DeviceKey:
        if len(seed) != 96:
            raise ValueError("a device key seed is 96 bytes (64 for ML-KEM, 32 for X25519)")
        return cls(seed[:64], seed[64:])

    @classmethod
    def from_label(cls, label: str) -> DeviceKey:
        """A deterministic key for tests and vectors."""
        return cls.from_seed(hashlib.shake_256(label.encode("utf-8")).digest(96))

    def open(self, sealed: bytes, info: bytes) -> bytes:
        try:
            return _SUITE.decrypt(sealed, self._hpke, info=info)
        except (InvalidTag, ValueError) as exc:
            raise TamperedError("a sealed key does not open with this device's key") from exc


def _epoch_info(conf: str, channel: str, epoch: int, recipient: DevicePublicKey) -> bytes:
    return b"accord/v1/epoch-key\x00" + canonical(
        {"conf": conf, "channel": channel, "epoch": epoch, "recipient": recipient.id()}
    )


def new_epoch_key() -> bytes:
    return secrets.token_bytes(EPOCH_KEY_SIZE)


def seal_epoch_key(
    recipient: DevicePublicKey, epoch_key: bytes, *, conf: str, channel: str, epoch: int
) -> str:
    """An epoch key encrypted to one device, as base64url text."""
    info = _epoch_info(conf, channel, epoch, recipient)
    return b64u_encode(recipient.seal(epoch_key, info))


def open_epoch_key(device: DeviceKey, sealed: str, *, conf: str, channel: str, epoch: int) -> bytes:
    info = _epoch_info(conf, channel, epoch, device.public)
    try:
        raw = b64u_decode(sealed)
    except EncodingError as exc:
        raise TamperedError("a sealed epoch key is not base64url") from exc
    key = device.open(raw, info)
    if len(key) != EPOCH_KEY_SIZE:
        raise TamperedError("a sealed epoch key has the wrong length")
    return key


def _aad(header: dict[str, Any] | bytes) -> bytes:
    return header if isinstance(header, bytes) else canonical(header)


def encrypt_content(
    epoch_key: bytes,
    plaintext: bytes,
    header: dict[str, Any] | bytes,
    nonce: bytes | None = None,
) -> str:
    """Encrypt `plaintext` bound to `header` (the event's clear fields, or their canonical
    bytes); tagged text. `nonce` is for reproducible test vectors only."""
    if nonce is None:
        nonce = secrets.token_bytes(NONCE_SIZE)
    elif len(nonce) != NONCE_SIZE:
        raise ValueError(f"a nonce is {NONCE_SIZE} bytes")
    ciphertext = ChaCha20Poly1305(epoch_key).encrypt(nonce, plaintext, _aad(header))
    return encode_tagged(CONTENT_ALG, nonce + ciphertext)


def open_raw(key: bytes, raw: bytes, aad: bytes) -> bytes:
    """Decrypt nonce || ciphertext (already decoded) bound to `aad`, or `TamperedError`."""
    if len(raw) < NONCE_SIZE + 16:
        raise TamperedError("the encrypted content is malformed")
    try:
        return ChaCha20Poly1305(key).decrypt(raw[:NONCE_SIZE], raw[NONCE_SIZE:], aad)
    except InvalidTag as exc:
        raise TamperedError(
            "the encrypted content does not open under this header: it was altered or moved "
            "from another event, channel or position"
        ) from exc


def decrypt_content(epoch_key: bytes, sealed: str, header: dict[str, Any] | bytes) -> bytes:
    """Decrypt, or raise `TamperedError`: never returns bytes that were not sealed here."""
    try:
        raw = b64u_decode(sealed.partition(":")[2]) if sealed.startswith(CONTENT_ALG + ":") else b""
    except EncodingError:
        raw = b""
    if len(raw) < NONCE_SIZE + 16:
        raise TamperedError("the encrypted content is malformed")
    try:
        return ChaCha20Poly1305(epoch_key).decrypt(raw[:NONCE_SIZE], raw[NONCE_SIZE:], _aad(header))
    except InvalidTag as exc:
        raise TamperedError(
            "the encrypted content does not open under this header: it was altered or moved "
            "from another event, channel or position"
        ) from exc
