"""Events: every act in a conference is one event, signed by its author.

An event names its conference, its type and channel, its author's key and credential,
the author's previous event (a per-author hash chain), the log head the author had
seen, the author's clock, and a type-specific body. Its identity is the SHA-256 of its
canonical form, signature included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.core import schema
from accord.core.channels import ChannelSpec
from accord.core.credentials import FullPowers, Revocation
from accord.core.encoding import canonical_checked, check_hash, hash_tag, sha256
from accord.core.epochs import Encrypted, EpochBody
from accord.core.errors import SchemaError
from accord.core.genesis import Genesis
from accord.core.keys import PublicKey, SignatureClaim, SigningKey
from accord.core.meetings import Appointment, Attendance, MeetingAct
from accord.core.restricted import DocumentBody, ReceiptBody
from accord.core.sealing import DevicePublicKey
from accord.core.seating import Lodging, Report, SeatingAct

EVENT_CONTEXT = "event"
MAX_EVENT_BYTES = 2 * 1024 * 1024  # 1 MiB of encrypted content in base64, and the header
PLENARY = "plenary"

GENESIS = "genesis"
JOIN = "join"
MESSAGE = "message"
REVOCATION = "revocation"
DEVICE = "device"
CHANNEL = "channel"
EPOCH = "epoch"
DEVICE_REVOCATION = "device_revocation"
MEMBERSHIP = "membership"
# Credentials and seating (rules of procedure version 2, `accord.core.seating`): public,
# since who sits decides who reads the plenary and who may act.
CREDENTIALS = "credentials"  # an authority lodges credentials for a seat
CREDENTIALS_REPORT = "credentials_report"  # the credentials committee reports
SEATING = "seating"  # the chair records the seating the plenary decided
SEATING_TYPES = frozenset({CREDENTIALS, CREDENTIALS_REPORT, SEATING})
# Restricted documents (`accord.core.restricted`): one copy per recipient, each sealed to
# its recipient's devices; the receipts name the copy received.
DOCUMENT = "document"
DOCUMENT_RECEIPT = "document_receipt"
DOCUMENT_TYPES = frozenset({DOCUMENT, DOCUMENT_RECEIPT})
# Meetings, their attendance, and the chair's appointments (`accord.core.meetings`).
MEETING = "meeting"
ATTENDANCE = "attendance"
APPOINTMENT = "appointment"
MEETING_TYPES = frozenset({MEETING, ATTENDANCE, APPOINTMENT})
# The negotiation's acts (`accord.core.negotiation`): their type is public, their content
# encrypted like a message's.
TEXT = "text"  # the chair tables a text or issues a revised version
AMEND = "amend"  # a delegation proposes an amendment
STANCE = "stance"  # support, oppose, or (its proponent) withdraw a proposal
PARAGRAPH_STATUS = "paragraph_status"  # agreed ad ref, or reopened
DECISION = "decision"  # the chair opens a decision: consensus, silence or vote
OBJECTION = "objection"  # a formal objection, or silence broken
VOTE = "vote"
CLOSE = "close"  # the chair closes a decision, declaring an outcome the log must support
STATEMENT = "statement"  # reservation, interpretative statement, explanation, dissociation
SIGNATURE = "signature"  # signature or initialling of an adopted text, possibly ad referendum
CONFIRMATION = "confirmation"  # a state root confirms a signature made ad referendum
MOTION = "motion"  # a delegation moves a procedural motion (rules of procedure version 2)
GROUP = "group"  # a negotiating group founded by its spokesperson, or joined by a member
NEGOTIATION_TYPES = frozenset(
    {TEXT, AMEND, STANCE, PARAGRAPH_STATUS, DECISION, OBJECTION, VOTE, CLOSE, STATEMENT,
     SIGNATURE, CONFIRMATION, MOTION, GROUP}
)  # fmt: skip
EVENT_TYPES = frozenset(
    {GENESIS, JOIN, MESSAGE, REVOCATION, DEVICE, CHANNEL, EPOCH, DEVICE_REVOCATION, MEMBERSHIP}
    | NEGOTIATION_TYPES
    | SEATING_TYPES
    | DOCUMENT_TYPES
    | MEETING_TYPES
)
# Types whose body is content encrypted under the channel's epoch key.
ENCRYPTED_TYPES = frozenset({MESSAGE}) | NEGOTIATION_TYPES

_FIELDS = ("v", "conf", "type", "channel", "author", "cred", "prev", "seen", "time", "body", "sig")


@dataclass(frozen=True)
class Seen:
    """The log head an author had seen when writing: sequence number and head hash."""

    seq: int
    head: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "head": self.head}


@dataclass(frozen=True)
class DeviceAnnouncement:
    """A device's encryption key, certified by the delegate's identity (the event's
    author) and announced to everyone, so that a device added behind a delegate's back
    is seen by the delegate's other devices and delegation."""

    key: DevicePublicKey
    name: str


@dataclass(frozen=True)
class DeviceRevocation:
    """A delegate withdraws one of its devices (by key id): it gets no further keys."""

    device: str
    reason: str


@dataclass(frozen=True)
class MembershipChange:
    """States added to or removed from a group channel."""

    channel: str
    add: tuple[str, ...]
    remove: tuple[str, ...]


Body = (
    Genesis | FullPowers | Revocation | DeviceAnnouncement | ChannelSpec | EpochBody
    | Encrypted | DeviceRevocation | MembershipChange | Lodging | Report | SeatingAct
    | DocumentBody | ReceiptBody | MeetingAct | Attendance | Appointment
)  # fmt: skip


@dataclass(frozen=True)
class Event:
    hash: str
    conf: str
    type: str
    channel: str
    author: PublicKey
    cred: str | None
    prev: str | None
    seen: Seen | None
    time: int
    body: Body
    signed: dict[str, Any]
    size: int
    signature: SignatureClaim

    @classmethod
    def parse(cls, value: Any, check_signature: bool = True) -> Event:
        """Check an event's form, size and (unless deferred) author signature; not its
        authority, which depends on the log (`accord.core.verify`)."""
        d = schema.obj(value, "event", _FIELDS)
        schema.version(d, "event")
        kind = schema.choice(d["type"], "event type", EVENT_TYPES)
        seen = None
        if d["seen"] is not None:
            s = schema.obj(d["seen"], "seen head", ("seq", "head"))
            check_hash(s["head"], "seen head hash")
            seen = Seen(schema.integer(s["seq"], "seen sequence number"), s["head"])
        for name in ("cred", "prev"):
            if d[name] is not None:
                check_hash(d[name], f"event {name}")
        author = PublicKey.parse(d["author"], "event author")
        conf = schema.text(d["conf"], "conference id", pattern=schema.CONFERENCE_ID)
        channel = schema.text(d["channel"], "channel", pattern=schema.CHANNEL_ID)
        time = schema.integer(d["time"], "event time")
        body = _parse_body(kind, d["body"])
        claim = author.claim(EVENT_CONTEXT, d, "the author's signature on the event")
        encoded = canonical_checked(d)  # every field is checked: this is the RFC 8785 form
        if len(encoded) > MAX_EVENT_BYTES:
            raise SchemaError(f"event is {len(encoded)} bytes; the limit is {MAX_EVENT_BYTES}")
        event = cls(
            hash=hash_tag(sha256(encoded)),
            conf=conf,
            type=kind,
            channel=channel,
            author=author,
            cred=d["cred"],
            prev=d["prev"],
            seen=seen,
            time=time,
            body=body,
            signed=d,
            size=len(encoded),
            signature=claim,
        )
        if check_signature:
            claim.check()
        return event


def _parse_body(kind: str, body: Any) -> Body:
    parse = _PARSERS.get(kind)
    if parse is not None:
        return parse(body)
    if kind == DEVICE:
        d = schema.obj(body, "device body", ("device", "name"))
        return DeviceAnnouncement(
            DevicePublicKey.parse(d["device"], "device key"), schema.text(d["name"], "device name")
        )
    if kind == JOIN:
        return FullPowers.parse(schema.obj(body, "join body", ("credential",))["credential"])
    if kind == REVOCATION:
        return Revocation.parse(schema.obj(body, "revocation body", ("revocation",))["revocation"])
    if kind == EPOCH:
        return EpochBody.parse(body)
    if kind == DEVICE_REVOCATION:
        d = schema.obj(body, "device revocation body", ("device", "reason"))
        return DeviceRevocation(
            check_hash(d["device"], "revoked device"),
            schema.text(d["reason"], "reason", max_len=schema.MAX_REASON),
        )
    if kind == MEMBERSHIP:
        d = schema.obj(body, "membership body", ("channel", "add", "remove"))
        add, remove = (
            () if d[k] == [] else schema.string_list(d[k], f"states to {k}", schema.STATE_CODE, 256)
            for k in ("add", "remove")
        )
        if not add and not remove:
            raise SchemaError("a membership change adds or removes at least one state")
        if set(add) & set(remove):
            raise SchemaError("a membership change cannot add and remove the same state")
        return MembershipChange(
            schema.text(d["channel"], "channel id", pattern=schema.CHANNEL_ID), add, remove
        )
    return Encrypted.parse(body)


# The bodies that are one object's JSON form.
_PARSERS: dict[str, Callable[[Any], Body]] = {
    GENESIS: Genesis.parse,
    CHANNEL: ChannelSpec.parse,
    CREDENTIALS: Lodging.parse,
    CREDENTIALS_REPORT: Report.parse,
    SEATING: SeatingAct.parse,
    DOCUMENT: DocumentBody.parse,
    DOCUMENT_RECEIPT: ReceiptBody.parse,
    MEETING: MeetingAct.parse,
    ATTENDANCE: Attendance.parse,
    APPOINTMENT: Appointment.parse,
}


def make_event(
    key: SigningKey,
    *,
    conf: str,
    type: str,
    body: dict[str, Any],
    time: int,
    seen: Seen | None,
    prev: str | None,
    cred: str | None,
    channel: str = PLENARY,
) -> dict[str, Any]:
    """Build and sign an event; returns its JSON object, ready to submit."""
    unsigned = {
        "v": 1,
        "conf": conf,
        "type": type,
        "channel": channel,
        "author": key.public.text,
        "cred": cred,
        "prev": prev,
        "seen": seen.to_json() if seen else None,
        "time": time,
        "body": body,
    }
    return key.sign_object(EVENT_CONTEXT, unsigned)
