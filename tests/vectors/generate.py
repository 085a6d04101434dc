"""Build the protocol test vectors (run `make vectors` to rewrite the files).

Every key is derived from a label (seed = SHA-256 of the UTF-8 label) and every time is
fixed, so a second implementation can rebuild each object and compare bytes. Epoch keys
and nonces come from a counter (`World.random`). The one randomised step, the HPKE
encapsulation that seals an epoch key to a device, cannot be fixed from outside, so a
rebuild reuses the sealed keys of the committed file: `make vectors` draws new ones.
`tests/test_vectors.py` checks that this code still produces the committed files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.core import events as ev
from accord.core.encoding import canonical, hash_json, parse_hash
from accord.core.epochs import content_header
from accord.core.events import EVENT_CONTEXT
from accord.core.keys import SigningKey, fingerprint, safety_number, signing_input
from accord.core.log import RECEIPT_CONTEXT
from accord.core.sealing import DeviceKey, DevicePublicKey, seal_epoch_key
from tests.builders import device_label, standard_world

HERE = Path(__file__).parent
VECTORS = HERE / "vectors.json"
RECORD = HERE / "record.accord.jsonl"

LABELS = [
    "host",
    "chair",
    "sequencer",
    "root ARC",
    "root BOR",
    "root CAL",
    "delegate ARC Ana Reyes",
]


def _unsigned(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k != "sig"}


class _Sealer:
    """Seals epoch keys as `seal_epoch_key` does, reusing committed sealed keys."""

    def __init__(self, fresh: bool) -> None:
        self.known: dict[tuple[str, int, str], str] = {}
        if not fresh and RECORD.exists():
            for line in RECORD.read_bytes().splitlines()[1:]:
                item = json.loads(line)
                event = item.get("event")
                if event and event["type"] == "epoch":
                    for k in event["body"]["keys"]:
                        where = (event["channel"], event["body"]["epoch"], k["device"])
                        self.known[where] = k["sealed"]

    def __call__(
        self, public: DevicePublicKey, key: bytes, *, conf: str, channel: str, epoch: int
    ) -> str:
        known = self.known.get((channel, epoch, public.id()))
        return known or seal_epoch_key(public, key, conf=conf, channel=channel, epoch=epoch)


def build(fresh: bool = False) -> tuple[bytes, bytes]:
    world, authors = standard_world(seal=_Sealer(fresh))
    entries = world.entries()
    keys = []
    for label in LABELS:
        k = SigningKey.from_label(label)
        keys.append(
            {
                "label": label,
                "seed_hex": k.seed.hex(),
                "public": k.public.text,
                "fingerprint": fingerprint(k.public),
            }
        )
    join_event = next(e for e, _ in entries if e["type"] == "join")
    credential = join_event["body"]["credential"]
    revocation_event = next(e for e, _ in entries if e["type"] == "revocation")
    revocation = revocation_event["body"]["revocation"]
    # Ana's device reads the first plenary message: the sealed key, its check, the content.
    ana = authors["ARC"]
    device = DeviceKey.from_label(device_label("", ana, "laptop"))
    epoch_event = next(e for e, _ in entries if e["type"] == "epoch")
    message_event = next(e for e, _ in entries if e["type"] == "message")
    assert ana.keyring is not None and world.view.state is not None
    epoch_key = ana.keyring.epoch_key(world.view.state, "plenary", 1)
    encryption = {
        "device": {
            "label": device_label("", ana, "laptop"),
            "seed_hex": device.seed.hex(),
            "public": device.public.text,
            "id": device.public.id(),
        },
        "epoch_event": epoch_event,
        "epoch_key_hex": epoch_key.hex(),
        "content_key_hex": ana.keyring.content_key(
            world.view.state, ev.Event.parse(message_event)
        ).hex(),
        "message_event": message_event,
        "associated_data": canonical(
            content_header(message_event, message_event["body"]["epoch"])
        ).decode("utf-8"),
        "plaintext": canonical({"text": world.read(ana, next(
            i for i, (e, _) in enumerate(entries) if e is message_event))}).decode("utf-8"),
    }  # fmt: skip
    vectors = {
        "about": "Accord protocol v1 test vectors; see docs/protocol.md, section Test vectors.",
        "keys": keys,
        "safety_number": {
            "a": keys[1]["public"],
            "b": keys[6]["public"],
            "number": safety_number(
                SigningKey.from_label(LABELS[1]).public, SigningKey.from_label(LABELS[6]).public
            ),
        },
        "canonical": [
            {"value": v, "canonical": canonical(v).decode("utf-8")}
            for v in (
                {"b": [1, True, None], "a": "é\n\u2028", "\u20ac": {"z": -5, "y": ""}},
                {"\ufb33": 1, "\U0001f600": 2},
            )
        ],
        "full_powers": {
            "signed": credential,
            "signing_input_hex": signing_input("full-powers", _unsigned(credential)).hex(),
            "id": hash_json(credential),
        },
        "revocation": {
            "signed": revocation,
            "signing_input_hex": signing_input("revocation", _unsigned(revocation)).hex(),
            "id": hash_json(revocation),
        },
        "encryption": encryption,
        "entries": [
            {
                "event": event,
                "event_signing_input_hex": signing_input(EVENT_CONTEXT, _unsigned(event)).hex(),
                "event_hash": hash_json(event),
                "receipt": receipt,
                "receipt_signing_input_hex": signing_input(
                    RECEIPT_CONTEXT, _unsigned(receipt)
                ).hex(),
                "head_hex": parse_hash(receipt["head"], "head").hex(),
            }
            for event, receipt in entries[:4]
        ],
    }
    text = json.dumps(vectors, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return text.encode("utf-8"), b"".join(world.lines())


def main() -> None:
    vectors, record = build(fresh=True)
    VECTORS.write_bytes(vectors)
    RECORD.write_bytes(record)
    print(f"wrote {VECTORS} and {RECORD}")


if __name__ == "__main__":
    main()
