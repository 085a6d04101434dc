"""Restricted documents (docs/protocol.md 12.6): a text circulated to named delegations
only, one traceable copy each.

A `document` act carries one copy per state on its distribution list. Each copy is
encrypted under its own key, sealed to the devices of that state's seated delegates and
to the circulator's own (who keeps every copy, to trace a leak), and committed to by a
hash of the copy with a random salt in it: the relay sees who received a copy and how
large it is, never its content, and cannot test a guess of it. The copies differ in
neutral wording and in invisible marks (`accord.core.copies`), so that a copy that
leaks names its recipient. A recipient who opens its copy signs a `document_receipt`
naming the copy's commitment: the record then proves which copy each state received.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.core import schema
from accord.core.encoding import (
    b64u_decode,
    b64u_encode,
    canonical,
    check_hash,
    hash_json,
    parse_json,
)
from accord.core.epochs import SEALED_KEY_BYTES, SealedKey, content_text
from accord.core.errors import EncodingError, SchemaError
from accord.core.sealing import (
    DeviceKey,
    DevicePublicKey,
    TamperedError,
    decrypt_content,
    encrypt_content,
)

DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MARKINGS = frozenset({
    "working draft for informal consultations", "restricted", "confidential", "limited",
})  # fmt: skip
MAX_COPIES = 64
MAX_COPY_KEYS = 128  # devices a copy is sealed to: the recipients' and the circulator's
KEY_SIZE = 32


@dataclass(frozen=True)
class SealedCopy:
    state: str
    commit: str  # hash of the copy's plaintext object, salt included
    keys: tuple[SealedKey, ...]
    content: str  # the copy, encrypted under its key

    def sealed_for(self, device: str) -> str | None:
        return next((k.sealed for k in self.keys if k.device == device), None)


@dataclass(frozen=True)
class DocumentBody:
    """The body of a `document` act."""

    document: str
    copies: tuple[SealedCopy, ...]

    @property
    def distribution(self) -> tuple[str, ...]:
        return tuple(c.state for c in self.copies)

    def copy(self, state: str) -> SealedCopy | None:
        return next((c for c in self.copies if c.state == state), None)

    @classmethod
    def parse(cls, value: Any) -> DocumentBody:
        d = schema.obj(value, "document body", ("document", "copies"))
        raw = d["copies"]
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_COPIES:
            raise SchemaError(f"a restricted document has 1 to {MAX_COPIES} copies")
        copies = tuple(_sealed_copy(c) for c in raw)
        states = [c.state for c in copies]
        if states != sorted(set(states)):
            raise SchemaError("a document's copies are sorted by state, one per state")
        return cls(schema.text(d["document"], "document id", pattern=DOCUMENT_ID), copies)


def _sealed_copy(value: Any) -> SealedCopy:
    c = schema.obj(value, "copy", ("state", "commit", "keys", "content"))
    raw_keys = c["keys"]
    if not isinstance(raw_keys, list) or not 1 <= len(raw_keys) <= MAX_COPY_KEYS:
        raise SchemaError(f"a copy is sealed to 1 to {MAX_COPY_KEYS} devices")
    keys = []
    for item in raw_keys:
        k = schema.obj(item, "sealed copy key", ("device", "sealed"))
        sealed = schema.text(k["sealed"], "sealed copy key", 2 * SEALED_KEY_BYTES)
        keys.append(SealedKey(check_hash(k["device"], "recipient device"), sealed))
    devices = [k.device for k in keys]
    if devices != sorted(set(devices)):
        raise SchemaError("a copy's keys are sorted by device, without repeats")
    return SealedCopy(
        schema.text(c["state"], "copy's state", pattern=schema.STATE_CODE),
        check_hash(c["commit"], "copy commitment"),
        tuple(keys),
        content_text(c["content"], "copy content"),
    )


@dataclass(frozen=True)
class ReceiptBody:
    """The body of a `document_receipt`: the copy its author's state received."""

    document: str
    commit: str

    @classmethod
    def parse(cls, value: Any) -> ReceiptBody:
        d = schema.obj(value, "document receipt", ("document", "commit"))
        return cls(
            schema.text(d["document"], "document id", pattern=DOCUMENT_ID),
            check_hash(d["commit"], "copy commitment"),
        )


@dataclass(frozen=True)
class Copy:
    """A copy as its recipient reads it."""

    document: str
    state: str
    title: str
    marking: str
    paragraphs: tuple[str, ...]
    salt: str

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "state": self.state, "title": self.title,
                "marking": self.marking, "paragraphs": list(self.paragraphs),
                "salt": self.salt}  # fmt: skip

    @property
    def commit(self) -> str:
        return hash_json(self.to_json())

    @classmethod
    def parse(cls, value: Any) -> Copy:
        d = schema.obj(value, "copy", ("document", "state", "title", "marking", "paragraphs",
                                       "salt"))  # fmt: skip
        paragraphs = d["paragraphs"]
        if not isinstance(paragraphs, list) or not paragraphs:
            raise SchemaError("a copy holds at least one paragraph")
        return cls(
            schema.text(d["document"], "document id", pattern=DOCUMENT_ID),
            schema.text(d["state"], "copy's state", pattern=schema.STATE_CODE),
            schema.text(d["title"], "title"),
            schema.choice(d["marking"], "marking", MARKINGS),
            tuple(schema.text(p, "paragraph", max_len=20_000) for p in paragraphs),
            schema.text(d["salt"], "salt", max_len=64),
        )


@dataclass
class DocumentRecord:
    """A restricted document as the record shows it: who circulated it, to whom, the
    commitment of each copy, and the receipts signed (by state: entry, delegate)."""

    seq: int
    by: str
    author: str  # the circulator's identity key
    body: DocumentBody
    receipts: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def summary(self) -> list[Any]:
        return [self.body.document, self.seq, self.by, list(self.body.distribution),
                [c.commit for c in self.body.copies],
                {s: [list(r) for r in rs] for s, rs in sorted(self.receipts.items())}]  # fmt: skip


def _info(conf: str, document: str, state: str, device: str) -> bytes:
    return b"accord/v1/document-key\x00" + canonical(
        {"conf": conf, "document": document, "state": state, "recipient": device}
    )


def _aad(conf: str, document: str, state: str, commit: str) -> dict[str, Any]:
    return {"conf": conf, "document": document, "state": state, "commit": commit}


def seal_copies(
    conf: str,
    document: str,
    title: str,
    marking: str,
    texts: Mapping[str, Sequence[str]],
    devices: Mapping[str, Mapping[str, DevicePublicKey]],
    own: Mapping[str, DevicePublicKey],
) -> dict[str, Any]:
    """The body of a `document` act: `texts[state]` (that state's copy of the paragraphs)
    sealed to `devices[state]` and to the circulator's `own` devices (by device id)."""
    copies = []
    for state in sorted(texts):
        copy = Copy(document, state, title, marking, tuple(texts[state]),
                    b64u_encode(secrets.token_bytes(32)))  # fmt: skip
        key = secrets.token_bytes(KEY_SIZE)
        recipients = {**devices[state], **own}
        keys = [{"device": d, "sealed": b64u_encode(p.seal(key, _info(conf, document, state, d)))}
                for d, p in sorted(recipients.items())]  # fmt: skip
        commit = copy.commit
        content = encrypt_content(key, canonical(copy.to_json()),
                                  _aad(conf, document, state, commit))  # fmt: skip
        copies.append({"state": state, "commit": commit, "keys": keys, "content": content})
    body = {"document": document, "copies": copies}
    DocumentBody.parse(body)  # refuse to produce what no verifier would accept
    return body


def open_copy(conf: str, document: DocumentBody, state: str, devices: Sequence[DeviceKey]) -> Copy:
    """Open `state`'s copy with one of `devices`: `SchemaError` if none was given it,
    `TamperedError` if it does not open or is not the copy its commitment names (the
    circulator's fault: report it)."""
    sealed = document.copy(state)
    if sealed is None:
        raise SchemaError(f"{state} is not on the distribution list of {document.document}")
    for device in devices:
        given = sealed.sealed_for(device.public.id())
        if given is None:
            continue
        try:
            raw = b64u_decode(given)
        except EncodingError as exc:
            raise TamperedError("a sealed copy key is not base64url") from exc
        key = device.open(raw, _info(conf, document.document, state, device.public.id()))
        plain = decrypt_content(key, sealed.content,
                                _aad(conf, document.document, state, sealed.commit))  # fmt: skip
        try:
            copy = Copy.parse(parse_json(plain))
        except (SchemaError, EncodingError) as exc:
            raise TamperedError(f"{state}'s copy of {document.document} is malformed") from exc
        if (
            copy.commit != sealed.commit
            or copy.state != state
            or copy.document != document.document
        ):
            raise TamperedError(
                f"{state}'s copy of {document.document} is not the copy committed to"
            )
        return copy
    raise SchemaError(
        f"none of this node's devices was given {state}'s copy of {document.document}"
    )
