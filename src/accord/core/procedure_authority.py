"""Who may post the acts that decide who sits, what goes to few, and how the conference
meets (docs/protocol.md 7.1 step 6): credentials and seating (12.5), restricted documents
(12.6), meetings and appointments (12.8); and the two checks these bring to other acts, the
seating of a delegate's authority and a facilitator's texts. `accord.core.authority` puts
them in its table; each raises `Violation` through `Entry.refuse`.
"""

from __future__ import annotations

from accord.core import events as ev
from accord.core.codes import Code
from accord.core.credentials import FullPowers
from accord.core.entry import Entry
from accord.core.meetings import Appointment, Attendance, MeetingAct
from accord.core.restricted import DocumentBody, ReceiptBody
from accord.core.seating import (
    MAX_CLAIMS,
    PENDING,
    PROVISIONAL,
    Lodging,
    Report,
    SeatingAct,
)


def check_seated(e: Entry, fp: FullPowers) -> None:
    """12.5: a delegation not seated announces its devices and nothing else; one seated
    provisionally acts with the rights the rules give it."""
    seated, kind = e.state.seated(fp), e.event.type
    if seated == PENDING and kind not in (ev.DEVICE, ev.DEVICE_REVOCATION):
        raise e.refuse(
            Code.NOT_SEATED,
            f"the credentials of {fp.label()}'s authority for {fp.state} await the "
            "conference's decision: it is not seated and cannot act",
        )
    rights = e.state.genesis.rules.procedure.provisional_rights
    if seated == PROVISIONAL and rights == "no_vote" and kind in (ev.VOTE, ev.SIGNATURE):
        raise e.refuse(
            Code.NOT_SEATED,
            f"{fp.state} is seated provisionally, and the rules of procedure do not let a "
            f"provisionally seated delegation {'vote' if kind == ev.VOTE else 'sign'}",
        )


def check_lodging(e: Entry) -> None:
    """12.5: credentials are lodged for a seat by an authority's root, under rules of
    procedure version 2, once per authority, by at most MAX_CLAIMS authorities a seat."""
    body, state, root = e.event.body, e.state, e.event.author
    assert isinstance(body, Lodging)
    if state.genesis.rules.procedure.version < 2:
        raise e.refuse(
            Code.SEATING_RULE, "credentials are lodged under rules of procedure version 2 only"
        )
    if e.event.cred is not None or root in (state.genesis.chair.key, state.genesis.host.key):
        raise e.refuse(
            Code.SEATING_RULE,
            "credentials are signed by the root key of the authority lodging them",
        )
    claims = state.seating.claims.get(body.seat)
    if claims is None:
        raise e.refuse(Code.NOT_ACCREDITED, f"there is no seat for {body.seat} in this conference")
    if root.text in claims:
        raise e.refuse(
            Code.SEATING_RULE,
            f"this authority has already claimed the seat of {body.seat} "
            f"(#{claims[root.text].seq})",
        )
    if len(claims) >= MAX_CLAIMS:
        raise e.refuse(
            Code.SEATING_RULE, f"{MAX_CLAIMS} authorities already claim the seat of {body.seat}"
        )


def version_2(e: Entry) -> None:
    if e.state.genesis.rules.procedure.version < 2:
        raise e.refuse(
            Code.SEATING_RULE,
            f"a {e.event.type} act exists under rules of procedure version 2 only",
        )


def credentials_report(e: Entry) -> None:
    """12.5: the credentials committee reports (the chair, where the rules name none), on
    claims that were lodged."""
    body, state = e.event.body, e.state
    assert isinstance(body, Report)
    committee = state.genesis.rules.procedure.credentials_committee
    if committee and e.author_state not in committee:
        raise e.refuse(
            Code.SEATING_RULE,
            f"only a member of the credentials committee ({', '.join(committee)}) reports on "
            "credentials",
        )
    if not committee and e.author_state is not None:
        raise e.refuse(
            Code.SEATING_RULE, "the rules name no credentials committee: the chair reports"
        )
    for f in body.findings:
        if state.seating.status(f.seat, f.root) is None:
            raise e.refuse(
                Code.SEATING_RULE, f"no authority with that root key claims the seat of {f.seat}"
            )


def seating(e: Entry) -> None:
    """12.5: the chair records the seating once for a report; members check that the
    plenary's decision it cites approved that report."""
    body, seating = e.event.body, e.state.seating
    assert isinstance(body, SeatingAct)
    if body.report not in seating.reports:
        raise e.refuse(Code.SEATING_RULE, f"there is no credentials report {body.report}")
    if body.report in seating.applied:
        seq, _ = seating.applied[body.report]
        raise e.refuse(Code.SEATING_RULE, f"the seating on that report was recorded at #{seq}")


def document(e: Entry) -> None:
    """12.6: a new document, to seated member states, each copy sealed to exactly the
    devices of its state's delegates and the circulator's own."""
    body, state = e.event.body, e.state
    assert isinstance(body, DocumentBody)
    earlier = state.documents.get(body.document)
    if earlier is not None:
        raise e.refuse(
            Code.DOCUMENT_RULE, f"document {body.document} was circulated already (#{earlier.seq})"
        )
    own = state.devices_of(frozenset({e.event.author.text}))
    if not own:
        raise e.refuse(
            Code.DOCUMENT_RULE, "the circulator has no device, so it could keep no copy to trace"
        )
    for copy in body.copies:
        accredited = state.states.get(copy.state)
        if accredited is None or accredited.role != "member":
            raise e.refuse(Code.DOCUMENT_RULE, f"{copy.state} is not an accredited member state")
        theirs = state.devices_of(state.identities_of(copy.state, e.time))
        if not theirs:
            raise e.refuse(
                Code.DOCUMENT_RULE, f"no seated delegate of {copy.state} has a device to receive it"
            )
        if {k.device for k in copy.keys} != set(theirs) | set(own):
            raise e.refuse(
                Code.DOCUMENT_RULE,
                f"the copy for {copy.state} is not sealed to exactly the devices of its seated "
                "delegates and the circulator's",
            )


def document_receipt(e: Entry) -> None:
    """12.6: a receipt names the very copy its author's state was sent, once a delegate."""
    body, state = e.event.body, e.state
    assert isinstance(body, ReceiptBody)
    record = state.documents.get(body.document)
    if record is None:
        raise e.refuse(Code.DOCUMENT_RULE, f"there is no document {body.document}")
    copy = record.body.copy(e.author_state or "")
    if copy is None:
        raise e.refuse(
            Code.DOCUMENT_RULE,
            f"{e.author_state or 'the chair'} is not on the distribution list of {body.document}",
        )
    if copy.commit != body.commit:
        raise e.refuse(
            Code.DOCUMENT_RULE, f"that is not the copy of {body.document} sent to {e.author_state}"
        )
    fp = state.credentials[str(e.event.cred)]
    if any(label == fp.label() for _, label in record.receipts.get(copy.state, [])):
        raise e.refuse(Code.DOCUMENT_RULE, f"{fp.label()} has already signed for its copy")


def tabling(e: Entry) -> None:
    """12.8: the chair tables texts; so does a facilitator, for its item (the fold checks
    which text: the relay cannot read it)."""
    if e.author_state is not None and not e.state.meetings.facilitates(e.author_state):
        raise e.refuse(
            Code.CHAIR_ONLY,
            f"only the chair, or a delegation it appointed facilitator, tables a text; "
            f"{e.author_state} is not a facilitator",
        )


def meeting(e: Entry) -> None:
    """12.8: the chair, or the facilitator of its item, opens a meeting in a channel with
    a format its channel allows, and closes it."""
    body, meetings = e.event.body, e.state.meetings
    assert isinstance(body, MeetingAct)
    earlier = meetings.meetings.get(body.meeting)
    if body.action == "close":
        if earlier is None or earlier.closed is not None:
            raise e.refuse(Code.MEETING_RULE, f"no meeting {body.meeting} is open")
        item = earlier.item
    else:
        if earlier is not None:
            raise e.refuse(Code.MEETING_RULE, f"meeting {body.meeting} was held already")
        channel = str(body.channel)
        if channel != ev.PLENARY and channel not in e.state.channels:
            raise e.refuse(Code.UNKNOWN_CHANNEL, f"no channel {channel!r}")
        if body.format == "formal" and channel != ev.PLENARY:
            raise e.refuse(Code.MEETING_RULE, "a formal meeting is a meeting of the plenary")
        if body.format == "informal_informal" and channel == ev.PLENARY:
            raise e.refuse(
                Code.MEETING_RULE,
                "the plenary keeps its record: an informal informal meets in a channel",
            )
        item = str(body.item)
    if e.author_state is not None and not meetings.facilitates(e.author_state, item):
        raise e.refuse(
            Code.MEETING_RULE,
            f"only the chair, or the facilitator for {item}, convenes and closes its meetings",
        )


def attendance(e: Entry) -> None:
    """12.8: a delegation whose state sits in the meeting's channel answers present, once."""
    body, meetings = e.event.body, e.state.meetings
    assert isinstance(body, Attendance)
    meeting = meetings.meetings.get(body.meeting)
    if meeting is None or meeting.closed is not None:
        raise e.refuse(Code.MEETING_RULE, f"no meeting {body.meeting} is open")
    if e.author_state is None:
        raise e.refuse(Code.MEETING_RULE, "the chair presides; delegations answer present")
    if not e.state.may_read(meeting.channel, e.author_state):
        raise e.refuse(
            Code.NOT_CHANNEL_MEMBER,
            f"{e.author_state} does not sit in {meeting.channel!r}, where {meeting.id} meets",
        )
    if e.author_state in meeting.attendance:
        present = meeting.attendance[str(e.author_state)]
        raise e.refuse(Code.MEETING_RULE, f"{e.author_state} answered present at #{present.seq}")


def appointment(e: Entry) -> None:
    """12.8: the chair appoints a member delegation facilitator for an item, or relieves it."""
    body, state = e.event.body, e.state
    assert isinstance(body, Appointment)
    accredited = state.states.get(body.state)
    if accredited is None or accredited.role != "member":
        raise e.refuse(Code.MEETING_RULE, f"{body.state} is not an accredited member state")
    current = state.meetings.facilitators.get(body.item)
    if body.end and (current is None or current[0] != body.state):
        raise e.refuse(Code.MEETING_RULE, f"{body.state} is not the facilitator for {body.item}")
    if not body.end and current is not None:
        raise e.refuse(
            Code.MEETING_RULE,
            f"{current[0]} facilitates {body.item} already (#{current[1]}): relieve it first",
        )
