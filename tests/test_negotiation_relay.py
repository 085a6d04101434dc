"""A negotiation over a real relay: tabling, amendments with support and opposition, a
revision, a silence procedure broken in time and another broken too late, adoption by
consensus with a statement, a chair's false claim; seen through the command line too."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.core import events as ev
from accord.node.base import NodeError
from accord.node.client import RelayError
from accord.node.session import Node
from tests import negotiating as n
from tests.delegations import PASSPHRASE, accord, convene, now
from tests.relay_process import relay

pytestmark = pytest.mark.slow


def test_a_negotiation_over_a_relay(tmp_path: Path) -> None:
    with relay(f"sqlite:///{tmp_path / 'relay.sqlite'}", tmp_path) as r:
        cast = convene(r.url, tmp_path, powers=("negotiate", "adopt", "sign"))
        conf, chair = cast.conf, cast.host
        arc, bor, cal = (cast.delegates[c] for c in ("ARC", "BOR", "CAL"))
        try:
            v1 = n.version()
            chair.negotiate(conf, ev.TEXT, n.table(v1), now())
            receipt = arc.negotiate(conf, ev.AMEND, n.amend(
                "op2", "insert_words", old="notify affected States", new=" within 72 hours"),
                now())  # fmt: skip
            p72 = str(receipt["event"])
            bor.negotiate(conf, ev.STANCE, n.stance(p72, "support"), now())
            cal.negotiate(conf, ev.STANCE, n.stance(p72, "oppose"), now())
            compiled = cal.negotiation(conf).render(n.TEXT_ID)
            assert "[ within 72 hours (Proposed: ARC; supported: BOR; opposed: CAL)]" in compiled

            # Silence on version 1, broken by Calvia in time (receipt before the deadline).
            chair.negotiate(conf, ev.DECISION, n.decision(
                "silence-1", v1, "silence", deadline=now() + 60_000, time_zone="Europe/Vienna"),
                now())  # fmt: skip
            broke = cal.negotiate(conf, ev.OBJECTION, n.objection(
                "silence-1", "amendment", "Calvia proposes 'without undue delay'."), now())  # fmt: skip
            # The chair revises, taking in Arcadia's proposal.
            paragraphs = list(n.PARAGRAPHS)
            paragraphs[2] = ("op2", "operative", "2", "A State shall notify affected States "
                             "within 72 hours of a significant incident.")  # fmt: skip
            v2 = n.version(2, paragraphs)
            chair.negotiate(conf, ev.TEXT, n.table(v2, [(p72, "incorporated")]), now())
            # Silence on version 2, broken by Borduria only after the deadline.
            deadline = now() + 1500
            chair.negotiate(conf, ev.DECISION, n.decision(
                "silence-2", v2, "silence", deadline=deadline, time_zone="UTC"), now())  # fmt: skip
            time.sleep(max(0.0, (deadline - now()) / 1000) + 0.5)
            # Borduria's node refuses to send it (the silence has held, by its record);
            # sent regardless, as a client that does not check would, it is recorded late.
            with pytest.raises(NodeError, match="after the deadline of silence-2"):
                bor.negotiate(conf, ev.OBJECTION, n.objection("silence-2"), now())
            late = bor.negotiate(conf, ev.OBJECTION, n.objection("silence-2"), now(), checked=False)
            assert late["time"] >= deadline
            # Consensus on version 2 with an interpretative statement; then a false claim.
            chair.negotiate(conf, ev.DECISION, n.decision("adopt-2", v2), now())
            chair.negotiate(conf, ev.CLOSE, n.close("adopt-2", "adopted"), now())
            cal.negotiate(conf, ev.STATEMENT, n.statement(
                "interpretative", "Calvia reads 'significant' narrowly.", decision_id="adopt-2"),
                now())  # fmt: skip
            chair.negotiate(conf, ev.DECISION, n.decision("adopt-op3", v2, paragraph="op3"), now())
            bor.negotiate(conf, ev.OBJECTION, n.objection("adopt-op3"), now())
            with pytest.raises(NodeError, match="but the record says not adopted"):
                chair.negotiate(conf, ev.CLOSE, n.close("adopt-op3", "adopted"), now())
            claim = chair.negotiate(conf, ev.CLOSE, n.close("adopt-op3", "adopted"), now(),
                                    checked=False)  # fmt: skip

            results = {}
            for node in (chair, arc, bor, cal):
                node.sync(conf)
                negotiation = node.negotiation(conf)
                results[id(node)] = {
                    d.id: d.outcome(negotiation.last_time) for d in negotiation.decisions.values()
                }
            assert len({tuple(sorted(v.items())) for v in results.values()}) == 1
            assert results[id(cal)] == {
                "silence-1": "not_adopted", "silence-2": "adopted", "adopt-2": "adopted",
                "adopt-op3": "not_adopted",
            }  # fmt: skip
            negotiation = arc.negotiation(conf)
            assert negotiation.decisions["silence-1"].objections[0][0] == broke["seq"]
            assert negotiation.decisions["silence-2"].late[0][0] == late["seq"]
            assert any("the claim is invalid" in f.reason for f in negotiation.flags)
            # What the node tells its delegate of each act just done: effect or the reason.
            assert cal.effect(conf, broke) is None
            assert "after the deadline of silence-2" in (bor.effect(conf, late) or "")
            assert "the claim is invalid" in (chair.effect(conf, claim) or "")
            # A recorded vote on paragraph 2: one vote a state, abstentions not counted.
            chair.negotiate(conf, ev.DECISION, n.decision("vote-op2", v2, "vote", paragraph="op2"),
                            now())  # fmt: skip
            arc.negotiate(conf, ev.VOTE, n.vote("vote-op2", "yes"), now())
            bor.negotiate(conf, ev.VOTE, n.vote("vote-op2", "yes", "Borduria votes for."), now())
            with pytest.raises(NodeError, match="BOR has already voted"):
                bor.negotiate(conf, ev.VOTE, n.vote("vote-op2", "no"), now())
            bor.negotiate(conf, ev.VOTE, n.vote("vote-op2", "no"), now(), checked=False)
            cal.negotiate(conf, ev.VOTE, n.vote("vote-op2", "abstain"), now())
            chair.negotiate(conf, ev.CLOSE, n.close("vote-op2", "adopted"), now())
            # A Calvian delegate holding only the power to negotiate: the relay refuses a vote.
            junior = Node.create(tmp_path / "delegate-CAL-2", PASSPHRASE)
            key = junior.create_identity()
            credential = cast.ministries["CAL"].issue_powers(
                "CAL", "Cyril Junior", key, ["negotiate"], [conf], now()
            )
            junior.join(r.url, conf, credential, cast.genesis, now())
            chair.sync(conf)
            assert "plenary" in chair.rekey_due(conf, now())  # passes him the plenary's keys
            with pytest.raises(NodeError, match="holding the power to adopt"):
                junior.negotiate(conf, ev.VOTE, n.vote("vote-op2", "yes"), now())
            with pytest.raises(RelayError) as refused:  # and the relay, sent regardless
                junior.negotiate(conf, ev.VOTE, n.vote("vote-op2", "yes"), now(), checked=False)
            assert refused.value.code == "power_missing"
            # A refused act was never an entry: the message says where it would have stood.
            assert refused.value.message.startswith("not recorded (it would have been entry #")
            # He proposes to replace paragraph 3; Borduria supports; he withdraws it anyway.
            withdrawn = junior.negotiate(conf, ev.AMEND, n.amend(
                "op3", "replace_paragraph", new="States shall review it yearly.", version=2),
                now())  # fmt: skip
            bor.negotiate(conf, ev.STANCE, n.stance(str(withdrawn["event"]), "support"), now())
            junior.negotiate(conf, ev.STANCE, n.stance(str(withdrawn["event"]), "withdraw"), now())
            junior.close()
            cal.sync(conf)
            voted = cal.negotiation(conf).decisions["vote-op2"]
            gone = cal.negotiation(conf).proposals[str(withdrawn["event"])]
            assert gone.withdrawn_at is not None and list(gone.supporters) == ["BOR"]
            assert "yearly" not in cal.negotiation(conf).render(n.TEXT_ID)
            assert voted.tally() == {"yes": 2, "no": 0, "abstain": 1}
            assert voted.outcome(now()) == "adopted"
            arc.negotiate(conf, ev.SIGNATURE, n.signature(v2), now())
            ad_ref = bor.negotiate(conf, ev.SIGNATURE, n.signature(v2, ad_referendum=True), now())
        finally:
            cast.close()
        # The same, as a delegate reads it at the command line. Every member is told each
        # outcome once, when its node syncs.
        home = tmp_path / "delegate-ARC"
        synced = accord(tmp_path / "delegate-CAL", "sync", "--conf", conf)
        assert "decision silence-2 (silence on cica version 2, silence ended" in synced
        assert (
            "decision adopt-op3 (consensus on cica version 2, paragraph op3): not adopted" in synced
        )
        assert "decision silence-2" not in accord(tmp_path / "delegate-CAL", "sync", "--conf", conf)
        shown = accord(home, "text", "show", "--conf", conf, "--text", n.TEXT_ID)
        assert "version 2" in shown and "within 72 hours of a significant incident" in shown
        decisions = accord(home, "decision", "show", "--conf", conf)
        assert "silence-2: silence on cica version 2: adopted" in decisions
        assert "late objection by BOR" in decisions
        assert "adopt-op3: consensus on cica version 2, paragraph op3: not adopted" in decisions
        assert "the claim is invalid" in decisions
        diff = accord(home, "text", "diff", "--conf", conf, "--text", n.TEXT_ID, "--from", "1",
                      "--to", "2")  # fmt: skip
        assert "{+within 72 hours+}" in diff
        exported = tmp_path / "compiled.docx"
        accord(home, "text", "export", "--conf", conf, "--text", n.TEXT_ID, "--out", str(exported))
        from accord.documents.word import import_docx

        assert len(import_docx(exported, n.TEXT_ID)["paragraphs"]) == len(n.PARAGRAPHS)
        # The chair tables a second text straight from a secretariat's Word document.
        draft = Path(__file__).parent / "data" / "cica-draft.docx"
        accord(tmp_path / "host", "text", "table", "--conf", conf, "--text", "draft", str(draft))
        shown = accord(home, "text", "show", "--conf", conf, "--text", "draft")
        assert "[within 72 hours][without undue delay]" in shown and "42. [Participating" in shown
        act = tmp_path / "final-act.json"
        html, pdf = tmp_path / "final-act.html", tmp_path / "final-act.pdf"
        accord(home, "final-act", "--conf", conf, "--text", n.TEXT_ID, "--out", str(act),
               "--html", str(html), "--pdf", str(pdf))  # fmt: skip
        assert "Signatures" in html.read_text() and pdf.read_bytes().startswith(b"%PDF")
        compiled_pdf = tmp_path / "compiled.pdf"
        accord(
            home, "text", "export", "--conf", conf, "--text", n.TEXT_ID, "--out", str(compiled_pdf)
        )
        assert compiled_pdf.read_bytes().startswith(b"%PDF")
        # An act the record gives no effect is reported as such, and the command fails.
        env = {**os.environ, "ACCORD_PASSPHRASE": PASSPHRASE, "ACCORD_HOME": str(home)}
        void = subprocess.run(
            [sys.executable, "-m", "accord", "decision", "vote", "--conf", conf, "--id",
             "no-such-decision", "yes"], capture_output=True, text=True, env=env, timeout=120,
            check=False,
        )  # fmt: skip
        # Refused before it is signed: nothing reaches the record.
        assert void.returncode == 1 and "not sent: it would have no effect" in void.stderr
        assert "no such decision" in void.stderr
        verified = accord(home, "verify", str(act))
        assert "VALID FINAL ACT" in verified and "version 2" in verified
        assert "signature by Ana Reyes (ARC)" in verified
        assert "ad referendum, pending confirmation by its state" in verified
        # Borduria's ministry confirms the signature; a delegate publishes the confirmation.
        confirmation = tmp_path / "confirmation.json"
        accord(tmp_path / "ministry-BOR", "powers", "confirm", "--state", "BOR", "--signature",
               str(ad_ref["event"]), "--out", str(confirmation))  # fmt: skip
        accord(tmp_path / "delegate-BOR", "publish-confirmation", "--conf", conf, str(confirmation))
        accord(home, "final-act", "--conf", conf, "--text", n.TEXT_ID, "--out", str(act))
        assert "ad referendum, confirmed" in accord(home, "verify", str(act))
        assert "statement (interpretative) by CAL" in verified
