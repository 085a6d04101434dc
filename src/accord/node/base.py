"""The ground floor of a node: keystore, replica, the verified view of each conference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.core import events as ev
from accord.core.errors import AccordError
from accord.core.keyring import Keyring
from accord.core.keys import PublicKey, SigningKey
from accord.core.negotiation import Negotiation
from accord.core.sealing import DeviceKey, DevicePublicKey
from accord.core.verify import LogVerifier
from accord.node.client import RelayClient
from accord.node.keystore import Keystore, KeystoreError
from accord.node.replica import Alert, Replica

IDENTITY = "identity"


class NodeError(AccordError):
    """A workflow step that cannot be done, with the reason."""


class NodeBase:
    """What every room of a node stands on: its home, keystore and replica, the verified
    view and keyring of each conference it follows, its identity, a relay client, and
    alerts raised once."""

    def __init__(self, home: Path, keystore: Keystore) -> None:
        self.home = home
        self.keystore = keystore
        self.replica = Replica(home / "replica.sqlite")
        self._views: dict[str, LogVerifier] = {}
        self._keyrings: dict[str, Keyring] = {}
        self._joins: dict[tuple[str, str], str] = {}  # (conf, credential) -> join event hash
        self.relay_timeout = 30.0  # seconds; an interactive caller may want less
        self._negotiations: dict[str, tuple[tuple[int, int], Negotiation]] = {}

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

    def client(self, relay: str) -> RelayClient:
        return RelayClient(relay, self.identity, self.relay_timeout)

    def is_chair(self, conf: str) -> bool:
        state = self.view(conf).state
        return state is not None and state.genesis.chair.key == self.identity.public

    def _membership(self, conf: str) -> Any:
        membership = self.replica.membership(conf)
        if membership is None:
            raise NodeError(f"this node does not follow {conf}: join it first")
        return membership

    def _raise_alert(self, conf: str, seq: int | None, code: str, message: str) -> Alert:
        for existing in self.replica.alerts(conf):
            if (existing.seq, existing.code) == (seq, code):
                return existing
        return self.replica.alert(conf, seq, code, message)
