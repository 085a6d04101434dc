"""Deterministic conferences for tests and test vectors.

Keys come from labels (SHA-256 of the label is the seed) and the clock is fixed, so the
same calls always produce byte-identical events, receipts and records.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.credentials import issue_full_powers, revoke
from accord.core.encoding import hash_tag, parse_hash
from accord.core.epochs import NoKeyError
from accord.core.genesis import PROCEDURE_1, Procedure, genesis_body
from accord.core.keyring import Keyring
from accord.core.keys import SigningKey
from accord.core.log import make_checkpoint, make_receipt, next_head
from accord.core.negotiation import Negotiation
from accord.core.negotiation import read as read_negotiation
from accord.core.record import checkpoint_line, entry_line, header_line
from accord.core.sealing import DeviceKey
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


# A well-formed encrypted body that no key opens: for acts refused before their content
# could matter (authority, chains, heads).
OPAQUE: dict[str, Any] = {"epoch": 1, "content": "chacha20poly1305:" + "A" * 40, "commit": "A" * 43}


def key(label: str) -> SigningKey:
    return SigningKey.from_label(label)


def device_label(world_label: str, author: Author, name: str) -> str:
    return f"{world_label}device {author.key.public.text} {name}"


class World:
    """A conference on an in-memory sequencer, with a fixed clock.

    The chair and every delegate that joins announce one device (a key derived from a
    label) and hold a keyring, so `say` encrypts as a real node would, keying a new epoch
    first whenever the channel needs one. Fresh keys and nonces come from a counter, so
    everything but the HPKE encapsulations is reproducible."""

    def __init__(
        self,
        states: Sequence[str] = ("ARC", "BOR", "CAL"),
        observers: Sequence[str] = (),
        conf: str = CONF,
        label: str = "",
        observer_access: str = "plenary",
        seal: Callable[..., str] | None = None,
        decision_rule: str = "consensus",
        procedure: Procedure = PROCEDURE_1,
        place: str | None = None,
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
            decision_rule=decision_rule,
            silence_period_ms=DAY,
            clock_skew_ms=300 * SECOND,
            observers=observer_access,
            procedure=procedure,
            place=place,
        )
        self.genesis_event = genesis_event(self.host, conf=conf, genesis=self.genesis, time=T0)
        self.seq = Sequencer(self.sequencer_key, self.genesis_event, T0)
        self._counter = itertools.count()
        self._seal = seal
        self.members: list[Author] = []
        self.chair = self.member(self.chair_key)
        self.add_device(self.chair, "chair")

    def random(self, size: int) -> bytes:
        seed = f"{self.label}random {next(self._counter)}".encode()
        return hashlib.shake_256(seed).digest(size)

    def event_at(self, seq: int) -> ev.Event:
        return ev.Event.parse(self.seq.entries[seq][0], check_signature=False)

    def member(self, signing: SigningKey, cred: str | None = None) -> Author:
        """An author with an (empty) keyring for this conference."""
        keyring = Keyring(self.conf, [], self.event_at, self.random)
        if self._seal is not None:
            keyring.seal = self._seal
        author = Author(signing, self.conf, cred, keyring)
        self.members.append(author)
        return author

    def add_device(self, author: Author, name: str) -> DeviceKey:
        """Announce a device for `author` (its key derived from the author and `name`)."""
        assert author.keyring is not None
        device = DeviceKey.from_label(device_label(self.label, author, name))
        author.keyring.add_device(device)
        self.submit(author.announce_device(self.view, device.public.text, name, self.tick()))
        return device

    def message_seqs(self, channel: str = ev.PLENARY) -> list[int]:
        """The sequence numbers of the messages of `channel`, in order."""
        assert self.view.state is not None
        return [s for s, m in sorted(self.view.state.messages.items()) if m.channel == channel]

    def read(self, author: Author, seq: int) -> str:
        """The text of the message at `seq`, as `author`'s node decrypts it."""
        assert author.keyring is not None and self.view.state is not None
        return author.keyring.read_message(self.view.state, seq)

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
        self,
        state: str,
        name: str,
        powers: Iterable[str] = ("negotiate", "adopt", "sign"),
        device: bool = True,
    ) -> Author:
        delegate_key, cred = self.credential(state, name, powers)
        author = self.member(delegate_key)
        self.submit(author.join(self.view, cred, self.tick()))
        if device:
            self.add_device(author, "laptop")
        return author

    def submit(self, event: dict[str, Any]) -> dict[str, Any]:
        return self.seq.submit(event, self.clock)

    def say(self, author: Author, text: str, channel: str = ev.PLENARY) -> dict[str, Any]:
        """Encrypt and submit a message, keying a new epoch first if the channel needs it."""
        self.rekey_if_needed(author, channel)
        return self.submit(author.say(self.view, text, self.tick(), channel))

    def message(
        self, author: Author, text: str, time: int, channel: str = ev.PLENARY
    ) -> dict[str, Any]:
        """A message by `author`, not submitted, encrypted under a fresh epoch key that the
        world lends it, so that acts by authors who could not encrypt (not members, wrong
        keys) can be built too; a member keys a new epoch first where needed."""
        state = self.view.state
        assert state is not None
        readers = state.reading_identities(channel, self.clock)
        keyers = [a for a in (author, *self.members) if a.key.public.text in readers and a.keyring]
        if keyers:
            self.rekey_if_needed(keyers[0], channel)
        current = state.current_epoch(channel)
        assert current is not None, f"no member can key {channel!r}"
        for lender in (author, *self.members):
            if lender.keyring is None:
                continue
            try:
                lender.keyring.epoch_key(state, channel, current.number)
            except NoKeyError:
                continue
            borrowed = Author(author.key, self.conf, author.cred, lender.keyring)
            return borrowed.say(self.view, text, time, channel)
        raise AssertionError(f"nobody holds the key of {channel!r}")

    def act(self, author: Author, type: str, content: dict[str, Any]) -> dict[str, Any]:
        """Encrypt and submit a negotiation act in the plenary (the chair, who holds every
        plenary key, keys an epoch first if one is due)."""
        self.rekey_if_needed(self.chair)
        return self.submit(author.encrypted(self.view, type, content, self.tick()))

    def negotiation(self, reader: Author | None = None) -> Negotiation:
        """The negotiation as `reader`'s node (by default the chair's) computes it."""
        who = reader or self.chair
        assert who.keyring is not None and self.view.state is not None
        entries = [
            (seq, r["time"], self.event_at(seq)) for seq, (_, r) in enumerate(self.seq.entries)
        ]
        return read_negotiation(self.view.state, who.keyring, entries, self.view.last_time)

    def rekey_if_needed(self, author: Author, channel: str = ev.PLENARY) -> None:
        assert self.view.state is not None
        if self.view.state.epoch_problem(channel, self.clock + SECOND) is not None:
            self.submit(author.rekey(self.view, self.tick(), channel))

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


def standard_world(seal: Callable[..., str] | None = None) -> tuple[World, dict[str, Author]]:
    """Three delegations that join and talk, one revocation, the chair speaking."""
    world = World(seal=seal)
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
