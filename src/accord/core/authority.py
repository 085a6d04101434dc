"""Who may post what: the authority rules of docs/protocol.md 7.1 (step 6) and 7.2.

`AUTHORITY` has one row per event type: the power the type needs beyond a valid
credential, whether an observer state's delegate may post it, whether only the chair
may, whether it belongs in the plenary, and the type's own rules, with the sections of
docs/protocol.md that state them. `check` applies a row to an event in the order of
7.1 step 6: who signed it (the join's own full powers, the chair, or a member with a
valid credential), the power, observers, the chair, the plenary, the channel's members,
then the type's own rules. The first rule broken raises `Violation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.core import events as ev
from accord.core import procedure_authority as procedure
from accord.core.channels import ChannelSpec
from accord.core.codes import Code
from accord.core.credentials import FullPowers, Revocation
from accord.core.entry import Entry, Rule
from accord.core.epochs import MAX_RECIPIENTS, Encrypted, EpochBody
from accord.core.seating import (
    REJECTED,
)
from accord.core.state import ConferenceState
from accord.core.times import format_time

MAX_DEVICES = 8  # active devices per identity (7.1 step 6, device)


@dataclass(frozen=True)
class Authority:
    """One row of the table: what an event type asks of its author."""

    sections: tuple[str, ...]  # of docs/protocol.md
    power: str | None = None  # the power needed beyond a valid credential
    observers: bool = True  # whether an observer state's delegate may post it
    chair_only: bool = False
    plenary_only: bool = False
    rules: tuple[Rule, ...] = ()
    # Under rules of procedure 2, an act performed without the power it needs stands,
    # without legal effect unless the state confirms it afterwards (VCLT art. 8).
    pending_confirmation: bool = False


# -- 7.2: valid full powers at receipt time ---------------------------------------------
def check_full_powers(e: Entry, fp: FullPowers) -> None:
    state, who = e.state, fp.label()
    accredited = state.states.get(fp.state)
    if accredited is None:  # 7.2.1
        raise e.refuse(Code.NOT_ACCREDITED, f"{fp.state} is not accredited to this conference")
    seated = state.seated(fp)
    if seated is None:  # 7.2.2, and 12.5 for credentials lodged since the genesis
        raise e.refuse(
            Code.WRONG_ROOT,
            f"{who}'s full powers are not signed by the root key accredited for {fp.state}"
            " nor by an authority that lodged credentials for its seat",
        )
    if seated == REJECTED:
        raise e.refuse(
            Code.NOT_SEATED,
            f"{who} holds full powers from an authority whose credentials for {fp.state} "
            "the conference rejected",
        )
    if not fp.covers(state.conf):  # 7.2.3
        raise e.refuse(
            Code.WRONG_CONFERENCE_CREDENTIAL,
            f"{who}'s full powers are for {', '.join(fp.conferences)}, not for {state.conf}",
        )
    if e.time < fp.not_before:  # 7.2.4
        raise e.refuse(
            Code.NOT_YET_VALID,
            f"{who}'s full powers are valid only from {format_time(fp.not_before)}",
        )
    if e.time >= fp.not_after:
        raise e.refuse(Code.EXPIRED, f"{who}'s full powers expired at {format_time(fp.not_after)}")
    rev = state.revocation(fp)
    if rev is not None and e.time >= rev.revoked_at:  # 7.2.5
        raise e.refuse(
            Code.REVOKED,
            f"{who}'s full powers were revoked by {fp.state} as of "
            f"{format_time(rev.revoked_at)} ({rev.reason})",
        )


# -- 7.1 step 6: who signed ------------------------------------------------------------
def _check_join(e: Entry) -> None:
    """A join is signed by the key of the full powers it presents."""
    fp = e.event.body
    assert isinstance(fp, FullPowers)
    if e.event.cred != fp.id:
        raise e.refuse(Code.MALFORMED, "the join names a credential it does not present")
    if e.event.author != fp.key:
        raise e.refuse(
            Code.WRONG_KEY,
            f"the full powers of {fp.label()} are for another key than the one that signed "
            "the join",
        )
    if fp.id in e.state.credentials:
        raise e.refuse(Code.ALREADY_JOINED, f"{fp.label()} has already joined with them")
    check_full_powers(e, fp)


def _check_signer(e: Entry, row: Authority) -> None:
    """Any other act: the chair's key, or a member's with valid full powers that grant
    the power the act needs, of a member state when observers may not post it."""
    event, state = e.event, e.state
    if event.cred is None:
        if event.author != state.genesis.chair.key:
            raise e.refuse(Code.NOT_MEMBER, "signed by a key with no credential in this conference")
        return
    known = state.credentials.get(event.cred)
    if known is None:
        raise e.refuse(
            Code.NOT_MEMBER,
            f"cites credential {event.cred}, which was never presented (joined) in this conference",
        )
    if known.key != event.author:
        raise e.refuse(
            Code.WRONG_KEY,
            f"signed by another key than the one in {known.label()}'s full powers",
        )
    check_full_powers(e, known)
    procedure.check_seated(e, known)
    art_8 = row.pending_confirmation and state.genesis.rules.procedure.version > 1
    if row.power is not None and row.power not in known.powers and not art_8:
        raise e.refuse(
            Code.POWER_MISSING,
            f"{known.label()} holds full powers to {', '.join(sorted(known.powers))}, not "
            f"to {row.power}; a {event.type} needs the power to {row.power}",
        )
    if not row.observers and state.states[known.state].role != "member":
        raise e.refuse(
            Code.OBSERVER_CANNOT_ACT,
            f"{known.state} is accredited as an observer and cannot speak",
        )
    if row.chair_only:
        raise e.refuse(Code.CHAIR_ONLY, f"only the chair may post a {event.type} act")


def _check_place(e: Entry, row: Authority) -> None:
    """The plenary for the negotiation's acts; a channel's own members elsewhere."""
    event = e.event
    if row.plenary_only and event.channel != ev.PLENARY:
        raise e.refuse(Code.CHANNEL_RULE, "the negotiation's acts go in the plenary")
    if event.channel != ev.PLENARY:
        room = e.state.channels[event.channel]
        if not room.admits(e.author_state, event.cred is None):
            raise e.refuse(
                Code.NOT_CHANNEL_MEMBER,
                f"{e.author_state or 'the chair'} is not a member of channel "
                f"{event.channel!r} ({', '.join(room.spec.members)})",
            )


def check(state: ConferenceState, event: ev.Event, seq: int, time: int) -> None:
    """Raise `Violation` unless `event`'s author may post it (7.1 step 6)."""
    row = AUTHORITY[event.type]
    author_state = None if event.cred is None else state.credentials.get(event.cred)
    e = Entry(state, event, seq, time, author_state.state if author_state else None)
    if event.type == ev.JOIN:
        _check_join(e)
        return
    if event.type == ev.CREDENTIALS:
        procedure.check_lodging(e)
        _check_place(e, row)
        return
    _check_signer(e, row)
    _check_place(e, row)
    for rule in row.rules:
        rule(e)


# -- 7.1 step 6: the rules of each type --------------------------------------------------
def _revocation(e: Entry) -> None:
    rev = e.event.body
    assert isinstance(rev, Revocation)
    if e.state.seating.status(rev.state, rev.root.text) is None:
        raise e.refuse(
            Code.WRONG_ROOT,
            f"the revocation is not signed by the root key accredited for {rev.state}",
        )
    target = e.state.credentials.get(rev.credential)
    if target is not None and target.state != rev.state:
        raise e.refuse(
            Code.WRONG_ROOT, f"{rev.state} cannot revoke the full powers of {target.label()}"
        )


def _device(e: Entry) -> None:
    body, state = e.event.body, e.state
    assert isinstance(body, ev.DeviceAnnouncement)
    earlier = state.device_owner.get(body.key.text)
    if earlier is not None:
        raise e.refuse(
            Code.DUPLICATE_DEVICE, f"this device key was already announced (#{earlier.seq})"
        )
    owner = e.event.author.text
    active = [
        d for d, device in state.device_ids.items()
        if device.owner == owner and d not in state.revoked_devices
    ]  # fmt: skip
    if len(active) >= MAX_DEVICES:
        raise e.refuse(
            Code.DEVICE_RULE,
            f"this identity already has {MAX_DEVICES} devices; withdraw one first",
        )
    # Every channel's readers are among the plenary's: keeping the plenary keyable
    # (an epoch holds at most MAX_RECIPIENTS sealed keys) keeps every channel keyable.
    if owner in state.reading_identities(ev.PLENARY, e.time) and (
        len(state.readers(ev.PLENARY, e.time)) >= MAX_RECIPIENTS
    ):
        raise e.refuse(
            Code.DEVICE_RULE,
            f"the plenary already has {MAX_RECIPIENTS} reading devices, the most one epoch "
            "can be sealed to",
        )


def _device_revocation(e: Entry) -> None:
    body, state = e.event.body, e.state
    assert isinstance(body, ev.DeviceRevocation)
    device = state.device_ids.get(body.device)
    if device is None or device.owner != e.event.author.text:
        raise e.refuse(
            Code.DEVICE_RULE,
            f"device {body.device} is not one of the author's announced devices",
        )
    if body.device in state.revoked_devices:
        raise e.refuse(
            Code.DEVICE_RULE,
            f"device {body.device} was already withdrawn (#{state.revoked_devices[body.device]})",
        )


def _new_channel(e: Entry) -> None:
    spec = e.event.body
    assert isinstance(spec, ChannelSpec)
    if e.event.channel != ev.PLENARY:
        raise e.refuse(Code.MALFORMED, "channels are created in the plenary")
    if spec.id in e.state.channels:
        raise e.refuse(Code.CHANNEL_EXISTS, f"channel {spec.id!r} exists already")
    for code in spec.members:
        accredited = e.state.states.get(code)
        if accredited is None or accredited.role != "member":
            raise e.refuse(
                Code.CHANNEL_RULE,
                f"{code} is not an accredited member state, so it cannot sit in a channel "
                "(observers read the plenary only)",
            )
    if e.author_state is None:
        return  # the chair may open any kind of channel
    if spec.kind == "consultation":
        raise e.refuse(Code.CHANNEL_RULE, "only the chair opens a consultation channel")
    if e.author_state not in spec.members:
        raise e.refuse(
            Code.CHANNEL_RULE,
            f"{e.author_state} may open a channel only if it is a member of it",
        )


def _membership(e: Entry) -> None:
    change, state, author = e.event.body, e.state, e.author_state
    assert isinstance(change, ev.MembershipChange)
    if e.event.channel != ev.PLENARY:
        raise e.refuse(Code.MALFORMED, "membership changes go in the plenary")
    room = state.channels.get(change.channel)
    if room is None:
        raise e.refuse(Code.UNKNOWN_CHANNEL, f"no channel {change.channel!r}")
    if room.spec.kind != "group":
        raise e.refuse(
            Code.CHANNEL_RULE,
            f"the members of a {room.spec.kind} channel are fixed at its creation",
        )
    if not room.admits(author, author is None):
        raise e.refuse(
            Code.NOT_CHANNEL_MEMBER,
            f"{author or 'the chair'} is not a member of {change.channel!r}",
        )
    if change.add and author != room.opened_by and author is not None:
        raise e.refuse(
            Code.CHANNEL_RULE,
            f"only {room.opened_by or 'the chair'}, who opened {change.channel!r}, or the "
            "chair sitting in it, adds states to it",
        )
    for code in change.add:
        accredited = state.states.get(code)
        if accredited is None or accredited.role != "member" or code in room.spec.members:
            raise e.refuse(
                Code.CHANNEL_RULE,
                f"{code} cannot be added to {change.channel!r}: not an accredited member "
                "state, or already a member",
            )
    for code in change.remove:
        if code not in room.spec.members:
            raise e.refuse(Code.CHANNEL_RULE, f"{code} is not a member of {change.channel!r}")
        if author is not None and code != author:
            raise e.refuse(
                Code.CHANNEL_RULE,
                f"a delegation may leave a channel, but only the chair removes another ({code})",
            )


def _epoch(e: Entry) -> None:
    body, state, channel = e.event.body, e.state, e.event.channel
    assert isinstance(body, EpochBody)
    if not state.may_read(channel, e.author_state):
        raise e.refuse(
            Code.NOT_CHANNEL_MEMBER,
            f"{e.author_state or 'the chair'} does not read channel {channel!r}, so it "
            "cannot give out its key",
        )
    current = state.current_epoch(channel)
    expected = 1 if current is None else current.number + 1
    if body.epoch != expected:
        raise e.refuse(
            Code.EPOCH_SEQUENCE,
            f"keys epoch {body.epoch} of channel {channel!r}, but the next epoch is "
            f"{expected} (another member rekeyed first, or a replay)",
        )
    readers = state.readers(channel, e.time)
    if body.recipients != readers:
        extra, missing = body.recipients - readers, readers - body.recipients
        raise e.refuse(
            Code.EPOCH_RECIPIENTS,
            f"epoch {body.epoch} of {channel!r} is sealed to {len(extra)} device(s) that "
            "may not read the channel (never members, removed, revoked or withdrawn) and "
            f"misses {len(missing)} that must read it",
        )
    linked = state.history(channel) == "all" and expected > 1
    if linked != (body.link is not None):
        raise e.refuse(
            Code.CHANNEL_RULE,
            f"channel {channel!r} keeps {state.history(channel)} history, so epoch "
            f"{body.epoch} {'must' if linked else 'must not'} link to the previous key",
        )


def _encrypted(e: Entry) -> None:
    body, channel = e.event.body, e.event.channel
    assert isinstance(body, Encrypted)
    current = e.state.current_epoch(channel)
    if current is not None and body.epoch != current.number:
        raise e.refuse(
            Code.WRONG_EPOCH,
            f"encrypted under epoch {body.epoch} of {channel!r}, but the current epoch is "
            f"{current.number}",
        )
    problem = e.state.epoch_problem(channel, e.time)
    if problem is not None:
        raise e.refuse(Code.STALE_EPOCH, f"{problem}: a new epoch must be keyed first")
    unrecorded = e.state.meetings.unrecorded(channel)
    if unrecorded is not None:
        raise e.refuse(
            Code.MEETING_RULE,
            f"an informal informal meeting ({unrecorded.id}) is under way in {channel!r}: only "
            "attendance and times are recorded, so nothing said there is posted",
        )


# -- the table -----------------------------------------------------------------------------
# The negotiation's acts (12.1): in the plenary, their content encrypted.
_IN_PLENARY = ("7.1", "12.1")
_ENCRYPTED = (_encrypted,)

AUTHORITY: Mapping[str, Authority] = {
    ev.JOIN: Authority(sections=("7.1", "7.2")),
    ev.REVOCATION: Authority(sections=("7.1", "7.3"), rules=(_revocation,)),
    ev.DEVICE: Authority(sections=("7.1",), rules=(_device,)),
    ev.DEVICE_REVOCATION: Authority(sections=("7.1",), rules=(_device_revocation,)),
    ev.CHANNEL: Authority(
        sections=("7.1",), power="negotiate", observers=False, rules=(_new_channel,)
    ),
    ev.MEMBERSHIP: Authority(
        sections=("7.1",), power="negotiate", observers=False, rules=(_membership,)
    ),
    ev.EPOCH: Authority(sections=("7.1", "4.4"), rules=(_epoch,)),
    # Credentials and seating (12.5): public acts in the plenary.
    ev.CREDENTIALS: Authority(sections=("7.1", "12.5"), plenary_only=True),
    ev.CREDENTIALS_REPORT: Authority(
        sections=("7.1", "12.5"),
        power="negotiate",
        observers=False,
        plenary_only=True,
        rules=(procedure.version_2, procedure.credentials_report),
    ),
    # Restricted documents (12.6): public acts in the plenary, their copies sealed.
    ev.DOCUMENT: Authority(
        sections=("7.1", "12.6"),
        power="negotiate",
        observers=False,
        plenary_only=True,
        rules=(procedure.document,),
    ),
    ev.DOCUMENT_RECEIPT: Authority(
        sections=("7.1", "12.6"),
        observers=False,
        plenary_only=True,
        rules=(procedure.document_receipt,),
    ),
    # Meetings and appointments (12.8): public acts in the plenary.
    ev.MEETING: Authority(
        sections=("7.1", "12.8"),
        power="negotiate",
        observers=False,
        plenary_only=True,
        rules=(procedure.meeting,),
    ),
    ev.ATTENDANCE: Authority(
        sections=("7.1", "12.8"), plenary_only=True, rules=(procedure.attendance,)
    ),
    ev.APPOINTMENT: Authority(
        sections=("7.1", "12.8"), chair_only=True, plenary_only=True, rules=(procedure.appointment,)
    ),
    ev.SEATING: Authority(
        sections=("7.1", "12.5"),
        chair_only=True,
        plenary_only=True,
        rules=(procedure.version_2, procedure.seating),
    ),
    ev.MESSAGE: Authority(
        sections=("7.1", "4.3"), power="negotiate", observers=False, rules=(_encrypted,)
    ),
    # The chair's; a facilitator's for its item (12.8).
    ev.TEXT: Authority(
        _IN_PLENARY,
        power="negotiate",
        observers=False,
        plenary_only=True,
        rules=(_encrypted, procedure.tabling),
    ),
    # A negotiating group, founded by its spokesperson or joined by a member (12.8).
    ev.GROUP: Authority(
        _IN_PLENARY, power="negotiate", observers=False, plenary_only=True, rules=_ENCRYPTED
    ),
    ev.AMEND: Authority(
        _IN_PLENARY, power="negotiate", observers=False, plenary_only=True, rules=_ENCRYPTED
    ),
    ev.STANCE: Authority(
        _IN_PLENARY, power="negotiate", observers=False, plenary_only=True, rules=_ENCRYPTED
    ),
    # The chair's to mark agreed; a delegation reopening needs nothing more (12.2).
    ev.PARAGRAPH_STATUS: Authority(_IN_PLENARY, plenary_only=True, rules=_ENCRYPTED),
    ev.DECISION: Authority(_IN_PLENARY, chair_only=True, plenary_only=True, rules=_ENCRYPTED),
    # Consensus needs adopt, breaking a silence any delegation: the fold decides (12.2).
    ev.OBJECTION: Authority(_IN_PLENARY, observers=False, plenary_only=True, rules=_ENCRYPTED),
    ev.VOTE: Authority(
        _IN_PLENARY, power="adopt", observers=False, plenary_only=True, rules=_ENCRYPTED
    ),
    ev.CLOSE: Authority(_IN_PLENARY, chair_only=True, plenary_only=True, rules=_ENCRYPTED),
    ev.STATEMENT: Authority(_IN_PLENARY, plenary_only=True, rules=_ENCRYPTED),
    ev.SIGNATURE: Authority(
        _IN_PLENARY,
        power="sign",
        observers=False,
        plenary_only=True,
        rules=_ENCRYPTED,
        pending_confirmation=True,
    ),
    # It carries a root's signed confirmation, which the fold checks (12.2).
    ev.CONFIRMATION: Authority(_IN_PLENARY, plenary_only=True, rules=_ENCRYPTED),
    # A procedural motion is moved by a member delegation that negotiates (GA rules 74-76).
    ev.MOTION: Authority(
        _IN_PLENARY, power="negotiate", observers=False, plenary_only=True, rules=_ENCRYPTED
    ),
}

CHAIR_ONLY = frozenset(t for t, row in AUTHORITY.items() if row.chair_only)
