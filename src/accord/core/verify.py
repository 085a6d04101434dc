"""Verification of a log, one entry at a time.

`LogVerifier` holds what is needed to judge the next entry: the head of every sequence
number so far (32 bytes each, to check the heads authors cite), each author's latest
event, and the conference state. `append` checks an entry completely; `admit` is the
part a sequencer runs before it accepts an event, so that the relay and every member
apply the very same rules. The first violation stops verification: after a broken
entry nothing later can be trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from accord.core import authority
from accord.core import events as ev
from accord.core.codes import Code
from accord.core.encoding import hash_tag, parse_hash
from accord.core.errors import AccordError, Violation
from accord.core.genesis import Genesis
from accord.core.log import HEAD_BEFORE_GENESIS, Receipt, next_head
from accord.core.signatures import (
    EVENT,
    RECEIPT,
    ImmediateChecks,
    PendingSignature,
    SignatureChecks,
)
from accord.core.state import ConferenceState, Notice
from accord.core.times import format_time


@dataclass
class _AuthorTip:
    hash: str
    seq: int
    seen_seq: int


class LogVerifier:
    def __init__(self, keep_messages: bool = True, checks: SignatureChecks | None = None) -> None:
        self.keep_messages = keep_messages
        self.checks: SignatureChecks = checks or ImmediateChecks()
        self.state: ConferenceState | None = None
        self._heads = bytearray()
        self._authors: dict[bytes, _AuthorTip] = {}
        self.last_time = 0

    # -- what the log looks like so far ---------------------------------------------
    @property
    def length(self) -> int:
        return len(self._heads) // 32

    def head_at(self, seq: int) -> bytes:
        return bytes(self._heads[seq * 32 : seq * 32 + 32])

    @property
    def head(self) -> bytes:
        return self.head_at(self.length - 1) if self.length else HEAD_BEFORE_GENESIS

    def seen(self) -> ev.Seen:
        """The head to cite in a new event."""
        return ev.Seen(self.length - 1, hash_tag(self.head))

    def author_tip(self, author: bytes) -> str | None:
        tip = self._authors.get(author)
        return tip.hash if tip else None

    @property
    def genesis(self) -> Genesis:
        if self.state is None:
            raise AccordError("the log has no genesis yet")
        return self.state.genesis

    # -- a whole entry -------------------------------------------------------------
    def append(self, event_json: Any, receipt_json: Any) -> list[Notice]:
        """Check one log entry completely and fold it in; raises `Violation`."""
        seq = self.length
        event: ev.Event | None = None
        if self.state is None:
            # The genesis names the sequencer key, so it is read before its receipt.
            event = self._parse_event(event_json, seq)
            if not isinstance(event.body, Genesis):
                raise Violation(Code.GENESIS_MISSING, "the log does not start with a genesis", seq)
            sequencer = event.body.sequencer
            conf = event.conf
        else:
            sequencer = self.state.genesis.sequencer
            conf = self.state.conf
        try:
            receipt = Receipt.parse(receipt_json, sequencer, check_signature=False)
        except AccordError as exc:
            raise Violation(Code.MALFORMED, f"entry #{seq}: malformed receipt: {exc}", seq) from exc
        self.checks.check(PendingSignature(seq, RECEIPT, receipt.signature))
        if receipt.seq != seq:
            raise _sequence_problem(seq, receipt.seq)
        if receipt.conf != conf:
            raise Violation(
                Code.WRONG_CONFERENCE,
                f"entry #{seq}: the receipt is for conference {receipt.conf!r}, not {conf!r}",
                seq,
            )
        if event is None:
            event = self._parse_event(event_json, seq)
        if event.hash != receipt.event:
            raise Violation(
                Code.EVENT_MISMATCH,
                f"entry #{seq}: the event is not the one the sequencer received "
                "(its hash differs from the receipt's): it was altered after sequencing",
                seq,
            )
        expected_head = next_head(self.head, parse_hash(event.hash, "event hash"))
        if receipt.head != hash_tag(expected_head):
            raise Violation(
                Code.HEAD_MISMATCH,
                f"entry #{seq}: the receipt's head does not follow from the previous head "
                "and this event: the log was rewritten before this point",
                seq,
            )
        if receipt.time < self.last_time:
            raise Violation(
                Code.TIME_REGRESSION,
                f"entry #{seq}: received at {format_time(receipt.time)}, before the previous "
                f"entry ({format_time(self.last_time)}): the sequencer's clock went backwards",
                seq,
            )
        self.admit(event, seq, receipt.time)
        return self.commit(event, seq, receipt.time, expected_head)

    def _parse_event(self, value: Any, seq: int) -> ev.Event:
        try:
            event = ev.Event.parse(value, check_signature=False)
        except AccordError as exc:
            raise Violation(Code.MALFORMED, f"entry #{seq}: malformed event: {exc}", seq) from exc
        self.checks.check(PendingSignature(seq, EVENT, event.signature))
        return event

    # -- the rules a sequencer applies before accepting an event ------------------
    def admit(self, event: ev.Event, seq: int, time: int) -> None:
        """Raise `Violation` unless `event` may be entry `seq`, received at `time`."""
        if self.state is None:
            if seq != 0 or event.type != ev.GENESIS:
                raise Violation(Code.GENESIS_MISSING, "the log does not start with a genesis", seq)
            self._admit_genesis(event)
            return
        state = self.state
        where = f"entry #{seq}"
        if event.conf != state.conf:
            raise Violation(
                Code.WRONG_CONFERENCE,
                f"{where}: the event is for conference {event.conf!r}, not {state.conf!r} "
                "(an event replayed from another conference)",
                seq,
            )
        if event.type == ev.GENESIS:
            raise Violation(Code.GENESIS_REPEATED, f"{where}: a second genesis in one log", seq)
        self._check_seen(event, seq, where)
        skew = state.genesis.rules.clock_skew_ms
        if event.time < time - skew:
            raise Violation(
                Code.STALE_EVENT,
                f"{where}: the author dated the event {format_time(event.time)}, more than "
                f"{skew // 1000} s before its receipt ({format_time(time)}): it was held back "
                "or replayed late",
                seq,
            )
        if event.time > time + skew:
            raise Violation(
                Code.FUTURE_TIME,
                f"{where}: the author dated the event {format_time(event.time)}, later than its "
                f"receipt ({format_time(time)}) allows",
                seq,
            )
        self._check_chain(event, seq, where)
        if event.channel != ev.PLENARY and event.channel not in state.channels:
            raise Violation(Code.UNKNOWN_CHANNEL, f"{where}: no channel {event.channel!r}", seq)
        authority.check(state, event, seq, time)

    def _admit_genesis(self, event: ev.Event) -> None:
        assert isinstance(event.body, Genesis)
        if event.author != event.body.host.key:
            raise Violation(Code.BAD_GENESIS, "entry #0: the genesis is not signed by its host", 0)
        if event.cred is not None or event.prev is not None or event.seen is not None:
            raise Violation(
                Code.BAD_GENESIS, "entry #0: a genesis cites no credential, event or head", 0
            )
        if event.channel != ev.PLENARY:
            raise Violation(Code.BAD_GENESIS, "entry #0: the genesis belongs to the plenary", 0)

    def _check_seen(self, event: ev.Event, seq: int, where: str) -> None:
        if event.seen is None:
            raise Violation(Code.MALFORMED, f"{where}: the event cites no log head", seq)
        cited = event.seen.seq
        if cited >= seq:
            raise Violation(
                Code.UNKNOWN_HEAD,
                f"{where}: its author cites head #{cited}, which this log does not have "
                "before it: the author saw entries missing here (dropped, or a split view)",
                seq,
            )
        if event.seen.head != hash_tag(self.head_at(cited)):
            raise Violation(
                Code.FORK,
                f"{where}: its author saw a different log: the head they cite for #{cited} "
                "is not this log's. The log was forked (a split view) at or before "
                f"#{cited}, or rewritten",
                seq,
            )

    def _check_chain(self, event: ev.Event, seq: int, where: str) -> None:
        assert self.state is not None
        tip = self._authors.get(event.author.raw)
        if tip is None:
            if event.prev is not None:
                raise Violation(
                    Code.CHAIN_BREAK,
                    f"{where}: the author's first event in this log claims to follow "
                    f"{event.prev}: an earlier event of theirs is missing",
                    seq,
                )
            return
        if event.prev == tip.hash:
            assert event.seen is not None
            if event.seen.seq < tip.seen_seq:
                raise Violation(
                    Code.SEEN_INVALID,
                    f"{where}: cites head #{event.seen.seq}, older than the "
                    f"#{tip.seen_seq} its author had already cited",
                    seq,
                )
            return
        who = self.state.author_label(event)
        if event.hash == tip.hash:
            code, what = Code.DUPLICATE_EVENT, f"is a replay of #{tip.seq}, the same event"
        elif event.prev is None:
            code, what = (
                Code.CHAIN_BREAK,
                f"restarts {who}'s chain, which already reaches #{tip.seq}",
            )
        else:
            code, what = (
                Code.CHAIN_BREAK,
                f"does not follow {who}'s latest event #{tip.seq}: a replayed, "
                "reordered or forked event",
            )
        raise Violation(code, f"{where} {what}", seq)

    # -- folding an accepted entry in -------------------------------------------
    def commit(self, event: ev.Event, seq: int, time: int, head: bytes) -> list[Notice]:
        if self.state is None:
            self.state = ConferenceState.from_genesis(event, self.keep_messages)
            notices: list[Notice] = []
        else:
            notices = self.state.apply(event, seq, time)
        self._heads += head
        seen_seq = event.seen.seq if event.seen else -1
        self._authors[event.author.raw] = _AuthorTip(event.hash, seq, seen_seq)
        self.last_time = time
        return notices


def _sequence_problem(expected: int, found: int) -> Violation:
    if found == expected - 1:
        # Names the entry that was duplicated, not the position of its copy.
        return Violation(Code.DUPLICATE_ENTRY, f"entry #{found} appears twice", found)
    if found < expected:
        return Violation(
            Code.OUT_OF_ORDER,
            f"expected entry #{expected}, found #{found} again: out of order",
            expected,
        )
    return Violation(
        Code.MISSING_ENTRY,
        f"expected entry #{expected}, found #{found}: entries are missing or out of order",
        expected,
    )


def check_genesis(verifier: LogVerifier, expected: str) -> None:
    """Raise unless the log's genesis is the one whose hash was obtained out of band."""
    if verifier.state is not None and verifier.state.genesis_hash != expected:
        raise Violation(
            Code.UNEXPECTED_GENESIS,
            f"the log's genesis is {verifier.state.genesis_hash}, not the expected "
            f"{expected}: another conference, a replaced one, or a forgery",
            0,
        )


def fold(entries: Iterable[tuple[Any, Any]], keep_messages: bool = True) -> ConferenceState:
    """The state of a conference from its log; raises `Violation` on the first fault."""
    verifier = LogVerifier(keep_messages)
    for event_json, receipt_json in entries:
        verifier.append(event_json, receipt_json)
    if verifier.state is None:
        raise Violation(Code.GENESIS_MISSING, "the log is empty", 0)
    return verifier.state
