"""The delegation's replica: every entry it has verified, and the alerts it raised.

A local SQLite file (through SQLAlchemy). An entry is written only after it verified
against everything already held; a problem stops the sync, is stored as an alert, and
leaves what was verified before untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
)

from accord.core.encoding import canonical
from accord.core.errors import AccordError
from accord.core.verify import LogVerifier
from accord.infra.clock import now_ms
from accord.infra.sqlite import make_durable

metadata = MetaData()
memberships = Table(
    "memberships",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("relay", Text, nullable=False),
    Column("genesis_hash", String(64), nullable=False),
    Column("credential", Text),  # our full powers (JSON), once joined
)
entries = Table(
    "entries",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("event", Text, nullable=False),
    Column("receipt", Text, nullable=False),
)
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conf", String(64), nullable=False),
    Column("seq", BigInteger),
    Column("code", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", BigInteger, nullable=False),
)

# Delegates whose safety number this delegate compared out of band, with the key it was
# computed from: the mark holds until that delegate's key changes.
verified = Table(
    "verified",
    metadata,
    Column("state", String(16), primary_key=True),
    Column("delegate", Text, primary_key=True),
    Column("key", Text, nullable=False),
    Column("at", BigInteger, nullable=False),
)

# The outcome of each decision this node has told its delegate about.
# The last entry the delegate has seen in each channel: what unread counts start from.
read_marks = Table(
    "read_marks",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("channel", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
)
outcomes = Table(
    "outcomes",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("decision", String(64), primary_key=True),
    Column("outcome", String(16), nullable=False),
)

# When each conference was last synced in full with its relay (the checkpoint checked):
# what a reader offline is told of the copy it reads.
syncs = Table(
    "syncs",
    metadata,
    Column("conf", String(64), primary_key=True),
    Column("at", BigInteger, nullable=False),
)


@dataclass(frozen=True)
class Alert:
    conf: str
    seq: int | None
    code: str
    message: str
    at: int


@dataclass(frozen=True)
class Membership:
    conf: str
    relay: str
    genesis_hash: str
    credential: dict[str, Any] | None


class ReplicaConflict(AccordError):
    """Two processes on one node home stored different entries at one position."""


class Replica:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(f"sqlite:///{path}")
        make_durable(self.engine)
        metadata.create_all(self.engine)
        # The replica holds the record (content encrypted) and alerts: its owner's only.
        path.chmod(0o600)

    def close(self) -> None:
        self.engine.dispose()

    # -- memberships -------------------------------------------------------------
    def add_membership(self, conf: str, relay: str, genesis_hash: str) -> None:
        with self.engine.begin() as c:
            if (
                c.execute(select(memberships.c.conf).where(memberships.c.conf == conf)).first()
                is None
            ):
                c.execute(
                    insert(memberships).values(conf=conf, relay=relay, genesis_hash=genesis_hash)
                )

    def set_credential(self, conf: str, credential: dict[str, Any]) -> None:
        with self.engine.begin() as c:
            c.execute(
                memberships.update()
                .where(memberships.c.conf == conf)
                .values(credential=canonical(credential).decode())
            )

    def set_relay(self, conf: str, relay: str) -> None:
        """Follow the conference through another relay (a mirror, or a moved service)."""
        with self.engine.begin() as c:
            c.execute(memberships.update().where(memberships.c.conf == conf).values(relay=relay))

    def membership(self, conf: str) -> Membership | None:
        with self.engine.connect() as c:
            row = c.execute(select(memberships).where(memberships.c.conf == conf)).first()
        if row is None:
            return None
        return Membership(
            row.conf,
            row.relay,
            row.genesis_hash,
            json.loads(row.credential) if row.credential else None,
        )

    def memberships(self) -> list[Membership]:
        with self.engine.connect() as c:
            rows = c.execute(select(memberships.c.conf)).all()
        return [m for r in rows if (m := self.membership(r.conf)) is not None]

    # -- entries -------------------------------------------------------------------
    def length(self, conf: str) -> int:
        with self.engine.connect() as c:
            n = c.execute(
                select(func.count()).select_from(entries).where(entries.c.conf == conf)
            ).scalar()
        return int(n or 0)

    def iter_entries(self, conf: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        with self.engine.connect() as c:
            rows = c.execute(
                select(entries.c.event, entries.c.receipt)
                .where(entries.c.conf == conf)
                .order_by(entries.c.seq)
            )
            for r in rows:
                yield json.loads(r.event), json.loads(r.receipt)

    def entry(self, conf: str, seq: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        with self.engine.connect() as c:
            row = c.execute(
                select(entries.c.event, entries.c.receipt).where(
                    entries.c.conf == conf, entries.c.seq == seq
                )
            ).first()
        return None if row is None else (json.loads(row.event), json.loads(row.receipt))

    def load(self, conf: str, keep_messages: bool = True) -> LogVerifier:
        """A verifier holding the replica's entries for `conf` (verified again on load)."""
        verifier = LogVerifier(keep_messages)
        for event, receipt in self.iter_entries(conf):
            verifier.append(event, receipt)
        return verifier

    def append(
        self, conf: str, start: int, verified: list[tuple[dict[str, Any], dict[str, Any]]]
    ) -> None:
        """Store entries `start`, `start + 1`, ... that this node verified. Another process
        using the same home (the web interface beside the command line) may have stored
        some already: those are kept, and must be the very same entries."""
        if not verified:
            return
        rows = [
            {"conf": conf, "seq": start + i, "event": canonical(e).decode(),
             "receipt": canonical(r).decode()}
            for i, (e, r) in enumerate(verified)
        ]  # fmt: skip
        with self.engine.begin() as c:
            stored = {
                row.seq: (row.event, row.receipt)
                for row in c.execute(
                    select(entries.c.seq, entries.c.event, entries.c.receipt).where(
                        entries.c.conf == conf, entries.c.seq >= start
                    )
                )
            }
            for row in rows:
                if row["seq"] in stored and stored[row["seq"]] != (row["event"], row["receipt"]):
                    raise ReplicaConflict(
                        f"entry #{row['seq']} of {conf} is stored with other contents by "
                        "another process using this node's folder: the relay showed the "
                        "two different logs"
                    )
            fresh = [row for row in rows if row["seq"] not in stored]
            if fresh:
                c.execute(insert(entries), fresh)

    # -- verified contacts ---------------------------------------------------------
    def mark_verified(self, state: str, delegate: str, key: str) -> None:
        with self.engine.begin() as c:
            c.execute(
                verified.delete().where(
                    (verified.c.state == state) & (verified.c.delegate == delegate)
                )
            )
            c.execute(insert(verified).values(state=state, delegate=delegate, key=key, at=now_ms()))

    def verified_contacts(self) -> dict[tuple[str, str], tuple[str, int]]:
        """(state, delegate) -> (key verified, when)."""
        with self.engine.connect() as c:
            return {(r.state, r.delegate): (r.key, r.at) for r in c.execute(select(verified))}

    # -- outcomes told -------------------------------------------------------------
    def told_outcomes(self, conf: str) -> dict[str, str]:
        with self.engine.connect() as c:
            rows = c.execute(select(outcomes).where(outcomes.c.conf == conf))
            return {r.decision: r.outcome for r in rows}

    def tell_outcome(self, conf: str, decision: str, outcome: str) -> None:
        with self.engine.begin() as c:
            c.execute(
                outcomes.delete().where(
                    (outcomes.c.conf == conf) & (outcomes.c.decision == decision)
                )
            )
            c.execute(insert(outcomes).values(conf=conf, decision=decision, outcome=outcome))

    # -- read marks ----------------------------------------------------------------
    def read_marks(self, conf: str) -> dict[str, int]:
        with self.engine.connect() as c:
            rows = c.execute(select(read_marks).where(read_marks.c.conf == conf))
            return {r.channel: r.seq for r in rows}

    def mark_read(self, conf: str, channel: str, seq: int) -> None:
        with self.engine.begin() as c:
            c.execute(
                read_marks.delete().where(
                    (read_marks.c.conf == conf) & (read_marks.c.channel == channel)
                )
            )
            c.execute(insert(read_marks).values(conf=conf, channel=channel, seq=seq))

    # -- syncs ---------------------------------------------------------------------
    def synced(self, conf: str) -> int | None:
        """When `conf` was last synced in full with its relay (ms), if ever."""
        with self.engine.connect() as c:
            row = c.execute(select(syncs.c.at).where(syncs.c.conf == conf)).first()
        return None if row is None else int(row.at)

    def mark_synced(self, conf: str, at: int) -> None:
        with self.engine.begin() as c:
            c.execute(syncs.delete().where(syncs.c.conf == conf))
            c.execute(insert(syncs).values(conf=conf, at=at))

    # -- alerts --------------------------------------------------------------------
    def alert(self, conf: str, seq: int | None, code: str, message: str) -> Alert:
        alert = Alert(conf, seq, code, message, now_ms())
        with self.engine.begin() as c:
            c.execute(
                insert(alerts).values(conf=conf, seq=seq, code=code, message=message, at=alert.at)
            )
        return alert

    def alerts(self, conf: str | None = None) -> list[Alert]:
        query = select(alerts).order_by(alerts.c.id)
        if conf is not None:
            query = query.where(alerts.c.conf == conf)
        with self.engine.connect() as c:
            return [Alert(r.conf, r.seq, r.code, r.message, r.at) for r in c.execute(query)]
