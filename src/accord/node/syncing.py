"""Keeping a replica: sync with checkpoint checks, key alerts, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.core import events as ev
from accord.core.codes import Code
from accord.core.credentials import FullPowers
from accord.core.encoding import hash_tag
from accord.core.errors import AccordError, Violation
from accord.core.log import Checkpoint
from accord.core.record import checkpoint_line, entry_line, header_line
from accord.core.sealing import DevicePublicKey
from accord.core.times import format_period, format_time
from accord.core.verify import LogVerifier, check_genesis
from accord.infra.clock import now_ms
from accord.node.alerts import WATCHED, Known, key_alerts
from accord.node.base import NodeBase, NodeError
from accord.node.client import RelayClient, RelayError
from accord.node.replica import Alert


@dataclass(frozen=True)
class SyncResult:
    conf: str
    before: int
    after: int
    alert: Alert | None

    @property
    def new(self) -> int:
        return self.after - self.before


class Syncing(NodeBase):
    """Replication: fetch, verify and store what is new, check the relay's checkpoint
    (rollback, fork), raise the alerts of `accord.node.alerts`; export the record."""

    def sync(self, conf: str, progress: Callable[[int, int], None] | None = None) -> SyncResult:
        """Fetch and verify everything new; stop at the first problem and raise an alert."""
        membership = self._membership(conf)
        view = self.view(conf)
        before = start = view.length
        pending: list[tuple[dict[str, Any], dict[str, Any]]] = []
        alert = None
        known: Known | None = None  # what the alert policy needs, read once per sync
        with self.client(membership.relay) as client:
            try:
                for length, entry in client.iter_entries(conf, start):
                    view.append(entry["event"], entry["receipt"])
                    if view.length == 1:
                        # Before anything is stored: another conference never enters.
                        check_genesis(view, membership.genesis_hash)
                    if entry["event"]["type"] in WATCHED:
                        known = known or self._known(conf, view, membership)
                        self._key_alerts(conf, view, known, entry, view.length - 1)
                    pending.append((entry["event"], entry["receipt"]))
                    if progress is not None:
                        progress(view.length, length)
                    if len(pending) >= 1000:
                        self.replica.append(conf, start, pending)
                        start, pending = start + len(pending), []
                self.replica.append(conf, start, pending)
                start, pending = start + len(pending), []
                self._check_checkpoint(client, conf, view)
                self.replica.mark_synced(conf, now_ms())
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

    def synced_note(self, conf: str) -> str:
        """When this node last synced `conf` in full with its relay, in words: what a
        reader of the verified copy is told when the relay cannot be reached."""
        at = self.replica.synced(conf)
        if at is None:
            return "never synced in full with the relay"
        return f"last synced {format_time(at)}, {format_period(max(now_ms() - at, 0))} ago"

    def _check_checkpoint(self, client: RelayClient, conf: str, view: LogVerifier) -> None:
        assert view.state is not None
        try:
            cp = Checkpoint.parse(client.checkpoint(conf), view.state.genesis.sequencer)
        except AccordError as exc:
            if isinstance(exc, RelayError):
                raise
            raise Violation(
                Code.BAD_CHECKPOINT, f"the relay's checkpoint is not valid: {exc}"
            ) from exc
        last = view.length - 1
        if cp.conf != view.state.conf:
            raise Violation(Code.BAD_CHECKPOINT, "the relay's checkpoint is for another conference")
        if cp.seq < last:
            raise Violation(
                Code.ROLLBACK,
                f"the relay now says the log ends at #{cp.seq}, but this node verified up to "
                f"#{last}: entries were removed from the relay",
                cp.seq + 1,
            )
        if cp.seq == last and cp.head != hash_tag(view.head):
            raise Violation(
                Code.FORK,
                f"the relay's checkpoint head for #{last} differs from the verified one",
                last,
            )

    def _key_alerts(
        self, conf: str, view: LogVerifier, known: Known, entry: dict[str, Any], seq: int
    ) -> None:
        """Raise the alerts `accord.node.alerts` finds in a verified entry."""
        event = ev.Event.parse(entry["event"], check_signature=False)  # verified just now
        assert view.state is not None
        if event.type == ev.JOIN:
            assert isinstance(event.body, FullPowers)
            self._joins[(conf, event.body.id)] = event.hash
        for alert in key_alerts(event, entry["receipt"]["time"], seq, view.state, known):
            self._raise_alert(conf, alert.seq, alert.code, alert.message)

    def _known(self, conf: str, view: LogVerifier, membership: Any) -> Known:
        """What this node knows for the alert policy: its keys, full powers and contacts
        (none of which a sync changes)."""
        held = frozenset(
            DevicePublicKey.parse(info.public).id()
            for info in self.keystore.list()
            if info.kind == "device"
        )
        return Known(
            identity=self.identity.public,
            credential=FullPowers.parse(membership.credential) if membership.credential else None,
            devices=held,
            verified=self.replica.verified_contacts(),
            join_of=lambda cred: self._join_hash(conf, cred, view),
        )

    def _join_hash(self, conf: str, cred: str, view: LogVerifier) -> str | None:
        """The hash of the event by which a credential joined: seen in this sync, or
        stored by an earlier one."""
        known = self._joins.get((conf, cred))
        if known is None and view.state is not None and cred in view.state.joined_at:
            stored = self.replica.entry(conf, view.state.joined_at[cred])
            known = ev.Event.parse(stored[0], check_signature=False).hash if stored else None
        return known

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
