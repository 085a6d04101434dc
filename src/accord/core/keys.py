"""Ed25519 signing keys, public keys, signatures over canonical objects, fingerprints.

PyNaCl (libsodium) is used because it verifies about twice as fast as OpenSSL through
`cryptography` on our machines (see docs/benchmarks.md), and verification is the cost
that dominates checking a record. libsodium's verification is strict: it rejects
non-canonical signatures and small-order keys, so a signature has one valid spelling.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import nacl.exceptions
import nacl.signing

from accord.core.encoding import canonical, canonical_checked, decode_tagged, encode_tagged
from accord.core.errors import EncodingError, SignatureError

KEY_ALG = "ed25519"
PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64
SEED_SIZE = 32

# Every signature is made over a context label, then a zero byte, then canonical JSON.
# The label says what kind of object is signed, so that a signature on one kind can
# never be presented as a signature on another.
CONTEXT_PREFIX = "accord/v1/"


def signing_input(context: str, unsigned: dict[str, Any]) -> bytes:
    return (CONTEXT_PREFIX + context).encode("ascii") + b"\x00" + canonical(unsigned)


# Parsed keys by text: a record names the same few dozen keys again and again.
_KEYS: dict[str, PublicKey] = {}
_MAX_CACHED_KEYS = 100_000


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key; `text` is its tagged form, e.g. ``ed25519:...``."""

    raw: bytes

    @classmethod
    def parse(cls, text: object, what: str = "public key") -> PublicKey:
        if isinstance(text, str) and text in _KEYS:
            return _KEYS[text]
        raw = decode_tagged(text, KEY_ALG, PUBLIC_KEY_SIZE, what)
        key = cls(raw)
        try:
            key._verifier  # noqa: B018 - builds (and caches) libsodium's key object
        except (nacl.exceptions.ValueError, nacl.exceptions.TypeError) as exc:
            raise EncodingError(f"{what} is not a valid Ed25519 key") from exc
        if len(_KEYS) >= _MAX_CACHED_KEYS:
            _KEYS.clear()
        _KEYS[key.text] = key
        return key

    @cached_property
    def _verifier(self) -> nacl.signing.VerifyKey:
        return nacl.signing.VerifyKey(self.raw)

    @property
    def text(self) -> str:
        return encode_tagged(KEY_ALG, self.raw)

    def verify(self, message: bytes, signature: object, what: str = "signature") -> None:
        raw_sig = decode_tagged(signature, KEY_ALG, SIGNATURE_SIZE, what)
        SignatureClaim(self, message, raw_sig, what).check()

    def claim(self, context: str, signed: dict[str, Any], what: str) -> SignatureClaim:
        """The claim that ``signed["sig"]`` signs the object without its ``sig`` field.

        Call it only once every field of `signed` has passed its schema checks: the
        signed bytes are then computed by the fast canonical encoder. Raises
        `EncodingError` if the signature is not even of the right form."""
        raw_sig = decode_tagged(signed.get("sig"), KEY_ALG, SIGNATURE_SIZE, what)
        unsigned = {k: v for k, v in signed.items() if k != "sig"}
        message = (CONTEXT_PREFIX + context).encode("ascii") + b"\x00"
        return SignatureClaim(self, message + canonical_checked(unsigned), raw_sig, what)

    def verify_object(self, context: str, signed: dict[str, Any], what: str) -> None:
        """Check ``signed["sig"]`` now (see `claim`)."""
        self.claim(context, signed, what).check()

    @property
    def short(self) -> str:
        """An abbreviation for messages; never use it to compare keys."""
        return self.text[:20] + "…"

    def fingerprint(self) -> str:
        return fingerprint(self)


@dataclass(frozen=True)
class SignatureClaim:
    """A signature still to be checked: by which key, over which bytes.

    Parsing produces claims; checking them is the expensive step, which a verifier may
    run at once or hand to other threads (see `accord.core.signatures`)."""

    key: PublicKey
    message: bytes
    signature: bytes
    what: str

    def valid(self) -> bool:
        try:
            self.key._verifier.verify(self.message, self.signature)
        except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError):
            return False
        return True

    def check(self) -> None:
        if not self.valid():
            raise SignatureError(f"{self.what} does not verify with key {self.key.short}")


class SigningKey:
    """An Ed25519 private key. Held by a keystore; never serialised by the core."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) != SEED_SIZE:
            raise ValueError("an Ed25519 seed is 32 bytes")
        self._key = nacl.signing.SigningKey(seed)
        self.public = PublicKey(bytes(self._key.verify_key))

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(bytes(nacl.signing.SigningKey.generate()))

    @classmethod
    def from_label(cls, label: str) -> SigningKey:
        """A deterministic key for test vectors and the demo: SHA-256 of a label."""
        return cls(hashlib.sha256(label.encode("utf-8")).digest())

    @property
    def seed(self) -> bytes:
        return bytes(self._key)

    def sign(self, message: bytes) -> str:
        return encode_tagged(KEY_ALG, self._key.sign(message).signature)

    def sign_object(
        self, context: str, unsigned: dict[str, Any], typed: bool = False
    ) -> dict[str, Any]:
        """Return a copy of `unsigned` with its ``sig`` field added.

        `typed`: the caller built every field from checked values (ASCII keys, safe
        integers, text), so the fast canonical encoder may be used."""
        if "sig" in unsigned:
            raise ValueError("object is already signed")
        if typed:
            message = (
                (CONTEXT_PREFIX + context).encode("ascii") + b"\x00" + canonical_checked(unsigned)
            )
        else:
            message = signing_input(context, unsigned)
        return {**unsigned, "sig": self.sign(message)}


def _digits(digest: bytes) -> str:
    # Twelve groups of five digits, as in Signal's safety numbers: each group is five
    # bytes of a SHA-512 digest reduced mod 100000. Easy to read aloud and compare.
    groups = [int.from_bytes(digest[i : i + 5], "big") % 100000 for i in range(0, 60, 5)]
    return " ".join(f"{g:05d}" for g in groups)


def fingerprint(key: PublicKey) -> str:
    """A human-comparable fingerprint of one public key (60 digits in 12 groups)."""
    return _digits(hashlib.sha512(b"accord/v1/fingerprint\x00" + key.text.encode()).digest())


def safety_number(a: PublicKey, b: PublicKey) -> str:
    """One number two people compare out of band; the same whichever side computes it."""
    first, second = sorted([a.text, b.text])
    digest = hashlib.sha512(
        b"accord/v1/safety-number\x00" + first.encode() + b"\x00" + second.encode()
    ).digest()
    return _digits(digest)
