"""Frozen final acts, one per version of the rules of procedure, and what they show.

`final-act-procedure-1.json` was made under version 1 (consensus, a proposal, a statement,
signatures ad referendum); `final-act-procedure-2.json` under version 2 with every act it
added (a credentials contest and the seating, a restricted document and its receipts, an
informal informal, a facilitator's text and report, a group statement and an alignment, a
division, a roll-call vote with "present", a signature pending confirmation under VCLT
art. 8). `final-acts.json` holds what verification shows of each.

These files are never rewritten: a treaty's record must verify decades later as it did.
`tests/test_vectors.py` checks that each still verifies and shows exactly what is
recorded here; a change that breaks that breaks old records. Run this module only to add
a vector for a new version of the rules (`python -m tests.vectors.final_acts NAME`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from accord.core import events as ev
from accord.core import final_act
from accord.core.final_act import FinalActReport
from accord.core.genesis import procedure_2
from accord.core.keys import SigningKey
from accord.core.restricted import seal_copies
from accord.core.texts import Version
from tests import negotiating as n
from tests.builders import World, key

HERE = Path(__file__).parent
EXPECTED = HERE / "final-acts.json"
MINUTE = 60_000


def summary(report: FinalActReport) -> dict[str, Any]:
    """What a final act shows, as plain JSON: what must never change for a given file."""
    assert report.ok, report.problem
    assert report.record and report.record.state and report.version and report.decision
    assert report.negotiation is not None
    d, state = report.decision, report.record.state
    return {
        "entries": report.record.entries,
        "state_digest": state.digest(),
        "version": [report.version.text_id, report.version.number, report.version.hash],
        "decision": [
            d.id,
            d.procedure,
            d.rule,
            d.subject.kind,
            str(d.outcome(report.negotiation.last_time)),
        ],
        "roll_call": d.roll_call() if d.procedure == "vote" else None,
        "statements": [
            [s.seq, s.state, s.kind, s.subject, s.timing, s.observer, s.on_behalf_of, s.aligns_with]
            for s in report.statements
        ],
        "signatures": [
            [s.seq, s.state, s.act, s.ad_referendum, s.pending, s.unauthorised]
            for s in report.signatures
        ],
        "flags": [[f.seq, f.reason] for f in report.negotiation.flags],
        "outcomes": {
            i: str(x.outcome(report.negotiation.last_time))
            for i, x in sorted(report.negotiation.decisions.items())
        },
        "seating_marks": sorted(state.seating.marks.items()),
    }


def _keys(world: World) -> dict[str, bytes]:
    state = world.view.state
    assert state is not None and world.chair.keyring is not None
    events = [world.event_at(s) for s in range(world.view.length)]
    return final_act.disclosure(state, world.chair.keyring, events)


def procedure_1() -> bytes:
    world = World(states=("ARC", "BOR", "CAL"), label="fa1 ")
    d = {c: world.join(c, f"Delegate {c}") for c in ("ARC", "BOR", "CAL")}
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    world.act(d["ARC"], ev.AMEND, n.amend("op1", "replace_words", old="shall", new="should"))
    world.act(world.chair, ev.DECISION, n.decision("adopt-v1", v1))
    world.act(world.chair, ev.CLOSE, n.close("adopt-v1", "adopted"))
    world.act(d["CAL"], ev.STATEMENT, n.statement("dissociation", "Calvia dissociates.",
                                                  paragraph="op3"))  # fmt: skip
    world.act(d["ARC"], ev.SIGNATURE, n.signature(v1))
    world.act(d["BOR"], ev.SIGNATURE, n.signature(v1, ad_referendum=True))
    return final_act.build(world.lines(), n.TEXT_ID, Version.parse(v1).hash, _keys(world))


def _public(world: World, by: Any, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    return world.submit(by.event(world.view, kind, body, world.tick()))


def procedure_2_act() -> bytes:
    states = ("ARC", "BOR", "CAL", "DUN")
    world = World(states=states, label="fa2 ", procedure=procedure_2(
        len(states), credentials_committee=("ARC",)), place="Vienna")  # fmt: skip
    d = {c: world.join(c, f"Delegate {c}") for c in states if c != "DUN"}
    d["DUN"] = world.join("DUN", "Delegate DUN", ["negotiate", "adopt"])  # no power to sign
    v1 = n.version()
    world.act(world.chair, ev.TEXT, n.table(v1))
    # A credentials contest for Dunland's seat, decided for the invited authority.
    council: SigningKey = key("fa2 council of Dunland")
    _public(world, world.chair.__class__(council, world.conf), ev.CREDENTIALS,
            {"seat": "DUN", "authority": "Council of Dunland"})  # fmt: skip
    world.act(d["DUN"], ev.STATEMENT, n.statement("interpretative", "Dunland, provisionally."))
    report = _public(world, d["ARC"], ev.CREDENTIALS_REPORT, {"findings": [
        {"seat": "DUN", "root": council.public.text, "finding": "reject"},
        {"seat": "DUN", "root": world.roots["DUN"].public.text, "finding": "accept"},
    ], "text": "In due form."})["event"]  # fmt: skip
    world.act(world.chair, ev.DECISION, {"decision": "cred", "subject": {
        "kind": "credentials", "report": report}, "procedure": "consensus", "rule": None,
        "deadline": None, "time_zone": None})  # fmt: skip
    world.tick(16 * MINUTE)
    world.act(world.chair, ev.CLOSE, n.close("cred", "adopted"))
    _public(world, world.chair, ev.SEATING, {"report": report, "decision": "cred"})
    # A restricted document, signed for by its one recipient.
    state = world.view.state
    assert state is not None
    body = seal_copies(world.conf, "np-1", "Elements", "working draft for informal consultations",
                       {"ARC": ("Arcadia's copy.",)},
                       {"ARC": state.devices_of(state.identities_of("ARC", world.clock + 1000))},
                       state.devices_of(frozenset({world.chair.key.public.text})))  # fmt: skip
    _public(world, world.chair, ev.DOCUMENT, body)
    commit = body["copies"][0]["commit"]
    _public(world, d["ARC"], ev.DOCUMENT_RECEIPT, {"document": "np-1", "commit": commit})
    # A facilitator, an informal informal, its text and report.
    world.submit(world.chair.open_channel(world.view, "informals", "group", ["BOR", "CAL"],
                                          world.tick()))  # fmt: skip
    _public(world, world.chair, ev.APPOINTMENT,
            {"role": "facilitator", "state": "CAL", "item": "cica-op2", "end": False})  # fmt: skip
    _public(world, d["CAL"], ev.MEETING, {"meeting": "inf", "action": "open",
            "format": "informal_informal", "channel": "informals", "item": "cica-op2"})  # fmt: skip
    _public(world, d["BOR"], ev.ATTENDANCE, {"meeting": "inf"})
    _public(world, d["CAL"], ev.MEETING, {"meeting": "inf", "action": "close"})
    facilitated = n.version(1, [("f1", "operative", "1", "Each State should act.")])
    facilitated["text"] = "cica-op2"
    world.act(d["CAL"], ev.TEXT, n.table(facilitated))
    world.act(d["CAL"], ev.STATEMENT, n.statement("facilitator_report", "Agreed in informals."))
    # A group statement and an alignment; a division; a roll-call vote.
    world.act(d["ARC"], ev.GROUP, {"group": "lmg", "name": "Like-Minded", "members": ["ARC",
                                                                                  "BOR"]})  # fmt: skip
    world.act(d["BOR"], ev.GROUP, {"group": "lmg"})
    spoken = world.act(d["ARC"], ev.STATEMENT, n.statement("interpretative", "The group agrees.")
                       | {"on_behalf_of": "lmg"})["seq"]  # fmt: skip
    world.act(d["CAL"], ev.STATEMENT, n.statement("alignment", "Calvia aligns.")
              | {"aligns_with": spoken})  # fmt: skip
    division = world.act(d["BOR"], ev.MOTION, {"motion": "division", "text": n.TEXT_ID,
                                               "reason": "Apart.", "parts": ["op3"]})  # fmt: skip
    world.act(world.chair, ev.DECISION, n.decision("div", v1, kind="motion")
              | {"subject": {"kind": "motion", "motion": division["event"]}})  # fmt: skip
    world.tick(16 * MINUTE)
    world.act(world.chair, ev.CLOSE, n.close("div", "adopted"))
    world.act(world.chair, ev.DECISION, n.decision("op3", v1, "vote", paragraph="op3",
                                                   kind="adoption"))  # fmt: skip
    for code, answer in (("ARC", "yes"), ("BOR", "yes"), ("CAL", "present")):
        world.act(d[code], ev.VOTE, n.vote("op3", answer))
    world.act(world.chair, ev.CLOSE, n.close("op3", "adopted"))
    world.act(world.chair, ev.DECISION, n.decision("whole", v1, "vote", kind="adoption"))
    world.act(d["CAL"], ev.STATEMENT, n.statement("explanation_of_vote", "Calvia abstains.",
                                                  decision_id="whole"))  # fmt: skip
    for code, answer in (("ARC", "yes"), ("BOR", "yes"), ("CAL", "abstain"), ("DUN", "no")):
        world.act(d[code], ev.VOTE, n.vote("whole", answer))
    world.act(world.chair, ev.CLOSE, n.close("whole", "adopted"))
    for code in ("ARC", "DUN"):  # Dunland's delegate holds no power to sign: art. 8
        world.act(d[code], ev.SIGNATURE, n.signature(v1))
    return final_act.build(world.lines(), n.TEXT_ID, Version.parse(v1).hash, _keys(world))


BUILDERS = {"procedure-1": procedure_1, "procedure-2": procedure_2_act}


def path(name: str) -> Path:
    return HERE / f"final-act-{name}.json"


def main(names: list[str]) -> None:
    expected = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    for name in names:
        if path(name).exists():
            raise SystemExit(f"{path(name).name} exists: frozen vectors are never rewritten")
        data = BUILDERS[name]()
        path(name).write_bytes(data)
        expected[name] = summary(final_act.verify(data))
    EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
