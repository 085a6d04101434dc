"""Light writers for load tests: delegates who post without keeping a replica.

Each writer cites as its `seen` head the one in its own last receipt (a head the log
certainly has) and chains to its own last event, so many can post concurrently. Writers
announce no devices: the host keys one plenary epoch sealed to nobody and lends its key to
every writer, so messages are encrypted as in real use without per-writer key handling.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from accord.core import events as ev
from accord.core.author import genesis_event
from accord.core.credentials import FullPowers, issue_full_powers
from accord.core.epochs import encrypt_body, epoch_body, new_key
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
    cred: str | None
    relay: str
    prev: str | None = None
    seen: ev.Seen | None = None
    receipts: list[dict[str, Any]] = field(default_factory=list)
    epoch_key: bytes = b""

    def message(self, text: str) -> dict[str, Any]:
        """A signed message event, encrypted under the lent epoch key."""
        header = {
            "v": 1, "conf": self.conf, "type": ev.MESSAGE, "channel": ev.PLENARY,
            "author": self.key.public.text, "cred": self.cred, "prev": self.prev,
            "seen": self.seen.to_json() if self.seen else None, "time": now(),
        }  # fmt: skip
        header["body"] = encrypt_body(self.epoch_key, 1, {"text": text}, header)
        return self.key.sign_object(ev.EVENT_CONTEXT, header)

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
        event = self.message(text)
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
            epoch_max_messages=10**12,
        )
        genesis_json = genesis_event(host, conf=conf, genesis=genesis, time=now())
        first = client.create_conference(genesis_json)
    result = []
    chair = Writer(host, conf, None, relay, prev=Event.parse(genesis_json).hash)
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
    epoch_key = new_key()
    body = epoch_body(epoch_key, {}, conf=conf, channel=ev.PLENARY, epoch=1, previous_key=None)
    chair.seen = result[-1].seen
    chair.submit(ev.EPOCH, body)
    for writer in result:
        writer.epoch_key = epoch_key
    return result


def fetch_all(relay: str, conf: str) -> list[dict[str, Any]]:
    with RelayClient(relay, SigningKey.generate()) as client:
        return [entry for _, entry in client.iter_entries(conf, 0)]
