"""The node behind the web interface: unlocked once with the keystore passphrase, then
kept in step with the relay by a watcher thread, one act at a time.

`Node` is synchronous and not thread-safe; every use goes through `WebNode.call`, which
holds one lock. The watcher syncs every conference the node follows, rekeys channels
that are due, and counts changes: the pages' event stream tells browsers when that count
moves, and they fetch what changed.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, TypeVar

from accord.core.errors import AccordError
from accord.core.times import format_time
from accord.infra.clock import now_ms
from accord.node.client import RelayClient, RelayError
from accord.node.keystore import Keystore
from accord.node.session import Node

T = TypeVar("T")
RELAY_TIMEOUT = 5.0
log = logging.getLogger("accord.web")


class LockedError(AccordError):
    """The node is locked: its keystore passphrase has not been given."""


@dataclass(frozen=True)
class Notice:
    """What happened to the delegate's last act, shown once on the next page."""

    ok: bool
    text: str
    receipt: dict[str, Any] | None = None
    # A refused form: its action, what it held, and the field at fault (if one is).
    form: str | None = None
    values: Mapping[str, tuple[str, ...]] = dataclass_field(default_factory=dict)
    field: str | None = None

    @property
    def receipt_line(self) -> str | None:
        if self.receipt is None:
            return None
        r = self.receipt
        return f"entry #{r['seq']}, received {format_time(r['time'])}, event {r['event']}"


@dataclass
class Watch:
    """What the watcher saw last of a conference: whether its relay answered."""

    unreachable: str | None = None


class WebNode:
    def __init__(self, home: Path, poll_seconds: float = 1.0) -> None:
        self.home = home
        self.poll_seconds = poll_seconds
        self._node: Node | None = None
        self._token: str | None = None
        self._form_token: str | None = None
        self._lock = threading.RLock()
        self._changes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._notices: list[Notice] = []
        self.watch: dict[str, Watch] = {}
        # The relay's stream wakes the watcher as soon as an entry is committed; polling
        # every `poll_seconds` remains, for a relay whose stream is down.
        self._wake = threading.Event()
        self._listeners: dict[str, threading.Thread] = {}
        self._generation = 0  # a listener of an earlier unlock ends

    # -- unlocking -----------------------------------------------------------------
    @property
    def unlocked(self) -> bool:
        return self._node is not None

    def unlock(self, passphrase: str) -> str:
        """Open the keystore; a fresh session token for the browser that unlocked it.
        The passphrase is checked every time, also when the node is already open: a new
        session replaces the old one only for someone who knows it."""
        keystore = Keystore.open(self.home / "keystore.json", passphrase)  # KeystoreError
        with self._lock:
            if self._node is None:
                self._node = Node(self.home, keystore)
                # A page waits for the relay at most this long; the watcher retries.
                self._node.relay_timeout = RELAY_TIMEOUT
            self._token = secrets.token_urlsafe(32)
            self._form_token = secrets.token_urlsafe(24)
            self._notices = []  # a new session does not see the last one's notices
            self._changes += 1
            return self._token

    def lock(self) -> None:
        with self._lock:
            self._generation += 1
            if self._node is not None:
                self._node.close()
            self._node, self._token, self._form_token = None, None, None
            self._notices = []
            self._changes += 1

    @property
    def form_token(self) -> str | None:
        """A random token every form of this session carries, made at unlock (not
        derived from the cookie); pages carry it, so it guards against other sites'
        forms, not against someone who can read the pages."""
        return self._form_token

    def session_ok(self, token: str | None) -> bool:
        expected = self._token
        return (
            expected is not None
            and token is not None
            and hmac.compare_digest(expected.encode(), token.encode())
        )

    # -- using the node ------------------------------------------------------------
    def call(self, fn: Callable[[Node], T]) -> T:
        with self._lock:
            if self._node is None:
                raise LockedError("the node is locked: give the keystore passphrase")
            return fn(self._node)

    def act(self, fn: Callable[[Node], T]) -> T:
        """An act of the delegate: done, then every open page is told to refresh."""
        try:
            return self.call(fn)
        finally:
            self.changed()

    def changed(self) -> None:
        with self._lock:
            self._changes += 1

    @property
    def changes(self) -> int:
        return self._changes

    def notify(self, notice: Notice) -> None:
        with self._lock:
            self._notices.append(notice)

    def take_notices(self) -> list[Notice]:
        with self._lock:
            out, self._notices = self._notices, []
            return out

    # -- the watcher ---------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="accord-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        # Each listener sees the stop within a second and closes its stream cleanly (the
        # relay would otherwise wait for the connection at its own shutdown).
        for listener in list(self._listeners.values()):
            listener.join(timeout=5)
        self.lock()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.tick()
                self._listen_to_relays()
            except Exception:  # the watcher must outlive any one failure; it is logged
                log.exception("watcher tick failed")

    def _listen_to_relays(self) -> None:
        """A listener on the relay's stream for each conference that has none running."""
        with self._lock:
            node = self._node
            if node is None:
                return
            for membership in node.replica.memberships():
                running = self._listeners.get(membership.conf)
                if running is not None and running.is_alive():
                    continue
                client = node.client(membership.relay)
                start = node.replica.length(membership.conf)
                thread = threading.Thread(
                    target=self._listen, args=(client, membership.conf, start, self._generation),
                    name=f"accord-stream-{membership.conf}", daemon=True,
                )  # fmt: skip
                self._listeners[membership.conf] = thread
                thread.start()

    def _listen(self, client: RelayClient, conf: str, start: int, generation: int) -> None:
        try:
            with client, client.subscribe(conf, start) as stream:
                while not self._stop.is_set() and generation == self._generation:
                    try:
                        stream.recv(timeout=1)
                    except TimeoutError:
                        continue
                    self._wake.set()
        except Exception as exc:  # closed, refused, unreachable: polling goes on, and the
            log.debug("stream of %s ended: %s", conf, exc)  # next round listens again

    def tick(self) -> None:
        """One round: sync every conference, rekey what is due, note what changed."""
        with self._lock:
            node = self._node
            confs = [m.conf for m in node.replica.memberships()] if node else []
        for conf in confs:
            # One conference at a time: pages and acts get the lock in between.
            with self._lock:
                if self._node is not node or node is None:
                    return  # locked meanwhile
                if not self.refresh(node, conf):
                    continue
                try:
                    if node.rekey_due(conf, now_ms()):
                        self._changes += 1
                except AccordError as exc:
                    log.warning("watcher could not rekey %s: %s", conf, exc)

    def refresh(self, node: Node, conf: str, for_page: bool = False) -> bool:
        """Sync one conference now (a page shows the freshest verified record); whether
        its log verifies. A relay that does not answer leaves what was verified, and a
        page does not wait for it again: the watcher keeps trying."""
        with self._lock:
            watch = self.watch.setdefault(conf, Watch())
            if for_page and watch.unreachable is not None:
                return True
            alerts_before = len(node.replica.alerts(conf))
            try:
                result = node.sync(conf)
            except RelayError as exc:
                if watch.unreachable is None:
                    self._changes += 1
                watch.unreachable = exc.message
                return False
            if watch.unreachable is not None:
                watch.unreachable = None
                self._changes += 1
            if result.new or len(node.replica.alerts(conf)) != alerts_before:
                self._changes += 1
            return result.alert is None
