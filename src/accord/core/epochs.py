"""Channel epochs: the key every member device of a channel holds, and its public rules.

Content is encrypted under a channel's current *epoch key*. An `epoch` event starts a new
epoch: a fresh key sealed (HPKE, `accord.core.sealing`) to every device that may read the
channel at that point of the log, and to no other. Which devices those are follows from the
public record (credentials, revocations, devices, channel membership), so every verifier
checks the recipient list without being able to open it: a removed member gets no key.

Each epoch also carries:

- `check`: HMAC-SHA256 of a label under the epoch key, so that a recipient knows it holds
  the key the others hold (a member cannot give different keys to different devices);
- `link`: in channels whose history rule is `all`, the previous epoch key encrypted under
  the new one, so that a device given a later key can walk back to the channel's whole
  past, and a device in a `from_join` channel can read only from the epochs it was given.

Encrypted events carry `{"epoch": n, "content": "chacha20poly1305:..."}`; the associated
data is the event's clear header (every field but `body` and `sig`, plus the epoch), so a
ciphertext moved to another event, channel or position does not open.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from accord.core import schema
from accord.core.encoding import (
    b64u_decode,
    b64u_encode,
    canonical,
    canonical_checked,
    check_hash,
    parse_json,
)
from accord.core.errors import AccordError, EncodingError, SchemaError
from accord.core.sealing import (
    CONTENT_ALG,
    EPOCH_KEY_SIZE,
    NONCE_SIZE,
    DevicePublicKey,
    TamperedError,
    decrypt_content,
    encrypt_content,
    open_raw,
    seal_epoch_key,
)

SEALED_KEY_BYTES = 1120 + EPOCH_KEY_SIZE + 16  # ML-KEM-768 + X25519 encapsulation, AEAD
MAX_RECIPIENTS = 1024  # devices; keeps an epoch event under the event size limit
MAX_CONTENT_BYTES = 1024 * 1024 + 1024  # a 1 MiB body and the JSON around it
_CONTENT_FORM = re.compile(r"^chacha20poly1305:[A-Za-z0-9_-]+$")
_CHECK_LABEL = b"accord/v1/epoch-check\x00"
_LINK_LABEL = b"accord/v1/epoch-link\x00"
_CONTENT_KEY_LABEL = b"accord/v1/content-key"
_RECORD_KEY_LABEL = b"accord/v1/record-key"
_COMMIT_LABEL = b"accord/v1/content-commit\x00"


class NoKeyError(AccordError):
    """This device was never given the key of an epoch, by the channel's rules."""


@dataclass(frozen=True)
class SealedKey:
    device: str  # the device key's id (`DevicePublicKey.id`)
    sealed: str  # base64url HPKE output


@dataclass(frozen=True)
class EpochBody:
    epoch: int
    keys: tuple[SealedKey, ...]
    check: str
    link: str | None
    record: str  # the commitment to the epoch's record key (`record_key`)

    @classmethod
    def parse(cls, value: Any) -> EpochBody:
        d = schema.obj(value, "epoch body", ("epoch", "keys", "check", "link", "record"))
        raw_keys = d["keys"]
        if not isinstance(raw_keys, list) or len(raw_keys) > MAX_RECIPIENTS:
            raise SchemaError(f"epoch keys must be a list of at most {MAX_RECIPIENTS}")
        keys = []
        for item in raw_keys:
            k = schema.obj(item, "sealed epoch key", ("device", "sealed"))
            sealed = schema.text(k["sealed"], "sealed epoch key", max_len=2 * SEALED_KEY_BYTES)
            if len(_b64(sealed, "sealed epoch key")) != SEALED_KEY_BYTES:
                raise SchemaError(f"a sealed epoch key is {SEALED_KEY_BYTES} bytes")
            keys.append(SealedKey(check_hash(k["device"], "recipient device"), sealed))
        devices = [k.device for k in keys]
        if devices != sorted(set(devices)):
            raise SchemaError("epoch keys must be sorted by device, without repeats")
        check = schema.text(d["check"], "epoch key check", max_len=64)
        if len(_b64(check, "epoch key check")) != 32:
            raise SchemaError("an epoch key check is 32 bytes")
        link = None
        if d["link"] is not None:
            link = content_text(d["link"], "epoch link")
        record = schema.text(d["record"], "record key commitment", max_len=64)
        if len(_b64(record, "record key commitment")) != 32:
            raise SchemaError("a record key commitment is 32 bytes")
        return cls(schema.integer(d["epoch"], "epoch number", 1), tuple(keys), check, link, record)

    @property
    def recipients(self) -> frozenset[str]:
        return frozenset(k.device for k in self.keys)

    def sealed_for(self, device: str) -> str | None:
        for k in self.keys:
            if k.device == device:
                return k.sealed
        return None


@dataclass(frozen=True)
class Encrypted:
    """The body of an event whose content only the channel's members read.

    The content is encrypted under a key of its own, derived from the epoch key and the
    nonce; `commit` (SHA-256 of that key) binds it, so that one event's key can be
    disclosed (in a final act) without the epoch's, and checked by anyone."""

    epoch: int
    content: str
    commit: str

    @classmethod
    def parse(cls, value: Any) -> Encrypted:
        d = schema.obj(value, "encrypted body", ("epoch", "content", "commit"))
        commit = schema.text(d["commit"], "content key commitment", max_len=64)
        if len(_b64(commit, "content key commitment")) != 32:
            raise SchemaError("a content key commitment is 32 bytes")
        return cls(
            schema.integer(d["epoch"], "epoch number", 1), content_text(d["content"]), commit
        )

    @cached_property
    def raw(self) -> bytes:
        """The nonce and ciphertext, decoded once."""
        return _b64(self.content.partition(":")[2], "encrypted content")

    @property
    def nonce(self) -> bytes:
        return self.raw[:NONCE_SIZE]


@dataclass
class Epoch:
    """A channel's epoch as the state knows it: where it started and who holds its key."""

    number: int
    seq: int
    time: int
    recipients: frozenset[str]
    keyed_by: str  # the identity key that chose the key (and so knows it)
    record: str = ""  # the commitment to the epoch's record key
    acts: int = 0


def content_text(value: Any, what: str = "encrypted content") -> str:
    text = schema.text(value, what, max_len=2 * MAX_CONTENT_BYTES, pattern=_CONTENT_FORM)
    if len(text) < len(CONTENT_ALG) + 1 + 38:  # a nonce and a tag at least
        raise SchemaError(f"{what} is too short to be a ciphertext")
    return text


def _b64(text: str, what: str) -> bytes:
    try:
        return b64u_decode(text)
    except EncodingError as exc:
        raise SchemaError(f"{what} is not base64url") from exc


def _where(conf: str, channel: str, epoch: int) -> bytes:
    return canonical({"conf": conf, "channel": channel, "epoch": epoch})


def key_check(key: bytes, *, conf: str, channel: str, epoch: int) -> str:
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(_CHECK_LABEL + _where(conf, channel, epoch))
    return b64u_encode(mac.finalize())


def seal_link(
    new_key: bytes, old_key: bytes, *, conf: str, channel: str, epoch: int, nonce: bytes | None
) -> str:
    """The previous epoch key, encrypted under epoch `epoch`'s key."""
    return encrypt_content(new_key, old_key, {"link": _LINK_LABEL.decode(), "at": {
        "conf": conf, "channel": channel, "epoch": epoch}}, nonce=nonce)  # fmt: skip


def open_link(new_key: bytes, link: str, *, conf: str, channel: str, epoch: int) -> bytes:
    old = decrypt_content(new_key, link, {"link": _LINK_LABEL.decode(), "at": {
        "conf": conf, "channel": channel, "epoch": epoch}})  # fmt: skip
    if len(old) != EPOCH_KEY_SIZE:
        raise TamperedError("an epoch link does not hold a key")
    return old


def epoch_body(
    epoch_key: bytes,
    recipients: Mapping[str, DevicePublicKey],
    *,
    conf: str,
    channel: str,
    epoch: int,
    previous_key: bytes | None,
    seal: Callable[..., str] = seal_epoch_key,
    nonce: bytes | None = None,
) -> dict[str, Any]:
    """The body of an `epoch` event: `epoch_key` sealed to each recipient device (by id)."""
    keys = [
        {"device": device, "sealed": seal(public, epoch_key, conf=conf, channel=channel,
                                          epoch=epoch)}
        for device, public in sorted(recipients.items())
    ]  # fmt: skip
    link = None
    if previous_key is not None:
        link = seal_link(epoch_key, previous_key, conf=conf, channel=channel, epoch=epoch,
                         nonce=nonce)  # fmt: skip
    return {
        "epoch": epoch,
        "keys": keys,
        "check": key_check(epoch_key, conf=conf, channel=channel, epoch=epoch),
        "link": link,
        "record": commitment(record_key(epoch_key)),
    }


def new_key() -> bytes:
    return secrets.token_bytes(EPOCH_KEY_SIZE)


def content_header(signed: Mapping[str, Any], epoch: int) -> dict[str, Any]:
    """The associated data of an encrypted event: its clear fields and its epoch."""
    header = {k: v for k, v in signed.items() if k not in ("body", "sig")}
    header["epoch"] = epoch
    return header


def _header_bytes(signed: Mapping[str, Any], epoch: int) -> bytes:
    # Every field of an event header is schema-checked (ASCII keys, safe integers), so the
    # fast encoder writes its RFC 8785 form (`canonical_checked`).
    return canonical_checked(content_header(signed, epoch))


def record_key(epoch_key: bytes) -> bytes:
    """The key under which an epoch's negotiation acts are encrypted (through per-event
    keys): a final act discloses it, so that anyone derives each act's key exactly as
    members do, while messages, keyed from the epoch key itself, stay sealed."""
    return HKDF(
        algorithm=hashes.SHA256(), length=EPOCH_KEY_SIZE, salt=None, info=_RECORD_KEY_LABEL
    ).derive(epoch_key)


def content_key(base_key: bytes, nonce: bytes) -> bytes:
    """The key of one event's content: HKDF-SHA256 of its base key (the epoch key for a
    message, the epoch's record key for a negotiation act), salted with its nonce."""
    return HKDF(
        algorithm=hashes.SHA256(), length=EPOCH_KEY_SIZE, salt=nonce, info=_CONTENT_KEY_LABEL
    ).derive(base_key)


def commitment(key: bytes) -> str:
    return b64u_encode(hashlib.sha256(_COMMIT_LABEL + key).digest())


def encrypt_body(
    base_key: bytes, epoch: int, content: dict[str, Any], header: Mapping[str, Any],
    nonce: bytes | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The body of an encrypted event whose clear fields (without body) are `header`;
    `base_key` is the epoch key, or for a negotiation act the epoch's record key."""
    # Content objects have fixed ASCII member names and no floats: the fast encoder writes
    # their RFC 8785 form (`canonical_checked`), and refuses unpaired surrogates.
    plaintext = canonical_checked(content)
    if len(plaintext) > MAX_CONTENT_BYTES:
        raise SchemaError(f"content is {len(plaintext)} bytes; the limit is {MAX_CONTENT_BYTES}")
    nonce = nonce if nonce is not None else secrets.token_bytes(NONCE_SIZE)
    key = content_key(base_key, nonce)
    sealed = encrypt_content(key, plaintext, _header_bytes(header, epoch), nonce=nonce)
    return {"epoch": epoch, "content": sealed, "commit": commitment(key)}


def decrypt_body(base_key: bytes, signed: Mapping[str, Any], body: Encrypted) -> dict[str, Any]:
    """The content of an encrypted event (base key as in `encrypt_body`), or
    `TamperedError`."""
    try:
        nonce = body.nonce
    except SchemaError as exc:
        raise TamperedError("the encrypted content is malformed") from exc
    return open_disclosed(content_key(base_key, nonce), signed, body)


def open_disclosed(key: bytes, signed: Mapping[str, Any], body: Encrypted) -> dict[str, Any]:
    """The content of an encrypted event with its own key (as a final act discloses it):
    the key must match the event's commitment, and the content its header."""
    if commitment(key) != body.commit:
        raise TamperedError("the content key does not match the event's commitment")
    plaintext = open_raw(key, body.raw, _header_bytes(signed, body.epoch))
    try:
        value = parse_json(plaintext)
    except AccordError as exc:
        raise TamperedError(f"the decrypted content is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise TamperedError("the decrypted content is not a JSON object")
    return value


def parse_message_content(content: dict[str, Any]) -> str:
    d = schema.obj(content, "message content", ("text",))
    return schema.text(d["text"], "message text", max_len=MAX_CONTENT_BYTES)
