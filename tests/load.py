"""Light writers for load tests: delegates who post without keeping a replica.

Each writer cites as its `seen` head the one in its own last receipt (a head the log
certainly has) and chains to its own last event, so many can post concurrently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from accord.core import events as ev
from accord.core.author import genesis_event
from accord.core.credentials import FullPowers, issue_full_powers
from accord.core.events import Event
from accord.core.genesis import genesis_body
from accord.core.keys import PublicKey, SigningKey
from accord.node.client import RelayClient

DAY = 86_400_000


def now() -> int:
    return int(time.time() * 1000)


@dataclass
class Writer:
    key: SigningKey
    conf: str
    cred: str
    relay: str
    prev: str | None = None
    seen: ev.Seen | None = None
    receipts: list[dict[str, Any]] = field(default_factory=list)

    def submit(self, type: str, body: dict[str, Any]) -> dict[str, Any]:
        event = ev.make_event(
            self.key, conf=self.conf, type=type, body=body, time=now(),
            seen=self.seen, prev=self.prev, cred=self.cred,
        )  # fmt: skip
        with RelayClient(self.relay, self.key) as client:
            receipt = client.submit(event)
        self.prev = Event.parse(event).hash
        self.seen = ev.Seen(receipt["seq"], receipt["head"])
        self.receipts.append(receipt)
        return receipt

    def post(self, text: str, client: RelayClient) -> dict[str, Any]:
        event = ev.make_event(
            self.key, conf=self.conf, type=ev.MESSAGE, body={"text": text}, time=now(),
            seen=self.seen, prev=self.prev, cred=self.cred,
        )  # fmt: skip
        receipt = client.submit(event)
        self.prev = Event.parse(event).hash
        self.seen = ev.Seen(receipt["seq"], receipt["head"])
        self.receipts.append(receipt)
        return receipt

    def resync(self, entries: list[dict[str, Any]]) -> None:
        """After a crash: find this writer's latest event in the log."""
        for entry in entries:
            if entry["event"]["author"] == self.key.public.text:
                self.prev = Event.parse(entry["event"]).hash
                self.seen = ev.Seen(entry["receipt"]["seq"], entry["receipt"]["head"])


def open_conference(relay: str, writers: int, conf: str = "load") -> list[Writer]:
    host = SigningKey.generate()
    codes = [f"S{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(writers)]
    roots = {c: SigningKey.generate() for c in codes}
    with RelayClient(relay, host) as client:
        sequencer = client.info()["sequencer"]
        genesis = genesis_body(
            title="Load",
            host=("Host", host.public),
            chair=("Chair", host.public),
            sequencer=PublicKey.parse(sequencer),
            states=[
                {"code": c, "name": c, "root": roots[c].public.text, "role": "member"}
                for c in codes
            ],
            silence_period_ms=DAY,
            observers="none",
        )
        first = client.create_conference(
            genesis_event(host, conf=conf, genesis=genesis, time=now())
        )
    result = []
    for code in codes:
        key = SigningKey.generate()
        credential = issue_full_powers(
            roots[code], state=code, delegate=f"Delegate {code}", key=key.public, powers=["negotiate"],
            conferences=[conf], not_before=now() - DAY, not_after=now() + DAY, issued_at=now(),
        )  # fmt: skip
        writer = Writer(
            key, conf, FullPowers.parse(credential).id, relay, seen=ev.Seen(0, first["head"])
        )
        writer.submit(ev.JOIN, {"credential": credential})
        result.append(writer)
    return result


def fetch_all(relay: str, conf: str) -> list[dict[str, Any]]:
    with RelayClient(relay, SigningKey.generate()) as client:
        return [entry for _, entry in client.iter_entries(conf, 0)]
