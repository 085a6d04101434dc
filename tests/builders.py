"""Deterministic conferences for tests and test vectors.

Keys come from labels (SHA-256 of the label is the seed) and the clock is fixed, so the
same calls always produce byte-identical events, receipts and records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.credentials import issue_full_powers, revoke
from accord.core.encoding import hash_tag, parse_hash
from accord.core.genesis import genesis_body
from accord.core.keys import SigningKey
from accord.core.log import make_checkpoint, make_receipt, next_head
from accord.core.record import checkpoint_line, entry_line, header_line
from accord.core.sequencer import Sequencer
from accord.core.verify import LogVerifier

T0 = 1_790_000_000_000  # 2026-09-21 14:13:20 UTC
SECOND = 1000
DAY = 86_400_000
CONF = "test-conf"
NAMES = {
    "ARC": "Republic of Arcadia",
    "BOR": "Kingdom of Borduria",
    "CAL": "Calvia",
    "DUN": "Dunland",
    "EU": "European Union",
}


def key(label: str) -> SigningKey:
    return SigningKey.from_label(label)


class World:
    """A conference on an in-memory sequencer, with a fixed clock."""

    def __init__(
        self,
        states: Sequence[str] = ("ARC", "BOR", "CAL"),
        observers: Sequence[str] = (),
        conf: str = CONF,
        label: str = "",
    ) -> None:
        self.conf = conf
        self.clock = T0
        self.label = label
        codes = sorted({*states, *observers})
        self.roots = {c: key(f"{label}root {c}") for c in codes}
        self.host = key(f"{label}host")
        self.chair_key = key(f"{label}chair")
        self.sequencer_key = key(f"{label}sequencer")
        self.genesis: dict[str, Any] = genesis_body(
            title="Test Conference",
            host=("Secretariat", self.host.public),
            chair=("Chair", self.chair_key.public),
            sequencer=self.sequencer_key.public,
            states=[
                {
                    "code": c,
                    "name": NAMES.get(c, c),
                    "root": self.roots[c].public.text,
                    "role": "observer" if c in observers else "member",
                }
                for c in codes
            ],
            silence_period_ms=DAY,
            clock_skew_ms=300 * SECOND,
        )
        self.genesis_event = genesis_event(self.host, conf=conf, genesis=self.genesis, time=T0)
        self.seq = Sequencer(self.sequencer_key, self.genesis_event, T0)
        self.chair = Author(self.chair_key, conf)

    @property
    def view(self) -> LogVerifier:
        return self.seq.verifier

    def tick(self, ms: int = SECOND) -> int:
        self.clock += ms
        return self.clock

    def credential(
        self,
        state: str,
        name: str,
        powers: Iterable[str] = ("negotiate", "adopt", "sign"),
        *,
        conferences: Iterable[str] | None = None,
        not_before: int | None = None,
        not_after: int | None = None,
        root: SigningKey | None = None,
    ) -> tuple[SigningKey, dict[str, Any]]:
        delegate_key = key(f"{self.label}delegate {state} {name}")
        cred = issue_full_powers(
            root or self.roots.get(state) or key(f"root {state}"),
            state=state,
            delegate=name,
            key=delegate_key.public,
            powers=powers,
            conferences=conferences or [self.conf],
            not_before=T0 - DAY if not_before is None else not_before,
            not_after=T0 + 30 * DAY if not_after is None else not_after,
            issued_at=T0 - DAY,
        )
        return delegate_key, cred

    def join(
        self, state: str, name: str, powers: Iterable[str] = ("negotiate", "adopt", "sign")
    ) -> Author:
        delegate_key, cred = self.credential(state, name, powers)
        author = Author(delegate_key, self.conf)
        self.submit(author.join(self.view, cred, self.tick()))
        return author

    def submit(self, event: dict[str, Any]) -> dict[str, Any]:
        return self.seq.submit(event, self.clock)

    def say(self, author: Author, text: str) -> dict[str, Any]:
        return self.submit(author.say(self.view, text, self.tick()))

    def revoke(
        self, state: str, author: Author, revoked_at: int, reason: str = "test"
    ) -> dict[str, Any]:
        assert author.cred is not None
        return revoke(
            self.roots[state],
            state=state,
            credential=author.cred,
            revoked_at=revoked_at,
            reason=reason,
        )

    def lines(self) -> list[bytes]:
        return list(self.seq.export_lines(self.clock))

    def entries(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return list(self.seq.entries)

    def forced_lines(
        self, events: Sequence[dict[str, Any]], receipt_time: int | None = None
    ) -> list[bytes]:
        """The record as a rogue sequencer would sign it: `events` appended without checks."""
        entries = list(self.seq.entries)
        head = parse_hash(entries[-1][1]["head"], "head")
        time = receipt_time or self.clock
        for event in events:
            event_hash = ev.Event.parse(event).hash
            head = next_head(head, parse_hash(event_hash, "event hash"))
            receipt = make_receipt(
                self.sequencer_key,
                conf=self.conf,
                seq=len(entries),
                event=event_hash,
                head=head,
                time=time,
            )
            entries.append((event, receipt))
        checkpoint = make_checkpoint(
            self.sequencer_key, conf=self.conf, seq=len(entries) - 1, head=hash_tag(head), time=time
        )
        return [header_line(), *(entry_line(e, r) for e, r in entries), checkpoint_line(checkpoint)]


def standard_world() -> tuple[World, dict[str, Author]]:
    """Three delegations that join and talk, one revocation, the chair speaking."""
    world = World()
    a = world.join("ARC", "Ana Reyes")
    b = world.join("BOR", "Boris Vlk", ["negotiate", "adopt"])
    c = world.join("CAL", "Carla Ostrova", ["negotiate"])
    world.say(world.chair, "The meeting is open.")
    world.say(a, "Arcadia proposes a point of contact within 30 days.")
    world.say(b, "Borduria supports.")
    world.say(c, "Calvia asks for six-monthly reachability checks.")
    world.submit(
        world.chair.publish_revocation(
            world.view, world.revoke("BOR", b, world.tick()), world.tick()
        )
    )
    world.say(a, "Arcadia thanks the chair.")
    world.say(c, "Calvia agrees.")
    return world, {"ARC": a, "BOR": b, "CAL": c}
