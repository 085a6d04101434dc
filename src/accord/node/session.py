"""A delegation's node: its keystore, its replica, and the acts it performs via a relay.

The CLI and the demo drive a `Node`; tests do too. Each method does one act of the real
workflow: create a state root, issue or revoke full powers, create an identity, create a
conference, join, post, sync, report status, export.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.core import events as ev
from accord.core import final_act
from accord.core.author import Author, genesis_event
from accord.core.credentials import FullPowers, Revocation, issue_full_powers, revoke
from accord.core.encoding import hash_tag
from accord.core.epochs import NoKeyError, parse_message_content
from accord.core.errors import AccordError, Violation
from accord.core.genesis import DEFAULT_SILENCE_PERIOD_MS, genesis_body
from accord.core.keyring import Keyring
from accord.core.keys import PublicKey, SigningKey, safety_number
from accord.core.log import Checkpoint, Receipt
from accord.core.negotiation import Negotiation
from accord.core.negotiation import read as read_negotiation
from accord.core.record import checkpoint_line, entry_line, header_line
from accord.core.sealing import DeviceKey, DevicePublicKey, TamperedError
from accord.core.state import Message
from accord.core.times import format_time
from accord.core.verify import LogVerifier, check_genesis
from accord.node.client import RelayClient, RelayError
from accord.node.keystore import Keystore, KeystoreError, device_label
from accord.node.replica import Alert, Replica

IDENTITY = "identity"
DAY_MS = 86_400_000
# Event types after which this node checks whether to alert its delegate.
_WATCHED = frozenset({ev.DEVICE, ev.JOIN, ev.REVOCATION, ev.DEVICE_REVOCATION})
# Refusals that mean another member rekeyed the channel first: sync and try again.
EPOCH_RACES = frozenset({"epoch_sequence", "stale_epoch", "wrong_epoch", "epoch_recipients"})
# Acts a chair who is also a delegate (a presiding state's head of delegation) signs in
# the chair's capacity, with no credential: the record tells the chair from the state.
# A paragraph's status is the chair's to mark agreed; reopening it may be either's.
CHAIR_ACTS = frozenset({ev.TEXT, ev.DECISION, ev.CLOSE})


def chair_capacity(type: str, content: dict[str, Any]) -> bool:
    """Whether a chair who also holds full powers makes this act as chair by default."""
    return type in CHAIR_ACTS or (
        type == ev.PARAGRAPH_STATUS and content.get("status") == "agreed_ad_ref"
    )


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


@dataclass(frozen=True)
class ReadMessage:
    """A message as this node reads it: its text, or why it cannot be shown."""

    message: Message
    text: str | None
    problem: str | None = None


class Node:
    def __init__(self, home: Path, keystore: Keystore) -> None:
        self.home = home
        self.keystore = keystore
        self.replica = Replica(home / "replica.sqlite")
        self._views: dict[str, LogVerifier] = {}
        self._keyrings: dict[str, Keyring] = {}
        self._joins: dict[tuple[str, str], str] = {}  # (conf, credential) -> join event hash
        self.relay_timeout = 30.0  # seconds; an interactive caller may want less
        self._negotiations: dict[str, tuple[tuple[int, int], Negotiation]] = {}

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
            self._membership(conf)  # a conference this node follows, or a clear error
            view = self._views[conf] = self.replica.load(conf)
        return view

    def keyring(self, conf: str) -> Keyring:
        """The epoch keys this node's devices can open in `conf` (kept while it runs)."""
        keyring = self._keyrings.get(conf)
        if keyring is None:
            keyring = Keyring(conf, self.device_keys(), lambda seq: self._event_at(conf, seq))
            self._keyrings[conf] = keyring
        return keyring

    def _event_at(self, conf: str, seq: int) -> ev.Event:
        stored = self.replica.entry(conf, seq)
        if stored is None:
            raise NodeError(f"entry #{seq} of {conf} is not in this node's replica")
        return ev.Event.parse(stored[0], check_signature=False)  # verified when stored

    def device_keys(self) -> list[DeviceKey]:
        return [
            self.keystore.get_device(DevicePublicKey.parse(info.public))
            for info in self.keystore.list()
            if info.kind == "device"
        ]

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
        office: str | None = None,
    ) -> dict[str, Any]:
        return issue_full_powers(
            self.keystore.get(root_label(state)), state=state, delegate=delegate, key=key,
            powers=powers, conferences=conferences, not_before=now - 60_000,
            not_after=now + days * DAY_MS, issued_at=now, office=office,
        )  # fmt: skip

    def revoke_powers(self, state: str, credential: str, reason: str, at: int) -> dict[str, Any]:
        return revoke(
            self.keystore.get(root_label(state)), state=state, credential=credential,
            revoked_at=at, reason=reason,
        )  # fmt: skip

    # -- conferences ----------------------------------------------------------------
    def client(self, relay: str) -> RelayClient:
        return RelayClient(relay, self.identity, self.relay_timeout)

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
        silence_period_ms: int = DEFAULT_SILENCE_PERIOD_MS,
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
                silence_period_ms=silence_period_ms,
            )
            event = genesis_event(me, conf=conf, genesis=genesis, time=now)
            receipt = client.create_conference(event)
        # Pin the genesis this node signed, never what the relay says it stored.
        genesis_hash = ev.Event.parse(event).hash
        self._check_receipt(receipt, PublicKey.parse(sequencer), genesis_hash, 0)
        self.replica.add_membership(conf, relay, genesis_hash)
        self.sync(conf)
        if chair_key == me.public:
            self.ensure_device(conf, now)
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
        self.ensure_device(conf, now)
        return receipt

    def is_chair(self, conf: str) -> bool:
        state = self.view(conf).state
        return state is not None and state.genesis.chair.key == self.identity.public

    def author(self, conf: str, view: LogVerifier, as_chair: bool = False) -> Author:
        membership = self._membership(conf)
        me = self.identity
        keyring = self.keyring(conf)
        if as_chair and view.state is not None and view.state.genesis.chair.key == me.public:
            return Author(me, conf, None, keyring)
        if membership.credential is not None:
            return Author(me, conf, FullPowers.parse(membership.credential).id, keyring)
        if view.state is not None and view.state.genesis.chair.key == me.public:
            return Author(me, conf, None, keyring)
        raise NodeError(f"this node has not joined {conf} (and does not chair it)")

    def add_device(self, conf: str, name: str, now: int) -> DevicePublicKey:
        """Create a new encryption key pair on this node and announce it under the
        identity (each node also has one from joining: `ensure_device`)."""
        device = DeviceKey.generate()
        self.keystore.add_device(device)
        self.keyring(conf).add_device(device)
        self.act(conf, now, lambda a, view: a.announce_device(view, device.public.text, name, now))
        return device.public

    def ensure_device(self, conf: str, now: int) -> None:
        """Make sure this node has a device announced in `conf`, so that it is given the
        channels' keys: announce one it holds, or create one."""
        state = self.view(conf).state
        assert state is not None
        mine = {d[3] for d in state.devices.get(self.identity.public.text, [])}
        held = self.device_keys()
        if any(d.public.text in mine and d.public.id() not in state.revoked_devices for d in held):
            return
        fresh = [d for d in held if d.public.text not in mine]
        device = fresh[0] if fresh else DeviceKey.generate()
        if not fresh:
            self.keystore.add_device(device)
            self.keyring(conf).add_device(device)
        name = f"node on {socket.gethostname()}"
        self.act(conf, now, lambda a, view: a.announce_device(view, device.public.text, name, now))

    def withdraw_device(self, conf: str, device: str, reason: str, now: int) -> dict[str, Any]:
        """Withdraw one of this identity's devices (by id): it is given no further keys."""
        return self.act(conf, now, lambda a, view: a.withdraw_device(view, device, reason, now))

    def post(self, conf: str, text: str, now: int, channel: str = ev.PLENARY) -> dict[str, Any]:
        """Encrypt and post a message, keying a new epoch of the channel first if the
        record says one is due (members changed, or the rules' age or count reached)."""
        content = {"text": text}
        parse_message_content(content)  # refused here, not reported as tampering by readers
        return self.send(conf, ev.MESSAGE, content, now, channel)

    def send(
        self,
        conf: str,
        type: str,
        content: dict[str, Any],
        now: int,
        channel: str,
        as_chair: bool | None = None,
    ) -> dict[str, Any]:
        """Encrypt, sign and post an act; `as_chair` (default: by `chair_capacity`) says
        in which capacity a chair who is also a delegate makes it."""
        self.sync(conf)
        self.ensure_device(conf, now)  # a chair who only followed has none yet
        if as_chair is None:
            as_chair = chair_capacity(type, content)
        as_chair = as_chair and self.is_chair(conf)
        for attempt in range(3):
            if attempt:
                # Another member keyed first, or the clock crossed an epoch's age or a
                # revocation's date: look again at the time now.
                now = max(now, int(time.time() * 1000))
            try:
                # The first attempt follows the sync above; a retry needs a fresh one.
                self.rekey(conf, channel, now, synced=attempt == 0)

                def make(author: Author, view: LogVerifier, at: int = now) -> dict[str, Any]:
                    return author.encrypted(view, type, content, at, channel)

                return self.act(conf, now, make, as_chair)
            except RelayError as exc:
                if exc.code not in EPOCH_RACES or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # -- the negotiation -----------------------------------------------------------------
    def negotiation(self, conf: str) -> Negotiation:
        """Texts, proposals, decisions and statements as this node recomputes them from its
        verified replica (acts it cannot decrypt are flagged, not applied)."""
        view = self.view(conf)
        if view.state is None:
            raise NodeError(f"nothing replicated for {conf}")
        # The fold is a function of the verified log (and of the keys this node holds): a
        # page shown again, with nothing new, reuses it. Callers only read it.
        key = (view.length, len(self.keystore.list()))
        cached = self._negotiations.get(conf)
        if cached is not None and cached[0] == key:
            return cached[1]
        entries = (
            (receipt["seq"], receipt["time"], ev.Event.parse(event, check_signature=False))
            for event, receipt in self.replica.iter_entries(conf)
            if event["type"] in ev.NEGOTIATION_TYPES
        )
        negotiation = read_negotiation(view.state, self.keyring(conf), entries, view.last_time)
        self._negotiations[conf] = (key, negotiation)
        return negotiation

    def negotiate(
        self,
        conf: str,
        type: str,
        content: dict[str, Any],
        now: int,
        as_chair: bool | None = None,
    ) -> dict[str, Any]:
        """Encrypt, sign and post one negotiation act in the plenary; the receipt."""
        if type not in ev.NEGOTIATION_TYPES:
            raise NodeError(f"{type} is not a negotiation act")
        return self.send(conf, type, content, now, ev.PLENARY, as_chair)

    def effect(self, conf: str, receipt: dict[str, Any]) -> str | None:
        """Why the negotiation act just receipted has no effect in the record (every
        member's fold flags it the same way), or None if it took effect. A late
        objection to a silence is recorded but changes nothing: that too."""
        negotiation = self.negotiation(conf)
        seq = receipt["seq"]
        flag = next((f.reason for f in negotiation.flags if f.seq == seq), None)
        if flag is None:
            for d in negotiation.decisions.values():
                if any(late[0] == seq for late in d.late):
                    flag = f"it came after the deadline of {d.id}: the silence held"
        return flag

    def final_act(self, conf: str, text_id: str) -> bytes:
        """The final act of the latest adopted version of `text_id`: the whole record and
        the keys of every act that establishes outcomes (see `accord.core.final_act`)."""
        self.sync(conf)
        negotiation = self.negotiation(conf)
        record = negotiation.texts.get(text_id)
        adopted = next(
            (v for v in reversed(record.versions) if negotiation.adopted(v.hash)), None
        ) if record else None  # fmt: skip
        if adopted is None:
            raise NodeError(f"no version of {text_id!r} has been adopted in {conf}")
        lines = self.export(conf)
        view, keyring = self.view(conf), self.keyring(conf)
        assert view.state is not None
        events = (
            ev.Event.parse(e, check_signature=False)
            for e, _ in self.replica.iter_entries(conf)
            if e["type"] in ev.NEGOTIATION_TYPES
        )
        keys = final_act.disclosure(view.state, keyring, events)
        return final_act.build(lines, text_id, adopted.hash, keys)

    def outcome_news(self, conf: str) -> list[str]:
        """Decisions whose outcome this node has not told its delegate yet (a silence that
        ended, a decision closed): each told once."""
        negotiation = self.negotiation(conf)
        told = self.replica.told_outcomes(conf)
        news = []
        for d in negotiation.decisions.values():
            outcome = d.outcome(negotiation.last_time)
            if outcome == "open" or told.get(d.id) == outcome:
                continue
            self.replica.tell_outcome(conf, d.id, outcome)
            ended = f", silence ended {format_time(d.deadline)}" if d.deadline else ""
            news.append(
                f"decision {d.id} ({d.procedure} on {d.subject.label()}{ended}): "
                f"{outcome.replace('_', ' ')}"
            )
        return news

    def rekey(
        self, conf: str, channel: str, now: int, force: bool = False, synced: bool = False
    ) -> bool:
        """Key a new epoch of `channel` if one is due (or `force`); whether it did. It
        syncs first unless the caller just did (`synced`)."""
        if not synced:
            self.sync(conf)
        state = self.view(conf).state
        assert state is not None
        if channel != ev.PLENARY and channel not in state.channels:
            raise NodeError(f"{conf} has no channel {channel!r}")
        if not force and state.epoch_problem(channel, now) is None:
            return False
        try:
            self.act(conf, now, lambda a, view: a.rekey(view, now, channel))
        except NoKeyError as exc:
            raise NodeError(
                f"channel {channel!r} keeps its whole history for members who join later, "
                "and this node does not hold its current key to pass on; a member who does "
                f"must rekey it first (their node does so when it syncs). ({exc})"
            ) from exc
        except TamperedError as exc:
            current = state.current_epoch(channel)
            self._raise_alert(
                conf, current.seq if current else None, "bad_epoch_key",
                f"the key this node was given for channel {channel!r} does not open or is "
                f"not the epoch's key ({exc}): the member who keyed it sent a bad key. This "
                "node cannot pass the channel's history on; another member must rekey it",
            )  # fmt: skip
            raise NodeError(f"cannot rekey {channel!r}: {exc}") from exc
        return True

    def rekey_due(self, conf: str, now: int) -> list[str]:
        """Rekey every channel this node reads whose epoch is due for replacement (after
        a member left, was removed or revoked, or a device changed): the channels it
        rekeyed. Channels it cannot rekey (no key to link history) are left to others."""
        state = self.view(conf).state
        if state is None:
            return []
        me = self.identity.public.text
        done = []
        for channel in [ev.PLENARY, *sorted(state.channels)]:
            if me not in state.reading_identities(channel, now):
                continue
            if state.current_epoch(channel) is None:
                continue  # nothing was said yet: the first speaker keys it
            if state.epoch_problem(channel, now) is None:
                continue
            try:
                if self.rekey(conf, channel, now):
                    done.append(channel)
            except NodeError:
                continue
            except RelayError as exc:
                if exc.code not in EPOCH_RACES:
                    raise
            state = self.view(conf).state
            assert state is not None
        return done

    def messages(self, conf: str) -> list[ReadMessage]:
        """The conference's messages, decrypted where this node's devices hold the key;
        content that does not open is reported as tampering (and raises an alert), never
        shown as text."""
        state = self.view(conf).state
        if state is None:
            return []
        keyring = self.keyring(conf)
        # One pass over the replica, rather than a query per message.
        events = {
            receipt["seq"]: ev.Event.parse(event, check_signature=False)  # verified when stored
            for event, receipt in self.replica.iter_entries(conf)
            if event["type"] == ev.MESSAGE
        }
        out = []
        for m in state.messages.values():
            try:
                out.append(ReadMessage(m, keyring.message_text(state, events[m.seq])))
            except NoKeyError:
                out.append(
                    ReadMessage(m, None, "not readable here: this node was not given its key")
                )
            except TamperedError as exc:
                self._raise_alert(
                    conf, m.seq, "tampered_content",
                    f"the content of entry #{m.seq} by {m.author} does not decrypt: {exc}",
                )  # fmt: skip
                out.append(ReadMessage(m, None, f"TAMPERED: {exc}"))
        return out

    def open_channel(
        self, conf: str, channel: str, kind: str, members: list[str], now: int, history: str
    ) -> dict[str, Any]:
        return self.act(
            conf, now, lambda a, view: a.open_channel(view, channel, kind, members, now, history)
        )

    def change_members(
        self, conf: str, channel: str, add: list[str], remove: list[str], now: int
    ) -> dict[str, Any]:
        return self.act(
            conf, now, lambda a, view: a.change_members(view, channel, now, add, remove)
        )

    def publish_revocation(self, conf: str, revocation: dict[str, Any], now: int) -> dict[str, Any]:
        return self.act(
            conf, now, lambda author, view: author.publish_revocation(view, revocation, now)
        )

    def act(
        self,
        conf: str,
        now: int,
        make: Callable[[Author, LogVerifier], dict[str, Any]],
        as_chair: bool = False,
    ) -> dict[str, Any]:
        """Sync, then sign an event that cites the head just verified, and submit it."""
        result = self.sync(conf)
        if result.alert is not None:
            raise NodeError(f"not posting: the log does not verify ({result.alert.message})")
        view = self.view(conf)
        event = make(self.author(conf, view, as_chair), view)
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
                    if entry["event"]["type"] in _WATCHED:
                        self._key_alerts(conf, view, membership, entry, view.length - 1)
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

    def _key_alerts(
        self, conf: str, view: LogVerifier, membership: Any, entry: dict[str, Any], seq: int
    ) -> None:
        """Alerts for changes of keys that concern this delegate: a device, a credential
        revocation or a new key for itself, its delegation or a contact it verified."""
        event = ev.Event.parse(entry["event"], check_signature=False)  # verified just now
        state = view.state
        assert state is not None
        when = format_time(entry["receipt"]["time"])
        mine = FullPowers.parse(membership.credential) if membership.credential else None
        if event.type == ev.DEVICE:
            self._device_alert(conf, view, mine, event, when, seq)
        elif event.type == ev.JOIN:
            assert isinstance(event.body, FullPowers)
            fp = event.body
            self._joins[(conf, fp.id)] = event.hash
            known = self.replica.verified_contacts().get((fp.state, fp.delegate))
            if known is not None and known[0] != fp.key.text:
                self._raise_alert(
                    conf, seq, "verified_key_changed",
                    f"{fp.label()}, whose safety number you verified on {format_time(known[1])}, "
                    f"joined with another key at {when} (entry #{seq}). Compare safety numbers "
                    "again before trusting anything signed with it",
                )  # fmt: skip
            earlier = [
                c for c in state.credentials.values()
                if (c.state, c.delegate) == (fp.state, fp.delegate) and c.key != fp.key
            ]  # fmt: skip
            if mine is not None and fp.state == mine.state and earlier and fp.key != mine.key:
                self._raise_alert(
                    conf, seq, "colleague_key_changed",
                    f"{fp.label()} now acts with a new key (joined at {when}, entry #{seq}); "
                    "check with them that it is theirs",
                )  # fmt: skip
        elif event.type == ev.REVOCATION and mine is not None:
            assert isinstance(event.body, Revocation)
            rev = event.body
            target = state.credentials.get(rev.credential)
            if rev.credential == mine.id:
                self._raise_alert(
                    conf, seq, "credential_revoked",
                    f"your full powers were revoked by {rev.state} as of "
                    f"{format_time(rev.revoked_at)} (entry #{seq}): {rev.reason}",
                )  # fmt: skip
            elif target is not None and target.state == mine.state:
                self._raise_alert(
                    conf, seq, "colleague_revoked",
                    f"the full powers of {target.label()} were revoked as of "
                    f"{format_time(rev.revoked_at)} (entry #{seq}): {rev.reason}",
                )  # fmt: skip
        elif event.type == ev.DEVICE_REVOCATION:
            assert isinstance(event.body, ev.DeviceRevocation)
            if any(d.public.id() == event.body.device for d in self.device_keys()):
                self._raise_alert(
                    conf, seq, "device_withdrawn",
                    f"this node's device was withdrawn at {when} (entry #{seq}): it will be "
                    "given no new keys. If you did not do this, your identity key is "
                    "compromised: have your ministry revoke your full powers",
                )  # fmt: skip

    def _device_alert(
        self,
        conf: str,
        view: LogVerifier,
        mine: FullPowers | None,
        event: ev.Event,
        when: str,
        seq: int,
    ) -> None:
        """A device announced for this identity that this node does not hold, or for a
        colleague of this delegation: someone may hold a stolen key."""
        assert isinstance(event.body, ev.DeviceAnnouncement) and view.state is not None
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
        if mine is None or event.cred is None:
            return
        theirs = view.state.credentials.get(event.cred)
        if (
            len(view.state.devices.get(event.author.text, [])) == 1
            and event.prev is not None
            and event.prev == self._join_hash(event.conf, event.cred, view)
        ):
            return  # the device a colleague's node announces on joining: the join is the news
        if theirs is not None and theirs.state == mine.state:
            self._raise_alert(
                conf, seq, "colleague_device",
                f"a new device '{name}' was added to {theirs.label()}'s identity at {when} "
                f"(entry #{seq}); check with them that it was theirs",
            )  # fmt: skip

    def _join_hash(self, conf: str, cred: str, view: LogVerifier) -> str | None:
        """The hash of the event by which a credential joined: seen in this sync, or
        stored by an earlier one."""
        known = self._joins.get((conf, cred))
        if known is None and view.state is not None and cred in view.state.joined_at:
            stored = self.replica.entry(conf, view.state.joined_at[cred])
            known = ev.Event.parse(stored[0], check_signature=False).hash if stored else None
        return known

    # -- out-of-band verification -----------------------------------------------------
    def contact(self, conf: str, state_code: str, delegate: str) -> FullPowers:
        """The current full powers (not revoked) of a delegate, by state and name."""
        self.sync(conf)
        state = self.view(conf).state
        assert state is not None
        found = [
            fp for fp in state.credentials.values()
            if (fp.state, fp.delegate) == (state_code, delegate) and state.revocation(fp) is None
        ]  # fmt: skip
        if not found:
            raise NodeError(f"no delegate {delegate!r} of {state_code} holds full powers in {conf}")
        return found[-1]

    def safety_number(self, conf: str, state_code: str, delegate: str) -> tuple[FullPowers, str]:
        """The safety number to compare, out of band, with that delegate."""
        fp = self.contact(conf, state_code, delegate)
        return fp, safety_number(self.identity.public, fp.key)

    def safety_number_with(self, key: PublicKey) -> str:
        return safety_number(self.identity.public, key)

    def mark_verified(self, conf: str, state_code: str, delegate: str, number: str) -> FullPowers:
        """Record that the safety number was compared and matched (it must match the one
        computed here); the mark holds until that delegate's key changes."""
        fp, expected = self.safety_number(conf, state_code, delegate)
        if "".join(number.split()) != "".join(expected.split()):
            raise NodeError(
                f"that is not the safety number with {fp.label()}: do not mark them verified; "
                "someone may be impersonating them"
            )
        self.replica.mark_verified(fp.state, fp.delegate, fp.key.text)
        return fp

    def is_verified(self, fp: FullPowers) -> bool:
        known = self.replica.verified_contacts().get((fp.state, fp.delegate))
        return known is not None and known[0] == fp.key.text

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
