"""Sequencing with durable group commit, for one or several relay processes.

Submissions wait in a per-conference queue. A single task per conference takes all that
is waiting, opens one transaction, locks the conference row (so that relay processes
sharing one PostgreSQL take turns), catches up with entries other processes wrote,
admits each event by the core's rules, inserts the accepted ones, commits **once**, and
only then hands out the receipts. The rate is bounded by signature checks, not by the
database's commits.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from accord.core import events as ev
from accord.core.codes import Code
from accord.core.encoding import canonical_checked
from accord.core.errors import AccordError, Violation
from accord.core.genesis import Genesis
from accord.core.keys import SigningKey
from accord.core.sequencer import sequence
from accord.core.verify import LogVerifier
from accord.infra.clock import now_ms
from accord.relay import store

log = logging.getLogger("accord.relay")
MAX_BATCH = 512
RECENT = 4096


@dataclass
class _Submission:
    event: ev.Event
    future: asyncio.Future[dict[str, Any]]


@dataclass
class _Conference:
    conf: str
    verifier: LogVerifier | None = None
    queue: list[_Submission] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    # The latest committed entries as the lines subscribers are sent, so that a commit
    # reaches a hundred subscribers without a hundred database reads.
    recent: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=RECENT))


class RelaySequencer:
    def __init__(
        self, engine: AsyncEngine, key: SigningKey, sync_engine: Engine | None = None
    ) -> None:
        self.engine = engine
        # SQLite: batches are written through this engine in one call on a worker thread.
        self.sync_engine = sync_engine
        self.key = key
        self._confs: dict[str, _Conference] = {}
        self.accepted = 0
        self.refused = 0
        self.batches = 0
        self._listeners: list[asyncio.Queue[tuple[str, int]]] = []

    # -- notifications to subscribers (this process's) -----------------------------
    def listen(self) -> asyncio.Queue[tuple[str, int]]:
        queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self._listeners.append(queue)
        return queue

    def unlisten(self, queue: asyncio.Queue[tuple[str, int]]) -> None:
        self._listeners.remove(queue)

    def _notify(self, conf: str, length: int) -> None:
        for queue in self._listeners:
            queue.put_nowait((conf, length))

    # -- creating a conference ----------------------------------------------------
    async def create(self, event: ev.Event) -> dict[str, Any]:
        if not isinstance(event.body, Genesis):
            raise Violation(Code.BAD_GENESIS, "a conference starts with a genesis event")
        if event.body.sequencer != self.key.public:
            raise Violation(
                Code.WRONG_SEQUENCER,
                "the genesis names another sequencer key than this relay's "
                f"({self.key.public.text}); ask the relay for its key and sign again",
            )
        verifier = LogVerifier(keep_messages=False)  # this conference's, once stored
        step = sequence(verifier, self.key, event, now_ms())
        receipt, time_ms = step.receipt, step.time
        exists = Violation(
            Code.CONFERENCE_EXISTS, f"a conference {event.conf!r} already exists here"
        )
        try:
            async with self.engine.begin() as conn:
                if await store.conference_length(conn, event.conf) is not None:
                    raise exists
                await conn.execute(
                    insert(store.conferences).values(
                        conf=event.conf, genesis_hash=event.hash, length=1, created_at=time_ms
                    )
                )
                await conn.execute(insert(store.entries).values(**_row(event, receipt, time_ms)))
        except IntegrityError as exc:  # another relay process created it at the same moment
            raise exists from exc
        conf = self._confs[event.conf] = _Conference(event.conf, verifier)
        conf.recent.append((0, _line(_row(event, receipt, time_ms))))
        self.accepted += 1
        self._notify(event.conf, 1)
        log.info("conference created", extra={"conf": event.conf, "seq": 0})
        return receipt

    # -- submitting events -----------------------------------------------------------
    async def submit(self, event: ev.Event) -> dict[str, Any]:
        conf = await self._conference(event.conf)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        conf.queue.append(_Submission(event, future))
        if conf.task is None or conf.task.done():
            conf.task = asyncio.create_task(self._run(conf))
        return await future

    async def _conference(self, conf_id: str) -> _Conference:
        conf = self._confs.get(conf_id)
        if conf is None:
            async with self.engine.connect() as conn:
                if await store.conference_length(conn, conf_id) is None:
                    raise Violation(Code.UNKNOWN_CONFERENCE, f"no conference {conf_id!r} here")
            conf = self._confs.setdefault(conf_id, _Conference(conf_id))
        return conf

    async def _run(self, conf: _Conference) -> None:
        while conf.queue:
            batch, conf.queue = conf.queue[:MAX_BATCH], conf.queue[MAX_BATCH:]
            try:
                await self._sequence(conf, batch)
            except Exception as exc:  # the database failed: nothing was acknowledged
                conf.verifier = None  # reload from the database next time
                log.exception("batch failed", extra={"conf": conf.conf})
                for sub in batch:
                    if not sub.future.done():
                        reason = f"the relay could not store the event ({type(exc).__name__})"
                        sub.future.set_exception(Violation(Code.UNAVAILABLE, reason + "; retry"))

    async def _sequence(self, conf: _Conference, batch: list[_Submission]) -> None:
        if self.sync_engine is not None:
            # SQLite has one writer (this process): its verifier is the log's state.
            if conf.verifier is None:
                async with self.engine.connect() as conn:
                    length = await store.conference_length(conn, conf.conf)
                    assert length is not None
                    await self._catch_up(conn, conf, length)
            verifier = conf.verifier
            assert verifier is not None
            before = verifier.length
            rows, results = self._admit(conf, verifier, batch)
            if rows:
                await asyncio.to_thread(
                    store.write_batch_sync, self.sync_engine, conf.conf, rows, before
                )
        else:
            async with self.engine.begin() as conn:
                # The row lock makes relay processes sharing the database take turns.
                length = await store.conference_length(conn, conf.conf, lock=True)
                assert length is not None
                verifier = await self._catch_up(conn, conf, length)
                rows, results = self._admit(conf, verifier, batch)
                if rows:
                    await conn.execute(insert(store.entries), rows)
                    await conn.execute(
                        update(store.conferences)
                        .where(store.conferences.c.conf == conf.conf)
                        .values(length=verifier.length)
                    )
        # Committed and durable: only now do receipts leave the relay.
        self.batches += 1
        log.info(
            "batch committed",
            extra={
                "conf": conf.conf,
                "accepted": len(rows),
                "refused": len(results) - len(rows),
                "length": verifier.length,
            },
        )
        for sub, outcome in results:
            if isinstance(outcome, Violation):
                self.refused += 1
            else:
                self.accepted += 1
            if sub.future.done():  # the client went away; its entry, if any, stands
                continue
            if isinstance(outcome, Violation):
                sub.future.set_exception(outcome)
            else:
                sub.future.set_result(outcome)
        if rows:
            conf.recent.extend((row["seq"], _line(row)) for row in rows)
            self._notify(conf.conf, verifier.length)

    def _admit(
        self, conf: _Conference, verifier: LogVerifier, batch: list[_Submission]
    ) -> tuple[list[dict[str, Any]], list[tuple[_Submission, dict[str, Any] | Violation]]]:
        """Admit each event by the core's rules and sign its receipt; the rows to store."""
        rows: list[dict[str, Any]] = []
        results: list[tuple[_Submission, dict[str, Any] | Violation]] = []
        for n, sub in enumerate(batch):
            try:
                step = sequence(verifier, self.key, sub.event, now_ms())
            except Violation as v:
                results.append((sub, v))
                continue
            except Exception as exc:
                # A defect refuses its event, not the batch. It may have left the state
                # half-folded, so the events after it wait, and the state is read again
                # from the database (the entries before it are sound and are stored).
                log.exception("admission failed", extra={"conf": conf.conf})
                results.append((sub, Violation(Code.MALFORMED, f"the event is refused ({exc})")))
                later = Violation(Code.UNAVAILABLE, "the relay is reloading the log; retry")
                results.extend((other, later) for other in batch[n + 1 :])
                conf.verifier = None
                break
            rows.append(_row(sub.event, step.receipt, step.time))
            results.append((sub, step.receipt))
        return rows, results

    async def _catch_up(self, conn: AsyncConnection, conf: _Conference, length: int) -> LogVerifier:
        """The conference's verifier, brought up to `length` entries from the database
        (other relay processes may have written some)."""
        if conf.verifier is None:
            conf.verifier = LogVerifier(keep_messages=False)
        verifier = conf.verifier
        while verifier.length < length:
            rows = await store.read_entries(conn, conf.conf, verifier.length, 5000)
            try:
                # Verifying a long log takes a while: off the event loop, which keeps
                # serving other conferences and streams meanwhile.
                await asyncio.to_thread(_append_all, verifier, rows)
            except (AccordError, ValueError) as exc:
                conf.verifier = None
                raise RuntimeError(f"stored log of {conf.conf} does not verify: {exc}") from exc
        return verifier

    def recent(self, conf_id: str, start: int) -> list[tuple[int, str]] | None:
        """Committed entries from `start`, from memory; None if memory does not hold
        `start` (then read the database)."""
        conf = self._confs.get(conf_id)
        if conf is None or not conf.recent:
            return None
        first, last = conf.recent[0][0], conf.recent[-1][0]
        if not first <= start <= last + 1 or last - first + 1 != len(conf.recent):
            return None
        return list(conf.recent)[start - first :]

    async def length(self, conf_id: str) -> int:
        async with self.engine.connect() as conn:
            length = await store.conference_length(conn, conf_id)
        if length is None:
            raise Violation(Code.UNKNOWN_CONFERENCE, f"no conference {conf_id!r} here")
        return length


def _append_all(verifier: LogVerifier, rows: list[store.StoredEntry]) -> None:
    for entry in rows:
        verifier.append(json.loads(entry.event), json.loads(entry.receipt))


def _line(row: dict[str, Any]) -> str:
    return f'{{"event":{row["event"]},"receipt":{row["receipt"]}}}'


def _row(event: ev.Event, receipt: dict[str, Any], time_ms: int) -> dict[str, Any]:
    return {
        "conf": event.conf,
        "seq": receipt["seq"],
        "event_hash": event.hash,
        "author": event.author.text,
        "type": event.type,
        "size": event.size,
        "received_at": time_ms,
        "event": canonical_checked(event.signed).decode("utf-8"),
        "receipt": canonical_checked(receipt).decode("utf-8"),
    }
