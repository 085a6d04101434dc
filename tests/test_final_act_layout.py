"""What a final act shows beyond what was adopted: who signed in which capacity, what an
initialling means under the treaty's settings, the participating states, the roll-call,
and statements with their subject and timing, observers' contributions apart."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import events as ev
from accord.core import final_act
from accord.core.credentials import issue_full_powers
from accord.core.genesis import procedure_2
from accord.core.keys import SigningKey
from accord.core.texts import Version
from accord.documents.final_act import final_act_context
from accord.documents.pdf import done_at
from tests import negotiating as n
from tests.builders import World


def _context(initialling_is_signature: bool) -> dict[str, Any]:
    """Three members and an observer under procedure 2; version 1 adopted by vote; Calvia's
    foreign minister signs in virtue of functions, Arcadia's delegate initials."""
    procedure = procedure_2(
        3, consensus_min_ms=0, initialling_is_signature=initialling_is_signature
    )
    world = World(
        states=("ARC", "BOR", "CAL"), observers=("EU",), procedure=procedure, place="Vienna"
    )
    arc, bor = world.join("ARC", "Ana"), world.join("BOR", "Boris")
    eu = world.join("EU", "Observer", ["negotiate"])
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(world.chair, ev.DECISION, n.decision("v", v1, "vote", kind="adoption"))
    world.act(eu, ev.STATEMENT, n.statement("explanation_of_position", "The EU welcomes it.",
                                            decision_id="v"))  # fmt: skip
    world.act(arc, ev.VOTE, n.vote("v", "yes"))
    world.act(bor, ev.VOTE, n.vote("v", "present"))
    world.act(world.chair, ev.CLOSE, n.close("v", "adopted"))
    minister_key = SigningKey.from_label("Calvia's foreign minister")
    credential = issue_full_powers(
        world.roots["CAL"], state="CAL", delegate="Minister Ostrova", key=minister_key.public,
        powers=["negotiate", "adopt", "sign"], conferences=["elsewhere"],
        not_before=world.clock - 1000, not_after=world.clock + 86_400_000, issued_at=world.clock,
        office="minister_for_foreign_affairs",
    )  # fmt: skip
    minister = world.member(minister_key)
    world.submit(minister.join(world.view, credential, world.tick()))
    world.add_device(minister, "tablet")
    world.act(minister, ev.SIGNATURE, n.signature(v1))
    world.act(arc, ev.SIGNATURE, n.signature(v1, act="initialling"))
    state = world.view.state
    assert state is not None and world.chair.keyring is not None
    keys = final_act.disclosure(
        state, world.chair.keyring, [world.event_at(s) for s in range(world.view.length)]
    )
    report = final_act.verify(
        final_act.build(world.lines(), n.TEXT_ID, Version.parse(v1).hash, keys)
    )
    assert report.ok, report.problem
    return final_act_context(report)


@pytest.mark.parametrize(
    ("initialling_is_signature", "meaning"),
    [(True, "constitutes signature (VCLT art. 12(2)(a))"),
     (False, "authenticates the text (VCLT art. 10)")],
)  # fmt: skip
def test_an_initialling_means_what_the_treaty_settings_say(
    initialling_is_signature: bool, meaning: str
) -> None:
    c = _context(initialling_is_signature)
    blocks = {b["code"]: b["signatures"] for b in c["signature_blocks"]}
    assert [(s["act"], s["meaning"]) for s in blocks["ARC"]] == [("initialling", meaning)]
    assert blocks["BOR"] == []  # a signature block for every member state, signed or not
    assert "EU" not in blocks  # observers do not sign


def test_an_office_holder_signs_in_virtue_of_functions_not_under_full_powers() -> None:
    c = _context(False)
    blocks = {b["code"]: b["signatures"] for b in c["signature_blocks"]}
    assert blocks["CAL"][0]["capacity"] == (
        "Minister for Foreign Affairs, in virtue of functions (VCLT art. 7(2)(a))"
    )
    assert blocks["ARC"][0]["capacity"] == "under full powers"
    functions = {fp["label"]: fp["function"] for fp in c["full_powers"]}
    assert functions == {
        "Minister Ostrova (CAL)": "Minister for Foreign Affairs",
        "Ana (ARC)": None,
    }


def test_the_record_lists_participants_roll_call_and_observers_apart() -> None:
    c = _context(False)
    assert [(p["code"], p["role"]) for p in c["participants"]] == [
        ("ARC", "member"), ("BOR", "member"), ("CAL", "member"), ("EU", "observer"),
    ]  # fmt: skip
    assert c["decision"]["roll_call"] == [
        ("ARC", "yes"), ("BOR", "present, not voting"), ("CAL", "absent")
    ]  # fmt: skip
    assert c["statements"] == []
    [contribution] = c["observers_statements"]
    assert (contribution["state"], contribution["timing"]) == ("EU", "before the decision")
    assert contribution["subject"] == "decision v on cica version 1"
    assert c["rules"] == (
        "rules of procedure version 2 (majorities of the members present and voting; a quorum "
        "of 2; adoption of text without brackets only)"
    )
    assert _context(True)["rules"].endswith("; initialling constitutes signature)")


def test_the_final_act_says_where_and_when_it_was_done() -> None:
    c = _context(False)
    assert c["conference"]["place"] == "Vienna"
    assert c["decision"]["adopted_at"] is not None
    assert done_at(c) == f"Done at Vienna, {c['decision']['adopted_at']}."
    c["conference"]["place"] = None  # a genesis that names no place (every version 1 one)
    assert done_at(c).startswith("Done at the conference Test Conference, ")
