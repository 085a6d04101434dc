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

from accord.core import events as ev
from accord.core.channels import ChannelSpec
from accord.core.codes import Code
from accord.core.credentials import FullPowers, Revocation
from accord.core.encoding import hash_tag, parse_hash
from accord.core.epochs import MAX_RECIPIENTS, Encrypted, EpochBody
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

# The power each event type needs (besides a valid credential); None: any member.
REQUIRED_POWER: dict[str, str | None] = {
    ev.MESSAGE: "negotiate",
    ev.REVOCATION: None,
    ev.JOIN: None,
    ev.DEVICE: None,
    ev.CHANNEL: "negotiate",
    ev.MEMBERSHIP: "negotiate",
    ev.EPOCH: None,
    ev.DEVICE_REVOCATION: None,
    ev.TEXT: None,  # the chair's
    ev.AMEND: "negotiate",
    ev.STANCE: "negotiate",
    ev.PARAGRAPH_STATUS: None,  # the chair's; a delegation reopening needs negotiate
    ev.DECISION: None,  # the chair's
    ev.OBJECTION: None,  # consensus needs adopt, breaking silence any delegation
    ev.VOTE: "adopt",
    ev.CLOSE: None,  # the chair's
    ev.STATEMENT: None,
    ev.SIGNATURE: "sign",
    ev.CONFIRMATION: None,  # carries a root's signed confirmation, checked by the fold
}
OBSERVERS_CANNOT = frozenset(
    {ev.MESSAGE, ev.CHANNEL, ev.MEMBERSHIP, ev.AMEND, ev.STANCE, ev.OBJECTION, ev.VOTE,
     ev.SIGNATURE}
)  # fmt: skip
CHAIR_ONLY = frozenset({ev.TEXT, ev.DECISION, ev.CLOSE})
MAX_DEVICES = 8  # active devices per identity


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
        self._check_authority(event, seq, time, where)

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

    def _check_authority(self, event: ev.Event, seq: int, time: int, where: str) -> None:
        assert self.state is not None
        state = self.state
        if event.type == ev.JOIN:
            fp = event.body
            assert isinstance(fp, FullPowers)
            if event.cred != fp.id:
                raise Violation(
                    Code.MALFORMED, f"{where}: the join names a credential it does not present", seq
                )
            if event.author != fp.key:
                raise Violation(
                    Code.WRONG_KEY,
                    f"{where}: the full powers of {fp.label()} are for another key than "
                    "the one that signed the join",
                    seq,
                )
            if fp.id in state.credentials:
                raise Violation(
                    Code.ALREADY_JOINED, f"{where}: {fp.label()} has already joined with them", seq
                )
            self._check_credential(fp, seq, time, where)
            return
        if event.cred is None:
            if event.author != state.genesis.chair.key:
                raise Violation(
                    Code.NOT_MEMBER,
                    f"{where}: signed by a key with no credential in this conference",
                    seq,
                )
        else:
            known = state.credentials.get(event.cred)
            if known is None:
                raise Violation(
                    Code.NOT_MEMBER,
                    f"{where}: cites credential {event.cred}, which was never presented "
                    "(joined) in this conference",
                    seq,
                )
            if known.key != event.author:
                raise Violation(
                    Code.WRONG_KEY,
                    f"{where}: signed by another key than the one in {known.label()}'s full powers",
                    seq,
                )
            self._check_credential(known, seq, time, where)
            power = REQUIRED_POWER.get(event.type)
            if power is not None and power not in known.powers:
                raise Violation(
                    Code.POWER_MISSING,
                    f"{where}: {known.label()} holds full powers to "
                    f"{', '.join(sorted(known.powers))}, not to {power}; a {event.type} "
                    f"needs the power to {power}",
                    seq,
                )
            if event.type in OBSERVERS_CANNOT and state.states[known.state].role != "member":
                raise Violation(
                    Code.OBSERVER_CANNOT_ACT,
                    f"{where}: {known.state} is accredited as an observer and cannot speak",
                    seq,
                )
        author_state = None if event.cred is None else state.credentials[event.cred].state
        if event.type in CHAIR_ONLY and event.cred is not None:
            raise Violation(
                Code.CHAIR_ONLY, f"{where}: only the chair may post a {event.type} act", seq
            )
        if event.type in ev.NEGOTIATION_TYPES and event.channel != ev.PLENARY:
            raise Violation(
                Code.CHANNEL_RULE, f"{where}: the negotiation's acts go in the plenary", seq
            )
        if event.channel != ev.PLENARY:
            room = state.channels[event.channel]
            if not room.admits(author_state, event.cred is None):
                raise Violation(
                    Code.NOT_CHANNEL_MEMBER,
                    f"{where}: {author_state or 'the chair'} is not a member of channel "
                    f"{event.channel!r} ({', '.join(room.spec.members)})",
                    seq,
                )
        if event.type == ev.EPOCH and not state.may_read(event.channel, author_state):
            raise Violation(
                Code.NOT_CHANNEL_MEMBER,
                f"{where}: {author_state or 'the chair'} does not read channel "
                f"{event.channel!r}, so it cannot give out its key",
                seq,
            )
        if event.type == ev.EPOCH:
            self._check_epoch(event, seq, time, where)
        if event.type in ev.ENCRYPTED_TYPES:
            self._check_encrypted(event, seq, time, where)
        if event.type == ev.CHANNEL:
            self._check_new_channel(event, author_state, seq, where)
        if event.type == ev.MEMBERSHIP:
            self._check_membership(event, author_state, seq, where)
        if event.type == ev.DEVICE_REVOCATION:
            assert isinstance(event.body, ev.DeviceRevocation)
            device = event.body.device
            if state.device_ids.get(device, ("",))[0] != event.author.text:
                raise Violation(
                    Code.DEVICE_RULE,
                    f"{where}: device {device} is not one of the author's announced devices",
                    seq,
                )
            if device in state.revoked_devices:
                raise Violation(
                    Code.DEVICE_RULE,
                    f"{where}: device {device} was already withdrawn "
                    f"(#{state.revoked_devices[device]})",
                    seq,
                )
        if event.type == ev.REVOCATION:
            self._check_revocation(event, seq, where)
        if event.type == ev.DEVICE:
            self._check_device(event, seq, time, where)

    def _check_device(self, event: ev.Event, seq: int, time: int, where: str) -> None:
        assert self.state is not None and isinstance(event.body, ev.DeviceAnnouncement)
        state = self.state
        if event.body.key.text in state.device_owner:
            raise Violation(
                Code.DUPLICATE_DEVICE,
                f"{where}: this device key was already announced (#"
                f"{state.device_owner[event.body.key.text][1]})",
                seq,
            )
        owner = event.author.text
        active = [
            d for d, (o, _) in state.device_ids.items()
            if o == owner and d not in state.revoked_devices
        ]  # fmt: skip
        if len(active) >= MAX_DEVICES:
            raise Violation(
                Code.DEVICE_RULE,
                f"{where}: this identity already has {MAX_DEVICES} devices; withdraw one first",
                seq,
            )
        # Every channel's readers are among the plenary's: keeping the plenary keyable
        # (an epoch holds at most MAX_RECIPIENTS sealed keys) keeps every channel keyable.
        if owner in state.reading_identities(ev.PLENARY, time) and (
            len(state.readers(ev.PLENARY, time)) >= MAX_RECIPIENTS
        ):
            raise Violation(
                Code.DEVICE_RULE,
                f"{where}: the plenary already has {MAX_RECIPIENTS} reading devices, the most "
                "one epoch can be sealed to",
                seq,
            )

    def _check_epoch(self, event: ev.Event, seq: int, time: int, where: str) -> None:
        assert self.state is not None and isinstance(event.body, EpochBody)
        state, body, channel = self.state, event.body, event.channel
        current = state.current_epoch(channel)
        expected = 1 if current is None else current.number + 1
        if body.epoch != expected:
            raise Violation(
                Code.EPOCH_SEQUENCE,
                f"{where}: keys epoch {body.epoch} of channel {channel!r}, but the next "
                f"epoch is {expected} (another member rekeyed first, or a replay)",
                seq,
            )
        readers = state.readers(channel, time)
        if body.recipients != readers:
            extra, missing = body.recipients - readers, readers - body.recipients
            raise Violation(
                Code.EPOCH_RECIPIENTS,
                f"{where}: epoch {body.epoch} of {channel!r} is sealed to {len(extra)} "
                f"device(s) that may not read the channel (never members, removed, revoked "
                f"or withdrawn) and misses {len(missing)} that must read it",
                seq,
            )
        linked = state.history(channel) == "all" and expected > 1
        if linked != (body.link is not None):
            raise Violation(
                Code.CHANNEL_RULE,
                f"{where}: channel {channel!r} keeps {state.history(channel)} history, so "
                f"epoch {body.epoch} {'must' if linked else 'must not'} link to the previous key",
                seq,
            )

    def _check_encrypted(self, event: ev.Event, seq: int, time: int, where: str) -> None:
        assert self.state is not None and isinstance(event.body, Encrypted)
        current = self.state.current_epoch(event.channel)
        if current is not None and event.body.epoch != current.number:
            raise Violation(
                Code.WRONG_EPOCH,
                f"{where}: encrypted under epoch {event.body.epoch} of {event.channel!r}, "
                f"but the current epoch is {current.number}",
                seq,
            )
        problem = self.state.epoch_problem(event.channel, time)
        if problem is not None:
            raise Violation(
                Code.STALE_EPOCH, f"{where}: {problem}: a new epoch must be keyed first", seq
            )

    def _check_membership(
        self, event: ev.Event, author_state: str | None, seq: int, where: str
    ) -> None:
        assert self.state is not None and isinstance(event.body, ev.MembershipChange)
        change, state = event.body, self.state
        if event.channel != ev.PLENARY:
            raise Violation(Code.MALFORMED, f"{where}: membership changes go in the plenary", seq)
        room = state.channels.get(change.channel)
        if room is None:
            raise Violation(Code.UNKNOWN_CHANNEL, f"{where}: no channel {change.channel!r}", seq)
        if room.spec.kind != "group":
            raise Violation(
                Code.CHANNEL_RULE,
                f"{where}: the members of a {room.spec.kind} channel are fixed at its creation",
                seq,
            )
        if not room.admits(author_state, author_state is None):
            raise Violation(
                Code.NOT_CHANNEL_MEMBER,
                f"{where}: {author_state or 'the chair'} is not a member of {change.channel!r}",
                seq,
            )
        if change.add and author_state != room.opened_by and author_state is not None:
            raise Violation(
                Code.CHANNEL_RULE,
                f"{where}: only {room.opened_by or 'the chair'}, who opened {change.channel!r}, "
                "or the chair sitting in it, adds states to it",
                seq,
            )
        for code in change.add:
            accredited = state.states.get(code)
            if accredited is None or accredited.role != "member" or code in room.spec.members:
                raise Violation(
                    Code.CHANNEL_RULE,
                    f"{where}: {code} cannot be added to {change.channel!r}: not an accredited "
                    "member state, or already a member",
                    seq,
                )
        for code in change.remove:
            if code not in room.spec.members:
                raise Violation(
                    Code.CHANNEL_RULE, f"{where}: {code} is not a member of {change.channel!r}", seq
                )
            if author_state is not None and code != author_state:
                raise Violation(
                    Code.CHANNEL_RULE,
                    f"{where}: a delegation may leave a channel, but only the chair removes "
                    f"another ({code})",
                    seq,
                )

    def _check_new_channel(
        self, event: ev.Event, author_state: str | None, seq: int, where: str
    ) -> None:
        assert self.state is not None and isinstance(event.body, ChannelSpec)
        spec = event.body
        if event.channel != ev.PLENARY:
            raise Violation(Code.MALFORMED, f"{where}: channels are created in the plenary", seq)
        if spec.id in self.state.channels:
            raise Violation(
                Code.CHANNEL_EXISTS, f"{where}: channel {spec.id!r} exists already", seq
            )
        for code in spec.members:
            accredited = self.state.states.get(code)
            if accredited is None or accredited.role != "member":
                raise Violation(
                    Code.CHANNEL_RULE,
                    f"{where}: {code} is not an accredited member state, so it cannot sit in "
                    "a channel (observers read the plenary only)",
                    seq,
                )
        if author_state is None:
            return  # the chair may open any kind of channel
        if spec.kind == "consultation":
            raise Violation(
                Code.CHANNEL_RULE, f"{where}: only the chair opens a consultation channel", seq
            )
        if author_state not in spec.members:
            raise Violation(
                Code.CHANNEL_RULE,
                f"{where}: {author_state} may open a channel only if it is a member of it",
                seq,
            )

    def _check_credential(self, fp: FullPowers, seq: int, time: int, where: str) -> None:
        state = self.state
        assert state is not None
        who = fp.label()
        accredited = state.states.get(fp.state)
        if accredited is None:
            raise Violation(
                Code.NOT_ACCREDITED,
                f"{where}: {fp.state} is not accredited to this conference",
                seq,
            )
        if fp.root != accredited.root:
            raise Violation(
                Code.WRONG_ROOT,
                f"{where}: {who}'s full powers are not signed by the root key accredited "
                f"for {fp.state}",
                seq,
            )
        if not fp.covers(state.conf):
            raise Violation(
                Code.WRONG_CONFERENCE_CREDENTIAL,
                f"{where}: {who}'s full powers are for {', '.join(fp.conferences)}, "
                f"not for {state.conf}",
                seq,
            )
        if time < fp.not_before:
            raise Violation(
                Code.NOT_YET_VALID,
                f"{where}: {who}'s full powers are valid only from {format_time(fp.not_before)}",
                seq,
            )
        if time >= fp.not_after:
            raise Violation(
                Code.EXPIRED,
                f"{where}: {who}'s full powers expired at {format_time(fp.not_after)}",
                seq,
            )
        rev = state.revocation(fp)
        if rev is not None and time >= rev.revoked_at:
            revoked_at = rev.revoked_at
            raise Violation(
                Code.REVOKED,
                f"{where}: {who}'s full powers were revoked by {fp.state} as of "
                f"{format_time(revoked_at)} ({rev.reason})",
                seq,
            )

    def _check_revocation(self, event: ev.Event, seq: int, where: str) -> None:
        assert self.state is not None and isinstance(event.body, Revocation)
        rev = event.body
        accredited = self.state.states.get(rev.state)
        if accredited is None or rev.root != accredited.root:
            raise Violation(
                Code.WRONG_ROOT,
                f"{where}: the revocation is not signed by the root key accredited for {rev.state}",
                seq,
            )
        target = self.state.credentials.get(rev.credential)
        if target is not None and target.state != rev.state:
            raise Violation(
                Code.WRONG_ROOT,
                f"{where}: {rev.state} cannot revoke the full powers of {target.label()}",
                seq,
            )

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
