"""The committed test vectors are what the code produces, byte for byte."""

from __future__ import annotations

import json

from accord.core.encoding import canonical, hash_json, parse_hash, sha256
from accord.core.keys import PublicKey, SigningKey
from accord.core.log import HEAD_BEFORE_GENESIS, next_head
from accord.core.record import verify_record
from tests.vectors.generate import RECORD, VECTORS, build


def test_vectors_are_reproduced_byte_for_byte() -> None:
    vectors, record = build()
    assert VECTORS.read_bytes() == vectors, "run `make vectors` only for a deliberate change"
    assert RECORD.read_bytes() == record


def test_vectors_check_out_from_first_principles() -> None:
    v = json.loads(VECTORS.read_text("utf-8"))
    for k in v["keys"]:
        assert SigningKey(bytes.fromhex(k["seed_hex"])).public.text == k["public"]
        assert bytes.fromhex(k["seed_hex"]) == sha256(k["label"].encode())
    for c in v["canonical"]:
        assert canonical(c["value"]).decode() == c["canonical"]
    head = HEAD_BEFORE_GENESIS
    for entry in v["entries"]:
        event = entry["event"]
        author = PublicKey.parse(event["author"])
        author.verify(bytes.fromhex(entry["event_signing_input_hex"]), event["sig"])
        assert hash_json(event) == entry["event_hash"] == entry["receipt"]["event"]
        head = next_head(head, parse_hash(entry["event_hash"], "event hash"))
        assert head.hex() == entry["head_hex"]


def test_the_vector_record_verifies() -> None:
    report = verify_record(RECORD.read_bytes().splitlines(keepends=True))
    assert report.ok, report.problem
