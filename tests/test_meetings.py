"""Meetings, facilitators and negotiating groups (docs/protocol.md 12.8), rule by rule."""

from __future__ import annotations

import string
from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.errors import SchemaError
from accord.core.genesis import PROCEDURE_1, procedure_2
from accord.core.meetings import Appointment, Attendance, MeetingAct
from accord.core.proceedings import Group
from tests import negotiating as n
from tests.builders import World
from tests.test_authority import assert_invalid
from tests.test_rules_negotiation import act, reason, refused, took_effect

STATES = ("ARC", "BOR", "CAL", "DUN")


def convene(version: int = 2) -> tuple[World, dict[str, Author]]:
    procedure = procedure_2(len(STATES)) if version == 2 else PROCEDURE_1
    world = World(states=STATES, procedure=procedure)
    delegates = {code: world.join(code, f"Delegate {code}") for code in STATES}
    world.submit(world.chair.open_channel(world.view, "informals", "group", ["ARC", "BOR", "CAL"],
                                          world.tick()))  # fmt: skip
    return world, delegates


def public(world: World, by: Author, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    return by.event(world.view, kind, body, world.tick())


def opening(meeting: str = "m1", format: str = "informal_informal", channel: str = "informals",
            item: str = "cica") -> dict[str, Any]:  # fmt: skip
    return {"meeting": meeting, "action": "open", "format": format, "channel": channel,
            "item": item}  # fmt: skip


def appoint(state: str, item: str = "cica", end: bool = False) -> dict[str, Any]:
    return {"role": "facilitator", "state": state, "item": item, "end": end}


# -- meetings ------------------------------------------------------------------------------


def test_an_informal_informal_records_attendance_and_time_and_no_content() -> None:
    world, d = convene()
    opened = world.submit(public(world, world.chair, ev.MEETING, opening()))
    for code in ("ARC", "BOR"):
        world.submit(public(world, d[code], ev.ATTENDANCE, {"meeting": "m1"}))
    said = world.message(d["ARC"], "Off the record, we could accept op2.", world.tick(),
                         "informals")  # fmt: skip
    assert_invalid(world, said, "meeting_rule", "nothing said there is posted")
    world.say(d["ARC"], "The plenary still keeps its record.")  # other channels are unaffected
    closed = world.submit(public(world, world.chair, ev.MEETING, {"meeting": "m1",
                                                                  "action": "close"}))  # fmt: skip
    world.say(d["ARC"], "Recorded again.", "informals")
    state = world.view.state
    assert state is not None
    meeting = state.meetings.meetings["m1"]
    assert meeting.opened == (opened["seq"], opened["time"])
    assert meeting.closed == (closed["seq"], closed["time"])
    assert sorted(meeting.attendance) == ["ARC", "BOR"]
    assert meeting.attendance["ARC"].who == "Delegate ARC (ARC)"
    assert state.summary()["meetings"]["meetings"][0][:4] == ["m1", "informal_informal",
                                                              "informals", "cica"]  # fmt: skip


def test_formats_keep_to_their_rooms() -> None:
    world, _ = convene()
    formal = public(world, world.chair, ev.MEETING, opening(format="formal"))
    assert_invalid(world, formal, "meeting_rule", "a formal meeting is a meeting of the plenary")
    in_plenary = public(world, world.chair, ev.MEETING, opening(channel="plenary"))
    assert_invalid(world, in_plenary, "meeting_rule", "an informal informal meets in a channel")
    nowhere = public(world, world.chair, ev.MEETING, opening(format="informal", channel="nope"))
    assert_invalid(world, nowhere, "unknown_channel", "no channel 'nope'")
    world.submit(public(world, world.chair, ev.MEETING, opening("p1", "formal", "plenary")))
    again = public(world, world.chair, ev.MEETING, opening("p1", "formal", "plenary"))
    assert_invalid(world, again, "meeting_rule", "p1 was held already")


def test_attendance_is_by_the_channels_states_once_while_the_meeting_is_open() -> None:
    world, d = convene()
    early = public(world, d["ARC"], ev.ATTENDANCE, {"meeting": "m1"})
    assert_invalid(world, early, "meeting_rule", "no meeting m1 is open")
    world.submit(public(world, world.chair, ev.MEETING, opening()))
    outsider = public(world, d["DUN"], ev.ATTENDANCE, {"meeting": "m1"})
    assert_invalid(world, outsider, "not_channel_member", "DUN does not sit in 'informals'")
    seq = world.submit(public(world, d["ARC"], ev.ATTENDANCE, {"meeting": "m1"}))["seq"]
    twice = public(world, d["ARC"], ev.ATTENDANCE, {"meeting": "m1"})
    assert_invalid(world, twice, "meeting_rule", f"ARC answered present at #{seq}")


def test_only_the_chair_or_the_items_facilitator_convenes() -> None:
    world, d = convene()
    by_arc = public(world, d["ARC"], ev.MEETING, opening())
    assert_invalid(world, by_arc, "meeting_rule", "only the chair, or the facilitator for cica")
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC")))
    other_item = public(world, d["ARC"], ev.MEETING, opening(item="other"))
    assert_invalid(world, other_item, "meeting_rule", "the facilitator for other")
    world.submit(public(world, d["ARC"], ev.MEETING, opening()))
    world.submit(public(world, d["ARC"], ev.MEETING, {"meeting": "m1", "action": "close"}))


# -- facilitators --------------------------------------------------------------------------


def test_the_chair_appoints_one_facilitator_an_item_and_relieves_it() -> None:
    world, d = convene()
    by_arc = public(world, d["ARC"], ev.APPOINTMENT, appoint("ARC"))
    assert_invalid(world, by_arc, "chair_only", "only the chair")
    unknown = public(world, world.chair, ev.APPOINTMENT, appoint("ZZZ"))
    assert_invalid(world, unknown, "meeting_rule", "ZZZ is not an accredited member state")
    seq = world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC")))["seq"]
    second = public(world, world.chair, ev.APPOINTMENT, appoint("BOR"))
    assert_invalid(world, second, "meeting_rule", f"ARC facilitates cica already (#{seq})")
    wrong_end = public(world, world.chair, ev.APPOINTMENT, appoint("BOR", end=True))
    assert_invalid(world, wrong_end, "meeting_rule", "BOR is not the facilitator for cica")
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC", end=True)))
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("BOR")))


def test_a_facilitator_tables_and_revises_the_text_of_its_item_only() -> None:
    world, d = convene()
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC", item="cica")))
    seq = act(world, d["ARC"], ev.TEXT, n.table(n.version()))  # text id "cica": its item
    negotiation = took_effect(world, seq)
    assert negotiation.texts["cica"].history[0][1].startswith("tabled by the facilitator (ARC)")
    other = n.version()
    other["text"] = "other"
    refused(world, act(world, d["ARC"], ev.TEXT, n.table(other)),
            "ARC is not the facilitator for other")  # fmt: skip
    # Relieved, it tables no more; the chair may always revise.
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC", end=True)))
    world.rekey_if_needed(world.chair)
    late = d["ARC"].encrypted(world.view, ev.TEXT, n.table(n.version(2)), world.tick())
    assert_invalid(world, late, "chair_only", "ARC is not a facilitator")
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(n.version(2))))


def test_a_facilitator_reports_to_the_plenary_and_nobody_else_does() -> None:
    world, d = convene()
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    report = n.statement("facilitator_report", "The informals agreed on op2.")
    refused(world, act(world, d["BOR"], ev.STATEMENT, report), "BOR facilitates no item")
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("BOR", item="cica-op2")))
    seq = act(world, d["BOR"], ev.STATEMENT, report)
    [made] = [s for s in took_effect(world, seq).statements if s.seq == seq]
    assert (made.kind, made.state, made.subject) == ("facilitator_report", "BOR", "cica")


# -- negotiating groups ----------------------------------------------------------------------


def found(world: World, d: dict[str, Author]) -> None:
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    took_effect(world, act(world, d["ARC"], ev.GROUP, {"group": "like-minded",
                "name": "Like-Minded Group", "members": ["ARC", "BOR", "CAL"]}))  # fmt: skip


def test_a_spokesperson_speaks_for_the_members_that_joined() -> None:
    world, d = convene()
    found(world, d)
    took_effect(world, act(world, d["BOR"], ev.GROUP, {"group": "like-minded"}))
    refused(world, act(world, d["DUN"], ev.GROUP, {"group": "like-minded"}),
            "DUN is not listed as a member")  # fmt: skip
    refused(world, act(world, d["BOR"], ev.GROUP, {"group": "like-minded"}), "joined")
    spoken = n.statement("explanation_of_position", "The group supports op1.") | {
        "on_behalf_of": "like-minded"}  # fmt: skip
    refused(world, act(world, d["BOR"], ev.STATEMENT, spoken), "ARC, not BOR, speaks on behalf")
    seq = act(world, d["ARC"], ev.STATEMENT, spoken)
    [made] = [s for s in took_effect(world, seq).statements if s.seq == seq]
    assert made.on_behalf_of == "Like-Minded Group (ARC, BOR)"  # CAL has not joined


def test_a_delegation_aligns_with_a_group_statement_and_takes_its_subject() -> None:
    world, d = convene()
    found(world, d)
    spoken = n.statement("interpretative", "The group reads op1 as voluntary.") | {
        "on_behalf_of": "like-minded"}  # fmt: skip
    target = act(world, d["ARC"], ev.STATEMENT, spoken)
    aligned = n.statement("alignment", "Dunland aligns itself with that statement.") | {
        "aligns_with": target}  # fmt: skip
    seq = act(world, d["DUN"], ev.STATEMENT, aligned)
    [made] = [s for s in took_effect(world, seq).statements if s.seq == seq]
    assert (made.kind, made.aligns_with, made.subject) == ("alignment", target, "cica")
    refused(world, act(world, d["ARC"], ev.STATEMENT, aligned), "does not align with its own")
    plain = act(world, d["CAL"], ev.STATEMENT, n.statement("interpretative", "Calvia's own."))
    wrong = aligned | {"aligns_with": plain}
    refused(world, act(world, d["BOR"], ev.STATEMENT, wrong), "no statement made on behalf")


def test_under_rules_of_procedure_1_groups_and_new_kinds_have_no_effect() -> None:
    world, d = convene(version=1)
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    group = act(world, d["ARC"], ev.GROUP, {"group": "g", "name": "G", "members": ["ARC"]})
    refused(world, group, "rules of procedure version 2")
    report = act(world, d["ARC"], ev.STATEMENT, n.statement("alignment", "x"))
    assert "statement kind must be one of" in str(reason(world.negotiation(), report))
    behalf = n.statement("interpretative", "x") | {"on_behalf_of": "g"}
    refused(world, act(world, d["ARC"], ev.STATEMENT, behalf), "unknown field 'on_behalf_of'")


# -- the acts' forms, and the rules at their edges ----------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (opening(meeting="M 1"), "meeting id 'M 1' is not of the allowed form"),
        (opening(channel="Informals"), "channel 'Informals' is not of the allowed form"),
        (opening(item="Cica 1"), "item 'Cica 1' is not of the allowed form"),
        ({"meeting": "m1", "action": "open", "format": "formal", "channel": "plenary"},
         "opening a meeting names its format, channel and item"),
        ({"meeting": "m1", "action": "close", "format": "formal"},
         "closing a meeting names the meeting only"),
    ],
)  # fmt: skip
def test_a_meeting_act_is_well_formed(body: dict[str, Any], words: str) -> None:
    MeetingAct.parse(opening())
    with pytest.raises(SchemaError, match=words):
        MeetingAct.parse(body)


def test_attendance_names_a_meeting_by_its_id() -> None:
    assert Attendance.parse({"meeting": "m1"}).meeting == "m1"
    with pytest.raises(SchemaError, match="meeting id 'M 1' is not of the allowed form"):
        Attendance.parse({"meeting": "M 1"})


def test_only_an_open_meeting_closes_and_only_by_the_facilitator_of_its_own_item() -> None:
    world, d = convene()
    never = public(world, world.chair, ev.MEETING, {"meeting": "m9", "action": "close"})
    assert_invalid(world, never, "meeting_rule", "no meeting m9 is open")
    world.submit(public(world, world.chair, ev.MEETING, opening()))
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC", item="other")))
    by_other = public(world, d["ARC"], ev.MEETING, {"meeting": "m1", "action": "close"})
    assert_invalid(world, by_other, "meeting_rule", "only the chair, or the facilitator for cica")
    state = world.view.state
    assert state is not None
    assert state.summary()["meetings"]["meetings"][0][6] is None  # not closed yet
    world.submit(public(world, world.chair, ev.MEETING, {"meeting": "m1", "action": "close"}))
    twice = public(world, world.chair, ev.MEETING, {"meeting": "m1", "action": "close"})
    assert_invalid(world, twice, "meeting_rule", "no meeting m1 is open")


def test_the_chair_presides_and_does_not_answer_present() -> None:
    world, _ = convene()
    world.submit(public(world, world.chair, ev.MEETING, opening()))
    present = public(world, world.chair, ev.ATTENDANCE, {"meeting": "m1"})
    assert_invalid(world, present, "meeting_rule", "the chair presides")


def test_a_facilitator_facilitates_from_the_entry_after_its_appointment() -> None:
    world, _ = convene()
    seq = int(world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("ARC")))["seq"])
    state = world.view.state
    assert state is not None
    meetings = state.meetings
    assert (meetings.facilitator_at("cica", seq), meetings.facilitator_at("cica", seq + 1)) == (
        None, "ARC")  # fmt: skip
    assert meetings.facilitator_at("other", seq + 1) is None


# -- negotiating groups: founding and joining ------------------------------------------------


def group(members: list[str], group_id: Any = "like-minded") -> dict[str, Any]:
    return {"group": group_id, "name": "Like-Minded Group", "members": members}


def test_the_record_keeps_a_group_as_founded_and_joined() -> None:
    world, d = convene()
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    founded = act(world, d["ARC"], ev.GROUP, group(["ARC", "BOR", "CAL"]))
    joined = act(world, d["BOR"], ev.GROUP, {"group": "like-minded"})
    negotiation = took_effect(world, joined)
    assert negotiation.groups == {"like-minded": Group("like-minded", "Like-Minded Group", "ARC",
                                  ("ARC", "BOR", "CAL"), founded, {"BOR": joined})}  # fmt: skip


def test_a_group_is_founded_by_a_delegation_that_it_lists() -> None:
    world, d = convene()
    refused(world, act(world, world.chair, ev.GROUP, group(["ARC"])),
            "groups are formed by delegations, not the chair")  # fmt: skip
    refused(world, act(world, d["ARC"], ev.GROUP, group(["BOR", "CAL"])),
            "the spokesperson founds a group it is a member of")  # fmt: skip


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (group(["ARC"], group_id="Like Minded"), "group id 'Like Minded' is not of the allowed"),
        (group(["ARC"], group_id=["like-minded"]), "group id must be text"),
        (group(["ARC", "bor"]), "group members 'bor' is not of the allowed form"),
    ],
)
def test_a_group_is_well_formed(content: dict[str, Any], words: str) -> None:
    world, d = convene()
    refused(world, act(world, d["ARC"], ev.GROUP, content), words)


def test_a_group_lists_at_most_256_members() -> None:
    letters = string.ascii_uppercase
    codes = sorted({"ARC"} | {a + b for a in letters for b in letters})
    world, d = convene()
    took_effect(world, act(world, d["ARC"], ev.GROUP, group(codes[:256])))
    refused(world, act(world, d["ARC"], ev.GROUP, group(codes[:257], "large")),
            "group members has more than 256 items")  # fmt: skip


# -- alignment: what it takes from the group's statement, and what it does not -------------


def test_an_alignment_is_the_aligning_delegations_own_statement_made_now() -> None:
    world = World(states=STATES, observers=("EU",), procedure=procedure_2(len(STATES)))
    d = {code: world.join(code, f"Delegate {code}") for code in (*STATES, "EU")}
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    act(world, world.chair, ev.DECISION, n.decision("d1", n.version(), kind="adoption"))
    took_effect(world, act(world, d["ARC"], ev.GROUP, group(["ARC", "BOR"])))
    spoken = n.statement("interpretative", "The group reads op1 as voluntary.",
                         decision_id="d1") | {"on_behalf_of": "like-minded"}  # fmt: skip
    target = act(world, d["ARC"], ev.STATEMENT, spoken)
    aligned = n.statement("alignment", "The Union aligns itself.") | {"aligns_with": target}
    seq = act(world, d["EU"], ev.STATEMENT, aligned)
    statements = {s.seq: s for s in took_effect(world, seq).statements}
    assert statements[target].timing == "before" and not statements[target].observer
    made = statements[seq]
    assert (made.state, made.kind, made.text, made.decision) == (
        "EU", "alignment", "The Union aligns itself.", "d1")  # fmt: skip
    assert (made.timing, made.observer, made.on_behalf_of, made.aligns_with) == (
        None, True, None, target)  # fmt: skip


def test_an_alignment_is_of_kind_alignment_and_names_an_entry() -> None:
    world, d = convene()
    found(world, d)
    spoken = n.statement("interpretative", "The group reads op1.") | {"on_behalf_of": "like-minded"}
    target = act(world, d["ARC"], ev.STATEMENT, spoken)
    for content in (
        n.statement("alignment", "Dunland aligns itself."),  # no entry named
        n.statement("alignment", "Dunland aligns itself.") | {"aligns_with": str(target)},
        n.statement("interpretative", "Dunland aligns itself.") | {"aligns_with": target},
    ):
        refused(world, act(world, d["DUN"], ev.STATEMENT, content),
                "an alignment names the entry of a group's statement")  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"end": 1}, "an appointment's end is true or false"),
        ({"role": "rapporteur"}, "role must be one of"),
        ({"state": "arc"}, "state 'arc' is not of the allowed form"),
        ({"item": "Cica 1"}, "item 'Cica 1' is not of the allowed form"),
    ],
)
def test_an_appointment_is_well_formed(changes: dict[str, Any], words: str) -> None:
    assert Appointment.parse(appoint("ARC")) == Appointment("facilitator", "ARC", "cica", False)
    with pytest.raises(SchemaError, match=words):
        Appointment.parse(appoint("ARC") | changes)


def test_a_relieved_facilitator_reports_no_more() -> None:
    world, d = convene()
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("BOR", item="cica")))
    report = n.statement("facilitator_report", "The informals agreed on op2.")
    took_effect(world, act(world, d["BOR"], ev.STATEMENT, report))
    world.submit(public(world, world.chair, ev.APPOINTMENT, appoint("BOR", end=True)))
    refused(world, act(world, d["BOR"], ev.STATEMENT, report), "BOR facilitates no item")


def test_a_statement_is_on_behalf_of_a_group_that_exists() -> None:
    world, d = convene()
    found(world, d)
    for named in ("nobody", ["like-minded"]):
        spoken = n.statement("interpretative", "x") | {"on_behalf_of": named}
        refused(world, act(world, d["ARC"], ev.STATEMENT, spoken), "no such negotiating group")
