"""Build the protocol test vectors (run `make vectors` to rewrite the files).

Every key is derived from a label (seed = SHA-256 of the UTF-8 label) and every time is
fixed, so a second implementation can rebuild each object and compare bytes.
`tests/test_vectors.py` checks that this code still produces the committed files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.core.encoding import canonical, hash_json, parse_hash
from accord.core.events import EVENT_CONTEXT
from accord.core.keys import SigningKey, fingerprint, safety_number, signing_input
from accord.core.log import RECEIPT_CONTEXT
from tests.builders import standard_world

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


def build() -> tuple[bytes, bytes]:
    world, _ = standard_world()
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
    join_event = entries[1][0]
    credential = join_event["body"]["credential"]
    revocation_event = next(e for e, _ in entries if e["type"] == "revocation")
    revocation = revocation_event["body"]["revocation"]
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
            for event, receipt in entries[:3]
        ],
    }
    text = json.dumps(vectors, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return text.encode("utf-8"), b"".join(world.lines())


def main() -> None:
    vectors, record = build()
    VECTORS.write_bytes(vectors)
    RECORD.write_bytes(record)
    print(f"wrote {VECTORS} and {RECORD}")


if __name__ == "__main__":
    main()
