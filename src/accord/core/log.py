"""The log: receipts, the head chain and checkpoints.

The sequencer gives each accepted event a sequence number and a *receipt*: the
sequence number, the event hash, the new head ``head_n = SHA-256(head_{n-1} ||
event_hash_n)`` (with ``head_{-1}`` 32 zero bytes), its clock, all signed by the
sequencer key named in the genesis. A *checkpoint* is the sequencer's signed statement
of the log's length and head at a moment, so that a record cut short is detected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.core import schema
from accord.core.encoding import check_hash, hash_tag, sha256
from accord.core.keys import PublicKey, SignatureClaim, SigningKey

RECEIPT_CONTEXT = "receipt"
CHECKPOINT_CONTEXT = "checkpoint"
HEAD_BEFORE_GENESIS = bytes(32)


def next_head(previous: bytes, event_hash: bytes) -> bytes:
    return sha256(previous + event_hash)


@dataclass(frozen=True)
class Receipt:
    conf: str
    seq: int
    event: str
    head: str
    time: int
    signed: dict[str, Any]
    signature: SignatureClaim

    @classmethod
    def parse(cls, value: Any, sequencer: PublicKey, check_signature: bool = True) -> Receipt:
        d = schema.obj(value, "receipt", ("v", "conf", "seq", "event", "head", "time", "sig"))
        schema.version(d, "receipt")
        check_hash(d["event"], "receipt event hash")
        check_hash(d["head"], "receipt head")
        receipt = cls(
            conf=schema.text(d["conf"], "receipt conference id", pattern=schema.CONFERENCE_ID),
            seq=schema.integer(d["seq"], "receipt sequence number"),
            event=d["event"],
            head=d["head"],
            time=schema.integer(d["time"], "receipt time"),
            signed=d,
            signature=sequencer.claim(
                RECEIPT_CONTEXT, d, "the sequencer's signature on the receipt"
            ),
        )
        if check_signature:
            receipt.signature.check()
        return receipt


def make_receipt(
    sequencer: SigningKey, *, conf: str, seq: int, event: str, head: bytes, time: int
) -> dict[str, Any]:
    unsigned = {
        "v": 1,
        "conf": conf,
        "seq": seq,
        "event": event,
        "head": hash_tag(head),
        "time": time,
    }
    return sequencer.sign_object(RECEIPT_CONTEXT, unsigned, typed=True)


@dataclass(frozen=True)
class Checkpoint:
    conf: str
    seq: int
    head: str
    time: int
    signed: dict[str, Any]

    @classmethod
    def parse(cls, value: Any, sequencer: PublicKey) -> Checkpoint:
        d = schema.obj(value, "checkpoint", ("v", "conf", "seq", "head", "time", "sig"))
        schema.version(d, "checkpoint")
        check_hash(d["head"], "checkpoint head")
        cp = cls(
            conf=schema.text(d["conf"], "checkpoint conference id", pattern=schema.CONFERENCE_ID),
            seq=schema.integer(d["seq"], "checkpoint sequence number"),
            head=d["head"],
            time=schema.integer(d["time"], "checkpoint time"),
            signed=d,
        )
        sequencer.verify_object(
            CHECKPOINT_CONTEXT, d, "the sequencer's signature on the checkpoint"
        )
        return cp


def make_checkpoint(
    sequencer: SigningKey, *, conf: str, seq: int, head: str, time: int
) -> dict[str, Any]:
    unsigned = {"v": 1, "conf": conf, "seq": seq, "head": head, "time": time}
    return sequencer.sign_object(CHECKPOINT_CONTEXT, unsigned, typed=True)
