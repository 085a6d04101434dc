"""Check before signing (issue 14, point 1): `Negotiation.trial` says of an act what the
fold will say of it once it is recorded, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import events as ev
from accord.core.author import Author
from accord.core.genesis import procedure_2
from tests import negotiating as n
from tests.builders import DAY, World
from tests.test_rules_negotiation import reason

V1 = n.version()


def _world() -> tuple[World, dict[str, Author]]:
    world = World(states=("ARC", "BOR", "CAL"), procedure=procedure_2(3, consensus_min_ms=0))
    d = {c: world.join(c, f"Delegate {c}", ["negotiate", "adopt"] if c == "CAL" else
                       ["negotiate", "adopt", "sign"]) for c in ("ARC", "BOR", "CAL")}  # fmt: skip
    world.act(world.chair, ev.TEXT, n.table(V1))
    world.act(world.chair, ev.DECISION, n.decision("vote", V1, "vote", kind="adoption"))
    world.act(d["ARC"], ev.VOTE, n.vote("vote", "yes"))
    world.act(world.chair, ev.DECISION, n.decision("cons", V1, kind="adoption"))
    world.act(d["BOR"], ev.OBJECTION, n.objection("cons"))
    world.act(world.chair, ev.DECISION, n.decision(
        "silence", V1, "silence", deadline=world.clock + DAY + 10_000, time_zone="UTC",
        kind="adoption"))  # fmt: skip
    return world, d


ACTS: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("ARC", ev.VOTE, n.vote("nothing", "yes"), "no such decision"),
    ("ARC", ev.VOTE, n.vote("vote", "no"), "ARC has already voted"),
    ("BOR", ev.VOTE, n.vote("vote", "present"), None),
    ("chair", ev.CLOSE, n.close("cons", "adopted"), "the record says not adopted"),
    ("chair", ev.CLOSE, n.close("cons", "not_adopted"), None),
    ("ARC", ev.AMEND, n.amend("op9", "delete_paragraph"), "paragraph op9 is not in version 1"),
    ("CAL", ev.SIGNATURE, n.signature(V1), "has not been adopted"),
    ("BOR", ev.OBJECTION, n.objection("vote"), "a vote is not objected to"),
    ("CAL", ev.STATEMENT, n.statement("interpretative", "Calvia reads it so."), None),
]


@pytest.mark.parametrize(("who", "kind", "content", "expected"), ACTS)
def test_a_trial_says_what_the_fold_will_say(
    who: str, kind: str, content: dict[str, Any], expected: str | None
) -> None:
    world, d = _world()
    author = world.chair if who == "chair" else d[who]
    before = world.negotiation()
    world.rekey_if_needed(world.chair)
    event = author.encrypted(world.view, kind, content, world.tick())
    parsed = ev.Event.parse(event)
    predicted = before.trial(world.view.length, world.clock, parsed, content)
    seq = world.submit(event)["seq"]
    recorded = reason(world.negotiation(), seq)
    assert predicted == recorded
    if expected is None:
        assert predicted is None
    else:
        assert predicted is not None and expected in predicted


def test_a_trial_changes_nothing() -> None:
    world, d = _world()
    negotiation = world.negotiation()
    decisions = {i: (len(x.votes), len(x.objections), x.closed_seq)
                 for i, x in negotiation.decisions.items()}  # fmt: skip
    flags, statements = list(negotiation.flags), list(negotiation.statements)
    world.rekey_if_needed(world.chair)
    for who, kind, content, _ in ACTS:
        author = world.chair if who == "chair" else d[who]
        parsed = ev.Event.parse(author.encrypted(world.view, kind, content, world.clock + 1))
        negotiation.trial(world.view.length, world.clock + 1, parsed, content)
    assert decisions == {i: (len(x.votes), len(x.objections), x.closed_seq)
                         for i, x in negotiation.decisions.items()}  # fmt: skip
    assert (negotiation.flags, negotiation.statements) == (flags, statements)


def test_a_late_objection_to_a_silence_is_foreseen() -> None:
    world, d = _world()
    late_time = world.clock + 2 * DAY
    parsed = ev.Event.parse(d["CAL"].encrypted(world.view, ev.OBJECTION,
                                                n.objection("silence"), world.clock))  # fmt: skip
    said = world.negotiation().trial(world.view.length, late_time, parsed, n.objection("silence"))
    assert said == "it would come after the deadline of silence: the silence has held"
    assert world.negotiation().trial(world.view.length, world.clock, parsed,
                                     n.objection("silence")) is None  # fmt: skip


def test_a_texts_history_tells_decisions_statements_and_signatures() -> None:
    """Issue 14: the history of a text omitted its adoption, statements and signatures."""
    world, d = _world()
    world.act(d["BOR"], ev.VOTE, n.vote("vote", "yes"))
    world.act(world.chair, ev.CLOSE, n.close("vote", "adopted"))
    world.act(d["BOR"], ev.STATEMENT, n.statement("reservation", "Borduria reserves."))
    world.act(d["ARC"], ev.SIGNATURE, n.signature(V1, ad_referendum=True))
    history = [what for _, what in world.negotiation().texts["cica"].history]
    assert history[1:] == [
        "decision vote (vote on cica version 1) closed: adopted",
        "reservation by BOR on cica",
        "signature of version 1 by Delegate ARC (ARC) ad referendum",
    ]


def test_the_history_words_outcomes_signatures_and_observers_as_people_read_them() -> None:
    world = World(states=("ARC", "BOR"), observers=("EU",), procedure=procedure_2(2,
                  consensus_min_ms=0))  # fmt: skip
    arc, bor = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    eu = world.join("EU", "Observer", ["negotiate"])
    world.act(world.chair, ev.TEXT, n.table(V1))
    world.act(world.chair, ev.DECISION, n.decision("no", V1, kind="adoption"))
    world.act(bor, ev.OBJECTION, n.objection("no"))
    world.act(world.chair, ev.CLOSE, n.close("no", "not_adopted"))
    world.act(world.chair, ev.DECISION, n.decision("yes", V1, kind="adoption"))
    world.act(world.chair, ev.CLOSE, n.close("yes", "adopted"))
    world.act(eu, ev.STATEMENT, n.statement("interpretative", "The EU reads it so."))
    world.act(arc, ev.SIGNATURE, n.signature(V1))
    history = [what for _, what in world.negotiation().texts["cica"].history]
    assert history[1:] == [
        "decision no (consensus on cica version 1) closed: not adopted",
        "decision yes (consensus on cica version 1) closed: adopted",
        "interpretative by EU (observer) on cica",
        "signature of version 1 by Ana (ARC)",
    ]
