"""Taking part in a conference: create, follow, join; acts signed, submitted, confirmed; devices."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from accord.core import authority
from accord.core import events as ev
from accord.core.author import Author, genesis_event
from accord.core.credentials import FullPowers
from accord.core.errors import AccordError, Violation
from accord.core.genesis import DEFAULT_SILENCE_PERIOD_MS, PROCEDURE_1, Procedure, genesis_body
from accord.core.keys import PublicKey
from accord.core.log import Receipt
from accord.core.sealing import DeviceKey, DevicePublicKey
from accord.core.verify import LogVerifier
from accord.node.base import NodeError
from accord.node.syncing import Syncing, SyncResult


class ConferenceActs(Syncing):
    """Taking part: open, follow or join a conference, sign acts as oneself (or as
    chair) and submit them, checking the receipt and then the log; this node's devices."""

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
        procedure: Procedure = PROCEDURE_1,
        place: str | None = None,
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
                procedure=procedure,
                place=place,
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
        mine = {d.key for d in state.devices.get(self.identity.public.text, [])}
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

    def act_checked(
        self, conf: str, now: int, make: Callable[[LogVerifier], dict[str, Any]]
    ) -> dict[str, Any]:
        """Sync, sign a public act, check it against the verified record as the relay
        will (refused here, in plain words, before it is sent), then submit it."""
        self.sync(conf)
        view = self.view(conf)
        event = make(view)
        assert view.state is not None
        try:
            authority.check(view.state, ev.Event.parse(event), view.length, now)
        except Violation as exc:
            raise NodeError(f"not sent: {exc.message.split(': ', 1)[-1]}") from exc
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
