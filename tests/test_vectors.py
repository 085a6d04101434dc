"""The committed test vectors are what the code produces, byte for byte."""

from __future__ import annotations

import hashlib
import json

import pytest

from accord.core import final_act
from accord.core.encoding import canonical, hash_json, parse_hash, sha256
from accord.core.keys import PublicKey, SigningKey
from accord.core.log import HEAD_BEFORE_GENESIS, next_head
from accord.core.record import verify_record
from tests.vectors import final_acts
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


def test_the_encryption_vector_opens_from_first_principles() -> None:
    """Rebuilt with the primitives the protocol names, not with Accord's own helpers."""
    import base64

    from cryptography.hazmat.primitives import hashes, hmac, hpke
    from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def b64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    v = json.loads(VECTORS.read_text("utf-8"))["encryption"]
    seed = bytes.fromhex(v["device"]["seed_hex"])
    assert seed == hashlib.shake_256(v["device"]["label"].encode()).digest(96)
    private = hpke.MLKEM768X25519PrivateKey(
        mlkem.MLKEM768PrivateKey.from_seed_bytes(seed[:64]),
        x25519.X25519PrivateKey.from_private_bytes(seed[64:]),
    )
    device_id = "sha256:" + base64.urlsafe_b64encode(
        hashlib.sha256(v["device"]["public"].encode()).digest()
    ).decode().rstrip("=")
    assert device_id == v["device"]["id"]

    epoch = v["epoch_event"]
    sealed = next(k["sealed"] for k in epoch["body"]["keys"] if k["device"] == device_id)
    info = b"accord/v1/epoch-key\x00" + canonical(
        {"conf": epoch["conf"], "channel": epoch["channel"], "epoch": 1, "recipient": device_id}
    )
    suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    key = suite.decrypt(b64(sealed), private, info=info)
    assert key.hex() == v["epoch_key_hex"]

    mac = hmac.HMAC(key, hashes.SHA256())
    where = {"conf": epoch["conf"], "channel": epoch["channel"], "epoch": 1}
    mac.update(b"accord/v1/epoch-check\x00" + canonical(where))
    assert base64.urlsafe_b64encode(mac.finalize()).decode().rstrip("=") == epoch["body"]["check"]

    message = v["message_event"]
    header = {k: x for k, x in message.items() if k not in ("body", "sig")}
    header["epoch"] = message["body"]["epoch"]
    assert canonical(header).decode() == v["associated_data"]
    alg, _, raw = message["body"]["content"].partition(":")
    assert alg == "chacha20poly1305"
    sealed_content = b64(raw)
    nonce = sealed_content[:12]
    content_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=nonce, info=b"accord/v1/content-key"
    ).derive(key)
    assert content_key.hex() == v["content_key_hex"]
    commit = hashlib.sha256(b"accord/v1/content-commit\x00" + content_key).digest()
    assert base64.urlsafe_b64encode(commit).decode().rstrip("=") == message["body"]["commit"]
    plaintext = ChaCha20Poly1305(content_key).decrypt(nonce, sealed_content[12:], canonical(header))
    assert plaintext.decode() == v["plaintext"]


@pytest.mark.parametrize("name", ["procedure-1", "procedure-2"])
def test_frozen_final_acts_verify_as_they_did(name: str) -> None:
    """A final act made under each version of the rules of procedure still verifies and
    shows exactly what it showed when it was made (tests/vectors/final_acts.py)."""
    expected = json.loads(final_acts.EXPECTED.read_text())[name]
    report = final_act.verify(final_acts.path(name).read_bytes())
    assert json.loads(json.dumps(final_acts.summary(report))) == expected


def test_frozen_final_acts_are_never_rewritten() -> None:
    with pytest.raises(SystemExit, match="frozen vectors are never rewritten"):
        final_acts.main(["procedure-1"])
