"""The negotiation as every member recomputes it: drafting with brackets and attributions,
revisions and ad ref marks, and the decision procedures with their edge cases."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core import events as ev
from accord.core.author import Author
from accord.core.errors import Violation
from accord.core.texts import Version, diff_versions
from tests import negotiating as n
from tests.builders import DAY, SECOND, World


def convene(observers: tuple[str, ...] = ()) -> tuple[World, dict[str, Author]]:
    world = World(states=("ARC", "BOR", "CAL", "DUN"), observers=observers)
    delegates = {
        "ARC": world.join("ARC", "Ana"),
        "BOR": world.join("BOR", "Boris"),
        "CAL": world.join("CAL", "Carla", ["negotiate"]),  # cannot adopt
        "DUN": world.join("DUN", "Dara"),
    }
    return world, delegates


def proposal_id(receipt: dict[str, Any]) -> str:
    return str(receipt["event"])


def test_a_first_reading_compiles_to_attributed_brackets() -> None:
    world, d = convene()
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    p72 = proposal_id(
        world.act(
            d["ARC"],
            ev.AMEND,
            n.amend("op2", "insert_words", old="notify affected States", new=" within 72 hours"),
        )
    )
    pdel = proposal_id(
        world.act(
            d["BOR"],
            ev.AMEND,
            n.amend(
                "op2", "insert_words", old="notify affected States", new=" without undue delay"
            ),
        )
    )
    world.act(d["CAL"], ev.STANCE, n.stance(pdel, "support"))
    world.act(d["DUN"], ev.STANCE, n.stance(p72, "oppose"))
    world.act(d["DUN"], ev.AMEND, n.amend("op3", "delete_paragraph"))
    world.act(d["CAL"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="should"))
    world.act(
        d["ARC"],
        ev.AMEND,
        n.amend(
            "op3",
            "add_after",
            new_paragraph=("op4", "operative", "4", "This arrangement is voluntary."),
        ),
    )
    negotiation = world.negotiation(d["DUN"])
    assert not negotiation.flags
    text = negotiation.render(n.TEXT_ID)
    assert (
        "2. A State shall notify affected States [(1) within 72 hours (Proposed: ARC; opposed: "
        "DUN)][(2) without undue delay (Proposed: BOR; supported: CAL)] of a significant "
        "incident."
    ) in text
    assert "1. Each State [(1) shall][(2) should (Proposed: CAL)] designate" in text
    assert (
        "3. [States shall review this arrangement every two years.][DELETE (Deletion "
        "proposed: DUN)]" in text
    )
    assert "4. [This arrangement is voluntary. (Proposed: ARC)]" in text
    # Every member computes the same compiled text from the log.
    assert (
        world.negotiation(d["ARC"]).render(n.TEXT_ID)
        == text
        == world.negotiation().render(n.TEXT_ID)
    )


def test_withdrawing_a_supported_proposal_and_who_may_do_it() -> None:
    world, d = convene()
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    p = proposal_id(
        world.act(d["ARC"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="may"))
    )
    world.act(d["BOR"], ev.STANCE, n.stance(p, "support"))
    world.act(d["BOR"], ev.STANCE, n.stance(p, "withdraw"))  # not Borduria's to withdraw
    world.act(d["ARC"], ev.STANCE, n.stance(p, "withdraw"))
    world.act(d["CAL"], ev.STANCE, n.stance(p, "support"))  # too late: withdrawn
    negotiation = world.negotiation()
    assert [f.reason for f in negotiation.flags] == [
        "only ARC may withdraw its proposal",
        "proposal by ARC is no longer open",
    ]
    proposal = negotiation.proposals[p]
    assert proposal.withdrawn_at is not None and list(proposal.supporters) == ["BOR"]
    assert "[may" not in negotiation.render(n.TEXT_ID)


def test_a_revision_decides_proposals_and_versions_diff_by_paragraph() -> None:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    keep = proposal_id(
        world.act(d["CAL"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="should"))
    )
    drop = proposal_id(world.act(d["DUN"], ev.AMEND, n.amend("op3", "delete_paragraph")))
    paragraphs = list(n.PARAGRAPHS)
    paragraphs[1] = (
        "op1",
        "operative",
        "1",
        "Each State should designate a point of contact for ICT incidents.",
    )
    v2 = n.version(2, paragraphs)
    world.act(world.chair, ev.TEXT, n.table(v2, [(keep, "incorporated"), (drop, "dropped")]))
    negotiation = world.negotiation()
    record = negotiation.texts[n.TEXT_ID]
    assert [v.number for v in record.versions] == [1, 2]
    assert negotiation.proposals[keep].outcome == "incorporated"
    assert "CAL's proposal incorporated, DUN's proposal dropped" in record.history[-1][1]
    changes = diff_versions(record.versions[0], record.versions[1])
    assert [(c.paragraph, c.change) for c in changes] == [("op1", "changed")]
    assert "[-shall-] {+should+}" in changes[0].words
    # Proposals name a version: one against version 1 now has no effect.
    world.act(d["ARC"], ev.AMEND, n.amend("op2", "delete_paragraph", version=1))
    assert "the text is at version 2" in world.negotiation().flags[-1].reason


def test_ad_ref_marks_reopening_and_amending_a_deleted_paragraph() -> None:
    world, d = convene()
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    world.act(world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    world.act(d["ARC"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="may"))
    world.act(d["ARC"], ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    world.act(d["ARC"], ev.PARAGRAPH_STATUS, n.status("op1", "open", reason="NAUEA: see op2"))
    world.act(d["ARC"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="may"))
    # The chair deletes op3 in version 2; an amendment to it afterwards has no effect.
    v2 = n.version(2, [p for p in n.PARAGRAPHS if p[0] != "op3"])
    world.act(world.chair, ev.TEXT, n.table(v2))
    world.act(d["DUN"], ev.AMEND, n.amend("op3", "replace_paragraph", new="x", version=2))
    negotiation = world.negotiation()
    assert [f.reason for f in negotiation.flags] == [
        "paragraph 1 is agreed ad ref: reopen it first",
        "only the chair marks a paragraph agreed ad ref",
        "paragraph op3 is not in version 2 (deleted)",
    ]
    assert "reopened by ARC: NAUEA: see op2" in negotiation.texts[n.TEXT_ID].history[2][1]


def test_consensus_with_an_objection_and_a_chair_who_claims_adoption() -> None:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(d["CAL"], ev.OBJECTION, n.objection("adopt-v1"))  # Calvia cannot adopt
    world.act(d["DUN"], ev.OBJECTION, n.objection("adopt-v1", text="Dunland objects to op2."))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    negotiation = world.negotiation()
    decision = negotiation.decisions["adopt-v1"]
    assert decision.outcome(world.clock) == "not_adopted"
    reasons = [f.reason for f in negotiation.flags]
    assert "CAL's delegate lacks the power to adopt, so cannot object" in reasons
    assert any("the claim is invalid" in r for r in reasons)


def test_consensus_adopted_with_statements() -> None:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    world.act(
        d["CAL"],
        ev.STATEMENT,
        n.statement("interpretative", "Calvia reads 'significant' as...", decision_id="adopt-v1"),
    )
    world.act(
        d["DUN"], ev.STATEMENT, n.statement("dissociation", "Dunland dissociates.", paragraph="op2")
    )
    world.act(d["DUN"], ev.OBJECTION, n.objection("adopt-v1"))  # after the close: no effect
    negotiation = world.negotiation()
    assert negotiation.decisions["adopt-v1"].outcome(world.clock) == "adopted"
    assert [(s.state, s.kind) for s in negotiation.statements] == [
        ("CAL", "interpretative"),
        ("DUN", "dissociation"),
    ]
    assert negotiation.flags[-1].reason == "decision adopt-v1 was already closed"


def test_silence_broken_one_second_before_the_deadline_not_one_second_after() -> None:
    for offset, outcome in ((-SECOND, "not_adopted"), (SECOND, "adopted")):
        world, d = convene()
        v1 = n.version()
        world.act(world.chair, ev.TEXT, n.table(v1))
        deadline = world.clock + 2 * DAY  # the rules' silence period is one day
        world.act(
            world.chair,
            ev.DECISION,
            n.decision("silence-v1", v1, "silence", deadline=deadline, time_zone="Europe/Vienna"),
        )
        world.rekey_if_needed(d["CAL"])
        world.clock = deadline + offset - SECOND  # the act is received at deadline + offset
        world.act(
            d["CAL"], ev.OBJECTION, n.objection("silence-v1", "amendment", "Insert 'promptly'.")
        )
        negotiation = world.negotiation()
        decision = negotiation.decisions["silence-v1"]
        assert decision.outcome(negotiation.last_time) == outcome, offset
        if outcome == "adopted":
            assert [(s, k) for _, _, s, k in decision.late] == [("CAL", "amendment")]
        else:
            assert decision.objections[0][2] == "CAL"


def test_a_recorded_vote_one_vote_a_state_and_the_power_to_adopt() -> None:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(
        world.chair, ev.DECISION, n.decision("vote-v1", v1, "vote", rule="two_thirds_majority")
    )
    world.act(d["ARC"], ev.VOTE, n.vote("vote-v1", "yes"))
    world.act(d["BOR"], ev.VOTE, n.vote("vote-v1", "yes", "Borduria votes yes because..."))
    world.act(d["BOR"], ev.VOTE, n.vote("vote-v1", "no"))  # a second vote from Borduria
    world.act(d["DUN"], ev.VOTE, n.vote("vote-v1", "abstain"))
    # Calvia's delegate lacks the power to adopt: the relay refuses the act itself.
    world.rekey_if_needed(d["CAL"])
    with pytest.raises(Violation) as refused:
        world.submit(d["CAL"].encrypted(world.view, ev.VOTE, n.vote("vote-v1", "no"), world.tick()))
    assert refused.value.code == "power_missing"
    world.act(world.chair, ev.CLOSE, n.close("vote-v1", "adopted"))
    negotiation = world.negotiation()
    decision = negotiation.decisions["vote-v1"]
    assert decision.tally() == {"yes": 2, "no": 0, "abstain": 1}
    assert decision.outcome(world.clock) == "adopted"  # abstentions are not votes cast
    assert "BOR has already voted" in negotiation.flags[0].reason
    assert [s.kind for s in negotiation.statements] == ["explanation_of_vote"]


def test_only_the_chair_tables_opens_and_closes() -> None:
    world, d = convene()
    world.rekey_if_needed(d["ARC"])
    for kind, content in ((ev.TEXT, n.table(n.version())), (ev.CLOSE, n.close("x", "adopted"))):
        with pytest.raises(Violation) as refused:
            world.submit(d["ARC"].encrypted(world.view, kind, content, world.tick()))
        assert refused.value.code == "chair_only"


OPS = st.lists(
    st.tuples(
        st.sampled_from(["ARC", "BOR", "CAL", "DUN"]),
        st.sampled_from(
            [
                "insert",
                "replace",
                "delete_words",
                "support",
                "oppose",
                "withdraw",
                "delete_paragraph",
            ]
        ),
        st.sampled_from(["op1", "op2", "op3"]),
        st.sampled_from(["shall", "State", "[Option A]", "every two years", "notify"]),
    ),
    max_size=15,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_every_replica_compiles_the_same_text(ops: list[tuple[str, str, str, str]]) -> None:
    world, d = convene()
    n.draft_randomly(world, d, ops)
    texts = {world.negotiation(reader).render(n.TEXT_ID) for reader in (world.chair, *d.values())}
    assert len(texts) == 1
    # Whatever was proposed, the tabled text is still there, word for word, outside brackets.
    negotiation = world.negotiation()
    for compiled in negotiation.compiled(n.TEXT_ID):
        tabled = "".join(
            piece if isinstance(piece, str) else piece.alternatives[0].text  # type: ignore[union-attr]
            for piece in compiled.pieces
        )
        assert tabled == compiled.paragraph.plain


def test_a_version_is_named_by_its_hash() -> None:
    a, b = Version.parse(n.version()), Version.parse(n.version(title="Another title"))
    assert a.hash != b.hash and a.hash == Version.parse(n.version()).hash


def test_signatures_initialling_and_a_signature_ad_referendum_confirmed() -> None:
    from accord.core.credentials import confirm

    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(d["ARC"], ev.SIGNATURE, n.signature(v1))  # not adopted yet: no effect
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    world.act(d["ARC"], ev.SIGNATURE, n.signature(v1, "initialling"))
    world.act(d["ARC"], ev.SIGNATURE, n.signature(v1))
    bor = world.act(d["BOR"], ev.SIGNATURE, n.signature(v1, ad_referendum=True))
    # Calvia's delegate holds no power to sign: the relay refuses the act.
    world.rekey_if_needed(d["CAL"])
    with pytest.raises(Violation) as refused:
        world.submit(d["CAL"].encrypted(world.view, ev.SIGNATURE, n.signature(v1), world.tick()))
    assert refused.value.code == "power_missing"
    pending = world.negotiation()
    assert [(s.state, s.act, s.pending) for s in pending.signatures] == [
        ("ARC", "initialling", False),
        ("ARC", "signature", False),
        ("BOR", "signature", True),
    ]
    assert "has not been adopted" in pending.flags[0].reason
    # Only Borduria's root confirms Borduria's signature.
    forged = confirm(
        world.roots["ARC"], state="ARC", signature=str(bor["event"]), confirmed_at=world.clock
    )
    world.act(d["ARC"], ev.CONFIRMATION, {"confirmation": forged})
    real = confirm(
        world.roots["BOR"], state="BOR", signature=str(bor["event"]), confirmed_at=world.clock
    )
    world.act(d["BOR"], ev.CONFIRMATION, {"confirmation": real})
    done = world.negotiation()
    assert "no signature of ARC with that id" in done.flags[-1].reason
    assert [s.pending for s in done.signatures] == [False, False, False]


def test_a_foreign_minister_signs_in_virtue_of_functions() -> None:
    # VCLT art. 7(2)(a): no conference-specific full powers; the root designates the office.
    from accord.core.credentials import issue_full_powers
    from accord.core.keys import SigningKey

    world, _ = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    minister_key = SigningKey.from_label("Calvia's foreign minister")
    credential = issue_full_powers(
        world.roots["CAL"], state="CAL", delegate="Minister Ostrova", key=minister_key.public,
        powers=["negotiate", "adopt", "sign"], conferences=["any-other-conference"],
        not_before=world.clock - 1000, not_after=world.clock + 86_400_000, issued_at=world.clock,
        office="minister_for_foreign_affairs",
    )  # fmt: skip
    minister = world.member(minister_key)
    world.submit(minister.join(world.view, credential, world.tick()))
    world.add_device(minister, "tablet")
    world.act(minister, ev.SIGNATURE, n.signature(v1))
    negotiation = world.negotiation()
    assert [(s.state, s.signer) for s in negotiation.signatures] == [
        ("CAL", "Minister Ostrova (CAL)")
    ]
    # Without the office, full powers for another conference do not count here.
    import pytest as _pytest

    from accord.core.errors import SchemaError

    with _pytest.raises(SchemaError, match="every power"):
        issue_full_powers(
            world.roots["CAL"], state="CAL", delegate="x", key=minister_key.public,
            powers=["sign"], conferences=["c"], not_before=0, not_after=1, issued_at=0,
            office="head_of_state",
        )  # fmt: skip


def test_hostile_or_void_acts_have_no_effect() -> None:
    world, d = convene()
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    p = str(world.act(d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))["event"])
    # Content of the wrong shape: flagged, never a crash.
    world.act(d["BOR"], ev.OBJECTION, {"decision": ["x"], "kind": "objection", "text": "?"})
    world.act(world.chair, ev.TEXT, n.table(n.version(2), [(p, "incorporated"), (p, "dropped")]))
    world.act(world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    world.act(d["ARC"], ev.PARAGRAPH_STATUS, n.status("op2", "open"))  # no reason given
    world.act(
        world.chair,
        ev.DECISION,
        n.decision(  # shorter than the rules' silence period
            "quick", v1, "silence", deadline=world.clock + 5 * SECOND, time_zone="UTC"
        ),
    )
    # A stolen key votes; the revocation, published later, is dated before the vote.
    world.act(world.chair, ev.DECISION, n.decision("vote-v1", v1, "vote"))
    compromised = world.clock
    world.act(d["DUN"], ev.VOTE, n.vote("vote-v1", "yes"))
    world.act(d["ARC"], ev.VOTE, n.vote("vote-v1", "no"))
    revocation = world.revoke("DUN", d["DUN"], compromised)
    world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    world.act(world.chair, ev.CLOSE, n.close("vote-v1", "not_adopted"))
    negotiation = world.negotiation()
    reasons = [f.reason for f in negotiation.flags]
    assert reasons[0].startswith("malformed content") or "no such decision" in reasons[0]
    assert any("two outcomes" in r for r in reasons)
    assert any("gives its reason" in r for r in reasons)
    assert negotiation.texts[n.TEXT_ID].status == {"op2": "agreed_ad_ref"}  # not reopened
    assert any("a silence lasts at least" in r for r in reasons)
    assert any(r.startswith("void:") for r in reasons)
    assert negotiation.decisions["vote-v1"].tally() == {"yes": 0, "no": 1, "abstain": 0}
