"""Whole conferences under rules of procedure version 2, over a real relay: every node
recomputes the same outcomes from the record, and the final act verifies offline.

Each scenario is one a delegation would meet in its first sessions (issue 13's suite);
the rules themselves, one by one, are tested in test_rules_procedure.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.core import events as ev
from accord.core import final_act
from accord.core.genesis import procedure_2
from accord.node.base import NodeError
from accord.node.session import Node
from tests import negotiating as n
from tests.delegations import PASSPHRASE, Cast, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow

STATES = ("ARC", "BOR", "CAL", "DUN")


def accord(home: Path, *args: str) -> str:
    env = {**os.environ, "ACCORD_PASSPHRASE": PASSPHRASE, "ACCORD_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def acted(node: Node, conf: str, type: str, content: dict[str, Any]) -> dict[str, Any]:
    """Post an act that must take effect; its receipt."""
    receipt = node.negotiate(conf, type, content, now())
    assert node.effect(conf, receipt) is None, node.effect(conf, receipt)
    return receipt


def without_effect(node: Node, conf: str, type: str, content: dict[str, Any]) -> str:
    """Post an act the record gives no effect; the reason every member sees."""
    reason = node.effect(conf, node.negotiate(conf, type, content, now()))
    assert reason is not None
    return reason


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
                "basis-1": "adopted", "del-op3": "adopted", "adopt-2": "not_adopted",
                "vote-2": "adopted",
            }  # fmt: skip
            negotiation = dun.negotiation(conf)
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
            assert "roll-call: {'yes': 2, 'no': 0, 'abstain': 1}; ARC: yes" in shown
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
