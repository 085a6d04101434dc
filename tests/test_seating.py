"""Credentials and seating (docs/protocol.md 12.5; UNGA rules 27-29), one rule a test.

A conference of four member states under rules of procedure 2; Elbonia's seat is claimed
by a rival authority (the "Provisional Council"), whose delegate then joins.
"""

from __future__ import annotations

import string
from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.credentials import revoke
from accord.core.errors import EncodingError, SchemaError
from accord.core.genesis import Genesis, Procedure, procedure_2
from accord.core.keys import SigningKey
from accord.core.proceedings import Subject
from accord.core.seating import MAX_CLAIMS, Finding, Lodging, Report, SeatingAct
from tests import negotiating as n
from tests.builders import World, key
from tests.test_authority import assert_invalid
from tests.test_rules_negotiation import act, reason, refused, took_effect

STATES = ("ARC", "BOR", "CAL", "ELB")
MINUTE = 60_000
COUNCIL = key("root ELB provisional council")


def convene(**settings: Any) -> tuple[World, dict[str, Author]]:
    world = World(states=STATES, procedure=procedure_2(len(STATES), **settings))
    return world, {code: world.join(code, f"Delegate {code}") for code in STATES}


def lodge(world: World, root: SigningKey = COUNCIL, seat: str = "ELB",
          authority: str = "Provisional Council of Elbonia") -> dict[str, Any]:  # fmt: skip
    author = Author(root, world.conf)
    return author.event(world.view, ev.CREDENTIALS, {"seat": seat, "authority": authority},
                        world.tick())  # fmt: skip


def rival(world: World, name: str = "Rival Delegate") -> Author:
    """The council lodges credentials and its delegate joins; the delegate."""
    world.submit(lodge(world))
    delegate_key, cred = world.credential("ELB", name, root=COUNCIL)
    author = world.member(delegate_key)
    world.submit(author.join(world.view, cred, world.tick()))
    world.add_device(author, "laptop")
    return author


def report(world: World, by: Author, findings: list[tuple[str, SigningKey, str]]) -> str:
    body = {"findings": [{"seat": s, "root": r.public.text, "finding": f} for s, r, f in findings],
            "text": "The committee examined the credentials lodged."}  # fmt: skip
    return str(
        world.submit(by.event(world.view, ev.CREDENTIALS_REPORT, body, world.tick()))["event"]
    )


def decide(world: World, report_hash: str, decision_id: str = "cred1") -> None:
    """The plenary approves the report by consensus."""
    subject = {"kind": "credentials", "report": report_hash}
    act(world, world.chair, ev.DECISION, {"decision": decision_id, "subject": subject,
        "procedure": "consensus", "rule": None, "deadline": None, "time_zone": None})  # fmt: skip
    world.tick(16 * MINUTE)
    act(world, world.chair, ev.CLOSE, n.close(decision_id, "adopted"))


def seat(world: World, report_hash: str, decision_id: str = "cred1") -> int:
    body = {"report": report_hash, "decision": decision_id}
    return int(world.submit(world.chair.event(world.view, ev.SEATING, body, world.tick()))["seq"])


def status(world: World, root: SigningKey, seat: str = "ELB") -> str | None:
    assert world.view.state is not None
    return world.view.state.seating.status(seat, root.public.text)


# -- lodging credentials ---------------------------------------------------------------


def test_a_rival_claim_seats_the_incumbent_provisionally_and_the_claimant_not_at_all() -> None:
    world, _ = convene()
    assert status(world, world.roots["ELB"]) == "accepted"
    world.submit(lodge(world))
    assert status(world, world.roots["ELB"]) == "provisional"  # UNGA rule 29
    assert status(world, COUNCIL) == "pending"
    assert status(world, world.roots["ARC"], "ARC") == "accepted"  # other seats are untouched


def test_credentials_are_lodged_only_under_rules_of_procedure_2() -> None:
    world = World(states=STATES)
    world.join("ARC", "Delegate ARC")
    assert_invalid(world, lodge(world), "seating_rule", "version 2 only")


def test_credentials_are_signed_by_an_authority_not_by_the_chair_or_the_host() -> None:
    world, _ = convene()
    assert_invalid(world, lodge(world, root=world.chair_key), "seating_rule", "root key")
    assert_invalid(world, lodge(world, root=world.host), "seating_rule", "root key")


def test_an_authority_claims_a_seat_once_and_only_a_seat_of_the_genesis() -> None:
    world, _ = convene()
    assert_invalid(world, lodge(world, root=world.roots["ELB"]), "seating_rule", "already")
    world.submit(lodge(world))
    assert_invalid(world, lodge(world), "seating_rule", "already claimed the seat of ELB")
    assert_invalid(world, lodge(world, seat="ZZZ"), "not_accredited", "no seat for ZZZ")


def test_a_seat_has_at_most_a_few_claimants() -> None:
    world, _ = convene()
    for i in range(MAX_CLAIMS - 1):
        world.submit(lodge(world, root=key(f"claimant {i}")))
    assert_invalid(world, lodge(world, root=key("one too many")), "seating_rule", "already claim")


# -- what a delegation may do, as seated ------------------------------------------------


def test_a_pending_delegation_joins_and_announces_devices_but_neither_reads_nor_acts() -> None:
    world, _ = convene()
    council = rival(world)
    state = world.view.state
    assert state is not None
    assert council.key.public.text not in state.reading_identities(ev.PLENARY, world.clock)
    event = world.message(council, "We are the lawful government.", world.tick())
    assert_invalid(world, event, "not_seated", "not seated and cannot act")


def test_every_act_of_a_provisionally_seated_delegation_is_marked_for_good() -> None:
    world, d = convene()
    before = int(world.say(d["ELB"], "Before the contest.")["seq"])
    rival(world)
    during = int(world.say(d["ELB"], "While contested.")["seq"])
    other = int(world.say(d["ARC"], "Arcadia speaks.")["seq"])
    state = world.view.state
    assert state is not None
    assert state.seating.marks.get(during) == "provisional"
    assert before not in state.seating.marks and other not in state.seating.marks
    assert state.summary()["seating_marks"] == sorted(state.seating.marks.items())


def test_a_provisionally_seated_delegation_votes_unless_the_rules_say_otherwise() -> None:
    for rights, allowed in (("full", True), ("no_vote", False)):
        world, d = convene(provisional_rights=rights)
        world.act(world.chair, ev.TEXT, n.table(n.version()))
        act(world, world.chair, ev.DECISION, n.decision("d1", n.version(), "vote", kind="adoption"))
        rival(world)
        if allowed:
            took_effect(world, act(world, d["ELB"], ev.VOTE, n.vote("d1", "yes")))
        else:
            world.rekey_if_needed(world.chair)
            event = d["ELB"].encrypted(world.view, ev.VOTE, n.vote("d1", "yes"), world.tick())
            assert_invalid(world, event, "not_seated", "provisionally seated delegation vote")


# -- the committee's report --------------------------------------------------------------


def test_only_the_committee_reports_where_the_rules_name_one() -> None:
    world, d = convene(credentials_committee=("ARC", "BOR"))
    rival(world)
    body = {"findings": [{"seat": "ELB", "root": COUNCIL.public.text, "finding": "accept"}],
            "text": "Report."}  # fmt: skip
    for outsider in (d["CAL"], world.chair):
        event = outsider.event(world.view, ev.CREDENTIALS_REPORT, body, world.tick())
        assert_invalid(world, event, "seating_rule",
                       "only a member of the credentials committee (ARC, BOR) reports on credentials")  # fmt: skip
    report(world, d["ARC"], [("ELB", COUNCIL, "accept")])


def test_without_a_committee_the_chair_reports() -> None:
    world, d = convene()
    rival(world)
    body = {"findings": [{"seat": "ELB", "root": COUNCIL.public.text, "finding": "defer"}],
            "text": "Report."}  # fmt: skip
    event = d["ARC"].event(world.view, ev.CREDENTIALS_REPORT, body, world.tick())
    assert_invalid(world, event, "seating_rule", "the chair reports")
    report(world, world.chair, [("ELB", COUNCIL, "defer")])


def test_a_report_finds_only_on_claims_that_were_lodged() -> None:
    world, _ = convene()
    body = {"findings": [{"seat": "ELB", "root": COUNCIL.public.text, "finding": "accept"}],
            "text": "Report."}  # fmt: skip
    event = world.chair.event(world.view, ev.CREDENTIALS_REPORT, body, world.tick())
    assert_invalid(world, event, "seating_rule", "no authority with that root key")


@pytest.mark.parametrize(
    ("findings", "words"),
    [
        ([("ELB", "a", "accept"), ("ELB", "b", "accept")], "at most one claim per seat"),
        ([("ELB", "a", "accept"), ("ELB", "a", "reject")], "one finding per claim"),
        ([("ELB", "a", "approve")], "finding must be one of"),
        ([], "1 to 256 findings"),
    ],
)
def test_a_report_is_well_formed(findings: list[tuple[str, str, str]], words: str) -> None:
    roots = {"a": key("a").public.text, "b": key("b").public.text}
    body = {"findings": [{"seat": s, "root": roots[r], "finding": f} for s, r, f in findings],
            "text": "Report."}  # fmt: skip
    with pytest.raises(SchemaError, match=words):
        Report.parse(body)


# -- the plenary's decision and the seating ------------------------------------------------


def test_the_seating_applies_the_report_the_plenary_approved() -> None:
    world, d = convene()
    council = rival(world)
    contested = int(world.say(d["ELB"], "While contested.")["seq"])
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    decide(world, r)
    seat(world, r)
    assert status(world, COUNCIL) == "accepted"
    assert status(world, world.roots["ELB"]) == "rejected"
    assert world.view.state is not None
    assert world.view.state.seating.marks[contested] == "provisional"  # stays on the record
    # The council's delegate now reads the plenary and acts; the old delegation does not.
    world.rekey_if_needed(world.chair)  # the council's devices are among the readers now
    spoken = int(world.say(council, "Elbonia thanks the conference.")["seq"])
    assert world.read(d["ARC"], spoken) == "Elbonia thanks the conference."
    assert spoken not in world.view.state.seating.marks
    event = world.message(d["ELB"], "We protest.", world.tick())
    assert_invalid(world, event, "not_seated", "rejected")


def test_rejected_credentials_cannot_present_new_full_powers() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "reject"), ("ELB", world.roots["ELB"],
                                                                  "accept")])  # fmt: skip
    decide(world, r)
    seat(world, r)
    assert status(world, world.roots["ELB"]) == "accepted"
    delegate_key, cred = world.credential("ELB", "Second Rival", root=COUNCIL)
    event = world.member(delegate_key).join(world.view, cred, world.tick())
    assert_invalid(world, event, "not_seated", "rejected")


def test_a_deferred_finding_leaves_the_seat_contested() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "defer")])
    decide(world, r)
    seat(world, r)
    assert (status(world, COUNCIL), status(world, world.roots["ELB"])) == ("pending", "provisional")


def test_the_seating_is_the_chairs_once_per_report() -> None:
    world, d = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    decide(world, r)
    body = {"report": r, "decision": "cred1"}
    event = d["ARC"].event(world.view, ev.SEATING, body, world.tick())
    assert_invalid(world, event, "chair_only", "only the chair")
    unknown = world.chair.event(world.view, ev.SEATING, body | {"report": "sha256:" + "0" * 64},
                                world.tick())  # fmt: skip
    assert_invalid(world, unknown, "seating_rule", "no credentials report")
    seq = seat(world, r)
    again = world.chair.event(world.view, ev.SEATING, body, world.tick())
    assert_invalid(world, again, "seating_rule", f"recorded at #{seq}")


def test_members_flag_a_seating_without_the_plenarys_decision() -> None:
    world, d = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    subject = {"kind": "credentials", "report": r}
    act(world, world.chair, ev.DECISION, {"decision": "cred1", "subject": subject,
        "procedure": "consensus", "rule": None, "deadline": None, "time_zone": None})  # fmt: skip
    act(world, d["BOR"], ev.OBJECTION, n.objection("cred1"))
    world.tick(16 * MINUTE)
    act(world, world.chair, ev.CLOSE, n.close("cred1", "not_adopted"))
    seq = seat(world, r)  # the chair records it anyway: the relay cannot read the decision
    assert "without the plenary's decision" in str(reason(world.negotiation(), seq))
    never = report(world, world.chair, [("ELB", COUNCIL, "reject")])
    unseated = seat(world, never, "no-such-decision")
    assert "did not approve that report" in str(reason(world.negotiation(), unseated))


def test_an_approved_seating_is_not_flagged_and_the_decision_is_on_an_earlier_report() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    decide(world, r)
    seated = seat(world, r)  # before the negotiation is read, so that it holds the seating
    assert reason(world.negotiation(), seated) is None
    unknown = {"kind": "credentials", "report": "sha256:" + "1" * 64}
    seq = act(world, world.chair, ev.DECISION, {"decision": "cred2", "subject": unknown,
              "procedure": "consensus", "rule": None, "deadline": None, "time_zone": None})  # fmt: skip
    refused(world, seq, "no such credentials report")
    again = act(world, world.chair, ev.DECISION, {"decision": "cred3", "subject": {
        "kind": "credentials", "report": r}, "procedure": "consensus", "rule": None,
        "deadline": None, "time_zone": None})  # fmt: skip
    refused(world, again, "already recorded")


def test_a_revocation_is_signed_by_the_root_of_a_claiming_authority() -> None:
    world, d = convene()
    council = rival(world)
    assert council.cred is not None
    own = revoke(COUNCIL, state="ELB", credential=council.cred, revoked_at=world.clock,
                 reason="recalled")  # fmt: skip
    world.submit(d["ARC"].publish_revocation(world.view, own, world.tick()))
    stranger = revoke(key("a stranger"), state="ELB", credential=council.cred,
                      revoked_at=world.clock, reason="forged")  # fmt: skip
    event = d["ARC"].publish_revocation(world.view, stranger, world.tick())
    assert_invalid(world, event, "wrong_root", "not signed by the root key accredited")


# -- the settings in the genesis ----------------------------------------------------------


def test_the_committee_is_of_member_states_and_the_settings_are_written_only_when_set() -> None:
    world, _ = convene()
    body = dict(world.genesis)
    assert "credentials_committee" not in body["rules"]["procedure"]  # as before they existed
    committee = procedure_2(4, credentials_committee=("BOR", "ARC"), provisional_rights="no_vote")
    assert committee.credentials_committee == ("ARC", "BOR")
    rules = body["rules"] | {"procedure": committee.to_json()}
    parsed = Genesis.parse(body | {"rules": rules})
    assert parsed.rules.procedure == committee
    stranger = committee.to_json() | {"credentials_committee": ["ZZZ"]}
    with pytest.raises(SchemaError, match="ZZZ, on the credentials committee, is not a member"):
        Genesis.parse(body | {"rules": body["rules"] | {"procedure": stranger}})
    bad = committee.to_json() | {"provisional_rights": "some"}
    with pytest.raises(SchemaError, match="provisional rights must be one of"):
        Procedure.parse(bad)


# -- the decision on a report, as the fold records it ---------------------------------------


def test_the_decision_is_on_the_report_and_the_seating_is_where_it_was_recorded() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    decide(world, r)
    state = world.view.state
    assert state is not None
    lodged = state.seating.reports[r][0]
    subject = world.negotiation().decisions["cred1"].subject
    assert subject == Subject("", 0, r, None, "credentials", None, lodged)
    assert subject.label() == f"the report on credentials of #{lodged}"
    assert state.seating.applied_at() == frozenset()
    seated = seat(world, r)
    assert state.seating.applied_at() == frozenset({seated})


def test_a_decision_names_a_report_by_its_hash() -> None:
    world, _ = convene()
    rival(world)
    report(world, world.chair, [("ELB", COUNCIL, "accept")])
    for named in (["sha256:"], 7):
        seq = act(world, world.chair, ev.DECISION, {"decision": "cred1", "subject": {
            "kind": "credentials", "report": named}, "procedure": "consensus", "rule": None,
            "deadline": None, "time_zone": None})  # fmt: skip
        refused(world, seq, "no such credentials report")


def test_reports_and_seatings_exist_only_under_rules_of_procedure_2() -> None:
    world = World(states=STATES)
    world.join("ARC", "Delegate ARC")
    body = {"findings": [{"seat": "ELB", "root": world.roots["ELB"].public.text,
                          "finding": "accept"}], "text": "Report."}  # fmt: skip
    event = world.chair.event(world.view, ev.CREDENTIALS_REPORT, body, world.tick())
    assert_invalid(world, event, "seating_rule",
                   "a credentials_report act exists under rules of procedure version 2 only")  # fmt: skip
    seating = world.chair.event(world.view, ev.SEATING,
                                {"report": "sha256:" + "0" * 64, "decision": "cred1"},
                                world.tick())  # fmt: skip
    assert_invalid(world, seating, "seating_rule",
                   "a seating act exists under rules of procedure version 2 only")  # fmt: skip


def test_statements_on_a_decision_on_credentials_name_no_paragraph() -> None:
    world, d = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    decide(world, r)
    said = n.statement("explanation_of_position", "Arcadia supports.", decision_id="cred1")
    took_effect(world, act(world, d["ARC"], ev.STATEMENT, said))
    on_paragraph = n.statement("reservation", "x", decision_id="cred1", paragraph="op1")
    refused(world, act(world, d["ARC"], ev.STATEMENT, on_paragraph),
            "a decision on credentials has no paragraphs")  # fmt: skip


def test_a_seating_approved_by_a_silence_procedure_is_not_flagged() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    deadline = world.clock + 2 * 86_400_000
    act(world, world.chair, ev.DECISION, {"decision": "cred1", "subject": {
        "kind": "credentials", "report": r}, "procedure": "silence", "rule": None,
        "deadline": deadline, "time_zone": "UTC"})  # fmt: skip
    world.tick(3 * 86_400_000)
    took_effect(world, act(world, world.chair, ev.CLOSE, n.close("cred1", "adopted")))
    seated = seat(world, r)
    assert reason(world.negotiation(), seated) is None


# -- the acts' forms -------------------------------------------------------------------------


def test_credentials_and_findings_name_a_seat_by_its_code_and_a_root_key() -> None:
    root = COUNCIL.public.text
    assert Lodging.parse({"seat": "ELB", "authority": "Council"}) == Lodging("ELB", "Council")
    with pytest.raises(SchemaError, match="seat 'elb' is not of the allowed form"):
        Lodging.parse({"seat": "elb", "authority": "Council"})
    assert Finding.parse({"seat": "ELB", "root": root, "finding": "accept"}).root == root
    with pytest.raises(SchemaError, match="seat 'elb' is not of the allowed form"):
        Finding.parse({"seat": "elb", "root": root, "finding": "accept"})
    with pytest.raises(EncodingError, match="root key of the claim must be 32 bytes"):
        Finding.parse({"seat": "ELB", "root": "ed25519:abc", "finding": "accept"})


def test_a_report_holds_up_to_256_findings_and_its_text() -> None:
    letters = string.ascii_uppercase
    seats = sorted(a + b for a in letters for b in letters)
    root = COUNCIL.public.text

    def body(count: int, text: str = "Report.") -> dict[str, Any]:
        return {"findings": [{"seat": s, "root": root, "finding": "defer"}
                             for s in seats[:count]], "text": text}  # fmt: skip

    assert Report.parse(body(256)).text == "Report."
    with pytest.raises(SchemaError, match="1 to 256 findings"):
        Report.parse(body(257))
    assert Report.parse(body(1, "x" * 20_000)).text == "x" * 20_000
    with pytest.raises(SchemaError, match="report text is longer than 20000 characters"):
        Report.parse(body(1, "x" * 20_001))


def test_the_flag_on_a_seating_without_a_decision_names_the_chair() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "accept")])
    seq = seat(world, r, "no-such-decision")
    [flag] = [f for f in world.negotiation().flags if f.seq == seq]
    assert flag.who == "the chair (Chair)"


def test_a_rejection_alone_unseats_the_claimant_and_leaves_the_seat_contested() -> None:
    world, _ = convene()
    rival(world)
    r = report(world, world.chair, [("ELB", COUNCIL, "reject")])
    decide(world, r)
    seat(world, r)
    assert (status(world, COUNCIL), status(world, world.roots["ELB"])) == ("rejected",
                                                                           "provisional")  # fmt: skip


def test_a_seating_names_its_report_and_decision_in_at_most_80_characters() -> None:
    SeatingAct.parse({"report": "r" * 80, "decision": "d" * 80})
    for field in ("report", "decision"):
        with pytest.raises(SchemaError, match="is longer than 80 characters"):
            SeatingAct.parse({"report": "r", "decision": "d"} | {field: "x" * 81})


def test_the_conference_time_zone_is_written_only_when_set_and_of_the_form_of_a_zone_name() -> None:
    plain = procedure_2(3)
    assert plain.time_zone == "UTC" and "time_zone" not in plain.to_json()
    vienna = procedure_2(3, time_zone="Europe/Vienna")
    assert vienna.to_json()["time_zone"] == "Europe/Vienna"
    assert Procedure.parse(vienna.to_json()) == vienna
    for name in ("America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"):
        assert Procedure.parse(plain.to_json() | {"time_zone": name}).time_zone == name
    for bad in ("", "Europe/", "/Vienna", "Europe Vienna", "a/b/c/d", "../etc/passwd", 5):
        with pytest.raises(SchemaError, match="time zone"):
            Procedure.parse(plain.to_json() | {"time_zone": bad})


def test_the_defaults_of_rules_of_procedure_2_and_what_its_genesis_writes() -> None:
    plain = procedure_2(4)
    assert (plain.quorum, plain.initialling_is_signature) == (3, False)
    assert procedure_2(4, quorum=1).quorum == 1
    # Settings added after version 2 was released are written only when set.
    written = plain.to_json()
    assert not {"credentials_committee", "provisional_rights", "time_zone"} & set(written)
    assert procedure_2(4, provisional_rights="no_vote").to_json()["provisional_rights"] == "no_vote"
    # A zone name of at most 64 characters.
    assert Procedure.parse(written | {"time_zone": "A" * 64}).time_zone == "A" * 64
    with pytest.raises(SchemaError, match="time zone is longer than 64 characters"):
        Procedure.parse(written | {"time_zone": "A" * 65})
