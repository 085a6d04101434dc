"""Rules of procedure 2 added with meetings and groups (docs/protocol.md 12.4, GA rule 89),
each at the edge that a mutant of it crossed: the tests the mutation run asked for that
belong to no one feature's file."""

from __future__ import annotations

from accord.core import events as ev
from accord.core.author import Author
from tests import negotiating as n
from tests.builders import World
from tests.test_rules_negotiation import act, refused, took_effect
from tests.test_rules_procedure import V1, convene, vote_on

YES = {"ARC": "yes", "BOR": "yes", "CAL": "yes", "DUN": "no"}


def _move(world: World, by: Author, kind: str, parts: list[str] | None = None) -> int:
    content = {"motion": kind, "text": n.TEXT_ID, "reason": "x"}
    return act(world, by, ev.MOTION, content | ({} if parts is None else {"parts": parts}))


def _carry(world: World, d: dict[str, Author], motion_seq: int) -> None:
    motion = world.event_at(motion_seq).hash
    vote_on(world, d, YES, n.decision("on-motion", V1, "vote", kind="motion")
            | {"subject": {"kind": "motion", "motion": motion}})  # fmt: skip


def test_a_division_names_at_most_2000_paragraphs_each_by_its_id() -> None:
    world, d = convene()
    too_many = [f"p{i:04d}" for i in range(2001)]
    refused(world, _move(world, d["ARC"], "division", too_many), "parts has more than 2000 items")
    refused(world, _move(world, d["ARC"], "division", ["Op 1"]),
            "parts 'Op 1' is not of the allowed form")  # fmt: skip


def test_a_motion_other_than_division_holds_no_parts() -> None:
    world, d = convene()
    seq = _move(world, d["ARC"], "closure_of_debate")
    [motion] = took_effect(world, seq).motions.values()
    assert (motion.kind, motion.parts) == ("closure_of_debate", ())


def test_only_the_decisions_on_the_parts_themselves_let_the_whole_be_decided() -> None:
    world, d = convene()
    _carry(world, d, _move(world, d["CAL"], "division", ["op3"]))
    # Another paragraph adopted separately says nothing of the part.
    vote_on(world, d, YES, n.decision("op1-apart", V1, "vote", paragraph="op1", kind="adoption"))
    whole = act(world, world.chair, ev.DECISION, n.decision("whole", V1, kind="adoption"))
    refused(world, whole, "paragraph 3 is decided separately before the version as a whole")


def test_a_part_adopted_by_a_silence_procedure_lets_the_whole_be_decided() -> None:
    world, d = convene()
    _carry(world, d, _move(world, d["CAL"], "division", ["op3"]))
    deadline = world.clock + 2 * 86_400_000
    act(world, world.chair, ev.DECISION, n.decision("op3-apart", V1, "silence", deadline=deadline,
        time_zone="UTC", paragraph="op3", kind="adoption"))  # fmt: skip
    world.tick(3 * 86_400_000)
    took_effect(world, act(world, world.chair, ev.CLOSE, n.close("op3-apart", "adopted")))
    whole = act(world, world.chair, ev.DECISION, n.decision("whole", V1, kind="adoption"))
    took_effect(world, whole)
