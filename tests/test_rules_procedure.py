"""Rules of procedure version 2 (docs/protocol.md 12.4), one test per rule at its boundary.

Each conference here is convened under version 2 with the UN General Assembly's defaults
(`procedure_2`) unless a test says otherwise; what version 1 still does is in
test_rules_negotiation.py, which these rules leave unchanged.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.errors import SchemaError
from accord.core.genesis import PROCEDURE_1, Procedure, Rules, procedure_2
from accord.core.negotiation import Negotiation
from accord.core.proceedings import Outcome, Reopening, Statement, Subject
from accord.core.texts import Version
from tests import negotiating as n
from tests.builders import World
from tests.test_rules_negotiation import act, reason, refused, took_effect

STATES = ("ARC", "BOR", "CAL", "DUN", "ELB", "FRE")
MINUTE = 60_000
V1 = n.version()
V1_HASH = Version.parse(V1).hash


def bracketed(number: int = 1) -> dict[str, Any]:
    """The test text with `op1` still bracketed: "[shall][should]"."""
    v = copy.deepcopy(n.version(number))
    v["paragraphs"][1]["segments"] = [
        "Each State ",
        {"alternatives": ["shall", "should"]},
        " designate a point of contact.",
    ]
    return v


def convene(
    procedure: Procedure | None = None, text: dict[str, Any] = V1, rule: str = "consensus"
) -> tuple[World, dict[str, Author]]:
    """Six member states, the text tabled, under procedure 2 (quorum 4) by default."""
    world = World(
        states=STATES, procedure=procedure or procedure_2(len(STATES)), decision_rule=rule
    )
    delegates = {code: world.join(code, f"Delegate {code}") for code in STATES}
    world.act(world.chair, ev.TEXT, n.table(text))
    return world, delegates


def vote_on(world: World, delegates: dict[str, Author], answers: dict[str, str],
            decision: dict[str, Any]) -> Negotiation:  # fmt: skip
    """Open `decision` by vote, cast `answers`, close it; the negotiation."""
    act(world, world.chair, ev.DECISION, decision)
    for state, answer in answers.items():
        took_effect(
            world, act(world, delegates[state], ev.VOTE, n.vote(decision["decision"], answer))
        )
    act(world, world.chair, ev.CLOSE, n.close(decision["decision"], "adopted"))
    return world.negotiation()


def outcome(negotiation: Negotiation, decision_id: str) -> Outcome:
    return negotiation.decisions[decision_id].outcome(negotiation.last_time)


# -- the setting itself ----------------------------------------------------------------------


def test_version_1_rules_have_no_procedure_field_and_read_back_as_version_1() -> None:
    rules = World().genesis["rules"]
    assert "procedure" not in rules
    assert Rules.parse(rules).procedure is PROCEDURE_1


def test_version_2_follows_the_general_assemblys_rules_by_default() -> None:
    p = procedure_2(6)
    assert (p.version, p.majority, p.quorum) == (2, "present_and_voting", 4)  # rules 86, 67
    assert not p.sponsor_explains  # rule 88
    assert p.clean_text and not p.package
    assert procedure_2(7).quorum == 4 and procedure_2(1).quorum == 1
    assert Procedure.parse(p.to_json()) == p


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("version", 3, "version 3"),
        ("version", True, "version True"),
        ("majority", "most", "majority basis"),
        ("quorum", -1, "quorum"),
        ("clean_text", 1, "clean_text must be true or false"),
        ("package", "no", "package must be true or false"),
        ("sponsor_explains", None, "sponsor_explains must be true or false"),
    ],
)
def test_a_procedure_with_a_bad_setting_is_refused(field: str, value: Any, words: str) -> None:
    raw = procedure_2(6).to_json() | {field: value}
    with pytest.raises(SchemaError, match=words):
        Procedure.parse(raw)


# -- subjects ---------------------------------------------------------------------------------


def test_a_version_accepted_as_the_basis_for_negotiation_is_not_adopted_nor_signable() -> None:
    world, d = convene(procedure_2(6, consensus_min_ms=0))
    act(world, world.chair, ev.DECISION, n.decision("basis", V1, kind="basis"))
    act(world, world.chair, ev.CLOSE, n.close("basis", "adopted"))
    negotiation = world.negotiation()
    assert outcome(negotiation, "basis") == Outcome.ADOPTED
    assert "as the basis for negotiation" in negotiation.decisions["basis"].subject.label()
    assert negotiation.adopted(V1_HASH) is None
    refused(world, act(world, d["ARC"], ev.SIGNATURE, n.signature(V1)), "has not been adopted")


def test_the_basis_for_negotiation_is_a_whole_version() -> None:
    world, _ = convene()
    seq = act(world, world.chair, ev.DECISION, n.decision("b", V1, kind="basis", paragraph="op1"))
    refused(world, seq, "as a whole")


def test_a_version_with_brackets_is_not_adopted_but_its_clean_paragraphs_may_be() -> None:
    world, _ = convene(text=bracketed())
    whole = act(world, world.chair, ev.DECISION, n.decision("d1", bracketed(), kind="adoption"))
    refused(world, whole, "still holds bracketed text (paragraphs 1)")
    op1 = act(world, world.chair, ev.DECISION,
              n.decision("d2", bracketed(), kind="adoption", paragraph="op1"))  # fmt: skip
    refused(world, op1, "only agreed text is adopted")
    op2 = act(world, world.chair, ev.DECISION,
              n.decision("d3", bracketed(), kind="adoption", paragraph="op2"))  # fmt: skip
    took_effect(world, op2)
    # Accepting it as the basis for negotiation needs no clean text.
    took_effect(
        world, act(world, world.chair, ev.DECISION, n.decision("d4", bracketed(), kind="basis"))
    )


def test_without_the_clean_text_rule_a_bracketed_version_may_be_adopted() -> None:
    world, _ = convene(procedure_2(6, clean_text=False), text=bracketed())
    took_effect(
        world, act(world, world.chair, ev.DECISION, n.decision("d", bracketed(), kind="adoption"))
    )


def test_no_decision_is_taken_on_a_version_adopted_as_a_whole() -> None:
    world, _ = convene(procedure_2(6, consensus_min_ms=0))
    act(world, world.chair, ev.DECISION, n.decision("d1", V1, kind="adoption"))
    act(world, world.chair, ev.CLOSE, n.close("d1", "adopted"))
    for decision_id, kind, paragraph in (("d2", "adoption", None), ("d3", "basis", None),
                                         ("d4", "adoption", "op2")):  # fmt: skip
        seq = act(world, world.chair, ev.DECISION,
                  n.decision(decision_id, V1, kind=kind, paragraph=paragraph))  # fmt: skip
        refused(world, seq, "was adopted as a whole by decision d1")


def test_a_version_not_adopted_may_be_decided_on_again() -> None:
    world, d = convene(procedure_2(6, consensus_min_ms=0))
    act(world, world.chair, ev.DECISION, n.decision("d1", V1, kind="adoption"))
    act(world, d["BOR"], ev.OBJECTION, n.objection("d1"))
    act(world, world.chair, ev.CLOSE, n.close("d1", "not_adopted"))
    took_effect(
        world, act(world, world.chair, ev.DECISION, n.decision("d2", V1, "vote", kind="adoption"))
    )


def test_a_subject_needs_a_known_kind() -> None:
    world, _ = convene()
    seq = act(world, world.chair, ev.DECISION, n.decision("d", V1, kind="approval"))
    refused(
        world, seq, "subject kind must be one of adoption, basis, credentials, motion, proposal"
    )
    old_form = act(world, world.chair, ev.DECISION, n.decision("e", V1))
    refused(world, old_form, "lacks field 'kind'")


def _deletion(world: World, d: dict[str, Author]) -> str:
    """Borduria moves to delete op3; the proposal's id."""
    seq = act(world, d["BOR"], ev.AMEND, n.amend("op3", "delete_paragraph"))
    return world.event_at(seq).hash


def test_yes_is_for_the_motion_and_an_adopted_deletion_must_be_incorporated() -> None:
    world, d = convene()
    pid = _deletion(world, d)
    answers = {"ARC": "yes", "BOR": "yes", "CAL": "yes", "DUN": "no"}
    negotiation = vote_on(
        world, d, answers, n.decision("del", V1, "vote", kind="proposal", proposal=pid)
    )
    assert outcome(negotiation, "del") == Outcome.ADOPTED  # three for deleting, one against
    proposal = negotiation.proposals[pid]
    assert (proposal.decided, proposal.open) == ("adopted", False)
    assert "adopted by decision" in negotiation.render(n.TEXT_ID)
    refused(world, act(world, d["DUN"], ev.STANCE, n.stance(pid, "oppose")), "no longer open")
    without = n.version(2, [p for p in n.PARAGRAPHS if p[0] != "op3"])
    refused(world, act(world, world.chair, ev.TEXT, n.table(without)),
            "adopted by decision")  # fmt: skip
    refused(world, act(world, world.chair, ev.TEXT, n.table(without, [(pid, "dropped")])),
            "it is incorporated")  # fmt: skip
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(without, [(pid, "incorporated")])))


def test_a_rejected_proposal_is_closed_and_leaves_the_text() -> None:
    world, d = convene()
    pid = _deletion(world, d)
    answers = {"ARC": "no", "BOR": "yes", "CAL": "no", "DUN": "no"}
    negotiation = vote_on(
        world, d, answers, n.decision("del", V1, "vote", kind="proposal", proposal=pid)
    )
    assert outcome(negotiation, "del") == Outcome.NOT_ADOPTED
    assert negotiation.proposals[pid].decided == "rejected"
    assert "DELETE" not in negotiation.render(n.TEXT_ID)
    v2 = n.version(2)
    refused(
        world, act(world, world.chair, ev.TEXT, n.table(v2, [(pid, "dropped")])), "no longer open"
    )
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(v2)))


def test_a_decision_on_a_proposal_names_an_open_one() -> None:
    world, d = convene()
    unknown = act(world, world.chair, ev.DECISION,
                  n.decision("x", V1, "vote", kind="proposal", proposal="sha256:" + "A" * 43))  # fmt: skip
    refused(world, unknown, "no such proposal")
    pid = _deletion(world, d)
    act(world, d["BOR"], ev.STANCE, n.stance(pid, "withdraw"))
    withdrawn = act(
        world, world.chair, ev.DECISION, n.decision("y", V1, "vote", kind="proposal", proposal=pid)
    )
    refused(world, withdrawn, "no longer open")


def test_a_proposal_decided_by_consensus_is_adopted_when_the_chair_closes() -> None:
    world, d = convene(procedure_2(6, consensus_min_ms=0))
    pid = _deletion(world, d)
    act(world, world.chair, ev.DECISION, n.decision("c", V1, kind="proposal", proposal=pid))
    assert world.negotiation().proposals[pid].decided is None  # not before the close
    act(world, world.chair, ev.CLOSE, n.close("c", "adopted"))
    assert world.negotiation().proposals[pid].decided == "adopted"


# -- majorities, quorum, roll-call -------------------------------------------------------------


def test_without_a_quorum_nothing_is_adopted() -> None:
    world, d = convene()
    negotiation = vote_on(world, d, {"ARC": "yes", "BOR": "present", "CAL": "abstain"},
                          n.decision("v", V1, "vote", kind="adoption"))  # fmt: skip
    decision = negotiation.decisions["v"]
    assert not decision.quorum_met  # 3 present of the 4 needed
    assert outcome(negotiation, "v") == Outcome.NOT_ADOPTED
    assert reason(negotiation, decision.closed_seq or 0) is not None  # the chair's claim


def test_with_a_quorum_present_and_voting_counts_yes_against_no() -> None:
    world, d = convene()
    answers = {"ARC": "yes", "BOR": "present", "CAL": "abstain", "DUN": "abstain"}
    negotiation = vote_on(world, d, answers, n.decision("v", V1, "vote", kind="adoption"))
    assert negotiation.decisions["v"].quorum_met
    assert outcome(negotiation, "v") == Outcome.ADOPTED  # one yes, no no: rule 86


@pytest.mark.parametrize(
    ("majority", "rule", "answers", "adopted"),
    [
        # Of members present: abstentions and "present" count in the denominator.
        ("present", "simple_majority", "yyyaa", True),  # 3 of 5
        ("present", "simple_majority", "yyaap", False),  # 2 of 5
        ("present", "two_thirds_majority", "yyyyan", True),  # 4 of 6
        ("present", "two_thirds_majority", "yyyaan", False),  # 3 of 6
        # Of all members (six), whoever is present.
        ("all_members", "simple_majority", "yyyy", True),  # 4 of 6
        ("all_members", "simple_majority", "yyy", False),  # 3 of 6: not more than half
        ("all_members", "two_thirds_majority", "yyyy", True),  # 4 of 6
        ("all_members", "two_thirds_majority", "yyyn", False),
        # Of members present and voting: yes against no only.
        ("present_and_voting", "two_thirds_majority", "yynaaa", True),  # 2 of 3
        ("present_and_voting", "two_thirds_majority", "ynaaaa", False),
    ],
)
def test_each_majority_counts_among_its_own_members(
    majority: str, rule: str, answers: str, adopted: bool
) -> None:
    world, d = convene(procedure_2(6, majority=majority, quorum=3), rule="simple_majority")
    words = {"y": "yes", "n": "no", "a": "abstain", "p": "present"}
    cast = {state: words[a] for state, a in zip(STATES, answers, strict=False)}
    negotiation = vote_on(world, d, cast, n.decision("v", V1, "vote", rule=rule, kind="adoption"))
    assert (outcome(negotiation, "v") == Outcome.ADOPTED) is adopted


def test_the_roll_call_shows_every_member_state_present_or_absent() -> None:
    world, d = convene()
    answers = {"ARC": "yes", "BOR": "no", "CAL": "abstain", "DUN": "present"}
    negotiation = vote_on(world, d, answers, n.decision("v", V1, "vote", kind="adoption"))
    assert negotiation.decisions["v"].roll_call() == [
        ("ARC", "yes"), ("BOR", "no"), ("CAL", "abstain"), ("DUN", "present"),
        ("ELB", "absent"), ("FRE", "absent"),
    ]  # fmt: skip


def test_present_is_an_answer_only_under_version_2() -> None:
    world = World(states=("ARC", "BOR"))
    a = world.join("ARC", "Ana")
    world.act(world.chair, ev.TEXT, n.table(V1))
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    refused(
        world,
        act(world, a, ev.VOTE, n.vote("v", "present")),
        "vote must be one of abstain, no, yes",
    )


# -- consensus -----------------------------------------------------------------------------------


def test_a_consensus_stays_open_its_minimum_time() -> None:
    world, _ = convene(procedure_2(6, consensus_min_ms=15 * MINUTE))
    act(world, world.chair, ev.DECISION, n.decision("c", V1, kind="adoption"))
    opened = world.clock
    world.tick(15 * MINUTE - 2_000)  # the close is received one second before the minimum
    refused(world, act(world, world.chair, ev.CLOSE, n.close("c", "adopted")), "at least 15 min")
    assert world.clock == opened + 15 * MINUTE - 1_000
    world.tick(0)
    took_effect(world, act(world, world.chair, ev.CLOSE, n.close("c", "adopted")))  # at 15 min


def test_a_request_for_a_vote_means_there_is_no_consensus() -> None:
    world, d = convene(procedure_2(6, consensus_min_ms=0))
    act(world, world.chair, ev.DECISION, n.decision("c", V1, kind="adoption"))
    took_effect(
        world,
        act(world, d["CAL"], ev.OBJECTION, n.objection("c", "vote", "We request a recorded vote.")),
    )
    act(world, world.chair, ev.CLOSE, n.close("c", "not_adopted"))
    negotiation = world.negotiation()
    assert outcome(negotiation, "c") == Outcome.NOT_ADOPTED
    assert negotiation.decisions["c"].objections[0].kind == "vote"


def test_a_silence_is_not_broken_by_a_request_for_a_vote() -> None:
    world, d = convene()
    deadline = world.clock + 4 * 86_400_000
    act(world, world.chair, ev.DECISION,
        n.decision("s", V1, "silence", deadline=deadline, time_zone="UTC", kind="adoption"))  # fmt: skip
    refused(
        world,
        act(world, d["CAL"], ev.OBJECTION, n.objection("s", "vote")),
        "objection or an amendment",
    )


def test_version_1_knows_no_request_for_a_vote() -> None:
    world = World(states=("ARC", "BOR"))
    a = world.join("ARC", "Ana")
    world.act(world.chair, ev.TEXT, n.table(V1))
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    refused(
        world,
        act(world, a, ev.OBJECTION, n.objection("c", "vote")),
        "kind must be one of amendment, objection",
    )


# -- explanations and statements -----------------------------------------------------------------


def test_explanations_are_marked_before_or_after_the_decision() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote", kind="adoption"))
    act(world, d["ARC"], ev.VOTE, n.vote("v", "yes", "We vote for the text as a whole."))
    before = act(world, d["BOR"], ev.STATEMENT,
                 n.statement("explanation_of_vote", "Before.", decision_id="v"))  # fmt: skip
    for state in ("CAL", "DUN"):
        act(world, d[state], ev.VOTE, n.vote("v", "yes"))
    act(world, world.chair, ev.CLOSE, n.close("v", "adopted"))
    after = act(world, d["ELB"], ev.STATEMENT,
                n.statement("explanation_of_vote", "After.", decision_id="v", paragraph="op2"))  # fmt: skip
    statements = {s.seq: s for s in took_effect(world, after).statements}
    assert [s.timing for s in statements.values()] == ["before", "before", "after"]
    assert statements[before].paragraph is None
    assert (statements[after].paragraph, statements[after].text_id) == ("op2", n.TEXT_ID)
    assert statements[after].subject.endswith(", paragraph 2")


def test_a_statement_names_a_paragraph_of_the_decisions_version() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote", kind="adoption"))
    seq = act(world, d["ARC"], ev.STATEMENT,
              n.statement("reservation", "No.", decision_id="v", paragraph="op9"))  # fmt: skip
    refused(world, seq, "has no such paragraph")


def test_the_sponsor_does_not_explain_its_vote_on_its_own_proposal() -> None:
    world, d = convene()
    pid = _deletion(world, d)
    act(
        world,
        world.chair,
        ev.DECISION,
        n.decision("del", V1, "vote", kind="proposal", proposal=pid),
    )
    refused(
        world,
        act(world, d["BOR"], ev.VOTE, n.vote("del", "yes", "Ours.")),
        "its sponsor does not explain",
    )
    statement = n.statement("explanation_of_vote", "Ours.", decision_id="del")
    refused(world, act(world, d["BOR"], ev.STATEMENT, statement), "its sponsor does not explain")
    took_effect(world, act(world, d["BOR"], ev.VOTE, n.vote("del", "yes")))
    took_effect(world, act(world, d["ARC"], ev.VOTE, n.vote("del", "no", "Op3 is needed.")))


def test_where_the_rules_allow_it_the_sponsor_explains_its_vote() -> None:
    world, d = convene(procedure_2(6, sponsor_explains=True))
    pid = _deletion(world, d)
    act(
        world,
        world.chair,
        ev.DECISION,
        n.decision("del", V1, "vote", kind="proposal", proposal=pid),
    )
    took_effect(world, act(world, d["BOR"], ev.VOTE, n.vote("del", "yes", "Ours.")))


# -- ad referendum, reopening, the package ----------------------------------------------------


def test_only_a_paragraph_without_brackets_is_agreed_ad_ref() -> None:
    world, _ = convene(text=bracketed())
    refused(world, act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref")),
            "paragraph 1 still holds brackets")  # fmt: skip
    took_effect(
        world, act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    )


def test_a_reopened_paragraph_shows_who_reopened_it_and_why_until_agreed_again() -> None:
    world, d = convene()
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    seq = act(world, d["CAL"], ev.PARAGRAPH_STATUS,
              n.status("op2", "open", reason="Capital disagrees."))  # fmt: skip
    reopened = world.negotiation().texts[n.TEXT_ID].reopened
    assert reopened == {"op2": Reopening(seq, "CAL", "Capital disagrees.")}
    text = world.negotiation().render(n.TEXT_ID)
    assert "2. A State shall notify" in text and "(reopened by CAL: Capital disagrees.)" in text
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    assert "reopened" not in world.negotiation().render(n.TEXT_ID)


def test_under_the_package_rule_ad_ref_marks_are_provisional_until_the_whole_is_adopted() -> None:
    world, _ = convene(procedure_2(6, package=True, consensus_min_ms=0))
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    provisional = "provisional: nothing is agreed until everything is agreed"
    assert provisional in world.negotiation().render(n.TEXT_ID)
    act(world, world.chair, ev.DECISION, n.decision("d", V1, kind="adoption"))
    act(world, world.chair, ev.CLOSE, n.close("d", "adopted"))
    assert provisional not in world.negotiation().render(n.TEXT_ID)


def test_without_the_package_rule_an_ad_ref_mark_carries_no_proviso() -> None:
    world, _ = convene()
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    assert "provisional" not in world.negotiation().render(n.TEXT_ID)


# -- procedural motions --------------------------------------------------------------------------


def _motion(world: World, author: Author, kind: str) -> str:
    seq = act(world, author, ev.MOTION, {"motion": kind, "text": n.TEXT_ID, "reason": "Time."})
    took_effect(world, seq)
    return world.event_at(seq).hash


def _carry(world: World, d: dict[str, Author], motion: str, answers: str = "yyyy") -> None:
    words = {"y": "yes", "n": "no"}
    cast = {state: words[a] for state, a in zip(STATES, answers, strict=False)}
    vote_on(
        world,
        d,
        cast,
        n.decision("on-motion", V1, "vote", kind="motion")
        | {"subject": {"kind": "motion", "motion": motion}},
    )


def test_closure_of_debate_adopted_ends_amendments_until_the_next_version() -> None:
    world, d = convene()
    motion = _motion(world, d["ARC"], "closure_of_debate")
    made = act(world, d["BOR"], ev.AMEND, n.amend("op1", "delete_paragraph"))
    took_effect(world, made)
    _carry(world, d, motion)
    assert world.negotiation().motions[motion].decided == "adopted"
    refused(world, act(world, d["CAL"], ev.AMEND, n.amend("op2", "delete_paragraph")),
            "the debate on cica is closed (ARC's motion for closure of debate on cica, "
            "adopted): no further amendment to this version")  # fmt: skip
    act(
        world, world.chair, ev.TEXT, n.table(n.version(2), [(world.event_at(made).hash, "dropped")])
    )
    took_effect(
        world, act(world, d["CAL"], ev.AMEND, n.amend("op2", "delete_paragraph", version=2))
    )


def test_adjournment_of_debate_adopted_holds_decisions_until_the_next_version() -> None:
    world, d = convene()
    motion = _motion(world, d["DUN"], "adjournment_of_debate")
    _carry(world, d, motion)
    held = act(world, world.chair, ev.DECISION, n.decision("d", V1, kind="adoption"))
    refused(world, held, "the debate on cica is adjourned")
    pid = world.event_at(act(world, d["BOR"], ev.AMEND, n.amend("op3", "delete_paragraph"))).hash
    on_proposal = n.decision("p", V1, "vote", kind="proposal", proposal=pid)
    refused(
        world, act(world, world.chair, ev.DECISION, on_proposal), "the debate on cica is adjourned"
    )
    act(world, world.chair, ev.TEXT, n.table(n.version(2), [(pid, "dropped")]))
    took_effect(
        world, act(world, world.chair, ev.DECISION, n.decision("e", n.version(2), kind="adoption"))
    )


def test_a_motion_rejected_changes_nothing_and_cannot_be_decided_again() -> None:
    world, d = convene()
    motion = _motion(world, d["ARC"], "closure_of_debate")
    _carry(world, d, motion, "nnnn")
    assert world.negotiation().motions[motion].decided == "rejected"
    took_effect(world, act(world, d["CAL"], ev.AMEND, n.amend("op2", "delete_paragraph")))
    again = act(
        world,
        world.chair,
        ev.DECISION,
        n.decision("x", V1, "vote", kind="motion")
        | {"subject": {"kind": "motion", "motion": motion}},
    )
    refused(world, again, "no longer open")


def test_motions_are_moved_by_delegations_under_version_2_only() -> None:
    world, _ = convene()
    chair = act(world, world.chair, ev.MOTION, {"motion": "closure_of_debate", "text": n.TEXT_ID,
                                                "reason": "Time."})  # fmt: skip
    refused(world, chair, "the chair puts motions to the body")
    unknown = act(world, world.chair, ev.MOTION, {"motion": "recess", "text": n.TEXT_ID,
                                                  "reason": "Lunch."})  # fmt: skip
    refused(world, unknown, "motion must be one of adjournment_of_debate, closure_of_debate, "
            "division")  # fmt: skip
    old = World(states=("ARC", "BOR"))
    a = old.join("ARC", "Ana")
    old.act(old.chair, ev.TEXT, n.table(V1))
    seq = act(old, a, ev.MOTION, {"motion": "closure_of_debate", "text": n.TEXT_ID, "reason": "x"})
    refused(old, seq, "under rules of procedure version 2")


def _division(world: World, author: Author, parts: list[str] | None) -> int:
    content = {"motion": "division", "text": n.TEXT_ID, "reason": "Vote op3 apart."}
    return act(world, author, ev.MOTION, content | ({"parts": parts} if parts is not None else {}))


def test_a_division_names_paragraphs_of_the_current_version() -> None:
    world, d = convene()
    refused(world, _division(world, d["ARC"], None), "parts must be a non-empty list")
    refused(world, _division(world, d["ARC"], ["op9"]), "has no paragraph op9")
    closure = act(world, d["ARC"], ev.MOTION, {"motion": "closure_of_debate", "text": n.TEXT_ID,
                                               "reason": "x", "parts": ["op1"]})  # fmt: skip
    refused(world, closure, "a motion for closure of debate names no parts")


def test_after_a_division_each_part_is_decided_before_the_whole() -> None:
    world, d = convene()
    motion = world.event_at(_division(world, d["CAL"], ["op3"])).hash
    _carry(world, d, motion)
    whole = act(world, world.chair, ev.DECISION, n.decision("whole", V1, kind="adoption"))
    refused(world, whole, "paragraph 3 is decided separately before the version as a whole")
    vote_on(world, d, {"ARC": "yes", "BOR": "yes", "CAL": "no", "DUN": "no"},
            n.decision("op3-apart", V1, "vote", paragraph="op3", kind="adoption"))  # fmt: skip
    rejected = act(world, world.chair, ev.DECISION, n.decision("whole2", V1, kind="adoption"))
    refused(world, rejected, "paragraph 3 was rejected when decided separately (GA rule 89)")
    # The chair issues a version without it; the division held only for version 1.
    v2 = n.version(2, [p for p in n.PARAGRAPHS if p[0] != "op3"])
    act(world, world.chair, ev.TEXT, n.table(v2))
    took_effect(world, act(world, world.chair, ev.DECISION,
                           n.decision("whole3", v2, kind="adoption")))  # fmt: skip


def test_a_part_adopted_separately_lets_the_whole_be_decided() -> None:
    world, d = convene()
    motion = world.event_at(_division(world, d["CAL"], ["op3"])).hash
    _carry(world, d, motion)
    vote_on(world, d, {"ARC": "yes", "BOR": "yes", "CAL": "yes", "DUN": "no"},
            n.decision("op3-apart", V1, "vote", paragraph="op3", kind="adoption"))  # fmt: skip
    took_effect(world, act(world, world.chair, ev.DECISION,
                           n.decision("whole", V1, kind="adoption")))  # fmt: skip


# -- treaty acts ----------------------------------------------------------------------------------


def test_a_signature_without_full_powers_to_sign_stands_pending_confirmation() -> None:
    # VCLT art. 8: without legal effect unless afterwards confirmed by the state.
    from accord.core.credentials import confirm

    world = World(states=("ARC", "BOR"), procedure=procedure_2(2, consensus_min_ms=0))
    ana = world.join("ARC", "Ana", ["negotiate", "adopt"])  # no power to sign
    world.act(world.chair, ev.TEXT, n.table(V1))
    act(world, world.chair, ev.DECISION, n.decision("d", V1, kind="adoption"))
    act(world, world.chair, ev.CLOSE, n.close("d", "adopted"))
    seq = act(world, ana, ev.SIGNATURE, n.signature(V1))  # the relay admits it
    [signature] = took_effect(world, seq).signatures
    assert (signature.unauthorised, signature.pending) == (True, True)
    confirmation = confirm(world.roots["ARC"], state="ARC", signature=signature.id,
                           confirmed_at=world.clock)  # fmt: skip
    took_effect(world, act(world, ana, ev.CONFIRMATION, {"confirmation": confirmation}))
    [confirmed] = world.negotiation().signatures
    assert not confirmed.pending


def test_under_version_1_a_signature_needs_full_powers_to_sign() -> None:
    from accord.core.errors import Violation

    world = World(states=("ARC", "BOR"))
    ana = world.join("ARC", "Ana", ["negotiate", "adopt"])
    world.act(world.chair, ev.TEXT, n.table(V1))
    with pytest.raises(Violation) as refused_by_the_relay:
        world.act(ana, ev.SIGNATURE, n.signature(V1))
    assert refused_by_the_relay.value.code == "power_missing"


def test_a_motion_records_who_moved_it_on_which_version_and_why() -> None:
    world, d = convene()
    seq = act(world, d["ARC"], ev.MOTION,
              {"motion": "closure_of_debate", "text": n.TEXT_ID, "reason": "Time is short."})  # fmt: skip
    [motion] = took_effect(world, seq).motions.values()
    assert (motion.id, motion.seq, motion.state, motion.kind) == (
        world.event_at(seq).hash, seq, "ARC", "closure_of_debate",
    )  # fmt: skip
    assert (motion.text_id, motion.version, motion.reason, motion.decided) == (
        n.TEXT_ID, 1, "Time is short.", None,
    )  # fmt: skip
    bad_text = act(world, d["ARC"], ev.MOTION,
                   {"motion": "closure_of_debate", "text": "Not An Id", "reason": "x"})  # fmt: skip
    refused(world, bad_text, "text id 'Not An Id' is not of the allowed form")
    long = act(world, d["ARC"], ev.MOTION,
               {"motion": "closure_of_debate", "text": n.TEXT_ID, "reason": "x" * 2001})  # fmt: skip
    refused(world, long, "reason is longer than 2000 characters")


def test_a_statement_on_a_decision_names_a_paragraph_of_the_version_decided_on() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote", kind="adoption"))
    # Version 2 drops op3; a statement on decision v may still name op3 of version 1.
    act(
        world,
        world.chair,
        ev.TEXT,
        n.table(n.version(2, [p for p in n.PARAGRAPHS if p[0] != "op3"])),
    )
    seq = act(world, d["BOR"], ev.STATEMENT,
              n.statement("reservation", "On review.", decision_id="v", paragraph="op3"))  # fmt: skip
    [statement] = took_effect(world, seq).statements
    assert statement == Statement(
        seq, "BOR", "reservation", "decision v on cica version 1, paragraph 3", "On review.",
        "v", n.TEXT_ID, "op3", "before",
    )  # fmt: skip


def test_a_statement_after_a_silence_ended_is_after_even_before_the_close() -> None:
    world, d = convene()
    deadline = world.clock + 2 * 86_400_000
    act(world, world.chair, ev.DECISION,
        n.decision("s", V1, "silence", deadline=deadline, time_zone="UTC", kind="adoption"))  # fmt: skip
    before = act(world, d["ARC"], ev.STATEMENT,
                 n.statement("interpretative", "Early.", decision_id="s"))  # fmt: skip
    world.tick(3 * 86_400_000)
    after = act(world, d["ARC"], ev.STATEMENT,
                n.statement("interpretative", "Late.", decision_id="s"))  # fmt: skip
    timing = {s.seq: s.timing for s in took_effect(world, after).statements}
    assert timing == {before: "before", after: "after"}


def test_an_observers_statement_is_marked_as_its_contribution() -> None:
    for procedure in (PROCEDURE_1, procedure_2(2)):
        world = World(states=("ARC", "BOR"), observers=("EU",), procedure=procedure)
        ana, eu = world.join("ARC", "Ana"), world.join("EU", "Observer", ["negotiate"])
        world.act(world.chair, ev.TEXT, n.table(V1))
        member = act(world, ana, ev.STATEMENT, n.statement("interpretative", "Ours."))
        observer = act(world, eu, ev.STATEMENT, n.statement("interpretative", "The EU's."))
        marks = {s.seq: s.observer for s in took_effect(world, observer).statements}
        assert marks == {member: False, observer: True}


def test_a_decision_on_a_proposal_or_motion_names_it_and_its_version() -> None:
    world, d = convene()
    act(world, world.chair, ev.TEXT, n.table(n.version(2)))
    v2 = n.version(2)
    seq = act(world, d["BOR"], ev.AMEND, n.amend("op3", "delete_paragraph", version=2))
    pid = world.event_at(seq).hash
    motion = _motion(world, d["ARC"], "adjournment_of_debate")
    act(world, world.chair, ev.DECISION, n.decision("p", v2, "vote", kind="proposal", proposal=pid))
    act(world, world.chair, ev.DECISION, n.decision("m", v2, "vote") | {
        "subject": {"kind": "motion", "motion": motion}})  # fmt: skip
    decisions = world.negotiation().decisions
    hash_2 = Version.parse(v2).hash
    assert decisions["p"].subject == Subject(n.TEXT_ID, 2, hash_2, "op3", "proposal", pid)
    assert decisions["p"].subject.label() == f"the proposal {pid} on cica version 2, paragraph op3"
    assert decisions["m"].subject == Subject(n.TEXT_ID, 2, hash_2, None, "motion", motion)
    assert decisions["m"].subject.label() == f"the motion {motion} on cica version 2"


@pytest.mark.parametrize(
    ("subject", "words"),
    [
        ({"kind": "motion", "motion": "sha256:" + "A" * 43}, "no such motion"),
        ({"kind": "motion", "motion": ["a list"]}, "no such motion"),
        ({"kind": "proposal", "proposal": ["a list"]}, "no such proposal"),
        ({"kind": "adoption", "text": "Not An Id", "version": 1, "hash": V1_HASH,
          "paragraph": None}, "text id 'Not An Id' is not of the allowed form"),
        ({"kind": "adoption", "text": n.TEXT_ID, "version": 0, "hash": V1_HASH,
          "paragraph": None}, "version must be at least 1"),
        ({"kind": "adoption", "text": n.TEXT_ID, "version": 1, "hash": "x" * 65,
          "paragraph": None}, "version hash is longer than 64 characters"),
    ],
)  # fmt: skip
def test_a_subject_that_names_nothing_decidable_is_refused(
    subject: dict[str, Any], words: str
) -> None:
    world, _ = convene()
    seq = act(world, world.chair, ev.DECISION, n.decision("d", V1) | {"subject": subject})
    refused(world, seq, words)


def test_under_consensus_only_an_objection_or_a_request_for_a_vote_blocks() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1, kind="adoption"))
    seq = act(world, d["ARC"], ev.OBJECTION, n.objection("c", "amendment"))
    refused(world, seq, "under consensus, only a formal objection or a request for a vote blocks")


def test_under_version_1_an_explanation_with_a_vote_carries_no_timing() -> None:
    world = World(states=("ARC", "BOR"), decision_rule="simple_majority")
    a = world.join("ARC", "Ana")
    world.act(world.chair, ev.TEXT, n.table(V1))
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    seq = act(world, a, ev.VOTE, n.vote("v", "yes", "Because."))
    [statement] = took_effect(world, seq).statements
    assert (statement.kind, statement.timing) == ("explanation_of_vote", None)


def test_notes_are_shown_on_the_current_version_only_and_only_where_due() -> None:
    world, _ = convene(procedure_2(6, package=True))
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "open"))  # no reason needed
    lines = world.negotiation().render(n.TEXT_ID).splitlines()
    assert lines[3] == ("1. Each State shall designate a point of contact for ICT incidents."
                        "  (agreed ad ref)  (provisional: nothing is agreed until everything "
                        "is agreed)")  # fmt: skip
    assert lines[4].endswith("significant incident.  (reopened by the chair)")
    assert lines[5] == "3. States shall review this arrangement every two years."
    assert world.negotiation().compiled(n.TEXT_ID)[3].note == ""
    act(world, world.chair, ev.TEXT, n.table(n.version(2)))  # the same words: marks stay
    negotiation = world.negotiation()
    assert "(reopened by the chair)" in negotiation.render(n.TEXT_ID)
    earlier = negotiation.render(n.TEXT_ID, 1)
    assert "reopened" not in earlier and "provisional" not in earlier
