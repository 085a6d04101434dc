"""Every rule of the negotiation's fold, one test per rule: the smallest act that breaks
it, the reason it is given no effect, and the state left unchanged; and each boundary
from both sides (exactly at a deadline, one millisecond before).

These are the tests that mutation testing (`make mutation`) counts on for
`core/negotiation.py`: deleting any refusal, or moving any boundary, fails one of them.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.credentials import confirm
from accord.core.keys import SigningKey
from accord.core.negotiation import Negotiation, read
from accord.core.proceedings import CastVote, Decision, Objection, Subject
from accord.core.texts import Place, Version
from accord.core.times import format_time
from tests import negotiating as n
from tests.builders import DAY, SECOND, World

V1 = n.version()
V1_HASH = Version.parse(V1).hash


def convene(decision_rule: str = "consensus") -> tuple[World, dict[str, Author]]:
    """Four delegations (Calvia without the power to adopt), the test text tabled."""
    world = World(states=("ARC", "BOR", "CAL", "DUN"), decision_rule=decision_rule)
    delegates = {
        "ARC": world.join("ARC", "Ana"),
        "BOR": world.join("BOR", "Boris"),
        "CAL": world.join("CAL", "Carla", ["negotiate"]),
        "DUN": world.join("DUN", "Dara"),
    }
    world.act(world.chair, ev.TEXT, n.table(V1))
    return world, delegates


def act(world: World, author: Author, kind: str, content: dict[str, Any]) -> int:
    """Post an act; its entry number."""
    return int(world.act(author, kind, content)["seq"])


def reason(negotiation: Negotiation, seq: int) -> str | None:
    """Why the act at `seq` has no effect, or None if it took effect."""
    found = [f.reason for f in negotiation.flags if f.seq == seq]
    assert len(found) <= 1
    return found[0] if found else None


def took_effect(world: World, seq: int) -> Negotiation:
    negotiation = world.negotiation()
    assert reason(negotiation, seq) is None, reason(negotiation, seq)
    return negotiation


def refused(world: World, seq: int, because: str) -> Negotiation:
    negotiation = world.negotiation()
    said = reason(negotiation, seq)
    assert said is not None and because in said, said
    return negotiation


def bypassing_the_relay(world: World, author: Author, kind: str, content: dict[str, Any]) -> str:
    """Fold an act the relay would have refused (the fold checks again, for records from
    elsewhere); why it has no effect."""
    world.rekey_if_needed(world.chair)
    event = ev.Event.parse(author.encrypted(world.view, kind, content, world.tick()))
    negotiation = world.negotiation()
    before = len(negotiation.flags)
    negotiation.apply(10**6, world.clock, event, content)
    assert len(negotiation.flags) == before + 1
    return negotiation.flags[-1].reason


def _decision(procedure: str = "vote", rule: str | None = "simple_majority") -> Decision:
    subject = Subject(n.TEXT_ID, 1, V1_HASH, None)
    deadline = 1_000 if procedure == "silence" else None
    return Decision("d", 1, 0, subject, procedure, rule, deadline, None)


def _votes(decision: Decision, yes: int, no: int, abstain: int = 0) -> Decision:
    ballots = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    decision.votes = {f"S{i}": CastVote(10 + i, v, None) for i, v in enumerate(ballots)}
    decision.closed_seq = 99
    return decision


# -- the outcome of a decision ------------------------------------------------------------
@pytest.mark.parametrize(
    ("yes", "no", "abstain", "outcome"),
    [
        (2, 1, 0, "adopted"),
        (1, 1, 0, "not_adopted"),  # a tie is no majority
        (1, 2, 0, "not_adopted"),
        (1, 0, 5, "adopted"),  # abstentions are not votes cast
        (0, 0, 3, "not_adopted"),  # nobody voted yes or no
        (0, 0, 0, "not_adopted"),
    ],
)
def test_a_simple_majority_is_more_yes_than_no(
    yes: int, no: int, abstain: int, outcome: str
) -> None:
    decision = _votes(_decision(rule="simple_majority"), yes, no, abstain)
    assert decision.outcome(0) == outcome
    assert decision.tally() == {"yes": yes, "no": no, "abstain": abstain}


@pytest.mark.parametrize(
    ("yes", "no", "outcome"),
    [
        (2, 1, "adopted"),  # exactly two thirds
        (4, 2, "adopted"),
        (3, 2, "not_adopted"),  # 60%: a simple majority, not two thirds
        (1, 1, "not_adopted"),
        (5, 3, "not_adopted"),  # 62.5%
        (7, 3, "adopted"),  # 70%
        (1, 0, "adopted"),
        (0, 0, "not_adopted"),  # only abstentions
        (0, 1, "not_adopted"),
    ],
)
def test_two_thirds_of_the_votes_cast(yes: int, no: int, outcome: str) -> None:
    decision = _votes(_decision(rule="two_thirds_majority"), yes, no, abstain=4)
    assert decision.outcome(0) == outcome


def test_a_decision_is_open_until_it_is_closed() -> None:
    vote = _decision()
    vote.votes = {"ARC": CastVote(5, "yes", None)}
    assert vote.outcome(10**15) == "open"
    consensus = _decision("consensus", None)
    assert consensus.outcome(10**15) == "open"
    consensus.closed_seq = 9
    assert consensus.outcome(0) == "adopted"
    consensus.objections.append(Objection(8, 5, "BOR", "objection", "No."))
    assert consensus.outcome(0) == "not_adopted"


def test_a_silence_is_adopted_exactly_at_its_deadline_unless_broken() -> None:
    silence = _decision("silence", None)
    assert silence.outcome(999) == "open"
    assert silence.outcome(1_000) == "adopted"
    silence.objections.append(Objection(8, 500, "BOR", "amendment", "Insert 'promptly'."))
    assert silence.outcome(999) == "not_adopted"
    assert silence.outcome(1_000) == "not_adopted"


# -- tabling and revising ---------------------------------------------------------------
def test_a_version_must_be_the_next_one() -> None:
    world, _ = convene()
    skipped = act(world, world.chair, ev.TEXT, n.table(n.version(3)))
    negotiation = refused(world, skipped, "version 3 of cica; the next is 2")
    assert len(negotiation.texts[n.TEXT_ID].versions) == 1
    first_again = act(world, world.chair, ev.TEXT, n.table(n.version(1)))
    refused(world, first_again, "the next is 2")


def test_a_new_text_is_tabled_at_version_one_deciding_nothing() -> None:
    world, d = convene()
    p = act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))
    other = n.version(2) | {"text": "other"}
    at_two = act(world, world.chair, ev.TEXT, n.table(other))
    refused(world, at_two, "the next is 1")
    deciding = n.table(n.version(1) | {"text": "other"}, [(world.event_at(p).hash, "dropped")])
    seq = act(world, world.chair, ev.TEXT, deciding)
    negotiation = refused(world, seq, "a text tabled for the first time decides no proposals")
    assert "other" not in negotiation.texts


def test_outcomes_must_be_a_list() -> None:
    world, _ = convene()
    seq = act(world, world.chair, ev.TEXT, {"version": n.version(2), "outcomes": {}})
    negotiation = refused(world, seq, "outcomes must be a list")
    assert len(negotiation.texts[n.TEXT_ID].versions) == 1


def test_a_revision_decides_only_open_proposals_on_this_text_once_each() -> None:
    world, d = convene()
    p = world.event_at(act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))).hash
    q = world.event_at(act(world, d["BOR"], ev.AMEND, n.amend("op3", "delete_paragraph"))).hash
    act(world, d["BOR"], ev.STANCE, n.stance(q, "withdraw"))
    unknown = act(
        world, world.chair, ev.TEXT, n.table(n.version(2), [("sha256:" + "A" * 43, "dropped")])
    )
    refused(world, unknown, "no proposal sha256:")
    withdrawn = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(q, "dropped")]))
    refused(world, withdrawn, "is no longer open")
    twice = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(p, "merged"), (p, "dropped")]))
    negotiation = refused(world, twice, "is given two outcomes")
    assert negotiation.proposals[p].outcome is None
    good = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(p, "incorporated")]))
    negotiation = took_effect(world, good)
    assert negotiation.proposals[p].outcome == "incorporated"
    history = negotiation.texts[n.TEXT_ID].history
    assert history[-1][0] == good and "ARC's proposal incorporated" in history[-1][1]
    again = act(world, world.chair, ev.TEXT, n.table(n.version(3), [(p, "dropped")]))
    refused(world, again, "is no longer open")


def test_a_proposal_on_another_text_is_not_decided_by_this_one() -> None:
    world, d = convene()
    other = n.version() | {"text": "other"}
    act(world, world.chair, ev.TEXT, n.table(other))
    on_other = n.amend("op1", "delete_paragraph") | {"text": "other"}
    p = world.event_at(act(world, d["ARC"], ev.AMEND, on_other)).hash
    seq = act(world, world.chair, ev.TEXT, n.table(n.version(2), [(p, "dropped")]))
    negotiation = refused(world, seq, "on this text")
    assert negotiation.proposals[p].outcome is None


def test_an_ad_ref_mark_survives_a_revision_only_where_the_text_did_not_change() -> None:
    world, _ = convene()
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op2", "agreed_ad_ref"))
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op3", "agreed_ad_ref"))
    paragraphs = [p for p in n.PARAGRAPHS if p[0] != "op3"]  # op3 deleted
    paragraphs[1] = ("op1", "operative", "1", "Each State should designate a point of contact.")
    act(world, world.chair, ev.TEXT, n.table(n.version(2, paragraphs)))
    assert world.negotiation().texts[n.TEXT_ID].status == {"op2": "agreed_ad_ref"}


# -- amendments ---------------------------------------------------------------------------
def test_the_chair_revises_rather_than_amends() -> None:
    world, _ = convene()
    seq = act(world, world.chair, ev.AMEND, n.amend("op1", "delete_paragraph"))
    negotiation = refused(world, seq, "the chair revises the text")
    assert not negotiation.proposals


def test_an_amendment_to_an_old_version_or_a_missing_paragraph() -> None:
    world, d = convene()
    act(world, world.chair, ev.TEXT, n.table(n.version(2, n.PARAGRAPHS[:3])))  # op3 deleted
    old = act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph", version=1))
    refused(world, old, "the amendment is to version 1; the text is at version 2")
    gone = act(world, d["ARC"], ev.AMEND, n.amend("op3", "delete_paragraph", version=2))
    refused(world, gone, "paragraph op3 is not in version 2 (deleted)")
    ok = act(world, d["ARC"], ev.AMEND, n.amend("op2", "delete_paragraph", version=2))
    assert len(took_effect(world, ok).proposals) == 1


def test_an_amendment_to_a_paragraph_agreed_ad_ref_or_to_words_not_there() -> None:
    world, d = convene()
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    agreed = act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))
    refused(world, agreed, "paragraph 1 is agreed ad ref: reopen it first")
    for op, new in (("replace_words", "x"), ("delete_words", None), ("insert_words", "x")):
        missing = act(world, d["ARC"], ev.AMEND, n.amend("op2", op, old="not in it", new=new))
        refused(world, missing, "the words 'not in it' are not in paragraph 2")
    taken = n.amend("op2", "add_after", new_paragraph=("op3", "operative", "3", "Twice."))
    refused(world, act(world, d["ARC"], ev.AMEND, taken), "paragraph id op3 is already used")
    assert not world.negotiation().proposals
    fresh = n.amend("op2", "add_after", new_paragraph=("op2bis", "operative", "2 bis", "New."))
    assert len(took_effect(world, act(world, d["ARC"], ev.AMEND, fresh)).proposals) == 1


# -- stances ------------------------------------------------------------------------------
def test_stances_on_a_proposal() -> None:
    world, d = convene()
    p = world.event_at(act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))).hash
    refused(
        world,
        act(world, d["BOR"], ev.STANCE, n.stance("sha256:nope", "support")),
        "no such proposal",
    )
    refused(
        world,
        act(world, d["BOR"], ev.STANCE, {"proposal": ["7"], "stance": "support"}),
        "no such proposal",
    )
    refused(
        world,
        act(world, world.chair, ev.STANCE, n.stance(p, "support")),
        "the chair takes no position",
    )
    refused(
        world,
        act(world, d["ARC"], ev.STANCE, n.stance(p, "support")),
        "does not support or oppose its own",
    )
    refused(
        world,
        act(world, d["BOR"], ev.STANCE, n.stance(p, "withdraw")),
        "only ARC may withdraw its proposal",
    )
    act(world, d["BOR"], ev.STANCE, n.stance(p, "support"))
    changed = act(world, d["BOR"], ev.STANCE, n.stance(p, "oppose"))  # the latest counts
    act(world, d["DUN"], ev.STANCE, n.stance(p, "support"))
    proposal = took_effect(world, changed).proposals[p]
    assert proposal.opposers == {"BOR": changed}
    assert list(proposal.supporters) == ["DUN"]
    act(world, d["ARC"], ev.STANCE, n.stance(p, "withdraw"))
    late = act(world, d["DUN"], ev.STANCE, n.stance(p, "oppose"))
    negotiation = refused(world, late, "proposal by ARC is no longer open")
    assert negotiation.proposals[p].withdrawn_at is not None
    assert list(negotiation.proposals[p].supporters) == ["DUN"]


# -- paragraph status ---------------------------------------------------------------------
def test_ad_ref_marks_and_reopening() -> None:
    world, d = convene()
    refused(world, act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref", version=2)),
            "another version than the current one")  # fmt: skip
    refused(world, act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op9", "agreed_ad_ref")),
            "no such paragraph in the current version")  # fmt: skip
    refused(world, act(world, d["ARC"], ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref")),
            "only the chair marks a paragraph agreed ad ref")  # fmt: skip
    refused(world, act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "open")),
            "paragraph 1 is not agreed ad ref")  # fmt: skip
    mark = act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    assert took_effect(world, mark).texts[n.TEXT_ID].status == {"op1": "agreed_ad_ref"}
    refused(world, act(world, d["ARC"], ev.PARAGRAPH_STATUS, n.status("op1", "open")),
            "a delegation reopening a paragraph gives its reason")  # fmt: skip
    reopen = act(
        world, d["ARC"], ev.PARAGRAPH_STATUS, n.status("op1", "open", reason="New instructions.")
    )
    negotiation = took_effect(world, reopen)
    assert negotiation.texts[n.TEXT_ID].status == {}
    assert negotiation.texts[n.TEXT_ID].history[-1] == (
        reopen,
        "paragraph 1 reopened by ARC: New instructions.",
    )
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    by_chair = act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "open"))
    assert took_effect(world, by_chair).texts[n.TEXT_ID].history[-1] == (
        by_chair,
        "paragraph 1 reopened by the chair",
    )


def test_a_delegation_without_the_power_to_negotiate_does_not_reopen() -> None:
    world, d = convene()
    observer = world.join("ARC", "Aide", ["sign"])
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
    seq = act(world, observer, ev.PARAGRAPH_STATUS, n.status("op1", "open", reason="Because."))
    assert refused(world, seq, "only the chair marks").texts[n.TEXT_ID].status == {
        "op1": "agreed_ad_ref"
    }
    del d


# -- opening decisions --------------------------------------------------------------------
def test_only_the_chair_opens_a_decision_and_once_per_id() -> None:
    world, d = convene()
    assert bypassing_the_relay(world, d["ARC"], ev.DECISION, n.decision("d1", V1)) == (
        "only the chair opens a decision"
    )
    first = act(world, world.chair, ev.DECISION, n.decision("d1", V1))
    took_effect(world, first)
    second = act(world, world.chair, ev.DECISION, n.decision("d1", V1, "vote"))
    negotiation = refused(world, second, "decision d1 exists already")
    assert negotiation.decisions["d1"].procedure == "consensus"
    assert negotiation.decisions["d1"].seq == first


def test_a_decision_names_a_version_that_exists_by_its_hash() -> None:
    world, _ = convene()
    missing = n.decision("d1", n.version(2))
    refused(world, act(world, world.chair, ev.DECISION, missing), "cica has no version 2")
    zero = n.decision("d2", V1)
    zero["subject"]["version"] = 0
    refused(world, act(world, world.chair, ev.DECISION, zero), "version must be at least 1")
    long_hash = n.decision("d6", V1)
    long_hash["subject"]["hash"] = "sha256:" + "A" * 58  # 65 characters
    refused(
        world, act(world, world.chair, ev.DECISION, long_hash), "version hash is longer than 64"
    )
    bad_text = n.decision("d7", V1)
    bad_text["subject"]["text"] = "Not an id!"
    refused(
        world,
        act(world, world.chair, ev.DECISION, bad_text),
        "text id 'Not an id!' is not of the allowed form",
    )
    bad_id = n.decision("Not an id!", V1)
    refused(
        world,
        act(world, world.chair, ev.DECISION, bad_id),
        "decision id 'Not an id!' is not of the allowed form",
    )
    wrong_hash = n.decision("d3", V1)
    wrong_hash["subject"]["hash"] = Version.parse(n.version(title="Another")).hash
    refused(
        world,
        act(world, world.chair, ev.DECISION, wrong_hash),
        "the hash named is not that of cica version 1",
    )
    no_paragraph = n.decision("d4", V1, paragraph="op9")
    refused(world, act(world, world.chair, ev.DECISION, no_paragraph), "has no such paragraph")
    assert not world.negotiation().decisions
    on_paragraph = act(world, world.chair, ev.DECISION, n.decision("d5", V1, paragraph="op2"))
    assert took_effect(world, on_paragraph).decisions["d5"].subject.paragraph == "op2"


def test_the_majority_a_vote_may_use() -> None:
    world, _ = convene()  # the rules of procedure: consensus
    simple = n.decision("v1", V1, "vote", rule="simple_majority")
    refused(
        world, act(world, world.chair, ev.DECISION, simple), "permit a vote by two_thirds_majority"
    )
    default = act(world, world.chair, ev.DECISION, n.decision("v2", V1, "vote"))
    assert took_effect(world, default).decisions["v2"].rule == "two_thirds_majority"
    world, _ = convene("simple_majority")
    default = act(world, world.chair, ev.DECISION, n.decision("v3", V1, "vote"))
    assert took_effect(world, default).decisions["v3"].rule == "simple_majority"
    stricter = act(
        world, world.chair, ev.DECISION, n.decision("v4", V1, "vote", rule="two_thirds_majority")
    )
    assert took_effect(world, stricter).decisions["v4"].rule == "two_thirds_majority"


def test_only_a_vote_names_a_majority_and_only_a_silence_a_deadline() -> None:
    world, _ = convene()
    ruled = n.decision("c1", V1, "consensus", rule="two_thirds_majority")
    refused(
        world, act(world, world.chair, ev.DECISION, ruled), "a consensus decision names no majority"
    )
    dated = n.decision("c2", V1, "consensus", deadline=world.clock + 2 * DAY)
    refused(
        world, act(world, world.chair, ev.DECISION, dated), "a consensus decision has no deadline"
    )
    zoned = n.decision("c3", V1, "vote", time_zone="UTC")
    refused(world, act(world, world.chair, ev.DECISION, zoned), "a vote decision has no deadline")
    assert not world.negotiation().decisions


def test_a_silence_lasts_at_least_the_rules_period_to_the_millisecond() -> None:
    world, _ = convene()  # the rules' period: one day
    # The decision is received one second after world.clock (world.act ticks once).
    short = n.decision(
        "s1", V1, "silence", deadline=world.clock + SECOND + DAY - 1, time_zone="UTC"
    )
    seq = act(world, world.chair, ev.DECISION, short)
    refused(world, seq, "a silence lasts at least 1 day under")
    exact = n.decision("s2", V1, "silence", deadline=world.clock + SECOND + DAY, time_zone="UTC")
    negotiation = took_effect(world, act(world, world.chair, ev.DECISION, exact))
    assert negotiation.decisions["s2"].time_zone == "UTC"
    assert "s1" not in negotiation.decisions


# -- objections ---------------------------------------------------------------------------
def _silence(world: World, decision_id: str = "s") -> int:
    deadline = world.clock + 2 * DAY
    world.act(
        world.chair,
        ev.DECISION,
        n.decision(decision_id, V1, "silence", deadline=deadline, time_zone="UTC"),
    )
    return deadline


def test_objections_under_consensus() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    refused(world, act(world, d["ARC"], ev.OBJECTION, n.objection("x")), "no such decision")
    refused(
        world, act(world, world.chair, ev.OBJECTION, n.objection("c")), "the chair does not object"
    )
    refused(
        world,
        act(world, d["ARC"], ev.OBJECTION, n.objection("c", "amendment")),
        "only a formal objection blocks",
    )
    refused(world, act(world, d["CAL"], ev.OBJECTION, n.objection("c")), "lacks the power to adopt")
    assert world.negotiation().decisions["c"].objections == []
    blocks = act(world, d["BOR"], ev.OBJECTION, n.objection("c", text="Borduria objects."))
    decision = took_effect(world, blocks).decisions["c"]
    assert [(o[0], o[2], o[3], o[4]) for o in decision.objections] == [
        (blocks, "BOR", "objection", "Borduria objects.")
    ]
    act(world, world.chair, ev.CLOSE, n.close("c", "not_adopted"))
    late = act(world, d["DUN"], ev.OBJECTION, n.objection("c"))
    negotiation = refused(world, late, "decision c was already closed")
    assert len(negotiation.decisions["c"].objections) == 1


def test_a_vote_is_not_objected_to() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    seq = act(world, d["BOR"], ev.OBJECTION, n.objection("v"))
    assert refused(world, seq, "a vote is not objected to: vote no").decisions["v"].objections == []


def test_silence_is_broken_by_any_delegation_until_the_millisecond_before_the_deadline() -> None:
    for at, in_time in ((-1, True), (0, False)):
        world, d = convene()
        deadline = _silence(world)
        world.rekey_if_needed(d["CAL"])
        world.clock = deadline + at - SECOND  # received at deadline + at
        seq = act(
            world, d["CAL"], ev.OBJECTION, n.objection("s", "amendment", "Insert 'promptly'.")
        )
        decision = took_effect(world, seq).decisions["s"]
        assert world.view.last_time == deadline + at
        if in_time:  # Calvia cannot adopt, but any delegation breaks silence
            assert [(o[0], o[1], o[2]) for o in decision.objections] == [(seq, deadline - 1, "CAL")]
            assert decision.late == []
        else:
            assert decision.objections == []
            assert decision.late == [(seq, deadline, "CAL", "amendment")]


# -- votes --------------------------------------------------------------------------------
def test_votes_only_in_a_vote_by_a_delegate_who_may_adopt_once_before_the_close() -> None:
    world, d = convene("simple_majority")
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    refused(
        world,
        act(world, d["ARC"], ev.VOTE, n.vote("c", "yes")),
        "decision c is taken by consensus, not by vote",
    )
    refused(
        world,
        act(world, world.chair, ev.VOTE, n.vote("v", "yes")),
        "a vote is cast by a delegate holding the power to adopt",
    )
    yes = act(world, d["ARC"], ev.VOTE, n.vote("v", "yes", "Arcadia explains."))
    again = act(world, d["ARC"], ev.VOTE, n.vote("v", "no"))
    refused(world, again, f"ARC has already voted (#{yes}): one vote a state")
    act(world, d["BOR"], ev.VOTE, n.vote("v", "no"))
    act(world, d["DUN"], ev.VOTE, n.vote("v", "yes"))
    close = act(world, world.chair, ev.CLOSE, n.close("v", "adopted"))
    after = act(world, d["BOR"], ev.VOTE, n.vote("v", "yes"))
    negotiation = refused(world, after, "the vote on v is closed")
    decision = negotiation.decisions["v"]
    assert decision.closed_seq == close
    assert decision.votes == {
        "ARC": (yes, "yes", "Arcadia explains."), "BOR": (yes + 2, "no", None),
        "DUN": (yes + 3, "yes", None),
    }  # fmt: skip
    assert decision.outcome(negotiation.last_time) == "adopted"  # 2 to 1
    assert reason(negotiation, close) is None
    [explained] = negotiation.statements
    assert (explained.seq, explained.state, explained.kind, explained.decision) == (
        yes,
        "ARC",
        "explanation_of_vote",
        "v",
    )
    assert (explained.subject, explained.text) == (
        "decision v on cica version 1",
        "Arcadia explains.",
    )


def test_a_delegate_without_the_power_to_adopt_does_not_vote() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    said = bypassing_the_relay(world, d["CAL"], ev.VOTE, n.vote("v", "yes"))
    assert said == "a vote is cast by a delegate holding the power to adopt"


def test_a_simple_majority_vote_through_the_record() -> None:
    world, d = convene("simple_majority")
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    act(world, d["ARC"], ev.VOTE, n.vote("v", "yes"))
    act(world, d["BOR"], ev.VOTE, n.vote("v", "yes"))
    act(world, d["DUN"], ev.VOTE, n.vote("v", "no"))
    close = act(world, world.chair, ev.CLOSE, n.close("v", "adopted"))
    negotiation = took_effect(world, close)
    assert negotiation.adopted(V1_HASH) is negotiation.decisions["v"]


# -- closing ------------------------------------------------------------------------------
def test_only_the_chair_closes_once() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    assert bypassing_the_relay(world, d["ARC"], ev.CLOSE, n.close("c", "adopted")) == (
        "only the chair closes a decision"
    )
    refused(world, act(world, world.chair, ev.CLOSE, n.close("x", "adopted")), "no such decision")
    first = act(world, world.chair, ev.CLOSE, n.close("c", "adopted"))
    act(world, d["BOR"], ev.OBJECTION, n.objection("c"))  # too late: no effect
    second = act(world, world.chair, ev.CLOSE, n.close("c", "not_adopted"))
    negotiation = refused(world, second, "decision c was already closed")
    decision = negotiation.decisions["c"]
    assert (decision.closed_seq, decision.claimed) == (first, "adopted")
    assert decision.outcome(negotiation.last_time) == "adopted"
    assert negotiation.adopted(V1_HASH) is decision


def test_a_silence_is_closed_at_its_deadline_not_a_millisecond_before() -> None:
    for at, effect in ((-1, False), (0, True)):
        world, _ = convene()
        deadline = _silence(world)
        world.clock = deadline + at - SECOND
        seq = act(world, world.chair, ev.CLOSE, n.close("s", "adopted"))
        if effect:
            assert took_effect(world, seq).decisions["s"].closed_seq == seq
        else:
            negotiation = refused(
                world, seq, "a silence procedure ends at its deadline, not before"
            )
            assert negotiation.decisions["s"].closed_seq is None


def test_a_claim_the_record_does_not_support_is_flagged() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    act(world, d["BOR"], ev.OBJECTION, n.objection("c"))
    seq = act(world, world.chair, ev.CLOSE, n.close("c", "adopted"))
    negotiation = refused(
        world,
        seq,
        "declared decision c adopted, but the record says not adopted: the claim is invalid",
    )
    assert negotiation.decisions["c"].claimed == "adopted"
    assert negotiation.adopted(V1_HASH) is None
    assert [f.who for f in negotiation.flags if f.seq == seq] == ["the chair"]


# -- statements ---------------------------------------------------------------------------
def test_statements_by_delegations_on_a_decision_or_a_paragraph() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    refused(world, act(world, world.chair, ev.STATEMENT, n.statement("reservation", "x", decision_id="c")),
            "statements are made by delegations")  # fmt: skip
    refused(world, act(world, d["ARC"], ev.STATEMENT, n.statement("reservation", "x", decision_id="nope")),
            "no such decision")  # fmt: skip
    refused(world, act(world, d["ARC"], ev.STATEMENT, n.statement("reservation", "x", paragraph="op9")),
            "no such paragraph")  # fmt: skip
    on_decision = act(
        world, d["ARC"], ev.STATEMENT, n.statement("reservation", "A.", decision_id="c")
    )
    on_paragraph = act(
        world, d["BOR"], ev.STATEMENT, n.statement("interpretative", "B.", paragraph="op2")
    )
    on_text = act(world, d["DUN"], ev.STATEMENT, n.statement("dissociation", "C."))
    negotiation = took_effect(world, on_text)
    assert [(s.seq, s.state, s.kind, s.subject, s.text, s.decision, s.text_id)
            for s in negotiation.statements] == [
        (on_decision, "ARC", "reservation", "decision c on cica version 1", "A.", "c", None),
        (on_paragraph, "BOR", "interpretative", "cica, paragraph 2", "B.", None, "cica"),
        (on_text, "DUN", "dissociation", "cica", "C.", None, "cica"),
    ]  # fmt: skip


# -- signatures and confirmations -----------------------------------------------------------
def _adopted(world: World) -> None:
    world.act(world.chair, ev.DECISION, n.decision("c", V1))
    world.act(world.chair, ev.CLOSE, n.close("c", "adopted"))


def test_a_signature_names_an_adopted_version_by_its_hash_once() -> None:
    world, d = convene()
    refused(
        world,
        act(world, d["ARC"], ev.SIGNATURE, n.signature(V1)),
        "version 1 of cica has not been adopted",
    )
    _adopted(world)
    wrong = n.signature(V1) | {"hash": Version.parse(n.version(title="Other")).hash}
    refused(
        world,
        act(world, d["ARC"], ev.SIGNATURE, wrong),
        "the hash signed is not that of the version named",
    )
    beyond = n.signature(V1) | {"version": 2}
    refused(
        world,
        act(world, d["ARC"], ev.SIGNATURE, beyond),
        "the hash signed is not that of the version named",
    )
    flag = n.signature(V1) | {"ad_referendum": "yes"}
    refused(world, act(world, d["ARC"], ev.SIGNATURE, flag), "ad_referendum must be true or false")
    refused(
        world,
        act(world, world.chair, ev.SIGNATURE, n.signature(V1)),
        "the chair does not sign for a state",
    )
    first = act(world, d["ARC"], ev.SIGNATURE, n.signature(V1))
    initials = act(world, d["ARC"], ev.SIGNATURE, n.signature(V1, "initialling"))
    refused(
        world,
        act(world, d["ARC"], ev.SIGNATURE, n.signature(V1)),
        "ARC has already made this signature",
    )
    negotiation = took_effect(world, initials)
    assert [(s.seq, s.id, s.state, s.signer, s.act, s.version_hash, s.ad_referendum, s.pending)
            for s in negotiation.signatures] == [
        (first, world.event_at(first).hash, "ARC", "Ana (ARC)", "signature", V1_HASH, False, False),
        (initials, world.event_at(initials).hash, "ARC", "Ana (ARC)", "initialling", V1_HASH, False, False),
    ]  # fmt: skip
    assert negotiation.signatures[0].time == world.seq.entries[first][1]["time"]


def test_a_signature_without_the_power_to_sign_has_no_effect() -> None:
    world, d = convene()
    _adopted(world)
    # The relay refuses a signature by a delegate without the power to sign; the fold
    # checks it again for the chair's capacity and for records from elsewhere.
    said = bypassing_the_relay(world, d["CAL"], ev.SIGNATURE, n.signature(V1))
    assert said == "signing needs full powers to sign"
    assert world.negotiation().signatures == []


def _pending(world: World, d: dict[str, Author]) -> str:
    _adopted(world)
    return world.event_at(
        act(world, d["BOR"], ev.SIGNATURE, n.signature(V1, ad_referendum=True))
    ).hash


def test_a_confirmation_is_signed_by_the_states_accredited_root() -> None:
    world, d = convene()
    signature = _pending(world, d)
    stranger = World(label="other ").roots["BOR"]
    forged = confirm(stranger, state="BOR", signature=signature, confirmed_at=world.clock)
    seq = act(world, d["BOR"], ev.CONFIRMATION, {"confirmation": forged})
    negotiation = refused(world, seq, "not signed by the root of an authority seated for the state")
    assert negotiation.signatures[0].pending
    unknown_state = confirm(
        world.roots["ARC"], state="XYZ", signature=signature, confirmed_at=world.clock
    )
    seq = act(world, d["BOR"], ev.CONFIRMATION, {"confirmation": unknown_state})
    refused(world, seq, "not signed by the root of an authority seated for the state")


def test_a_confirmation_of_a_signature_that_is_not_pending_or_not_the_states() -> None:
    world, d = convene()
    signature = _pending(world, d)
    plain = world.event_at(act(world, d["ARC"], ev.SIGNATURE, n.signature(V1))).hash
    of_plain = confirm(world.roots["ARC"], state="ARC", signature=plain, confirmed_at=world.clock)
    refused(world, act(world, d["ARC"], ev.CONFIRMATION, {"confirmation": of_plain}),
            "that signature is not awaiting confirmation")  # fmt: skip
    other_state = confirm(
        world.roots["ARC"], state="ARC", signature=signature, confirmed_at=world.clock
    )
    refused(world, act(world, d["ARC"], ev.CONFIRMATION, {"confirmation": other_state}),
            "no signature of ARC with that id")  # fmt: skip
    real = confirm(world.roots["BOR"], state="BOR", signature=signature, confirmed_at=world.clock)
    done = act(world, d["BOR"], ev.CONFIRMATION, {"confirmation": real})
    negotiation = took_effect(world, done)
    bor = next(s for s in negotiation.signatures if s.state == "BOR")
    assert (bor.confirmed_seq, bor.pending) == (done, False)
    twice = act(world, d["BOR"], ev.CONFIRMATION, {"confirmation": real})
    refused(world, twice, "that signature is not awaiting confirmation")


# -- the fold ---------------------------------------------------------------------------
def test_a_proposal_is_found_by_a_prefix_of_its_id() -> None:
    world, d = convene()
    p = world.event_at(act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))).hash
    negotiation = world.negotiation()
    assert negotiation.proposal(p[:20]).id == p
    assert negotiation.proposal(p.removeprefix("sha256:")[:10]).id == p
    assert negotiation.proposal(p.removeprefix("sha256:")[:6]).id == p
    with pytest.raises(Exception, match="no proposal starts with 'zzzzzz'"):
        negotiation.proposal("zzzzzz")
    # Too short to name one: even the only proposal is not taken for it.
    for short in ("", "sha256:", p.removeprefix("sha256:")[:5]):
        with pytest.raises(Exception, match="give a proposal's id, at least its first 6"):
            negotiation.proposal(short)
    # Two ids that share the characters given: neither is taken for it.
    twin = "sha256:" + p.removeprefix("sha256:")[:8] + "x" * 35
    negotiation.proposals[twin] = negotiation.proposals[p]
    with pytest.raises(Exception, match="more than one proposal starts with"):
        negotiation.proposal(p[:15])
    assert negotiation.proposal(p[:20]).id == p


def test_the_latest_receipt_time_is_the_fold_s_now() -> None:
    world, _ = convene()
    deadline = _silence(world)
    negotiation = world.negotiation()
    assert negotiation.last_time == world.view.last_time < deadline
    assert negotiation.decisions["s"].outcome(negotiation.last_time) == "open"
    world.clock = deadline
    world.say(world.chair, "Time passes.")
    negotiation = world.negotiation()
    assert negotiation.last_time >= deadline
    assert negotiation.adopted(V1_HASH) is negotiation.decisions["s"]


# -- the sizes and forms of what delegations write ------------------------------------------
LONG = 20_000  # ten times schema.MAX_REASON: objections, statements, explanations of vote


def test_an_objection_a_statement_and_an_explanation_up_to_20000_characters() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    act(world, world.chair, ev.DECISION, n.decision("v2", V1, "vote"))
    for size, effect in ((LONG, True), (LONG + 1, False)):
        words = "w" * size
        seqs = [
            act(world, d["BOR"] if effect else d["DUN"], ev.OBJECTION, n.objection("c", text=words)),
            act(world, d["ARC"], ev.STATEMENT, n.statement("reservation", words, decision_id="c")),
            act(world, d["ARC"] if effect else d["DUN"], ev.VOTE, n.vote("v" if effect else "v2", "yes", words)),
        ]  # fmt: skip
        negotiation = world.negotiation()
        for seq in seqs:
            said = reason(negotiation, seq)
            if effect:
                assert said is None, said
            else:
                assert said is not None and f"longer than {LONG} characters" in said


def test_a_reason_for_reopening_up_to_2000_characters() -> None:
    world, d = convene()
    for size, effect in ((2000, True), (2001, False)):
        act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref"))
        seq = act(world, d["ARC"], ev.PARAGRAPH_STATUS, n.status("op1", "open", reason="r" * size))
        said = reason(world.negotiation(), seq)
        assert (said is None) if effect else ("longer than 2000 characters" in str(said)), said


def test_a_text_id_of_the_wrong_form_is_refused_as_such() -> None:
    world, d = convene()
    _adopted(world)
    bad = "Not an id!"
    seqs = [
        act(world, d["ARC"], ev.SIGNATURE, n.signature(V1) | {"text": bad}),
        act(world, d["ARC"], ev.STATEMENT, n.statement("reservation", "x") | {
            "subject": {"decision": None, "text": bad, "paragraph": None}}),
        act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("op1", "agreed_ad_ref") | {"text": bad}),
    ]  # fmt: skip
    negotiation = world.negotiation()
    for seq in seqs:
        assert f"text id {bad!r} is not of the allowed form" in str(reason(negotiation, seq))


def test_a_signature_names_a_version_from_one() -> None:
    world, d = convene()
    _adopted(world)
    seq = act(world, d["ARC"], ev.SIGNATURE, n.signature(V1) | {"version": 0})
    assert "version must be at least 1" in str(reason(world.negotiation(), seq))


def test_a_later_version_adopted_and_signed() -> None:
    world, d = convene()
    v2 = n.version(2, title="Revised arrangement")
    act(world, world.chair, ev.TEXT, n.table(v2))
    world.act(world.chair, ev.DECISION, n.decision("c2", v2))
    world.act(world.chair, ev.CLOSE, n.close("c2", "adopted"))
    early = act(world, d["ARC"], ev.SIGNATURE, n.signature(V1))  # version 1 was not adopted
    seq = act(world, d["ARC"], ev.SIGNATURE, n.signature(v2))
    negotiation = took_effect(world, seq)
    assert "version 1 of cica has not been adopted" in str(reason(negotiation, early))
    assert [s.version_hash for s in negotiation.signatures] == [Version.parse(v2).hash]


def test_a_decision_on_a_paragraph_is_labelled_with_it() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("p2", V1, paragraph="op2"))
    act(world, d["ARC"], ev.STATEMENT, n.statement("reservation", "A.", decision_id="p2"))
    [statement] = world.negotiation().statements
    assert statement.subject == "decision p2 on cica version 1, paragraph op2"


def test_new_paragraphs_proposed_after_the_same_one_compile_in_the_order_proposed() -> None:
    world, d = convene()
    for state, pid in (("BOR", "op5"), ("ARC", "op4")):
        new = (pid, "operative", pid[-1], f"Paragraph proposed by {state}.")
        act(world, d[state], ev.AMEND, n.amend("op3", "add_after", new_paragraph=new))
    compiled = world.negotiation().compiled(n.TEXT_ID)
    assert [c.paragraph.id for c in compiled][-3:] == ["op3", "op5", "op4"]


def test_a_confirmation_of_no_signature_at_all() -> None:
    world, d = convene()
    _pending(world, d)
    nothing = confirm(world.roots["BOR"], state="BOR", signature="sha256:" + "A" * 43,
                      confirmed_at=world.clock)  # fmt: skip
    seq = act(world, d["BOR"], ev.CONFIRMATION, {"confirmation": nothing})
    assert reason(world.negotiation(), seq) == "no signature of BOR with that id"


def test_a_decision_records_when_it_was_opened_and_on_an_earlier_version() -> None:
    world, _ = convene()
    act(world, world.chair, ev.TEXT, n.table(n.version(2, title="Revised")))
    seq = act(world, world.chair, ev.DECISION, n.decision("c", V1))
    decision = took_effect(world, seq).decisions["c"]
    assert (decision.seq, decision.opened_at) == (seq, world.seq.entries[seq][1]["time"])
    assert (decision.subject.version, decision.deadline, decision.time_zone) == (1, None, None)


def test_a_silence_s_time_zone_up_to_64_characters() -> None:
    world, _ = convene()
    deadline = world.clock + 2 * DAY
    for zone, effect in (("Z" * 64, True), ("Z" * 65, False)):
        content = n.decision(f"s{len(zone)}", V1, "silence", deadline=deadline, time_zone=zone)
        seq = act(world, world.chair, ev.DECISION, content)
        said = reason(world.negotiation(), seq)
        assert (said is None) if effect else ("longer than 64 characters" in str(said)), said


def test_an_act_naming_a_decision_that_is_not_text() -> None:
    world, d = convene()
    seq = act(world, d["BOR"], ev.OBJECTION, {"decision": ["c"], "kind": "objection", "text": "?"})
    assert reason(world.negotiation(), seq) == "no such decision"


def test_an_earlier_version_compiles_with_the_proposals_made_on_it() -> None:
    world, d = convene()
    p1 = world.event_at(
        act(world, d["ARC"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="should"))
    ).hash
    p2 = world.event_at(act(world, d["BOR"], ev.AMEND, n.amend("op2", "delete_paragraph"))).hash
    act(world, d["BOR"], ev.STANCE, n.stance(p2, "withdraw"))
    new = ("op4", "operative", "4", "This arrangement is voluntary.")
    p3 = world.event_at(
        act(world, d["DUN"], ev.AMEND, n.amend("op3", "add_after", new_paragraph=new))
    ).hash
    act(world, world.chair, ev.PARAGRAPH_STATUS, n.status("pp1", "agreed_ad_ref"))
    act(world, world.chair, ev.TEXT, n.table(n.version(2), [(p1, "dropped")]))
    p4 = world.event_at(
        act(world, d["ARC"], ev.AMEND, n.amend("op3", "delete_paragraph", version=2))
    ).hash
    negotiation = world.negotiation()
    old = negotiation.compiled(n.TEXT_ID, 1)
    assert [c.paragraph.id for c in old] == ["pp1", "op1", "op2", "op3", "op4"]
    assert [c.status for c in old] == ["open"] * 5  # marks belong to the current version
    shown = {p.id for c in old for p in (*c.replacements, *c.deletions, *c.unplaced)}
    shown |= {
        a.proposal.id
        for c in old
        for piece in c.pieces
        if isinstance(piece, Place)
        for a in piece.alternatives
        if a.proposal is not None
    }
    assert p1 in shown and p3 in shown and p2 not in shown  # withdrawn: gone; decided: shown
    added = old[-1]
    assert "[(1)" not in old[3].render()  # a new paragraph is not an alternative to op3
    assert (added.proposed, added.status, added.replacements, added.deletions, added.unplaced) == (
        True, "open", (negotiation.proposals[p3],), (), ()
    )  # fmt: skip
    current = negotiation.compiled(n.TEXT_ID)
    assert current == negotiation.compiled(n.TEXT_ID, 2)
    assert [c.status for c in current] == ["agreed_ad_ref", "open", "open", "open"]
    assert [p.id for c in current for p in c.deletions] == [p4]
    rendered = negotiation.render(n.TEXT_ID, 1).split("\n")
    assert rendered[:2] == [f"Cyber-Incident Cooperation Arrangement (version 1, {V1_HASH})", ""]
    assert "should (Proposed: ARC)" in rendered[3]
    assert rendered[-1] == "4. [This arrangement is voluntary. (Proposed: DUN)]"
    assert (
        negotiation.render(n.TEXT_ID)
        .split("\n")[0]
        .endswith(f"(version 2, {Version.parse(n.version(2)).hash})")
    )


def test_each_act_without_effect_names_who_made_it() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("c", V1))
    refused_act = act(world, d["BOR"], ev.STANCE, n.stance("sha256:nope", "support"))
    unhashable = {"version": n.version(2), "outcomes": [{"proposal": ["?"], "outcome": "dropped"}]}
    malformed = act(world, world.chair, ev.TEXT, unhashable)
    negotiation = world.negotiation()
    flags = {f.seq: f for f in negotiation.flags}
    assert (flags[refused_act].who, flags[refused_act].reason) == (
        "Boris (BOR)",
        "no such proposal",
    )
    assert flags[malformed].who == "the chair (Chair)"
    assert flags[malformed].reason.startswith("malformed content: TypeError(")


def test_an_act_made_under_powers_revoked_earlier_is_void_and_says_whose() -> None:
    world, d = convene()
    act(world, world.chair, ev.DECISION, n.decision("v", V1, "vote"))
    stolen = world.clock
    vote = act(world, d["DUN"], ev.VOTE, n.vote("v", "yes"))
    revocation = world.revoke("DUN", d["DUN"], stolen)
    world.submit(world.chair.publish_revocation(world.view, revocation, world.tick()))
    negotiation = world.negotiation()
    [flag] = [f for f in negotiation.flags if f.seq == vote]
    assert flag.who == "Dara (DUN)" and flag.reason.startswith("void:")
    assert negotiation.decisions["v"].votes == {}


def test_an_act_no_key_opens_is_flagged_not_read_with_its_author() -> None:
    world, d = convene()
    seq = act(world, d["ARC"], ev.STATEMENT, n.statement("reservation", "Secret."))
    stranger = world.member(SigningKey.from_label("a stranger without devices"))
    entries = [(s, r["time"], world.event_at(s)) for s, (_, r) in enumerate(world.seq.entries)]
    assert world.view.state is not None and stranger.keyring is not None
    negotiation = read(world.view.state, stranger.keyring, entries, world.view.last_time)
    flag = next(f for f in negotiation.flags if f.seq == seq)
    assert flag.who == "Ana (ARC)" and flag.reason.startswith("not read: ")
    assert [f.seq for f in negotiation.flags] == sorted(f.seq for f in negotiation.flags)
    assert negotiation.statements == []


def test_an_act_on_a_text_that_was_never_tabled() -> None:
    world, d = convene()
    seq = act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph") | {"text": "nothing"})
    assert reason(world.negotiation(), seq) == "there is no text 'nothing'"


def test_a_text_s_history_says_who_did_what_and_when() -> None:
    world, d = convene()
    p = world.event_at(act(world, d["ARC"], ev.AMEND, n.amend("op1", "delete_paragraph"))).hash
    quiet = act(world, world.chair, ev.TEXT, n.table(n.version(2)))
    act(world, world.chair, ev.TEXT, n.table(n.version(3), [(p, "dropped")]))
    history = world.negotiation().texts[n.TEXT_ID].history
    tabled_at = world.seq.entries[history[0][0]][1]["time"]
    assert history[0][1] == f"tabled by the chair at {format_time(tabled_at)}"
    quiet_at = format_time(world.seq.entries[quiet][1]["time"])
    assert history[1] == (quiet, f"version 2 issued by the chair at {quiet_at}")
    assert history[2][1].endswith(": ARC's proposal dropped")
