"""Revising by decision in the fold and at the node (issue 14, point 4; docs/protocol.md
12.4.1): under rules of procedure 2 every member checks that a proposal listed
incorporated has its effect, re-anchors one carried, and gives no effect to a revision
that says nothing of an open proposal; under version 1 a revision folds as it always did.
The node builds the revision from the chair's choices (`acts.proposed_revision`), the
paragraph as printed names a paragraph (`acts.paragraph_id`), and the computed text is
written out as typed text and read back (`acts.typed`)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.errors import AccordError
from accord.core.genesis import PROCEDURE_1, Procedure, procedure_2
from accord.core.revision import RevisionError
from accord.core.texts import Version
from accord.documents.typed_text import read_lines
from accord.node import acts
from tests import negotiating as n
from tests.builders import World
from tests.test_rules_negotiation import act, reason, refused, took_effect

STATES = ("ARC", "BOR", "CAL")


def convene(procedure: Procedure | None = None) -> tuple[World, dict[str, Author], list[str]]:
    """Three delegations under rules of procedure 2 (or `procedure`), the test text tabled,
    and three proposals: Borduria's and Calvia's on paragraph 2, Arcadia's on paragraph 3."""
    world = World(states=STATES, procedure=procedure or procedure_2(len(STATES)))
    d = {c: world.join(c, f"Delegate {c}") for c in STATES}
    world.act(world.chair, ev.TEXT, n.table(n.version()))
    made = [
        world.act(d["BOR"], ev.AMEND, n.amend("op2", "replace_words", old="shall", new="should")),
        world.act(d["CAL"], ev.AMEND, n.amend("op2", "insert_words", old="notify",
                                              new=" promptly")),
        world.act(d["ARC"], ev.AMEND, n.amend("op3", "replace_words", old="two years",
                                              new="year")),
    ]  # fmt: skip
    return world, d, [str(x["event"]) for x in made]


def with_op2(number: int, op2: str) -> dict[str, Any]:
    return n.version(number, [p if p[0] != "op2" else ("op2", "operative", "2", op2)
                              for p in n.PARAGRAPHS])  # fmt: skip


SHOULD = "A State should notify affected States of a significant incident."


# -- the fold, rules of procedure 2 ------------------------------------------------------------
def test_a_proposal_listed_incorporated_in_a_version_without_it_has_no_effect() -> None:
    world, _, (bor, cal, arc) = convene()
    outcomes = [(bor, "incorporated"), (cal, "dropped"), (arc, "dropped")]
    seq = act(world, world.chair, ev.TEXT, n.table(n.version(2), outcomes))
    negotiation = refused(world, seq, "BOR's proposal on paragraph 2 (replace 'shall' with "
                          "'should') is listed incorporated, but 'should' does not stand in "
                          "paragraph 2 of version 2")  # fmt: skip
    assert len(negotiation.texts[n.TEXT_ID].versions) == 1
    assert negotiation.proposals[bor].open and negotiation.proposals[cal].open
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(with_op2(2, SHOULD), outcomes)))


def test_two_proposals_incorporated_together_are_checked_together() -> None:
    world, d, (bor, cal, arc) = convene()
    # Calvia's proposal adds the very words Borduria's removes elsewhere: applied together,
    # 'shall' stands as often as before, and both are there.
    again = str(world.act(d["CAL"], ev.AMEND, n.amend(
        "op2", "insert_words", old="notify", new=" as it shall"))["event"])  # fmt: skip
    both = "A State should notify as it shall affected States of a significant incident."
    outcomes = [(bor, "incorporated"), (again, "incorporated"), (cal, "dropped"), (arc, "dropped")]
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(with_op2(2, both), outcomes)))


def test_a_proposal_carried_stays_open_against_the_next_version() -> None:
    world, d, (bor, cal, arc) = convene()
    v2 = with_op2(2, SHOULD)
    seq = act(world, world.chair, ev.TEXT, n.table(v2, [(bor, "incorporated"), (cal, "carried"),
                                                        (arc, "dropped")]))  # fmt: skip
    negotiation = took_effect(world, seq)
    carried = negotiation.proposals[cal]
    assert carried.open and carried.outcome is None and carried.amendment.version == 2
    assert "[ promptly (Proposed: CAL)]" in negotiation.render(n.TEXT_ID)
    history = negotiation.texts[n.TEXT_ID].history[-1]
    assert history[0] == seq and history[1].endswith(
        "BOR's proposal incorporated, CAL's proposal carried, ARC's proposal dropped"
    )
    # Carried, it is decided by the next revision like any proposal made on version 2.
    refused(world, act(world, world.chair, ev.TEXT, n.table(n.version(3) | {"paragraphs": v2[
        "paragraphs"]})), "says nothing of CAL's proposal on paragraph 2")  # fmt: skip
    v3 = with_op2(3, "A State should notify promptly affected States of a significant incident.")
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(v3, [(cal, "incorporated")])))
    assert world.negotiation().proposals[cal].outcome == "incorporated"
    took_effect(world, act(world, d["BOR"], ev.AMEND, n.amend("op2", "delete_paragraph",
                                                              version=3)))  # fmt: skip


def test_a_proposal_made_on_a_later_version_is_checked_against_it() -> None:
    world, d, (bor, cal, arc) = convene()
    decided = [(bor, "incorporated"), (cal, "dropped"), (arc, "dropped")]
    act(world, world.chair, ev.TEXT, n.table(with_op2(2, "A State should notify States."), decided))
    later = str(world.act(d["CAL"], ev.AMEND, n.amend("op2", "replace_words", old="should",
                                                      new="must", version=2))["event"])  # fmt: skip
    v3 = with_op2(3, "A State must notify States.")
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(v3, [(later, "incorporated")])))


def test_a_proposal_is_carried_only_where_its_words_still_stand() -> None:
    world, _, (bor, cal, arc) = convene()
    v2 = with_op2(2, "A State should tell affected States of a significant incident.")
    seq = act(world, world.chair, ev.TEXT, n.table(v2, [(bor, "merged"), (cal, "carried"),
                                                        (arc, "dropped")]))  # fmt: skip
    negotiation = refused(world, seq, "CAL's proposal on paragraph 2 (insert 'promptly' after "
                          "'notify') cannot be carried to version 2: its words 'notify' no "
                          "longer stand in it as they did; decide it")  # fmt: skip
    assert negotiation.proposals[cal].amendment.version == 1


def test_a_revision_that_says_nothing_of_an_open_proposal_has_no_effect() -> None:
    world, d, (bor, cal, arc) = convene()
    act(world, d["ARC"], ev.STANCE, n.stance(arc, "withdraw"))  # withdrawn: not open
    seq = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(bor, "dropped")]))
    refused(world, seq, "the revision of version 1 says nothing of CAL's proposal on paragraph 2 "
            "(insert 'promptly' after 'notify'): say of each open proposal whether it is "
            "incorporated, merged, dropped or carried")  # fmt: skip
    took_effect(world, act(world, world.chair, ev.TEXT,
                           n.table(n.version(2), [(bor, "dropped"), (cal, "dropped")])))  # fmt: skip


def test_a_proposal_on_another_text_or_an_earlier_version_need_not_be_decided() -> None:
    world, d, (bor, cal, arc) = convene()
    act(world, world.chair, ev.TEXT, n.table(n.version() | {"text": "other"}))
    act(world, d["BOR"], ev.AMEND, n.amend("op1", "delete_paragraph") | {"text": "other"})
    decided = [(bor, "dropped"), (cal, "dropped"), (arc, "carried")]
    took_effect(world, act(world, world.chair, ev.TEXT, n.table(n.version(2), decided)))


# -- the fold, rules of procedure 1: as before ---------------------------------------------------
def test_under_version_1_a_revision_folds_as_it_always_did() -> None:
    world, _, (bor, cal, arc) = convene(PROCEDURE_1)
    carried = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(cal, "carried")]))
    refused(world, carried, "outcome must be one of dropped, incorporated, merged")
    # Incorporated in an identical version, and two proposals said nothing of: as before.
    seq = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(bor, "incorporated")]))
    negotiation = took_effect(world, seq)
    assert negotiation.proposals[bor].outcome == "incorporated"
    assert negotiation.proposals[cal].open and negotiation.proposals[cal].amendment.version == 1
    assert negotiation.proposals[arc].open


def test_the_check_before_signing_says_what_the_fold_will_say() -> None:
    world, _, (bor, cal, arc) = convene()
    content = n.table(n.version(2), [(bor, "incorporated"), (cal, "dropped"), (arc, "dropped")])
    world.rekey_if_needed(world.chair)
    event = ev.Event.parse(world.chair.encrypted(world.view, ev.TEXT, content, world.tick()))
    predicted = world.negotiation().trial(world.view.length, world.clock, event, content)
    assert predicted is not None and "is listed incorporated, but" in predicted
    seq = world.submit(world.chair.encrypted(world.view, ev.TEXT, content, world.tick()))["seq"]
    assert reason(world.negotiation(), seq) == predicted


# -- the node: the revision from the chair's choices -------------------------------------------
def _short(pid: str) -> str:
    return pid.removeprefix("sha256:")[:10]


def test_the_node_computes_the_revision_from_the_chairs_choices() -> None:
    world, _, (bor, cal, arc) = convene()
    negotiation = world.negotiation()
    made = acts.proposed_revision(
        negotiation, n.TEXT_ID, {_short(bor): "accept", cal: "reject", _short(arc): "carry"}
    )
    assert made.version == with_op2(2, SHOULD)
    assert made.outcomes == [(bor, "incorporated"), (cal, "dropped"), (arc, "carried")]
    assert made.summary.splitlines() == [
        "cica version 2 (Cyber-Incident Cooperation Arrangement), revising version 1:",
        "  incorporated: BOR's proposal on paragraph 2 (replace 'shall' with 'should')",
        "  dropped: CAL's proposal on paragraph 2 (insert 'promptly' after 'notify')",
        "  carried to version 2, still open: ARC's proposal on paragraph 3 (replace 'two years' "
        "with 'year')",
        "  changes:",
        "    paragraph 2 (changed): A State [-shall-] {+should+} notify affected States of a "
        "significant incident.",
    ]
    took_effect(world, act(world, world.chair, ev.TEXT, acts.revision(made.version,
                                                                      made.outcomes)))  # fmt: skip


def test_the_node_refuses_what_leaves_a_proposal_open_or_merges_nothing() -> None:
    world, d, (bor, cal, arc) = convene()
    negotiation = world.negotiation()
    with pytest.raises(RevisionError, match="says nothing of CAL's proposal on paragraph 2"):
        acts.proposed_revision(negotiation, n.TEXT_ID, {bor: "accept", arc: "reject"})
    with pytest.raises(RevisionError, match=r"BOR's proposal on paragraph 2 .* and CAL's "
                       r"proposal on paragraph 2 .* touch the same words") as caught:  # fmt: skip
        extra = str(world.act(d["CAL"], ev.AMEND, n.amend("op2", "delete_words",
                                                          old="shall notify"))["event"])  # fmt: skip
        acts.proposed_revision(
            world.negotiation(),
            n.TEXT_ID,
            {bor: "accept", cal: "reject", extra: "accept", arc: "reject"},
        )
    assert caught.value.code == "conflict"
    negotiation = world.negotiation()
    choices = {bor: "merge", cal: "reject", extra: "reject", arc: "reject"}
    with pytest.raises(acts.ActError, match=r"BOR's proposal on paragraph 2 .*: merged, but "
                       r"its paragraph is unchanged: give the merged wording"):  # fmt: skip
        acts.proposed_revision(negotiation, n.TEXT_ID, choices)
    draft = acts.proposed_revision(negotiation, n.TEXT_ID, choices, draft=True)
    assert "  to do: BOR's proposal on paragraph 2 (replace 'shall' with 'should') is merged" in (
        draft.summary
    )
    assert "  no paragraph changed" in draft.summary
    merged = acts.proposed_revision(
        negotiation, n.TEXT_ID, choices, wording={"2.": "A State [shall][should] notify others."}
    )
    op2 = Version.parse(merged.version).paragraph("op2")
    assert op2 is not None and op2.plain == "A State [shall][should] notify others."
    assert ("op2", "merged") not in merged.outcomes and (bor, "merged") in merged.outcomes


def test_the_node_names_proposals_by_prefix_once_each() -> None:
    world, d, (bor, cal, arc) = convene()
    negotiation = world.negotiation()
    with pytest.raises(acts.ActError, match="is given two choices"):
        acts.proposed_revision(negotiation, n.TEXT_ID, {bor: "accept", _short(bor): "reject"})
    acts.proposed_revision(negotiation, n.TEXT_ID, {bor: "accept", _short(bor): "accept",
                                                    cal: "reject", arc: "reject"})  # fmt: skip
    with pytest.raises(AccordError, match="no proposal starts with"):
        acts.proposed_revision(negotiation, n.TEXT_ID, {"zzzzzz": "accept"})
    act(world, d["ARC"], ev.STANCE, n.stance(arc, "withdraw"))
    with pytest.raises(acts.ActError, match=r"ARC's proposal on paragraph 3 \(replace 'two "
                       r"years' with 'year'\) is no longer open \(withdrawn\)"):  # fmt: skip
        acts.proposed_revision(world.negotiation(), n.TEXT_ID, {arc: "reject"})
    with pytest.raises(acts.ActError, match="no text 'nothing'"):
        acts.proposed_revision(negotiation, "nothing", {})


def test_under_version_1_the_node_carries_nothing_and_leaves_nothing_open() -> None:
    world, _, (bor, cal, arc) = convene(PROCEDURE_1)
    negotiation = world.negotiation()
    with pytest.raises(acts.ActError, match="rules of procedure 1, which carry no proposal"):
        acts.proposed_revision(negotiation, n.TEXT_ID, {bor: "accept", cal: "carry"})
    with pytest.raises(RevisionError, match="whether it is incorporated, merged or dropped "
                       r"\(rules of procedure 1 carry none"):  # fmt: skip
        acts.proposed_revision(negotiation, n.TEXT_ID, {bor: "accept"})
    made = acts.proposed_revision(negotiation, n.TEXT_ID, {bor: "accept", cal: "accept",
                                                           arc: "reject"})  # fmt: skip
    op2 = "A State should notify promptly affected States of a significant incident."
    assert made.version == with_op2(2, op2)


def test_an_edited_text_is_read_back_with_the_ids_it_had_and_checked() -> None:
    world, d, (bor, cal, arc) = convene()
    added = str(world.act(d["ARC"], ev.AMEND, n.amend(
        "op3", "add_after", new_paragraph=("review", "operative", "3 bis", "States meet.")))[
        "event"])  # fmt: skip
    negotiation = world.negotiation()
    choices = {bor: "accept", cal: "reject", arc: "reject", added: "accept"}
    made = acts.proposed_revision(negotiation, n.TEXT_ID, choices, draft=True)
    typed = acts.typed(Version.parse(made.version))
    assert typed.splitlines()[:3] == ["Cyber-Incident Cooperation Arrangement", "",
                                      "PP1. Recalling the eleven voluntary norms of responsible "
                                      "State behaviour,"]  # fmt: skip
    assert "3 bis. States meet." in typed
    edited = typed.replace("shall designate", "shall name")
    made = acts.proposed_revision(negotiation, n.TEXT_ID, choices, typed_text=edited)
    version = Version.parse(made.version)
    assert [p.id for p in version.paragraphs] == ["pp1", "op1", "op2", "op3", "review"]
    assert version.paragraphs[1].plain.startswith("Each State shall name a point")
    assert "paragraph 1 (changed): Each State shall [-designate-] {+name+}" in made.summary
    with pytest.raises(RevisionError, match=r"BOR's proposal on paragraph 2 \(replace 'shall' "
                       "with 'should'\\) is listed incorporated"):  # fmt: skip
        acts.proposed_revision(negotiation, n.TEXT_ID, choices,
                               typed_text=edited.replace("State should", "State shall"))  # fmt: skip
    with pytest.raises(RevisionError, match=r"ARC's proposal on paragraph 3 .add paragraph 3 bis "
                       r"after it. is listed incorporated"):  # fmt: skip
        acts.proposed_revision(negotiation, n.TEXT_ID, choices,
                               typed_text=edited.replace("States meet.", "States meet often."))  # fmt: skip
    with pytest.raises(acts.ActError, match="the edited text cannot be read: there is no text"):
        acts.proposed_revision(negotiation, n.TEXT_ID, choices, typed_text="\n")
    with pytest.raises(acts.ActError, match="cannot be read: paragraph 3 is numbered twice"):
        acts.proposed_revision(negotiation, n.TEXT_ID, choices,
                               typed_text=edited.replace("3 bis. States", "3. States"))  # fmt: skip


def test_typed_text_names_articles_as_articles() -> None:
    v = Version.parse({"text": "t", "version": 1, "title": "Treaty", "paragraphs": [
        {"id": "a5", "kind": "article", "number": "5 bis", "segments": ["First ", {"alternatives": ["a", ""]}, " b."]},
        {"id": "a6", "kind": "article", "number": "Article 6", "segments": ["Second."]},
    ]})  # fmt: skip
    typed = acts.typed(v)
    assert typed.splitlines() == ["Treaty", "", "Article 5 bis. First [a][—] b.", "",
                                  "Article 6. Second."]  # fmt: skip
    read = Version.parse(read_lines(typed.splitlines(), "t").version)
    assert [(p.kind, p.number, p.segments) for p in read.paragraphs] == [
        ("article", "5 bis", v.paragraphs[0].segments), ("article", "6", ("Second.",))
    ]  # fmt: skip


# -- paragraphs named as printed ------------------------------------------------------------
TREATY = Version.parse({"text": "t", "version": 2, "title": "Treaty", "paragraphs": [
    {"id": p, "kind": k, "number": num, "segments": ["Words."]}
    for p, k, num in (("pp1", "preambular", "PP1"), ("op1", "operative", "1"),
                      ("op1-bis", "operative", "1 bis"), ("op5", "operative", "5"),
                      ("art5", "article", "5"), ("art5-bis", "article", "Article 5 bis"),
                      ("x2", "operative", "2"))
]})  # fmt: skip


@pytest.mark.parametrize(
    ("given", "pid"),
    [("PP1", "pp1"), ("PP 1", "pp1"), ("pp1", "pp1"), ("PP1.", "pp1"), ("1", "op1"),
     ("1.", "op1"), ("1 bis", "op1-bis"), ("1bis.", "op1-bis"), ("Article 5", "art5"),
     ("Art. 5", "art5"), ("Article 5 bis", "art5-bis"), ("5 bis", "art5-bis"), ("2", "x2"),
     ("x2", "x2"), (" op1-bis ", "op1-bis"), ("paragraph 1 bis", "op1-bis")],
)  # fmt: skip
def test_a_paragraph_is_named_as_printed_or_by_its_id(given: str, pid: str) -> None:
    assert acts.paragraph_id(TREATY, given) == pid


def test_a_paragraph_named_wrongly_is_refused_listing_the_texts() -> None:
    with pytest.raises(acts.ActError) as caught:
        acts.paragraph_id(TREATY, "9")
    assert str(caught.value) == (
        "version 2 of t has no paragraph '9': its paragraphs are PP1 (pp1), 1 (op1), 1 bis "
        "(op1-bis), 5 (op5), Article 5 (art5), Article 5 bis (art5-bis), 2 (x2)"
    )
    with pytest.raises(acts.ActError) as caught:
        acts.paragraph_id(TREATY, "5")
    assert str(caught.value) == (
        "'5' names more than one paragraph: 5 (op5), Article 5 (art5); write one of these"
    )
    with pytest.raises(acts.ActError, match="has no paragraph 'Article 1'"):
        acts.paragraph_id(TREATY, "Article 1")


def test_the_acts_take_paragraphs_as_printed() -> None:
    current = Version.parse(n.version())
    assert acts.amendment(current, "2.", "replace_words", "shall", "should")["paragraph"] == "op2"
    assert acts.paragraph_status(current, "PP 1", "agreed_ad_ref", None)["paragraph"] == "pp1"
    assert acts.decision("d", current, "3", "consensus")["subject"]["paragraph"] == "op3"
    assert acts.decision("d", current, None, "consensus")["subject"]["paragraph"] is None
    with pytest.raises(acts.ActError, match="has no paragraph 'PP2': its paragraphs are PP1"):
        acts.paragraph_status(current, "PP2", "agreed_ad_ref", None)


def test_a_revision_act_may_carry_a_proposal() -> None:
    content = acts.revision({"text": "cica"}, [("sha256:a", "carried")])
    assert content["outcomes"] == [{"proposal": "sha256:a", "outcome": "carried"}]
