"""Whole conferences under rules of procedure version 2, over a real relay: every node
recomputes the same outcomes from the record, and the final act verifies offline.

Each scenario is one a delegation would meet in its first sessions (issue 13's suite);
the rules themselves, one by one, are tested in test_rules_procedure.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from accord.core import events as ev
from accord.core import final_act
from accord.core.genesis import procedure_2
from accord.core.negotiation import Negotiation
from accord.node.base import NodeError
from accord.node.session import Node
from tests import negotiating as n
from tests.delegations import PASSPHRASE, Cast, accord, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow

STATES = ("ARC", "BOR", "CAL", "DUN")


def acted(node: Node, conf: str, type: str, content: dict[str, Any]) -> dict[str, Any]:
    """Post an act that must take effect; its receipt."""
    receipt = node.negotiate(conf, type, content, now())
    assert node.effect(conf, receipt) is None, node.effect(conf, receipt)
    return receipt


def without_effect(node: Node, conf: str, type: str, content: dict[str, Any]) -> str:
    """An act the record would give no effect: the node refuses it before signing, in the
    fold's words; sent regardless (as a faulty client would), every member's fold gives it
    no effect for the same reason. That reason."""
    with pytest.raises(NodeError, match="not sent: it would have no effect: ") as refused:
        node.negotiate(conf, type, content, now())
    reason = node.effect(conf, node.negotiate(conf, type, content, now(), checked=False))
    assert reason is not None and str(refused.value).endswith(reason), (refused.value, reason)
    return reason


def seen_by(node: Node, conf: str) -> Negotiation:
    """The negotiation as `node` recomputes it once synced."""
    node.sync(conf)
    return node.negotiation(conf)


def outcomes(cast: Cast) -> dict[str, str]:
    """The outcome of every decision, recomputed by every node: they must agree."""
    seen = []
    for node in (cast.host, *cast.delegates.values()):
        node.sync(cast.conf)
        negotiation = node.negotiation(cast.conf)
        seen.append({d.id: str(d.outcome(negotiation.last_time))
                     for d in negotiation.decisions.values()})  # fmt: skip
    assert all(s == seen[0] for s in seen)
    return seen[0]


def test_a_vote_after_consensus_fails(tmp_path: Path) -> None:
    """The chair's text is accepted as the basis for negotiation; a deletion is put to the
    vote and carried; consensus on the revised text fails when Calvia requests a vote; the
    vote carries by two thirds, with Dunland present and not voting; the text is signed."""
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, STATES, powers=("negotiate", "adopt", "sign"),
                       procedure=procedure_2(len(STATES), consensus_min_ms=0))  # fmt: skip
        conf, chair = cast.conf, cast.host
        arc, bor, cal, dun = (cast.delegates[c] for c in STATES)
        try:
            v1 = n.version()
            acted(chair, conf, ev.TEXT, n.table(v1))
            acted(chair, conf, ev.DECISION, n.decision("basis-1", v1, kind="basis"))
            acted(chair, conf, ev.CLOSE, n.close("basis-1", "adopted"))
            # Accepting the basis is not adopting: nothing to sign, no final act.
            assert "has not been adopted" in without_effect(
                arc, conf, ev.SIGNATURE, n.signature(v1)
            )
            with pytest.raises(NodeError, match="no version"):
                arc.final_act(conf, n.TEXT_ID)

            deletion = str(acted(bor, conf, ev.AMEND, n.amend("op3", "delete_paragraph"))["event"])
            # By the command line: the chair puts the proposal (named by a prefix of its id)
            # to the vote; Dunland answers present.
            accord(tmp_path / "host", "decision", "open", "--conf", conf, "--id", "del-op3",
                   "--text", n.TEXT_ID, "--procedure", "vote", "--kind", "proposal",
                   "--proposal", deletion[7:20])  # fmt: skip
            for node, answer in ((arc, "yes"), (bor, "yes"), (cal, "no")):
                acted(node, conf, ev.VOTE, n.vote("del-op3", answer))
            accord(tmp_path / "delegate-DUN", "decision", "vote", "--conf", conf, "--id", "del-op3",
                   "present")  # fmt: skip
            acted(chair, conf, ev.CLOSE, n.close("del-op3", "adopted"))

            v2 = n.version(2, [p for p in n.PARAGRAPHS if p[0] != "op3"])
            reason = without_effect(chair, conf, ev.TEXT, n.table(v2))
            assert "are incorporated in the next version" in reason
            acted(chair, conf, ev.TEXT, n.table(v2, [(deletion, "incorporated")]))
            # Dunland moves the closure of debate, by the command line; the chair puts it.
            accord(tmp_path / "delegate-DUN", "decision", "move", "--conf", conf, "--motion",
                   "closure_of_debate", "--text", n.TEXT_ID, "--reason", "Time is short.")  # fmt: skip
            listed = accord(tmp_path / "host", "decision", "show", "--conf", conf)
            motion = re.findall(r"motion sha256:([\w-]{12})", listed)[0]
            assert "DUN's motion for closure of debate on cica" in listed
            accord(tmp_path / "host", "decision", "open", "--conf", conf, "--id", "closure",
                   "--text", n.TEXT_ID, "--kind", "motion", "--motion", motion)  # fmt: skip
            acted(chair, conf, ev.CLOSE, n.close("closure", "adopted"))
            assert "the debate on cica is closed" in without_effect(
                cal, conf, ev.AMEND, n.amend("op1", "delete_paragraph", version=2)
            )

            acted(chair, conf, ev.DECISION, n.decision("adopt-2", v2, kind="adoption"))
            acted(
                cal, conf, ev.OBJECTION, n.objection("adopt-2", "vote", "Calvia requests a vote.")
            )
            acted(chair, conf, ev.CLOSE, n.close("adopt-2", "not_adopted"))
            acted(chair, conf, ev.DECISION, n.decision("vote-2", v2, "vote", kind="adoption"))
            acted(cal, conf, ev.STATEMENT, n.statement(
                "explanation_of_vote", "Calvia will abstain.", decision_id="vote-2"))  # fmt: skip
            for node, answer in ((arc, "yes"), (bor, "yes"), (cal, "abstain"), (dun, "present")):
                acted(node, conf, ev.VOTE, n.vote("vote-2", answer))
            acted(chair, conf, ev.CLOSE, n.close("vote-2", "adopted"))
            acted(dun, conf, ev.STATEMENT, n.statement(
                "explanation_of_position", "Dunland did not vote.", decision_id="vote-2",
                paragraph="op2"))  # fmt: skip
            for node in (arc, bor, cal, dun):
                acted(node, conf, ev.SIGNATURE, n.signature(v2))

            assert outcomes(cast) == {
                "basis-1": "adopted", "del-op3": "adopted", "closure": "adopted",
                "adopt-2": "not_adopted", "vote-2": "adopted",
            }  # fmt: skip
            negotiation = seen_by(dun, conf)
            assert negotiation.decisions["vote-2"].roll_call() == [
                ("ARC", "yes"),
                ("BOR", "yes"),
                ("CAL", "abstain"),
                ("DUN", "present"),
            ]
            timings = {s.text: s.timing for s in negotiation.statements}
            assert timings == {"Calvia will abstain.": "before", "Dunland did not vote.": "after"}

            act = tmp_path / "final-act.json"
            act.write_bytes(dun.final_act(conf, n.TEXT_ID))
            report = final_act.verify(act.read_bytes())
            assert report.ok and report.version is not None and report.version.number == 2
            assert report.decision is not None and report.decision.id == "vote-2"
            assert len(report.signatures) == 4
            shown = accord(tmp_path / "delegate-DUN", "verify", str(act))
            assert "VALID FINAL ACT" in shown and "version 2" in shown
            assert "roll-call: 2 yes, 0 no, 1 abstaining; ARC: yes" in shown
            assert "statement (explanation of position, after the decision) by DUN" in shown
            html = tmp_path / "final-act.html"
            accord(tmp_path / "delegate-DUN", "final-act", "--conf", conf, "--text", n.TEXT_ID,
                   "--out", str(act), "--html", str(html))  # fmt: skip
            page = html.read_text()
            assert "In witness whereof the undersigned, being duly authorised thereto" in page
            assert page.index("For Republic of Arcadia:") < page.index("Annex I. Record")
            assert "<td>DUN</td><td>present, not voting</td>" in page
            assert "decision vote-2 on cica version 2, paragraph 2" in page
            decisions = accord(tmp_path / "delegate-DUN", "decision", "show", "--conf", conf)
            assert "roll-call: ARC yes, BOR yes, CAL abstain, DUN present" in decisions
            assert "explanation_of_vote, before the decision" in decisions
        finally:
            cast.close()


def _with_brackets(number: int) -> dict[str, Any]:
    """The test text with op3 still bracketed: "[every two years][annually]"."""
    v = n.version(number)
    v["paragraphs"][3]["segments"] = [
        "States shall review this arrangement ",
        {"alternatives": ["every two years", "annually"]}, ".",
    ]  # fmt: skip
    return v


def test_a_package_reopened(tmp_path: Path) -> None:
    """Nothing is agreed until everything is agreed: paragraphs agreed ad ref stay
    provisional; Borduria reopens one, saying why; the chair's clean revision is agreed
    and adopted as a whole, and only then do the marks stop being provisional."""
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, STATES, powers=("negotiate", "adopt", "sign"),
                       procedure=procedure_2(len(STATES), package=True, consensus_min_ms=0))  # fmt: skip
        conf, chair = cast.conf, cast.host
        bor = cast.delegates["BOR"]
        try:
            v1 = _with_brackets(1)
            acted(chair, conf, ev.TEXT, n.table(v1))
            acted(chair, conf, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
            acted(chair, conf, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
            assert "still holds brackets" in without_effect(
                chair, conf, ev.PARAGRAPH_STATUS, n.status("op3", "agreed_ad_ref"))  # fmt: skip
            assert "still holds bracketed text" in without_effect(
                chair, conf, ev.DECISION, n.decision("d1", v1, kind="adoption"))  # fmt: skip
            shown = seen_by(bor, conf).render(n.TEXT_ID)
            assert shown.count("provisional: nothing is agreed until everything is agreed") == 2
            assert "[every two years][annually]" in shown
            acted(bor, conf, ev.PARAGRAPH_STATUS,
                  n.status("op2", "open", reason="Our capital needs 48 hours."))  # fmt: skip
            shown = seen_by(chair, conf).render(n.TEXT_ID)
            assert "(reopened by BOR: Our capital needs 48 hours.)" in shown
            v2 = n.version(2)  # clean: op3 settled on "every two years"
            acted(chair, conf, ev.TEXT, n.table(v2))
            for paragraph in ("op2", "op3"):
                acted(chair, conf, ev.PARAGRAPH_STATUS, n.status(paragraph, "agreed_ad_ref", 2))
            acted(chair, conf, ev.DECISION, n.decision("d2", v2, kind="adoption"))
            acted(chair, conf, ev.CLOSE, n.close("d2", "adopted"))
            assert outcomes(cast) == {"d2": "adopted"}
            shown = seen_by(bor, conf).render(n.TEXT_ID)
            assert "provisional" not in shown and "reopened" not in shown
            report = final_act.verify(bor.final_act(conf, n.TEXT_ID))
            assert report.ok and report.version is not None and report.version.number == 2
        finally:
            cast.close()


def test_a_signature_ceremony_with_every_kind_of_signer(tmp_path: Path) -> None:
    """Arcadia's delegate initials (which the treaty counts as signature) and signs;
    Borduria's signs ad referendum, then its ministry confirms; Calvia's foreign minister
    signs in virtue of functions; Dunland's delegate, without full powers to sign, signs
    pending confirmation (VCLT art. 8), and Dunland confirms. The final act says each."""
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        procedure = procedure_2(len(STATES), consensus_min_ms=0, initialling_is_signature=True)
        cast = convene(r.url, tmp_path, STATES, powers=("negotiate", "adopt", "sign"),
                       procedure=procedure)  # fmt: skip
        conf, chair = cast.conf, cast.host
        arc, bor = cast.delegates["ARC"], cast.delegates["BOR"]
        try:
            minister = Node.create(tmp_path / "minister-CAL", PASSPHRASE)
            powers = cast.ministries["CAL"].issue_powers(
                "CAL", "Minister Ostrova", minister.create_identity(),
                ["negotiate", "adopt", "sign"], ["elsewhere"], now(),
                office="minister_for_foreign_affairs",
            )  # fmt: skip
            minister.join(r.url, conf, powers, cast.genesis, now())
            clerk = Node.create(tmp_path / "clerk-DUN", PASSPHRASE)
            limited = cast.ministries["DUN"].issue_powers(
                "DUN", "Dan Clerk", clerk.create_identity(), ["negotiate", "adopt"], [conf], now()
            )
            clerk.join(r.url, conf, limited, cast.genesis, now())
            v1 = n.version()
            acted(chair, conf, ev.TEXT, n.table(v1))
            acted(chair, conf, ev.DECISION, n.decision("d", v1, kind="adoption"))
            acted(chair, conf, ev.CLOSE, n.close("d", "adopted"))
            acted(arc, conf, ev.SIGNATURE, n.signature(v1, act="initialling"))
            acted(arc, conf, ev.SIGNATURE, n.signature(v1))
            ad_ref = acted(bor, conf, ev.SIGNATURE, n.signature(v1, ad_referendum=True))
            acted(minister, conf, ev.SIGNATURE, n.signature(v1))
            art_8 = acted(clerk, conf, ev.SIGNATURE, n.signature(v1))
            pending = {s.state: s.pending for s in seen_by(chair, conf).signatures}
            assert pending == {"ARC": False, "BOR": True, "CAL": False, "DUN": True}
            for code, receipt in (("BOR", ad_ref), ("DUN", art_8)):
                confirmation = tmp_path / f"confirmation-{code}.json"
                accord(tmp_path / f"ministry-{code}", "powers", "confirm", "--state", code,
                       "--signature", str(receipt["event"]), "--out", str(confirmation))  # fmt: skip
                accord(tmp_path / f"delegate-{code}", "publish-confirmation", "--conf", conf,
                       str(confirmation))  # fmt: skip
            act = tmp_path / "final-act.json"
            html = tmp_path / "final-act.html"
            accord(tmp_path / "delegate-ARC", "final-act", "--conf", conf, "--text", n.TEXT_ID,
                   "--out", str(act), "--html", str(html))  # fmt: skip
            report = final_act.verify(act.read_bytes())
            assert report.ok and not any(s.pending for s in report.signatures)
            assert len(report.signatures) == 5
            page = html.read_text()
            assert "initialling (constitutes signature (VCLT art. 12(2)(a)))" in page
            assert (
                "Minister for Foreign Affairs, in virtue of functions (VCLT art. 7(2)(a))" in page
            )
            assert "confirmed by its state (made without full powers to sign: VCLT art. 8)" in page
            shown = accord(tmp_path / "delegate-ARC", "verify", str(act))
            assert "VALID FINAL ACT" in shown and "ad referendum, confirmed" in shown
        finally:
            minister.close()
            clerk.close()
            cast.close()


def test_a_credentials_contest(tmp_path: Path) -> None:
    """A rival authority lodges credentials for Elbonia's seat: the delegation the host
    invited sits provisionally and its acts are marked; the rival's delegate joins but can
    neither read nor act; the credentials committee reports for the rival, the plenary
    approves, the chair records the seating; the rival's delegate then speaks and signs,
    and the final act says who sat for Elbonia, on what footing, act by act."""
    states = ("ARC", "BOR", "CAL", "ELB")
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        settings = procedure_2(len(states), consensus_min_ms=0, credentials_committee=("ARC",))
        cast = convene(r.url, tmp_path, states, powers=("negotiate", "adopt", "sign"),
                       procedure=settings)  # fmt: skip
        conf, chair, arc, elb = cast.conf, cast.host, cast.delegates["ARC"], cast.delegates["ELB"]
        council = Node.create(tmp_path / "council", PASSPHRASE)
        rival = Node.create(tmp_path / "rival", PASSPHRASE)
        try:
            v1 = n.version()
            acted(chair, conf, ev.TEXT, n.table(v1))
            council.create_identity()
            council_root = council.create_root("ELB").text
            council.follow(r.url, conf, cast.genesis)
            accord(tmp_path / "council", "credentials", "lodge", "--conf", conf, "--state", "ELB",
                   "--authority", "Provisional Council of Elbonia")  # fmt: skip
            rival_powers = council.issue_powers(
                "ELB", "Rana Ilic", rival.create_identity(), ["negotiate", "adopt", "sign"],
                [conf], now(),
            )  # fmt: skip
            rival.join(r.url, conf, rival_powers, cast.genesis, now())
            # Not seated: the council's delegate is given no key and may not act.
            with pytest.raises(NodeError, match=r"await the conference.s decision"):
                rival.post(conf, "We are the lawful government.", now())
            # The delegation the host invited sits provisionally (GA rule 29).
            marked = acted(elb, conf, ev.STATEMENT, n.statement(
                "interpretative", "Elbonia reads op1 as voluntary."))["seq"]  # fmt: skip

            incumbent_root = cast.ministries["ELB"].keystore.get("root:ELB").public.text
            report = accord(tmp_path / "delegate-ARC", "credentials", "report", "--conf", conf,
                            "--finding", f"ELB:{council_root[:20]}:accept",
                            "--finding", f"ELB:{incumbent_root[:20]}:reject",
                            "--text", "The committee found the council's credentials in due "
                            "form.")  # fmt: skip
            report_id = re.findall(r"credentials report (sha256:[\w-]+)", report)[0]
            # The chair may not record a seating the plenary has not approved.
            with pytest.raises(NodeError, match="not a decision on that credentials report"):
                chair.record_seating(conf, report_id, "cred-1", now())
            accord(tmp_path / "host", "decision", "open", "--conf", conf, "--id", "cred-1",
                   "--kind", "credentials", "--report", report_id[7:20])  # fmt: skip
            acted(chair, conf, ev.CLOSE, n.close("cred-1", "adopted"))
            accord(tmp_path / "host", "credentials", "seat", "--conf", conf, "--report",
                   report_id[7:20], "--decision", "cred-1")  # fmt: skip
            shown = accord(tmp_path / "delegate-BOR", "credentials", "show", "--conf", conf)
            assert (
                "ELB: Provisional Council of Elbonia" in shown and "credentials accepted" in shown
            )
            assert "ELB: Elbonia" in shown and "credentials rejected" in shown

            acted(chair, conf, ev.DECISION, n.decision("adopt-1", v1, kind="adoption"))
            acted(chair, conf, ev.CLOSE, n.close("adopt-1", "adopted"))
            with pytest.raises(NodeError, match="rejected"):
                elb.negotiate(conf, ev.SIGNATURE, n.signature(v1), now())
            for node in (arc, cast.delegates["BOR"], cast.delegates["CAL"], rival):
                acted(node, conf, ev.SIGNATURE, n.signature(v1))
            # Every seated delegation recomputes the same outcomes; the one rejected no longer
            # reads the plenary, so it sees the decision on its credentials and nothing after.
            cast.delegates["ELB"] = rival
            assert outcomes(cast) == {"cred-1": "adopted", "adopt-1": "adopted"}
            assert set(seen_by(elb, conf).decisions) == {"cred-1"}
            seen = seen_by(rival, conf)
            assert [s.text for s in seen.statements] == ["Elbonia reads op1 as voluntary."]
            assert seen.state.seating.marks[marked] == "provisional"
            assert not [f for f in seen.flags if "seating" in f.reason]

            act = tmp_path / "final-act.json"
            html = tmp_path / "final-act.html"
            accord(tmp_path / "delegate-CAL", "final-act", "--conf", conf, "--text", n.TEXT_ID,
                   "--out", str(act), "--html", str(html))  # fmt: skip
            report_ = final_act.verify(act.read_bytes())
            assert report_.ok and {s.state for s in report_.signatures} == set(states)
            page = html.read_text()
            assert ("Elbonia (Elbonia: credentials rejected; Provisional Council of Elbonia: "
                    "credentials accepted)") in page  # fmt: skip
            assert "<td>ELB (seated provisionally)</td>" in page
            assert (
                "Under rules of procedure version 2 (majorities of the members present and "
                "voting; a quorum of 3; adoption of text without brackets only; credentials "
                "committee: ARC)." in page
            )
            assert "For Elbonia:</p>\n<p>Rana Ilic" in page
            verified = accord(tmp_path / "delegate-CAL", "verify", str(act))
            assert "VALID FINAL ACT" in verified and "by ELB (seated provisionally)" in verified
        finally:
            council.close()
            elb.close()
            cast.close()


DRAFT = """Recognizing the importance of international cooperation among States in responding
to incidents affecting critical infrastructure,

Emphasizing that States should move toward common procedures, while respecting their
national authorities,

1. States shall designate a point of contact and coordinate their responses to incidents,
e.g. by sharing technical indicators among national teams.

2. States shall prioritize reports of incidents affecting at least ten per cent of a
sector, and afterwards inform the organization concerned.
"""


def test_a_restricted_draft_that_leaks(tmp_path: Path) -> None:
    """The chair circulates a working draft for informal consultations to three of four
    delegations; each opens its own copy and signs for it; Dunland, not on the list, has
    none, and the relay stores none in clear. Borduria's copy appears in the press,
    retyped: the chair's node names Borduria and the receipt its delegate signed."""
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, STATES, powers=("negotiate", "adopt", "sign"),
                       procedure=procedure_2(len(STATES), consensus_min_ms=0))  # fmt: skip
        conf = cast.conf
        try:
            draft = tmp_path / "draft.txt"
            draft.write_text(DRAFT)
            shown = accord(tmp_path / "host", "document", "circulate", "--conf", conf, "--id",
                           "np-1", "--title", "Elements for a chair's text", "--file", str(draft),
                           "--to", "ARC", "--to", "BOR", "--to", "CAL")  # fmt: skip
            assert "np-1 circulated to ARC, BOR, CAL" in shown
            copies = {}
            for code in ("ARC", "BOR", "CAL"):
                out = tmp_path / f"copy-{code}.txt"
                read = accord(tmp_path / f"delegate-{code}", "document", "read", "--conf", conf,
                              "--id", "np-1", "--out", str(out))  # fmt: skip
                assert "WORKING DRAFT FOR INFORMAL CONSULTATIONS" in read
                copies[code] = out.read_text()
            assert len(set(copies.values())) == 3  # three copies, worded apart
            with pytest.raises(NodeError, match="DUN is not on the distribution list"):
                cast.delegates["DUN"].read_document(conf, "np-1", now())
            assert b"critical infrastructure" not in (tmp_path / "relay.sqlite").read_bytes()
            listed = accord(tmp_path / "delegate-DUN", "document", "list", "--conf", conf)
            assert "np-1: by the chair" in listed and "to ARC, BOR, CAL" in listed
            assert "signed for by ARC" in listed and "CAL (#" in listed

            # The press prints Borduria's copy, retyped: marks stripped, lines rewrapped.
            retyped = " ".join(
                copies["BOR"]
                .translate({0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None})
                .split()
            )
            leaked = tmp_path / "leaked.txt"
            leaked.write_text(retyped.replace("'", "\u2019"))
            traced = accord(tmp_path / "host", "document", "trace", "--conf", conf, "--id",
                            "np-1", "--leaked", str(leaked))  # fmt: skip
            assert traced.startswith("identified")
            assert "BOR" in traced.splitlines()[0] and "signed for at #" in traced
            assert "by Boris Vlk (BOR)" in traced
            # Only the circulator holds every copy to compare.
            with pytest.raises(NodeError, match="only the circulator"):
                cast.delegates["ARC"].trace_leak(conf, "np-1", retyped)
            # Every member's record shows the same receipts.
            receipts = set()
            for node in (cast.host, *cast.delegates.values()):
                receipts.add(str(sorted(node.documents(conf)["np-1"].receipts.items())))
            assert len(receipts) == 1

            # The conference goes on to adopt its text; the final act discloses the
            # plenary's acts, never a restricted document's copies.
            v1 = n.version()
            acted(cast.host, conf, ev.TEXT, n.table(v1))
            acted(cast.host, conf, ev.DECISION, n.decision("adopt-1", v1, kind="adoption"))
            acted(cast.host, conf, ev.CLOSE, n.close("adopt-1", "adopted"))
            for node in cast.delegates.values():
                acted(node, conf, ev.SIGNATURE, n.signature(v1))
            assert outcomes(cast) == {"adopt-1": "adopted"}
            act = cast.delegates["DUN"].final_act(conf, n.TEXT_ID)
            report = final_act.verify(act)
            assert report.ok and len(report.signatures) == 4
            assert report.record is not None and report.record.state is not None
            assert report.record.state.documents["np-1"].body.distribution == ("ARC", "BOR", "CAL")
            assert b"critical infrastructure" not in act and b"Elements for a chair" not in act
        finally:
            cast.close()


def test_informal_consultations_feed_the_chairs_text(tmp_path: Path) -> None:
    """The chair appoints Calvia facilitator for operative paragraph 2; Calvia convenes an
    informal informal in a group room, where only attendance and times are recorded;
    it tables its own text on the item and reports; the chair's next version takes the
    facilitator's wording, which is adopted and signed. A like-minded group speaks
    through Arcadia, and Dunland aligns itself with it; the final act shows both."""
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, STATES, powers=("negotiate", "adopt", "sign"),
                       procedure=procedure_2(len(STATES), consensus_min_ms=0))  # fmt: skip
        conf, chair = cast.conf, cast.host
        arc, bor, cal, dun = (cast.delegates[c] for c in STATES)
        try:
            v1 = n.version()
            acted(chair, conf, ev.TEXT, n.table(v1))
            chair.open_channel(conf, "informals", "group", ["ARC", "BOR", "CAL"], now(),
                               "from_join")  # fmt: skip
            accord(tmp_path / "host", "meeting", "appoint", "--conf", conf, "--state", "CAL",
                   "--item", "cica-op2")  # fmt: skip
            accord(tmp_path / "delegate-CAL", "meeting", "open", "--conf", conf, "--id", "inf-1",
                   "--format", "informal_informal", "--channel", "informals",
                   "--item", "cica-op2")  # fmt: skip
            for code in ("ARC", "BOR", "CAL"):
                accord(tmp_path / f"delegate-{code}", "meeting", "attend", "--conf", conf,
                       "--id", "inf-1")  # fmt: skip
            with pytest.raises(NodeError, match="only attendance and times are recorded"):
                arc.post(conf, "Off the record: we could live with 'should'.", now(), "informals")
            accord(tmp_path / "delegate-CAL", "meeting", "close", "--conf", conf, "--id", "inf-1")
            shown = accord(tmp_path / "delegate-DUN", "meeting", "show", "--conf", conf)
            assert "inf-1: informal informal in informals on cica-op2" in shown
            assert shown.count("present:") == 3 and "closed at #" in shown

            # The facilitator's text on its item, and its report to the plenary.
            wording = "Each State should designate a point of contact within 60 days."
            facilitated = n.version(1, [("fac1", "operative", "1", wording)])
            facilitated["text"] = "cica-op2"
            facilitated["title"] = "Facilitator's text on operative paragraph 2"
            acted(cal, conf, ev.TEXT, n.table(facilitated))
            other = n.version(2)
            assert "is not the facilitator for cica" in without_effect(
                cal, conf, ev.TEXT, n.table(other)
            )
            acted(cal, conf, ev.STATEMENT, n.statement(
                "facilitator_report", "Informal consultations agreed the wording attached."))  # fmt: skip
            # The chair's next version takes the facilitator's wording.
            v2 = n.version(2, [p if p[0] != "op2" else ("op2", "operative", "2", wording)
                               for p in n.PARAGRAPHS])  # fmt: skip
            acted(chair, conf, ev.TEXT, n.table(v2))

            accord(tmp_path / "delegate-ARC", "group", "found", "--conf", conf, "--id",
                   "like-minded", "--name", "Like-Minded Group", "--member", "ARC",
                   "--member", "BOR")  # fmt: skip
            accord(tmp_path / "delegate-BOR", "group", "join", "--conf", conf, "--id",
                   "like-minded")  # fmt: skip
            spoken = accord(tmp_path / "delegate-ARC", "statement", "--conf", conf, "--kind",
                            "interpretative", "--text", n.TEXT_ID, "--on-behalf-of",
                            "like-minded", "The group reads paragraph 2 as voluntary.")  # fmt: skip
            entry = int(re.findall(r"entry #(\d+)", spoken)[0])
            accord(tmp_path / "delegate-DUN", "statement", "--conf", conf, "--kind", "alignment",
                   "--aligns-with", str(entry), "Dunland aligns itself with that statement.")  # fmt: skip

            acted(chair, conf, ev.DECISION, n.decision("adopt-2", v2, kind="adoption"))
            acted(chair, conf, ev.CLOSE, n.close("adopt-2", "adopted"))
            for node in (arc, bor, cal, dun):
                acted(node, conf, ev.SIGNATURE, n.signature(v2))
            assert outcomes(cast) == {"adopt-2": "adopted"}
            negotiation = seen_by(dun, conf)
            assert (
                negotiation.texts["cica-op2"]
                .history[0][1]
                .startswith("tabled by the facilitator (CAL)")
            )
            adopted = negotiation.texts[n.TEXT_ID].versions[1]
            assert adopted.paragraph("op2") is not None
            assert adopted.paragraph("op2").plain == wording  # type: ignore[union-attr]

            act = tmp_path / "final-act.json"
            html = tmp_path / "final-act.html"
            accord(tmp_path / "delegate-DUN", "final-act", "--conf", conf, "--text", n.TEXT_ID,
                   "--out", str(act), "--html", str(html))  # fmt: skip
            assert final_act.verify(act.read_bytes()).ok
            page = html.read_text()
            assert "<td>CAL</td><td>facilitator&#39;s report</td>" in page
            assert "ARC, on behalf of Like-Minded Group (ARC, BOR)" in page
            assert f"<td>DUN</td><td>alignment with the statement of entry #{entry}</td>" in page
            # Nothing said in the informal informal is anywhere in the record.
            assert b"live with" not in (tmp_path / "relay.sqlite").read_bytes()
        finally:
            cast.close()
