"""The rules of `accord.core.log`: receipts and checkpoints, their form and signatures,
and the head chain."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from accord.core.encoding import hash_tag
from accord.core.errors import AccordError, SignatureError
from accord.core.keys import SigningKey
from accord.core.log import (
    HEAD_BEFORE_GENESIS,
    Checkpoint,
    Receipt,
    make_checkpoint,
    make_receipt,
    next_head,
)
from tests.builders import CONF, T0, key

SEQUENCER = key("sequencer")
ROGUE = key("rogue sequencer")
EVENT = "sha256:" + "E" * 43
HEAD = bytes(range(32))


def receipt(signer: SigningKey = SEQUENCER, **changes: Any) -> dict[str, Any]:
    """A receipt signed by `signer`, with `changes` made to its fields before signing."""
    fields: dict[str, Any] = {
        "v": 1,
        "conf": CONF,
        "seq": 7,
        "event": EVENT,
        "head": hash_tag(HEAD),
        "time": T0,
    } | changes
    return signer.sign_object("receipt", {k: v for k, v in fields.items() if v is not None})


def checkpoint(signer: SigningKey = SEQUENCER, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "v": 1,
        "conf": CONF,
        "seq": 7,
        "head": hash_tag(HEAD),
        "time": T0,
    } | changes
    return signer.sign_object("checkpoint", {k: v for k, v in fields.items() if v is not None})


def test_the_head_chain_starts_from_zeros_and_hashes_previous_then_event() -> None:
    assert bytes(32) == HEAD_BEFORE_GENESIS
    event = hashlib.sha256(b"event").digest()
    assert next_head(HEAD_BEFORE_GENESIS, event) == hashlib.sha256(bytes(32) + event).digest()
    assert next_head(HEAD, event) == hashlib.sha256(HEAD + event).digest()
    assert next_head(HEAD, event) != next_head(event, HEAD)


def test_a_receipt_is_signed_under_the_receipt_context_with_every_field() -> None:
    made = make_receipt(SEQUENCER, conf=CONF, seq=7, event=EVENT, head=HEAD, time=T0)
    assert made == receipt()
    parsed = Receipt.parse(made, SEQUENCER.public)
    assert (parsed.conf, parsed.seq, parsed.event, parsed.head, parsed.time) == (
        CONF,
        7,
        EVENT,
        hash_tag(HEAD),
        T0,
    )
    assert parsed.signed == made
    assert parsed.signature.valid()


def test_a_receipt_signed_by_another_key_is_refused_by_default() -> None:
    forged = receipt(ROGUE)
    with pytest.raises(SignatureError, match="the sequencer's signature on the receipt"):
        Receipt.parse(forged, SEQUENCER.public)
    # The verifier defers the check (to check signatures in batches), but still holds it.
    deferred = Receipt.parse(forged, SEQUENCER.public, check_signature=False)
    assert deferred.seq == 7 and not deferred.signature.valid()
    with pytest.raises(SignatureError):
        deferred.signature.check()


def test_a_receipt_with_a_field_altered_after_signing_is_refused() -> None:
    altered = receipt() | {"seq": 8}
    with pytest.raises(SignatureError):
        Receipt.parse(altered, SEQUENCER.public)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        pytest.param({"v": 2}, "receipt has version 2", id="version-2"),
        pytest.param({"v": True}, "receipt has version True", id="version-true"),
        pytest.param({"conf": "Test Conf"}, "receipt conference id", id="conf-form"),
        pytest.param({"conf": 7}, "receipt conference id", id="conf-not-text"),
        pytest.param({"seq": "7"}, "receipt sequence number", id="seq-text"),
        pytest.param({"seq": -1}, "receipt sequence number", id="seq-negative"),
        pytest.param({"time": "now"}, "receipt time", id="time-text"),
        pytest.param({"time": True}, "receipt time", id="time-boolean"),
        pytest.param({"event": "sha256:" + "A" * 42}, "receipt event hash", id="event-length"),
        pytest.param({"event": "sha1:" + "A" * 27}, "receipt event hash", id="event-algorithm"),
        pytest.param({"head": "sha1:" + "A" * 27}, "receipt head", id="head-algorithm"),
        pytest.param({"head": None}, "receipt lacks field 'head'", id="head-missing"),
        pytest.param({"extra": 1}, "receipt has unknown field 'extra'", id="unknown-field"),
    ],
)
def test_a_receipt_field_of_the_wrong_form(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(AccordError, match=words) as exc:
        Receipt.parse(receipt(**changes), SEQUENCER.public, check_signature=False)
    assert not isinstance(exc.value, SignatureError)


def test_a_receipt_must_be_an_object_with_a_signature() -> None:
    with pytest.raises(AccordError, match="receipt must be a JSON object"):
        Receipt.parse([1], SEQUENCER.public)
    unsigned = {k: v for k, v in receipt().items() if k != "sig"}
    with pytest.raises(AccordError, match="receipt lacks field 'sig'"):
        Receipt.parse(unsigned, SEQUENCER.public)


def test_a_checkpoint_is_signed_under_the_checkpoint_context_with_every_field() -> None:
    made = make_checkpoint(SEQUENCER, conf=CONF, seq=7, head=hash_tag(HEAD), time=T0)
    assert made == checkpoint()
    parsed = Checkpoint.parse(made, SEQUENCER.public)
    assert (parsed.conf, parsed.seq, parsed.head, parsed.time) == (CONF, 7, hash_tag(HEAD), T0)
    assert parsed.signed == made


def test_a_checkpoint_signed_by_another_key_is_refused() -> None:
    with pytest.raises(SignatureError, match="the sequencer's signature on the checkpoint"):
        Checkpoint.parse(checkpoint(ROGUE), SEQUENCER.public)
    with pytest.raises(SignatureError):
        Checkpoint.parse(checkpoint() | {"seq": 8}, SEQUENCER.public)
    # A receipt's signature does not pass for a checkpoint's: the contexts differ.
    as_receipt = SEQUENCER.sign_object(
        "receipt", {k: v for k, v in checkpoint().items() if k != "sig"}
    )
    with pytest.raises(SignatureError):
        Checkpoint.parse(as_receipt, SEQUENCER.public)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        pytest.param({"v": 2}, "checkpoint has version 2", id="version-2"),
        pytest.param({"conf": "Test Conf"}, "checkpoint conference id", id="conf-form"),
        pytest.param({"seq": "7"}, "checkpoint sequence number", id="seq-text"),
        pytest.param({"seq": -1}, "checkpoint sequence number", id="seq-negative"),
        pytest.param({"time": "now"}, "checkpoint time", id="time-text"),
        pytest.param({"head": "sha256:" + "A" * 42}, "checkpoint head", id="head-length"),
        pytest.param({"time": None}, "checkpoint lacks field 'time'", id="time-missing"),
        pytest.param({"event": EVENT}, "checkpoint has unknown field 'event'", id="unknown-field"),
    ],
)
def test_a_checkpoint_field_of_the_wrong_form(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(AccordError, match=words) as exc:
        Checkpoint.parse(checkpoint(**changes), SEQUENCER.public)
    assert not isinstance(exc.value, SignatureError)
