"""A delegation's node: its keystore, its replica, and the acts it performs via a relay.

The CLI and the demo drive a `Node`; tests do too. Each method does one act of the real
workflow: create a state root, issue or revoke full powers, create an identity, create a
conference, join, post, sync, report status, export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.credentials import FullPowers, issue_full_powers, revoke
from accord.core.encoding import hash_tag
from accord.core.errors import AccordError, Violation
from accord.core.genesis import genesis_body
from accord.core.keys import PublicKey, SigningKey
from accord.core.log import Checkpoint, Receipt
from accord.core.record import checkpoint_line, entry_line, header_line
from accord.core.sealing import DeviceKey, DevicePublicKey
from accord.core.times import format_time
from accord.core.verify import LogVerifier, check_genesis
from accord.node.client import RelayClient, RelayError
from accord.node.keystore import Keystore, KeystoreError, device_label
from accord.node.replica import Alert, Replica

IDENTITY = "identity"
DAY_MS = 86_400_000


def root_label(state: str) -> str:
    return f"root:{state}"


@dataclass(frozen=True)
class SyncResult:
    conf: str
    before: int
    after: int
    alert: Alert | None

    @property
    def new(self) -> int:
        return self.after - self.before


class NodeError(AccordError):
    """A workflow step that cannot be done, with the reason."""


class Node:
    def __init__(self, home: Path, keystore: Keystore) -> None:
        self.home = home
        self.keystore = keystore
        self.replica = Replica(home / "replica.sqlite")
        self._views: dict[str, LogVerifier] = {}

    @classmethod
    def create(cls, home: Path, passphrase: str) -> Node:
        return cls(home, Keystore.create(home / "keystore.json", passphrase))

    @classmethod
    def open(cls, home: Path, passphrase: str) -> Node:
        return cls(home, Keystore.open(home / "keystore.json", passphrase))

    def close(self) -> None:
        self.replica.close()

    def view(self, conf: str) -> LogVerifier:
        """The verified log of `conf`: loaded (and verified) once from the replica, then
        kept up to date by `sync`, so that an act does not verify the whole log again."""
        view = self._views.get(conf)
        if view is None:
            view = self._views[conf] = self.replica.load(conf)
        return view

    # -- keys and credentials ------------------------------------------------------
    def create_root(self, state: str) -> PublicKey:
        key = SigningKey.generate()
        self.keystore.add(root_label(state), "root", key)
        return key.public

    def create_identity(self) -> PublicKey:
        if self.keystore.has(IDENTITY):
            raise NodeError("this node already has an identity")
        key = SigningKey.generate()
        self.keystore.add(IDENTITY, "identity", key)
        return key.public

    @property
    def identity(self) -> SigningKey:
        try:
            return self.keystore.get(IDENTITY)
        except KeystoreError as exc:
            raise NodeError("this node has no identity yet: run `accord identity create`") from exc

    def issue_powers(
        self,
        state: str,
        delegate: str,
        key: PublicKey,
        powers: list[str],
        conferences: list[str],
        now: int,
        days: int = 30,
    ) -> dict[str, Any]:
        return issue_full_powers(
            self.keystore.get(root_label(state)), state=state, delegate=delegate, key=key,
            powers=powers, conferences=conferences, not_before=now - 60_000,
            not_after=now + days * DAY_MS, issued_at=now,
        )  # fmt: skip

    def revoke_powers(self, state: str, credential: str, reason: str, at: int) -> dict[str, Any]:
        return revoke(
            self.keystore.get(root_label(state)), state=state, credential=credential,
            revoked_at=at, reason=reason,
        )  # fmt: skip

    # -- conferences ----------------------------------------------------------------
    def client(self, relay: str) -> RelayClient:
        return RelayClient(relay, self.identity)

    def create_conference(
        self,
        relay: str,
        conf: str,
        title: str,
        states: list[dict[str, str]],
        now: int,
        chair: tuple[str, PublicKey] | None = None,
        host_name: str = "Host",
        decision_rule: str = "consensus",
    ) -> str:
        """Sign a genesis as host and open the conference on `relay`; the genesis hash."""
        me = self.identity
        chair_name, chair_key = chair or (host_name, me.public)
        with self.client(relay) as client:
            sequencer = client.info()["sequencer"]
            genesis = genesis_body(
                title=title,
                host=(host_name, me.public),
                chair=(chair_name, chair_key),
                sequencer=PublicKey.parse(sequencer, "the relay's sequencer key"),
                states=states,
                decision_rule=decision_rule,
            )
            event = genesis_event(me, conf=conf, genesis=genesis, time=now)
            receipt = client.create_conference(event)
        # Pin the genesis this node signed, never what the relay says it stored.
        genesis_hash = ev.Event.parse(event).hash
        self._check_receipt(receipt, PublicKey.parse(sequencer), genesis_hash, 0)
        self.replica.add_membership(conf, relay, genesis_hash)
        self.sync(conf)
        return genesis_hash

    def follow(self, relay: str, conf: str, genesis_hash: str | None) -> SyncResult:
        """Start replicating a conference; pin its genesis if its hash is known."""
        existing = self.replica.membership(conf)
        if (
            existing is not None
            and genesis_hash is not None
            and existing.genesis_hash != genesis_hash
        ):
            raise NodeError(
                f"this node already follows {conf!r} with genesis {existing.genesis_hash}, "
                f"not {genesis_hash}"
            )
        if existing is None:
            with self.client(relay) as client:
                _, first = client.entries(conf, 0, 1)
            if not first:
                raise NodeError(f"the relay has no conference {conf!r}")
            actual = ev.Event.parse(first[0]["event"]).hash
            if genesis_hash is not None and actual != genesis_hash:
                raise NodeError(
                    f"the relay's conference {conf!r} has genesis {actual}, not the "
                    f"{genesis_hash} you were given: another conference or a forgery"
                )
            self.replica.add_membership(conf, relay, actual)
        return self.sync(conf)

    def join(
        self, relay: str, conf: str, credential: dict[str, Any], genesis_hash: str | None, now: int
    ) -> dict[str, Any]:
        fp = FullPowers.parse(credential)
        if fp.key != self.identity.public:
            raise NodeError(
                f"these full powers are for another key than this node's identity ({fp.key.short})"
            )
        result = self.follow(relay, conf, genesis_hash)
        if result.alert is not None:
            raise NodeError(f"the conference log does not verify: {result.alert.message}")
        view = self.view(conf)
        event = Author(self.identity, conf).join(view, credential, now)
        receipt = self._submit(conf, view, event)
        self.replica.set_credential(conf, credential)
        self._confirm(conf, event, receipt)
        return receipt

    def author(self, conf: str, view: LogVerifier) -> Author:
        membership = self._membership(conf)
        me = self.identity
        if membership.credential is not None:
            return Author(me, conf, FullPowers.parse(membership.credential).id)
        if view.state is not None and view.state.genesis.chair.key == me.public:
            return Author(me, conf, None)
        raise NodeError(f"this node has not joined {conf} (and does not chair it)")

    def add_device(self, conf: str, name: str, now: int) -> DevicePublicKey:
        """Create this device's encryption key pair and announce it under the identity."""
        device = DeviceKey.generate()
        self.keystore.add_device(device)
        self.act(conf, now, lambda a, view: a.announce_device(view, device.public.text, name, now))
        return device.public

    def post(self, conf: str, text: str, now: int, channel: str = ev.PLENARY) -> dict[str, Any]:
        return self.act(
            conf, now, lambda a, view: a.event(view, ev.MESSAGE, {"text": text}, now, channel)
        )

    def open_channel(
        self, conf: str, channel: str, kind: str, members: list[str], now: int, history: str
    ) -> dict[str, Any]:
        return self.act(
            conf, now, lambda a, view: a.open_channel(view, channel, kind, members, now, history)
        )

    def publish_revocation(self, conf: str, revocation: dict[str, Any], now: int) -> dict[str, Any]:
        return self.act(
            conf, now, lambda author, view: author.publish_revocation(view, revocation, now)
        )

    def act(
        self, conf: str, now: int, make: Callable[[Author, LogVerifier], dict[str, Any]]
    ) -> dict[str, Any]:
        """Sync, then sign an event that cites the head just verified, and submit it."""
        result = self.sync(conf)
        if result.alert is not None:
            raise NodeError(f"not posting: the log does not verify ({result.alert.message})")
        view = self.view(conf)
        event = make(self.author(conf, view), view)
        receipt = self._submit(conf, view, event)
        self._confirm(conf, event, receipt)
        return receipt

    def _submit(self, conf: str, view: LogVerifier, event: dict[str, Any]) -> dict[str, Any]:
        """Submit, and accept only a receipt signed by the sequencer for this event."""
        with self.client(self._membership(conf).relay) as client:
            receipt = client.submit(event)
        assert view.state is not None
        self._check_receipt(receipt, view.state.genesis.sequencer, ev.Event.parse(event).hash, None)
        return receipt

    @staticmethod
    def _check_receipt(
        receipt: Any, sequencer: PublicKey, event_hash: str, seq: int | None
    ) -> None:
        try:
            parsed = Receipt.parse(receipt, sequencer)
        except AccordError as exc:
            raise NodeError(f"the relay's receipt is not valid ({exc}): do not rely on it") from exc
        if parsed.event != event_hash or (seq is not None and parsed.seq != seq):
            raise NodeError("the relay's receipt is for another event or position")

    def _confirm(self, conf: str, event: dict[str, Any], receipt: dict[str, Any]) -> None:
        """Sync, then check the log holds our event where the receipt says: a relay that
        receipts an event and then drops or replaces it is caught here."""
        result = self.sync(conf)
        if result.alert is not None:
            return
        seq, expected = receipt["seq"], ev.Event.parse(event).hash
        stored = self.replica.entry(conf, seq)
        held = ev.Event.parse(stored[0]).hash if stored else None
        if held != expected:
            self._raise_alert(
                conf, seq, "dropped_event",
                f"the relay receipted this node's event as #{seq}, but the log "
                f"{'holds another event there' if held else 'does not reach it'}: keep the "
                "signed receipt, it proves the submission",
            )  # fmt: skip

    def _membership(self, conf: str) -> Any:
        membership = self.replica.membership(conf)
        if membership is None:
            raise NodeError(f"this node does not follow {conf}: join it first")
        return membership

    # -- the replica -------------------------------------------------------------------
    def sync(self, conf: str, progress: Callable[[int, int], None] | None = None) -> SyncResult:
        """Fetch and verify everything new; stop at the first problem and raise an alert."""
        membership = self._membership(conf)
        view = self.view(conf)
        before = start = view.length
        pending: list[tuple[dict[str, Any], dict[str, Any]]] = []
        alert = None
        with self.client(membership.relay) as client:
            try:
                for length, entry in client.iter_entries(conf, start):
                    view.append(entry["event"], entry["receipt"])
                    if view.length == 1:
                        # Before anything is stored: another conference never enters.
                        check_genesis(view, membership.genesis_hash)
                    if entry["event"]["type"] == ev.DEVICE:
                        self._device_alert(conf, view, membership, entry, view.length - 1)
                    pending.append((entry["event"], entry["receipt"]))
                    if progress is not None:
                        progress(view.length, length)
                    if len(pending) >= 1000:
                        self.replica.append(conf, start, pending)
                        start, pending = start + len(pending), []
                self.replica.append(conf, start, pending)
                start, pending = start + len(pending), []
                self._check_checkpoint(client, conf, view)
            except Violation as v:
                self.replica.append(conf, start, pending)
                self._views.pop(conf, None)  # reload what the replica holds next time
                alert = self._raise_alert(conf, v.seq, v.code, v.message)
            except RelayError as exc:
                self.replica.append(conf, start, pending)
                self._views.pop(conf, None)
                if exc.code != "unreachable":
                    alert = self._raise_alert(
                        conf, None, exc.code, f"the relay refused to serve the log: {exc.message}"
                    )
                else:
                    raise
        return SyncResult(conf, before, self.replica.length(conf), alert)

    def _check_checkpoint(self, client: RelayClient, conf: str, view: LogVerifier) -> None:
        assert view.state is not None
        try:
            cp = Checkpoint.parse(client.checkpoint(conf), view.state.genesis.sequencer)
        except AccordError as exc:
            if isinstance(exc, RelayError):
                raise
            raise Violation(
                "bad_checkpoint", f"the relay's checkpoint is not valid: {exc}"
            ) from exc
        last = view.length - 1
        if cp.conf != view.state.conf:
            raise Violation("bad_checkpoint", "the relay's checkpoint is for another conference")
        if cp.seq < last:
            raise Violation(
                "rollback",
                f"the relay now says the log ends at #{cp.seq}, but this node verified up to "
                f"#{last}: entries were removed from the relay",
                cp.seq + 1,
            )
        if cp.seq == last and cp.head != hash_tag(view.head):
            raise Violation(
                "fork",
                f"the relay's checkpoint head for #{last} differs from the verified one",
                last,
            )

    def _device_alert(
        self, conf: str, view: LogVerifier, membership: Any, entry: dict[str, Any], seq: int
    ) -> None:
        """A device announced for this identity that this node does not hold, or for a
        colleague of this delegation: someone may hold a stolen key."""
        event = ev.Event.parse(entry["event"])
        assert isinstance(event.body, ev.DeviceAnnouncement) and view.state is not None
        when = format_time(entry["receipt"]["time"])
        name = event.body.name
        me = self.identity.public
        if event.author == me:
            if not self.keystore.has(device_label(event.body.key)):
                self._raise_alert(
                    conf, seq, "new_device",
                    f"a new device '{name}' was added to your identity at {when} (entry "
                    f"#{seq}), not from this node. If this was not you, your identity key is "
                    "compromised: have your ministry revoke your full powers now",
                )  # fmt: skip
            return
        if membership.credential is None or event.cred is None:
            return
        mine = FullPowers.parse(membership.credential)
        theirs = view.state.credentials.get(event.cred)
        if theirs is not None and theirs.state == mine.state:
            self._raise_alert(
                conf, seq, "colleague_device",
                f"a new device '{name}' was added to {theirs.label()}'s identity at {when} "
                f"(entry #{seq}); check with them that it was theirs",
            )  # fmt: skip

    def _raise_alert(self, conf: str, seq: int | None, code: str, message: str) -> Alert:
        for existing in self.replica.alerts(conf):
            if (existing.seq, existing.code) == (seq, code):
                return existing
        return self.replica.alert(conf, seq, code, message)

    def export(self, conf: str) -> list[bytes]:
        """The record file's lines: the verified replica and a checkpoint for its end."""
        view = self.view(conf)
        if view.state is None:
            raise NodeError(f"nothing to export for {conf}")
        with self.client(self._membership(conf).relay) as client:
            cp = client.checkpoint_at(conf, view.length - 1)
        Checkpoint.parse(cp, view.state.genesis.sequencer)
        if cp["head"] != hash_tag(view.head):
            raise NodeError(
                "the relay's checkpoint does not match the verified log; run sync and check alerts"
            )
        return [
            header_line(),
            *(entry_line(e, r) for e, r in self.replica.iter_entries(conf)),
            checkpoint_line(cp),
        ]
